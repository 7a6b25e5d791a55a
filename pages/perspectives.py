"""Perspectives: who holds which stance on which issue, how each source tells an issue, and who uses which name."""
import streamlit as st

from atlas.analysis import perspectives
from atlas.core import geo
from atlas.ui import data, panels, widgets
from atlas.views import links, render, viewstate
from atlas.views.render import esc

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
    st.html("<div class='atlas-key'>" + "".join(
        f"<span><span class='atlas-stance' style='{perspectives.badge_style(col)}'>{sym}</span>{esc(name)}</span>"
        for name, (sym, col) in [*perspectives.STANCES.items(), ("mixed", perspectives.MIXED)])
        + "<span>† only as reported by another party</span></div>")
    head = "".join(f"<th scope='col'>{esc(a)}</th>" for a in columns)
    body = []
    for issue in issues:
        tds = []
        for actor in columns:
            cell = cells.get((issue, actor))
            if cell is None:
                tds.append("<td></td>")
                continue
            sym, col = perspectives.STANCES.get(cell.stance, perspectives.MIXED)
            sel = " class='atlas-sel'" if (issue, actor) == (v.issue, v.actor) else ""
            tip = f"{actor}: {cell.stance} on {perspectives.issue_label(ds, issue)} ({len(cell.claims)} claim(s))"
            tds.append(f"<td{sel}><a href='{esc(links.href('perspectives', issue=issue, actor=actor))}' target='_self' "
                       f"title='{esc(tip)}' aria-label='{esc(tip)}'><span class='atlas-stance' style='{perspectives.badge_style(col)}'>"
                       f"{sym}{'†' if cell.relayed else ''}</span></a></td>")
        body.append(f"<tr><th scope='row'>{esc(perspectives.issue_label(ds, issue))}</th>{''.join(tds)}</tr>")
    st.html(f"<div class='atlas-scroll' tabindex='0' role='region' aria-label='Stances by issue and actor'>"
            f"<table class='atlas-matrix'><thead><tr><th scope='col'>Issue</th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>")
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
                               title=f"{render.md(actor, 80)} on {perspectives.issue_label(ds, issue)}")
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
            st.html(f"<div class='atlas-perspective-box'><strong>{render.source_line(ds, sid)}</strong><br>"
                    f"{esc(ds.sources[sid].perspective)}</div>")
            if not items:
                st.caption("This source says nothing coded on this issue.")
            for claim, cits in items:
                st.html(f"<div class='atlas-claimhead'>{esc(claim.actor)} {esc(claim.stance)}</div>"
                        + "".join(render.quote_line(ds, c) for c in cits))

st.header("Contested names")
st.caption("The same place, route or area as each side names it, and which of the sources use which name (found verbatim).")
rows = data.contested_names(ds)
usages = ["international", "armenian", "azerbaijani", "russian"]
shown = widgets.url_pager("names_page", len(rows), NAMES_PER_PAGE, "contested names")
st.html("<div class='atlas-scroll' tabindex='0' role='region' aria-label='Contested names'>"
        "<table class='atlas-matrix'><thead><tr><th scope='col'>Record</th>"
        + "".join(f"<th scope='col'>{esc(u.capitalize())}</th>" for u in usages)
        + "<th scope='col'>Used in the sources</th></tr></thead><tbody>"
        + "".join(
            f"<tr><th scope='row'>{render.record_link(r['record'], ds)}</th>"
            + "".join(f"<td>{esc(r['names'].get(u, ''))}</td>" for u in usages)
            + "<td style='text-align:left'>" + "; ".join(
                f"<b>{esc(name)}</b>: " + esc(perspectives.source_titles(ds, srcs, TITLES_PER_NAME)) for name, srcs in r["found"].items())
            + "</td></tr>" for r in rows[shown])
        + "</tbody></table></div>")
