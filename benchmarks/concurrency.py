"""Twenty browser sessions touring every page at once against one server on loopback.

    .venv/bin/python -m benchmarks.concurrency [--sessions 20] [--single-runs 3]

Each session is its own browser profile (a different user: empty HTTP cache, its own Streamlit
session) and opens the pages of the tour one after the other, each in a new tab. First one session
tours alone (`--single-runs` times) to give the baseline; then all sessions start together. It prints
whether every page finished, the errors seen (page errors, exception boxes, time-outs), the median and
p95 ready times alone and together, and the server's memory (sampled every 0.2 s from /proc).
Target (issue 7): all pages finish, zero errors, p95 together ≤ 3× p95 alone; memory recorded.
"""
from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import time

from benchmarks.browser import TOUR, Visit, percentile, rss_mb, timed_visit
from tests.e2e.conftest import CHROMIUM_ARGS, Server, chromium_path


async def tour(browser, base: str) -> list[Visit]:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        return [await timed_visit(context, base, path) for path in TOUR]
    finally:
        await context.close()


async def sample_memory(pid: int, into: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        into.append(rss_mb(pid)[0])
        try:
            await asyncio.wait_for(stop.wait(), 0.2)
        except TimeoutError:
            pass


def summary(label: str, visits: list[Visit]) -> dict:
    done = [v.ready_ms for v in visits if v.ready_ms is not None]
    errors = [f"{v.path}: {e}" for v in visits for e in v.errors]
    out = {"visits": len(visits), "finished": len(done), "errors": errors,
           "median": statistics.median(done) if done else float("nan"), "p95": percentile(done, 95),
           "max": max(done, default=float("nan"))}
    print(f"{label:22} visits {out['visits']:4}  finished {out['finished']:4}  errors {len(errors):3}  "
          f"median {out['median']:7.0f} ms  p95 {out['p95']:7.0f} ms  max {out['max']:7.0f} ms")
    for e in errors[:10]:
        print("   ", e)
    return out


def per_page(visits: list[Visit]) -> dict[str, float]:
    return {p: statistics.median([v.ready_ms for v in visits if v.path == p and v.ready_ms is not None] or [float("nan")])
            for p in TOUR}


async def run(sessions: int, single_runs: int) -> None:
    from playwright.async_api import async_playwright

    server = Server()
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            await tour(browser, server.url)  # warm-up: data loaded, every view's figure built once
            idle_rss = rss_mb(server.proc.pid)[0]
            alone: list[Visit] = []
            for _ in range(single_runs):
                alone += await tour(browser, server.url)
            memory: list[float] = []
            stop = asyncio.Event()
            sampler = asyncio.create_task(sample_memory(server.proc.pid, memory, stop))
            t0 = time.perf_counter()
            tours = await asyncio.gather(*[tour(browser, server.url) for _ in range(sessions)])
            wall = time.perf_counter() - t0
            stop.set()
            await sampler
            await browser.close()
            peak = rss_mb(server.proc.pid)[1]
    finally:
        server.stop()
    together = [v for t in tours for v in t]
    print(f"date: {time.strftime('%Y-%m-%d')}; {platform.machine()}; Python {platform.python_version()}; "
          f"tour: {' '.join(TOUR)}")
    a = summary("1 session", alone)
    b = summary(f"{sessions} sessions together", together)
    print(f"p95 together / p95 alone: {b['p95'] / a['p95']:.2f}× (target ≤ 3×); all {sessions} tours took {wall:.1f} s")
    print(f"server memory: {idle_rss:.0f} MB after warm-up, {max(memory, default=idle_rss):.0f} MB at most during the run "
          f"(process peak {peak:.0f} MB)")
    pa, pb = per_page(alone), per_page(together)
    print("median ready ms per page, alone → together: " + ", ".join(f"{p} {pa[p]:.0f}→{pb[p]:.0f}" for p in TOUR))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--single-runs", type=int, default=3)
    args = ap.parse_args()
    asyncio.run(run(args.sessions, args.single_runs))


if __name__ == "__main__":
    main()
