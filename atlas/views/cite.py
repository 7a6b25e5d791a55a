"""Cite this view: a short citation of exactly what is on screen (the view's title, the Atlas, the data version, the date
accessed and the view's own address) in APA and Chicago style and as BibTeX, and the same text for the foot of an image.

Everything here is plain text built from plain values, so it is tested without a server; the dashboard supplies the
address it is served at and the page's query parameters (atlas/ui/widgets.py).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from atlas.core import geo
from atlas.core.kinds import KINDS
from atlas.core.load import Dataset
from atlas.core.version import data_digest, data_version, version_label  # noqa: F401 (the one data version, cited here)

BASE_URL_ENV = "ATLAS_BASE_URL"  # where the Atlas is served, when the browser's address is not the one to cite
DEFAULT_BASE_URL = "http://localhost:8501"


# ---------------------------------------------------------------------------------------------------------------------
# The view: its title and its address

def _month(ds: Dataset, value: str | None) -> str | None:
    return value if value in geo.period_months(ds) else None


def _focus_title(ds: Dataset, params: Mapping[str, str]) -> str | None:
    rec = ds.records.get(params.get("focus") or "")
    return rec.title if rec is not None else None


def view_title(ds: Dataset, page: str, params: Mapping[str, str]) -> str:
    """A short title for the view a page shows with these parameters; unknown values are left out, never echoed."""
    focus = _focus_title(ds, params)
    if page == "map":
        month = _month(ds, params.get("date")) or geo.last_month(ds)
        title = f"Map of corridors, borders and events, {geo.month_label(month)}"
    elif page == "alignments":
        partners = [p for p in (params.get("partners") or "").split(",") if p.strip()]
        known = [p for p in partners if len(p) <= 40 and p.replace(" ", "").isalnum()]
        first = _month(ds, params.get("from")) or geo.first_month(ds)
        last = _month(ds, params.get("to")) or geo.last_month(ds)
        title = f"{ds.settings.subject_possessive(capital=True)} alignment index" + (f" with {', '.join(known)}" if known else "")
        title += f", {geo.month_label(first)} to {geo.month_label(last)}"
    elif page == "events":
        q = (params.get("q") or "").strip()
        title = "Events" + (f" matching “{q[:60]}”" if q else "")
    elif page == "perspectives":
        issue = params.get("issue") or ""
        title = "Perspectives" + (f" on {issue.replace('-', ' ')}" if re.fullmatch(r"[a-z0-9-]{1,60}", issue) else "")
    elif page == "sources":
        src = ds.sources.get(params.get("source") or "")
        if src is None:
            title = "Sources"
        else:
            title = src.title
            passage = params.get("passage") or ""
            if passage.isdigit():
                title += f", ¶{int(passage)}"
    elif page == "search":
        q = (params.get("q") or "").strip()
        title = f"Search for “{q[:60]}”" if q else "Search"
    elif page == "brief":
        step = params.get("step") or "1"
        n = int(step) if step.isdigit() else 1
        title = f"Brief, step {n}: {ds.brief[n - 1][0].headline}" if 1 <= n <= len(ds.brief) else "Brief"
    elif page == "about":
        title = "About the Atlas" + (f": glossary, {focus}" if focus else "")
        focus = None
    elif page == "record":
        rec = ds.records.get(params.get("id") or "")
        title = f"{KINDS[rec.kind].label if rec.kind in KINDS else rec.kind}: {rec.title}" if rec is not None else "Record"
    elif page == "changes":
        since = params.get("since") or ""
        title = "What changed" + (f" since {since}" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", since) else "")
    else:
        title = "Home"
    return f"{title}: {focus}" if focus else title


def base_url(configured: str | None, context_url: str) -> str:
    """The configured address if any, else the scheme and host of the browser's address, else the default."""
    if configured:
        return configured
    parts = urlsplit(context_url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else DEFAULT_BASE_URL


def view_url(base_url: str, page: str, params: Mapping[str, str]) -> str:
    """The absolute address of exactly this view: the page and every query parameter, in the order given."""
    query = urlencode([(k, v) for k, v in params.items() if v not in (None, "")])
    return f"{base_url.rstrip('/')}/{page}" + (f"?{query}" if query else "")


# ---------------------------------------------------------------------------------------------------------------------
# The citation in three styles

@dataclass(frozen=True)
class ViewCitation:
    site: str  # who publishes the view: the Atlas's title (atlas.yaml)
    title: str
    version: tuple[str, str]  # (date, digest), as data_version gives it
    accessed: dt.date
    url: str

    @property
    def year(self) -> str:
        return self.version[0][:4] if re.match(r"^\d{4}-", self.version[0]) else "n.d."


def _long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def citation(ds: Dataset, page: str, params: Mapping[str, str], base_url: str, version: tuple[str, str],
             accessed: dt.date) -> ViewCitation:
    return ViewCitation(ds.settings.title, view_title(ds, page, params), version, accessed, view_url(base_url, page, params))


def apa(c: ViewCitation) -> str:
    """APA 7 for a dataset view: Author. (Year). Title [Description]. Retrieved date, from URL"""
    return (f"{c.site}. ({c.year}). {c.title} [Data set view, data version {version_label(c.version)}]. "
            f"Retrieved {_long_date(c.accessed)}, from {c.url}")


def chicago(c: ViewCitation) -> str:
    """Chicago (notes and bibliography) for a web page: Site. “Title.” Version. Accessed date. URL."""
    title = c.title.replace("“", "‘").replace("”", "’")
    return (f"{c.site}. “{title}.” Data version {version_label(c.version)}. Accessed {_long_date(c.accessed)}. {c.url}.")


_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                   "_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in text)


def bibtex_key(c: ViewCitation) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", c.title.lower()).strip("-")[:40].strip("-") or "view"
    return f"atlas-{slug}-{c.version[1]}"


def bibtex(c: ViewCitation) -> str:
    """A biblatex/BibTeX @misc entry; the URL is verbatim (url and \\url{} do not interpret it)."""
    url = c.url.replace("}", "%7D").replace("{", "%7B")  # the one thing a verbatim field cannot hold: unbalanced braces
    fields = [
        ("author", f"{{{bibtex_escape(c.site)}}}"),
        ("title", bibtex_escape(c.title)),
        ("year", c.year),
        ("version", bibtex_escape(version_label(c.version))),
        ("url", url),
        ("howpublished", f"\\url{{{url}}}"),
        ("urldate", c.accessed.isoformat()),
        ("note", f"Data version {bibtex_escape(version_label(c.version))}, accessed {c.accessed.isoformat()}"),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(c)},\n{body}\n}}"


STYLES = {"APA": apa, "Chicago": chicago, "BibTeX": bibtex}


def image_line(c: ViewCitation) -> str:
    """The line printed at the foot of an exported image: the APA citation, prefixed."""
    return f"Cite as: {apa(c)}"
