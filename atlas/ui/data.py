"""Cached access to the dataset: loaded once per process and data-directory state."""
from __future__ import annotations

import gc
import json
from pathlib import Path

import streamlit as st

from atlas import paths
from atlas.load import Dataset, Problem, load_dataset


def _fingerprint(data_dir: Path) -> tuple:
    """Names, sizes and mtimes of the data files, so an edited file reloads without a restart."""
    if not data_dir.is_dir():
        return ()
    return tuple(sorted((str(p.relative_to(data_dir)), p.stat().st_size, p.stat().st_mtime_ns)
                        for p in data_dir.rglob("*") if p.is_file()))


# cache_resource, not cache_data: the Dataset is frozen models and plain containers that no page
# mutates, and cache_data would deep-copy (pickle) it on every rerun of every session.
@st.cache_resource(show_spinner="Loading and checking the evidence base…", max_entries=4)
def _load(data_dir: str, _fingerprint_key: tuple) -> tuple[Dataset, list[Problem]]:
    ds, problems = load_dataset(data_dir)
    ds.version = (data_dir, _fingerprint_key)  # figures cached per dataset key on this, not a second scan
    # The evidence base lives as long as the process: move it out of the cyclic collector's way, so that Python's
    # full collections no longer walk its hundreds of thousands of objects (they are still freed when unused).
    gc.collect()
    gc.freeze()
    return ds, problems


FINGERPRINT_SECONDS = 1.0  # how often the data files are re-listed: an edit shows up within a second


@st.cache_resource(ttl=FINGERPRINT_SECONDS, max_entries=4, show_spinner=False)
def _recent_fingerprint(data_dir: str) -> tuple:
    """The data files' fingerprint, shared by every session for a second: listing and stat-ing every file on every
    run of every session was a twentieth of the server's time under load."""
    return _fingerprint(Path(data_dir))


def dataset() -> tuple[Dataset, list[Problem]]:
    data_dir = paths.data_dir()
    return _load(str(data_dir), _recent_fingerprint(str(data_dir)))


def contributions(ds: Dataset, options=None):
    """(rows, default partners) of the alignment index for these options, computed once per dataset and options.
    The frame is shared between sessions: filter it, never change it in place."""
    from atlas import alignment

    return derived(ds, alignment.rows_and_defaults, options or alignment.Options())


def require() -> Dataset:
    """The dataset for a page; dashboard.py runs pages only when it loaded without problems."""
    from atlas.ui.shell import ensure_navigation

    ensure_navigation()
    return dataset()[0]


# Plotly validates every property as a figure is built (about 0.1 s for the alignment chart), so each
# figure spec is built once per dataset and view and shared. Specs are data, built but not drawn; callers
# never mutate them (pass a height instead of changing the layout).
@st.cache_resource(max_entries=128, show_spinner=False)
def _figure(data_key: tuple, kind: str, partners: tuple, first, last, options, focus, height, _ds: Dataset):
    from atlas import alignment, charts

    rows = alignment.contributions(_ds, options)
    if kind == "heatmap":
        fig = charts.heatmap_figure(rows, list(partners))
    else:
        fig = charts.alignment_figure(_ds, rows, list(partners), first, last, options, focus=focus)
    if height:
        fig.update_layout(height=height)
    return fig


def alignment_figure(ds: Dataset, partners: list[str], first, last, options, focus: str | None = None, height: int | None = None):
    return _figure(ds.version, "chart", tuple(partners), first, last, options, focus, height, ds)


def heatmap_figure(ds: Dataset, partners: list[str], options):
    return _figure(ds.version, "heatmap", tuple(partners), None, None, options, None, None, ds)


@st.cache_resource(max_entries=64, show_spinner=False)
def _map(data_key: tuple, view_key: tuple, _ds: Dataset, _view):
    from atlas import figures

    build = figures.build_map(_ds, _view)
    # A shared, never-changed deck: serialised once, and without pydeck's two-space indentation, which made
    # up almost half of the JSON the browser has to receive and parse.
    compact = json.dumps(json.loads(build.deck.to_json()), separators=(",", ":"), ensure_ascii=False)
    build.deck.to_json = lambda: compact
    return build


def map_build(ds: Dataset, view):
    """The map for a view, built (and serialised) once per dataset and view."""
    view_key = (view.date, tuple(view.layers), view.names, view.focus, view.presenter)
    return _map(ds.version, view_key, ds, view)


@st.cache_resource(max_entries=256, show_spinner=False)
def _derived(data_key: tuple, name: str, args: tuple, _fn, _ds: Dataset):
    return _fn(_ds, *args)


def derived(ds: Dataset, fn, *args):
    """`fn(ds, *args)` computed once per dataset and arguments, and shared by every session: tables and indexes
    that a page used to rebuild on each run. The result is shared, so callers filter or copy it, never change it."""
    return _derived(ds.version, f"{fn.__module__}.{fn.__qualname__}", args, fn, ds)


def contested_names(ds: Dataset) -> list[dict]:
    """Contested names with the sources using each, searched once per dataset (shared: do not change)."""
    from atlas import perspectives

    return derived(ds, perspectives.contested_names)
