#!/usr/bin/env bash
# Soak: mixed traffic against the release build serving a demo store for DURATION
# seconds (10 minutes by default), sampling the server's RSS and open fds, then a clean
# SIGTERM. bench/soak/driver.py sends the traffic: responses through the API and the
# form pages (each after creating its invitation), the campaign form, reports through
# the API and the dashboard read by a signed-in lead who signs out and in again now and
# then.
#
# Fails (exit 1) if any request got an unexpected status, if the store does not hold
# exactly the responses acknowledged, if the server does not stop cleanly, or if memory
# or open fds keep growing. Memory is judged without SQLite's page caches: they are
# meant to grow with the store (the writer keeps the pages it touches, up to 256 MiB;
# each reader, up to 64 MiB, refills its cache whenever the store has changed), so RSS
# alone cannot tell them from a leak. Nor can it without the heap that the C library
# keeps after free() for reuse: as the caches grow, so does the heap's top and the free
# space below it. The server shows both on /metrics (hrsurvey_sqlite_cache_bytes,
# hrsurvey_heap_bytes{state="free"}), sampled with the RSS. What is left, RSS minus
# the page caches minus the free heap, is the server's own memory (code, thread stacks,
# connections, sessions, rate-limit buckets, parsed templates, metrics, SQLite's
# statements and schema): its median over the last third of the samples may exceed the
# second third's by at most TOLERANCE_PCT percent. The first third is left out: that is
# where per-thread state warms up. Fds: the last third's most may exceed the second
# third's by at most one a client.
#
# Builds nothing: expects $BUILD/server/hrsurvey (`make build-release`). Needs python3
# and sqlite3.
#
# Settings (environment): DURATION (seconds, 600), WORKERS (client threads, 8), SAMPLE
# (seconds between samples, 5), RESPONSES (demo responses, 20000), TOLERANCE_PCT (5),
# LOG_LEVEL (of the server, warn), BUILD (build/release), OUT
# (where samples.csv and summary.json go; default a temp dir, kept), KEEP (1 keeps the
# store), DRIVER_ARGS (more options for driver.py, e.g. "--weight-api 0 --weight-form 0"
# for reads only).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build/release}
DURATION=${DURATION:-600}
WORKERS=${WORKERS:-8}
SAMPLE=${SAMPLE:-5}
RESPONSES=${RESPONSES:-20000}
TOLERANCE_PCT=${TOLERANCE_PCT:-5}
LOG_LEVEL=${LOG_LEVEL:-warn}
KEEP=${KEEP:-0}
HRSURVEY=$BUILD/server/hrsurvey

for tool in python3 sqlite3; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is missing" >&2; exit 1; }
done
[ -x "$HRSURVEY" ] || { echo "soak: $HRSURVEY is missing (make build-release)" >&2; exit 1; }

DIR=$(mktemp -d "${TMPDIR:-/tmp}/hrs-soak.XXXXXX")
OUT=${OUT:-$DIR}
mkdir -p "$OUT"
SERVER_PID=""
cleanup() {
  local status=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$KEEP" = 1 ] || [ $status -ne 0 ]; then
    echo "soak: files kept in $DIR" >&2
  else
    rm -f "$DIR"/soak.db*
  fi
}
trap cleanup EXIT

DB=$DIR/soak.db
"$HRSURVEY" demo --db "$DB" --responses "$RESPONSES" >/dev/null
LEAD=$("$HRSURVEY" token create --role lead --label soak --db "$DB" 2>/dev/null)
INTEGRATION=$("$HRSURVEY" token create --role integration --label soak --db "$DB" 2>/dev/null)
STAFF=$("$HRSURVEY" staff list --db "$DB" | awk '{print $1}' | paste -sd, -)
BEFORE=$(sqlite3 "$DB" "SELECT count(*) FROM responses")

mkfifo "$DIR/server.fifo"
exec 3<>"$DIR/server.fifo"
# The public rate limit is off: every client is 127.0.0.1, and together they send far
# more survey traffic than one address may by default (429s would count as errors).
"$HRSURVEY" serve --listen 127.0.0.1:0 --db "$DB" --log-level "$LOG_LEVEL" \
  --rate-public-per-minute 0 >"$DIR/server.fifo" 2>"$DIR/server.err" &
SERVER_PID=$!
if ! read -r -t 30 -u 3 first_line; then
  echo "soak: the server did not start:" >&2
  cat "$DIR/server.err" >&2
  exit 1
fi
URL=$(sed -n 's/^hrsurvey listening on \(http:\/\/[^ ]*\).*/\1/p' <<<"$first_line")
[ -n "$URL" ] || { echo "soak: unexpected first line: $first_line" >&2; exit 1; }
echo "$first_line" >&2
echo "soak: $DURATION s, $WORKERS clients, samples every $SAMPLE s in $OUT/samples.csv" >&2

status=0
python3 bench/soak/driver.py --url "$URL" --pid "$SERVER_PID" --db "$DB" \
  --lead-token "$LEAD" --integration-token "$INTEGRATION" --staff "$STAFF" \
  ${DRIVER_ARGS:-} \
  --duration "$DURATION" --workers "$WORKERS" --sample "$SAMPLE" \
  --samples-csv "$OUT/samples.csv" >"$OUT/summary.json" || status=1
cat "$OUT/summary.json"

kill -TERM "$SERVER_PID"
server_status=0
wait "$SERVER_PID" || server_status=$?
SERVER_PID=""
if [ "$server_status" -ne 0 ]; then
  echo "soak: the server exited $server_status after SIGTERM:" >&2
  tail -20 "$DIR/server.err" >&2
  status=1
fi

# Every acknowledged response (201 from the API, 303 from the form) is in the store.
AFTER=$(sqlite3 "$DB" "SELECT count(*) FROM responses")
python3 - "$OUT/summary.json" "$BEFORE" "$AFTER" <<'PY' || status=1
import json, sys
summary = json.load(open(sys.argv[1]))
sent = summary["requests"].get("POST /api/v1/responses", 0) + \
    summary["requests"].get("POST /s/{token}", 0)
stored = int(sys.argv[3]) - int(sys.argv[2])
print(f"soak: responses acknowledged {sent}, stored {stored}")
if summary["errors"] == 0 and sent != stored:
    sys.exit("soak: the store does not hold exactly the acknowledged responses")
PY

# Memory: the last third's median of the server's own memory against the second third's.
python3 - "$OUT/samples.csv" "$TOLERANCE_PCT" "$WORKERS" <<'PY' || status=1
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
tolerance = float(sys.argv[2]) / 100
workers = int(sys.argv[3])
if len(rows) < 9:
    sys.exit(f"soak: only {len(rows)} samples; run longer (DURATION) or sample more often")
for r in rows:
    r["own_kib"] = int(r["rss_kib"]) - int(r["cache_kib"]) - int(r["heap_free_kib"])
third = len(rows) // 3
second, last = rows[third:2 * third], rows[2 * third:]
def median(part, key):
    return statistics.median(int(r[key]) for r in part)
def mib(kib):
    return f"{int(kib) / 1024:.1f}"
own2, own3 = median(second, "own_kib"), median(last, "own_kib")
allowed = own2 * (1 + tolerance)
print("elapsed_s  rss_MiB  caches_MiB  heap_free_MiB  own_MiB  open_fds  store_MiB  requests")
step = max(1, len(rows) // 20)
for r in rows[::step] + ([rows[-1]] if (len(rows) - 1) % step else []):
    print(f"{r['elapsed_s']:>9}  {mib(r['rss_kib']):>7}  {mib(r['cache_kib']):>10}  "
          f"{mib(r['heap_free_kib']):>13}  {mib(r['own_kib']):>7}  {r['open_fds']:>8}  "
          f"{mib(r['store_kib']):>9}  {r['requests']:>8}")
fds = [int(r["open_fds"]) for r in rows]
print("soak: medians, second third then last third (MiB): RSS "
      f"{mib(median(second, 'rss_kib'))} then {mib(median(last, 'rss_kib'))}; page caches "
      f"{mib(median(second, 'cache_kib'))} then {mib(median(last, 'cache_kib'))}; free heap "
      f"{mib(median(second, 'heap_free_kib'))} then {mib(median(last, 'heap_free_kib'))}; "
      f"the server's own {mib(own2)} then {mib(own3)}, allowed {mib(allowed)} "
      f"(+{tolerance:.0%}); open fds {min(fds)}..{max(fds)}")
if own3 > allowed:
    sys.exit("soak: memory keeps growing")
# Open fds: the store's files, the listener and one socket a client; a client that
# reconnects may hold two for a moment.
fds2 = max(int(r["open_fds"]) for r in second)
fds3 = max(int(r["open_fds"]) for r in last)
if fds3 > fds2 + workers:
    sys.exit(f"soak: open fds keep growing ({fds2} then {fds3})")
PY

[ "$status" -eq 0 ] && echo "soak: passed" >&2 || echo "soak: FAILED" >&2
exit "$status"
