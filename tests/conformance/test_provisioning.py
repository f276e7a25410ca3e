"""Provisioning on a real moto server (issue 23): `./ampstack serve --provision-endpoint URL` makes the resources the Admin
API describes, as the jobs' work, and the tests check them on moto with boto3 clients pointed at it.

A session fixture starts moto (`python3 -m moto.server`, moto 5.2.1 in the pyenv Python; AMPSTACK_TEST_PYTHON names
another interpreter) on a free port and polls until it answers; each test waits on conditions (job status), never on
fixed sleeps.
"""

import hashlib
import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import (api_config, create_backend, make_client, meta_of, new_app_id, storage_config, wait_job)

MOTO_PYTHON = os.environ.get("AMPSTACK_TEST_PYTHON") or "python3"
GOOD_PASSWORD = "Correct-horse-9"
PROVISION_TIMEOUT = 60.0
OPERATOR_KEY = "provisioning-operator-key"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Moto:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # moto logs every request: to a file, never a pipe nobody drains (a full pipe would stop moto).
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([MOTO_PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 60
        while True:
            assert self.proc.poll() is None, f"moto exited: {self.output()}"
            try:
                urllib.request.urlopen(self.url + "/moto-api/", timeout=2).read()
                return
            except OSError:
                assert time.monotonic() < deadline, "moto did not answer within 60 s"
                time.sleep(0.1)

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]

    def client(self, service):
        return boto3.session.Session().client(service, endpoint_url=self.url, region_name="us-east-1",
                                              aws_access_key_id="test", aws_secret_access_key="test",
                                              config=Config(retries={"max_attempts": 0}))

    def stop(self):
        self.proc.kill()
        self.proc.wait(timeout=30)
        self.log.close()


class SlowProxy:
    """A TCP proxy in front of moto that holds each chunk a client sends for `delay` seconds: a slow endpoint, so that
    jobs are still provisioning when the server is killed. With `hold`, a chunk holding those bytes sent while the gate
    is shut (`shut()`) waits at it, `held` is set, and `drop()` closes that connection without sending it on: a test can
    kill the server at a known step, with the step certain not to have reached moto."""

    def __init__(self, upstream_port, delay, hold=None):
        self.delay = delay
        self.hold = hold
        self.upstream_port = upstream_port
        self.held = threading.Event()
        self._open = threading.Event()
        self._open.set()
        self._dropped = False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def shut(self):
        self._open.clear()

    def drop(self):
        self._dropped = True
        self._open.set()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=self._pump, args=(client, upstream, self.delay, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, 0, False), daemon=True).start()

    def _pump(self, source, target, delay, gated):
        try:
            while data := source.recv(65536):
                if delay:
                    time.sleep(delay)
                if gated and self.hold is not None and self.hold in data and not self._open.is_set():
                    self.held.set()
                    self._open.wait()
                    if self._dropped:
                        return
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.listener.close()


@pytest.fixture(scope="session")
def moto():
    server = Moto()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pserver(server_factory, moto):
    """A server that provisions on moto."""
    return server_factory.start(extra_args=["--provision-endpoint", moto.url, "--operator-key", OPERATOR_KEY])


@pytest.fixture(scope="session")
def pclient(pserver):
    return make_client(pserver.url)


def on_moto(service):
    """A session fixture: a boto3 client of `service` on the tests' moto."""
    @pytest.fixture(scope="session")
    def fixture(moto):
        return moto.client(service)
    return fixture


idp = on_moto("cognito-idp")
identity = on_moto("cognito-identity")
s3 = on_moto("s3")
appsync = on_moto("appsync")
dynamodb = on_moto("dynamodb")
iam = on_moto("iam")


def wait_done(client, app_id, job_id, env="dev", expect="COMPLETED"):
    job = wait_job(client, app_id, env, job_id, timeout=PROVISION_TIMEOUT)
    assert job["Status"] == expect, job
    return job


def provisioned_auth_config(pool):
    return {
        "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
        "IdentityPoolConfigs": {"IdentityPoolName": f"{pool}_ids", "UnauthenticatedLogin": True},
        "Service": "COGNITO",
        "UserPoolConfigs": {
            "ForgotPassword": {"DeliveryMethod": "EMAIL",
                               "EmailSettings": {"EmailMessage": "Your code is {####}", "EmailSubject": "Reset"}},
            "Mfa": {"MFAMode": "OPTIONAL", "Settings": {"MfaTypes": ["SMS"], "SmsMessage": "MFA {####}"}},
            "OAuth": {"DomainPrefix": pool.lower(), "OAuthGrantType": "CODE", "OAuthScopes": ["OPENID", "EMAIL"],
                      "RedirectSignInURIs": ["https://app.example.com/in"],
                      "RedirectSignOutURIs": ["https://app.example.com/out"]},
            "PasswordPolicy": {"AdditionalConstraints": ["REQUIRE_SYMBOL", "REQUIRE_DIGIT"], "MinimumLength": 10.0},
            "RequiredSignUpAttributes": ["EMAIL", "NAME"],
            "SignInMethod": "EMAIL",
            "UserPoolName": pool,
            "VerificationMessage": {"DeliveryMethod": "EMAIL",
                                    "EmailSettings": {"EmailMessage": "Verify with {####}", "EmailSubject": "Verify"}},
        },
    }


def create_auth(client, app_id, pool, config=None):
    resp = client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="auth1",
                                      ResourceConfig=config or provisioned_auth_config(pool))
    return resp["JobId"]


def auth_outputs(client, app_id):
    return meta_of(client, app_id, "dev")["auth"]["auth1"]["output"]


def pools_tagged_for(idp, app_id):
    """The user pools on moto whose resource tag names this app (what provisioning made for it)."""
    found = []
    for page in idp.get_paginator("list_user_pools").paginate(MaxResults=60):
        for pool in page["UserPools"]:
            described = idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
            if f"/{app_id}/" in described.get("UserPoolTags", {}).get("ampstack:resource", ""):
                found.append(described)
    return found


class TestAuth:
    def test_create_makes_a_pool_a_user_signs_up_to_and_signs_in_on(self, pclient, idp, identity):
        app = create_backend(pclient)
        pool_name = "pool" + app[-8:]
        job = create_auth(pclient, app, pool_name)
        # RUNNING while it provisions (the answer), COMPLETED once the pool exists.
        wait_done(pclient, app, job)
        out = auth_outputs(pclient, app)
        pool = idp.describe_user_pool(UserPoolId=out["UserPoolId"])["UserPool"]
        assert pool["Name"] == f"{pool_name}-dev" == out["UserPoolName"]
        assert pool["Arn"] == out["UserPoolArn"]
        assert pool["UsernameAttributes"] == ["email"]
        policy = pool["Policies"]["PasswordPolicy"]
        assert (policy["MinimumLength"], policy["RequireSymbols"], policy["RequireNumbers"], policy["RequireUppercase"]) == \
            (10, True, True, False)
        assert pool["MfaConfiguration"] == "OPTIONAL"
        assert pool["AutoVerifiedAttributes"] == ["email"]
        assert pool["VerificationMessageTemplate"]["EmailMessage"] == "Verify with {####}"
        assert pool["AccountRecoverySetting"]["RecoveryMechanisms"] == [{"Priority": 1, "Name": "verified_email"}]
        required = {a["Name"] for a in pool["SchemaAttributes"] if a.get("Required")}
        assert {"email", "name"} <= required, required
        assert pool["Domain"] == out["HostedUIDomain"] == f"{pool_name.lower()}-dev"
        web = idp.describe_user_pool_client(UserPoolId=out["UserPoolId"], ClientId=out["AppClientIDWeb"])["UserPoolClient"]
        assert web["ClientName"] == f"{pool_name}-dev_app_clientWeb" and "ClientSecret" not in web
        assert web["CallbackURLs"] == ["https://app.example.com/in"] and web["AllowedOAuthFlows"] == ["code"]
        native = idp.describe_user_pool_client(UserPoolId=out["UserPoolId"], ClientId=out["AppClientID"])["UserPoolClient"]
        assert native["ClientName"] == f"{pool_name}-dev_app_client"
        ids = identity.describe_identity_pool(IdentityPoolId=out["IdentityPoolId"])
        assert ids["AllowUnauthenticatedIdentities"] is True
        assert ids["IdentityPoolName"] == out["IdentityPoolName"] == f"{pool_name}_ids__dev"
        assert ids["CognitoIdentityProviders"][0]["ClientId"] == out["AppClientIDWeb"]
        # GetBackendAuth answers the configuration; the real ids are in amplify-meta (above) and GetBackend.
        pclient.get_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="auth1")

        # The pool's policy refuses a short password; a good one signs up, is confirmed and signs in on the web client.
        email = f"user-{app}@example.com"
        with pytest.raises(ClientError) as refused:
            idp.sign_up(ClientId=out["AppClientIDWeb"], Username=email, Password="Sh0rt-x",
                        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": "U"}])
        assert refused.value.response["Error"]["Code"] == "InvalidPasswordException"
        assert signs_up_and_in(idp, out, email)["IdToken"].count(".") == 2

        # Update: a new password policy on the same pool, the ids kept.
        job = pclient.update_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="auth1", ResourceConfig={
            "AuthResources": "IDENTITY_POOL_AND_USER_POOL", "Service": "COGNITO",
            "IdentityPoolConfigs": {"UnauthenticatedLogin": False},
            "UserPoolConfigs": {"PasswordPolicy": {"AdditionalConstraints": ["REQUIRE_UPPERCASE"], "MinimumLength": 14.0}},
        })["JobId"]
        wait_done(pclient, app, job)
        after = auth_outputs(pclient, app)
        assert {k: after[k] for k in ("UserPoolId", "AppClientIDWeb", "AppClientID", "IdentityPoolId")} == \
            {k: out[k] for k in ("UserPoolId", "AppClientIDWeb", "AppClientID", "IdentityPoolId")}
        policy = idp.describe_user_pool(UserPoolId=out["UserPoolId"])["UserPool"]["Policies"]["PasswordPolicy"]
        assert (policy["MinimumLength"], policy["RequireUppercase"], policy["RequireSymbols"]) == (14, True, False)
        assert identity.describe_identity_pool(IdentityPoolId=out["IdentityPoolId"])["AllowUnauthenticatedIdentities"] is False
        assert len(pools_tagged_for(idp, app)) == 1

        # Delete: the pool and the identity pool are gone.
        job = pclient.delete_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="auth1")["JobId"]
        wait_done(pclient, app, job)
        with pytest.raises(ClientError) as gone:
            idp.describe_user_pool(UserPoolId=out["UserPoolId"])
        assert gone.value.response["Error"]["Code"] == "ResourceNotFoundException"
        with pytest.raises(ClientError):
            identity.describe_identity_pool(IdentityPoolId=out["IdentityPoolId"])
        assert pools_tagged_for(idp, app) == []

    def test_import_checks_what_it_names_exists(self, pclient, idp, identity):
        pool = idp.create_user_pool(PoolName="imported-" + new_app_id())["UserPool"]
        web = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="web")["UserPoolClient"]["ClientId"]
        native = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="native")["UserPoolClient"]["ClientId"]
        ids = identity.create_identity_pool(IdentityPoolName="imported_ids", AllowUnauthenticatedIdentities=False)
        app = create_backend(pclient)
        job = pclient.import_backend_auth(AppId=app, BackendEnvironmentName="dev", UserPoolId=pool["Id"], WebClientId=web,
                                          NativeClientId=native, IdentityPoolId=ids["IdentityPoolId"])["JobId"]
        wait_done(pclient, app, job)
        out = meta_of(pclient, app, "dev")["auth"][pool["Id"]]["output"]
        assert out["UserPoolArn"] == pool["Arn"] and out["AppClientIDWeb"] == web
        # Deleting an imported resource forgets it: the pool is not ours to remove.
        job = pclient.delete_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName=pool["Id"])["JobId"]
        wait_done(pclient, app, job)
        idp.describe_user_pool(UserPoolId=pool["Id"])

        missing = create_backend(pclient)
        job = pclient.import_backend_auth(AppId=missing, BackendEnvironmentName="dev", UserPoolId=pool["Id"],
                                          WebClientId="nosuchclient123", NativeClientId=native,
                                          IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000")["JobId"]
        failed = wait_done(pclient, missing, job, expect="FAILED")
        assert "the web client nosuchclient123" in failed["Error"], failed
        assert "the identity pool us-east-1:00000000-0000-0000-0000-000000000000" in failed["Error"], failed
        assert native not in failed["Error"]
        # Nothing stands behind a failed import: the environment has no auth, and a new import may be made.
        assert not meta_of(pclient, missing, "dev").get("auth")


class TestStorage:
    def test_create_makes_the_bucket_objects_go_in_and_out_and_delete_removes_it(self, pclient, s3):
        app = create_backend(pclient)
        job = pclient.create_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files",
                                             ResourceConfig=storage_config())["JobId"]
        wait_done(pclient, app, job)
        bucket = meta_of(pclient, app, "dev")["storage"]["files"]["output"]["BucketName"]
        cors = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
        assert cors[0]["AllowedMethods"] == ["GET", "HEAD", "PUT", "POST", "DELETE"] and cors[0]["MaxAgeSeconds"] == 3000
        tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]}
        assert tags["ampstack:job"] == job and f"/{app}/dev/storage/files" in tags["ampstack:resource"]
        s3.put_object(Bucket=bucket, Key="public/hello.txt", Body=b"hello")
        assert s3.get_object(Bucket=bucket, Key="public/hello.txt")["Body"].read() == b"hello"

        job = pclient.update_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files",
                                             ResourceConfig={"Permissions": {"Authenticated": ["READ"]},
                                                             "ServiceName": "S3"})["JobId"]
        wait_done(pclient, app, job)
        assert s3.get_object(Bucket=bucket, Key="public/hello.txt")["Body"].read() == b"hello"

        job = pclient.delete_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files",
                                             ServiceName="S3")["JobId"]
        wait_done(pclient, app, job)
        assert bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]

    def test_the_permissions_are_policies_on_the_roles_updates_change_them_and_delete_removes_them(self, pclient, iam):
        app = create_backend(pclient)
        auth_role, unauth_role = role_names(meta_of(pclient, app, "dev"))
        wait_done(pclient, app, pclient.create_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files",
                                                               ResourceConfig=storage_config())["JobId"])
        bucket = meta_of(pclient, app, "dev")["storage"]["files"]["output"]["BucketName"]
        arn = f"arn:aws:s3:::{bucket}"
        sub = "${cognito-identity.amazonaws.com:sub}"
        # Named as Amplify's storage stack names them, with cli-inputs.json's policyUUID (from the resource's name).
        uuid = hashlib.sha256(b"files").hexdigest()[:8]

        def policies(role):
            names = iam.list_role_policies(RoleName=role)["PolicyNames"]
            return {n: policy_document(iam.get_role_policy(RoleName=role, PolicyName=n)["PolicyDocument"]) for n in names}

        def statement(policy):
            [only] = policy["Statement"]
            return only["Action"], only["Resource"]

        every = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        auth = policies(auth_role)
        assert sorted(auth) == sorted(f"{p}_{uuid}" for p in ("Public_policy", "Protected_policy", "Private_policy",
                                                                 "Uploads_policy", "read_policy"))
        assert statement(auth[f"Public_policy_{uuid}"]) == (every, [f"{arn}/public/*"])
        assert statement(auth[f"Protected_policy_{uuid}"]) == (every, [f"{arn}/protected/{sub}/*"])
        assert statement(auth[f"Private_policy_{uuid}"]) == (every, [f"{arn}/private/{sub}/*"])
        assert statement(auth[f"Uploads_policy_{uuid}"]) == (["s3:PutObject"], [f"{arn}/uploads/*"])
        get, listing = auth[f"read_policy_{uuid}"]["Statement"]
        assert (get["Action"], get["Resource"]) == ("s3:GetObject", f"{arn}/protected/*")
        assert (listing["Action"], listing["Resource"]) == ("s3:ListBucket", arn)
        assert listing["Condition"]["StringLike"]["s3:prefix"] == [
            "public/", "public/*", "protected/", "protected/*", f"private/{sub}/", f"private/{sub}/*"]
        guest = policies(unauth_role)
        assert sorted(guest) == [f"Public_policy_{uuid}", f"read_policy_{uuid}"]
        assert statement(guest[f"Public_policy_{uuid}"]) == (["s3:GetObject"], [f"{arn}/public/*"])
        assert guest[f"read_policy_{uuid}"]["Statement"][1]["Condition"]["StringLike"]["s3:prefix"] == [
            "public/", "public/*", "protected/", "protected/*"]

        # Update: users may only read, guests may also write; the policies follow, those no longer given go.
        wait_done(pclient, app, pclient.update_backend_storage(
            AppId=app, BackendEnvironmentName="dev", ResourceName="files",
            ResourceConfig={"Permissions": {"Authenticated": ["READ"], "UnAuthenticated": ["CREATE_AND_UPDATE", "READ"]},
                            "ServiceName": "S3"})["JobId"])
        auth = policies(auth_role)
        assert sorted(auth) == sorted(f"{p}_{uuid}" for p in ("Public_policy", "Protected_policy", "Private_policy",
                                                                 "read_policy"))
        assert statement(auth[f"Private_policy_{uuid}"]) == (["s3:GetObject"], [f"{arn}/private/{sub}/*"])
        guest = policies(unauth_role)
        assert sorted(guest) == [f"Public_policy_{uuid}", f"Uploads_policy_{uuid}", f"read_policy_{uuid}"]
        assert statement(guest[f"Public_policy_{uuid}"]) == (["s3:PutObject", "s3:GetObject"], [f"{arn}/public/*"])

        wait_done(pclient, app, pclient.delete_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files",
                                                               ServiceName="S3")["JobId"])
        assert iam.list_role_policies(RoleName=auth_role)["PolicyNames"] == []
        assert iam.list_role_policies(RoleName=unauth_role)["PolicyNames"] == []

    def test_a_role_missing_on_the_endpoint_fails_the_create_and_leaves_no_bucket(self, pclient, s3, iam):
        app = create_backend(pclient)
        _, unauth_role = role_names(meta_of(pclient, app, "dev"))
        iam.delete_role(RoleName=unauth_role)
        bucket = "norole-" + app.lower()
        job = pclient.create_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files",
                                             ResourceConfig=storage_config(bucket))["JobId"]
        failed = wait_done(pclient, app, job, expect="FAILED")
        assert f"unauth role {unauth_role} is not on" in failed["Error"], failed
        assert not meta_of(pclient, app, "dev").get("storage")
        assert bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]

    def test_import_checks_the_bucket_exists(self, pclient, s3):
        bucket = "imported-" + new_app_id().lower()
        s3.create_bucket(Bucket=bucket)
        app = create_backend(pclient)
        job = pclient.import_backend_storage(AppId=app, BackendEnvironmentName="dev", BucketName=bucket,
                                             ServiceName="S3")["JobId"]
        wait_done(pclient, app, job)
        assert meta_of(pclient, app, "dev")["storage"][bucket]["output"]["BucketName"] == bucket

        missing = create_backend(pclient)
        job = pclient.import_backend_storage(AppId=missing, BackendEnvironmentName="dev", BucketName=bucket + "-not",
                                             ServiceName="S3")["JobId"]
        failed = wait_done(pclient, missing, job, expect="FAILED")
        assert f"the bucket {bucket}-not" in failed["Error"], failed
        assert not meta_of(pclient, missing, "dev").get("storage")


BLOG_SCHEMA = """type Blog @model {
  id: ID!
  name: String! @index(name: "byName", queryField: "blogsByName")
  posts: [Post] @hasMany
}

type Post @model {
  id: ID!
  title: String!
  blog: Blog @belongsTo
}

type Order @model {
  customerEmail: String! @primaryKey(sortKeyFields: ["createdAt"])
  createdAt: AWSDateTime!
  total: Int! @index(name: "byTotal")
}
"""


def tables_of(dynamodb, api_id, env="dev"):
    return sorted(t for t in dynamodb.list_tables(Limit=100)["TableNames"] if t.endswith(f"-{api_id}-{env}"))


class TestApi:
    def test_create_makes_the_api_its_key_and_a_table_per_model_update_and_delete_follow(self, pserver, pclient, appsync,
                                                                                           dynamodb, moto):
        app = create_backend(pclient)
        job = pclient.create_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="blog",
                                         ResourceConfig=api_config(BLOG_SCHEMA))["JobId"]
        wait_done(pclient, app, job)
        out = meta_of(pclient, app, "dev")["api"]["blog"]["output"]
        api = appsync.get_graphql_api(apiId=out["GraphQLAPIIdOutput"])["graphqlApi"]
        assert api["name"] == "myapi-dev" and api["authenticationType"] == "API_KEY"
        assert [p["authenticationType"] for p in api["additionalAuthenticationProviders"]] == \
            ["AMAZON_COGNITO_USER_POOLS", "AWS_IAM"]
        assert api["tags"]["ampstack:job"] == job
        assert out["GraphQLAPIEndpointOutput"] == api["uris"]["GRAPHQL"]
        assert [k["id"] for k in appsync.list_api_keys(apiId=api["apiId"])["apiKeys"]] == [out["GraphQLAPIKeyOutput"]]
        sdl = appsync.get_introspection_schema(apiId=api["apiId"], format="SDL")["schema"].read().decode()
        assert "type Blog" in sdl and "type Order" in sdl
        # AppSync got the transformed schema, as Amplify's transformer makes it: connections, queries, mutations,
        # subscriptions and their inputs, not the @model schema as written.
        for made in ("ModelBlogConnection", "listOrders", "createBlog", "CreateOrderInput", "ModelOrderFilterInput",
                     "onCreatePost", "deleteOrder"):
            assert made in sdl, made
        tables = tables_of(dynamodb, api["apiId"])
        assert tables == sorted(f"{m}-{api['apiId']}-dev" for m in ("Blog", "Post", "Order"))
        blog = dynamodb.describe_table(TableName=f"Blog-{api['apiId']}-dev")["Table"]
        assert blog["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
        assert blog["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        assert blog["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
        assert [i["IndexName"] for i in blog["GlobalSecondaryIndexes"]] == ["byName"]
        # Blog's @hasMany posts: the index Amplify's transformer puts on Post's table for the connection field.
        post = dynamodb.describe_table(TableName=f"Post-{api['apiId']}-dev")["Table"]
        assert [(i["IndexName"], i["KeySchema"]) for i in post["GlobalSecondaryIndexes"]] == \
            [("gsi-Blog.posts", [{"AttributeName": "blogPostsId", "KeyType": "HASH"}])]
        assert {a["AttributeName"]: a["AttributeType"] for a in post["AttributeDefinitions"]}["blogPostsId"] == "S"
        order = dynamodb.describe_table(TableName=f"Order-{api['apiId']}-dev")["Table"]
        assert order["KeySchema"] == [{"AttributeName": "customerEmail", "KeyType": "HASH"},
                                      {"AttributeName": "createdAt", "KeyType": "RANGE"}]
        assert {a["AttributeName"]: a["AttributeType"] for a in order["AttributeDefinitions"]}["total"] == "N"
        # moto has no AppSync data sources nor resolvers: skipped, counted, and the job still completed; the note kept
        # with the resource (amplify-meta's "ampstack" member, out of "output") says where and what was skipped.
        entry = meta_of(pclient, app, "dev")["api"]["blog"]
        assert entry["ampstack"] == {"provisionedOn": moto.url,
                                     "skipped": ["appsync CreateDataSource", "appsync CreateResolver"]}, entry
        assert "ampstack" not in entry["output"]
        metrics = urllib.request.urlopen(urllib.request.Request(
            pserver.url + "/_ampstack/metrics", headers={"Authorization": f"Bearer {OPERATOR_KEY}"})).read().decode()
        skipped = [line for line in metrics.splitlines() if line.startswith("ampstack_provisioning_skipped_steps_total ")]
        assert skipped and float(skipped[0].split()[1]) >= 2, skipped

        # Update: the Post model goes, a Comment model comes; the API keeps its id.
        schema = BLOG_SCHEMA.replace("  posts: [Post] @hasMany\n", "").replace("""type Post @model {
  id: ID!
  title: String!
  blog: Blog @belongsTo
}""", """type Comment @model {
  id: ID!
  text: String!
}""")
        job = pclient.update_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="blog",
                                         ResourceConfig={"TransformSchema": schema})["JobId"]
        wait_done(pclient, app, job)
        assert meta_of(pclient, app, "dev")["api"]["blog"]["output"]["GraphQLAPIIdOutput"] == api["apiId"]
        assert tables_of(dynamodb, api["apiId"]) == sorted(f"{m}-{api['apiId']}-dev" for m in ("Blog", "Comment", "Order"))
        assert "type Comment" in appsync.get_introspection_schema(apiId=api["apiId"], format="SDL")["schema"].read().decode()

        job = pclient.delete_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="blog")["JobId"]
        wait_done(pclient, app, job)
        assert tables_of(dynamodb, api["apiId"]) == []
        with pytest.raises(ClientError):
            appsync.get_graphql_api(apiId=api["apiId"])


def test_an_api_whose_schema_the_transformer_refuses_fails_with_its_reason_and_leaves_no_api(pclient, appsync):
    # Valid GraphQL, so the API is accepted; Amplify's transformer refuses the unknown directive when the job runs.
    app = create_backend(pclient)
    schema = "type Todo @model {\n  id: ID!\n  name: String @nosuchdirective\n}\n"
    job = pclient.create_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="bad",
                                     ResourceConfig=api_config(schema))["JobId"]
    failed = wait_done(pclient, app, job, expect="FAILED")
    assert "Amplify's transformer refuses the API's schema" in failed["Error"], failed
    assert 'Unknown directive "@nosuchdirective"' in failed["Error"] and "unexpectedly" not in failed["Error"], failed
    assert not meta_of(pclient, app, "dev").get("api")
    apis = appsync.list_graphql_apis()["graphqlApis"]
    assert not [a for a in apis if f"/{app}/" in (a.get("tags") or {}).get("ampstack:resource", "")]


def signs_up_and_in(idp, out, email):
    """A user signs up on the auth's web client with a good password, is confirmed, and signs in (USER_PASSWORD_AUTH):
    the tokens."""
    idp.sign_up(ClientId=out["AppClientIDWeb"], Username=email, Password=GOOD_PASSWORD,
                UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": "U"}])
    idp.admin_confirm_sign_up(UserPoolId=out["UserPoolId"], Username=email)
    return idp.initiate_auth(ClientId=out["AppClientIDWeb"], AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": email, "PASSWORD": GOOD_PASSWORD})["AuthenticationResult"]


def policy_document(document):
    """An IAM policy document as boto3 hands it over: parsed, or (some botocore versions) URL-encoded JSON text."""
    return json.loads(urllib.parse.unquote(document)) if isinstance(document, str) else document


def role_names(meta):
    root = meta["providers"]["awscloudformation"]
    return root["AuthRoleName"], root["UnauthRoleName"]


def test_create_backend_makes_the_root_roles_the_identity_pool_assumes_and_delete_backend_removes_them(pclient, iam):
    app = create_backend(pclient)
    root = meta_of(pclient, app, "dev")["providers"]["awscloudformation"]
    for kind, amr in (("Auth", "authenticated"), ("Unauth", "unauthenticated")):
        role = iam.get_role(RoleName=root[f"{kind}RoleName"])["Role"]
        assert role["Arn"] == root[f"{kind}RoleArn"]
        trust = role["AssumeRolePolicyDocument"]
        trust = json.loads(urllib.parse.unquote(trust)) if isinstance(trust, str) else trust
        statement = trust["Statement"][0]
        assert statement["Principal"] == {"Federated": "cognito-identity.amazonaws.com"}
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert statement["Condition"]["ForAnyValue:StringLike"] == {"cognito-identity.amazonaws.com:amr": amr}
        tags = {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=role["RoleName"])["Tags"]}
        assert f"/{app}/dev/root/" in tags["ampstack:resource"], tags
    # An inline policy on a role does not stop DeleteBackend removing it.
    iam.put_role_policy(RoleName=root["AuthRoleName"], PolicyName="extra",
                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
    wait_done(pclient, app, pclient.delete_backend(AppId=app, BackendEnvironmentName="dev")["JobId"])
    for name in role_names({"providers": {"awscloudformation": root}}):
        with pytest.raises(ClientError):
            iam.get_role(RoleName=name)


def test_clone_backend_makes_the_target_environments_own_roles(pclient, iam):
    app = create_backend(pclient)
    wait_done(pclient, app, pclient.clone_backend(AppId=app, BackendEnvironmentName="dev",
                                                  TargetEnvironmentName="prod")["JobId"])  # the job is on the source
    dev, prod = (meta_of(pclient, app, env)["providers"]["awscloudformation"] for env in ("dev", "prod"))
    assert prod["AuthRoleName"] != dev["AuthRoleName"] and f"-{app}-prod-" in prod["AuthRoleName"]
    for kind in ("Auth", "Unauth"):
        assert iam.get_role(RoleName=prod[f"{kind}RoleName"])["Role"]["Arn"] == prod[f"{kind}RoleArn"]
    wait_done(pclient, app, pclient.remove_all_backends(AppId=app)["JobId"])
    for root in (dev, prod):
        for name in role_names({"providers": {"awscloudformation": root}}):
            with pytest.raises(ClientError):
                iam.get_role(RoleName=name)


def test_clone_backend_makes_each_copied_resource_anew_in_the_target(pclient, idp, identity, s3, appsync, dynamodb, iam,
                                                                    moto):
    app = create_backend(pclient)
    pool_name = "clone" + app[-8:]
    wait_done(pclient, app, create_auth(pclient, app, pool_name))
    wait_done(pclient, app, pclient.create_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="blog",
                                                       ResourceConfig=api_config(BLOG_SCHEMA))["JobId"])
    wait_done(pclient, app, pclient.create_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files",
                                                           ResourceConfig=storage_config())["JobId"])
    job = pclient.clone_backend(AppId=app, BackendEnvironmentName="dev", TargetEnvironmentName="prod")["JobId"]
    wait_done(pclient, app, job)  # the job is on the source
    dev, prod = meta_of(pclient, app, "dev"), meta_of(pclient, app, "prod")

    # Auth: a pool of its own, named and tagged for prod, that a user signs up to and signs in on; its identity pool
    # assumes prod's roles.
    src, out = dev["auth"]["auth1"]["output"], prod["auth"]["auth1"]["output"]
    for key in ("UserPoolId", "AppClientIDWeb", "AppClientID", "IdentityPoolId"):
        assert out[key] != src[key], key
    pool = idp.describe_user_pool(UserPoolId=out["UserPoolId"])["UserPool"]
    assert pool["Name"] == f"{pool_name}-prod" and pool["Arn"] == out["UserPoolArn"]
    assert f"/{app}/prod/auth/auth1" in pool["UserPoolTags"]["ampstack:resource"]
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
    ids = identity.describe_identity_pool(IdentityPoolId=out["IdentityPoolId"])
    assert ids["CognitoIdentityProviders"][0]["ClientId"] == out["AppClientIDWeb"]
    # (moto has no SetIdentityPoolRoles: the roles' attachment is skipped there; prod's roles are its own and exist.)
    root = prod["providers"]["awscloudformation"]
    assert root["AuthRoleArn"] != dev["providers"]["awscloudformation"]["AuthRoleArn"]
    assert iam.get_role(RoleName=root["AuthRoleName"])["Role"]["Arn"] == root["AuthRoleArn"]
    email = f"clone-{app}@example.com"
    assert signs_up_and_in(idp, out, email)["IdToken"].count(".") == 2
    assert len(pools_tagged_for(idp, app)) == 2

    # API: an API of its own with its key and prod's tables.
    api_id = prod["api"]["blog"]["output"]["GraphQLAPIIdOutput"]
    assert api_id != dev["api"]["blog"]["output"]["GraphQLAPIIdOutput"]
    api = appsync.get_graphql_api(apiId=api_id)["graphqlApi"]
    assert api["name"] == "myapi-prod" and api["tags"]["ampstack:job"] == job
    keys = appsync.list_api_keys(apiId=api_id)["apiKeys"]
    assert [k["id"] for k in keys] == [prod["api"]["blog"]["output"]["GraphQLAPIKeyOutput"]]
    assert tables_of(dynamodb, api_id, "prod") == sorted(f"{m}-{api_id}-prod" for m in ("Blog", "Post", "Order"))

    # Each copy carries the note its own create would: made on moto, the same steps skipped as for the source.
    for category, name in (("auth", "auth1"), ("api", "blog"), ("storage", "files")):
        assert prod[category][name]["ampstack"]["provisionedOn"] == moto.url, category
        assert prod[category][name]["ampstack"] == dev[category][name]["ampstack"], category

    # Storage: a bucket of its own, objects go in and out.
    bucket = prod["storage"]["files"]["output"]["BucketName"]
    assert bucket != dev["storage"]["files"]["output"]["BucketName"]
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]}
    assert f"/{app}/prod/storage/files" in tags["ampstack:resource"]
    s3.put_object(Bucket=bucket, Key="public/cloned.txt", Body=b"cloned")
    assert s3.get_object(Bucket=bucket, Key="public/cloned.txt")["Body"].read() == b"cloned"

    wait_done(pclient, app, pclient.remove_all_backends(AppId=app)["JobId"])
    assert pools_tagged_for(idp, app) == []
    assert tables_of(dynamodb, api_id, "prod") == []


def test_a_clone_that_cannot_make_a_resource_fails_and_leaves_nothing_made(pclient, idp, s3):
    # The storage names its bucket: the clone's copy names the same one, which is the source's, not to be taken over.
    app = create_backend(pclient)
    bucket = "named-" + app.lower()
    wait_done(pclient, app, create_auth(pclient, app, "cfail" + app[-8:]))
    wait_done(pclient, app, pclient.create_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files",
                                                           ResourceConfig=storage_config(bucket))["JobId"])
    job = pclient.clone_backend(AppId=app, BackendEnvironmentName="dev", TargetEnvironmentName="prod")["JobId"]
    failed = wait_done(pclient, app, job, expect="FAILED")
    assert f"storage files: The bucket {bucket} already exists" in failed["Error"], failed
    # What the clone made (prod's pool, made before the bucket failed) is removed, and the target environment with it.
    pools = pools_tagged_for(idp, app)
    assert [p["Name"] for p in pools] == [f"cfail{app[-8:]}-dev"], [p["Name"] for p in pools]
    assert pclient.get_backend(AppId=app)["BackendEnvironmentList"] == ["dev"]
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]}
    assert f"/{app}/dev/storage/files" in tags["ampstack:resource"], tags
    wait_done(pclient, app, pclient.remove_all_backends(AppId=app)["JobId"])


def test_delete_backend_and_remove_all_backends_remove_everything_made(pclient, idp, s3, appsync, dynamodb, iam):
    app = create_backend(pclient)
    for env in ("dev", "prod"):
        if env != "dev":
            wait_done(pclient, app, pclient.create_backend(AppId=app, AppName="n", BackendEnvironmentName=env)["JobId"], env)
        wait_done(pclient, app, pclient.create_backend_auth(AppId=app, BackendEnvironmentName=env, ResourceName="auth1",
                                                            ResourceConfig=provisioned_auth_config("all" + app[-6:]))["JobId"], env)
        wait_done(pclient, app, pclient.create_backend_storage(AppId=app, BackendEnvironmentName=env, ResourceName="files",
                                                               ResourceConfig=storage_config())["JobId"], env)
        wait_done(pclient, app, pclient.create_backend_api(AppId=app, BackendEnvironmentName=env, ResourceName="blog",
                                                           ResourceConfig=api_config(BLOG_SCHEMA))["JobId"], env)
    metas = {env: meta_of(pclient, app, env) for env in ("dev", "prod")}
    assert len(pools_tagged_for(idp, app)) == 2
    for meta in metas.values():
        for name in role_names(meta):
            assert iam.get_role(RoleName=name)["Role"]["Arn"] == meta["providers"]["awscloudformation"][
                "AuthRoleArn" if name.endswith("-authRole") else "UnauthRoleArn"]

    def gone(meta):
        assert not [p for p in pools_tagged_for(idp, app) if p["Id"] == meta["auth"]["auth1"]["output"]["UserPoolId"]]
        assert meta["storage"]["files"]["output"]["BucketName"] not in [b["Name"] for b in s3.list_buckets()["Buckets"]]
        api_id = meta["api"]["blog"]["output"]["GraphQLAPIIdOutput"]
        assert tables_of(dynamodb, api_id) == []
        with pytest.raises(ClientError):
            appsync.get_graphql_api(apiId=api_id)
        for name in role_names(meta):
            with pytest.raises(ClientError):
                iam.get_role(RoleName=name)

    wait_done(pclient, app, pclient.delete_backend(AppId=app, BackendEnvironmentName="prod")["JobId"], "prod")
    gone(metas["prod"])
    assert len(pools_tagged_for(idp, app)) == 1
    wait_done(pclient, app, pclient.remove_all_backends(AppId=app)["JobId"])
    gone(metas["dev"])
    assert pools_tagged_for(idp, app) == []


def test_deleting_what_is_already_gone_on_the_endpoint_completes(pclient, idp, identity, s3, appsync, dynamodb):
    # A delete resumed after a crash finds what the first run removed gone, as it does what someone removed by hand:
    # already gone is fine. (moto answers DeleteGraphqlApi of an API it does not have with a 500, which failed the job.)
    app = create_backend(pclient)
    wait_done(pclient, app, pclient.create_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="auth1",
                                                        ResourceConfig=provisioned_auth_config("gone" + app[-6:]))["JobId"])
    wait_done(pclient, app, pclient.create_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files",
                                                           ResourceConfig=storage_config())["JobId"])
    wait_done(pclient, app, pclient.create_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="blog",
                                                       ResourceConfig=api_config(BLOG_SCHEMA))["JobId"])
    meta = meta_of(pclient, app, "dev")
    api_id = meta["api"]["blog"]["output"]["GraphQLAPIIdOutput"]
    appsync.delete_graphql_api(apiId=api_id)
    for table in tables_of(dynamodb, api_id):
        dynamodb.delete_table(TableName=table)
    auth = meta["auth"]["auth1"]["output"]
    identity.delete_identity_pool(IdentityPoolId=auth["IdentityPoolId"])
    idp.delete_user_pool(UserPoolId=auth["UserPoolId"])
    s3.delete_bucket(Bucket=meta["storage"]["files"]["output"]["BucketName"])

    wait_done(pclient, app, pclient.delete_backend(AppId=app, BackendEnvironmentName="dev")["JobId"])
    with pytest.raises(ClientError) as missing:
        pclient.get_backend(AppId=app, BackendEnvironmentName="dev")
    assert missing.value.response["Error"]["Code"] == "NotFoundException"


def test_an_unreachable_endpoint_fails_the_job_with_a_reason_and_the_server_keeps_answering(server_factory):
    closed = free_port()
    srv = server_factory.start(extra_args=["--provision-endpoint", f"http://127.0.0.1:{closed}"])
    client = make_client(srv.url)
    app = new_app_id()
    # CreateBackend's roles cannot be made: its job fails, the environment stays (with the emulated role names).
    failed = wait_done(client, app, client.create_backend(AppId=app, AppName="n", BackendEnvironmentName="dev")["JobId"],
                       expect="FAILED")
    assert "could not reach the endpoint" in failed["Error"], failed
    job = create_auth(client, app, "unreachable")
    # While it retries, the server answers.
    assert client.get_backend(AppId=app, BackendEnvironmentName="dev")["AppId"] == app
    failed = wait_done(client, app, job, expect="FAILED")
    assert "could not reach the endpoint" in failed["Error"] and str(closed) in failed["Error"], failed
    job = client.create_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files",
                                        ResourceConfig=storage_config())["JobId"]
    failed = wait_done(client, app, job, expect="FAILED")
    assert "could not reach the endpoint" in failed["Error"], failed
    other = new_app_id()
    client.create_backend(AppId=other, AppName="n", BackendEnvironmentName="dev")
    assert client.list_backend_jobs(AppId=other, BackendEnvironmentName="dev")["Jobs"]


def test_without_the_option_nothing_is_provisioned(server, idp):
    client = make_client(server.url)
    app = create_backend(client)
    job = create_auth(client, app, "emulatedpool")
    assert wait_job(client, app, "dev", job)["Status"] == "COMPLETED"
    out = auth_outputs(client, app)
    with pytest.raises(ClientError):
        idp.describe_user_pool(UserPoolId=out["UserPoolId"])


def test_a_kill_9_during_a_batch_of_provisioning_jobs_leaves_none_stuck_and_no_duplicates(server_factory, moto, idp):
    proxy = SlowProxy(moto.port, delay=0.15)
    data_dir = server_factory.new_data_dir("provision-kill")
    args = ["--provision-endpoint", proxy.url, "--job-lease", "2s"]
    srv = server_factory.start(data_dir=data_dir, extra_args=args)
    client = make_client(srv.url)
    apps = [create_backend(client) for _ in range(8)]
    jobs = {app: create_auth(client, app, "kill" + app[-8:]) for app in apps}
    running = [app for app, job in jobs.items()
               if client.get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job)["Status"] == "RUNNING"]
    srv.kill9()
    assert running, "every job ended before the kill: the test would prove nothing"
    srv = server_factory.start(data_dir=data_dir, extra_args=args)
    client = make_client(srv.url)
    for app, job in jobs.items():
        wait_done(client, app, job)
        pools = pools_tagged_for(idp, app)
        assert len(pools) == 1, [p["Id"] for p in pools]
        out = auth_outputs(client, app)
        assert pools[0]["Id"] == out["UserPoolId"]
        clients = idp.list_user_pool_clients(UserPoolId=out["UserPoolId"], MaxResults=60)["UserPoolClients"]
        assert sorted(c["ClientName"] for c in clients) == sorted([f"kill{app[-8:]}-dev_app_client",
                                                                   f"kill{app[-8:]}-dev_app_clientWeb"])
    ids = [p["IdentityPoolName"] for p in moto.client("cognito-identity").list_identity_pools(MaxResults=60)["IdentityPools"]]
    for app in apps:
        assert ids.count(f"kill{app[-8:]}_ids__dev") == 1, ids
    # CreateBackend made each environment's two roles once (IAM names are unique; the job found them after the restart).
    roles = [r["RoleName"] for page in moto.client("iam").get_paginator("list_roles").paginate() for r in page["Roles"]]
    for app in apps:
        assert len([r for r in roles if r.startswith(f"amplify-{app}-dev-")]) == 2, [r for r in roles if app in r]
    proxy.close()


def test_a_clone_killed_mid_way_is_finished_after_the_restart_without_duplicates(server_factory, moto, idp, s3):
    # The clone's first Cognito call after prod's roles is held at the proxy: the kill comes while it waits there.
    proxy = SlowProxy(moto.port, delay=0.1, hold=b"AWSCognitoIdentityProviderService.CreateUserPool\r\n")
    data_dir = server_factory.new_data_dir("provision-clone-kill")
    args = ["--provision-endpoint", proxy.url, "--job-lease", "2s"]
    srv = server_factory.start(data_dir=data_dir, extra_args=args)
    client = make_client(srv.url)
    app = create_backend(client)
    pool_name = "ckill" + app[-8:]
    wait_done(client, app, create_auth(client, app, pool_name))
    wait_done(client, app, client.create_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files",
                                                         ResourceConfig=storage_config())["JobId"])
    proxy.shut()
    job = client.clone_backend(AppId=app, BackendEnvironmentName="dev", TargetEnvironmentName="prod")["JobId"]
    # Killed once prod's roles are made (their real ARNs stored) while the clone waits on making prod's user pool.
    assert proxy.held.wait(PROVISION_TIMEOUT), "the clone never asked for prod's user pool"
    assert "123456789012" in meta_of(client, app, "prod")["providers"]["awscloudformation"]["AuthRoleArn"]
    assert client.get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job)["Status"] == "RUNNING"
    srv.kill9()
    proxy.drop()
    srv = server_factory.start(data_dir=data_dir, extra_args=args)
    client = make_client(srv.url)
    wait_done(client, app, job)
    prod = meta_of(client, app, "prod")
    pools = [p for p in pools_tagged_for(idp, app) if "/prod/" in p["UserPoolTags"]["ampstack:resource"]]
    assert [p["Id"] for p in pools] == [prod["auth"]["auth1"]["output"]["UserPoolId"]], [p["Id"] for p in pools]
    clients = idp.list_user_pool_clients(UserPoolId=pools[0]["Id"], MaxResults=60)["UserPoolClients"]
    assert sorted(c["ClientName"] for c in clients) == [f"{pool_name}-prod_app_client", f"{pool_name}-prod_app_clientWeb"]
    bucket = prod["storage"]["files"]["output"]["BucketName"]
    assert f"/{app}/prod/storage/files" in {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]}[
        "ampstack:resource"]
    roles = [r["RoleName"] for page in moto.client("iam").get_paginator("list_roles").paginate() for r in page["Roles"]]
    assert len([r for r in roles if r.startswith(f"amplify-{app}-prod-")]) == 2
    wait_done(client, app, client.remove_all_backends(AppId=app)["JobId"])
    proxy.close()
