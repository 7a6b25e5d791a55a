"""Slide packs in the dashboard: a pack takes seconds to draw, so it is prepared when asked for, once per dataset and
view for every session (data.derived), and then downloads at once."""
from __future__ import annotations

import hashlib

import streamlit as st

from atlas.analysis import alignment
from atlas.ui import data, widgets
from atlas.views import pack

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PREPARE_HINT = "Draws the pictures and writes the files: a few seconds"


def _offer(key: str, prepare_label: str, build, file_stem: str, what: str, width: str = "stretch") -> None:
    """A button that prepares the pack; once pressed (for this view), the PowerPoint and PDF download buttons."""
    flag = f"pack-ready:{key}"
    if not st.session_state.get(flag):
        st.button(prepare_label, key=f"pack-prepare:{key}", icon=":material/slideshow:", width=width,
                  on_click=st.session_state.__setitem__, args=(flag, True), help=PREPARE_HINT)
        return
    with st.spinner("Preparing the slides…"):
        files = build()
    st.download_button(f"{what} (PowerPoint)", files.pptx, file_name=f"{file_stem}.pptx", mime=PPTX_MIME,
                       icon=":material/download:", key=f"pack-pptx:{key}", on_click="ignore", width=width,
                       help="16:9 slides: the quote on the slide; every quote, the caveats and the live view in the notes")
    st.download_button(f"{what} (PDF)", files.pdf, file_name=f"{file_stem}.pdf", mime="application/pdf",
                       icon=":material/download:", key=f"pack-pdf:{key}", on_click="ignore", width=width,
                       help="The same pages as a PDF: text selectable, quotes searchable, the live view a link")


def _key(*parts) -> str:
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:12]


def brief_downloads(ds) -> None:
    """The whole brief as slides and as a PDF (for the Sources popover of /brief)."""
    url = widgets.base_url()
    _offer(_key("brief", url), "Prepare slides of the brief (PowerPoint, PDF)",
           lambda: data.derived(ds, pack.brief_pack, url), "atlas-brief", "The brief", width="content")


def map_view(ds, view) -> None:
    """'Add this view to a pack': the map as set up now (month, layers, names, selection), one slide with evidence."""
    url = widgets.base_url()
    args = (view.date, tuple(view.layers), view.names, view.focus, url)
    with st.popover("Add this view to a pack", icon=":material/slideshow:",
                    help="This map as one slide or PDF page, with the evidence behind it"):
        st.caption("One 16:9 slide of this map with the selected feature's quote, source and perspective; every quote "
                   "and the link back to this view go in the notes. Reuse slides from several downloads to build a pack.")
        _offer(_key("map", *args), "Prepare the slide", lambda: data.derived(ds, pack.map_view_pack, *args),
               f"atlas-map-{view.date}", "Slide")


def chart_view(ds, partners, period, options: alignment.Options, focus: str | None, kind: str = "chart") -> None:
    """'Add this view to a pack': the alignment chart as set up now, one slide with the evidence behind it."""
    url = widgets.base_url()
    chart = pack.ChartView(partners=tuple(partners), first=period[0], last=period[1], options=options, focus=focus,
                           kind=kind)
    with st.popover("Add this view to a pack", icon=":material/slideshow:",
                    help="This chart as one slide or PDF page, with the evidence behind it", disabled=not partners):
        st.caption("One 16:9 slide of this chart with the selected event's quote (or the quote behind the biggest move), "
                   "its source and perspective; every event's quote and the link back to this view go in the notes.")
        _offer(_key("chart", chart, url), "Prepare the slide", lambda: data.derived(ds, pack.chart_view_pack, chart, url),
               "atlas-alignments", "Slide")
