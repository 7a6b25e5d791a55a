"""Browser time to a finished page, per page, against a bare one-line Streamlit page measured in the same run.

    .venv/bin/python -m benchmarks.ready [--rounds 7] [--pages / /map ...]

Servers on loopback: the Atlas on the shipped data; a page whose whole script is one line
(`st.title(...)`), the reference of the target; and three more one-line pages that add just one chart
of the library a page depends on (a two-point plotly line, a one-point pydeck map, a two-row
dataframe), which show how much of a page's time is the library's own start-up rather than the Atlas.
After a warm-up visit to every page (the server loads the data once per process, and each view
builds its figure once), each round opens every reference page and every Atlas page, each in a new
tab, so machine noise falls on all alike. Two kinds of visitor:
  returning  tabs share one browser profile, so Streamlit's JavaScript comes from the HTTP cache;
  first      every visit in a new, empty profile, so every script and stylesheet is fetched again.
"Finished" is defined in benchmarks/browser.py. Target (issue 7): every page ready within 1.5× the bare page.
"""
from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.browser import TOUR, VISUAL, timed_visit
from tests.e2e.conftest import CHROMIUM_ARGS, Server, chromium_path

REFERENCES = {  # name -> (one-line script, the visual that marks it drawn)
    "bare": ('import streamlit as st; st.title("A bare page")\n', None),
    "bare+plotly": ('import streamlit as st, plotly.graph_objects as go; st.title("A bare page"); '
                    'st.plotly_chart(go.Figure(go.Scatter(x=[1, 2], y=[1, 2])))\n', VISUAL["/alignments"]),
    "bare+pydeck": ('import streamlit as st, pydeck as pdk; st.title("A bare page"); st.pydeck_chart(pdk.Deck(map_provider=None, '
                    'layers=[pdk.Layer("ScatterplotLayer", [{"p": [45, 40]}], get_position="p", get_radius=9000)]))\n',
                    VISUAL["/map"]),
    "bare+dataframe": ('import streamlit as st, pandas as pd; st.title("A bare page"); st.dataframe(pd.DataFrame({"a": [1, 2]}))\n',
                       VISUAL["/events"]),
}
VIEWPORT = {"width": 1400, "height": 900}


async def run(pages: list[str], rounds: int, atlas: Server, refs: dict[str, Server]) -> dict[str, dict[str, list[float]]]:
    from playwright.async_api import async_playwright

    targets = [(name, server, "/", REFERENCES[name][1]) for name, server in refs.items()]
    targets += [(path, atlas, path, None) for path in pages]
    results: dict[str, dict[str, list[float]]] = {"returning": {}, "first": {}}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        shared = await browser.new_context(viewport=VIEWPORT)
        for _, server, path, visual in targets:  # warm-up: server caches and the shared profile's HTTP cache
            await timed_visit(shared, server.url, path, visual=visual)
        for _ in range(rounds):
            for mode in ("returning", "first"):
                for name, server, path, visual in targets:
                    context = shared if mode == "returning" else await browser.new_context(viewport=VIEWPORT)
                    visit = await timed_visit(context, server.url, path, visual=visual)
                    if context is not shared:
                        await context.close()
                    if visit.errors or visit.ready_ms is None:
                        raise SystemExit(f"{name}: {visit.errors}")
                    results[mode].setdefault(name, []).append(visit.ready_ms)
        await browser.close()
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--pages", nargs="*", default=TOUR)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        servers: list[Server] = []
        try:
            refs = {}
            for name, (line, _) in REFERENCES.items():
                script = Path(tmp) / f"{name.replace('+', '_')}.py"
                script.write_text(line, encoding="utf-8")
                refs[name] = Server(script=str(script))
                servers.append(refs[name])
            atlas = Server()
            servers.append(atlas)
            results = asyncio.run(run(args.pages, args.rounds, atlas, refs))
        finally:
            for server in servers:
                server.stop()
    print(f"date: {time.strftime('%Y-%m-%d')}; {platform.machine()}; Python {platform.python_version()}; "
          f"rounds: {args.rounds}; median ms (ratio to the bare page)")
    print(f"{'page':16} {'returning':>18} {'first visit':>18}")
    base = {mode: statistics.median(results[mode]["bare"]) for mode in results}
    for name in [*REFERENCES, *args.pages]:
        cells = []
        for mode in ("returning", "first"):
            med = statistics.median(results[mode][name])
            cells.append(f"{med:8.0f} ({med / base[mode]:.2f}×)")
        print(f"{name:16} {cells[0]:>18} {cells[1]:>18}")


if __name__ == "__main__":
    main()
