-- wrk script: POST /sessions with BENCH_PARTICIPANTS random, distinct, valid NANP numbers
-- (area codes of the sandbox pool, exchange 555, lines 1000-9999), behind basic auth.
local participants = tonumber(os.getenv("BENCH_PARTICIPANTS") or "2")
local area_codes = {"415", "212", "312", "206", "617", "303", "512", "213", "305", "404"}

function setup(thread)
  thread:set("seed", math.random(1, 2 ^ 30))
end

function init(args)
  math.randomseed(seed or os.time())
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Basic " .. os.getenv("BENCH_API_AUTH")

-- BENCH_PACE_MS: wait this long before each request (one connection: one create per pace).
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "0")
if pace > 0 then
  function delay()
    return pace
  end
end

function request()
  local seen, numbers = {}, {}
  while #numbers < participants do
    local n = "+1" .. area_codes[math.random(#area_codes)] .. "555" .. math.random(1000, 9999)
    if not seen[n] then
      seen[n] = true
      numbers[#numbers + 1] = '"' .. n .. '"'
    end
  end
  return wrk.format(nil, nil, nil, '{"addresses":[' .. table.concat(numbers, ",") .. ']}')
end
