#!/usr/bin/env bash
# Benchmark (not a test): one table, every row measured in this run on this machine, printed and written with the
# machine's description to bench/RESULTS.md.
#   - Throughput and p50/p99 at a fixed concurrency (wrk on loopback) of GetBackendJob, GetBackend (an environment with
#     auth, storage and an API with generated models), ListBackendJobs (a page of 25), CreateToken, CreateBackend on a new
#     app each request (a durable job-creating write) and UpdateBackendConfig with changing values: Ampstack on SQLite
#     in lenient auth, each next to a bare Kestrel endpoint answering the same bytes (the floor of the stack), and to
#     moto's server (pip's moto has no AmplifyBackend: its rest-json amp ListWorkspaces, with 25 workspaces, and
#     CreateWorkspace stand for a read and a write).
#   - GetBackendJob in strict auth (a credential store; wrk replays one request signed for real by botocore, so every
#     request's signature is verified), and GetBackendJob and CreateBackend on PostgreSQL (a throwaway server started
#     here, tools/postgres/cluster.sh).
#   - Cold start (process start to first answer) and resident memory idle and after the load: Ampstack (the built
#     server, not the ./ampstack script, which may build first), bare Kestrel, moto.
#   - Job latency from the create call's answer to GetBackendJob answering COMPLETED (a client polling as fast as it
#     can), in --jobs immediate and --jobs delay:0s.
#   - The server compiled ahead of time (AMPSTACK_BUILD=aot, Native AOT): cold start, memory, and the three read rows.
#   - With BASELINE=<git revision>: that revision, built as its ./ampstack built it in a temporary worktree, through the
#     same rows (reads, creates, PostgreSQL, start and memory), and a table of issue 24's goals, before and after.
#   - Growth: every ListBackendJobs form, GetBackendJob and GetBackend at 1,000 and at GROWTH_SIZE (default 1,000,000)
#     jobs in one environment, with the ratio (bench/Growth; bench/growth.sh runs this part alone).
# Usage: [BASELINE=<rev>] [GROWTH_SIZE=<jobs>] bench/run.sh [seconds per load run, default 10] [connections, default 32]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-10}"
conns="${2:-32}"
work="$(mktemp -d)"
pg_dir="$(mktemp -d)"; chmod 755 "$pg_dir"
source "$root/tools/postgres/cluster.sh"
source "$root/bench/lib.sh"  # prepare, seed_full, script: shared with bench/ab.sh
# Every Ampstack server here (the baseline's too, whose default was 50,000) runs with a rate limit no row reaches: a
# throttled answer is not the bytes bare Kestrel serves. A row that still has answers other than 2xx says so in the table.
export AMPSTACK_RATE_LIMIT=1000000
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  pg_test_stop; rm -rf "$pg_dir"
  [ -n "${BASELINE:-}" ] && git -C "$root" worktree remove --force "$work/baseline" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v moto_server >/dev/null || { echo "bench: moto_server (pip's moto) is not on PATH" >&2; exit 1; }
echo "building (Release)..."
build() { # project output
  dotnet build "$1" -c Release -o "$2" -nologo -v quiet -clp:ErrorsOnly >/dev/null
}
# The server as ./ampstack builds it (published ReadyToRun), and a plain build, for the cold start without it.
rid="$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')"
dotnet publish "$root/src/Ampstack.Host/Ampstack.Host.csproj" -c Release -r "$rid" --self-contained false \
  -p:PublishReadyToRun=true -o "$work/host" -nologo -v quiet -clp:ErrorsOnly >/dev/null
build "$root/src/Ampstack.Host/Ampstack.Host.csproj" "$work/host-jit"
build "$root/bench/BareKestrel/BareKestrel.csproj" "$work/bare"
echo "building the ahead-of-time server (Native AOT; a few minutes)..."
dotnet publish "$root/src/Ampstack.Host/Ampstack.Host.csproj" -c Release -r "$rid" -p:AmpstackAot=true -o "$work/host-aot" \
  -nologo -v quiet -clp:ErrorsOnly >/dev/null
if [ -n "${BASELINE:-}" ]; then
  git -C "$root" worktree add --detach -q "$work/baseline" "$BASELINE"
  dotnet publish "$work/baseline/src/Ampstack.Host/Ampstack.Host.csproj" -c Release -r "$rid" --self-contained false \
    -p:PublishReadyToRun=true -o "$work/baseline-host" -nologo -v quiet -clp:ErrorsOnly >/dev/null
fi

form_only="Authorization: AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/amplifybackend/aws4_request, SignedHeaders=host, Signature=0"
aps_only="Authorization: AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/aps/aws4_request, SignedHeaders=host, Signature=0"
since_ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
wait_for() { # url [header]: until the url answers
  until curl -s -o /dev/null -H "${2:-$form_only}" "$1"; do sleep 0.005; done
}
rss_mib() { # pid
  echo $(( $(ps -o rss= -p "$1") / 1024 ))
}
declare -A cold idle_rss pid_of
start_server() { # name url header command...: starts it in the background, records cold start, pid and idle memory
  local name=$1 url=$2 header=$3; shift 3
  local t0; t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 &
  pid_of[$name]=$!
  wait_for "$url" "$header"
  cold[$name]=$(since_ms "$t0")
}
idle_memory() { # name: resident memory once the process has settled after start
  idle_rss[$1]=$(rss_mib "${pid_of[$1]}")
}

port=$((20000 + RANDOM % 20000))
lenient_port=$port; strict_port=$((port + 1)); bare_port=$((port + 2)); moto_port=$((port + 3)); pg_port=$((port + 4))
delay_port=$((port + 5)); baseline_port=$((port + 6)); aot_port=$((port + 7)); baseline_pg_port=$((port + 8))
host="$work/host/Ampstack.Host.dll"
mkdir -p "$work/bodies"
start_server ampstack "http://127.0.0.1:$lenient_port/" "$form_only" \
  dotnet "$host" serve --port "$lenient_port" --data-dir "$work/lenient"
start_server bare "http://127.0.0.1:$bare_port/" "$form_only" dotnet "$work/bare/BareKestrel.dll" "$bare_port" "$work/bodies"
start_server moto "http://127.0.0.1:$moto_port/workspaces" "$aps_only" moto_server -p "$moto_port"
start_server jit "http://127.0.0.1:$delay_port/" "$form_only" \
  dotnet "$work/host-jit/Ampstack.Host.dll" serve --port "$delay_port" --data-dir "$work/jit"
start_server aot "http://127.0.0.1:$aot_port/" "$form_only" \
  "$work/host-aot/Ampstack.Host" serve --port "$aot_port" --data-dir "$work/aot"
if [ -n "${BASELINE:-}" ]; then
  start_server baseline "http://127.0.0.1:$baseline_port/" "$form_only" \
    dotnet "$work/baseline-host/Ampstack.Host.dll" serve --port "$baseline_port" --data-dir "$work/baseline-data"
fi
sleep 2 # idle: settled after start
for name in ampstack bare moto jit aot ${BASELINE:+baseline}; do idle_memory "$name"; done
kill "${pid_of[jit]}"; wait "${pid_of[jit]}" 2>/dev/null || true; unset 'pid_of[jit]'
start_server strict "http://127.0.0.1:$strict_port/" "$form_only" \
  env AMPSTACK_CREDENTIALS="test test 000000000000" dotnet "$host" serve --port "$strict_port" --data-dir "$work/strict"
start_server delay "http://127.0.0.1:$delay_port/" "$form_only" \
  dotnet "$host" serve --port "$delay_port" --data-dir "$work/delay" --jobs delay:0s
pg_test_start "$pg_dir/pg" >/dev/null
start_server postgres "http://127.0.0.1:$pg_port/" "$form_only" env AMPSTACK_STORE=postgres \
  AMPSTACK_CONNECTION_STRING="$AMPSTACK_TEST_POSTGRES" dotnet "$host" serve --port "$pg_port" --data-dir "$work/unused"
if [ -n "${BASELINE:-}" ]; then
  start_server baseline-pg "http://127.0.0.1:$baseline_pg_port/" "$form_only" env AMPSTACK_STORE=postgres \
    AMPSTACK_CONNECTION_STRING="${AMPSTACK_TEST_POSTGRES/Database=ampstack/Database=baseline}" \
    dotnet "$work/baseline-host/Ampstack.Host.dll" serve --port "$baseline_pg_port" --data-dir "$work/unused"
fi

# ---- data, and the bytes each request is answered with (the bare endpoint answers the same) ----
seed_full "http://127.0.0.1:$lenient_port"
seed_full "http://127.0.0.1:$aot_port"
[ -n "${BASELINE:-}" ] && seed_full "http://127.0.0.1:$baseline_port"
job_path=$(prepare "http://127.0.0.1:$lenient_port")
aot_path=$(prepare "http://127.0.0.1:$aot_port")
strict_path=$(prepare "http://127.0.0.1:$strict_port" "$work/strict.lua")
pg_path=$(prepare "http://127.0.0.1:$pg_port")
if [ -n "${BASELINE:-}" ]; then
  baseline_path=$(prepare "http://127.0.0.1:$baseline_port")
  baseline_pg_path=$(prepare "http://127.0.0.1:$baseline_pg_port")
fi
for i in $(seq 1 25); do
  curl -s -o /dev/null -X POST -H "$aps_only" -H 'Content-Type: application/json' -d "{\"alias\":\"seed$i\"}" \
    "http://127.0.0.1:$moto_port/workspaces"
done

# Saves the answer of one such request to the bare endpoint's bodies (it reads them at the first request naming them).
capture() { # name method url [body]
  local code
  code=$(curl -s -w '%{http_code}' -X "$2" -H "$form_only" -H 'Content-Type: application/json' ${4:+-d "$4"} \
    -o "$work/bodies/$1" "$3")
  [ "$code" = 200 ] || { echo "bench: $2 $3 answered $code: $(cat "$work/bodies/$1")" >&2; exit 1; }
}
L="http://127.0.0.1:$lenient_port"
script "$work/job.lua" GET "" job
capture job GET "$L$job_path"
script "$work/details.lua" POST '{"backendEnvironmentName":"dev"}' details
capture details POST "$L/backend/full/details" '{"backendEnvironmentName":"dev"}'
script "$work/list.lua" POST '{"maxResults":25}' list
capture list POST "$L/backend/full/job/list" '{"maxResults":25}'
script "$work/token.lua" POST "" token
capture token POST "$L/backend/full/challenge"
script "$work/create.lua" POST \
  "lua:'{\"appId\":\"' .. prefix .. n .. '\",\"appName\":\"' .. prefix .. n .. '\",\"backendEnvironmentName\":\"dev\"}'" create
capture create POST "$L/backend" '{"appId":"captured","appName":"captured","backendEnvironmentName":"dev"}'
script "$work/config.lua" POST \
  "lua:'{\"loginAuthConfig\":{\"aws_cognito_region\":\"us-east-1\",\"aws_user_pools_id\":\"us-east-1_' .. prefix .. n .. '\"}}'" config
capture config POST "$L/backend/full/config/update" '{"loginAuthConfig":{"aws_cognito_region":"us-east-1","aws_user_pools_id":"x"}}'
# The deployment artifact amplify pull downloads: S3 GetObject of the environment's #current-cloud-backend.zip.
s3_only="Authorization: AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0"
artifact_at=$(artifact_path "$L")
script "$work/artifact.lua" GET "" artifact "$s3_only"
curl -s -H "$s3_only" -o "$work/bodies/artifact" -w '' "$L$artifact_at"
script "$work/moto-list.lua" GET "" none "$aps_only"
script "$work/moto-create.lua" POST "lua:'{\"alias\":\"' .. prefix .. n .. '\"}'" none "$aps_only"
echo "answers: $(for f in "$work"/bodies/*; do printf '%s %s B, ' "$(basename "$f")" "$(stat -c %s "$f")"; done)"

# ---- load ----
declare -A rps p50 p99 errors
to_ms() { # wrk latency (e.g. 517.00us, 1.08ms, 1.2s) in ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000;
                         printf "%.2f", n }'
}
load() { # key url lua
  wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$3" "$2" > "$work/$1.txt"
  rps[$1]=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$work/$1.txt")
  p50[$1]=$(to_ms "$(awk '$1=="50%" {print $2}' "$work/$1.txt")")
  p99[$1]=$(to_ms "$(awk '$1=="99%" {print $2}' "$work/$1.txt")")
  errors[$1]=$(awk '/Non-2xx/ {print $5} /Socket errors/ {print "socket errors"}' "$work/$1.txt" | xargs)
  printf '  %-28s %8s req/s  p50 %7s ms  p99 %7s ms  %s\n' "$1" "${rps[$1]}" "${p50[$1]}" "${p99[$1]}" \
    "${errors[$1]:+non-2xx: ${errors[$1]}}"
}
B="http://127.0.0.1:$bare_port"
M="http://127.0.0.1:$moto_port"
echo "wrk: 2 threads, $conns connections, ${secs}s each, on $(nproc) cores shared with the servers"
wrk -t2 -c"$conns" -d3s -s "$work/job.lua" "$L$job_path" >/dev/null   # warm-up
wrk -t2 -c"$conns" -d3s -s "$work/job.lua" "$B/" >/dev/null
for row in job details list token create config; do
  case $row in
    job) path=$job_path ;; details) path=/backend/full/details ;; list) path=/backend/full/job/list ;;
    token) path=/backend/full/challenge ;; create) path=/backend ;; config) path=/backend/full/config/update ;;
  esac
  load "$row" "$L$path" "$work/$row.lua"
  load "bare-$row" "$B/" "$work/$row.lua"
done
load moto-list "$M/workspaces" "$work/moto-list.lua"
load moto-create "$M/workspaces" "$work/moto-create.lua"
wrk -t2 -c"$conns" -d3s -s "$work/strict.lua" "http://127.0.0.1:$strict_port$strict_path" >/dev/null
load strict "http://127.0.0.1:$strict_port$strict_path" "$work/strict.lua"
wrk -t2 -c"$conns" -d3s -s "$work/job.lua" "http://127.0.0.1:$pg_port$pg_path" >/dev/null
load pg-job "http://127.0.0.1:$pg_port$pg_path" "$work/job.lua"
load pg-create "http://127.0.0.1:$pg_port/backend" "$work/create.lua"
load artifact "$L$artifact_at" "$work/artifact.lua"
load bare-artifact "$B/" "$work/artifact.lua"
# Another build's three read rows and its create row, after a warm-up: <name>-job, -details, -list, -create.
build_rows() { # name base-url job-path
  wrk -t2 -c"$conns" -d3s -s "$work/job.lua" "$2$3" >/dev/null
  load "$1-job" "$2$3" "$work/job.lua"
  load "$1-details" "$2/backend/full/details" "$work/details.lua"
  load "$1-list" "$2/backend/full/job/list" "$work/list.lua"
  load "$1-create" "$2/backend" "$work/create.lua"
}
build_rows aot "http://127.0.0.1:$aot_port" "$aot_path"
if [ -n "${BASELINE:-}" ]; then
  build_rows baseline "http://127.0.0.1:$baseline_port" "$baseline_path"
  wrk -t2 -c"$conns" -d3s -s "$work/job.lua" "http://127.0.0.1:$baseline_pg_port$baseline_pg_path" >/dev/null
  load baseline-pg-job "http://127.0.0.1:$baseline_pg_port$baseline_pg_path" "$work/job.lua"
  load baseline-pg-create "http://127.0.0.1:$baseline_pg_port/backend" "$work/create.lua"
  # Again, after the baseline, so that drift over the run shows.
  load job-again "$L$job_path" "$work/job.lua"
fi
declare -A load_rss
for name in ampstack bare moto aot ${BASELINE:+baseline}; do load_rss[$name]=$(rss_mib "${pid_of[$name]}"); done

# ---- job latency: from the create call's answer to GetBackendJob answering COMPLETED ----
job_latency() { # base-url
  python3 - "$1" <<'PY'
import sys, time, uuid, boto3
c = boto3.client("amplifybackend", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test")
c.create_backend(AppId="warm", AppName="warm", BackendEnvironmentName="dev")
waits = []
for i in range(200):
    app = "lat" + uuid.uuid4().hex[:12]
    job = c.create_backend(AppId=app, AppName=app, BackendEnvironmentName="dev")["JobId"]
    answered = time.perf_counter()
    while c.get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job)["Status"] != "COMPLETED":
        pass
    waits.append((time.perf_counter() - answered) * 1000)
waits.sort()
print(f"{waits[len(waits) // 2]:.2f} {waits[int(len(waits) * 0.99)]:.2f}")
PY
}
read -r immediate_p50 immediate_p99 < <(job_latency "$L")
read -r delay_p50 delay_p99 < <(job_latency "http://127.0.0.1:$delay_port")
one_get_p50=$(python3 - "$L" "$job_path" <<'PY'
import sys, time, boto3
c = boto3.client("amplifybackend", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test")
job = sys.argv[2].rsplit("/", 1)[1]
times = []
for i in range(300):
    t = time.perf_counter()
    c.get_backend_job(AppId="bench", BackendEnvironmentName="dev", JobId=job)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(f"{times[len(times) // 2]:.2f}")
PY
)

# ---- growth: the same calls at 1,000 and at GROWTH_SIZE jobs ----
kill "${pid_of[@]}" 2>/dev/null || true  # the servers are done: the cores are the growth benchmark's alone
growth_size="${GROWTH_SIZE:-1000000}"
echo "growth: seeding and timing 1,000 and $growth_size jobs..."
dotnet run -c Release --project "$root/bench/Growth/Ampstack.Bench.Growth.csproj" -- "$growth_size" 2000 | tee "$work/growth.txt"

# ---- the table ----
odd() { echo "${errors[$1]:+ (non-2xx: ${errors[$1]})}"; }  # key: a row's note when wrk saw other answers
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
table="$work/table.md"
{
  echo "| row | Ampstack req/s | p50 ms | p99 ms | bare Kestrel req/s (same bytes) | Ampstack / bare | moto req/s | moto p50 ms | Ampstack / moto |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for row in job details list token create config; do
    case $row in
      job) label="GetBackendJob"; moto=moto-list ;;
      details) label="GetBackend (auth, storage, API with models)"; moto="" ;;
      list) label="ListBackendJobs (page of 25, $(stat -c %s "$work/bodies/list") B)"; moto=moto-list ;;
      token) label="CreateToken (write)"; moto=moto-create ;;
      create) label="CreateBackend, new app each request (durable write, job)"; moto=moto-create ;;
      config) label="UpdateBackendConfig, changing values (write)"; moto=moto-create ;;
    esac
    if [ -n "$moto" ]; then
      m="${rps[$moto]} | ${p50[$moto]} | $(ratio "${rps[$row]}" "${rps[$moto]}")×"
    else
      m="- | - | -"
    fi
    echo "| $label$(odd "$row") | ${rps[$row]} | ${p50[$row]} | ${p99[$row]} | ${rps[bare-$row]} | $(ratio "${rps[$row]}" "${rps[bare-$row]}") | $m |"
  done
  echo "| GetBackendJob, strict auth (SigV4 verified)$(odd strict) | ${rps[strict]} | ${p50[strict]} | ${p99[strict]} | ${rps[bare-job]} | $(ratio "${rps[strict]}" "${rps[bare-job]}") | | | |"
  echo "| GetBackendJob, PostgreSQL$(odd pg-job) | ${rps[pg-job]} | ${p50[pg-job]} | ${p99[pg-job]} | ${rps[bare-job]} | $(ratio "${rps[pg-job]}" "${rps[bare-job]}") | | | |"
  echo "| CreateBackend, PostgreSQL$(odd pg-create) | ${rps[pg-create]} | ${p50[pg-create]} | ${p99[pg-create]} | | | | | |"
  if [ -n "${BASELINE:-}" ]; then
    echo "| GetBackendJob at $BASELINE$(odd baseline-job) | ${rps[baseline-job]} | ${p50[baseline-job]} | ${p99[baseline-job]} | | | | | |"
    echo "| CreateBackend at $BASELINE$(odd baseline-create) | ${rps[baseline-create]} | ${p50[baseline-create]} | ${p99[baseline-create]} | | | | | |"
    echo "| GetBackendJob again, after the baseline$(odd job-again) | ${rps[job-again]} | ${p50[job-again]} | ${p99[job-again]} | | | | | |"
  fi
  echo "| S3 GetObject of the deployment artifact (#current-cloud-backend.zip, $(stat -c %s "$work/bodies/artifact") B)$(odd artifact) | ${rps[artifact]} | ${p50[artifact]} | ${p99[artifact]} | ${rps[bare-artifact]} | $(ratio "${rps[artifact]}" "${rps[bare-artifact]}") | | | |"
  for row in job details list create; do
    echo "| ahead-of-time build (AMPSTACK_BUILD=aot): $row$(odd "aot-$row") | ${rps[aot-$row]} | ${p50[aot-$row]} | ${p99[aot-$row]} | ${rps[bare-$row]} | $(ratio "${rps[aot-$row]}" "${rps[bare-$row]}") | | | |"
  done
  echo
  echo "| process | cold start (start to first answer) | resident memory idle | after the load |"
  echo "|---|---:|---:|---:|"
  for name in ampstack jit aot ${BASELINE:+baseline} bare moto; do
    case $name in
      ampstack) label="Ampstack (SQLite), as ./ampstack builds it (ReadyToRun)" ;; jit) label="Ampstack, a plain build (JIT)" ;;
      aot) label="Ampstack, ahead of time (AMPSTACK_BUILD=aot, Native AOT)" ;;
      baseline) label="Ampstack at ${BASELINE:-}, as its ./ampstack built it" ;;
      bare) label="bare Kestrel" ;; moto) label="moto_server" ;;
    esac
    echo "| $label | ${cold[$name]} ms | ${idle_rss[$name]} MiB | ${load_rss[$name]:+${load_rss[$name]} MiB} |"
  done
  if [ -n "${BASELINE:-}" ]; then
    echo
    echo "Issue 24's goals, before ($BASELINE) and after (this commit), from the rows above:"
    echo
    echo "| measure | before | after | after, ahead of time | goal |"
    echo "|---|---:|---:|---:|---|"
    echo "| GetBackendJob / bare Kestrel, same bytes | $(ratio "${rps[baseline-job]}" "${rps[bare-job]}") | $(ratio "${rps[job]}" "${rps[bare-job]}") | $(ratio "${rps[aot-job]}" "${rps[bare-job]}") | >= 0.7 |"
    echo "| GetBackend / bare | $(ratio "${rps[baseline-details]}" "${rps[bare-details]}") | $(ratio "${rps[details]}" "${rps[bare-details]}") | $(ratio "${rps[aot-details]}" "${rps[bare-details]}") | >= 0.6 |"
    echo "| ListBackendJobs page of 25 / bare | $(ratio "${rps[baseline-list]}" "${rps[bare-list]}") | $(ratio "${rps[list]}" "${rps[bare-list]}") | $(ratio "${rps[aot-list]}" "${rps[bare-list]}") | >= 0.5 |"
    echo "| durable creates (CreateBackend, $conns clients), SQLite | ${rps[baseline-create]}/s ($(ratio "${rps[baseline-create]}" "${rps[moto-create]}")x moto) | ${rps[create]}/s ($(ratio "${rps[create]}" "${rps[moto-create]}")x moto) | ${rps[aot-create]}/s | >= 8,000/s, >= 20x moto |"
    echo "| PostgreSQL node / SQLite node, GetBackendJob | $(ratio "${rps[baseline-pg-job]}" "${rps[baseline-job]}") | $(ratio "${rps[pg-job]}" "${rps[job]}") | | >= 0.6 |"
    echo "| PostgreSQL node / SQLite node, creates | $(ratio "${rps[baseline-pg-create]}" "${rps[baseline-create]}") | $(ratio "${rps[pg-create]}" "${rps[create]}") | | >= 0.5 |"
    echo "| resident memory idle / after the load, MiB | ${idle_rss[baseline]} / ${load_rss[baseline]} | ${idle_rss[ampstack]} / ${load_rss[ampstack]} | ${idle_rss[aot]} / ${load_rss[aot]} | < 50 / < 80 |"
    echo "| cold start to first answer / bare Kestrel | $(ratio "${cold[baseline]}" "${cold[bare]}") | $(ratio "${cold[ampstack]}" "${cold[bare]}") | $(ratio "${cold[aot]}" "${cold[bare]}") | <= 1.0 |"
    echo "| deployment artifact reads (S3 GetObject of the zip) / bare | | $(ratio "${rps[artifact]}" "${rps[bare-artifact]}") | | >= 0.6 |"
  fi
  echo
  echo "| job latency, create answered to COMPLETED seen (a client polling GetBackendJob) | p50 ms | p99 ms |"
  echo "|---|---:|---:|"
  echo "| --jobs immediate | $immediate_p50 | $immediate_p99 |"
  echo "| --jobs delay:0s | $delay_p50 | $delay_p99 |"
  echo "| (one GetBackendJob from the same client, for scale) | $one_get_p50 | |"
  echo
  echo "Growth: in-process calls through the domain services and the SQLite store (bench/Growth/Program.cs says why), p50"
  echo "and p99 at 1,000 and at $growth_size jobs in one environment. Each timed call makes its answer afresh: an untimed"
  echo "write of the app row before it gives the app a new revision, so no answer kept per revision is timed."
  echo
  grep '^|' "$work/growth.txt"
} > "$table"
echo
cat "$table"
# Read before the redirection below truncates RESULTS.md, which would count as a change.
revision="$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ' (with uncommitted changes)')"
{
  echo "# Benchmark results"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "$(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), .NET $(dotnet --version), moto $(python3 -c 'import moto; print(moto.__version__)');"
  echo "commit $revision."
  echo "Command: \`${BASELINE:+BASELINE=$BASELINE }${GROWTH_SIZE:+GROWTH_SIZE=$GROWTH_SIZE }bench/run.sh $secs $conns\` (wrk, 2 threads, $conns connections, ${secs} s a row; the"
  echo "servers and wrk share the cores). Every row comes from the same run; compare within it, not across machines."
  echo
  cat "$table"
} > "$root/bench/RESULTS.md"
echo
echo "written to bench/RESULTS.md"
