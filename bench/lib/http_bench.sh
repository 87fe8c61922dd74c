# Start-up shared by the HTTP benchmarks (bench/ingest/run.sh, bench/form/run.sh):
# sourced, not run. It checks the tools, makes the temp dir and its clean-up, starts
# `hrsurvey serve` and nginx instances on free loopback ports, and measures what the
# summaries print beside the figures (fdatasync latency, RSS).
#
# The sourcing script sets BENCH_NAME (the prefix of its messages and temp dir) and KEEP
# (1 keeps the temp dir) first. Globals set here: DIR, SERVER_PID, SERVER_URL, NGINX_URL
# (of the last start_nginx), NGINX_CONFS.

bench_say() { echo "$BENCH_NAME: $*" >&2; }

# bench_require_tools TOOL...: fails unless each command exists; nginx may also be in
# /usr/sbin, as Debian installs it (NGINX overrides).
bench_require_tools() {
  local tool
  for tool in "$@"; do
    if [ "$tool" = nginx ]; then
      NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
      [ -x "$NGINX" ] || { bench_say "nginx is missing (make bench-deps)"; exit 1; }
    else
      command -v "$tool" >/dev/null || { bench_say "$tool is missing (make bench-deps)"; exit 1; }
    fi
  done
}

# bench_require_binaries FILE...: fails unless each built binary exists.
bench_require_binaries() {
  local bin
  for bin in "$@"; do
    [ -x "$bin" ] || { bench_say "$bin is missing (make build-release)"; exit 1; }
  done
}

SERVER_PID=""
NGINX_CONFS=()

stop_nginx_all() {
  local conf
  for conf in "${NGINX_CONFS[@]}"; do
    [ -f "$(dirname "$conf")/nginx.pid" ] &&
      "$NGINX" -q -c "$conf" -p "$(dirname "$conf")" -s quit 2>/dev/null || true
  done
  NGINX_CONFS=()
}

bench_cleanup() {
  local status=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  stop_nginx_all
  if [ "$KEEP" = 1 ] || [ $status -ne 0 ]; then
    bench_say "files kept in $DIR"
  else
    rm -rf "$DIR"
  fi
}

# bench_make_dir NAME: the run's temp dir in DIR (hrs-NAME.*), removed on exit unless
# KEEP=1 or the run fails.
bench_make_dir() {
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/hrs-$1.XXXXXX")
  trap bench_cleanup EXIT
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# fsync_ms: the median time of 40 fdatasync calls of a 4 KiB write in DIR, beside the
# store. Every acknowledged write waits for one (group commit shares it), so with N
# clients the rate cannot exceed about N / this; other work on the same disk (builds)
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

# median: the median of the numbers on stdin, one a line.
median() {
  sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# start_hrsurvey BINARY DB: `BINARY serve` on a free loopback port, answering /healthz;
# sets SERVER_PID and SERVER_URL. Its stderr goes to $DIR/server.err.
start_hrsurvey() {
  local bin=$1 db=$2 first_line
  mkfifo "$DIR/server.fifo"
  exec 3<>"$DIR/server.fifo"
  # The public rate limit is off: all the load comes from 127.0.0.1, far over what one
  # address may send by default. Connections stay under --max-connections-per-address.
  "$bin" serve --listen 127.0.0.1:0 --db "$db" --log-level warn --rate-public-per-minute 0 \
    >"$DIR/server.fifo" 2>"$DIR/server.err" &
  SERVER_PID=$!
  if ! read -r -t 30 -u 3 first_line; then
    bench_say "the server did not start:"
    cat "$DIR/server.err" >&2
    exit 1
  fi
  SERVER_URL=$(sed -n 's/^hrsurvey listening on \(http:\/\/[^ ]*\).*/\1/p' <<<"$first_line")
  [ -n "$SERVER_URL" ] || { bench_say "unexpected first line: $first_line"; exit 1; }
  local _
  for _ in $(seq 50); do
    curl -fs "$SERVER_URL/healthz" >/dev/null && break
    sleep 0.1
  done
  curl -fs "$SERVER_URL/healthz" >/dev/null || { bench_say "$SERVER_URL/healthz fails"; exit 1; }
  echo "$first_line" >&2
}

# stop_hrsurvey: SIGTERM, then the exit status. Returns 1, after printing the server's
# log, when it exited non-zero or logged an error.
stop_hrsurvey() {
  local status=0
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || status=$?
  SERVER_PID=""
  if [ "$status" != 0 ] || grep -qiE 'error|critical' "$DIR/server.err"; then
    bench_say "hrsurvey exited with $status; its log:"
    cat "$DIR/server.err" >&2
    return 1
  fi
}

# start_nginx NAME WORKERS SERVER_DIRECTIVES: an nginx with WORKERS worker processes,
# no access log and unlimited keep-alive requests, whose one server block on a free
# loopback port holds SERVER_DIRECTIVES (`location` blocks and the like; $NGINX_DIR in
# them is its own folder). Sets NGINX_URL once it answers.
start_nginx() {
  local name=$1 workers=$2 directives=$3
  local ndir=$DIR/nginx-$name port _
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
${directives//\$NGINX_DIR/$ndir}
  }
}
EOF
  "$NGINX" -q -e "$ndir/logs/error.log" -c "$ndir/nginx.conf" -p "$ndir"
  NGINX_CONFS+=("$ndir/nginx.conf")
  NGINX_URL=http://127.0.0.1:$port
  for _ in $(seq 50); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$NGINX_URL/")" != 000 ] && return 0
    sleep 0.1
  done
  bench_say "nginx $name does not answer on $NGINX_URL:"
  cat "$ndir/logs/error.log" >&2
  exit 1
}
