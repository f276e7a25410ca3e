#!/usr/bin/env python3
"""How long provisioning takes on moto, per category (issue 23): starts moto and `./ampstack serve --provision-endpoint`
on it, runs each category's create, update and delete `--runs` times, and prints per step the median and worst of the
job's own time (UpdateTime - CreateTime, as the server records it) and of the client's time from the call to the poll
that saw the job end (which adds up to one 20 ms poll). A benchmark, not a test: nothing fails on its figures.

    python3 bench/provisioning_moto.py [--runs 5]
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools" / "launcher"))
import ampstack_launcher  # noqa: E402

SCHEMA = """type Blog @model { id: ID! name: String! @index(name: "byName") }
type Post @model { id: ID! title: String! }
"""
KW = dict(region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    port = free_port()
    moto = subprocess.Popen([os.environ.get("AMPSTACK_TEST_PYTHON") or "python3", "-m", "moto.server", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    data = tempfile.mkdtemp(prefix="ampstack-provision-bench-")
    launch = None
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        launch = ampstack_launcher.Launch([str(REPO / "ampstack"), "serve", "--port", "0", "--data-dir", data,
                                           "--provision-endpoint", f"http://127.0.0.1:{port}"],
                                          cwd=str(REPO), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True)
        url = launch.wait(300, lambda: "")["url"]
        amp = boto3.client("amplifybackend", endpoint_url=url, **KW)
        times = {}

        def timed(name, app, call):
            started = time.monotonic()
            job = call()
            while (j := amp.get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job["JobId"]))["Status"] == "RUNNING":
                time.sleep(0.02)
            assert j["Status"] == "COMPLETED", j
            times.setdefault(name, []).append((int(j["UpdateTime"]) - int(j["CreateTime"]),
                                               (time.monotonic() - started) * 1000))

        for i in range(runs):
            app = f"bench{i}{os.urandom(4).hex()}"
            timed("CreateBackend (the root IAM roles)", app,
                  lambda: amp.create_backend(AppId=app, AppName="b", BackendEnvironmentName="dev"))
            auth = {"AuthResources": "IDENTITY_POOL_AND_USER_POOL", "Service": "COGNITO",
                    "IdentityPoolConfigs": {"IdentityPoolName": "ids", "UnauthenticatedLogin": True},
                    "UserPoolConfigs": {"SignInMethod": "EMAIL", "RequiredSignUpAttributes": ["EMAIL"], "UserPoolName": f"p{i}",
                                        "PasswordPolicy": {"MinimumLength": 10},
                                        "OAuth": {"DomainPrefix": f"bench{app}", "OAuthGrantType": "CODE",
                                                  "OAuthScopes": ["OPENID"], "RedirectSignInURIs": ["https://x/in"],
                                                  "RedirectSignOutURIs": ["https://x/out"]}}}
            timed("auth create", app, lambda: amp.create_backend_auth(AppId=app, BackendEnvironmentName="dev",
                                                                      ResourceName="auth1", ResourceConfig=auth))
            timed("auth update", app, lambda: amp.update_backend_auth(
                AppId=app, BackendEnvironmentName="dev", ResourceName="auth1",
                ResourceConfig={"AuthResources": "IDENTITY_POOL_AND_USER_POOL", "Service": "COGNITO",
                                "UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 12}}}))
            timed("storage create", app, lambda: amp.create_backend_storage(
                AppId=app, BackendEnvironmentName="dev", ResourceName="files",
                ResourceConfig={"Permissions": {"Authenticated": ["READ"]}, "ServiceName": "S3"}))
            api = {"ApiName": "blog", "Service": "AppSync", "TransformSchema": SCHEMA,
                   "DefaultAuthType": {"Mode": "API_KEY"}}
            timed("api create (2 models)", app, lambda: amp.create_backend_api(
                AppId=app, BackendEnvironmentName="dev", ResourceName="blog", ResourceConfig=api))
            timed("api update (a model added)", app, lambda: amp.update_backend_api(
                AppId=app, BackendEnvironmentName="dev", ResourceName="blog",
                ResourceConfig={"TransformSchema": SCHEMA + "type Tag @model { id: ID! }\n"}))
            timed("auth delete", app, lambda: amp.delete_backend_auth(AppId=app, BackendEnvironmentName="dev",
                                                                      ResourceName="auth1"))
            timed("storage delete", app, lambda: amp.delete_backend_storage(AppId=app, BackendEnvironmentName="dev",
                                                                            ResourceName="files", ServiceName="S3"))
            timed("api delete", app, lambda: amp.delete_backend_api(AppId=app, BackendEnvironmentName="dev",
                                                                    ResourceName="blog"))
        print(f"| step ({runs} runs) | job median ms | job max ms | client median ms | client max ms |")
        print("|---|---|---|---|---|")
        for name, values in times.items():
            job = [v[0] for v in values]
            wall = [v[1] for v in values]
            print(f"| {name} | {statistics.median(job):.0f} | {max(job):.0f} | {statistics.median(wall):.0f} | {max(wall):.0f} |")
    finally:
        if launch is not None:
            ampstack_launcher.kill_group(launch.proc, __import__("signal").SIGTERM)
            launch.cleanup()
        moto.kill()


if __name__ == "__main__":
    main()
