-- wrk script: POST /inbound-call with pre-signed voice webhooks (BENCH_CALLS_FILE, made by
-- signed-calls: "<body> <signature>" a line), each thread starting at its own place.
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
  return wrk.format("POST", "/inbound-call", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Twilio-Signature"] = call[2],
  }, call[1])
end
