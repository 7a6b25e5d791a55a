"""Global search on a large corpus: the index build (once per dataset), a query, and a warm /search page rerun.

    .venv/bin/python -m benchmarks.search [--factor 100 | --data-dir DIR] [--runs 7]

Writes a synthetic corpus `factor` times the shipped one (benchmarks.synth) unless --data-dir names one, loads it,
then times: building the index and the memory it holds; each query alone (`search.search`); each query with the
results the page shows when every kind is listed (the first five of each kind, marked); and warm reruns of the
page itself (AppTest, the dataset and index cached as on a server). Medians of --runs.
"""
from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from atlas.analysis import search
from atlas.core import paths
from atlas.core.load import load_or_raise
from atlas.ui.search import OVERVIEW_CAP
from benchmarks import synth

QUERIES = ["Berdzor", "Lachin", "Xankəndi", "CSTO exercises", '"Lachin road"', "e", "zzqxv"]
PAGE_VIEWS = [{"q": "Berdzor"}, {"q": "Xankəndi"}, {"q": "e", "kind": "passage", "page": "3"}]


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def measure(data_dir: Path, runs: int) -> None:
    ds = load_or_raise(data_dir)
    n_passages = sum(len(t.passages) for t in ds.texts.values())
    print(f"corpus: {len(ds.sources):,} sources, {len(ds.records):,} records, {n_passages:,} passages")
    tracemalloc.start()
    index = search.build_index(ds)
    held = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    build = _median_ms(lambda: search.build_index(ds), max(1, runs // 2))
    print(f"index build: {build:,.0f} ms (once per dataset); holds {held:,.0f} MB")
    print("| query | results | search ms | search + shown results ms |")
    print("|---|---:|---:|---:|")
    for q in QUERIES:
        res = search.search(index, q)

        def shown(q=q):
            r = search.search(index, q)
            for kind, keys in r.found.items():
                for key in keys[:OVERVIEW_CAP]:
                    search.hit(ds, r, kind, key)

        print(f"| `{q}` | {res.total:,} | {_median_ms(lambda q=q: search.search(index, q), runs):.1f} "
              f"| {_median_ms(shown, runs):.1f} |", flush=True)

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    os.environ[paths.DATA_DIR_ENV] = str(data_dir)
    from streamlit.testing.v1 import AppTest

    print("| page | first run ms | warm rerun ms |")
    print("|---|---:|---:|")
    for params in PAGE_VIEWS:
        at = AppTest.from_file(str(paths.REPO / "dashboard.py"), default_timeout=600)
        for k, v in params.items():
            at.query_params[k] = v
        at.switch_page("pages/search.py")
        t0 = time.perf_counter()
        at.run()
        first = (time.perf_counter() - t0) * 1000
        assert not at.exception, at.exception
        link = "&".join(f"{k}={v}" for k, v in params.items())
        print(f"| `/search?{link}` | {first:,.0f} | {_median_ms(at.run, runs):.0f} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--factor", type=int, default=100)
    ap.add_argument("--data-dir", help="an existing corpus instead of a synthetic one")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    print(f"date: {time.strftime('%Y-%m-%d')}; python {sys.version.split()[0]}; {os.cpu_count()} cpus")
    if args.data_dir:
        measure(Path(args.data_dir), args.runs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        print(f"writing a corpus {args.factor}× the shipped one…", flush=True)
        measure(synth.write(args.factor, Path(tmp) / "data"), args.runs)


if __name__ == "__main__":
    main()
