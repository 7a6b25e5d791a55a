"""Live edits of the data directory: picked up on the next run, broken edits keep the last good data with a
notice, and every run draws from one snapshot (AppTest through dashboard.py, and the snapshot logic itself)."""
from __future__ import annotations

import re
import time

import yaml
from streamlit.testing.v1 import AppTest

from atlas.ui import data
from tests.conftest import REPO, minimal_records, write_corpus
from tests.test_pages import PAGES

BROKEN = "- id: road-closed\n  title: [unclosed\n"


def app(page: str, params: dict, data_dir, monkeypatch) -> AppTest:
    monkeypatch.setenv("ATLAS_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    if PAGES[page]:
        at.switch_page(PAGES[page])
    return at


def text(at: AppTest) -> str:
    """Everything the run wrote as text: titles, headers, markdown, captions, metrics, notices and HTML."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "error", "info")
             for e in getattr(at, kind)]
    parts += [f"{m.label}={m.value}" for m in at.metric]
    parts += [h.proto.body for h in at.get("html") if not h.proto.body.startswith("<style>")]
    return "\n".join(str(p) for p in parts)


def home_events(at: AppTest) -> int:
    """The number of events Home says the evidence base holds (a metric, or its line of counts)."""
    m = re.search(r"Events=(\d+)|\b(\d+) events\b", text(at))
    assert m, "Home shows its count of events"
    return int(m.group(1) or m.group(2))


def sidebar_counts(at: AppTest) -> str:
    return next(c.value for c in at.sidebar.caption if "records" in c.value)


def set_event_title(data_dir, title: str) -> None:
    path = data_dir / "events.yaml"
    events = yaml.safe_load(path.read_text(encoding="utf-8"))
    events[0]["title"] = title
    path.write_text(yaml.safe_dump(events, allow_unicode=True, sort_keys=False), encoding="utf-8")


def after_the_fingerprint_interval() -> None:
    """Wait as a reader would: the data files are re-listed once a second (data.FINGERPRINT_SECONDS)."""
    time.sleep(data.FINGERPRINT_SECONDS + 0.2)


def stale_notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "last valid version" in w.value]


def test_an_edited_title_shows_on_the_next_run(corpus, monkeypatch):
    at = app("events", {"focus": "road-closed"}, corpus, monkeypatch).run()
    assert not at.exception and "Road closed" in text(at)

    set_event_title(corpus, "Road reopened after talks")
    after_the_fingerprint_interval()
    at.run()
    assert not at.exception and not stale_notices(at)
    assert "Road reopened after talks" in text(at) and "Road closed" not in text(at)


def test_a_broken_or_half_written_edit_keeps_the_last_good_data_with_a_notice_until_fixed(corpus, monkeypatch):
    at = app("events", {"focus": "road-closed"}, corpus, monkeypatch).run()
    counts = sidebar_counts(at)
    good = (corpus / "events.yaml").read_bytes()

    for damaged in (BROKEN.encode(), good[: len(good) // 2]):  # broken YAML; the first half of a file being saved
        (corpus / "events.yaml").write_bytes(damaged)
        after_the_fingerprint_interval()
        at.run()
        assert not at.exception
        assert "The evidence base could not be loaded" not in text(at)
        assert "Road closed" in text(at), "the last good data are still drawn"
        assert sidebar_counts(at) == counts
        [notice] = stale_notices(at)
        assert re.match(r"The data directory has \d+ problems? right now", notice)
        assert "events.yaml" in text(at)  # the problem list names the file (in the notice's expander)

    (corpus / "events.yaml").write_bytes(good)  # the editor saves the whole file, with a new title
    set_event_title(corpus, "Road reopened after talks")
    after_the_fingerprint_interval()
    at.run()
    assert not at.exception and not stale_notices(at)
    assert "Road reopened after talks" in text(at)


def test_a_first_start_on_broken_data_shows_the_error_page_and_recovers_without_a_restart(corpus, monkeypatch):
    (corpus / "events.yaml").write_text(BROKEN, encoding="utf-8")
    at = app("home", {}, corpus, monkeypatch).run()
    assert not at.exception
    assert "The evidence base could not be loaded" in text(at)  # nothing valid was ever read: no page

    write_corpus(corpus)
    after_the_fingerprint_interval()
    at.run()
    assert not at.exception and "The evidence base could not be loaded" not in text(at)
    assert home_events(at) == 1  # Home, drawn from the corrected data
    assert not stale_notices(at)


def test_the_sidebar_and_the_page_draw_from_one_snapshot_when_an_edit_lands_mid_run(corpus, monkeypatch):
    """The issue's race: Home drew 0 events beside the sidebar's count of the version before. Here the edit
    (removing the only event) lands exactly between the sidebar and the page of one run."""
    at = app("home", {}, corpus, monkeypatch).run()
    assert home_events(at) == 1
    before = sidebar_counts(at)

    from atlas.ui import shell

    real = shell.ensure_navigation

    edits = []

    def navigate_then_edit():  # data.require() calls this just before it takes the run's dataset
        real()  # (this may restart the run through dashboard.py: the edit lands in the run that draws the page)
        if not edits:
            records = minimal_records()
            records["events"] = []
            write_corpus(corpus, records=records)
            data._recent_fingerprint.clear()  # and the re-listing is due: nothing but the run's snapshot holds it back
            edits.append(True)

    monkeypatch.setattr(shell, "ensure_navigation", navigate_then_edit)
    at.run()
    assert not at.exception and edits
    assert home_events(at) == 1 and sidebar_counts(at) == before  # one version: the one the run began with

    monkeypatch.setattr(shell, "ensure_navigation", real)
    at.run()
    assert home_events(at) == 0 and sidebar_counts(at) != before  # the next run draws the edited version


def test_a_snapshot_is_one_object_for_the_whole_run(corpus, monkeypatch):
    def script(data_dir: str):
        from pathlib import Path

        import streamlit as st

        from atlas.ui import data

        first = data.snapshot()
        path = Path(data_dir) / "terms.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("A way.", "A path."), encoding="utf-8")
        data._recent_fingerprint.clear()
        st.write(f"same={data.snapshot() is first} require={data.require() is first.dataset}")

    monkeypatch.setenv("ATLAS_DATA_DIR", str(corpus))  # the script runs in this process
    at = AppTest.from_function(script, args=(str(corpus),), default_timeout=60).run()
    assert not at.exception
    assert at.markdown[0].value == "same=True require=True"


def test_files_changing_while_they_are_read_are_never_served(tmp_path, monkeypatch):
    """A read during which a file changed may mix two versions: the last good snapshot is served instead, and on a
    first start (nothing good yet) the read is repeated until the files hold still."""
    corpus = write_corpus(tmp_path / "data")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(corpus))
    real = data.load_dataset
    writes = {"left": 0}

    def load_while_someone_writes(data_dir):
        out = real(data_dir)
        if writes["left"]:
            writes["left"] -= 1
            set_event_title(corpus, f"Edited {writes['left']}")  # the writer saves again while this read runs
        return out

    monkeypatch.setattr(data, "load_dataset", load_while_someone_writes)
    data._recent_fingerprint.clear()
    writes["left"] = 2
    first = data.snapshot()  # first start: two unsettled reads, then one during which nothing changed
    assert first.usable and not first.problems and writes["left"] == 0
    assert first.dataset.records["road-closed"].title == "Edited 0"

    set_event_title(corpus, "Being saved")
    writes["left"] = 1
    data._recent_fingerprint.clear()
    during = data.snapshot()
    assert during.usable and during.dataset is first.dataset  # the last good one, not the mixed read
    assert during.problems == [data.CHANGING] and during.stale

    data._recent_fingerprint.clear()
    settled = data.snapshot()
    assert not settled.problems and settled.dataset.records["road-closed"].title == "Edited 0"
    assert settled.dataset is not first.dataset and settled.dataset.version != first.dataset.version


def test_editor_swap_and_backup_files_do_not_reload_the_data(corpus):
    before = data._fingerprint(corpus)
    for name in (".events.yaml.swp", ".#events.yaml", "#events.yaml#", "events.yaml~"):
        (corpus / name).write_text("scratch", encoding="utf-8")
    assert data._fingerprint(corpus) == before
    (corpus / "sources" / "extra.txt").write_text("A new file.", encoding="utf-8")
    assert data._fingerprint(corpus) != before
