#!/usr/bin/env bash
# The suite on SQLite and, when a server answers at PG_URL, on PostgreSQL (`make test`).
#
# Each database's pass runs as two streams side by side, four in all, each into its own log,
# printed when all are done. Much of a test's time is waiting (a subprocess importing a
# backup, a live server, a lock held on purpose), so four streams keep a 2-core machine busy
# where one pass after the other left it half idle. The split: the backup round trips
# (tests/integrity/test_backup.py, minutes each) beside everything else on SQLite; the
# integrity and API tests beside everything else on PostgreSQL, in a test database of its
# own per stream. The browser tests (marker `browser`) then run alone, on SQLite: they time
# pages in Chromium, which a busy machine would skew. With REQUIRE_POSTGRES=1 (as in CI) a
# silent PostgreSQL is a failure, not a skip.
set -uo pipefail

PY=${PY:-.venv/bin/python}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/test}
PYTEST=("$PY" -m pytest -q -p no:cacheprovider -m "not browser")
logs=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null' INT TERM
names=()
pids=()

stream() {  # stream NAME DATABASE_URL PYTEST-ARGS...: one pytest run in the background
  local name=$1 url=$2  # no URL: the settings' SQLite default, as a bare `pytest` gets
  shift 2
  echo "== $name (log: $logs/$name.log) =="
  if [ -n "$url" ]; then
    DATABASE_URL="$url" "${PYTEST[@]}" "$@" >"$logs/$name.log" 2>&1 &
  else
    env -u DATABASE_URL "${PYTEST[@]}" "$@" >"$logs/$name.log" 2>&1 &
  fi
  names+=("$name")
  pids+=($!)
}

stream sqlite-backups "" tests/integrity/test_backup.py
stream sqlite-rest "" --ignore=tests/integrity/test_backup.py
status=0
if "$PY" scripts/postgres_answers.py "$PG_URL"; then
  echo "== PostgreSQL answers at $PG_URL: the suite on PostgreSQL too =="
  stream postgresql-integrity-api "$PG_URL" tests/integrity tests/api
  "$PY" scripts/postgres_database.py "${PG_URL}_rest" || status=1
  stream postgresql-rest "${PG_URL}_rest" --ignore=tests/integrity --ignore=tests/api
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL does not answer at $PG_URL, and REQUIRE_POSTGRES=1: failing."
  status=1
else
  echo "== PostgreSQL does not answer at $PG_URL: SKIPPED the PostgreSQL run (set PG_URL to use another server) =="
fi

summary=()
for i in "${!pids[@]}"; do
  wait "${pids[$i]}"
  code=$?
  [ "$code" = 0 ] || status=1
  summary+=("${names[$i]}: exit $code")
done
for name in "${names[@]}"; do
  echo "== $name =="
  cat "$logs/$name.log"
done

echo "== The browser tests, alone, on SQLite =="
"$PY" -m pytest -q -p no:cacheprovider -m browser || status=1

echo "== ${summary[*]} =="
exit "$status"
