"""/curate's suggestions (shown with their words, put into the event form only when confirmed) and the removal of a record
(confirmed, recorded, refused while another record refers to it), on a small corpus."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from atlas.core import paths
from atlas.curate import writes
from atlas.curate.suggest import suggest
from atlas.ui import curate
from atlas.views import suggestions
from tests.conftest import add_source, load_corpus, write_corpus
from tests.test_curate_forms import _signed_in  # editing on, signed in as Ana Editor

PASSPHRASE = "open sesame"


WIRE = "Wire Report\n\nOn 3 March 2025 Azerbaijan reopened the road at Alpha to trucks.\n"


@pytest.fixture
def data(tmp_path) -> Path:
    """The minimal corpus and a new, uncited wire report (the newest source, so /curate offers it first)."""
    return add_source(write_corpus(tmp_path / "data"), "wire", WIRE)


# --- the rows and what a confirmation fills in ----------------------------------------------------------------------

def test_rows_show_each_suggestion_with_its_exact_words_in_their_sentence(data):
    ds = load_corpus(data)
    rows = suggestions.rows(ds, "mini", suggest(ds, "mini"))
    by_kind = {(r.kind, r.value): r for r in rows}
    date = by_kind[("date", "2022-12-12")]
    assert date.words == "12 December 2022" and date.shown == "2022-12-12 (day)" and date.passage == 2
    assert date.context == "The road near Alpha was closed on 12 December 2022. Observers in Alpha counted trucks."
    place = by_kind[("place", "alpha")]
    assert place.words == "Alpha" and place.shown == "Alpha (alpha)"
    assert [r.kind for r in rows] == sorted((r.kind for r in rows), key=["date", "place", "actor", "partner"].index)
    for r in rows:  # every row's words are verbatim in its passage
        assert r.words in ds.texts["mini"].raw(ds.texts["mini"].passages[r.passage - 1])


def test_context_is_cut_to_a_few_words_each_side_with_an_ellipsis(mini_ds):
    text = mini_ds.texts["mini"]
    got = suggestions.in_context(text, 3, "Alpha", width=10)
    assert got == "…goes on. Alpha appears…"
    assert suggestions.in_context(text, 99, "Alpha") == "Alpha"  # no such passage: the words alone
    assert suggestions.in_context(text, 2, "not in it") == "not in it"


def test_event_fill_takes_the_first_date_and_place_and_every_actor():
    rows = [suggestions.Row("date", "2022-12-12", "", "", "", 2), suggestions.Row("date", "2022-12-14", "", "", "", 5),
            suggestions.Row("place", "beta", "", "", "", 2), suggestions.Row("place", "alpha", "", "", "", 2),
            suggestions.Row("actor", "Armenia", "", "", "", 2), suggestions.Row("partner", "Russia", "", "", "", 3),
            suggestions.Row("actor", "Armenia", "", "", "", 4)]
    fill = suggestions.event_fill(rows)
    assert (fill.date, fill.place, fill.actors) == ("2022-12-12", "beta", ["Armenia", "Russia"])
    assert fill.describe() == "date 2022-12-12; place beta; actors Armenia, Russia"
    assert suggestions.event_fill([]).describe() == ""


# --- in the page ------------------------------------------------------------------------------------------------------

def test_suggestions_go_into_the_event_form_only_when_confirmed_and_nothing_is_saved(data, monkeypatch):
    at = _signed_in(data, monkeypatch)
    before = {p.name: p.read_bytes() for p in data.glob("*.yaml")}
    assert at.button(key="curate_suggest").label == "Suggest from wire"
    at = at.button(key="curate_suggest").click().run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert "Azerbaijan reopened the road" in table.to_string() and list(table.columns) == ["kind", "suggestion", "words",
                                                                                  "in context", "passage", "also in"]
    pick = at.multiselect(key="curate_suggest_pick")
    options = list(pick.options)  # the labels; the values are the rows' keys (kind|value)
    assert "date: 2025-03-03 (day) — “3 March 2025” (passage 2)" in options
    at = pick.set_value(["date|2025-03-03", "place|alpha", "actor|Azerbaijan"]).run()
    assert not at.button(key="curate_suggest_use").disabled
    at = at.button(key="curate_suggest_use").click().run()
    assert not at.exception, at.exception
    assert any("date 2025-03-03; place alpha; actors Azerbaijan" in s.value.replace("\\", "") for s in at.success), [s.value for s in at.success] + options
    assert at.radio(key="curate_kind").value == "event"
    assert at.text_input(key="curate_event_date").value == "2025-03-03"
    assert at.selectbox(key="curate_event_place").value == "alpha"
    assert at.multiselect(key="curate_event_actors").value == ["Azerbaijan"]
    assert at.multiselect(key="curate_suggest_pick").value == []  # confirmed once, then cleared
    assert {p.name: p.read_bytes() for p in data.glob("*.yaml")} == before  # suggestions never save


def test_an_unconfirmed_suggestion_changes_nothing(data, monkeypatch):
    at = _signed_in(data, monkeypatch)
    at = at.button(key="curate_suggest").click().run()
    assert at.button(key="curate_suggest_use").disabled
    assert at.text_input(key="curate_event_date").value == ""


def _edit(at: AppTest, rid: str) -> AppTest:
    at = at.radio(key="curate_kind").set_value(curate.EDIT).run()
    return at.selectbox(key="curate_edit_id").set_value(rid).run()


def test_an_editor_removes_a_record_after_confirming_and_the_removal_is_recorded(data, monkeypatch):
    at = _edit(_signed_in(data, monkeypatch), "road")
    button = at.button(key="curate_remove_term_edit_road")
    assert button.disabled  # not before the tick
    at = at.checkbox(key="curate_remove_sure_term_edit_road").check().run()
    at = at.button(key="curate_remove_term_edit_road").click().run()
    assert not at.exception, at.exception
    assert any("Removed term road" in s.value for s in at.success)
    assert yaml.safe_load((data / "terms.yaml").read_text(encoding="utf-8")) == []
    entry = writes.read_changelog(data)[-1]
    assert entry["editor"] == "Ana Editor" and "Remove term road" in entry["message"] and entry["ids"] == ["road"]
    assert "road" not in load_corpus(data).records


def test_removing_a_record_others_refer_to_is_refused_and_nothing_is_written(data, monkeypatch):
    at = _edit(_signed_in(data, monkeypatch), "alpha")
    before = (data / "places.yaml").read_bytes()
    at = at.checkbox(key="curate_remove_sure_place_edit_alpha").check().run()
    at = at.button(key="curate_remove_place_edit_alpha").click().run()
    assert not at.exception, at.exception
    assert any("Not saved" in e.value for e in at.error)
    assert any("alpha" in c.value for c in at.code)  # the records that still refer to it, as validate words them
    assert (data / "places.yaml").read_bytes() == before
    assert "alpha" in load_corpus(data).records


def test_a_record_changed_by_someone_else_since_the_form_opened_is_not_removed(data, monkeypatch):
    at = _edit(_signed_in(data, monkeypatch), "road")
    from atlas.curate import records

    term = records.find(data, "term", "road")
    records.update(data, "term", "road", {**term, "definition": "A way, as another editor put it."}, "Other",
                   writes.file_sha(data, "terms.yaml"))
    at = at.checkbox(key="curate_remove_sure_term_edit_road").check().run()
    at = at.button(key="curate_remove_term_edit_road").click().run()
    assert any("someone else saved this file" in e.value for e in at.error)
    assert load_corpus(data).records["road"].definition == "A way, as another editor put it."


# --- a new place from Natural Earth ------------------------------------------------------------------------------------

def _with_natural_earth(data: Path, *features) -> Path:
    from tests.test_gazetteer import REGION, collection, dump

    (data / paths.SETTINGS_FILE).write_text(REGION, encoding="utf-8")
    dump(data / paths.POPULATED_PLACES_FILE, collection(*features))
    return data


def test_a_natural_earth_place_the_text_names_begins_a_place_record_with_its_citation(tmp_path, monkeypatch):
    from tests.test_gazetteer import feature

    data = add_source(write_corpus(tmp_path / "data"), "wire", "Wire\n\nOn 5 May 2025 a convoy left Goris at dawn.\n")
    _with_natural_earth(data, feature("Goris", 46.3417, 39.5111, adm1name="Syunik", featurecla="Admin-1 capital"))
    ds = load_corpus(data)
    rows = suggestions.rows(ds, "wire", suggestions.found(ds, "wire")[0])
    goris = next(r for r in rows if r.kind == "new place")
    assert goris.shown == "Goris, Syunik, Armenia (39.5111 N, 46.3417 E), from Natural Earth populated places"
    assert suggestions.new_place_fields(goris) == {
        "id": "goris", "names": {"international": "Goris"}, "lon": 46.3417, "lat": 39.5111, "coord_status": "approx",
        "coord_source": "Natural Earth populated places: Goris (Admin-1 capital)", "country": "ARM"}

    at = _signed_in(data, monkeypatch)
    at = at.button(key="curate_suggest").click().run()
    pick = at.multiselect(key="curate_suggest_pick")
    assert any(o.startswith("new place: Goris, Syunik, Armenia") for o in pick.options)
    at = pick.set_value([goris.key]).run()
    assert at.button(key="curate_suggest_use").disabled  # a new place does not go into an event
    at = at.button(key="curate_suggest_place").click().run()
    assert not at.exception, at.exception
    assert at.radio(key="curate_kind").value == "place"
    form = "curate_gen_place_new"
    assert at.text_input(key=f"{form}_names_international").value == "Goris"
    assert (at.number_input(key=f"{form}_lon").value, at.number_input(key=f"{form}_lat").value) == (46.3417, 39.5111)
    assert at.text_input(key=f"{form}_country").value == "ARM"
    assert at.session_state["curate_citations"] == [{"source": "wire", "quote": "Goris"}]
    assert any(c.value.startswith("Picked lon 46.342, lat 39.511") for c in at.caption)  # the map opens on it, ringed
    at = at.button(key="curate_save_place").click().run()
    assert not at.exception, at.exception
    assert any("Saved place goris" in s.value for s in at.success), [e.value for e in at.error]
    place = load_corpus(data).records["goris"]
    assert (place.lon, place.lat, place.country, place.citations[0].quote) == (46.3417, 39.5111, "ARM", "Goris")


def test_a_broken_natural_earth_file_is_one_warning_and_the_other_suggestions_still_come(data, monkeypatch):
    (data / paths.POPULATED_PLACES_FILE).parent.mkdir(parents=True, exist_ok=True)
    (data / paths.POPULATED_PLACES_FILE).write_text("{not json", encoding="utf-8")
    at = _signed_in(data, monkeypatch)
    at = at.button(key="curate_suggest").click().run()
    assert not at.exception, at.exception
    assert any("populated_places.geojson" in w.value.replace("\\", "") for w in at.warning), [w.value for w in at.warning]
    assert any(o.startswith("date: 2025-03-03") for o in at.multiselect(key="curate_suggest_pick").options)


def test_a_suggestion_the_text_gives_again_is_one_row_naming_the_other_passages(tmp_path):
    data = add_source(write_corpus(tmp_path / "data"), "wire",
                      "Wire\n\nAzerbaijan spoke first.\n\nThen Alpha, and Azerbaijan again.\n\nAzerbaijan, once more.\n")
    ds = load_corpus(data)
    rows = [r for r in suggestions.rows(ds, "wire", suggest(ds, "wire")) if r.value == "Azerbaijan"]
    assert len(rows) == 1 and (rows[0].passage, rows[0].also) == (2, (3, 4))
    assert rows[0].label == "actor: Azerbaijan — “Azerbaijan” (passage 2; also 3, 4)"
    assert rows[0].as_dict()["also in"] == "3, 4"


def test_an_anchored_quote_shows_where_it_lands_marked_in_its_passage(data, monkeypatch):
    at = _signed_in(data, monkeypatch)
    at.text_area(key="curate_anchor_words").input("Azerbaijan reopened the road")
    at = at.run()
    assert any("Anchored in passage 2" in s.value for s in at.success)
    html = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<blockquote class=\"atlas-landing")]
    assert html == ['<blockquote class="atlas-landing"><strong>¶2</strong> On 3 March 2025 <mark>Azerbaijan reopened the '
                    'road</mark> at Alpha to trucks.</blockquote>']


def test_a_tick_follows_its_suggestion_when_the_rows_change_and_goes_when_it_does(data, monkeypatch):
    at = _signed_in(data, monkeypatch)
    at = at.button(key="curate_suggest").click().run()
    at = at.multiselect(key="curate_suggest_pick").set_value(["actor|Azerbaijan"]).run()
    # meanwhile another editor saves a place the wire names: a row comes in before the actor's
    from atlas.curate import records

    records.create(data, "place", {"id": "march", "names": {"international": "March"}, "lon": 45.1, "lat": 40.1,
                                   "country": "ARM", "coord_status": "guess", "coord_source": "test",
                                   "citations": [{"source": "wire", "quote": "March"}]},
                   "Other", writes.file_sha(data, "places.yaml"))
    import time

    time.sleep(1.1)  # the server lists the data files once a second
    at = at.run()
    assert not at.exception, at.exception
    assert any(o.startswith("place: March") for o in at.multiselect(key="curate_suggest_pick").options)
    assert at.multiselect(key="curate_suggest_pick").value == ["actor|Azerbaijan"]
    at = at.button(key="curate_suggest_use").click().run()
    assert at.multiselect(key="curate_event_actors").value == ["Azerbaijan"]


def test_namesake_towns_of_natural_earth_stay_two_rows(tmp_path):
    from tests.test_gazetteer import feature

    data = add_source(write_corpus(tmp_path / "data"), "wire", "Wire\n\nTrucks reached Geghadir at noon.\n")
    _with_natural_earth(data, feature("Geghadir", 44.65, 40.27, adm1name="Kotayk"),
                        feature("Geghadir", 45.18, 41.05, adm1name="Tavush"))
    ds = load_corpus(data)
    rows = [r for r in suggestions.rows(ds, "wire", suggestions.found(ds, "wire")[0]) if r.kind == "new place"]
    assert [r.shown.split(" (")[0] for r in rows] == ["Geghadir, Kotayk, Armenia", "Geghadir, Tavush, Armenia"]
    assert len({r.key for r in rows}) == 2


def test_a_new_places_id_comes_from_its_ascii_name():
    assert suggestions.slug("Gyümri") == "gyumri" and suggestions.slug("Ararat (town)") == "ararat-town"
    assert suggestions.slug("Şəki") == "ski" and suggestions.slug("Գյումրի") == ""  # hence Natural Earth's nameascii first
    from atlas.curate.suggest import NewPlace

    def row(name, ascii_name):
        ne = NewPlace("new_place", name, name, 2, None, lon=47.17, lat=41.2, ascii_name=ascii_name)
        return suggestions.Row("new place", name, name, name, name, 2, ne)

    assert suggestions.new_place_fields(row("Şəki", "Seki"))["id"] == "seki"
    assert suggestions.new_place_fields(row("Գյումրի", ""))["id"] == "place-41-200-47-170"
