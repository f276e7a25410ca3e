#!/usr/bin/env bash
# Times Ampstack.ModelGen next to Amplify's own codegen (the reference runner) on a 200-model schema, in one run:
#   fresh process  - median wall time of a new process that generates one format: the reference's `node gen.js` as
#                    its tools/bench.js measures it, and ours measured the same way (time-fresh.js) for the
#                    Ampstack.ModelGen.Bench CLI built ReadyToRun (JIT-backed) and, when it can be built, native AOT
#   warm call      - median time of one in-process call after warm-up (reference: its tools/bench.js; ours: `warm`,
#                    on a plain JIT build as the server runs the generator: ReadyToRun code that tiering replaces
#                    without profile data made warm calls slower and less steady, 3.5-5.3 ms against 3.3-3.5 ms)
# Usage: tools/modelgen/bench.sh [RUNS=9] [SCHEMA=tests/Ampstack.ModelGen.Tests/Golden/large_v2_200.graphql]
# Env: MODELGEN_REF_DIR=DIR reuses an installed copy of the reference runner; BENCH_AOT=0 skips the native AOT build.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
runs="${1:-9}"
schema="$(realpath "${2:-$repo/tests/Ampstack.ModelGen.Tests/Golden/large_v2_200.graphql}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

source "$here/reference.sh"
ref="$(reference_runner "$work")"

project="$here/Ampstack.ModelGen.Bench/Ampstack.ModelGen.Bench.csproj"
echo "building the benchmark CLI (Release: JIT, and ReadyToRun)..." >&2
dotnet publish "$project" -c Release -r linux-x64 --self-contained false -o "$work/jit" -v quiet -nologo >/dev/null
dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/r2r" -v quiet -nologo >/dev/null
jit="$work/jit/Ampstack.ModelGen.Bench"
r2r="$work/r2r/Ampstack.ModelGen.Bench"
aot=""
if [[ "${BENCH_AOT:-1}" != "0" ]]; then
  echo "building the benchmark CLI (native AOT)..." >&2
  if dotnet publish "$project" -c Release -r linux-x64 -p:PublishAot=true -p:CppCompilerAndLinker=gcc -o "$work/aot" -v quiet -nologo >/dev/null 2>&1; then
    aot="$work/aot/Ampstack.ModelGen.Bench"
  else
    echo "native AOT build failed; reporting ReadyToRun figures only" >&2
  fi
fi

# Same output as the reference, or the figures mean nothing.
for format in introspection datastore; do
  node "$ref/gen.js" "$schema" --format "$format" > "$work/ref.$format.json"
  for build in "$jit" "$r2r" $aot; do
    "$build" gen "$schema" "$format" > "$work/ours.$format.json"
    cmp -s "$work/ref.$format.json" "$work/ours.$format.json" || { echo "$build: output differs from the reference for $format" >&2; exit 1; }
  done
done

models="$(grep -c '@model' "$schema" || true)"
echo "schema: $(basename "$schema") ($models @model types), runs: $runs, $(nproc) cores, node $(node --version), dotnet $(dotnet --version)"
ref_warm="$(cd "$ref" && node tools/bench.js "$schema" "$runs")"
ours_warm="$("$jit" warm "$schema" "$runs")"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
printf '%-14s %-22s %14s %14s %9s\n' format measure reference ampstack speedup
for format in introspection datastore; do
  ref_fresh="$(sed -n "s/^$format *cli median \([0-9.]*\) ms.*/\1/p" <<<"$ref_warm")"
  ours_fresh="$(node "$here/time-fresh.js" "$runs" "$r2r" gen "$schema" "$format")"
  printf '%-14s %-22s %11.1f ms %11.1f ms %9s\n' "$format" "fresh process (R2R)" "$ref_fresh" "$ours_fresh" "$(ratio "$ref_fresh" "$ours_fresh")"
  if [[ -n "$aot" ]]; then
    ours_aot="$(node "$here/time-fresh.js" "$runs" "$aot" gen "$schema" "$format")"
    printf '%-14s %-22s %11.1f ms %11.1f ms %9s\n' "$format" "fresh process (AOT)" "$ref_fresh" "$ours_aot" "$(ratio "$ref_fresh" "$ours_aot")"
  fi
  ref_ms="$(sed -n "s/^$format *cli median [0-9]* ms.*in-process median \([0-9.]*\) ms.*/\1/p" <<<"$ref_warm")"
  ours_ms="$(awk -v f="$format" '$1 == f { print $2 }' <<<"$ours_warm")"
  printf '%-14s %-22s %11.1f ms %11.1f ms %9s\n' "$format" "warm call (JIT)" "$ref_ms" "$ours_ms" "$(ratio "$ref_ms" "$ours_ms")"
done
