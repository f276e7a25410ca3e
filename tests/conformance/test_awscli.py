"""A full lifecycle through the AWS CLI, with each CLI on the machine: Debian's AWS CLI v2 (/usr/bin/aws) and pip's
AWS CLI v1 (the `aws` of the pyenv Python). A CLI that is not installed is skipped with the reason."""

import concurrent.futures
import functools
import json
import os
import shutil
import subprocess
import sys
import uuid

import pytest

from conftest import SCHEMA, TERMINAL, UUID4, api_config, auth_config, new_app_id, storage_config

# A service error exits 254 in CLI v2 and 255 in CLI v1 (v1 has one code for every error).
ERROR_EXIT = {"2": 254, "1": 255}


def _candidates():
    paths = ["/usr/bin/aws", os.path.join(os.path.dirname(sys.executable), "aws")]
    paths += [os.path.join(d, "aws") for d in os.environ.get("PATH", "").split(os.pathsep) if d]
    pyenv = shutil.which("pyenv")
    if pyenv:
        try:
            real = subprocess.run([pyenv, "which", "aws"], capture_output=True, text=True, timeout=30).stdout.strip()
            if real:
                paths.append(real)
        except (OSError, subprocess.SubprocessError):
            pass
    seen = set()
    for path in paths:
        if os.path.isfile(path) and os.access(path, os.X_OK) and "/shims/" not in path:
            real = os.path.realpath(path)
            if real not in seen:
                seen.add(real)
                yield path


@functools.lru_cache(maxsize=None)
def installed_clis():
    """{major version: (path, version line)} of the AWS CLIs on this machine."""
    found = {}
    for path in _candidates():
        try:
            out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60, env=cli_env())
        except (OSError, subprocess.SubprocessError):
            continue
        line = (out.stdout or out.stderr).strip()
        if line.startswith("aws-cli/"):
            found.setdefault(line.split("/")[1].split(".")[0], (path, line))
    return found


def cli_env():
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env.update({"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_CONFIG_FILE": os.devnull,
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_PAGER": "", "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_EC2_METADATA_DISABLED": "true"})
    return env


class Cli:
    def __init__(self, path, major, url):
        self.path, self.major, self.url = path, major, url
        self.env = cli_env()

    def run(self, *args, rc=0):
        cmd = [self.path, "amplifybackend", *args, "--endpoint-url", self.url, "--region", "us-east-1",
               "--output", "json"]
        proc = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == rc, f"{' '.join(cmd)} -> {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
        if rc != 0:
            return proc.stderr
        return json.loads(proc.stdout) if proc.stdout.strip() else {}

    def run_all(self, *commands):
        """Runs independent commands at once (each a tuple of arguments); returns their results in order."""
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(commands)) as pool:
            return [f.result() for f in [pool.submit(self.run, *args) for args in commands]]

    def accepted(self, resp, app, operation=None):
        assert UUID4.match(resp["JobId"]) and resp["Status"] == "RUNNING" and resp["AppId"] == app, resp
        if operation:
            assert resp["Operation"] == operation, resp
        return resp["JobId"]


@pytest.fixture(params=["2", "1"], ids=["awscli-v2", "awscli-v1"])
def cli(request, url):
    major = request.param
    if os.environ.get("AMPSTACK_CONFORMANCE_SKIP_CLI"):
        # run.sh sets this for its second interpreter: the CLIs bring their own Python, so a second run adds nothing.
        pytest.skip("the AWS CLI tests already ran under the first interpreter of this run")
    found = installed_clis()
    if major not in found:
        pytest.skip(f"AWS CLI v{major} is not installed (found: {sorted(v for _, v in found.values()) or 'none'})")
    path, _ = found[major]
    return Cli(path, major, url)


def test_lifecycle(cli):
    app = new_app_id("cli")
    run = cli.run
    ops = []  # (job id, operation) in the order accepted on environment dev
    resp = run("create-backend", "--app-id", app, "--app-name", "cli-app", "--backend-environment-name", "dev")
    ops.append((cli.accepted(resp, app, "CreateBackend"), "CreateBackend"))
    job = run("get-backend-job", "--app-id", app, "--backend-environment-name", "dev", "--job-id", ops[0][0])
    assert job["Status"] == "COMPLETED" and job["Operation"] == "CreateBackend" and job["CreateTime"].isdigit(), job

    auth = auth_config()
    resp = run("create-backend-auth", "--app-id", app, "--backend-environment-name", "dev",
               "--resource-name", "auth1", "--resource-config", json.dumps(auth))
    ops.append((cli.accepted(resp, app, "CreateBackendAuth"), "CreateBackendAuth"))
    got = run("get-backend-auth", "--app-id", app, "--backend-environment-name", "dev", "--resource-name", "auth1")
    assert got["ResourceConfig"] == auth

    api = api_config()
    resp = run("create-backend-api", "--app-id", app, "--backend-environment-name", "dev",
               "--resource-name", "api1", "--resource-config", json.dumps(api))
    ops.append((cli.accepted(resp, app, "CreateBackendAPI"), "CreateBackendAPI"))
    got = run("get-backend-api", "--app-id", app, "--backend-environment-name", "dev", "--resource-name", "api1")
    assert got["ResourceConfig"] == api

    bucket = f"cli-{uuid.uuid4().hex[:16]}"
    storage = storage_config(bucket)
    resp = run("create-backend-storage", "--app-id", app, "--backend-environment-name", "dev",
               "--resource-name", "files", "--resource-config", json.dumps(storage))
    assert "Operation" not in resp
    ops.append((cli.accepted(resp, app), "CreateBackendStorage"))
    got = run("get-backend-storage", "--app-id", app, "--backend-environment-name", "dev", "--resource-name", "files")
    assert got["ResourceConfig"] == {"BucketName": bucket, "Imported": False, "Permissions": storage["Permissions"],
                                     "ServiceName": "S3"}

    resp = run("clone-backend", "--app-id", app, "--backend-environment-name", "dev", "--target-environment-name", "test")
    ops.append((cli.accepted(resp, app, "CloneBackend"), "CloneBackend"))
    details = run("get-backend", "--app-id", app)
    assert details["BackendEnvironmentName"] == "dev" and details["BackendEnvironmentList"] == ["dev", "test"]
    assert "auth1" in json.loads(details["AmplifyMetaConfig"])["auth"]

    # ListBackendJobs: the CLI follows nextToken itself (here one job per service call) ...
    listed = run("list-backend-jobs", "--app-id", app, "--backend-environment-name", "dev", "--page-size", "1")
    assert "NextToken" not in listed
    assert [(j["JobId"], j["Operation"]) for j in listed["Jobs"]] == ops
    assert {j["Status"] for j in listed["Jobs"]} == {"COMPLETED"}
    # ... and --max-items pages with the CLI's own NextToken.
    first = run("list-backend-jobs", "--app-id", app, "--backend-environment-name", "dev", "--max-items", "3")
    assert first["Jobs"] == listed["Jobs"][:3] and first["NextToken"]
    rest = run("list-backend-jobs", "--app-id", app, "--backend-environment-name", "dev", "--max-items", "3",
               "--starting-token", first["NextToken"])
    assert rest["Jobs"] == listed["Jobs"][3:] and "NextToken" not in rest

    token = run("create-token", "--app-id", app)
    assert token["AppId"] == app and len(token["ChallengeCode"]) >= 32 and token["Ttl"].isdigit()
    assert run("get-token", "--app-id", app, "--session-id", token["SessionId"]) == token
    assert run("delete-token", "--app-id", app, "--session-id", token["SessionId"]) == {"IsSuccess": True}
    stderr = run("get-token", "--app-id", app, "--session-id", token["SessionId"], rc=ERROR_EXIT[cli.major])
    assert "NotFoundException" in stderr

    resp = run("create-backend-config", "--app-id", app)
    assert resp["BackendEnvironmentName"] == "dev"
    ops.append((cli.accepted(resp, app), "CreateBackendConfig"))
    login = {"AwsCognitoIdentityPoolId": "us-east-1:abc", "AwsCognitoRegion": "us-east-1",
             "AwsUserPoolsId": "us-east-1_Abc", "AwsUserPoolsWebClientId": "client"}
    updated = run("update-backend-config", "--app-id", app, "--login-auth-config", json.dumps(login))
    assert updated == {"AppId": app, "LoginAuthConfig": login}
    assert run("remove-backend-config", "--app-id", app) == {}

    test_ops = []
    resp = run("delete-backend-api", "--app-id", app, "--backend-environment-name", "test", "--resource-name", "api1")
    test_ops.append((cli.accepted(resp, app, "DeleteBackendAPI"), "DeleteBackendAPI"))
    resp = run("delete-backend-auth", "--app-id", app, "--backend-environment-name", "test", "--resource-name", "auth1")
    test_ops.append((cli.accepted(resp, app, "DeleteBackendAuth"), "DeleteBackendAuth"))
    resp = run("delete-backend-storage", "--app-id", app, "--backend-environment-name", "test",
               "--resource-name", "files", "--service-name", "S3")
    test_ops.append((cli.accepted(resp, app), "DeleteBackendStorage"))
    meta = json.loads(run("get-backend", "--app-id", app, "--backend-environment-name", "test")["AmplifyMetaConfig"])
    assert meta["auth"] == {} and meta["api"] == {} and meta["storage"] == {}
    test_jobs = run("list-backend-jobs", "--app-id", app, "--backend-environment-name", "test")["Jobs"]
    assert [(j["JobId"], j["Operation"], j["Status"]) for j in test_jobs] == [(i, o, "COMPLETED") for i, o in test_ops]
    resp = run("delete-backend", "--app-id", app, "--backend-environment-name", "test")
    cli.accepted(resp, app, "DeleteBackend")

    resp = run("remove-all-backends", "--app-id", app, "--clean-amplify-app")
    assert "BackendEnvironmentName" not in resp
    job_id = cli.accepted(resp, app, "RemoveAllBackends")
    job = run("get-backend-job", "--app-id", app, "--backend-environment-name", "dev", "--job-id", job_id)
    assert job["Status"] == "COMPLETED" and job["Operation"] == "RemoveAllBackends"
    stderr = run("get-backend", "--app-id", app, rc=ERROR_EXIT[cli.major])
    assert "NotFoundException" in stderr and f"App {app} was not found." in stderr


def test_error_exit_code_and_message(cli):
    app = new_app_id("cli")
    stderr = cli.run("get-backend", "--app-id", app, rc=ERROR_EXIT[cli.major])
    assert "An error occurred (NotFoundException) when calling the GetBackend operation" in stderr
    assert f"App {app} was not found." in stderr
    stderr = cli.run("list-backend-jobs", "--app-id", app, "--backend-environment-name", "dev", "--max-items", "1",
                     "--page-size", "30", rc=ERROR_EXIT[cli.major])
    assert "BadRequestException" in stderr and "30 is greater than the maximum of 25" in stderr


def test_the_other_operations(cli):
    """The nine operations the lifecycle does not use, on two apps at a time."""
    a, b = new_app_id("cli"), new_app_id("cli")
    run = cli.run
    for app, resp in zip((a, b), cli.run_all(
            ("create-backend", "--app-id", a, "--app-name", "a", "--backend-environment-name", "dev"),
            ("create-backend", "--app-id", b, "--app-name", "b", "--backend-environment-name", "dev"))):
        cli.accepted(resp, app, "CreateBackend")
    pool_id, bucket = "us-east-1_CliPool01", f"cli-imported-{uuid.uuid4().hex[:12]}"
    api_resp, auth_resp = cli.run_all(
        ("create-backend-api", "--app-id", a, "--backend-environment-name", "dev", "--resource-name", "api1",
         "--resource-config", json.dumps(api_config())),
        ("import-backend-auth", "--app-id", b, "--backend-environment-name", "dev", "--user-pool-id", pool_id,
         "--web-client-id", "web", "--native-client-id", "native", "--identity-pool-id", "us-east-1:cli"))
    cli.accepted(api_resp, a, "CreateBackendAPI")
    cli.accepted(auth_resp, b, "ImportBackendAuth")
    new_schema = SCHEMA + "type Note @model { id: ID! }\n"
    api_resp, storage_resp = cli.run_all(
        ("update-backend-api", "--app-id", a, "--backend-environment-name", "dev", "--resource-name", "api1",
         "--resource-config", json.dumps({"TransformSchema": new_schema})),
        ("import-backend-storage", "--app-id", b, "--backend-environment-name", "dev", "--bucket-name", bucket,
         "--service-name", "S3"))
    cli.accepted(api_resp, a, "UpdateBackendAPI")
    cli.accepted(storage_resp, b)
    generate, auth_update = cli.run_all(
        ("generate-backend-api-models", "--app-id", a, "--backend-environment-name", "dev", "--resource-name", "api1"),
        ("update-backend-auth", "--app-id", b, "--backend-environment-name", "dev", "--resource-name", pool_id,
         "--resource-config", json.dumps({"AuthResources": "IDENTITY_POOL_AND_USER_POOL", "Service": "COGNITO",
                                          "UserPoolConfigs": {"Mfa": {"MFAMode": "ON"}}})))
    generate_id = cli.accepted(generate, a, "GenerateBackendAPIModels")
    cli.accepted(auth_update, b, "UpdateBackendAuth")
    permissions = {"Authenticated": ["READ"], "UnAuthenticated": ["READ"]}
    storage_update = run("update-backend-storage", "--app-id", b, "--backend-environment-name", "dev",
                         "--resource-name", bucket, "--resource-config",
                         json.dumps({"Permissions": permissions, "ServiceName": "S3"}))
    cli.accepted(storage_update, b)

    api, models, job, storage, auth, buckets = cli.run_all(
        ("get-backend-api", "--app-id", a, "--backend-environment-name", "dev", "--resource-name", "api1"),
        ("get-backend-api-models", "--app-id", a, "--backend-environment-name", "dev", "--resource-name", "api1"),
        ("get-backend-job", "--app-id", a, "--backend-environment-name", "dev", "--job-id", generate_id),
        ("get-backend-storage", "--app-id", b, "--backend-environment-name", "dev", "--resource-name", bucket),
        ("get-backend-auth", "--app-id", b, "--backend-environment-name", "dev", "--resource-name", pool_id),
        ("list-s3-buckets",))
    assert api["ResourceConfig"]["TransformSchema"] == new_schema
    assert api["ResourceConfig"]["ApiName"] == api_config()["ApiName"]
    assert job["Status"] in TERMINAL and job["Operation"] == "GenerateBackendAPIModels", job
    if job["Status"] == "FAILED":
        assert job["Error"].strip() and "\x1b" not in job["Error"]
        assert models == {"Status": "STALE"}
    else:
        assert models["Status"] == "LATEST" and models["Models"].startswith("export const schema = ")
    assert storage["ResourceConfig"] == {"BucketName": bucket, "Imported": True, "Permissions": permissions,
                                         "ServiceName": "S3"}
    assert auth["ResourceConfig"]["UserPoolConfigs"]["Mfa"]["MFAMode"] == "ON"
    assert auth["ResourceConfig"]["AuthResources"] == "IDENTITY_POOL_AND_USER_POOL"
    assert bucket in {x["Name"] for x in buckets["Buckets"]}

    renamed = run("update-backend-job", "--app-id", a, "--backend-environment-name", "dev", "--job-id", generate_id,
                  "--operation", "RenamedByCli")
    assert renamed["Operation"] == "RenamedByCli" and renamed["JobId"] == generate_id
    stderr = run("update-backend-job", "--app-id", a, "--backend-environment-name", "dev", "--job-id", generate_id,
                 "--status", "RUNNING", rc=ERROR_EXIT[cli.major])
    assert "BadRequestException" in stderr and "A job can only be set to COMPLETED or FAILED." in stderr
