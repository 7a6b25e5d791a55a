"""The evidence panel as escaped HTML, answer first: what a record is, its state at a date, who is for and against it
with one quote each, then every passage that cites it, grouped by source, each passage once."""
from __future__ import annotations

from dataclasses import dataclass

from atlas.analysis import evidence
from atlas.core import geo
from atlas.core.load import Dataset, ResolvedCitation
from atlas.core.model import Area, Claim, Corridor, Event, Place, Position, Record, Term
from atlas.views import figures, links
from atlas.views.render import esc, passage_body, source_line

KIND_NAMES = {"corridor": "Corridor", "place": "Place", "area": "Area", "event": "Event", "claim": "Claim", "term": "Term"}
PASSAGES_OPEN = 1  # passages shown open per source; the rest sit behind a disclosure


@dataclass(frozen=True)
class Side:
    heading: str
    css: str
    positions: list[Position]


def title(rec: Record, usage: str = "international") -> str:
    names = getattr(rec, "names", None)
    if names is not None and usage != "international":
        return getattr(names, usage, None) or rec.title
    return rec.title


def _first_sentence(text: str, limit: int = 220) -> tuple[str, bool]:
    """The first sentence (for the answer line) and whether anything was left out."""
    cut = text.find(". ")
    head = text if cut < 0 else text[: cut + 1]
    if len(head) > limit:
        head = head[:limit].rsplit(" ", 1)[0] + "…"
    return head, head != text


def _external(ref) -> str:
    return (f'<em>dated from an outside reference, not the sources:</em> '
            f'<a href="{esc(ref.url)}" target="_blank" rel="noopener noreferrer">{esc(ref.title)}</a>')


def _quote(ds: Dataset, cit: ResolvedCitation) -> str:
    src = ds.sources[cit.source_id]
    return (f'<q class="atlas-ans-quote">{esc(cit.quote)}</q> '
            f'<a class="atlas-ans-src" href="{esc(links.quote_href(cit.source_id, cit.passage, cit.quote))}" target="_self">'
            f"{esc(src.publisher)}, ¶{cit.passage}</a>")


def _sides(ds: Dataset, sides: list[Side]) -> str:
    """Who is for and against: the names on one line each, then one attributed line and one quote per actor."""
    sides = [s for s in sides if s.positions]
    if not sides:
        return ""
    summary = "".join(f'<div class="atlas-side-line {s.css}"><strong>{esc(s.heading)}:</strong> '
                      f'{esc(" · ".join(p.actor for p in s.positions))}</div>' for s in sides)
    blocks = []
    for s in sides:
        items = []
        for pos in s.positions:
            first = next((r for r in (ds.resolved(c) for c in pos.citations) if r), None)
            items.append(f"<li><strong>{esc(pos.actor)}</strong>: {esc(pos.reason)}"
                         + (f"<br>{_quote(ds, first)}" if first else "") + "</li>")
        blocks.append(f'<div class="atlas-side {s.css}"><h3>{esc(s.heading)} ({len(s.positions)})</h3>'
                      f'<ul>{"".join(items)}</ul></div>')
    return f'<div class="atlas-sides-summary">{summary}</div>{"".join(blocks)}'


def _answer(ds: Dataset, rec: Record, month: str) -> list[str]:
    """The lines a reader came for, before any evidence."""
    when = geo.month_end(month)
    out: list[str] = []
    if isinstance(rec, Corridor):
        status = geo.status_at(rec, when)
        line = f"<strong>{esc(figures.status_label(status).capitalize())}</strong> in {esc(geo.month_label(month))}"
        if status:
            head, _ = _first_sentence(status.note)
            line += f" — {esc(head)}"
            if status.date_basis == "external" and status.date_reference:
                line += f" ({_external(status.date_reference)})"
        out.append(f'<p class="atlas-ans-status">{line}</p>')
        out.append(_sides(ds, [Side("Promote it", "atlas-pro", rec.promoters), Side("Oppose it", "atlas-con", rec.opponents)]))
    elif isinstance(rec, Claim):
        said = f", as reported by {rec.reported_by} — not the holder's own words" if rec.reported_by else ""
        out.append(f'<p class="atlas-ans-status"><strong>{esc(rec.actor)}</strong> {esc(rec.stance)}'
                   f' on {esc(rec.issue.replace("-", " "))}{esc(said)}</p>')
    elif isinstance(rec, Event):
        span = f" to {rec.date_end.label()}" if rec.date_end else ""
        when_line = f"<strong>{esc(rec.date.label())}{esc(span)}</strong>"
        when_line += (f" — {_external(rec.date_reference)}" if rec.date_basis == "external" and rec.date_reference
                      else " — date stated in the cited source")
        out.append(f'<p class="atlas-ans-status">{when_line}</p>')
        if rec.reported_by:
            out.append(f'<p class="atlas-ans-said">According to {esc(rec.reported_by)}: one side\'s account, '
                       "not established fact.</p>")
        for coding in rec.alignment:
            label, score = ds.cameo.get(coding.cameo, ("unknown code", 0.0))
            out.append(f'<p class="atlas-ans-coding"><strong>Coded: {esc(coding.partner)}, {esc(coding.direction)}</strong>: '
                       f"CAMEO {esc(coding.cameo)} {esc(label)} (Goldstein {score:+.1f}). {esc(coding.rationale)}</p>")
    elif isinstance(rec, Area):
        current = geo.area_current(rec, when)
        out.append(f'<p class="atlas-ans-status"><strong>{"In force" if current else "Historical outline only"}</strong>'
                   f" in {esc(geo.month_label(month))}</p>")
    return out


def _facts(ds: Dataset, rec: Record) -> list[tuple[str, str]]:
    """Reference facts, kept behind a disclosure: escaped HTML values."""
    rows: list[tuple[str, str]] = []
    if isinstance(rec, Corridor):
        route = " → ".join(figures.place_name(ds.records[p], "international") for p in rec.route if p in ds.records)
        rows += [("Route (schematic)", esc(route)), ("Mode", esc(rec.mode))]
        for period in rec.statuses:
            rows.append((f"Since {period.since.label()}", esc(f"{figures.status_label(period)} — {period.note}")))
    if isinstance(rec, Place):
        rows.append(("Position", esc(f"{rec.lat:.4f} N, {rec.lon:.4f} E — {rec.coord_status}"
                                     + (" (approximate: drawn hollow)" if rec.approximate else ""))))
        rows.append(("Coordinates from", esc(rec.coord_source)))
    if isinstance(rec, Area):
        rows.append(("Outline", esc(f"drawn from {rec.geometry}" if rec.geometry else "described, not drawn (no real geometry)")))
    if isinstance(rec, Event):
        rows.append(("Actors", esc(", ".join(rec.actors))))
        if rec.place and rec.place in ds.records:
            rows.append(("Where", esc(ds.records[rec.place].title)))
    names = getattr(rec, "names", None)
    if names is not None and len(names.variants()) > 1:
        rows.append(("Names", esc(" · ".join(f"{figures.NAME_USAGES[k]}: {v}" for k, v in names.variants().items()))))
    return rows


def _links(rec: Record, month: str) -> str:
    month_ok = month if month in geo.months() else None
    pairs: list[tuple[str, str]] = []
    if isinstance(rec, Event):
        start = rec.date.start.strftime("%Y-%m")
        pairs += [("On the map", links.href("map", focus=rec.id, date=start if start in geo.months() else None)),
                  ("In the events explorer", links.href("events", focus=rec.id))]
        if rec.alignment:
            pairs.append(("On the alignment chart", links.href("alignments", focus=rec.id)))
    elif rec.kind in figures.MAP_KINDS:
        pairs.append(("On the map", links.href("map", focus=rec.id, date=month_ok)))
    if isinstance(rec, Claim):
        pairs.append(("Beside the other stances", links.href("perspectives", issue=rec.issue, focus=rec.id)))
    if not pairs:
        return ""
    return '<p class="atlas-panel-links">' + " · ".join(
        f'<a href="{esc(h)}" target="_self">{esc(label)}</a>' for label, h in pairs) + "</p>"


def record_citations(ds: Dataset, rec: Record) -> list[ResolvedCitation]:
    """Every resolved citation of a record, its statuses' and positions' included, each selector once."""
    seen, out = set(), []
    for cit in ds.citations_of(rec.id):
        key = (cit.source_id, cit.start, cit.end)
        if key not in seen:
            seen.add(key)
            out.append(cit)
    return out


def _passage(ds: Dataset, source_id: str, number: int, cits: list[ResolvedCitation]) -> str:
    """A passage with the record's quotes marked; ¶ opens it in its source with the quoted words highlighted (one link per
    quote when the passage holds several)."""
    body = passage_body(ds, source_id, number, [(c.start, c.end, "atlas-quote") for c in cits])
    marks = []
    for i, cit in enumerate(sorted(cits, key=lambda c: c.start)):
        label = f"¶{number}" if i == 0 else f"quote {i + 1}"
        marks.append(f'<a class="atlas-pnum" href="{esc(links.quote_href(source_id, number, cit.quote))}" target="_self" '
                     f'title="Open this passage in its source, the quoted words highlighted">{label}</a>')
    return f'<blockquote class="atlas-ptext atlas-evpassage">{body} {" ".join(marks)}</blockquote>'


def evidence_by_source(ds: Dataset, cits: list[ResolvedCitation]) -> str:
    """Passages grouped by source: the source's perspective once, each passage once with every quote marked in it."""
    by_source: dict[str, dict[int, list[ResolvedCitation]]] = {}
    for cit in cits:
        by_source.setdefault(cit.source_id, {}).setdefault(cit.passage, []).append(cit)
    groups = []
    for source_id, passages in by_source.items():
        src = ds.sources[source_id]
        numbers = sorted(passages)
        shown = "".join(_passage(ds, source_id, n, passages[n]) for n in numbers[:PASSAGES_OPEN])
        rest = numbers[PASSAGES_OPEN:]
        if rest:
            shown += (f"<details class='atlas-more'><summary>{len(rest)} more passage{'s' if len(rest) != 1 else ''} "
                      f"from this source</summary>"
                      + "".join(_passage(ds, source_id, n, passages[n]) for n in rest) + "</details>")
        n_quotes = sum(len(v) for v in passages.values())
        groups.append(
            '<section class="atlas-srcgroup">'
            f'<div class="atlas-srchead"><span class="atlas-src">{source_line(ds, source_id)}</span>'
            f'<span class="atlas-said"> · {n_quotes} quote{"s" if n_quotes != 1 else ""} in {len(numbers)} '
            f'passage{"s" if len(numbers) != 1 else ""}</span><br>'
            f'<span class="atlas-author">By {esc(src.author)}.</span> '
            f'<span class="atlas-perspective">Perspective: {esc(src.perspective)}</span></div>{shown}</section>')
    return "".join(groups)


def _related(ds: Dataset, rec: Record, month: str) -> str:
    out = []
    claims = evidence.related_claims(ds, rec) if isinstance(rec, Corridor) else []
    if claims:
        items = "".join(
            f'<li><a href="{esc(links.record_href(c, ds))}" target="_self">{esc(c.title)}</a>'
            + (f' <span class="atlas-said">(reported by {esc(c.reported_by)})</span>' if c.reported_by else "") + "</li>"
            for c in claims)
        out.append(f"<details class='atlas-more'><summary>Claims about it ({len(claims)})</summary>"
                   f"<ul class='atlas-list'>{items}</ul></details>")
    events = evidence.related_events(ds, rec, geo.month_end(month)) if not isinstance(rec, Event) else []
    if events:
        items = "".join(f'<li>{esc(e.date.label())}: <a href="{esc(links.href("map", focus=e.id, date=month))}" '
                        f'target="_self">{esc(e.title)}</a></li>' for e in events)
        out.append(f"<details class='atlas-more'><summary>Related events by {esc(geo.month_label(month))} ({len(events)})"
                   f"</summary><ul class='atlas-list'>{items}</ul></details>")
    return "".join(out)


def panel_html(ds: Dataset, rec: Record, month: str, usage: str = "international") -> str:
    """The whole panel for one record as of a month, every data value escaped."""
    kind = KIND_NAMES.get(rec.kind, rec.kind)
    extra = ""
    if isinstance(rec, Corridor):
        extra = f" · {rec.mode} · schematic route"
    elif isinstance(rec, Place):
        extra = f" · {rec.place_type} ({rec.country})" + (" · position approximate" if rec.approximate else "")
    elif isinstance(rec, Area):
        extra = f" · {rec.area_type}"
    shown_title = title(rec, usage)
    other = f'<div class="atlas-said">Also called: {esc(rec.title)}</div>' if shown_title != rec.title else ""
    summary = getattr(rec, "summary", None) or (rec.definition if isinstance(rec, Term) else None)
    facts = _facts(ds, rec)
    facts_html = ""
    if facts:
        facts_html = ("<details class='atlas-more'><summary>Route, names and other facts</summary><table class='atlas-meta'>"
                      + "".join(f"<tr><th scope='row'>{esc(k)}</th><td>{v}</td></tr>" for k, v in facts) + "</table></details>")
    cits = record_citations(ds, rec)
    evidence_html = (f'<h3 class="atlas-evhead">Evidence: {len(cits)} quote{"s" if len(cits) != 1 else ""}, by source</h3>'
                     + evidence_by_source(ds, cits)) if cits else ""
    return (
        f'<section class="atlas-panel" aria-label="Evidence for {esc(shown_title)}">'
        f'<div class="atlas-panel-kind"><span class="atlas-kind">{esc(kind)}</span>{esc(extra)}</div>'
        f'<h2 class="atlas-panel-title">{esc(shown_title)}</h2>{other}'
        + "".join(_answer(ds, rec, month))
        + (f'<p class="atlas-panel-summary">{esc(summary)}</p>' if summary else "")
        + _links(rec, month) + facts_html + evidence_html + _related(ds, rec, month)
        + "</section>"
    )
