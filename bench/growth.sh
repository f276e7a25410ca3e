#!/usr/bin/env bash
# Benchmark (not a test): latency against data size alone (bench/run.sh runs it too, as part of its table). Every
# ListBackendJobs form (first page, a page 99.9% of the way in, each filter), GetBackendJob and GetBackend, at 1,000
# jobs and at 1,000,000 in one environment, with the ratio; p50 and p99 of in-process calls through the domain services
# and the SQLite store (bench/Growth/Program.cs says why). Prints a Markdown table.
# Usage: bench/growth.sh [large size, default 1000000] [calls per form, default 2000]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dotnet run -c Release --project "$root/bench/Growth/Ampstack.Bench.Growth.csproj" -- "$@"
