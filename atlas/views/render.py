"""HTML and Markdown fragments built from data: every data string is escaped here, nowhere else."""
from __future__ import annotations

import html
import re

import pandas as pd

from atlas.core.corpus import display_text, heading_text
from atlas.core.load import Dataset, ResolvedCitation
from atlas.core.model import Record
from atlas.views import links

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")
KIND_LABELS = {
    "text": "", "heading": "heading", "meta": "byline / note", "reference": "footnote", "boilerplate": "page furniture",
}


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def md(value: object, limit: int = 120) -> str:
    """A data string made literal inside Streamlit Markdown (notices, captions), cut to `limit`."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping or touching spans of one class become one span, so a reader sees one mark."""
    merged: list[tuple[int, int, str]] = []
    for start, end, cls in sorted(spans):
        if merged and merged[-1][2] == cls and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), cls)
        else:
            merged.append((start, end, cls))
    return merged


def _segments(raw_start: int, raw: str, spans: list[tuple[int, int, str]]) -> str:
    """Raw passage text with [start, end) spans wrapped in <mark class=…>, for reading."""
    out, at = [], 0
    for start, end, cls in _merge(spans):
        s, e = max(start - raw_start, at), min(end - raw_start, len(raw))
        if e <= s:
            continue
        out.append(esc(display_text(raw[at:s])))
        out.append(f'<mark class="{cls}">{esc(display_text(raw[s:e]))}</mark>')
        at = e
    out.append(esc(display_text(raw[at:])))
    return "".join(out)


def passage_body(ds: Dataset, source_id: str, number: int, spans: list[tuple[int, int, str]]) -> str:
    text = ds.texts[source_id]
    p = text.passages[number - 1]
    raw = text.raw(p)
    if p.kind == "heading" and not spans:
        return esc(heading_text(raw))
    return _segments(p.start, raw, spans)


def record_link(rec: Record, ds: Dataset) -> str:
    href = links.record_href(rec, ds)
    return (f'<a href="{esc(href)}" target="_self" class="atlas-reclink">'
            f'<span class="atlas-kind">{esc(rec.kind)}</span> {esc(rec.title)}</a>')


def source_passage(ds: Dataset, source_id: str, number: int, focused: bool = False) -> str:
    """One numbered passage for the Sources reader: cited spans marked, citing records linked."""
    text = ds.texts[source_id]
    p = text.passages[number - 1]
    cits = ds.citations_in(source_id, number)
    body = passage_body(ds, source_id, number, [(c.start, c.end, "atlas-cited") for c in cits])
    classes = ["atlas-passage", f"atlas-{p.kind}"] + (["atlas-focused"] if focused else [])
    kind = KIND_LABELS.get(p.kind, p.kind)
    kind_html = f' <span class="atlas-pkind">{esc(kind)}</span>' if kind else ""
    cited_by = ds.cited_by.get((source_id, number), [])
    refs = ""
    if cited_by:
        refs = '<div class="atlas-citedby">Cited by: ' + " · ".join(
            record_link(ds.records[rid], ds) for rid in cited_by) + "</div>"
    return (f'<section class="{" ".join(classes)}" id="{esc(p.anchor)}">'
            f'<a class="atlas-pnum" href="{esc(links.sources_href(source_id, number))}" target="_self" '
            f'title="Link to this passage">¶{number}</a>{kind_html}'
            f'<div class="atlas-ptext">{body}</div>{refs}</section>')


def source_text(ds: Dataset, source_id: str) -> str:
    """'Title — Publisher, date' as plain text (slides, PDFs); source_line is the same, escaped for HTML."""
    src = ds.sources[source_id]
    date = src.date_published.label() if src.date_published else "date not given"
    return f"{src.title} — {src.publisher}, {date}"


def source_line(ds: Dataset, source_id: str) -> str:
    return esc(source_text(ds, source_id))


def citation_card(ds: Dataset, cit: ResolvedCitation) -> str:
    """The exact quote highlighted inside its passage, with who wrote it and from which perspective."""
    src = ds.sources[cit.source_id]
    body = passage_body(ds, cit.source_id, cit.passage, [(cit.start, cit.end, "atlas-quote")])
    href = links.sources_href(cit.source_id, cit.passage)
    return (
        '<figure class="atlas-card">'
        f'<blockquote class="atlas-ptext">{body}</blockquote>'
        f'<figcaption><span class="atlas-src">{source_line(ds, cit.source_id)}</span> · '
        f'<a href="{esc(href)}" target="_self">¶{cit.passage} in Sources</a><br>'
        f'<span class="atlas-author">By {esc(src.author)}.</span> '
        f'<span class="atlas-perspective">Perspective: {esc(src.perspective)}</span></figcaption>'
        "</figure>"
    )


def source_meta(ds: Dataset, source_id: str) -> str:
    src = ds.sources[source_id]
    date = src.date_published.label() if src.date_published else "not given"
    rows = [
        ("Author / speaker", src.author), ("Publisher / outlet", src.publisher),
        ("Published", f"{date} — {src.date_basis}"), ("Kind", src.source_type), ("Language", src.language),
        ("Original", src.url or "no address given in the document"), ("Stored copy", f"{src.file}, sha256 {src.sha256}"),
    ]
    body = "".join(f"<tr><th scope='row'>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return (f'<div class="atlas-perspective-box"><strong>Who is speaking:</strong> {esc(src.perspective)}</div>'
            f'<table class="atlas-meta">{body}</table>')


def quote_line(ds: Dataset, cit: ResolvedCitation) -> str:
    """A quote on its own, with a link to its passage: for side-by-side reading."""
    href = links.sources_href(cit.source_id, cit.passage)
    return (f'<blockquote class="atlas-quoteline">“{esc(display_text(cit.quote))}” '
            f'<a href="{esc(href)}" target="_self">¶{cit.passage}</a></blockquote>')


def heading(text: str, level: int = 2) -> str:
    """A section heading whose text may hold data: escaped HTML, so markdown, LaTeX and entities stay text."""
    return f"<h{level} class='atlas-h'>{esc(text)}</h{level}>"


def plain_text_block(text: str) -> str:
    """A long text from the data directory (coding rules) shown as it is written: escaped, wrapped, never rendered."""
    return f"<div class='atlas-plaintext'>{esc(text)}</div>"


NUM = " class='atlas-num'"


def data_table(df: pd.DataFrame, label: str, numeric: tuple[str, ...] = (), links: dict[str, list[str]] | None = None) -> str:
    """A DataFrame as a plain, escaped HTML table in a scrollable, focusable region: a text alternative that a screen
    reader reads cell by cell (a canvas grid it cannot), and that costs the browser nothing to draw. `links` makes the
    cells of a column links, one address per row (in this tab: a keyboard's way to open a row)."""
    head = "".join(f"<th scope='col'{NUM if c in numeric else ''}>{esc(c)}</th>" for c in df.columns)
    links = links or {}

    def cell(c: str, v, i: int) -> str:
        text = esc("" if pd.isna(v) else v)
        if c in links:
            text = f"<a href='{esc(links[c][i])}' target='_self'>{text}</a>"
        return f"<td{NUM if c in numeric else ''}>{text}</td>"

    rows = "".join(
        "<tr>" + "".join(cell(c, v, i) for c, v in zip(df.columns, row, strict=True)) + "</tr>"
        for i, row in enumerate(df.itertuples(index=False, name=None)))
    return (f"<div class='atlas-scroll atlas-datatable' tabindex='0' role='region' aria-label='{esc(label)}'>"
            f"<table><caption class='atlas-sr'>{esc(label)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")


def brief_head(step, number: int, total: int) -> str:
    return (f"<div class='atlas-brief-step'>Step {number} of {total}</div>"
            f"<h1 class='atlas-brief-head'>{esc(step.headline)}</h1>")


def brief_text(step) -> str:
    return f"<p class='atlas-brief-text'>{esc(step.text)}</p>"


def brief_bar(ds: Dataset, cits: list[ResolvedCitation], note: str, live_href: str) -> str:
    """The step's first quote, who said it and from where, under the visual (never over it)."""
    first = cits[0]
    src = ds.sources[first.source_id]
    more = f" · {len(cits) - 1} more under Sources" if len(cits) > 1 else ""
    return (f"<div class='atlas-brief-cite'><q>{esc(display_text(first.quote))}</q>"
            f"<div class='atlas-brief-src'>{source_line(ds, first.source_id)} — {esc(src.perspective.split('. ')[0])}. "
            f"<a href='{esc(links.sources_href(first.source_id, first.passage))}' target='_self'>¶{first.passage}</a>"
            f"{esc(more)}</div><div class='atlas-brief-note'>{esc(note)} · "
            f"<a href='{esc(live_href)}' target='_self'>open this view</a></div></div>")


def questions(items) -> str:
    """Starting questions, each a link to the view that answers it."""
    return "<ol class='atlas-questions'>" + "".join(
        f"<li><a href='{esc(q.href)}' target='_self'>{esc(q.text)}</a><br><span class='atlas-said'>{esc(q.hint)}</span></li>"
        for q in items) + "</ol>"


def counts_line(ds: Dataset, cited: int, total: int) -> str:
    kinds = [("event", "events"), ("place", "places"), ("corridor", "corridors"), ("claim", "claims"), ("term", "terms")]
    parts = [f"{len(ds.sources)} sources"] + [f"{len(ds.of_kind(k))} {label}" for k, label in kinds]
    parts += [f"{len(ds.citations)} exact citations", f"{cited}/{total} substantive passages cited"]
    return f"<p class='atlas-counts'>{esc(' · '.join(parts))}</p>"


def speakers(ds: Dataset) -> str:
    """Each source with who wrote it and from which perspective, linked to its text."""
    return "".join(
        f'<div class="atlas-srcitem"><a href="{esc(links.sources_href(src_id))}" target="_self">'
        f"<strong>{source_line(ds, src_id)}</strong></a><br>"
        f'<span class="atlas-perspective">{esc(ds.sources[src_id].perspective)}</span></div>' for src_id in ds.sources)


def claim_rows(ds: Dataset, claims, focus: str | None) -> str:
    """Claims as compact rows: stance, holder (and who relays it), our summary, the first quote; every passage
    behind a disclosure, open for the claim a link points at."""
    from atlas.analysis import perspectives

    out = []
    for claim in claims:
        sym, col = perspectives.STANCES.get(claim.stance, perspectives.MIXED)
        said = f" — as reported by {claim.reported_by}" if claim.reported_by else ""
        cits = ds.citations_of(claim.id)
        first = quote_line(ds, cits[0]) if cits else ""
        cards = "".join(citation_card(ds, c) for c in cits)
        focused = claim.id == focus
        out.append(
            f"<div class='atlas-claimrow{' atlas-focused' if focused else ''}' id='claim-{esc(claim.id)}'>"
            f"<div class='atlas-claimhead'><span class='atlas-stance' style='{perspectives.badge_style(col)}'>{sym}</span> "
            f"{esc(claim.actor)} {esc(claim.stance)}{esc(said)}</div><p>{esc(claim.summary)}</p>{first}"
            f"<details class='atlas-more'{' open' if focused else ''}><summary>The passage{'s' if len(cits) != 1 else ''} "
            f"in full, with the source's perspective ({len(cits)})</summary>{cards}</details></div>")
    return "".join(out)
