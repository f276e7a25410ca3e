"""Amplify Hosting (`amplify`, rest-json) on the Admin API's port, driven by boto3 (issue 21): every operation served,
its errors, ListApps paging over both kinds of app, and how Hosting and the Admin API share apps and environments."""

import json
import re
import urllib.parse
import uuid

import pytest

from conftest import create_backend, expect_error, finish, make_client, meta_of, new_app_id
from family import APP_ID, assert_json_error, client, deployment, error_of, send

SERVED = {"CreateApp", "GetApp", "ListApps", "UpdateApp", "DeleteApp", "CreateBackendEnvironment", "GetBackendEnvironment",
          "ListBackendEnvironments", "DeleteBackendEnvironment", "CreateBranch", "GetBranch", "ListBranches", "UpdateBranch",
          "DeleteBranch", "TagResource", "UntagResource", "ListTagsForResource"}


@pytest.fixture(scope="module")
def amplify(url):
    return client(url, "amplify")


@pytest.fixture(scope="module")
def admin(url):
    return make_client(url)


def new_app(amplify, **kwargs):
    return amplify.create_app(name=kwargs.pop("name", f"app-{uuid.uuid4().hex[:8]}"), **kwargs)["app"]


def test_create_get_update_delete_app(amplify):
    made = new_app(amplify, name="web", description="a site", repository="https://example.com/r.git", platform="WEB",
                   environmentVariables={"A": "1"}, tags={"team": "x"}, enableBranchAutoBuild=True)
    assert APP_ID.match(made["appId"]), made["appId"]
    assert made["appArn"] == f"arn:aws:amplify:us-east-1:{account_of(amplify)}:apps/{made['appId']}"
    assert made["name"] == "web" and made["description"] == "a site" and made["platform"] == "WEB"
    assert made["environmentVariables"] == {"A": "1"} and made["tags"] == {"team": "x"}
    assert made["enableBranchAutoBuild"] is True and made["defaultDomain"]
    got = amplify.get_app(appId=made["appId"])["app"]
    assert got == made
    updated = amplify.update_app(appId=made["appId"], name="web2", description="changed")["app"]
    assert updated["name"] == "web2" and updated["description"] == "changed"
    assert updated["environmentVariables"] == {"A": "1"} and updated["tags"] == {"team": "x"}
    assert updated["createTime"] == made["createTime"] and updated["updateTime"] >= made["updateTime"]
    assert amplify.get_app(appId=made["appId"])["app"]["name"] == "web2"
    deleted = amplify.delete_app(appId=made["appId"])["app"]
    assert deleted["appId"] == made["appId"] and deleted["name"] == "web2"
    code, status, message, resp = error_of(amplify.get_app, appId=made["appId"])
    assert (code, status) == ("NotFoundException", 404), resp
    assert made["appId"] in message


def account_of(amplify):
    return "000000000000"  # the `test` key's account in both auth modes


def test_unknown_app_branch_env_are_404(amplify):
    app = new_app(amplify)["appId"]
    for call, kwargs in [
        (amplify.get_app, {"appId": "dnosuchapp00000"}),
        (amplify.update_app, {"appId": "dnosuchapp00000", "name": "x"}),
        (amplify.delete_app, {"appId": "dnosuchapp00000"}),
        (amplify.get_branch, {"appId": app, "branchName": "nope"}),
        (amplify.update_branch, {"appId": app, "branchName": "nope", "description": "x"}),
        (amplify.delete_branch, {"appId": app, "branchName": "nope"}),
        (amplify.get_backend_environment, {"appId": app, "environmentName": "nope"}),
        (amplify.delete_backend_environment, {"appId": app, "environmentName": "nope"}),
        (amplify.create_branch, {"appId": "dnosuchapp00000", "branchName": "main"}),
        (amplify.create_backend_environment, {"appId": "dnosuchapp00000", "environmentName": "dev"}),
        (amplify.list_branches, {"appId": "dnosuchapp00000"}),
    ]:
        code, status, message, resp = error_of(call, **kwargs)
        assert (code, status) == ("NotFoundException", 404), (call.__name__, resp)
        assert message, resp


def test_duplicate_branch_and_env_are_400(amplify):
    app = new_app(amplify)["appId"]
    amplify.create_branch(appId=app, branchName="main")
    code, status, message, _ = error_of(amplify.create_branch, appId=app, branchName="main")
    assert (code, status) == ("BadRequestException", 400) and "main" in message
    amplify.create_backend_environment(appId=app, environmentName="dev")
    code, status, message, _ = error_of(amplify.create_backend_environment, appId=app, environmentName="dev")
    assert (code, status) == ("BadRequestException", 400) and "dev" in message


@pytest.mark.parametrize("operation", ["StartJob", "CreateDomainAssociation", "ListWebhooks", "CreateDeployment",
                                       "GenerateAccessLogs", "ListJobs"])
def test_unsupported_operations_are_refused_by_name(amplify, operation):
    model = amplify.meta.service_model.operation_model(operation)
    app = new_app(amplify)["appId"]
    params = {}
    for name, shape in model.input_shape.members.items():
        if name in model.input_shape.required_members:
            params[name] = {"appId": app, "branchName": "main", "domainName": "example.com", "jobType": "RELEASE",
                            "subDomainSettings": [{"prefix": "www", "branchName": "main"}]}.get(name, "x")
    code, status, message, resp = error_of(getattr(amplify, _snake(operation)), **params)
    assert (code, status) == ("BadRequestException", 400), resp
    assert operation in message and "not supported" in message, message


def _snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _minimal(shape):
    """A value of `shape` with every required member, recursively (what the wire layer's parser needs to get past)."""
    kind = shape.type_name
    if getattr(shape, "enum", None):
        return shape.enum[0]
    if kind == "structure":
        return {name: _minimal(shape.members[name]) for name in shape.required_members}
    return {"string": "dx1", "integer": 1, "long": 1, "boolean": False, "list": [], "map": {}, "blob": b"x",
            "timestamp": 0}.get(kind, "x")


def test_every_model_operation_is_served_or_refused(amplify, url):
    """Every operation of the model is either served or refused with BadRequestException naming it (never a 404 route
    miss or a 5xx)."""
    loose = client(url, "amplify", validate=False)
    model = amplify.meta.service_model
    assert SERVED <= set(model.operation_names)
    for operation in sorted(set(model.operation_names) - SERVED):
        code, status, message, resp = error_of(getattr(loose, _snake(operation)),
                                               **_minimal(model.operation_model(operation).input_shape))
        assert (code, status) == ("BadRequestException", 400), (operation, resp)
        assert operation in message and "not supported" in message, (operation, message)


def test_branches(amplify):
    app = new_app(amplify)
    app_id = app["appId"]
    made = amplify.create_branch(appId=app_id, branchName="main", description="prod", stage="PRODUCTION",
                                 framework="React", environmentVariables={"X": "y"}, tags={"k": "v"})["branch"]
    assert made["branchArn"] == f"{app['appArn']}/branches/main"
    assert made["branchName"] == "main" and made["stage"] == "PRODUCTION" and made["framework"] == "React"
    assert made["tags"] == {"k": "v"} and made["environmentVariables"] == {"X": "y"}
    assert amplify.get_branch(appId=app_id, branchName="main")["branch"] == made
    amplify.create_branch(appId=app_id, branchName="dev")
    names = [b["branchName"] for b in amplify.list_branches(appId=app_id)["branches"]]
    assert sorted(names) == ["dev", "main"]
    page = amplify.list_branches(appId=app_id, maxResults=1)
    assert len(page["branches"]) == 1 and page["nextToken"]
    rest = amplify.list_branches(appId=app_id, maxResults=1, nextToken=page["nextToken"])
    assert len(rest["branches"]) == 1 and "nextToken" not in rest
    assert {page["branches"][0]["branchName"], rest["branches"][0]["branchName"]} == {"dev", "main"}
    updated = amplify.update_branch(appId=app_id, branchName="main", description="changed", enableAutoBuild=False)["branch"]
    assert updated["description"] == "changed" and updated["enableAutoBuild"] is False
    assert updated["stage"] == "PRODUCTION" and updated["createTime"] == made["createTime"]
    assert amplify.delete_branch(appId=app_id, branchName="dev")["branch"]["branchName"] == "dev"
    assert [b["branchName"] for b in amplify.list_branches(appId=app_id)["branches"]] == ["main"]


def test_a_branch_past_the_apps_limit_is_the_models_429(amplify):
    # Amplify Hosting allows 50 branches an app; CreateBranch's model names LimitExceededException (HTTP 429) for more.
    app = new_app(amplify)["appId"]
    for i in range(50):
        amplify.create_branch(appId=app, branchName=f"b{i}")
    with pytest.raises(amplify.exceptions.LimitExceededException) as refused:
        amplify.create_branch(appId=app, branchName="b50")
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert "50 branches" in refused.value.response["Error"]["Message"]
    assert len(amplify.list_branches(appId=app, maxResults=50)["branches"]) == 50


def test_branch_with_a_slash(amplify):
    """Branch names like feature/login are common in Amplify Hosting: the label and the ARN carry the slash."""
    app_id = new_app(amplify)["appId"]
    made = amplify.create_branch(appId=app_id, branchName="feature/login")["branch"]
    assert made["branchName"] == "feature/login"
    assert amplify.get_branch(appId=app_id, branchName="feature/login")["branch"]["branchName"] == "feature/login"
    amplify.tag_resource(resourceArn=made["branchArn"], tags={"a": "b"})
    assert amplify.list_tags_for_resource(resourceArn=made["branchArn"])["tags"] == {"a": "b"}
    amplify.delete_branch(appId=app_id, branchName="feature/login")


def test_tags_on_app_and_branch(amplify):
    app = new_app(amplify, tags={"a": "1"})
    arn = app["appArn"]
    assert amplify.list_tags_for_resource(resourceArn=arn)["tags"] == {"a": "1"}
    amplify.tag_resource(resourceArn=arn, tags={"b": "2", "a": "3"})
    assert amplify.list_tags_for_resource(resourceArn=arn)["tags"] == {"a": "3", "b": "2"}
    amplify.untag_resource(resourceArn=arn, tagKeys=["a", "missing"])
    assert amplify.list_tags_for_resource(resourceArn=arn)["tags"] == {"b": "2"}
    assert amplify.get_app(appId=app["appId"])["app"]["tags"] == {"b": "2"}
    branch = amplify.create_branch(appId=app["appId"], branchName="main")["branch"]
    amplify.tag_resource(resourceArn=branch["branchArn"], tags={"env": "prod"})
    assert amplify.list_tags_for_resource(resourceArn=branch["branchArn"])["tags"] == {"env": "prod"}
    assert amplify.get_branch(appId=app["appId"], branchName="main")["branch"]["tags"] == {"env": "prod"}
    assert amplify.list_tags_for_resource(resourceArn=arn)["tags"] == {"b": "2"}  # the app's are its own


def test_tags_of_unknown_or_bad_arns(amplify):
    """The tag operations' model names ResourceNotFoundException (404) for a resource that does not exist."""
    missing = "arn:aws:amplify:us-east-1:000000000000:apps/dnosuchapp00000"
    for call, kwargs in [(amplify.list_tags_for_resource, {"resourceArn": missing}),
                         (amplify.tag_resource, {"resourceArn": missing, "tags": {"a": "b"}}),
                         (amplify.untag_resource, {"resourceArn": missing, "tagKeys": ["a"]}),
                         (amplify.list_tags_for_resource, {"resourceArn": missing + "/branches/none"})]:
        code, status, _, resp = error_of(call, **kwargs)
        assert (code, status) == ("ResourceNotFoundException", 404), (call.__name__, resp)
    for bad in ["arn:aws:amplify:us-east-1:000000000000:nothing", "arn:aws:amplify:eu-west-1:000000000000:apps/d1",
                "arn:aws:amplify:us-east-1:999999999999:apps/d1"]:
        code, status, _, resp = error_of(amplify.list_tags_for_resource, resourceArn=bad)
        assert status in (400, 404) and code in ("BadRequestException", "ResourceNotFoundException"), resp


def test_list_apps_pages_both_kinds(amplify, admin, url):
    key = fresh_key()
    hosting = client(url, "amplify", key=key)
    backend = make_client(url, key=key)
    made = sorted(new_app(hosting)["appId"] for _ in range(3))
    backend_ids = [create_backend(backend, app_id=new_app_id("d")) for _ in range(2)]
    seen, token, pages = [], None, 0
    while True:
        kwargs = {"maxResults": 2}
        if token:
            kwargs["nextToken"] = token
        page = hosting.list_apps(**kwargs)
        pages += 1
        assert len(page["apps"]) <= 2
        seen += [a["appId"] for a in page["apps"]]
        token = page.get("nextToken")
        if not token:
            break
        assert pages < 10
    assert sorted(seen) == sorted(made + backend_ids) and len(seen) == len(set(seen))
    assert pages == 3
    by_id = {a["appId"]: a for a in hosting.list_apps()["apps"]}
    for app_id in backend_ids:
        assert by_id[app_id]["name"] == f"name-{app_id}"
    assert all(APP_ID.match(a) for a in made)
    code, status, _, _ = error_of(hosting.list_apps, nextToken="not a token!")
    assert (code, status) == ("BadRequestException", 400)


def fresh_key():
    from conftest import fresh_account
    return fresh_account()


def test_create_backend_on_a_create_app_app(amplify, admin):
    app = new_app(amplify, name="hosted")
    finish(admin, app["appId"], "dev", admin.create_backend(AppId=app["appId"], AppName="other-name",
                                                          BackendEnvironmentName="dev"), "CreateBackend")
    assert amplify.get_app(appId=app["appId"])["app"]["name"] == "hosted"
    envs = amplify.list_backend_environments(appId=app["appId"])["backendEnvironments"]
    assert [e["environmentName"] for e in envs] == ["dev"]
    assert admin.get_backend(AppId=app["appId"], BackendEnvironmentName="dev")["AppName"] == "hosted"


def test_backend_environment_matches_get_backend(amplify, admin):
    app_id = create_backend(admin, app_id=new_app_id("d"))
    env = amplify.get_backend_environment(appId=app_id, environmentName="dev")["backendEnvironment"]
    stack, bucket, _ = deployment(admin, app_id)
    assert env["stackName"] == stack and env["deploymentArtifacts"] == bucket
    assert env["backendEnvironmentArn"].endswith(f":apps/{app_id}/backendenvironments/dev")
    # And one made by Hosting reads the same through the Admin API.
    amplify.create_backend_environment(appId=app_id, environmentName="prod")
    made = amplify.get_backend_environment(appId=app_id, environmentName="prod")["backendEnvironment"]
    stack, bucket, _ = deployment(admin, app_id, "prod")
    assert made["stackName"] == stack and made["deploymentArtifacts"] == bucket
    listed = amplify.list_backend_environments(appId=app_id)["backendEnvironments"]
    assert [e["environmentName"] for e in listed] == ["dev", "prod"]
    only = amplify.list_backend_environments(appId=app_id, environmentName="prod")["backendEnvironments"]
    assert [e["environmentName"] for e in only] == ["prod"]
    page = amplify.list_backend_environments(appId=app_id, maxResults=1)
    assert len(page["backendEnvironments"]) == 1 and page["nextToken"]
    deleted = amplify.delete_backend_environment(appId=app_id, environmentName="prod")["backendEnvironment"]
    assert deleted["environmentName"] == "prod"
    expect_error(admin.get_backend, "NotFoundException", 404, AppId=app_id, BackendEnvironmentName="prod",
                 resource_type="BackendEnvironment")


def test_delete_app_removes_its_backend(amplify, admin):
    app_id = create_backend(admin, app_id=new_app_id("d"))
    amplify.delete_app(appId=app_id)
    code, status, _, _ = error_of(admin.get_backend, AppId=app_id, BackendEnvironmentName="dev")
    assert (code, status) == ("NotFoundException", 404)
    code, status, _, _ = error_of(admin.get_backend, AppId=app_id)
    assert (code, status) == ("NotFoundException", 404)
    assert app_id not in [a["appId"] for a in amplify.list_apps()["apps"]]


def test_delete_app_waits_for_its_pending_job(manual_server, mclient):
    """A job still running on the app (a manual-jobs server) keeps DeleteApp from pulling the app from under it."""
    amplify = client(manual_server.url, "amplify")
    app_id = new_app_id("pending")
    job = mclient.create_backend(AppId=app_id, AppName="pending", BackendEnvironmentName="dev")
    code, status, message, _ = error_of(amplify.delete_app, appId=app_id)
    assert (code, status) == ("BadRequestException", 400)
    assert "There is already a pending job" in message, message
    mclient.update_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=job["JobId"], Status="COMPLETED")
    amplify.delete_app(appId=app_id)
    assert app_id not in [a["appId"] for a in amplify.list_apps()["apps"]]


def test_bad_input_is_400(amplify, url):
    loose = client(url, "amplify", validate=False)
    code, status, _, _ = error_of(loose.create_app, name="")
    assert (code, status) == ("BadRequestException", 400)
    app_id = new_app(amplify)["appId"]
    code, status, _, _ = error_of(loose.create_branch, appId=app_id, branchName="")
    assert (code, status) in (("BadRequestException", 400), ("NotFoundException", 404))
    # The model allows maxResults 0: it is read as no limit given (a page of 0 would never advance its token).
    everything = loose.list_apps()["apps"]
    assert loose.list_apps(maxResults=0)["apps"] == everything
    assert loose.list_branches(appId=app_id, maxResults=0)["branches"] == []
    assert "nextToken" not in loose.list_backend_environments(appId=app_id, maxResults=0)
    code, status, _, _ = error_of(loose.list_apps, maxResults=101)
    assert (code, status) == ("BadRequestException", 400)


def test_raw_error_shape(url):
    resp = send(url, "amplify", "GET", "/apps/dnosuchapp00000")
    assert_json_error(resp, 404, "NotFoundException")
    resp = send(url, "amplify", "POST", "/apps", "{not json", {"Content-Type": "application/json"})
    assert_json_error(resp, 400, "BadRequestException")
    resp = send(url, "amplify", "POST", "/apps/dnosuchapp00000/branches/b/jobs", json.dumps({"jobType": "RELEASE"}),
                {"Content-Type": "application/json"}, )
    assert_json_error(resp, 400, "BadRequestException", "not supported")
    resp = send(url, "amplify", "GET", "/tags/" + urllib.parse.quote("arn:aws:amplify:us-east-1:000000000000:apps/dx", safe=""))
    assert resp.status in (400, 404), resp
