#!/usr/bin/env bash
# Benchmark (not a test): GetBackendJob throughput and latency with wrk on loopback, in one run:
#   - a bare Kestrel endpoint answering the same bytes (the floor of the stack);
#   - Ampstack in lenient auth (the default: the signature's form is checked, not the signature);
#   - Ampstack in strict auth (a credential store; wrk replays one request signed for real by botocore, so every
#     request's signature is verified: HMAC chain cached per day, canonical request and SHA-256 per request);
#   - Ampstack (lenient) on PostgreSQL, a throwaway server started here (tools/postgres/cluster.sh), next to SQLite:
#     GetBackendJob, and CreateBackend on a new app each request (a write transaction, a job accepted and finished);
#   - with BASELINE=<git revision>, Ampstack at that revision too (lenient), built in a temporary worktree: the same
#     machine and run, before and after a change.
# Also: the time from `./ampstack serve` to its first answer, and the resident memory after the load.
# Usage: [BASELINE=<rev>] bench/run.sh [seconds per load run, default 10] [connections, default 32]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-10}"
conns="${2:-32}"
work="$(mktemp -d)"
pg_dir="$(mktemp -d)"; chmod 755 "$pg_dir"
source "$root/tools/postgres/cluster.sh"
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  pg_test_stop; rm -rf "$pg_dir"
  [ -n "${BASELINE:-}" ] && git -C "$root" worktree remove --force "$work/baseline" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
echo "building (Release)..."
build() { # project output
  dotnet build "$1" -c Release -o "$2" -nologo -v quiet -clp:ErrorsOnly >/dev/null
}
build "$root/src/Ampstack.Host/Ampstack.Host.csproj" "$work/host"
build "$root/bench/BareKestrel/BareKestrel.csproj" "$work/bare"
if [ -n "${BASELINE:-}" ]; then
  git -C "$root" worktree add --detach -q "$work/baseline" "$BASELINE"
  build "$work/baseline/src/Ampstack.Host/Ampstack.Host.csproj" "$work/baseline-host"
fi

form_only="Authorization: AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/amplifybackend/aws4_request, SignedHeaders=host, Signature=0"
wait_for() { # start-ns url: prints the ms until the url first answers
  local start=$1 url=$2
  until curl -s -o /dev/null -H "$form_only" "$url"; do sleep 0.005; done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}
serve() { # dll port data-dir [env...]: starts a server in the background
  local dll=$1 port=$2 data=$3; shift 3
  env "$@" dotnet "$dll" serve --port "$port" --data-dir "$data" >/dev/null &
}

# A GetBackendJob request of a fresh job, signed for real by botocore (valid for 15 minutes): prints the URL and writes
# a wrk script that sends the signature's headers.
prepare() { # base-url lua-file
  python3 - "$1" "$2" <<'PY'
import sys, boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
base, lua = sys.argv[1], sys.argv[2]
c = boto3.client("amplifybackend", endpoint_url=base, region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test")
job = c.create_backend(AppId="bench", AppName="bench", BackendEnvironmentName="dev")["JobId"]
url = f"{base}/backend/bench/job/dev/{job}"
request = AWSRequest(method="GET", url=url)
SigV4Auth(Credentials("test", "test"), "amplifybackend", "us-east-1").add_auth(request)
with open(lua, "w") as f:
    f.write("-- wrk script: one request signed for real, replayed\n")
    for name, value in request.headers.items():
        f.write(f'wrk.headers["{name}"] = "{value}"\n')
print(url)
PY
}

# ---- time to first answer ----
port=$((20000 + RANDOM % 20000))
start=$(date +%s%N)
"$root/ampstack" serve --port "$port" --data-dir "$work/first" >/dev/null &
first=$!
first_ms=$(wait_for "$start" "http://127.0.0.1:$port/backend/none/details")
echo "time from ./ampstack serve to first answered request: ${first_ms} ms"
kill "$first"; wait "$first" 2>/dev/null || true

# ---- the servers ----
lenient_port=$((port + 1)); strict_port=$((port + 2)); bare_port=$((port + 3)); baseline_port=$((port + 4)); pg_port=$((port + 5))
pg_test_start "$pg_dir/pg" >/dev/null
serve "$work/host/Ampstack.Host.dll" "$pg_port" "$work/unused" AMPSTACK_STORE=postgres AMPSTACK_CONNECTION_STRING="$AMPSTACK_TEST_POSTGRES"
serve "$work/host/Ampstack.Host.dll" "$lenient_port" "$work/lenient"
serve "$work/host/Ampstack.Host.dll" "$strict_port" "$work/strict" AMPSTACK_CREDENTIALS="test test 000000000000"
dotnet "$work/bare/BareKestrel.dll" "$bare_port" >/dev/null &
wait_for "$(date +%s%N)" "http://127.0.0.1:$lenient_port/" >/dev/null
wait_for "$(date +%s%N)" "http://127.0.0.1:$strict_port/" >/dev/null
wait_for "$(date +%s%N)" "http://127.0.0.1:$bare_port/" >/dev/null
lenient_url=$(prepare "http://127.0.0.1:$lenient_port" "$work/lenient.lua")
strict_url=$(prepare "http://127.0.0.1:$strict_port" "$work/strict.lua")
wait_for "$(date +%s%N)" "http://127.0.0.1:$pg_port/" >/dev/null
pg_url=$(prepare "http://127.0.0.1:$pg_port" "$work/pg.lua")
curl -s -H "$form_only" "$lenient_url"; echo
if [ -n "${BASELINE:-}" ]; then
  serve "$work/baseline-host/Ampstack.Host.dll" "$baseline_port" "$work/baseline-data"
  wait_for "$(date +%s%N)" "http://127.0.0.1:$baseline_port/" >/dev/null
  baseline_url=$(prepare "http://127.0.0.1:$baseline_port" "$work/baseline.lua")
fi

# CreateBackend on a new app each time (a write: app, environment and a job accepted then finished), lenient auth.
cat > "$work/create.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "${form_only#Authorization: }"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  prefix = "w" .. os.time() .. "t" .. tid .. "x"
  n = 0
end
function request()
  n = n + 1
  local id = prefix .. n
  return wrk.format(nil, "/backend", nil, '{"appId":"' .. id .. '","appName":"' .. id .. '","backendEnvironmentName":"dev"}')
end
LUA

run() { # name url lua
  wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$3" "$2" > "$work/$1.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/$1.txt")
  printf '%-40s %12s req/s   p50 %8s   p99 %8s\n' "$1" "$rps" "$p50" "$p99"
  grep -E "Non-2xx|Socket errors" "$work/$1.txt" || true
}
echo "wrk: 2 threads, $conns connections, ${secs}s each, on $(nproc) cores shared with the servers"
run "warm-up" "$lenient_url" "$work/lenient.lua" >/dev/null
run "warm-up" "$strict_url" "$work/strict.lua" >/dev/null
run "warm-up" "$pg_url" "$work/pg.lua" >/dev/null
[ -n "${BASELINE:-}" ] && run "warm-up" "$baseline_url" "$work/baseline.lua" >/dev/null
run "bare Kestrel" "http://127.0.0.1:$bare_port/backend/bench/job/dev/x" "$work/lenient.lua"
run "ampstack GetBackendJob, lenient auth" "$lenient_url" "$work/lenient.lua"
run "ampstack GetBackendJob, strict auth" "$strict_url" "$work/strict.lua"
run "ampstack GetBackendJob, PostgreSQL" "$pg_url" "$work/pg.lua"
run "ampstack CreateBackend, SQLite" "http://127.0.0.1:$lenient_port" "$work/create.lua"
run "ampstack CreateBackend, PostgreSQL" "http://127.0.0.1:$pg_port" "$work/create.lua"
if [ -n "${BASELINE:-}" ]; then
  run "ampstack@$BASELINE GetBackendJob, lenient" "$baseline_url" "$work/baseline.lua"
  # Again, after the baseline, so that drift over the run shows.
  run "ampstack GetBackendJob, lenient (again)" "$lenient_url" "$work/lenient.lua"
fi
rss=$(ps -o rss= -p "$(pgrep -f "Ampstack.Host.dll serve --port $lenient_port" | head -1)")
echo "ampstack (lenient) resident memory after the load: $((rss / 1024)) MiB"
