"""The events explorer's table, filters, search and CSV, on a corpus built here (the shipped one:
tests/shipped/test_explore_shipped.py)."""
import csv
import io

import pytest

from atlas.analysis import explore
from tests.conftest import add_source, load_corpus, minimal_records, write_corpus

SECOND = "Second Source\n\nExercises were paused in Alpha.\n\nThe odnokratny visit came in the spring of 2023.\n"


def event(eid: str, date: str, partners: list[str], tags: list[str], quote: str, source: str = "mini", **extra) -> dict:
    return {"id": eid, "title": eid.replace("-", " ").title(), "summary": f"What {eid} was.", "date": date,
            "date_basis": "stated", "actors": ["Armenia"], "tags": tags,
            "alignment": [{"partner": p, "cameo": "042", "direction": "away", "rationale": "Test."} for p in partners],
            "citations": [{"source": source, "quote": quote}], **extra}


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    records = minimal_records()  # holds road-closed: 2022-12-12, Russia, tag corridor, Azerbaijan
    records["events"] += [
        event("csto-drill-paused", "2023-01-10", ["CSTO"], ["military-exercise"], "Exercises were paused", source="second"),
        event("csto-quarrel", "2022-Q4", ["CSTO", "Russia"], ["corridor"], "Observers in Alpha counted trucks."),
        event("a-visit", "2023", ["US"], [], "The odnokratny visit", source="second", reported_by="Russia"),
    ]
    return load_corpus(add_source(write_corpus(tmp_path_factory.mktemp("explore") / "data", records=records), "second", SECOND))


@pytest.fixture(scope="module")
def table(ds):
    return explore.table(ds)


def ids(frame) -> list[str]:
    return list(frame["id"])


def test_table_has_every_event_in_date_order(table):
    assert ids(table) == ["csto-quarrel", "road-closed", "a-visit", "csto-drill-paused"]  # by the first day each may denote
    assert list(table["precision"]) == ["quarter", "day", "year", "day"]
    assert table.set_index("id").loc["csto-quarrel", "partners"] == "CSTO, Russia"


def test_options_come_from_the_events(ds):
    assert explore.options(ds) == {"partner": ["CSTO", "Russia", "US"], "tag": ["corridor", "military-exercise"],
                                   "source": ["mini", "second"], "actor": ["Armenia", "Azerbaijan"]}


def test_filters_combine(table):
    csto = explore.apply(table, explore.Filters(partner=["CSTO"]))
    assert ids(csto) == ["csto-quarrel", "csto-drill-paused"]
    assert ids(explore.apply(table, explore.Filters(partner=["CSTO"], tag=["military-exercise"]))) == ["csto-drill-paused"]
    assert ids(explore.apply(table, explore.Filters(partner=["CSTO", "US"], source=["second"]))) == ["a-visit", "csto-drill-paused"]
    assert ids(explore.apply(table, explore.Filters(actor=["Azerbaijan"]))) == ["road-closed"]


def test_search_needs_every_word_and_reads_quotes(table):
    assert ids(explore.apply(table, explore.Filters(q="CSTO paused"))) == ["csto-drill-paused"]  # title and quote
    assert explore.apply(table, explore.Filters(q="CSTO zzzz")).empty
    assert ids(explore.apply(table, explore.Filters(q="ODNOKRATNY"))) == ["a-visit"]  # only in its quote, any case


def test_period_keeps_events_whose_interval_overlaps(table):
    window = ids(explore.apply(table, explore.Filters(first="2023-06", last="2023-06")))
    assert window == ["a-visit"]  # known only to the year 2023: it may have happened in June
    assert ids(explore.apply(table, explore.Filters(first="2022-11", last="2022-11"))) == ["csto-quarrel"]  # Q4 2022


def test_months_start_with_the_earliest_event(tmp_path):
    records = minimal_records()
    records["events"].append(event("long-ago", "2018-05", ["US"], [], "Alpha appears again here."))
    assert explore.months(load_corpus(write_corpus(tmp_path / "data", records=records)))[0] == "2018-05"


def test_events_csv_has_one_row_per_citation(ds):
    chosen = ["road-closed", "a-visit"]
    rows = list(csv.DictReader(io.StringIO(explore.events_csv(ds, chosen))))
    assert list(rows[0]) == explore.EVENT_CSV_COLUMNS
    assert len(rows) == 3  # road-closed cites two quotes
    for row in rows:
        text = ds.texts[row["source_id"]].text
        assert text[int(row["start"]):int(row["end"])] == row["quote"]
