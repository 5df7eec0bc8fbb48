-- wrk script: every request gets a query string no request had before (`fresh=<thread>-<n>`
-- appended), so each queue or search request misses the filter bars a worker keeps per query
-- string (tickets/helpdesk/views._filter_bar). The parameter is not a filter: the page shows
-- the same tickets. Used by run_load.sh when UNIQUE_QUERY=1.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local n = 0

function request()
  n = n + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "fresh=" .. id .. "-" .. n)
end
