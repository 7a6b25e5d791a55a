"""Fifty sessions touring the Atlas through the shipped deployment, one replica killed mid-run.

    .venv/bin/python -m benchmarks.failover [--sessions 50] [--browsers 3] [--tours 2] [--kill-after 15]

deploy/run.sh starts three replicas on loopback and nginx in front of them (sticky by cookie, websockets passed
through). Every session first loads the page like a browser (which gives it its affinity cookie), then tours
twelve views (the eight pages and four deep links) `--tours` times over one websocket, in its own order, pausing
0.5-2 s after each view as a reader would:
  protocol sessions  (`--sessions` - `--browsers`) speak Streamlit's websocket protocol (as benchmarks/wire.py) and
                     behave like the browser's client when the connection drops: reconnect through the proxy with
                     the same cookie and ask again for the view they were waiting for (the URL's page and query).
  browser sessions   Chromium, one profile each, every view a new tab (benchmarks/browser.py defines "ready").
`--kill-after` seconds in, the replica holding the most protocol sessions gets SIGKILL. Recorded: every view's ready
time (from the request to the finished run, a reconnection included) and errors; which replica answered; and for each
session that was on the killed replica, whether its next view came back on another replica, the same as that URL
gives a fresh session on a healthy replica (the elements' digest, widget ids and download storage left out).
Bounded: a fixed number of views, each within 120 s, the whole run within `--timeout` seconds; loopback only.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import platform
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.browser import TOUR, percentile, rss_mb, timed_visit
from benchmarks.wire import FINISHED
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path

REPO = Path(__file__).resolve().parent.parent
VIEWS = TOUR + ["/map?focus=lachin-road&date=2022-12", "/events?q=csto", "/sources?source=news-summary-2023-11-09&passage=5",
                "/alignments?partners=Russia,CSTO&view=heatmap"]
DROPPED = (websockets.ConnectionClosed, websockets.InvalidHandshake, OSError, TimeoutError)


@dataclass
class View:
    session: int
    path: str
    kind: str  # "protocol" or "browser"
    started: float = 0.0  # seconds since the sessions began
    finished: float | None = None
    ms: float | None = None
    replica: str = ""  # the replica that finished it (protocol sessions)
    fresh: bool = False  # the first view of a new connection: compared with the URL's reference
    reconnects: int = 0
    digest: str = ""
    errors: list[str] = field(default_factory=list)


def last_hop(upstream: str | None) -> str:
    """nginx lists every replica it tried ("a, b"): the last one answered."""
    return (upstream or "").split(",")[-1].strip()


class Digest:
    """What a view shows: every element of the run, in order. Left out: widget ids (hashes of keys, which may hold a
    process's set order) and where a download button's file is held in the replica's memory (a random id, or a
    content hash of a file that embeds random element ids); the button's label, name and type stay in."""

    def __init__(self):
        self.h = hashlib.sha256()

    def add(self, element) -> None:
        kind = element.WhichOneof("type")
        element = type(element).FromString(element.SerializeToString())
        body = getattr(element, kind)
        if "id" in body.DESCRIPTOR.fields_by_name:
            body.ClearField("id")
        if kind == "download_button":
            body.ClearField("deferred_file_id")
            body.ClearField("url")
        self.h.update(element.SerializeToString(deterministic=True))

    def hexdigest(self) -> str:
        return self.h.hexdigest()[:16]


def request(path: str) -> bytes:
    page, _, query = path.lstrip("/").partition("?")
    msg = BackMsg()
    msg.rerun_script.page_name = page
    msg.rerun_script.query_string = query
    return msg.SerializeToString()


async def finish(ws, view: View) -> str:
    """Read the run's messages until it finishes; the digest of what it drew."""
    digest = Digest()
    while True:
        fm = ForwardMsg()
        fm.ParseFromString(await ws.recv())
        kind = fm.WhichOneof("type")
        if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
            element = fm.delta.new_element
            if element.WhichOneof("type") == "exception":
                view.errors.append(f"exception: {element.exception.message[:160]}")
            digest.add(element)
        elif kind == "script_finished":
            if fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                digest = Digest()  # the app reran itself: the next run is the view
                continue
            if fm.script_finished not in FINISHED:
                view.errors.append(f"run ended with status {fm.script_finished}")
            return digest.hexdigest()


async def reference(base: str, path: str, key: str) -> tuple[str, str]:
    """(replica, view) a fresh session with this affinity key gets for this URL through the proxy."""
    async with websockets.connect(base.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                  additional_headers={"Cookie": f"atlas_affinity={key}"}, max_size=None) as ws:
        await ws.send(request(path))
        return last_hop(ws.response.headers.get("X-Atlas-Replica")), await finish(ws, View(-1, path, "reference"))


class ProxySession:
    """A tab of the app over the proxy: one websocket, reconnected like Streamlit's client when it drops."""

    def __init__(self, base: str, number: int):
        self.base, self.number = base, number
        self.cookie = ""
        self.ws = None
        self.replica = ""

    async def load_page(self) -> None:
        def get() -> str:
            with urllib.request.urlopen(self.base + "/", timeout=30) as r:
                return r.headers.get("Set-Cookie", "")
        m = re.match(r"(atlas_affinity=[^;]+)", await asyncio.to_thread(get))
        if not m:
            raise RuntimeError("the proxy set no affinity cookie")
        self.cookie = m.group(1)

    async def connect(self) -> None:
        self.ws = await websockets.connect(self.base.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                           additional_headers={"Cookie": self.cookie}, max_size=None, open_timeout=10)
        self.replica = last_hop(self.ws.response.headers.get("X-Atlas-Replica"))

    async def view(self, path: str, t0: float, deadline: float) -> View:
        v = View(self.number, path, "protocol", started=time.perf_counter() - t0)
        start = time.perf_counter()
        while True:
            try:
                if self.ws is None:
                    await self.connect()
                    v.fresh = True
                await self.ws.send(request(path))
                async with asyncio.timeout(max(deadline - time.perf_counter(), 0.1)):
                    v.digest = await finish(self.ws, v)
                v.ms = (time.perf_counter() - start) * 1000
                v.finished = time.perf_counter() - t0
                v.replica = self.replica
                return v
            except DROPPED as e:
                if self.ws is not None:
                    v.reconnects += 1
                    await self.ws.close()
                    self.ws = None
                if time.perf_counter() >= deadline:
                    v.errors.append(f"{type(e).__name__}: {str(e)[:120]}")
                    return v
                await asyncio.sleep(0.5)  # Streamlit's client waits about as long before it reconnects

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def protocol_session(base: str, number: int, views: list[str], t0: float, stop_at: float, out: list[View],
                           sessions: dict[int, ProxySession]) -> None:
    rng = random.Random(number)
    await asyncio.sleep(rng.uniform(0, 5))  # arrivals spread over the first seconds
    s = ProxySession(base, number)
    sessions[number] = s
    try:
        await s.load_page()
        for path in views:
            out.append(await s.view(path, t0, min(time.perf_counter() + 120, stop_at)))
            await asyncio.sleep(rng.uniform(0.5, 2.0))
    except (RuntimeError, *DROPPED) as e:
        out.append(View(number, "/", "protocol", errors=[f"could not load the page: {e}"]))
    finally:
        await s.close()


async def browser_session(browser, base: str, number: int, views: list[str], t0: float, out: list[View]) -> None:
    rng = random.Random(number)
    await asyncio.sleep(rng.uniform(0, 5))
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        for path in views:
            started = time.perf_counter() - t0
            visit = await timed_visit(context, base, path)
            out.append(View(number, path, "browser", started=started, finished=time.perf_counter() - t0, ms=visit.ready_ms,
                            errors=visit.errors))
            await asyncio.sleep(rng.uniform(0.5, 2.0))
    finally:
        await context.close()


def start_deployment(run_dir: Path, port: int, replica_ports: list[int]) -> subprocess.Popen:
    env = {**os.environ, "PORT": str(port), "REPLICA_PORTS": " ".join(map(str, replica_ports)), "RUN_DIR": str(run_dir),
           "PYTHON": sys.executable}
    proc = subprocess.Popen(["deploy/run.sh"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    for line in proc.stdout:
        print("  deploy:", line.rstrip())
        if line.startswith("The Atlas:"):
            return proc
    raise RuntimeError(f"deploy/run.sh exited ({proc.wait()}) before the proxy started: see {run_dir}")


def summary(label: str, views: list[View]) -> None:
    done = [v.ms for v in views if v.ms is not None and not v.errors]
    errors = [v for v in views if v.errors or v.ms is None]
    print(f"{label:42} views {len(views):4}  finished {len(done):4}  errors {len(errors):3}  "
          f"median {statistics.median(done) if done else float('nan'):7.0f} ms  p95 {percentile(done, 95):7.0f} ms  "
          f"max {max(done, default=float('nan')):7.0f} ms")
    for v in errors[:8]:
        print(f"    session {v.session} {v.path}: {'; '.join(v.errors) or 'did not finish'}")


async def run(args) -> None:
    replica_ports = args.replica_ports
    base = f"http://127.0.0.1:{args.port}"
    rng = random.Random(0)
    with tempfile.TemporaryDirectory(prefix="atlas-failover-") as tmp:
        run_dir = Path(tmp)
        proc = start_deployment(run_dir, args.port, replica_ports)
        pids = {f"127.0.0.1:{p}": int((run_dir / f"replica-{i}.pid").read_text()) for i, p in enumerate(replica_ports, 1)}
        try:
            # Each view as fresh sessions get it through the proxy, on every replica (every replica builds each view's
            # figures once, as after a while in service); the replicas must agree.
            refs = {}
            for path in VIEWS:
                seen, key = {}, 0
                while len(seen) < len(replica_ports) and key < 100:
                    replica, digest = await reference(base, path, f"reference-{key}")
                    seen[replica] = digest
                    key += 1
                if len(set(seen.values())) != 1:
                    print(f"  note: {path} differs between replicas before any failure: {seen}")
                refs[path] = next(iter(seen.values()))
            views: list[View] = []
            sessions: dict[int, ProxySession] = {}
            plans = []
            for _ in range(args.sessions):
                order = VIEWS[:]
                rng.shuffle(order)
                plans.append(order * args.tours)
            t0 = time.perf_counter()
            stop_at = t0 + args.timeout
            from playwright.async_api import async_playwright

            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS) if args.browsers else None
                tasks = [asyncio.create_task(browser_session(browser, base, n, plans[n], t0, views)) for n in range(args.browsers)]
                tasks += [asyncio.create_task(protocol_session(base, n, plans[n], t0, stop_at, views, sessions))
                          for n in range(args.browsers, args.sessions)]
                await asyncio.sleep(args.kill_after)
                on = Counter(s.replica for s in sessions.values() if s.ws is not None)
                killed = on.most_common(1)[0][0]
                victims = {n for n, s in sessions.items() if s.ws is not None and s.replica == killed}
                kill_t = time.perf_counter() - t0
                os.kill(pids[killed], signal.SIGKILL)
                print(f"  killed replica {killed} at {kill_t:.1f} s, holding {len(victims)} of {len(sessions)} protocol sessions "
                      f"(sessions per replica: {dict(on)})")
                done, pending = await asyncio.wait(tasks, timeout=max(stop_at - time.perf_counter(), 1))
                for task in pending:
                    task.cancel()
                if browser:
                    await browser.close()
            wall = time.perf_counter() - t0
            survivors = {r: rss_mb(pid)[0] for r, pid in pids.items() if r != killed}
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
            upstream_errors = sum("connect() failed" in line or "upstream" in line
                                  for line in (run_dir / "nginx-error.log").read_text(errors="replace").splitlines())

    for v in views:
        if v.kind == "protocol" and v.fresh and v.ms is not None and v.digest != refs[v.path]:
            v.errors.append(f"view differs from what its URL gives a fresh session ({v.digest} vs {refs[v.path]})")
    recovered, recovery_s = 0, []
    for n in victims:
        # Its views finished after the kill, less those the killed replica had answered before it died (their last
        # messages were still on their way): the first of the rest shows where the session went on.
        after = sorted((v for v in views if v.session == n and v.finished is not None and v.finished > kill_t
                        and not (v.started < kill_t and v.replica == killed and not v.reconnects)),
                       key=lambda v: v.finished)
        if after and after[0].replica != killed and not after[0].errors and after[0].digest == refs[after[0].path]:
            recovered += 1
            recovery_s.append(after[0].finished - kill_t)
        else:
            first = after[0] if after else None
            print(f"  session {n} not counted as back: next view "
                  + (f"{first.path} on {first.replica}, fresh={first.fresh}, reconnects={first.reconnects}, "
                     f"started {first.started:.2f} s, finished {first.finished:.2f} s, errors={first.errors}, "
                     f"same as reference={first.digest == refs[first.path]}" if first else "none"))
    protocol = [v for v in views if v.kind == "protocol"]
    browsers = [v for v in views if v.kind == "browser"]
    nginx = subprocess.run([os.environ.get("NGINX", "nginx"), "-v"], capture_output=True, text=True).stderr.strip()
    import streamlit

    print(f"date: {time.strftime('%Y-%m-%d')}; {platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
          f"Streamlit {streamlit.__version__}; {nginx}")
    print(f"{args.sessions} sessions ({args.sessions - args.browsers} protocol, {args.browsers} Chromium), {args.tours} tours "
          f"of {len(VIEWS)} views each, {len(replica_ports)} replicas; run took {wall:.0f} s")
    summary("all sessions", views)
    summary("protocol sessions", protocol)
    summary("  views started before the kill", [v for v in protocol if v.started < kill_t])
    summary("  views started after the kill", [v for v in protocol if v.started >= kill_t])
    summary("  views cut by the kill (reconnected)", [v for v in protocol if v.reconnects])
    if browsers:
        summary("browser sessions (Chromium)", browsers)
    print(f"sessions on the killed replica: {len(victims)}; their next view came back on another replica, identical to "
          f"its URL's fresh view: {recovered}"
          + (f" (after {min(recovery_s):.1f}-{max(recovery_s):.1f} s)" if recovery_s else ""))
    served = Counter(v.replica for v in protocol if v.started >= kill_t and v.replica)
    print(f"protocol views after the kill per replica: {dict(served)}; nginx logged {upstream_errors} upstream errors")
    print("surviving replicas' memory: " + ", ".join(f"{r} {mb:.0f} MB" for r, mb in survivors.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--browsers", type=int, default=3, help="how many of the sessions are Chromium")
    ap.add_argument("--tours", type=int, default=2)
    ap.add_argument("--kill-after", type=float, default=15.0)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--port", type=int, default=8640)
    ap.add_argument("--replica-ports", type=int, nargs="+", default=[8641, 8642, 8643])
    asyncio.run(run(ap.parse_args()))


if __name__ == "__main__":
    main()
