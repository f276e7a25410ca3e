"""Strict authentication against the real server: what real clients sign gets in, and every attack on a signature is
answered with AWS's own error type and status. Also: the credential store (its file, SIGHUP), account isolation with
two credentials, and the per-account rate limit with boto3's retries.

Each test starts or shares a strict server (a credential store given), whatever AMPSTACK_CONFORMANCE_AUTH says.
"""

import datetime
import json
import os
import signal
import stat
import subprocess
import time
import urllib.parse

import pytest
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import (
    AMPSTACK, REPO, assert_raw_error, create_backend, credentials_file, expect_error, finish, pool_account,
    make_client, minimal_auth_config, new_app_id, raw, secret_for, signed_headers,
)

MISMATCH = "The request signature we calculated does not match the signature you provided."
TEMPORARY_KEY, TEMPORARY_SECRET, TEMPORARY_TOKEN = "ASIATEMPORARYKEY", "temporary-secret", "FwoGZXIvYXdzEXAMPLETOKEN=="


@pytest.fixture(scope="module")
def strict(server_factory, tmp_path_factory):
    """A strict server whose store has the conformance keys and one temporary credential (with a session token)."""
    path = tmp_path_factory.mktemp("auth") / "credentials"
    with open(credentials_file()) as f:
        text = f.read()
    path.write_text(text + f"{TEMPORARY_KEY} {TEMPORARY_SECRET} 444444444444 {TEMPORARY_TOKEN}\n")
    path.chmod(0o600)
    return server_factory.start(extra_args=["--credentials", str(path)], auth="strict")


class DatedSigV4Auth(SigV4Auth):
    """botocore's signer, at a timestamp of our choosing (its canonicalization and signature code unchanged)."""

    def __init__(self, credentials, service, region, when):
        super().__init__(credentials, service, region)
        self._when = when

    def add_auth(self, request):
        request.context["timestamp"] = self._when.strftime("%Y%m%dT%H%M%SZ")
        self._modify_request_before_signing(request)
        signature = self.signature(self.string_to_sign(request, self.canonical_request(request)), request)
        self._inject_signature_to_request(request, signature)


class DatedSigV4QueryAuth(SigV4QueryAuth):
    def __init__(self, credentials, service, region, when, expires):
        super().__init__(credentials, service, region, expires=expires)
        self._when = when

    add_auth = DatedSigV4Auth.add_auth


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def send(url, method, path, body=b"", headers=None):
    return raw(url, method, path, body if method != "GET" else None, headers=headers, auth=False)


def sign(url, method, path, body=b"", headers=None, key="test", secret=None, when=None, region="us-east-1"):
    request = AWSRequest(method=method, url=url + path, data=body, headers=dict(headers or {}))
    signer = DatedSigV4Auth(Credentials(key, secret or secret_for(key)), "amplifybackend", region, when or utcnow())
    signer.add_auth(request)
    return dict(request.headers.items())


# ---------------------------------------------------------------------------------------------------------------------
# What real clients sign gets in
# ---------------------------------------------------------------------------------------------------------------------

def test_the_start_up_line_names_the_mode(strict, server_factory):
    assert any("auth strict (2004 credentials)" in line for line in strict.output), list(strict.output)[:3]
    lenient = server_factory.start(auth="lenient")
    assert any("auth lenient (any credentials)" in line for line in lenient.output), list(lenient.output)[:3]


@pytest.mark.parametrize("method, path, body, headers", [
    ("POST", "/backend/{app}/details", b"{}", {"Content-Type": "application/json"}),
    ("POST", "/backend/{app}/details", b'{"backendEnvironmentName": "dev"}', {"X-Extra": "  spaced    out  "}),
    ("POST", "/backend/{app}%2Fx/details", b"{}", {}),
    ("POST", "/backend/%C3%A9t%C3%A9/details", b"{}", {}),
    ("POST", "/backend/{app}/../{app}/./details", b"{}", {}),
    ("GET", "/backend/{app}/job/dev/missing?z=1&a=%2B%20x&a=0&empty=", b"", {}),
    ("POST", "/backend/{app}/job/dev?maxResults=5&x-amz-extra=%E2%82%AC", b"{}", {"X-Amz-Meta": "v"}),
])
def test_botocore_signatures_verify_on_odd_paths_queries_and_headers(strict, method, path, body, headers):
    """botocore's SigV4Auth is a signer we did not write: whatever it signs must verify (never a 403)."""
    app = create_backend(make_client(strict.url))
    path = path.format(app=app)
    resp = send(strict.url, method, path, body, sign(strict.url, method, path, body, headers))
    assert resp.status != 403, resp


def test_boto3_presigned_url_is_accepted(strict):
    c = make_client(strict.url)
    app = create_backend(c)
    job = c.list_backend_jobs(AppId=app, BackendEnvironmentName="dev")["Jobs"][0]["JobId"]
    url = c.generate_presigned_url("get_backend_job", ExpiresIn=300,
                                   Params={"AppId": app, "BackendEnvironmentName": "dev", "JobId": job})
    parts = urllib.parse.urlsplit(url)
    assert "X-Amz-Signature=" in parts.query
    resp = send(strict.url, "GET", f"{parts.path}?{parts.query}")
    assert resp.status == 200, resp
    assert resp.json()["jobId"] == job


def test_temporary_credentials_need_their_session_token(strict):
    c = make_client(strict.url, key=TEMPORARY_KEY, secret=TEMPORARY_SECRET, token=TEMPORARY_TOKEN)
    assert c.list_s3_buckets()["Buckets"] == []
    for token in ("another-token", None):
        other = make_client(strict.url, key=TEMPORARY_KEY, secret=TEMPORARY_SECRET, token=token)
        expect_error(other.list_s3_buckets, "UnrecognizedClientException", 403,
                     "The security token included in the request is invalid.")


# ---------------------------------------------------------------------------------------------------------------------
# Attacks, each with its answer
# ---------------------------------------------------------------------------------------------------------------------

def test_no_signature_is_a_missing_token(strict):
    assert_raw_error(send(strict.url, "POST", "/s3Buckets", b"{}"), 403, "MissingAuthenticationTokenException",
                     "Missing Authentication Token")


def test_a_wrong_secret_and_an_unknown_key(strict):
    expect_error(make_client(strict.url, key="test", secret="not-the-secret").list_s3_buckets,
                 "InvalidSignatureException", 403, MISMATCH)
    expect_error(make_client(strict.url, key="AKIANOBODYKNOWS", secret="x").list_s3_buckets,
                 "UnrecognizedClientException", 403, "The security token included in the request is invalid.")


def test_tampering_with_the_body_a_signed_header_or_the_path(strict):
    app = create_backend(make_client(strict.url))
    path = f"/backend/{app}/details"
    headers = sign(strict.url, "POST", path, b"{}", {"Content-Type": "application/json", "X-Team": "a"})
    assert send(strict.url, "POST", path, b"{}", headers).status == 200
    tampered_body = send(strict.url, "POST", path, b'{"backendEnvironmentName":"x"}', headers)
    assert_raw_error(tampered_body, 403, "InvalidSignatureException", MISMATCH)
    tampered_header = send(strict.url, "POST", path, b"{}", {**headers, "X-Team": "b"})
    assert_raw_error(tampered_header, 403, "InvalidSignatureException", MISMATCH)
    other = create_backend(make_client(strict.url))
    tampered_path = send(strict.url, "POST", f"/backend/{other}/details", b"{}", headers)
    assert_raw_error(tampered_path, 403, "InvalidSignatureException", MISMATCH)


def test_a_date_16_minutes_old_or_ahead(strict):
    old = sign(strict.url, "POST", "/s3Buckets", b"{}", when=utcnow() - datetime.timedelta(minutes=16))
    body = assert_raw_error(send(strict.url, "POST", "/s3Buckets", b"{}", old), 403, "InvalidSignatureException")
    assert body["message"].startswith("Signature expired: ") and "(" in body["message"], body
    ahead = sign(strict.url, "POST", "/s3Buckets", b"{}", when=utcnow() + datetime.timedelta(minutes=16))
    body = assert_raw_error(send(strict.url, "POST", "/s3Buckets", b"{}", ahead), 403, "InvalidSignatureException")
    assert body["message"].startswith("Signature not yet current: "), body
    recent = sign(strict.url, "POST", "/s3Buckets", b"{}", when=utcnow() - datetime.timedelta(minutes=5))
    assert send(strict.url, "POST", "/s3Buckets", b"{}", recent).status == 200


def test_an_expired_presigned_url(strict):
    request = AWSRequest(method="GET", url=strict.url + "/backend/x/job/dev/j")
    DatedSigV4QueryAuth(Credentials("test", secret_for("test")), "amplifybackend", "us-east-1",
                        utcnow() - datetime.timedelta(minutes=10), expires=60).add_auth(request)
    parts = urllib.parse.urlsplit(request.url)
    body = assert_raw_error(send(strict.url, "GET", f"{parts.path}?{parts.query}"), 403, "InvalidSignatureException")
    assert body["message"].startswith("Signature expired: "), body


def test_the_signature_is_never_logged(strict):
    headers = sign(strict.url, "POST", "/s3Buckets", b"{}", secret="wrong")
    send(strict.url, "POST", "/s3Buckets", b"{}", headers)
    signature = headers["Authorization"].rsplit("Signature=", 1)[1]
    logged = "\n".join(strict.output) + strict.stderr_text()
    assert signature not in logged
    assert TEMPORARY_SECRET not in logged and TEMPORARY_TOKEN not in logged


# ---------------------------------------------------------------------------------------------------------------------
# Two accounts, one appId
# ---------------------------------------------------------------------------------------------------------------------

def test_two_accounts_with_the_same_app_id_never_meet(strict):
    one_key, two_key = pool_account(), pool_account()
    one, two = make_client(strict.url, key=one_key), make_client(strict.url, key=two_key)
    app = new_app_id("twin")
    create_backend(one, app_id=app, env="dev")
    for _ in range(3):
        finish(one, app, "dev", one.create_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="auth",
                                                        ResourceConfig=minimal_auth_config()), "CreateBackendAuth")
        finish(one, app, "dev", one.delete_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="auth"),
               "DeleteBackendAuth")
    page = one.list_backend_jobs(AppId=app, BackendEnvironmentName="dev", MaxResults=2)
    assert page.get("NextToken")
    job = page["Jobs"][0]["JobId"]

    # The other account is told exactly what it would be told of an app that does not exist.
    for call, kwargs in ((two.get_backend, {"AppId": app}),
                         (two.list_backend_jobs, {"AppId": app, "BackendEnvironmentName": "dev"}),
                         (two.get_backend_job, {"AppId": app, "BackendEnvironmentName": "dev", "JobId": job}),
                         (two.clone_backend, {"AppId": app, "BackendEnvironmentName": "dev", "TargetEnvironmentName": "x"}),
                         (two.delete_backend, {"AppId": app, "BackendEnvironmentName": "dev"})):
        with pytest.raises(Exception) as theirs:
            call(**kwargs)
        with pytest.raises(Exception) as nobodys:
            call(**{**kwargs, "AppId": new_app_id("none")})
        a, b = theirs.value.response, nobodys.value.response
        assert (a["Error"]["Code"], a["ResponseMetadata"]["HTTPStatusCode"], a.get("ResourceType")) == \
               (b["Error"]["Code"], b["ResponseMetadata"]["HTTPStatusCode"], b.get("ResourceType")), (call, a, b)
        assert a["ResponseMetadata"]["HTTPStatusCode"] == 404

    # With an app of its own under the same id, the first account's page token is useless to it.
    create_backend(two, app_id=app, env="dev")
    expect_error(two.list_backend_jobs, "BadRequestException", 400, None,
                 AppId=app, BackendEnvironmentName="dev", NextToken=page["NextToken"])
    assert len(two.list_backend_jobs(AppId=app, BackendEnvironmentName="dev")["Jobs"]) == 1
    assert len(one.list_backend_jobs(AppId=app, BackendEnvironmentName="dev")["Jobs"]) == 7


# ---------------------------------------------------------------------------------------------------------------------
# The credential store
# ---------------------------------------------------------------------------------------------------------------------

def test_sighup_reloads_the_credentials_file(server_factory, tmp_path):
    path = tmp_path / "credentials"
    path.write_text("AKIDFIRST first-secret 555555555555\n")
    path.chmod(0o600)
    srv = server_factory.start(extra_args=["--credentials", str(path)], auth="strict")
    first = make_client(srv.url, key="AKIDFIRST", secret="first-secret")
    second = make_client(srv.url, key="AKIDSECOND", secret="second-secret")
    assert first.list_s3_buckets()["Buckets"] == []
    expect_error(second.list_s3_buckets, "UnrecognizedClientException", 403)

    path.write_text("AKIDSECOND second-secret 666666666666\n")
    os.kill(srv.pid, signal.SIGHUP)
    deadline = time.monotonic() + 30
    while not any("credentials reloaded: auth strict (1 credentials)" in line for line in srv.output):
        assert time.monotonic() < deadline, list(srv.output)[-5:]
        time.sleep(0.05)
    assert second.list_s3_buckets()["Buckets"] == []
    expect_error(first.list_s3_buckets, "UnrecognizedClientException", 403)
    assert srv.proc.poll() is None


def test_a_credentials_file_others_can_read_stops_the_start(tmp_path):
    path = tmp_path / "credentials"
    path.write_text("AKIDONE secret-one 111111111111\n")
    path.chmod(0o644)
    proc = subprocess.run([str(AMPSTACK), "serve", "--port", "0", "--data-dir", str(tmp_path / "data"),
                           "--credentials", str(path)], cwd=str(REPO), capture_output=True, text=True, timeout=240)
    assert proc.returncode == 5, (proc.returncode, proc.stdout, proc.stderr)
    assert f"chmod 600 {path}" in proc.stderr, proc.stderr
    assert "secret-one" not in proc.stderr + proc.stdout


# ---------------------------------------------------------------------------------------------------------------------
# The rate limit
# ---------------------------------------------------------------------------------------------------------------------

def test_a_burst_over_the_rate_limit_gets_429_and_boto3_recovers(server_factory):
    srv = server_factory.start(extra_args=["--rate-limit", "5"])
    key = pool_account()
    statuses = []
    for _ in range(20):
        resp = raw(srv.url, "POST", "/s3Buckets", {}, key=key)
        statuses.append(resp.status)
        if resp.status == 429:
            body = assert_raw_error(resp, 429, "TooManyRequestsException")
            assert body["limitType"] == "requests", body
            assert int(resp.headers["retry-after"]) >= 1, resp.headers
    assert statuses.count(429) >= 10, statuses

    # boto3's own retry handling (429 TooManyRequestsException is a throttling error to it) gets every call through.
    patient = make_client(srv.url, key=key, retries=20)
    for _ in range(15):
        assert patient.list_s3_buckets()["Buckets"] == []
