#!/usr/bin/env bash
# Install everything the test suite needs (into .venv) and run it: lint, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
python3 -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
python -m pip install --quiet -e '.[test]'
ruff check .
ruff format --check .
pytest "$@"
