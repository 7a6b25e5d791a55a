"""A record's own URL and JSON, a passage's own URL with the quoted words highlighted."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from atlas.core.kinds import KINDS
from atlas.core.load import load_or_raise
from atlas.views import links, record, render, viewstate
from tests.conftest import REPO, shipped

pytestmark = shipped  # reads the shipped corpus: its record ids, quotes and texts


@pytest.fixture(scope="module")
def ds():
    return load_or_raise()


def test_every_records_json_round_trips_against_the_dataset(ds):
    for rid, rec in ds.records.items():
        data = json.loads(record.record_json(ds, rid))
        assert (data["id"], data["kind"], data["title"]) == (rid, rec.kind, rec.title)
        # the fields, read back through the record's model, are the record
        assert KINDS[rec.kind].model.model_validate(data["fields"]) == rec
        cits = ds.citations_of(rid)
        assert len(data["citations"]) == len(cits)
        for got, want in zip(data["citations"], cits, strict=True):
            text = ds.texts[want.source_id]
            assert got["source"] == want.source_id and got["quote"] == want.quote
            assert text.text[got["start"]:got["end"]] == got["quote"]  # offsets into the stored text
            quote_sel, pos_sel = got["selector"]
            assert quote_sel["type"] == "TextQuoteSelector" and quote_sel["exact"] == want.quote
            assert text.text[:got["start"]].endswith(quote_sel["prefix"]) and text.text[got["end"]:].startswith(quote_sel["suffix"])
            assert pos_sel == {"type": "TextPositionSelector", "start": want.start, "end": want.end}
            assert got["passage"] == want.passage and got["passage_start"] <= got["start"] < got["end"] <= got["passage_end"]
            q = parse_qs(urlsplit(got["url"]).query)
            assert q == {"source": [want.source_id], "passage": [str(want.passage)], "quote": [want.quote]}
        assert {s["id"] for s in data["sources"]} == {c.source_id for c in cits}
        for s in data["sources"]:
            assert s["perspective"] == ds.sources[s["id"]].perspective and s["sha256"] == ds.sources[s["id"]].sha256


def test_the_record_csv_has_one_row_per_citation(ds):
    rows = list(csv.DictReader(io.StringIO(record.record_csv(ds, "lachin-road"))))
    assert list(rows[0]) == record.CSV_COLUMNS
    assert len(rows) == len(ds.citations_of("lachin-road"))
    for row, cit in zip(rows, ds.citations_of("lachin-road"), strict=True):
        assert (int(row["start"]), int(row["end"]), int(row["passage"])) == (cit.start, cit.end, cit.passage)


def test_a_record_links_to_every_page_that_can_show_it(ds):
    event = next(e for e in ds.of_kind("event") if e.alignment)
    hrefs = [h for _, h in record.views(ds, event)]
    assert any(h.startswith(f"/map?focus={event.id}") for h in hrefs)
    assert f"/events?focus={event.id}" in hrefs and f"/alignments?focus={event.id}" in hrefs
    quoted = {links.quote_href(c.source_id, c.passage, c.quote) for c in ds.citations_of(event.id)}
    assert {h for h in hrefs if h.startswith("/sources?")} == quoted and len(hrefs) == len(set(hrefs))
    claim = ds.of_kind("claim")[0]
    assert any(h.startswith("/perspectives?issue=") for _, h in record.views(ds, claim))
    term = ds.of_kind("term")[0]
    assert ("In the glossary", f"/about?focus={term.id}") in record.views(ds, term)


def test_export_record_prints_json_and_an_unknown_id_fails_readably():
    ok = subprocess.run([sys.executable, "-m", "atlas", "export", "record", "--id", "lachin-road"], cwd=REPO,
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["id"] == "lachin-road"
    bad = subprocess.run([sys.executable, "-m", "atlas", "export", "record", "--id", "no-such-record"], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "No record with id 'no-such-record'" in bad.stderr and "Traceback" not in bad.stderr
    none = subprocess.run([sys.executable, "-m", "atlas", "export", "record"], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert none.returncode == 1 and "--id" in none.stderr and "Traceback" not in none.stderr


def test_parse_record_gives_notices_for_missing_and_unknown_ids(ds):
    assert viewstate.RecordState.parse({"id": "lachin-road"}, ds) == (viewstate.RecordState("lachin-road"), [])
    for params in ({}, {"id": ""}, {"id": "<b>nope</b>"}):
        state, notices = viewstate.RecordState.parse(params, ds)
        assert state.id is None and len(notices) == 1


# --- a passage's own URL ------------------------------------------------------------------------------------------------

_sources = viewstate.SourcesState.parse


def test_a_quote_in_the_url_is_found_exactly_in_its_passage(ds):
    cit = ds.citations[0]
    state, notices = _sources({"source": cit.source_id, "passage": str(cit.passage), "quote": cit.quote}, ds)
    assert notices == [] and state.quote == cit.quote and state.passage == cit.passage
    assert (cit.start, cit.end) in viewstate.quote_spans(ds, cit.source_id, cit.passage, cit.quote)


@pytest.mark.parametrize("change", [str.upper, lambda q: q.replace(" ", "  ", 1), lambda q: q + " not in the text"])
def test_a_quote_that_does_not_match_exactly_gives_a_notice_and_still_shows_the_passage(ds, change):
    cit = next(c for c in ds.citations if c.quote.upper() != c.quote)
    state, notices = _sources({"source": cit.source_id, "passage": str(cit.passage), "quote": change(cit.quote)}, ds)
    assert state.quote is None and state.passage == cit.passage
    assert len(notices) == 1 and "match exactly" in notices[0]


def test_a_quote_without_a_passage_opens_the_passage_that_holds_it(ds):
    cit = ds.citations[3]
    state, notices = _sources({"source": cit.source_id, "quote": cit.quote}, ds)
    assert state.quote == cit.quote and notices == []
    assert viewstate.quote_spans(ds, cit.source_id, state.passage, cit.quote)


def test_the_linked_words_are_marked_over_the_cited_spans(ds):
    cit = ds.citations[0]
    html = render.source_passage(ds, cit.source_id, cit.passage, focused=True,
                                 linked=viewstate.quote_spans(ds, cit.source_id, cit.passage, cit.quote))
    marks = [m.split(">", 1)[1] for m in html.split(f'<mark class="{render.LINKED_CLASS}"')[1:]]
    assert marks and marks[0].split("</mark>")[0] == render.esc(render.display_text(cit.quote))
    plain = render.source_passage(ds, cit.source_id, cit.passage, focused=True)
    assert render.LINKED_CLASS not in plain


def test_every_citation_link_leads_to_its_highlighted_words(ds):
    rec = ds.records["lachin-road"]
    html = render.panel_html(ds, rec, "2023-01")
    for cit in render.record_citations(ds, rec):
        assert render.esc(links.quote_href(cit.source_id, cit.passage, cit.quote)) in html
    card = render.citation_card(ds, ds.citations[0])
    assert render.esc(links.quote_href(ds.citations[0].source_id, ds.citations[0].passage, ds.citations[0].quote)) in card
