# Shared by bench/run.sh and bench/ab.sh (sourced, not run): how a server is seeded for the read rows, and the wrk
# scripts that drive them. The caller sets form_only (the Authorization header of lenient requests) before script runs.

# Prints the path of a GetBackendJob for a fresh job on the server; for strict auth, writes a wrk script replaying one
# request signed for real (valid for 15 minutes).
prepare() { # base-url [signed-lua-file]
  python3 - "$@" <<'PY'
import sys, boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
base = sys.argv[1]
c = boto3.client("amplifybackend", endpoint_url=base, region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test")
job = c.create_backend(AppId="bench", AppName="bench", BackendEnvironmentName="dev")["JobId"]
path = f"/backend/bench/job/dev/{job}"
if len(sys.argv) > 2:
    request = AWSRequest(method="GET", url=base + path)
    SigV4Auth(Credentials("test", "test"), "amplifybackend", "us-east-1").add_auth(request)
    with open(sys.argv[2], "w") as f:
        f.write("-- wrk script: one request signed for real, replayed\n")
        for name, value in request.headers.items():
            f.write(f'wrk.headers["{name}"] = "{value}"\n')
print(path)
PY
}
# The full environment of the read rows: auth, storage, an API with generated models, and an environment with 30 jobs
# for the list; on each server the read rows run on.
seed_full() { # base-url
python3 - "$1" <<'PY'
import sys, boto3
c = boto3.client("amplifybackend", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test")
c.create_backend(AppId="full", AppName="full", BackendEnvironmentName="dev")
c.create_backend_auth(AppId="full", BackendEnvironmentName="dev", ResourceName="auth", ResourceConfig={
    "AuthResources": "USER_POOL_ONLY", "Service": "COGNITO",
    "UserPoolConfigs": {"RequiredSignUpAttributes": ["EMAIL"], "SignInMethod": "EMAIL", "UserPoolName": "pool"}})
c.create_backend_storage(AppId="full", BackendEnvironmentName="dev", ResourceName="files",
                         ResourceConfig={"ServiceName": "S3", "Permissions": {"Authenticated": ["READ", "CREATE_AND_UPDATE"]}})
schema = "\n".join(f"type Model{i} @model {{ id: ID! name: String! count: Int }}" for i in range(20))
c.create_backend_api(AppId="full", BackendEnvironmentName="dev", ResourceName="api",
                     ResourceConfig={"ApiName": "api", "TransformSchema": schema,
                                     "DefaultAuthType": {"Mode": "API_KEY"}})
c.generate_backend_api_models(AppId="full", BackendEnvironmentName="dev", ResourceName="api")
c.create_backend(AppId="full", AppName="full", BackendEnvironmentName="list")
for i in range(15):
    c.create_backend_storage(AppId="full", BackendEnvironmentName="list", ResourceName="s3",
                             ResourceConfig={"ServiceName": "S3", "Permissions": {"Authenticated": ["READ"]}})
    c.delete_backend_storage(AppId="full", BackendEnvironmentName="list", ResourceName="s3", ServiceName="S3")
c.create_backend_config(AppId="full")
PY
}

# A wrk script: method, path, fixed body or a Lua expression of the request counter n, and the name under which the
# bare endpoint keeps the bytes Ampstack answers this request with.
script() { # file method body-or-"lua:expr" bare-body-name [auth-header]
  local file=$1 method=$2 body=$3 name=$4 auth=${5:-$form_only}
  {
    echo "wrk.method = \"$method\""
    echo 'wrk.headers["Content-Type"] = "application/json"'
    echo "wrk.headers[\"Authorization\"] = \"${auth#Authorization: }\""
    echo "wrk.headers[\"X-Bench-Body\"] = \"$name\""
    echo 'local threads = 0'
    echo 'function setup(thread) threads = threads + 1; thread:set("tid", threads) end'
    echo 'function init(args) prefix = "w" .. os.time() .. "t" .. tid .. "x"; n = 0 end'
    if [[ "$body" == lua:* ]]; then
      echo "function request() n = n + 1; return wrk.format(nil, nil, nil, ${body#lua:}) end"
    elif [ -n "$body" ]; then
      echo "wrk.body = '$body'"
    fi
  } > "$file"
}

# Prints the path of the full app's deployment artifact (#current-cloud-backend.zip) on a server seeded by seed_full.
artifact_path() { # base-url
  python3 - "$1" <<'PY'
import sys, json, boto3
c = boto3.client("amplifybackend", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test")
meta = json.loads(c.get_backend(AppId="full", BackendEnvironmentName="dev")["AmplifyMetaConfig"])
print("/" + meta["providers"]["awscloudformation"]["DeploymentBucketName"] + "/%23current-cloud-backend.zip")
PY
}
