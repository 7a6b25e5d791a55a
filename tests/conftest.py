"""Shared fixtures: small corpora built in code, in the real on-disk format."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from atlas.core import paths
from atlas.core.load import Dataset, load_dataset

REPO = paths.REPO
TEXT = (
    "Heading Of The Piece\n\n"
    "The road near Alpha was closed on 12 December 2022. Observers in Alpha counted trucks.\n\n"
    "A long paragraph that the extraction broke in the middle of a sentence because a page ended right about\n\n"
    "here, and it goes on. Alpha appears again here.\n\n"
    "[1] A footnote, 14 December 2022.\n"
)


def minimal_records() -> dict[str, list]:
    cite = {"source": "mini", "quote": "The road near Alpha was closed"}
    return {
        "places": [{"id": "alpha", "names": {"international": "Alpha", "armenian": "Alfa"}, "lon": 45.0, "lat": 40.0,
                    "country": "ARM", "coord_status": "confirmed", "coord_source": "test", "citations": [cite]},
                   {"id": "beta", "names": {"international": "Beta"}, "lon": 46.0, "lat": 39.5,
                    "country": "AZE", "coord_status": "guess", "coord_source": "test", "citations": [cite]}],
        "areas": [],
        "corridors": [{"id": "alpha-road", "names": {"international": "Alpha road"}, "mode": "road",
                       "route": ["alpha", "beta"], "summary": "A road.", "citations": [cite],
                       "statuses": [{"since": "2022-12-12", "status": "blocked", "note": "Closed.", "citations": [cite]}]}],
        "events": [{"id": "road-closed", "title": "Road closed", "summary": "The road closed.", "date": "2022-12-12",
                    "date_basis": "stated", "actors": ["Azerbaijan"], "place": "alpha", "tags": ["corridor"],
                    "alignment": [{"partner": "Russia", "cameo": "042", "direction": "away", "rationale": "Test."}],
                    "citations": [cite, {"source": "mini", "quote": "14 December 2022"}]}],
        "claims": [{"id": "a-claims", "actor": "Armenia", "issue": "lachin-road", "stance": "opposes",
                    "summary": "Armenia objects.", "citations": [{"source": "mini", "quote": "Observers in Alpha counted trucks."}]}],
        "terms": [{"id": "road", "term": "Road", "definition": "A way.",
                   "citations": [{"source": "mini", "quote": "and it goes on"}]}],
    }


def write_corpus(root: Path, text: str = TEXT, records: dict | None = None, source_extra: dict | None = None) -> Path:
    """Write a complete data directory; returns it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sources").mkdir(exist_ok=True)
    raw = text.encode("utf-8")
    (root / "sources" / "mini.txt").write_bytes(raw)
    source = {"id": "mini", "title": "Mini", "author": "A. Writer", "publisher": "Test Press", "date_published": "2023-01-19",
              "date_basis": "printed", "language": "en", "source_type": "analysis", "perspective": "A test source.",
              "sha256": hashlib.sha256(raw).hexdigest(), **(source_extra or {})}
    (root / "sources.yaml").write_text(yaml.safe_dump([source], allow_unicode=True), encoding="utf-8")
    shutil.copy(paths.DEFAULT_DATA_DIR / paths.CAMEO_FILE, root / paths.CAMEO_FILE)
    for name, items in (records if records is not None else minimal_records()).items():
        (root / f"{name}.yaml").write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "data")


def add_source(root: Path, source_id: str, text: str, **meta: str) -> Path:
    """Add one more source (uncited until a record quotes it) to a corpus written by write_corpus."""
    raw = text.encode("utf-8")
    (root / "sources" / f"{source_id}.txt").write_bytes(raw)
    catalogue = yaml.safe_load((root / "sources.yaml").read_text(encoding="utf-8"))
    catalogue.append({**catalogue[0], "id": source_id, "title": source_id.title(), "sha256": hashlib.sha256(raw).hexdigest(),
                      **meta})
    (root / "sources.yaml").write_text(yaml.safe_dump(catalogue, allow_unicode=True), encoding="utf-8")
    return root


def load_corpus(root: Path) -> Dataset:
    """The dataset of a fixture corpus; a fixture that does not load is a broken test, said with its problems."""
    ds, problems = load_dataset(root)
    assert not problems, [f"{p.file} {p.record}: {p.message}" for p in problems]
    return ds


@pytest.fixture(scope="session")
def mini_ds(tmp_path_factory) -> Dataset:
    """The minimal corpus plus a second source, loaded once: for tests that only read it."""
    root = write_corpus(tmp_path_factory.mktemp("mini") / "data")
    return load_corpus(add_source(root, "second", "Second Source\n\nAnother account of the road.\n\nIt reopened later.\n"))


# --- shipped data apart -----------------------------------------------------------------------------------------------
# Tests that read the shipped corpus in data/ (its record ids, counts and texts) are marked `shipped`: those under
# tests/shipped/ by their folder, others by `@shipped` or a module's `pytestmark = shipped`. Every other test builds its
# own corpus, and this guard fails it if it reads data/ all the same (`pytest -m "not shipped"` runs the rest).
shipped = pytest.mark.shipped
SHIPPED_DIR = paths.DEFAULT_DATA_DIR.resolve()
_watch: dict = {"reads": 0, "fixtures": set()}  # reads of data/ so far; fixtures whose setup read it


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        # tests/shipped/, and the browser tests (tests/e2e), which drive a server on the shipped corpus (or a copy)
        if {"shipped", "e2e"} & set(item.path.relative_to(REPO).parts[:2]):
            item.add_marker(shipped)


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    before = _watch["reads"]
    yield
    if _watch["reads"] > before:
        _watch["fixtures"].add(fixturedef)


@pytest.fixture(scope="session", autouse=True)
def _watch_for_shipped_data():
    real = paths.data_dir

    def watched(explicit=None):
        chosen = real(explicit)
        _watch["reads"] += chosen == SHIPPED_DIR
        return chosen

    paths.data_dir = watched
    yield
    paths.data_dir = real


@pytest.fixture(autouse=True)
def _no_shipped_data_unless_marked(request):
    before = _watch["reads"]
    yield
    if request.node.get_closest_marker("shipped"):
        return
    fixtures = request.node._fixtureinfo.name2fixturedefs.values()
    via = sorted({fd.argname for defs in fixtures for fd in defs if fd in _watch["fixtures"]})
    assert _watch["reads"] == before and not via, (
        f"this test reads the shipped corpus in data/{' through ' + ', '.join(via) if via else ''}: build a small corpus "
        "(tests/conftest.py) or mark it `shipped` (tests/shipped/, @shipped or pytestmark = shipped)")
