"""The dataset each script run draws from: one immutable snapshot, reloaded when the data files change.

Every run resolves its snapshot once (dashboard.py asks first; the page's `require()` gets the same object),
so the sidebar and the page can never count two different versions of the data. A snapshot is only made
from a read during which no data file changed; when the files on disk are broken (a half-saved edit, a bad
quote) the last valid snapshot keeps being served, with the problems, until they are fixed.
"""
from __future__ import annotations

import gc
import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from atlas.analysis import alignment, perspectives
from atlas.core import paths
from atlas.core.load import Dataset, Problem, load_dataset
from atlas.ui import shell
from atlas.views import charts, deck, figures

shell.keep_server_offline()


def _editor_file(rel: Path) -> bool:
    """An editor's swap, lock or backup file (`.events.yaml.swp`, `.#events.yaml`, `#events.yaml#`, `events.yaml~`):
    never read by the Atlas, and rewritten every few seconds while a file is open, which would reload the data."""
    return any(part.startswith((".", "#")) for part in rel.parts) or rel.name.endswith("~")


def _fingerprint(data_dir: Path) -> str:
    """A digest of the names, sizes, inodes and change times of the data files: an edited file reloads without a restart.

    Inode and ctime are in it because an editor often saves a same-sized file, or renames a new one into
    place, within the file system's timestamp granularity. A digest, not the list itself, because it is part of
    every cache key of the dataset's figures and tables, which Streamlit hashes on each call."""
    if not data_dir.is_dir():
        return ""
    entries = []
    for p in data_dir.rglob("*"):
        if _editor_file(p.relative_to(data_dir)):
            continue
        try:
            if not p.is_file():
                continue
            st_ = p.stat()
        except OSError:  # removed or renamed while the directory was being listed
            entries.append((str(p.relative_to(data_dir)), -1, -1, -1, -1))
            continue
        entries.append((str(p.relative_to(data_dir)), st_.st_size, st_.st_mtime_ns, st_.st_ctime_ns, st_.st_ino))
    return hashlib.sha256(repr(sorted(entries)).encode("utf-8", "surrogateescape")).hexdigest()


@dataclass(frozen=True)
class _Read:
    """One reading of the data directory."""
    dataset: Dataset
    problems: list[Problem]
    settled: bool  # no data file changed while it was read: the dataset is one version of the files, not a mix
    read_at: float  # when the reading finished (seconds since the epoch)


def _problem_while_reading(error: Exception) -> Problem:
    return Problem("", "", f"the data directory could not be read ({type(error).__name__})",
                   "run `python -m atlas validate` to find the file, fix it and reload the page")


# cache_resource, not cache_data: the Dataset is frozen models and plain containers that no page
# mutates, and cache_data would deep-copy (pickle) it on every rerun of every session. Two entries: the
# directory's current state and the one before it (the last good reading is held apart, in _last_good), so a
# run of edits never keeps more than three versions of a large corpus in memory.
@st.cache_resource(show_spinner="Loading and checking the evidence base…", max_entries=2)
def _read(data_dir: str, fingerprint: str) -> _Read:
    """The directory read once per state of its files (`fingerprint` is the cache key; it may be up to a second old,
    so the reading takes its own before and after)."""
    before = _fingerprint(Path(data_dir))
    try:
        ds, problems = load_dataset(data_dir)
    except Exception as error:  # a last line of defence: the app keeps its last good data instead of a traceback
        ds, problems = Dataset(Path(data_dir)), [_problem_while_reading(error)]
    after = _fingerprint(Path(data_dir))
    ds.version = (data_dir, after)  # figures are cached per dataset on this key, not a second scan
    if not problems:
        # The evidence base lives as long as it is served: move it out of the cyclic collector's way, so that
        # Python's full collections no longer walk its hundreds of thousands of objects. Unfreeze first, so that
        # a replaced dataset's cycles can still be collected once nothing uses it.
        gc.unfreeze()
        gc.collect()
        gc.freeze()
    return _Read(ds, problems, before == after, time.time())


FINGERPRINT_SECONDS = 1.0  # how often the data files are re-listed: an edit shows up within a second


@st.cache_resource(ttl=FINGERPRINT_SECONDS, max_entries=4, show_spinner=False)
def _recent_fingerprint(data_dir: str) -> str:
    """The data files' fingerprint, shared by every session for a second: listing and stat-ing every file on every
    run of every session was a twentieth of the server's time under load."""
    return _fingerprint(Path(data_dir))


def saved() -> None:
    """After this server saved the data (an editor on /curate): the next run lists the files anew instead of within
    a second, so what was just saved is in it."""
    _recent_fingerprint.clear()


@dataclass(frozen=True)
class Snapshot:
    """What one script run shows.

    `usable`: the dataset is complete and valid (pages may draw it). `problems`: what is wrong with the data
    directory as it is now. Both at once means the files on disk are broken and `dataset` is the last valid
    version, read at `read_at`: the page draws it under a notice. Problems without a usable dataset (a first
    start on broken data) get the error page."""
    dataset: Dataset
    problems: list[Problem] = field(default_factory=list)
    usable: bool = True
    read_at: float = 0.0

    @property
    def stale(self) -> bool:
        return self.usable and bool(self.problems)


_last_good: dict[str, _Read] = {}  # data directory -> its newest valid, settled reading in this process
_last_good_lock = threading.Lock()
SETTLE_TRIES = 10  # a first start while files are being written waits up to this many × SETTLE_SECONDS
SETTLE_SECONDS = 0.2
CHANGING = Problem("", "", "the data files changed while they were being read (an edit is being saved)",
                   "wait until the edit is saved, then reload the page")


def _remember(data_dir: str, read: _Read) -> None:
    with _last_good_lock:
        old = _last_good.get(data_dir)
        if old is not None and old.read_at >= read.read_at:
            return
        _last_good[data_dir] = read
    if old is not None and old.dataset.version != read.dataset.version:
        # Figures and tables of the replaced version are never asked for again: let them (and it) go.
        for cache in (_figure, _map, _derived):
            cache.clear()


def _resolve(data_dir: str) -> Snapshot:
    read = _read(data_dir, _recent_fingerprint(data_dir))
    tries = 0
    while not read.settled and data_dir not in _last_good and tries < SETTLE_TRIES:
        time.sleep(SETTLE_SECONDS)  # nothing valid to show yet: wait for the writer to finish
        tries += 1
        read = _read(data_dir, _fingerprint(Path(data_dir)))
    if read.settled and not read.problems:
        _remember(data_dir, read)
        return Snapshot(read.dataset, [], True, read.read_at)
    problems = read.problems if read.settled else [CHANGING]
    good = _last_good.get(data_dir)
    if good is not None:
        return Snapshot(good.dataset, problems, True, good.read_at)
    return Snapshot(read.dataset, problems, False, read.read_at)


def snapshot() -> Snapshot:
    """This script run's snapshot: resolved on the run's first call, the same object for every later call."""
    ctx = get_script_run_ctx()
    held = getattr(ctx, "_atlas_snapshot", None) if ctx is not None else None
    # ctx.cursors is a new dict at the start of every run (ScriptRunContext.reset), so it tells runs apart
    if held is not None and held[0] is ctx.cursors:
        return held[1]
    snap = _resolve(str(paths.data_dir()))
    if ctx is not None:
        ctx._atlas_snapshot = (ctx.cursors, snap)
    return snap


def dataset() -> tuple[Dataset, list[Problem]]:
    """This run's dataset and, when it cannot be shown at all, the problems (see `snapshot` for the details)."""
    snap = snapshot()
    return snap.dataset, ([] if snap.usable else snap.problems)


def contributions(ds: Dataset, options=None):
    """(rows, default partners) of the alignment index for these options, computed once per dataset and options.
    The frame is shared between sessions: filter it, never change it in place."""
    return derived(ds, alignment.rows_and_defaults, options or alignment.Options())


def require() -> Dataset:
    """The dataset for a page: this run's snapshot, the one dashboard.py checked (it runs pages only when usable)."""
    shell.ensure_navigation()
    return snapshot().dataset


# Plotly validates every property as a figure is built (about 0.1 s for the alignment chart), so each
# figure spec is built once per dataset and view and shared. Specs are data, built but not drawn; callers
# never mutate them (pass a height instead of changing the layout).
@st.cache_resource(max_entries=128, show_spinner=False)
def _figure(data_key: tuple, kind: str, partners: tuple, first, last, options, focus, height, _ds: Dataset):
    rows = alignment.contributions(_ds, options)
    if kind == "heatmap":
        fig = charts.heatmap_figure(_ds, rows, list(partners))
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
    build = deck.build_map(_ds, _view)
    # A shared, never-changed deck: serialised once, and without pydeck's two-space indentation, which made
    # up almost half of the JSON the browser has to receive and parse.
    compact = json.dumps(json.loads(build.deck.to_json()), separators=(",", ":"), ensure_ascii=False)
    build.deck.to_json = lambda: compact
    return build


def map_build(ds: Dataset, view):
    """The map for a view, built (and serialised) once per dataset and view."""
    view = figures.resolved(ds, view)
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
    return derived(ds, perspectives.contested_names)
