"""Wall time of exporting the brief as slides and as a PDF, as a briefer runs it. Run by hand:

    .venv/bin/python -m benchmarks.packs [--runs 3]

Each run is a fresh `python -m atlas export pptx|pdf` process (load and check the data, draw every picture —
maps with the static renderer, charts through kaleido and Chromium — and write the file); then the
in-process time of the phases. Target (issue 16): the ten-step brief in < 20 s. Record results in README.md
with the machine and date.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from atlas.core.paths import REPO


def _cli(what: str, out: Path) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "atlas", "export", what, "--out", str(out)], cwd=REPO, check=True,
                   capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print(f"{platform.machine()}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        for what in ("pptx", "pdf"):
            out = Path(tmp) / f"brief.{what}"
            times = [_cli(what, out) for _ in range(args.runs)]
            print(f"export {what}: median {statistics.median(times):.1f} s, max {max(times):.1f} s, "
                  f"{out.stat().st_size / 1e6:.1f} MB")

    from atlas.analysis import alignment
    from atlas.core import geo
    from atlas.core.load import load_or_raise
    from atlas.views import charts, figures, pack

    t = time.perf_counter()
    ds = load_or_raise()
    phases = {"load and check the data": time.perf_counter() - t}
    t = time.perf_counter()
    maps = [pack.map_picture(ds, figures.MapView(date=s.view.date.text if s.view.date else geo.last_month(ds),
                                                 focus=s.view.focus)) for s, _ in ds.brief if s.view.kind == "map"]
    phases[f"{len(maps)} map pictures"] = time.perf_counter() - t
    t = time.perf_counter()
    rows, default = alignment.rows_and_defaults(ds, alignment.Options())
    figs = [charts.slide_figure(ds, tuple(p for p in s.view.partners if p in set(rows["partner"])) or tuple(default),
                                s.view.focus) for s, _ in ds.brief if s.view.kind == "alignments"]
    phases[f"{len(figs)} chart figures built"] = time.perf_counter() - t
    t = time.perf_counter()
    pack.chart_pictures(figs, [""] * len(figs))
    phases[f"{len(figs)} chart pictures (Chromium start included)"] = time.perf_counter() - t
    t = time.perf_counter()
    files = pack.brief_pack(ds)
    phases["whole pack, both formats (pictures drawn again)"] = time.perf_counter() - t
    for name, seconds in phases.items():
        print(f"  {name}: {seconds:.1f} s")
    print(f"  pptx {len(files.pptx) / 1e6:.1f} MB, pdf {len(files.pdf) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
