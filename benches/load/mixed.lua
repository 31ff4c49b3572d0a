-- wrk script: replays benches/load/mixed_paths.txt (searches in all three scripts, filters,
-- suggests, gets) round-robin, each thread starting at a different offset.
local paths = {}
for line in io.lines("benches/load/mixed_paths.txt") do
  paths[#paths + 1] = line
end
local counter = 0
function setup(thread)
  thread:set("offset", counter * 37)
  counter = counter + 1
end
function init(args)
  i = offset or 0
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
