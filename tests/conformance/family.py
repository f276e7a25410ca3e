"""Helpers of the Amplify-family conformance tests (test_family_*.py): boto3 clients of `amplify`, `s3`,
`cloudformation` and `sts` pointed at a real server, each response checked in its own protocol's shape, and raw
requests signed for any service.

The Admin API's helpers (servers, keys, create_backend, ...) stay in conftest.py.
"""

import http.client
import json
import re
import urllib.parse
import xml.etree.ElementTree as ET

import boto3
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from conftest import DEFAULT_REGION, RawResponse, UUID_ANY, ContractViolation, EXERCISED, secret_for

PROTOCOL = {"amplify": "rest-json", "s3": "rest-xml", "cloudformation": "query", "sts": "query"}
SIGNING_NAME = {"amplify": "amplify", "s3": "s3", "cloudformation": "cloudformation", "sts": "sts"}
APP_ID = re.compile(r"^d[a-z0-9]{13}$")


def _check_family_response(http_response, parsed, model, **_):
    """What holds for every answer of a family service: no 5xx, a request id, and an error in the protocol's shape."""
    service = model.service_model.service_name
    protocol = model.service_model.protocol
    headers = {k.lower(): v for k, v in http_response.headers.items()}
    status = http_response.status_code
    EXERCISED[f"{service}:{model.name}"].add("ok" if status < 300 else "error")
    if status >= 500:
        raise ContractViolation(f"{service} {model.name}: server error {status}: {http_response.content[:500]!r}")
    request_id = parsed.get("ResponseMetadata", {}).get("RequestId", "")
    if not request_id:
        raise ContractViolation(f"{service} {model.name}: answer {status} without a request id (headers {headers})")
    if status < 300 or status == 304:
        return
    code = parsed.get("Error", {}).get("Code")
    body = http_response.content or b""
    if protocol == "rest-json":
        if headers.get("x-amzn-errortype", "").split(":")[0] != code:
            raise ContractViolation(f"{model.name}: error {status} {code} with x-amzn-ErrorType {headers.get('x-amzn-errortype')!r}")
        if headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise ContractViolation(f"{model.name}: error Content-Type {headers.get('content-type')!r}")
    elif protocol == "rest-xml":
        if model.http.get("method") == "HEAD":
            return  # S3 answers HEAD errors with headers only
        root = ET.fromstring(body)
        if root.tag != "Error" or root.findtext("Code") != code or not root.findtext("Message"):
            raise ContractViolation(f"{model.name}: S3 error {status} not <Error><Code>{code}</Code>: {body[:300]!r}")
    elif protocol == "query":
        root = ET.fromstring(body)
        ns = {"a": root.tag[1:].split("}")[0]} if root.tag.startswith("{") else {}
        err = root.find("a:Error", ns) if ns else root.find("Error")
        if not root.tag.endswith("ErrorResponse") or err is None:
            raise ContractViolation(f"{model.name}: query error {status} not <ErrorResponse><Error>: {body[:300]!r}")
        find = (lambda e, n: e.findtext(f"a:{n}", namespaces=ns)) if ns else (lambda e, n: e.findtext(n))
        if find(err, "Code") != code or find(err, "Type") not in ("Sender", "Receiver") or not find(err, "Message"):
            raise ContractViolation(f"{model.name}: query error {status} without Type/Code/Message: {body[:300]!r}")


def _to_loopback(request, **_):
    """*.localhost does not resolve on every machine: send a virtual-host-style request to 127.0.0.1, its Host kept."""
    parts = urllib.parse.urlsplit(request.url)
    if parts.hostname and parts.hostname.endswith(".localhost"):
        request.headers["Host"] = parts.netloc
        request.url = urllib.parse.urlunsplit(parts._replace(netloc=f"127.0.0.1:{parts.port}"))


def client(url, service, key="test", region=DEFAULT_REGION, secret=None, validate=True, s3_style="path", **extra):
    """A boto3 client of `service` against the server at `url`, every answer checked (see _check_family_response)."""
    options = dict(parameter_validation=validate, retries={"max_attempts": 0, "mode": "standard"}, connect_timeout=10,
                   read_timeout=60, **extra)
    if service == "s3":
        options["s3"] = {"addressing_style": s3_style}
        if s3_style == "virtual":
            url = url.replace("127.0.0.1", "localhost")
    made = boto3.session.Session().client(service, endpoint_url=url, region_name=region, aws_access_key_id=key,
                                          aws_secret_access_key=secret or secret_for(key), config=Config(**options))
    made.meta.events.register("after-call.*", _check_family_response)
    made.meta.events.register("before-send.*", _to_loopback)
    return made


def sign(url, service, method, path, body=b"", headers=None, key="test", region=DEFAULT_REGION, secret=None, host=None):
    """The headers that sign a request for `service` (botocore's signer; S3's for s3), for the host `host` or url's."""
    target = url.rstrip("/") if host is None else "http://" + host
    request = AWSRequest(method=method, url=target + path, data=body or b"", headers=dict(headers or {}))
    signer = S3SigV4Auth if service == "s3" else SigV4Auth
    if service == "s3":
        request.headers["X-Amz-Content-SHA256"] = "UNSIGNED-PAYLOAD"
    signer(Credentials(key, secret or secret_for(key)), SIGNING_NAME[service], region).add_auth(request)
    out = dict(request.headers.items())
    if host is not None:
        out["Host"] = host
    return out


def send(url, service, method, path, body=None, headers=None, key="test", region=DEFAULT_REGION, secret=None, host=None,
         signed=True):
    """One raw request to the server at `url`, signed for `service` (unless `signed` is false)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    if isinstance(body, dict):
        body = urllib.parse.urlencode(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    hdrs = dict(headers or {})
    if signed:
        hdrs = sign(url, service, method, path, body or b"", hdrs, key=key, region=region, secret=secret, host=host)
    elif host is not None:
        hdrs["Host"] = host
    try:
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        return RawResponse(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
    finally:
        conn.close()


def query(url, service, action, params=None, version=None, **kwargs):
    """A query-protocol request (CloudFormation, STS) sent by hand as a form POST."""
    version = version or {"cloudformation": "2010-05-15", "sts": "2011-06-15"}[service]
    form = {"Action": action, "Version": version, **(params or {})}
    return send(url, service, "POST", "/", form, {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
                **kwargs)


def xml_root(resp):
    """The XML document of a raw answer, its namespace stripped from every tag."""
    root = ET.fromstring(resp.body)
    for element in root.iter():
        if "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return root


def assert_s3_error(resp, status, code):
    assert resp.status == status, resp
    assert resp.headers.get("content-type", "").startswith("application/xml"), resp.headers
    root = xml_root(resp)
    assert root.tag == "Error" and root.findtext("Code") == code, resp
    assert root.findtext("Message") and root.findtext("RequestId"), resp
    return root


def assert_query_error(resp, status, code, message=None, error_type="Sender"):
    assert resp.status == status, resp
    assert resp.headers.get("content-type", "").startswith("text/xml"), resp.headers
    root = xml_root(resp)
    assert root.tag == "ErrorResponse", resp
    assert root.findtext("Error/Type") == error_type and root.findtext("Error/Code") == code, resp
    if message is not None:
        assert root.findtext("Error/Message") == message, resp
    assert root.findtext("RequestId"), resp
    return root


def assert_json_error(resp, status, error_type, message=None):
    assert resp.status == status, resp
    assert resp.headers.get("x-amzn-errortype", "").split(":")[0] == error_type, resp
    assert resp.headers.get("content-type", "").startswith("application/json"), resp.headers
    assert UUID_ANY.match(resp.headers.get("x-amzn-requestid", "")), resp.headers
    body = json.loads(resp.body)
    text = body.get("message") or body.get("Message")
    assert text, body
    if message is not None:
        assert message in text, body
    return body


def error_of(call, **kwargs):
    """Calls a boto3 operation that must fail; returns (code, HTTP status, message, the whole response)."""
    from botocore.exceptions import ClientError
    try:
        call(**kwargs)
    except ClientError as error:
        resp = error.response
        return resp["Error"]["Code"], resp["ResponseMetadata"]["HTTPStatusCode"], resp["Error"].get("Message", ""), resp
    raise AssertionError(f"{call.__name__} succeeded where it should fail")


def full_backend(admin, storage=False, models=False):
    """An app with auth `auth1` and API `api1` in `dev` (with storage `store1`, with the API's models generated, when
    asked), every job finished; returns its id."""
    from conftest import api_config, create_backend, finish, minimal_auth_config, new_app_id, storage_config
    app_id = create_backend(admin, app_id=new_app_id("d"))
    finish(admin, app_id, "dev", admin.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="auth1",
                                                          ResourceConfig=minimal_auth_config()), "CreateBackendAuth")
    finish(admin, app_id, "dev", admin.create_backend_api(AppId=app_id, BackendEnvironmentName="dev", ResourceName="api1",
                                                         ResourceConfig=api_config()), "CreateBackendAPI")
    if models:
        finish(admin, app_id, "dev", admin.generate_backend_api_models(AppId=app_id, BackendEnvironmentName="dev",
                                                                      ResourceName="api1"), "GenerateBackendAPIModels")
    if storage:
        finish(admin, app_id, "dev", admin.create_backend_storage(AppId=app_id, BackendEnvironmentName="dev",
                                                                 ResourceName="store1", ResourceConfig=storage_config()),
               "CreateBackendStorage", members=("AppId", "BackendEnvironmentName", "JobId", "Status"))
    return app_id


def deployment(admin, app_id, env="dev"):
    """(stack name, bucket, amplify-meta) of an environment, as GetBackend shows them."""
    meta = json.loads(admin.get_backend(AppId=app_id, BackendEnvironmentName=env)["AmplifyMetaConfig"])
    provider = meta["providers"]["awscloudformation"]
    return provider["StackName"], provider["DeploymentBucketName"], meta
