-- wrk script: POST pre-signed Twilio webhooks (BENCH_CALLS_FILE, made by signed-calls or
-- bench/pre-event.sh: "<body> <signature>" a line) to BENCH_PATH (default /inbound-call),
-- each thread starting at its own place.
local path = os.getenv("BENCH_PATH") or "/inbound-call"
calls = {}
for line in io.lines(os.getenv("BENCH_CALLS_FILE")) do
  local body, signature = line:match("^(%S+) (%S+)$")
  if body then calls[#calls + 1] = {body, signature} end
end
local threads = 0

function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

function init(args)
  index = offset or 0
end

function request()
  index = index % #calls + 1
  local call = calls[index]
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Twilio-Signature"] = call[2],
  }, call[1])
end
