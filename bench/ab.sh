#!/usr/bin/env bash
# Not a test, and not the benchmark (bench/run.sh is): two or more builds of the server side by side on this machine,
# through bench/run.sh's read rows (GetBackendJob, GetBackend, a ListBackendJobs page of 25, the S3 GetObject of the
# deployment artifact), each server seeded the same way (bench/lib.sh). The rows alternate between the builds round after
# round, so that a before/after comparison is made in one sitting and drift from other load on the machine shows; the
# first, untimed round warms every server up. Ends with each row's mean per build.
# Usage: bench/ab.sh SECONDS ROUNDS label=<dir of a built Ampstack.Host.dll> ...
#   e.g. dotnet publish src/Ampstack.Host/Ampstack.Host.csproj -c Release -o /tmp/after, the same at the base revision
#   (git worktree add) into /tmp/before, then bench/ab.sh 5 3 before=/tmp/before after=/tmp/after
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/lib.sh"
[ $# -ge 3 ] || { sed -n '7,9p' "$0" >&2; exit 2; }
secs=$1 rounds=$2
shift 2
command -v wrk >/dev/null || { echo "bench/ab.sh: wrk is not installed (bench/run.sh installs it)" >&2; exit 1; }
form_only="Authorization: AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/amplifybackend/aws4_request, SignedHeaders=host, Signature=0"
s3_only="Authorization: AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0"
work="$(mktemp -d)"
export AMPSTACK_RATE_LIMIT=1000000  # no build compared here is throttled (older builds' default was 50,000)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

labels=() urls=() jobs_at=() artifacts_at=()
port=$((20000 + RANDOM % 20000))
for build in "$@"; do
  label="${build%%=*}" dir="${build#*=}"
  [ -f "$dir/Ampstack.Host.dll" ] || { echo "bench/ab.sh: no Ampstack.Host.dll in $dir" >&2; exit 1; }
  port=$((port + 1))
  url="http://127.0.0.1:$port"
  dotnet "$dir/Ampstack.Host.dll" serve --port "$port" --data-dir "$work/$label" >"$work/$label.log" 2>&1 &
  until curl -s -o /dev/null -H "$form_only" "$url/"; do sleep 0.05; done
  seed_full "$url"
  labels+=("$label") urls+=("$url") jobs_at+=("$(prepare "$url")") artifacts_at+=("$(artifact_path "$url")")
done

script "$work/job.lua" GET "" job
script "$work/details.lua" POST '{"backendEnvironmentName":"dev"}' details
script "$work/list.lua" POST '{"maxResults":25}' list
script "$work/artifact.lua" GET "" artifact "$s3_only"
target() { # row index
  case $1 in
    job) echo "${urls[$2]}${jobs_at[$2]}" ;;
    details) echo "${urls[$2]}/backend/full/details" ;;
    list) echo "${urls[$2]}/backend/full/job/list" ;;
    artifact) echo "${urls[$2]}${artifacts_at[$2]}" ;;
  esac
}

declare -A sum
for round in $(seq 0 "$rounds"); do
  for row in job details list artifact; do
    for i in "${!labels[@]}"; do
      if [ "$round" -eq 0 ]; then  # warm-up
        wrk -t2 -c32 -d3s -s "$work/$row.lua" "$(target "$row" "$i")" >/dev/null
        continue
      fi
      out=$(wrk -t2 -c32 -d"${secs}s" -s "$work/$row.lua" "$(target "$row" "$i")")
      rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
      odd=$(awk '/Non-2xx/ { print "  non-2xx: " $5 }' <<<"$out")
      printf 'round %d  %-9s %-12s %10.0f req/s%s\n' "$round" "$row" "${labels[$i]}" "$rps" "$odd"
      sum[$row/${labels[$i]}]=$(awk -v a="${sum[$row/${labels[$i]}]:-0}" -v b="$rps" 'BEGIN { print a + b }')
    done
  done
done
echo
for row in job details list artifact; do
  for label in "${labels[@]}"; do
    printf 'mean     %-9s %-12s %10.0f req/s\n' "$row" "$label" "$(awk -v s="${sum[$row/$label]}" -v n="$rounds" 'BEGIN { print s / n }')"
  done
done
