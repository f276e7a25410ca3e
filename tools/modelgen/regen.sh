#!/usr/bin/env bash
# Regenerates the golden corpus's expected outputs with Amplify's own codegen (the reference runner in
# shared/modelgen/reference). Usage: tools/modelgen/regen.sh [SCHEMA_NAME...]   (default: every schema)
#   - copies the reference runner to a temporary folder and runs `npm ci` there (the shared copy is read-only);
#   - for each Golden/NAME.graphql and format (introspection, datastore) writes Golden/expected/NAME.FORMAT.json,
#     or Golden/expected/NAME.FORMAT.error.txt when codegen rejects the schema (its stderr).
# Set MODELGEN_REF_DIR to reuse an already installed copy of the runner.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
golden="$repo/tests/Ampstack.ModelGen.Tests/Golden"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$here/reference.sh"
ref="$(reference_runner "$work")"

if [[ $# -gt 0 ]]; then
  schemas=()
  for name in "$@"; do schemas+=("$golden/${name%.graphql}.graphql"); done
else
  schemas=("$golden"/*.graphql)
fi

mkdir -p "$golden/expected"
for schema in "${schemas[@]}"; do
  name="$(basename "$schema" .graphql)"
  for format in introspection datastore; do
    out="$golden/expected/$name.$format.json"
    err="$golden/expected/$name.$format.error.txt"
    rm -f "$out" "$err"
    if node "$ref/gen.js" "$schema" --format "$format" -o "$out" 2>"$err.tmp"; then
      rm -f "$err.tmp"
    else
      status=$?
      rm -f "$out"
      [[ $status -eq 1 ]] || { cat "$err.tmp" >&2; rm -f "$err.tmp"; exit "$status"; }
      mv "$err.tmp" "$err"
    fi
  done
  echo "regenerated $name"
done
