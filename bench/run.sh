#!/usr/bin/env bash
# Benchmark (not a test): GetBackendJob throughput and latency of Ampstack next to a bare Kestrel endpoint answering
# the same bytes, in the same run, with wrk on loopback; and the time from `./ampstack serve` to its first answer.
# Usage: bench/run.sh [seconds per load run, default 10] [connections, default 32]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-10}"
conns="${2:-32}"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
echo "building (Release)..."
dotnet build "$root/src/Ampstack.Host/Ampstack.Host.csproj" -c Release -o "$root/.build/host" -nologo -v quiet -clp:ErrorsOnly >/dev/null
touch "$root/.build/host/Ampstack.Host.dll"
dotnet build "$root/bench/BareKestrel/BareKestrel.csproj" -c Release -o "$work/bare" -nologo -v quiet -clp:ErrorsOnly >/dev/null

auth="Authorization: AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/amplifybackend/aws4_request, SignedHeaders=host, Signature=0"
wait_for() { # url, then prints ms until the first answer
  local start=$1 url=$2
  until curl -s -o /dev/null -H "$auth" "$url"; do sleep 0.005; done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}

# ---- time to first answer ----
port=$((20000 + RANDOM % 20000))
start=$(date +%s%N)
"$root/ampstack" serve --port "$port" --data-dir "$work/data" >/dev/null &
first_ms=$(wait_for "$start" "http://127.0.0.1:$port/backend/none/details")
echo "time from ./ampstack serve to first answered request: ${first_ms} ms"

# ---- a job to read ----
curl -s -H "$auth" -d '{"appId":"bench","appName":"bench","backendEnvironmentName":"dev"}' "http://127.0.0.1:$port/backend" > "$work/job.json"
job=$(sed -E 's/.*"jobId":"([^"]+)".*/\1/' "$work/job.json")
url="http://127.0.0.1:$port/backend/bench/job/dev/$job"
curl -s -H "$auth" "$url"; echo

bare_port=$((port + 1))
dotnet "$work/bare/BareKestrel.dll" "$bare_port" >/dev/null &
wait_for "$(date +%s%N)" "http://127.0.0.1:$bare_port/" >/dev/null

run() { # name url
  wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$root/bench/auth.lua" "$2" > "$work/$1.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/$1.txt")
  printf '%-28s %12s req/s   p50 %8s   p99 %8s\n' "$1" "$rps" "$p50" "$p99"
  grep -E "Non-2xx|Socket errors" "$work/$1.txt" || true
}
echo "wrk: 2 threads, $conns connections, ${secs}s each, on $(nproc) cores shared with the servers"
run "warm-up (ampstack)" "$url" >/dev/null
run "bare Kestrel" "http://127.0.0.1:$bare_port/backend/bench/job/dev/$job"
run "ampstack GetBackendJob" "$url"
rss=$(ps -o rss= -p "$(pgrep -f "Ampstack.Host.dll serve --port $port" | head -1)")
echo "ampstack resident memory after the load: $((rss / 1024)) MiB"
