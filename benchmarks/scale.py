"""How the Atlas grows with the corpus: validate time, cold load, warm rerun per page, peak memory.

    .venv/bin/python -m benchmarks.scale [--factors 1 10 100] [--runs 3]

For each factor it writes a synthetic corpus (benchmarks.synth) to a temporary directory, times
`python -m atlas validate` on it, then, in a child process per factor (so peak memory is that factor's
alone), times the cold load and warm reruns of every page with ATLAS_DATA_DIR pointing at it.
Targets (issue 7) at factor 100: warm reruns ≤ 600 ms, cold load ≤ 15 s, server memory ≤ 1 GB.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from atlas.core import paths
from benchmarks import synth

PAGES = ["home", "map", "alignments", "events", "perspectives", "sources", "about", "brief"]


def child(data_dir: str, runs: int) -> dict:
    """Runs inside the child process: cold load, then warm reruns per page."""
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    os.environ[paths.DATA_DIR_ENV] = data_dir
    from streamlit.testing.v1 import AppTest

    from atlas.core.load import load_dataset

    t0 = time.perf_counter()
    ds, problems = load_dataset(data_dir)
    cold = time.perf_counter() - t0
    out = {"cold_load_s": cold, "problems": len(problems), "records": len(ds.records), "pages": {}}
    for page in PAGES:
        at = AppTest.from_file(str(paths.REPO / "dashboard.py"), default_timeout=600)
        if page != "home":
            at.switch_page(f"pages/{page}.py")
        at.run()
        times = []
        for _ in range(runs):
            t1 = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t1) * 1000)
        out["pages"][page] = {"median_ms": statistics.median(times), "exception": bool(at.exception)}
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--factors", type=int, nargs="*", default=[1, 10, 100])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.runs)))
        return
    print(f"date: {time.strftime('%Y-%m-%d')}; python {sys.version.split()[0]}")
    header = "factor records validate_s cold_load_s peak_MB " + " ".join(f"{p}_ms" for p in PAGES)
    print(header)
    for factor in args.factors:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = synth.write(factor, Path(tmp) / "data")
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "atlas", "validate", "--data-dir", str(corpus)], check=True,
                           capture_output=True, cwd=paths.REPO)
            validate_s = time.perf_counter() - t0
            res = subprocess.run([sys.executable, "-m", "benchmarks.scale", "--child", str(corpus), "--runs", str(args.runs)],
                                 capture_output=True, text=True, cwd=paths.REPO, check=True)
            r = json.loads(res.stdout.strip().splitlines()[-1])
            pages = " ".join(f"{r['pages'][p]['median_ms']:.0f}{'!' if r['pages'][p]['exception'] else ''}" for p in PAGES)
            print(f"{factor} {r['records']} {validate_s:.2f} {r['cold_load_s']:.2f} {r['peak_rss_mb']:.0f} {pages}", flush=True)


if __name__ == "__main__":
    main()
