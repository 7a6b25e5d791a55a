"""Every piece of HTML the Atlas draws, and the one way data text enters Markdown.

Markup is escaped by construction: each builder fills a fixed template with `Markup(template).format(...)`, which
escapes every value that is not itself Markup, and composes Markup objects; no string is ever concatenated into
markup. Only the templates in this module (and the Atlas's own stylesheet and scripts, read from assets/ or written
here) are markup. Pages and atlas/ui hand these builders' results to st.html; data text that must appear in
Streamlit Markdown (notices, captions, a dialog's title) goes through `md`, which makes it literal.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import pandas as pd
from markupsafe import Markup, escape

from atlas.analysis import evidence, perspectives
from atlas.analysis.alignment import Move
from atlas.core import geo
from atlas.core.corpus import KIND_LABELS, display_text, heading_text
from atlas.core.kinds import KINDS
from atlas.core.load import Dataset, Problem, ResolvedCitation
from atlas.core.model import Area, Claim, Corridor, Event, Place, Position, Record, Term
from atlas.views import figures, links, tables, viewstate, wording
from atlas.views.mapstate import LegendEntry, MapDrawing

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&^])")
EMPTY = Markup("")


def esc(value: object) -> Markup:
    """A value as HTML text: every markup character escaped (Markup passes through unchanged)."""
    return escape(value)


def _join(items: Iterable[object], sep: str = "") -> Markup:
    """Fragments joined; a plain string among them is escaped, a Markup one kept. `sep` is always a literal here."""
    return escape(sep).join(items)


def _trusted(text: str) -> Markup:
    """Markup that is not built from data: the Atlas's own stylesheets and scripts (from assets/ or this module) and
    plotly's figure markup (whose JSON escapes '<', '>' and '&' in every string). Nothing else is ever trusted."""
    return Markup(text)  # noqa: S704 - see above: never data


def _plural(n: int, one: str, many: str | None = None) -> str:
    return one if n == 1 else (many or one + "s")


# --- Markdown: data text made literal ----------------------------------------------------------------------------------

def md(value: object, limit: int = 120) -> str:
    """A data string made literal inside Streamlit Markdown (notices, captions, dialog titles), cut to `limit`: every
    character Markdown, its extensions (LaTeX `$`, `:colour[...]`, emoji `:name:`) or HTML could read is backslash-escaped,
    so links, images, emphasis, maths, tags and entities (`&amp;`) all show as the characters they are."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace("\n", " ").replace("\r", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_format(template: str, **values: object) -> str:
    """Markdown from a fixed template (the Atlas's own words and emphasis) with each value made literal by `md`: the
    Markdown counterpart of Markup(template).format(...)."""
    return template.format(**{k: md(v, 400) for k, v in values.items()})


def md_link(text: object, href: str) -> str:
    """A Markdown link whose text is data: the text made literal, the address one of the Atlas's own (percent-encoded)."""
    return f"[{md(text)}]({href.replace('(', '%28').replace(')', '%29').replace(' ', '%20')})"


# --- Source passages and citations -------------------------------------------------------------------------------------

def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping or touching spans of one class become one span, so a reader sees one mark."""
    merged: list[tuple[int, int, str]] = []
    for start, end, cls in sorted(spans):
        if merged and merged[-1][2] == cls and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), cls)
        else:
            merged.append((start, end, cls))
    return merged


def _segments(raw_start: int, raw: str, spans: list[tuple[int, int, str]]) -> Markup:
    """Raw passage text with [start, end) spans wrapped in <mark class=…>, for reading."""
    out, at = [], 0
    for start, end, cls in _merge(spans):
        s, e = max(start - raw_start, at), min(end - raw_start, len(raw))
        if e <= s:
            continue
        out.append(display_text(raw[at:s]))
        out.append(Markup('<mark class="{}">{}</mark>').format(cls, display_text(raw[s:e])))
        at = e
    out.append(display_text(raw[at:]))
    return _join(out)


def passage_body(ds: Dataset, source_id: str, number: int, spans: list[tuple[int, int, str]]) -> Markup:
    text = ds.texts[source_id]
    p = text.passages[number - 1]
    raw = text.raw(p)
    if p.kind == "heading" and not spans:
        return esc(heading_text(raw))
    return _segments(p.start, raw, spans)


def record_link(rec: Record, ds: Dataset) -> Markup:
    return Markup('<a href="{}" target="_self" class="atlas-reclink"><span class="atlas-kind">{}</span> {}</a>').format(
        links.record_href(rec, ds), rec.kind, rec.title)


def _subtract(spans: list[tuple[int, int, str]], cuts: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The spans with the [start, end) ranges in `cuts` taken out (a span may split in two)."""
    for cut_start, cut_end in cuts:
        kept = []
        for start, end, cls in spans:
            if end <= cut_start or start >= cut_end:
                kept.append((start, end, cls))
                continue
            if start < cut_start:
                kept.append((start, cut_start, cls))
            if end > cut_end:
                kept.append((cut_end, end, cls))
        spans = kept
    return spans


LINKED_CLASS = "atlas-linked"  # the words a link (…&quote=…) points at


def source_passage(ds: Dataset, source_id: str, number: int, focused: bool = False,
                   linked: list[tuple[int, int]] | None = None) -> Markup:
    """One numbered passage for the Sources reader: cited spans marked, citing records linked; `linked` spans (the words
    a link quotes) marked on their own, over any cited span."""
    text = ds.texts[source_id]
    p = text.passages[number - 1]
    cits = ds.citations_in(source_id, number)
    cuts = linked or []
    spans = _subtract([(c.start, c.end, "atlas-cited") for c in cits], cuts) + [(s, e, LINKED_CLASS) for s, e in cuts]
    body = passage_body(ds, source_id, number, spans)
    classes = ["atlas-passage", f"atlas-{p.kind}"] + (["atlas-focused"] if focused else [])
    kind = KIND_LABELS.get(p.kind, p.kind)
    kind_html = Markup(' <span class="atlas-pkind">{}</span>').format(kind) if kind else EMPTY
    cited_by = ds.cited_by.get((source_id, number), [])
    refs = EMPTY
    if cited_by:
        refs = Markup('<div class="atlas-citedby">Cited by: {}</div>').format(
            _join((record_link(ds.records[rid], ds) for rid in cited_by), " · "))
    return Markup('<section class="{}" id="{}"><a class="atlas-pnum" href="{}" target="_self" title="Link to this passage">'
                  '¶{}</a>{}<div class="atlas-ptext">{}</div>{}</section>').format(
        " ".join(classes), p.anchor, links.sources_href(source_id, number), number, kind_html, body, refs)


def reader_page(ds: Dataset, source_id: str, numbers: Iterable[int], focused: int | None,
                linked: list[tuple[int, int]] | None = None) -> Markup:
    """A page of the Sources reader: its passages in order, the linked one marked, and in it the `linked` spans (the
    words a link quotes)."""
    return _join(source_passage(ds, source_id, n, focused=n == focused, linked=linked if n == focused else None)
                 for n in numbers)


def page_steps(previous: str | None, following: str | None) -> Markup:
    """'← Previous page · Next page →' under a long source, each a link (None: no such page)."""
    steps = []
    if previous:
        steps.append(Markup('<a href="{}" target="_self">← Previous page</a>').format(previous))
    if following:
        steps.append(Markup('<a href="{}" target="_self">Next page →</a>').format(following))
    return Markup('<p class="atlas-pagesteps">{}</p>').format(_join(steps, " · "))


def source_text(ds: Dataset, source_id: str) -> str:
    """'Title — Publisher, date' as plain text (slides, PDFs); source_line is the same, escaped for HTML."""
    src = ds.sources[source_id]
    date = src.date_published.label() if src.date_published else "date not given"
    return f"{src.title} — {src.publisher}, {date}"


def source_line(ds: Dataset, source_id: str) -> Markup:
    return esc(source_text(ds, source_id))


def citation_card(ds: Dataset, cit: ResolvedCitation) -> Markup:
    """The exact quote highlighted inside its passage, with who wrote it and from which perspective."""
    src = ds.sources[cit.source_id]
    body = passage_body(ds, cit.source_id, cit.passage, [(cit.start, cit.end, "atlas-quote")])
    return Markup(
        '<figure class="atlas-card"><blockquote class="atlas-ptext">{}</blockquote>'
        '<figcaption><span class="atlas-src">{}</span> · <a href="{}" target="_self">¶{} in Sources</a><br>'
        '<span class="atlas-author">By {}.</span> <span class="atlas-perspective">Perspective: {}</span></figcaption>'
        "</figure>").format(body, source_line(ds, cit.source_id), links.quote_href(cit.source_id, cit.passage, cit.quote),
                            cit.passage, src.author, src.perspective)


def citation_cards(ds: Dataset, cits: Iterable[ResolvedCitation]) -> Markup:
    return _join(citation_card(ds, c) for c in cits)


def source_meta(ds: Dataset, source_id: str) -> Markup:
    src = ds.sources[source_id]
    date = src.date_published.label() if src.date_published else "not given"
    rows = [
        ("Author / speaker", src.author), ("Publisher / outlet", src.publisher),
        ("Published", f"{date} — {src.date_basis}"), ("Kind", src.source_type), ("Language", src.language),
        ("Original", src.url or "no address given in the document"), ("Stored copy", f"{src.file}, sha256 {src.sha256}"),
    ]
    body = _join(Markup("<tr><th scope='row'>{}</th><td>{}</td></tr>").format(k, v) for k, v in rows)
    return Markup('<div class="atlas-perspective-box"><strong>Who is speaking:</strong> {}</div>'
                  '<table class="atlas-meta">{}</table>').format(src.perspective, body)


def quote_line(ds: Dataset, cit: ResolvedCitation) -> Markup:
    """A quote on its own, with a link to its highlighted words in its passage: for side-by-side reading."""
    return Markup('<blockquote class="atlas-quoteline">“{}” <a href="{}" target="_self">¶{}</a></blockquote>').format(
        display_text(cit.quote), links.quote_href(cit.source_id, cit.passage, cit.quote), cit.passage)


# --- Small blocks ------------------------------------------------------------------------------------------------------

def heading(text: str, level: int = 2) -> Markup:
    """A section heading whose text may hold data: escaped HTML, so markdown, LaTeX and entities stay text."""
    return Markup("<h{0} class='atlas-h'>{1}</h{0}>").format(int(level), text)


def compact_head(title: str, caption: str) -> Markup:
    """A page's title and one-line purpose on one line, for pages whose visual must start high on a laptop screen."""
    return Markup("<div class='atlas-compact-head'><h1>{}</h1><p>{}</p></div>").format(title, caption)


def plain_text_block(text: str) -> Markup:
    """A long text from the data directory (coding rules) shown as it is written: escaped, wrapped, never rendered."""
    return Markup("<div class='atlas-plaintext'>{}</div>").format(text)


NUM = Markup(" class='atlas-num'")


def data_table(df: pd.DataFrame, label: str, numeric: tuple[str, ...] = (), hrefs: dict[str, list[str]] | None = None) -> Markup:
    """A DataFrame as a plain, escaped HTML table in a scrollable, focusable region: a text alternative that a screen
    reader reads cell by cell (a canvas grid it cannot), and that costs the browser nothing to draw. `hrefs` makes the
    cells of a column links, one address per row (in this tab: a keyboard's way to open a row)."""
    hrefs = hrefs or {}

    def cell(c: str, v: object, i: int) -> Markup:
        text = "" if pd.isna(v) else v
        if c in hrefs:
            text = Markup("<a href='{}' target='_self'>{}</a>").format(hrefs[c][i], text)
        return Markup("<td{}>{}</td>").format(NUM if c in numeric else EMPTY, text)

    head = _join(Markup("<th scope='col'{}>{}</th>").format(NUM if c in numeric else EMPTY, c) for c in df.columns)
    rows = _join(
        Markup("<tr>{}</tr>").format(_join(cell(c, v, i) for c, v in zip(df.columns, row, strict=True)))
        for i, row in enumerate(df.itertuples(index=False, name=None)))
    return Markup("<div class='atlas-scroll atlas-datatable' tabindex='0' role='region' aria-label='{0}'>"
                  "<table><caption class='atlas-sr'>{0}</caption><thead><tr>{1}</tr></thead>"
                  "<tbody>{2}</tbody></table></div>").format(label, head, rows)


def problems_list(problems: list[Problem], hide: str = "") -> Markup:
    """The data directory's problems, each naming its file, record and fix; the data directory's own path (`hide`) is
    shown as "<data directory>", so the server's paths are not."""
    def scrub(text: str) -> str:
        return text.replace(hide, "<data directory>") if hide else text

    return Markup("<ol class='atlas-problems'>{}</ol>").format(_join(
        Markup("<li><code>{}</code> {}: {}<br><em>Fix:</em> {}</li>").format(
            scrub(p.file), scrub(p.record), scrub(p.message), scrub(p.fix)) for p in problems))


# --- The brief and the home page -------------------------------------------------------------------------------------

def brief_head(step, number: int, total: int) -> Markup:
    return Markup("<div class='atlas-brief-step'>Step {} of {}</div><h1 class='atlas-brief-head'>{}</h1>").format(
        number, total, step.headline)


def brief_text(step) -> Markup:
    return Markup("<p class='atlas-brief-text'>{}</p>").format(step.text)


def brief_bar(ds: Dataset, cits: list[ResolvedCitation], note: str, live_href: str) -> Markup:
    """The step's first quote, who said it and from where, under the visual (never over it)."""
    first = cits[0]
    src = ds.sources[first.source_id]
    more = f" · {len(cits) - 1} more under Sources" if len(cits) > 1 else ""
    return Markup("<div class='atlas-brief-cite'><q>{}</q><div class='atlas-brief-src'>{} — {}. "
                  "<a href='{}' target='_self'>¶{}</a>{}</div><div class='atlas-brief-note'>{} · "
                  "<a href='{}' target='_self'>open this view</a></div></div>").format(
        display_text(first.quote), source_line(ds, first.source_id), src.perspective.split(". ")[0],
        links.quote_href(first.source_id, first.passage, first.quote), first.passage, more, note, live_href)


def questions(items) -> Markup:
    """Starting questions, each a link to the view that answers it."""
    return Markup("<ol class='atlas-questions'>{}</ol>").format(_join(
        Markup("<li><a href='{}' target='_self'>{}</a><br><span class='atlas-said'>{}</span></li>").format(q.href, q.text, q.hint)
        for q in items))


def counts_line(ds: Dataset, cited: int, total: int) -> Markup:
    kinds = [("event", "events"), ("place", "places"), ("corridor", "corridors"), ("claim", "claims"), ("term", "terms")]
    parts = [f"{len(ds.sources)} sources"] + [f"{len(ds.of_kind(k))} {label}" for k, label in kinds]
    parts += [f"{len(ds.citations)} exact citations", f"{cited}/{total} substantive passages cited"]
    return Markup("<p class='atlas-counts'>{}</p>").format(" · ".join(parts))


def speaker(ds: Dataset, src_id: str) -> Markup:
    """A source with who wrote it and from which perspective, linked to its text."""
    return Markup('<div class="atlas-srcitem"><a href="{}" target="_self"><strong>{}</strong></a><br>'
                  '<span class="atlas-perspective">{}</span></div>').format(
        links.sources_href(src_id), source_line(ds, src_id), ds.sources[src_id].perspective)


def speakers(ds: Dataset) -> Markup:
    """Each source with who wrote it and from which perspective, linked to its text."""
    return _join(speaker(ds, src_id) for src_id in ds.sources)


# --- About: the glossary ---------------------------------------------------------------------------------------------

def glossary(ds: Dataset, terms, focused: str | None) -> Markup:
    """Each term with its aliases, definition and quotes; the linked term with its quotes in their passages."""
    items = []
    for term in terms:
        cits = ds.citations_of(term.id)
        aliases = Markup(' <span class="atlas-aliases">({})</span>').format(", ".join(term.aliases)) if term.aliases else EMPTY
        if term.id == focused:
            quotes = citation_cards(ds, cits)
        else:
            quotes = _join(Markup('<div class="atlas-termcite">“{}” — {}, <a href="{}" target="_self">¶{}</a></div>').format(
                c.quote, ds.sources[c.source_id].title, links.quote_href(c.source_id, c.passage, c.quote), c.passage)
                for c in cits)
        items.append(Markup('<dl class="{}" id="term-{}"><dt>{}{} <a href="{}" target="_self" title="Link to this term">#</a>'
                            "</dt><dd>{}{}</dd></dl>").format(
            "atlas-term atlas-focused" if term.id == focused else "atlas-term", term.id, term.term, aliases,
            links.href("about", focus=term.id), term.definition, quotes))
    return _join(items)


# --- Perspectives ----------------------------------------------------------------------------------------------------

def _badge(symbol: str, colour: str, extra: str = "") -> Markup:
    return Markup("<span class='atlas-stance' style='{}'>{}{}</span>").format(perspectives.badge_style(colour), symbol, extra)


def stance_key() -> Markup:
    """The stance symbols and colours, as a key over the matrix."""
    return Markup("<div class='atlas-key'>{}<span>† only as reported by another party</span></div>").format(_join(
        Markup("<span>{}{}</span>").format(_badge(sym, col), name)
        for name, (sym, col) in [*perspectives.STANCES.items(), ("mixed", perspectives.MIXED)]))


def stance_matrix(ds: Dataset, issues: list[str], actors: list[str], cells: dict, selected: tuple[str | None, str | None]) -> Markup:
    """Issues by actors: each cell the actor's stance on the issue, a link to its claims."""
    head = _join(Markup("<th scope='col'>{}</th>").format(a) for a in actors)
    body = []
    for issue in issues:
        tds = []
        for actor in actors:
            cell = cells.get((issue, actor))
            if cell is None:
                tds.append(Markup("<td></td>"))
                continue
            sym, col = perspectives.STANCES.get(cell.stance, perspectives.MIXED)
            sel = Markup(" class='atlas-sel'") if (issue, actor) == selected else EMPTY
            tip = f"{actor}: {cell.stance} on {perspectives.issue_label(ds, issue)} ({len(cell.claims)} claim(s))"
            tds.append(Markup("<td{}><a href='{}' target='_self' title='{}' aria-label='{}'>{}</a></td>").format(
                sel, links.href("perspectives", issue=issue, actor=actor), tip, tip, _badge(sym, col, "†" if cell.relayed else "")))
        body.append(Markup("<tr><th scope='row'>{}</th>{}</tr>").format(perspectives.issue_label(ds, issue), _join(tds)))
    return Markup("<div class='atlas-scroll' tabindex='0' role='region' aria-label='Stances by issue and actor'>"
                  "<table class='atlas-matrix'><thead><tr><th scope='col'>Issue</th>{}</tr></thead>"
                  "<tbody>{}</tbody></table></div>").format(head, _join(body))


def claim_rows(ds: Dataset, claims, focus: str | None) -> Markup:
    """Claims as compact rows: stance, holder (and who relays it), our summary, the first quote; every passage
    behind a disclosure, open for the claim a link points at."""
    out = []
    for claim in claims:
        sym, col = perspectives.STANCES.get(claim.stance, perspectives.MIXED)
        said = f" — as reported by {claim.reported_by}" if claim.reported_by else ""
        cits = ds.citations_of(claim.id)
        focused = claim.id == focus
        out.append(Markup(
            "<div class='atlas-claimrow{}' id='claim-{}'><div class='atlas-claimhead'>{} {} {}{}</div><p>{}</p>{}"
            "<details class='atlas-more'{}><summary>The passage{} in full, with the source's perspective ({})</summary>{}"
            "</details></div>").format(
            " atlas-focused" if focused else "", claim.id, _badge(sym, col), claim.actor, claim.stance, said, claim.summary,
            quote_line(ds, cits[0]) if cits else EMPTY, Markup(" open") if focused else EMPTY,
            "s" if len(cits) != 1 else "", len(cits), citation_cards(ds, cits)))
    return _join(out)


def perspective_box(ds: Dataset, source_id: str) -> Markup:
    """A source's line and perspective, over its quotes on an issue."""
    return Markup("<div class='atlas-perspective-box'><strong>{}</strong><br>{}</div>").format(
        source_line(ds, source_id), ds.sources[source_id].perspective)


def claim_quotes(ds: Dataset, claim, cits: list[ResolvedCitation]) -> Markup:
    """Who holds a stance, then the source's quotes for it."""
    return Markup("<div class='atlas-claimhead'>{} {}</div>{}").format(
        claim.actor, claim.stance, _join(quote_line(ds, c) for c in cits))


def contested_names(ds: Dataset, rows: list[dict], usages: list[str], titles_per_name: int) -> Markup:
    """Each record's names by usage, and which sources use which name."""
    body = _join(
        Markup("<tr><th scope='row'>{}</th>{}<td style='text-align:left'>{}</td></tr>").format(
            record_link(r["record"], ds), _join(Markup("<td>{}</td>").format(r["names"].get(u, "")) for u in usages),
            _join((Markup("<b>{}</b>: {}").format(name, perspectives.source_titles(ds, srcs, titles_per_name))
                   for name, srcs in r["found"].items()), "; "))
        for r in rows)
    return Markup("<div class='atlas-scroll' tabindex='0' role='region' aria-label='Contested names'>"
                  "<table class='atlas-matrix'><thead><tr><th scope='col'>Record</th>{}"
                  "<th scope='col'>Used in the sources</th></tr></thead><tbody>{}</tbody></table></div>").format(
        _join(Markup("<th scope='col'>{}</th>").format(u.capitalize()) for u in usages), body)


# --- The evidence panel ----------------------------------------------------------------------------------------------
# Answer first: what a record is, its state at a date, who is for and against it with one quote each, then every
# passage that cites it, grouped by source, each passage once.

# Panel bodies a record kind registers (register_body): what the panel says about a record of that kind as of a month,
# between its title and its summary, as Markup fragments built from templates (every data value escaped). The built-in
# kinds' bodies are _answer below.
BODIES: dict[str, Callable[[Dataset, Record, str], list[Markup]]] = {}


def register_body(kind: str, body: Callable[[Dataset, Record, str], list[Markup]]) -> None:
    BODIES[kind] = body


def kind_name(kind: str) -> str:
    """The kind as the panel's badge and headings name it: "Event"."""
    return KINDS[kind].label if kind in KINDS else kind.replace("-", " ").capitalize()


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


def _external(ref) -> Markup:
    return Markup('<em>dated from an outside reference, not the sources:</em> '
                  '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>').format(ref.url, ref.title)


def _quote(ds: Dataset, cit: ResolvedCitation) -> Markup:
    return Markup('<q class="atlas-ans-quote">{}</q> <a class="atlas-ans-src" href="{}" target="_self">{}, ¶{}</a>').format(
        cit.quote, links.quote_href(cit.source_id, cit.passage, cit.quote), ds.sources[cit.source_id].publisher, cit.passage)


def _sides(ds: Dataset, sides: list[Side]) -> Markup:
    """Who is for and against: the names on one line each, then one attributed line and one quote per actor."""
    sides = [s for s in sides if s.positions]
    if not sides:
        return EMPTY
    summary = _join(Markup('<div class="atlas-side-line {}"><strong>{}:</strong> {}</div>').format(
        s.css, s.heading, " · ".join(p.actor for p in s.positions)) for s in sides)
    blocks = []
    for s in sides:
        items = []
        for pos in s.positions:
            first = next((r for r in (ds.resolved(c) for c in pos.citations) if r), None)
            items.append(Markup("<li><strong>{}</strong>: {}{}</li>").format(
                pos.actor, pos.reason, Markup("<br>{}").format(_quote(ds, first)) if first else EMPTY))
        blocks.append(Markup('<div class="atlas-side {}"><h3>{} ({})</h3><ul>{}</ul></div>').format(
            s.css, s.heading, len(s.positions), _join(items)))
    return Markup('<div class="atlas-sides-summary">{}</div>{}').format(summary, _join(blocks))


def _answer(ds: Dataset, rec: Record, month: str) -> list[Markup]:
    """The lines a reader came for, before any evidence."""
    when = geo.month_end(month)
    out: list[Markup] = []
    if isinstance(rec, Corridor):
        status = geo.status_at(rec, when)
        line = Markup("<strong>{}</strong> in {}").format(figures.status_label(status).capitalize(), geo.month_label(month))
        if status:
            head, _ = _first_sentence(status.note)
            line += Markup(" — {}").format(head)
            if status.date_basis == "external" and status.date_reference:
                line += Markup(" ({})").format(_external(status.date_reference))
        out.append(Markup('<p class="atlas-ans-status">{}</p>').format(line))
        out.append(_sides(ds, [Side("Promote it", "atlas-pro", rec.promoters), Side("Oppose it", "atlas-con", rec.opponents)]))
    elif isinstance(rec, Claim):
        said = f", as reported by {rec.reported_by} — not the holder's own words" if rec.reported_by else ""
        out.append(Markup('<p class="atlas-ans-status"><strong>{}</strong> {} on {}{}</p>').format(
            rec.actor, rec.stance, rec.issue.replace("-", " "), said))
    elif isinstance(rec, Event):
        span = f" to {rec.date_end.label()}" if rec.date_end else ""
        basis = (Markup(" — {}").format(_external(rec.date_reference)) if rec.date_basis == "external" and rec.date_reference
                 else Markup(" — date stated in the cited source"))
        out.append(Markup('<p class="atlas-ans-status"><strong>{}{}</strong>{}</p>').format(rec.date.label(), span, basis))
        if rec.reported_by:
            out.append(Markup('<p class="atlas-ans-said">According to {}: one side\'s account, not established fact.</p>')
                       .format(rec.reported_by))
        for coding in rec.alignment:
            label, score = ds.cameo.get(coding.cameo, ("unknown code", 0.0))
            out.append(Markup('<p class="atlas-ans-coding"><strong>Coded: {}, {}</strong>: CAMEO {} {} (Goldstein {:+.1f}). '
                              "{}</p>").format(coding.partner, coding.direction, coding.cameo, label, score, coding.rationale))
    elif isinstance(rec, Area):
        current = geo.area_current(rec, when)
        out.append(Markup('<p class="atlas-ans-status"><strong>{}</strong> in {}</p>').format(
            "In force" if current else "Historical outline only", geo.month_label(month)))
    return out


def _facts(ds: Dataset, rec: Record) -> list[tuple[str, str]]:
    """Reference facts, kept behind a disclosure: (label, text) pairs, escaped where they are drawn."""
    rows: list[tuple[str, str]] = []
    if isinstance(rec, Corridor):
        route = " → ".join(figures.place_name(ds.records[p], "international") for p in rec.route if p in ds.records)
        rows += [("Route (schematic)", route), ("Mode", rec.mode)]
        for period in rec.statuses:
            rows.append((f"Since {period.since.label()}", f"{figures.status_label(period)} — {period.note}"))
    if isinstance(rec, Place):
        rows.append(("Position", f"{rec.lat:.4f} N, {rec.lon:.4f} E — {rec.coord_status}"
                                 + (" (approximate: drawn hollow)" if rec.approximate else "")))
        rows.append(("Coordinates from", rec.coord_source))
    if isinstance(rec, Area):
        rows.append(("Outline", f"drawn from {rec.geometry}" if rec.geometry else "described, not drawn (no real geometry)"))
    if isinstance(rec, Event):
        rows.append(("Actors", ", ".join(rec.actors)))
        if rec.place and rec.place in ds.records:
            rows.append(("Where", ds.records[rec.place].title))
    names = getattr(rec, "names", None)
    if names is not None and len(names.variants()) > 1:
        rows.append(("Names", " · ".join(f"{figures.NAME_USAGES[k]}: {v}" for k, v in names.variants().items())))
    return rows


def _links(ds: Dataset, rec: Record, month: str) -> Markup:
    period = geo.period_months(ds)
    month_ok = month if month in period else None
    pairs: list[tuple[str, str]] = []
    if isinstance(rec, Event):
        start = rec.date.start.strftime("%Y-%m")
        pairs += [("On the map", links.href("map", focus=rec.id, date=start if start in period else None)),
                  ("In the events explorer", links.href("events", focus=rec.id))]
        if rec.alignment:
            pairs.append(("On the alignment chart", links.href("alignments", focus=rec.id)))
    elif rec.kind in figures.MAP_KINDS:
        pairs.append(("On the map", links.href("map", focus=rec.id, date=month_ok)))
    if isinstance(rec, Claim):
        pairs.append(("Beside the other stances", links.href("perspectives", issue=rec.issue, focus=rec.id)))
    pairs.append(("Record page", links.href("record", id=rec.id)))  # the record alone: its JSON, CSV and every view of it
    return Markup('<p class="atlas-panel-links">{}</p>').format(
        _join((Markup('<a href="{}" target="_self">{}</a>').format(h, label) for label, h in pairs), " · "))


def record_citations(ds: Dataset, rec: Record) -> list[ResolvedCitation]:
    """Every resolved citation of a record, its statuses' and positions' included, each selector once."""
    seen, out = set(), []
    for cit in ds.citations_of(rec.id):
        key = (cit.source_id, cit.start, cit.end)
        if key not in seen:
            seen.add(key)
            out.append(cit)
    return out


def _passage(ds: Dataset, source_id: str, number: int, cits: list[ResolvedCitation]) -> Markup:
    """A passage with the record's quotes marked; ¶ opens it in its source with the quoted words highlighted (one link per
    quote when the passage holds several)."""
    body = passage_body(ds, source_id, number, [(c.start, c.end, "atlas-quote") for c in cits])
    marks = [Markup('<a class="atlas-pnum" href="{}" target="_self" title="Open this passage in its source, the quoted '
                    'words highlighted">{}</a>').format(links.quote_href(source_id, number, cit.quote),
                                                        f"¶{number}" if i == 0 else f"quote {i + 1}")
             for i, cit in enumerate(sorted(cits, key=lambda c: c.start))]
    return Markup('<blockquote class="atlas-ptext atlas-evpassage">{} {}</blockquote>').format(body, _join(marks, " "))


def evidence_by_source(ds: Dataset, cits: list[ResolvedCitation]) -> Markup:
    """Passages grouped by source: the source's perspective once, each passage once with every quote marked in it."""
    by_source: dict[str, dict[int, list[ResolvedCitation]]] = {}
    for cit in cits:
        by_source.setdefault(cit.source_id, {}).setdefault(cit.passage, []).append(cit)
    groups = []
    for source_id, passages in by_source.items():
        src = ds.sources[source_id]
        numbers = sorted(passages)
        shown = _join(_passage(ds, source_id, n, passages[n]) for n in numbers[:PASSAGES_OPEN])
        rest = numbers[PASSAGES_OPEN:]
        if rest:
            shown += Markup("<details class='atlas-more'><summary>{} more {} from this source</summary>{}</details>").format(
                len(rest), _plural(len(rest), "passage"), _join(_passage(ds, source_id, n, passages[n]) for n in rest))
        n_quotes = sum(len(v) for v in passages.values())
        groups.append(Markup(
            '<section class="atlas-srcgroup"><div class="atlas-srchead"><span class="atlas-src">{}</span>'
            '<span class="atlas-said"> · {} {} in {} {}</span><br>'
            '<span class="atlas-author">By {}.</span> <span class="atlas-perspective">Perspective: {}</span></div>{}</section>'
        ).format(source_line(ds, source_id), n_quotes, _plural(n_quotes, "quote"), len(numbers), _plural(len(numbers), "passage"),
                 src.author, src.perspective, shown))
    return _join(groups)


def _related(ds: Dataset, rec: Record, month: str) -> Markup:
    out = []
    claims = evidence.related_claims(ds, rec) if isinstance(rec, Corridor) else []
    if claims:
        items = _join(Markup('<li><a href="{}" target="_self">{}</a>{}</li>').format(
            links.record_href(c, ds), c.title,
            Markup(' <span class="atlas-said">(reported by {})</span>').format(c.reported_by) if c.reported_by else EMPTY)
            for c in claims)
        out.append(Markup("<details class='atlas-more'><summary>Claims about it ({})</summary>"
                          "<ul class='atlas-list'>{}</ul></details>").format(len(claims), items))
    events = evidence.related_events(ds, rec, geo.month_end(month)) if not isinstance(rec, Event) else []
    if events:
        items = _join(Markup('<li>{}: <a href="{}" target="_self">{}</a></li>').format(
            e.date.label(), links.href("map", focus=e.id, date=month), e.title) for e in events)
        out.append(Markup("<details class='atlas-more'><summary>Related events by {} ({})</summary>"
                          "<ul class='atlas-list'>{}</ul></details>").format(geo.month_label(month), len(events), items))
    return _join(out)


def panel_html(ds: Dataset, rec: Record, month: str, usage: str = "international") -> Markup:
    """The whole panel for one record as of a month, every data value escaped."""
    kind = kind_name(rec.kind)
    extra = ""
    if isinstance(rec, Corridor):
        extra = f" · {rec.mode} · schematic route"
    elif isinstance(rec, Place):
        extra = f" · {rec.place_type} ({rec.country})" + (" · position approximate" if rec.approximate else "")
    elif isinstance(rec, Area):
        extra = f" · {rec.area_type}"
    shown_title = title(rec, usage)
    other = Markup('<div class="atlas-said">Also called: {}</div>').format(rec.title) if shown_title != rec.title else EMPTY
    summary = getattr(rec, "summary", None) or (rec.definition if isinstance(rec, Term) else None)
    facts = _facts(ds, rec)
    facts_html = EMPTY
    if facts:
        facts_html = Markup("<details class='atlas-more'><summary>Route, names and other facts</summary>"
                            "<table class='atlas-meta'>{}</table></details>").format(
            _join(Markup("<tr><th scope='row'>{}</th><td>{}</td></tr>").format(k, v) for k, v in facts))
    cits = record_citations(ds, rec)
    evidence_html = EMPTY
    if cits:
        evidence_html = Markup('<h3 class="atlas-evhead">Evidence: {} {}, by source</h3>{}').format(
            len(cits), _plural(len(cits), "quote"), evidence_by_source(ds, cits))
    return Markup(
        '<section class="atlas-panel" aria-label="Evidence for {0}"><div class="atlas-panel-kind"><span class="atlas-kind">'
        '{1}</span>{2}</div><h2 class="atlas-panel-title">{0}</h2>{3}{4}{5}{6}{7}{8}{9}</section>').format(
        shown_title, kind, extra, other,
        _join(BODIES[rec.kind](ds, rec, month) if rec.kind in BODIES else _answer(ds, rec, month)),
        Markup('<p class="atlas-panel-summary">{}</p>').format(summary) if summary else EMPTY,
        _links(ds, rec, month), facts_html, evidence_html, _related(ds, rec, month))


# --- The map's key and companions ------------------------------------------------------------------------------------
# Each takes the map state (atlas.views.mapstate.MapDrawing) the deck, the PNG and the GeoJSON are drawn from.

LINE_SWATCHES = ("solid", "dashed", "blocked", "faded")


def _legend_mark(entry: LegendEntry) -> Markup:
    """An entry's swatch, drawn by the stylesheet (assets/atlas.css) as the map draws it."""
    if entry.swatch in LINE_SWATCHES:
        return Markup("<span class='atlas-swatch atlas-{}' style='--c:{}'></span>").format(entry.swatch, entry.colour)
    if entry.swatch == "area":
        return Markup("<span class='atlas-area'></span>")
    if entry.swatch == "area-past":
        return Markup("<span class='atlas-area atlas-area-past'></span>")
    if entry.swatch == "site":
        return Markup("<span class='atlas-dot atlas-fight'></span>")
    if entry.swatch == "ring":
        return Markup("<span class='atlas-dot atlas-ring' style='border-color:{}'></span>").format(entry.colour)
    return Markup("<span class='atlas-dot' style='background:{0};border-color:{0}'></span>").format(entry.colour)


def _legend_item(entry: LegendEntry) -> Markup:
    if entry.swatch == "more":  # a user's large corpus: the key stays readable, the text alternative lists the rest
        return Markup("<li class='atlas-said' data-key='{}'>{}</li>").format(entry.key, entry.label)
    note = Markup(" <span class='atlas-said'>{}</span>").format(entry.note) if entry.note else EMPTY
    return Markup("<li data-key='{}'>{}{}{}</li>").format(entry.key, _legend_mark(entry), entry.label, note)


def map_legend(drawing: MapDrawing) -> Markup:
    """The map's key, laid over the map's corner, drawn from the map state: each corridor with its status at the date,
    then only the line styles, areas and marks on the map at that date. A disclosure, open at first, so a reader can
    fold it away."""
    groups = [[e for e in drawing.legend if e.group == g] for g in ("corridors", "lines", "marks")]
    lists = _join(Markup("<ul{}>{}</ul>").format(Markup(" class='atlas-inline'") if i else EMPTY,
                                                 _join(_legend_item(e) for e in group))
                  for i, group in enumerate(groups) if group)
    return Markup("<details class='atlas-legend atlas-legend-overlay' open><summary>Key · {}</summary>{}</details>").format(
        geo.month_label(drawing.view.date), lists)


def unmapped_events(ds: Dataset, ids: list[str], month: str) -> Markup:
    """Events of the period that have no place on the map, each a link to its evidence."""
    return Markup("<ul class='atlas-list'>{}</ul>").format(_join(
        Markup("<li>{}: <a href='{}' target='_self'>{}</a></li>").format(
            ds.records[e].date.label(), links.href("map", focus=e, date=month), ds.records[e].title) for e in ids))


MAP_FEATURES_ID = "atlas-map-features"


def map_text_alternative(ds: Dataset, drawing: MapDrawing) -> Markup:
    """The map as text, and the keyboard's way to a feature: every feature on the map at the month in a table whose
    names are links that select it (this view, with ?focus=), then the events of the period that have no place on the
    map. Plain disclosures in one element: nothing for the browser to lay out until one is opened."""
    table = tables.map_features(drawing)
    here = viewstate.MapState.of_view(ds, drawing.view)
    hrefs = [links.href("map", **replace(here, focus=f.id).serialise()) for f in drawing.features]
    html = Markup("<details class='atlas-textalt' id='{}'><summary>Text alternative: the {:,} {} on this map (choose one to "
                  "read its evidence)</summary>{}</details>").format(
        MAP_FEATURES_ID, len(table), _plural(len(table), "feature"), data_table(table, "Features on this map", hrefs={"name": hrefs}))
    if drawing.unmapped_events:
        n = len(drawing.unmapped_events)
        html += Markup("<details class='atlas-textalt'><summary>{} {} by {} happened outside the map</summary>{}</details>").format(
            n, _plural(n, "event"), geo.month_label(drawing.view.date), unmapped_events(ds, drawing.unmapped_events, drawing.view.date))
    return html


MAP_PANEL_HINT = Markup(
    "<p class='atlas-said'>Click a corridor, place, area or event on the map to read the sources behind it: who is for "
    "and against it, and the exact passages. Without a mouse: <a href='#{}' target='_self'>the list of the features on "
    "this map</a>, each name a link.</p>").format(MAP_FEATURES_ID)
MAP_ATTRIBUTION = Markup("<p class='atlas-attrib'>Basemap: Made with Natural Earth (offline). Routes are schematic: straight "
                         "lines between the places each corridor passes, not surveyed alignments.</p>")


# --- Counts where people decide: events per month under the map's slider, where the period moved each partner ------

def month_histogram(counts: dict[str, int], current: str) -> Markup:
    """Events per month as a strip of bars (plain elements: st.html drops inline SVG): months up to `current` dark, later
    ones light, `current` marked. Each bar has its count as a tooltip; the strip has a text label for screen readers."""
    months = list(counts)
    top = max(counts.values(), default=0) or 1
    bars = []
    for month in months:
        n = counts[month]
        cls = "now" if month == current else "past" if month < current else "later"
        bars.append(Markup('<span class="atlas-hist-{}" style="height:{:.0f}%" title="{}"></span>').format(
            cls, 0 if n == 0 else max(18.0, 100.0 * n / top), f"{geo.month_label(month)}: {n} {_plural(n, 'event')}"))
    so_far = sum(n for m, n in counts.items() if m <= current)
    summary = (f"Events per month, {geo.month_label(months[0])} to {geo.month_label(months[-1])}: "
               f"{so_far} of {sum(counts.values())} by {geo.month_label(current)}") if months else "No events"
    return Markup('<div class="atlas-hist" role="img" aria-label="{}">{}</div>').format(summary, _join(bars))


def partner_moves(ds: Dataset, moves: list[Move], period: str, params: dict[str, str] | None = None) -> Markup:
    """One line per partner: ↑ toward, ↓ away or → little change over the period, the net movement, and the quote of the
    event that moved it most, linked to its highlighted words in the source. `params`: the view's address parameters,
    kept when an event's link opens it on the chart."""
    items = []
    for m in moves:
        line = Markup('<span class="atlas-move atlas-move-{}" aria-hidden="true">{}</span> <strong>{}</strong> '
                      '<span class="atlas-said">{} ({:+.1f}, {} {})</span>').format(
            m.direction.replace(" ", "-"), m.arrow, m.partner, m.direction, m.net, m.events, _plural(m.events, "event"))
        event = ds.records.get(m.event_id or "")
        cits = ds.citations_of(event.id) if isinstance(event, Event) else []
        if cits:
            c = cits[0]
            line += Markup(' — moved most by <a href="{}" target="_self">{}</a> ({}, {:+.1f}): <q>{}</q> '
                           '<a class="atlas-ans-src" href="{}" target="_self">{}, ¶{}</a>').format(
                links.href("alignments", **{**(params or {}), "focus": event.id}), event.title, event.date.label(),
                m.contribution, display_text(c.quote), links.quote_href(c.source_id, c.passage, c.quote),
                ds.sources[c.source_id].publisher, c.passage)
        items.append(Markup("<li>{}</li>").format(line))
    return Markup('<div class="atlas-moves"><p class="atlas-moves-head">Over {}:</p><ul>{}</ul></div>').format(
        period, _join(items))


# --- A record's own page ---------------------------------------------------------------------------------------------

def record_head(rec: Record) -> Markup:
    """The record page's title: the record's title, its kind and its id."""
    return Markup("<div class='atlas-compact-head'><h1>{}</h1><p>{} · record <code>{}</code></p></div>").format(
        rec.title, kind_name(rec.kind), rec.id)


def record_views(views: list[tuple[str, str]]) -> Markup:
    """The pages that can show a record, then each passage it quotes, as lists of links ((label, address) pairs, as
    atlas.views.record.views gives them)."""
    def items(pairs: list[tuple[str, str]]) -> Markup:
        return _join(Markup('<li><a href="{}" target="_self">{}</a></li>').format(href, label) for label, href in pairs)

    pages = [(label, href) for label, href in views if not href.startswith("/sources")]
    passages = [(label, href) for label, href in views if href.startswith("/sources")]
    out = EMPTY
    if pages:
        out += Markup("<h3 class='atlas-h'>Where it is shown</h3><ul class='atlas-list atlas-record-views'>{}</ul>").format(
            items(pages))
    if passages:
        out += Markup("<h3 class='atlas-h'>The passages it quotes, words highlighted</h3>"
                      "<ul class='atlas-list atlas-record-passages'>{}</ul>").format(items(passages))
    return out


# --- Search results --------------------------------------------------------------------------------------------------

def highlight(text: str, marks: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> Markup:
    """Text with [start, end) spans wrapped in <mark>; everything escaped."""
    out, at = [], 0
    for start, end in marks:
        out.append(escape(text[at:start]))
        out.append(Markup("<mark>{}</mark>").format(text[start:end]))
        at = end
    out.append(escape(text[at:]))
    return _join(out)


def landing(number: int, passage: str, start: int, end: int) -> Markup:
    """Where an anchored quote lands: its passage, numbered, with the quoted words marked (offsets in the passage)."""
    return Markup('<blockquote class="atlas-landing"><strong>¶{}</strong> {}</blockquote>').format(
        number, highlight(passage, [(start, end)]))


def link(href: str, text: object, cls: str = "") -> Markup:
    return Markup('<a href="{}" target="_self"{}>{}</a>').format(href, Markup(' class="{}"').format(cls) if cls else EMPTY, text)


def hit_item(h) -> Markup:
    """One search result: its title (matches marked) as a link, where it sits, the name it was found under, a snippet."""
    meta = []
    if h.context:
        meta.append(Markup('<span class="atlas-hit-context">{}</span>').format(h.context))
    if h.found_as:
        meta.append(Markup('<span class="atlas-hit-as">found as “{}”</span>').format(h.found_as))
    snippet = EMPTY
    if h.snippet:
        label = Markup('<span class="atlas-hit-label">{}:</span> ').format(h.label) if h.kind != "passage" else EMPTY
        snippet = Markup('<div class="atlas-hit-snippet">{}{}</div>').format(label, highlight(h.snippet, h.snippet_marks))
    return Markup('<li class="atlas-hit">{} {}{}</li>').format(
        link(h.href, highlight(h.title, h.title_marks), "atlas-hit-title"), _join(meta, " "), snippet)


def hit_list(hits: list, more: Markup | str = "") -> Markup:
    return Markup('<ol class="atlas-hits">{}</ol>{}').format(_join(hit_item(h) for h in hits), more)


def hits_more(shown: int, total: int, href: str, label: str) -> Markup:
    return Markup('<p class="atlas-hits-more">Showing {} of {:,} · {}</p>').format(shown, total, link(href, label))


def search_summary(query: str, total: str, counts: list[tuple[str, str, bool]], every_kind: str | None,
                   titles: list[str], names: list[str]) -> Markup:
    """'N results for “q”: kinds…' (each kind a link, `counts` as (href, text, on)), then the other names searched."""
    kinds = [link(href, text, "atlas-search-kind atlas-on" if on else "atlas-search-kind") for href, text, on in counts]
    if every_kind:
        kinds.append(link(every_kind, "every kind", "atlas-search-kind"))
    line = Markup('<p class="atlas-search-summary"><strong>{}</strong> for “{}”: {}</p>').format(total, query, _join(kinds, " · "))
    if not names:
        return line
    return line + Markup('<p class="atlas-search-also">“{}” names {}, also written {}: every name is searched.</p>').format(
        query, _join(titles, " and "), _join((Markup("<b>{}</b>").format(n) for n in names), ", "))


def example_links(examples: list[tuple[str, str]]) -> Markup:
    """'Try a · b · c', each (href, text) a search."""
    return Markup('<p class="atlas-search-examples">Try {}</p>').format(_join((link(h, x) for h, x in examples), " · "))


# --- The Atlas's own stylesheet and scripts --------------------------------------------------------------------------

def stylesheet(css: str, preload_fonts: Iterable[str] = ()) -> Markup:
    """The Atlas's own stylesheet (read from assets/, not data) and the fonts to fetch early."""
    return Markup("<style>{}</style>{}").format(_trusted(css), _join(
        Markup("<link rel='preload' href='{}' as='font' type='font/woff2' crossorigin>").format(f) for f in preload_fonts))


def _script(code: str) -> Markup:
    return Markup("<script>{}</script>").format(_trusted(code))


def _js_string(value: str) -> str:
    """A JSON string literal that cannot end the script element it sits in."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def scroll_to(target: str) -> Markup:
    """A script that brings an element (an id, or a CSS selector starting with #) into view once it exists: a long page
    may still be drawing when it runs."""
    find = (f"document.querySelector({_js_string(target)})" if target.startswith("#")
            else f"document.getElementById({_js_string(target)})")
    return _script("(() => { let tries = 0; const go = () => { const el = "
                   f"{find}; if (el) el.scrollIntoView({{block: 'center'}}); "
                   "else if (tries++ < 50) setTimeout(go, 100); }; go(); })();")


COPY_SCRIPT = """
if (!window.atlasCopyLink) {
  window.atlasCopyLink = true;
  const say = (button, text) => {
    const status = button.parentElement.querySelector('.atlas-copy-status');
    if (status) status.textContent = text;
    button.classList.add('atlas-copied');
    setTimeout(() => { button.classList.remove('atlas-copied'); if (status) status.textContent = ''; }, 2500);
  };
  const fallback = (url) => {  // an http address other than localhost has no clipboard API
    const field = document.createElement('textarea');
    field.value = url; field.setAttribute('readonly', ''); field.style.position = 'fixed'; field.style.opacity = '0';
    document.body.appendChild(field); field.select();
    let ok = false; try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    field.remove(); return ok;
  };
  document.addEventListener('click', (event) => {
    const button = event.target.closest('[data-atlas-copy]');
    if (!button) return;
    const url = window.location.href;
    const done = () => say(button, 'Link copied');
    const failed = () => { if (fallback(url)) done(); else { say(button, 'Copy failed: copy the address bar'); } };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(url).then(done, failed);
    else failed();
  });
}
"""


def copy_link_button() -> Markup:
    """A button that copies the address bar (which always holds the current view) to the clipboard, and says so.
    Streamlit strips inline handlers, so one delegated listener (installed once per browser tab) does the work."""
    return Markup("<div class='atlas-copy-wrap'><button class='atlas-copy' type='button' data-atlas-copy "
                  "title='Copy the address of exactly this view'>Copy link</button>"
                  "<span class='atlas-copy-status' role='status' aria-live='polite'></span></div>") + _script(COPY_SCRIPT)


# A link to a closed disclosure on the page (the map panel's hint to the feature list) opens it and moves the focus
# there: Chromium does not open a <details> for a fragment link by itself.
OPEN_TARGET = _script("""
if (!window.atlasOpenTarget) {
  window.atlasOpenTarget = true;
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#"]');
    const target = link && document.getElementById(link.getAttribute('href').slice(1));
    if (!target || target.tagName !== 'DETAILS') return;
    event.preventDefault();
    target.open = true;
    target.scrollIntoView({block: 'start'});
    target.querySelector('summary').focus();
  });
}
""")
PRESENTER_CSS = Markup("""<style>
[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], [data-testid='stHeader'], [data-testid='stToolbar']
  { display: none !important; }
[data-testid='stMainBlockContainer'] { padding-top: 0.8rem; padding-bottom: 0.4rem; max-width: 100%; }
[data-testid='stBaseButton-primary'] p, [data-testid='stBaseButton-secondary'] p { font-size: 1.1rem; }
</style>""")
BRIEF_KEYS = _script("""
if (!window.atlasBriefKeys) {
  window.atlasBriefKeys = true;
  document.addEventListener('keydown', (e) => {
    if (!location.pathname.endsWith('/brief')) return;
    if (['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)) return;
    const label = {ArrowRight: 'Next ▶', PageDown: 'Next ▶', ArrowLeft: '◀ Previous', PageUp: '◀ Previous'}[e.key];
    if (!label) return;
    const button = [...document.querySelectorAll('button')].find((b) => b.innerText.trim() === label && !b.disabled);
    if (button) { e.preventDefault(); button.click(); }
  });
}
""")


# --- The offline briefing file ---------------------------------------------------------------------------------------

BRIEFING_CSS = Markup("""
body { font-family: sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1.5rem; color: #111; line-height: 1.5; }
h1 { font-size: 2.2rem; } h2 { font-size: 1.6rem; margin: 0.2rem 0; } .n { color: #4A5560; margin: 0; font-weight: 600; }
section.step { border-top: 2px solid #C9D1DB; padding: 1rem 0; } blockquote { border-left: 4px solid #FFD24D;
margin: 0.5rem 0; padding: 0.2rem 0.8rem; font-style: italic; } img { max-width: 100%; border: 1px solid #C9D1DB; }
li { margin-bottom: 0.5rem; } figure { margin: 0.8rem 0; }
""")


def plotly_figure(fig_html: str) -> Markup:
    """A figure as plotly writes it (pio.to_html): plotly's own markup, its data JSON-escaped by plotly."""
    return _trusted(fig_html)


def briefing_image(alt: str, png_base64: str) -> Markup:
    return Markup("<img alt='{}' src='data:image/png;base64,{}'>").format(alt, png_base64)


def briefing_document(ds: Dataset, steps: list[tuple[object, list[ResolvedCitation], Markup]], plotly_js: str) -> Markup:
    """One self-contained HTML file: each step (headline, text, its figure as Markup drawn by plotly or briefing_image,
    its first quote), every quote cited numbered in order of first use, and the sources with their perspectives.
    `plotly_js` is plotly's own library, inlined so the file works offline."""
    notes: list[tuple[tuple, ResolvedCitation]] = []

    def ref(cit) -> int:
        key = (cit.source_id, cit.start, cit.end)
        for i, (k, _) in enumerate(notes, start=1):
            if k == key:
                return i
        notes.append((key, cit))
        return len(notes)

    sections = []
    for n, (step, cits, figure) in enumerate(steps, start=1):
        marks = _join(Markup("<sup><a href='#q{0}'>[{0}]</a></sup>").format(ref(c)) for c in cits)
        sections.append(Markup("<section class='step'><p class='n'>Step {}</p><h2>{}</h2><p>{}{}</p><figure>{}</figure>"
                               "<blockquote>“{}”</blockquote></section>").format(
            n, step.headline, step.text, marks, figure, cits[0].quote if cits else ""))
    quotes = _join(Markup("<li id='q{}'>“{}” — {}, {} (¶{}; characters {}–{}). <em>{}</em></li>").format(
        i, c.quote, ds.sources[c.source_id].title, ds.sources[c.source_id].publisher, c.passage, c.start, c.end,
        ds.sources[c.source_id].perspective) for i, (_, c) in enumerate(notes, start=1))
    catalogue = _join(Markup("<li><strong>{}</strong> — {}; {}; {}. {}</li>").format(
        s.title, s.author, s.publisher, s.date_published.label() if s.date_published else "date not given", s.perspective)
        for s in ds.sources.values())
    title = ds.settings.title
    lead = f"{ds.settings.description.rstrip('. ')}, step by step. " if ds.settings.description else ""
    return Markup("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{0} — briefing</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{1}</style>
{2}
</head><body>
<h1>{0} — briefing</h1>
<p>{3}Every statement is tied to an exact quote from one of {4}, listed at the end with each source's perspective.</p>
{5}
<h2>Quotes cited</h2><ol>{6}</ol>
<h2>Sources</h2><ul>{7}</ul>
<p><small>Generated by the {0}. Basemap: Made with Natural Earth. CAMEO codes and Goldstein
scores: the GDELT Project.</small></p>
</body></html>""").format(title, BRIEFING_CSS, _script(plotly_js), lead, wording.counted(len(ds.sources), "source"),
                           _join(sections), quotes, catalogue)


# --- What changed ----------------------------------------------------------------------------------------------------

def change_list(entries: list[tuple[str, str, str, str | None]]) -> Markup:
    """/changes: each (title, kind, id, link or None) as a list item, linked to where the record is read when it still is."""
    def item(title: str, kind: str, rid: str, href: str | None) -> Markup:
        label = Markup("{} <span class='atlas-aliases'>({} {})</span>").format(title, kind, rid)
        if href:
            return Markup('<li><a href="{}" target="_self">{}</a></li>').format(href, label)
        return Markup("<li>{}</li>").format(label)

    return Markup("<ul>{}</ul>").format(_join(item(*e) for e in entries))


# --- Words about the corpus, from atlas.yaml and the catalogue ----------------------------------------------------------

def intro(ds: Dataset) -> Markup:
    """The home page's opening: atlas.yaml's description, how many documents, and the promise of provenance."""
    n = len(ds.sources)
    drawn = f"drawn from {n} document{'' if n == 1 else 's'}, each written from its own vantage point."
    lead = f"{ds.settings.description.rstrip('. ')}, {drawn}" if ds.settings.description else drawn.capitalize()
    return Markup("<p class='atlas-intro'>{} <strong>Every record cites the exact sentence it rests on</strong>, so any "
                  "mark can be checked against its source and its author's perspective.</p>").format(lead)


def about_intro(ds: Dataset) -> Markup:
    """The about page's opening: the title, atlas.yaml's description, and what the Atlas is not."""
    what = f"{ds.settings.title}: {ds.settings.description.rstrip('. ')}." if ds.settings.description else f"{ds.settings.title}."
    return Markup("<p class='atlas-intro'>{} It is drawn from a fixed corpus of {}. It does not aggregate the news: it codes "
                  "what these sources say, and shows where each statement comes from.</p>").format(
        what, wording.counted(len(ds.sources), "document"))


def alignment_caveats(ds: Dataset) -> Markup:
    """The method's caveats on /alignments: how many sources, which, and how much of the coding rests on one of them."""
    coded = [e for e in ds.of_kind("event") if getattr(e, "alignment", None)]
    by_source: dict[str, int] = {}
    for e in coded:
        for sid in dict.fromkeys(c.source for c in e.citations):
            by_source[sid] = by_source.get(sid, 0) + 1
    names = wording.source_names(ds)
    sources = f"{wording.counted(len(names), 'source')} ({'; '.join(names)})" if names else "No sources"
    lean = ""
    if by_source:
        top = max(by_source, key=by_source.get)
        lean = f"; {by_source[top]} of {len(coded)} coded events cite {ds.sources[top].short or ds.sources[top].title}"
    return Markup("<p><strong>Caveats.</strong> {}, each written from its own vantage point, cover the period unevenly{}. "
                  "The coding is ours, by the rules below. A line with few events behind it says little: check the counts "
                  "and the robustness table.</p>").format(sources[:1].upper() + sources[1:], lean)


def tagline(ds: Dataset) -> Markup:
    """The sidebar's line under the search box: the Atlas's title and its promise."""
    return Markup("<p class='atlas-said'>{} — every mark opens the sentence behind it.</p>").format(ds.settings.title)
