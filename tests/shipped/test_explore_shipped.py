"""The events explorer on the shipped corpus: its events, tags and quotes (the logic on fixtures: tests/test_explore.py)."""
import csv
import io

import pytest

from atlas.analysis import explore
from atlas.core.load import load_or_raise


@pytest.fixture(scope="module")
def ds():
    return load_or_raise()


@pytest.fixture(scope="module")
def table(ds):
    return explore.table(ds)


def test_table_has_every_event_in_date_order(ds, table):
    assert len(table) == len(ds.of_kind("event"))
    assert list(table["start"]) == sorted(table["start"])


def test_filters_combine(table):
    csto = explore.apply(table, explore.Filters(partner=["CSTO"]))
    assert len(csto) >= 3 and all("CSTO" in p for p in csto["partners"])
    both = explore.apply(table, explore.Filters(partner=["CSTO"], tag=["military-exercise"]))
    assert 0 < len(both) < len(csto)


def test_search_needs_every_word_and_reads_quotes(table):
    assert len(explore.apply(table, explore.Filters(q="CSTO exercises"))) >= 1
    assert explore.apply(table, explore.Filters(q="CSTO zzzz")).empty
    assert len(explore.apply(table, explore.Filters(q="odnok"))) >= 1  # only in a quote


def test_period_keeps_events_whose_interval_overlaps(table):
    window = explore.apply(table, explore.Filters(first="2023-06", last="2023-06"))
    assert "armenia-acknowledges-karabakh-azerbaijani-2023" in set(window["id"])  # a year-precision 2023 event
    assert "csto-exercises-paused-2023" not in set(window["id"])


def test_events_csv_has_one_row_per_citation(ds):
    ids = ["ceasefire-statement-2020", "csto-exercises-paused-2023"]
    rows = list(csv.DictReader(io.StringIO(explore.events_csv(ds, ids))))
    assert list(rows[0]) == explore.EVENT_CSV_COLUMNS
    assert len(rows) == sum(len(ds.citations_of(i)) for i in ids)
    text = ds.texts[rows[0]["source_id"]].text
    assert text[int(rows[0]["start"]):int(rows[0]["end"])] == rows[0]["quote"]
