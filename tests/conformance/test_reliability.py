"""Reliability of the real server process: connection floods under a low descriptor limit, concurrent starts on a new
data directory, unusable data directories, SIGTERM with a request in flight, a full disk, and the requests Kestrel
answers by itself. Each test waits for conditions, never for the clock; the timeouts only bound a hang."""

import json
import os
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from conftest import (
    AMPSTACK, REPO, UUID_ANY, Server, api_config, make_client, sign_raw_request, signed_headers, new_app_id, raw, wait_job,
)

# These start processes of their own and take a while: the second pytest run of run.sh (another boto3) skips them.
pytestmark = pytest.mark.skipif(os.environ.get("AMPSTACK_CONFORMANCE_SKIP_PROCESS") == "1",
                                reason="process-level reliability tests run in the first pytest run only")


def host_port(url):
    parts = urllib.parse.urlsplit(url)
    return parts.hostname, parts.port


def send_raw(url, data, timeout=30):
    """Sends bytes on a new connection and reads the answer until the server closes it (or a head and body arrive)."""
    sock = socket.create_connection(host_port(url), timeout=timeout)
    try:
        sock.sendall(data)
        out = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            out += chunk
            head, sep, body = out.partition(b"\r\n\r\n")
            if sep:
                length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), None)
                if length is not None and len(body) >= length:
                    break
        return out
    finally:
        sock.close()


def parse_response(data):
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)}
    return status, headers, body


def assert_error_shape(data, status, error_type, message=None):
    got_status, headers, body = parse_response(data)
    assert got_status == status, data[:600]
    assert headers.get("x-amzn-errortype") == error_type, data[:600]
    assert UUID_ANY.match(headers.get("x-amzn-requestid", "")), data[:600]
    assert headers.get("content-type", "").startswith("application/json"), data[:600]
    text = json.loads(body)["message"]
    assert text, data
    if message is not None:
        assert message in text, text
    return text


def wait_until(condition, what, timeout=60.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(interval)


def one_file_limit(limit):
    def apply():
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
    return apply


# ---------------------------------------------------------------------------------------------------------------------
# Connection floods
# ---------------------------------------------------------------------------------------------------------------------

def test_a_flood_of_idle_connections_under_ulimit_1024_is_refused_while_established_clients_are_served(server_factory):
    flood = 1200
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < flood + 200:
        pytest.skip(f"this process may open only {hard} files; the flood needs {flood + 200}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, flood + 200) if hard == resource.RLIM_INFINITY else hard, hard))

    srv = server_factory.start(preexec_fn=one_file_limit(1024))
    limits = Path(f"/proc/{srv.pid}/limits").read_text()
    assert any(line.startswith("Max open files") and " 1024 " in line for line in limits.splitlines()), limits
    host, port = host_port(srv.url)
    c = make_client(srv.url)
    app = new_app_id("flood")
    c.create_backend(AppId=app, AppName="flood", BackendEnvironmentName="dev")

    import http.client
    established = http.client.HTTPConnection(host, port, timeout=60)
    established.request("POST", f"/backend/{app}/details", body=b"{}",
                        headers=signed_headers(srv.url, "POST", f"/backend/{app}/details", b"{}"))
    first = established.getresponse()
    assert first.status == 200 and first.read()

    sockets = []
    try:
        for _ in range(flood):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(10)
            try:
                s.connect((host, port))
            except OSError:
                s.close()
                continue
            sockets.append(s)
        assert len(sockets) > 1000, f"only {len(sockets)} of {flood} connections could be opened"

        # The established client keeps being served, and the process is alive.
        for _ in range(5):
            established.request("POST", f"/backend/{app}/details", body=b"{}",
                                headers=signed_headers(srv.url, "POST", f"/backend/{app}/details", b"{}"))
            resp = established.getresponse()
            assert resp.status == 200, resp.read()
            assert json.loads(resp.read())["appId"] == app
        assert srv.proc.poll() is None, srv.describe_failure()

        # The connections over the cap are closed by the server: a flood degrades to refused connections.
        def closed_by_server():
            closed = 0
            for s in sockets:
                s.setblocking(False)
                try:
                    if s.recv(1) == b"":
                        closed += 1
                except BlockingIOError:
                    pass
                except OSError:
                    closed += 1
            return closed

        wait_until(lambda: closed_by_server() >= flood - (1024 - 256), "the server to close the connections over its cap")
    finally:
        for s in sockets:
            s.close()
    established.close()

    # After the flood, new clients are served as before.
    assert c.get_backend(AppId=app)["AppName"] == "flood"
    assert srv.proc.poll() is None, srv.describe_failure()
    assert "Out of memory" not in srv.stderr_text()
    srv.stop()


# ---------------------------------------------------------------------------------------------------------------------
# Starting
# ---------------------------------------------------------------------------------------------------------------------

def test_two_servers_starting_at_once_on_a_new_data_directory_both_serve_it(server_factory):
    for _ in range(3):
        data_dir = server_factory.new_data_dir("twins")
        servers = [Server(data_dir), Server(data_dir)]
        errors = []

        def start(s):
            try:
                s.start()
            except Exception as ex:  # reported below with the server's output
                errors.append(f"{ex}")

        threads = [threading.Thread(target=start, args=(s,)) for s in servers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        try:
            assert not errors, errors
            app = new_app_id("twin")
            make_client(servers[0].url).create_backend(AppId=app, AppName="twin", BackendEnvironmentName="dev")
            assert make_client(servers[1].url).get_backend(AppId=app)["AppName"] == "twin"
        finally:
            for s in servers:
                s.stop()


def run_serve(data_dir, *extra):
    return subprocess.run([str(AMPSTACK), "serve", "--port", "0", "--data-dir", str(data_dir), *extra], cwd=str(REPO),
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=300)


def try_mount_tmpfs(path, size_mb, read_only=False):
    path.mkdir(parents=True, exist_ok=True)
    options = f"size={size_mb}m" + (",ro" if read_only else "")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    return result.returncode == 0


def unmount(path):
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.mark.parametrize("kind", ["file-in-the-way", "corrupt", "foreign", "newer", "read-only"])
def test_an_unusable_data_directory_stops_the_start_with_one_line_and_exit_3(server, tmp_path, kind):
    data_dir = tmp_path / "data"
    expected = {"file-in-the-way": "is a file, not a directory", "corrupt": "is not a SQLite database",
                "foreign": "of something else (tables people)", "newer": "newer than this build",
                "read-only": "read-only"}[kind]
    mounted = False
    if kind == "file-in-the-way":
        data_dir.write_text("not a directory")
    elif kind == "read-only":
        mounted = try_mount_tmpfs(data_dir, 1, read_only=True)
        if not mounted:
            pytest.skip("mounting a read-only tmpfs is not allowed here")
    else:
        data_dir.mkdir()
        db = data_dir / "ampstack.db"
        if kind == "corrupt":
            db.write_bytes(bytes((i * 7) % 256 for i in range(8192)))
        else:
            conn = sqlite3.connect(db)
            conn.execute("CREATE TABLE people (name TEXT)" if kind == "foreign" else "PRAGMA user_version = 999")
            conn.commit()
            conn.close()
    try:
        result = run_serve(data_dir)
    finally:
        if mounted:
            unmount(data_dir)
    stderr = result.stderr.decode("utf-8", "replace")
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert result.returncode == 3, (result.returncode, stderr)
    assert len(lines) == 1, stderr
    assert lines[0].startswith("ampstack: ") and str(data_dir) in lines[0] and expected in lines[0], lines
    assert b"Ampstack listening" not in result.stdout


# ---------------------------------------------------------------------------------------------------------------------
# Stopping
# ---------------------------------------------------------------------------------------------------------------------

def test_sigterm_completes_the_request_in_flight_exits_0_and_leaves_a_clean_database(server_factory):
    data_dir = server_factory.new_data_dir("sigterm")
    srv = server_factory.start(data_dir=data_dir)
    app = new_app_id("term")
    body = json.dumps({"appId": app, "appName": "term", "backendEnvironmentName": "dev"}).encode()
    sock = socket.create_connection(host_port(srv.url), timeout=60)
    try:
        # Expect: 100-continue makes the server say when the application has started reading the body: from then on,
        # the request is in flight for sure.
        signed = signed_headers("http://ampstack", "POST", "/backend", body, {"Content-Type": "application/json"})
        sock.sendall(b"POST /backend HTTP/1.1\r\nHost: ampstack\r\n"
                     + b"".join(f"{k}: {v}\r\n".encode() for k, v in signed.items())
                     + b"Expect: 100-continue\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        interim = b""
        while b"\r\n\r\n" not in interim:
            chunk = sock.recv(4096)
            assert chunk, "the server closed the connection before 100 Continue"
            interim += chunk
        assert interim.startswith(b"HTTP/1.1 100"), interim
        srv.proc.send_signal(signal.SIGTERM)
        sock.sendall(body)
        answer = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
            status, headers, rest = parse_response(answer)
            if len(rest) >= int(headers.get("content-length", "0")):
                break
    finally:
        sock.close()
    status, headers, rest = parse_response(answer)
    assert status == 200, answer
    job_id = json.loads(rest)["jobId"]

    assert srv.proc.wait(timeout=60) == 0, srv.describe_failure()
    assert not (data_dir / "ampstack.db-wal").exists(), "a clean stop leaves no write-ahead log to recover"
    conn = sqlite3.connect(f"file:{data_dir / 'ampstack.db'}?mode=ro", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()

    again = server_factory.start(data_dir=data_dir)
    c = make_client(again.url)
    assert wait_job(c, app, "dev", job_id)["Status"] == "COMPLETED"
    again.stop()


# ---------------------------------------------------------------------------------------------------------------------
# Requests the HTTP server answers by itself
# ---------------------------------------------------------------------------------------------------------------------

# Signed when the test runs (conftest.sign_raw_request): a signature made at import could be too old by then.
AUTH = b"@AUTH@\r\n"


@pytest.mark.parametrize("name,request_bytes,status,error_type,message", [
    ("nul in the path", b"POST /backend/a%00b/details HTTP/1.1\r\nHost: a\r\n" + AUTH + b"Content-Length: 2\r\n\r\n{}",
     400, "BadRequestException", "not valid HTTP/1.1"),
    ("request line over 8 KiB", b"POST /backend/" + b"a" * 9000 + b"/details HTTP/1.1\r\nHost: a\r\n" + AUTH + b"\r\n",
     400, "BadRequestException", "request line is longer"),
    ("headers over 32 KiB", b"POST /backend/a/details HTTP/1.1\r\nHost: a\r\n" + AUTH + b"X-Big: " + b"b" * 40000 + b"\r\n\r\n",
     400, "BadRequestException", "headers are larger"),
    ("more than 100 headers", b"POST /backend/a/details HTTP/1.1\r\nHost: a\r\n" + AUTH
     + b"".join(b"X-H%d: v\r\n" % i for i in range(120)) + b"\r\n", 400, "BadRequestException", "headers are larger"),
    ("a bad Content-Length", b"POST /backend HTTP/1.1\r\nHost: a\r\n" + AUTH + b"Content-Length: abc\r\n\r\n",
     400, "BadRequestException", "not valid HTTP/1.1"),
    ("an unknown HTTP version", b"POST /backend/a/details HTTP/1.2\r\nHost: a\r\n" + AUTH + b"\r\n",
     400, "BadRequestException", "HTTP version"),
    ("a lower-case HTTP version", b"POST /backend/a/details http/1.1\r\nHost: a\r\n" + AUTH + b"\r\n",
     400, "BadRequestException", None),
    ("a chunk size past 2^31", b"POST /backend/a/details HTTP/1.1\r\nHost: a\r\n" + AUTH
     + b"Transfer-Encoding: chunked\r\n\r\n80000000\r\n{}\r\n0\r\n\r\n", 400, "BadRequestException", "could not be read"),
    ("a lower-case method", b"post /backend/a/details HTTP/1.1\r\nHost: a\r\n" + AUTH + b"Content-Length: 2\r\n\r\n{}",
     404, "NotFoundException", "No operation matches post"),
])
def test_requests_the_http_server_rejects_get_the_service_error_shape(server, name, request_bytes, status, error_type, message):
    assert_error_shape(send_raw(server.url, sign_raw_request(request_bytes)), status, error_type, message)
    # The server is none the worse for it.
    assert raw(server.url, "POST", "/s3Buckets", {}).status == 200


# ---------------------------------------------------------------------------------------------------------------------
# A full disk
# ---------------------------------------------------------------------------------------------------------------------

def fill(directory):
    """Writes a filler file until the file system is full; returns its path."""
    filler = directory / "filler"
    with open(filler, "wb", buffering=0) as f:
        block = b"\0" * (1 << 16)
        for piece in (block, b"\0"):
            try:
                while True:
                    f.write(piece)
            except OSError:
                pass
    return filler


def test_a_full_disk_refuses_writes_with_429_keeps_reads_and_loses_nothing(server_factory, tmp_path):
    data_dir = tmp_path / "small"
    if not try_mount_tmpfs(data_dir, 16):
        pytest.skip("mounting a tmpfs is not allowed here")
    try:
        srv = server_factory.start(data_dir=data_dir)
        c = make_client(srv.url)
        app = new_app_id("full")
        c.create_backend(AppId=app, AppName="full", BackendEnvironmentName="dev")
        for env in ("e1", "e2", "e3"):
            c.create_backend(AppId=app, AppName="full", BackendEnvironmentName=env)
        filler = fill(data_dir)

        # Reads keep working, the first ListBackendJobs of this process included (it must not need a write).
        assert c.get_backend(AppId=app)["BackendEnvironmentList"] == ["dev", "e1", "e2", "e3"]
        page = c.list_backend_jobs(AppId=app, BackendEnvironmentName="dev", MaxResults=1)
        assert len(page["Jobs"]) == 1

        # Writes either succeed (and are kept) or are refused with the retryable 429; never a 5xx.
        acknowledged, refused = [], 0
        big_schema = "type Todo @model { id: ID! name: String }\n" + "# filler\n" * 20000
        for i in range(20):
            env = f"w{i}"
            try:
                c.create_backend(AppId=app, AppName="full", BackendEnvironmentName=env)
                c.create_backend_api(AppId=app, BackendEnvironmentName=env, ResourceName="api",
                                     ResourceConfig=api_config(big_schema))
                acknowledged.append(env)
            except ClientError as ex:
                error = ex.response["Error"]
                assert ex.response["ResponseMetadata"]["HTTPStatusCode"] == 429, ex.response
                assert error["Code"] == "TooManyRequestsException", ex.response
                assert "disk is full" in error["Message"], ex.response
                # As the request-rate 429: a client or proxy that reads Retry-After waits instead of hammering.
                assert ex.response["ResponseMetadata"]["HTTPHeaders"].get("retry-after") == "5", ex.response
                refused += 1
        assert refused > 0, "a full disk refused no write"
        assert srv.proc.poll() is None, srv.describe_failure()

        # Space again: writes work, and everything acknowledged is there.
        filler.unlink()
        c.create_backend(AppId=app, AppName="full", BackendEnvironmentName="after")
        envs = c.get_backend(AppId=app)["BackendEnvironmentList"]
        assert "after" in envs
        for env in acknowledged:
            assert env in envs
            assert c.get_backend_api(AppId=app, BackendEnvironmentName=env, ResourceName="api")["ResourceConfig"][
                "TransformSchema"] == big_schema
        srv.stop()
        assert srv.proc.returncode == 0
    finally:
        unmount(data_dir)


# ---------------------------------------------------------------------------------------------------------------------
# Huge schemas
# ---------------------------------------------------------------------------------------------------------------------

def test_schemas_over_the_limits_are_refused_with_400(client):
    app = new_app_id("huge")
    client.create_backend(AppId=app, AppName="huge", BackendEnvironmentName="dev")
    long_schema = "type Todo @model { id: ID! }\n" + "#" * (512 * 1024)
    many_models = "\n".join(f"type M{i} @model {{ id: ID! }}" for i in range(1001))
    for schema, message in ((long_schema, "characters long"), (many_models, "1001 @model types")):
        with pytest.raises(ClientError) as info:
            client.create_backend_api(AppId=app, BackendEnvironmentName="dev", ResourceName="api",
                                      ResourceConfig=api_config(schema))
        error = info.value.response["Error"]
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert error["Code"] == "BadRequestException"
        assert "resourceConfig.transformSchema" in error["Message"] and message in error["Message"], error
    assert client.list_backend_jobs(AppId=app, BackendEnvironmentName="dev", Operation="CreateBackendAPI")["Jobs"] == []
