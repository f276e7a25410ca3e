"""A provisioning endpoint for the fuzzer and the soak (issue 23): a moto server they start, or one given by URL, plus
read-only counts of what provisioning made there. Standard library only (the counts use boto3, imported when asked).

    moto = MotoServer.start()            # `python3 -m moto.server -H 127.0.0.1 -p <free port>`, polled until it answers
    serve_args = ["--provision-endpoint", moto.url]
    ...
    moto.stop()

`add_arguments` gives a tool the two options: `--provision moto` (start one, stop it at the end) and
`--provision-endpoint URL` (one already running, left alone); `from_arguments` turns them into an endpoint or None.
"""

import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

__all__ = ["MotoServer", "Endpoint", "add_arguments", "from_arguments"]

MOTO_PYTHON = os.environ.get("AMPSTACK_TEST_PYTHON") or "python3"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Endpoint:
    """A provisioning endpoint by URL (not ours to stop)."""

    def __init__(self, url):
        self.url = url.rstrip("/")

    def client(self, service, region="us-east-1"):
        import boto3
        from botocore.config import Config
        return boto3.session.Session().client(service, endpoint_url=self.url, region_name=region,
                                              aws_access_key_id="test", aws_secret_access_key="test",
                                              config=Config(retries={"max_attempts": 2}))

    def tagged(self, region="us-east-1"):
        """What provisioning made there, by the resource tag each thing carries (`ampstack:resource`): a dict of kind ->
        list of (id, resource key). User pools, AppSync APIs and buckets carry the tag; tables and roles are named from
        them. Used to count duplicates: a resource key must appear once per kind."""
        found = {"userpool": [], "api": [], "bucket": []}
        idp = self.client("cognito-idp", region)
        for page in idp.get_paginator("list_user_pools").paginate(MaxResults=60):
            for pool in page["UserPools"]:
                tags = idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"].get("UserPoolTags", {})
                if "ampstack:resource" in tags:
                    found["userpool"].append((pool["Id"], tags["ampstack:resource"]))
        appsync = self.client("appsync", region)
        token = None
        while True:
            page = appsync.list_graphql_apis(**({"nextToken": token} if token else {}))
            for api in page["graphqlApis"]:
                if "ampstack:resource" in (api.get("tags") or {}):
                    found["api"].append((api["apiId"], api["tags"]["ampstack:resource"]))
            token = page.get("nextToken")
            if not token:
                break
        s3 = self.client("s3", region)
        for bucket in s3.list_buckets()["Buckets"]:
            try:
                tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket["Name"])["TagSet"]}
            except Exception:  # noqa: BLE001  (no tag set, or the bucket went meanwhile)
                continue
            if "ampstack:resource" in tags:
                found["bucket"].append((bucket["Name"], tags["ampstack:resource"]))
        return found

    def stop(self):
        pass


class MotoServer(Endpoint):
    """A moto server this process started; its log goes to a temporary file (never an undrained pipe)."""

    def __init__(self, proc, url, log):
        super().__init__(url)
        self.proc = proc
        self.log = log

    @classmethod
    def start(cls, timeout=60.0):
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        log = tempfile.TemporaryFile()
        proc = subprocess.Popen([MOTO_PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"moto exited with {proc.returncode}: {log.read().decode(errors='replace')[-2000:]}")
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=2).read()
                return cls(proc, url, log)
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    proc.kill()
                    proc.wait(timeout=30)
                    raise RuntimeError(f"moto did not answer on {url} within {timeout:.0f} s")
                time.sleep(0.1)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        self.log.close()


def add_arguments(parser):
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--provision", choices=("moto",),
                       help="provisioning on (issue 23): start a moto server (python3 -m moto.server) and pass "
                            "--provision-endpoint to every server start; stopped at the end")
    group.add_argument("--provision-endpoint", metavar="URL",
                       help="provisioning on, on this running endpoint (moto, LocalStack), passed to every server start")


def from_arguments(args):
    """The endpoint the options ask for (started when it is ours), or None."""
    if getattr(args, "provision", None) == "moto":
        return MotoServer.start()
    if getattr(args, "provision_endpoint", None):
        return Endpoint(args.provision_endpoint)
    return None
