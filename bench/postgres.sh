#!/usr/bin/env bash
# Not a test, and not the benchmark (bench/run.sh is): a PostgreSQL node against a SQLite node on the same machine,
# GetBackendJob and CreateBackend on a new app each request (wrk, 2 threads, 32 connections, the same requests as
# bench/run.sh), for one or more builds of the server at once, rows alternating between them round after round, so that
# a before/after comparison is made in one sitting and drift from other load on the machine shows. Each build gets a
# SQLite node and a PostgreSQL node (its own database on one throwaway server, tools/postgres/cluster.sh); text after
# '@' is added to that node's connection string (e.g. '@Maximum Pool Size=16'), and each NAME=VALUE after a '%' is set
# in the environment of both of that build's nodes (e.g. '%DOTNET_TieredPGO=0'), so one build can be run several ways.
# Usage: bench/postgres.sh SECONDS ROUNDS label=<dir of a built Ampstack.Host.dll>[@connection string options][%NAME=VALUE...] ...
#   e.g. dotnet publish src/Ampstack.Host/Ampstack.Host.csproj -c Release -o /tmp/after, the same at the base revision
#   into /tmp/before, then bench/postgres.sh 5 3 before=/tmp/before after=/tmp/after
set -euo pipefail
secs=$1; rounds=$2; shift 2
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"; pg_dir="$(mktemp -d)"; chmod 755 "$pg_dir"
export AMPSTACK_RATE_LIMIT=1000000  # no build compared here is throttled (older builds' default was 50,000)
source "$root/tools/postgres/cluster.sh"
source "$root/bench/lib.sh"  # prepare, script: shared with bench/run.sh and bench/ab.sh
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; pg_test_stop; rm -rf "$pg_dir" "$work"; }
trap cleanup EXIT
pg_test_start "$pg_dir/pg" >/dev/null
form_only="Authorization: AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/amplifybackend/aws4_request, SignedHeaders=host, Signature=0"
wait_for() { # url node: a node that exits instead of answering (a connection string it refuses) ends the run
  until curl -s -o /dev/null -H "$form_only" "$1"; do
    kill -0 "${pid[$2]}" 2>/dev/null || { echo "node $2 exited before it answered:" >&2; tail -5 "$work/$2.log" >&2; exit 1; }
    sleep 0.05
  done
}
declare -A url path pid
port=$((20000 + RANDOM % 20000))
labels=()
for spec in "$@"; do
  label=${spec%%=*}; rest=${spec#*=}; labels+=("$label")
  IFS=% read -r -a vars <<< "$rest"; rest=${vars[0]}; vars=("${vars[@]:1}")
  dir=${rest%%@*}; extra=""; [[ "$rest" == *@* ]] && extra=";${rest#*@}"
  env "${vars[@]}" dotnet "$dir/Ampstack.Host.dll" serve --port $port --data-dir "$work/$label-sqlite" \
    >"$work/$label-sqlite.log" 2>&1 &
  pids+=($!); pid[$label-sqlite]=$!; url[$label-sqlite]="http://127.0.0.1:$port"; port=$((port + 1))
  env "${vars[@]}" AMPSTACK_STORE=postgres \
    AMPSTACK_CONNECTION_STRING="${AMPSTACK_TEST_POSTGRES/Database=ampstack/Database=db_$label}$extra" \
    dotnet "$dir/Ampstack.Host.dll" serve --port $port --data-dir "$work/unused" >"$work/$label-pg.log" 2>&1 &
  pids+=($!); pid[$label-pg]=$!; url[$label-pg]="http://127.0.0.1:$port"; port=$((port + 1))
done
for key in "${!url[@]}"; do
  wait_for "${url[$key]}/" "$key"
  path[$key]=$(prepare "${url[$key]}")
done
script "$work/job.lua" GET "" job
script "$work/create.lua" POST \
  "lua:'{\"appId\":\"' .. prefix .. n .. '\",\"appName\":\"' .. prefix .. n .. '\",\"backendEnvironmentName\":\"dev\"}'" create
load() { # name url lua
  wrk -t2 -c32 -d"${secs}s" --latency -s "$3" "$2" > "$work/out.txt"
  printf '  %-24s %8s req/s  p50 %8s  p99 %8s  %s\n' "$1" "$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$work/out.txt")" \
    "$(awk '$1=="50%" {print $2}' "$work/out.txt")" "$(awk '$1=="99%" {print $2}' "$work/out.txt")" \
    "$(awk '/Non-2xx/ {print "non-2xx " $5} /Socket errors/ {print $0}' "$work/out.txt" | xargs)"
}
for key in "${!url[@]}"; do wrk -t2 -c32 -d2s -s "$work/job.lua" "${url[$key]}${path[$key]}" >/dev/null; done  # warm-up
for r in $(seq 1 "$rounds"); do
  echo "round $r"
  for label in "${labels[@]}"; do
    for store in sqlite pg; do load "$label-$store job" "${url[$label-$store]}${path[$label-$store]}" "$work/job.lua"; done
  done
  for label in "${labels[@]}"; do
    for store in sqlite pg; do load "$label-$store create" "${url[$label-$store]}/backend" "$work/create.lua"; done
  done
done
