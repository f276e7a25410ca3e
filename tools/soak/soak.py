#!/usr/bin/env python3
"""Ampstack soak: many `kill -9`s, a full disk and a read-only data directory under a realistic client load.

Starts `ampstack serve` on a data directory, drives it with several concurrent boto3 clients doing a mix of all 31
AmplifyBackend operations, and records what every 2xx answer promised (apps, environments, resources with their exact
configuration after merges, deletions, jobs, tokens, Admin UI config). It kills the server with SIGKILL at random
moments (after a random number of acknowledged writes, then a random short delay), restarts it on the same data
directory, and checks every promise against the restarted server; a request that got no answer is "uncertain" and is
resolved by reading the server (either outcome is accepted, nothing else). `PRAGMA integrity_check` runs on the
database file after every stop. With mounting allowed it also fills the data directory's file system and makes it
read-only while the server runs, and checks that the server stays up, answers reads, refuses writes without losing
acknowledged ones, and recovers.

Python 3 with the standard library and boto3/botocore only (pip's boto3 1.43 and Debian's 1.26 alike).
See README.md next to this file for the options and what the figures mean.
"""

import argparse
import collections
import copy
import errno
import http.client
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import uuid
from pathlib import Path

# Keep any user configuration (endpoint overrides, retry modes, profiles) out of the clients.
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
for _name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_AMPLIFYBACKEND",
              "AWS_SESSION_TOKEN", "AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS"):
    os.environ.pop(_name, None)

import boto3  # noqa: E402
import botocore  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "launcher"))
import ampstack_launcher  # noqa: E402  (the shared launcher: starts a server and reads its --ready-file)
import moto_endpoint  # noqa: E402  (--provision moto / --provision-endpoint: provisioning on, issue 23)

SCRIPT_DIR = Path(__file__).resolve().parent
DEFAULT_AMPSTACK = SCRIPT_DIR.parents[1] / "ampstack"
UUID_ANY = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
REGION = "us-east-1"
TERMINAL = ("COMPLETED", "FAILED")
PENDING_TEXT = "There is already a pending job"
ENV_NAMES = ("dev", "prod", "test", "qa")
MAX_ENVS = 3
MAX_APIS = 2
MAX_TOKENS = 4
DB_FILE = "ampstack.db"
FILLER = "soak-filler.bin"

JOB_OPS = {
    "CloneBackend", "CreateBackend", "CreateBackendAPI", "CreateBackendAuth", "CreateBackendConfig",
    "CreateBackendStorage", "DeleteBackend", "DeleteBackendAPI", "DeleteBackendAuth", "DeleteBackendStorage",
    "GenerateBackendAPIModels", "ImportBackendAuth", "ImportBackendStorage", "RemoveAllBackends", "UpdateBackendAPI",
    "UpdateBackendAuth", "UpdateBackendStorage",
}
WRITE_OPS = JOB_OPS | {"CreateToken", "DeleteToken", "RemoveBackendConfig", "UpdateBackendJob", "UpdateBackendConfig"}
READ_OPS_REQUIRED_IN_FAULTS = ("GetBackend", "GetBackendJob", "ListBackendJobs")

SCHEMA_TEMPLATES = (
    "type Todo @model {{\n  id: ID!\n  name: String\n  {field}: String\n}}\n",
    "type Todo @model {{\n  id: ID!\n  name: String!\n  description: String\n  {field}: Int\n}}\n",
    "type Note @model @auth(rules: [{{allow: owner}}]) {{\n  id: ID!\n  text: String\n  {field}: Boolean\n}}\n",
    "type Post @model {{\n  id: ID!\n  title: String!\n  comments: [Comment] @hasMany\n}}\n\n"
    "type Comment @model {{\n  id: ID!\n  content: String\n  {field}: String\n  post: Post @belongsTo\n}}\n",
)
INVALID_SCHEMA = "type Broken @model {\n  id: ID!\n  name: String\n"


def xform(op):
    return botocore.xform_name(op)


def json_merge(stored, update):
    """src/Ampstack.Domain/Common/JsonMerge.cs: given members replace stored ones; objects merge member by member;
    lists (and everything else) are replaced whole."""
    result = copy.deepcopy(stored)
    for name, value in update.items():
        if isinstance(value, dict) and isinstance(result.get(name), dict):
            result[name] = json_merge(result[name], value)
        else:
            result[name] = copy.deepcopy(value)
    return result


def brief(value, limit=300):
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k != "ResponseMetadata"}
    text = value if isinstance(value, str) else json.dumps(value, default=str, sort_keys=True)
    return text if len(text) <= limit else text[:limit] + "..."


# ---------------------------------------------------------------------------------------------------------------------
# Outcomes of one request
# ---------------------------------------------------------------------------------------------------------------------

class Interrupted(Exception):
    """The gate closed (a kill or a fault phase is coming): the request was not sent."""


class Uncertain(Exception):
    """No answer (connection reset, refused, timeout) or a 5xx: the request may or may not have happened."""

    def __init__(self, op, status, detail, request_id=None):
        super().__init__(f"{op}: {'no answer' if status is None else status}: {detail}"
                         + (f" (request {request_id})" if request_id else ""))
        self.op, self.status, self.detail, self.request_id = op, status, detail, request_id
        self.window = None          # (sent, answered) in epoch ms


class Refused(Exception):
    """A 4xx answer."""

    def __init__(self, op, status, code, message, resource_type):
        super().__init__(f"{op}: {status} {code}: {message}")
        self.op, self.status, self.code, self.message, self.resource_type = op, status, code, message, resource_type
        self.window = None


class Skip(Exception):
    """The chosen operation cannot run now (e.g. its environment has a pending job and waiting is not allowed)."""


class Mismatch(Exception):
    """A probe found neither the state before nor the state after an uncertain request."""


# ---------------------------------------------------------------------------------------------------------------------
# The server process
# ---------------------------------------------------------------------------------------------------------------------

class StartRefused(Exception):
    """The server exited before it was ready (as it should on an unusable data directory)."""

    def __init__(self, code, stderr):
        super().__init__(f"exit {code}: {stderr[-400:]}")
        self.code = code
        self.stderr = stderr


def same_but_role_arns(a, b):
    """With provisioning on: the root stack outputs `a` and `b` are the same but for the roles' ARNs (emulated until the
    environment's job made the roles on the endpoint, the endpoint's after)."""
    arns = ("AuthRoleArn", "UnauthRoleArn")
    return isinstance(a, dict) and isinstance(b, dict) and \
        {k: v for k, v in a.items() if k not in arns} == {k: v for k, v in b.items() if k not in arns}


class Server:
    """One `ampstack serve` process at a time on the data directory; restarts keep the directory."""

    def __init__(self, soak, ampstack, data_dir, jobs, token_ttl, start_timeout, main=True):
        self.soak = soak
        self.main = main
        self.ampstack = Path(ampstack)
        self.data_dir = Path(data_dir)
        self.jobs = jobs
        self.token_ttl = token_ttl
        self.start_timeout = start_timeout
        self.proc = None
        self.url = None
        self.expect_exit = False
        self.output = collections.deque(maxlen=400)
        self.errors = []        # (monotonic time, phase, line) of every `fail:`/`crit:` log line
        self.starts = 0
        self._stderr = None
        self._launch = None     # the last start's launcher (its ready file)
        self._lock = threading.Lock()
        soak.servers.append(self)

    def start(self, refusal_expected=False):
        """Starts the server; returns ms to its first answer. With `refusal_expected`, a start the server refuses
        (it exits before it is ready) raises StartRefused instead of counting as a death."""
        args = [str(self.ampstack), "serve", "--port", "0", "--data-dir", str(self.data_dir), "--jobs", self.jobs,
                "--token-ttl", self.token_ttl]
        if self.soak.provisioning is not None:
            args += ["--provision-endpoint", self.soak.provisioning.url]
        env = dict(os.environ)
        env.update({"MSBUILDDISABLENODEREUSE": "1", "DOTNET_CLI_USE_MSBUILD_SERVER": "0", "DOTNET_NOLOGO": "1",
                    "DOTNET_CLI_TELEMETRY_OPTOUT": "1", "UseSharedCompilation": "false"})
        if self._stderr is None:
            fd, self._stderr = tempfile.mkstemp(prefix="ampstack-soak-stderr-", suffix=".log")
            os.close(fd)
        stderr = open(self._stderr, "ab")
        t0 = time.monotonic()
        if self._launch is not None:
            self._launch.cleanup()
        try:
            # `ampstack` execs dotnet, so once the server runs, proc.pid is the server process itself.
            self._launch = ampstack_launcher.Launch(args, cwd=str(self.ampstack.parent), stdin=subprocess.DEVNULL,
                                                    stdout=subprocess.PIPE, stderr=stderr, start_new_session=True, env=env)
        finally:
            stderr.close()
        self.proc = self._launch.proc
        self.expect_exit = refusal_expected
        proc = self.proc

        def pump():
            for raw in proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.soak.log_server_line(f"[{'main' if self.main else 'fresh'} pid {proc.pid}] {line}")
                with self._lock:
                    self.output.append(line)
                    if line.startswith(("fail:", "crit:")) and self.main:
                        self.errors.append((time.monotonic(), self.soak.phase, line))
            proc.wait()
            if not self.expect_exit and proc is self.proc and self.main:
                self.soak.server_died(proc.returncode, self.describe())

        threading.Thread(target=pump, name=f"ampstack-stdout-{proc.pid}", daemon=True).start()
        try:
            ready = self._launch.wait(self.start_timeout, self.describe)
        except ampstack_launcher.ServerExited as exited:
            if refusal_expected:
                with open(self._stderr, "rb") as f:
                    raise StartRefused(exited.code, f.read().decode("utf-8", "replace")) from None
            self.expect_exit = True
            raise RuntimeError(f"ampstack did not start within {self.start_timeout:.0f} s: {self.describe()}") from None
        except ampstack_launcher.NotReady:
            self.expect_exit = True
            ampstack_launcher.kill_group(proc)  # our own build/start, in its own session
            raise RuntimeError(f"ampstack did not start within {self.start_timeout:.0f} s: {self.describe()}") from None
        self.expect_exit = False
        self.url = ready["url"]
        # Time to the first answer: the first request that gets any HTTP response.
        parts = urllib.parse.urlsplit(self.url)
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                conn.request("GET", "/backend/soakprobe/job/dev/none", headers={
                    "Authorization": f"AWS4-HMAC-SHA256 Credential=soak/20260101/{REGION}/amplifybackend/aws4_request, "
                                     "SignedHeaders=host, Signature=abc"})
                conn.getresponse().read()
                conn.close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"ampstack never answered after it was ready: {self.describe()}")
                time.sleep(0.01)
        self.starts += 1
        return (time.monotonic() - t0) * 1000.0

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        self.expect_exit = True
        if self.proc.poll() is None:
            comm = Path(f"/proc/{self.proc.pid}/comm").read_text().strip() if Path(f"/proc/{self.proc.pid}/comm").exists() else "?"
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
            return comm
        return None

    def stop(self):
        if self.proc is None:
            return
        self.expect_exit = True
        if self.proc.poll() is None:
            # Its own session: this also reaches a build the launcher may still be running.
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=20)

    def describe(self):
        err = ""
        if self._stderr and os.path.exists(self._stderr):
            with open(self._stderr, "rb") as f:
                err = f.read()[-3000:].decode("utf-8", "replace")
        with self._lock:
            out = list(self.output)[-15:]
        code = self.proc.poll() if self.proc else None
        return f"exit={code} stdout(last)={out} stderr(last)={err!r}"

    def cleanup(self):
        if self._stderr and os.path.exists(self._stderr):
            os.unlink(self._stderr)
        if self._launch is not None:
            self._launch.cleanup()


# ---------------------------------------------------------------------------------------------------------------------
# The gate: workers pause while the server is down or a fault phase runs
# ---------------------------------------------------------------------------------------------------------------------

class Gate:
    def __init__(self):
        self.cond = threading.Condition()
        self.running = False
        self.stopping = False
        self.gen = 0
        self.url = None
        self.parked = set()

    def allows(self, gen):
        return self.running and self.gen == gen and not self.stopping

    def enter(self, worker):
        with self.cond:
            self.parked.add(worker)
            self.cond.notify_all()
            while not self.running and not self.stopping:
                self.cond.wait()
            self.parked.discard(worker)
            return self.gen, self.url

    def open(self, url):
        with self.cond:
            self.gen += 1
            self.url = url
            self.running = True
            self.cond.notify_all()

    def close(self):
        with self.cond:
            self.running = False

    def wait_parked(self, workers, timeout=120):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                if all(w in self.parked or not w.thread.is_alive() for w in workers):
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(min(left, 0.5))

    def stop(self):
        with self.cond:
            self.stopping = True
            self.cond.notify_all()


# ---------------------------------------------------------------------------------------------------------------------
# A client: one boto3 client, every answer checked and counted
# ---------------------------------------------------------------------------------------------------------------------

def make_client(url, read_timeout):
    # total_max_attempts=1: exactly one attempt in every retry mode, on botocore 1.26 and 1.43 alike (in the legacy mode
    # botocore defaults to, `max_attempts` counts retries, so max_attempts=1 would still retry once).
    config = Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=read_timeout)
    return boto3.session.Session().client("amplifybackend", endpoint_url=url, region_name=REGION,
                                          aws_access_key_id="soak", aws_secret_access_key="soak", config=config)


class Caller:
    def __init__(self, soak, url, gate=None, gen=None):
        self.soak = soak
        self.gate = gate
        self.gen = gen
        self.client = make_client(url, soak.args.read_timeout)
        self.url = url
        self.family_clients = {}

    def __call__(self, op, **kw):
        """The answer of a 2xx; raises Refused (4xx), Uncertain (5xx or no answer) or Interrupted (not sent)."""
        if self.gate is not None and not self.gate.allows(self.gen):
            raise Interrupted()
        soak = self.soak
        sent = time.time() * 1000
        try:
            resp = getattr(self.client, xform(op))(**kw)
        except ClientError as e:
            r = e.response
            meta = r.get("ResponseMetadata", {})
            status = meta.get("HTTPStatusCode", 0)
            soak.count(op, status)
            self._check_wire(op, status, meta, r)
            err = r.get("Error", {})
            if status >= 500 or status == 0:
                soak.saw_5xx(op, status, err.get("Message", ""), meta.get("RequestId"), kw)
                u = Uncertain(op, status, f"{err.get('Code')}: {err.get('Message')}", meta.get("RequestId"))
                u.window = (sent, time.time() * 1000)
                raise u
            x = Refused(op, status, err.get("Code"), err.get("Message", ""), r.get("ResourceType"))
            x.window = (sent, time.time() * 1000)
            raise x
        except ParamValidationError:
            raise
        except (BotoCoreError, OSError) as e:
            soak.count(op, "no answer")
            u = Uncertain(op, None, f"{type(e).__name__}: {e}")
            u.window = (sent, time.time() * 1000)
            raise u
        meta = resp.get("ResponseMetadata", {})
        status = meta.get("HTTPStatusCode", 0)
        soak.count(op, status)
        self._check_wire(op, status, meta, resp)
        if op in WRITE_OPS and not (op == "UpdateBackendConfig" and "LoginAuthConfig" not in kw):
            soak.acked_write()
        else:
            soak.acked_read()
        return resp

    def family(self, service, method, **kw):
        """(status, answer) of a read of an Amplify-family service on the same port (s3, cloudformation, amplify);
        a 5xx or no answer raises Uncertain, as for the Admin API."""
        if self.gate is not None and not self.gate.allows(self.gen):
            raise Interrupted()
        soak = self.soak
        if service not in self.family_clients:
            config = Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=soak.args.read_timeout,
                            s3={"addressing_style": "path"})
            self.family_clients[service] = boto3.session.Session().client(
                service, endpoint_url=self.url, region_name=REGION, aws_access_key_id="soak", aws_secret_access_key="soak",
                config=config)
        op = f"{service}:{method}"
        sent = time.time() * 1000
        try:
            resp = getattr(self.family_clients[service], method)(**kw)
        except ClientError as e:
            resp = e.response
        except ParamValidationError:
            raise
        except (BotoCoreError, OSError) as e:
            soak.count(op, "no answer")
            u = Uncertain(op, None, f"{type(e).__name__}: {e}")
            u.window = (sent, time.time() * 1000)
            raise u
        meta = resp.get("ResponseMetadata", {})
        status = meta.get("HTTPStatusCode", 0)
        soak.count(op, status)
        if status >= 500 or status == 0:
            err = resp.get("Error", {})
            soak.saw_5xx(op, status, err.get("Message", ""), meta.get("RequestId"), kw)
            u = Uncertain(op, status, f"{err.get('Code')}: {err.get('Message')}", meta.get("RequestId"))
            u.window = (sent, time.time() * 1000)
            raise u
        soak.acked_read()
        return status, resp

    def probe(self, op, **kw):
        """(status, answer) for reads whose 404 is an expected outcome; Uncertain/Interrupted still raise."""
        try:
            return 200, self(op, **kw)
        except Refused as r:
            return r.status, {"Code": r.code, "Message": r.message, "ResourceType": r.resource_type}

    def _check_wire(self, op, status, meta, body):
        headers = meta.get("HTTPHeaders", {})
        rid = headers.get("x-amzn-requestid", "")
        if not UUID_ANY.match(rid):
            self.soak.failure("protocol", f"{op}: answer {status} without a UUID x-amzn-RequestId ({brief(headers)})")
        if meta.get("RetryAttempts", 0):
            self.soak.failure("tool", f"{op}: botocore retried {meta.get('RetryAttempts')} time(s)")
        if status >= 300 and status != 0:
            code = body.get("Error", {}).get("Code")
            if headers.get("x-amzn-errortype", "").split(":")[0] != code:
                self.soak.failure("protocol", f"{op}: error {status} {code} with x-amzn-ErrorType "
                                              f"{headers.get('x-amzn-errortype')!r}")


# ---------------------------------------------------------------------------------------------------------------------
# The model of what was promised
# ---------------------------------------------------------------------------------------------------------------------

class Job:
    def __init__(self, app_id, env, job_id, operation, expect, source):
        self.app_id, self.env, self.job_id, self.operation = app_id, env, job_id, operation
        self.expect = expect        # "COMPLETED" / "FAILED" / None (either)
        self.source = source        # "ack" (a 2xx answered it) or "recovered" (found RUNNING in the database at a stop)
        self.snapshot = None        # the finished job as last seen: it must not change unless we change it
        self.on_done = None


class Auth:
    def __init__(self, name, config, imported):
        self.name, self.config, self.imported = name, config, imported   # config None: learn on the next read


class Api:
    def __init__(self, name, config):
        self.name, self.config = name, config
        self.generated = None       # the transformSchema the stored models were made from; "?" when not known
        self.gen_job = None


class Storage:
    def __init__(self, name, config, bucket, imported):
        self.name, self.config, self.bucket, self.imported = name, config, bucket, imported   # bucket None: learn

    def view(self):
        """GetBackendStorage's resourceConfig: bucket and imported flag, with the stored permissions and service."""
        view = {"BucketName": self.bucket, "Imported": self.imported, "ServiceName": self.config.get("ServiceName")}
        if self.config.get("Permissions") is not None:
            view["Permissions"] = self.config["Permissions"]
        return {k: v for k, v in view.items() if v is not None}


class Env:
    def __init__(self, name):
        self.name = name
        self.auth = None
        self.storage = None
        self.apis = {}
        self.gone = set()           # (kind, name) deleted in this environment
        self.provider = None        # amplify-meta's root stack outputs, stable once seen


class App:
    def __init__(self, app_id):
        self.id = app_id
        self.exists = False
        self.name = None
        self.envs = {}              # name -> Env, oldest first
        self.gone_envs = set()
        self.admin = None           # {"manager": str|None, "login": dict|None (None: learn)}
        self.tokens = {}            # session id -> (challenge code, ttl epoch seconds)
        self.dead_tokens = collections.deque(maxlen=12)
        self.pending = {}           # environment name -> job id not known to have ended (delay mode)
        self.jobs = []              # job ids of this app
        self.uncertain = None       # a Pending: the app waits for its resolution


class Pending:
    def __init__(self, op, params, apply, probe, cause, job_env=None, changes=True):
        self.op, self.params, self.apply, self.probe, self.cause = op, params, apply, probe, cause
        self.job_env = job_env or params.get("BackendEnvironmentName")   # where its job would be recorded
        self.changes = changes      # False: applied or not, the stored state is the same (only a job differs)


# ---------------------------------------------------------------------------------------------------------------------
# A worker: a client thread with its own apps
# ---------------------------------------------------------------------------------------------------------------------

class Worker:
    def __init__(self, soak, name, n_apps, seed, threaded=True):
        self.soak = soak
        self.name = name
        self.rng = random.Random(seed)
        self.apps = [App(f"sk{soak.run_id}-{name}-a{j}") for j in range(n_apps)]
        self.jobs = {}
        self.counter = 0
        self.no_wait = False        # fault phases: never wait for a pending job, pick something else
        self.thread = threading.Thread(target=self.run, name=f"soak-{name}", daemon=True) if threaded else None
        self.gen = None
        self.caller = None

    def uid(self):
        self.counter += 1
        return self.counter

    # ---- the thread ----

    def run(self):
        soak = self.soak
        while True:
            gen, url = soak.gate.enter(self)
            if soak.gate.stopping:
                return
            if gen != self.gen:
                try:
                    self.caller = Caller(soak, url, soak.gate, gen)
                except Exception as e:  # noqa: BLE001
                    soak.failure("tool", f"{self.name}: cannot make a client: {e!r}")
                    time.sleep(0.5)
                    continue
                self.gen = gen
            try:
                self.step(self.caller)
            except (Interrupted, Skip):
                pass
            except Uncertain as u:
                soak.after_uncertain(u, gen)
            except Exception as e:  # noqa: BLE001 - a bug of this tool must not hide the others
                soak.failure("tool", f"{self.name}: {type(e).__name__}: {e}\n{traceback.format_exc(limit=6)}")
                time.sleep(0.2)

    # ---- choosing an operation ----

    def step(self, c, writes_only=False):
        apps = [a for a in self.apps if a.uncertain is None]
        if not apps:
            if writes_only:
                raise Skip()
            self.read_buckets(c)
            return
        app = self.rng.choice(apps)
        choices = self.choices(app, writes_only)
        if not choices:
            raise Skip()
        total = sum(w for w, _ in choices)
        x = self.rng.uniform(0, total)
        for weight, fn in choices:
            x -= weight
            if x <= 0:
                break
        broken = self.soak.thread_broken()
        fn(c, app)
        if self.soak.thread_broken() > broken and app.uncertain is None:
            self.resync(c, app)   # report a disagreement once, then go on from the server's state

    def choices(self, app, writes_only=False):
        out = []

        def add(weight, fn, write=True):
            if write or not writes_only:
                out.append((weight, fn))

        if not app.exists:
            add(10, self.op_create_backend)
            add(1, self.op_create_config)
            add(1, lambda c, a: self.check_backend(c, a), write=False)
            return out
        if len(app.envs) < MAX_ENVS:
            add(3, self.op_create_backend)
            if app.envs:
                add(1.5, self.op_clone_backend)
        if app.envs:
            add(0.6 if len(app.envs) < MAX_ENVS else 2, self.op_delete_backend)
            env = self.rng.choice(list(app.envs.values()))
            if env.auth is None:
                add(3, lambda c, a: self.op_create_auth(c, a, env))
                add(1, lambda c, a: self.op_import_auth(c, a, env))
            else:
                add(3, lambda c, a: self.op_update_auth(c, a, env))
                add(1, lambda c, a: self.op_delete_auth(c, a, env))
                add(3, lambda c, a: self.check_auth(c, a, env), write=False)
            if len(env.apis) < MAX_APIS:
                add(3, lambda c, a: self.op_create_api(c, a, env))
            if env.apis:
                add(3, lambda c, a: self.op_update_api(c, a, env))
                add(1, lambda c, a: self.op_delete_api(c, a, env))
                add(2, lambda c, a: self.op_generate_models(c, a, env))
                add(2, lambda c, a: self.check_apis(c, a, env), write=False)
            if env.storage is None:
                add(3, lambda c, a: self.op_create_storage(c, a, env))
                add(1, lambda c, a: self.op_import_storage(c, a, env))
            else:
                add(2, lambda c, a: self.op_update_storage(c, a, env))
                add(1, lambda c, a: self.op_delete_storage(c, a, env))
                add(3, lambda c, a: self.check_storage(c, a, env), write=False)
            add(3, lambda c, a: self.check_backend(c, a, env.name), write=False)
            add(1.5, lambda c, a: self.check_deployed(c, a, env), write=False)
            add(2, lambda c, a: self.check_list_jobs(c, a, env.name, pages=3), write=False)
        add(0.4, self.op_remove_all)
        add(1, lambda c, a: self.check_backend(c, a), write=False)
        add(2 if len(app.tokens) < MAX_TOKENS else 0.2, self.op_create_token)
        if app.tokens:
            add(2, self.check_tokens, write=False)
            add(1 if len(app.tokens) < MAX_TOKENS else 3, self.op_delete_token)
        if app.admin is None:
            add(1, self.op_create_config)
        else:
            add(2, self.op_update_config)
            add(1, lambda c, a: self.check_admin(c, a), write=False)
            add(0.5, self.op_remove_config)
            add(0.3, self.op_create_config)
        if app.jobs:
            add(3, lambda c, a: self.check_some_jobs(c, a), write=False)
            add(0.5, self.op_update_job)
        add(0.3, lambda c, a: self.read_buckets(c), write=False)
        return out

    # ---- writes ----

    def write(self, c, app, op, params, apply, probe, job_env=None, changes=True):
        """Sends a write; on a 2xx applies it to the model. Anything else leaves the app blocked until a resolution
        reads which state the server is in (a 4xx must have changed nothing; a 5xx or no answer may have)."""
        soak = self.soak
        try:
            resp = c(op, **params)
        except Uncertain as u:
            app.uncertain = Pending(op, params, apply, probe, u, job_env, changes)
            soak.journal(worker=self.name, op=op, params=params, outcome="no answer" if u.status is None else u.status,
                         detail=u.detail[:200], request_id=u.request_id, window=u.window)
            self.soak.write_outcome(op, "no answer" if u.status is None else f"{u.status}", u.detail)
            self.soak.note_uncertain(self.name, op, params, u)
            raise
        except Refused as r:
            app.uncertain = Pending(op, params, apply, probe, r, job_env, changes)
            soak.journal(worker=self.name, op=op, params=params, outcome=r.status, detail=f"{r.code}: {r.message[:200]}")
            self.soak.write_outcome(op, f"{r.status} {r.code}", r.message)
            self.soak.note_refused(self.name, op, params, r)
            return None
        self.soak.write_outcome(op, "2xx", "")
        soak.journal(worker=self.name, op=op, params=params, outcome=200, job=resp.get("JobId"),
                     request_id=resp.get("ResponseMetadata", {}).get("RequestId"))
        apply(resp)
        return resp

    def wait_pending(self, c, app, envs):
        for env in envs:
            job_id = app.pending.get(env)
            if job_id is None:
                continue
            if self.no_wait:
                raise Skip()
            job = self.jobs.get(job_id)
            if job is not None:
                self.check_job(c, job, wait=True)
            app.pending.pop(env, None)

    def job_env(self, app):
        return next(iter(app.envs)) if app.envs else "staging"

    def job_ack(self, c, app, resp, op, env, expect="COMPLETED", on_done=None):
        """Records an acknowledged job. `on_done(status)` runs once, when the job is first seen ended (its natural
        end: an UpdateBackendJob that changes the status later does not call it)."""
        soak = self.soak
        job_id = resp.get("JobId", "")
        soak.promise(resp.get("Status") == "RUNNING" and bool(UUID4.match(job_id)) and resp.get("AppId") == app.id
                     and resp.get("BackendEnvironmentName", env) == env and resp.get("Operation", op) == op,
                     f"{op} {app.id}/{env}: the answer of a job must be RUNNING with a UUID v4 job id, its app, "
                     f"environment and operation; got {brief(resp)}")
        job = Job(app.id, env, job_id, op, expect, "ack")
        job.on_done = on_done
        self.jobs[job_id] = job
        app.jobs.append(job_id)
        if soak.delay_mode:
            app.pending[env] = job_id
        elif self.rng.random() < 0.25:
            # In immediate mode the job has finished before its answer, unless the store could not take the second
            # write (a disk fault): the change is committed and answered, and the job ends once writes work again.
            try:
                self.check_job(c, job, wait=False, must_be_done=not soak.phase.startswith("fault"))
            except (Interrupted, Uncertain):
                pass
        return job

    def op_create_backend(self, c, app):
        free = [e for e in ENV_NAMES if e not in app.envs]
        env = self.rng.choice(free)
        app_name = f"name-{app.id}-{self.uid()}"
        self.wait_pending(c, app, [env])

        def apply(resp):
            if not app.exists:
                app.exists, app.name = True, app_name
            app.envs[env] = Env(env)
            app.gone_envs.discard(env)
            if resp:
                self.job_ack(c, app, resp, "CreateBackend", env)

        def probe(c):
            return self.probe_exists(c, "GetBackend", "BackendEnvironment", AppId=app.id, BackendEnvironmentName=env,
                                     app_missing_ok=not app.exists)

        self.write(c, app, "CreateBackend", dict(AppId=app.id, AppName=app_name, BackendEnvironmentName=env), apply,
                   probe)

    def op_clone_backend(self, c, app):
        free = [e for e in ENV_NAMES if e not in app.envs]
        src = app.envs[self.rng.choice(list(app.envs))]
        target = self.rng.choice(free)
        if self.soak.provisioned and src.storage and not src.storage.imported and "BucketName" in (src.storage.config or {}):
            # With provisioning the copy would name the source's bucket: the clone fails by design (and removes its
            # target), which tests/conformance/test_provisioning.py checks; the soak's model does not follow it.
            raise Skip()
        self.wait_pending(c, app, [src.name, target])

        def apply(resp):
            new = Env(target)
            if src.auth:
                new.auth = Auth(src.auth.name, copy.deepcopy(src.auth.config), src.auth.imported)
            if src.storage:
                s = src.storage
                keep = s.imported or "BucketName" in (s.config or {})
                new.storage = Storage(s.name, copy.deepcopy(s.config), s.bucket if keep else None, s.imported)
            for api in src.apis.values():
                clone = Api(api.name, copy.deepcopy(api.config))
                clone.generated = api.generated
                new.apis[api.name] = clone
            app.envs[target] = new
            app.gone_envs.discard(target)
            if resp:
                self.job_ack(c, app, resp, "CloneBackend", src.name)

        def probe(c):
            return self.probe_exists(c, "GetBackend", "BackendEnvironment", AppId=app.id, BackendEnvironmentName=target)

        self.write(c, app, "CloneBackend", dict(AppId=app.id, BackendEnvironmentName=src.name,
                                                TargetEnvironmentName=target), apply, probe)

    def op_delete_backend(self, c, app):
        env = self.rng.choice(list(app.envs))
        self.wait_pending(c, app, [env])

        def apply(resp):
            app.envs.pop(env, None)
            app.gone_envs.add(env)
            if resp:
                self.job_ack(c, app, resp, "DeleteBackend", env)

        def probe(c):
            return not self.probe_exists(c, "GetBackend", "BackendEnvironment", AppId=app.id, BackendEnvironmentName=env)

        self.write(c, app, "DeleteBackend", dict(AppId=app.id, BackendEnvironmentName=env), apply, probe)

    def op_remove_all(self, c, app):
        clean = self.rng.random() < 0.5
        self.wait_pending(c, app, list(app.pending))
        job_env = self.job_env(app)
        had_envs = bool(app.envs)

        def apply(resp):
            for name in app.envs:
                app.gone_envs.add(name)
            app.envs.clear()
            if clean:
                app.exists, app.name, app.admin = False, None, None
                for sid in app.tokens:
                    app.dead_tokens.append(sid)
                app.tokens.clear()
            if resp:
                self.job_ack(c, app, resp, "RemoveAllBackends", job_env)

        def probe(c):
            status, r = c.probe("GetBackend", AppId=app.id)
            rtype = r.get("ResourceType")
            if clean:
                if status == 404 and rtype == "App":
                    return True
                if status == 200 or (status == 404 and rtype == "BackendEnvironment" and not had_envs):
                    return False
            else:
                if status == 404 and rtype == "BackendEnvironment":
                    return True if had_envs else None
                if status == 200 and had_envs:
                    return False
            raise Mismatch(f"GetBackend {app.id} answered {status} {brief(r)}")

        self.write(c, app, "RemoveAllBackends", dict(AppId=app.id, CleanAmplifyApp=clean), apply, probe, job_env=job_env)

    # ---- auth ----

    def auth_config(self):
        n = self.uid()
        kind = self.rng.random()
        if kind < 0.4:
            return {"AuthResources": "USER_POOL_ONLY", "Service": "COGNITO",
                    "UserPoolConfigs": {"RequiredSignUpAttributes": ["EMAIL"], "SignInMethod": "EMAIL",
                                        "UserPoolName": f"pool{n}"}}
        if kind < 0.7:
            return {"AuthResources": "IDENTITY_POOL_AND_USER_POOL", "Service": "COGNITO",
                    "IdentityPoolConfigs": {"IdentityPoolName": f"idp{n}", "UnauthenticatedLogin": self.rng.random() < 0.5},
                    "UserPoolConfigs": {
                        "RequiredSignUpAttributes": self.rng.sample(["EMAIL", "PHONE_NUMBER", "BIRTHDATE", "NAME"], 2),
                        "SignInMethod": self.rng.choice(["EMAIL", "USERNAME", "PHONE_NUMBER", "EMAIL_AND_PHONE_NUMBER"]),
                        "UserPoolName": f"pool{n}",
                        "PasswordPolicy": {"AdditionalConstraints": ["REQUIRE_SYMBOL", "REQUIRE_DIGIT"],
                                           "MinimumLength": float(self.rng.randint(8, 20))}}}
        return {
            "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
            "IdentityPoolConfigs": {"IdentityPoolName": f"idpool{n}", "UnauthenticatedLogin": True},
            "Service": "COGNITO",
            "UserPoolConfigs": {
                "ForgotPassword": {"DeliveryMethod": "EMAIL",
                                   "EmailSettings": {"EmailMessage": "Your code is {####}", "EmailSubject": f"Reset {n}"},
                                   "SmsSettings": {"SmsMessage": "Code {####}"}},
                "Mfa": {"MFAMode": "OPTIONAL", "Settings": {"MfaTypes": ["TOTP", "SMS"], "SmsMessage": "MFA {####}"}},
                "OAuth": {"DomainPrefix": f"prefix{n}", "OAuthGrantType": "CODE",
                          "OAuthScopes": ["PROFILE", "OPENID", "EMAIL", "AWS_COGNITO_SIGNIN_USER_ADMIN", "PHONE"],
                          "RedirectSignInURIs": ["https://b.example.com/in", "https://a.example.com/in"],
                          "RedirectSignOutURIs": ["https://a.example.com/out"],
                          "SocialProviderSettings": {
                              "Facebook": {"ClientId": "fb-id", "ClientSecret": "fb-secret"},
                              "Google": {"ClientId": "  google-id-with-leading-spaces", "ClientSecret": "g-secret "},
                              "SignInWithApple": {"ClientId": "apple-id", "KeyId": "KEY1",
                                                  "PrivateKey": "-----BEGIN-----\nabc\n", "TeamId": "TEAM1"}}},
                "PasswordPolicy": {"AdditionalConstraints": ["REQUIRE_SYMBOL", "REQUIRE_DIGIT"], "MinimumLength": 10.0},
                "RequiredSignUpAttributes": ["PHONE_NUMBER", "EMAIL", "BIRTHDATE"],
                "SignInMethod": "EMAIL_AND_PHONE_NUMBER",
                "UserPoolName": f"pool{n}",
                "VerificationMessage": {"DeliveryMethod": "SMS", "SmsSettings": {"SmsMessage": "Verify {####}"}},
            },
        }

    def auth_update(self, current):
        n = self.uid()
        resources = (current or {}).get("AuthResources", "USER_POOL_ONLY")
        kind = self.rng.randrange(5)
        upc = {}
        if kind == 0:
            upc = {"PasswordPolicy": {"MinimumLength": float(self.rng.randint(8, 40))}}
        elif kind == 1:
            types = self.rng.sample(["SMS", "TOTP"], self.rng.randint(1, 2))
            upc = {"Mfa": {"MFAMode": self.rng.choice(["ON", "OFF", "OPTIONAL"]),
                           "Settings": {"MfaTypes": types, "SmsMessage": f"code {{####}} {n}"}}}
        elif kind == 2:
            upc = {"ForgotPassword": {"DeliveryMethod": "EMAIL",
                                      "EmailSettings": {"EmailMessage": f"reset {{####}} {n}", "EmailSubject": f"s{n}"}}}
        elif kind == 3:
            upc = {"VerificationMessage": {"DeliveryMethod": "SMS", "SmsSettings": {"SmsMessage": f"verify {{####}} {n}"}}}
        update = {"AuthResources": resources, "Service": "COGNITO", "UserPoolConfigs": upc}
        if kind == 4:
            update["AuthResources"] = "IDENTITY_POOL_AND_USER_POOL"
            update["IdentityPoolConfigs"] = {"UnauthenticatedLogin": self.rng.random() < 0.5}
        return update

    def op_create_auth(self, c, app, env, config=None):
        name = f"auth{self.uid()}"
        config = config or self.auth_config()
        self.wait_pending(c, app, [env.name])

        def apply(resp):
            env.auth = Auth(name, config, False)
            env.gone.discard(("auth", name))
            if resp:
                self.job_ack(c, app, resp, "CreateBackendAuth", env.name)

        def probe(c):
            return self.probe_exists(c, "GetBackendAuth", "BackendAuth", AppId=app.id, BackendEnvironmentName=env.name,
                                     ResourceName=name)

        self.write(c, app, "CreateBackendAuth", dict(AppId=app.id, BackendEnvironmentName=env.name, ResourceName=name,
                                                     ResourceConfig=config), apply, probe)

    def op_import_auth(self, c, app, env):
        pool = f"{REGION}_" + "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
                                      for _ in range(9))
        params = dict(AppId=app.id, BackendEnvironmentName=env.name, UserPoolId=pool,
                      WebClientId=f"web{self.uid()}", NativeClientId=f"native{self.uid()}")
        if self.rng.random() < 0.5:
            params["IdentityPoolId"] = f"{REGION}:{uuid.UUID(int=self.rng.getrandbits(128), version=4)}"
        if self.soak.provisioning is not None:
            # The import is checked on the endpoint: name a pool, clients and identity pool made there.
            params = self.real_auth_to_import(params)
            pool = params["UserPoolId"]
        self.wait_pending(c, app, [env.name])

        def apply(resp):
            env.auth = Auth(pool, None, True)   # the server makes the configuration of an import: learned on read
            env.gone.discard(("auth", pool))
            if resp:
                self.job_ack(c, app, resp, "ImportBackendAuth", env.name)

        def probe(c):
            return self.probe_exists(c, "GetBackendAuth", "BackendAuth", AppId=app.id, BackendEnvironmentName=env.name,
                                     ResourceName=pool)

        self.write(c, app, "ImportBackendAuth", params, apply, probe)

    def real_auth_to_import(self, params):
        idp = self.soak.provisioning.client("cognito-idp", REGION)
        made = idp.create_user_pool(PoolName=f"imp-{self.soak.run_id}-{self.name}-{self.uid()}")["UserPool"]["Id"]
        real = dict(params, UserPoolId=made)
        for member in ("WebClientId", "NativeClientId"):
            real[member] = idp.create_user_pool_client(UserPoolId=made, ClientName=params[member])["UserPoolClient"]["ClientId"]
        if "IdentityPoolId" in params:
            identity = self.soak.provisioning.client("cognito-identity", REGION)
            real["IdentityPoolId"] = identity.create_identity_pool(
                IdentityPoolName=f"imp_{self.soak.run_id}_{self.uid()}", AllowUnauthenticatedIdentities=False)["IdentityPoolId"]
        return real

    def op_update_auth(self, c, app, env):
        auth = env.auth
        self.wait_pending(c, app, [env.name])
        if auth.config is None:
            self.check_auth(c, app, env)
            if env.auth is not auth or auth.config is None:
                return
        old = auth.config
        update = self.auth_update(old)
        merged = json_merge(old, update)

        def apply(resp):
            auth.config = merged
            if resp:
                self.job_ack(c, app, resp, "UpdateBackendAuth", env.name)

        def probe(c):
            return self.probe_config(c, "GetBackendAuth", merged, old, AppId=app.id, BackendEnvironmentName=env.name,
                                     ResourceName=auth.name)

        self.write(c, app, "UpdateBackendAuth", dict(AppId=app.id, BackendEnvironmentName=env.name,
                                                     ResourceName=auth.name, ResourceConfig=update), apply, probe,
                   changes=merged != old)

    def op_delete_auth(self, c, app, env):
        self.delete_resource(c, app, env, "auth", "Auth")

    def delete_resource(self, c, app, env, kind, suffix, **extra):
        """Delete{Auth,Storage}: the environment's one resource of `kind` (attribute of `env`), `suffix` in the
        operation names (DeleteBackend<suffix>, GetBackend<suffix>); `extra` members go into the request."""
        resource = getattr(env, kind)
        self.wait_pending(c, app, [env.name])

        def apply(resp):
            setattr(env, kind, None)
            env.gone.add((kind, resource.name))
            if resp:
                self.job_ack(c, app, resp, f"DeleteBackend{suffix}", env.name)

        def probe(c):
            return not self.probe_exists(c, f"GetBackend{suffix}", f"Backend{suffix}", AppId=app.id,
                                         BackendEnvironmentName=env.name, ResourceName=resource.name)

        self.write(c, app, f"DeleteBackend{suffix}", dict(AppId=app.id, BackendEnvironmentName=env.name,
                                                         ResourceName=resource.name, **extra), apply, probe)

    # ---- API ----

    def schema(self):
        return self.rng.choice(SCHEMA_TEMPLATES).format(field=f"f{self.uid()}")

    def api_config(self):
        config = {"ApiName": f"api{self.uid()}", "Service": "AppSync", "TransformSchema": self.schema()}
        if self.rng.random() < 0.6:
            config["DefaultAuthType"] = {"Mode": "API_KEY", "Settings": {"Description": "key", "ExpirationTime": 7.0}}
        if self.rng.random() < 0.4:
            config["AdditionalAuthTypes"] = [
                {"Mode": "AMAZON_COGNITO_USER_POOLS", "Settings": {"CognitoUserPoolId": f"{REGION}_AbCdEfGhI"}},
                {"Mode": "AWS_IAM"}]
        if self.rng.random() < 0.4:
            config["ConflictResolution"] = {"ResolutionStrategy": "AUTOMERGE"}
        return config

    def op_create_api(self, c, app, env):
        name = f"api{self.uid()}"
        config = self.api_config()
        invalid = self.rng.random() < 0.05
        if invalid:
            config["TransformSchema"] = INVALID_SCHEMA
        self.wait_pending(c, app, [env.name])

        def apply(resp):
            if not invalid:
                env.apis[name] = Api(name, config)
                env.gone.discard(("api", name))
            else:
                env.gone.add(("api", name))
            if resp:
                self.job_ack(c, app, resp, "CreateBackendAPI", env.name, expect="FAILED" if invalid else "COMPLETED")

        def probe(c):
            exists = self.probe_exists(c, "GetBackendAPI", "BackendAPI", AppId=app.id, BackendEnvironmentName=env.name,
                                       ResourceName=name)
            if invalid and exists:
                raise Mismatch(f"API {name} with an invalid schema was stored")
            return exists

        self.write(c, app, "CreateBackendAPI", dict(AppId=app.id, BackendEnvironmentName=env.name, ResourceName=name,
                                                    ResourceConfig=config), apply, probe, changes=not invalid)

    def op_update_api(self, c, app, env):
        api = env.apis[self.rng.choice(list(env.apis))]
        kind = self.rng.random()
        invalid = False
        if kind < 0.35:
            update = {"TransformSchema": self.schema()}
        elif kind < 0.45:
            update = {"ApiName": f"renamed{self.uid()}"}
        elif kind < 0.6:
            update = {"DefaultAuthType": {"Settings": {"Description": f"key {self.uid()}"}}}
        elif kind < 0.7:
            update = {"ConflictResolution": {"ResolutionStrategy": self.rng.choice(["AUTOMERGE", "OPTIMISTIC_CONCURRENCY",
                                                                                   "LAMBDA", "NONE"])}}
        elif kind < 0.8:
            update = {"AdditionalAuthTypes": [{"Mode": "AWS_IAM"}]}
        elif kind < 0.9:
            update = {"TransformSchema": self.schema(), "ApiName": f"both{self.uid()}"}
        elif kind < 0.95:
            update = None      # no resourceConfig: nothing changes, the job still runs
        else:
            update = {"TransformSchema": INVALID_SCHEMA}
            invalid = True
        self.wait_pending(c, app, [env.name])
        old = api.config
        merged = old if (update is None or invalid) else json_merge(old, update)

        def apply(resp):
            api.config = merged
            if resp:
                self.job_ack(c, app, resp, "UpdateBackendAPI", env.name, expect="FAILED" if invalid else "COMPLETED")

        def probe(c):
            got = self.probe_config(c, "GetBackendAPI", merged, old, AppId=app.id, BackendEnvironmentName=env.name,
                                    ResourceName=api.name)
            return None if merged == old else got

        params = dict(AppId=app.id, BackendEnvironmentName=env.name, ResourceName=api.name)
        if update is not None:
            params["ResourceConfig"] = update
        self.write(c, app, "UpdateBackendAPI", params, apply, probe, changes=merged != old)

    def op_delete_api(self, c, app, env):
        api = env.apis[self.rng.choice(list(env.apis))]
        self.wait_pending(c, app, [env.name])

        def apply(resp):
            env.apis.pop(api.name, None)
            env.gone.add(("api", api.name))
            if resp:
                self.job_ack(c, app, resp, "DeleteBackendAPI", env.name)

        def probe(c):
            return not self.probe_exists(c, "GetBackendAPI", "BackendAPI", AppId=app.id,
                                         BackendEnvironmentName=env.name, ResourceName=api.name)

        self.write(c, app, "DeleteBackendAPI", dict(AppId=app.id, BackendEnvironmentName=env.name,
                                                    ResourceName=api.name), apply, probe)

    def op_generate_models(self, c, app, env):
        api = env.apis[self.rng.choice(list(env.apis))]
        self.wait_pending(c, app, [env.name])
        schema = api.config.get("TransformSchema")
        before = api.generated

        def apply(resp):
            api.generated = schema
            if resp:
                def done(status):
                    if status == "FAILED":
                        api.generated = before

                job = self.job_ack(c, app, resp, "GenerateBackendAPIModels", env.name, on_done=done)
                api.gen_job = job.job_id

        def probe(c):
            status, r = c.probe("GetBackendAPIModels", AppId=app.id, BackendEnvironmentName=env.name,
                                ResourceName=api.name)
            if status != 200:
                raise Mismatch(f"GetBackendAPIModels answered {status} {brief(r)}")
            if before == schema:
                if r.get("Status") == "LATEST" and r.get("Models"):
                    return None
                raise Mismatch(f"models were LATEST before and are {r.get('Status')} now")
            if r.get("Status") == "LATEST" and r.get("Models"):
                return True
            return False

        self.write(c, app, "GenerateBackendAPIModels", dict(AppId=app.id, BackendEnvironmentName=env.name,
                                                            ResourceName=api.name), apply, probe)

    # ---- storage ----

    def permissions(self):
        perms = {"Authenticated": self.rng.sample(["READ", "CREATE_AND_UPDATE", "DELETE"], self.rng.randint(1, 3))}
        if self.rng.random() < 0.6:
            perms["UnAuthenticated"] = self.rng.sample(["READ", "CREATE_AND_UPDATE", "DELETE"], self.rng.randint(1, 2))
        return perms

    def op_create_storage(self, c, app, env):
        name = f"st{self.uid()}"
        config = {"Permissions": self.permissions(), "ServiceName": "S3"}
        if self.rng.random() < 0.6:
            config["BucketName"] = f"soak-{self.soak.run_id}-{self.name}-{self.uid()}"
        self.add_storage(c, app, env, Storage(name, config, config.get("BucketName"), False), "CreateBackendStorage",
                         dict(ResourceName=name, ResourceConfig=config))

    def op_import_storage(self, c, app, env):
        bucket = f"imp-{self.soak.run_id}-{self.name}-{self.uid()}"
        if self.soak.provisioning is not None:
            # The import is checked on the endpoint: name a bucket made there.
            self.soak.provisioning.client("s3", REGION).create_bucket(Bucket=bucket)
        self.add_storage(c, app, env, Storage(bucket, {"ServiceName": "S3"}, bucket, True), "ImportBackendStorage",
                         dict(BucketName=bucket, ServiceName="S3"))

    def add_storage(self, c, app, env, storage, op, members):
        """Create/ImportBackendStorage: `storage` is what the environment holds once `op` (sent with `members`) is done."""
        self.wait_pending(c, app, [env.name])

        def apply(resp):
            env.storage = storage
            env.gone.discard(("storage", storage.name))
            if resp:
                self.job_ack(c, app, resp, op, env.name)

        def probe(c):
            return self.probe_exists(c, "GetBackendStorage", "BackendStorage", AppId=app.id,
                                     BackendEnvironmentName=env.name, ResourceName=storage.name)

        self.write(c, app, op, dict(AppId=app.id, BackendEnvironmentName=env.name, **members), apply, probe)

    def op_update_storage(self, c, app, env):
        st = env.storage
        perms = {"Authenticated": self.rng.sample(["READ", "CREATE_AND_UPDATE", "DELETE"], self.rng.randint(1, 3))}
        if self.rng.random() < 0.3:
            perms["UnAuthenticated"] = ["READ"]
        update = {"Permissions": perms, "ServiceName": "S3"}
        self.wait_pending(c, app, [env.name])
        old = st.config
        merged = json_merge(old, update)
        old_view = st.view()

        def apply(resp):
            st.config = merged
            if resp:
                self.job_ack(c, app, resp, "UpdateBackendStorage", env.name)

        def probe(c):
            status, r = c.probe("GetBackendStorage", AppId=app.id, BackendEnvironmentName=env.name,
                                ResourceName=st.name)
            if status != 200:
                raise Mismatch(f"GetBackendStorage answered {status} {brief(r)}")
            got = r.get("ResourceConfig", {})
            new_view = Storage(st.name, merged, st.bucket, st.imported).view()
            if "BucketName" not in new_view:
                got = {k: v for k, v in got.items() if k != "BucketName"}
            if got == new_view:
                return None if new_view == old_view else True
            if got == old_view:
                return False
            raise Mismatch(f"GetBackendStorage {st.name}: neither {brief(old_view)} nor {brief(new_view)}: {brief(got)}")

        self.write(c, app, "UpdateBackendStorage", dict(AppId=app.id, BackendEnvironmentName=env.name,
                                                        ResourceName=st.name, ResourceConfig=update), apply, probe,
                   changes=merged != old)

    def op_delete_storage(self, c, app, env):
        self.delete_resource(c, app, env, "storage", "Storage", ServiceName="S3")

    # ---- tokens ----

    def op_create_token(self, c, app):
        def apply(resp):
            if not resp:
                return   # an uncertain CreateToken: its session id is unknown, nothing to hold it to
            sid, code, ttl = resp.get("SessionId", ""), resp.get("ChallengeCode", ""), resp.get("Ttl", "")
            now = time.time()
            ok = (resp.get("AppId") == app.id and bool(UUID_ANY.match(sid)) and re.fullmatch(r"[0-9a-f]{32,}", code)
                  is not None and ttl.isdigit() and abs(int(ttl) - (now + self.soak.token_ttl_s)) <= 5)
            self.soak.promise(ok, f"CreateToken {app.id}: expected a session id, a hex challenge of >=128 bits and a "
                                  f"ttl of about now+{self.soak.token_ttl_s:.0f}s; got {brief(resp)}")
            if ok:
                app.tokens[sid] = (code, int(ttl))

        self.write(c, app, "CreateToken", dict(AppId=app.id), apply, lambda c: None)

    def op_delete_token(self, c, app):
        now = time.time()
        live = [sid for sid, (_, ttl) in app.tokens.items() if ttl - now > 5]
        if not live:
            self.check_tokens(c, app)
            return
        sid = self.rng.choice(live)

        def apply(resp):
            if resp is not None:
                self.soak.promise(resp.get("IsSuccess") is True, f"DeleteToken answered {brief(resp)}")
            app.tokens.pop(sid, None)
            app.dead_tokens.append(sid)

        def probe(c):
            return not self.probe_exists(c, "GetToken", "Token", AppId=app.id, SessionId=sid)

        self.write(c, app, "DeleteToken", dict(AppId=app.id, SessionId=sid), apply, probe)

    # ---- Admin UI config ----

    def op_create_config(self, c, app):
        manager = f"mgr{self.uid()}" if self.rng.random() < 0.5 else None
        job_env = self.job_env(app)
        self.wait_pending(c, app, [job_env])
        existed = app.exists
        before = copy.deepcopy(app.admin)

        def apply(resp):
            if not app.exists:
                app.exists, app.name = True, app.id
            if app.admin is None:
                app.admin = {"manager": manager, "login": None}
            elif manager is not None:
                app.admin["manager"] = manager
            if resp:
                self.job_ack(c, app, resp, "CreateBackendConfig", job_env)

        def probe(c):
            status, r = c.probe("UpdateBackendConfig", AppId=app.id)
            if status == 404:
                if before is None and (existed or r.get("ResourceType") == "App"):
                    return False
                raise Mismatch(f"UpdateBackendConfig answered {status} {brief(r)}")
            if before is None:
                return True
            if manager is None or manager == before["manager"]:
                return None
            got = r.get("BackendManagerAppId")
            if got == manager:
                return True
            if got == before["manager"]:
                return False
            raise Mismatch(f"backendManagerAppId {got!r}: neither {before['manager']!r} nor {manager!r}")

        params = dict(AppId=app.id)
        if manager:
            params["BackendManagerAppId"] = manager
        self.write(c, app, "CreateBackendConfig", params, apply, probe, job_env=job_env)

    def op_update_config(self, c, app):
        if self.rng.random() < 0.35:
            self.check_admin(c, app)
            return
        n = self.uid()
        login = {"AwsCognitoIdentityPoolId": f"{REGION}:{uuid.UUID(int=self.rng.getrandbits(128), version=4)}",
                 "AwsCognitoRegion": REGION, "AwsUserPoolsId": f"{REGION}_Soak{n:05d}",
                 "AwsUserPoolsWebClientId": f"client{n}"}
        if self.rng.random() < 0.2:
            login.pop("AwsCognitoIdentityPoolId")
        old = app.admin["login"]

        def apply(resp):
            app.admin["login"] = login
            if resp is not None:
                want = {"AppId": app.id, "LoginAuthConfig": login}
                if app.admin["manager"] is not None:
                    want["BackendManagerAppId"] = app.admin["manager"]
                got = {k: v for k, v in resp.items() if k != "ResponseMetadata"}
                self.soak.promise(got == want, f"UpdateBackendConfig {app.id}: answered {brief(got)}, expected {brief(want)}")

        def probe(c):
            status, r = c.probe("UpdateBackendConfig", AppId=app.id)
            if status != 200:
                raise Mismatch(f"UpdateBackendConfig answered {status} {brief(r)}")
            got = r.get("LoginAuthConfig")
            if got == login:
                return True
            if old is None or got == old:
                app.admin["login"] = got
                return False
            raise Mismatch(f"loginAuthConfig {brief(got)}: neither {brief(old)} nor {brief(login)}")

        self.write(c, app, "UpdateBackendConfig", dict(AppId=app.id, LoginAuthConfig=login), apply, probe)

    def op_remove_config(self, c, app):
        def apply(resp):
            app.admin = None

        def probe(c):
            return not self.probe_exists(c, "UpdateBackendConfig", "BackendConfig", AppId=app.id)

        self.write(c, app, "RemoveBackendConfig", dict(AppId=app.id), apply, probe)

    # ---- jobs ----

    def op_update_job(self, c, app):
        done = [self.jobs[j] for j in app.jobs[-40:] if self.jobs[j].snapshot is not None]
        if not done:
            self.check_some_jobs(c, app)
            return
        job = self.rng.choice(done)
        params = dict(AppId=app.id, BackendEnvironmentName=job.env, JobId=job.job_id)
        new_op, new_status = None, None
        if self.rng.random() < 0.7:
            new_op = f"SoakRenamed{self.uid()}"
            params["Operation"] = new_op
        else:
            new_status = "FAILED" if job.snapshot["Status"] == "COMPLETED" else "COMPLETED"
            params["Status"] = new_status
        old_op, old_status = job.operation, job.snapshot["Status"]

        def apply(resp):
            if new_op:
                job.operation = new_op
            if new_status:
                job.expect = new_status
            job.snapshot = None
            if resp is not None:
                ok = (resp.get("JobId") == job.job_id and resp.get("Operation") == job.operation
                      and resp.get("Status") == (new_status or old_status))
                self.soak.promise(ok, f"UpdateBackendJob {brief(params)} answered {brief(resp)}")

        def probe(c):
            status, r = c.probe("GetBackendJob", AppId=app.id, BackendEnvironmentName=job.env, JobId=job.job_id)
            if status != 200:
                raise Mismatch(f"GetBackendJob answered {status} {brief(r)}")
            if new_op:
                if r.get("Operation") == new_op:
                    return True
                if r.get("Operation") == old_op:
                    return False
                raise Mismatch(f"job operation {r.get('Operation')!r}: neither {old_op!r} nor {new_op!r}")
            if r.get("Status") == new_status:
                return True
            if r.get("Status") == old_status:
                return False
            raise Mismatch(f"job status {r.get('Status')!r}: neither {old_status} nor {new_status}")

        self.write(c, app, "UpdateBackendJob", params, apply, probe)

    # ---- probes (resolution of uncertain writes) ----

    def probe_exists(self, c, op, resource_type, app_missing_ok=False, **kw):
        status, r = c.probe(op, **kw)
        if status == 200:
            return True
        if status == 404 and (r.get("ResourceType") == resource_type or (app_missing_ok and r.get("ResourceType") == "App")):
            return False
        raise Mismatch(f"{op} {brief(kw)} answered {status} {brief(r)}")

    def probe_config(self, c, op, new, old, **kw):
        """True: the new config is there; False: the old one; None: they are the same (nothing tells)."""
        status, r = c.probe(op, **kw)
        if status != 200:
            raise Mismatch(f"{op} {brief(kw)} answered {status} {brief(r)}")
        got = r.get("ResourceConfig")
        if got == new:
            return None if new == old else True
        if got == old:
            return False
        raise Mismatch(f"{op} {brief(kw)}: config is neither the old one nor the merged one: {brief(got)}")

    def resolve(self, c):
        """Settles every uncertain write: reads which state the server is in, and takes it. For a job operation, the
        jobs created while the request was out tell too (a write and its job are one transaction)."""
        soak = self.soak
        for app in self.apps:
            p = app.uncertain
            if p is None:
                continue
            try:
                applied = p.probe(c)
                jobs = self.jobs_in_window(c, app, p)
            except Uncertain as u:
                soak.failure("resolution", f"{self.name}: cannot resolve {p.op} {brief(p.params)}: {u}")
                continue
            except Mismatch as m:
                soak.broken(f"{self.name}: after {p.op} {brief(p.params)} ({p.cause}): {m}")
                app.uncertain = None
                try:
                    self.resync(c, app)
                except Uncertain as u:
                    soak.failure("resolution", f"{self.name}: cannot read {app.id} back: {u}")
                continue
            cause = p.cause
            what = f"{p.op} {brief(p.params, 220)}"
            if jobs:
                for j in jobs:
                    if j["JobId"] not in self.jobs:
                        job = Job(app.id, p.job_env, j["JobId"], j.get("Operation"), None, "uncertain")
                        self.jobs[job.job_id] = job
                        app.jobs.append(job.job_id)
            if jobs is not None and len(jobs) > 1:
                soak.broken(f"{self.name}: {what}: one request made {len(jobs)} jobs: {[j['JobId'] for j in jobs]}")
            if applied is True and jobs == []:
                soak.broken(f"{self.name}: {what} ({cause}): its change is there but it has no job")
            elif applied is False and jobs and p.changes:
                soak.broken(f"{self.name}: {what} ({cause}): a job {jobs[0]['JobId']} was recorded but its change "
                            f"is not there")
            if applied is None and jobs is not None:
                applied = bool(jobs)
            if applied:
                p.apply(None)
            soak.resolved(self.name, p, applied)
            soak.journal(worker=self.name, resolved=p.op, params=p.params, applied=applied,
                         jobs=[(j["JobId"], j.get("Status")) for j in jobs or []], cause=str(p.cause)[:200])
            job_note = ""
            if jobs:
                j = jobs[0]
                took = int(j.get("UpdateTime", 0)) - int(j.get("CreateTime", 0))
                job_note = (f"; its job {j['JobId']} is {j.get('Status')}" + (
                    f" (ended {took} ms after it was created" + (f", error {j.get('Error')!r}" if j.get("Error") else "")
                    + ")" if j.get("Status") in TERMINAL else ""))
            if applied and isinstance(cause, Refused):
                soak.broken(f"{self.name}: {what} was refused with {cause.status} {cause.code} "
                            f"({cause.message[:160]}) but it happened{job_note}")
            elif applied and isinstance(cause, Uncertain) and cause.status is not None:
                soak.failure("error answer for a kept write",
                             f"{self.name}: {what} answered {cause.status} (request {cause.request_id}) but the write "
                             f"was kept (phase {soak.phase_of_cause(cause)}){job_note}")
            app.uncertain = None

    def jobs_in_window(self, c, app, p):
        """Jobs of `p`'s operation created while its request was out; None when that cannot be read."""
        env = p.job_env
        window = getattr(p.cause, "window", None)
        if p.op not in JOB_OPS or env is None or window is None:
            return None
        kw = dict(AppId=app.id, BackendEnvironmentName=env, Operation=p.op)
        found = []
        for _ in range(200):
            status, r = c.probe("ListBackendJobs", **kw)
            if status != 200:
                return None
            for j in r.get("Jobs", []):
                created = int(j.get("CreateTime", 0))
                known = self.jobs.get(j.get("JobId"))
                # Jobs of acknowledged requests are not this one's (the app was not blocked before it).
                if window[0] - 250 <= created <= window[1] + 250 and (known is None or known.source != "ack"):
                    found.append(j)
            if not r.get("NextToken"):
                return found
            kw["NextToken"] = r["NextToken"]
        return None

    def resync(self, c, app):
        """After a mismatch: take the server's state of this app as the model, so one defect is reported once."""
        status, r = c.probe("GetBackend", AppId=app.id)
        app.pending.clear()
        if status == 404 and r.get("ResourceType") == "App":
            app.exists, app.name, app.envs, app.admin = False, None, {}, None
            app.tokens.clear()
            return
        app.exists = True
        names = r.get("BackendEnvironmentList", []) if status == 200 else []
        if status == 200:
            app.name = r.get("AppName")
        old = app.envs
        app.envs = {}
        for name in names:
            env = Env(name)
            st, d = c.probe("GetBackend", AppId=app.id, BackendEnvironmentName=name)
            if st != 200:
                continue
            meta = json.loads(d.get("AmplifyMetaConfig", "{}"))
            env.gone = old[name].gone if name in old else set()
            for rname in meta.get("auth", {}):
                s2, a = c.probe("GetBackendAuth", AppId=app.id, BackendEnvironmentName=name, ResourceName=rname)
                if s2 == 200:
                    env.auth = Auth(rname, a.get("ResourceConfig"), meta["auth"][rname].get("serviceType") == "imported")
            for rname in meta.get("api", {}):
                s2, a = c.probe("GetBackendAPI", AppId=app.id, BackendEnvironmentName=name, ResourceName=rname)
                if s2 == 200:
                    api = Api(rname, a.get("ResourceConfig"))
                    s3, m = c.probe("GetBackendAPIModels", AppId=app.id, BackendEnvironmentName=name, ResourceName=rname)
                    if s3 == 200 and m.get("Models"):
                        api.generated = api.config.get("TransformSchema") if m.get("Status") == "LATEST" else "?"
                    env.apis[rname] = api
            for rname in meta.get("storage", {}):
                s2, a = c.probe("GetBackendStorage", AppId=app.id, BackendEnvironmentName=name, ResourceName=rname)
                if s2 == 200:
                    rc = a.get("ResourceConfig", {})
                    config = {k: rc[k] for k in ("Permissions", "ServiceName") if k in rc}
                    env.storage = Storage(rname, config, rc.get("BucketName"), bool(rc.get("Imported")))
            app.envs[name] = env
        st, a = c.probe("UpdateBackendConfig", AppId=app.id)
        app.admin = {"manager": a.get("BackendManagerAppId"), "login": a.get("LoginAuthConfig")} if st == 200 else None
        for sid, (code, ttl) in list(app.tokens.items()):
            st, t = c.probe("GetToken", AppId=app.id, SessionId=sid)
            if st != 200 or t.get("ChallengeCode") != code or t.get("Ttl") != str(ttl):
                app.tokens.pop(sid)
        app.dead_tokens.clear()

    # ---- checks (reads against the model) ----

    def check_backend(self, c, app, env_name=None):
        soak = self.soak
        kw = dict(AppId=app.id)
        if env_name is not None:
            kw["BackendEnvironmentName"] = env_name
        status, r = c.probe("GetBackend", **kw)
        where = f"GetBackend {app.id}" + (f"/{env_name}" if env_name else "")
        if not app.exists:
            return soak.promise(status == 404 and r.get("ResourceType") == "App",
                                f"{where}: the app was removed (or never made): expected 404 App, got {status} {brief(r)}")
        if env_name is None and not app.envs:
            return soak.promise(status == 404 and r.get("ResourceType") == "BackendEnvironment",
                                f"{where}: the app has no environment: expected 404 BackendEnvironment, got {status} {brief(r)}")
        if env_name is not None and env_name not in app.envs:
            return soak.promise(status == 404 and r.get("ResourceType") == "BackendEnvironment",
                                f"{where}: the environment was deleted: expected 404 BackendEnvironment, got {status} {brief(r)}")
        want_env = env_name or next(iter(app.envs))
        ok = soak.promise(status == 200 and r.get("AppName") == app.name and r.get("BackendEnvironmentName") == want_env
                          and r.get("BackendEnvironmentList") == list(app.envs),
                          f"{where}: expected 200 with appName {app.name!r}, environment {want_env!r} and the list "
                          f"{list(app.envs)}; got {status} {brief(r)}")
        if not ok or status != 200:
            return False
        env = app.envs[want_env]
        try:
            meta = json.loads(r.get("AmplifyMetaConfig", ""))
        except ValueError:
            return soak.promise(False, f"{where}: amplifyMetaConfig is not JSON: {r.get('AmplifyMetaConfig')!r:.200}")
        want = {"auth": {env.auth.name} if env.auth else set(), "api": set(env.apis),
                "storage": {env.storage.name} if env.storage else set()}
        got = {k: set(meta.get(k, {})) for k in want}
        ok = soak.promise(got == want, f"{where}: amplify-meta resources {brief({k: sorted(v) for k, v in got.items()})}, "
                                       f"expected {brief({k: sorted(v) for k, v in want.items()})}")
        provider = meta.get("providers", {}).get("awscloudformation")
        if env.provider is None and isinstance(provider, dict) and provider.get("AmplifyAppId") == app.id:
            env.provider = provider
        elif soak.provisioned and same_but_role_arns(provider, env.provider):
            env.provider = provider  # the roles' real ARNs, once the environment's job made them; names never change
        else:
            ok &= soak.promise(provider == env.provider,
                               f"{where}: the root stack outputs changed: {brief(env.provider)} -> {brief(provider)}")
        if env.storage is not None and env.storage.name in meta.get("storage", {}):
            bucket = meta["storage"][env.storage.name].get("output", {}).get("BucketName")
            if env.storage.bucket is None:
                env.storage.bucket = bucket
            else:
                ok &= soak.promise(bucket == env.storage.bucket,
                                   f"{where}: storage {env.storage.name} bucket {bucket!r}, expected {env.storage.bucket!r}")
        return ok

    def check_gone_envs(self, c, app):
        for name in list(app.gone_envs):
            if name not in app.envs:
                self.check_backend(c, app, name)

    def check_auth(self, c, app, env):
        soak = self.soak
        auth = env.auth
        status, r = c.probe("GetBackendAuth", AppId=app.id, BackendEnvironmentName=env.name, ResourceName=auth.name)
        where = f"GetBackendAuth {app.id}/{env.name}/{auth.name}"
        if not soak.promise(status == 200 and r.get("ResourceName") == auth.name and r.get("AppId") == app.id
                            and r.get("BackendEnvironmentName") == env.name,
                            f"{where}: expected the auth resource, got {status} {brief(r)}"):
            return False
        got = r.get("ResourceConfig")
        if auth.config is None:
            ok = soak.promise(isinstance(got, dict) and got.get("UserPoolConfigs", {}).get("UserPoolName") == auth.name,
                              f"{where}: an imported auth must name its user pool: {brief(got)}")
            auth.config = got
            return ok
        return soak.promise(got == auth.config, f"{where}: config {brief(got, 600)} != acknowledged {brief(auth.config, 600)}")

    def check_deployed(self, c, app, env):
        """The environment as the Amplify family shows it on the same port: its deployment bucket's amplify-meta.json
        (the root stack's outputs, the resources promised), its root stack, and Hosting's view of it."""
        soak = self.soak
        if env.provider is None or app.uncertain is not None:
            return True
        bucket, stack = env.provider.get("DeploymentBucketName"), env.provider.get("StackName")
        where = f"{app.id}/{env.name}"
        status, r = c.family("s3", "get_object", Bucket=bucket, Key="amplify-meta.json")
        ok = soak.promise(status == 200, f"S3 GetObject {bucket}/amplify-meta.json of {where}: got {status} {brief(r)}")
        if ok:
            try:
                meta = json.loads(r["Body"].read())
            except (ValueError, KeyError, BotoCoreError, OSError) as e:
                return soak.promise(False, f"S3 amplify-meta.json of {where} unreadable: {e!r}")
            want = {"auth": {env.auth.name} if env.auth else set(), "api": set(env.apis),
                    "storage": {env.storage.name} if env.storage else set()}
            got = {k: set(meta.get(k, {})) for k in want}
            seen = meta.get("providers", {}).get("awscloudformation")
            if soak.provisioned and same_but_role_arns(seen, env.provider):
                env.provider = seen
            ok &= soak.promise(seen == env.provider and got == want,
                               f"S3 amplify-meta.json of {where}: resources {brief({k: sorted(v) for k, v in got.items()})} "
                               f"and providers {brief(meta.get('providers'))}, expected {brief(want)} and {brief(env.provider)}")
        status, r = c.family("cloudformation", "describe_stacks", StackName=stack)
        outputs = {o.get("OutputKey"): o.get("OutputValue") for s in r.get("Stacks", []) for o in s.get("Outputs", [])}
        ok &= soak.promise(status == 200 and outputs.get("DeploymentBucketName") == bucket,
                           f"CloudFormation DescribeStacks {stack} of {where}: got {status} {brief(r)}")
        status, r = c.family("amplify", "get_backend_environment", appId=app.id, environmentName=env.name)
        got = r.get("backendEnvironment", {})
        ok &= soak.promise(status == 200 and got.get("stackName") == stack and got.get("deploymentArtifacts") == bucket,
                           f"Hosting GetBackendEnvironment {where}: got {status} {brief(r)}")
        return ok

    def check_gone(self, c, app, env):
        ops = {"auth": ("GetBackendAuth", "BackendAuth"), "api": ("GetBackendAPI", "BackendAPI"),
               "storage": ("GetBackendStorage", "BackendStorage")}
        for kind, name in list(env.gone):
            current = {"auth": {env.auth.name} if env.auth else set(), "api": set(env.apis),
                       "storage": {env.storage.name} if env.storage else set()}[kind]
            if name in current:
                continue
            op, rtype = ops[kind]
            status, r = c.probe(op, AppId=app.id, BackendEnvironmentName=env.name, ResourceName=name)
            self.soak.promise(status == 404 and r.get("ResourceType") == rtype,
                              f"{op} {app.id}/{env.name}/{name}: deleted, expected 404 {rtype}; got {status} {brief(r)}")

    def check_apis(self, c, app, env, models=True):
        soak = self.soak
        for api in list(env.apis.values()):
            status, r = c.probe("GetBackendAPI", AppId=app.id, BackendEnvironmentName=env.name, ResourceName=api.name)
            where = f"GetBackendAPI {app.id}/{env.name}/{api.name}"
            if not soak.promise(status == 200, f"{where}: expected the API, got {status} {brief(r)}"):
                continue
            got = r.get("ResourceConfig")
            soak.promise(got == api.config, f"{where}: config {brief(got, 600)} != acknowledged {brief(api.config, 600)}")
            if not models:
                continue
            if api.gen_job and api.gen_job in self.jobs and self.jobs[api.gen_job].snapshot is None:
                self.check_job(c, self.jobs[api.gen_job], wait=True)
            status, m = c.probe("GetBackendAPIModels", AppId=app.id, BackendEnvironmentName=env.name, ResourceName=api.name)
            where = f"GetBackendAPIModels {app.id}/{env.name}/{api.name}"
            if not soak.promise(status == 200, f"{where}: got {status} {brief(m)}"):
                continue
            schema = api.config.get("TransformSchema")
            if api.generated is None:
                ok = m.get("Status") == "STALE" and not m.get("Models")
                want = "STALE without models (never generated)"
            elif api.generated == "?":
                ok = bool(m.get("Models"))
                want = "models"
            elif api.generated == schema:
                ok = m.get("Status") == "LATEST" and str(m.get("Models", "")).startswith("export const schema = ")
                want = "LATEST with models"
            else:
                ok = m.get("Status") == "STALE" and bool(m.get("Models"))
                want = "STALE with models (the schema changed after the last generation)"
            if not ok:
                gens = []
                try:
                    st, r = c.probe("ListBackendJobs", AppId=app.id, BackendEnvironmentName=env.name,
                                    Operation="GenerateBackendAPIModels")
                    gens = [(j["JobId"][:8], j.get("Status"), j.get("CreateTime"), j.get("UpdateTime"),
                             (self.jobs[j["JobId"]].source if j["JobId"] in self.jobs else "unknown"))
                            for j in r.get("Jobs", [])] if st == 200 else []
                except Uncertain:
                    pass
                want += (f"; the model's last generated schema {'none' if api.generated is None else repr(api.generated[-40:])}, "
                         f"current {schema[-40:]!r}; generate jobs of this environment (id, status, created, ended, "
                         f"known as): {gens[-6:]}")
            soak.promise(ok, f"{where}: expected {want}, got status {m.get('Status')!r} with "
                             f"{'no ' if not m.get('Models') else ''}models")

    def check_storage(self, c, app, env):
        soak = self.soak
        st = env.storage
        status, r = c.probe("GetBackendStorage", AppId=app.id, BackendEnvironmentName=env.name, ResourceName=st.name)
        where = f"GetBackendStorage {app.id}/{env.name}/{st.name}"
        if not soak.promise(status == 200 and r.get("ResourceName") == st.name,
                            f"{where}: expected the storage resource, got {status} {brief(r)}"):
            return False
        got = r.get("ResourceConfig", {})
        if st.bucket is None:
            bucket = got.get("BucketName", "")
            soak.promise(re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", bucket or "") is not None,
                         f"{where}: the emulated bucket name {bucket!r} is not a valid S3 bucket name")
            st.bucket = bucket
        return soak.promise(got == st.view(), f"{where}: config {brief(got)} != acknowledged {brief(st.view())}")

    def check_tokens(self, c, app):
        soak = self.soak
        now = time.time()
        for sid, (code, ttl) in list(app.tokens.items()):
            if now < ttl - 2:
                status, r = c.probe("GetToken", AppId=app.id, SessionId=sid)
                soak.promise(status == 200 and r.get("ChallengeCode") == code and r.get("Ttl") == str(ttl)
                             and r.get("SessionId") == sid and r.get("AppId") == app.id,
                             f"GetToken {app.id}/{sid}: live until {ttl} (now {now:.0f}): expected its challenge, "
                             f"got {status} {brief(r)}")
            elif now > ttl + 2:
                status, r = c.probe("GetToken", AppId=app.id, SessionId=sid)
                if soak.promise(status == 404 and r.get("ResourceType") == "Token",
                                f"GetToken {app.id}/{sid}: expired at {ttl} (now {now:.0f}): expected 404 Token, "
                                f"got {status} {brief(r)}"):
                    app.tokens.pop(sid, None)
        for sid in list(app.dead_tokens):
            status, r = c.probe("GetToken", AppId=app.id, SessionId=sid)
            soak.promise(status == 404, f"GetToken {app.id}/{sid}: deleted, expected 404, got {status} {brief(r)}")

    def check_admin(self, c, app):
        soak = self.soak
        status, r = c.probe("UpdateBackendConfig", AppId=app.id)
        where = f"UpdateBackendConfig {app.id} (no loginAuthConfig: reads the config)"
        if not app.exists:
            return soak.promise(status == 404 and r.get("ResourceType") == "App", f"{where}: expected 404 App, got {status} {brief(r)}")
        if app.admin is None:
            return soak.promise(status == 404 and r.get("ResourceType") == "BackendConfig",
                                f"{where}: the Admin UI was removed (or never enabled): expected 404 BackendConfig, "
                                f"got {status} {brief(r)}")
        if not soak.promise(status == 200 and r.get("BackendManagerAppId") == app.admin["manager"],
                            f"{where}: expected backendManagerAppId {app.admin['manager']!r}, got {status} {brief(r)}"):
            return False
        got = r.get("LoginAuthConfig")
        if app.admin["login"] is None:
            app.admin["login"] = got
            return soak.promise(isinstance(got, dict) and got.get("AwsCognitoRegion") == REGION,
                                f"{where}: the emulated login config {brief(got)} names no region")
        return soak.promise(got == app.admin["login"], f"{where}: loginAuthConfig {brief(got)} != acknowledged "
                                                       f"{brief(app.admin['login'])}")

    def check_job(self, c, job, wait=True, must_be_done=False):
        """GetBackendJob against the model; with `wait`, polls (bounded) until the job ends."""
        soak = self.soak
        deadline = time.monotonic() + soak.job_wait_s
        while True:
            status, r = c.probe("GetBackendJob", AppId=job.app_id, BackendEnvironmentName=job.env, JobId=job.job_id)
            where = f"GetBackendJob {job.app_id}/{job.env}/{job.job_id} ({job.operation})"
            if not soak.promise(status == 200 and r.get("JobId") == job.job_id and r.get("AppId") == job.app_id
                                and r.get("BackendEnvironmentName") == job.env and r.get("Operation") == job.operation,
                                f"{where}: expected the job, got {status} {brief(r)}"):
                return False
            state = r.get("Status")
            if state in TERMINAL:
                break
            if not soak.promise(state == "RUNNING", f"{where}: status {state!r}"):
                return False
            if must_be_done:
                return soak.promise(False, f"{where}: still RUNNING after its answer in --jobs immediate mode")
            if not wait:
                return True
            if time.monotonic() > deadline:
                return soak.promise(False, f"{where}: still RUNNING after {soak.job_wait_s:.0f} s")
            time.sleep(0.05)
        snap = {k: r.get(k) for k in ("Status", "Operation", "Error", "CreateTime", "UpdateTime")}
        ok = soak.promise(job.expect is None or state == job.expect,
                          f"{where}: ended {state}" + (f" ({r.get('Error')})" if r.get("Error") else "")
                          + f", expected {job.expect}")
        times_ok = (str(snap["CreateTime"]).isdigit() and str(snap["UpdateTime"]).isdigit()
                    and int(snap["UpdateTime"]) >= int(snap["CreateTime"]))
        error_ok = (state == "FAILED") == bool(snap["Error"]) and "\x1b" not in str(snap["Error"] or "")
        ok &= soak.promise(times_ok and error_ok, f"{where}: createTime/updateTime/error malformed: {brief(snap)}")
        if job.snapshot is None:
            job.snapshot = snap
            if job.on_done:
                job.on_done(state)
                job.on_done = None
        else:
            ok &= soak.promise(snap == job.snapshot, f"{where}: a finished job changed: {brief(job.snapshot)} -> {brief(snap)}")
            job.snapshot = snap
        if state == "FAILED" and "unexpectedly" in str(snap["Error"]):
            soak.note_unexpected_job_failure(where, snap["Error"])
        return ok

    def check_some_jobs(self, c, app, n=2):
        for job_id in self.rng.sample(app.jobs[-50:], min(n, len(app.jobs[-50:]))):
            self.check_job(c, self.jobs[job_id], wait=False)

    def check_list_jobs(self, c, app, env_name, pages=None, max_results=None):
        """ListBackendJobs: oldest first, every job of this environment that we know is there and as we know it."""
        soak = self.soak
        kw = dict(AppId=app.id, BackendEnvironmentName=env_name)
        flt = None
        if pages is not None:
            kw["MaxResults"] = max_results or self.rng.randint(1, 25)
            if self.rng.random() < 0.2:
                flt = ("Status", "COMPLETED")
                kw["Status"] = "COMPLETED"
        seen = []
        page = 0
        while True:
            status, r = c.probe("ListBackendJobs", **kw)
            if not soak.promise(status == 200, f"ListBackendJobs {app.id}/{env_name}: got {status} {brief(r)}"):
                return False
            seen.extend(r.get("Jobs", []))
            page += 1
            token = r.get("NextToken")
            if not token or (pages is not None and page >= pages):
                break
            kw["NextToken"] = token
        keys = [(int(j.get("CreateTime", 0)), j.get("JobId", "")) for j in seen]
        ok = soak.promise(keys == sorted(keys) and len(set(keys)) == len(keys)
                          and all(j.get("AppId") == app.id and j.get("BackendEnvironmentName") == env_name for j in seen)
                          and (flt is None or all(j.get(flt[0]) == flt[1] for j in seen)),
                          f"ListBackendJobs {app.id}/{env_name}: not oldest first, duplicated or foreign jobs: "
                          f"{brief([(j.get('JobId'), j.get('CreateTime'), j.get('BackendEnvironmentName')) for j in seen])}")
        listed = {j.get("JobId"): j for j in seen}
        for job_id in app.jobs:
            job = self.jobs[job_id]
            if job.env != env_name:
                continue
            got = listed.get(job_id)
            if got is None:
                if pages is None and (flt is None):
                    ok &= soak.promise(False, f"ListBackendJobs {app.id}/{env_name}: acknowledged job {job_id} "
                                              f"({job.operation}) is missing")
                continue
            ok &= soak.promise(got.get("Operation") == job.operation and (job.snapshot is None or
                               {k: got.get(k) for k in job.snapshot} == job.snapshot),
                               f"ListBackendJobs {app.id}/{env_name}: job {job_id} listed as {brief(got)}, known as "
                               f"{job.operation} {brief(job.snapshot)}")
        return ok

    def read_buckets(self, c):
        """ListS3Buckets during traffic: this worker's buckets (of apps not waiting for a resolution) are listed."""
        names = self.soak.list_buckets(c)
        if names is None:
            return
        for app in self.apps:
            if app.uncertain is not None:
                continue
            for env in app.envs.values():
                if env.storage is not None and env.storage.bucket:
                    self.soak.promise(env.storage.bucket in names,
                                      f"ListS3Buckets: bucket {env.storage.bucket} of {app.id}/{env.name}/{env.storage.name} missing")

    def verify_app(self, c, app):
        """Every promise of one app."""
        self.check_backend(c, app)
        if app.exists:
            for env in list(app.envs.values()):
                self.check_backend(c, app, env.name)
                if env.auth is not None:
                    self.check_auth(c, app, env)
                self.check_apis(c, app, env)
                if env.storage is not None:
                    self.check_storage(c, app, env)
                self.check_gone(c, app, env)
                self.check_deployed(c, app, env)
            self.check_admin(c, app)
        self.check_gone_envs(c, app)
        self.check_tokens(c, app)

    def buckets(self):
        return {env.storage.bucket for app in self.apps for env in app.envs.values()
                if env.storage is not None and env.storage.bucket}


# ---------------------------------------------------------------------------------------------------------------------
# File systems for the fault phases
# ---------------------------------------------------------------------------------------------------------------------

def run_cmd(args, timeout=60):
    try:
        r = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        return r.returncode, (r.stdout + r.stderr).strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        return -1, str(e)


class FaultFs:
    """The data directory on a file system of its own: ext4 on a loop device (its image on a tmpfs), or a tmpfs."""

    def __init__(self, root, kind, size_mb):
        self.root = Path(root)
        self.kind = kind
        self.size_mb = size_mb
        self.data = self.root / "db"
        self.img_dir = self.root / "fs-image"
        self.image = self.img_dir / "fs.img"
        self.mounted = []      # mount points, innermost last
        self.note = ""

    def setup(self):
        """Mounts; returns None when it worked, else why not."""
        saved = None
        if self.data.exists() and any(self.data.iterdir()):
            saved = Path(tempfile.mkdtemp(prefix="soak-saved-", dir=str(self.root)))
            for f in self.data.iterdir():
                shutil.move(str(f), str(saved / f.name))
        self.data.mkdir(parents=True, exist_ok=True)
        why = self._mount()
        if saved is not None:
            for f in saved.iterdir():
                shutil.move(str(f), str(self.data / f.name))
            saved.rmdir()
        return why

    def _mount(self):
        if self.kind == "ext4":
            self.img_dir.mkdir(parents=True, exist_ok=True)
            rc, out = run_cmd(["mount", "-t", "tmpfs", "-o", f"size={self.size_mb + 16}m", "tmpfs", str(self.img_dir)])
            if rc != 0:
                return f"cannot mount a tmpfs ({out})"
            self.mounted.append(self.img_dir)
            with open(self.image, "wb") as f:
                f.truncate(self.size_mb * 1024 * 1024)
            rc, out = run_cmd(["mkfs.ext4", "-q", "-F", "-m", "0", str(self.image)])
            if rc != 0:
                return f"mkfs.ext4 failed ({out})"
            rc, out = run_cmd(["mount", "-o", "loop,errors=remount-ro", str(self.image), str(self.data)])
            if rc != 0:
                return f"cannot mount an ext4 loop device ({out})"
            self.mounted.append(self.data)
            return None
        rc, out = run_cmd(["mount", "-t", "tmpfs", "-o", f"size={self.size_mb}m", "tmpfs", str(self.data)])
        if rc != 0:
            return f"cannot mount a tmpfs ({out})"
        self.mounted.append(self.data)
        return None

    def device(self):
        rc, out = run_cmd(["findmnt", "-n", "-o", "SOURCE", "--target", str(self.data)])
        return os.path.basename(out.strip()) if rc == 0 else None

    def free_bytes(self):
        st = os.statvfs(self.data)
        return st.f_bavail * st.f_frsize

    def teardown(self, keep_to=None):
        """Unmounts everything (the database files are copied to `keep_to` first when asked)."""
        problems = []
        if keep_to is not None and self.data in self.mounted:
            try:
                keep_to.mkdir(parents=True, exist_ok=True)
                for f in self.data.iterdir():
                    if f.name != FILLER and f.name != "lost+found" and f.is_file():
                        shutil.copy2(str(f), str(keep_to / f.name))
            except OSError as e:
                problems.append(f"copying the data out: {e}")
        for point in reversed(self.mounted):
            rc, out = run_cmd(["umount", str(point)])
            if rc != 0:
                time.sleep(1)
                rc, out = run_cmd(["umount", str(point)])
            if rc != 0:
                rc2, out2 = run_cmd(["umount", "-l", str(point)])
                problems.append(f"umount {point}: {out}" + ("" if rc2 == 0 else f"; lazy umount: {out2}"))
        self.mounted = []
        return problems


# ---------------------------------------------------------------------------------------------------------------------
# The soak
# ---------------------------------------------------------------------------------------------------------------------

class Soak:
    def __init__(self, args):
        self.provisioning = None    # with --provision / --provision-endpoint: the endpoint (moto_endpoint.Endpoint)
        self.args = args
        self.rng = random.Random(args.seed)
        self.run_id = uuid.uuid4().hex[:6]
        self.lock = threading.Lock()
        self.servers = []          # every Server made: all are stopped at the end, whatever happens
        self.tls = threading.local()
        self.phase = "start"
        self.gate = Gate()
        self.delay_mode = args.jobs.startswith("delay:")
        # With provisioning on (issue 23) a job stays RUNNING while it works on the endpoint, whatever --jobs says: the
        # soak then waits for jobs as in delay mode (and a 'pending job' refusal is expected).
        self.provisioned = bool(getattr(args, "provision", None) or getattr(args, "provision_endpoint", None))
        self.delay_s = self._duration(args.jobs[6:]) if self.delay_mode else 0.0
        self.delay_mode = self.delay_mode or self.provisioned
        self.token_ttl_s = self._duration(args.token_ttl)
        # A job a disk fault left RUNNING is finished by the server's worker, which backs off up to 30 s while it fails.
        self.job_wait_s = 40 + 3 * self.delay_s
        # figures
        self.kills = 0
        self.fault_kills = 0
        self.acked_writes = 0
        self.acked_reads = 0
        self.acked_since_start = 0
        self.promises_checked = 0
        self.broken_list = []
        self.failures = []         # (kind, text): checks other than promises
        self.deaths = []
        self.statuses = collections.Counter()      # (phase, op, status)
        self.five_xx = []
        self.uncertain = collections.Counter()     # cause kinds
        self.resolutions = collections.Counter()   # (cause kind, applied)
        self.jobs_recovered = 0
        self.jobs_after_fault = 0
        self.running_at_stop = 0
        self.recovery_ms = []
        self.integrity = []        # (when, result)
        self.fault_reports = collections.OrderedDict()
        self.unexpected_job_failures = []
        self.pending_400 = 0
        self.write_outcomes = collections.Counter()     # (phase, outcome)
        self.write_examples = {}
        self.cause_phase = {}
        self.notes = []
        self.started = time.monotonic()
        self.server_log = open(args.server_log, "a", encoding="utf-8") if args.server_log else None
        self.journal_file = open(args.journal, "a", encoding="utf-8") if args.journal else None

    @staticmethod
    def _duration(text):
        m = re.fullmatch(r"\s*([0-9.]+)\s*(ms|s|m|h)?\s*", text)
        if not m:
            raise SystemExit(f"soak: cannot read the duration {text!r}")
        return float(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600, None: 1}[m.group(2)]

    # ---- recording ----

    def count(self, op, status):
        with self.lock:
            self.statuses[(self.phase, op, status)] += 1

    def acked_write(self):
        with self.lock:
            self.acked_writes += 1
            self.acked_since_start += 1

    def acked_read(self):
        with self.lock:
            self.acked_reads += 1

    def thread_broken(self):
        """Broken promises recorded by the calling thread so far."""
        return getattr(self.tls, "broken", 0)

    def promise(self, ok, text):
        if not ok:
            self.tls.broken = getattr(self.tls, "broken", 0) + 1
        with self.lock:
            self.promises_checked += 1
            if not ok:
                self.broken_list.append(f"[{self.phase}] {text}")
                if self.args.verbose:
                    print(f"  BROKEN: {text}", flush=True)
        if not ok:
            self.journal(broken=text)
        return bool(ok)

    def broken(self, text):
        self.promise(False, text)

    def failure(self, kind, text):
        with self.lock:
            self.failures.append((kind, f"[{self.phase}] {text}"))
            if self.args.verbose:
                print(f"  FAILURE ({kind}): {text}", flush=True)

    def saw_5xx(self, op, status, message, request_id, params):
        with self.lock:
            self.five_xx.append((self.phase, op, status, message[:200], request_id, brief(params, 200)))
        if not self.exempt(self.phase):
            self.failure("5xx", f"{op} {brief(params, 200)} answered {status}: {message[:200]} (request {request_id})")

    def journal(self, **entry):
        """One JSON line per write attempt, resolution, stop and broken promise (--journal)."""
        if self.journal_file is not None:
            entry = dict(t=round(time.time(), 3), phase=self.phase, **entry)
            with self.lock:
                self.journal_file.write(json.dumps(entry, default=str) + "\n")
                self.journal_file.flush()

    def log_server_line(self, line):
        if self.server_log is not None:
            with self.lock:
                self.server_log.write(f"{time.strftime('%H:%M:%S')} [{self.phase}] {line}\n")
                self.server_log.flush()

    def write_outcome(self, op, outcome, detail):
        with self.lock:
            self.write_outcomes[(self.phase, outcome)] += 1
            self.write_examples.setdefault((self.phase, outcome), f"{op}: {str(detail)[:200]}")

    @staticmethod
    def exempt(phase):
        """Phases where the store cannot write: refusals and 5xx are expected there."""
        return phase.startswith("fault:")

    def note_uncertain(self, worker, op, params, u):
        with self.lock:
            self.uncertain["no answer" if u.status is None else f"{u.status}"] += 1
            self.cause_phase[id(u)] = self.phase

    def phase_of_cause(self, cause):
        return self.cause_phase.get(id(cause), "?")

    def note_refused(self, worker, op, params, r):
        with self.lock:
            self.uncertain[f"{r.status} (refused)"] += 1
            self.cause_phase[id(r)] = self.phase
        if self.exempt(self.phase):
            return
        if self.delay_mode and r.status == 400 and PENDING_TEXT in (r.message or ""):
            with self.lock:
                self.pending_400 += 1
            return
        self.failure("unexpected refusal", f"{worker}: {op} {brief(params, 250)} refused: {r.status} {r.code}: "
                                          f"{(r.message or '')[:200]}")

    def resolved(self, worker, pending, applied):
        cause = pending.cause
        kind = "no answer" if isinstance(cause, Uncertain) and cause.status is None else \
            (f"{cause.status}" if isinstance(cause, Uncertain) else f"{cause.status} (refused)")
        with self.lock:
            self.resolutions[(kind, bool(applied))] += 1

    def after_uncertain(self, u, gen):
        """A worker's request got no answer or a 5xx."""
        if u.status is not None:
            return
        if self.gate.allows(gen) and self.server.alive():
            # The server is up and nobody killed it: an answer went missing.
            time.sleep(0.2)
            if self.gate.allows(gen) and self.server.alive():
                self.failure("no answer", f"{u.op}: no answer from a live server: {u.detail}")

    def server_died(self, code, description):
        with self.lock:
            self.deaths.append(f"[{self.phase}] exit {code}: {description}")
        print(f"  SERVER DIED (phase {self.phase}): exit {code}", flush=True)

    def note_unexpected_job_failure(self, where, error):
        with self.lock:
            self.unexpected_job_failures.append(f"{where}: {error}")

    # ---- server lifecycle ----

    def all_workers(self):
        return self.workers + [self.fault_worker]

    def start_server(self, first=False):
        ms = self.server.start()
        if not first:
            self.recovery_ms.append(ms)
        with self.lock:
            self.acked_since_start = 0
        self.verifier = Caller(self, self.server.url)
        return ms

    def stop_server(self, how):
        """Stops the server ("kill" = SIGKILL, "term" = graceful), parks the workers, checks the database file."""
        self.gate.close()
        comm = None
        if how == "kill":
            comm = self.server.kill9()
            if comm not in (None, "dotnet"):
                self.failure("tool", f"the killed pid was {comm!r}, not the dotnet server")
        else:
            self.server.stop()
        if not self.gate.wait_parked(self.workers):
            self.failure("tool", "workers did not pause within 120 s")
        return comm

    def inspect_db(self, when):
        running = self._inspect_db(when)
        self.journal(stop=when, running=running)
        return running

    def _inspect_db(self, when):
        """PRAGMA integrity_check (read-only) with the server stopped; returns the jobs left RUNNING."""
        path = self.fs_data / DB_FILE
        if not path.exists():
            return []
        try:
            con = sqlite3.connect(f"file:{urllib.parse.quote(str(path))}?mode=ro", uri=True, timeout=10)
            try:
                result = [row[0] for row in con.execute("PRAGMA integrity_check").fetchall()]
                running = con.execute("SELECT app_id, environment, job_id, operation FROM jobs "
                                      "WHERE status = 'RUNNING'").fetchall()
            finally:
                con.close()
        except sqlite3.Error as e:
            result, running = [f"cannot check: {e}"], []
        ok = result == ["ok"]
        self.integrity.append((when, ok))
        self.running_at_stop += len(running)
        if not ok:
            self.failure("integrity", f"PRAGMA integrity_check after {when}: {result[:5]}")
        return running

    def wait_recovered_jobs(self, c, running):
        """Jobs RUNNING at the stop must end after the restart (bounded)."""
        owners = {}
        for w in self.all_workers():
            for app in w.apps:
                owners[app.id] = (w, app)
        for app_id, env, job_id, operation in running:
            owner = owners.get(app_id)
            if owner is None:
                continue
            w, app = owner
            job = w.jobs.get(job_id)
            if job is None:
                job = Job(app_id, env, job_id, operation, None, "recovered")
                w.jobs[job_id] = job
                app.jobs.append(job_id)
            if w.check_job(c, job, wait=True):
                if job.snapshot is not None:
                    self.jobs_recovered += 1
            app.pending.pop(env, None)

    def recover(self, running, verify=True):
        """After a (re)start: jobs left RUNNING end, uncertain writes are resolved, every promise is checked."""
        c = self.verifier
        self.phase = "recover"
        self.wait_recovered_jobs(c, running)
        for w in self.all_workers():
            w.resolve(c)
        if verify:
            self.verify_all(c)

    def verify_all(self, c, final=False):
        self.phase = "final check" if final else "verify"
        for w in self.all_workers():
            for app in w.apps:
                if app.uncertain is not None:
                    continue
                broken = self.thread_broken()
                try:
                    w.verify_app(c, app)
                    if self.thread_broken() > broken:
                        w.resync(c, app)
                except Uncertain as u:
                    self.failure("verification", f"{app.id}: a read got no 2xx/4xx answer: {u}")
        try:
            self.verify_jobs_and_lists(c, final)
        except Uncertain as u:
            self.failure("verification", f"a read got no 2xx/4xx answer: {u}")

    def verify_jobs_and_lists(self, c, final):
        # Jobs: every one not seen finished yet, a sample of the others (all of them at the end).
        for w in self.all_workers():
            jobs = list(w.jobs.values())
            done = [j for j in jobs if j.snapshot is not None]
            todo = [j for j in jobs if j.snapshot is None]
            sample = done if final else self.rng.sample(done, min(len(done), self.args.job_sample))
            for job in todo + sample:
                w.check_job(c, job, wait=True)
            for app in w.apps:
                app.pending.clear()
        # ListBackendJobs, every page: all environments at the end, a few now.
        envs = [(w, app, env) for w in self.all_workers() for app in w.apps if app.uncertain is None
                for env in app.envs]
        for w, app, env in (envs if final else self.rng.sample(envs, min(len(envs), 3))):
            w.check_list_jobs(c, app, env)
        # ListS3Buckets: exactly the buckets of the storage resources that exist.
        if all(app.uncertain is None for w in self.all_workers() for app in w.apps):
            names = self.list_buckets(c)
            if names is not None:
                want = set().union(*(w.buckets() for w in self.all_workers()))
                mine = {n for n in names if f"-{self.run_id}-" in n or n in want}
                self.promise(mine == want, f"ListS3Buckets: missing {sorted(want - mine)[:10]}, "
                                           f"unexpected {sorted(mine - want)[:10]}")

    def list_buckets(self, c):
        names = set()
        kw = {}
        for _ in range(100):
            status, r = c.probe("ListS3Buckets", **kw)
            if not self.promise(status == 200, f"ListS3Buckets: got {status} {brief(r)}"):
                return None
            names.update(b.get("Name") for b in r.get("Buckets", []))
            if not r.get("NextToken"):
                return names
            kw = {"NextToken": r["NextToken"]}
        return names

    # ---- the run ----

    def run(self):
        args = self.args
        print(f"soak: seed {args.seed}, {args.kills} kills, {args.clients} clients, jobs {args.jobs}, "
              f"token ttl {args.token_ttl}, run id {self.run_id}"
              + (f", provisioning on {self.provisioning.url}" if self.provisioning is not None else ""), flush=True)
        self.fs = None
        fs_note = None
        if args.no_faults:
            fs_note = "fault phases off (--no-faults)"
        elif os.geteuid() != 0:
            fs_note = "fault phases skipped: mounting a file system needs root"
        else:
            self.fs = FaultFs(self.root, args.fault_fs, args.fs_size)
            why = self.fs.setup()
            if why and args.fault_fs == "ext4":
                problems = self.fs.teardown()
                print(f"soak: ext4 on a loop device is not available ({why}{'; ' + '; '.join(problems) if problems else ''}); "
                      f"trying a tmpfs", flush=True)
                self.fs = FaultFs(self.root, "tmpfs", args.fs_size)
                why = self.fs.setup()
            if why:
                problems = self.fs.teardown()
                fs_note = f"fault phases skipped: {why}" + (f" ({'; '.join(problems)})" if problems else "")
                self.fs = None
        self.fs_data = self.fs.data if self.fs else self.root / "db"
        self.fs_data.mkdir(parents=True, exist_ok=True)
        if fs_note:
            print(f"soak: {fs_note}", flush=True)
            self.notes.append(fs_note)
        else:
            print(f"soak: data directory {self.fs_data} on its own {self.fs.kind} file system "
                  f"({args.fs_size} MB)", flush=True)
        self.server = Server(self, args.ampstack, self.fs_data, args.jobs, args.token_ttl, args.start_timeout)
        self.workers = [Worker(self, f"w{i}", args.apps, args.seed * 1000 + i) for i in range(args.clients)]
        self.fault_worker = Worker(self, "f", 32, args.seed * 1000 + 999, threaded=False)
        self.phase = "start"
        t = time.monotonic()
        self.start_server(first=True)
        print(f"soak: server up on {self.server.url} after {time.monotonic() - t:.1f} s", flush=True)
        self.phase = "traffic"
        self.gate.open(self.server.url)
        for w in self.workers:
            w.thread.start()
        faults = collections.defaultdict(list)
        if self.fs is not None:
            slots = 2 * args.fault_rounds
            for i in range(slots):
                at = min(args.kills, max(1, round((i + 1) * args.kills / (slots + 1))))
                faults[at].append("disk full" if i % 2 == 0 else "read-only")
        for k in range(1, args.kills + 1):
            todo = faults.get(k, [])
            self.kill_cycle(k, bool(todo))
            for fault in todo:
                if fault == "disk full":
                    self.fault_disk_full()
                else:
                    self.fault_read_only()
            if todo:
                self.phase = "traffic"
                self.gate.open(self.server.url)
        # The end: a last stretch of traffic, then every promise, then a clean stop and the file check.
        self.wait_acks(self.rng.randint(*self.ack_range()))
        self.gate.close()
        if not self.gate.wait_parked(self.workers):
            self.failure("tool", "workers did not pause within 120 s")
        if not self.server.alive():
            self.restart_after_death()
        for w in self.all_workers():
            w.resolve(self.verifier)
        self.verify_all(self.verifier, final=True)
        self.phase = "stop"
        self.stop_server("term")
        self.inspect_db("the final stop")

    def ack_range(self):
        lo = self.args.min_acks or 3 * self.args.clients
        hi = self.args.max_acks or 15 * self.args.clients
        return lo, max(lo, hi)

    def wait_acks(self, target):
        """Until `target` writes were acknowledged since the last start (or the server died, or a long bound)."""
        deadline = time.monotonic() + self.args.cycle_timeout
        while True:
            with self.lock:
                n = self.acked_since_start
            if n >= target:
                return True
            if not self.server.alive():
                return False
            if time.monotonic() > deadline:
                self.notes.append(f"only {n} of {target} writes acknowledged within {self.args.cycle_timeout:.0f} s")
                return False
            time.sleep(0.01)

    def restart_after_death(self):
        self.gate.close()
        self.gate.wait_parked(self.workers)
        running = self.inspect_db("a server death")
        self.start_server()
        self.recover(running)

    def kill_cycle(self, k, fault_next):
        target = self.rng.randint(*self.ack_range())
        self.phase = "traffic"
        reached = self.wait_acks(target)
        if not self.server.alive():
            print(f"[kill {k}] the server died by itself: restarting", flush=True)
            self.restart_after_death()
            self.gate.open(self.server.url)
            self.phase = "traffic"
            reached = self.wait_acks(target)
        time.sleep(self.rng.uniform(0, self.args.max_extra_delay))
        with self.lock:
            acked = self.acked_since_start
        self.phase = "kill"
        self.stop_server("kill")
        self.kills += 1
        running = self.inspect_db(f"kill {k}")
        t = time.monotonic()
        ms = self.start_server()
        checked0, broken0 = self.promises_checked, len(self.broken_list)
        self.recover(running, verify=not fault_next)
        print(f"[kill {k}/{self.args.kills}] {acked} writes acknowledged since the start "
              f"({'' if reached else 'target not reached, '}target {target}); {len(running)} job(s) RUNNING in the file; "
              f"first answer {ms:.0f} ms after restart; {self.promises_checked - checked0} promises checked, "
              f"{len(self.broken_list) - broken0} broken ({time.monotonic() - t:.1f} s)", flush=True)
        if not fault_next:
            self.phase = "traffic"
            self.gate.open(self.server.url)

    # ---- fault phases ----

    def populate_fault_worker(self, steps):
        """Writes only: no ListBackendJobs/ListS3Buckets before the fault (their first call in a process writes)."""
        fw = self.fault_worker
        c = self.verifier
        fw.no_wait = False
        for _ in range(steps):
            try:
                fw.step(c, writes_only=True)
            except (Skip, Interrupted):
                pass
            except Uncertain:
                pass

    def fault_reads(self, c, rep):
        """GetBackend, GetBackendJob, ListBackendJobs (and the other reads) must answer 2xx."""
        fw = self.fault_worker
        targets = [(fw, a) for a in fw.apps] + [(w, a) for w in self.workers for a in w.apps[:1]]
        for w, app in targets:
            if not app.exists:
                continue
            envs = list(app.envs)
            calls = [("GetBackend", dict(AppId=app.id))] if envs else []
            for env in envs[:2]:
                calls.append(("GetBackend", dict(AppId=app.id, BackendEnvironmentName=env)))
                calls.append(("ListBackendJobs", dict(AppId=app.id, BackendEnvironmentName=env)))
            for job_id in app.jobs[-2:]:
                job = w.jobs[job_id]
                calls.append(("GetBackendJob", dict(AppId=app.id, BackendEnvironmentName=job.env, JobId=job_id)))
            for env in list(app.envs.values())[:1]:
                if env.auth:
                    calls.append(("GetBackendAuth", dict(AppId=app.id, BackendEnvironmentName=env.name, ResourceName=env.auth.name)))
                for api in list(env.apis)[:1]:
                    calls.append(("GetBackendAPI", dict(AppId=app.id, BackendEnvironmentName=env.name, ResourceName=api)))
                    calls.append(("GetBackendAPIModels", dict(AppId=app.id, BackendEnvironmentName=env.name, ResourceName=api)))
                if env.storage:
                    calls.append(("GetBackendStorage", dict(AppId=app.id, BackendEnvironmentName=env.name, ResourceName=env.storage.name)))
            for sid in [sid for sid, (_, ttl) in app.tokens.items() if ttl - time.time() > 10][:1]:
                calls.append(("GetToken", dict(AppId=app.id, SessionId=sid)))
            for op, kw in calls:
                try:
                    status, r = c.probe(op, **kw)
                    detail = "" if status == 200 else f"{r.get('Code')}: {str(r.get('Message'))[:120]}"
                except Uncertain as u:
                    status, detail = (u.status or "no answer"), u.detail[:160]
                if status == 404 and app.uncertain is not None:
                    rep["reads"][(op, "404 (app with an unresolved write)")] += 1
                    continue
                rep["reads"][(op, status)] += 1
                if status != 200:
                    key = (op, status)
                    if key not in rep["read failures"]:
                        rep["read failures"][key] = f"{brief(kw, 160)}: {detail}"
                        self.failure("read refused in a fault", f"{op} {brief(kw, 160)} answered {status}: {detail}")
        try:
            status, r = c.probe("ListS3Buckets")
        except Uncertain as u:
            status = u.status or "no answer"
        rep["reads"][("ListS3Buckets", status)] += 1
        if status != 200 and ("ListS3Buckets", status) not in rep["read failures"]:
            rep["read failures"][("ListS3Buckets", status)] = "(no parameters)"
            self.failure("read refused in a fault", f"ListS3Buckets answered {status}")

    def fault_writes(self, c, rep, n):
        """`n` writes by the fault worker (an operation that would have to wait for a job is replaced by another);
        returns how many were acknowledged."""
        fw = self.fault_worker
        fw.no_wait = True
        acked = 0
        for _ in range(n):
            for _attempt in range(20):
                before = self.acked_writes
                try:
                    fw.step(c, writes_only=True)
                except Skip:
                    continue
                except Uncertain as u:
                    if u.status is None:
                        self.failure("no answer", f"{u.op}: no answer from the server during {self.phase}: {u.detail}")
                    break
                if self.acked_writes > before:
                    acked += 1
                break
        return acked

    def fault_alive(self, rep, when):
        if not self.server.alive():
            rep["alive"] = False
            self.failure("server death", f"the server died during {self.phase} ({when}): {self.server.describe()}")
            return False
        return True

    def new_fault_report(self, name):
        n = sum(1 for k in self.fault_reports if k.split(" #")[0] == name)
        name = f"{name} #{n + 1}"
        rep = {"reads": collections.Counter(), "read failures": collections.OrderedDict(), "phases": [],
               "alive": True, "notes": [], "logs": []}
        self.fault_reports[name] = rep
        return rep

    def log_lines_between(self, t0, t1):
        return [line for t, _, line in self.server.errors if t0 <= t <= t1]

    def fault_disk_full(self):
        rep = self.new_fault_report("disk full")
        c = self.verifier
        self.phase = "fault preparation"
        self.populate_fault_worker(100 if not any(a.exists for a in self.fault_worker.apps) else 25)
        self.phase = "fault: disk full"
        rep["phases"].append(self.phase)
        fresh = self.fresh_store_start(rep)
        filler = self.fs_data / FILLER
        t0 = time.monotonic()
        print(f"[fault] disk full: filling {self.fs_data} ({self.fs.free_bytes() // 1024} KiB free)", flush=True)
        fd = os.open(str(filler), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        page = 4096

        def grow(limit=None):
            """Appends pages until the disk is full (or `limit` bytes); True when it is full."""
            written = 0
            try:
                while limit is None or written < limit:
                    n = os.write(fd, b"\0" * page)
                    written += n
                    if n < page:
                        return True
                os.fsync(fd)
                return False
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
                return True

        try:
            try:
                while self.fs.free_bytes() > (1 << 20) + 256 * 1024:
                    os.write(fd, b"\0" * (1 << 20))
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
            # Creep to the edge a page at a time, one write between pages, until writes are refused.
            full = False
            consecutive_refused = 0
            attempts = 0
            while attempts < 600 and self.fault_alive(rep, "while filling"):
                attempts += 1
                consecutive_refused = 0 if self.fault_writes(c, rep, 1) else consecutive_refused + 1
                if not full:
                    full = grow(page)
                if full and consecutive_refused >= 5:
                    break
            # Then sweep the edge: free 1, 2, ... pages, one write each, fill up again. Somewhere a write's change
            # fits and its job's end does not: that write must not be answered as if nothing happened.
            sweep = []
            for pages in range(1, 13):
                if not self.fault_alive(rep, "sweeping the edge"):
                    break
                size = os.fstat(fd).st_size
                os.ftruncate(fd, max(0, size - pages * page))
                os.lseek(fd, 0, os.SEEK_END)
                os.fsync(fd)
                sweep.append(f"{pages}:{'ack' if self.fault_writes(c, rep, 1) else 'refused'}")
                grow()
            rep["notes"].append(f"filled: {os.fstat(fd).st_size // 1024} KiB filler, {self.fs.free_bytes() // 1024} KiB "
                                f"free; {attempts} write attempts creeping to the edge; sweep (pages freed:outcome) "
                                + " ".join(sweep))
        finally:
            os.close(fd)
        # The steady state: reads answered, writes refused, the server stays up.
        self.fault_steady(rep, "full disk", t0)
        self.fresh_store_reads(rep, fresh)
        # Space again: writes must work again, then every promise is checked.
        os.unlink(filler)
        self.phase = "fault: disk freed"
        self.ensure_up(rep)
        rep["writes work again after ms"] = self.wait_writable(self.verifier, rep)
        self.fault_recover(rep)

    def fresh_store_start(self, rep):
        """A second server on a new store next to the first (same file system), which has served no list yet:
        its first ListBackendJobs/ListS3Buckets then comes while the disk is full."""
        d = self.fs_data / "fresh-store"
        shutil.rmtree(d, ignore_errors=True)
        server = Server(self, self.args.ampstack, d, "immediate", self.args.token_ttl, self.args.start_timeout, main=False)
        try:
            server.start()
            c = Caller(self, server.url)
            job = c("CreateBackend", AppId="fresh", AppName="fresh", BackendEnvironmentName="dev")
            return server, c, job["JobId"]
        except Exception as e:  # noqa: BLE001
            rep["notes"].append(f"the fresh-store server could not be prepared: {e}")
            server.stop()
            server.cleanup()
            return None

    def fresh_store_reads(self, rep, fresh):
        if fresh is None:
            return
        server, c, job_id = fresh
        got = []
        for op, kw in (("GetBackend", dict(AppId="fresh")),
                       ("GetBackendJob", dict(AppId="fresh", BackendEnvironmentName="dev", JobId=job_id)),
                       ("ListBackendJobs", dict(AppId="fresh", BackendEnvironmentName="dev")),
                       ("ListS3Buckets", {})):
            try:
                status, r = c.probe(op, **kw)
                detail = "" if status == 200 else f"{r.get('Code')}: {str(r.get('Message'))[:120]}"
            except Uncertain as u:
                status, detail = (u.status or "no answer"), u.detail[:160]
            got.append(f"{op} {status}")
            if status != 200:
                self.failure("read refused in a fault", f"fresh store (a server that has not listed anything yet), "
                                                        f"disk full: {op} answered {status}: {detail}")
        alive = server.alive()
        rep["notes"].append("fresh store (second server, first reads after the disk filled): " + ", ".join(got)
                            + ("" if alive else "; that server DIED"))
        if not alive:
            self.failure("server death", f"the fresh-store server died on a full disk: {server.describe()}")
        lines = [line for line in server.output if line.startswith(("fail:", "crit:"))]
        if lines:
            rep["notes"].append(f"fresh store server logged {len(lines)} fail:/crit: line(s), e.g. {lines[0][:240]}")
        server.stop()
        server.cleanup()
        shutil.rmtree(self.fs_data / "fresh-store", ignore_errors=True)

    def wait_writable(self, c, rep, timeout=20.0, record=True):
        t = time.monotonic()
        app = next((a for a in self.fault_worker.apps if a.exists and a.uncertain is None), None)
        if app is None:
            app = next((a for w in self.workers for a in w.apps if a.exists and a.uncertain is None), None)
        if app is None:
            rep["notes"].append("no app to probe writes with")
            return None
        refused = collections.Counter()
        while True:
            try:
                resp = c("CreateToken", AppId=app.id)
                code, ttl = resp["ChallengeCode"], int(resp["Ttl"])
                app.tokens[resp["SessionId"]] = (code, ttl)
                if refused:
                    rep["notes"].append("CreateToken probes refused before writes worked again: "
                                        + ", ".join(f"{k}: {n}" for k, n in refused.items()))
                return round((time.monotonic() - t) * 1000)
            except (Uncertain, Refused) as e:
                refused[str(getattr(e, "status", None) or "no answer")] += 1
                if time.monotonic() - t > timeout:
                    if record:
                        self.failure("no recovery", f"writes still fail {timeout:.0f} s after the fault ended: {e}")
                    return None
                time.sleep(0.1)

    def fault_recover(self, rep):
        """After a fault without a restart: jobs end, uncertain writes are resolved, every promise holds."""
        c = self.verifier
        self.phase = "after fault"
        self.fault_worker.no_wait = False
        # Jobs a failed request left RUNNING: the server's worker ends them once it can write.
        found = 0
        for w in self.all_workers():
            for app in w.apps:
                if not app.exists:
                    continue
                for env in list(app.envs) + ["staging"]:
                    try:
                        status, r = c.probe("ListBackendJobs", AppId=app.id, BackendEnvironmentName=env, Status="RUNNING")
                    except Uncertain as u:
                        self.failure("after fault", f"ListBackendJobs {app.id}/{env}: {u}")
                        continue
                    for j in r.get("Jobs", []) if status == 200 else []:
                        job = w.jobs.get(j["JobId"])
                        if job is None:
                            # Not acknowledged: left by a request that failed during the fault.
                            job = Job(app.id, env, j["JobId"], j.get("Operation"), None, "recovered")
                            w.jobs[job.job_id] = job
                            app.jobs.append(job.job_id)
                            found += 1
                            if w.check_job(c, job, wait=True) and job.snapshot is not None:
                                self.jobs_after_fault += 1
                        else:
                            w.check_job(c, job, wait=True)
        if found:
            rep["notes"].append(f"{found} job(s) of failed requests still RUNNING when the fault ended; "
                                f"{self.jobs_after_fault} such job(s) ended so far in this run")
        checked0, broken0 = self.promises_checked, len(self.broken_list)
        self.recover([], verify=True)
        rep["promises checked after"] = self.promises_checked - checked0
        rep["promises broken after"] = len(self.broken_list) - broken0
        self.print_fault(rep)

    def fault_steady(self, rep, label, t0):
        """The checks while the store cannot write: reads answered 2xx, writes refused (or kept), the server stays up."""
        c = self.verifier
        if self.fault_alive(rep, label):
            self.fault_reads(c, rep)
            self.fault_writes(c, rep, 10)
            time.sleep(2.0)   # idle: the job worker keeps trying whatever a failed request left RUNNING
            self.fault_reads(c, rep)
            self.fault_alive(rep, f"{label}, after 2 s idle")
        t1 = time.monotonic()
        lines = self.log_lines_between(t0, t1)
        cats = collections.Counter(re.sub(r"^(fail|crit): ([^\[ ]+).*$", r"\2", line) for line in lines)
        worker = [line for line in lines if "JobWorker" in line]
        rep["logs"].append((label, len(lines), t1 - t0, cats, (worker or lines)[:1]))

    def ensure_up(self, rep):
        """A server that died in a fault phase is started again once the fault is over (its death is recorded)."""
        if self.server.alive():
            return
        running = self.inspect_db("a death in a fault phase")
        self.start_server()
        rep["notes"].append("the server had died: started again after the fault")
        self.recover(running, verify=False)

    def fault_read_only(self):
        rep = self.new_fault_report("read-only")
        self.phase = "fault preparation"
        self.populate_fault_worker(100 if not any(a.exists for a in self.fault_worker.apps) else 25)
        data = str(self.fs_data)
        # Part 1: the directory turns read-only under the running server.
        self.phase = "fault: read-only, live"
        rep["phases"].append(self.phase)
        t0 = time.monotonic()
        rc, out = run_cmd(["mount", "-o", "remount,ro", data])
        live = None
        if rc == 0:
            live = "remount"
        else:
            rep["notes"].append(f"`mount -o remount,ro` with the server running is refused "
                                f"({(out.splitlines() or [str(rc)])[0].strip()}): the server holds the database open for writing")
            if self.fs.kind == "ext4":
                dev = self.fs.device()
                try:
                    with open(f"/sys/fs/ext4/{dev}/trigger_fs_error", "w") as f:
                        f.write("ampstack soak: read-only fault\n")
                    live = "ext4"
                except OSError as e:
                    rep["notes"].append(f"ext4 trigger_fs_error on {dev}: {e}")
        if live is not None:
            rep["method"] = ("mount -o remount,ro" if live == "remount" else
                             "an ext4 error with errors=remount-ro: the kernel turns the mounted file system read-only")
            print(f"[fault] read-only under the running server: {rep['method']}", flush=True)
            self.fault_steady(rep, "read-only under the running server", t0)
        else:
            rep["notes"].append("no way to make the directory read-only under the running server here: part 1 skipped")
        # Part 2: the server restarted on the read-only directory.
        self.phase = "fault: read-only, restart"
        rep["phases"].append(self.phase)
        self.stop_server("kill")
        self.fault_kills += 1
        running = []
        part2 = True
        if live is None:
            running = self.inspect_db("the kill before the read-only restart")
            rc, out = run_cmd(["mount", "-o", "remount,ro", data])
            if rc != 0:
                rep["notes"].append(f"remount,ro with the server stopped failed too ({out}): part 2 skipped")
                part2 = False
        if part2:
            # A server does not start on a data directory it cannot write (README: exit code 3, one line naming the
            # directory and the problem); anything else is a failure.
            try:
                ms = self.server.start(refusal_expected=True)
                self.failure("read-only start", f"the server started on the read-only directory ({ms:.0f} ms); "
                                                 "it should refuse with exit code 3")
            except StartRefused as refused:
                lines = [line for line in refused.stderr.splitlines() if line.strip()]
                last = lines[-1] if lines else ""
                if refused.code == 3 and "read-only" in last and str(data) in last:
                    rep["notes"].append(f"the server refuses to start on the read-only directory: exit 3, {last!r}")
                else:
                    self.failure("read-only start", f"exit {refused.code} instead of 3 with one line: {refused.stderr[-400:]!r}")
        # Back to read-write.
        self.phase = "fault: writable again"
        if live == "ext4":
            # An ext4 file system that turned read-only on an error cannot be remounted rw while mounted: stop the
            # server, unmount, fsck, mount again, restart.
            if self.server.alive():
                self.stop_server("kill")
                self.fault_kills += 1
            rc, out = run_cmd(["umount", data])
            if rc != 0:
                self.failure("tool", f"umount of the read-only ext4 failed: {out}")
            rc, out = run_cmd(["e2fsck", "-fy", str(self.fs.image)], timeout=120)
            rep["notes"].append(f"e2fsck -fy exit {rc} ({'clean' if rc == 0 else 'errors corrected' if rc == 1 else out[-200:]})")
            rc, out = run_cmd(["mount", "-o", "loop,errors=remount-ro", str(self.fs.image), data])
            if rc != 0:
                raise RuntimeError(f"cannot mount the ext4 image again: {out}")
            running = self.inspect_db("the read-only fault")
            self.start_server()
            rep["writes work again after ms"] = self.wait_writable(self.verifier, rep)
            self.recover(running, verify=False)
            self.fault_recover(rep)
            return
        rc, out = run_cmd(["mount", "-o", "remount,rw", data])
        if rc != 0:
            raise RuntimeError(f"cannot remount {data} read-write: {out}")
        if not self.server.alive():
            self.ensure_up(rep)
        ms = self.wait_writable(self.verifier, rep, timeout=5.0, record=False)
        rep["writes work again after ms"] = ms
        if ms is None:
            # A server that opened its database read-only keeps it so: it needs a restart.
            rep["notes"].append("writes still refused 5 s after the directory became writable again: the server "
                                "keeps its read-only database until restarted (restarted it)")
            self.stop_server("kill")
            self.fault_kills += 1
            running = self.inspect_db("the read-only fault")
            self.start_server()
            rep["writes work again after ms"] = self.wait_writable(self.verifier, rep)
            self.recover(running, verify=False)
        else:
            running = []
        self.fault_recover(rep)

    def print_fault(self, rep):
        name = next(k for k, v in self.fault_reports.items() if v is rep)
        print(f"[fault] {name}: " + "; ".join(self.describe_fault(rep)), flush=True)

    def describe_fault(self, rep):
        out = []
        if rep.get("method"):
            out.append(f"method: {rep['method']}")
        out.extend(rep["notes"])
        ok_reads = sum(n for (op, st), n in rep["reads"].items() if st == 200)
        unresolved = sum(n for (op, st), n in rep["reads"].items() if isinstance(st, str) and st.startswith("404 ("))
        all_reads = sum(rep["reads"].values()) - unresolved
        by_op = collections.Counter()
        for (op, st), n in rep["reads"].items():
            if st == 200:
                by_op[op] += n
        out.append(f"reads answered 2xx: {ok_reads}/{all_reads} ("
                   + ", ".join(f"{op} {n}" for op, n in sorted(by_op.items())) + ")"
                   + (f"; {unresolved} more answered 404 for apps whose last write is not resolved yet (expected)"
                      if unresolved else ""))
        for (op, st), detail in rep["read failures"].items():
            out.append(f"read {op} answered {st} ({rep['reads'][(op, st)]}x), e.g. {detail}")
        for phase in rep["phases"]:
            writes = {o: n for (ph, o), n in self.write_outcomes.items() if ph == phase}
            out.append(f"writes in '{phase}': " + (", ".join(
                f"{o}: {n}" + (f" (e.g. {self.write_examples[(phase, o)][:160]})" if o != "2xx" else " (held as promises)")
                for o, n in sorted(writes.items())) or "none attempted"))
        out.append("server " + ("stayed up" if rep["alive"] else "DIED"))
        for label, n, secs, cats, first in rep["logs"]:
            out.append(f"{label}: the server logged {n} fail:/crit: line(s) in {secs:.1f} s ({n / secs if secs else 0:.1f}/s)"
                       + (" [" + ", ".join(f"{k}: {v}" for k, v in cats.most_common()) + "]" if cats else "")
                       + (f", e.g. {first[0][:260]}" if first else ""))
        if "writes work again after ms" in rep:
            out.append(f"writes work again {rep['writes work again after ms']} ms after the fault ended")
        if "promises checked after" in rep:
            out.append(f"afterwards {rep['promises checked after']} promises checked, {rep['promises broken after']} broken")
        return out

    # ---- the report ----

    def report(self):
        p = print
        p("")
        p("=" * 100)
        elapsed = time.monotonic() - self.started
        p(f"soak report (seed {self.args.seed}, {elapsed:.0f} s, jobs {self.args.jobs}, {self.args.clients} clients"
          + (", provisioning on" if self.provisioned else "") + ")")
        p(f"  kills survived:            {self.kills} (+{self.fault_kills} in fault phases)")
        p(f"  requests acknowledged:     {self.acked_writes + self.acked_reads} "
          f"({self.acked_writes} writes, {self.acked_reads} reads)")
        unc = sum(self.uncertain.values())
        p(f"  writes without a 2xx:      {unc} " + (f"({', '.join(f'{k}: {n}' for k, n in sorted(self.uncertain.items()))})" if unc else ""))
        if self.resolutions:
            p("  resolved by reading:       " + ", ".join(
                f"{k}: {'applied' if a else 'not applied'} {n}" for (k, a), n in sorted(self.resolutions.items())))
        p(f"  promises checked:          {self.promises_checked}")
        p(f"  promises broken:           {len(self.broken_list)}")
        p(f"  jobs RUNNING at a stop:    {self.running_at_stop}; recovered (ended after the restart): {self.jobs_recovered}")
        if self.recovery_ms:
            p(f"  restart to first answer:   slowest {max(self.recovery_ms):.0f} ms, median "
              f"{statistics.median(self.recovery_ms):.0f} ms over {len(self.recovery_ms)} restarts")
        ok_checks = sum(1 for _, ok in self.integrity if ok)
        p(f"  integrity_check:           {ok_checks}/{len(self.integrity)} ok")
        p(f"  server deaths (not ours):  {len(self.deaths)}")
        if self.delay_mode:
            p(f"  'pending job' 400s:        {self.pending_400} (expected only with --jobs delay)")
        fivexx = collections.Counter((ph, op, st) for ph, op, st, *_ in self.five_xx)
        p(f"  5xx answers:               {len(self.five_xx)}" + (" (" + ", ".join(
            f"{op} {st} in {ph}: {n}" for (ph, op, st), n in sorted(fivexx.items())) + ")" if fivexx else ""))
        names = botocore.session.get_session().get_service_model("amplifybackend").operation_names
        ok_ops = {op for (_, op, st), n in self.statuses.items() if st == 200}
        err_ops = {op for (_, op, st), n in self.statuses.items() if isinstance(st, int) and 400 <= st < 500}
        family = collections.Counter(op for (_, op, st), n in self.statuses.items() for _ in range(n) if ":" in op)
        p(f"  family reads (same port):  {sum(family.values())} ("
          + (", ".join(f"{op} {n}" for op, n in sorted(family.items())) or "none") + ")")
        p(f"  operations answered 2xx:   {len(ok_ops & set(names))}/{len(names)}"
          + (f" (never: {', '.join(sorted(set(names) - ok_ops))})" if set(names) - ok_ops else "")
          + f"; answered 4xx: {len(err_ops & set(names))}/{len(names)}")
        if self.jobs_after_fault:
            p(f"  jobs left RUNNING by a fault that ended after it: {self.jobs_after_fault}")
        for name, rep in self.fault_reports.items():
            p(f"  fault, {name}:")
            for line in self.describe_fault(rep):
                p(f"    - {line}")
        for note in self.notes:
            p(f"  note: {note}")
        if self.unexpected_job_failures:
            p(f"  jobs FAILED 'unexpectedly': {len(self.unexpected_job_failures)}, e.g. {self.unexpected_job_failures[0][:300]}")
        problems = []
        for text in self.broken_list:
            problems.append(("broken promise", text))
        for text in self.deaths:
            problems.append(("server death", text))
        problems.extend(self.failures)
        if problems:
            p("")
            p(f"problems ({len(problems)}):")
            shown = collections.Counter()
            for kind, text in problems:
                shown[kind] += 1
                if shown[kind] <= self.args.show:
                    p(f"  {kind}: {text[:1500]}")
            for kind, n in shown.items():
                if n > self.args.show:
                    p(f"  ... and {n - self.args.show} more of kind '{kind}'")
        failed = len(problems)
        passed = self.promises_checked - len(self.broken_list) + sum(1 for _, ok in self.integrity if ok)
        p("=" * 100)
        p(f"soak: {passed} passed, {failed} failed")
        return failed


def check_provisioned(soak):
    """With provisioning on, at the end: what the endpoint holds for this run's apps is what the server says exists,
    each made once (after every kill -9): a user pool per auth, an AppSync API per API and a bucket per storage that is
    not imported, found by the resource tag each carries (account/region/app/environment/kind/name)."""
    made = soak.provisioning.tagged(REGION)
    apps = {app.id: app for w in soak.workers for app in w.apps}
    want, unsure = set(), set()
    for app in apps.values():
        if app.uncertain is not None:
            unsure.add(app.id)
            continue
        for env in app.envs.values():
            if env.auth and not env.auth.imported:
                want.add((app.id, env.name, "userpool", env.auth.name))
            if env.storage and not env.storage.imported:
                want.add((app.id, env.name, "bucket", env.storage.name))
            want.update((app.id, env.name, "api", name) for name in env.apis)
    kinds = {"userpool": "auth", "api": "api", "bucket": "storage"}
    have = collections.Counter()
    for kind, things in made.items():
        for _, key in things:
            parts = key.split("/")
            if len(parts) == 6 and parts[2] in apps and parts[2] not in unsure and parts[4] == kinds[kind]:
                have[(parts[2], parts[3], kind, parts[5])] += 1
    for key, n in sorted(have.items()):
        if n > 1:
            soak.failure("provisioning", f"{key[2]} of {'/'.join(key[:2])} {key[3]} made {n} times on the endpoint")
    for key in sorted(want - set(have)):
        soak.failure("provisioning", f"{key[2]} of {'/'.join(key[:2])} {key[3]}: the server has it, the endpoint not")
    for key in sorted(set(have) - want):
        soak.failure("provisioning", f"{key[2]} of {'/'.join(key[:2])} {key[3]}: left on the endpoint, gone from the server")
    soak.notes.append(f"provisioning on {soak.provisioning.url}: {sum(have.values())} user pools, APIs and buckets of "
                      f"this run's apps there, {len(want)} expected ({len(unsure)} apps with an unresolved write not counted)")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ap.add_argument("--kills", type=int, default=100, help="kill -9s of the server (the fault phases come on top)")
    ap.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    ap.add_argument("--apps", type=int, default=3, help="apps per client (each client has its own)")
    ap.add_argument("--seed", type=int, default=1, help="seeds the kill moments and the operation mix")
    ap.add_argument("--data-dir", help="working directory (the database lives in DIR/db); default a temporary "
                                       "directory, deleted at the end unless --keep")
    ap.add_argument("--keep", action="store_true", help="keep the working directory (and the database) at the end")
    ap.add_argument("--jobs", default="immediate", help="the server's --jobs: immediate or delay:<duration> "
                                                        "(manual jobs never end: not supported)")
    ap.add_argument("--token-ttl", default="60s", help="the server's --token-ttl (tokens are checked until and after it)")
    ap.add_argument("--no-faults", action="store_true", help="no full-disk and read-only phases")
    ap.add_argument("--fault-fs", choices=("ext4", "tmpfs"), default="ext4",
                    help="file system of the data directory for the fault phases: ext4 on a loop device (it can "
                         "turn read-only under a running server) or a tmpfs (cannot: `remount,ro` is refused while the "
                         "server holds the database open, so the server is restarted on the read-only directory)")
    ap.add_argument("--fault-rounds", type=int, default=1, help="full-disk and read-only phases, each, spread over the kills")
    ap.add_argument("--fs-size", type=int, default=64, help="size of that file system in MB")
    ap.add_argument("--ampstack", default=str(DEFAULT_AMPSTACK), help="the ampstack launcher to run")
    ap.add_argument("--min-acks", type=int, default=0, help="least acknowledged writes between kills (default 3 x clients)")
    ap.add_argument("--max-acks", type=int, default=0, help="most acknowledged writes between kills (default 15 x clients)")
    ap.add_argument("--max-extra-delay", type=float, default=0.25, help="longest random delay (s) before a kill")
    ap.add_argument("--cycle-timeout", type=float, default=120, help="liveness bound (s) on waiting for writes")
    ap.add_argument("--job-sample", type=int, default=40, help="finished jobs re-read at each restart")
    ap.add_argument("--read-timeout", type=float, default=30, help="client read timeout (s)")
    ap.add_argument("--start-timeout", type=float, default=300, help="bound (s) on a server start (the first builds)")
    ap.add_argument("--journal", help="append one JSON line per write, resolution, stop and broken promise to this file")
    ap.add_argument("--server-log", help="append everything the server prints (stdout) to this file")
    ap.add_argument("--show", type=int, default=25, help="problems printed per kind")
    ap.add_argument("-v", "--verbose", action="store_true", help="print problems as they happen")
    moto_endpoint.add_arguments(ap)
    args = ap.parse_args(argv)
    if args.jobs.startswith("manual"):
        ap.error("--jobs manual leaves every job RUNNING: use immediate or delay:<duration>")
    if args.kills < 1 or args.clients < 1:
        ap.error("--kills and --clients must be at least 1")
    if not Path(args.ampstack).exists():
        ap.error(f"no ampstack launcher at {args.ampstack}")

    created = args.data_dir is None
    root = Path(args.data_dir or tempfile.mkdtemp(prefix="ampstack-soak-")).resolve()
    root.mkdir(parents=True, exist_ok=True)
    soak = Soak(args)
    soak.root = root
    soak.server = None
    soak.fs = None
    soak.workers = []
    failed = 1
    interrupted = False

    def on_term(signum, frame):
        raise KeyboardInterrupt()

    signal.signal(signal.SIGTERM, on_term)
    try:
        soak.provisioning = moto_endpoint.from_arguments(args)
        soak.run()
        if soak.provisioning is not None:
            check_provisioned(soak)
    except KeyboardInterrupt:
        interrupted = True
        soak.failure("tool", "interrupted")
    except Exception as e:  # noqa: BLE001
        soak.failure("tool", f"the soak stopped: {type(e).__name__}: {e}\n{traceback.format_exc(limit=8)}")
    finally:
        soak.gate.stop()
        for server in soak.servers:
            try:
                server.stop()
            except Exception as e:  # noqa: BLE001
                soak.failure("tool", f"stopping a server: {e!r}")
        if soak.fs is not None:
            keep_to = (root / "db-kept") if (args.keep or not created) else None
            for problem in soak.fs.teardown(keep_to=keep_to):
                soak.failure("tool", f"unmounting: {problem}")
            if keep_to is not None and keep_to.exists():
                for f in keep_to.iterdir():
                    shutil.move(str(f), str(soak.fs.data / f.name))
                keep_to.rmdir()
        for server in soak.servers:
            server.cleanup()
        try:
            failed = soak.report()
        except Exception as e:  # noqa: BLE001
            print(f"soak: the report failed: {e!r}\n{traceback.format_exc()}")
            failed = max(failed, 1)
        if soak.provisioning is not None:
            soak.provisioning.stop()
        if created and not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"soak: data kept in {root / 'db'}")
    return 1 if (failed or interrupted) else 0


if __name__ == "__main__":
    sys.exit(main())
