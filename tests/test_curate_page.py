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


def test_a_new_place_is_picked_on_the_map_and_saved(data, monkeypatch):
    """AppTest cannot click a pydeck chart: the click is the chart's selection state read by pickmap.picked, carried out by
    placepicker.apply_pick (what the chart's on_select callback does); the form then shows and saves what was picked."""
    from atlas.ui import placepicker
    from atlas.views import pickmap

    at = _sign_in(_app(data, monkeypatch))
    at = at.radio(key="curate_kind").set_value("place").run()
    assert not at.exception
    assert len(at.get("deck_gl_json_chart")) == 1
    assert any("about 500 m" in c.value for c in at.caption)
    slot = "curate_gen_place_new"
    ds, _ = load_dataset(data)
    bounds = ds.settings.region.bounds
    coarse = pickmap.coarse_grid(bounds)
    state: dict = {}
    click = pickmap.picked(ds, {"selection": {"indices": {pickmap.COARSE_LAYER: [coarse.points().index([45.6, 40.0])]},
                                              "objects": {}}})
    placepicker.apply_pick(state, slot, click)
    fine = pickmap.fine_grid(bounds, 45.6, 40.0)
    layer = pickmap.fine_layer_id(45.6, 40.0)
    placepicker.apply_pick(state, slot, pickmap.picked(ds, {"selection": {"indices": {layer: [fine.points().index([45.655, 39.97])]},
                                                                          "objects": {}}}))
    for key, value in state.items():
        at.session_state[key] = value
    at = at.run()
    assert not at.exception
    assert at.number_input(key=f"{slot}_lon").value == pytest.approx(45.655)
    assert at.number_input(key=f"{slot}_lat").value == pytest.approx(39.97)
    assert any("Picked lon 45.655, lat 39.970" in c.value for c in at.caption)
    deck = at.get("deck_gl_json_chart")[0].proto.json
    assert '"pick-chosen"' in deck and layer in deck
    # a known place clicked is named, not added again
    at.session_state[placepicker.state_key(slot)] = {**state[placepicker.state_key(slot)], "known": "yerevan"}
    at = at.run()
    assert any("already in the gazetteer, as yerevan" in i.value for i in at.info)
    # the rest typed, a quote cited: saved with the picked coordinates
    at.text_input(key=f"{slot}_names_international").input("Test Village")
    at.text_input(key=f"{slot}_id").input("test-village")
    at.text_input(key=f"{slot}_country").input("AZE")
    at.selectbox(key=f"{slot}_coord_status").set_value("approx")
    at.text_input(key=f"{slot}_coord_source").input("picked on the /curate map")
    at.session_state["curate_citations"] = [{"source": "scfr-kaleji-interview",
                                             "quote": "Karabakh and the seven surrounding regions are outside the territory of Armenia"}]
    at = at.run()
    at = at.button(key="curate_save_place").click().run()
    assert not at.exception
    assert any("Saved place test-village" in s.value for s in at.success), [e.value for e in at.error] + [w.value for w in at.warning]
    ds, problems = load_dataset(data)
    assert problems == [] and (ds.records["test-village"].lon, ds.records["test-village"].lat) == (45.655, 39.97)
    assert "test-village" in (data / "places.yaml").read_text(encoding="utf-8")
    at = at.run()
    assert not any("Picked lon" in c.value for c in at.caption)  # a fresh picker for the next place
