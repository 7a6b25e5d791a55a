"""What "a finished page" means in the browser benchmarks, and how one visit is timed.

A page is ready when the app has finished its run (Streamlit's script state is back to idle after the
page's heading is drawn) *and* the page's main visual exists: the deck.gl canvas on the map, the
plotly chart on Alignments, the data grid on Events, a step's map or chart on the Brief. The time is the page's own clock
(`performance.now()`, milliseconds since the navigation started), so Playwright's overhead is left out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

TOUR = ["/", "/map", "/alignments", "/events", "/perspectives", "/sources", "/about", "/brief"]
VISUAL = {  # the element that shows a page is drawn, beyond the idle script
    "/map": '[data-testid="stDeckGlJsonChart"] canvas',
    "/alignments": ".js-plotly-plot .main-svg",
    "/events": '[data-testid="stDataFrame"]',
    "/brief": '[data-testid="stDeckGlJsonChart"] canvas, .js-plotly-plot .main-svg',  # a step shows a map or a chart
}
HEADING = '[data-testid="stMainBlockContainer"] h1'
EXCEPTION = '[data-testid="stException"]'
READY_JS = """([heading, visual]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
  return idle && document.querySelector(heading) && (!visual || document.querySelector(visual)) ? performance.now() : false;
}"""


@dataclass
class Visit:
    path: str
    ready_ms: float | None = None  # None: the page did not finish within the timeout
    errors: list[str] = field(default_factory=list)


async def timed_visit(context, base: str, path: str, timeout_ms: int = 120_000, visual: str | None = None) -> Visit:
    """Open `path` in a new tab of `context` and time it to a finished page; collect errors on the way.

    The page's main visual is looked up by path (VISUAL) unless `visual` names one."""
    page = await context.new_page()
    visit = Visit(path)
    page.on("pageerror", lambda e: visit.errors.append(f"page error: {e}"))
    try:
        await page.goto(base + path, wait_until="commit", timeout=timeout_ms)
        handle = await page.wait_for_function(READY_JS, arg=[HEADING, visual or VISUAL.get(path.split("?")[0])],
                                              timeout=timeout_ms, polling="raf")
        visit.ready_ms = float(await handle.json_value())
        if await page.locator(EXCEPTION).count():
            visit.errors.append("exception box on the page")
    except Exception as e:  # a timeout or a crashed tab is a failed visit, recorded, not a crashed benchmark
        visit.errors.append(f"{type(e).__name__}: {str(e).splitlines()[0]}")
    finally:
        await page.close()
    return visit


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process in MB, from /proc (Linux)."""
    values = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between closest ranks."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)
