"""About: what the Atlas is, the sources' perspectives, how provenance works, glossary, downloads, licences."""
import streamlit as st

from atlas.ui import data, downloads, widgets
from atlas.views import render, viewstate

ds = data.require()
state, notices = viewstate.AboutState.parse(st.query_params, ds)
widgets.show_notices(notices)
widgets.focus_elsewhere(ds, notices)
focused = state.focus

widgets.title_with_cite("About the Atlas")
st.html(render.about_intro(ds))

st.header("The sources and their perspectives")
st.markdown("Each source speaks from somewhere. Read the perspective note before weighing what a source says; "
            "a claim that one side reports about another is shown as that side's claim, not as fact.")
for src_id in ds.sources:
    st.html(render.speaker(ds, src_id))

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
if terms:  # st.html refuses an empty body
    st.html(render.glossary(ds, terms, focused))
if focused:
    st.html(render.scroll_to(f"term-{focused}"), unsafe_allow_javascript=True)

st.header("Downloads")
st.caption("Every export keeps the provenance: source ids, quotes and character spans. Each file is prepared with the page, "
           "so a click downloads at once; the slide packs take a few seconds, so they are prepared when asked for.")
downloads.offer(ds)
st.markdown("**Images of a view.** Charts: the camera icon in the chart's toolbar saves a PNG with its title, legend and "
            "source line. Map: *Download this map (PNG)* under the map saves the current month, layers and names, with a "
            "legend and source line. Each image carries the view's citation under it (see *Cite* on every page).")

st.header("Licence and attribution")
st.markdown(
    "- **Code:** MIT licence (see `LICENSE`).\n"
    "- **Source documents:** © their authors and publishers; stored and quoted here as evidence, with "
    "each publisher named on every quote.\n"
    "- **CAMEO event codes and Goldstein scores:** from the GDELT Project's published CAMEO tables.\n"
    "- **Summaries, codings and definitions:** written by the Atlas team in their own words."
)
