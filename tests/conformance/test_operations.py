"""Every AmplifyBackend operation through boto3: its success behaviour in detail and each error it can return.

The shared server finishes jobs immediately; the pending-job and UpdateBackendJob tests use a `--jobs manual` server and
the job-timing and token-expiry tests a `--jobs delay:...` server with a short token lifetime.
"""

import datetime
import json
import re
import time
import uuid

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from conftest import (
    DEFAULT_ACCOUNT, DELAY_MS, MANUAL_OPERATOR_KEY, SCHEMA, SHORT_TTL_S, STORAGE_MEMBERS, TERMINAL, api_config, assert_accepted,
    assert_epoch_ms, assert_raw_error, auth_config, create_backend, expect_error, finish, has_introspection_member,
    fresh_account, make_client, meta_of, minimal_auth_config, new_app_id, raw_op, storage_config, strip_meta, wait_job, wire_config,
    worker_pass_after,
)

ROOT_STACK_KEYS = {"AuthRoleName", "AuthRoleArn", "UnauthRoleName", "UnauthRoleArn", "Region", "DeploymentBucketName",
                   "StackName", "StackId"}
PENDING = ("There is already a pending job for the requested appId: {app} and backendEnvironmentName: {env}, "
           "wait for it to complete before creating a new job.")
USER_POOL_ID = re.compile(r"^us-east-1_[A-Za-z0-9]{9}$")
CLIENT_ID = re.compile(r"^[a-z0-9]{26}$")
IDENTITY_POOL_ID = re.compile(r"^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
INVALID_SCHEMA = "type Todo @model {\n  id: ID!\n  name: String!!\n}\n"  # the second '!' is at line 3, column 16


def random_account():
    return fresh_account()


def parse_iso(text):
    assert ISO_8601.match(text), text
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


# =====================================================================================================================
# Apps and environments: CreateBackend, GetBackend, CloneBackend, DeleteBackend, RemoveAllBackends
# =====================================================================================================================

class TestCreateBackend:
    def test_accepts_job_and_completes(self, client):
        app = new_app_id()
        before = int(time.time() * 1000)
        resp = client.create_backend(AppId=app, AppName="My App", BackendEnvironmentName="dev")
        job = finish(client, app, "dev", resp, "CreateBackend")
        assert_epoch_ms(job["CreateTime"], not_before_ms=before, not_after_ms=int(time.time() * 1000))
        assert_epoch_ms(job["UpdateTime"], not_before_ms=before, not_after_ms=int(time.time() * 1000))
        details = client.get_backend(AppId=app)
        assert details["AppName"] == "My App"
        assert details["BackendEnvironmentList"] == ["dev"]

    def test_second_environment_of_an_app(self, client):
        app = create_backend(client, env="dev")
        resp = client.create_backend(AppId=app, AppName="ignored", BackendEnvironmentName="prod")
        finish(client, app, "prod", resp, "CreateBackend")
        details = client.get_backend(AppId=app)
        assert details["BackendEnvironmentList"] == ["dev", "prod"]
        assert details["AppName"] == f"name-{app}"  # the app exists already: its name stays

    def test_existing_environment_is_400(self, client):
        app = create_backend(client, env="dev")
        expect_error(client.create_backend, "BadRequestException", 400,
                     f"Backend environment dev already exists for app {app}.",
                     AppId=app, AppName="x", BackendEnvironmentName="dev")

    def test_identifier_too_long_is_400(self, client):
        expect_error(client.create_backend, "BadRequestException", 400, "'appId' is 300 characters long; the limit is 255",
                     AppId="a" * 300, AppName="x", BackendEnvironmentName="dev")
        expect_error(client.create_backend, "BadRequestException", 400,
                     "'backendEnvironmentName' is 300 characters long",
                     AppId=new_app_id(), AppName="x", BackendEnvironmentName="e" * 300)

    def test_identifier_of_255_characters_is_fine(self, client):
        app = "a" * 200 + uuid.uuid4().hex[:55]
        create_backend(client, app_id=app, env="d" * 255)
        assert client.get_backend(AppId=app)["BackendEnvironmentName"] == "d" * 255

    def test_empty_and_control_character_identifiers_are_400(self, loose_client):
        expect_error(loose_client.create_backend, "BadRequestException", 400, "'appId' must not be empty",
                     AppId="", AppName="x", BackendEnvironmentName="dev")
        expect_error(loose_client.create_backend, "BadRequestException", 400, "'appName' must not be empty",
                     AppId=new_app_id(), AppName="", BackendEnvironmentName="dev")
        expect_error(loose_client.create_backend, "BadRequestException", 400,
                     "'backendEnvironmentName' must not contain control characters",
                     AppId=new_app_id(), AppName="x", BackendEnvironmentName="de\tv")

    def test_missing_required_member_is_400(self, loose_client):
        expect_error(loose_client.create_backend, "BadRequestException", 400, "Missing required member 'appName'",
                     AppId=new_app_id(), BackendEnvironmentName="dev")


class TestGetBackend:
    def test_details_of_a_new_environment(self, client):
        app = create_backend(client, env="dev", app_name="Shop")
        details = client.get_backend(AppId=app, BackendEnvironmentName="dev")
        body = strip_meta(details)
        assert set(body) == {"AmplifyFeatureFlags", "AmplifyMetaConfig", "AppId", "AppName", "BackendEnvironmentList",
                             "BackendEnvironmentName"}
        assert body["AppId"] == app and body["AppName"] == "Shop" and body["BackendEnvironmentName"] == "dev"
        meta = json.loads(body["AmplifyMetaConfig"])
        assert set(meta) == {"providers", "auth", "api", "storage"}
        assert meta["auth"] == {} and meta["api"] == {} and meta["storage"] == {}
        provider = meta["providers"]["awscloudformation"]
        assert ROOT_STACK_KEYS <= set(provider), provider
        assert all(isinstance(provider[k], str) and provider[k] for k in ROOT_STACK_KEYS)
        assert provider["AmplifyAppId"] == app
        assert provider["Region"] == "us-east-1"
        stack = provider["StackName"]
        assert re.fullmatch(rf"amplify-{app}-dev-\d+", stack), stack
        assert provider["AuthRoleName"] == f"{stack}-authRole"
        assert provider["UnauthRoleName"] == f"{stack}-unauthRole"
        assert provider["AuthRoleArn"] == f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/{stack}-authRole"
        assert provider["UnauthRoleArn"] == f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/{stack}-unauthRole"
        assert provider["DeploymentBucketName"] == f"{stack}-deployment"
        assert re.fullmatch(rf"arn:aws:cloudformation:us-east-1:{DEFAULT_ACCOUNT}:stack/{stack}/[0-9a-f-]{{36}}",
                            provider["StackId"]), provider["StackId"]
        flags = json.loads(body["AmplifyFeatureFlags"])
        assert set(flags) == {"features"}
        assert flags["features"]["graphqltransformer"]["transformerversion"] == 2
        assert isinstance(flags["features"]["codegen"], dict)
        # Stable: the same identifiers on every read.
        assert json.loads(client.get_backend(AppId=app)["AmplifyMetaConfig"]) == meta

    def test_default_environment_is_the_oldest(self, client):
        app = create_backend(client, env="zeta")
        create_backend(client, app_id=app, env="alpha")
        create_backend(client, app_id=app, env="mid")
        details = client.get_backend(AppId=app)
        assert details["BackendEnvironmentName"] == "zeta"
        assert details["BackendEnvironmentList"] == ["zeta", "alpha", "mid"]
        named = client.get_backend(AppId=app, BackendEnvironmentName="mid")
        assert named["BackendEnvironmentName"] == "mid"
        assert named["BackendEnvironmentList"] == ["zeta", "alpha", "mid"]
        assert json.loads(named["AmplifyMetaConfig"])["providers"]["awscloudformation"]["StackName"].startswith(
            f"amplify-{app}-mid-")

    def test_meta_config_has_auth_api_and_storage_outputs(self, client):
        app = create_backend(client)
        finish(client, app, "dev", client.create_backend_auth(
            AppId=app, BackendEnvironmentName="dev", ResourceName="auth1", ResourceConfig=auth_config("pool")),
            "CreateBackendAuth")
        finish(client, app, "dev", client.create_backend_api(
            AppId=app, BackendEnvironmentName="dev", ResourceName="api1", ResourceConfig=api_config()),
            "CreateBackendAPI")
        finish(client, app, "dev", client.create_backend_storage(
            AppId=app, BackendEnvironmentName="dev", ResourceName="files", ResourceConfig=storage_config()),
            "CreateBackendStorage", members=STORAGE_MEMBERS)
        meta = meta_of(client, app, "dev")

        auth = meta["auth"]["auth1"]
        assert auth["service"] == "Cognito" and auth["providerPlugin"] == "awscloudformation"
        parse_iso(auth["lastPushTimeStamp"])
        out = auth["output"]
        assert USER_POOL_ID.match(out["UserPoolId"]), out
        assert out["UserPoolArn"] == f"arn:aws:cognito-idp:us-east-1:{DEFAULT_ACCOUNT}:userpool/{out['UserPoolId']}"
        assert out["UserPoolName"] == "pool-dev"
        assert CLIENT_ID.match(out["AppClientID"]) and CLIENT_ID.match(out["AppClientIDWeb"])
        assert IDENTITY_POOL_ID.match(out["IdentityPoolId"]), out
        assert out["IdentityPoolName"] == "idpool1__dev"
        assert out["HostedUIDomain"] == "myprefix-dev"
        oauth = json.loads(out["OAuthMetadata"])
        assert oauth["AllowedOAuthFlows"] == ["code"]
        assert oauth["AllowedOAuthScopes"] == ["profile", "openid", "email", "aws.cognito.signin.user.admin", "phone"]
        assert oauth["CallbackURLs"] == ["https://b.example.com/in", "https://a.example.com/in"]
        assert oauth["LogoutURLs"] == ["https://a.example.com/out"]

        api = meta["api"]["api1"]
        assert api["service"] == "AppSync" and api["providerPlugin"] == "awscloudformation"
        out = api["output"]
        assert re.fullmatch(r"[a-z0-9]{26}", out["GraphQLAPIIdOutput"]), out
        assert out["GraphQLAPIEndpointOutput"] == f"https://{out['GraphQLAPIIdOutput']}.appsync-api.us-east-1.amazonaws.com/graphql"
        assert re.fullmatch(r"da2-[a-z0-9]{26}", out["GraphQLAPIKeyOutput"]), out
        assert out["authConfig"] == {
            "defaultAuthentication": {"authenticationType": "API_KEY"},
            "additionalAuthenticationProviders": [{"authenticationType": "AMAZON_COGNITO_USER_POOLS"},
                                                  {"authenticationType": "AWS_IAM"}],
        }

        storage = meta["storage"]["files"]
        assert storage["service"] == "S3"
        assert storage["output"]["Region"] == "us-east-1"
        assert re.fullmatch(r"files\d+-dev", storage["output"]["BucketName"]), storage
        # Identifiers are stable once made.
        assert meta_of(client, app, "dev") == meta

    def test_unknown_app_is_404(self, client):
        app = new_app_id()
        expect_error(client.get_backend, "NotFoundException", 404, f"App {app} was not found.", "App", AppId=app)

    def test_unknown_environment_is_404(self, client):
        app = create_backend(client)
        expect_error(client.get_backend, "NotFoundException", 404,
                     f"Backend environment nope was not found for app {app}.", "BackendEnvironment",
                     AppId=app, BackendEnvironmentName="nope")

    def test_app_without_environments_is_404(self, client):
        app = create_backend(client, env="only")
        finish(client, app, "only", client.delete_backend(AppId=app, BackendEnvironmentName="only"), "DeleteBackend")
        expect_error(client.get_backend, "NotFoundException", 404, f"App {app} has no backend environments.",
                     "BackendEnvironment", AppId=app)


class TestCloneBackend:
    def test_clone_copies_every_resource_with_new_identifiers(self, client):
        app = create_backend(client, env="dev")
        finish(client, app, "dev", client.create_backend_auth(
            AppId=app, BackendEnvironmentName="dev", ResourceName="auth1", ResourceConfig=auth_config()), "CreateBackendAuth")
        finish(client, app, "dev", client.create_backend_api(
            AppId=app, BackendEnvironmentName="dev", ResourceName="api1", ResourceConfig=api_config()), "CreateBackendAPI")
        finish(client, app, "dev", client.create_backend_storage(
            AppId=app, BackendEnvironmentName="dev", ResourceName="files", ResourceConfig=storage_config()),
            "CreateBackendStorage", members=STORAGE_MEMBERS)

        resp = client.clone_backend(AppId=app, BackendEnvironmentName="dev", TargetEnvironmentName="test")
        finish(client, app, "dev", resp, "CloneBackend")  # the job runs on the source environment

        assert client.get_backend(AppId=app)["BackendEnvironmentList"] == ["dev", "test"]
        for get, name in ((client.get_backend_auth, "auth1"), (client.get_backend_api, "api1"),
                          (client.get_backend_storage, "files")):
            src = get(AppId=app, BackendEnvironmentName="dev", ResourceName=name)
            dst = get(AppId=app, BackendEnvironmentName="test", ResourceName=name)
            assert dst["BackendEnvironmentName"] == "test" and dst["ResourceName"] == name
            if name != "files":
                assert dst["ResourceConfig"] == src["ResourceConfig"]
            else:
                assert dst["ResourceConfig"]["Permissions"] == src["ResourceConfig"]["Permissions"]
                assert dst["ResourceConfig"]["BucketName"] != src["ResourceConfig"]["BucketName"]
        src_meta, dst_meta = meta_of(client, app, "dev"), meta_of(client, app, "test")
        assert dst_meta["auth"]["auth1"]["output"]["UserPoolId"] != src_meta["auth"]["auth1"]["output"]["UserPoolId"]
        assert dst_meta["auth"]["auth1"]["output"]["UserPoolName"] == "userpool1-test"
        assert (dst_meta["api"]["api1"]["output"]["GraphQLAPIIdOutput"]
                != src_meta["api"]["api1"]["output"]["GraphQLAPIIdOutput"])
        assert dst_meta["providers"]["awscloudformation"]["StackName"].startswith(f"amplify-{app}-test-")
        assert dst_meta["storage"]["files"]["output"]["BucketName"].endswith("-test")

    def test_target_exists_is_400(self, client):
        app = create_backend(client, env="dev")
        create_backend(client, app_id=app, env="prod")
        expect_error(client.clone_backend, "BadRequestException", 400,
                     f"Backend environment prod already exists for app {app}.",
                     AppId=app, BackendEnvironmentName="dev", TargetEnvironmentName="prod")

    def test_unknown_source_is_404(self, client):
        app = create_backend(client, env="dev")
        expect_error(client.clone_backend, "NotFoundException", 404, "Backend environment nope was not found",
                     "BackendEnvironment", AppId=app, BackendEnvironmentName="nope", TargetEnvironmentName="x")
        other = new_app_id()
        expect_error(client.clone_backend, "NotFoundException", 404, f"App {other} was not found.", "App",
                     AppId=other, BackendEnvironmentName="dev", TargetEnvironmentName="x")

    def test_bad_target_name_is_400(self, loose_client):
        app = create_backend(loose_client, env="dev")
        expect_error(loose_client.clone_backend, "BadRequestException", 400, "'targetEnvironmentName' must not be empty",
                     AppId=app, BackendEnvironmentName="dev", TargetEnvironmentName="")
        expect_error(loose_client.clone_backend, "BadRequestException", 400, "Missing required member 'targetEnvironmentName'",
                     AppId=app, BackendEnvironmentName="dev")


class TestDeleteBackend:
    def test_delete_removes_the_environment_and_its_resources(self, client):
        app = create_backend(client, env="dev")
        create_backend(client, app_id=app, env="prod")
        finish(client, app, "dev", client.create_backend_auth(
            AppId=app, BackendEnvironmentName="dev", ResourceName="a1", ResourceConfig=minimal_auth_config()),
            "CreateBackendAuth")
        resp = client.delete_backend(AppId=app, BackendEnvironmentName="dev")
        finish(client, app, "dev", resp, "DeleteBackend")
        details = client.get_backend(AppId=app)
        assert details["BackendEnvironmentList"] == ["prod"]
        assert details["BackendEnvironmentName"] == "prod"
        expect_error(client.get_backend, "NotFoundException", 404, None, "BackendEnvironment",
                     AppId=app, BackendEnvironmentName="dev")
        expect_error(client.get_backend_auth, "NotFoundException", 404, None, "BackendEnvironment",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="a1")
        # A new environment of the same name starts empty.
        create_backend(client, app_id=app, env="dev")
        assert meta_of(client, app, "dev")["auth"] == {}

    def test_unknown_app_and_environment_are_404(self, client):
        app = create_backend(client)
        expect_error(client.delete_backend, "NotFoundException", 404, "Backend environment nope was not found",
                     "BackendEnvironment", AppId=app, BackendEnvironmentName="nope")
        other = new_app_id()
        expect_error(client.delete_backend, "NotFoundException", 404, f"App {other} was not found.", "App",
                     AppId=other, BackendEnvironmentName="dev")


class TestRemoveAllBackends:
    def test_removes_every_environment_and_keeps_the_app(self, client):
        app = create_backend(client, env="prod")
        create_backend(client, app_id=app, env="dev")
        finish(client, app, "prod", client.create_backend_config(AppId=app, BackendManagerAppId="mgr"),
               "CreateBackendConfig", members=STORAGE_MEMBERS)
        resp = client.remove_all_backends(AppId=app)
        job_id = assert_accepted(resp, app, None, "RemoveAllBackends",
                                 members=("AppId", "JobId", "Operation", "Status"))
        job = wait_job(client, app, "prod", job_id)  # recorded under the app's first environment
        assert job["Status"] == "COMPLETED" and job["Operation"] == "RemoveAllBackends"
        expect_error(client.get_backend, "NotFoundException", 404, f"App {app} has no backend environments.",
                     "BackendEnvironment", AppId=app)
        token = client.create_token(AppId=app)  # the app itself is still there
        assert token["AppId"] == app
        assert client.get_token(AppId=app, SessionId=token["SessionId"])["AppId"] == app
        assert client.update_backend_config(AppId=app)["BackendManagerAppId"] == "mgr"  # and so is its config

    def test_clean_amplify_app_removes_app_config_and_tokens(self, client):
        app = create_backend(client, env="prod")
        finish(client, app, "prod", client.create_backend_config(AppId=app), "CreateBackendConfig",
               members=STORAGE_MEMBERS)
        token = client.create_token(AppId=app)
        resp = client.remove_all_backends(AppId=app, CleanAmplifyApp=True)
        job_id = assert_accepted(resp, app, None, "RemoveAllBackends", members=("AppId", "JobId", "Operation", "Status"))
        assert wait_job(client, app, "prod", job_id)["Status"] == "COMPLETED"
        expect_error(client.get_backend, "NotFoundException", 404, f"App {app} was not found.", "App", AppId=app)
        expect_error(client.get_token, "NotFoundException", 404, None, "Token", AppId=app, SessionId=token["SessionId"])
        expect_error(client.update_backend_config, "NotFoundException", 404, None, "App", AppId=app)
        # The app can be made again from scratch.
        create_backend(client, app_id=app, env="prod")
        expect_error(client.remove_backend_config, "NotFoundException", 404, None, "BackendConfig", AppId=app)

    def test_app_without_environments_records_the_job_under_staging(self, client):
        app = create_backend(client, env="only")
        finish(client, app, "only", client.delete_backend(AppId=app, BackendEnvironmentName="only"), "DeleteBackend")
        resp = client.remove_all_backends(AppId=app)
        job_id = assert_accepted(resp, app, None, "RemoveAllBackends", members=("AppId", "JobId", "Operation", "Status"))
        assert wait_job(client, app, "staging", job_id)["Status"] == "COMPLETED"

    def test_unknown_app_is_404(self, client):
        app = new_app_id()
        expect_error(client.remove_all_backends, "NotFoundException", 404, f"App {app} was not found.", "App", AppId=app)


# =====================================================================================================================
# Auth: CreateBackendAuth, GetBackendAuth, UpdateBackendAuth, ImportBackendAuth, DeleteBackendAuth
# =====================================================================================================================

class TestAuth:
    def test_create_and_get_round_trip_member_for_member(self, client):
        app = create_backend(client)
        config = auth_config()
        resp = client.create_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="auth1",
                                          ResourceConfig=config)
        finish(client, app, "dev", resp, "CreateBackendAuth")
        got = client.get_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="auth1")
        assert strip_meta(got) == {"AppId": app, "BackendEnvironmentName": "dev", "ResourceName": "auth1",
                                   "ResourceConfig": config}
        # No trimming of whitespace, no reordering of lists.
        oauth = got["ResourceConfig"]["UserPoolConfigs"]["OAuth"]
        assert oauth["SocialProviderSettings"]["Google"]["ClientId"] == "  google-id-with-leading-spaces"
        assert oauth["OAuthScopes"] == ["PROFILE", "OPENID", "EMAIL", "AWS_COGNITO_SIGNIN_USER_ADMIN", "PHONE"]

    def test_minimal_config_round_trips_without_added_members(self, client):
        app = create_backend(client)
        config = minimal_auth_config()
        finish(client, app, "dev", client.create_backend_auth(
            AppId=app, BackendEnvironmentName="dev", ResourceName="a", ResourceConfig=config), "CreateBackendAuth")
        got = client.get_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="a")
        assert got["ResourceConfig"] == config
        meta = meta_of(client, app)
        assert "IdentityPoolId" not in meta["auth"]["a"]["output"]  # USER_POOL_ONLY

    def test_update_merges_over_the_stored_config(self, client):
        app = create_backend(client)
        config = auth_config()
        finish(client, app, "dev", client.create_backend_auth(
            AppId=app, BackendEnvironmentName="dev", ResourceName="auth1", ResourceConfig=config), "CreateBackendAuth")
        pool_before = meta_of(client, app)["auth"]["auth1"]["output"]["UserPoolId"]
        update = {
            "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
            "Service": "COGNITO",
            "IdentityPoolConfigs": {"UnauthenticatedLogin": False},
            "UserPoolConfigs": {
                "Mfa": {"MFAMode": "OFF"},
                "PasswordPolicy": {"AdditionalConstraints": ["REQUIRE_UPPERCASE"]},
                "OAuth": {"RedirectSignOutURIs": ["https://c.example.com/out", "https://b.example.com/out"]},
            },
        }
        resp = client.update_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="auth1",
                                          ResourceConfig=update)
        finish(client, app, "dev", resp, "UpdateBackendAuth")
        expected = json.loads(json.dumps(config))
        expected["IdentityPoolConfigs"]["UnauthenticatedLogin"] = False
        expected["UserPoolConfigs"]["Mfa"]["MFAMode"] = "OFF"
        expected["UserPoolConfigs"]["PasswordPolicy"]["AdditionalConstraints"] = ["REQUIRE_UPPERCASE"]
        expected["UserPoolConfigs"]["OAuth"]["RedirectSignOutURIs"] = ["https://c.example.com/out",
                                                                       "https://b.example.com/out"]
        got = client.get_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="auth1")
        assert got["ResourceConfig"] == expected
        assert meta_of(client, app)["auth"]["auth1"]["output"]["UserPoolId"] == pool_before

    def test_import_records_an_imported_cognito_resource(self, client):
        app = create_backend(client)
        resp = client.import_backend_auth(AppId=app, BackendEnvironmentName="dev", UserPoolId="us-east-1_Imported1",
                                          WebClientId="webclient1", NativeClientId="nativeclient1",
                                          IdentityPoolId="us-east-1:11111111-2222-3333-4444-555555555555")
        finish(client, app, "dev", resp, "ImportBackendAuth")
        got = client.get_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="us-east-1_Imported1")
        assert got["ResourceConfig"]["AuthResources"] == "IDENTITY_POOL_AND_USER_POOL"
        assert got["ResourceConfig"]["Service"] == "COGNITO"
        assert got["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"] == "us-east-1_Imported1"
        entry = meta_of(client, app)["auth"]["us-east-1_Imported1"]
        assert entry["serviceType"] == "imported" and entry["service"] == "Cognito"
        assert entry["output"]["UserPoolId"] == "us-east-1_Imported1"
        assert entry["output"]["AppClientIDWeb"] == "webclient1"
        assert entry["output"]["AppClientID"] == "nativeclient1"
        assert entry["output"]["IdentityPoolId"] == "us-east-1:11111111-2222-3333-4444-555555555555"
        assert entry["output"]["UserPoolArn"] == (
            f"arn:aws:cognito-idp:us-east-1:{DEFAULT_ACCOUNT}:userpool/us-east-1_Imported1")

    def test_import_without_identity_pool_is_user_pool_only(self, client):
        app = create_backend(client)
        finish(client, app, "dev", client.import_backend_auth(
            AppId=app, BackendEnvironmentName="dev", UserPoolId="us-east-1_Pool2", WebClientId="w", NativeClientId="n"),
            "ImportBackendAuth")
        got = client.get_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="us-east-1_Pool2")
        assert got["ResourceConfig"]["AuthResources"] == "USER_POOL_ONLY"
        assert "IdentityPoolId" not in meta_of(client, app)["auth"]["us-east-1_Pool2"]["output"]

    def test_delete(self, client):
        app = create_backend(client)
        finish(client, app, "dev", client.create_backend_auth(
            AppId=app, BackendEnvironmentName="dev", ResourceName="a1", ResourceConfig=minimal_auth_config()),
            "CreateBackendAuth")
        resp = client.delete_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="a1")
        finish(client, app, "dev", resp, "DeleteBackendAuth")
        expect_error(client.get_backend_auth, "NotFoundException", 404,
                     f"Auth a1 was not found in backend environment dev of app {app}.", "BackendAuth",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="a1")
        assert meta_of(client, app)["auth"] == {}
        # Now another auth resource may be created.
        finish(client, app, "dev", client.create_backend_auth(
            AppId=app, BackendEnvironmentName="dev", ResourceName="a2", ResourceConfig=minimal_auth_config()),
            "CreateBackendAuth")

    def test_second_auth_resource_is_400(self, client):
        app = create_backend(client)
        finish(client, app, "dev", client.create_backend_auth(
            AppId=app, BackendEnvironmentName="dev", ResourceName="a1", ResourceConfig=minimal_auth_config()),
            "CreateBackendAuth")
        msg = "Backend environment dev already has auth resource a1; an environment has at most one."
        expect_error(client.create_backend_auth, "BadRequestException", 400, msg,
                     AppId=app, BackendEnvironmentName="dev", ResourceName="a2", ResourceConfig=minimal_auth_config())
        expect_error(client.import_backend_auth, "BadRequestException", 400, msg,
                     AppId=app, BackendEnvironmentName="dev", UserPoolId="us-east-1_X", WebClientId="w",
                     NativeClientId="n")

    def test_not_found_cases(self, client):
        app = create_backend(client)
        other = new_app_id()
        for call, kwargs in (
            (client.get_backend_auth, {"ResourceName": "a"}),
            (client.update_backend_auth, {"ResourceName": "a", "ResourceConfig": {
                "AuthResources": "USER_POOL_ONLY", "Service": "COGNITO", "UserPoolConfigs": {}}}),
            (client.delete_backend_auth, {"ResourceName": "a"}),
        ):
            expect_error(call, "NotFoundException", 404, f"Auth a was not found in backend environment dev of app {app}.",
                         "BackendAuth", AppId=app, BackendEnvironmentName="dev", **kwargs)
            expect_error(call, "NotFoundException", 404, "Backend environment nope was not found", "BackendEnvironment",
                         AppId=app, BackendEnvironmentName="nope", **kwargs)
            expect_error(call, "NotFoundException", 404, f"App {other} was not found.", "App",
                         AppId=other, BackendEnvironmentName="dev", **kwargs)
        expect_error(client.create_backend_auth, "NotFoundException", 404, "Backend environment nope was not found",
                     "BackendEnvironment", AppId=app, BackendEnvironmentName="nope", ResourceName="a",
                     ResourceConfig=minimal_auth_config())
        expect_error(client.create_backend_auth, "NotFoundException", 404, f"App {other} was not found.", "App",
                     AppId=other, BackendEnvironmentName="dev", ResourceName="a", ResourceConfig=minimal_auth_config())
        expect_error(client.import_backend_auth, "NotFoundException", 404, "Backend environment nope was not found",
                     "BackendEnvironment", AppId=app, BackendEnvironmentName="nope", UserPoolId="p", WebClientId="w",
                     NativeClientId="n")

    def test_invalid_values_are_400(self, loose_client, url):
        app = create_backend(loose_client)
        bad_enum = minimal_auth_config()
        bad_enum["UserPoolConfigs"]["SignInMethod"] = "CARRIER_PIGEON"
        expect_error(loose_client.create_backend_auth, "BadRequestException", 400,
                     "Invalid value for 'resourceConfig.userPoolConfigs.signInMethod': 'CARRIER_PIGEON' is not one of",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="a", ResourceConfig=bad_enum)
        bad_list = minimal_auth_config()
        bad_list["UserPoolConfigs"]["RequiredSignUpAttributes"] = ["EMAIL", "SHOE_SIZE"]
        expect_error(loose_client.create_backend_auth, "BadRequestException", 400,
                     "'resourceConfig.userPoolConfigs.requiredSignUpAttributes[1]'",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="a", ResourceConfig=bad_list)
        missing = minimal_auth_config()
        del missing["UserPoolConfigs"]["SignInMethod"]
        expect_error(loose_client.create_backend_auth, "BadRequestException", 400,
                     "Missing required member 'resourceConfig.userPoolConfigs.signInMethod'",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="a", ResourceConfig=missing)
        wrong_type = wire_config("CreateBackendAuth", auth_config())
        wrong_type["userPoolConfigs"]["passwordPolicy"]["minimumLength"] = "ten"
        assert_raw_error(raw_op(url, "CreateBackendAuth", {"appId": app}, {
            "backendEnvironmentName": "dev", "resourceName": "a", "resourceConfig": wrong_type}), 400,
            "BadRequestException",
            "Invalid type for 'resourceConfig.userPoolConfigs.passwordPolicy.minimumLength': expected a number, got a string.")
        wrong_type["userPoolConfigs"]["passwordPolicy"]["minimumLength"] = 10
        wrong_type["identityPoolConfigs"]["unauthenticatedLogin"] = "yes"
        assert_raw_error(raw_op(url, "CreateBackendAuth", {"appId": app}, {
            "backendEnvironmentName": "dev", "resourceName": "a", "resourceConfig": wrong_type}), 400,
            "BadRequestException",
            "Invalid type for 'resourceConfig.identityPoolConfigs.unauthenticatedLogin': expected a boolean, got a string.")
        expect_error(loose_client.create_backend_auth, "BadRequestException", 400, "'resourceName' must not be empty",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="", ResourceConfig=minimal_auth_config())
        expect_error(loose_client.import_backend_auth, "BadRequestException", 400, "Missing required member 'webClientId'",
                     AppId=app, BackendEnvironmentName="dev", UserPoolId="p", NativeClientId="n")
        # Nothing was stored by any of these.
        assert meta_of(loose_client, app)["auth"] == {}


# =====================================================================================================================
# API: CreateBackendAPI, GetBackendAPI, UpdateBackendAPI, DeleteBackendAPI, GenerateBackendAPIModels, GetBackendAPIModels
# =====================================================================================================================

def make_api(client, app, name="api1", config=None, env="dev"):
    config = config or api_config()
    finish(client, app, env, client.create_backend_api(
        AppId=app, BackendEnvironmentName=env, ResourceName=name, ResourceConfig=config), "CreateBackendAPI")
    return config


class TestApi:
    def test_create_and_get_round_trip(self, client):
        app = create_backend(client)
        config = api_config()
        resp = client.create_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="api1",
                                         ResourceConfig=config)
        finish(client, app, "dev", resp, "CreateBackendAPI")
        got = client.get_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="api1")
        assert strip_meta(got) == {"AppId": app, "BackendEnvironmentName": "dev", "ResourceName": "api1",
                                   "ResourceConfig": config}
        assert got["ResourceConfig"]["TransformSchema"] == SCHEMA  # byte for byte, trailing newline included

    def test_update_merges_and_replaces_lists(self, client):
        app = create_backend(client)
        config = make_api(client, app)
        new_schema = SCHEMA + "type Note @model { id: ID! text: String }\n"
        update = {"TransformSchema": new_schema, "ConflictResolution": {"ResolutionStrategy": "OPTIMISTIC_CONCURRENCY"},
                  "AdditionalAuthTypes": [{"Mode": "OPENID_CONNECT", "Settings": {"OpenIDProviderName": "p",
                                                                                  "OpenIDIssueURL": "https://i"}}]}
        resp = client.update_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="api1",
                                         ResourceConfig=update)
        finish(client, app, "dev", resp, "UpdateBackendAPI")
        expected = dict(config, **update)
        got = client.get_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="api1")
        assert got["ResourceConfig"] == expected

    def test_update_without_config_keeps_everything(self, client):
        app = create_backend(client)
        config = make_api(client, app)
        finish(client, app, "dev", client.update_backend_api(AppId=app, BackendEnvironmentName="dev",
                                                             ResourceName="api1"), "UpdateBackendAPI")
        assert client.get_backend_api(AppId=app, BackendEnvironmentName="dev",
                                      ResourceName="api1")["ResourceConfig"] == config

    def test_invalid_graphql_on_create_fails_the_job_and_stores_nothing(self, client):
        app = create_backend(client)
        resp = client.create_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="bad",
                                         ResourceConfig=api_config(INVALID_SCHEMA))
        job = finish(client, app, "dev", resp, "CreateBackendAPI", expect="FAILED")
        assert re.search(r"line 3, column 16\b", job["Error"]), job["Error"]
        assert "GraphQL" in job["Error"]
        expect_error(client.get_backend_api, "NotFoundException", 404, None, "BackendAPI",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="bad")
        assert meta_of(client, app)["api"] == {}

    def test_invalid_graphql_on_update_fails_the_job_and_keeps_the_config(self, client):
        app = create_backend(client)
        config = make_api(client, app)
        resp = client.update_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="api1",
                                         ResourceConfig={"TransformSchema": "type {", "ApiName": "renamed"})
        job = finish(client, app, "dev", resp, "UpdateBackendAPI", expect="FAILED")
        assert re.search(r"line 1, column \d+", job["Error"]), job["Error"]
        got = client.get_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="api1")
        assert got["ResourceConfig"] == config

    def test_models_before_any_generation_are_stale_and_absent(self, client):
        app = create_backend(client)
        make_api(client, app)
        models = client.get_backend_api_models(AppId=app, BackendEnvironmentName="dev", ResourceName="api1")
        assert strip_meta(models) == {"Status": "STALE"}

    def test_generate_models_latest_then_stale_then_latest(self, client):
        app = create_backend(client)
        make_api(client, app)
        resp = client.generate_backend_api_models(AppId=app, BackendEnvironmentName="dev", ResourceName="api1")
        job_id = assert_accepted(resp, app, "dev", "GenerateBackendAPIModels")
        job = wait_job(client, app, "dev", job_id)
        assert job["Operation"] == "GenerateBackendAPIModels"
        assert job["Status"] == "COMPLETED", job
        assert "Error" not in job
        models = client.get_backend_api_models(AppId=app, BackendEnvironmentName="dev", ResourceName="api1")
        assert models["Status"] == "LATEST"
        text = models["Models"]
        assert text.startswith("export const schema = {") and text.rstrip().endswith("};"), text[:200]
        # Parsed the way Amplify's own client did: from the first '{', every ';' removed.
        schema = json.loads(text[text.index("{"):].replace(";", ""))
        todo = schema["models"]["Todo"]
        assert [f["name"] for f in todo["fields"].values()] == ["id", "name", "description", "createdAt", "updatedAt"]
        assert todo["fields"]["name"]["isRequired"] is True and todo["fields"]["description"]["isRequired"] is False
        assert re.fullmatch(r"[0-9a-f]{32}", schema["version"])
        if has_introspection_member(client):
            introspection = json.loads(models["ModelIntrospectionSchema"])
            assert introspection["version"] == 1
            assert introspection["models"]["Todo"]["primaryKeyInfo"]["primaryKeyFieldName"] == "id"
        # A schema change makes them stale; generating again makes them latest, from the new schema.
        finish(client, app, "dev", client.update_backend_api(
            AppId=app, BackendEnvironmentName="dev", ResourceName="api1",
            ResourceConfig={"TransformSchema": SCHEMA + "type Note @model { id: ID! text: String }\n"}), "UpdateBackendAPI")
        stale = client.get_backend_api_models(AppId=app, BackendEnvironmentName="dev", ResourceName="api1")
        assert stale["Status"] == "STALE" and stale["Models"] == text
        finish(client, app, "dev", client.generate_backend_api_models(
            AppId=app, BackendEnvironmentName="dev", ResourceName="api1"), "GenerateBackendAPIModels")
        fresh = client.get_backend_api_models(AppId=app, BackendEnvironmentName="dev", ResourceName="api1")
        assert fresh["Status"] == "LATEST"
        assert "Note" in json.loads(fresh["Models"][fresh["Models"].index("{"):].replace(";", ""))["models"]

    def test_generate_models_of_a_schema_codegen_rejects_fails_and_keeps_the_models(self, client):
        app = create_backend(client)
        make_api(client, app)
        finish(client, app, "dev", client.generate_backend_api_models(
            AppId=app, BackendEnvironmentName="dev", ResourceName="api1"), "GenerateBackendAPIModels")
        before = client.get_backend_api_models(AppId=app, BackendEnvironmentName="dev", ResourceName="api1")["Models"]
        rejected = "type Gadget @model {\n  serial: String @primaryKey\n  name: String\n}\n"
        finish(client, app, "dev", client.update_backend_api(
            AppId=app, BackendEnvironmentName="dev", ResourceName="api1",
            ResourceConfig={"TransformSchema": rejected}), "UpdateBackendAPI")
        resp = client.generate_backend_api_models(AppId=app, BackendEnvironmentName="dev", ResourceName="api1")
        job = finish(client, app, "dev", resp, "GenerateBackendAPIModels", expect="FAILED")
        assert "Gadget" in job["Error"] and re.search(r"line \d+, column \d+", job["Error"]), job["Error"]
        assert "\x1b" not in job["Error"]
        after = client.get_backend_api_models(AppId=app, BackendEnvironmentName="dev", ResourceName="api1")
        assert after["Status"] == "STALE" and after["Models"] == before

    def test_generate_models_finished_by_update_backend_job(self, mclient):
        # UpdateBackendJob(COMPLETED) does the job's work: the models are generated then.
        app = create_backend_manual(mclient)
        resp = mclient.create_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="api1",
                                          ResourceConfig=api_config(SCHEMA))
        complete(mclient, app, "dev", resp["JobId"])
        resp = mclient.generate_backend_api_models(AppId=app, BackendEnvironmentName="dev", ResourceName="api1")
        assert mclient.get_backend_api_models(AppId=app, BackendEnvironmentName="dev",
                                              ResourceName="api1")["Status"] == "STALE"
        job = mclient.update_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=resp["JobId"], Status="COMPLETED")
        assert job["Status"] == "COMPLETED", job
        assert mclient.get_backend_api_models(AppId=app, BackendEnvironmentName="dev",
                                              ResourceName="api1")["Status"] == "LATEST"

    def test_delete(self, client):
        app = create_backend(client)
        make_api(client, app)
        resp = client.delete_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="api1")
        finish(client, app, "dev", resp, "DeleteBackendAPI")
        expect_error(client.get_backend_api, "NotFoundException", 404,
                     f"API api1 was not found in backend environment dev of app {app}.", "BackendAPI",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="api1")
        assert meta_of(client, app)["api"] == {}

    def test_api_name_taken_is_400(self, client):
        app = create_backend(client)
        make_api(client, app)
        expect_error(client.create_backend_api, "BadRequestException", 400,
                     "The API api1 already exists in backend environment dev.",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="api1", ResourceConfig=api_config())

    def test_not_found_cases(self, client):
        app = create_backend(client)
        other = new_app_id()
        for call, extra in ((client.get_backend_api, {}), (client.update_backend_api, {"ResourceConfig": {}}),
                            (client.delete_backend_api, {}), (client.generate_backend_api_models, {}),
                            (client.get_backend_api_models, {})):
            expect_error(call, "NotFoundException", 404, f"API nope was not found in backend environment dev of app {app}.",
                         "BackendAPI", AppId=app, BackendEnvironmentName="dev", ResourceName="nope", **extra)
            expect_error(call, "NotFoundException", 404, "Backend environment nope was not found", "BackendEnvironment",
                         AppId=app, BackendEnvironmentName="nope", ResourceName="nope", **extra)
            expect_error(call, "NotFoundException", 404, f"App {other} was not found.", "App",
                         AppId=other, BackendEnvironmentName="dev", ResourceName="nope", **extra)
        expect_error(client.create_backend_api, "NotFoundException", 404, "Backend environment nope was not found",
                     "BackendEnvironment", AppId=app, BackendEnvironmentName="nope", ResourceName="x",
                     ResourceConfig=api_config())

    def test_invalid_values_are_400(self, loose_client, url):
        app = create_backend(loose_client)
        bad = api_config()
        bad["ConflictResolution"] = {"ResolutionStrategy": "LAST_WRITER_WINS"}
        expect_error(loose_client.create_backend_api, "BadRequestException", 400,
                     "Invalid value for 'resourceConfig.conflictResolution.resolutionStrategy'",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="a", ResourceConfig=bad)
        bad = wire_config("CreateBackendAPI", api_config())
        bad["additionalAuthTypes"] = {"mode": "API_KEY"}
        assert_raw_error(raw_op(url, "CreateBackendAPI", {"appId": app}, {
            "backendEnvironmentName": "dev", "resourceName": "a", "resourceConfig": bad}), 400, "BadRequestException",
            "Invalid type for 'resourceConfig.additionalAuthTypes': expected a list, got an object.")
        bad = api_config()
        bad["TransformSchema"] = 42
        expect_error(loose_client.create_backend_api, "BadRequestException", 400,
                     "Invalid type for 'resourceConfig.transformSchema': expected a string",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="a", ResourceConfig=bad)
        expect_error(loose_client.create_backend_api, "BadRequestException", 400, "Missing required member 'resourceConfig'",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="a")
        assert meta_of(loose_client, app)["api"] == {}


# =====================================================================================================================
# Storage: CreateBackendStorage, GetBackendStorage, UpdateBackendStorage, ImportBackendStorage, DeleteBackendStorage,
# ListS3Buckets
# =====================================================================================================================

class TestStorage:
    def test_create_and_get(self, client):
        app = create_backend(client)
        bucket = f"bucket-{uuid.uuid4().hex[:16]}"
        config = storage_config(bucket)
        resp = client.create_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files",
                                             ResourceConfig=config)
        finish(client, app, "dev", resp, "CreateBackendStorage", members=STORAGE_MEMBERS)
        got = client.get_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files")
        assert strip_meta(got) == {
            "AppId": app, "BackendEnvironmentName": "dev", "ResourceName": "files",
            "ResourceConfig": {"BucketName": bucket, "Imported": False, "Permissions": config["Permissions"],
                               "ServiceName": "S3"},
        }
        assert meta_of(client, app)["storage"]["files"]["output"] == {"BucketName": bucket, "Region": "us-east-1"}

    def test_generated_bucket_name(self, client):
        app = create_backend(client)
        finish(client, app, "dev", client.create_backend_storage(
            AppId=app, BackendEnvironmentName="dev", ResourceName="My_Files", ResourceConfig=storage_config()),
            "CreateBackendStorage", members=STORAGE_MEMBERS)
        got = client.get_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="My_Files")
        assert re.fullmatch(r"myfiles\d{6}-dev", got["ResourceConfig"]["BucketName"]), got

    def test_update_replaces_permissions(self, client):
        app = create_backend(client)
        finish(client, app, "dev", client.create_backend_storage(
            AppId=app, BackendEnvironmentName="dev", ResourceName="files", ResourceConfig=storage_config()),
            "CreateBackendStorage", members=STORAGE_MEMBERS)
        bucket = client.get_backend_storage(AppId=app, BackendEnvironmentName="dev",
                                            ResourceName="files")["ResourceConfig"]["BucketName"]
        permissions = {"Authenticated": ["DELETE", "READ"]}
        resp = client.update_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files",
                                             ResourceConfig={"Permissions": permissions, "ServiceName": "S3"})
        finish(client, app, "dev", resp, "UpdateBackendStorage", members=STORAGE_MEMBERS)
        got = client.get_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files")
        # Objects merge member by member: UnAuthenticated stays, the given list replaces the stored one whole.
        assert got["ResourceConfig"] == {"BucketName": bucket, "Imported": False, "ServiceName": "S3",
                                         "Permissions": {"Authenticated": ["DELETE", "READ"], "UnAuthenticated": ["READ"]}}

    def test_import(self, client):
        app = create_backend(client)
        bucket = f"imported-{uuid.uuid4().hex[:12]}"
        resp = client.import_backend_storage(AppId=app, BackendEnvironmentName="dev", BucketName=bucket, ServiceName="S3")
        finish(client, app, "dev", resp, "ImportBackendStorage", members=STORAGE_MEMBERS)
        got = client.get_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName=bucket)
        assert got["ResourceName"] == bucket
        assert got["ResourceConfig"]["Imported"] is True
        assert got["ResourceConfig"]["BucketName"] == bucket
        assert got["ResourceConfig"]["ServiceName"] == "S3"
        entry = meta_of(client, app)["storage"][bucket]
        assert entry["serviceType"] == "imported" and entry["output"]["BucketName"] == bucket

    def test_delete(self, client):
        app = create_backend(client)
        finish(client, app, "dev", client.create_backend_storage(
            AppId=app, BackendEnvironmentName="dev", ResourceName="files", ResourceConfig=storage_config()),
            "CreateBackendStorage", members=STORAGE_MEMBERS)
        resp = client.delete_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="files",
                                             ServiceName="S3")
        finish(client, app, "dev", resp, "DeleteBackendStorage", members=STORAGE_MEMBERS)
        expect_error(client.get_backend_storage, "NotFoundException", 404,
                     f"Storage files was not found in backend environment dev of app {app}.", "BackendStorage",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="files")
        assert meta_of(client, app)["storage"] == {}

    def test_second_storage_is_400(self, client):
        app = create_backend(client)
        finish(client, app, "dev", client.create_backend_storage(
            AppId=app, BackendEnvironmentName="dev", ResourceName="files", ResourceConfig=storage_config()),
            "CreateBackendStorage", members=STORAGE_MEMBERS)
        msg = "Backend environment dev already has storage resource files; an environment has at most one."
        expect_error(client.create_backend_storage, "BadRequestException", 400, msg, AppId=app,
                     BackendEnvironmentName="dev", ResourceName="more", ResourceConfig=storage_config())
        expect_error(client.import_backend_storage, "BadRequestException", 400, msg, AppId=app,
                     BackendEnvironmentName="dev", BucketName="some-bucket", ServiceName="S3")

    def test_bucket_names_are_checked(self, client):
        app = create_backend(client)
        for bad in ("Upper-Case", "ab", "x" * 64, "-lead", "double..dot", "under_score"):
            expect_error(client.create_backend_storage, "BadRequestException", 400,
                         "is not a valid S3 bucket name", AppId=app, BackendEnvironmentName="dev",
                         ResourceName="files", ResourceConfig=storage_config(bad))
            expect_error(client.import_backend_storage, "BadRequestException", 400,
                         "is not a valid S3 bucket name", AppId=app, BackendEnvironmentName="dev",
                         BucketName=bad, ServiceName="S3")
        expect_error(client.import_backend_storage, "BadRequestException", 400, "Missing 'bucketName'",
                     AppId=app, BackendEnvironmentName="dev", ServiceName="S3")
        assert meta_of(client, app)["storage"] == {}

    def test_invalid_values_are_400(self, loose_client):
        app = create_backend(loose_client)
        bad = storage_config()
        bad["ServiceName"] = "GCS"
        expect_error(loose_client.create_backend_storage, "BadRequestException", 400,
                     "Invalid value for 'resourceConfig.serviceName': 'GCS' is not one of [S3]",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="f", ResourceConfig=bad)
        bad = storage_config()
        bad["Permissions"] = {"UnAuthenticated": ["READ"]}
        expect_error(loose_client.create_backend_storage, "BadRequestException", 400,
                     "Missing required member 'resourceConfig.permissions.authenticated'",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="f", ResourceConfig=bad)
        expect_error(loose_client.delete_backend_storage, "BadRequestException", 400,
                     "Missing required member 'serviceName'", AppId=app, BackendEnvironmentName="dev", ResourceName="f")
        expect_error(loose_client.update_backend_storage, "BadRequestException", 400,
                     "Missing required member 'resourceConfig.permissions'", AppId=app, BackendEnvironmentName="dev",
                     ResourceName="f", ResourceConfig={"ServiceName": "S3"})

    def test_not_found_cases(self, client):
        app = create_backend(client)
        other = new_app_id()
        for call, extra in ((client.get_backend_storage, {}),
                            (client.update_backend_storage, {"ResourceConfig": storage_config()}),
                            (client.delete_backend_storage, {"ServiceName": "S3"})):
            expect_error(call, "NotFoundException", 404,
                         f"Storage nope was not found in backend environment dev of app {app}.", "BackendStorage",
                         AppId=app, BackendEnvironmentName="dev", ResourceName="nope", **extra)
            expect_error(call, "NotFoundException", 404, "Backend environment nope was not found", "BackendEnvironment",
                         AppId=app, BackendEnvironmentName="nope", ResourceName="nope", **extra)
            expect_error(call, "NotFoundException", 404, f"App {other} was not found.", "App",
                         AppId=other, BackendEnvironmentName="dev", ResourceName="nope", **extra)
        expect_error(client.create_backend_storage, "NotFoundException", 404, None, "BackendEnvironment",
                     AppId=app, BackendEnvironmentName="nope", ResourceName="f", ResourceConfig=storage_config())
        expect_error(client.import_backend_storage, "NotFoundException", 404, None, "App",
                     AppId=other, BackendEnvironmentName="dev", BucketName="some-bucket", ServiceName="S3")


class TestListS3Buckets:
    def test_lists_the_partitions_created_and_imported_buckets(self, url):
        account = random_account()
        c = make_client(url, key=account)
        assert strip_meta(c.list_s3_buckets()) == {"Buckets": []}
        app = create_backend(c)
        create_backend(c, app_id=app, env="prod")
        created = f"created-{uuid.uuid4().hex[:10]}"
        imported = f"imported-{uuid.uuid4().hex[:10]}"
        before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=5)
        finish(c, app, "dev", c.create_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="s",
                                                       ResourceConfig=storage_config(created)),
               "CreateBackendStorage", members=STORAGE_MEMBERS)
        finish(c, app, "prod", c.import_backend_storage(AppId=app, BackendEnvironmentName="prod", BucketName=imported,
                                                        ServiceName="S3"),
               "ImportBackendStorage", members=STORAGE_MEMBERS)
        after = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=5)
        listing = c.list_s3_buckets()
        assert "NextToken" not in listing
        assert sorted(b["Name"] for b in listing["Buckets"]) == sorted([created, imported])
        for bucket in listing["Buckets"]:
            assert set(bucket) == {"Name", "CreationDate"}
            assert before <= parse_iso(bucket["CreationDate"]) <= after, bucket
        # Other partitions see none of them.
        names = {b["Name"] for b in make_client(url, key=random_account()).list_s3_buckets()["Buckets"]}
        assert not names & {created, imported}
        names = {b["Name"] for b in make_client(url, key=account, region="eu-west-1").list_s3_buckets()["Buckets"]}
        assert not names & {created, imported}

    def test_pages_of_100(self, url):
        c = make_client(url, key=random_account())
        app = new_app_id()
        expected = set()
        for i in range(101):
            env = f"e{i:03d}"
            c.create_backend(AppId=app, AppName="many", BackendEnvironmentName=env)
            bucket = f"page-{i:03d}-{uuid.uuid4().hex[:8]}"
            c.create_backend_storage(AppId=app, BackendEnvironmentName=env, ResourceName="s",
                                     ResourceConfig=storage_config(bucket))
            expected.add(bucket)
        first = c.list_s3_buckets()
        assert len(first["Buckets"]) == 100 and first["NextToken"]
        second = c.list_s3_buckets(NextToken=first["NextToken"])
        assert len(second["Buckets"]) == 1 and "NextToken" not in second
        names = [b["Name"] for b in first["Buckets"] + second["Buckets"]]
        assert len(names) == len(set(names)) and set(names) == expected
        # The token is bound to the partition.
        expect_error(make_client(url, key=random_account()).list_s3_buckets, "BadRequestException", 400,
                     "Invalid 'nextToken'", NextToken=first["NextToken"])

    def test_forged_next_token_is_400(self, client):
        expect_error(client.list_s3_buckets, "BadRequestException", 400,
                     "Invalid 'nextToken': it was not issued by this service for this request.", NextToken="forged")


# =====================================================================================================================
# Jobs: GetBackendJob, ListBackendJobs, UpdateBackendJob, the pending-job rule, job timing
# =====================================================================================================================

@pytest.fixture(scope="module")
def job_history(client):
    """An environment with five jobs, one of them FAILED, accepted in a known order, each in a later millisecond."""
    app = new_app_id()
    accepted = []

    def take(resp, op, members=("AppId", "BackendEnvironmentName", "JobId", "Operation", "Status"), expect="COMPLETED"):
        job = finish(client, app, "dev", resp, op, members=members, expect=expect)
        accepted.append(job)
        # The next job must be accepted in a later millisecond than this one (createTime's unit), so that their order
        # is the order of acceptance: wait until the clock has passed it, however long that takes.
        while time.time() * 1000 <= int(job["CreateTime"]):
            time.sleep(0.001)

    take(client.create_backend(AppId=app, AppName="jobs", BackendEnvironmentName="dev"), "CreateBackend")
    take(client.create_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="a",
                                    ResourceConfig=minimal_auth_config()), "CreateBackendAuth")
    take(client.create_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="bad",
                                   ResourceConfig=api_config(INVALID_SCHEMA)), "CreateBackendAPI", expect="FAILED")
    take(client.create_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="s",
                                       ResourceConfig=storage_config()), "CreateBackendStorage", members=STORAGE_MEMBERS)
    take(client.update_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="a", ResourceConfig={
        "AuthResources": "USER_POOL_ONLY", "Service": "COGNITO", "UserPoolConfigs": {"Mfa": {"MFAMode": "ON"}}}),
        "UpdateBackendAuth")
    return app, accepted


class TestGetBackendJob:
    def test_reports_every_job_field(self, client, job_history):
        app, accepted = job_history
        for job in accepted:
            got = strip_meta(client.get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job["JobId"]))
            assert got == job

    def test_unknown_job_and_wrong_environment_are_404(self, client, job_history):
        app, accepted = job_history
        missing = str(uuid.uuid4())
        expect_error(client.get_backend_job, "NotFoundException", 404,
                     f"Job {missing} was not found for appId: {app} and backendEnvironmentName: dev.", "BackendJob",
                     AppId=app, BackendEnvironmentName="dev", JobId=missing)
        expect_error(client.get_backend_job, "NotFoundException", 404, None, "BackendJob",
                     AppId=app, BackendEnvironmentName="prod", JobId=accepted[0]["JobId"])
        expect_error(client.get_backend_job, "NotFoundException", 404, None, "BackendJob",
                     AppId=new_app_id(), BackendEnvironmentName="dev", JobId=accepted[0]["JobId"])


class TestListBackendJobs:
    def test_all_jobs_oldest_first(self, client, job_history):
        app, accepted = job_history
        listing = client.list_backend_jobs(AppId=app, BackendEnvironmentName="dev")
        assert "NextToken" not in listing
        assert listing["Jobs"] == accepted
        times = [int(j["CreateTime"]) for j in listing["Jobs"]]
        assert times == sorted(times)

    def test_filters_match_exactly_and_combine(self, client, job_history):
        app, accepted = job_history

        def ids(**filters):
            return [j["JobId"] for j in client.list_backend_jobs(AppId=app, BackendEnvironmentName="dev", **filters)["Jobs"]]

        assert ids(Operation="CreateBackendAuth") == [accepted[1]["JobId"]]
        assert ids(Status="FAILED") == [accepted[2]["JobId"]]
        assert ids(Status="COMPLETED") == [j["JobId"] for j in accepted if j["Status"] == "COMPLETED"]
        assert ids(JobId=accepted[3]["JobId"]) == [accepted[3]["JobId"]]
        assert ids(JobId=accepted[3]["JobId"], Status="COMPLETED", Operation="CreateBackendStorage") == [accepted[3]["JobId"]]
        assert ids(Operation="CreateBackendAPI", Status="COMPLETED") == []
        assert ids(JobId=accepted[3]["JobId"], Operation="CreateBackend") == []
        assert ids(JobId=str(uuid.uuid4())) == []
        assert ids(Status="completed") == []  # exact, case-sensitive
        assert ids(Operation="createbackend") == []

    def test_paginator_with_page_size_one_collects_everything(self, client, job_history):
        app, accepted = job_history
        pages = list(client.get_paginator("list_backend_jobs").paginate(
            AppId=app, BackendEnvironmentName="dev", PaginationConfig={"PageSize": 1}))
        assert len(pages) == len(accepted)
        assert [p["Jobs"] for p in pages] == [[j] for j in accepted]
        assert all("NextToken" in p for p in pages[:-1])
        assert "NextToken" not in pages[-1]
        collected = client.get_paginator("list_backend_jobs").paginate(
            AppId=app, BackendEnvironmentName="dev", PaginationConfig={"PageSize": 2}).build_full_result()
        assert collected["Jobs"] == accepted

    def test_paginator_with_filter(self, client, job_history):
        app, accepted = job_history
        pages = list(client.get_paginator("list_backend_jobs").paginate(
            AppId=app, BackendEnvironmentName="dev", Status="COMPLETED", PaginationConfig={"PageSize": 1}))
        assert [p["Jobs"][0]["JobId"] for p in pages] == [j["JobId"] for j in accepted if j["Status"] == "COMPLETED"]

    def test_max_results_pages(self, client, job_history):
        app, accepted = job_history
        first = client.list_backend_jobs(AppId=app, BackendEnvironmentName="dev", MaxResults=3)
        assert first["Jobs"] == accepted[:3] and first["NextToken"]
        second = client.list_backend_jobs(AppId=app, BackendEnvironmentName="dev", MaxResults=3,
                                          NextToken=first["NextToken"])
        assert second["Jobs"] == accepted[3:] and "NextToken" not in second
        exact = client.list_backend_jobs(AppId=app, BackendEnvironmentName="dev", MaxResults=len(accepted))
        assert exact["Jobs"] == accepted and "NextToken" not in exact
        assert client.list_backend_jobs(AppId=app, BackendEnvironmentName="dev", MaxResults=25)["Jobs"] == accepted

    def test_max_results_outside_1_to_25_is_400(self, client, loose_client, job_history):
        app, _ = job_history
        with pytest.raises(ParamValidationError):  # botocore checks the model's minimum itself
            client.list_backend_jobs(AppId=app, BackendEnvironmentName="dev", MaxResults=0)
        for value, text in ((0, "0 is less than the minimum of 1"), (-5, "-5 is less than the minimum of 1"),
                            (26, "26 is greater than the maximum of 25"), (1000, "1000 is greater than the maximum")):
            expect_error(loose_client.list_backend_jobs, "BadRequestException", 400,
                         f"Invalid value for 'maxResults': {text}", AppId=app, BackendEnvironmentName="dev",
                         MaxResults=value)

    def test_forged_tampered_and_foreign_tokens_are_400(self, client, url, job_history):
        app, accepted = job_history
        msg = "Invalid 'nextToken': it was not issued by this service for this request."

        def refused(token, **kwargs):
            args = dict(AppId=app, BackendEnvironmentName="dev", MaxResults=1, NextToken=token)
            args.update(kwargs)
            expect_error(client.list_backend_jobs, "BadRequestException", 400, msg, **args)

        token = client.list_backend_jobs(AppId=app, BackendEnvironmentName="dev", MaxResults=1)["NextToken"]
        refused("forged")
        refused("")
        refused("a.b")
        payload, mac = token.split(".", 1)
        refused(payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + mac)
        refused(payload + "." + mac[::-1])
        refused(token, Status="COMPLETED")           # bound to the filters
        refused(token, Operation="CreateBackend")
        other = create_backend(client, env="dev")
        refused(token, AppId=other)                  # bound to the app
        expect_error(make_client(url, key=random_account()).list_backend_jobs, "NotFoundException", 404, None, "App",
                     AppId=app, BackendEnvironmentName="dev", NextToken=token)
        # The genuine token still works.
        page = client.list_backend_jobs(AppId=app, BackendEnvironmentName="dev", MaxResults=1, NextToken=token)
        assert page["Jobs"] == [accepted[1]]

    def test_token_is_bound_to_the_environment_and_partition(self, url):
        account = random_account()
        c = make_client(url, key=account)
        app = create_backend(c, env="dev")
        create_backend(c, app_id=app, env="prod")
        finish(c, app, "dev", c.create_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="a",
                                                    ResourceConfig=minimal_auth_config()), "CreateBackendAuth")
        finish(c, app, "prod", c.create_backend_auth(AppId=app, BackendEnvironmentName="prod", ResourceName="a",
                                                     ResourceConfig=minimal_auth_config()), "CreateBackendAuth")
        token = c.list_backend_jobs(AppId=app, BackendEnvironmentName="dev", MaxResults=1)["NextToken"]
        expect_error(c.list_backend_jobs, "BadRequestException", 400, "Invalid 'nextToken'",
                     AppId=app, BackendEnvironmentName="prod", MaxResults=1, NextToken=token)
        # Same app id, env and jobs in another account: a token from here is refused there.
        other = make_client(url, key=random_account())
        create_backend(other, app_id=app, env="dev")
        finish(other, app, "dev", other.create_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="a",
                                                            ResourceConfig=minimal_auth_config()), "CreateBackendAuth")
        expect_error(other.list_backend_jobs, "BadRequestException", 400, "Invalid 'nextToken'",
                     AppId=app, BackendEnvironmentName="dev", MaxResults=1, NextToken=token)

    def test_unknown_app_and_environment_are_404(self, client, job_history):
        app, _ = job_history
        expect_error(client.list_backend_jobs, "NotFoundException", 404, "Backend environment prod was not found",
                     "BackendEnvironment", AppId=app, BackendEnvironmentName="prod")
        other = new_app_id()
        expect_error(client.list_backend_jobs, "NotFoundException", 404, f"App {other} was not found.", "App",
                     AppId=other, BackendEnvironmentName="dev")

    def test_wrong_types_are_400(self, loose_client, job_history):
        app, _ = job_history
        expect_error(loose_client.list_backend_jobs, "BadRequestException", 400,
                     "Invalid type for 'maxResults': expected an integer, got a string",
                     AppId=app, BackendEnvironmentName="dev", MaxResults="5")
        expect_error(loose_client.list_backend_jobs, "BadRequestException", 400,
                     "Invalid type for 'status': expected a string, got a number",
                     AppId=app, BackendEnvironmentName="dev", Status=3)


# ---- --jobs manual ----

def create_backend_manual(mclient, app=None, env="dev"):
    """CreateBackend on a manual server, then complete its job by UpdateBackendJob."""
    app = app or new_app_id()
    resp = mclient.create_backend(AppId=app, AppName="m", BackendEnvironmentName=env)
    complete(mclient, app, env, resp["JobId"])
    return app


def complete(mclient, app, env, job_id):
    job = mclient.update_backend_job(AppId=app, BackendEnvironmentName=env, JobId=job_id, Status="COMPLETED")
    assert job["Status"] == "COMPLETED", job
    return job


class TestManualJobs:
    def test_jobs_stay_running_until_updated(self, mclient, manual_server):
        app = new_app_id()
        resp = mclient.create_backend(AppId=app, AppName="m", BackendEnvironmentName="dev")
        job_id = assert_accepted(resp, app, "dev", "CreateBackend")
        # A whole worker pass that began after the job was accepted would have finished it, were it due.
        worker_pass_after(manual_server, MANUAL_OPERATOR_KEY, time.time() * 1000)
        running = mclient.get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job_id)
        assert running["Status"] == "RUNNING" and "Error" not in running
        assert running["CreateTime"] == running["UpdateTime"]
        # The change was written with the job: the environment exists already.
        assert mclient.get_backend(AppId=app)["BackendEnvironmentName"] == "dev"
        assert [j["Status"] for j in mclient.list_backend_jobs(AppId=app, BackendEnvironmentName="dev",
                                                               Status="RUNNING")["Jobs"]] == ["RUNNING"]
        done = mclient.update_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job_id, Status="COMPLETED")
        body = strip_meta(done)
        assert set(body) == {"AppId", "BackendEnvironmentName", "CreateTime", "JobId", "Operation", "Status", "UpdateTime"}
        assert body["Status"] == "COMPLETED" and body["Operation"] == "CreateBackend" and body["JobId"] == job_id
        assert int(body["UpdateTime"]) >= int(body["CreateTime"])
        assert strip_meta(mclient.get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job_id)) == body

    def test_pending_job_blocks_the_environment(self, mclient):
        app = new_app_id()
        resp = mclient.create_backend(AppId=app, AppName="m", BackendEnvironmentName="dev")
        pending = PENDING.format(app=app, env="dev")
        for call, kwargs in (
            (mclient.create_backend_auth, dict(ResourceName="a", ResourceConfig=minimal_auth_config())),
            (mclient.create_backend_api, dict(ResourceName="api", ResourceConfig=api_config())),
            (mclient.create_backend_storage, dict(ResourceName="s", ResourceConfig=storage_config())),
            (mclient.import_backend_storage, dict(BucketName="bucket-abc", ServiceName="S3")),
            (mclient.import_backend_auth, dict(UserPoolId="p", WebClientId="w", NativeClientId="n")),
            (mclient.delete_backend, {}),
            (mclient.clone_backend, dict(TargetEnvironmentName="copy")),
        ):
            r = expect_error(call, "BadRequestException", 400, None, AppId=app, BackendEnvironmentName="dev", **kwargs)
            assert r["Error"]["Message"] == pending
        r = expect_error(mclient.remove_all_backends, "BadRequestException", 400, None, AppId=app)
        assert r["Error"]["Message"] == pending
        r = expect_error(mclient.create_backend_config, "BadRequestException", 400, None, AppId=app)
        assert r["Error"]["Message"] == pending
        # Other environments of the app are not blocked; synchronous operations are not blocked.
        other = mclient.create_backend(AppId=app, AppName="m", BackendEnvironmentName="prod")
        assert other["Status"] == "RUNNING"
        assert mclient.create_token(AppId=app)["AppId"] == app
        complete(mclient, app, "dev", resp["JobId"])
        r = mclient.create_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="a",
                                        ResourceConfig=minimal_auth_config())
        assert r["Status"] == "RUNNING"
        # RemoveAllBackends waits for every environment of the app.
        complete(mclient, app, "dev", r["JobId"])
        r = expect_error(mclient.remove_all_backends, "BadRequestException", 400, None, AppId=app)
        assert r["Error"]["Message"] == PENDING.format(app=app, env="prod")
        complete(mclient, app, "prod", other["JobId"])
        assert mclient.remove_all_backends(AppId=app)["Status"] == "RUNNING"

    def test_clone_runs_on_the_source_and_the_target_appears_at_once(self, mclient):
        app = create_backend_manual(mclient, env="dev")
        resp = mclient.clone_backend(AppId=app, BackendEnvironmentName="dev", TargetEnvironmentName="copy")
        job_id = assert_accepted(resp, app, "dev", "CloneBackend")
        assert mclient.get_backend(AppId=app)["BackendEnvironmentList"] == ["dev", "copy"]
        # The job is on the source: the target takes jobs of its own right away.
        assert mclient.create_backend_auth(AppId=app, BackendEnvironmentName="copy", ResourceName="a",
                                           ResourceConfig=minimal_auth_config())["Status"] == "RUNNING"
        complete(mclient, app, "dev", job_id)

    def test_clone_into_a_name_with_a_pending_job_is_400(self, mclient):
        # CreateBackendConfig on an app without environments runs its job under 'staging', which does not exist.
        app = new_app_id()
        config_job = mclient.create_backend_config(AppId=app)
        assert config_job["BackendEnvironmentName"] == "staging"
        create_backend_manual(mclient, app=app, env="dev")
        r = expect_error(mclient.clone_backend, "BadRequestException", 400, None,
                         AppId=app, BackendEnvironmentName="dev", TargetEnvironmentName="staging")
        assert r["Error"]["Message"] == PENDING.format(app=app, env="staging")
        complete(mclient, app, "staging", config_job["JobId"])
        finished = mclient.clone_backend(AppId=app, BackendEnvironmentName="dev", TargetEnvironmentName="staging")
        complete(mclient, app, "dev", finished["JobId"])

    def test_update_to_failed_records_a_readable_error(self, mclient):
        app = create_backend_manual(mclient)
        resp = mclient.create_backend_storage(AppId=app, BackendEnvironmentName="dev", ResourceName="s",
                                              ResourceConfig=storage_config())
        failed = mclient.update_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=resp["JobId"], Status="FAILED")
        assert failed["Status"] == "FAILED"
        assert failed["Operation"] == "CreateBackendStorage"
        assert failed["Error"] == "The job was marked FAILED by UpdateBackendJob."
        # A failed job no longer blocks the environment.
        assert mclient.create_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="a",
                                           ResourceConfig=minimal_auth_config())["Status"] == "RUNNING"

    def test_update_renames_the_operation(self, mclient):
        app = new_app_id()
        resp = mclient.create_backend(AppId=app, AppName="m", BackendEnvironmentName="dev")
        renamed = mclient.update_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=resp["JobId"],
                                             Operation="SomethingElse")
        assert renamed["Operation"] == "SomethingElse" and renamed["Status"] == "RUNNING"
        listed = mclient.list_backend_jobs(AppId=app, BackendEnvironmentName="dev", Operation="SomethingElse")["Jobs"]
        assert [j["JobId"] for j in listed] == [resp["JobId"]]
        both = mclient.update_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=resp["JobId"],
                                          Operation="CreateBackend", Status="COMPLETED")
        assert both["Operation"] == "CreateBackend" and both["Status"] == "COMPLETED"

    def test_update_to_a_non_terminal_status_is_400(self, mclient):
        app = new_app_id()
        resp = mclient.create_backend(AppId=app, AppName="m", BackendEnvironmentName="dev")
        for status in ("RUNNING", "PENDING", "completed", ""):
            expect_error(mclient.update_backend_job, "BadRequestException", 400,
                         f"Invalid value for 'status': '{status}'. A job can only be set to COMPLETED or FAILED.",
                         AppId=app, BackendEnvironmentName="dev", JobId=resp["JobId"], Status=status)
        job = mclient.get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=resp["JobId"])
        assert job["Status"] == "RUNNING"

    def test_update_unknown_job_is_404(self, mclient):
        app = create_backend_manual(mclient)
        missing = str(uuid.uuid4())
        expect_error(mclient.update_backend_job, "NotFoundException", 404,
                     f"Job {missing} was not found for appId: {app} and backendEnvironmentName: dev.", "BackendJob",
                     AppId=app, BackendEnvironmentName="dev", JobId=missing, Status="COMPLETED")

    def test_invalid_graphql_job_fails_when_finished(self, mclient):
        app = create_backend_manual(mclient)
        resp = mclient.create_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="bad",
                                          ResourceConfig=api_config(INVALID_SCHEMA))
        assert resp["Status"] == "RUNNING"
        job = mclient.update_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=resp["JobId"], Status="COMPLETED")
        assert job["Status"] == "FAILED"
        assert re.search(r"line 3, column 16\b", job["Error"]), job
        expect_error(mclient.get_backend_api, "NotFoundException", 404, None, "BackendAPI",
                     AppId=app, BackendEnvironmentName="dev", ResourceName="bad")


class TestDelayedJobs:
    def test_job_runs_for_the_delay_then_completes(self, dclient):
        app = new_app_id()
        resp = dclient.create_backend(AppId=app, AppName="d", BackendEnvironmentName="dev")
        job_id = assert_accepted(resp, app, "dev", "CreateBackend")
        first = dclient.get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job_id)
        assert first["Status"] == "RUNNING"
        expect_error(dclient.create_backend_auth, "BadRequestException", 400, PENDING.format(app=app, env="dev"),
                     AppId=app, BackendEnvironmentName="dev", ResourceName="a", ResourceConfig=minimal_auth_config())
        job = wait_job(dclient, app, "dev", job_id, timeout=DELAY_MS / 1000 + 10)
        assert job["Status"] == "COMPLETED" and "Error" not in job
        assert int(job["UpdateTime"]) - int(job["CreateTime"]) >= DELAY_MS
        assert dclient.create_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="a",
                                           ResourceConfig=minimal_auth_config())["Status"] == "RUNNING"


# =====================================================================================================================
# Admin UI config: CreateBackendConfig, UpdateBackendConfig, RemoveBackendConfig
# =====================================================================================================================

class TestBackendConfig:
    def test_create_update_remove(self, client):
        app = create_backend(client, env="prod")
        create_backend(client, app_id=app, env="dev")
        resp = client.create_backend_config(AppId=app, BackendManagerAppId="sandbox123")
        finish(client, app, "prod", resp, "CreateBackendConfig", members=STORAGE_MEMBERS)  # the first environment

        stored = client.update_backend_config(AppId=app)  # without a config: answers with the stored one
        assert set(strip_meta(stored)) == {"AppId", "BackendManagerAppId", "LoginAuthConfig"}
        assert stored["AppId"] == app and stored["BackendManagerAppId"] == "sandbox123"
        login = stored["LoginAuthConfig"]
        assert set(login) == {"AwsCognitoIdentityPoolId", "AwsCognitoRegion", "AwsUserPoolsId", "AwsUserPoolsWebClientId"}
        assert login["AwsCognitoRegion"] == "us-east-1"
        assert USER_POOL_ID.match(login["AwsUserPoolsId"]) and IDENTITY_POOL_ID.match(login["AwsCognitoIdentityPoolId"])

        new_login = {"AwsCognitoIdentityPoolId": "us-east-1:aaaa", "AwsCognitoRegion": "eu-west-1",
                     "AwsUserPoolsId": " eu-west-1_Pool ", "AwsUserPoolsWebClientId": "client"}
        updated = client.update_backend_config(AppId=app, LoginAuthConfig=new_login)
        assert strip_meta(updated) == {"AppId": app, "BackendManagerAppId": "sandbox123", "LoginAuthConfig": new_login}
        partial = client.update_backend_config(AppId=app, LoginAuthConfig={"AwsCognitoRegion": "us-west-2"})
        assert partial["LoginAuthConfig"] == {"AwsCognitoRegion": "us-west-2"}  # replaced, not merged
        assert client.update_backend_config(AppId=app)["LoginAuthConfig"] == {"AwsCognitoRegion": "us-west-2"}

        removed = client.remove_backend_config(AppId=app)
        assert strip_meta(removed) == {}
        expect_error(client.remove_backend_config, "NotFoundException", 404,
                     f"The Admin UI is not enabled for app {app}.", "BackendConfig", AppId=app)
        expect_error(client.update_backend_config, "NotFoundException", 404, None, "BackendConfig", AppId=app)

    def test_config_on_an_app_without_backend_runs_under_staging(self, client):
        app = new_app_id()
        resp = client.create_backend_config(AppId=app)
        finish(client, app, "staging", resp, "CreateBackendConfig", members=STORAGE_MEMBERS)
        stored = client.update_backend_config(AppId=app)
        assert "BackendManagerAppId" not in stored
        assert stored["LoginAuthConfig"]["AwsCognitoRegion"] == "us-east-1"

    def test_second_create_keeps_login_and_replaces_manager_app(self, client):
        app = create_backend(client)
        finish(client, app, "dev", client.create_backend_config(AppId=app, BackendManagerAppId="first"),
               "CreateBackendConfig", members=STORAGE_MEMBERS)
        login = client.update_backend_config(AppId=app)["LoginAuthConfig"]
        finish(client, app, "dev", client.create_backend_config(AppId=app, BackendManagerAppId="second"),
               "CreateBackendConfig", members=STORAGE_MEMBERS)
        stored = client.update_backend_config(AppId=app)
        assert stored["BackendManagerAppId"] == "second" and stored["LoginAuthConfig"] == login

    def test_errors(self, client, loose_client):
        app = create_backend(client)
        expect_error(client.update_backend_config, "NotFoundException", 404,
                     f"The Admin UI is not enabled for app {app}.", "BackendConfig", AppId=app)
        expect_error(client.remove_backend_config, "NotFoundException", 404, None, "BackendConfig", AppId=app)
        other = new_app_id()
        expect_error(client.update_backend_config, "NotFoundException", 404, f"App {other} was not found.", "App",
                     AppId=other)
        expect_error(client.remove_backend_config, "NotFoundException", 404, f"App {other} was not found.", "App",
                     AppId=other)
        expect_error(loose_client.create_backend_config, "BadRequestException", 400,
                     "'backendManagerAppId' is 300 characters long", AppId=app, BackendManagerAppId="m" * 300)
        expect_error(loose_client.update_backend_config, "BadRequestException", 400,
                     "Invalid type for 'loginAuthConfig.aws_cognito_region': expected a string",
                     AppId=app, LoginAuthConfig={"AwsCognitoRegion": ["us-east-1"]})


# =====================================================================================================================
# Tokens: CreateToken, GetToken, DeleteToken
# =====================================================================================================================

class TestTokens:
    def test_create_get_delete(self, client):
        app = create_backend(client)
        now = time.time()
        token = client.create_token(AppId=app)
        body = strip_meta(token)
        assert set(body) == {"AppId", "ChallengeCode", "SessionId", "Ttl"}
        assert body["AppId"] == app
        assert re.fullmatch(r"[0-9a-fA-F-]{36}", body["SessionId"]), body
        assert re.fullmatch(r"[0-9a-f]{32,}", body["ChallengeCode"]), body
        assert re.fullmatch(r"[1-9][0-9]{9}", body["Ttl"]), body  # epoch seconds
        assert abs(int(body["Ttl"]) - (now + 600)) <= 30, (body["Ttl"], now)

        assert strip_meta(client.get_token(AppId=app, SessionId=body["SessionId"])) == body
        second = client.create_token(AppId=app)
        assert second["SessionId"] != body["SessionId"] and second["ChallengeCode"] != body["ChallengeCode"]

        deleted = client.delete_token(AppId=app, SessionId=body["SessionId"])
        assert strip_meta(deleted) == {"IsSuccess": True}
        expect_error(client.get_token, "NotFoundException", 404,
                     f"Session {body['SessionId']} was not found for app {app}, or it has expired.", "Token",
                     AppId=app, SessionId=body["SessionId"])
        expect_error(client.delete_token, "NotFoundException", 404, None, "Token", AppId=app, SessionId=body["SessionId"])
        # The other session is untouched.
        assert client.get_token(AppId=app, SessionId=second["SessionId"])["ChallengeCode"] == second["ChallengeCode"]

    def test_token_of_another_app_is_not_found(self, client):
        app, other = create_backend(client), create_backend(client)
        token = client.create_token(AppId=app)
        expect_error(client.get_token, "NotFoundException", 404, None, "Token", AppId=other, SessionId=token["SessionId"])
        expect_error(client.delete_token, "NotFoundException", 404, None, "Token", AppId=other,
                     SessionId=token["SessionId"])

    def test_errors(self, client):
        missing = new_app_id()
        expect_error(client.create_token, "NotFoundException", 404, f"App {missing} was not found.", "App", AppId=missing)
        app = create_backend(client)
        expect_error(client.get_token, "NotFoundException", 404, None, "Token", AppId=app, SessionId=str(uuid.uuid4()))
        expect_error(client.delete_token, "NotFoundException", 404, None, "Token", AppId=app, SessionId="nope")
        expect_error(client.get_token, "BadRequestException", 400, "'sessionId' is 300 characters long",
                     AppId=app, SessionId="s" * 300)

    def test_expired_token_is_not_found(self, dclient):
        app = new_app_id()
        r = dclient.create_backend(AppId=app, AppName="t", BackendEnvironmentName="dev")
        now = time.time()
        token = dclient.create_token(AppId=app)
        assert abs(int(token["Ttl"]) - (now + SHORT_TTL_S)) <= 2, token["Ttl"]
        assert dclient.get_token(AppId=app, SessionId=token["SessionId"])["SessionId"] == token["SessionId"]
        deadline = time.monotonic() + SHORT_TTL_S + 5
        while True:
            try:
                dclient.get_token(AppId=app, SessionId=token["SessionId"])
            except ClientError as e:
                assert e.response["Error"]["Code"] == "NotFoundException" and e.response.get("ResourceType") == "Token"
                break
            assert time.monotonic() < deadline, "the token did not expire"
            time.sleep(0.1)
        assert time.time() >= int(token["Ttl"]) - 1
        expect_error(dclient.delete_token, "NotFoundException", 404, None, "Token", AppId=app,
                     SessionId=token["SessionId"])
        wait_job(dclient, app, "dev", r["JobId"], timeout=15)
