"""Several Ampstack nodes on one PostgreSQL database: every node answers every request, a nextToken from one pages on
another, a race between nodes is decided by the database, and a job accepted by a node that dies is finished by
another. Process-level (the first pytest run only); needs the PostgreSQL server AMPSTACK_TEST_POSTGRES names."""

import json
import os
import threading
import time
import uuid

import pytest
from botocore.exceptions import ClientError

import family
from conftest import (create_backend, make_client, meta_of, minimal_auth_config, new_app_id, postgres_connection_string,
                      wait_job)

pytestmark = [
    pytest.mark.skipif(os.environ.get("AMPSTACK_CONFORMANCE_SKIP_PROCESS") == "1", reason="process-level tests: first run only"),
]


@pytest.fixture
def database(tmp_path):
    if not os.environ.get("AMPSTACK_TEST_POSTGRES"):
        if os.environ.get("CI"):
            pytest.fail("AMPSTACK_TEST_POSTGRES is not set: ./test starts a PostgreSQL server for these tests")
        pytest.skip("no PostgreSQL server (AMPSTACK_TEST_POSTGRES)")
    return postgres_connection_string(tmp_path / f"nodes-{uuid.uuid4().hex[:8]}")


def start_nodes(server_factory, database, count=2, jobs="immediate", lease=None):
    lease_args = ["--job-lease", lease] if lease else []
    return [server_factory.start(jobs=jobs, extra_args=["--store", "postgres", "--connection-string", database, *lease_args])
            for _ in range(count)]


def test_every_node_answers_every_request(server_factory, database):
    a, b = (make_client(node.url) for node in start_nodes(server_factory, database))
    app = create_backend(a, env="dev")
    assert b.get_backend(AppId=app)["BackendEnvironmentList"] == ["dev"]
    b.create_backend(AppId=app, AppName=app, BackendEnvironmentName="two")
    a.create_backend(AppId=app, AppName=app, BackendEnvironmentName="three")
    assert a.get_backend(AppId=app)["BackendEnvironmentList"] == ["dev", "two", "three"]
    assert b.get_backend(AppId=app)["BackendEnvironmentList"] == ["dev", "two", "three"]
    token = b.create_token(AppId=app)
    assert a.get_token(AppId=app, SessionId=token["SessionId"])["ChallengeCode"] == token["ChallengeCode"]


def test_a_change_through_one_node_is_in_the_next_answer_of_another(server_factory, database):
    # Each node keeps GetBackend's answer, the deployment artifacts, jobs and pages of jobs while the app's revision
    # stays: a write through the other node must show in each.
    nodes = start_nodes(server_factory, database)
    a, b = (make_client(node.url) for node in nodes)
    s3 = family.client(nodes[1].url, "s3")
    app = create_backend(a, env="dev")
    bucket = meta_of(b, app, "dev")["providers"]["awscloudformation"]["DeploymentBucketName"]

    def deployed_auth():
        return list(json.loads(s3.get_object(Bucket=bucket, Key="amplify-meta.json")["Body"].read())["auth"])

    def listed():
        return [(j["Operation"], j["Status"]) for j in b.list_backend_jobs(AppId=app, BackendEnvironmentName="dev")["Jobs"]]

    assert meta_of(b, app, "dev")["auth"] == {} and meta_of(b, app)["auth"] == {} and deployed_auth() == []
    assert listed() == [("CreateBackend", "COMPLETED")]
    job = a.create_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="pool",
                                ResourceConfig=minimal_auth_config())["JobId"]
    assert wait_job(a, app, "dev", job)["Status"] == "COMPLETED"
    assert listed() == [("CreateBackend", "COMPLETED"), ("CreateBackendAuth", "COMPLETED")]
    assert list(meta_of(b, app, "dev")["auth"]) == ["pool"] and list(meta_of(b, app)["auth"]) == ["pool"]
    assert deployed_auth() == ["pool"]
    assert b.get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job)["Operation"] == "CreateBackendAuth"
    a.update_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job, Operation="Renamed")
    assert b.get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job)["Operation"] == "Renamed"
    a.delete_backend_auth(AppId=app, BackendEnvironmentName="dev", ResourceName="pool")
    assert meta_of(b, app, "dev")["auth"] == {} and deployed_auth() == []


def test_a_next_token_from_one_node_pages_on_another(server_factory, database):
    a, b = (make_client(node.url) for node in start_nodes(server_factory, database))
    app = create_backend(a, env="dev")
    for _ in range(4):
        a.create_backend_config(AppId=app)  # a job on the app's first environment each time
    every = a.list_backend_jobs(AppId=app, BackendEnvironmentName="dev")["Jobs"]
    assert len(every) == 5
    page = a.list_backend_jobs(AppId=app, BackendEnvironmentName="dev", MaxResults=2)
    rest = b.list_backend_jobs(AppId=app, BackendEnvironmentName="dev", NextToken=page["NextToken"])["Jobs"]
    assert [j["JobId"] for j in page["Jobs"] + rest] == [j["JobId"] for j in every]


def test_concurrent_creates_of_one_environment_through_two_nodes_end_with_one_success(server_factory, database):
    nodes = start_nodes(server_factory, database)
    clients = [make_client(node.url) for node in nodes]
    for round_ in range(5):
        app = new_app_id(f"race{round_}")
        create_backend(clients[0], app_id=app, env="base")
        barrier = threading.Barrier(2)
        outcomes = [None, None]

        def create(i):
            barrier.wait()
            try:
                clients[i].create_backend(AppId=app, AppName=app, BackendEnvironmentName="shared")
                outcomes[i] = "ok"
            except ClientError as e:
                outcomes[i] = (e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])

        threads = [threading.Thread(target=create, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(map(str, outcomes)) == sorted(["ok", str(("BadRequestException", 400))]), outcomes
        assert clients[1].get_backend(AppId=app)["BackendEnvironmentList"] == ["base", "shared"]
    for node in nodes:
        assert not node.unhandled_failures(), node.unhandled_failures()


def test_jobs_of_a_node_killed_mid_job_are_finished_by_another_once_its_lease_expires(server_factory, database):
    delay_s, lease_s = 3, 2
    a_node, b_node = start_nodes(server_factory, database, jobs=f"delay:{delay_s}s", lease=f"{lease_s}s")
    a, b = make_client(a_node.url), make_client(b_node.url)
    apps = [new_app_id("orphan") for _ in range(6)]
    jobs = {app: a.create_backend(AppId=app, AppName=app, BackendEnvironmentName="dev")["JobId"] for app in apps}
    assert all(b.get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job)["Status"] == "RUNNING"
               for app, job in jobs.items())
    # Node A holds a lease on each job it accepted: until the job is due, plus the lease.
    a_node.kill9()
    killed = time.monotonic()

    pending = dict(jobs)
    deadline = killed + 120
    while pending:
        assert time.monotonic() < deadline, f"jobs never finished after the kill: {pending}"
        for app, job in list(pending.items()):
            status = b.get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job)["Status"]
            if status != "RUNNING":
                assert status == "COMPLETED", status
                del pending[app]
        time.sleep(0.1)
    finished_all = time.monotonic() - killed

    # B never takes a job while A's lease on it lasts: each finished at least the delay plus the lease after it began.
    late = []
    for app, job in jobs.items():
        ended = b.get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job)
        ran_ms = int(ended["UpdateTime"]) - int(ended["CreateTime"])
        assert ran_ms >= (delay_s + lease_s) * 1000, ended
        late.append(ran_ms - (delay_s + lease_s) * 1000)
    print(f"\nnodes: {len(jobs)} jobs of the killed node finished by the other, the last {finished_all:.1f} s after the kill; "
          f"lease taken over {min(late)}-{max(late)} ms after it expired (jobs run {delay_s} s, lease {lease_s} s)")


def test_a_live_node_keeps_the_jobs_it_accepted(server_factory, database):
    """While A lives, its jobs are its own: B, polling the same database, takes none of them over, so each finishes at
    its due time rather than after a lease."""
    delay_s, lease_s = 1, 30
    a_node, b_node = start_nodes(server_factory, database, jobs=f"delay:{delay_s}s", lease=f"{lease_s}s")
    a = make_client(a_node.url)
    apps = [new_app_id("kept") for _ in range(4)]
    jobs = {app: a.create_backend(AppId=app, AppName=app, BackendEnvironmentName="dev")["JobId"] for app in apps}
    for app, job in jobs.items():
        ended = wait_job(a, app, "dev", job, timeout=30)
        assert ended["Status"] == "COMPLETED", ended
        assert delay_s * 1000 <= int(ended["UpdateTime"]) - int(ended["CreateTime"]) < lease_s * 1000, ended
