-- wrk script for bench/form/run.sh: employees answering their survey in the browser.
--
--   wrk -tN -cN -d8s --latency -s submit_forms.lua URL -- TOKENS FIRST COUNT N MODE [reuse]
--
-- MODE "pairs": each virtual user GETs /s/{token} (the form page; 200 expected), then
-- POSTs the form, urlencoded as a browser sends it, to the form's action, the same
-- path with ?lang=en (303 to /thanks/ expected), then takes the next fresh token. A 303
-- after its 200 counts as one submission. MODE "get": only the GETs, 200 expected.
--
-- One virtual user is one connection, and wrk gives Lua no way to tell which connection
-- a response belongs to, so every wrk thread must have exactly one connection (-t and -c
-- equal, N passed again here to check): then a thread's responses alternate strictly
-- with its requests, and the POST goes out only after its own GET was answered, as in a
-- browser.
--
-- TOKENS holds one token per line, all of one length (hrs_make_invitations writes them).
-- This run uses lines FIRST .. FIRST+COUNT-1; thread i of N takes its own contiguous
-- part, so no token is answered twice. With "reuse" a thread starts its part over
-- instead of running out (for nginx, which ignores tokens, and for MODE get, which
-- answers nothing). Without it, a thread that runs out stops (wrk.thread:stop()) and
-- sends only GET /healthz until its loop ends; such a run is marked exhausted.
-- done() prints one line starting "form:" that run.sh parses.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter - 1)
  table.insert(threads, thread)
end

local file, line_bytes, remaining, sent = nil, 0, 0, 0
local start_offset, per, reuse, pairs_mode = 0, 0, false, true
local token, awaiting, post_next = nil, nil, false
local types = {"benefits", "payroll", "leave", "hiring", "training", "policy", "other"}
local comments = {"", "", "", "",
                  "Quick+answer+and+friendly%2C+thank+you%21"}
local form_headers = {["Content-Type"] = "application/x-www-form-urlencoded"}

threads_expected = 0  -- read by done() through thread:get
gets200 = 0
submissions = 0     -- 303s to /thanks/ after the thread's own 200
other = 0
other_codes = ""
exhausted = 0
after_exhaustion = 0

function init(args)
  local path, first, count, nthreads, mode = args[1], tonumber(args[2]), tonumber(args[3]),
                                             tonumber(args[4]), args[5]
  if not (path and first and count and nthreads and (mode == "pairs" or mode == "get")) then
    error("usage: -- TOKENS FIRST COUNT THREADS pairs|get [reuse]")
  end
  threads_expected = nthreads
  file = assert(io.open(path, "rb"))
  local sample = file:read("*l")
  assert(sample and #sample > 0, path .. " is empty")
  line_bytes = #sample + 1
  local size = file:seek("end")
  assert(size % line_bytes == 0, path .. ": tokens must all have one length")
  assert(first + count <= size / line_bytes,
         string.format("%s has %d tokens, this run wants lines %d..%d", path, size / line_bytes,
                       first, first + count - 1))
  pairs_mode = mode == "pairs"
  reuse = args[6] == "reuse"
  per = math.floor(count / nthreads)
  assert(per > 0, "fewer tokens than threads")
  start_offset = (first + id * per) * line_bytes
  remaining = per
  file:seek("set", start_offset)
end

-- The answers of submission i, varied; every field the form has, as a browser sends it
-- (the comment box is sent empty when left empty).
local function form_body(i)
  return string.format(
      "request_type=%s&importance=%d&courtesy=%d&timeliness=%d&quality=%d&expectations=%d" ..
      "&comment=%s",
      types[i % #types + 1], (i * 11 + 3) % 5 + 1, i % 5 + 1, (i * 3 + 1) % 5 + 1,
      (i * 7 + 2) % 5 + 1, (i * 13 + 4) % 5 + 1, comments[i % #comments + 1])
end

function request()
  if post_next then
    post_next = false
    awaiting = "post"
    return wrk.format("POST", "/s/" .. token .. "?lang=en", form_headers, form_body(sent))
  end
  if remaining <= 0 and reuse then
    file:seek("set", start_offset)
    remaining = per
  end
  if remaining <= 0 then
    if exhausted == 0 then
      exhausted = 1
      wrk.thread:stop()
    end
    awaiting = nil
    return wrk.format("GET", "/healthz")
  end
  token = file:read("*l")
  remaining = remaining - 1
  sent = sent + 1
  awaiting = "get"
  return wrk.format("GET", "/s/" .. token)
end

local function unexpected(what, status, body)
  other = other + 1
  if #other_codes < 300 then
    other_codes = other_codes .. what .. " " .. status .. " " ..
                  string.sub(body or "", 1, 120):gsub("%s+", " ") .. "; "
  end
end

function response(status, headers, body)
  if exhausted == 1 then
    after_exhaustion = after_exhaustion + 1
  elseif awaiting == "get" then
    if status == 200 then
      gets200 = gets200 + 1
      post_next = pairs_mode
    else
      unexpected("GET", status, body)
    end
  elseif awaiting == "post" then
    local location = headers["Location"] or ""
    if status == 303 and location:find("/thanks/", 1, true) == 1 then
      submissions = submissions + 1
    else
      unexpected("POST", status .. " " .. location, body)
    end
  end
end

function done(summary, latency, requests)
  local gets, subs, bad, ran_out, extra, codes = 0, 0, 0, 0, 0, ""
  for _, t in ipairs(threads) do
    gets = gets + t:get("gets200")
    subs = subs + t:get("submissions")
    bad = bad + t:get("other")
    ran_out = ran_out + t:get("exhausted")
    extra = extra + t:get("after_exhaustion")
    codes = codes .. t:get("other_codes")
  end
  -- setup() ran once per wrk thread; N must match, since run.sh gives -tN -cN.
  for _, t in ipairs(threads) do
    if t:get("threads_expected") ~= #threads then
      bad = bad + 1
      codes = codes .. string.format("THREADS is %d but wrk ran %d threads; ",
                                     t:get("threads_expected"), #threads)
      break
    end
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
      "form: requests=%d duration_us=%d rps=%.1f submissions=%d submissions_per_s=%.1f " ..
      "gets200=%d p50_us=%d p99_us=%d other=%d exhausted_threads=%d after_exhaustion=%d " ..
      "connect=%d read=%d write=%d status=%d timeout=%d\n",
      summary.requests, summary.duration, summary.requests / seconds, subs, subs / seconds, gets,
      latency:percentile(50), latency:percentile(99), bad, ran_out, extra, e.connect, e.read,
      e.write, e.status, e.timeout))
  if bad > 0 then io.write("form: unexpected responses: " .. string.sub(codes, 1, 600) .. "\n") end
end
