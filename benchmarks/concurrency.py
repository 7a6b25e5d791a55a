"""Twenty sessions touring every page at once against one server on loopback.

    .venv/bin/python -m benchmarks.concurrency [--sessions 20] [--runs 3]

One machine has to play both the server and its twenty users, and a browser spends far more CPU drawing
a page (plotly, deck.gl in software WebGL) than the server spends making it. So three phases:
  alone     one Chromium session tours the pages, `--runs` times: the baseline ready times.
  browsers  `--sessions` Chromium sessions tour at once. Every page must finish without errors; their
            ready times mostly measure twenty browsers sharing this machine's cores, so the CPU each side
            used is printed too.
  mixed     the target's measurement: one Chromium session tours (`--runs` times) while the other
            sessions - 1 tour continuously over Streamlit's own websocket protocol (benchmarks/wire.py:
            the same messages a browser sends, so the server cannot tell them apart), each pausing after
            a page for as long as that page took to draw in the browser alone, as a user on their own
            machine would. Its ready times against `alone` give the p95 ratio.
A session is a browser profile of its own (a different user, empty HTTP cache). "Ready" is defined in
benchmarks/browser.py. Server memory is sampled every 0.2 s from /proc.
Target (issue 7): all pages finish, zero errors, p95 ready together ≤ 3× alone; memory recorded.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import time

from benchmarks.browser import TOUR, Visit, percentile, rss_mb, timed_visit
from benchmarks.wire import Session
from tests.e2e.conftest import CHROMIUM_ARGS, Server, chromium_path

VIEWPORT = {"width": 1400, "height": 900}


async def tour(browser, base: str) -> list[Visit]:
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        return [await timed_visit(context, base, path) for path in TOUR]
    finally:
        await context.close()


async def wire_tours(base: str, pause_ms: dict[str, float], stop: asyncio.Event, errors: list[str], runs: list[float]) -> None:
    """Tour over the websocket until told to stop, pausing after each page as long as a browser draws it."""
    async with Session(base) as session:
        while not stop.is_set():
            for path in TOUR:
                run = await session.run(path.strip("/"))
                errors += [f"{path}: {e}" for e in run.errors]
                if run.ms is not None:
                    runs.append(run.ms)
                try:
                    await asyncio.wait_for(stop.wait(), pause_ms[path] / 1000)
                    return
                except TimeoutError:
                    pass


async def sample_memory(pid: int, into: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        into.append(rss_mb(pid)[0])
        try:
            await asyncio.wait_for(stop.wait(), 0.2)
        except TimeoutError:
            pass


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time used so far: by one process (user + system), or by the whole machine (all but idle)."""
    tick = os.sysconf("SC_CLK_TCK")
    if pid is not None:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick
    with open("/proc/stat", encoding="ascii") as f:
        user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in f.readline().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / tick


def summary(label: str, visits: list[Visit]) -> dict:
    done = [v.ready_ms for v in visits if v.ready_ms is not None]
    errors = [f"{v.path}: {e}" for v in visits for e in v.errors]
    out = {"visits": len(visits), "finished": len(done), "errors": errors,
           "median": statistics.median(done) if done else float("nan"), "p95": percentile(done, 95)}
    print(f"{label:34} visits {out['visits']:4}  finished {out['finished']:4}  errors {len(errors):3}  "
          f"median {out['median']:7.0f} ms  p95 {out['p95']:7.0f} ms")
    for e in errors[:10]:
        print("   ", e)
    return out


def per_page(visits: list[Visit]) -> dict[str, float]:
    return {p: statistics.median([v.ready_ms for v in visits if v.path == p and v.ready_ms is not None] or [float("nan")])
            for p in TOUR}


async def run(sessions: int, runs: int) -> None:
    from playwright.async_api import async_playwright

    server = Server()
    pid = server.proc.pid
    memory: list[float] = []
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            await tour(browser, server.url)  # warm-up: data loaded, every view's figure built once
            idle_rss = rss_mb(pid)[0]
            stop_memory = asyncio.Event()
            sampler = asyncio.create_task(sample_memory(pid, memory, stop_memory))

            alone = [v for _ in range(runs) for v in await tour(browser, server.url)]
            pause = per_page(alone)

            cpu0, srv0, t0 = cpu_seconds(), cpu_seconds(pid), time.perf_counter()
            browsers = [v for t in await asyncio.gather(*[tour(browser, server.url) for _ in range(sessions)]) for v in t]
            wall, cpu, srv = time.perf_counter() - t0, cpu_seconds() - cpu0, cpu_seconds(pid) - srv0

            stop, wire_errors, wire_runs = asyncio.Event(), [], []
            others = [asyncio.create_task(wire_tours(server.url, pause, stop, wire_errors, wire_runs)) for _ in range(sessions - 1)]
            await asyncio.sleep(1.0)  # let the other sessions spread over the tour
            mixed = [v for _ in range(runs) for v in await tour(browser, server.url)]
            stop.set()
            await asyncio.gather(*others)
            stop_memory.set()
            await sampler
            await browser.close()
            peak = rss_mb(pid)[1]
    finally:
        server.stop()
    print(f"date: {time.strftime('%Y-%m-%d')}; {platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
          f"tour: {' '.join(TOUR)}")
    a = summary("alone: 1 browser session", alone)
    b = summary(f"browsers: {sessions} browser sessions", browsers)
    print(f"   {sessions} browser tours took {wall:.1f} s; CPU used: server {srv:.1f} s, everything else (Chromium, Playwright) "
          f"{cpu - srv:.1f} s, of {wall * (os.cpu_count() or 1):.1f} s available")
    m = summary(f"mixed: 1 browser + {sessions - 1} protocol", mixed)
    print(f"   protocol sessions: {len(wire_runs)} page runs, {len(wire_errors)} errors, server time median "
          f"{statistics.median(wire_runs) if wire_runs else float('nan'):.0f} ms, p95 {percentile(wire_runs, 95):.0f} ms")
    for e in wire_errors[:10]:
        print("   ", e)
    print(f"p95 ready, {sessions} sessions / alone: {m['p95'] / a['p95']:.2f}× with {sessions - 1} protocol sessions (target ≤ 3×); "
          f"{b['p95'] / a['p95']:.2f}× with {sessions} browsers on this machine")
    print(f"server memory: {idle_rss:.0f} MB after warm-up, {max(memory, default=idle_rss):.0f} MB at most during the runs "
          f"(process peak {peak:.0f} MB)")
    pa, pb, pm = per_page(alone), per_page(browsers), per_page(mixed)
    print("median ready ms per page, alone / browsers / mixed: "
          + ", ".join(f"{p} {pa[p]:.0f}/{pb[p]:.0f}/{pm[p]:.0f}" for p in TOUR))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    asyncio.run(run(args.sessions, args.runs))


if __name__ == "__main__":
    main()
