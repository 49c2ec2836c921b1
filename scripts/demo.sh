#!/usr/bin/env bash
# Install liangxin (into .venv), generate the demo county and build its ledger data, then set up
# the web system (SQLite in ./var) with the same files and serve it at http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
python -m pip install --quiet -e .
liangxin demo-data demo/部门数据
liangxin build demo/部门数据 --out demo/结果 --as-of 2020-07-01  # the demo county is as of mid-2020
liangxin web demo --data demo/部门数据
