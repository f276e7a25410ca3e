"""The wire contract below the operations: authentication, routing, CORS, request parsing limits, the JSON member
names on the wire, error shapes, partition isolation, and that no input makes the server answer 5xx.

These send raw HTTP (stdlib http.client) where an SDK would refuse to send the request, signed for real with botocore's
SigV4 signer (conftest.raw), so they pass in strict auth as in lenient. test_auth.py covers signature verification.
"""

import json
import re
import urllib.parse
import uuid

import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

import boto3
from conftest import (
    SERVICE_MODEL, STORAGE_MEMBERS, UUID_ANY, api_config, assert_raw_error, create_backend, expect_error, finish,
    fresh_account, lenient_only, make_client, meta_of, minimal_auth_config, new_app_id, raw,
)

MIB = 1024 * 1024


def details_path(app):
    return f"/backend/{app}/details"


# ---------------------------------------------------------------------------------------------------------------------
# Authentication
# ---------------------------------------------------------------------------------------------------------------------

class TestAuthentication:
    def test_missing_authorization_is_403(self, url):
        for method, path in (("POST", "/backend/x/details"), ("GET", "/backend/x/job/dev/j"), ("POST", "/s3Buckets"),
                             ("POST", "/nope")):
            resp = raw(url, method, path, "{}" if method == "POST" else None, auth=False)
            body = assert_raw_error(resp, 403, "MissingAuthenticationTokenException", "Missing Authentication Token")
            assert set(body) == {"message"}

    def test_unsigned_boto3_client_gets_the_modelled_common_error(self, url):
        unsigned = boto3.session.Session().client(
            "amplifybackend", endpoint_url=url, region_name="us-east-1",
            config=Config(signature_version=UNSIGNED, retries={"max_attempts": 0}))
        with pytest.raises(ClientError) as info:
            unsigned.list_s3_buckets()
        assert info.value.response["Error"]["Code"] == "MissingAuthenticationTokenException"
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403

    @pytest.mark.parametrize("header, message", [
        ("Bearer abc", "Authorization header requires 'AWS4-HMAC-SHA256' as its algorithm; got 'Bearer'."),
        ("AWS4-HMAC-SHA256", "Authorization header requires 'Credential' parameter."),
        ("AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/amplifybackend/aws4_request",
         "Authorization header requires 'SignedHeaders' parameter."),
        ("AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/amplifybackend/aws4_request, SignedHeaders=host",
         "Authorization header requires 'Signature' parameter."),
        ("AWS4-HMAC-SHA256 Credential=test/2026/us-east-1/amplifybackend/aws4_request, SignedHeaders=host, Signature=a",
         "Credential should be scoped to a valid region and service"),
        ("AWS4-HMAC-SHA256 Credential=test/20260101//amplifybackend/aws4_request, SignedHeaders=host, Signature=a",
         "Credential should be scoped to a valid region and service"),
        ("AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/amplifybackend, SignedHeaders=host, Signature=a",
         "Credential should be scoped to a valid region and service"),
        ("AWS4-HMAC-SHA1 Credential=test/20260101/us-east-1/amplifybackend/aws4_request, SignedHeaders=host, Signature=a",
         "as its algorithm"),
    ])
    def test_malformed_authorization_is_403(self, url, header, message):
        resp = raw(url, "POST", "/backend/x/details", "{}", auth=False, headers={"Authorization": header})
        assert_raw_error(resp, 403, "IncompleteSignatureException", message)

    @lenient_only
    def test_credential_in_the_query_string(self, url):
        account = fresh_account()
        c = make_client(url, key=account)
        app = create_backend(c)
        job_id = c.list_backend_jobs(AppId=app, BackendEnvironmentName="dev")["Jobs"][0]["JobId"]
        query = f"X-Amz-Credential={account}%2F20260101%2Fus-east-1%2Famplifybackend%2Faws4_request"
        resp = raw(url, "GET", f"/backend/{app}/job/dev/{job_id}?{query}", auth=False)
        assert resp.status == 200, resp
        assert resp.json()["jobId"] == job_id
        # The same request signed for the default account does not see the job.
        resp = raw(url, "GET", f"/backend/{app}/job/dev/{job_id}")
        assert_raw_error(resp, 404, "NotFoundException")


# ---------------------------------------------------------------------------------------------------------------------
# Routing and CORS
# ---------------------------------------------------------------------------------------------------------------------

class TestRouting:
    @pytest.mark.parametrize("method, path", [
        ("GET", "/nope"), ("GET", "/"), ("POST", "/backend/x/unknown"), ("PUT", "/backend"),
        ("DELETE", "/backend/x/details"), ("GET", "/backend/x/details"), ("POST", "/backend/x/job/dev/j/extra"),
        ("PATCH", "/s3Buckets"), ("POST", "/production/backend/x/details"),
    ])
    def test_unknown_route_is_404(self, url, method, path):
        resp = raw(url, method, path, "{}" if method in ("POST", "PUT", "PATCH") else None)
        body = assert_raw_error(resp, 404, "NotFoundException", f"No operation matches {method} {path}")
        assert set(body) == {"message"}

    def test_prod_prefix_is_an_alias(self, client, url):
        app = new_app_id()
        resp = raw(url, "POST", "/prod/backend", {"appId": app, "appName": "p", "backendEnvironmentName": "dev"})
        assert resp.status == 200, resp
        assert resp.json()["operation"] == "CreateBackend"
        plain = raw(url, "POST", details_path(app), {}).json()
        aliased = raw(url, "POST", "/prod" + details_path(app), {}).json()
        assert plain == aliased and aliased["appId"] == app
        assert client.get_backend(AppId=app)["AppName"] == "p"

    @pytest.mark.parametrize("path", ["/backend/x/details", "/backend/x/job/dev/jobid", "/backend",
                                      "/prod/backend/x/challenge/s", "/s3Buckets", "/backend/x/config/update"])
    def test_options_preflight(self, url, path):
        resp = raw(url, "OPTIONS", path, auth=False, headers={
            "Origin": "https://eu-west-1.admin.amplifyapp.com", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,x-amz-date,x-amz-user-agent"})
        assert resp.status == 200, resp
        h = resp.headers
        assert h["access-control-allow-origin"] == "*"
        assert {"GET", "POST", "OPTIONS"} <= {m.strip() for m in h["access-control-allow-methods"].split(",")}
        assert h["access-control-allow-headers"].lower() == "authorization,content-type,x-amz-date,x-amz-user-agent"
        assert int(h["access-control-max-age"]) > 0
        assert "x-amzn-requestid" in h["access-control-expose-headers"].lower()
        assert UUID_ANY.match(h["x-amzn-requestid"])
        assert resp.body == b""

    def test_options_without_requested_headers_allows_the_sigv4_headers(self, url):
        resp = raw(url, "OPTIONS", "/backend/x/details", auth=False)
        assert resp.status == 200
        allowed = {x.strip().lower() for x in resp.headers["access-control-allow-headers"].split(",")}
        assert {"authorization", "content-type", "x-amz-date", "x-amz-security-token"} <= allowed

    def test_options_on_an_unknown_path_is_404(self, url):
        assert_raw_error(raw(url, "OPTIONS", "/nope", auth=False), 404, "NotFoundException")

    def test_cors_headers_on_ordinary_responses(self, url):
        for resp in (raw(url, "POST", "/s3Buckets", {}), raw(url, "POST", details_path(new_app_id()), {})):
            assert resp.headers["access-control-allow-origin"] == "*"
            assert "x-amzn-errortype" in resp.headers["access-control-expose-headers"].lower()

    def test_request_ids_are_unique(self, url):
        ids = [raw(url, "POST", "/s3Buckets", {}).headers["x-amzn-requestid"] for _ in range(20)]
        ids += [raw(url, "GET", "/nope").headers["x-amzn-requestid"] for _ in range(5)]
        assert len(set(ids)) == len(ids)
        assert all(UUID_ANY.match(i) for i in ids)


# ---------------------------------------------------------------------------------------------------------------------
# Request parsing
# ---------------------------------------------------------------------------------------------------------------------

class TestRequestParsing:
    @pytest.mark.parametrize("body, message", [
        (b"{bad", "The request body is not valid JSON"),
        (b'{"backendEnvironmentName": "dev",}', "The request body is not valid JSON"),
        (b"{} {}", "The request body is not valid JSON"),
        (b"\xef\xbb\xbf{}", "The request body is not valid JSON"),
        (b"[]", "The request body must be a JSON object, not a list."),
        (b'[{"backendEnvironmentName": "dev"}]', "The request body must be a JSON object, not a list."),
        (b'"dev"', "The request body must be a JSON object, not a string."),
        (b"42", "The request body must be a JSON object, not a number."),
        (b"true", "The request body must be a JSON object, not a boolean."),
        (b"null", "The request body must be a JSON object, not null."),
        (b'{"zzz": 1}', "Unknown member 'zzz' in the request body."),
        (b'{"BackendEnvironmentName": "dev"}', "Unknown member 'BackendEnvironmentName' in the request body."),
        (b'{"backendEnvironmentName": 5}', "Invalid type for 'backendEnvironmentName': expected a string, got a number."),
        (b'{"backendEnvironmentName": ["dev"]}', "Invalid type for 'backendEnvironmentName': expected a string, got a list."),
        (b'{"backendEnvironmentName": ""}', "'backendEnvironmentName' must not be empty."),
        (b'{"backendEnvironmentName": "' + b"e" * 300 + b'"}', "'backendEnvironmentName' is 300 characters long"),
        (b'{"backendEnvironmentName": "a\\u0001b"}', "'backendEnvironmentName' must not contain control characters."),
        (b'{"backendEnvironmentName": "a\\u0000b"}',
         "Invalid value for 'backendEnvironmentName': must not contain the NUL character (U+0000)."),
        (b'{"a":' * 100 + b"1" + b"}" * 100, "The request body nests JSON objects and arrays deeper than 32 levels"),
    ])
    def test_bad_bodies_are_400(self, url, body, message):
        resp = raw(url, "POST", details_path(new_app_id()), body)
        body = assert_raw_error(resp, 400, "BadRequestException", message)
        assert set(body) == {"message"}

    def test_null_members_count_as_absent(self, client, url):
        app = create_backend(client, env="first")
        create_backend(client, app_id=app, env="second")
        resp = raw(url, "POST", details_path(app), {"backendEnvironmentName": None})
        assert resp.status == 200 and resp.json()["backendEnvironmentName"] == "first"
        empty = raw(url, "POST", details_path(app), b"")
        assert empty.status == 200 and empty.json()["backendEnvironmentName"] == "first"

    def test_wrong_types_and_values(self, url):
        app = new_app_id()
        jobs = f"/backend/{app}/job/dev"
        cases = [
            (jobs, {"maxResults": "5"}, "Invalid type for 'maxResults': expected an integer, got a string."),
            (jobs, {"maxResults": 1.5}, "Invalid value for 'maxResults': 1.5 is not an integer in range."),
            (jobs, {"maxResults": 99999999999999999999}, "is not an integer in range"),
            (jobs, {"maxResults": 0}, "Invalid value for 'maxResults': 0 is less than the minimum of 1."),
            (jobs, {"maxResults": 26}, "Invalid value for 'maxResults': 26 is greater than the maximum of 25."),
            (jobs, {"status": {"a": 1}}, "Invalid type for 'status': expected a string, got an object."),
            (f"/backend/{app}/remove", {"cleanAmplifyApp": "true"},
             "Invalid type for 'cleanAmplifyApp': expected a boolean, got a string."),
            ("/s3Buckets", {"nextToken": 5}, "Invalid type for 'nextToken': expected a string, got a number."),
            (f"/backend/{app}/storage", {"backendEnvironmentName": "dev", "resourceName": "s", "resourceConfig": {
                "serviceName": "S3", "permissions": {"authenticated": ["READ", "WRITE"]}}},
             "Invalid value for 'resourceConfig.permissions.authenticated[1]': 'WRITE' is not one of [READ, CREATE_AND_UPDATE, DELETE]."),
            (f"/backend/{app}/storage", {"backendEnvironmentName": "dev", "resourceName": "s", "resourceConfig": {
                "serviceName": "S3", "permissions": {"authenticated": ["READ", None]}}},
             "Invalid value for 'resourceConfig.permissions.authenticated[1]': list elements must not be null."),
            (f"/backend/{app}/storage", {"backendEnvironmentName": "dev", "resourceName": "s", "resourceConfig": {
                "serviceName": "S3", "permissions": {"authenticated": ["READ"]}, "extra": 1}},
             "Unknown member 'resourceConfig.extra' in the request body."),
            (f"/backend/{app}/auth", {"backendEnvironmentName": "dev", "resourceName": "a", "resourceConfig": {
                "authResources": "USER_POOL_ONLY", "service": "COGNITO"}},
             "Missing required member 'resourceConfig.userPoolConfigs'."),
            (f"/backend/{app}/auth", {"backendEnvironmentName": "dev", "resourceName": "a", "resourceConfig": "x"},
             "Invalid type for 'resourceConfig': expected an object, got a string."),
            (f"/backend/{app}/api", {"backendEnvironmentName": "dev", "resourceName": "a",
                                     "resourceConfig": {"defaultAuthType": {"mode": "PASSWORD"}}},
             "Invalid value for 'resourceConfig.defaultAuthType.mode': 'PASSWORD' is not one of"),
            (f"/backend/{app}/api", {"backendEnvironmentName": "dev", "resourceName": "a",
                                     "resourceConfig": {"defaultAuthType": {"settings": {"expirationTime": "soon"}}}},
             "Invalid type for 'resourceConfig.defaultAuthType.settings.expirationTime': expected a number, got a string."),
            ("/backend", {"appId": app, "backendEnvironmentName": "dev"}, "Missing required member 'appName'."),
            (f"/backend/{app}/challenge", {"sessionId": "x"}, "Unknown member 'sessionId' in the request body."),
        ]
        for path, body, message in cases:
            assert_raw_error(raw(url, "POST", path, body), 400, "BadRequestException", message)

    def test_body_on_an_operation_without_body_members(self, url, client):
        app = create_backend(client)
        job_id = client.list_backend_jobs(AppId=app, BackendEnvironmentName="dev")["Jobs"][0]["JobId"]
        path = f"/backend/{app}/job/dev/{job_id}"
        assert raw(url, "GET", path, b"{}").status == 200
        assert_raw_error(raw(url, "GET", path, b'{"a": 1}'), 400, "BadRequestException",
                         "Unknown member 'a' in the request body.")
        assert_raw_error(raw(url, "POST", f"/backend/{app}/challenge", b"[1]"), 400, "BadRequestException")

    def test_empty_path_label_is_400(self, url):
        assert_raw_error(raw(url, "POST", "/backend//details", {}), 400, "BadRequestException",
                         "The path parameter 'appId' must not be empty.")
        assert_raw_error(raw(url, "GET", "/backend/x/job//j"), 400, "BadRequestException",
                         "The path parameter 'backendEnvironmentName' must not be empty.")

    def test_long_path_label_is_400(self, url, client):
        assert_raw_error(raw(url, "POST", details_path("x" * 300), {}), 400, "BadRequestException",
                         "'appId' is 300 characters long; the limit is 255.")
        expect_error(client.get_backend_job, "BadRequestException", 400, "'jobId' is 300 characters long",
                     AppId="x", BackendEnvironmentName="dev", JobId="j" * 300)

    def test_body_over_1_mib_is_400(self, url):
        path = details_path(new_app_id())
        # Exactly 1 MiB is accepted (the request is then handled: the app does not exist).
        exact = b"{}" + b" " * (MIB - 2)
        assert_raw_error(raw(url, "POST", path, exact), 404, "NotFoundException")
        over = b"{}" + b" " * (MIB - 1)
        assert_raw_error(raw(url, "POST", path, over), 400, "BadRequestException",
                         "The request body is larger than the limit of 1048576 bytes.")
        big = json.dumps({"backendEnvironmentName": "x" * (2 * MIB)}).encode()
        assert_raw_error(raw(url, "POST", path, big), 400, "BadRequestException", "larger than the limit")

    def test_chunked_body_over_1_mib_is_400(self, url):
        chunks = (b" " * 16384 for _ in range(70))
        resp = raw(url, "POST", details_path(new_app_id()), chunks, chunked=True)
        assert_raw_error(resp, 400, "BadRequestException", "The request body is larger than the limit of 1048576 bytes.")
        small = iter([b'{"backendEnvironmentName"', b': "dev"}'])
        assert_raw_error(raw(url, "POST", details_path(new_app_id()), small, chunked=True), 404, "NotFoundException")

    def test_malformed_chunked_framing_is_a_client_error(self, url):
        # Kestrel's BadHttpRequestException while reading the body must become a 400 in the service's error shape.
        resp = raw(url, "POST", details_path(new_app_id()), iter([b"zz-not-a-chunk-size\r\n{}\r\n0\r\n\r\n"]),
                   headers={"Transfer-Encoding": "chunked"})
        assert 400 <= resp.status < 500, resp
        assert resp.headers.get("x-amzn-errortype") == "BadRequestException", resp

    @pytest.mark.parametrize("body", [b'{"backendEnvironmentName": "\xff\xfe"}', b'{"\xc3": 1}', b"\xff",
                                      b'{"\\ud800": 1}', b'{"backendEnvironmentName": "\\udc00x"}'])
    def test_undecodable_strings_are_400(self, url, body):
        # JSON strings that are not valid UTF-8, or hold a lone UTF-16 surrogate escape, are a client error.
        assert_raw_error(raw(url, "POST", details_path(new_app_id()), body), 400, "BadRequestException")

    def test_nul_in_the_path_is_refused_by_the_http_layer(self, url):
        # Known limitation: Kestrel refuses a %00 in the request target before any application code runs, so this
        # 400 is Kestrel's own (empty body, no x-amzn-RequestId / x-amzn-ErrorType). It is still a client error.
        resp = raw(url, "POST", "/backend/x%00y/details", {})
        assert resp.status == 400


class TestIdentifiersInPaths:
    @pytest.mark.parametrize("app", ["app/with/slash", "äpp-ünïcode", "a?b#c&d=e", "spaces in id", "plus+sign",
                                     "quote'and\"dq", "semi;colon", "trailing.dot.", "100%"])
    def test_identifiers_with_reserved_characters_round_trip(self, client, app):
        app = f"{uuid.uuid4().hex[:6]}-{app}"
        create_backend(client, app_id=app, env="dev env/1")
        details = client.get_backend(AppId=app, BackendEnvironmentName="dev env/1")
        assert details["AppId"] == app and details["BackendEnvironmentName"] == "dev env/1"
        assert client.create_token(AppId=app)["AppId"] == app

    @pytest.mark.parametrize("app", ["pct%41", "a%2Fb"])
    def test_percent_signs_in_identifiers_round_trip(self, client, app):
        # Path labels are percent-decoded exactly once, so an id holding '%' and two hex digits, or an encoded '/',
        # reads back as the id that was created.
        app = f"{uuid.uuid4().hex[:6]}-{app}"
        assert client.create_backend(AppId=app, AppName="n", BackendEnvironmentName="dev")["AppId"] == app  # body
        assert client.get_backend(AppId=app)["AppId"] == app  # path label


# ---------------------------------------------------------------------------------------------------------------------
# JSON on the wire
# ---------------------------------------------------------------------------------------------------------------------

class TestWireFormat:
    def test_member_names_are_the_location_names(self, client, url):
        app = create_backend(client)
        resp = raw(url, "POST", f"/backend/{app}/storage", {
            "backendEnvironmentName": "dev", "resourceName": "s",
            "resourceConfig": {"serviceName": "S3", "permissions": {"authenticated": ["READ"]}}})
        assert resp.status == 200
        accepted = resp.json()
        assert set(accepted) == {"appId", "backendEnvironmentName", "jobId", "status"}
        job = raw(url, "GET", f"/backend/{app}/job/dev/{accepted['jobId']}").json()
        assert set(job) == {"appId", "backendEnvironmentName", "jobId", "operation", "status", "createTime", "updateTime"}
        assert isinstance(job["createTime"], str) and isinstance(job["updateTime"], str)
        storage = raw(url, "POST", f"/backend/{app}/storage/dev/details", {"resourceName": "s"}).json()
        assert set(storage) == {"appId", "backendEnvironmentName", "resourceName", "resourceConfig"}
        assert set(storage["resourceConfig"]) == {"bucketName", "imported", "permissions", "serviceName"}
        assert storage["resourceConfig"]["imported"] is False
        assert storage["resourceConfig"]["permissions"] == {"authenticated": ["READ"]}
        listing = raw(url, "POST", f"/backend/{app}/job/dev", {"maxResults": 1}).json()
        assert set(listing) == {"jobs", "nextToken"}
        backend = raw(url, "POST", details_path(app), {}).json()
        assert set(backend) == {"amplifyFeatureFlags", "amplifyMetaConfig", "appId", "appName",
                                "backendEnvironmentList", "backendEnvironmentName"}
        token = raw(url, "POST", f"/backend/{app}/challenge").json()
        assert set(token) == {"appId", "challengeCode", "sessionId", "ttl"}
        deleted = raw(url, "POST", f"/backend/{app}/challenge/{token['sessionId']}/remove").json()
        assert deleted == {"isSuccess": True}

    def test_login_auth_config_is_snake_case(self, client, url):
        app = create_backend(client)
        finish(client, app, "dev", client.create_backend_config(AppId=app), "CreateBackendConfig", members=STORAGE_MEMBERS)
        login = {"aws_cognito_identity_pool_id": "us-east-1:x", "aws_cognito_region": "us-east-1",
                 "aws_user_pools_id": "us-east-1_X", "aws_user_pools_web_client_id": "c"}
        resp = raw(url, "POST", f"/backend/{app}/config/update", {"loginAuthConfig": login})
        assert resp.status == 200
        assert resp.json() == {"appId": app, "loginAuthConfig": login}
        assert_raw_error(raw(url, "POST", f"/backend/{app}/config/update", {"loginAuthConfig": {"awsCognitoRegion": "x"}}),
                         400, "BadRequestException", "Unknown member 'loginAuthConfig.awsCognitoRegion'")
        removed = raw(url, "POST", f"/backend/{app}/config/remove")
        assert removed.status == 200 and removed.json() == {}

    def test_social_provider_members_keep_their_wire_names(self, client, url):
        app = create_backend(client)
        config = minimal_auth_config()
        config["UserPoolConfigs"]["OAuth"] = {
            "OAuthGrantType": "CODE", "OAuthScopes": ["EMAIL"], "RedirectSignInURIs": ["https://a/"],
            "RedirectSignOutURIs": ["https://a/"],
            "SocialProviderSettings": {"Google": {"ClientId": "g", "ClientSecret": "s"},
                                       "SignInWithApple": {"ClientId": "a", "KeyId": "k", "PrivateKey": "p", "TeamId": "t"}}}
        finish(client, app, "dev", client.create_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="a",
                                                              ResourceConfig=config), "CreateBackendAuth")
        got = raw(url, "POST", f"/backend/{app}/auth/dev/details", {"resourceName": "a"}).json()
        social = got["resourceConfig"]["userPoolConfigs"]["oAuth"]["socialProviderSettings"]
        assert social == {"Google": {"client_id": "g", "client_secret": "s"},
                          "SignInWithApple": {"client_id": "a", "key_id": "k", "private_key": "p", "team_id": "t"}}
        assert got["resourceConfig"]["userPoolConfigs"]["requiredSignUpAttributes"] == ["EMAIL"]

    def test_error_bodies(self, url):
        app = new_app_id()
        resp = raw(url, "POST", details_path(app), {})
        assert resp.json() == {"message": f"App {app} was not found.", "resourceType": "App"}
        resp = raw(url, "POST", "/backend", {"appId": app, "appName": "", "backendEnvironmentName": "dev"})
        assert resp.json() == {"message": "'appName' must not be empty."}


# ---------------------------------------------------------------------------------------------------------------------
# Partitions: account and region
# ---------------------------------------------------------------------------------------------------------------------

class TestIsolation:
    def test_same_app_id_in_two_accounts_is_two_apps(self, url):
        a = make_client(url, key="111111111111")
        b = make_client(url, key="222222222222")
        app = new_app_id()
        create_backend(a, app_id=app, env="dev", app_name="in-one")
        expect_error(b.get_backend, "NotFoundException", 404, f"App {app} was not found.", "App", AppId=app)
        create_backend(b, app_id=app, env="prod", app_name="in-two")
        one, two = a.get_backend(AppId=app), b.get_backend(AppId=app)
        assert (one["AppName"], one["BackendEnvironmentList"]) == ("in-one", ["dev"])
        assert (two["AppName"], two["BackendEnvironmentList"]) == ("in-two", ["prod"])
        assert ":111111111111:" in meta_of(a, app)["providers"]["awscloudformation"]["AuthRoleArn"]
        assert ":222222222222:" in meta_of(b, app)["providers"]["awscloudformation"]["AuthRoleArn"]
        # Jobs, resources and tokens do not cross either.
        job = a.list_backend_jobs(AppId=app, BackendEnvironmentName="dev")["Jobs"][0]
        expect_error(b.get_backend_job, "NotFoundException", 404, None, "BackendJob",
                     AppId=app, BackendEnvironmentName="dev", JobId=job["JobId"])
        finish(a, app, "dev", a.create_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="auth",
                                                    ResourceConfig=minimal_auth_config()), "CreateBackendAuth")
        expect_error(b.get_backend_auth, "NotFoundException", 404, None, "BackendEnvironment",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="auth")
        token = a.create_token(AppId=app)
        expect_error(b.get_token, "NotFoundException", 404, None, "Token", AppId=app, SessionId=token["SessionId"])
        # Deleting in one account leaves the other alone.
        finish(b, app, "prod", b.delete_backend(AppId=app, BackendEnvironmentName="prod"), "DeleteBackend")
        assert a.get_backend(AppId=app)["BackendEnvironmentList"] == ["dev"]
        assert a.get_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="auth")["ResourceName"] == "auth"

    @lenient_only
    def test_non_numeric_keys_share_the_default_account(self, url):
        app = create_backend(make_client(url, key="AKIAIOSFODNN7EXAMPLE"))
        other = make_client(url, key="test")
        assert other.get_backend(AppId=app)["AppId"] == app
        assert ":000000000000:" in meta_of(other, app)["providers"]["awscloudformation"]["StackId"]
        # Eleven or thirteen digits are not an account id either.
        assert make_client(url, key="12345678901").get_backend(AppId=app)["AppId"] == app
        assert make_client(url, key="1234567890123").get_backend(AppId=app)["AppId"] == app

    def test_regions_are_separate_partitions(self, url):
        east = make_client(url, key="111111111111")
        west = make_client(url, key="111111111111", region="eu-west-1")
        app = new_app_id()
        create_backend(west, app_id=app, env="dev")
        expect_error(east.get_backend, "NotFoundException", 404, None, "App", AppId=app)
        finish(west, app, "dev", west.create_backend_auth(
            AppId=app, BackendEnvironmentName="dev", ResourceName="a", ResourceConfig=minimal_auth_config()),
            "CreateBackendAuth")
        finish(west, app, "dev", west.create_backend_api(
            AppId=app, BackendEnvironmentName="dev", ResourceName="api", ResourceConfig=api_config()),
            "CreateBackendAPI")
        meta = meta_of(west, app)
        provider = meta["providers"]["awscloudformation"]
        assert provider["Region"] == "eu-west-1"
        assert provider["StackId"].startswith("arn:aws:cloudformation:eu-west-1:111111111111:stack/")
        assert re.fullmatch(r"eu-west-1_[A-Za-z0-9]{9}", meta["auth"]["a"]["output"]["UserPoolId"])
        assert ".appsync-api.eu-west-1.amazonaws.com/graphql" in meta["api"]["api"]["output"]["GraphQLAPIEndpointOutput"]
        create_backend(east, app_id=app, env="dev")
        assert meta_of(east, app)["auth"] == {}

    def test_china_and_govcloud_regions_use_their_arn_partition(self, url):
        for region, partition in (("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")):
            c = make_client(url, key="111111111111", region=region)
            app = create_backend(c)
            provider = meta_of(c, app)["providers"]["awscloudformation"]
            assert provider["AuthRoleArn"].startswith(f"arn:{partition}:iam::111111111111:role/"), provider
            assert provider["StackId"].startswith(f"arn:{partition}:cloudformation:{region}:111111111111:stack/")


# ---------------------------------------------------------------------------------------------------------------------
# No input produces a 5xx
# ---------------------------------------------------------------------------------------------------------------------

ODD_VALUES = [1, -1, 0, 1.5, 1e308, True, None, [], [1, "a"], {}, {"x": {"y": []}}, "", " ", "x" * 2000, "\u0000",
              "ü\u202e\U0001F600", "../..", "%00", "${jndi}", "'; DROP TABLE apps; --"]
ODD_BODIES = [b"", b"{}", b"[]", b"null", b'"s"', b"1", b"{", b"}", b'{"a":', b'{"a": "\\ud83d\\ude00"}',
              b'{"a": 1e999}', b'{"a": -0}', b"{" + b'"k":1,' * 2000 + b'"k":2}',
              b'{"' + b"k" * 5000 + b'": 1}', b"[" * 40 + b"]" * 40, b"\x00\x00", b"\t\r\n "]
ODD_LABELS = ["x", "ü", "a b", "%2F", "%252F", "..", ".", "'", '"', "<script>", "x" * 256, "\u202e", "%C3%BC",
              "a%2Fb%2Fc", "-", "~"]


def _operation_paths(label):
    for name in SERVICE_MODEL.operation_names:
        op = SERVICE_MODEL.operation_model(name)
        path = re.sub(r"\{[^}]+\}", urllib.parse.quote(label, safe="%").replace("\\", "\\\\"), op.http["requestUri"])
        yield name, op, path


class TestNoServerErrors:
    def test_odd_bodies_on_every_operation(self, server, url):
        seen = set()
        for name, op, path in _operation_paths("x"):
            for body in ODD_BODIES:
                resp = raw(url, op.http["method"], path, body)
                self._check(resp, name, body)
                seen.add(resp.status)
        assert seen <= {200, 400, 404}, seen

    def test_odd_values_in_every_body_member(self, url):
        for name, op, path in _operation_paths("x"):
            members = [m for m in op.input_shape.members.values()
                       if m.serialization.get("location") is None] if op.input_shape else []
            for member in members:
                wire = member.serialization.get("name", member.name)
                for value in ODD_VALUES:
                    resp = raw(url, op.http["method"], path, {wire: value})
                    self._check(resp, name, {wire: value})

    def test_odd_path_labels_on_every_operation(self, url):
        for label in ODD_LABELS:
            for name, op, path in _operation_paths(label):
                resp = raw(url, op.http["method"], path, b"{}" if op.http["method"] == "POST" else None)
                self._check(resp, name, label)

    def test_well_formed_calls_with_odd_names_through_boto3(self, loose_client):
        # Every answer goes through the conftest hook, which fails on any 5xx or a missing header.
        app = new_app_id()
        for value in ("ü\u202e", "x" * 255, "a/b", "%", "' OR 1=1 --"):
            for call, kwargs in (
                (loose_client.get_backend, {"AppId": value}),
                (loose_client.get_backend, {"AppId": app, "BackendEnvironmentName": value}),
                (loose_client.get_backend_auth, {"AppId": value, "BackendEnvironmentName": value, "ResourceName": value}),
                (loose_client.list_backend_jobs, {"AppId": app, "BackendEnvironmentName": value, "Operation": value,
                                                  "Status": value, "JobId": value, "NextToken": value}),
                (loose_client.get_token, {"AppId": value, "SessionId": value}),
                (loose_client.update_backend_job, {"AppId": value, "BackendEnvironmentName": value, "JobId": value,
                                                   "Status": value}),
                (loose_client.list_s3_buckets, {"NextToken": value}),
            ):
                try:
                    call(**kwargs)
                except ClientError as e:
                    assert e.response["ResponseMetadata"]["HTTPStatusCode"] in (400, 404), e.response

    @staticmethod
    def _check(resp, name, sent):
        assert resp.status < 500, f"{name} with {sent!r:.200}: {resp}"
        assert UUID_ANY.match(resp.headers.get("x-amzn-requestid", "")), f"{name} with {sent!r:.200}: {resp.headers}"
        if resp.status >= 400:
            assert resp.headers.get("x-amzn-errortype") in ("BadRequestException", "NotFoundException"), (name, resp)
            assert resp.json()["message"], (name, resp)
