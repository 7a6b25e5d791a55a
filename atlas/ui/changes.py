"""/changes: the records added, changed and removed since a date — "what is new since my last briefing" — and the
data version every page is drawn from."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from atlas.core.load import Dataset
from atlas.curate import changes
from atlas.ui import data, widgets
from atlas.views import cite, links, render

DEFAULT_DAYS = 30
EARLIEST = dt.date(1900, 1, 1)
_HEADINGS = {"added": "Added", "changed": "Changed", "removed": "Removed"}


def data_version(ds: Dataset) -> str:
    """The version of the data this run was drawn from, as every citation, pack and bundle names it (atlas.core.version):
    computed once per dataset."""
    return cite.version_label(data.derived(ds, cite.data_version))


def parse_since(raw: str | None, today: dt.date) -> tuple[dt.date, str | None]:
    """The `since` URL parameter as a date, or the default (30 days back) with a notice when it is not one."""
    default = today - dt.timedelta(days=DEFAULT_DAYS)
    if raw in (None, ""):
        return default, None
    try:
        when = dt.date.fromisoformat(str(raw)[:10])
    except ValueError:
        return default, f"“{render.md(raw, 40)}” is not a date (YYYY-MM-DD): showing the last {DEFAULT_DAYS} days."
    if when > today:
        return today, f"{when.isoformat()} is in the future: showing today's changes."
    return max(when, EARLIEST), None


def _entry(ds: Dataset, c: changes.Change, verb: str) -> tuple[str, str, str, str | None]:
    """(title, kind, id, link or None) for one change: a record or source still in the data links to where it is read."""
    href = None
    if verb != "removed" and c.id in ds.records:
        href = links.record_href(ds.records[c.id], ds)
    elif verb != "removed" and c.id in ds.sources:
        href = links.sources_href(c.id)
    return c.title, c.kind or "record", c.id, href


def page(ds: Dataset) -> None:
    today = dt.datetime.now(dt.UTC).date()
    since, notice = parse_since(st.query_params.get("since"), today)
    if notice:
        widgets.show_notices([notice])
    picked = widgets.url_widget("since", since, lambda key: st.date_input("Changes since", key=key, min_value=EARLIEST,
                                                                                          max_value=today),
                                to_url=lambda d: d.isoformat())
    found = changes.since(ds.data_dir, picked or since)
    st.caption(f"Data version: {render.md(data_version(ds))}. Changes are read from the git history of the data "
               "directory, or from its changelog when it is not in a git repository.")
    if not found:
        st.info(f"No records were added, changed or removed since {picked or since:%d %b %Y}.")
        return
    for verb in ("added", "changed", "removed"):
        items = getattr(found, verb)
        if items:
            st.subheader(f"{_HEADINGS[verb]} ({len(items)})")
            st.html(render.change_list([_entry(ds, c, verb) for c in items]))
