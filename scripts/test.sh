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
# The production settings pass Django's deployment checks (secrets: test values only).
LIANGXIN_SECRET_KEY="test-only-secret-key-for-the-deployment-check-0123456789abcdef" \
LIANGXIN_AUDIT_KEY="test-only-audit-key-for-the-deployment-check" \
LIANGXIN_ALLOWED_HOSTS="liangxin.example.gov.cn" LIANGXIN_DATA_DIR="${TMPDIR:-/tmp}/liangxin-check" \
    python -m liangxin.web check --deploy --fail-level WARNING \
    --settings=liangxin.web.settings_production
pytest "$@"
DATABASE_URL="${LIANGXIN_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/liangxin}" \
    pytest tests/web -p no:cacheprovider "$@"
