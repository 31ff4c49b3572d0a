-- wrk script: replays benches/load/mixed_paths.txt (searches in all three scripts, filters,
-- suggests, gets) round-robin, each thread starting at a different offset.
-- GBA_PATHS_MATCH=/api/suggest keeps only the lines that contain it (latency of one kind);
-- GBA_PATHS_FILE=benches/load/search_paths.txt replays another log (searches.sh).
local paths = {}
local only = os.getenv("GBA_PATHS_MATCH")
for line in io.lines(os.getenv("GBA_PATHS_FILE") or "benches/load/mixed_paths.txt") do
  if only == nil or string.find(line, only, 1, true) then
    paths[#paths + 1] = line
  end
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
