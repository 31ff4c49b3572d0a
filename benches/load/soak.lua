-- wrk script for the soak test: the mixed read log with a listing POST every 10th request
-- (unique titles "soakprobe <thread>-<n>"), counting statuses per thread.
local paths = {}
for line in io.lines("benches/load/mixed_paths.txt") do
  paths[#paths + 1] = line
end
local threads = {}
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  thread:set("offset", counter * 37)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  i = offset or 0
  posts, created, s4xx, s5xx = 0, 0, 0, 0
  token = os.getenv("SOAK_TOKEN")
end
function request()
  i = i + 1
  if i % 10 == 0 then
    posts = posts + 1
    local body = string.format(
      '{"kind":"%s","title":"soakprobe %d-%d 锂电池热管理","description":"压力测试用的供需信息：锂电池热管理与电池包安全设计技术，寻求高校团队联合开发与验证。","clusters":["new_energy"],"cooperation":["joint_development"]}',
      (i % 20 == 0) and "supply" or "demand", tid, posts)
    return wrk.format("POST", "/api/listings",
      {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
  end
  return wrk.format("GET", paths[(i % #paths) + 1])
end
function response(status, headers, body)
  if status == 201 then created = created + 1 end
  if status >= 500 then s5xx = s5xx + 1 elseif status >= 400 then s4xx = s4xx + 1 end
end
function done(summary, latency, requests)
  local p, c, e4, e5 = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    p = p + t:get("posts"); c = c + t:get("created"); e4 = e4 + t:get("s4xx"); e5 = e5 + t:get("s5xx")
  end
  io.write(string.format("SOAK posts_sent=%d created_201=%d status_4xx=%d status_5xx=%d requests=%d\n",
    p, c, e4, e5, summary.requests))
end
