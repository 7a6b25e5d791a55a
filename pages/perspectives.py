"""Perspectives: who holds which stance on which issue, how each source tells an issue, and who uses which name."""
import streamlit as st

from atlas.analysis import perspectives
from atlas.core import geo
from atlas.ui import data, panels, widgets
from atlas.views import render, viewstate

# Long lists (a user's corpus may be a hundred times ours) are cut into pages, each a link of its own.
CLAIMS_PER_PAGE, SOURCES_PER_PAGE, NAMES_PER_PAGE, TITLES_PER_NAME = 20, 10, 25, 6

ds = data.require()
issues, actors = perspectives.issues(ds), perspectives.actors(ds)
v, notices = viewstate.PerspectivesState.parse(st.query_params, ds, issues, actors)
widgets.page_header("Perspectives", "Each side's account next to the others': stances by issue and actor, each source's "
                    "own words on an issue, and the names each side uses.", ds, notices)

if not issues:
    st.info("This corpus has no claims yet, so there are no stances to compare.", icon=":material/info:")
else:
    cells = perspectives.matrix(ds)
    columns = [a for a in actors if sum(1 for c in cells.values() if c.actor == a) >= 1][:10]
    st.html(render.stance_key())
    st.html(render.stance_matrix(ds, issues, columns, cells, (v.issue, v.actor)))
    st.caption(f"Columns: the {len(columns)} actors with most claims; every claim is listed when you pick its issue below.")

    c1, c2 = st.columns(2)
    with c1:
        issue = widgets.url_widget("issue", v.issue, lambda key: st.selectbox(
            "Issue", issues, key=key, format_func=lambda i: perspectives.issue_label(ds, i)), default=issues[0])
    with c2:
        actor = widgets.url_widget("actor", v.actor, lambda key: st.selectbox(
            "Actor", [None, *actors], key=key, placeholder="every actor",
            format_func=lambda a: "every actor" if a is None else a), default=None)
    widgets.write_param("focus", v.focus if v.focus and ds.records[v.focus].issue == issue else None)

    chosen = [c for c in perspectives.claims(ds) if c.issue == issue and (actor is None or c.actor == actor)]
    if actor and chosen:  # a stance cell picked: its claims open over the matrix, on screen; closing clears the actor
        panels.evidence_dialog(ds, [c.id for c in chosen], geo.last_month(ds), params=("actor", "focus"),
                               title=render.md(f"{actor} on {perspectives.issue_label(ds, issue)}", 160))
    st.html(render.heading(f"{perspectives.issue_label(ds, issue)}: {len(chosen)} claim{'s' if len(chosen) != 1 else ''}"
                           + (f" by {actor}" if actor else "")))  # an actor is data: escaped text, never markdown
    ids = [c.id for c in chosen]
    home = ids.index(v.focus) // CLAIMS_PER_PAGE + 1 if v.focus in ids else 1  # a linked claim opens its page
    shown = widgets.url_pager("claims_page", len(chosen), CLAIMS_PER_PAGE, "claims", context=(issue, actor), home=home)
    st.html(render.claim_rows(ds, chosen[shown], v.focus))  # one row each; its passages open in place

    st.header("How each source tells it")
    st.caption("The quotes each source gives on this issue, in its own words, beside its perspective.")
    tellings = perspectives.by_source(ds, issue)
    tellings = dict(sorted(tellings.items(), key=lambda kv: not kv[1]))  # sources with something to say first
    shown = widgets.url_pager("sources_page", len(tellings), SOURCES_PER_PAGE, "sources", context=issue)
    grid = st.columns(2)
    for i, (sid, items) in enumerate(list(tellings.items())[shown]):
        with grid[i % 2]:
            st.html(render.perspective_box(ds, sid))
            if not items:
                st.caption("This source says nothing coded on this issue.")
            for claim, cits in items:
                st.html(render.claim_quotes(ds, claim, cits))

st.header("Contested names")
st.caption("The same place, route or area as each side names it, and which of the sources use which name (found verbatim).")
rows = data.contested_names(ds)
usages = ["international", "armenian", "azerbaijani", "russian"]
shown = widgets.url_pager("names_page", len(rows), NAMES_PER_PAGE, "contested names")
st.html(render.contested_names(ds, rows[shown], usages, TITLES_PER_NAME))
