# Sourced by regen.sh, bench.sh and fuzz.sh: finds or installs the reference runner (Amplify's own codegen).
# reference_runner WORKDIR prints the folder of an installed runner: $MODELGEN_REF_DIR when it has node_modules, else a
# copy of ../shared/modelgen/reference (or $MODELGEN_REFERENCE) made in WORKDIR, where `npm ci` is run (the shared copy
# is read-only).
reference_runner() {
  local work="$1" repo source
  repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  if [[ -n "${MODELGEN_REF_DIR:-}" && -d "${MODELGEN_REF_DIR}/node_modules" ]]; then
    echo "$MODELGEN_REF_DIR"
    return
  fi
  source="${MODELGEN_REFERENCE:-$repo/../shared/modelgen/reference}"
  [[ -d "$source" ]] || { echo "reference runner not found at $source (set MODELGEN_REFERENCE)" >&2; return 2; }
  mkdir -p "$work/reference"
  cp -r "$source/." "$work/reference/"
  chmod -R u+w "$work/reference"
  (cd "$work/reference" && npm ci --silent --no-audit --no-fund >/dev/null)
  echo "$work/reference"
}
