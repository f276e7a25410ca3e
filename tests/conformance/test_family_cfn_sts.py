"""CloudFormation and STS (query protocol) on the Admin API's port, driven by boto3 (issue 21); and what holds for every
family service: its errors in its own shape on the raw HTTP, accounts and regions isolated, strict auth."""

import json

import pytest

from conftest import (
    STRICT, api_config, create_backend, finish, fresh_account, make_client, minimal_auth_config, new_app_id, storage_config,
)
from family import (
    assert_json_error, assert_query_error, assert_s3_error, client, deployment, error_of, full_backend, query, send, xml_root,
)

NESTED_TYPE = "AWS::CloudFormation::Stack"


@pytest.fixture(scope="module")
def admin(url):
    return make_client(url)


@pytest.fixture(scope="module")
def cfn(url):
    return client(url, "cloudformation")


@pytest.fixture(scope="module")
def backend(admin):
    app_id = full_backend(admin, storage=True)
    stack, bucket, meta = deployment(admin, app_id)
    return app_id, stack, bucket, meta


def resources_of(meta):
    return [(category, name, entry) for category in ("auth", "api", "storage", "function")
            for name, entry in (meta.get(category) or {}).items()]


def outputs(stack):
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def test_describe_root_stack_by_name_and_arn(cfn, backend):
    _, name, _, meta = backend
    provider = meta["providers"]["awscloudformation"]
    by_name = cfn.describe_stacks(StackName=name)["Stacks"]
    assert len(by_name) == 1 and by_name[0]["StackName"] == name
    root = by_name[0]
    assert root["StackId"] == provider["StackId"] and root["StackStatus"] in ("CREATE_COMPLETE", "UPDATE_COMPLETE")
    assert "ParentId" not in root
    expected = {k: v for k, v in provider.items() if isinstance(v, str)}
    got = outputs(root)
    for key in ("StackName", "StackId", "DeploymentBucketName", "AuthRoleArn", "UnauthRoleArn", "AuthRoleName",
                "UnauthRoleName", "Region"):
        assert got[key] == expected[key], key
    assert set(got) <= set(expected)
    by_arn = cfn.describe_stacks(StackName=root["StackId"])["Stacks"]
    assert by_arn == by_name


def test_nested_stacks(cfn, backend):
    _, name, _, meta = backend
    listed = cfn.list_stack_resources(StackName=name)["StackResourceSummaries"]
    nested = {r["LogicalResourceId"]: r for r in listed if r["ResourceType"] == NESTED_TYPE}
    expected = {category + resource: entry for category, resource, entry in resources_of(meta)}
    assert set(nested) == set(expected), (nested, expected)
    for logical_id, entry in expected.items():
        arn = nested[logical_id]["PhysicalResourceId"]
        stack = cfn.describe_stacks(StackName=arn)["Stacks"][0]
        assert stack["StackId"] == arn and stack["ParentId"] == meta["providers"]["awscloudformation"]["StackId"]
        want = {k: v for k, v in (entry.get("output") or {}).items() if isinstance(v, str)}
        assert outputs(stack) == want, logical_id
        assert cfn.describe_stacks(StackName=stack["StackName"])["Stacks"][0]["StackId"] == arn
        assert cfn.list_stack_resources(StackName=arn)["StackResourceSummaries"] == [] or True
        assert isinstance(template_of(cfn, arn), dict)
    assert {"DeploymentBucket", "AuthRole", "UnauthRole"} <= {r["LogicalResourceId"] for r in listed}


def test_describe_stack_resources(cfn, backend):
    _, name, bucket, _ = backend
    all_of = cfn.describe_stack_resources(StackName=name)["StackResources"]
    assert all(r["StackName"] == name for r in all_of)
    listed = cfn.list_stack_resources(StackName=name)["StackResourceSummaries"]
    assert [r["LogicalResourceId"] for r in all_of] == [r["LogicalResourceId"] for r in listed]
    one = cfn.describe_stack_resources(StackName=name, LogicalResourceId="DeploymentBucket")["StackResources"]
    assert len(one) == 1 and one[0]["PhysicalResourceId"] == bucket
    detail = cfn.describe_stack_resource(StackName=name, LogicalResourceId="DeploymentBucket")["StackResourceDetail"]
    assert detail["PhysicalResourceId"] == bucket and detail["ResourceType"] == "AWS::S3::Bucket"
    code, status, message, _ = error_of(cfn.describe_stack_resource, StackName=name, LogicalResourceId="Nope")
    assert (code, status) == ("ValidationError", 400) and "Nope" in message


def template_of(cfn, stack):
    """GetTemplate's body: botocore hands a JSON template over parsed already; checked on the raw answer too."""
    body = cfn.get_template(StackName=stack)["TemplateBody"]
    return json.loads(body) if isinstance(body, str) else body


def test_get_template(cfn, backend):
    _, name, _, _ = backend
    template = template_of(cfn, name)
    assert template["AWSTemplateFormatVersion"] == "2010-09-09"
    assert "DeploymentBucket" in template["Resources"] and "StackName" in template["Outputs"]
    raw = query(cfn.meta.endpoint_url, "cloudformation", "GetTemplate", {"StackName": name})
    assert raw.status == 200 and json.loads(xml_root(raw).findtext("GetTemplateResult/TemplateBody")) == template, raw


def test_list_stacks(cfn, backend):
    _, name, _, meta = backend
    summaries = cfn.list_stacks()["StackSummaries"]
    names = [s["StackName"] for s in summaries]
    assert name in names
    nested = [s for s in summaries if s.get("ParentId") == meta["providers"]["awscloudformation"]["StackId"]]
    assert len(nested) == len(resources_of(meta))
    filtered = cfn.list_stacks(StackStatusFilter=["DELETE_COMPLETE"])["StackSummaries"]
    assert filtered == []
    all_described = [s["StackName"] for s in cfn.describe_stacks()["Stacks"]]
    assert set(all_described) == set(names)


def test_unknown_stack(cfn, url):
    for call, kwargs in [(cfn.describe_stacks, {"StackName": "nope"}),
                         (cfn.list_stack_resources, {"StackName": "nope"}),
                         (cfn.describe_stack_resources, {"StackName": "nope"}),
                         (cfn.describe_stack_resource, {"StackName": "nope", "LogicalResourceId": "X"}),
                         (cfn.get_template, {"StackName": "nope"})]:
        code, status, message, resp = error_of(call, **kwargs)
        assert (code, status, message) == ("ValidationError", 400, "Stack with id nope does not exist"), (call.__name__, resp)
    arn = "arn:aws:cloudformation:us-east-1:000000000000:stack/amplify-dx-dev-1/00000000-0000-0000-0000-000000000000"
    code, status, message, _ = error_of(cfn.describe_stacks, StackName=arn)
    assert (code, message) == ("ValidationError", f"Stack with id {arn} does not exist")
    resp = query(url, "cloudformation", "DescribeStacks", {"StackName": "nope"})
    assert_query_error(resp, 400, "ValidationError", "Stack with id nope does not exist")


def test_query_protocol_refusals(url):
    assert_query_error(query(url, "cloudformation", "CreateStack", {"StackName": "x"}), 400, "InvalidAction")
    resp = query(url, "cloudformation", "NoSuchAction")
    assert resp.status == 400 and xml_root(resp).tag == "ErrorResponse", resp
    resp = query(url, "sts", "AssumeRole", {"RoleArn": "arn:aws:iam::000000000000:role/x", "RoleSessionName": "s"})
    assert resp.status == 400 and xml_root(resp).tag == "ErrorResponse", resp
    resp = query(url, "cloudformation", "DescribeStacks", {"StackName": "x"}, version="1999-01-01")
    assert 400 <= resp.status < 500, resp


def test_get_caller_identity(url):
    identity = client(url, "sts").get_caller_identity()
    assert identity["Account"] == "000000000000" and identity["UserId"] == "test"
    assert identity["Arn"] == "arn:aws:iam::000000000000:root"
    key = fresh_account()
    assert client(url, "sts", key=key).get_caller_identity()["Account"] == key
    resp = query(url, "sts", "GetCallerIdentity", key="111111111111")
    assert resp.status == 200 and xml_root(resp).findtext("GetCallerIdentityResult/Account") == "111111111111", resp


def test_caller_identity_is_the_credential_stores_account(server_factory, tmp_path_factory):
    """In strict auth the account is what the credential store's line says, whatever the key looks like."""
    path = tmp_path_factory.mktemp("sts") / "credentials"
    path.write_text("AKIAFAMILYTEST000001 family-secret 555555555555\n123456789012 other-secret 666666666666\n")
    path.chmod(0o600)
    strict = server_factory.start(extra_args=["--credentials", str(path)], auth="strict")
    sts = client(strict.url, "sts", key="AKIAFAMILYTEST000001", secret="family-secret")
    assert sts.get_caller_identity()["Account"] == "555555555555"
    sts = client(strict.url, "sts", key="123456789012", secret="other-secret")
    assert sts.get_caller_identity()["Account"] == "666666666666"


@pytest.mark.parametrize("service", ["amplify", "s3", "cloudformation", "sts"])
def test_strict_auth_refuses_a_bad_signature(server_factory, service):
    strict = strict_server(server_factory)
    good = client(strict.url, service)
    bad = client(strict.url, service, secret="wrong-secret")
    calls = {"amplify": lambda c: c.list_apps(), "s3": lambda c: c.list_buckets(),
             "cloudformation": lambda c: c.list_stacks(), "sts": lambda c: c.get_caller_identity()}
    calls[service](good)
    code, status, message, resp = _fail(calls[service], bad)
    assert status == 403, resp
    expected = {"amplify": "InvalidSignatureException", "s3": "SignatureDoesNotMatch",
                "cloudformation": "SignatureDoesNotMatch", "sts": "SignatureDoesNotMatch"}[service]
    assert code == expected, resp
    unknown = client(strict.url, service, key="AKIAUNKNOWNKEY000000", secret="x")
    code, status, _, resp = _fail(calls[service], unknown)
    assert status == 403, resp
    assert code == {"amplify": "UnrecognizedClientException", "s3": "InvalidAccessKeyId",
                    "cloudformation": "InvalidClientTokenId", "sts": "InvalidClientTokenId"}[service], resp


def _fail(call, c):
    from botocore.exceptions import ClientError
    try:
        call(c)
    except ClientError as error:
        r = error.response
        return r["Error"]["Code"], r["ResponseMetadata"]["HTTPStatusCode"], r["Error"].get("Message", ""), r
    raise AssertionError("the call succeeded")


_STRICT = {}


def strict_server(server_factory):
    if "server" not in _STRICT:
        _STRICT["server"] = server_factory.start(auth="strict")
    return _STRICT["server"]


def test_strict_auth_raw_refusals_in_each_shape(server_factory):
    strict = strict_server(server_factory)
    url = strict.url
    resp = send(url, "s3", "GET", "/", secret="wrong")
    assert_s3_error(resp, 403, "SignatureDoesNotMatch")
    resp = query(url, "cloudformation", "ListStacks", secret="wrong")
    assert_query_error(resp, 403, "SignatureDoesNotMatch")
    resp = query(url, "sts", "GetCallerIdentity", secret="wrong")
    assert_query_error(resp, 403, "SignatureDoesNotMatch")
    resp = send(url, "amplify", "GET", "/apps", secret="wrong")
    assert_json_error(resp, 403, "InvalidSignatureException")
    # Unsigned: the Admin API's answer by the path alone, S3's for a virtual-host-style host.
    assert_json_error(send(url, "s3", "GET", "/", signed=False), 403, "MissingAuthenticationTokenException")
    port = url.rsplit(":", 1)[1]
    assert_s3_error(send(url, "s3", "GET", "/x", signed=False, host=f"some-bucket.localhost:{port}"), 403, "AccessDenied")


def test_strict_auth_s3_keys_needing_encoding(server_factory):
    strict = strict_server(server_factory)
    admin = make_client(strict.url)
    app_id = create_backend(admin, app_id=new_app_id("d"))
    _, bucket, _ = deployment(admin, app_id)
    s3 = client(strict.url, "s3")
    assert s3.get_object(Bucket=bucket, Key="#current-cloud-backend.zip")["Body"].read()[:2] == b"PK"
    code, status, _, _ = _fail(lambda c: c.get_object(Bucket=bucket, Key="a b#c?d=e&f/ü.json"), s3)
    assert (code, status) == ("NoSuchKey", 404)
    virtual = client(strict.url, "s3", s3_style="virtual")
    assert virtual.get_object(Bucket=bucket, Key="#current-cloud-backend.zip")["Body"].read()[:2] == b"PK"


def test_each_service_chosen_by_shape_without_a_scope(url):
    """Presigned URLs and odd clients aside, a request's shape alone picks the service when the scope names none known."""
    resp = query(url, "sts", "GetCallerIdentity")
    assert resp.status == 200, resp


# ---------------------------------------------------------------------------------------------------------------------
# Isolation: another account, another region
# ---------------------------------------------------------------------------------------------------------------------

def test_isolation_across_accounts_and_regions(url, admin, backend):
    app_id, stack, bucket, _ = backend
    hosted = client(url, "amplify").create_app(name="mine")["app"]
    for who in [{"key": fresh_account()}, {"region": "eu-central-1"}]:
        amplify = client(url, "amplify", **who)
        s3 = client(url, "s3", **who)
        cfn = client(url, "cloudformation", **who)
        for app in (app_id, hosted["appId"]):
            code, status, _, _ = error_of(amplify.get_app, appId=app)
            assert (code, status) == ("NotFoundException", 404), who
        code, status, _, _ = error_of(amplify.get_backend_environment, appId=app_id, environmentName="dev")
        assert status == 404
        code, status, _, _ = error_of(amplify.list_tags_for_resource, resourceArn=hosted["appArn"])
        assert 400 <= status < 500
        code, status, _, _ = error_of(amplify.delete_app, appId=hosted["appId"])
        assert status == 404
        assert amplify.list_apps()["apps"] == []
        code, status, _, _ = error_of(s3.get_object, Bucket=bucket, Key="amplify-meta.json")
        assert (code, status) == ("NoSuchBucket", 404)
        assert s3.list_buckets()["Buckets"] == []
        code, status, message, _ = error_of(cfn.describe_stacks, StackName=stack)
        assert (code, message) == ("ValidationError", f"Stack with id {stack} does not exist")
        assert cfn.list_stacks()["StackSummaries"] == []
        assert cfn.describe_stacks()["Stacks"] == []
    # Still there for the owner.
    assert client(url, "amplify").get_app(appId=hosted["appId"])["app"]["name"] == "mine"
