#!/usr/bin/env bash
# Benchmark (not a test): building and writing a response three ways (typed + System.Text.Json metadata, which the
# server uses; typed + a walk of the model; the JsonObject walk used before the typed surface), for GetBackendJob,
# ListBackendJobs with 100 jobs and GetBackendAuth with a full configuration. BenchmarkDotNet, in Release.
# Usage: bench/serialization.sh [BenchmarkDotNet arguments, default: --job short]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
args=("$@"); [ ${#args[@]} -gt 0 ] || args=(--job short)
cd "$root/bench/Serialization"
dotnet run -c Release -- --filter '*ResponseWriting*' "${args[@]}" 2>&1 | sed -n '/^| *Method/,/^$/p;/^Legends/q'
