"""About: what the Atlas is, the sources' perspectives, how provenance works, glossary, downloads, licences."""
import datetime as dt

import streamlit as st

from atlas.analysis import explore
from atlas.core import geo
from atlas.ui import data, widgets
from atlas.views import bundle, cite, export, figures, links, render, staticmap

ds = data.require()
focus = links.parse_focus(st.query_params, ds, kinds=("term",))
widgets.show_notices(focus.notices)
widgets.focus_elsewhere(ds, focus)
focused = focus.values["focus"]

widgets.title_with_cite("About the Atlas")
st.markdown(
    "The South Caucasus Security Atlas maps the security balance of the region after the 2020 Karabakh war — "
    "transport corridors, borders, and Armenia's shifting alignments — from a small, fixed corpus of documents. "
    "It does not aggregate the news: it codes what these sources say, and shows where each statement comes from."
)

st.header("The sources and their perspectives")
st.markdown("Each source speaks from somewhere. Read the perspective note before weighing what a source says; "
            "a claim that one side reports about another is shown as that side's claim, not as fact.")
for src_id in ds.sources:
    st.html(f'<div class="atlas-srcitem"><a href="{render.esc(links.sources_href(src_id))}" target="_self">'
            f"<strong>{render.source_line(ds, src_id)}</strong></a><br>"
            f'<span class="atlas-perspective">{render.esc(ds.sources[src_id].perspective)}</span></div>')

st.header("How provenance works")
st.markdown(
    "- Each source is stored byte for byte; its SHA-256 is recorded, so a changed text is caught.\n"
    "- Sources are split into numbered passages (paragraphs). Lines broken mid-sentence by PDF extraction are "
    "rejoined for reading; headings, bylines, footnotes and page furniture are marked as such.\n"
    "- Every record — event, place, corridor, area, claim, term — cites at least one **exact quote**, in the "
    "style of a W3C Web Annotation *TextQuoteSelector* (quote, with optional prefix and suffix).\n"
    "- `python -m atlas validate` refuses a quote that is not found verbatim or that occurs more than once "
    "without a prefix or suffix to tell the occurrences apart. There is no fuzzy matching: a quote either "
    "points at one exact span or the data does not load.\n"
    "- Dates carry a precision (day, month, quarter or year). A date the sources do not give is taken from an "
    "outside reference that the record names, and the Atlas says so wherever it shows the date."
)

st.header("Glossary")
terms = sorted(ds.of_kind("term"), key=lambda t: t.term.lower())
if not terms:
    st.info("This corpus defines no glossary terms yet.")
items = []
for term in terms:
    cits = ds.citations_of(term.id)
    aliases = f' <span class="atlas-aliases">({render.esc(", ".join(term.aliases))})</span>' if term.aliases else ""
    if term.id == focused:
        evidence = "".join(render.citation_card(ds, c) for c in cits)
    else:
        evidence = "".join(
            f'<div class="atlas-termcite">“{render.esc(c.quote)}” — {render.esc(ds.sources[c.source_id].title)}, '
            f'<a href="{render.esc(links.quote_href(c.source_id, c.passage, c.quote))}" target="_self">¶{c.passage}</a></div>'
            for c in cits)
    cls = "atlas-term atlas-focused" if term.id == focused else "atlas-term"
    items.append(f'<dl class="{cls}" id="term-{render.esc(term.id)}"><dt>{render.esc(term.term)}{aliases} '
                 f'<a href="{render.esc(links.href("about", focus=term.id))}" target="_self" title="Link to this term">#</a></dt>'
                 f"<dd>{render.esc(term.definition)}{evidence}</dd></dl>")
if items:  # st.html refuses an empty body
    st.html("".join(items))
if focused:
    st.html(f"<script>document.getElementById('term-{focused}')?.scrollIntoView({{block: 'center'}});</script>",
            unsafe_allow_javascript=True)

st.header("Downloads")
st.caption("Every export keeps the provenance: source ids, quotes and character spans. Each file is prepared with the page, "
           "so a click downloads at once.")
c1, c2, c3 = st.columns(3)
c1.download_button("Citations (CSV)", data.derived(ds, export.citations_csv), file_name="atlas-citations.csv", mime="text/csv",
                   icon=":material/download:", help="One row per citation: record, source, quote and character span")
c2.download_button("W3C Web Annotations (JSON-LD)", data.derived(ds, export.annotations_jsonld), file_name="atlas-annotations.jsonld",
                   mime="application/ld+json", icon=":material/download:",
                   help="Load into annotation tools: each citation as a TextQuoteSelector and TextPositionSelector")
c3.download_button("Events with citations (CSV)", data.derived(ds, explore.all_events_csv),
                   file_name="atlas-events.csv", mime="text/csv", icon=":material/download:")
c1.download_button("Map layers (GeoJSON)", data.derived(ds, export.map_geojson_bytes), file_name="atlas-map.geojson",
                   mime="application/geo+json", icon=":material/download:",
                   help="Places, schematic corridors with their status timelines, areas and events, each with its citations")
c2.download_button("Briefing (one HTML file, works offline)", data.derived(ds, export.briefing_bytes), file_name="atlas-briefing.html",
                   mime="text/html", icon=":material/download:",
                   help="The brief's steps, the interactive alignment chart, a map image and every quote cited")
latest_map = data.derived(ds, staticmap.png_for, geo.LAST_MONTH, figures.DEFAULT_LAYERS, "international", None,
                          cite.image_line(widgets.citation_of(ds, "map", {"date": geo.LAST_MONTH})))
c3.download_button(f"Map image (PNG, {geo.month_label(geo.LAST_MONTH)})", latest_map,
                   file_name="atlas-map.png",
                   mime="image/png", icon=":material/download:")
c1.download_button("Everything: the data bundle (ZIP)", data.derived(ds, bundle.bundle_zip, widgets.base_url(), dt.date.today()),
                   file_name="atlas-data.zip", mime="application/zip", icon=":material/download:", type="primary",
                   help="Every record kind and the citations as CSV, the W3C annotations, the GeoJSON, metadata.json "
                        "(data version, sources with perspectives and licences, coding rules version) and a README on "
                        "how to cite it")
st.markdown("**Images of a view.** Charts: the camera icon in the chart's toolbar saves a PNG with its title, legend and "
            "source line. Map: *Download this map (PNG)* under the map saves the current month, layers and names, with a "
            "legend and source line. The command line writes the same files: `python -m atlas export "
            "citations|annotations|geojson|briefing|bundle --out FILE`, and one record's JSON with `python -m atlas export "
            "record --id ID`.")

st.header("Licence and attribution")
st.markdown(
    "- **Code:** MIT licence (see `LICENSE`).\n"
    "- **Source documents:** © their authors and publishers; stored and quoted here as evidence, with "
    "each publisher named on every quote.\n"
    "- **CAMEO event codes and Goldstein scores:** from the GDELT Project's published CAMEO tables.\n"
    "- **Summaries, codings and definitions:** written by the Atlas team in their own words."
)
