-- wrk script for the load harness (QueryLoadBenchmark launches wrk with it; 127.0.0.1 only).
-- Each request: POST <LG_PATH> {"where":{"id":N}} with a random id N of the token's organization,
-- so every answer is exactly one row. The key and the user token come from the environment, not
-- argv, so they do not show up in the process list.
--   LG_PATH         request path, e.g. /v1/query/items
--   LG_AUTH         Authorization header value ("Bearer pk_...")
--   LG_USER_TOKEN   X-User-Token header value; empty or unset: no header (public lens)
--   LG_ORG_INDEX    the organization's index (ids with id % LG_ORGS == LG_ORG_INDEX)
--   LG_ORGS         number of organizations
--   LG_PER_ORG      rows per organization
-- done() prints one machine-readable line starting with "LENSGATE-WRK" for the harness to parse.

local path = os.getenv("LG_PATH")
local orgIndex = tonumber(os.getenv("LG_ORG_INDEX"))
local orgs = tonumber(os.getenv("LG_ORGS"))
local perOrg = tonumber(os.getenv("LG_PER_ORG"))

wrk.method = "POST"
wrk.headers["Authorization"] = os.getenv("LG_AUTH")
wrk.headers["Content-Type"] = "application/json"
local userToken = os.getenv("LG_USER_TOKEN")
if userToken ~= nil and userToken ~= "" then
  wrk.headers["X-User-Token"] = userToken
end

local threadCounter = 0
function setup(thread)
  threadCounter = threadCounter + 1
  thread:set("seed", threadCounter)
end

function init(args)
  -- distinct, fixed seed per thread: runs are repeatable and threads do not send the same ids
  math.randomseed(0x5eed + (seed or 0))
end

function request()
  local id = orgIndex + orgs * math.random(0, perOrg - 1)
  return wrk.format(nil, path, nil, '{"where":{"id":' .. id .. '}}')
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "LENSGATE-WRK requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d"
      .. " p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
