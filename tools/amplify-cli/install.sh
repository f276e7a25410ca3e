#!/usr/bin/env bash
# Installs the real Amplify CLI (@aws-amplify/cli-internal, pinned in tests/amplify-cli/package-lock.json) for
# tests/conformance/test_amplify_pull.py (issue 21) and prints the path of its `amplify` executable on stdout.
#
# The install (about 2 minutes, ~1 GB) goes to a cache folder outside the repository, keyed by the lock file's
# sha256, so a second run is instant and a changed lock installs afresh beside the old one:
#   ${AMPSTACK_AMPLIFY_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ampstack/amplify-cli}/<sha256 of package-lock.json>
# `npm ci --ignore-scripts`: the CLI's install scripts only fetch optional binaries, which `amplify pull` needs not.
# The lock records no `resolved` URLs (it was written with --omit-lockfile-registry-resolved); npm ci takes each
# package from the configured registry by name and version and checks its `integrity`.
# Exit status: 0 and the path printed; 1 on any failure, with npm's last lines on stderr.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
src="$root/tests/amplify-cli"
lock="$src/package-lock.json"
key="$(sha256sum "$lock" | cut -c1-64)"
base="${AMPSTACK_AMPLIFY_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ampstack/amplify-cli}"
dir="$base/$key"
bin="$dir/node_modules/.bin/amplify"

if [ -f "$dir/.complete" ] && [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

command -v npm >/dev/null || { echo "amplify-cli: npm is not installed" >&2; exit 1; }
mkdir -p "$base"
# One install at a time per key (a concurrent caller waits, then finds it done).
exec 9>"$base/$key.lock"
flock 9
if [ -f "$dir/.complete" ] && [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

tmp="$(mktemp -d "$base/.install-$key.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
cp "$src/package.json" "$lock" "$tmp/"
echo "amplify-cli: installing @aws-amplify/cli-internal into $dir (npm ci --ignore-scripts, about 2 minutes)..." >&2
if ! (cd "$tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error > "$tmp/npm.log" 2>&1); then
  tail -30 "$tmp/npm.log" >&2
  echo "amplify-cli: npm ci failed" >&2
  exit 1
fi
rm -f "$tmp/npm.log"
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
touch "$dir/.complete"
[ -x "$bin" ] || { echo "amplify-cli: $bin is missing after the install" >&2; exit 1; }
echo "$bin"
