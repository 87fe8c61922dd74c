-- wrk script for bench/ingest/run.sh: every request is POST /api/v1/responses with its
-- own fresh invitation token.
--
--   wrk -t2 -c64 -d10s --latency -s post_responses.lua URL -- TOKENS FIRST COUNT THREADS [reuse]
--
-- TOKENS holds one token per line, all of one length (hrs_make_invitations writes
-- them). This run uses lines FIRST .. FIRST+COUNT-1; thread i of THREADS takes its own
-- contiguous part of them, so no token is sent twice. Each thread reads its tokens
-- lazily from its own file handle (wrk's Lua states are per thread), which keeps the
-- start-up cost out of the measurement. Against nginx the same script sends the same
-- bodies; nginx ignores them, so with "reuse" a thread starts its part over instead of
-- running out.
--
-- Without "reuse", a thread that runs out of tokens stops (wrk.thread:stop()) and sends
-- only GET /healthz until its loop ends; such a run is marked exhausted and is invalid.
-- done() prints one line starting "ingest:" that run.sh parses.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter - 1)
  table.insert(threads, thread)
end

local file, line_bytes, remaining, sent = nil, 0, 0, 0
local start_offset, per, reuse = 0, 0, false
local types = {"benefits", "payroll", "leave", "hiring", "training", "policy", "other"}

status201 = 0       -- read by done() through thread:get
other = 0
other_codes = ""
exhausted = 0
after_exhaustion = 0

function init(args)
  local path, first, count, nthreads = args[1], tonumber(args[2]), tonumber(args[3]),
                                       tonumber(args[4])
  if not (path and first and count and nthreads) then
    error("usage: -- TOKENS FIRST COUNT THREADS")
  end
  file = assert(io.open(path, "rb"))
  local sample = file:read("*l")
  assert(sample and #sample > 0, path .. " is empty")
  line_bytes = #sample + 1
  local size = file:seek("end")
  assert(size % line_bytes == 0, path .. ": tokens must all have one length")
  assert(first + count <= size / line_bytes,
         string.format("%s has %d tokens, this run wants lines %d..%d", path, size / line_bytes,
                       first, first + count - 1))
  reuse = args[5] == "reuse"
  per = math.floor(count / nthreads)
  start_offset = (first + id * per) * line_bytes
  remaining = per
  file:seek("set", start_offset)
end

function request()
  if remaining <= 0 and reuse then
    file:seek("set", start_offset)
    remaining = per
  end
  if remaining <= 0 then
    if exhausted == 0 then
      exhausted = 1
      wrk.thread:stop()
    end
    return wrk.format("GET", "/healthz")
  end
  local token = file:read("*l")
  remaining = remaining - 1
  sent = sent + 1
  local i = sent
  local body = string.format(
      '{"token":"%s","answers":{"request_type":"%s","courtesy":%d,"timeliness":%d,' ..
      '"quality":%d,"importance":%d}}',
      token, types[i % #types + 1], i % 5 + 1, (i * 3 + 1) % 5 + 1, (i * 7 + 2) % 5 + 1,
      (i * 11 + 3) % 5 + 1)
  return wrk.format("POST", "/api/v1/responses", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if exhausted == 1 then
    after_exhaustion = after_exhaustion + 1
  elseif status == 201 then
    status201 = status201 + 1
  else
    other = other + 1
    if #other_codes < 200 then
      other_codes = other_codes .. status .. " " .. string.sub(body or "", 1, 120) .. "; "
    end
  end
end

function done(summary, latency, requests)
  local ok, bad, ran_out, extra, codes = 0, 0, 0, 0, ""
  for _, t in ipairs(threads) do
    ok = ok + t:get("status201")
    bad = bad + t:get("other")
    ran_out = ran_out + t:get("exhausted")
    extra = extra + t:get("after_exhaustion")
    codes = codes .. t:get("other_codes")
  end
  local e = summary.errors
  io.write(string.format(
      "ingest: requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d status201=%d " ..
      "other=%d exhausted_threads=%d after_exhaustion=%d connect=%d read=%d write=%d " ..
      "status=%d timeout=%d\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(99), ok, bad, ran_out, extra, e.connect,
      e.read, e.write, e.status, e.timeout))
  if bad > 0 then io.write("ingest: unexpected responses: " .. codes .. "\n") end
end
