#!/usr/bin/env bash
# Report benchmark: the all-staff scorecard of a year (and of a week, and the year's CSV
# export) from the real server over HTTP, next to sqlite3 computing the same per-staff,
# per-dimension counts and means with GROUP BY on the same data in the same run: over
# the raw `responses` rows (JSON text, as the store keeps them), and over the most
# favourable raw layout for sqlite3, a plain table ratings(day, staff, dimension, score)
# with covering indexes, built once from the same responses. Rounds alternate which goes
# first; the table shows medians. Before timing, the figures must agree: n and mean of
# every staff member and dimension in hrsurvey's JSON and CSV equal the GROUP BYs'.
#
# Builds nothing: expects $BUILD/server/hrsurvey and $BUILD/bench/hrs_make_report_dataset
# (`make bench-report` builds them). Needs sqlite3, curl and python3 (`make bench-deps`).
#
# Settings (environment): SIZES (responses per dataset, "1000000 10000000"), ROUNDS (5),
# STAFF (500), DAYS (365), SEED (1), DATA_DIR (where the generated stores are kept so
# that reruns skip generating them; build/bench-report), BUILD (build/release), KEEP (1
# keeps the temp dir). The period ends on the last day of the data (today when the
# store was made today): the year is its 365 days up to that day, the week its 7.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build/release}
SIZES=${SIZES:-"1000000 10000000"}
ROUNDS=${ROUNDS:-5}
STAFF=${STAFF:-500}
DAYS=${DAYS:-365}
SEED=${SEED:-1}
DATA_DIR=${DATA_DIR:-build/bench-report}
KEEP=${KEEP:-0}
HRSURVEY=$BUILD/server/hrsurvey
MAKER=$BUILD/bench/hrs_make_report_dataset
COMPARE=$ROOT/bench/report/compare.py
# The same page cache as the server's connections (engine/src/sqlite.cpp).
SQLITE_CACHE="PRAGMA cache_size=-262144;"

for tool in sqlite3 curl python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (make bench-deps)" >&2; exit 1; }
done
for bin in "$HRSURVEY" "$MAKER"; do
  [ -x "$bin" ] || { echo "run.sh: $bin is missing (make build-release)" >&2; exit 1; }
done
[ "$ROUNDS" -ge 1 ] || { echo "run.sh: ROUNDS must be at least 1" >&2; exit 1; }

mkdir -p "$DATA_DIR"
DIR=$(mktemp -d "${TMPDIR:-/tmp}/hrs-report.XXXXXX")
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
cleanup() {
  local status=$?
  stop_server
  rm -f "$DATA_DIR"/*.partial "$DATA_DIR"/*.partial-wal "$DATA_DIR"/*.partial-shm
  if [ "$KEEP" = 1 ] || [ $status -ne 0 ]; then
    echo "run.sh: files kept in $DIR" >&2
  else
    rm -rf "$DIR"
  fi
}
trap cleanup EXIT

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
date_of() { date -u -d "@$(($1 * 86400))" +%F; }
thousands() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

# The template's dimension questions; the SQL below reads the ratings by question id,
# which works while each dimension question is named after its dimension.
DIMENSIONS=$(python3 - "$ROOT/survey_defs/hr-service.json" <<'EOF'
import json, sys
qs = [q for q in json.load(open(sys.argv[1]))["questions"] if "dimension" in q]
bad = [q["id"] for q in qs if q["id"] != q["dimension"]]
if bad:
    sys.exit(f"run.sh: question ids differ from their dimensions: {bad}; teach the SQL a CASE")
print(" ".join(q["id"] for q in qs))
EOF
)
DIMENSIONS_SQL=$(sed "s/\([^ ]*\)/'\1'/g; s/ /, /g" <<<"$DIMENSIONS")  # 'courtesy', 'quality'

# --- datasets, made once per size and kept in DATA_DIR ------------------------------------
# dataset N: prints the store's path, generating it first when DATA_DIR has none.
dataset() {
  local n=$1 db
  db=$DATA_DIR/responses-$n-staff$STAFF-days$DAYS-seed$SEED.db
  if [ ! -f "$db" ]; then
    echo "generating $db (once; later runs reuse it)..." >&2
    "$MAKER" "$db.partial" --responses "$n" --staff "$STAFF" --days "$DAYS" --seed "$SEED" >&2
    for ext in -wal -shm ""; do
      [ ! -e "$db.partial$ext" ] || mv "$db.partial$ext" "$db$ext"
    done
  fi
  echo "$db"
}

# ratings_table N STORE: prints the path of the plain ratings table built from STORE.
ratings_table() {
  local n=$1 db=$2 out
  out=$DATA_DIR/ratings-$n-staff$STAFF-days$DAYS-seed$SEED.db
  if [ ! -f "$out" ]; then
    echo "building $out from $db (once)..." >&2
    rm -f "$out.partial"
    local started=$SECONDS
    sqlite3 -bail "$out.partial" >/dev/null <<EOF
PRAGMA journal_mode=OFF;
PRAGMA synchronous=OFF;
ATTACH 'file:$db?mode=ro' AS src;
CREATE TABLE ratings (day INTEGER NOT NULL, staff TEXT NOT NULL, dimension TEXT NOT NULL,
                      score INTEGER NOT NULL);
INSERT INTO ratings (day, staff, dimension, score)
  SELECT r.received_at / 86400, s.value, a.key, a.value
  FROM src.responses AS r, json_each(r.staff) AS s, json_each(r.answers) AS a
  WHERE a.key IN ($DIMENSIONS_SQL)
  ORDER BY r.id;
DETACH src;
-- Covering indexes: a period's rows in day order (a week is a short range), and every
-- row in group order (a year's GROUP BY needs no sort). The planner takes its pick.
CREATE INDEX ratings_by_day ON ratings (day, staff, dimension, score);
CREATE INDEX ratings_by_group ON ratings (staff, dimension, day, score);
ANALYZE main;
EOF
    mv "$out.partial" "$out"
    echo "  $(sqlite3 "$out" 'SELECT count(*) FROM ratings') rows in $((SECONDS - started)) s" >&2
  fi
  echo "$out"
}

# The GROUP BYs print `staff|dimension|n|mean`. Periods are inclusive UTC days.
#
# Over the raw rows, the fastest form found: each response's ratings are extracted once
# (LIMIT -1 keeps SQLite from flattening the subquery, which would copy each
# json_extract into both count() and avg() and run them per staff member named), then
# grouped per staff member named. The plain form, `FROM responses r, json_each(r.staff) s, json_each(r.answers) a
# WHERE a.key IN (...) GROUP BY s.value, a.key`, took 2 to 3.5 times as long.
raw_sql() {  # raw_sql FROM_DAY TO_DAY
  local d i=0 extract="" totals="" rows=""
  for d in $DIMENSIONS; do
    i=$((i + 1))
    extract+=", json_extract(answers, '\$.$d') AS r$i"
    totals+=", count(x.r$i) AS n$i, avg(x.r$i) AS m$i"
    rows+="${rows:+ UNION ALL }SELECT staff, '$d', n$i, m$i FROM g WHERE n$i > 0"
  done
  cat <<EOF
WITH g AS MATERIALIZED (
  SELECT s.value AS staff$totals
  FROM (SELECT staff$extract FROM responses
        WHERE received_at BETWEEN $1 * 86400 AND $2 * 86400 LIMIT -1) AS x,
       json_each(x.staff) AS s
  GROUP BY s.value)
$rows;
EOF
}
ratings_sql() {  # ratings_sql FROM_DAY TO_DAY
  cat <<EOF
SELECT staff, dimension, count(*), avg(score)
FROM ratings
WHERE day BETWEEN $1 AND $2
GROUP BY staff, dimension;
EOF
}

# time_sqlite DB SQL OUT: runs SQL with sqlite3's timer (the query alone: no process
# start, no schema load), output to OUT; prints the seconds.
time_sqlite() {
  local db=$1 sql=$2 out=$3 timing
  timing=$(sqlite3 -bail -readonly "$db" <<EOF
$SQLITE_CACHE
.output $out
.timer on
$sql
EOF
  )
  awk '/^Run Time: real/ {t = $4} END {if (t == "") exit 1; print t}' <<<"$timing"
}

# time_http URL OUT: GETs URL with the lead token into OUT; prints curl's time_total.
time_http() {
  local url=$1 out=$2 status seconds
  read -r status seconds < <(curl -s -o "$out" --max-time 900 -H "Authorization: Bearer $TOKEN" \
    -w '%{http_code} %{time_total}\n' "$url")
  if [ "$status" != 200 ]; then
    echo "run.sh: GET $url answered $status:" >&2
    head -c 2000 "$out" >&2
    echo >&2
    return 1
  fi
  echo "$seconds"
}

median() {  # median SIZE QUERY
  awk -v s="$1" -v q="$2" '$1 == s && $2 == q {print $3}' "$RESULTS" | sort -g |
    awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

RESULTS=$DIR/results.txt
CHECKS=$DIR/checks.txt
: >"$RESULTS"
: >"$CHECKS"
declare -A PERIOD NOTES
for n in $SIZES; do
  db=$(dataset "$n")
  ratings=$(ratings_table "$n" "$db")
  to=$(sqlite3 -readonly "$db" 'SELECT max(received_at) / 86400 FROM responses')
  year_from=$((to - 364))
  week_from=$((to - 6))
  PERIOD[$n]="$(date_of "$year_from") to $(date_of "$to")"

  TOKEN=$("$HRSURVEY" token create --role lead --label "bench/report" --db "$db" 2>/dev/null)
  mkfifo "$DIR/server-$n.fifo"
  exec 3<>"$DIR/server-$n.fifo"
  "$HRSURVEY" serve --listen 127.0.0.1:0 --db "$db" --log-level warn \
    >"$DIR/server-$n.fifo" 2>"$DIR/server-$n.err" &
  SERVER_PID=$!
  if ! read -r -t 120 -u 3 first_line; then
    echo "run.sh: the server did not start:" >&2
    cat "$DIR/server-$n.err" >&2
    exit 1
  fi
  SERVER_URL=$(sed -n 's/^hrsurvey listening on \(http:\/\/[^ ]*\).*/\1/p' <<<"$first_line")
  [ -n "$SERVER_URL" ] || { echo "run.sh: unexpected first line: $first_line" >&2; exit 1; }
  echo "$first_line" >&2

  api=$SERVER_URL/api/v1/reports
  declare -A HTTP=(
    [year]="$api/staff?from=$(date_of "$year_from")&to=$(date_of "$to")"
    [week]="$api/staff?from=$(date_of "$week_from")&to=$(date_of "$to")"
    [csv]="$api/staff.csv?from=$(date_of "$year_from")&to=$(date_of "$to")"
  )
  declare -A SQL=(
    [raw_year]="$(raw_sql "$year_from" "$to")"
    [raw_week]="$(raw_sql "$week_from" "$to")"
    [ratings_year]="$(ratings_sql "$year_from" "$to")"
    [ratings_week]="$(ratings_sql "$week_from" "$to")"
  )
  sql_db() { case $1 in raw_*) echo "$db" ;; *) echo "$ratings" ;; esac; }

  # --- warm-up: every query once, untimed; its output is what the check compares ------
  echo "warm-up and check, $n responses ($(date_of "$year_from") to $(date_of "$to"))..." >&2
  for q in year week csv; do
    ext=json; [ "$q" = csv ] && ext=csv
    time_http "${HTTP[$q]}" "$DIR/hrsurvey-$n-$q.$ext" >/dev/null
  done
  for q in raw_year raw_week ratings_year ratings_week; do
    time_sqlite "$(sql_db $q)" "${SQL[$q]}" "$DIR/$q-$n.txt" >/dev/null
  done
  # Fails the run when they disagree; the lines go under the table.
  python3 "$COMPARE" "$(thousands "$n") responses, year, JSON" "$DIR/hrsurvey-$n-year.json" \
    "$DIR/raw_year-$n.txt" "$DIR/ratings_year-$n.txt" | tee -a "$CHECKS" >&2
  python3 "$COMPARE" "$(thousands "$n") responses, week, JSON" "$DIR/hrsurvey-$n-week.json" \
    "$DIR/raw_week-$n.txt" "$DIR/ratings_week-$n.txt" | tee -a "$CHECKS" >&2
  python3 "$COMPARE" "$(thousands "$n") responses, year, CSV" "$DIR/hrsurvey-$n-csv.csv" \
    "$DIR/raw_year-$n.txt" "$DIR/ratings_year-$n.txt" | tee -a "$CHECKS" >&2
  NOTES[$n]="$(wc -l <"$DIR/hrsurvey-$n-csv.csv") CSV lines and $(thousands "$(wc -c <"$DIR/hrsurvey-$n-year.json")") bytes of JSON for the year"

  # --- rounds ----------------------------------------------------------------------------
  http_round() {
    local q
    for q in year week csv; do
      echo "$n http_$q $(time_http "${HTTP[$q]}" "$DIR/round.out")" >>"$RESULTS"
    done
  }
  sqlite_round() {
    local q
    for q in raw_year raw_week ratings_year ratings_week; do
      echo "$n $q $(time_sqlite "$(sql_db $q)" "${SQL[$q]}" "$DIR/round.out")" >>"$RESULTS"
    done
  }
  for round in $(seq "$ROUNDS"); do
    # Alternate which goes first so that drift hurts both alike.
    if [ $((round % 2)) = 1 ]; then http_round; sqlite_round; else sqlite_round; http_round; fi
    echo "  round $round: hrsurvey year $(awk -v s="$n" '$1 == s && $2 == "http_year" {t = $3} END {print t}' "$RESULTS") s," \
      "raw GROUP BY year $(awk -v s="$n" '$1 == s && $2 == "raw_year" {t = $3} END {print t}' "$RESULTS") s," \
      "hrsurvey RSS $(($(rss_kib "$SERVER_PID") / 1024)) MiB" >&2
  done

  NOTES[$n]+="; hrsurvey peak RSS $(($(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status") / 1024)) MiB"
  kill -TERM "$SERVER_PID"
  server_status=0
  wait "$SERVER_PID" || server_status=$?
  SERVER_PID=""
  if [ "$server_status" != 0 ] || grep -qiE 'error|critical' "$DIR/server-$n.err"; then
    echo "run.sh: hrsurvey exited with $server_status; its log:" >&2
    cat "$DIR/server-$n.err" >&2
    exit 1
  fi
  unset HTTP SQL
done

# --- table ---------------------------------------------------------------------------------
ms() { thousands "$(awk -v t="$1" 'BEGIN {v = t * 1000; printf(v < 10 ? "%.1f ms" : "%.0f ms", v)}')"; }
times() { awk -v a="$1" -v b="$2" 'BEGIN {r = a / b; printf(r < 10 ? "%.2fx" : "%.0fx", r)}'; }
echo
echo "Reports over HTTP against sqlite3's GROUP BY, $(date -u +%Y-%m-%d), median of $ROUNDS" \
  "rounds ($STAFF staff, $DAYS days, seed $SEED, $(nproc) cores):"
echo
echo "| responses | query | hrsurvey (HTTP) | sqlite3, raw responses | raw / hrsurvey | sqlite3, ratings table | ratings / hrsurvey |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  for q in year week csv; do
    case $q in
      year) label="all-staff scorecard, year (JSON)"; period=year ;;
      week) label="all-staff scorecard, week (JSON)"; period=week ;;
      csv) label="all-staff scorecard, year (CSV)"; period=year ;;
    esac
    h=$(median "$n" "http_$q"); r=$(median "$n" "raw_$period"); t=$(median "$n" "ratings_$period")
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$(thousands "$n")" "$label" "$(ms "$h")" \
      "$(ms "$r")" "$(times "$r" "$h")" "$(ms "$t")" "$(times "$t" "$h")"
  done
done
echo
for n in $SIZES; do
  echo "$(thousands "$n") responses: the year is ${PERIOD[$n]}; ${NOTES[$n]}."
done
echo "Checked before timing (bench/report/compare.py):"
sed 's/^/- /' "$CHECKS"
echo "Command: \`SIZES=\"$SIZES\" ROUNDS=$ROUNDS bench/report/run.sh\`. hrsurvey: curl's time_total"
echo "for GET /api/v1/reports/staff and /staff.csv with a lead token; sqlite3: the query's"
echo "\`.timer\` real time (no process start), cache_size 256 MiB, -readonly, warm OS cache."
