"""The real Amplify CLI (14.2.2, tests/amplify-cli/package-lock.json) pulls a backend made through the Admin API
from one Ampstack port (issue 21): Amplify Hosting, S3, CloudFormation and STS beside the Admin API.

Each test makes a backend with boto3 (CreateBackend, CreateBackendAuth with email sign-in, CreateBackendAPI with a
@model schema and API key auth, CreateBackendStorage), then runs `amplify pull` headless in an empty folder, stdin
closed, with nothing in its environment but PATH, a private HOME, AWS_ENDPOINT_URL and AWS_AMPLIFY_ENDPOINT (the
credentials go in the --providers JSON, the only headless form that needs no ~/.aws and no Amplify Studio look-up).
The CLI can exit 0 after a failed pull (aws-amplify/amplify-cli#11009), so the tests judge the files it wrote:
src/aws-exports.js and src/amplifyconfiguration.json against GetBackend's AmplifyMetaConfig, `amplify status` (every
row "No Change"), `amplify env list`; then an UpdateBackendAuth and a second pull that must bring the new password
policy. In lenient and in strict auth (the CLI signs with the key of the providers JSON).

The CLI is installed by tools/amplify-cli/install.sh into a cache outside the repository (about 2 minutes the first
time). The tests skip only when that install fails because the npm registry cannot be reached.

AMPSTACK_AMPLIFY_PULL_URL=http://127.0.0.1:PORT (development only) points the CLI at another server instead, e.g. a
stub of the AWS side that has no Admin API: the backend is then the one it serves (app and env from
AMPSTACK_AMPLIFY_PULL_APP / AMPSTACK_AMPLIFY_PULL_ENV), the expected outputs come from its amplify-meta.json in the
deployment bucket, and the update step is skipped.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from conftest import DEFAULT_REGION, REPO, make_client, new_app_id, secret_for, wait_job

INSTALL = REPO / "tools" / "amplify-cli" / "install.sh"
CLI_TIMEOUT = float(os.environ.get("AMPSTACK_AMPLIFY_CLI_TIMEOUT", "300"))
JOB_TIMEOUT = 60.0
OVERRIDE_URL = os.environ.get("AMPSTACK_AMPLIFY_PULL_URL")
ENV = "dev"

SCHEMA = """type Todo @model {
  id: ID!
  name: String!
  description: String
}
"""

AUTH_NAME = "pullauth"
API_NAME = "pullapi"
STORAGE_NAME = "pullstorage"

pytestmark = pytest.mark.skipif(bool(os.environ.get("AMPSTACK_CONFORMANCE_SKIP_CLI")),
                                reason="the Amplify CLI runs on Node, not this Python: run once (first pytest run)")


# ---- the CLI ------------------------------------------------------------------------------------------------------

def _npm_reachable():
    """True when npm can reach its configured registry (`npm ping`); the only reason to skip."""
    if not shutil.which("npm"):
        return False, "npm is not installed"
    try:
        ping = subprocess.run(["npm", "ping", "--loglevel=error"], capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError) as e:
        return False, f"npm ping failed: {e}"
    if ping.returncode != 0:
        return False, f"npm ping exited {ping.returncode}: {(ping.stderr or ping.stdout).strip()[-300:]}"
    return True, ""


@pytest.fixture(scope="session")
def amplify_cli():
    """The path of the installed `amplify` executable (installs on first use; cached by the lock file's hash)."""
    run = subprocess.run(["bash", str(INSTALL)], capture_output=True, text=True, timeout=1200,
                         stdin=subprocess.DEVNULL)
    if run.returncode != 0:
        reachable, why = _npm_reachable()
        if not reachable:
            print(f"test_amplify_pull: skipping, the Amplify CLI cannot be installed: {why}")
            pytest.skip(f"the Amplify CLI cannot be installed: {why}")
        pytest.fail(f"tools/amplify-cli/install.sh failed although npm reaches its registry:\n{run.stderr[-3000:]}")
    path = run.stdout.strip().splitlines()[-1]
    assert os.access(path, os.X_OK), f"install.sh printed {path!r}, which is not executable"
    with tempfile.TemporaryDirectory(prefix="amplify-home-") as home:
        version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=120,
                                 stdin=subprocess.DEVNULL, cwd=home, env={"PATH": os.environ.get("PATH", ""), "HOME": home})
    assert version.stdout.strip().splitlines()[-1] == "14.2.2", version.stdout + version.stderr
    return path


class Project:
    """An empty project folder with a private HOME, and the CLI run in it against one endpoint."""

    def __init__(self, cli, url, key, secret, app_id):
        self.cli = cli
        self.url = url
        self.key = key
        self.secret = secret
        self.app_id = app_id
        self.root = Path(tempfile.mkdtemp(prefix="amplify-pull-"))
        self.dir = self.root / "project"
        self.home = self.root / "home"
        self.dir.mkdir()
        self.home.mkdir()
        self.last = None  # the last CLI run, shown when a file it should have written is missing

    def env(self):
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.home),
                "AWS_ENDPOINT_URL": self.url, "AWS_AMPLIFY_ENDPOINT": self.url}

    def run(self, *args):
        started = time.monotonic()
        try:
            proc = subprocess.run([self.cli, *args], cwd=str(self.dir), env=self.env(), stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, timeout=CLI_TIMEOUT)
            self.last = proc
            # Shown with `pytest -s` (and on a failure): the wall time the closing notes quote.
            print(f"amplify {args[0]}: exit {proc.returncode} after {time.monotonic() - started:.1f} s")
        except subprocess.TimeoutExpired as e:
            raise AssertionError(f"amplify {' '.join(args[:1])} did not finish within {CLI_TIMEOUT:.0f} s:\n"
                                 f"{(e.stdout or b'')[-3000:]!r}\n{(e.stderr or b'')[-3000:]!r}")
        return proc

    def pull(self):
        amplify = {"projectName": "pulltest", "appId": self.app_id, "envName": ENV, "defaultEditor": "code"}
        providers = {"awscloudformation": {"configLevel": "project", "useProfile": False, "accessKeyId": self.key,
                                           "secretAccessKey": self.secret, "region": DEFAULT_REGION}}
        frontend = {"frontend": "javascript", "framework": "none",
                    "config": {"SourceDir": "src", "DistributionDir": "dist",
                               "BuildCommand": "npm run-script build", "StartCommand": "npm run-script start"}}
        return self.run("pull", "--appId", self.app_id, "--envName", ENV, "--yes",
                        "--amplify", json.dumps(amplify), "--providers", json.dumps(providers),
                        "--frontend", json.dumps(frontend))

    def aws_exports(self):
        path = self.dir / "src" / "aws-exports.js"
        assert path.is_file(), f"no src/aws-exports.js (the CLI can exit 0 after a failed pull)\n{describe(self.last)}"
        text = path.read_text()
        match = re.search(r"const awsmobile = (\{.*\});\s*export default awsmobile;", text, re.S)
        assert match, f"aws-exports.js is not in the expected form:\n{text}"
        return json.loads(match.group(1))

    def amplify_configuration(self):
        path = self.dir / "src" / "amplifyconfiguration.json"
        assert path.is_file(), f"no src/amplifyconfiguration.json\n{describe(self.last)}"
        return json.loads(path.read_text())

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


def describe(proc):
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}"


def status_rows(output):
    """`amplify status`'s table as {(category, resource): operation}."""
    rows = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if len(cells) == 4 and cells[0] and cells[0] != "Category":
            rows[(cells[0], cells[1])] = cells[2]
    return rows


# ---- the backend --------------------------------------------------------------------------------------------------

def finished(client, app_id, resp):
    """Waits (bounded) for the job an Admin API call started; asserts it COMPLETED."""
    job = wait_job(client, app_id, ENV, resp["JobId"], timeout=JOB_TIMEOUT)
    assert job["Status"] == "COMPLETED", job
    return job


def auth_resource_config(min_length):
    return {
        "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
        "IdentityPoolConfigs": {"IdentityPoolName": "pullidentitypool", "UnauthenticatedLogin": False},
        "Service": "COGNITO",
        "UserPoolConfigs": {
            "PasswordPolicy": {"MinimumLength": float(min_length)},
            "RequiredSignUpAttributes": ["EMAIL"],
            "SignInMethod": "EMAIL",
            "UserPoolName": "pulluserpool",
        },
    }


def make_backend(client):
    app_id = new_app_id("pull")
    finished(client, app_id, client.create_backend(AppId=app_id, AppName=f"pull{app_id[-6:]}",
                                                    BackendEnvironmentName=ENV))
    finished(client, app_id, client.create_backend_auth(
        AppId=app_id, BackendEnvironmentName=ENV, ResourceName=AUTH_NAME, ResourceConfig=auth_resource_config(8)))
    finished(client, app_id, client.create_backend_api(
        AppId=app_id, BackendEnvironmentName=ENV, ResourceName=API_NAME,
        ResourceConfig={"ApiName": API_NAME, "Service": "AppSync", "TransformSchema": SCHEMA,
                        "DefaultAuthType": {"Mode": "API_KEY", "Settings": {"Description": "pull", "ExpirationTime": 7.0}}}))
    finished(client, app_id, client.create_backend_storage(
        AppId=app_id, BackendEnvironmentName=ENV, ResourceName=STORAGE_NAME,
        ResourceConfig={"ServiceName": "S3",
                        "Permissions": {"Authenticated": ["READ", "CREATE_AND_UPDATE", "DELETE"], "UnAuthenticated": ["READ"]}}))
    return app_id


def backend_meta(client, app_id):
    return json.loads(client.get_backend(AppId=app_id, BackendEnvironmentName=ENV)["AmplifyMetaConfig"])


def meta_from_bucket(url, key, app_id):
    """Development against another server: the amplify-meta.json its deployment bucket holds."""
    kwargs = dict(endpoint_url=url, region_name=DEFAULT_REGION, aws_access_key_id=key,
                  aws_secret_access_key=secret_for(key))
    env = boto3.session.Session().client("amplify", **kwargs).get_backend_environment(appId=app_id, environmentName=ENV)
    s3 = boto3.session.Session().client("s3", config=Config(s3={"addressing_style": "path"}), **kwargs)
    body = s3.get_object(Bucket=env["backendEnvironment"]["deploymentArtifacts"], Key="amplify-meta.json")["Body"]
    return json.loads(body.read())


def one(meta, category, service):
    entries = {name: r for name, r in meta.get(category, {}).items() if r.get("service") == service}
    assert len(entries) == 1, f"expected one {service} resource in amplify-meta {category}: {sorted(meta.get(category, {}))}"
    return next(iter(entries.items()))


def expected_exports(meta):
    """The aws-exports keys the outputs in amplify-meta determine."""
    region = meta["providers"]["awscloudformation"]["Region"]
    _, auth = one(meta, "auth", "Cognito")
    _, api = one(meta, "api", "AppSync")
    _, storage = one(meta, "storage", "S3")
    return {
        "aws_project_region": region,
        "aws_cognito_region": region,
        "aws_user_pools_id": auth["output"]["UserPoolId"],
        "aws_user_pools_web_client_id": auth["output"]["AppClientIDWeb"],
        "aws_cognito_identity_pool_id": auth["output"]["IdentityPoolId"],
        "aws_appsync_graphqlEndpoint": api["output"]["GraphQLAPIEndpointOutput"],
        "aws_appsync_apiKey": api["output"]["GraphQLAPIKeyOutput"],
        "aws_appsync_authenticationType": "API_KEY",
        "aws_appsync_region": region,
        "aws_user_files_s3_bucket": storage["output"]["BucketName"],
        "aws_user_files_s3_bucket_region": storage["output"]["Region"],
    }


def assert_pulled(project, meta, min_length):
    expected = expected_exports(meta)
    exports = project.aws_exports()
    config = project.amplify_configuration()
    for name, value in expected.items():
        assert exports.get(name) == value, f"aws-exports.js {name}: {exports.get(name)!r}, expected {value!r}"
        assert config.get(name) == value, f"amplifyconfiguration.json {name}: {config.get(name)!r}, expected {value!r}"
    for source in (exports, config):
        assert source["aws_cognito_username_attributes"] == ["EMAIL"], source
        assert "EMAIL" in source["aws_cognito_signup_attributes"], source
        assert source["aws_cognito_password_protection_settings"]["passwordPolicyMinLength"] == min_length, source
    auth_name, _ = one(meta, "auth", "Cognito")
    inputs = json.loads((project.dir / "amplify" / "backend" / "auth" / auth_name / "cli-inputs.json").read_text())
    assert inputs["cognitoConfig"]["passwordPolicyMinLength"] == min_length, inputs
    tpi = json.loads((project.dir / "amplify" / "team-provider-info.json").read_text())
    assert tpi[ENV]["awscloudformation"]["AmplifyAppId"] == project.app_id, tpi


def assert_clean_status(project, meta):
    proc = project.run("status")
    assert proc.returncode == 0, describe(proc)
    rows = status_rows(proc.stdout)
    expected = {("Auth", one(meta, "auth", "Cognito")[0]), ("Api", one(meta, "api", "AppSync")[0]),
                ("Storage", one(meta, "storage", "S3")[0])}
    assert expected <= set(rows), f"amplify status rows {rows}, expected {expected}\n{describe(proc)}"
    assert all(op == "No Change" for op in rows.values()), f"amplify status: {rows}\n{describe(proc)}"
    assert "GraphQL transformer version: 2" in proc.stdout, describe(proc)


# ---- the tests ----------------------------------------------------------------------------------------------------

@pytest.fixture(params=["lenient", "strict"])
def target(request, server_factory):
    """(url, access key) of a server in the given auth mode, or of AMPSTACK_AMPLIFY_PULL_URL when set."""
    if OVERRIDE_URL:
        if request.param == "strict":
            pytest.skip("AMPSTACK_AMPLIFY_PULL_URL: one run is enough")
        return OVERRIDE_URL, "test"
    server = server_factory.start(jobs="immediate", auth=request.param)
    return server.url, "test"  # a key of the strict credential store (secret_for gives its secret)


def test_amplify_pull(amplify_cli, target):
    url, key = target
    if OVERRIDE_URL:
        app_id = os.environ.get("AMPSTACK_AMPLIFY_PULL_APP", "d2stubapp0001")
        client = None
        meta = meta_from_bucket(url, key, app_id)
    else:
        client = make_client(url, key=key)
        app_id = make_backend(client)
        meta = backend_meta(client, app_id)
    expected_exports(meta)  # GetBackend reports the outputs the pull needs

    project = Project(amplify_cli, url, key, secret_for(key), app_id)
    try:
        proc = project.pull()
        assert proc.returncode == 0, describe(proc)
        assert_pulled(project, meta, 8)
        assert_clean_status(project, meta)

        envs = project.run("env", "list")
        assert envs.returncode == 0, describe(envs)
        assert re.search(r"\*dev\b", envs.stdout), describe(envs)

        if client is None:
            return
        # An Admin API change reaches the next pull in the same folder.
        finished(client, app_id, client.update_backend_auth(
            AppId=app_id, BackendEnvironmentName=ENV, ResourceName=AUTH_NAME,
            ResourceConfig={"AuthResources": "IDENTITY_POOL_AND_USER_POOL", "Service": "COGNITO",
                            "UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 12.0}}}))
        meta = backend_meta(client, app_id)
        proc = project.pull()
        assert proc.returncode == 0, describe(proc)
        assert_pulled(project, meta, 12)
        assert_clean_status(project, meta)
    finally:
        project.cleanup()
