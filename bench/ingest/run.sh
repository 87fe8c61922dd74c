#!/usr/bin/env bash
# HTTP ingest benchmark: wrk posts survey responses to the real server, each request
# with its own fresh invitation token, and the same wrk load (same script, same bodies,
# same duration) goes to nginx answering `return 201` on the same machine in the same
# run. Rounds alternate the targets; the table shows medians. Afterwards the store must
# hold every response that was acknowledged with 201 (and none that was never sent).
#
# Builds nothing: expects $BUILD/server/hrsurvey and $BUILD/bench/hrs_make_invitations
# (`make bench` builds them). Needs wrk, nginx, sqlite3, curl and python3
# (`make bench-deps`).
#
# Settings (environment): ROUNDS (3), DURATION (seconds per round, 10), WARMUP (seconds,
# 2), THREADS (2), CONNECTIONS (64), NGINX_WORKERS ("1 2"), RATE_CAP (the most
# responses/s the server could take; tokens are made for RATE_CAP x the time the server
# is loaded, 60000), BUILD (build/release), KEEP (1 keeps the temp dir).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build/release}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
NGINX_WORKERS=${NGINX_WORKERS:-"1 2"}
RATE_CAP=${RATE_CAP:-60000}
KEEP=${KEEP:-0}
HRSURVEY=$BUILD/server/hrsurvey
MAKER=$BUILD/bench/hrs_make_invitations
SCRIPT=$ROOT/bench/ingest/post_responses.lua

NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$NGINX" ] || { echo "run.sh: nginx is missing (make bench-deps)" >&2; exit 1; }
for tool in wrk sqlite3 curl python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (make bench-deps)" >&2; exit 1; }
done
for bin in "$HRSURVEY" "$MAKER"; do
  [ -x "$bin" ] || { echo "run.sh: $bin is missing (make build-release)" >&2; exit 1; }
done

DIR=$(mktemp -d "${TMPDIR:-/tmp}/hrs-ingest.XXXXXX")
SERVER_PID=""
NGINX_CONFS=()
cleanup() {
  local status=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  for conf in "${NGINX_CONFS[@]}"; do
    [ -f "$(dirname "$conf")/nginx.pid" ] && "$NGINX" -q -c "$conf" -p "$(dirname "$conf")" -s quit 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ] || [ $status -ne 0 ]; then
    echo "run.sh: files kept in $DIR" >&2
  else
    rm -rf "$DIR"
  fi
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# fsync_ms: the median time of 40 fdatasync calls of a 4 KiB write next to the store.
# Every 201 waits for one (group commit shares it), so with CONNECTIONS clients the
# rate cannot exceed about CONNECTIONS / this; other work on the same disk (builds)
# raises it tenfold at times, which explains many a slow run.
fsync_ms() {
  python3 - "$DIR/fsync-probe" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600)
times = []
for i in range(40):
    os.pwrite(fd, b"x" * 4096, i * 4096)
    start = time.perf_counter()
    os.fdatasync(fd)
    times.append(time.perf_counter() - start)
os.close(fd)
os.unlink(sys.argv[1])
print("%.2f" % (sorted(times)[len(times) // 2] * 1000))
PY
}

# --- tokens: one slice per server round, the warm-up included --------------------------
PER_ROUND=$((RATE_CAP * DURATION))
WARMUP_TOKENS=$((RATE_CAP * WARMUP))
TOTAL=$((WARMUP_TOKENS + ROUNDS * PER_ROUND))
DB=$DIR/bench.db
TOKENS=$DIR/tokens.txt
echo "making $TOTAL invitations (RATE_CAP=$RATE_CAP/s x $((WARMUP + ROUNDS * DURATION)) s)..." >&2
"$MAKER" --db "$DB" --tokens "$TOKENS" --count "$TOTAL"

# --- hrsurvey ---------------------------------------------------------------------------
mkfifo "$DIR/server.fifo"
exec 3<>"$DIR/server.fifo"
# The public rate limit is off: all the load comes from 127.0.0.1, far over what one
# address may send by default. CONNECTIONS stays under --max-connections-per-address (256).
"$HRSURVEY" serve --listen 127.0.0.1:0 --db "$DB" --log-level warn --rate-public-per-minute 0 \
  >"$DIR/server.fifo" 2>"$DIR/server.err" &
SERVER_PID=$!
if ! read -r -t 30 -u 3 first_line; then
  echo "run.sh: the server did not start:" >&2
  cat "$DIR/server.err" >&2
  exit 1
fi
SERVER_URL=$(sed -n 's/^hrsurvey listening on \(http:\/\/[^ ]*\).*/\1/p' <<<"$first_line")
[ -n "$SERVER_URL" ] || { echo "run.sh: unexpected first line: $first_line" >&2; exit 1; }
for _ in $(seq 50); do
  curl -fs "$SERVER_URL/healthz" >/dev/null && break
  sleep 0.1
done
curl -fs "$SERVER_URL/healthz" >/dev/null || { echo "run.sh: $SERVER_URL/healthz fails" >&2; exit 1; }
echo "$first_line" >&2

# --- nginx, one instance per worker count -----------------------------------------------
declare -A NGINX_URL
for workers in $NGINX_WORKERS; do
  ndir=$DIR/nginx-$workers
  mkdir -p "$ndir/logs" "$ndir/tmp"
  port=$(free_port)
  cat >"$ndir/nginx.conf" <<EOF
worker_processes $workers;
pid $ndir/nginx.pid;
error_log $ndir/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $ndir/tmp/body;
  proxy_temp_path $ndir/tmp/proxy;
  fastcgi_temp_path $ndir/tmp/fastcgi;
  uwsgi_temp_path $ndir/tmp/uwsgi;
  scgi_temp_path $ndir/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    default_type application/json;
    location / { return 201 '{"id":1,"received_at":"2026-01-01T00:00:00Z"}'; }
  }
}
EOF
  "$NGINX" -q -e "$ndir/logs/error.log" -c "$ndir/nginx.conf" -p "$ndir"
  NGINX_CONFS+=("$ndir/nginx.conf")
  NGINX_URL[$workers]=http://127.0.0.1:$port
  for _ in $(seq 50); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "${NGINX_URL[$workers]}/")" = 201 ] && break
    sleep 0.1
  done
done

# --- rounds -------------------------------------------------------------------------------
# run_wrk LABEL URL SECONDS FIRST COUNT [reuse]: prints the "ingest:" line of wrk's
# output. nginx rounds reuse tokens (nginx ignores them) but send the same bodies.
run_wrk() {
  local label=$1 url=$2 seconds=$3 first=$4 count=$5 reuse=${6:-} out
  out=$DIR/wrk-$label.txt
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$SCRIPT" "$url" \
    -- "$TOKENS" "$first" "$count" "$THREADS" $reuse >"$out" 2>&1 || { cat "$out" >&2; return 1; }
  grep '^ingest: unexpected' "$out" >&2 || true
  grep '^ingest: requests=' "$out"
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" ${1#ingest: }"; }

RESULTS=$DIR/results.txt
: >"$RESULTS"
SENT=0
ACKED=0
INVALID=0
record() {  # record TARGET ROUND LINE
  local target=$1 round=$2 line=$3
  local rps p50 p99 ok other ran_out conn rd wr tmo
  rps=$(field "$line" rps); p50=$(field "$line" p50_us); p99=$(field "$line" p99_us)
  ok=$(field "$line" status201); other=$(field "$line" other)
  ran_out=$(field "$line" exhausted_threads); conn=$(field "$line" connect)
  rd=$(field "$line" read); wr=$(field "$line" write); tmo=$(field "$line" timeout)
  local note=""
  [ "$other" != 0 ] && note+=" ${other} non-201"
  [ "$ran_out" != 0 ] && note+=" ran out of tokens (raise RATE_CAP)"
  [ "$conn$rd$wr$tmo" != 0000 ] && note+=" socket errors connect=$conn read=$rd write=$wr timeout=$tmo"
  [ -n "$note" ] && { INVALID=1; echo "run.sh: $target round $round invalid:$note" >&2; }
  echo "$target $round $rps $p50 $p99" >>"$RESULTS"
  printf 'round %s %-16s %10.0f req/s  p50 %6.2f ms  p99 %6.2f ms  201s %s%s\n' "$round" "$target" \
    "$rps" "$(awk "BEGIN {print $p50 / 1000}")" "$(awk "BEGIN {print $p99 / 1000}")" "$ok" "$note" >&2
}

server_round() {  # server_round ROUND SECONDS FIRST COUNT
  local line
  line=$(run_wrk "hrsurvey-$1" "$SERVER_URL" "$2" "$3" "$4")
  ACKED=$((ACKED + $(field "$line" status201)))
  # Every token of the slice that a thread took may have reached the server; at most
  # CONNECTIONS requests were in flight when wrk stopped.
  SENT=$((SENT + $(field "$line" requests) + CONNECTIONS))
  [ "$1" = warmup ] || record hrsurvey "$1" "$line"
}

echo "warm-up: $WARMUP s each" >&2
server_round warmup "$WARMUP" 0 "$WARMUP_TOKENS"
for workers in $NGINX_WORKERS; do
  run_wrk "nginx-$workers-warmup" "${NGINX_URL[$workers]}" "$WARMUP" 0 "$WARMUP_TOKENS" reuse >/dev/null
done
RSS_START=$(rss_kib "$SERVER_PID")
FSYNC_START=$(fsync_ms)
for round in $(seq "$ROUNDS"); do
  first=$((WARMUP_TOKENS + (round - 1) * PER_ROUND))
  # Alternate which target goes first so that drift hurts both alike.
  if [ $((round % 2)) = 1 ]; then
    server_round "$round" "$DURATION" "$first" "$PER_ROUND"
  fi
  for workers in $NGINX_WORKERS; do
    line=$(run_wrk "nginx-$workers-$round" "${NGINX_URL[$workers]}" "$DURATION" 0 "$PER_ROUND" reuse)
    record "nginx-${workers}w" "$round" "$line"
  done
  if [ $((round % 2)) = 0 ]; then
    server_round "$round" "$DURATION" "$first" "$PER_ROUND"
  fi
  echo "  hrsurvey RSS $(($(rss_kib "$SERVER_PID") / 1024)) MiB" >&2
done
RSS_END=$(rss_kib "$SERVER_PID")
FSYNC_END=$(fsync_ms)

# --- stop, then the durability check ---------------------------------------------------
kill -TERM "$SERVER_PID"
server_status=0
wait "$SERVER_PID" || server_status=$?
SERVER_PID=""
for conf in "${NGINX_CONFS[@]}"; do
  "$NGINX" -q -c "$conf" -p "$(dirname "$conf")" -s quit 2>/dev/null
done
NGINX_CONFS=()
if [ "$server_status" != 0 ] || grep -qiE 'error|critical' "$DIR/server.err"; then
  INVALID=1
  echo "run.sh: hrsurvey exited with $server_status; its log:" >&2
  cat "$DIR/server.err" >&2
fi
STORED=$(sqlite3 "$DB" 'SELECT count(*) FROM responses')
if [ "$STORED" -ge "$ACKED" ] && [ "$STORED" -le "$SENT" ]; then
  durability="ok: $STORED responses stored, $ACKED acknowledged with 201 (the other $((STORED - ACKED)) were in flight when wrk stopped)"
else
  durability="FAILED: $STORED responses stored, $ACKED acknowledged with 201, at most $SENT sent"
  INVALID=1
fi

# --- table ---------------------------------------------------------------------------------
median() {  # median TARGET COLUMN
  awk -v t="$1" -v c="$2" '$1 == t {print $c}' "$RESULTS" | sort -g |
    awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
ms() { awk "BEGIN {printf \"%.2f\", $1 / 1000}"; }
server_rps=$(median hrsurvey 3)
echo
echo "HTTP ingest, $(date -u +%Y-%m-%d), median of $ROUNDS rounds of ${DURATION} s" \
  "(wrk -t$THREADS -c$CONNECTIONS, $(nproc) cores):"
echo
echo "| target | requests/s | hrsurvey vs this | p50 ms | p99 ms |"
echo "|---|---:|---:|---:|---:|"
for target in hrsurvey $(for w in $NGINX_WORKERS; do echo "nginx-${w}w"; done); do
  rps=$(median "$target" 3)
  case $target in
    hrsurvey) label="hrsurvey, POST /api/v1/responses (fresh token each)" ;;
    *) workers=${target#nginx-}; label="nginx \`return 201\`, worker_processes ${workers%w}" ;;
  esac
  printf '| %s | %.0f | %.2fx | %s | %s |\n' "$label" "$rps" \
    "$(awk "BEGIN {print $server_rps / $rps}")" "$(ms "$(median "$target" 4)")" \
    "$(ms "$(median "$target" 5)")"
done
echo
echo "Command: \`ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP RATE_CAP=$RATE_CAP bench/ingest/run.sh\`;"
echo "each round: \`wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -s bench/ingest/post_responses.lua URL -- TOKENS FIRST $PER_ROUND $THREADS\` (nginx: the same plus \`reuse\`)."
echo "Durability $durability."
echo "hrsurvey RSS $((RSS_START / 1024)) MiB after the warm-up, $((RSS_END / 1024)) MiB after the last round."
echo "fdatasync of 4 KiB on the store's disk: median $FSYNC_START ms before the rounds, $FSYNC_END ms after;" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)."
[ "$INVALID" = 0 ] || { echo "run.sh: the run is INVALID (see above)" >&2; exit 1; }
