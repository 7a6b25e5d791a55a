"""Global search (atlas/analysis/search.py) on a small hand-made corpus: folding, names by usage, grouping, counts, marks."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atlas.analysis import search
from atlas.core.load import load_or_raise
from atlas.ui import search as search_ui
from atlas.views.viewstate import SearchState
from tests.conftest import shipped, write_corpus

TEXT = (
    "Road Report\n\n"
    "Protesters closed the Lachin road on 12 December 2022. Traffic to Xankəndi stopped.\n\n"
    "The ŞUŞA checkpoint opened in April 2023 and the CSTO did not react to it at all.\n\n"
    "[1] A footnote on Stepanakert and the North–South line.\n"
)


def _cite(quote: str) -> list[dict]:
    return [{"source": "mini", "quote": quote}]


def records() -> dict[str, list]:
    place = {"lon": 46.5, "lat": 39.6, "country": "AZE", "coord_status": "confirmed", "coord_source": "test"}
    return {
        "places": [
            {"id": "lachin", "names": {"international": "Lachin (Berdzor)", "armenian": "Berdzor", "azerbaijani": "Laçın",
                                       "russian": "Лачин"}, **place, "citations": _cite("the Lachin road")},
            {"id": "khankendi", "names": {"international": "Khankendi (Stepanakert)", "armenian": "Stepanakert",
                                          "azerbaijani": "Xankəndi"}, **place, "importance": 3,
             "citations": _cite("Traffic to Xankəndi stopped.")},
            {"id": "shusha", "names": {"international": "Shusha (Shushi)", "armenian": "Shushi", "azerbaijani": "Şuşa"},
             **place, "summary": "Hilltop town.", "citations": _cite("The ŞUŞA checkpoint")},
        ],
        "corridors": [{"id": "lachin-road", "names": {"international": "Lachin corridor", "armenian": "Berdzor corridor"},
                       "mode": "road", "route": ["lachin", "khankendi"], "summary": "The only road to Karabakh.",
                       "citations": _cite("Protesters closed the Lachin road")}],
        "areas": [{"id": "karabakh", "names": {"international": "Karabakh"}, "area_type": "region",
                   "summary": "The region the road leads to.", "citations": _cite("Traffic to Xankəndi")}],
        "events": [
            {"id": "road-closed", "title": "Protesters close the road", "summary": "Traffic on the Lachin road stops.",
             "date": "2022-12-12", "date_basis": "stated", "actors": ["Azerbaijan"], "place": "lachin",
             "citations": _cite("on 12 December 2022")},
            {"id": "checkpoint", "title": "A checkpoint opens at Şuşa", "summary": "Azerbaijan controls the road.",
             "date": "2023-04", "date_basis": "stated", "actors": ["Azerbaijan"], "place": "shusha",
             "citations": _cite("checkpoint opened in April 2023")},
        ],
        "claims": [{"id": "armenia-berdzor", "actor": "Armenia", "issue": "lachin-road", "stance": "opposes",
                    "summary": "Armenia calls the closing of the Berdzor road a blockade.",
                    "citations": _cite("Protesters closed")}],
        "terms": [{"id": "csto", "term": "CSTO", "aliases": ["Collective Security Treaty Organization"],
                   "definition": "A military alliance <b>led</b> by Russia.", "citations": _cite("the CSTO did not react")}],
    }


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    return load_or_raise(write_corpus(tmp_path_factory.mktemp("search") / "data", TEXT, records()))


@pytest.fixture(scope="module")
def index(ds):
    return search.build_index(ds)


def found(index, query):
    return search.search(index, query).found


# --- folding ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,folded", [
    ("Xankəndi", "xankendi"), ("XANKƏNDI", "xankendi"), ("ŞUŞA", "susa"), ("Laçın", "lacin"), ("İrəvan", "irevan"),
    ("Ağdam", "agdam"), ("Zəngəzur dəhlizi", "zengezur dehlizi"), ("North–South", "north-south"), ("Straße", "strasse"),
    ("Łódź", "lodz"), ("Степанакерт", "степанакерт"), ("AVİM", "avim"), ("it’s", "it's"), ("Lachin", "lachin"),
])
def test_fold_drops_case_accents_and_letters_nfkd_keeps(text, folded):
    assert search.fold(text) == folded


@given(st.text(max_size=40))
def test_fold_map_agrees_with_fold_and_points_into_the_text(text):
    folded, origin = search.fold_map(text)
    assert folded == search.fold(text)
    assert len(origin) == len(folded) + 1 and origin[-1] == len(text)
    assert origin == sorted(origin) and all(0 <= i <= len(text) for i in origin)


def test_spans_map_a_folded_match_back_to_the_original_letters():
    text = "In Laçın, not Straße; XANKƏNDI."
    marks = search.spans(text, ("lacin", "strasse", "xankendi"))
    assert [text[s:e] for s, e in marks] == ["Laçın", "Straße", "XANKƏNDI"]


# --- what is found ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["Xankəndi", "xankendi", "XANKƏNDI", "Khankendi", "Stepanakert", "stepanakert"])
def test_any_name_of_a_place_finds_it_and_what_is_written_under_its_other_names(index, query):
    got = found(index, query)
    assert got["place"][0] == "khankendi"
    # passage 2 writes "Xankəndi", passage 4 "Stepanakert": each found under the other names too
    assert "mini#2" in got["passage"] and "mini#4" in got["passage"]


def test_berdzor_finds_lachin_by_usage(index):
    got = found(index, "Berdzor")
    assert got["place"] == ["lachin"]
    assert got["corridor"] == ["lachin-road"]  # "Berdzor corridor" is its Armenian name
    assert got["event"] == ["road-closed"]  # its summary says "Lachin road": another name of the place searched
    assert got["claim"] == ["armenia-berdzor"]
    assert got["passage"] == ["mini#2"]


def test_lachin_finds_what_is_written_berdzor(index):
    got = found(index, "lachin")
    assert got["claim"] == ["armenia-berdzor"] and got["place"] == ["lachin"] and got["corridor"] == ["lachin-road"]


def test_the_expansion_is_reported_with_the_names_searched(index):
    res = search.search(index, "Berdzor")
    assert [(e.title, set(e.names)) for e in res.expansions] == [
        ("Lachin (Berdzor)", {"Lachin", "Laçın", "Лачин"})]
    assert res.alternatives[0] == ("berdzor",)


def test_a_word_that_is_no_name_is_not_expanded(index):
    res = search.search(index, "road")
    assert res.expansions == [] and res.alternatives == [("road",)]


def test_term_aliases_are_names_too(index):
    assert found(index, "Collective Security Treaty Organization")["passage"] == ["mini#3"]  # the passage says CSTO
    assert found(index, "csto")["term"] == ["csto"]


def test_diacritics_in_the_text_are_found_without_them(index):
    got = found(index, "susa checkpoint")
    assert got["passage"] == ["mini#3"] and got["event"] == ["checkpoint"]
    assert found(index, "north-south")["passage"] == ["mini#4"]  # the text has an en dash


def test_every_word_must_occur_and_quotes_keep_a_phrase(index):
    assert found(index, "lachin december")["passage"] == ["mini#2"]
    assert found(index, "december lachin")["passage"] == ["mini#2"]
    assert found(index, '"closed the lachin"')["passage"] == ["mini#2"]
    assert found(index, '"lachin closed"')["passage"] == []
    assert search.search(index, "zzz qqq").total == 0
    assert search.search(index, '""').total == 0 and search.search(index, "   ").total == 0


def test_results_are_grouped_by_kind_with_counts(index):
    res = search.search(index, "road")
    assert list(res.found) == list(search.kinds())
    counts = {k: res.count(k) for k in search.kinds()}
    assert counts == {"place": 0, "corridor": 1, "area": 1, "term": 0, "event": 2, "claim": 1, "passage": 2}  # ¶1 is the heading
    assert res.total == 7
    assert [f"{search.heading(k)} ({n})" for k, n in counts.items() if n] == [
        "Corridors (1)", "Areas (1)", "Events (2)", "Claims (1)", "Passages (2)"]


@shipped
def test_a_name_match_ranks_before_a_mention():
    # on the shipped data Goris and Shusha (whose summaries mention the Lachin road) load before Lachin itself
    shipped = load_or_raise()
    got = search.search(search.build_index(shipped), "Lachin").found["place"]
    assert got[0] == "lachin" and {"goris", "shusha"} <= set(got[1:])
    assert [r.id for r in shipped.of_kind("place")].index("goris") < [r.id for r in shipped.of_kind("place")].index("lachin")


def test_index_holds_every_record_and_passage(ds, index):
    assert index.size == len(ds.records) + sum(len(t.passages) for t in ds.texts.values())


# --- one result -------------------------------------------------------------------------------------------------

def test_hits_link_each_kind_to_its_view_and_mark_the_match(ds, index):
    res = search.search(index, "Berdzor")
    hits = {k: search.hit(ds, res, k, keys[0]) for k, keys in res.found.items() if keys}
    assert hits["place"].href == "/map?focus=lachin"
    assert hits["corridor"].href == "/map?focus=lachin-road"
    assert hits["event"].href == "/events?focus=road-closed"
    assert hits["claim"].href == "/perspectives?focus=armenia-berdzor"
    assert hits["passage"].href == "/sources?source=mini&passage=2"
    assert search.hit(ds, search.search(index, "csto"), "term", "csto").href == "/about?focus=csto"
    assert search.hit(ds, search.search(index, "karabakh"), "area", "karabakh").href == "/map?focus=karabakh"
    for h in hits.values():
        for text, marks in ((h.title, h.title_marks), (h.snippet, h.snippet_marks)):
            for s, e in marks:
                assert search.fold(text[s:e]) in {"berdzor", "lachin", "lacin", "лачин", "lachin (berdzor)"}
    claim = hits["claim"]
    assert [claim.snippet[s:e] for s, e in claim.snippet_marks] == ["Berdzor"]
    assert hits["event"].found_as == "Lachin" and hits["claim"].found_as is None
    assert hits["passage"].title == "Mini ¶2"


def test_a_long_field_is_cut_around_its_first_match():
    text = "word " * 100 + "Xankəndi " + "word " * 100
    shown, marks = search._window(text, search.spans(text, ("xankendi",)))
    assert len(shown) <= search.SNIPPET + 2 and shown.startswith("…") and shown.endswith("…")
    assert [shown[s:e] for s, e in marks] == ["Xankəndi"]


# --- the URL and the HTML -------------------------------------------------------------------------------------------

def test_parse_params(ds):
    state, notices = SearchState.parse({"q": "Berdzor", "kind": "place"}, ds)
    assert (state.q, state.kind) == ("Berdzor", "place") and not notices
    long, notices = SearchState.parse({"q": "x" * 500}, ds)
    assert len(long.q) == 200 and notices
    bad, notices = SearchState.parse({"kind": "<b>nope</b>"}, ds)
    assert bad.kind is None and "Unknown kind" in notices[0]
    assert SearchState.parse({}, ds) == (SearchState(), [])
    assert search.search_href("Xankəndi", "place") == "/search?q=Xank%C9%99ndi&kind=place"


def test_examples_come_from_the_data(ds, index):
    examples = search.examples(ds)
    assert examples[:2] == ["Xankəndi", "Berdzor"] and "CSTO" in examples
    assert all(search.search(index, x).total for x in examples)


def test_result_html_escapes_data_and_marks_matches(ds, index):
    res = search.search(index, "led")
    h = search.hit(ds, res, "term", "csto")
    html = search_ui.hit_item(h)
    assert "&lt;b&gt;<mark>led</mark>&lt;/b&gt;" in html and "<b>" not in html
    assert 'href="/about?focus=csto"' in html
    summary = search_ui.summary(search.search(index, '<img src=x onerror="alert(1)">'), None)
    assert "<img" not in summary and "&lt;img" in summary
    assert search_ui.highlight("a<b", [(0, 1)]) == "<mark>a</mark>&lt;b"
