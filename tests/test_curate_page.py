"""/curate in AppTest: off by default, a passphrase sign-in, and a source, a quote and a claim saved through the engine."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from atlas.core import paths, version
from atlas.core.load import load_dataset
from atlas.curate import writes
from atlas.ui import curate
from tests.conftest import REPO

PASSPHRASE = "open sesame"
ARTICLE = ("Talks on the border\n\n"
           "On 3 March 2025 officials met in Yerevan to discuss border security. The talks were held in Yerevan.\n")


@pytest.fixture
def data(tmp_path) -> Path:
    return Path(shutil.copytree(paths.DEFAULT_DATA_DIR, tmp_path / "data"))


def _app(data, monkeypatch, editing=True) -> AppTest:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(data))
    if editing:
        monkeypatch.setenv(curate.EDITING_ENV, "1")
        monkeypatch.setenv(curate.HASH_ENV, PasswordHasher().hash(PASSPHRASE))
    else:
        monkeypatch.delenv(curate.EDITING_ENV, raising=False)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.switch_page("pages/curate.py")
    return at.run()


def _sign_in(at: AppTest, name="Ana Editor", phrase=PASSPHRASE) -> AppTest:
    inputs = {ti.label: ti for ti in at.main.text_input}
    inputs["Your name (recorded with every change)"].input(name)
    inputs["Editors' passphrase"].input(phrase)
    return at.button(key="curate_signin").click().run()


def test_readers_see_no_edit_controls_when_editing_is_off(data, monkeypatch):
    at = _app(data, monkeypatch, editing=False)
    assert not at.exception
    assert any("Editing is switched off" in i.value for i in at.info)
    main = at.main
    assert len(main.text_input) == 0 and len(main.text_area) == 0 and len(main.button) == 0


def test_a_wrong_passphrase_does_not_sign_in(data, monkeypatch):
    at = _sign_in(_app(data, monkeypatch), phrase="guess")
    assert not at.exception
    assert any("not right" in e.value for e in at.error)
    assert not any(h.value == "Add a source" for h in at.header)


def test_an_editor_adds_a_source_anchors_a_quote_and_saves_a_claim(data, monkeypatch):
    at = _sign_in(_app(data, monkeypatch))
    assert not at.exception and any(h.value == "Add a source" for h in at.header)
    # add a source by pasting its text
    form = {ta.label: ta for ta in at.text_area}
    form["Paste the text"].input(ARTICLE)
    inputs = {ti.label: ti for ti in at.text_input}
    inputs["Id (a lower-case slug, e.g. outlet-yyyy-mm-dd)"].input("wire-2025-03-04")
    inputs["Title"].input("Talks on the border")
    inputs["Publisher"].input("Test Wire")
    inputs["Date published (YYYY-MM-DD, YYYY-MM or YYYY)"].input("2025-03-04")
    form["Perspective: who is speaking, from where (neutral, in your words)"].input("A wire report for the test.")
    at = at.button(key="curate_add_source").click().run()
    assert not at.exception, at.exception
    assert any("Added wire-2025-03-04: 2 passages" in s.value for s in at.success)
    assert (data / "sources" / "wire-2025-03-04.txt").read_text(encoding="utf-8") == ARTICLE
    # anchor: an ambiguous quote is refused, the passage and occurrence make it exact
    at.selectbox(key="curate_anchor_source").set_value("wire-2025-03-04")
    at.text_area(key="curate_anchor_words").input("in Yerevan")
    at = at.run()
    assert any("occur 2 times" in e.value for e in at.error)
    at.number_input(key="curate_anchor_passage").set_value(2)
    at.number_input(key="curate_anchor_occurrence").set_value(2)
    at = at.run()
    assert any("Anchored in passage 2" in s.value for s in at.success)
    assert any(c.language == "yaml" and "suffix: ." in c.value for c in at.code)
    at = at.button(key="curate_anchor_use").click().run()
    # a claim citing it
    at = at.radio(key="curate_kind").set_value("claim").run()
    at.text_input(key="curate_claim_id").input("officials-meet-in-yerevan-claim")
    at.text_input(key="curate_claim_actor").input("Armenia")
    at.text_input(key="curate_claim_issue").input("border-security")
    at.text_area(key="curate_claim_summary").input("The wire says officials discussed border security.")
    at = at.run()
    assert not at.exception
    at = at.button(key="curate_save_claim").click().run()
    assert not at.exception, at.exception
    assert any("Saved claim officials-meet-in-yerevan-claim" in s.value for s in at.success)
    ds, problems = load_dataset(data)
    assert problems == [] and ds.records["officials-meet-in-yerevan-claim"].citations[0].suffix == "."
    assert writes.read_changelog(data)[-1]["editor"] == "Ana Editor"


def test_a_stale_form_is_refused_and_the_other_save_is_kept(data, monkeypatch):
    at = _sign_in(_app(data, monkeypatch))
    at = at.radio(key="curate_kind").set_value("claim").run()  # the claim form opens: claims.yaml as read now
    # someone else saves a claim meanwhile
    other = {"id": "other-editors-claim", "actor": "Iran", "issue": "zangezur-route", "stance": "opposes",
             "summary": "Another editor's claim.", "citations": [{"source": "scfr-kaleji-interview",
                                                                  "quote": "Karabakh and the seven surrounding regions are outside the territory of Armenia"}]}
    from atlas.curate import records

    records.create(data, "claim", other, "Other Editor", writes.file_sha(data, "claims.yaml"))
    at.text_input(key="curate_claim_id").input("my-stale-claim")
    at.text_input(key="curate_claim_actor").input("Armenia")
    at.text_input(key="curate_claim_issue").input("lachin-road")
    at.text_area(key="curate_claim_summary").input("Mine.")
    at.session_state["curate_citations"] = [{"source": "scfr-kaleji-interview", "quote": "Karabakh and the seven surrounding regions are outside the territory of Armenia"}]
    at = at.run()
    at = at.button(key="curate_save_claim").click().run()
    assert not at.exception
    assert any("someone else saved this file" in e.value for e in at.error), ([e.value for e in at.error], [w.value for w in at.warning], [s.value for s in at.success], [c.value[:300] for c in at.code])
    assert any("other-editors-claim" in c.value for c in at.code), [c.value[:500] for c in at.code]  # both versions shown
    ds, problems = load_dataset(data)
    assert problems == [] and "other-editors-claim" in ds.records and "my-stale-claim" not in ds.records


def _changes(data, monkeypatch, params=None) -> AppTest:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(data))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.switch_page("pages/changes.py")
    return at.run()


def test_changes_lists_what_was_saved_since_a_date_with_links(data, monkeypatch, tmp_path):
    from atlas.curate import records

    event = {"id": "new-event-2025", "title": "A new event", "summary": "Our words.", "date": "2022-12",
             "date_basis": "stated", "actors": ["Armenia"],
             "citations": [{"source": "avim-security-balance-2023", "quote": "the Chief of MI6 paid a visit to Yerevan"}]}
    before = version.data_digest(data)
    records.create(data, "event", event, "Ana", writes.file_sha(data, "events.yaml"))
    at = _changes(data, monkeypatch, {"since": "2020-01-01"})
    assert not at.exception
    html = "\n".join(h.proto.body for h in at.get("html") if not h.proto.body.startswith("<style>"))
    assert any(s.value == "Added (1)" for s in at.subheader)
    assert 'href="/events?focus=new-event-2025"' in html and "A new event" in html
    # the sidebar names the data as saved: the version every citation of this view would name (atlas.core.version)
    assert f"Data version: {version.version_label(version.dir_version(data))}" in [c.value for c in at.sidebar.caption]
    assert version.data_digest(data) != before and any(version.data_digest(data) in c.value for c in at.caption)  # /changes
    fresh = shutil.copytree(paths.DEFAULT_DATA_DIR, tmp_path / "fresh")
    empty = _changes(fresh, monkeypatch, {"since": "2999-01-01"})
    assert not empty.exception and any("in the future" in w.value for w in empty.warning)
    assert any("No records were added" in i.value for i in empty.info)
    bad = _changes(data, monkeypatch, {"since": "<b>nope</b>"})
    assert not bad.exception and any("is not a date" in w.value for w in bad.warning)


def test_with_an_oidc_provider_editors_are_asked_to_sign_in_with_it(data, monkeypatch):
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(data))
    monkeypatch.setenv(curate.EDITING_ENV, "1")
    monkeypatch.delenv(curate.HASH_ENV, raising=False)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "atlas", "client_secret": "s", "server_metadata_url": "https://id.example/.well-known"}
    at.switch_page("pages/curate.py")
    at = at.run()
    assert not at.exception
    assert any("Editors sign in" in i.value for i in at.info)
    assert [b.key for b in at.main.button] == ["curate_login"]  # the provider's sign-in, no passphrase, no edit controls
    assert len(at.main.text_input) == 0 and len(at.main.text_area) == 0


def test_editing_on_without_any_sign_in_configured_offers_no_controls(data, monkeypatch):
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(data))
    monkeypatch.setenv(curate.EDITING_ENV, "1")
    monkeypatch.delenv(curate.HASH_ENV, raising=False)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.switch_page("pages/curate.py")
    at = at.run()
    assert not at.exception and any("no sign-in is configured" in w.value for w in at.warning)
    assert len(at.main.button) == 0 and len(at.main.text_input) == 0
