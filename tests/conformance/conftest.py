"""Conformance tests: the real Ampstack server process, driven by real AWS clients.

Fixtures start `./ampstack serve --port 0` on fresh temporary data directories (the first start builds the server) and
stop them at the end. Every boto3 client made here checks every response it receives: `x-amzn-RequestId` is a UUID,
no status is 5xx, and errors carry `x-amzn-ErrorType` naming the error code the client resolved.

Runs under any Python 3 with pytest and boto3 (pip's boto3 1.43 and Debian's 1.26 alike); no other packages.
"""

import collections
import datetime
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import boto3
import botocore
import botocore.session
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

REPO = Path(__file__).resolve().parents[2]
AMPSTACK = REPO / "ampstack"
sys.path.insert(0, str(REPO / "tools" / "launcher"))
import ampstack_launcher  # noqa: E402  (the shared launcher: starts a server and reads its --ready-file)

# The first start builds the server (20 to 60 s); later starts take a second or two unless the sources changed.
START_TIMEOUT = float(os.environ.get("AMPSTACK_START_TIMEOUT", "240"))
START_LINE = "Ampstack listening on "  # the human start line, still kept in `output` for the tests that read it

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
UUID_ANY = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
TERMINAL = ("COMPLETED", "FAILED")
DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "000000000000"

# ---------------------------------------------------------------------------------------------------------------------
# Authentication: strict (the default) gives every server a credential store and signs every request for real;
# AMPSTACK_CONFORMANCE_AUTH=lenient runs the same tests against servers that accept any credentials.
# ---------------------------------------------------------------------------------------------------------------------

AUTH_MODE = os.environ.get("AMPSTACK_CONFORMANCE_AUTH", "strict")
assert AUTH_MODE in ("strict", "lenient"), AUTH_MODE
STRICT = AUTH_MODE == "strict"
lenient_only = pytest.mark.skipif(STRICT, reason="what lenient auth accepts (AMPSTACK_CONFORMANCE_AUTH=lenient)")

# The store: AMPSTACK_CONFORMANCE_STORE=postgres runs every server on the PostgreSQL server AMPSTACK_TEST_POSTGRES names
# (./test starts one), each data directory standing for a database of its own (a restart on it finds the same data).
STORE = os.environ.get("AMPSTACK_CONFORMANCE_STORE") or "sqlite"
assert STORE in ("sqlite", "postgres"), STORE


def postgres_connection_string(data_dir):
    server = os.environ.get("AMPSTACK_TEST_POSTGRES")
    assert server, "AMPSTACK_CONFORMANCE_STORE=postgres needs AMPSTACK_TEST_POSTGRES (a PostgreSQL connection string)"
    import hashlib
    name = "conf_" + hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:20]
    parts = [p for p in server.split(";") if p and not p.lower().startswith("database=")]
    return ";".join(parts + [f"Database={name}"])


# Keys the tests use by name, and a pool of 12-digit keys (each its own account) for tests that want a fresh account.
NAMED_KEYS = {"test": ("test", DEFAULT_ACCOUNT), "111111111111": ("secret-111111111111", "111111111111"),
              "222222222222": ("secret-222222222222", "222222222222")}
ACCOUNT_POOL = [f"3{n:011d}" for n in range(1, 2001)]
_pool = iter(ACCOUNT_POOL)


def pool_account():
    """A 12-digit access key of the strict store that nothing has used yet in this session (its own account)."""
    return next(_pool)


def fresh_account():
    """A 12-digit access key whose account nothing has used yet: from the strict store's pool when auth is strict."""
    if STRICT:
        return pool_account()
    return "3" + str(uuid.uuid4().int)[:11]


def secret_for(key):
    return NAMED_KEYS[key][0] if key in NAMED_KEYS else f"secret-{key}"


def credential_lines():
    lines = [f"{key} {secret} {account}" for key, (secret, account) in NAMED_KEYS.items()]
    return lines + [f"{a} secret-{a} {a}" for a in ACCOUNT_POOL]


_CREDENTIALS_FILE = None


def credentials_file():
    """The strict servers' credential store: a private file, written once per session."""
    global _CREDENTIALS_FILE
    if _CREDENTIALS_FILE is None:
        fd, path = tempfile.mkstemp(prefix="ampstack-credentials-")
        with os.fdopen(fd, "w") as f:
            f.write("# conformance keys\n" + "\n".join(credential_lines()) + "\n")
        os.chmod(path, 0o600)
        _CREDENTIALS_FILE = path
    return _CREDENTIALS_FILE


# Keep any user configuration (endpoint overrides, retry modes, profiles) out of the clients.
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
for _name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_AMPLIFYBACKEND", "AWS_SESSION_TOKEN"):
    os.environ.pop(_name, None)

# ---------------------------------------------------------------------------------------------------------------------
# The server process
# ---------------------------------------------------------------------------------------------------------------------

class Server:
    """One `./ampstack serve` process on a data directory."""

    def __init__(self, data_dir, jobs="immediate", token_ttl=None, extra_args=(), preexec_fn=None, auth=None):
        self.auth = auth or AUTH_MODE
        self.data_dir = Path(data_dir)
        self.preexec_fn = preexec_fn
        self.jobs = jobs
        self.token_ttl = token_ttl
        self.extra_args = list(extra_args)
        self.proc = None
        self.url = None
        self.output = collections.deque(maxlen=2000)
        self.ready = None  # the object of the server's --ready-file
        self._launch = None
        self._stderr_path = None

    @property
    def pid(self):
        return self.proc.pid

    def _child_setup(self):
        # A suite run under nohup ignores SIGHUP, and an ignored signal is inherited: the server would never see the
        # SIGHUP that reloads its credentials. Each server starts with the default disposition, as from a shell.
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        if self.preexec_fn is not None:
            self.preexec_fn()

    def start(self, timeout=START_TIMEOUT):
        args = [str(AMPSTACK), "serve", "--port", "0", "--data-dir", str(self.data_dir), "--jobs", self.jobs]
        if self.token_ttl:
            args += ["--token-ttl", self.token_ttl]
        if self.auth == "strict" and "--credentials" not in self.extra_args:
            args += ["--credentials", credentials_file()]
        if STORE == "postgres" and "--store" not in self.extra_args:
            args += ["--store", "postgres", "--connection-string", postgres_connection_string(self.data_dir)]
        args += self.extra_args
        env = dict(os.environ)
        # Our builds must not leave MSBuild nodes or build servers behind.
        env.update({"MSBUILDDISABLENODEREUSE": "1", "DOTNET_CLI_USE_MSBUILD_SERVER": "0", "DOTNET_NOLOGO": "1",
                    "DOTNET_CLI_TELEMETRY_OPTOUT": "1", "UseSharedCompilation": "false"})
        self.stop_launch()
        fd, self._stderr_path = tempfile.mkstemp(prefix="ampstack-stderr-", suffix=".log")
        stderr = os.fdopen(fd, "wb")
        try:
            # `./ampstack` execs dotnet, so once the server runs, proc.pid is the server process itself.
            self._launch = ampstack_launcher.Launch(args, cwd=str(REPO), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                                    stderr=stderr, start_new_session=True, preexec_fn=self._child_setup,
                                                    env=env)
        finally:
            stderr.close()
        self.proc = self._launch.proc
        start_line = threading.Event()

        def pump():
            for raw in self.proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.output.append(line)
                if line.startswith(START_LINE):
                    start_line.set()
            start_line.set()

        threading.Thread(target=pump, name=f"ampstack-stdout-{self.proc.pid}", daemon=True).start()
        try:
            self.ready = self._launch.wait(timeout, self.describe_failure)
        except ampstack_launcher.LaunchError as e:
            self._abort()
            self.stop_launch()
            raise RuntimeError(f"ampstack did not start within {timeout:.0f} s: {e}") from None
        # The server prints its start line before it writes the ready file: tests read it from `output`.
        start_line.wait(10)
        self.url = self.ready["url"]
        return self

    def describe_failure(self):
        err = ""
        if self._stderr_path and os.path.exists(self._stderr_path):
            with open(self._stderr_path, "rb") as f:
                err = f.read()[-4000:].decode("utf-8", "replace")
        return f"exit={self.proc.poll() if self.proc else None} stdout={list(self.output)[-20:]} stderr={err}"

    def _abort(self):
        # Only when the start failed: the build (bash + dotnet build) is ours, in its own session.
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=30)

    def kill9(self):
        """SIGKILL the server process (the dotnet process itself) and reap it."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        if self._stderr_path and os.path.exists(self._stderr_path):
            os.unlink(self._stderr_path)
            self._stderr_path = None
        self.stop_launch()

    def stop_launch(self):
        """Removes the ready file of the last start."""
        if self._launch is not None:
            self._launch.cleanup()
            self._launch = None

    def stderr_text(self):
        if self._stderr_path and os.path.exists(self._stderr_path):
            with open(self._stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        return ""

    def unhandled_failures(self):
        """Lines the server logged at error level (`fail:`) or above."""
        return [line for line in self.output if line.startswith(("fail:", "crit:"))]


ALL_SERVERS = []


class ServerFactory:
    """Starts servers on demand; stops all of them at the end."""

    def __init__(self, root):
        self.root = Path(root)
        self.servers = []

    def new_data_dir(self, name="data"):
        path = self.root / f"{name}-{uuid.uuid4().hex[:8]}"
        path.mkdir(parents=True)
        return path

    def start(self, jobs="immediate", token_ttl=None, data_dir=None, extra_args=(), preexec_fn=None, auth=None):
        server = Server(data_dir or self.new_data_dir(jobs.replace(":", "-")), jobs=jobs, token_ttl=token_ttl,
                        extra_args=extra_args, preexec_fn=preexec_fn, auth=auth)
        self.servers.append(server)
        ALL_SERVERS.append(server)
        return server.start()

    def stop_all(self):
        for server in self.servers:
            server.stop()


@pytest.fixture(scope="session")
def server_factory(tmp_path_factory):
    factory = ServerFactory(tmp_path_factory.mktemp("ampstack"))
    yield factory
    factory.stop_all()


@pytest.fixture(scope="session")
def server(server_factory):
    """The shared server: jobs finish immediately."""
    srv = server_factory.start(jobs="immediate")
    yield srv
    assert srv.proc.poll() is None, f"the shared server died: {srv.describe_failure()}"


MANUAL_OPERATOR_KEY = "manual-server-operator-key"


@pytest.fixture(scope="session")
def manual_server(server_factory):
    """Jobs stay RUNNING until UpdateBackendJob finishes them."""
    return server_factory.start(jobs="manual", extra_args=["--operator-key", MANUAL_OPERATOR_KEY])


DELAY_MS = 1500
SHORT_TTL_S = 2


@pytest.fixture(scope="session")
def delay_server(server_factory):
    """Jobs take DELAY_MS; tokens live SHORT_TTL_S seconds."""
    return server_factory.start(jobs=f"delay:{DELAY_MS}ms", token_ttl=f"{SHORT_TTL_S}s")


@pytest.fixture(scope="session")
def url(server):
    return server.url


# ---------------------------------------------------------------------------------------------------------------------
# Clients
# ---------------------------------------------------------------------------------------------------------------------

class ContractViolation(AssertionError):
    pass


EXERCISED = collections.defaultdict(set)  # operation name -> {"ok", "error"}: what boto3 sent in this session


def _check_every_response(http_response, parsed, model, **_):
    """Per-response rules that hold for every call: request id, no 5xx, error type header."""
    headers = {k.lower(): v for k, v in http_response.headers.items()}
    status = http_response.status_code
    EXERCISED[model.name].add("ok" if status < 300 else "error")
    request_id = headers.get("x-amzn-requestid", "")
    if not UUID_ANY.match(request_id):
        raise ContractViolation(f"{model.name}: response {status} without a UUID x-amzn-RequestId (headers {headers})")
    if status >= 500:
        raise ContractViolation(f"{model.name}: server error {status}: {http_response.content[:500]!r}")
    if status >= 300:
        code = parsed.get("Error", {}).get("Code")
        if headers.get("x-amzn-errortype", "").split(":")[0] != code:
            raise ContractViolation(
                f"{model.name}: error {status} {code} with x-amzn-ErrorType {headers.get('x-amzn-errortype')!r}")
    if headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise ContractViolation(f"{model.name}: Content-Type {headers.get('content-type')!r}")


def make_client(url, region=DEFAULT_REGION, key="test", secret=None, validate=True, token=None, retries=0,
                service="amplifybackend"):
    """A boto3 client of `service` on the server; AmplifyBackend's answers are also checked against its contract."""
    config = Config(parameter_validation=validate, retries={"max_attempts": retries, "mode": "standard"},
                    connect_timeout=10, read_timeout=60)
    client = boto3.session.Session().client(service, endpoint_url=url, region_name=region,
                                            aws_access_key_id=key, aws_secret_access_key=secret or secret_for(key),
                                            aws_session_token=token, config=config)
    if service == "amplifybackend":
        client.meta.events.register("after-call.*", _check_every_response)
    return client


@pytest.fixture(scope="session")
def client(url):
    return make_client(url)


@pytest.fixture(scope="session")
def loose_client(url):
    """No client-side parameter validation: bad values reach the server."""
    return make_client(url, validate=False)


@pytest.fixture(scope="session")
def mclient(manual_server):
    return make_client(manual_server.url)


@pytest.fixture(scope="session")
def dclient(delay_server):
    return make_client(delay_server.url)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "server_bug: asserts the contract where the current server is known to deviate; the test's comment "
                   "says how (deselect with -m 'not server_bug')")


def pytest_terminal_summary(terminalreporter):
    failures = [line for srv in ALL_SERVERS for line in srv.unhandled_failures()]
    if failures:
        terminalreporter.write_line(f"the servers logged {len(failures)} unhandled failure(s), e.g.: {failures[0][:300]}")
    if not EXERCISED:
        return
    import boto3 as _b
    names = botocore.session.get_session().get_service_model("amplifybackend").operation_names
    ok = sorted(n for n in names if "ok" in EXERCISED.get(n, ()))
    err = sorted(n for n in names if "error" in EXERCISED.get(n, ()))
    missing = sorted(n for n in names if n not in EXERCISED)
    terminalreporter.write_line(
        f"boto3 {_b.__version__} / botocore {botocore.__version__}: {len(ok)}/{len(names)} operations answered 200, "
        f"{len(err)}/{len(names)} answered an error" + (f"; never called: {', '.join(missing)}" if missing else ""))


def has_introspection_member(client):
    shape = client.meta.service_model.operation_model("GetBackendAPIModels").output_shape
    return "ModelIntrospectionSchema" in shape.members


# ---------------------------------------------------------------------------------------------------------------------
# Raw HTTP (for what the SDKs will not send)
# ---------------------------------------------------------------------------------------------------------------------

def auth_header(key="test", region=DEFAULT_REGION):
    """An Authorization header of the right form with a made-up signature: lenient servers take it, strict ones do not."""
    return (f"AWS4-HMAC-SHA256 Credential={key}/20260101/{region}/amplifybackend/aws4_request, "
            "SignedHeaders=host, Signature=abc")


def signed_headers(url, method, path, body=b"", headers=None, key="test", region=DEFAULT_REGION, secret=None):
    """The headers that sign a request for real, with botocore's SigV4 signer (X-Amz-Date, Authorization, ...).

    `url` gives the host the client will send (its netloc); `headers` are the request's other headers, signed too.
    """
    request = AWSRequest(method=method, url=url.rstrip("/") + path, data=body or b"", headers=dict(headers or {}))
    SigV4Auth(Credentials(key, secret or secret_for(key)), "amplifybackend", region).add_auth(request)
    return dict(request.headers.items())


def sign_raw_request(request_bytes, key="test", region=DEFAULT_REGION):
    """A hand-made HTTP/1.1 request with its `@AUTH@` line replaced by real signature headers for it (signed now)."""
    if b"@AUTH@" not in request_bytes:
        return request_bytes
    head, _, body = request_bytes.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    method, target = lines[0].split(b" ")[:2]
    host = next((line.split(b":", 1)[1].strip() for line in lines[1:] if line.lower().startswith(b"host:")), b"a")
    chunked = b"transfer-encoding: chunked" in head.lower()
    signed = signed_headers("http://" + host.decode("latin-1"), method.decode("latin-1"), target.decode("latin-1"),
                            b"" if chunked else body, key=key, region=region)
    return request_bytes.replace(b"@AUTH@", b"\r\n".join(f"{k}: {v}".encode() for k, v in signed.items()), 1)


class RawResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return f"<{self.status} {self.headers.get('x-amzn-errortype')} {self.body[:300]!r}>"


def raw(url, method, path, body=None, headers=None, auth=True, key="test", region=DEFAULT_REGION, chunked=False):
    """One HTTP request. `body` may be a dict/list (sent as JSON), str, bytes or an iterable of bytes."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    hdrs = {}
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    if body is not None:
        hdrs["Content-Type"] = "application/json"
    hdrs.update(headers or {})
    if auth:
        pieces = body is not None and not isinstance(body, (bytes, bytearray))
        if pieces:
            body = list(body)  # an iterable of chunks: signed as the bytes they add up to
        signed_body = b"".join(body) if pieces else (body or b"")
        hdrs = signed_headers(url, method, path, signed_body, hdrs, key=key, region=region)
    if chunked:
        hdrs["Transfer-Encoding"] = "chunked"
    try:
        conn.request(method, path, body=body, headers=hdrs, encode_chunked=chunked)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may answer before it has read everything; the answer is what we test
    try:
        resp = conn.getresponse()
        data = resp.read()
        return RawResponse(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
    finally:
        conn.close()


SERVICE_MODEL = botocore.session.get_session().get_service_model("amplifybackend")


def to_wire(shape, value):
    """A value keyed by model member names, rewritten with the wire (locationName) names of `shape`."""
    if shape.type_name == "structure":
        return {shape.members[k].serialization.get("name", k): to_wire(shape.members[k], v) for k, v in value.items()}
    if shape.type_name == "list":
        return [to_wire(shape.member, v) for v in value]
    return value


def raw_op(url, operation, labels=None, body=None, **kwargs):
    """Sends `operation` by hand: `labels` fill its requestUri, `body` (wire names) is sent as is."""
    op = SERVICE_MODEL.operation_model(operation)
    path = op.http["requestUri"]
    for name, value in (labels or {}).items():
        path = path.replace("{" + name + "}", urllib.parse.quote(value, safe=""))
    return raw(url, op.http["method"], path, body, **kwargs)


def wire_config(operation, config):
    """A resourceConfig of `operation` in wire names."""
    return to_wire(SERVICE_MODEL.operation_model(operation).input_shape.members["ResourceConfig"], config)


def assert_raw_error(resp, status, error_type, message=None):
    assert resp.status == status, resp
    assert resp.headers.get("x-amzn-errortype") == error_type, resp
    assert UUID_ANY.match(resp.headers.get("x-amzn-requestid", "")), resp.headers
    assert resp.headers.get("content-type", "").startswith("application/json"), resp.headers
    body = resp.json()
    assert isinstance(body.get("message"), str) and body["message"], body
    if message is not None:
        assert message in body["message"], body
    return body


# ---------------------------------------------------------------------------------------------------------------------
# Helpers shared by the test modules
# ---------------------------------------------------------------------------------------------------------------------

def new_app_id(prefix="app"):
    return f"{prefix}{uuid.uuid4().hex[:14]}"


def strip_meta(resp):
    return {k: v for k, v in resp.items() if k != "ResponseMetadata"}


def expect_error(call, code, status, message=None, resource_type=None, **kwargs):
    """Calls `call(**kwargs)`, which must fail with `code`/`status`; checks the message and ResourceType."""
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    resp = info.value.response
    assert resp["Error"]["Code"] == code, resp
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == status, resp
    text = resp["Error"].get("Message", "")
    assert text, resp
    if message is not None:
        assert message in text, f"{message!r} not in {text!r}"
    if code == "NotFoundException":
        assert resp.get("ResourceType") == resource_type, resp
    elif resource_type is not None:
        raise AssertionError("resource_type only applies to NotFoundException")
    return resp


def wait_job(client, app_id, env, job_id, timeout=15.0, interval=0.05):
    """Polls GetBackendJob until the job is COMPLETED or FAILED; returns it."""
    deadline = time.monotonic() + timeout
    while True:
        job = client.get_backend_job(AppId=app_id, BackendEnvironmentName=env, JobId=job_id)
        if job["Status"] in TERMINAL:
            return job
        assert job["Status"] == "RUNNING", job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job['Status']} after {timeout} s")
        time.sleep(interval)


def worker_pass_after(server, operator_key, after_ms, timeout=15.0):
    """Waits until the job worker has made a whole pass over due jobs that began after `after_ms` (Unix ms): the first
    pass seen ending after it may have begun before it, so this waits for the pass after that one too."""
    def last_pass():
        worker = raw(server.url, "GET", "/_ampstack/health", auth=False,
                     headers={"Authorization": f"Bearer {operator_key}"}).json()["jobWorker"]
        at = worker.get("lastPassAt")
        return datetime.datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp() * 1000 if at else 0

    deadline = time.monotonic() + timeout
    seen = None
    while True:
        at = last_pass()
        if seen is None and at > after_ms:
            seen = at
        elif seen is not None and at > seen:
            return
        assert time.monotonic() < deadline, f"no job-worker pass began after {after_ms} within {timeout} s"
        time.sleep(0.05)


def assert_epoch_ms(value, not_before_ms=None, not_after_ms=None):
    assert isinstance(value, str) and re.fullmatch(r"[1-9][0-9]{12}", value), value
    ms = int(value)
    if not_before_ms is not None:
        assert ms >= not_before_ms - 2000, (value, not_before_ms)
    if not_after_ms is not None:
        assert ms <= not_after_ms + 2000, (value, not_after_ms)
    return ms


def assert_accepted(resp, app_id, env, operation, members=("AppId", "BackendEnvironmentName", "JobId", "Operation", "Status")):
    """The answer of an asynchronous operation: exactly `members`, a UUID v4 job id, status RUNNING."""
    body = strip_meta(resp)
    assert set(body) == set(members), body
    assert body["AppId"] == app_id
    if "BackendEnvironmentName" in members:
        assert body["BackendEnvironmentName"] == env
    assert UUID4.match(body["JobId"]), body["JobId"]
    assert body["Status"] == "RUNNING", body
    if "Operation" in members:
        assert body["Operation"] == operation
    return body["JobId"]


STORAGE_MEMBERS = ("AppId", "BackendEnvironmentName", "JobId", "Status")


def finish(client, app_id, env, resp, operation, members=("AppId", "BackendEnvironmentName", "JobId", "Operation", "Status"),
           expect="COMPLETED"):
    """Checks an accept response, waits for the job, checks the finished job; returns it."""
    started = int(time.time() * 1000)
    job_id = assert_accepted(resp, app_id, env, operation, members)
    job = wait_job(client, app_id, env, job_id)
    body = strip_meta(job)
    assert body["JobId"] == job_id
    assert body["AppId"] == app_id
    assert body["BackendEnvironmentName"] == env
    assert body["Operation"] == operation
    assert body["Status"] == expect, body
    created = assert_epoch_ms(body["CreateTime"], not_after_ms=started)
    updated = assert_epoch_ms(body["UpdateTime"])
    assert updated >= created
    if expect == "COMPLETED":
        assert "Error" not in body, body
        assert set(body) == {"AppId", "BackendEnvironmentName", "CreateTime", "JobId", "Operation", "Status", "UpdateTime"}
    else:
        assert isinstance(body.get("Error"), str) and body["Error"], body
        assert "\x1b" not in body["Error"], "ANSI escape in job error"
    return body


def create_backend(client, app_id=None, env="dev", app_name=None):
    app_id = app_id or new_app_id()
    resp = client.create_backend(AppId=app_id, AppName=app_name or f"name-{app_id}", BackendEnvironmentName=env)
    finish(client, app_id, env, resp, "CreateBackend")
    return app_id


def meta_of(client, app_id, env=None):
    kwargs = {"AppId": app_id}
    if env:
        kwargs["BackendEnvironmentName"] = env
    return json.loads(client.get_backend(**kwargs)["AmplifyMetaConfig"])


# ---- typical resource configurations ----

def auth_config(pool="userpool1"):
    """A CreateBackendAuth resourceConfig using every member; lists in a deliberate, unsorted order."""
    return {
        "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
        "IdentityPoolConfigs": {"IdentityPoolName": "idpool1", "UnauthenticatedLogin": True},
        "Service": "COGNITO",
        "UserPoolConfigs": {
            "ForgotPassword": {
                "DeliveryMethod": "EMAIL",
                "EmailSettings": {"EmailMessage": "Your code is {####}", "EmailSubject": "Reset"},
                "SmsSettings": {"SmsMessage": "Code {####}"},
            },
            "Mfa": {"MFAMode": "OPTIONAL", "Settings": {"MfaTypes": ["TOTP", "SMS"], "SmsMessage": "MFA {####}"}},
            "OAuth": {
                "DomainPrefix": "myprefix",
                "OAuthGrantType": "CODE",
                "OAuthScopes": ["PROFILE", "OPENID", "EMAIL", "AWS_COGNITO_SIGNIN_USER_ADMIN", "PHONE"],
                "RedirectSignInURIs": ["https://b.example.com/in", "https://a.example.com/in"],
                "RedirectSignOutURIs": ["https://a.example.com/out"],
                "SocialProviderSettings": {
                    "Facebook": {"ClientId": "fb-id", "ClientSecret": "fb-secret"},
                    "Google": {"ClientId": "  google-id-with-leading-spaces", "ClientSecret": "g-secret "},
                    "LoginWithAmazon": {"ClientId": "lwa-id", "ClientSecret": "lwa-secret"},
                    "SignInWithApple": {"ClientId": "apple-id", "KeyId": "KEY1", "PrivateKey": "-----BEGIN-----\nabc\n",
                                        "TeamId": "TEAM1"},
                },
            },
            "PasswordPolicy": {"AdditionalConstraints": ["REQUIRE_SYMBOL", "REQUIRE_DIGIT"], "MinimumLength": 10.0},
            "RequiredSignUpAttributes": ["PHONE_NUMBER", "EMAIL", "BIRTHDATE"],
            "SignInMethod": "EMAIL_AND_PHONE_NUMBER",
            "UserPoolName": pool,
            "VerificationMessage": {"DeliveryMethod": "SMS", "SmsSettings": {"SmsMessage": "Verify {####}"}},
        },
    }


def minimal_auth_config(pool="pool1"):
    return {
        "AuthResources": "USER_POOL_ONLY",
        "Service": "COGNITO",
        "UserPoolConfigs": {"RequiredSignUpAttributes": ["EMAIL"], "SignInMethod": "EMAIL", "UserPoolName": pool},
    }


SCHEMA = """type Todo @model {
  id: ID!
  name: String!
  description: String
}
"""


def api_config(schema=SCHEMA):
    return {
        "AdditionalAuthTypes": [
            {"Mode": "AMAZON_COGNITO_USER_POOLS", "Settings": {"CognitoUserPoolId": "us-east-1_AbCdEfGhI"}},
            {"Mode": "AWS_IAM"},
        ],
        "ApiName": "myapi",
        "ConflictResolution": {"ResolutionStrategy": "AUTOMERGE"},
        "DefaultAuthType": {"Mode": "API_KEY", "Settings": {"Description": "key", "ExpirationTime": 7.0}},
        "Service": "AppSync",
        "TransformSchema": schema,
    }


def storage_config(bucket=None):
    config = {"Permissions": {"Authenticated": ["READ", "CREATE_AND_UPDATE", "DELETE"], "UnAuthenticated": ["READ"]},
              "ServiceName": "S3"}
    if bucket:
        config["BucketName"] = bucket
    return config
