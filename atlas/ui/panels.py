"""The evidence panel: what a record is, its state at a date, who says what about it, and every quote."""
from __future__ import annotations

import streamlit as st

from atlas import evidence, figures, geo, links, render
from atlas.load import Dataset
from atlas.model import Area, Claim, Corridor, Event, Place, Record
from atlas.render import esc
from atlas.ui.widgets import citation_panel

KIND_NAMES = {"corridor": "Corridor", "place": "Place", "area": "Area", "event": "Event", "claim": "Claim", "term": "Term"}


def _month_in_range(month: str) -> str | None:
    return month if month in geo.months() else None


def feature_label(ds: Dataset, record_id: str | None) -> str:
    """Plain text for choosing a record in a list: 'Corridor · Lachin corridor'."""
    if record_id is None:
        return "—"
    rec = ds.records[record_id]
    return f"{KIND_NAMES.get(rec.kind, rec.kind)} · {rec.title}"


def event_label(ds: Dataset, event_id: str | None) -> str:
    """Plain text for choosing an event in a list: '10 Jan 2023: Armenia declines to host CSTO exercises'."""
    if event_id is None:
        return "—"
    event = ds.records[event_id]
    return f"{event.date.label()}: {event.title}"


def _date_line(event: Event) -> str:
    span = f" to {event.date_end.label()}" if event.date_end else ""
    if event.date_basis == "external" and event.date_reference:
        ref = event.date_reference
        return (f"{esc(event.date.label())}{esc(span)} — <em>date from an outside reference, not the sources:</em> "
                f'<a href="{esc(ref.url)}" target="_blank" rel="noopener noreferrer">{esc(ref.title)}</a>')
    return f"{esc(event.date.label())}{esc(span)} — date stated in the cited source"


def _facts(rows: list[tuple[str, str]]) -> str:
    """Rows whose values are already-escaped HTML."""
    return "<table class='atlas-meta'>" + "".join(f"<tr><th scope='row'>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"


def _positions(ds: Dataset, title: str, positions) -> None:
    if not positions:
        return
    st.markdown(f"**{title}**")
    for pos in positions:
        st.html(f"<div class='atlas-position'><strong>{esc(pos.actor)}</strong>: {esc(pos.reason)}</div>")
        for cit in pos.citations:
            resolved = ds.resolved(cit)
            if resolved:
                st.html(render.citation_card(ds, resolved))


def record_panel(ds: Dataset, rec: Record, month: str) -> None:
    when = geo.month_end(month)
    st.header(rec.title)
    rows: list[tuple[str, str]] = [("What", esc(KIND_NAMES.get(rec.kind, rec.kind)))]
    if isinstance(rec, Corridor):
        status = geo.status_at(rec, when)
        rows.append((f"Status, {geo.month_label(month)}", esc(figures.status_label(status))
                     + (f" — {esc(status.note)}" if status else "")))
        if status and status.date_basis == "external" and status.date_reference:
            rows.append(("Status dated by", f'<em>outside reference:</em> <a href="{esc(status.date_reference.url)}" '
                                            f'target="_blank" rel="noopener noreferrer">{esc(status.date_reference.title)}</a>'))
        route = " → ".join(figures.place_name(ds.records[p], "international") for p in rec.route if p in ds.records)
        rows.append(("Route (schematic)", esc(route)))
        rows.append(("Mode", esc(rec.mode)))
    if isinstance(rec, Place):
        rows.append(("Position", esc(f"{rec.lat:.4f} N, {rec.lon:.4f} E — {rec.coord_status}"
                                     + (" (approximate: drawn hollow)" if rec.approximate else ""))))
        rows.append(("Coordinates from", esc(rec.coord_source)))
    if isinstance(rec, Area):
        current = geo.area_current(rec, when)
        rows.append((f"In {geo.month_label(month)}", esc("in force" if current else "historical outline only")))
        rows.append(("Outline", esc(f"drawn from {rec.geometry}" if rec.geometry else "described, not drawn (no real geometry)")))
    if isinstance(rec, Event):
        rows.append(("When", _date_line(rec)))
        rows.append(("Actors", esc(", ".join(rec.actors))))
        if rec.reported_by:
            rows.append(("Whose account", esc(f"According to {rec.reported_by} — one side's account, not established fact")))
        if rec.place and rec.place in ds.records:
            rows.append(("Where", esc(ds.records[rec.place].title)))
        for coding in rec.alignment:
            label, score = ds.cameo.get(coding.cameo, ("unknown code", 0.0))
            rows.append((f"Coded: {coding.partner}", esc(f"{coding.direction} — CAMEO {coding.cameo} {label} "
                                                          f"(Goldstein {score:+.1f}). {coding.rationale}")))
    if isinstance(rec, Claim) and rec.reported_by:
        rows.append(("Whose account", esc(f"{rec.actor}'s stance as reported by {rec.reported_by}")))
    names = getattr(rec, "names", None)
    if names is not None and len(names.variants()) > 1:
        rows.append(("Names", esc(" · ".join(f"{figures.NAME_USAGES[k]}: {v}" for k, v in names.variants().items()))))
    st.html(_facts(rows))
    summary = getattr(rec, "summary", None) or getattr(rec, "definition", None)
    if summary:
        st.markdown(render.md(summary, limit=2000))

    if isinstance(rec, Event):
        st.html("<p>" + " · ".join(
            f"<a href='{esc(href)}' target='_self'>{esc(label)}</a>" for label, href in (
                ("On the map", links.href("map", focus=rec.id, date=_month_in_range(rec.date.start.strftime("%Y-%m")))),
                ("In the events explorer", links.href("events", focus=rec.id)),
                ("On the alignment chart", links.href("alignments", focus=rec.id)) if rec.alignment else ("", ""),
            ) if label) + "</p>")
    st.markdown("**Evidence**")
    citation_panel(ds, rec.id)

    if isinstance(rec, Corridor):
        _positions(ds, "Who promotes it, and why", rec.promoters)
        _positions(ds, "Who opposes it, and why", rec.opponents)
        claims = evidence.related_claims(ds, rec)
        if claims:
            st.markdown("**Claims about it**")
            st.html("<ul class='atlas-list'>" + "".join(
                f"<li>{render.record_link(c, ds)}"
                + (f" <span class='atlas-said'>(reported by {esc(c.reported_by)})</span>" if c.reported_by else "")
                + "</li>" for c in claims) + "</ul>")
    events = evidence.related_events(ds, rec, when) if not isinstance(rec, Event) else []
    if events:
        st.markdown(f"**Related events by {geo.month_label(month)}**")
        st.html("<ul class='atlas-list'>" + "".join(
            f"<li>{esc(e.date.label())}: <a href='{esc(links.href('map', focus=e.id, date=month))}' target='_self'>"
            f"{esc(e.title)}</a></li>" for e in events) + "</ul>")


LEGEND_CORRIDORS = 12  # corridors named in the map's key; more would push the key off a projector's screen


def map_legend(ds: Dataset, month: str) -> str:
    """The map's key, as HTML: corridor colours with their status at the date, then marker meanings."""
    when = geo.month_end(month)
    items = []
    corridors = ds.of_kind("corridor")
    for c in corridors[:LEGEND_CORRIDORS]:
        status = geo.status_at(c, when)
        style = figures.STATUS_STYLE.get(status.status if status else None, "solid")
        items.append(f"<li><span class='atlas-swatch atlas-{style}' style='--c:{figures.corridor_colour(ds, c.id)}'></span>"
                     f"{esc(c.title)} <span class='atlas-said'>— {esc(figures.status_label(status))}</span></li>")
    if len(corridors) > LEGEND_CORRIDORS:  # a user's large corpus: the key stays readable, the list holds the rest
        items.append(f"<li class='atlas-said'>and {len(corridors) - LEGEND_CORRIDORS:,} more corridors: "
                     "pick one under “Feature” to see its status and colour</li>")
    key = (
        "<li><span class='atlas-swatch atlas-solid' style='--c:#444'></span>operating or under peacekeepers</li>"
        "<li><span class='atlas-swatch atlas-dashed' style='--c:#444'></span>proposed, planned, disputed or undated</li>"
        "<li><span class='atlas-swatch atlas-blocked' style='--c:#444'></span>blocked, checkpoint or closed (red casing)</li>"
        "<li><span class='atlas-swatch atlas-faded' style='--c:#444'></span>moot</li>"
        "<li><span class='atlas-dot' style='background:#282828'></span>place (hollow: position approximate)</li>"
        "<li><span class='atlas-dot' style='background:#0072B2'></span>event, date known to the day</li>"
        "<li><span class='atlas-dot atlas-ring'></span>event known only to the month, quarter or year</li>"
        "<li><span class='atlas-dot atlas-fight'></span>September 2022 border fighting</li>"
        "<li><span class='atlas-area'></span>area in force (grey: historical outline)</li>"
    )
    colours = "".join(f"<li><span class='atlas-dot' style='background:{c};border-color:{c}'></span>{esc(label)}</li>"
                      for c, label in figures.EVENT_COLOUR_KEY)
    return (f"<div class='atlas-legend'><div><strong>Corridors in {esc(geo.month_label(month))}</strong>"
            f"<ul>{''.join(items)}</ul></div><div><strong>Key</strong><ul>{key}</ul></div>"
            f"<div><strong>Event colour (by tag)</strong><ul>{colours}</ul></div></div>")
