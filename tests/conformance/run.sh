#!/usr/bin/env bash
# Runs the whole conformance suite against real `./ampstack serve` processes:
#   1. pytest under `python3`          (pip's boto3/botocore 1.43, the AWS CLIs), servers in strict auth: every
#                                      signature verified against a credential store
#   2. pytest under `/usr/bin/python3` (Debian's boto3 1.26 / botocore 1.29), servers in lenient auth, on PostgreSQL
#                                      when AMPSTACK_TEST_POSTGRES names a server (./test starts one), else on SQLite
#   3. node --test in js/              (@aws-sdk/client-amplifybackend, installed with `npm ci`), strict auth
# Exits non-zero when any of them fails. Extra arguments go to both pytest runs (e.g. -x, -k name).
#
# The AWS CLI tests run in the first pytest run only: each CLI brings its own Python, so the second interpreter would
# run exactly the same commands again (AMPSTACK_CONFORMANCE_SKIP_CLI=1 skips them there).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

names=()
results=()
times=()
failed=0
total_passed=0
total_failed=0
shim=""
out="$(mktemp)"
cleanup() { [ -n "$shim" ] && rm -rf "$shim"; rm -f "$out"; }
trap cleanup EXIT

count_results() {  # adds the counts of the run in $out: pytest's closing line, or node's "# pass N" / "# fail N"
  local p f
  p=$(grep -E '^[0-9]+ (passed|failed)|^=* ?[0-9]+ (passed|failed)' "$out" | tail -1 | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
  f=$(grep -E '^[0-9]+ (passed|failed)|^=* ?[0-9]+ (passed|failed)' "$out" | tail -1 | grep -oE '[0-9]+ (failed|error|errors)' | grep -oE '^[0-9]+' | awk '{s+=$1} END {print s+0}')
  if grep -qE '^# pass [0-9]+' "$out"; then
    p=$(sed -nE 's/^# pass ([0-9]+)/\1/p' "$out" | tail -1)
    f=$(sed -nE 's/^# fail ([0-9]+)/\1/p' "$out" | tail -1)
  fi
  total_passed=$((total_passed + ${p:-0}))
  total_failed=$((total_failed + ${f:-0}))
}

run_suite() {  # name, command...
  local name="$1"; shift
  echo
  echo "=== $name: $*"
  local start=$SECONDS
  "$@" 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  count_results
  names+=("$name")
  times+=("$((SECONDS - start))s")
  if [ $rc -eq 0 ]; then results+=("passed"); else results+=("FAILED (exit $rc)"); failed=1; fi
}

# pyenv's python3 may lack pytest and prometheus_client (test_operator.py parses metrics with it), and there is no
# PyPI here: borrow Debian's (python3-pytest, python3-prometheus-client; only the modules they need) through PYTHONPATH,
# so that run still uses pip's boto3/botocore.
py_env=()
missing=()
for m in _pytest pytest py py.py pluggy iniconfig packaging exceptiongroup tomli prometheus_client; do
  if [ -e "/usr/lib/python3/dist-packages/$m" ] && ! python3 -c "import ${m%.py}" 2>/dev/null; then missing+=("$m"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  shim="$(mktemp -d)"
  for m in "${missing[@]}"; do ln -s "/usr/lib/python3/dist-packages/$m" "$shim/$m"; done
  py_env=(env "PYTHONPATH=$shim${PYTHONPATH:+:$PYTHONPATH}")
  echo "note: $(command -v python3) lacks ${missing[*]}; using Debian's from /usr/lib/python3/dist-packages"
fi
for m in pytest prometheus_client; do
  "${py_env[@]}" python3 -c "import $m" 2>/dev/null || echo "error: $(command -v python3) cannot import $m" >&2
done

run_suite "pytest $(python3 -c 'import sys,boto3;print(f"python {sys.version.split()[0]}, boto3 {boto3.__version__}")' 2>/dev/null)" \
  "${py_env[@]}" python3 -m pytest -q -p no:cacheprovider "$@" tests/conformance

run_suite "pytest $(/usr/bin/python3 -c 'import sys,boto3;print(f"python {sys.version.split()[0]}, boto3 {boto3.__version__}")' 2>/dev/null)" \
  env AMPSTACK_CONFORMANCE_SKIP_CLI=1 AMPSTACK_CONFORMANCE_SKIP_PROCESS=1 AMPSTACK_CONFORMANCE_AUTH=lenient \
  AMPSTACK_CONFORMANCE_STORE="${AMPSTACK_TEST_POSTGRES:+postgres}" /usr/bin/python3 -m pytest -q -p no:cacheprovider "$@" tests/conformance

run_suite "node $(node --version 2>/dev/null), @aws-sdk/client-amplifybackend" \
  bash -c 'cd tests/conformance/js && npm ci --no-audit --no-fund --loglevel=error && node --test'

echo
echo "=== conformance summary"
for i in "${!names[@]}"; do
  printf '  %-60s %-18s %s\n' "${names[$i]}" "${results[$i]}" "${times[$i]}"
done
[ $failed -ne 0 ] && [ $total_failed -eq 0 ] && total_failed=1
echo "conformance-total: $total_passed passed, $total_failed failed"
if [ $failed -ne 0 ]; then
  echo "conformance: FAILED"
  exit 1
fi
echo "conformance: all suites passed"
