#!/usr/bin/env bash
# Measures what one ingested response costs the server, to compare builds on a shared,
# noisy machine where requests/s move with the neighbours' load. For each build in
# BINARIES (alternating, ROUNDS times) it serves a fresh copy of one store, warms up,
# then loads it with wrk (the same script as run.sh) while measuring only the server:
#
#   MODE=cpu       perf stat --per-thread: CPU microseconds and context switches per
#                  acknowledged response, in total and per thread kind (hrs-io, the main
#                  thread and hrs-writer), the rate, wrk's p50/p99 latency and the
#                  writer's mean group size.
#                  Medians over the rounds.
#   MODE=callgrind valgrind --tool=callgrind: instructions per acknowledged response
#                  (deterministic; one round is enough). Kernel time is not counted.
#
# Usage: MODE=cpu BINARIES="old/hrsurvey build/release/server/hrsurvey" bench/ingest/profile.sh
# Settings (environment): MODE (cpu), BINARIES (build/release/server/hrsurvey), ROUNDS (3),
# DURATION (seconds, 5), WARMUP (seconds, 2), CONNECTIONS (64), THREADS (2),
# TOKENS_PER_RUN (400000), BUILD (build/release), KEEP (1 keeps the temp dir).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
MODE=${MODE:-cpu}
BUILD=${BUILD:-build/release}
BINARIES=${BINARIES:-$BUILD/server/hrsurvey}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
TOKENS_PER_RUN=${TOKENS_PER_RUN:-400000}
KEEP=${KEEP:-0}
MAKER=$BUILD/bench/hrs_make_invitations
SCRIPT=$ROOT/bench/ingest/post_responses.lua

case $MODE in
  cpu) command -v perf >/dev/null || { echo "profile.sh: perf is missing (linux-perf)" >&2; exit 1; } ;;
  callgrind) command -v valgrind >/dev/null || { echo "profile.sh: valgrind is missing" >&2; exit 1; } ;;
  *) echo "profile.sh: MODE is cpu or callgrind" >&2; exit 1 ;;
esac

DIR=$(mktemp -d "${TMPDIR:-/tmp}/hrs-profile.XXXXXX")
SERVER_PID=""
cleanup() {
  local status=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$KEEP" = 1 ] || [ $status -ne 0 ]; then
    echo "profile.sh: files kept in $DIR" >&2
  else
    rm -rf "$DIR"
  fi
}
trap cleanup EXIT

echo "making $TOKENS_PER_RUN invitations..." >&2
"$MAKER" --db "$DIR/fresh.db" --tokens "$DIR/tokens.txt" --count "$TOKENS_PER_RUN" >/dev/null
# /metrics needs a token; the writer's group sizes come from there.
ADMIN=$("${BINARIES%% *}" token create --role admin --label profile --db "$DIR/fresh.db")

# start_server BINARY: serves a fresh copy of the store; sets SERVER_PID and SERVER_URL.
start_server() {
  local bin=$1 fifo=$DIR/server.fifo
  rm -f "$DIR/run.db" "$DIR/run.db-wal" "$DIR/run.db-shm" "$fifo"
  cp "$DIR/fresh.db" "$DIR/run.db"
  [ -f "$DIR/fresh.db-wal" ] && cp "$DIR/fresh.db-wal" "$DIR/run.db-wal"
  mkfifo "$fifo"
  exec 3<>"$fifo"
  local prefix=()
  if [ "$MODE" = callgrind ]; then
    prefix=(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$DIR/callgrind.out"
            --separate-threads=no)
  fi
  # The public rate limit is off: all the load comes from one address.
  "${prefix[@]}" "$bin" serve --listen 127.0.0.1:0 --db "$DIR/run.db" --log-level warn --rate-public-per-minute 0 \
    >"$fifo" 2>"$DIR/server.err" &
  SERVER_PID=$!
  local first_line
  read -r -t 120 -u 3 first_line || { cat "$DIR/server.err" >&2; exit 1; }
  SERVER_URL=$(sed -n 's/^hrsurvey listening on \(http:\/\/[^ ]*\).*/\1/p' <<<"$first_line")
  [ -n "$SERVER_URL" ] || { echo "profile.sh: unexpected first line: $first_line" >&2; exit 1; }
}

stop_server() {
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || { echo "profile.sh: the server failed:" >&2; cat "$DIR/server.err" >&2; exit 1; }
  SERVER_PID=""
}

# writer_totals: prints "groups writes" so far, from /metrics.
writer_totals() {
  curl -fs -H "Authorization: Bearer $ADMIN" "$SERVER_URL/metrics" |
    awk '$1 == "hrsurvey_writer_groups_total" {g = $2} $1 == "hrsurvey_writer_writes_total" {w = $2}
         END {printf "%d %d\n", g, w}'
}

# load SECONDS FIRST COUNT: prints the number of 201s.
load() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1s" -s "$SCRIPT" "$SERVER_URL" \
    -- "$DIR/tokens.txt" "$2" "$3" "$THREADS" >"$DIR/wrk.txt" 2>&1 || { cat "$DIR/wrk.txt" >&2; exit 1; }
  grep -q ' other=0 ' "$DIR/wrk.txt" || { cat "$DIR/wrk.txt" >&2; exit 1; }
  sed -n 's/.* status201=\([0-9]*\).*/\1/p' "$DIR/wrk.txt"
}

# The warm-up takes the first half of the tokens, the measured window the second half.
HALF=$((TOKENS_PER_RUN / 2))

# cpu_round BINARY: prints "total_us io_us writer_us switches acked group" per
# acknowledged response (group: the writer's mean group size in the measured window).
cpu_round() {
  start_server "$1"
  load "$WARMUP" 0 "$HALF" >/dev/null
  local before after
  before=$(writer_totals)
  perf stat --per-thread -x, -e task-clock,context-switches -p "$SERVER_PID" \
    -o "$DIR/perf.txt" &
  local perf_pid=$!
  sleep 0.2
  local acked
  acked=$(load "$DURATION" "$HALF" "$HALF")
  kill -INT "$perf_pid"
  wait "$perf_pid" || true
  after=$(writer_totals)
  stop_server
  local group p50 p99
  group=$(awk -v b="$before" -v a="$after" 'BEGIN {split(b, x); split(a, y);
    printf "%.1f", (y[2] - x[2]) / (y[1] - x[1])}')
  p50=$(sed -n 's/.* p50_us=\([0-9]*\).*/\1/p' "$DIR/wrk.txt")
  p99=$(sed -n 's/.* p99_us=\([0-9]*\).*/\1/p' "$DIR/wrk.txt")
  # Lines: "name-tid,value,unit,event,...". The writer is hrs-writer; everything else
  # that runs is an I/O thread (hrs-io and the main thread).
  awk -F, -v n="$acked" '
    $4 == "task-clock" { ms[$1 ~ /^hrs-writer/ ? "w" : "io"] += $2 }
    $4 == "context-switches" { cs += $2 }
    END { printf "%.2f %.2f %.2f %.2f %d %s %s %s\n", (ms["io"] + ms["w"]) * 1000 / n,
          ms["io"] * 1000 / n, ms["w"] * 1000 / n, cs / n, n, g, p50, p99 }' \
    g="$group" p50="$p50" p99="$p99" "$DIR/perf.txt"
}

callgrind_round() {
  start_server "$1"
  load "$WARMUP" 0 "$HALF" >/dev/null
  callgrind_control -i on "$SERVER_PID" >/dev/null 2>&1
  local acked
  acked=$(load "$DURATION" "$HALF" "$HALF")
  callgrind_control -i off "$SERVER_PID" >/dev/null 2>&1
  callgrind_control -d "$SERVER_PID" >/dev/null 2>&1
  stop_server
  # The dump of the measured window; the one written at exit counts nothing.
  local out=$DIR/callgrind.out.1 ir
  ir=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  echo "$ir $acked"
  mv "$out" "$DIR/last.callgrind"
  rm -f "$DIR"/callgrind.out*
}

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

RESULTS=$DIR/results.txt
: >"$RESULTS"
for round in $(seq "$ROUNDS"); do
  for bin in $BINARIES; do
    if [ "$MODE" = cpu ]; then
      line=$(cpu_round "$bin")
      echo "$bin $line" >>"$RESULTS"
      read -r total io writer cs acked group p50 p99 <<<"$line"
      printf 'round %s %-24s %5.1f us/response (io %5.1f, writer %5.1f) %4.2f switches %6.0f/s, groups of %5s, p50/p99 %s/%s ms\n' \
        "$round" "$bin" "$total" "$io" "$writer" "$cs" "$(awk "BEGIN {print $acked / $DURATION}")" \
        "$group" "$(awk "BEGIN {print $p50 / 1000}")" "$(awk "BEGIN {print $p99 / 1000}")" >&2
    else
      read -r ir acked <<<"$(callgrind_round "$bin")"
      echo "$bin $((ir / acked)) $acked" >>"$RESULTS"
      printf 'round %s %-40s %9d instructions/response (%s acked)\n' "$round" "$bin" \
        "$((ir / acked))" "$acked" >&2
      [ "$KEEP" = 1 ] && cp "$DIR/last.callgrind" "$DIR/$(basename "$(dirname "$bin")")-$round.callgrind"
    fi
  done
done

echo
for bin in $BINARIES; do
  if [ "$MODE" = cpu ]; then
    printf '%-24s median %5.1f us/response (io %5.1f, writer %5.1f), %4.2f switches, %6.0f/s, groups of %5s, p50/p99 %s/%s ms\n' \
      "$bin" \
      "$(awk -v b="$bin" '$1 == b {print $2}' "$RESULTS" | median)" \
      "$(awk -v b="$bin" '$1 == b {print $3}' "$RESULTS" | median)" \
      "$(awk -v b="$bin" '$1 == b {print $4}' "$RESULTS" | median)" \
      "$(awk -v b="$bin" '$1 == b {print $5}' "$RESULTS" | median)" \
      "$(awk -v b="$bin" -v d="$DURATION" '$1 == b {print $6 / d}' "$RESULTS" | median)" \
      "$(awk -v b="$bin" '$1 == b {print $7}' "$RESULTS" | median)" \
      "$(awk -v b="$bin" '$1 == b {print $8 / 1000}' "$RESULTS" | median)" \
      "$(awk -v b="$bin" '$1 == b {print $9 / 1000}' "$RESULTS" | median)"
  else
    printf '%-40s median %9.0f instructions/response\n' "$bin" \
      "$(awk -v b="$bin" '$1 == b {print $2}' "$RESULTS" | median)"
  fi
done
