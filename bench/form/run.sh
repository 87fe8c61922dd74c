#!/usr/bin/env bash
# Survey form page benchmark: employees answering their invitation in the browser. wrk
# virtual users GET the form page /s/{token}, each with its own fresh invitation token,
# then POST the urlencoded form to it and expect 303 to the thank-you page; a completed
# pair is one submission. In the same run, the same script loads nginx serving a static
# copy of the rendered page (same bytes, same page headers) for the GET and `return 303`
# for the POST. Then both again with GETs alone. Rounds alternate which target goes
# first; the table shows medians. Afterwards the store must hold at least every response
# acknowledged with 303 (and no more than were sent).
#
# Builds nothing: expects $BUILD/server/hrsurvey and $BUILD/bench/hrs_make_invitations
# (`make bench-form` builds them). Needs wrk, nginx, sqlite3, curl and python3
# (`make bench-deps`).
#
# Settings (environment): ROUNDS (3), DURATION (seconds per round, 8), WARMUP (seconds,
# 2), USERS (virtual users: wrk threads, one connection each; 64), NGINX_WORKERS ("1 2"),
# RATE_CAP (the most submissions/s the server could take; tokens are made for RATE_CAP x
# the time the server takes submissions, 15000), GET_TOKENS (tokens the GET-only rounds
# cycle through, never answered; 20000), BUILD (build/release), KEEP (1 keeps the temp
# dir).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build/release}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-2}
USERS=${USERS:-64}
NGINX_WORKERS=${NGINX_WORKERS:-"1 2"}
RATE_CAP=${RATE_CAP:-15000}
GET_TOKENS=${GET_TOKENS:-20000}
KEEP=${KEEP:-0}
HRSURVEY=$BUILD/server/hrsurvey
MAKER=$BUILD/bench/hrs_make_invitations
SCRIPT=$ROOT/bench/form/submit_forms.lua
# LimeSurvey's rate for such a form on this kind of machine (given, not measured here).
LIMESURVEY_PER_S=18
# What the wrk script sends: every field of hr-service's form but the staff (the
# invitation names the staff), and the form's action for the English page.
FORM_FIELDS="request_type importance courtesy timeliness quality expectations comment"
FORM_ACTION="?lang=en"

BENCH_NAME=run.sh
# shellcheck source=../lib/http_bench.sh
source "$ROOT/bench/lib/http_bench.sh"
bench_require_tools nginx wrk sqlite3 curl python3
bench_require_binaries "$HRSURVEY" "$MAKER"
bench_make_dir form

# --- tokens: the GET-only slice, then one slice per submitting round (warm-up included) --
PER_ROUND=$((RATE_CAP * DURATION))
WARMUP_TOKENS=$((RATE_CAP * WARMUP))
PAIRS_FIRST=$((GET_TOKENS + WARMUP_TOKENS))
TOTAL=$((PAIRS_FIRST + ROUNDS * PER_ROUND))
DB=$DIR/bench.db
TOKENS=$DIR/tokens.txt
echo "making $TOTAL invitations ($GET_TOKENS for GETs alone, RATE_CAP=$RATE_CAP/s x" \
  "$((WARMUP + ROUNDS * DURATION)) s)..." >&2
"$MAKER" --db "$DB" --tokens "$TOKENS" --count "$TOTAL"

# --- hrsurvey, and the page it renders ----------------------------------------------------
start_hrsurvey "$HRSURVEY" "$DB"
PAGE=$DIR/form.html
curl -fs -o "$PAGE" -D "$DIR/form.headers" "$SERVER_URL/s/$(head -n1 "$TOKENS")" ||
  { bench_say "GET /s/{token} fails"; exit 1; }
for field in $FORM_FIELDS; do
  grep -q "name=\"$field\"" "$PAGE" || { bench_say "the form has no field named $field"; exit 1; }
done
grep -q "<form method=\"post\" action=\"$FORM_ACTION\"" "$PAGE" ||
  { bench_say "the form no longer posts to $FORM_ACTION"; exit 1; }
PAGE_BYTES=$(wc -c <"$PAGE")

# --- nginx: the page as a static file, `return 303` for the POST ---------------------------
# With hrsurvey's own page headers, so that both send the same bytes.
page_headers=""
for header in Content-Security-Policy X-Content-Type-Options Referrer-Policy X-Frame-Options \
  Cache-Control; do
  value=$(sed -n "s/^$header: *\(.*\)\r$/\1/Ip" "$DIR/form.headers")
  [ -n "$value" ] || { bench_say "hrsurvey's page has no $header header"; exit 1; }
  page_headers+="    add_header $header \"$value\" always;"$'\n'
done
mkdir -p "$DIR/www"
cp "$PAGE" "$DIR/www/form.html"
# nginx's workers drop root for an unprivileged user, who must reach the page.
chmod o+x "$DIR"
chmod o+rx "$DIR/www"
chmod o+r "$DIR/www/form.html"
NGINX_FORM="$page_headers$(cat <<EOF
    default_type text/html;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    absolute_redirect off;
    root $DIR/www;
    location /s/ {
      if (\$request_method = POST) { return 303 /thanks/hr-service?lang=en; }
      try_files /form.html =404;
    }
    location = /healthz { return 200 'ok'; }
EOF
)"
declare -A NGINX_URLS
for workers in $NGINX_WORKERS; do
  start_nginx "$workers" "$workers" "$NGINX_FORM"
  NGINX_URLS[$workers]=$NGINX_URL
  [ "$(curl -fs "$NGINX_URL/s/x" | wc -c)" = "$PAGE_BYTES" ] ||
    { bench_say "nginx does not serve the page"; exit 1; }
done

# --- rounds -------------------------------------------------------------------------------
# run_wrk LABEL URL SECONDS FIRST COUNT MODE [reuse]: prints the "form:" line of wrk's
# output.
run_wrk() {
  local label=$1 url=$2 seconds=$3 first=$4 count=$5 mode=$6 reuse=${7:-} out
  out=$DIR/wrk-$label.txt
  wrk -t"$USERS" -c"$USERS" -d"${seconds}s" --latency -s "$SCRIPT" "$url" \
    -- "$TOKENS" "$first" "$count" "$USERS" "$mode" $reuse >"$out" 2>&1 ||
    { cat "$out" >&2; return 1; }
  grep '^form: unexpected' "$out" >&2 || true
  grep '^form: requests=' "$out"
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" ${1#form: }"; }

RESULTS=$DIR/results.txt
: >"$RESULTS"
SENT=0
ACKED=0
INVALID=0
record() {  # record TARGET MODE ROUND LINE
  local target=$1 mode=$2 round=$3 line=$4
  local rps subs p50 p99 other ran_out conn rd wr tmo note=""
  rps=$(field "$line" rps); subs=$(field "$line" submissions_per_s)
  p50=$(field "$line" p50_us); p99=$(field "$line" p99_us)
  other=$(field "$line" other); ran_out=$(field "$line" exhausted_threads)
  conn=$(field "$line" connect); rd=$(field "$line" read); wr=$(field "$line" write)
  tmo=$(field "$line" timeout)
  [ "$other" != 0 ] && note+=" ${other} unexpected answers"
  [ "$ran_out" != 0 ] && note+=" ran out of tokens (raise RATE_CAP)"
  [ "$conn$rd$wr$tmo" != 0000 ] && note+=" socket errors connect=$conn read=$rd write=$wr timeout=$tmo"
  [ -n "$note" ] && { INVALID=1; bench_say "$target $mode round $round invalid:$note"; }
  [ "$round" = warmup ] && return 0
  echo "$target-$mode $round $rps $subs $p50 $p99" >>"$RESULTS"
  printf 'round %s %-16s %-5s %8.0f req/s %7.0f submissions/s  p50 %6.2f ms  p99 %6.2f ms%s\n' \
    "$round" "$target" "$mode" "$rps" "$subs" "$(awk "BEGIN {print $p50 / 1000}")" \
    "$(awk "BEGIN {print $p99 / 1000}")" "$note" >&2
}

# hrsurvey_pairs ROUND SECONDS FIRST COUNT
hrsurvey_pairs() {
  local line
  line=$(run_wrk "hrsurvey-pairs-$1" "$SERVER_URL" "$2" "$3" "$4" pairs)
  ACKED=$((ACKED + $(field "$line" submissions)))
  # A POST that was sent may have been stored unanswered: at most one per user was in
  # flight when wrk stopped.
  SENT=$((SENT + $(field "$line" submissions) + $(field "$line" other) + USERS))
  record hrsurvey pairs "$1" "$line"
}
nginx_pairs() {  # nginx_pairs ROUND SECONDS
  local workers line
  for workers in $NGINX_WORKERS; do
    line=$(run_wrk "nginx-$workers-pairs-$1" "${NGINX_URLS[$workers]}" "$2" "$PAIRS_FIRST" \
      "$PER_ROUND" pairs reuse)
    record "nginx-${workers}w" pairs "$1" "$line"
  done
}
gets() {  # gets ROUND SECONDS: hrsurvey, then nginx, GETs alone
  local workers line
  line=$(run_wrk "hrsurvey-get-$1" "$SERVER_URL" "$2" 0 "$GET_TOKENS" get reuse)
  record hrsurvey get "$1" "$line"
  for workers in $NGINX_WORKERS; do
    line=$(run_wrk "nginx-$workers-get-$1" "${NGINX_URLS[$workers]}" "$2" 0 "$GET_TOKENS" get reuse)
    record "nginx-${workers}w" get "$1" "$line"
  done
}

echo "warm-up: $WARMUP s each" >&2
hrsurvey_pairs warmup "$WARMUP" "$GET_TOKENS" "$WARMUP_TOKENS"
nginx_pairs warmup "$WARMUP"
gets warmup "$WARMUP"
RSS_START=$(rss_kib "$SERVER_PID")
FSYNC_START=$(fsync_ms)
for round in $(seq "$ROUNDS"); do
  first=$((PAIRS_FIRST + (round - 1) * PER_ROUND))
  # Alternate which target goes first so that drift hurts both alike.
  if [ $((round % 2)) = 1 ]; then
    hrsurvey_pairs "$round" "$DURATION" "$first" "$PER_ROUND"
    nginx_pairs "$round" "$DURATION"
  else
    nginx_pairs "$round" "$DURATION"
    hrsurvey_pairs "$round" "$DURATION" "$first" "$PER_ROUND"
  fi
  gets "$round" "$DURATION"
  echo "  hrsurvey RSS $(($(rss_kib "$SERVER_PID") / 1024)) MiB" >&2
done
RSS_END=$(rss_kib "$SERVER_PID")
FSYNC_END=$(fsync_ms)

# --- stop, then the durability check ---------------------------------------------------
stop_hrsurvey || INVALID=1
stop_nginx_all
STORED=$(sqlite3 "$DB" 'SELECT count(*) FROM responses')
if [ "$STORED" -ge "$ACKED" ] && [ "$STORED" -le "$SENT" ]; then
  durability="ok: $STORED responses stored, $ACKED acknowledged with 303 (the other $((STORED - ACKED)) were in flight when wrk stopped)"
else
  durability="FAILED: $STORED responses stored, $ACKED acknowledged with 303, at most $SENT sent"
  INVALID=1
fi

# --- table ---------------------------------------------------------------------------------
column_median() {  # column_median TARGET-MODE COLUMN
  awk -v t="$1" -v c="$2" '$1 == t {print $c}' "$RESULTS" | median
}
ms() { awk "BEGIN {printf \"%.2f\", $1 / 1000}"; }
ratio() { awk "BEGIN {printf \"%.2fx\", $1 / $2}"; }
targets="hrsurvey $(for w in $NGINX_WORKERS; do echo "nginx-${w}w"; done)"
server_subs=$(column_median hrsurvey-pairs 4)
server_gets=$(column_median hrsurvey-get 3)
echo
echo "Survey form page, $(date -u +%Y-%m-%d), median of $ROUNDS rounds of ${DURATION} s" \
  "(wrk -t$USERS -c$USERS: $USERS virtual users, $(nproc) cores; the page is $PAGE_BYTES bytes):"
echo
echo "| target | submissions/s (GET+POST pairs) | requests/s | hrsurvey vs this | p50 ms | p99 ms |"
echo "|---|---:|---:|---:|---:|---:|"
for target in $targets; do
  case $target in
    hrsurvey) label="hrsurvey, GET /s/{token} then POST the form (fresh token each)" ;;
    *) workers=${target#nginx-}; label="nginx static page + \`return 303\`, worker_processes ${workers%w}" ;;
  esac
  subs=$(column_median "$target-pairs" 4)
  printf '| %s | %.0f | %.0f | %s | %s | %s |\n' "$label" "$subs" \
    "$(column_median "$target-pairs" 3)" "$(ratio "$server_subs" "$subs")" \
    "$(ms "$(column_median "$target-pairs" 5)")" "$(ms "$(column_median "$target-pairs" 6)")"
done
for target in $targets; do
  case $target in
    hrsurvey) label="hrsurvey, GET /s/{token} alone" ;;
    *) workers=${target#nginx-}; label="nginx, GET of the static page alone, worker_processes ${workers%w}" ;;
  esac
  rps=$(column_median "$target-get" 3)
  printf '| %s | | %.0f | %s | %s | %s |\n' "$label" "$rps" "$(ratio "$server_gets" "$rps")" \
    "$(ms "$(column_median "$target-get" 5)")" "$(ms "$(column_median "$target-get" 6)")"
done
echo
printf 'hrsurvey: %.0f form submissions/s, %.0fx LimeSurvey'"'"'s ~%s/s.\n' "$server_subs" \
  "$(awk "BEGIN {print $server_subs / $LIMESURVEY_PER_S}")" "$LIMESURVEY_PER_S"
echo "hrsurvey submissions/s by round: $(awk '$1 == "hrsurvey-pairs" {printf "%s%.0f", s, $4; s = ", "}' "$RESULTS")."
echo "Command: \`ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP USERS=$USERS RATE_CAP=$RATE_CAP bench/form/run.sh\`;"
echo "each round: \`wrk -t$USERS -c$USERS -d${DURATION}s --latency -s bench/form/submit_forms.lua URL -- TOKENS FIRST COUNT $USERS pairs|get [reuse]\`."
echo "p50/p99 are per request (GETs and POSTs together in the pair rows)."
echo "Durability $durability."
echo "hrsurvey RSS $((RSS_START / 1024)) MiB after the warm-up, $((RSS_END / 1024)) MiB after the last round."
echo "fdatasync of 4 KiB on the store's disk: median $FSYNC_START ms before the rounds, $FSYNC_END ms after;" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)."
[ "$INVALID" = 0 ] || { bench_say "the run is INVALID (see above)"; exit 1; }
