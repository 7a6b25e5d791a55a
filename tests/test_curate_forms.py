"""/curate's forms generated from the models: every kind created, any record edited (pre-filled, stale-checked), the
same messages as `validate` while typing, places by every name, and the rules of data/README.md one click away."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from atlas.core import paths
from atlas.core.load import load_dataset
from atlas.curate import forms, records
from atlas.ui import curate
from tests.conftest import REPO

PASSPHRASE = "open sesame"


@pytest.fixture
def data(tmp_path) -> Path:
    return Path(shutil.copytree(paths.DEFAULT_DATA_DIR, tmp_path / "data"))


def _signed_in(data, monkeypatch) -> AppTest:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(data))
    monkeypatch.setenv(curate.EDITING_ENV, "1")
    monkeypatch.setenv(curate.HASH_ENV, PasswordHasher().hash(PASSPHRASE))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.switch_page("pages/curate.py")
    at = at.run()
    at.text_input(key="curate_signin_name").input("Ana Editor")
    at.text_input(key="curate_signin_phrase").input(PASSPHRASE)
    return at.button(key="curate_signin").click().run()


def _a_citation(data) -> dict:
    ds, _ = load_dataset(data)
    return ds.records["yerevan"].citations[0].model_dump(exclude_none=True)


def test_fields_are_drawn_from_the_models():
    by_key = {f.key: f for f in forms.fields("place")}
    assert by_key["names"].widget == "names" and by_key["lon"].widget == "float" and by_key["importance"].widget == "int"
    assert by_key["coord_status"].widget == "choice" and "approx" in by_key["coord_status"].options
    assert by_key["summary"].widget == "area" and not by_key["summary"].required and by_key["id"].required
    corridor = {f.key: f for f in forms.fields("corridor")}
    assert corridor["route"].widget == "refs" and corridor["route"].ref_kind == "place" and corridor["statuses"].widget == "yaml"
    event = {f.key: f for f in forms.fields("event")}
    assert event["date"].widget == "date" and event["place"].widget == "ref" and event["alignment"].widget == "yaml"
    assert [f.key for f in forms.fields("term")][-1] == "citations"
    assert set(records.kinds_with_files()) == {"event", "claim", "place", "area", "corridor", "term"}


def test_the_rules_come_from_data_readme():
    text = (paths.DEFAULT_DATA_DIR / "README.md").read_text(encoding="utf-8")
    rules = forms.rules_for(text, "event")
    assert rules.startswith("## Citations") and "## Coding rules" in rules and "## Names" not in rules
    assert "## Names" in forms.rules_for(text, "place")
    assert forms.readme_section(text, "No such heading") is None and forms.rules_for(None, "term") == ""


def test_places_are_picked_by_every_name(data):
    ds, _ = load_dataset(data)
    label = curate.place_label(ds, "yerevan")
    assert all(name in label for name in ds.records["yerevan"].names.variants().values()) and "(yerevan)" in label


def test_a_new_place_with_its_coordinates_is_checked_as_typed_and_saved(data, monkeypatch):
    at = _signed_in(data, monkeypatch)
    at.radio(key="curate_kind").set_value("place")
    at.session_state["curate_citations"] = [_a_citation(data)]
    at = at.run()
    assert not at.exception
    at.text_input(key="curate_gen_place_new_id").input("test-village")
    at = at.run()
    typed = "\n".join(c.value for c in at.code)
    assert "places.yaml" in typed and "test-village" in typed and "names" in typed  # validate's wording: file, record, field
    assert at.button(key="curate_save_place").disabled
    at.text_input(key="curate_gen_place_new_names_international").input("Test Village")
    at.text_input(key="curate_gen_place_new_names_armenian").input("Թեստ")
    at.number_input(key="curate_gen_place_new_lon").set_value(44.5)
    at.number_input(key="curate_gen_place_new_lat").set_value(40.1)
    at.text_input(key="curate_gen_place_new_country").input("ARM")
    at.text_input(key="curate_gen_place_new_coord_source").input("read off a topographic map for the test")
    at = at.run()
    assert not at.button(key="curate_save_place").disabled, [c.value for c in at.code]
    at = at.button(key="curate_save_place").click().run()
    assert not at.exception and any("Saved place test-village" in s.value for s in at.success)
    ds, problems = load_dataset(data)
    assert problems == []
    place = ds.records["test-village"]
    assert (place.lon, place.lat, place.names.armenian, place.importance) == (44.5, 40.1, "Թեստ", 2)


def test_a_new_term_is_saved(data, monkeypatch):
    at = _signed_in(data, monkeypatch)
    at.radio(key="curate_kind").set_value("term")
    at.session_state["curate_citations"] = [_a_citation(data)]
    at = at.run()
    at.text_input(key="curate_gen_term_new_id").input("test-term")
    at.text_input(key="curate_gen_term_new_term").input("Test term")
    at.text_input(key="curate_gen_term_new_aliases").input("TT, the test")
    at.text_area(key="curate_gen_term_new_definition").input("A term defined for the test.")
    at = at.run().button(key="curate_save_term").click().run()
    assert not at.exception and any("Saved term test-term" in s.value for s in at.success)
    ds, problems = load_dataset(data)
    assert problems == [] and ds.records["test-term"].aliases == ["TT", "the test"]


def test_an_existing_record_is_edited_prefilled_and_a_stale_edit_is_refused(data, monkeypatch):
    at = _signed_in(data, monkeypatch)
    at.radio(key="curate_kind").set_value(curate.EDIT)
    at = at.run()
    at.selectbox(key="curate_edit_id").set_value("csto")
    at = at.run()
    assert not at.exception
    stored = records.find(data, "term", "csto")
    box = at.text_area(key="curate_gen_term_csto_definition")
    assert box.value == stored["definition"]  # pre-filled
    box.input(stored["definition"] + " Edited for the test.")
    at = at.run()
    before = (data / "terms.yaml").read_text(encoding="utf-8")
    at = at.button(key="curate_save_term_edit_csto").click().run()
    assert not at.exception and any("Saved the changes to term csto" in s.value for s in at.success)
    ds, problems = load_dataset(data)
    assert problems == [] and ds.records["csto"].definition.endswith("Edited for the test.")
    after = (data / "terms.yaml").read_text(encoding="utf-8")
    assert len(after.splitlines()) == len(before.splitlines())  # only the definition changed: comments and layout kept
    # a second edit, but someone else saves the file first: refused, nothing overwritten
    at.selectbox(key="curate_edit_id").set_value("three-plus-three")
    at = at.run()
    at.text_input(key="curate_gen_term_three-plus-three_term").input("Changed by the stale form")
    at = at.run()
    (data / "terms.yaml").write_text(after + "# a comment saved by someone else\n", encoding="utf-8")
    at = at.button(key="curate_save_term_edit_three-plus-three").click().run()
    assert any("someone else saved this file" in e.value for e in at.error)
    assert "Changed by the stale form" not in (data / "terms.yaml").read_text(encoding="utf-8")


def test_an_unchanged_edit_of_each_kind_leaves_its_file_byte_for_byte(data, monkeypatch):
    ds, _ = load_dataset(data)
    picks: dict[str, str] = {}
    for rec in ds.records.values():
        picks.setdefault(rec.kind, rec.id)
    before = {kind: (data / records.record_file(kind)).read_bytes() for kind in records.kinds_with_files()}
    at = _signed_in(data, monkeypatch)
    at.radio(key="curate_kind").set_value(curate.EDIT)
    at = at.run()
    for kind in records.kinds_with_files():
        at.selectbox(key="curate_edit_id").set_value(picks[kind])
        at = at.run()
        save = at.button(key=f"curate_save_{kind}_edit_{picks[kind]}")
        assert not save.disabled, (kind, [c.value for c in at.code])
        at = save.click().run()
        assert not at.exception and any(f"Saved the changes to {kind} {picks[kind]}" in s.value for s in at.success)
        assert (data / records.record_file(kind)).read_bytes() == before[kind], kind  # the pre-filled form is the record
