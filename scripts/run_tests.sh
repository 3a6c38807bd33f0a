#!/usr/bin/env bash
# The suite on SQLite and, when a server answers at PG_URL, on PostgreSQL (`make test`).
#
# The two database passes run side by side, one core each, each into its own log, and the
# logs are printed when both are done: on a 2-core machine that halves the wait. The browser
# tests (marker `browser`) then run alone, on SQLite: they time pages in Chromium, which a
# busy machine would skew. With REQUIRE_POSTGRES=1 (as in CI) a silent PostgreSQL is a
# failure, not a skip.
set -uo pipefail

PY=${PY:-.venv/bin/python}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/test}
PYTEST=("$PY" -m pytest -q -p no:cacheprovider)
logs=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null' INT TERM

echo "== The suite on SQLite (log: $logs/sqlite.log) =="
"${PYTEST[@]}" -m "not browser" >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!

postgres_status=0
if "$PY" scripts/postgres_answers.py "$PG_URL"; then
  echo "== PostgreSQL answers at $PG_URL: the suite on PostgreSQL beside it (log: $logs/postgres.log) =="
  DATABASE_URL="$PG_URL" "${PYTEST[@]}" -m "not browser" >"$logs/postgres.log" 2>&1
  postgres_status=$?
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL does not answer at $PG_URL, and REQUIRE_POSTGRES=1: failing."
  postgres_status=1
else
  echo "== PostgreSQL does not answer at $PG_URL: SKIPPED the PostgreSQL run (set PG_URL to use another server) =="
fi

wait "$sqlite_pid"
sqlite_status=$?
echo "== SQLite =="
cat "$logs/sqlite.log"
if [ -f "$logs/postgres.log" ]; then
  echo "== PostgreSQL =="
  cat "$logs/postgres.log"
fi

echo "== The browser tests, alone, on SQLite =="
"${PYTEST[@]}" -m browser
browser_status=$?

echo "== SQLite: exit $sqlite_status; PostgreSQL: exit $postgres_status; browser: exit $browser_status =="
[ "$sqlite_status" = 0 ] && [ "$postgres_status" = 0 ] && [ "$browser_status" = 0 ]
