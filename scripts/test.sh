#!/usr/bin/env bash
# Install everything the test suite needs (into .venv) and run it: lint, then pytest (web tests
# on SQLite), then the web tests again on PostgreSQL (DATABASE_URL, default the local server).
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
DATABASE_URL="${LIANGXIN_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/liangxin}" \
    pytest tests/web -p no:cacheprovider "$@"
