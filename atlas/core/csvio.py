"""Every CSV the Atlas writes (the citations export, the events explorer's and the alignment table's) goes through
`neutralise`: a text cell starting with = + - @, a tab or a carriage return would be run as a formula by a spreadsheet
that opens the file (CSV injection), so it gets a leading apostrophe, as OWASP's guidance on CSV injection advises. Such
a quote then differs from the source by that first character: strip one leading apostrophe from a cell that starts
with one of those characters after it to get the exact text back."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


# OWASP, CSV injection: cells beginning with these are read as formulas (or, tab and CR, used to smuggle one in)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, made inert by a leading apostrophe; other values unchanged
    (numbers stay numbers: -1.5 in a numeric column is a value, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[dict], columns: list[str]) -> str:
    """Rows as CSV text with every cell neutralised (the header is ours)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: neutralise(v) for k, v in row.items()} for row in rows)
    return buf.getvalue()


def frame_csv(frame: pd.DataFrame) -> str:
    """A table shown on a page, as a CSV download with every text cell neutralised."""
    import pandas as pd  # pandas loads only for a table: `python -m atlas export citations` does without it

    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(neutralise)
    return safe.to_csv(index=False, lineterminator="\n")
