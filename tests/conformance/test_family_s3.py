"""S3 (rest-xml) on the Admin API's port, driven by boto3 (issue 21): each environment's deployment bucket, read-only,
with #current-cloud-backend.zip and the files beside it; ranges, ETags, conditional reads, listing and paging, path-
and virtual-host-style addressing, and S3's own errors on the raw HTTP."""

import email.utils
import io
import json
import time
import urllib.parse
import zipfile

import pytest
from botocore.exceptions import ClientError

from conftest import (
    SCHEMA, api_config, create_backend, finish, make_client, minimal_auth_config, new_app_id, storage_config,
)
from family import assert_s3_error, client, deployment, error_of, full_backend, send, xml_root

ZIP = "#current-cloud-backend.zip"


@pytest.fixture(scope="module")
def admin(url):
    return make_client(url)


@pytest.fixture(scope="module")
def s3(url):
    return client(url, "s3")


@pytest.fixture(scope="module")
def backend(admin):
    """An app with auth, an API (models generated) in `dev`: (app id, bucket, amplify-meta)."""
    app_id = full_backend(admin, models=True)
    _, bucket, meta = deployment(admin, app_id)
    return app_id, bucket, meta


def test_current_cloud_backend_zip(s3, backend):
    app_id, bucket, meta = backend
    got = s3.get_object(Bucket=bucket, Key=ZIP)
    data = got["Body"].read()
    assert got["ContentLength"] == len(data) and got["ETag"].startswith('"')
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        for required in ("amplify-meta.json", "backend-config.json", "cli.json"):
            assert required in names, names
        assert any(n.startswith("auth/auth1/") for n in names), names
        assert any(n.startswith("api/api1/") for n in names), names
        zipped_meta = json.loads(z.read("amplify-meta.json"))
    # One amplify-meta.json: GetBackend's AmplifyMetaConfig is the deployed document, the zip's and the bucket's copy.
    assert zipped_meta == meta
    assert zipped_meta["auth"]["auth1"]["frontendAuthConfig"]["usernameAttributes"] == ["EMAIL"], zipped_meta["auth"]
    alone = json.loads(s3.get_object(Bucket=bucket, Key="amplify-meta.json")["Body"].read())
    assert alone == zipped_meta


def test_same_state_same_bytes_change_new_etag(s3, admin):
    app_id = create_backend(admin, app_id=new_app_id("d"))
    finish(admin, app_id, "dev", admin.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="auth1",
                                                          ResourceConfig=minimal_auth_config()), "CreateBackendAuth")
    _, bucket, _ = deployment(admin, app_id)
    first = s3.get_object(Bucket=bucket, Key=ZIP)
    second = s3.get_object(Bucket=bucket, Key=ZIP)
    assert first["Body"].read() == second["Body"].read() and first["ETag"] == second["ETag"]
    config = minimal_auth_config()
    config["UserPoolConfigs"]["SignInMethod"] = "USERNAME"
    finish(admin, app_id, "dev", admin.update_backend_auth(
        AppId=app_id, BackendEnvironmentName="dev", ResourceName="auth1",
        ResourceConfig={"AuthResources": "USER_POOL_ONLY", "Service": "COGNITO",
                        "UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 12.0}}}), "UpdateBackendAuth")
    after_update = s3.get_object(Bucket=bucket, Key=ZIP)
    assert after_update["ETag"] != first["ETag"]
    finish(admin, app_id, "dev", admin.create_backend_storage(AppId=app_id, BackendEnvironmentName="dev",
                                                             ResourceName="store1", ResourceConfig=storage_config()),
           "CreateBackendStorage", members=("AppId", "BackendEnvironmentName", "JobId", "Status"))
    after_storage = s3.get_object(Bucket=bucket, Key=ZIP)
    assert after_storage["ETag"] not in (first["ETag"], after_update["ETag"])
    with zipfile.ZipFile(io.BytesIO(after_storage["Body"].read())) as z:
        assert any(n.startswith("storage/store1/") for n in z.namelist()), z.namelist()


def test_ranges(s3, backend):
    _, bucket, _ = backend
    whole = s3.get_object(Bucket=bucket, Key=ZIP)["Body"].read()
    size = len(whole)
    first = s3.get_object(Bucket=bucket, Key=ZIP, Range="bytes=0-9")
    assert first["Body"].read() == whole[:10] and first["ContentRange"] == f"bytes 0-9/{size}"
    assert first["ResponseMetadata"]["HTTPStatusCode"] == 206 and first["ContentLength"] == 10
    tail = s3.get_object(Bucket=bucket, Key=ZIP, Range="bytes=-5")
    assert tail["Body"].read() == whole[-5:] and tail["ContentRange"] == f"bytes {size - 5}-{size - 1}/{size}"
    rest = s3.get_object(Bucket=bucket, Key=ZIP, Range="bytes=10-")
    assert rest["Body"].read() == whole[10:]
    past = s3.get_object(Bucket=bucket, Key=ZIP, Range=f"bytes=5-{size + 100}")
    assert past["Body"].read() == whole[5:]
    code, status, _, resp = error_of(s3.get_object, Bucket=bucket, Key=ZIP, Range=f"bytes={size}-")
    assert (code, status) == ("InvalidRange", 416), resp
    raw = send(s3.meta.endpoint_url, "s3", "GET", f"/{bucket}/{urllib.parse.quote(ZIP)}",
               headers={"Range": f"bytes={size + 10}-{size + 20}"})
    assert_s3_error(raw, 416, "InvalidRange")
    assert raw.headers.get("content-range") == f"bytes */{size}"
    # What S3 ignores (a malformed or multi-range header) gets the whole object.
    for header in ("bytes=abc", "bytes=5-1", "items=0-1", "bytes=0-1,3-4", "bytes=", "bytes=--1"):
        got = s3.get_object(Bucket=bucket, Key=ZIP, Range=header)
        assert got["ResponseMetadata"]["HTTPStatusCode"] == 200 and got["Body"].read() == whole, header


def test_conditional_reads(s3, backend):
    _, bucket, _ = backend
    head = s3.head_object(Bucket=bucket, Key=ZIP)
    etag, modified = head["ETag"], head["LastModified"]
    code, status, _, _ = error_of(s3.get_object, Bucket=bucket, Key=ZIP, IfNoneMatch=etag)
    assert status == 304
    code, status, _, _ = error_of(s3.get_object, Bucket=bucket, Key=ZIP, IfMatch='"0123"')
    assert (code, status) == ("PreconditionFailed", 412)
    assert s3.get_object(Bucket=bucket, Key=ZIP, IfMatch=etag)["ETag"] == etag
    assert s3.get_object(Bucket=bucket, Key=ZIP, IfNoneMatch='"other"')["ETag"] == etag
    code, status, _, _ = error_of(s3.get_object, Bucket=bucket, Key=ZIP, IfModifiedSince=modified)
    assert status == 304
    older = modified.timestamp() - 3600
    assert s3.get_object(Bucket=bucket, Key=ZIP, IfModifiedSince=older)["ETag"] == etag
    code, status, _, _ = error_of(s3.get_object, Bucket=bucket, Key=ZIP, IfUnmodifiedSince=older)
    assert (code, status) == ("PreconditionFailed", 412)
    # On the raw HTTP: 304 has no body and carries the ETag; 412 is S3's XML error.
    path = f"/{bucket}/{urllib.parse.quote(ZIP)}"
    raw = send(s3.meta.endpoint_url, "s3", "GET", path, headers={"If-None-Match": etag})
    assert raw.status == 304 and raw.body == b"" and raw.headers.get("etag") == etag, raw
    raw = send(s3.meta.endpoint_url, "s3", "GET", path, headers={"If-Match": '"nope"'})
    assert_s3_error(raw, 412, "PreconditionFailed")
    raw = send(s3.meta.endpoint_url, "s3", "GET", path,
               headers={"If-Modified-Since": email.utils.formatdate(modified.timestamp(), usegmt=True)})
    assert raw.status == 304, raw


def test_head_object(s3, backend):
    _, bucket, _ = backend
    whole = s3.get_object(Bucket=bucket, Key="amplify-meta.json")
    head = s3.head_object(Bucket=bucket, Key="amplify-meta.json")
    assert head["ETag"] == whole["ETag"] and head["ContentLength"] == len(whole["Body"].read())
    assert head["ContentType"].startswith("application/json")
    code, status, _, _ = error_of(s3.head_object, Bucket=bucket, Key="missing.json")
    assert status == 404 and code in ("404", "NoSuchKey")
    code, status, _, _ = error_of(s3.head_object, Bucket="amplify-nosuch-dev-123456-deployment", Key="x")
    assert status == 404


def test_missing_key_and_bucket(s3, backend, url):
    _, bucket, _ = backend
    code, status, _, resp = error_of(s3.get_object, Bucket=bucket, Key="missing.json")
    assert (code, status) == ("NoSuchKey", 404), resp
    code, status, _, resp = error_of(s3.get_object, Bucket="no-such-bucket-here", Key="x")
    assert (code, status) == ("NoSuchBucket", 404), resp
    code, status, _, resp = error_of(s3.list_objects_v2, Bucket="no-such-bucket-here")
    assert (code, status) == ("NoSuchBucket", 404), resp
    root = assert_s3_error(send(url, "s3", "GET", f"/{bucket}/missing.json"), 404, "NoSuchKey")
    assert root.findtext("Key") == "missing.json"
    root = assert_s3_error(send(url, "s3", "GET", "/no-such-bucket-here?list-type=2"), 404, "NoSuchBucket")
    assert root.findtext("BucketName") == "no-such-bucket-here"


def test_list_objects_v2(s3, backend):
    _, bucket, _ = backend
    listed = s3.list_objects_v2(Bucket=bucket)
    keys = [o["Key"] for o in listed["Contents"]]
    assert keys == sorted(keys)
    for key in (ZIP, "amplify-meta.json", "backend-config.json", "models/api1/schema.js", "models/api1/model-introspection.json"):
        assert key in keys, keys
    assert listed["KeyCount"] == len(keys) and listed["IsTruncated"] is False and listed["Name"] == bucket
    sizes = {o["Key"]: o["Size"] for o in listed["Contents"]}
    assert sizes["amplify-meta.json"] == s3.head_object(Bucket=bucket, Key="amplify-meta.json")["ContentLength"]
    top = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["models/"]
    assert "models/api1/schema.js" not in [o["Key"] for o in top["Contents"]]
    models = s3.list_objects_v2(Bucket=bucket, Prefix="models/api1/")
    assert sorted(o["Key"] for o in models["Contents"]) == ["models/api1/model-introspection.json", "models/api1/schema.js"]
    nested = s3.list_objects_v2(Bucket=bucket, Prefix="models/", Delimiter="/")
    assert [p["Prefix"] for p in nested["CommonPrefixes"]] == ["models/api1/"] and "Contents" not in nested
    paged, token, pages = [], None, 0
    while True:
        kwargs = {"Bucket": bucket, "MaxKeys": 2}
        if token:
            kwargs["ContinuationToken"] = token
        page = s3.list_objects_v2(**kwargs)
        pages += 1
        assert page["KeyCount"] == len(page.get("Contents", [])) <= 2
        paged += [o["Key"] for o in page.get("Contents", [])]
        token = page.get("NextContinuationToken")
        assert page["IsTruncated"] == (token is not None)
        if not token:
            break
        assert pages < 20
    assert paged == keys
    after = s3.list_objects_v2(Bucket=bucket, StartAfter="backend-config.json")
    assert [o["Key"] for o in after["Contents"]] == [k for k in keys if k > "backend-config.json"]
    assert s3.list_objects_v2(Bucket=bucket, Prefix="nothing/")["KeyCount"] == 0
    paginator = s3.get_paginator("list_objects_v2")
    assert [o["Key"] for p in paginator.paginate(Bucket=bucket, PaginationConfig={"PageSize": 1}) for o in p["Contents"]] == keys


def test_list_objects_v1(s3, backend):
    _, bucket, _ = backend
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    listed = s3.list_objects(Bucket=bucket)
    assert [o["Key"] for o in listed["Contents"]] == keys and listed["IsTruncated"] is False
    paginator = s3.get_paginator("list_objects")
    assert [o["Key"] for p in paginator.paginate(Bucket=bucket, PaginationConfig={"PageSize": 2}) for o in p["Contents"]] == keys
    top = s3.list_objects(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["models/"]


def test_bucket_operations(s3, backend, url):
    _, bucket, _ = backend
    s3.head_bucket(Bucket=bucket)
    code, status, _, _ = error_of(s3.head_bucket, Bucket="no-such-bucket-here")
    assert status == 404
    assert s3.get_bucket_location(Bucket=bucket).get("LocationConstraint") in (None, "")
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert bucket in names
    other_region = client(url, "s3", region="eu-west-1")
    code, status, _, _ = error_of(other_region.get_bucket_location, Bucket=bucket)
    assert (code, status) == ("NoSuchBucket", 404)


def test_get_bucket_location_outside_us_east_1(url, admin):
    eu_admin = make_client(url, region="eu-west-1")
    app_id = create_backend(eu_admin, app_id=new_app_id("d"))
    _, bucket, _ = deployment(eu_admin, app_id)
    eu = client(url, "s3", region="eu-west-1")
    assert eu.get_bucket_location(Bucket=bucket)["LocationConstraint"] == "eu-west-1"
    raw = send(url, "s3", "GET", f"/{bucket}?location", region="eu-west-1")
    assert raw.status == 200 and xml_root(raw).tag == "LocationConstraint" and xml_root(raw).text == "eu-west-1", raw


def test_writes_are_access_denied(s3, backend, url):
    _, bucket, _ = backend
    for call, kwargs in [(s3.put_object, {"Bucket": bucket, "Key": "x.txt", "Body": b"hello"}),
                         (s3.delete_object, {"Bucket": bucket, "Key": "amplify-meta.json"}),
                         (s3.delete_bucket, {"Bucket": bucket}),
                         (s3.copy_object, {"Bucket": bucket, "Key": "copy.json",
                                           "CopySource": {"Bucket": bucket, "Key": "amplify-meta.json"}}),
                         (s3.delete_objects, {"Bucket": bucket, "Delete": {"Objects": [{"Key": "amplify-meta.json"}]}})]:
        code, status, _, resp = error_of(call, **kwargs)
        assert (code, status) == ("AccessDenied", 403), (call.__name__, resp)
    code, status, _, _ = error_of(s3.put_object, Bucket="no-such-bucket-here", Key="x", Body=b"x")
    assert (code, status) == ("NoSuchBucket", 404)
    code, status, _, _ = error_of(s3.create_bucket, Bucket="my-new-bucket")
    assert status in (403, 404)
    assert_s3_error(send(url, "s3", "PUT", f"/{bucket}/x.txt", b"hello"), 403, "AccessDenied")
    assert_s3_error(send(url, "s3", "DELETE", f"/{bucket}/amplify-meta.json"), 403, "AccessDenied")
    # Nothing changed.
    assert "x.txt" not in [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    s3.head_object(Bucket=bucket, Key="amplify-meta.json")


def test_virtual_host_style(url, backend):
    _, bucket, _ = backend
    virtual = client(url, "s3", s3_style="virtual")
    sent = []
    virtual.meta.events.register("before-send.s3", lambda request, **_: sent.append(request.headers.get("Host")))
    whole = virtual.get_object(Bucket=bucket, Key=ZIP)
    assert whole["Body"].read()[:2] == b"PK"
    port = urllib.parse.urlsplit(url).port
    assert sent[-1] in (f"{bucket}.localhost:{port}", f"{bucket}.localhost:{port}".encode()), sent
    keys = [o["Key"] for o in virtual.list_objects_v2(Bucket=bucket)["Contents"]]
    assert ZIP in keys
    virtual.head_bucket(Bucket=bucket)
    code, status, _, _ = error_of(virtual.get_object, Bucket=bucket, Key="missing")
    assert (code, status) == ("NoSuchKey", 404)
    code, status, _, _ = error_of(virtual.put_object, Bucket=bucket, Key="x", Body=b"x")
    assert (code, status) == ("AccessDenied", 403)
    # And raw, with the Host header by hand.
    host = f"{bucket}.localhost:{port}"
    raw = send(url, "s3", "GET", "/amplify-meta.json", host=host)
    assert raw.status == 200 and json.loads(raw.body)["providers"], raw
    raw = send(url, "s3", "GET", "/?list-type=2&prefix=models%2F", host=host)
    assert raw.status == 200 and xml_root(raw).tag == "ListBucketResult", raw
    assert {k.text for k in xml_root(raw).iter("Key")} == {"models/api1/schema.js", "models/api1/model-introspection.json"}
    raw = send(url, "s3", "GET", "/x", host=f"no-such-bucket-here.localhost:{port}")
    assert_s3_error(raw, 404, "NoSuchBucket")


def test_model_objects_after_generate(s3, backend, admin):
    app_id, bucket, _ = backend
    models = admin.get_backend_api_models(AppId=app_id, BackendEnvironmentName="dev", ResourceName="api1")
    schema_js = s3.get_object(Bucket=bucket, Key="models/api1/schema.js")["Body"].read().decode()
    assert schema_js == models["Models"]
    introspection = s3.get_object(Bucket=bucket, Key="models/api1/model-introspection.json")["Body"].read()
    assert "Todo" in json.loads(introspection)["models"]


def test_keys_needing_encoding(s3, backend, url):
    _, bucket, _ = backend
    for key in ("#current-cloud-backend.zip", "models/api1/../api1/schema.js", "a b+c%25.json", "ü/é", "x" * 1100):
        try:
            got = s3.get_object(Bucket=bucket, Key=key)
            assert key == ZIP, key
            got["Body"].read()
        except ClientError as error:
            assert error.response["Error"]["Code"] in ("NoSuchKey", "KeyTooLongError"), (key, error.response)
    raw = send(url, "s3", "GET", f"/{bucket}/%23current-cloud-backend.zip")
    assert raw.status == 200 and raw.body[:2] == b"PK", raw
    raw = send(url, "s3", "GET", f"/{bucket}/#current-cloud-backend.zip".replace("#", "%2523"))
    assert_s3_error(raw, 404, "NoSuchKey")


def test_list_buckets_and_isolation(url, backend):
    _, bucket, _ = backend
    other = client(url, "s3", key=fresh())
    assert other.list_buckets()["Buckets"] == []
    code, status, _, _ = error_of(other.get_object, Bucket=bucket, Key=ZIP)
    assert (code, status) == ("NoSuchBucket", 404)
    code, status, _, _ = error_of(other.list_objects_v2, Bucket=bucket)
    assert (code, status) == ("NoSuchBucket", 404)
    code, status, _, _ = error_of(other.head_bucket, Bucket=bucket)
    assert status == 404
    elsewhere = client(url, "s3", region="ap-south-1")
    assert bucket not in [b["Name"] for b in elsewhere.list_buckets()["Buckets"]]
    code, status, _, _ = error_of(elsewhere.get_object, Bucket=bucket, Key=ZIP)
    assert (code, status) == ("NoSuchBucket", 404)


def fresh():
    from conftest import fresh_account
    return fresh_account()


def test_last_modified_is_an_http_date(s3, backend, url):
    _, bucket, _ = backend
    raw = send(url, "s3", "HEAD", f"/{bucket}/amplify-meta.json")
    assert raw.status == 200 and raw.body == b""
    assert email.utils.parsedate_to_datetime(raw.headers["last-modified"]).timestamp() <= time.time() + 1
    assert raw.headers.get("accept-ranges") == "bytes" and raw.headers.get("etag", "").startswith('"')
    raw = send(url, "s3", "HEAD", f"/{bucket}/missing.json")
    assert raw.status == 404 and raw.body == b"", raw
