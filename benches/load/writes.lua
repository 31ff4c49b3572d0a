-- wrk script for writes.sh: listing POSTs only (unique titles "writeprobe <thread>-<n>"),
-- counting acknowledged (201) answers and failures.
local threads = {}
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  n, created, failed = 0, 0, 0
  token = os.getenv("WRITES_TOKEN")
end
function request()
  n = n + 1
  local body = string.format(
    '{"kind":"%s","title":"writeprobe %d-%d 谐波减速器","description":"写入吞吐测试用的供需信息：谐波减速器柔轮设计与寿命验证，寻求企业联合开发。","clusters":["robotics"],"cooperation":["joint_development"]}',
    (n % 2 == 0) and "supply" or "demand", tid, n)
  return wrk.format("POST", "/api/listings",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
function response(status, headers, body)
  if status == 201 then created = created + 1 else failed = failed + 1 end
end
function done(summary, latency, requests)
  local c, f = 0, 0
  for _, t in ipairs(threads) do c = c + t:get("created"); f = f + t:get("failed") end
  io.write(string.format("WRITES acknowledged=%d failed=%d seconds=%.1f acknowledged_per_s=%.1f p50_ms=%.1f p99_ms=%.1f\n",
    c, f, summary.duration / 1e6, c / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
