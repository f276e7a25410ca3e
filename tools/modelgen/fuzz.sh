#!/usr/bin/env bash
# Compares Ampstack.ModelGen with the reference on random schemas (tools/modelgen/fuzz-schema.py), both formats:
# same acceptance, and byte-identical output when accepted. An exception other than a rejection (ModelGenException)
# is a bug in the generator and counts as a difference whatever the reference did. Usage:
# tools/modelgen/fuzz.sh [FIRST_SEED=1] [COUNT=50]
# Env: MODELGEN_REF_DIR=DIR reuses an installed copy of the reference runner. Prints differing seeds; exit 1 if any.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
first="${1:-1}"
count="${2:-50}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

source "$here/reference.sh"
ref="$(reference_runner "$work")"

dotnet publish "$here/Ampstack.ModelGen.Bench/Ampstack.ModelGen.Bench.csproj" -c Release -o "$work/bin" -v quiet -nologo >/dev/null
ours="$work/bin/Ampstack.ModelGen.Bench"

differing=0
for seed in $(seq "$first" $((first + count - 1))); do
  python3 "$here/fuzz-schema.py" "$seed" > "$work/schema.graphql"
  for format in introspection datastore; do
    set +e
    node "$ref/gen.js" "$work/schema.graphql" --format "$format" > "$work/ref.json" 2>/dev/null; ref_status=$?
    "$ours" gen "$work/schema.graphql" "$format" > "$work/ours.json" 2>"$work/ours.err"; our_status=$?
    set -e
    if [[ $our_status -ne 0 && $our_status -ne 1 ]]; then
      echo "seed $seed, $format: ours crashed (exit $our_status), a bug, not a rejection: $(head -n 1 "$work/ours.err")"
      differing=$((differing + 1))
    elif [[ $ref_status -ne $our_status ]] || { [[ $ref_status -eq 0 ]] && ! cmp -s "$work/ref.json" "$work/ours.json"; }; then
      echo "seed $seed, $format: reference exit $ref_status, ours $our_status"
      differing=$((differing + 1))
    fi
  done
done
echo "$((count * 2)) cases, $differing differing"
[[ $differing -eq 0 ]]
