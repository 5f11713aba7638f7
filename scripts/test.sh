#!/usr/bin/env bash
# Installs what the tests need into .venv and runs the whole suite: once on SQLite (the embedded
# default), once on PostgreSQL, plus the Celery tests against Redis. Starts PostgreSQL and Redis
# if they are installed but not running. With CI=true a missing PostgreSQL or Redis is a failure;
# elsewhere that pass is skipped with a warning.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
PG_URL=${WIREDESK_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/wiredesk}
REDIS_URL=${WIREDESK_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'

port_open() { .venv/bin/python -c "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1', int(sys.argv[1]))))" "$1"; }

start_services() {
  if ! port_open 5432 && command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "== starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
  fi
  if ! port_open 6379 && command -v redis-server >/dev/null 2>&1; then
    echo "== starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  fi
  for _ in $(seq 1 30); do port_open 5432 && port_open 6379 && break; sleep 1; done
}

run_pytest() {
  # pytest exit code 5 means no test ran: that is a failure here, never a pass.
  local code=0
  .venv/bin/python -m pytest "$@" || code=$?
  if [ "$code" -eq 5 ]; then echo "pytest collected no tests: failing"; return 1; fi
  return "$code"
}

install_browser() {
  # The browser tests drive Debian's Chromium (never a downloaded browser): install it if missing.
  if [ -x /usr/bin/chromium ]; then return 0; fi
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "== installing Chromium for the browser tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends chromium >/dev/null \
      || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium >/dev/null; } \
      || echo "!! could not install chromium: the browser tests will say so" >&2
  fi
}

start_services
install_browser
export WIREDESK_DATA_DIR
WIREDESK_DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/wiredesk-test.XXXXXX")
trap 'rm -rf "$WIREDESK_DATA_DIR"' EXIT

echo "== lint"
.venv/bin/python -m ruff check src tests benchmarks
echo "== migrations in step with models"
.venv/bin/python -m django makemigrations --check --dry-run --settings wiredesk.settings >/dev/null

echo "== tests on SQLite"
export WIREDESK_TEST_REDIS_URL="$REDIS_URL"
(unset DATABASE_URL; run_pytest -p no:cacheprovider)

if port_open 5432; then
  echo "== tests on PostgreSQL ($PG_URL)"
  (export DATABASE_URL="$PG_URL"; run_pytest -p no:cacheprovider)
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable on 127.0.0.1:5432 and could not be started" >&2
  exit 1
else
  echo "!! PostgreSQL not reachable on 127.0.0.1:5432: PostgreSQL pass skipped" >&2
fi
