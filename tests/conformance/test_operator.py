"""The operator routes (/_ampstack/...) on real server processes: a snapshot taken from one server and imported into a
fresh one answers every read the same (a running job included), metrics count the requests just made (read with the
Prometheus project's own parser), reset deletes one account's state or all of it, only when it is allowed, and
`ampstack snapshot export|import` moves a store's state into another without a server.

Every server here gets an operator key, so the same tests run in strict and lenient auth."""

import json
import subprocess
import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import (
    AMPSTACK, REPO, STORE, api_config, auth_config, expect_error, fresh_account, make_client, new_app_id,
    postgres_connection_string, raw, storage_config, strip_meta,
)

KEY = "operator-" + uuid.uuid4().hex


def operator(server, method, route, body=None, key=KEY):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return raw(server.url, method, "/_ampstack/" + route, body=body, headers=headers, auth=False)


def start(server_factory, jobs="manual", extra_args=()):
    return server_factory.start(jobs=jobs, extra_args=["--operator-key", KEY, *extra_args])


def finish_manually(client, resp, env=None):
    """Ends a job of a manual-jobs server the way a test harness would: UpdateBackendJob to COMPLETED."""
    job = client.update_backend_job(AppId=resp["AppId"], BackendEnvironmentName=env or resp["BackendEnvironmentName"],
                                    JobId=resp["JobId"], Status="COMPLETED")
    assert job["Status"] == "COMPLETED", job


def build_state(c, other):
    """Two accounts' worth of state: environments, every resource kind, generated models, Admin UI, a token, finished
    jobs, and one job left RUNNING. Returns (app, other_app, session_id, running_job_id)."""
    app = new_app_id("snap")
    for env in ("dev", "prod"):
        finish_manually(c, c.create_backend(AppId=app, AppName="snapshot app", BackendEnvironmentName=env))
    finish_manually(c, c.create_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="auth1",
                                             ResourceConfig=auth_config()))
    finish_manually(c, c.create_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="api1",
                                            ResourceConfig=api_config()))
    finish_manually(c, c.generate_backend_api_models(AppId=app, BackendEnvironmentName="dev", ResourceName="api1"))
    finish_manually(c, c.create_backend_config(AppId=app))
    session = c.create_token(AppId=app)["SessionId"]
    running = c.create_backend_storage(AppId=app, BackendEnvironmentName="prod", ResourceName="files",
                                       ResourceConfig=storage_config(f"snap-{uuid.uuid4().hex[:12]}"))["JobId"]
    other_app = new_app_id("other")
    finish_manually(other, other.create_backend(AppId=other_app, AppName="other", BackendEnvironmentName="dev"))
    return app, other_app, session, running


def reads(c, other, app, other_app, session):
    """Every read of the state build_state made, as the client parsed it."""
    def get(call, **kwargs):
        return strip_meta(call(**kwargs))

    result = {
        "backend": get(c.get_backend, AppId=app),
        "backend-dev": get(c.get_backend, AppId=app, BackendEnvironmentName="dev"),
        "backend-prod": get(c.get_backend, AppId=app, BackendEnvironmentName="prod"),
        "auth": get(c.get_backend_auth, AppId=app, BackendEnvironmentName="dev", ResourceName="auth1"),
        "api": get(c.get_backend_api, AppId=app, BackendEnvironmentName="dev", ResourceName="api1"),
        "models": get(c.get_backend_api_models, AppId=app, BackendEnvironmentName="dev", ResourceName="api1"),
        "storage": get(c.get_backend_storage, AppId=app, BackendEnvironmentName="prod", ResourceName="files"),
        "token": get(c.get_token, AppId=app, SessionId=session),
        "other": get(other.get_backend, AppId=other_app, BackendEnvironmentName="dev"),
        "other-jobs": get(other.list_backend_jobs, AppId=other_app, BackendEnvironmentName="dev"),
    }
    for env in ("dev", "prod"):
        result[f"jobs-{env}"] = get(c.list_backend_jobs, AppId=app, BackendEnvironmentName=env)
    return result


def build_hosting(url, account):
    """An Amplify Hosting app of `account` with settings, tags and a branch, and an environment whose deployment
    artifacts the snapshot must reproduce byte for byte. Returns the app id."""
    hosting = make_client(url, key=account, service="amplify")
    app = hosting.create_app(name="hosted", description="made by CreateApp", platform="WEB_COMPUTE",
                             environmentVariables={"STAGE": "test"}, tags={"team": "snapshots"})["app"]["appId"]
    hosting.create_branch(appId=app, branchName="main", stage="PRODUCTION", tags={"branch": "main"})
    hosting.create_backend_environment(appId=app, environmentName="staging")
    return app


def hosting_reads(url, account, app):
    hosting = make_client(url, key=account, service="amplify")
    s3 = make_client(url, key=account, service="s3")
    environment = strip_meta(hosting.get_backend_environment(appId=app, environmentName="staging"))
    bucket = environment["backendEnvironment"]["deploymentArtifacts"]
    zip_object = s3.get_object(Bucket=bucket, Key="#current-cloud-backend.zip")
    return {
        "app": strip_meta(hosting.get_app(appId=app)),
        "branches": strip_meta(hosting.list_branches(appId=app)),
        "environment": environment,
        "zip": (zip_object["ETag"], zip_object["Body"].read()),
    }


def test_a_snapshot_imported_into_a_fresh_server_answers_every_read_the_same_and_its_running_job_goes_on(server_factory):
    first = start(server_factory)
    account = fresh_account()
    c, other = make_client(first.url), make_client(first.url, key=account)
    app, other_app, session, running = build_state(c, other)
    hosted = build_hosting(first.url, account)
    before = reads(c, other, app, other_app, session)
    hosted_before = hosting_reads(first.url, account, hosted)
    assert hosted_before["app"]["app"]["tags"] == {"team": "snapshots"}, hosted_before
    assert before["models"]["Status"] == "LATEST" and before["models"]["Models"], before["models"]
    assert [j["Status"] for j in before["jobs-prod"]["Jobs"]].count("RUNNING") == 1, before["jobs-prod"]

    exported = operator(first, "GET", "snapshot")
    assert exported.status == 200, exported
    assert exported.headers["content-type"].startswith("application/json")
    snapshot = json.loads(exported.body)
    assert (snapshot["format"], snapshot["version"]) == ("ampstack-snapshot", 1)
    assert len(snapshot["apps"]) == 3 and len(snapshot["models"]) == 1 and len(snapshot["tokens"]) == 1, snapshot

    second = start(server_factory)
    imported = operator(second, "POST", "snapshot", body=exported.body)
    assert imported.status == 200, imported
    assert imported.json()["imported"]["apps"] == 3
    c2, other2 = make_client(second.url), make_client(second.url, key=account)
    assert reads(c2, other2, app, other_app, session) == before
    # Amplify Hosting's settings, tags and branches come along, and so do the deployment artifacts, to the byte.
    assert hosting_reads(second.url, account, hosted) == hosted_before

    # The same snapshot again: the accounts it names are no longer empty there, so nothing is imported twice.
    again = operator(second, "POST", "snapshot", body=exported.body)
    assert again.status == 409, again
    assert account in again.json()["message"] or "000000000000" in again.json()["message"], again

    # The job that was running when the snapshot was taken is a live job on the new server: it can be finished there.
    finish_manually(c2, {"AppId": app, "BackendEnvironmentName": "prod", "JobId": running})
    assert c2.get_backend_job(AppId=app, BackendEnvironmentName="prod", JobId=running)["Status"] == "COMPLETED"
    assert c.get_backend_job(AppId=app, BackendEnvironmentName="prod", JobId=running)["Status"] == "RUNNING"

    # One account's snapshot holds that account's state only.
    only = json.loads(operator(first, "GET", f"snapshot?account={account}").body)
    assert only["account"] == account
    assert sorted(a["appId"] for a in only["apps"]) == sorted([other_app, hosted]), only["apps"]
    assert {j["partition"]["accountId"] for j in only["jobs"]} == {account}


def samples(server):
    """The server's metrics as {(name, frozenset(labels)): value}, read with prometheus_client's parser."""
    resp = operator(server, "GET", "metrics")
    assert resp.status == 200, resp
    assert resp.headers["content-type"].startswith("text/plain; version=0.0.4"), resp.headers
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(resp.body.decode("utf-8")) for s in family.samples}


def test_metrics_count_the_requests_just_made_and_the_jobs_in_the_store(server_factory):
    server = start(server_factory, jobs="immediate")
    c = make_client(server.url)
    before = samples(server)

    def delta(name, after, **labels):
        key = (name, frozenset(labels.items()))
        return after.get(key, 0) - before.get(key, 0)

    apps = [new_app_id("metrics") for _ in range(3)]
    for app in apps:
        c.create_backend(AppId=app, AppName="m", BackendEnvironmentName="dev")
    for _ in range(4):
        expect_error(c.get_backend, "NotFoundException", 404, AppId=new_app_id("missing"), resource_type="App")
    after = samples(server)

    assert delta("ampstack_requests_total", after, operation="CreateBackend", status="200") == 3
    assert delta("ampstack_requests_total", after, operation="GetBackend", status="404") == 4
    assert delta("ampstack_request_duration_seconds_count", after, operation="CreateBackend") == 3
    assert delta("ampstack_request_duration_seconds_bucket", after, operation="GetBackend", le="+Inf") == 4
    assert after[("ampstack_jobs", frozenset({("status", "COMPLETED")}))] >= 3
    assert after[("ampstack_jobs", frozenset({("status", "RUNNING")}))] == 0
    assert after[("ampstack_store_up", frozenset())] == 1
    assert after[("ampstack_store_size_bytes", frozenset())] > 0
    # The operator routes themselves are not AWS requests: scraping does not count.
    assert not any(name == "ampstack_requests_total" and dict(labels).get("operation") == "none"
                   for name, labels in after)


def test_reset_is_refused_unless_allowed_and_deletes_one_account_or_all_when_asked_explicitly(server_factory):
    closed = start(server_factory, jobs="immediate")
    app = new_app_id("keep")
    make_client(closed.url).create_backend(AppId=app, AppName="k", BackendEnvironmentName="dev")
    refused = operator(closed, "POST", "reset")
    assert refused.status == 403, refused
    assert "--allow-reset" in refused.json()["message"]
    assert make_client(closed.url).get_backend(AppId=app)["AppId"] == app

    server = start(server_factory, jobs="immediate", extra_args=["--allow-reset"])
    account = fresh_account()
    c, other = make_client(server.url), make_client(server.url, key=account)
    mine, theirs = new_app_id("mine"), new_app_id("theirs")
    c.create_backend(AppId=mine, AppName="m", BackendEnvironmentName="dev")
    other.create_backend(AppId=theirs, AppName="t", BackendEnvironmentName="dev")

    one = operator(server, "POST", f"reset?account={account}")
    assert (one.status, one.json()) == (200, {"reset": account}), one
    expect_error(other.get_backend, "NotFoundException", 404, AppId=theirs, resource_type="App")
    assert c.get_backend(AppId=mine)["AppId"] == mine

    everything = operator(server, "POST", "reset?all=true")
    assert (everything.status, everything.json()) == (200, {"reset": "all"}), everything
    expect_error(c.get_backend, "NotFoundException", 404, AppId=mine, resource_type="App")
    # The server goes on: the same ids can be created again.
    c.create_backend(AppId=mine, AppName="again", BackendEnvironmentName="dev")
    assert c.get_backend(AppId=mine)["AppName"] == "again"


@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_without_the_operator_key_nothing_is_exported(server_factory, key):
    server = start(server_factory, jobs="immediate")
    resp = operator(server, "GET", "snapshot", key=key)
    assert resp.status == 401, resp
    assert resp.headers["www-authenticate"].startswith("Bearer"), resp.headers
    assert b"apps" not in resp.body


def store_args(data_dir):
    """The options that point `ampstack snapshot` at the store a conformance server on `data_dir` uses."""
    if STORE == "postgres":
        return ["--store", "postgres", "--connection-string", postgres_connection_string(data_dir)]
    return ["--data-dir", str(data_dir)]


def ampstack(*args):
    return subprocess.run([str(AMPSTACK), *args], capture_output=True, text=True, timeout=300, cwd=str(REPO))


def test_the_snapshot_command_moves_a_running_servers_state_into_a_new_store(server_factory, tmp_path):
    first = start(server_factory)
    account = fresh_account()
    c, other = make_client(first.url), make_client(first.url, key=account)
    app, other_app, session, _ = build_state(c, other)
    before = reads(c, other, app, other_app, session)

    # Exported while the server runs on the store: one consistent read beside it.
    file = tmp_path / "state.json"
    exported = ampstack("snapshot", "export", str(file), *store_args(first.data_dir))
    assert exported.returncode == 0, exported.stderr
    assert "Exported 2 apps" in exported.stdout, exported.stdout
    assert json.loads(file.read_text())["apps"] == json.loads(operator(first, "GET", "snapshot").body)["apps"]

    target = server_factory.new_data_dir("imported")
    imported = ampstack("snapshot", "import", str(file), *store_args(target))
    assert imported.returncode == 0, imported.stderr
    refused = ampstack("snapshot", "import", str(file), *store_args(target))
    assert refused.returncode == 6 and "nothing imported" in refused.stderr, (refused.returncode, refused.stderr)

    second = server_factory.start(jobs="manual", data_dir=target, extra_args=["--operator-key", KEY])
    assert reads(make_client(second.url), make_client(second.url, key=account), app, other_app, session) == before

    # An empty or malformed --account (an empty shell variable) exports nothing rather than every account.
    for value in ["", "12345678901"]:
        wide = ampstack("snapshot", "export", str(tmp_path / "wide.json"), "--account", value, *store_args(first.data_dir))
        assert wide.returncode == 2 and "12-digit" in wide.stderr, (value, wide.returncode, wide.stderr)
        assert not (tmp_path / "wide.json").exists()

    (tmp_path / "not.json").write_text('{"format": "something-else"}')
    bad = ampstack("snapshot", "import", str(tmp_path / "not.json"), *store_args(server_factory.new_data_dir("bad")))
    assert bad.returncode == 6 and "Not an Ampstack snapshot" in bad.stderr, (bad.returncode, bad.stderr)


# ---------------------------------------------------------------------------------------------------------------------
# Careless operators: an ambiguous scope changes nothing and exports nothing
# ---------------------------------------------------------------------------------------------------------------------

MALFORMED_SCOPES = [
    "account=",                                   # an empty shell variable
    "account",
    "account=12345678901",                        # 11 digits
    "account=1234567890123",                      # 13 digits
    "account=abcdefghijkl",
    "account=%20%20%20%20%20%20%20%20%20%20%20%20",
    "account=000000000000&account=111111111111",  # repeated
    "acount=000000000000",                        # misspelt: not silently a reset of everything
]


def test_a_malformed_account_is_refused_by_reset_and_export_and_nothing_changes(server_factory):
    server = start(server_factory, jobs="immediate", extra_args=["--allow-reset"])
    account = fresh_account()
    c, other = make_client(server.url), make_client(server.url, key=account)
    mine, theirs = new_app_id("mine"), new_app_id("theirs")
    c.create_backend(AppId=mine, AppName="m", BackendEnvironmentName="dev")
    other.create_backend(AppId=theirs, AppName="t", BackendEnvironmentName="dev")

    for query in MALFORMED_SCOPES:
        reset = operator(server, "POST", f"reset?{query}")
        assert reset.status == 400, (query, reset)
        assert "account" in reset.json()["message"], (query, reset.json())
        exported = operator(server, "GET", f"snapshot?{query}")
        assert exported.status == 400, (query, exported)
        assert b"apps" not in exported.body, query
        assert c.get_backend(AppId=mine)["AppId"] == mine, query
        assert other.get_backend(AppId=theirs)["AppId"] == theirs, query

    # Without a scope, reset says how to ask for one; all=anything-but-true and both at once are refused too.
    for query in ["", "?all=", "?all=1", "?all=true&all=true", f"?all=true&account={account}"]:
        refused = operator(server, "POST", "reset" + query)
        assert refused.status == 400, (query, refused)
    message = operator(server, "POST", "reset").json()["message"]
    assert "account=" in message and "all=true" in message, message
    assert c.get_backend(AppId=mine)["AppId"] == mine
    assert other.get_backend(AppId=theirs)["AppId"] == theirs

    assert operator(server, "POST", "reset?all=true").status == 200
    expect_error(c.get_backend, "NotFoundException", 404, AppId=mine, resource_type="App")
    expect_error(other.get_backend, "NotFoundException", 404, AppId=theirs, resource_type="App")


# ---------------------------------------------------------------------------------------------------------------------
# Hostile pages: cross-origin requests and DNS rebinding
# ---------------------------------------------------------------------------------------------------------------------

def port_of(server):
    return server.url.rsplit(":", 1)[1].rstrip("/")


def test_cross_origin_browser_requests_cannot_reset_or_import_and_same_origin_ones_can(server_factory):
    server = start(server_factory, jobs="immediate", extra_args=["--allow-reset"])
    c = make_client(server.url)
    app = new_app_id("origin")
    c.create_backend(AppId=app, AppName="o", BackendEnvironmentName="dev")
    exported = operator(server, "GET", "snapshot")
    imported_app = new_app_id("smuggled")
    snapshot = json.loads(exported.body)
    for kind in ("environments", "resources", "models", "jobs", "tokens"):
        snapshot[kind] = []
    snapshot["apps"] = [dict(snapshot["apps"][0], appId=imported_app, partition={"accountId": fresh_account(),
                                                                                  "region": "us-east-1"})]

    # What a form or a no-preflight fetch() of another site sends: Origin of that site, text/plain.
    for origin in ["http://evil.example", "null", f"http://evil.example:{port_of(server)}"]:
        hostile = {"Origin": origin, "Content-Type": "text/plain"}
        reset = raw(server.url, "POST", "/_ampstack/reset?all=true", body=b"x",
                    headers={**hostile, "Authorization": f"Bearer {KEY}"}, auth=False)
        assert reset.status == 403, (origin, reset)
        assert "origin" in reset.json()["message"].lower(), reset.json()
        smuggle = raw(server.url, "POST", "/_ampstack/snapshot", body=json.dumps(snapshot),
                      headers={**hostile, "Authorization": f"Bearer {KEY}"}, auth=False)
        assert smuggle.status == 403, (origin, smuggle)
    assert c.get_backend(AppId=app)["AppId"] == app
    assert imported_app not in operator(server, "GET", "snapshot").body.decode()

    # The server's own origin may (a same-origin page), and so may a tool that sends no Origin.
    own = {"Origin": f"http://127.0.0.1:{port_of(server)}", "Authorization": f"Bearer {KEY}"}
    ok = raw(server.url, "POST", "/_ampstack/snapshot", body=json.dumps(snapshot), headers=own, auth=False)
    assert ok.status == 200, ok
    assert imported_app in operator(server, "GET", "snapshot").body.decode()
    assert raw(server.url, "POST", "/_ampstack/reset?all=true", headers=own, auth=False).status == 200
    expect_error(make_client(server.url).get_backend, "NotFoundException", 404, AppId=app, resource_type="App")


def test_a_rebound_host_name_cannot_read_a_snapshot_unless_it_is_allowed(server_factory):
    server = start(server_factory, jobs="immediate", extra_args=["--allowed-hosts", "ampstack.test,Other.Test"])
    c = make_client(server.url)
    c.create_backend(AppId=new_app_id("rebind"), AppName="r", BackendEnvironmentName="dev")
    port = port_of(server)

    def get(route, host):
        return raw(server.url, "GET", "/_ampstack/" + route,
                   headers={"Host": host, "Authorization": f"Bearer {KEY}"}, auth=False)

    for host in [f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}", f"ampstack.test.evil:{port}"]:
        for route in ("snapshot", "health", "metrics"):
            refused = get(route, host)
            assert refused.status == 421, (host, route, refused)
            assert b"apps" not in refused.body and b"ampstack_" not in refused.body
            assert "--allowed-hosts" in refused.json()["message"], refused.json()

    for host in [f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"ampstack.test:{port}", "other.test",
                 f"[::1]:{port}"]:
        allowed = get("snapshot", host)
        assert allowed.status == 200, (host, allowed)
        assert json.loads(allowed.body)["apps"], host


def test_liveness_needs_no_key_and_health_answers_head(server_factory):
    # Strict auth without an operator key closes every operator route, but a load balancer's probe still gets an answer.
    closed = server_factory.start(jobs="immediate")
    if closed.auth == "strict":
        assert raw(closed.url, "GET", "/_ampstack/health", auth=False).status == 403
    for method in ("GET", "HEAD"):
        live = raw(closed.url, method, "/_ampstack/live", auth=False, headers={"Host": "10.0.0.7:80"})
        assert live.status == 200, (method, live)
        assert live.body == (b"" if method == "HEAD" else b'{"status":"live"}'), live

    server = start(server_factory, jobs="immediate")
    assert operator(server, "GET", "live", key=None).status == 200
    assert operator(server, "GET", "health", key=None).status == 401
    head = operator(server, "HEAD", "health")
    assert head.status == 200 and head.body == b"", head
    assert head.headers["content-type"].startswith("application/json"), head.headers
    assert operator(server, "DELETE", "live").status == 405


# ---------------------------------------------------------------------------------------------------------------------
# Snapshots held to the API's own rules and limits
# ---------------------------------------------------------------------------------------------------------------------

def rule_breaking_snapshots(snapshot):
    """(name, document bytes, words the refusal must carry) for snapshots that break one rule each."""
    def changed(change):
        copy = json.loads(json.dumps(snapshot))
        change(copy)
        return json.dumps(copy).encode()

    def long_name(s):
        s["apps"][0]["appName"] = "n" * 170_000          # 170 KB: the API takes 255 characters

    def duplicated_token(s):
        s["tokens"].append(s["tokens"][0])

    def bad_account(s):
        s["apps"][0]["partition"]["accountId"] = "12345678901"

    def bad_session(s):
        s["tokens"][0]["sessionId"] = "not-a-session"

    def nul_in_config(s):
        s["resources"][0]["config"]["smuggled"] = "a\u0000b"

    return [
        ("long name", changed(long_name), "apps[0]: 'appName' is 170000 characters long; the limit is 255"),
        ("duplicated token", changed(duplicated_token), "is in the snapshot twice"),
        ("bad account", changed(bad_account), "'partition.accountId' must be a 12-digit AWS account id"),
        ("bad session id", changed(bad_session), "'sessionId' must be a UUID"),
        ("NUL in a configuration", changed(nul_in_config), "must not contain the NUL character"),
        ("malformed JSON", json.dumps(snapshot).encode()[:-40], "Not an Ampstack snapshot"),
    ]


def test_snapshots_that_break_the_apis_rules_are_refused_with_the_rule_by_the_route_and_the_command(server_factory, tmp_path):
    first = start(server_factory)
    account = fresh_account()
    c, other = make_client(first.url), make_client(first.url, key=account)
    app, other_app, session, _ = build_state(c, other)
    # Whatever the API lets a client store round-trips: UpdateBackendJob takes any operation name of up to 255
    # characters, tabs too.
    job = c.list_backend_jobs(AppId=app, BackendEnvironmentName="dev")["Jobs"][0]["JobId"]
    c.update_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job, Operation="renamed\t" + "o" * 247)
    good = operator(first, "GET", "snapshot").body
    snapshot = json.loads(good)
    assert snapshot["tokens"] and snapshot["resources"], snapshot

    target = start(server_factory)
    for name, body, words in rule_breaking_snapshots(snapshot):
        refused = operator(target, "POST", "snapshot", body=body)
        assert refused.status == 400, (name, refused)
        message = refused.json()["message"]
        assert words in message, (name, message)
        assert "SQL" not in message and "constraint" not in message.lower(), (name, message)
        assert len(message) < 2000, (name, len(message))
        assert json.loads(operator(target, "GET", "snapshot").body)["apps"] == [], name

    # Over the route's bound (64 MiB): refused before it is held, and the server goes on.
    huge = json.loads(good)
    huge["apps"][0]["appName"] = "n" * (65 * 1024 * 1024)
    too_big = operator(target, "POST", "snapshot", body=json.dumps(huge).encode())
    del huge
    assert too_big.status == 413, too_big
    assert json.loads(operator(target, "GET", "snapshot").body)["apps"] == []

    # Over the route's record bound (20,000, one transaction other writers wait for): 413, naming the command instead.
    many = json.loads(good)
    many["tokens"] = [dict(many["tokens"][0], sessionId=str(uuid.uuid4())) for _ in range(20_001)]
    too_many = operator(target, "POST", "snapshot", body=json.dumps(many).encode())
    assert too_many.status == 413, too_many
    assert "ampstack snapshot import" in too_many.json()["message"], too_many.json()
    assert json.loads(operator(target, "GET", "snapshot").body)["apps"] == []

    # Nothing of the refused ones got in: the good snapshot still imports whole, and reads as it did.
    assert operator(target, "POST", "snapshot", body=good).status == 200
    assert make_client(target.url).get_token(AppId=app, SessionId=session)["SessionId"] == session
    assert make_client(target.url).get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job)[
        "Operation"] == "renamed\t" + "o" * 247

    # The command: every refusal is exit 6 with one line naming the rule, never a crash; the store stays empty.
    store = server_factory.new_data_dir("cli")
    for name, body, words in rule_breaking_snapshots(snapshot):
        file = tmp_path / "bad.json"
        file.write_bytes(body)
        result = ampstack("snapshot", "import", str(file), *store_args(store))
        assert result.returncode == 6, (name, result.returncode, result.stderr[-2000:])
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("ampstack snapshot: nothing imported:"), (name, result.stderr[-2000:])
        assert words in lines[0], (name, lines[0])
    (tmp_path / "good.json").write_bytes(good)
    imported = ampstack("snapshot", "import", str(tmp_path / "good.json"), *store_args(store))
    assert imported.returncode == 0, imported.stderr


def resident_bytes(server):
    with open(f"/proc/{server.pid}/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))


def test_refused_large_imports_do_not_leave_the_server_larger_each_time(server_factory):
    server = start(server_factory, jobs="immediate")
    c = make_client(server.url)
    app = new_app_id("memory")
    c.create_backend(AppId=app, AppName="m", BackendEnvironmentName="dev")
    snapshot = json.loads(operator(server, "GET", "snapshot").body)
    snapshot["apps"][0]["appName"] = "n" * (60 * 1024 * 1024)   # under the route's 64 MiB, far over the API's 255
    body = json.dumps(snapshot).encode()
    del snapshot
    for _ in range(5):
        refused = operator(server, "POST", "snapshot", body=body)
        assert refused.status == 400, refused
        assert "'appName' is 62914560 characters long" in refused.json()["message"]
    # Each import's document and strings are garbage once answered: the process does not keep five of them (it kept
    # about 1 GB after six before the buffers were its own and the heap was given back after an import).
    assert resident_bytes(server) < 640 * 1024 * 1024, resident_bytes(server)
    assert c.get_backend(AppId=app)["AppName"] == "m"
