"""Starts `ampstack serve` and waits until it listens, reading its --ready-file instead of its human start line.

Standard library only; the conformance suite, the fuzzer and the soak share it:

    launch = Launch([str(AMPSTACK), "serve", "--port", "0", ...], stdout=subprocess.PIPE, start_new_session=True)
    ... start pumping launch.proc.stdout if it is a pipe ...
    info = launch.wait(timeout=240)       # {"url", "pid", "store", "dataDirectory"|"connection", "jobs", "auth", "version"}
    launch.url, launch.pid

`Launch` adds `--ready-file <private temporary path>` to the command and starts it (any `subprocess.Popen` keywords).
`wait` returns the file's object once the server has written it; if the process exits first it raises `ServerExited`
(with its exit code and stderr), and if the timeout passes first `NotReady`; it leaves stopping the process to the
caller, who knows how (`kill_group` is there for processes started in their own session). `start` does both steps and
kills the process group when the start fails.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time

__all__ = ["Launch", "LaunchError", "NotReady", "ServerExited", "kill_group", "start"]


class LaunchError(RuntimeError):
    """The server did not become ready."""


class ServerExited(LaunchError):
    """The process exited before it wrote its ready file (as it should on a bad option or an unusable store)."""

    def __init__(self, code, stderr, detail=None):
        super().__init__(f"ampstack exited with {code} before it was ready: {detail or stderr[-4000:]}")
        self.code = code
        self.stderr = stderr


class NotReady(LaunchError):
    """The timeout passed with the process still running and no ready file."""


def kill_group(proc, sig=signal.SIGKILL):
    """Signals the process group of a process started with start_new_session=True (it reaches a build the `ampstack`
    script may still be running) and reaps the process."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
    proc.wait(timeout=30)


class Launch:
    """One started server process and the ready file it will write."""

    def __init__(self, args, **popen_kwargs):
        self._dir = tempfile.mkdtemp(prefix="ampstack-ready-")
        self.path = os.path.join(self._dir, "ready.json")
        self._stderr_path = None
        if "stderr" not in popen_kwargs:
            # Nobody else reads its stderr: keep it in a file of ours, for the message when the start fails.
            fd, self._stderr_path = tempfile.mkstemp(prefix="stderr-", suffix=".log", dir=self._dir)
            popen_kwargs["stderr"] = fd
        try:
            self.proc = subprocess.Popen([*args, "--ready-file", self.path], **popen_kwargs)
        finally:
            if self._stderr_path:
                os.close(popen_kwargs["stderr"])
        self.info = None

    @property
    def url(self):
        return self.info["url"] if self.info else None

    @property
    def pid(self):
        return self.proc.pid

    def stderr_text(self):
        """Its stderr, when the launcher keeps it (the caller passed no stderr=)."""
        if self._stderr_path and os.path.exists(self._stderr_path):
            with open(self._stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        return ""

    def _read(self):
        try:
            with open(self.path, "rb") as f:
                return json.loads(f.read().decode("utf-8"))
        except FileNotFoundError:
            return None

    def wait(self, timeout, describe=None, poll=0.02):
        """The ready file's object, once written. `describe` (no arguments, returns text) explains a failure when the
        caller keeps the process's output; otherwise the message carries the stderr the launcher kept."""
        deadline = time.monotonic() + timeout
        while True:
            # The server writes PATH.tmp and renames it: a file that exists is whole.
            info = self._read()
            if info is not None:
                if not isinstance(info, dict) or not str(info.get("url", "")).startswith("http://"):
                    raise LaunchError(f"ampstack wrote a ready file without a url: {info!r}")
                self.info = info
                return info
            code = self.proc.poll()
            if code is not None:
                info = self._read()  # written just before it exited
                if info is not None:
                    continue
                raise ServerExited(code, self.stderr_text(), describe() if describe else None)
            if time.monotonic() > deadline:
                raise NotReady(f"ampstack was not ready within {timeout:.0f} s: "
                               f"{describe() if describe else self.stderr_text()[-4000:]}")
            time.sleep(poll)

    def cleanup(self):
        """Removes the ready file (and the stderr the launcher kept)."""
        shutil.rmtree(self._dir, ignore_errors=True)


def start(args, timeout, describe=None, **popen_kwargs):
    """Launch + wait; on failure the process (group, with start_new_session=True) is killed and the error raised."""
    launch = Launch(args, **popen_kwargs)
    try:
        launch.wait(timeout, describe)
    except LaunchError:
        if popen_kwargs.get("start_new_session"):
            kill_group(launch.proc)
        elif launch.proc.poll() is None:
            launch.proc.kill()
            launch.proc.wait(timeout=30)
        launch.cleanup()
        raise
    return launch
