"""The Amplify family through each AWS CLI on the machine (Debian's v2 at /usr/bin/aws, pip's v1), as in test_awscli.py:
`aws amplify`, `aws s3` (cp to stdout, ls), `aws s3api`, `aws cloudformation` and `aws sts` against one port (issue 21).
The CLIs sign as `test`, in strict auth too (the conformance credential store has it)."""

import json
import os
import subprocess

import pytest

from conftest import create_backend, make_client, minimal_auth_config, finish, new_app_id
from family import APP_ID, client, deployment
from test_awscli import cli_env, installed_clis


class FamilyCli:
    def __init__(self, path, major, url):
        self.path, self.major, self.url = path, major, url
        self.env = cli_env()

    def run(self, *args, rc=0, as_json=True):
        cmd = [self.path, *args, "--endpoint-url", self.url, "--region", "us-east-1"]
        if as_json:
            cmd += ["--output", "json"]
        proc = subprocess.run(cmd, env=self.env, capture_output=True, timeout=120)
        out, err = proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
        assert proc.returncode == rc, f"{' '.join(cmd)} -> {proc.returncode}\nstdout: {out}\nstderr: {err}"
        if rc != 0:
            return err
        if not as_json:
            return proc.stdout
        return json.loads(out) if out.strip() else {}


@pytest.fixture(params=["2", "1"], ids=["awscli-v2", "awscli-v1"])
def cli(request, url):
    major = request.param
    if os.environ.get("AMPSTACK_CONFORMANCE_SKIP_CLI"):
        pytest.skip("the AWS CLI tests already ran under the first interpreter of this run")
    found = installed_clis()
    if major not in found:
        pytest.skip(f"AWS CLI v{major} is not installed (found: {sorted(v for _, v in found.values()) or 'none'})")
    return FamilyCli(found[major][0], major, url)


@pytest.fixture(scope="module")
def backend(url):
    admin = make_client(url)
    app_id = create_backend(admin, app_id=new_app_id("d"))
    finish(admin, app_id, "dev", admin.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="auth1",
                                                          ResourceConfig=minimal_auth_config()), "CreateBackendAuth")
    stack, bucket, meta = deployment(admin, app_id)
    return app_id, stack, bucket, meta


def test_amplify(cli, url, backend):
    app_id = backend[0]
    made = client(url, "amplify").create_app(name=f"cli-{cli.major}")["app"]
    listed = cli.run("amplify", "list-apps")
    ids = [a["appId"] for a in listed["apps"]]
    assert made["appId"] in ids and app_id in ids
    got = cli.run("amplify", "get-app", "--app-id", made["appId"])
    assert got["app"]["name"] == f"cli-{cli.major}" and APP_ID.match(got["app"]["appId"])
    err = cli.run("amplify", "get-app", "--app-id", "dnosuchapp00000", rc=254 if cli.major == "2" else 255)
    assert "NotFoundException" in err, err
    env = cli.run("amplify", "get-backend-environment", "--app-id", app_id, "--environment-name", "dev")
    assert env["backendEnvironment"]["stackName"] == backend[1]


def test_s3(cli, backend):
    _, _, bucket, meta = backend
    out = json.loads(cli.run("s3", "cp", f"s3://{bucket}/amplify-meta.json", "-", as_json=False))
    # The deployed file holds what the CLI's own project adds (frontendAuthConfig, ...) beside GetBackend's members.
    assert out["providers"] == meta["providers"]
    assert out["auth"]["auth1"]["output"] == meta["auth"]["auth1"]["output"]
    listing = cli.run("s3", "ls", f"s3://{bucket}/", as_json=False).decode()
    for name in ("#current-cloud-backend.zip", "amplify-meta.json", "backend-config.json"):
        assert name in listing, listing
    target = f"/tmp/ampstack-cli-{os.getpid()}-{cli.major}.zip"
    try:
        got = cli.run("s3api", "get-object", "--bucket", bucket, "--key", "#current-cloud-backend.zip", target)
        with open(target, "rb") as f:
            data = f.read()
        assert data[:2] == b"PK" and got["ContentLength"] == len(data) and got["ETag"].startswith('"')
    finally:
        if os.path.exists(target):
            os.unlink(target)
    err = cli.run("s3", "cp", f"s3://{bucket}/missing.json", "-", rc=1, as_json=False)
    assert "404" in err or "Not Found" in err or "NoSuchKey" in err, err
    err = cli.run("s3", "cp", "/etc/hostname", f"s3://{bucket}/x.txt", rc=1, as_json=False)
    assert "AccessDenied" in err or "Access Denied" in err, err


def test_cloudformation(cli, backend):
    _, stack, _, meta = backend
    got = cli.run("cloudformation", "describe-stacks", "--stack-name", stack)
    [described] = got["Stacks"]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described["Outputs"]}
    assert outputs["StackName"] == stack
    assert outputs["DeploymentBucketName"] == meta["providers"]["awscloudformation"]["DeploymentBucketName"]
    err = cli.run("cloudformation", "describe-stacks", "--stack-name", "nope", rc=254 if cli.major == "2" else 255)
    assert "Stack with id nope does not exist" in err, err


def test_sts(cli):
    identity = cli.run("sts", "get-caller-identity")
    assert identity["Account"] == "000000000000" and identity["Arn"] == "arn:aws:iam::000000000000:root"
