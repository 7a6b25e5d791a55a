"""Server-side time of a warm rerun per page (AppTest, shipped data). Run by hand:

    .venv/bin/python -m benchmarks.reruns [--runs 7]

Each page is run once to warm the caches, then timed over --runs reruns; the median is printed. Target
(issue 7): every page's warm rerun ≤ 150 ms. Record results in README.md with the machine and date.
"""
from __future__ import annotations

import argparse
import logging
import platform
import statistics
import time

from streamlit.testing.v1 import AppTest

from atlas.core.paths import REPO

VIEWS = [("home", {}), ("map", {}), ("map", {"focus": "lachin-road", "date": "2022-12"}), ("alignments", {}),
         ("alignments", {"view": "heatmap"}), ("alignments", {"halflife": "12", "focus": "csto-exercises-paused-2023"}),
         ("events", {}), ("events", {"q": "csto", "focus": "csto-exercises-paused-2023"}), ("perspectives", {}),
         ("sources", {"source": "avim-security-balance-2023", "passage": "10"}), ("about", {"focus": "csto"}),
         ("brief", {"step": "2"}), ("brief", {"step": "8"})]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    print(f"machine: {platform.machine()}, Python {platform.python_version()}; date: {time.strftime('%Y-%m-%d')}")
    for page, params in VIEWS:
        at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        if page != "home":
            at.switch_page(f"pages/{page}.py")
        at.run()
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t0) * 1000)
        query = "&".join(f"{k}={v}" for k, v in params.items())
        print(f"/{page}{'?' + query if query else '':55s} median {statistics.median(times):6.1f} ms   max {max(times):6.1f} ms")


if __name__ == "__main__":
    main()
