"""The server makes no connection beyond loopback: started as `make run` starts it (atlas.ui.serve) and as plain
`streamlit run dashboard.py`, traced with strace from start-up through a tour of every page to a websocket from a
foreign origin."""
from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import websockets

from benchmarks.browser import TOUR
from benchmarks.wire import Session
from tests.conftest import REPO
from tests.e2e.conftest import _free_port

CONNECT = re.compile(r"^\d+\s+connect\(\d+, \{sa_family=(AF_\w+)(.*?)\}, \d+\)")
LOOPBACK = re.compile(r'inet_addr\("127\.[\d.]+"\)|inet_pton\(AF_INET6, "(::1|::ffff:127\.[\d.]+)"')


def strace() -> str:
    path = shutil.which("strace")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("strace is required in CI: apt-get install strace (make test installs it as root)")
        pytest.skip("strace not installed (make test installs it when run as root)")
    return path


def outside_loopback(trace: str) -> list[str]:
    """connect() calls to anything but loopback addresses and local (unix) sockets."""
    out = []
    for line in trace.splitlines():
        m = CONNECT.match(line)
        if not m:
            continue
        family, address = m.groups()
        if family in ("AF_UNIX", "AF_UNSPEC", "AF_NETLINK") or (family in ("AF_INET", "AF_INET6") and LOOPBACK.search(address)):
            continue
        out.append(line)
    return out


def test_loopback_filter_tells_outbound_connects_apart():
    trace = "\n".join([
        '11 connect(7, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr("8.8.8.8")}, 16) = 0',
        '11 connect(7, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0',
        '12 connect(9, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "2600:1f18::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 ENETUNREACH',
        '12 connect(9, {sa_family=AF_INET, sin_port=htons(8501), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        '12 connect(9, {sa_family=AF_INET6, sin6_port=htons(8501), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
        '13 connect(4, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT',
    ])
    assert len(outside_loopback(trace)) == 3


async def _foreign_origin(url: str) -> str:
    """A page elsewhere opening a websocket to the Atlas: Streamlit checks the origin (and must not ask the network)."""
    try:
        async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                      origin="http://elsewhere.example", open_timeout=30):
            return "accepted"
    except websockets.InvalidStatus as e:
        return f"refused {e.response.status_code}"


async def _tour_and_foreign_origin(url: str, foreign_first: bool) -> tuple[list[str], list[str]]:
    errors, foreign = [], []
    if foreign_first:
        foreign.append(await _foreign_origin(url))
    async with Session(url) as session:
        for path in TOUR:
            run = await session.run(path.strip("/"))
            errors += [f"{path}: {e}" for e in run.errors] + ([f"{path}: no finish"] if run.ms is None else [])
    foreign.append(await _foreign_origin(url))
    return errors, foreign


# `make run` (atlas.ui.serve) pins the origin check's look-ups before the server starts; under plain `streamlit run`
# that happens on the app's first run, so there the foreign websocket comes after the tour.
@pytest.mark.parametrize("command,foreign_first", [(["-m", "atlas.ui.serve"], True),
                                                   (["-m", "streamlit", "run", "dashboard.py"], False)],
                         ids=["make-run", "streamlit-run"])
def test_the_server_connects_to_nothing_beyond_loopback(tmp_path, command, foreign_first):
    trace_file = tmp_path / "connect.trace"
    port = _free_port()
    url = f"http://localhost:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    proc = subprocess.Popen(
        [strace(), "-f", "-qq", "-e", "trace=connect,bind", "-o", str(trace_file),
         sys.executable, *command, "--server.port", str(port)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    pytest.fail("the traced server did not start")
                time.sleep(0.5)
        time.sleep(2)  # the start-up banner (and its address look-ups) is printed after the port opens
        with ThreadPoolExecutor(1) as pool:  # its own event loop: Playwright's may be running in this thread
            errors, foreign = pool.submit(asyncio.run, _tour_and_foreign_origin(url, foreign_first)).result()
        time.sleep(1)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        banner = proc.communicate(timeout=30)[0].decode("utf-8", "replace")
    trace = trace_file.read_text(encoding="utf-8", errors="replace")
    assert not errors
    assert set(foreign) == {"refused 403"}
    assert re.search(rf"bind\(\d+, \{{sa_family=AF_INET6?, sin6?_port=htons\({port}\)", trace), "the trace covers the server"
    assert "External URL" not in banner and "Network URL" not in banner
    assert outside_loopback(trace) == []
