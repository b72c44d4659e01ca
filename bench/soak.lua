-- wrk script for bench/soak.sh: POST /inbound-call, paced (BENCH_DELAY_MS before each
-- request on each connection), each call with a CallSid never sent before: the caller and
-- number come from BENCH_CALLS_FILE (made by signed-calls), the CallSid is made here, so the
-- worker runs with MC_VALIDATE_WEBHOOKS=false (the signatures would not match).
local pairs_ = {}
for line in io.lines(os.getenv("BENCH_CALLS_FILE")) do
  local body = line:match("^(%S+) ")
  if body then pairs_[#pairs_ + 1] = body end
end
local pace = tonumber(os.getenv("BENCH_DELAY_MS") or "4")
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  counter = 0
  math.randomseed(id * 7919)
end

function delay()
  return pace
end

function request()
  counter = counter + 1
  local body = pairs_[math.random(#pairs_)]
  body = body:gsub("CallSid=CA%x+", string.format("CallSid=CA%08x%024x", 4000 + id, counter))
  return wrk.format("POST", "/inbound-call",
    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
