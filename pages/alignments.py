"""Alignments: Armenia's shifting alignments by partner, computed from coded events, each point one click from its quote."""
import datetime as dt
from dataclasses import replace

import pandas as pd
import streamlit as st

from atlas.analysis import alignment, reliability
from atlas.core import geo
from atlas.ui import data, packs, panels, widgets
from atlas.views import charts, cite, render, viewstate

ds = data.require()
_, default_partners = data.contributions(ds)
all_partners = data.derived(ds, alignment.partners_coded)
MONTHS = geo.period_months(ds)
v, notices = viewstate.AlignmentsState.parse(st.query_params, ds, MONTHS, default_partners, all_partners)

subject = ds.settings.subject_name()  # plain text: page_header escapes it
widgets.page_header("Alignments", f"How {subject} moved toward or away from each partner: a running sum over the coded "
                    "events, never drawn by hand. Click a point to read the passage behind it.", ds, notices, compact=True,
                    with_cite=False)

clicked = widgets.new_pick("align", charts.clicked_event(st.session_state.get("align-chart")))
if clicked in ds.records:
    v = replace(v, focus=clicked)

# One bar of controls, so the chart starts high on a laptop; the rarer options sit in a popover.
c1, c2, c3, c4, c5, c6 = st.columns([2.6, 2.3, 1.7, 1.5, 1.35, 0.95], vertical_alignment="bottom")
with c1:
    partners = widgets.url_widget(
        "partners", list(v.partners),
        lambda key: st.multiselect("Partners", all_partners, key=key, placeholder="Choose partners"),
        default=default_partners, to_url=",".join)
with c2:
    period = widgets.url_month_range("Period", MONTHS, (v.first, v.last), geo.month_label)
with c3:
    view = widgets.url_widget(
        "view", v.view, lambda key: st.radio("View", list(viewstate.ALIGNMENT_VIEWS), key=key, horizontal=True,
                                                format_func={"chart": "Over time", "heatmap": "By quarter"}.get),
        default="chart")
with c4.popover("Options" + (" •" if v.options_changed else ""), icon=":material/tune:", width="stretch",
                help="Weights, fading, third-party accounts, non-state acts, sources, robustness band"):
    weights = widgets.url_widget(
        "weights", v.weights,
        lambda key: st.radio("Weights", list(alignment.WEIGHTS), key=key, horizontal=True, format_func=alignment.WEIGHTS.get),
        default="goldstein")
    half = widgets.url_widget(
        "halflife", v.halflife,
        lambda key: st.selectbox("Old events fade (half-life)", list(viewstate.HALF_LIVES), key=key,
                                 format_func=lambda h: "no fading" if h == "0" else f"{h} months"),
        default="0")
    reported = widgets.url_widget(
        "reported", v.reported,
        lambda key: st.toggle("Include events that one side reports about another", key=key),
        default=True, to_url=lambda b: "1" if b else "0")
    nonstate = widgets.url_widget(
        "nonstate", v.nonstate,
        lambda key: st.toggle("Count acts by non-state actors (protests, opposition rallies)", key=key,
                              help="Left out by default: the index measures relations between states and institutions. "
                                   "Hollow markers show these acts either way."),
        default=False, to_url=lambda b: "1" if b else "0")
    sources = widgets.url_widget(
        "sources", list(v.sources),
        lambda key: st.multiselect("Sources", list(ds.sources), key=key, format_func=lambda s: ds.sources[s].title,
                                   help="Leave out a source to see how much of the picture rests on its account"),
        default=list(ds.sources), to_url=",".join)
    envelope = widgets.url_widget(
        "envelope", v.envelope,
        lambda key: st.toggle("Show the robustness band", key=key,
                              help="The range of each line over every variant of the method (see Robustness below)"),
        default=True, to_url=lambda b: "1" if b else "0")
with c5:
    widgets.copy_link_button()
with c6:
    widgets.cite_button()

options = alignment.Options(weights=weights, half_life_months=viewstate.HALF_LIVES[half], include_reported=reported,
                            sources=frozenset(sources), include_non_state=nonstate)
first, last = dt.date.fromisoformat(f"{period[0]}-01"), geo.month_end(period[1])
shown, counts, table = data.derived(ds, alignment.partner_view, options, tuple(partners), first, last)
coded = data.derived(ds, alignment.chart_events, options, tuple(partners), first, last)
choices = coded + [v.focus] if v.focus and v.focus not in coded else coded
if not partners:
    st.info("Choose at least one partner to draw the index.", icon=":material/info:")
elif not coded:
    st.info("No coded events match these choices: widen the period or the sources, or include third-party accounts.",
            icon=":material/info:")
elif view == "chart":
    fig = data.derived(ds, charts.cited_period_chart, tuple(partners), first, last, options, v.focus, envelope,
                       cite.image_line(widgets.view_citation(ds, "alignments", focus=v.focus)))
    st.plotly_chart(fig, on_select="rerun", selection_mode="points", key="align-chart",
                    config={"displaylogo": False, "toImageButtonOptions": {"filename": "atlas-alignments", "scale": 2}})
else:
    heat = data.derived(ds, charts.cited_period_heatmap, tuple(partners), first, last, options,
                        cite.image_line(widgets.view_citation(ds, "alignments")))
    st.plotly_chart(heat, key="align-heatmap",
                    config={"displaylogo": False, "toImageButtonOptions": {"filename": "atlas-alignment-heatmap", "scale": 2}})
robust = data.derived(ds, alignment.robustness, tuple(partners), first, last, options)[1] if partners else None
st.caption(render.md(alignment.chart_caption(ds, shown, options, tuple(partners), first, last, robust), 2000))
panels.partner_moves(ds, data.derived(ds, alignment.period_moves_for, options, tuple(partners), first, last),
                     f"{geo.month_label(period[0])} – {geo.month_label(period[1])}")

focus = widgets.url_widget(  # the keyboard's way to a point: every coded event on the chart, by date
    "focus", v.focus,
    lambda key: st.selectbox("Selected event", [None, *choices], key=key, placeholder="Click a point, or choose an event here",
                             format_func=lambda i: panels.event_label(ds, i)))

if focus:  # the evidence opens over the chart, on screen wherever the point was; closing it clears the selection
    panels.evidence_dialog(ds, focus, period[1], note=None if focus in coded else (
        "This event is not on the chart with these choices (it has no coding for these partners, or its source or "
        "account is left out)."))
else:
    st.caption("Click a point on the chart to open its evidence: the coded event, its coding and the quoted passage.")

st.download_button("Chart data (CSV)", data.derived(ds, alignment.table_csv, options, tuple(partners), first, last),
                   icon=":material/download:", file_name="atlas-alignment-events.csv", mime="text/csv",
                   help="Every coded event behind these lines, with its contribution. The chart's camera icon saves a PNG.")
packs.chart_view(ds, partners, period, options, focus, view)
with st.expander("Data: every coded event behind the chart"):
    st.html(render.data_table(table, "Every coded event behind the chart", numeric=("contribution",)))

if robust is not None and not robust.empty:
    st.header("Robustness: does each line's direction hold?")
    st.markdown(alignment.ROBUSTNESS_TEXT.format(n=len(alignment.variants(ds))))
    st.html(render.data_table(alignment.robustness_table(ds, robust), "Robustness of each line's direction",
                              numeric=("events",)))

st.header("Methodology")
st.markdown(alignment.FORMULA_TEXT.format(subject=render.md(ds.settings.subject_name())))
st.html(render.alignment_caveats(ds))
st.html(render.data_table(counts.rename(columns={"net": "net contribution"}), "Coded events per partner in the period",
                          numeric=("events", "toward", "away", "net contribution")))
rules = alignment.coding_rules(ds)
if rules:
    with st.expander("Coding rules (from data/README.md)"):
        st.html(render.plain_text_block(rules))  # data, shown as text: never interpreted as markdown or HTML

st.subheader("Reliability of the coding")
rel = data.derived(ds, reliability.report)
if rel is None:
    st.info("No second coding exists for this corpus, so the coding's reliability has not been measured "
            f"(add {reliability.SECOND_FILE} to the data directory).", icon=":material/info:")
else:
    st.markdown(reliability.page_text(rel))
    st.html(render.data_table(pd.DataFrame(reliability.provenance_rows(rel)), "Provenance of the second coding"))
    st.html(render.data_table(pd.DataFrame(reliability.figures_rows(rel)), "Agreement between the two codings",
                              numeric=("units", "agree", "agreement")))
    st.html(render.data_table(pd.DataFrame(reliability.disagreement_rows(rel), columns=reliability.DISAGREEMENT_COLUMNS),
                              "Each disagreement and its adjudication"))
