#!/usr/bin/env bash
# Regenerates the transformer's golden files with Amplify's own GraphQL transformer (v2, tools/transform/reference.js
# run on the Amplify CLI that tools/amplify-cli/install.sh installs or finds in its cache).
# Usage: tools/transform/regen.sh [SCHEMA_NAME...]   (default: every schema of the corpus)
#   The corpus: tests/Ampstack.ModelGen.Tests/Transform/NAME.graphql, and the model generator's golden schemas
#   (tests/Ampstack.ModelGen.Tests/Golden/NAME.graphql) that have a transform expectation already or are named here.
#   For each writes Transform/expected/NAME.graphql (the transformed schema), or Transform/expected/NAME.error.txt
#   when the transformer rejects the schema (its message), and Transform/indexes/NAME.json: the global secondary indexes
#   of the DynamoDB tables the reference makes (for the relations' gsi-Parent.field indexes).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
golden="$repo/tests/Ampstack.ModelGen.Tests/Transform"
modelgen="$repo/tests/Ampstack.ModelGen.Tests/Golden"
amplify="$("$repo/tools/amplify-cli/install.sh")"
modules="$(cd "$(dirname "$amplify")/.." && pwd)"

schema_of() {
  if [[ -f "$golden/$1.graphql" ]]; then echo "$golden/$1.graphql"; else echo "$modelgen/$1.graphql"; fi
}

schemas=()
if [[ $# -gt 0 ]]; then
  for name in "$@"; do schemas+=("$(schema_of "${name%.graphql}")"); done
else
  for name in $( (ls "$golden"/*.graphql; ls "$golden"/expected/*.graphql "$golden"/expected/*.error.txt) 2>/dev/null \
      | xargs -n1 basename | sed -e 's/\.error\.txt$//' -e 's/\.graphql$//' | sort -u); do
    schemas+=("$(schema_of "$name")")
  done
fi

mkdir -p "$golden/expected" "$golden/indexes"
for schema in "${schemas[@]}"; do
  name="$(basename "$schema" .graphql)"
  out="$golden/expected/$name.graphql"
  err="$golden/expected/$name.error.txt"
  indexes="$golden/indexes/$name.json"
  rm -f "$out" "$err" "$indexes"
  status=0
  node "$here/reference.js" "$schema" "$modules" "--indexes=$indexes.tmp" >"$out.tmp" 2>"$err.tmp" || status=$?
  case $status in
    0) mv "$out.tmp" "$out"; mv "$indexes.tmp" "$indexes"; rm -f "$err.tmp" ;;
    1) mv "$err.tmp" "$err"; rm -f "$out.tmp" "$indexes.tmp" ;;
    *) cat "$err.tmp" >&2; rm -f "$out.tmp" "$err.tmp"; exit "$status" ;;
  esac
  echo "regenerated $name"
done
