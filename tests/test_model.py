"""Dates with precision and record rules."""
import datetime as dt

import pytest
from pydantic import ValidationError

from atlas.core.model import Event, FuzzyDate


@pytest.mark.parametrize("text,precision,start,end", [
    ("2022-09-13", "day", dt.date(2022, 9, 13), dt.date(2022, 9, 13)),
    ("2022-09", "month", dt.date(2022, 9, 1), dt.date(2022, 9, 30)),
    ("2024-02", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2023-Q1", "quarter", dt.date(2023, 1, 1), dt.date(2023, 3, 31)),
    ("2023-Q4", "quarter", dt.date(2023, 10, 1), dt.date(2023, 12, 31)),
    ("2021", "year", dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
])
def test_fuzzy_date_intervals(text, precision, start, end):
    d = FuzzyDate.parse(text)
    assert (d.precision, d.start, d.end, str(d)) == (precision, start, end, text)


def test_fuzzy_date_accepts_yaml_native_values():
    assert FuzzyDate.parse(dt.date(2022, 12, 12)).precision == "day"
    assert FuzzyDate.parse(2022).precision == "year"


@pytest.mark.parametrize("bad", ["2022-02-30", "2022-13", "2022-Q5", "Sept 2022", "22-09-01", "", None, 1.5, "1066"])
def test_fuzzy_date_rejects_impossible_or_malformed(bad):
    with pytest.raises(ValueError):
        FuzzyDate.parse(bad)


def test_labels_say_the_precision():
    assert FuzzyDate.parse("2022-09-13").label() == "13 Sep 2022"
    assert "month" in FuzzyDate.parse("2022-09").label()
    assert FuzzyDate.parse("2023-Q1").label().startswith("Q1 2023")


BASE = {"id": "e", "title": "T", "summary": "S", "date": "2022-01", "date_basis": "stated", "actors": ["A"],
        "citations": [{"source": "s", "quote": "q"}]}


def test_external_date_needs_a_reference():
    with pytest.raises(ValidationError, match="date_reference"):
        Event.model_validate({**BASE, "date_basis": "external"})
    ok = Event.model_validate({**BASE, "date_basis": "external",
                               "date_reference": {"url": "https://example.org/x", "title": "Ref"}})
    assert ok.date.precision == "month"


def test_date_end_not_before_date():
    with pytest.raises(ValidationError, match="before"):
        Event.model_validate({**BASE, "date_end": "2021-12-31"})


def test_every_record_needs_a_citation_and_no_unknown_fields():
    with pytest.raises(ValidationError):
        Event.model_validate({**BASE, "citations": []})
    with pytest.raises(ValidationError):
        Event.model_validate({**BASE, "colour": "red"})
