"""A sick PostgreSQL never hangs, wipes or 500s (issue 20): a frozen server (every process of it stopped with SIGSTOP, as
a partition or a stalled host looks from the client) is answered with the retryable 429 within seconds and health's 503
within its 5 s, and all is well again after SIGCONT without a restart; a server shutting down, restarting and starting
up while clients write never makes a 500. Each test runs a throwaway PostgreSQL server of its own
(tools/postgres/cluster.sh), so that it may freeze and restart it. Process-level (the first pytest run only)."""

import concurrent.futures
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from conftest import REPO, create_backend, make_client, new_app_id

pytestmark = [
    pytest.mark.skipif(os.environ.get("AMPSTACK_CONFORMANCE_SKIP_PROCESS") == "1", reason="process-level tests: first run only"),
]

OPERATOR_KEY = "faults-operator-key"
RETRYABLE_WITHIN_S = 10.0  # the store's whole-call deadline is 8 s (PostgresBackendStore.CallDeadline)
HEALTH_WITHIN_S = 6.0  # health's bound is 5 s (OperatorEndpoints.StoreTimeout)


class Cluster:
    """A throwaway PostgreSQL server (tools/postgres/cluster.sh) that a test may freeze, stop and restart."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="ampstack-faults-pg-"))
        script = 'source tools/postgres/cluster.sh && pg_test_start "$1" >&2 && echo "$AMPSTACK_TEST_POSTGRES" && echo "$PG_TEST_BIN"'
        done = subprocess.run(["bash", "-c", script, "_", str(self.root)], cwd=REPO, capture_output=True, text=True,
                              timeout=300)
        if done.returncode != 0:
            shutil.rmtree(self.root, ignore_errors=True)
            pytest.fail(f"could not start a PostgreSQL server: {done.stderr[-2000:]}")
        self.connection_string, self.bin = done.stdout.split()
        self.data = self.root / "data"

    def connection(self, database):
        return self.connection_string.replace("Database=ampstack", f"Database={database}")

    @property
    def port(self):
        return dict(part.split("=", 1) for part in self.connection_string.split(";"))["Port"]

    def query(self, sql, database="postgres"):
        """The first column of the answer to `sql`, one line per row, on a connection of its own."""
        done = subprocess.run([f"{self.bin}/psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", self.port,
                               "-U", "ampstack", "-d", database, "-c", sql], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def is_ready(self):
        """pg_isready's answer: 0 accepting connections, 1 refusing them (starting or shutting down), 2 no answer."""
        return subprocess.run([f"{self.bin}/pg_isready", "-q", "-h", "127.0.0.1", "-p", self.port], timeout=30).returncode

    @contextlib.contextmanager
    def session(self, database):
        """A psql session of the test's own, open for the block: `run(sql)` returns once the statement has run."""
        psql = subprocess.Popen([f"{self.bin}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", self.port,
                                 "-U", "ampstack", "-d", database], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        done = self.root / "statement-done"

        class Session:
            @staticmethod
            def run(sql):
                # psql runs its input in order: the shell escape after the statement marks that the statement has run.
                done.unlink(missing_ok=True)
                psql.stdin.write(f"{sql};\n\\! touch '{done}'\n")
                psql.stdin.flush()
                until(lambda: done.exists() or psql.poll() is not None, 30, f"psql did not run {sql!r}")
                assert done.exists(), psql.stderr.read()

        try:
            # Connected before the block starts: a statement has run in it.
            Session.run("SELECT 1")
            yield Session
        finally:
            psql.stdin.close()
            psql.wait(30)

    def pg_ctl(self, *args, timeout=120):
        command = " ".join([f"'{self.bin}/pg_ctl'", "-D", f"'{self.data}'", "-l", f"'{self.root}/server.log'", *args])
        argv = ["su", "postgres", "-s", "/bin/sh", "-c", command] if os.getuid() == 0 else ["sh", "-c", command]
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)

    def processes(self):
        """The postmaster (from its pid file) and its children (every backend and auxiliary process)."""
        postmaster = int((self.data / "postmaster.pid").read_text().splitlines()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == postmaster:
                children.append(int(stat.parent.name))
        return [postmaster, *children]

    @contextlib.contextmanager
    def frozen(self):
        """Every process of the server stopped (SIGSTOP) for the block; always continued (SIGCONT) after it."""
        stopped = []
        try:
            for pid in self.processes():
                os.kill(pid, signal.SIGSTOP)
                stopped.append(pid)
            yield
        finally:
            for pid in stopped:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)

    def destroy(self):
        with contextlib.suppress(Exception):
            for pid in self.processes():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)
        self.pg_ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def cluster():
    cluster = Cluster()
    try:
        yield cluster
    finally:
        cluster.destroy()


def start_server(server_factory, cluster):
    return server_factory.start(extra_args=["--store", "postgres", "--connection-string", cluster.connection("faults"),
                                            "--operator-key", OPERATOR_KEY])


def health(server):
    """(status, seconds) of GET /_ampstack/health."""
    request = urllib.request.Request(server.url + "/_ampstack/health", headers={"Authorization": f"Bearer {OPERATOR_KEY}"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=60) as resp:
            status = resp.status
    except urllib.error.HTTPError as e:
        status = e.code
    return status, time.monotonic() - started


def outcome(call, **kwargs):
    """(error code or "ok", HTTP status, seconds) of one call; a 5xx fails it (make_client's check)."""
    started = time.monotonic()
    try:
        resp = call(**kwargs)
        return "ok", resp["ResponseMetadata"]["HTTPStatusCode"], time.monotonic() - started
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], time.monotonic() - started


def until(condition, timeout, what):
    """Polls `condition` until it is true, at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {timeout} s")
        time.sleep(0.1)


def test_a_frozen_database_is_answered_with_the_retryable_error_and_health_503_then_recovers(server_factory, cluster):
    server = start_server(server_factory, cluster)
    client = make_client(server.url)
    app = create_backend(client)
    assert health(server)[0] == 200
    with cluster.frozen():
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            read = pool.submit(outcome, client.get_backend, AppId=app)
            write = pool.submit(outcome, make_client(server.url).create_backend, AppId=new_app_id(), AppName="n",
                                BackendEnvironmentName="dev")
            jobs = pool.submit(outcome, make_client(server.url).list_backend_jobs, AppId=app, BackendEnvironmentName="dev")
            probe = pool.submit(health, server)
            results = {"read": read.result(60), "write": write.result(60), "jobs": jobs.result(60)}
            health_status, health_seconds = probe.result(60)
        # While it is still frozen: a second round meets the same bounds (nothing is left waiting on the first).
        again = outcome(client.get_backend, AppId=app)
    for name, (code, status, seconds) in {**results, "again": again}.items():
        assert (code, status) == ("TooManyRequestsException", 429), (name, code, status)
        assert seconds < RETRYABLE_WITHIN_S, (name, seconds)
    assert health_status == 503 and health_seconds < HEALTH_WITHIN_S, (health_status, health_seconds)

    # Continued: the same server answers again, with no restart; the first request may still meet a connection the
    # freeze broke, so a few retryable answers are allowed, nothing else.
    def answers():
        code, _, _ = outcome(client.get_backend, AppId=app)
        assert code in ("ok", "TooManyRequestsException"), code
        return code == "ok"

    until(answers, 30, "GetBackend did not answer after SIGCONT")
    create_backend(client)
    assert health(server)[0] == 200
    assert server.proc.poll() is None


def test_a_database_shutting_down_and_restarting_while_clients_write_never_answers_500(server_factory, cluster):
    server = start_server(server_factory, cluster)
    counts, errors, lock, stop = {}, [], threading.Lock(), threading.Event()

    def record(code):
        with lock:
            counts[code] = counts.get(code, 0) + 1
            if code not in ("ok", "TooManyRequestsException"):
                errors.append(code)

    def writer():
        client = make_client(server.url)
        while not stop.is_set():
            try:
                record(outcome(client.create_backend, AppId=new_app_id(), AppName="n", BackendEnvironmentName="dev")[0])
            except Exception as e:  # noqa: BLE001 -- a 5xx (make_client's ContractViolation) or a broken connection
                record(repr(e)[:300])

    writers = [threading.Thread(target=writer, daemon=True) for _ in range(4)]
    for thread in writers:
        thread.start()
    try:
        until(lambda: counts.get("ok", 0) >= 10, 30, "writes did not succeed before the restart")

        # A smart shutdown waits for the sessions open and refuses every new connection with 57P03 "the database system
        # is shutting down". One session of the test's own, opened before, keeps it in that state for as long as the
        # test needs; from it Ampstack's pooled sessions are ended (57P01), so that every request must open a new one.
        with cluster.session("postgres") as held:
            assert cluster.pg_ctl("-m", "smart", "-W", "stop").returncode == 0
            until(lambda: cluster.is_ready() == 1, 30, "the server did not start refusing connections")
            held.run("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = 'faults'")
            before = counts.get("TooManyRequestsException", 0)
            until(lambda: counts.get("TooManyRequestsException", 0) > before, 60, "no retryable answer while refused")

            # A burst of reads wider than the pool while every connection is refused: each is the retryable 429.
            clients = [make_client(server.url) for _ in range(32)]
            barrier = threading.Barrier(len(clients))

            def burst(client):
                barrier.wait(30)
                return outcome(client.get_backend, AppId=new_app_id())[0]

            with concurrent.futures.ThreadPoolExecutor(len(clients)) as pool:
                burst_codes = list(pool.map(burst, clients))
            assert burst_codes == ["TooManyRequestsException"] * len(clients), burst_codes
        # The last session gone, the shutdown completes (connections refused); then the server starts again.
        until(lambda: cluster.is_ready() == 2, 60, "the server did not finish shutting down")
        start = cluster.pg_ctl("-w", "-o", f"\"-p {cluster.port} -k '{cluster.root}' -c listen_addresses=127.0.0.1\"", "start")
        assert start.returncode == 0, start.stderr
        written = counts.get("ok", 0)
        until(lambda: counts.get("ok", 0) >= written + 10, 30, "writes did not succeed again after the start")

        # Then a fast restart: sessions terminated (57P01), connections refused, the server starting up (57P03).
        restart = cluster.pg_ctl("-m", "fast", "-w", "restart")
        assert restart.returncode == 0, restart.stderr
        written = counts.get("ok", 0)
        until(lambda: counts.get("ok", 0) >= written + 10, 30, "writes did not succeed again after the restart")
    finally:
        stop.set()
        for thread in writers:
            thread.join(60)
    assert not errors, (errors[:5], counts)
    # Ampstack's new connections did meet 57P03 (each refused one is in the server's log), which answered 500 before.
    assert "the database system is shutting down" in (cluster.root / "server.log").read_text(errors="replace")
    assert server.proc.poll() is None


def test_a_write_whose_connection_is_lost_after_its_commit_is_answered_as_done_once(server_factory, cluster):
    """A COMMIT that waits for a synchronous standby (one named that never comes) is durable here already: ending its
    session then is the lost answer of a write that did commit, as a shutdown ending a session just after its COMMIT is.
    The store asks whether it committed instead of running it again, which answered the caller's one CreateBackend with
    "Backend environment dev already exists"."""
    server = server_factory.start(extra_args=["--store", "postgres", "--connection-string", cluster.connection("lost"),
                                              "--operator-key", OPERATOR_KEY, "--jobs", "manual"])
    client = make_client(server.url)
    client.create_backend(AppId=new_app_id(), AppName="n", BackendEnvironmentName="dev")  # the pooled connections are open

    def standby(names):
        cluster.query(f"ALTER SYSTEM SET synchronous_standby_names = '{names}'")
        cluster.query("SELECT pg_reload_conf()")
        # A new session has the reloaded setting once the server has passed the reload on to every session.
        until(lambda: cluster.query("SHOW synchronous_standby_names") == names, 30, "the setting did not reload")

    app = new_app_id()
    standby("nobody")
    try:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            call = pool.submit(outcome, client.create_backend, AppId=app, AppName="n", BackendEnvironmentName="dev")
            waiting = "FROM pg_stat_activity WHERE wait_event = 'SyncRep' AND datname = 'lost'"
            until(lambda: cluster.query(f"SELECT count(*) {waiting}") == "1", 30, "the write's COMMIT did not wait")
            assert cluster.query(f"SELECT count(pg_terminate_backend(pid)) {waiting}") == "1"
            code, status, _ = call.result(60)
    finally:
        standby("")
    assert (code, status) == ("ok", 200)
    environments = client.list_backend_jobs(AppId=app, BackendEnvironmentName="dev")["Jobs"]
    assert [job["Operation"] for job in environments] == ["CreateBackend"], environments  # made once
    assert server.proc.poll() is None
