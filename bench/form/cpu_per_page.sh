#!/usr/bin/env bash
# Compares builds of the server on what one survey form page (GET /s/{token}) costs it,
# where pages/s are too noisy to on a shared machine: for each build in BINARIES, in
# alternating rounds, it serves a copy of one store, loads it with GETs alone (the wrk
# script of run.sh) after a warm-up, and divides the CPU time the server spent (user +
# system, from /proc) by the pages it answered. Prints each round, then medians.
#
# Usage: BINARIES="old/hrsurvey build/release/server/hrsurvey" bench/form/cpu_per_page.sh
# Settings (environment): BINARIES (build/release/server/hrsurvey), ROUNDS (3), DURATION
# (seconds, 5), WARMUP (seconds, 2), USERS (16), TOKENS (5000), BUILD (build/release),
# KEEP (1 keeps the temp dir).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build/release}
BINARIES=${BINARIES:-$BUILD/server/hrsurvey}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-2}
USERS=${USERS:-16}
TOKENS=${TOKENS:-5000}
KEEP=${KEEP:-0}
MAKER=$BUILD/bench/hrs_make_invitations
SCRIPT=$ROOT/bench/form/submit_forms.lua

BENCH_NAME=cpu_per_page.sh
# shellcheck source=../lib/http_bench.sh
source "$ROOT/bench/lib/http_bench.sh"
bench_require_tools wrk sqlite3 curl python3
# shellcheck disable=SC2086
bench_require_binaries "$MAKER" $BINARIES
bench_make_dir form-cpu

"$MAKER" --db "$DIR/fresh.db" --tokens "$DIR/tokens.txt" --count "$TOKENS" >&2
# One file to copy: the tokens may still be in the WAL.
sqlite3 "$DIR/fresh.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# gets SECONDS: GETs alone; prints the pages answered with 200, fails on anything else.
gets() {
  wrk -t"$USERS" -c"$USERS" -d"$1s" -s "$SCRIPT" "$SERVER_URL" \
    -- "$DIR/tokens.txt" 0 "$TOKENS" "$USERS" get reuse >"$DIR/wrk.txt" 2>&1 ||
    { cat "$DIR/wrk.txt" >&2; exit 1; }
  grep -q ' other=0 ' "$DIR/wrk.txt" || { cat "$DIR/wrk.txt" >&2; exit 1; }
  sed -n 's/.* gets200=\([0-9]*\).*/\1/p' "$DIR/wrk.txt"
}

HZ=$(getconf CLK_TCK)
RESULTS=$DIR/results.txt
: >"$RESULTS"
for round in $(seq "$ROUNDS"); do
  for bin in $BINARIES; do
    rm -f "$DIR"/run.db* "$DIR/server.fifo"
    cp "$DIR/fresh.db" "$DIR/run.db"
    start_hrsurvey "$bin" "$DIR/run.db" 2>/dev/null
    gets "$WARMUP" >/dev/null
    before=$(cpu_ticks "$SERVER_PID")
    pages=$(gets "$DURATION")
    after=$(cpu_ticks "$SERVER_PID")
    stop_hrsurvey
    us=$(awk -v t=$((after - before)) -v hz="$HZ" -v n="$pages" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
    echo "$bin $us $pages" >>"$RESULTS"
    printf 'round %s %-40s %7.1f CPU us/page  %7.0f pages/s\n' "$round" "$bin" "$us" \
      "$(awk -v n="$pages" -v d="$DURATION" 'BEGIN {print n / d}')" >&2
  done
done
echo
for bin in $BINARIES; do
  printf '%-40s median %7.1f CPU us/page, %7.0f pages/s\n' "$bin" \
    "$(awk -v b="$bin" '$1 == b {print $2}' "$RESULTS" | median)" \
    "$(awk -v b="$bin" -v d="$DURATION" '$1 == b {print $3 / d}' "$RESULTS" | median)"
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
