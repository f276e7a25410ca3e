#!/usr/bin/env bash
# Builds the web console into console/dist (see build.mjs): installs its npm packages from package-lock.json when they
# are missing or out of date, type-checks, bundles. `./ampstack serve` and `./test` call this; so can you.
# Usage: console/build.sh [--if-changed]   (--if-changed: do nothing when dist/ is newer than every source)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if [ "${1:-}" = "--if-changed" ] && [ -f dist/index.html ] && [ -z "$(find src package.json package-lock.json build.mjs \
    tsconfig.json ../spec -newer dist/index.html -type f -print -quit)" ]; then
  exit 0
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "console: Node.js 20 or later with npm is needed to build the web console, and 'node'/'npm' are not on PATH." >&2
  echo "console: install them (Debian: apt-get install nodejs npm), then run this again." >&2
  exit 1
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "console: installing npm packages (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

node_modules/.bin/tsc -p .
node build.mjs
