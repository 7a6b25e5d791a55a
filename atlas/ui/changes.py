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


SINCE, VERSIONS = "Since a day", "Between two versions"
NOW = "now"  # the newer side of a comparison: the files as they are


def _full(short: str | None, versions: list[changes.Revision]) -> str | None:
    """The listed version a URL's commit id (or its first characters) names, or None."""
    if not short:
        return None
    found = [v.sha for v in versions if v.sha.startswith(str(short).lower())]
    return found[0] if len(found) == 1 else None


def _between(ds: Dataset, versions: list[changes.Revision]) -> tuple[changes.Changes | None, str]:
    """The two versions chosen (bound to ?from=&to=, short commit ids) and what changed between them."""
    labels = {v.sha: v.label() for v in versions}
    raw_from, raw_to = st.query_params.get("from"), st.query_params.get("to")
    old = _full(raw_from, versions)
    new = _full(raw_to, versions) if raw_to else NOW
    notices = []
    if old is None:
        old = versions[1].sha if len(versions) > 1 else versions[0].sha
        if raw_from:
            notices.append(f"“{str(raw_from)[:40]}” is not one of the versions listed here: comparing from the one before "
                           "the newest.")
    if new is None:
        new = NOW
        notices.append(f"“{str(raw_to)[:40]}” is not one of the versions listed here: comparing with the data as it is now.")
    widgets.show_notices(notices)
    c1, c2 = st.columns(2)
    old = widgets.url_widget("from", old, lambda key: c1.selectbox("From the version", list(labels), key=key,
                                                                   format_func=labels.get), to_url=lambda sha: sha[:12])
    new = widgets.url_widget("to", new, lambda key: c2.selectbox("To the version", [NOW, *labels], key=key,
                                                                 format_func=lambda v: "now: the data as it is" if v == NOW
                                                                 else labels[v]),
                             default=NOW, to_url=lambda sha: sha[:12])
    try:
        found = changes.between_revisions(ds.data_dir, old, None if new == NOW else new)
    except ValueError as e:
        st.warning(render.md(str(e), limit=300))
        return None, ""
    return found, f"between {old[:10]} and {'now' if new == NOW else new[:10]}"


def page(ds: Dataset) -> None:
    today = dt.datetime.now(dt.UTC).date()
    versions = changes.revisions(ds.data_dir)  # the git history of the data directory; none without git
    mode = SINCE
    if versions:  # the mode is in the URL as the presence of ?from= (a pasted link lands on its mode)
        in_url = VERSIONS if st.query_params.get("from") else SINCE
        if st.session_state.get("changes-mode-seen") != in_url:
            st.session_state["changes-mode"] = in_url
        mode = st.segmented_control("Changes", [SINCE, VERSIONS], key="changes-mode", label_visibility="collapsed") or SINCE
        st.session_state["changes-mode-seen"] = mode
    if mode == VERSIONS:
        widgets.write_param("since", None)
        found, what = _between(ds, versions)
        if found is None:
            return
    else:
        widgets.write_param("from", None)
        widgets.write_param("to", None)
        since, notice = parse_since(st.query_params.get("since"), today)
        if notice:
            widgets.show_notices([notice])
        picked = widgets.url_widget("since", since, lambda key: st.date_input("Changes since", key=key,
                                                                              min_value=EARLIEST, max_value=today),
                                    to_url=lambda d: d.isoformat())
        found = changes.since(ds.data_dir, picked or since)
        what = f"since {picked or since:%d %b %Y}"
    st.caption(f"Data version: {render.md(data_version(ds))}. Changes are read from the git history of the data "
               "directory, or from its changelog when it is not in a git repository.")
    if not found:
        st.info(f"No records were added, changed or removed {what}.")
        return
    for verb in ("added", "changed", "removed"):
        items = getattr(found, verb)
        if items:
            st.subheader(f"{_HEADINGS[verb]} ({len(items)})")
            st.html(render.change_list([_entry(ds, c, verb) for c in items]))
