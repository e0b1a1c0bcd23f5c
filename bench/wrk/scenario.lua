-- One wrk script for every scenario of `npm run bench`; BENCH_SCENARIO picks it and
-- BENCH_USERS names a Lua file (written by bench/run.ts) returning the users to act as:
-- { { name = "...", id = "...", basic = "Basic ...", bearer = "Bearer ...", oauth = "Bearer mbt_..." }, ... }.
local scenario = os.getenv("BENCH_SCENARIO") or "public"
local users = dofile(os.getenv("BENCH_USERS"))
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
end

local function anyone()
  return users[math.random(#users)]
end

local function home(kind)
  local user = anyone()
  return wrk.format("GET", "/timelines/home", { ["Authorization"] = user[kind] })
end

local function userTimeline()
  return wrk.format("GET", "/timelines/users/" .. anyone().name)
end

local function compose()
  local user = anyone()
  local body = '{"message":"benchmark post ' .. math.random(1, 1000000000) .. '"}'
  return wrk.format("POST", "/posts", { ["Authorization"] = user.basic, ["Content-Type"] = "application/json" }, body)
end

-- Mastodon's routes, as an app signed in with an OAuth token asks for them.
local function mastodonHome()
  return wrk.format("GET", "/api/v1/timelines/home", { ["Authorization"] = anyone().oauth })
end

local function mastodonAccountStatuses()
  return wrk.format("GET", "/api/v1/accounts/" .. anyone().id .. "/statuses")
end

local function mastodonCompose()
  local user = anyone()
  local body = "status=benchmark+status+" .. math.random(1, 1000000000) .. "&visibility=public"
  return wrk.format("POST", "/api/v1/statuses", { ["Authorization"] = user.oauth, ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function request()
  if scenario == "public" then return wrk.format("GET", "/timelines/public") end
  if scenario == "user" then return userTimeline() end
  if scenario == "home-basic" then return home("basic") end
  if scenario == "home-bearer" then return home("bearer") end
  if scenario == "post" then return compose() end
  if scenario == "mixed" then
    -- 60% home (Basic), 30% a user's timeline or the public one, 10% posts
    local roll = math.random()
    if roll < 0.6 then return home("basic") end
    if roll < 0.75 then return userTimeline() end
    if roll < 0.9 then return wrk.format("GET", "/timelines/public") end
    return compose()
  end
  if scenario == "mastodon-public" then return wrk.format("GET", "/api/v1/timelines/public") end
  if scenario == "mastodon-home" then return mastodonHome() end
  if scenario == "mastodon-mixed" then
    -- the native mix's shares, through Mastodon's routes
    local roll = math.random()
    if roll < 0.6 then return mastodonHome() end
    if roll < 0.75 then return mastodonAccountStatuses() end
    if roll < 0.9 then return wrk.format("GET", "/api/v1/timelines/public") end
    return mastodonCompose()
  end
  error("unknown BENCH_SCENARIO " .. scenario)
end
