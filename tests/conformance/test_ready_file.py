"""`--ready-file`: once listening, the server writes one JSON object saying where and how it runs (issue 22).

Every server of this suite starts through it (conftest's Server, tools/launcher/ampstack_launcher.py); these tests check
what the file holds and that a start that fails leaves none.
"""

import os
import subprocess
import urllib.request
from pathlib import Path

from conftest import AMPSTACK, AUTH_MODE, REPO, STORE, ampstack_launcher


def test_the_ready_file_names_the_server_that_answers(server):
    ready = server.ready
    assert set(ready) == {"url", "pid", "store", "dataDirectory" if STORE == "sqlite" else "connection", "jobs", "auth",
                          "version"}, ready
    assert ready["url"] == server.url and ready["url"].startswith("http://127.0.0.1:"), ready
    assert ready["pid"] == server.pid, ready  # ./ampstack execs dotnet: the process we started is the server
    assert (ready["store"], ready["jobs"], ready["auth"]) == (STORE, "immediate", AUTH_MODE), ready
    if STORE == "sqlite":
        assert Path(ready["dataDirectory"]) == server.data_dir.resolve(), ready
    else:
        assert "Password" not in ready["connection"] and "/conf_" in ready["connection"], ready
    assert isinstance(ready["version"], str) and ready["version"], ready
    # The port was 0: the file's url is the only place it is told, and the server answers there.
    with urllib.request.urlopen(ready["url"] + "/_ampstack/live", timeout=10) as resp:
        assert resp.status == 200
    # Written as ready.json.tmp and renamed: nothing but the file is left.
    assert os.listdir(os.path.dirname(server._launch.path)) == ["ready.json"], os.listdir(os.path.dirname(server._launch.path))


def test_a_server_that_cannot_start_writes_no_ready_file(tmp_path):
    launch = ampstack_launcher.Launch([str(AMPSTACK), "serve", "--port", "0", "--data-dir", str(tmp_path / "d"),
                                       "--jobs", "sometimes"], cwd=str(REPO), stdin=subprocess.DEVNULL,
                                      stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        try:
            launch.wait(240)
            raise AssertionError(f"a server with --jobs sometimes became ready: {launch.info}")
        except ampstack_launcher.ServerExited as exited:
            assert exited.code == 2 and "not a job progression" in exited.stderr, (exited.code, exited.stderr)
        assert not os.path.exists(launch.path)
    finally:
        ampstack_launcher.kill_group(launch.proc)
        launch.cleanup()
