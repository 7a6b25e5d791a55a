"""Counts where people decide: a small histogram of events per month under the map's time slider, and one line per
partner on /alignments saying where the period moved it, with the quote of the event that moved it most. Escaped HTML
(markupsafe), small builders so they move easily."""
from __future__ import annotations

from markupsafe import Markup

from atlas.analysis.alignment import Move
from atlas.core import geo
from atlas.core.load import Dataset
from atlas.core.model import Event
from atlas.views import links


def month_histogram(counts: dict[str, int], current: str) -> str:
    """Events per month as a strip of bars (plain elements: st.html drops inline SVG): months up to `current` dark, later
    ones light, `current` marked. Each bar has its count as a tooltip; the strip has a text label for screen readers."""
    months = list(counts)
    top = max(counts.values(), default=0) or 1
    bars = []
    for month in months:
        n = counts[month]
        cls = "now" if month == current else "past" if month < current else "later"
        label = f"{geo.month_label(month)}: {n} event{'s' if n != 1 else ''}"
        bars.append(Markup('<span class="atlas-hist-{}" style="height:{:.0f}%" title="{}"></span>')
                    .format(cls, 0 if n == 0 else max(18.0, 100.0 * n / top), label))
    so_far = sum(n for m, n in counts.items() if m <= current)
    summary = (f"Events per month, {geo.month_label(months[0])} to {geo.month_label(months[-1])}: "
               f"{so_far} of {sum(counts.values())} by {geo.month_label(current)}") if months else "No events"
    return str(Markup('<div class="atlas-hist" role="img" aria-label="{}">{}</div>').format(summary, Markup("").join(bars)))


def moves_html(ds: Dataset, moves: list[Move], period: str, params: dict[str, str] | None = None) -> str:
    """One line per partner: ↑ toward, ↓ away or → little change over the period, the net movement, and the quote of the
    event that moved it most, linked to its highlighted words in the source. `params`: the view's address parameters,
    kept when an event's link opens it on the chart."""
    items = []
    for m in moves:
        line = Markup('<li><span class="atlas-move atlas-move-{}" aria-hidden="true">{}</span> <strong>{}</strong> '
                      '<span class="atlas-said">{} ({:+.1f}, {} event{})</span>').format(
            m.direction.replace(" ", "-"), m.arrow, m.partner, m.direction, m.net, m.events, "" if m.events == 1 else "s")
        event = ds.records.get(m.event_id or "")
        cits = ds.citations_of(event.id) if isinstance(event, Event) else []
        if cits:
            c = cits[0]
            line += Markup(' — moved most by <a href="{}" target="_self">{}</a> ({}, {:+.1f}): <q>{}</q> '
                           '<a class="atlas-ans-src" href="{}" target="_self">{}, ¶{}</a>').format(
                links.href("alignments", **{**(params or {}), "focus": event.id}), event.title, event.date.label(), m.contribution, c.quote,
                links.quote_href(c.source_id, c.passage, c.quote), ds.sources[c.source_id].publisher, c.passage)
        items.append(line + Markup("</li>"))
    return str(Markup('<div class="atlas-moves"><p class="atlas-moves-head">Over {}:</p><ul>{}</ul></div>')
               .format(period, Markup("").join(items)))

