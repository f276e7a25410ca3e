#!/usr/bin/env bash
# Regenerates the transformer's golden files with Amplify's own GraphQL transformer (v2, tools/transform/reference.js
# run on the Amplify CLI that tools/amplify-cli/install.sh installs or finds in its cache).
# Usage: tools/transform/regen.sh [SCHEMA_NAME...]   (default: every schema)
#   for each tests/Ampstack.ModelGen.Tests/Transform/NAME.graphql writes Transform/expected/NAME.graphql (the
#   transformed schema), or Transform/expected/NAME.error.txt when the transformer rejects the schema (its message).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
golden="$repo/tests/Ampstack.ModelGen.Tests/Transform"
amplify="$("$repo/tools/amplify-cli/install.sh")"
modules="$(cd "$(dirname "$amplify")/.." && pwd)"

if [[ $# -gt 0 ]]; then
  schemas=()
  for name in "$@"; do schemas+=("$golden/${name%.graphql}.graphql"); done
else
  schemas=("$golden"/*.graphql)
fi

mkdir -p "$golden/expected"
for schema in "${schemas[@]}"; do
  name="$(basename "$schema" .graphql)"
  out="$golden/expected/$name.graphql"
  err="$golden/expected/$name.error.txt"
  rm -f "$out" "$err"
  if node "$here/reference.js" "$schema" "$modules" >"$out.tmp" 2>"$err.tmp"; then
    mv "$out.tmp" "$out"
    rm -f "$err.tmp"
  else
    status=$?
    rm -f "$out.tmp"
    [[ $status -eq 1 ]] || { cat "$err.tmp" >&2; rm -f "$err.tmp"; exit "$status"; }
    mv "$err.tmp" "$err"
  fi
  echo "regenerated $name"
done
