"""AppTest over every page: renders, honours deep links, turns garbage into notices, shows the error page."""
from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from atlas.core import paths
from tests.conftest import REPO, shipped

PAGES = {"home": None, "map": "pages/map.py", "alignments": "pages/alignments.py", "events": "pages/events.py",
         "perspectives": "pages/perspectives.py", "brief": "pages/brief.py",
         "sources": "pages/sources.py", "about": "pages/about.py", "search": "pages/search.py"}
GARBAGE = ["", " ", "nope", "-1", "0", "99999999999999999999", "1e3", "<script>alert(1)</script>", "[x](javascript:1)",
           "ß∂ƒ©˙∆", "x" * 5000, "../../etc/passwd", "%00"]


def run_page(page: str, params: dict | None = None, data_dir=None, monkeypatch=None) -> AppTest:
    if monkeypatch is not None:
        monkeypatch.setenv(paths.DATA_DIR_ENV, str(data_dir or paths.DEFAULT_DATA_DIR))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    if PAGES[page]:
        at.switch_page(PAGES[page])
    return at.run()


def html_of(at: AppTest) -> str:
    """The HTML the page drew from data (the shared stylesheet left out)."""
    return "\n".join(h.proto.body for h in at.get("html") if not h.proto.body.startswith("<style>"))


def notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


@shipped
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_renders_on_shipped_data(page, monkeypatch):
    at = run_page(page, monkeypatch=monkeypatch)
    assert not at.exception
    assert not notices(at)
    assert at.title or "<h1" in html_of(at)  # the brief and the compact pages draw their own headline


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_renders_on_a_users_own_corpus(page, corpus, monkeypatch):
    at = run_page(page, data_dir=corpus, monkeypatch=monkeypatch)
    assert not at.exception


def test_sources_deep_link_opens_source_and_highlights_passage(corpus, monkeypatch):
    at = run_page("sources", {"source": "mini", "passage": "2"}, corpus, monkeypatch)
    assert not at.exception and not notices(at)
    assert at.selectbox[0].value == "mini"
    html = html_of(at)
    assert 'class="atlas-passage atlas-text atlas-focused" id="p2"' in html
    assert html.count("atlas-focused") == 1
    assert '<mark class="atlas-cited">The road near Alpha was closed</mark>' in html
    assert "Cited by:" in html and "/about?focus=road" in html
    assert any("¶2" in i.value for i in at.info)
    assert dict(at.query_params) == {"source": "mini", "passage": "2"}


def test_sources_shows_metadata_and_perspective(corpus, monkeypatch):
    html = html_of(run_page("sources", {"source": "mini"}, corpus, monkeypatch))
    assert "Who is speaking:" in html and "A test source." in html and "Test Press" in html


@shipped
def test_switching_source_updates_the_url_and_drops_the_passage(monkeypatch):
    at = run_page("sources", {"source": "scfr-kaleji-interview", "passage": "9"}, monkeypatch=monkeypatch)
    at.selectbox[0].set_value("avim-security-balance-2023").run()
    assert not at.exception
    assert at.query_params["source"] == ["avim-security-balance-2023"] or at.query_params["source"] == "avim-security-balance-2023"
    assert "passage" not in at.query_params
    assert "atlas-focused" not in html_of(at)


@pytest.mark.parametrize("value", GARBAGE)
def test_sources_garbage_source_gives_notice_and_default(value, corpus, monkeypatch):
    at = run_page("sources", {"source": value}, corpus, monkeypatch)
    assert not at.exception
    assert at.selectbox[0].value == "mini"
    assert len(notices(at)) == 1 and "No source with id" in notices(at)[0]


@pytest.mark.parametrize("value", GARBAGE + ["5", "6"])
def test_sources_garbage_passage_gives_notice_and_whole_source(value, corpus, monkeypatch):
    at = run_page("sources", {"source": "mini", "passage": value}, corpus, monkeypatch)
    assert not at.exception
    assert len(notices(at)) == 1
    assert "atlas-focused" not in html_of(at)
    assert "passage" not in at.query_params


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("value", ["nope", "<b>x</b>", "x" * 3000])
def test_unknown_focus_is_a_notice_on_every_page(page, value, corpus, monkeypatch):
    at = run_page(page, {"focus": value}, corpus, monkeypatch)
    assert not at.exception
    assert any("No record with id" in n for n in notices(at))
    assert all(len(n) < 800 for n in notices(at))


@pytest.mark.parametrize("page", ["home", "sources", "map"])
def test_focus_on_a_page_that_cannot_show_it_says_so_politely(page, corpus, monkeypatch):
    at = run_page(page, {"focus": "road"}, corpus, monkeypatch)
    assert not at.exception
    assert any("is a term; this page does not show terms" in n.replace("\\", "") for n in notices(at))
    assert any("/about?focus=road" in m.value for m in at.markdown)


def test_about_focus_highlights_the_term_with_its_quote(corpus, monkeypatch):
    at = run_page("about", {"focus": "road"}, corpus, monkeypatch)
    assert not at.exception and not notices(at)
    html = html_of(at)
    assert 'class="atlas-term atlas-focused" id="term-road"' in html
    assert '<mark class="atlas-quote">and it goes on</mark>' in html
    assert "scrollIntoView" in html


def test_about_offers_both_exports(corpus, monkeypatch):
    at = run_page("about", {}, corpus, monkeypatch)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Citations (CSV)" in labels and "W3C Web Annotations (JSON-LD)" in labels


def test_home_leads_somewhere(corpus, monkeypatch):
    at = run_page("home", {}, corpus, monkeypatch)
    html = html_of(at)
    assert "1 sources · 1 events · 2 places" in html  # the headline figures, of this corpus
    assert len(at.get("image")) == 1  # a picture of the map
    assert [b.proto.label for b in at.get("link_button")] == ["Start the brief"]
    questions = html[html.index("atlas-questions"):]
    assert questions.count("<li>") >= 2 and "/map?focus=alpha-road" in questions  # what this corpus can answer


@shipped
def test_home_questions_on_the_shipped_data_lead_to_three_views(monkeypatch):
    questions = html_of(run_page("home", monkeypatch=monkeypatch)).split("atlas-questions")[1].split("</ol>")[0]
    assert questions.count("<li>") == 3
    assert "/map?focus=zangezur" in questions and "/alignments?partners=" in questions and "/perspectives?issue=" in questions


@pytest.mark.parametrize("page", sorted(PAGES))
def test_broken_data_shows_one_clear_error_page(page, corpus, monkeypatch):
    (corpus / "events.yaml").write_text("- id: [broken\n")
    (corpus / "terms.yaml").write_text("")  # an empty record file (a missing one is no records: allowed)
    at = run_page(page, {}, corpus, monkeypatch)
    assert not at.exception
    assert at.title[0].value == "The evidence base could not be loaded"
    html = html_of(at)
    assert "events.yaml" in html and "terms.yaml" in html and "Fix:" in html
    assert not at.metric and not at.selectbox  # nothing half-loaded


def test_missing_data_dir_shows_error_page(tmp_path, monkeypatch):
    at = run_page("home", {}, tmp_path / "absent", monkeypatch)
    assert not at.exception and "does not exist" in html_of(at)


@shipped
def test_map_deep_link_restores_focus_date_layers_and_names(monkeypatch):
    params = {"focus": "lachin-road", "date": "2022-12", "layers": "corridors,places", "names": "armenian"}
    at = run_page("map", params, monkeypatch=monkeypatch)
    assert not at.exception and not notices(at)
    assert 'class="atlas-panel-title"' in html_of(at) and "Lachin corridor" in html_of(at)  # the panel is open
    assert at.select_slider(key="url:date").value == "2022-12"
    assert at.radio(key="url:names").value == "armenian"
    assert dict(at.query_params) == params
    html = html_of(at)
    assert "blocked" in html and '<mark class="atlas-quote">' in html  # status as of the date, and the quote
    assert "The Moscow Times" in html  # the outside reference that dates the status is named
    assert "Key · Dec 2022" in html  # the legend follows the date
    spec = at.get("deck_gl_json_chart")[0].proto.json
    ids = {layer["id"] for layer in json.loads(spec)["layers"]}
    assert "corridors" in ids and "events" not in ids and "Berdzor" in spec
    assert spec.startswith('{"') and "\n" not in spec  # sent compact, not pretty-printed


@shipped
def test_map_text_alternative_is_an_escaped_html_table(monkeypatch):
    at = run_page("map", {}, monkeypatch=monkeypatch)
    table = next(h.proto.body for h in at.get("html") if "atlas-datatable" in h.proto.body and not h.proto.body.startswith("<style>"))
    assert "<th scope='col'>kind</th>" in table and table.count("<tr>") >= 49 + 6 + 3
    assert "role='region'" in table and "tabindex='0'" in table
    assert "<details class='atlas-textalt' id='atlas-map-features'>" in table


@shipped
def test_map_features_are_chosen_without_a_mouse_by_links_that_keep_the_view(monkeypatch):
    """The keyboard's way to a feature: each name in the text alternative links to this view with it selected."""
    params = {"date": "2022-12", "layers": "corridors,places", "names": "armenian"}
    at = run_page("map", params, monkeypatch=monkeypatch)
    html = html_of(at)
    assert "href='#atlas-map-features'" in html  # the panel's hint leads there
    assert "href='/map?focus=yerevan&amp;date=2022-12&amp;layers=corridors%2Cplaces&amp;names=armenian'" in html
    assert "focus=khankendi" not in html.split("id='atlas-map-features'")[0]  # links only in the list
    assert "/map?focus=september-2022-border-fighting" not in html  # events are off in this view: not listed
    at = run_page("map", {**params, "focus": "yerevan"}, monkeypatch=monkeypatch)
    assert '<h2 class="atlas-panel-title">Yerevan</h2>' in html_of(at) and at.query_params["focus"] in ("yerevan", ["yerevan"])
    at.button(key="map-close").click().run()
    assert "focus" not in at.query_params and "atlas-panel-title" not in html_of(at) and not at.exception


@shipped
def test_map_event_panel_says_whose_account_and_how_the_date_is_known(monkeypatch):
    at = run_page("map", {"focus": "russian-mfa-says-west-urges-csto-exit-2023"}, monkeypatch=monkeypatch)
    assert not at.exception
    html = html_of(at)
    assert "one side's account" in html and "not established fact" in html
    assert "dated from an outside reference" in html or "date stated in the cited source" in html


def _map_layers_drawn(at: AppTest) -> set[str]:
    return {layer["id"] for layer in json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"]}


# Each bad value, the notice it gives, and how to read the control it sets, which must show that control's default.
MAP_DEFAULTS = {
    "date": (lambda at: at.select_slider(key="url:date").value, "2023-12"),
    "layers": (lambda at: {"areas", "corridors", "places", "events"} <= _map_layers_drawn(at), True),  # every layer drawn
    "names": (lambda at: at.radio(key="url:names").value, "international"),
    "focus": (lambda at: "atlas-panel-title" in html_of(at) or "href='#atlas-map-features'" not in html_of(at), False),  # no panel: the hint
}


@pytest.mark.parametrize("params,expect", [
    ({"date": "2019-12"}, "is not a month"), ({"date": "2022-13"}, "is not a month"), ({"date": "<b>x</b>"}, "is not a month"),
    ({"layers": "bogus,<script>"}, "Unknown layer"), ({"names": "klingon"}, "Unknown names"), ({"focus": "nope"}, "No record"),
])
@shipped
def test_map_bad_parameters_give_a_notice_and_a_default(params, expect, monkeypatch):
    at = run_page("map", params, monkeypatch=monkeypatch)
    assert not at.exception
    assert any(expect in n.replace("\\", "") for n in notices(at))
    (name,) = params
    read, default = MAP_DEFAULTS[name]
    assert read(at) == default  # the control this parameter sets shows its default, whichever parameter was bad
    assert name not in at.query_params  # and the address no longer carries the bad value
    assert len(at.get("deck_gl_json_chart")) == 1


@shipped
@pytest.mark.parametrize("value", GARBAGE)
def test_map_garbage_date_never_breaks(value, monkeypatch):
    at = run_page("map", {"date": value, "layers": value, "names": value}, monkeypatch=monkeypatch)
    assert not at.exception
    assert at.select_slider(key="url:date").value == "2023-12"


@shipped
def test_map_step_buttons_move_the_date_and_the_url(monkeypatch):
    at = run_page("map", {"date": "2022-09"}, monkeypatch=monkeypatch)
    at.button(key="date-next").click().run()
    assert at.select_slider(key="url:date").value == "2022-10" and at.query_params["date"] in ("2022-10", ["2022-10"])
    at.button(key="date-prev").click().run()
    at.button(key="date-prev").click().run()
    assert at.select_slider(key="url:date").value == "2022-08"
    assert not at.exception


@shipped
def test_map_a_click_on_the_map_updates_the_url(monkeypatch):
    at = run_page("map", {}, monkeypatch=monkeypatch)
    at.session_state["map-deck"] = {"selection": {"objects": {"places": [{"id": "yerevan", "kind": "place"}]}}}
    at.run()
    assert not at.exception
    assert at.query_params["focus"] in ("yerevan", ["yerevan"])
    assert '<h2 class="atlas-panel-title">Yerevan</h2>' in html_of(at)


@shipped
def test_map_play_advances_month_by_month_and_stops_at_the_end(monkeypatch):
    at = run_page("map", {"date": "2023-11"}, monkeypatch=monkeypatch)
    at.toggle(key="map-play").set_value(True).run()
    assert not at.exception
    assert at.select_slider(key="url:date").value == "2023-12"
    assert at.toggle(key="map-play").value is False  # stopped at the last month


@shipped
def test_alignments_deep_link_restores_the_view(monkeypatch):
    params = {"partners": "CSTO,Russia", "weights": "equal", "from": "2021-01", "to": "2023-06", "halflife": "12",
              "reported": "0", "focus": "csto-exercises-paused-2023"}
    at = run_page("alignments", params, monkeypatch=monkeypatch)
    assert not at.exception and not notices(at)
    assert at.multiselect(key="url:partners").value == ["CSTO", "Russia"]
    assert at.radio(key="url:weights").value == "equal"
    assert at.select_slider(key="range:2021-01:2023-06").value == ("2021-01", "2023-06")
    assert at.selectbox(key="url:halflife").value == "12"
    assert at.toggle(key="url:reported").value is False
    assert dict(at.query_params) == params
    html = html_of(at)
    assert "Coded: CSTO" in html and '<mark class="atlas-quote">' in html
    assert "/map?focus=csto-exercises-paused-2023" in html and "/sources?source=" in html
    chart = at.get("plotly_chart")[0].proto.spec
    assert "half-life 12 months" in chart and "equal weights" in chart


@shipped
def test_alignments_options_change_the_url_and_keep_the_period(monkeypatch):
    at = run_page("alignments", {"from": "2021-03", "to": "2022-10"}, monkeypatch=monkeypatch)
    at.radio(key="url:weights").set_value("equal").run()
    at.toggle(key="url:reported").set_value(False).run()
    assert not at.exception
    assert at.query_params["weights"] in ("equal", ["equal"]) and at.query_params["reported"] in ("0", ["0"])
    assert at.query_params["from"] in ("2021-03", ["2021-03"]) and at.query_params["to"] in ("2022-10", ["2022-10"])
    at.select_slider(key="range:2021-03:2022-10").set_range("2021-06", "2022-10").run()
    assert at.query_params["from"] in ("2021-06", ["2021-06"])
    at.radio(key="url:weights").set_value("goldstein").run()  # another rerun keeps the new period
    assert at.query_params["from"] in ("2021-06", ["2021-06"]) and not at.exception


@shipped
def test_alignments_heatmap_view_and_methodology(monkeypatch):
    at = run_page("alignments", {"view": "heatmap"}, monkeypatch=monkeypatch)
    assert not at.exception
    assert "Net alignment signal by partner and quarter" in at.get("plotly_chart")[0].proto.spec
    assert any("Formula" in m.value for m in at.markdown)
    assert any("running sum" in m.value for m in at.markdown)


@pytest.mark.parametrize("params", [
    {"partners": "zzz"}, {"weights": "<b>"}, {"from": "1990-01"}, {"to": "x"}, {"from": "2023-01", "to": "2021-01"},
    {"halflife": "-3"}, {"reported": "yes"}, {"sources": "nope"}, {"view": "pie"}, {"focus": "yerevan"}, {"focus": "nope"},
])
@shipped
def test_alignments_bad_parameters_give_a_notice(params, monkeypatch):
    at = run_page("alignments", params, monkeypatch=monkeypatch)
    assert not at.exception and notices(at)
    assert at.get("plotly_chart")


@shipped
def test_alignments_empty_state(monkeypatch):
    at = run_page("alignments", {"partners": "ICC", "reported": "0", "sources": "news-summary-2023-11-09"}, monkeypatch=monkeypatch)
    assert not at.exception
    assert any("No coded events match" in i.value for i in at.info)


@shipped
def test_events_search_filters_and_focus(monkeypatch):
    at = run_page("events", {"q": "csto", "partner": "CSTO", "focus": "csto-exercises-paused-2023"}, monkeypatch=monkeypatch)
    assert not at.exception and not notices(at)
    table = at.dataframe[0].value
    assert 1 <= len(table) < 46 and all("CSTO" in p for p in table["partners"])
    assert '<h2 class="atlas-panel-title">Armenia pauses CSTO exercises on its soil</h2>' in html_of(at)  # in the dialog
    assert '<mark class="atlas-quote">' in html_of(at)


@shipped
def test_events_search_reaches_into_quotes(monkeypatch):
    # "Odnok" appears only in a source quote, not in any title
    at = run_page("events", {"q": "odnok"}, monkeypatch=monkeypatch)
    assert not at.exception and len(at.dataframe[0].value) >= 1


@shipped
def test_events_empty_state_and_download(monkeypatch):
    at = run_page("events", {"q": "no such words anywhere"}, monkeypatch=monkeypatch)
    assert any("No event matches" in i.value for i in at.info)
    at = run_page("events", {}, monkeypatch=monkeypatch)
    assert [b.proto.label for b in at.get("download_button")] == ["Download these events with their citations (CSV)"]


@shipped
@pytest.mark.parametrize("params", [{"partner": "Zed"}, {"from": "2031-01"}, {"q": "x" * 1000}, {"focus": "tbilisi"}])
def test_events_bad_parameters_give_a_notice(params, monkeypatch):
    at = run_page("events", params, monkeypatch=monkeypatch)
    assert not at.exception and notices(at)


@shipped
def test_perspectives_focus_opens_the_claims_cell_with_its_quote(monkeypatch):
    at = run_page("perspectives", {"focus": "iran-zangezur-conditions"}, monkeypatch=monkeypatch)
    assert not at.exception and not notices(at)
    assert at.selectbox(key="url:issue").value == "zangezur-route" and at.selectbox(key="url:actor").value == "Iran"
    html = html_of(at)
    assert "atlas-claimrow atlas-focused" in html and "<details class='atlas-more' open>" in html and '<mark class="atlas-quote">' in html
    assert "class='atlas-sel'" in html  # the matrix cell is marked


@shipped
def test_perspectives_issue_shows_each_sources_telling(monkeypatch):
    at = run_page("perspectives", {"issue": "csto-membership"}, monkeypatch=monkeypatch)
    assert not at.exception
    html = html_of(at)
    assert html.count("atlas-perspective-box") == 4 and "atlas-quoteline" in html
    assert "How each source tells it" in [h.value for h in at.header]
    assert "Contested names" in [h.value for h in at.header] and "Khankendi" in html


@shipped
@pytest.mark.parametrize("params", [{"issue": "nope"}, {"actor": "<script>"}, {"focus": "yerevan"}, {"focus": "x" * 999}])
def test_perspectives_bad_parameters_give_a_notice(params, monkeypatch):
    at = run_page("perspectives", params, monkeypatch=monkeypatch)
    assert not at.exception and notices(at)


@shipped
def test_brief_step_link_shows_that_step_with_its_citation(monkeypatch):
    at = run_page("brief", {"step": "8"}, monkeypatch=monkeypatch)
    assert not at.exception and not notices(at)
    html = html_of(at)
    assert "Step 8 of 10" in html and "atlas-brief-cite" in html and "Lachin road" in html
    assert '<mark class="atlas-quote">' in html  # the full citations under the view
    styles = "\n".join(h.proto.body for h in at.get("html") if h.proto.body.startswith("<style>"))
    assert "stSidebar" in styles and "display: none" in styles  # presenter mode hides the chrome


@shipped
def test_brief_buttons_step_and_stop_at_the_ends(monkeypatch):
    at = run_page("brief", {}, monkeypatch=monkeypatch)
    assert at.button(key="brief-prev").disabled
    at.button(key="brief-next").click().run()
    assert at.query_params["step"] in ("2", ["2"]) and "Step 2 of 10" in html_of(at)
    at = run_page("brief", {"step": "10"}, monkeypatch=monkeypatch)
    assert at.button(key="brief-next").disabled and not at.exception


@shipped
@pytest.mark.parametrize("value", ["0", "11", "-1", "x", "", "9" * 30])
def test_brief_bad_step_gives_a_notice_and_step_one(value, monkeypatch):
    at = run_page("brief", {"step": value}, monkeypatch=monkeypatch)
    assert not at.exception and notices(at)
    assert "Step 1 of 10" in html_of(at) and at.query_params["step"] in ("1", ["1"])


def test_brief_without_a_brief_file_says_so(corpus, monkeypatch):
    at = run_page("brief", {}, corpus, monkeypatch)
    assert not at.exception and any("no brief" in i.value for i in at.info)


@shipped
def test_alignments_focus_on_an_event_off_the_chart_still_shows_its_evidence(monkeypatch):
    at = run_page("alignments", {"focus": "russia-invades-ukraine-2022"}, monkeypatch=monkeypatch)
    assert not at.exception and not notices(at)
    assert any("not on the chart" in i.value for i in at.info)
    assert at.selectbox(key="url:focus").value == "russia-invades-ukraine-2022"
    assert '<mark class="atlas-quote">' in html_of(at)


@shipped
def test_alignments_event_list_is_the_keyboard_route_to_a_point(monkeypatch):
    at = run_page("alignments", {"partners": "CSTO"}, monkeypatch=monkeypatch)
    options = at.selectbox(key="url:focus").options
    assert len(options) >= 4
    at.selectbox(key="url:focus").select_index(1).run()
    assert not at.exception and at.query_params.get("focus") and '<mark class="atlas-quote">' in html_of(at)


LACHIN_HEADINGS: dict[str, list[str]] = {}


@shipped
@pytest.mark.parametrize("query", ["Lachin", "Berdzor", "berdzor", "LAÇIN"])
def test_search_finds_lachin_under_every_name_grouped_with_counts(query, monkeypatch):
    at = run_page("search", {"q": query}, monkeypatch=monkeypatch)
    assert not at.exception and not notices(at)
    assert at.text_input(key="url:q").value == query
    headings = [h.value for h in at.header]
    assert "Places (3)" in headings and "Corridors (1)" in headings and re.search(r"Events \([4-9]\)", " ".join(headings))
    assert headings == LACHIN_HEADINGS.setdefault("headings", headings)  # every name of it finds the same
    assert all(re.fullmatch(r"(Events|Places|Corridors|Areas|Claims|Terms|Passages) \(\d+\)", h) for h in headings)
    html = html_of(at)
    assert 'href="/map?focus=lachin-road"' in html and 'href="/map?focus=lachin"' in html
    assert 'href="/sources?source=avim-security-balance-2023&amp;passage=8"' in html
    assert "<mark>Lachin</mark>" in html and "<mark>Berdzor</mark>" in html
    assert dict(at.query_params) == {"q": query}


@shipped
def test_search_names_stepanakert_under_each_sides_spelling(monkeypatch):
    for query in ("Xankəndi", "Khankendi", "stepanakert"):
        at = run_page("search", {"q": query}, monkeypatch=monkeypatch)
        assert not at.exception
        assert 'href="/map?focus=khankendi"' in html_of(at), query


@shipped
def test_search_one_kind_is_paged_and_the_overview_is_capped(monkeypatch):
    at = run_page("search", {"q": "the"}, monkeypatch=monkeypatch)
    html = html_of(at)
    assert "Showing 5 of" in html and "kind=passage" in html
    at = run_page("search", {"q": "e", "kind": "passage", "page": "2"}, monkeypatch=monkeypatch)
    assert not at.exception and not notices(at)
    assert [h.value for h in at.header][0].startswith("Passages (")
    assert any(c.value.startswith("Showing 51–") for c in at.caption)
    assert html_of(at).count('<li class="atlas-hit">') <= 50


@shipped
def test_search_empty_and_no_results_states(monkeypatch):
    at = run_page("search", {}, monkeypatch=monkeypatch)
    assert not at.exception and not at.header
    assert 'href="/search?q=Berdzor"' in html_of(at)
    at = run_page("search", {"q": "zzqxv"}, monkeypatch=monkeypatch)
    assert not at.exception and any("Nothing in the records" in i.value for i in at.info)
    assert "/search?q=" in html_of(at)


@pytest.mark.parametrize("params,expect", [
    ({"q": "Lachin", "kind": "nope"}, "Unknown kind"), ({"q": "Lachin " * 150}, "cut to 200"),
    ({"q": "e", "kind": "passage", "page": "99"}, "have pages 1–"), ({"q": "e", "kind": "passage", "page": "x"}, "not a number"),
    ({"q": "Lachin", "focus": "nope"}, "No record with id"),
])
@shipped
def test_search_bad_parameters_give_a_notice(params, expect, monkeypatch):
    at = run_page("search", params, monkeypatch=monkeypatch)
    assert not at.exception
    assert any(expect in n.replace("\\", "") for n in notices(at)), notices(at)
    assert at.header  # and the results are still shown


@shipped
@pytest.mark.parametrize("value", GARBAGE)
def test_search_garbage_query_never_breaks_and_stays_text(value, monkeypatch):
    at = run_page("search", {"q": value}, monkeypatch=monkeypatch)
    assert not at.exception
    assert "<script>" not in html_of(at)


@shipped
@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_has_the_sidebar_search_box(page, monkeypatch):
    at = run_page(page, monkeypatch=monkeypatch)
    box = at.sidebar.text_input(key="atlas-search-q")
    assert box.label == "Search the Atlas" and box.value == ""
    assert any(b.label == "Search" for b in at.sidebar.button)
