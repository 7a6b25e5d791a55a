"""Plotly figures built but not drawn: the alignment index over time and the partner × quarter heatmap."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from atlas import alignment, geo
from atlas.load import Dataset
from atlas.render import esc

# Okabe–Ito, colour-blind safe, a fixed colour per partner so a partner keeps its colour whatever is shown.
PARTNER_COLOURS = {
    "Russia": "#D55E00", "CSTO": "#E69F00", "US": "#0072B2", "EU": "#56B4E9", "France": "#009E73", "UK": "#CC79A7",
    "NATO": "#000000", "India": "#F0E442", "Iran": "#8C564B", "Azerbaijan": "#7F7F7F", "UN": "#17BECF", "ICC": "#9467BD",
}
FALLBACK = ["#332288", "#117733", "#44AA99", "#88CCEE", "#DDCC77", "#AA4499", "#882255"]
SOURCE_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "star", "hexagon", "cross", "x"]
# Moments annotated on the chart, by event id (drawn only when the dataset has them).
KEY_MOMENTS = {
    "ceasefire-statement-2020": "2020 ceasefire",
    "russia-invades-ukraine-2022": "Russia invades Ukraine",
    "september-2022-border-fighting": "Sept 2022 fighting",
    "lachin-road-protests-2022": "Lachin road closed",
    "csto-representative-recalled-2023": "CSTO envoy recalled",
}
FONT = {"family": "sans-serif", "size": 16, "color": "#111111"}
SOURCE_LINE = ("Source: South Caucasus Security Atlas — events coded from four documents (AVİM; a report on a Russian MFA "
               "briefing; an SCFR interview; a news summary). CAMEO/Goldstein: GDELT.")


def _source_line(fig: go.Figure) -> None:
    """The source line inside the figure, so a downloaded image carries it."""
    fig.add_annotation(text=SOURCE_LINE, xref="paper", yref="paper", x=0, y=0, yshift=-62, showarrow=False,
                       xanchor="left", yanchor="top", font={"size": 12, "color": "#444444"})


def _short(title: str, limit: int = 28) -> str:
    """A source title short enough for a legend line."""
    title = title.strip("[]")
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def partner_colour(partner: str) -> str:
    return PARTNER_COLOURS.get(partner) or FALLBACK[sum(map(ord, partner)) % len(FALLBACK)]


def source_symbols(ds: Dataset) -> dict[str, str]:
    return {sid: SOURCE_SYMBOLS[i % len(SOURCE_SYMBOLS)] for i, sid in enumerate(ds.sources)}


def alignment_figure(ds: Dataset, rows: pd.DataFrame, partners: list[str], first: dt.date, last: dt.date,
                     options: alignment.Options, focus: str | None = None) -> go.Figure:
    """Step lines per partner, a marker per coded event (symbol by source, bar over its date interval)."""
    rows = rows[rows["partner"].isin(partners)]
    lines = alignment.series(rows, first, last, options.half_life_months)
    values = alignment.marker_values(rows, options.half_life_months)
    symbols = source_symbols(ds)
    fig = go.Figure()
    for partner in partners:
        colour = partner_colour(partner)
        line = lines[lines["partner"] == partner]
        fig.add_trace(go.Scatter(
            x=line["date"], y=line["index"], mode="lines", name=partner, legendgroup=partner,
            line={"color": colour, "width": 3, "shape": "linear" if options.half_life_months else "hv"},
            hoverinfo="skip"))
        pts = rows[(rows["partner"] == partner) & (rows["mid"] >= pd.Timestamp(first)) & (rows["mid"] <= pd.Timestamp(last))]
        if pts.empty:
            continue
        hover = [
            f"<b>{esc(r.title)}</b><br>{esc(r.date_label)}<br>{esc(partner)}: {r.direction} "
            f"({r.contribution:+.1f}; CAMEO {esc(r.cameo)} {esc(r.cameo_label)})<br>Source: {esc(ds.sources[r.source_id].title)}"
            + (f"<br><i>According to {esc(r.reported_by)}</i>" if r.reported_by else "")
            for r in pts.itertuples()
        ]
        coarse = pts[pts["precision"] != "day"]
        if not coarse.empty:  # the interval a coarse date denotes, drawn instead of a false day
            xs, ys = [], []
            for r in coarse.itertuples():
                xs += [r.start, r.end, None]
                ys += [values[r.Index]] * 2 + [None]
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": colour, "width": 7}, opacity=0.35,
                                     name=f"{partner} date ranges", legendgroup=partner, showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(
            x=pts["mid"], y=values[pts.index], mode="markers", name=f"{partner} events", legendgroup=partner,
            showlegend=False,
            marker={"color": colour, "size": 13, "symbol": [symbols.get(s, "circle") for s in pts["source_id"]],
                    "line": {"color": "#FFFFFF", "width": 1.5}},
            customdata=pts[["event_id"]].to_numpy(), hovertext=hover, hovertemplate="%{hovertext}<extra></extra>"))
    if focus is not None and focus in set(rows["event_id"]):
        sel = rows[rows["event_id"] == focus]
        fig.add_trace(go.Scatter(x=sel["mid"], y=values[sel.index], mode="markers", name="selected", showlegend=False,
                                 marker={"size": 26, "color": "rgba(0,0,0,0)", "line": {"color": "#111111", "width": 3}},
                                 hoverinfo="skip"))
    for sid, symbol in symbols.items():  # a legend for the marker shapes
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=_short(ds.sources[sid].title),
                                 marker={"symbol": symbol, "color": "#555555", "size": 11}, legendgroup="sources"))
    _key_moments(ds, fig, first, last)
    weights = "Goldstein-weighted" if options.weights == "goldstein" else "equal weights"
    decay = f", half-life {options.half_life_months:g} months" if options.half_life_months else ""
    fig.add_hline(y=0, line={"color": "#777777", "width": 1})
    _source_line(fig)
    fig.update_layout(
        title={"text": f"Armenia's alignment with each partner: running sum of coded events ({weights}{decay})",
               "font": {"size": 19}},
        template="plotly_white", font=FONT, height=600, margin={"l": 70, "r": 20, "t": 70, "b": 100},
        hovermode="closest", hoverlabel={"font": {"size": 15}},
        legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "font": {"size": 14}},
        xaxis={"title": "Date (events placed mid-interval; bands span dates known only to the month, quarter or year)",
               "range": [pd.Timestamp(first), pd.Timestamp(last)]},
        yaxis={"title": "Index: toward (+) or away (−)", "zeroline": False},
    )
    return fig


def _key_moments(ds: Dataset, fig: go.Figure, first: dt.date, last: dt.date) -> None:
    shown = 0
    for eid, label in KEY_MOMENTS.items():
        event = ds.records.get(eid)
        if event is None or event.kind != "event" or not (first <= event.date.start <= last):
            continue
        when = pd.Timestamp(event.date.start) + (pd.Timestamp(event.date.end) - pd.Timestamp(event.date.start)) / 2
        fig.add_vline(x=when.value / 1e6, line={"color": "#999999", "dash": "dot", "width": 1.5})
        late = when > pd.Timestamp(first) + (pd.Timestamp(last) - pd.Timestamp(first)) * 0.75
        fig.add_annotation(x=when, y=1.0 - 0.07 * (shown % 3), yref="paper", text=esc(label), showarrow=False,
                           xanchor="right" if late else "left", font={"size": 13, "color": "#333333"},
                           bgcolor="rgba(255,255,255,0.85)")
        shown += 1


def heatmap_figure(rows: pd.DataFrame, partners: list[str]) -> go.Figure:
    """Net signal per partner and quarter; hover lists the events in the cell."""
    q = alignment.quarterly(rows[rows["partner"].isin(partners)])
    quarters = sorted(q["quarter"].unique()) if not q.empty else []
    z, text = [], []
    for partner in partners:
        zs, ts = [], []
        for quarter in quarters:
            cell = q[(q["partner"] == partner) & (q["quarter"] == quarter)]
            zs.append(float(cell["net"].iloc[0]) if not cell.empty else None)
            ts.append("<br>".join(esc(t) for t in cell["events"].iloc[0]) if not cell.empty else "no coded events")
        z.append(zs)
        text.append(ts)
    limit = max([abs(v) for zs in z for v in zs if v is not None] or [1])
    fig = go.Figure(go.Heatmap(
        z=z, x=quarters, y=partners, text=text, colorscale="PuOr", zmid=0, zmin=-limit, zmax=limit,
        hovertemplate="<b>%{y}, %{x}</b><br>net %{z:+.1f}<br>%{text}<extra></extra>", xgap=2, ygap=2,
        colorbar={"title": {"text": "net signal<br>(+ toward)"}}))
    fig.update_layout(title={"text": "Net alignment signal by partner and quarter", "font": {"size": 19}},
                      template="plotly_white", font=FONT, height=140 + 48 * max(len(partners), 1),
                      margin={"l": 90, "r": 20, "t": 60, "b": 60}, yaxis={"autorange": "reversed"},
                      xaxis={"title": "Quarter (events placed mid-interval)"})
    fig.add_annotation(text=SOURCE_LINE, xref="paper", yref="paper", x=0, y=0, yshift=-50, showarrow=False,
                       xanchor="left", yanchor="top", font={"size": 12, "color": "#444444"})
    fig.update_layout(margin={"b": 90})
    return fig


def clicked_event(selection) -> str | None:
    """The event id of a clicked chart point, from st.plotly_chart's selection state."""
    try:
        points = selection["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for point in points or []:
        custom = point.get("customdata") if isinstance(point, dict) else None
        if custom:
            return str(custom[0] if isinstance(custom, list | tuple) else custom)
    return None


PRESENTER_FONT = 19  # px: chart text read from the back of a room


def presenter_figure(ds: Dataset, partners: tuple[str, ...], focus: str | None) -> go.Figure:
    """The alignment chart for the brief: the whole period, large type, no title (the step's headline is the title),
    and no fixed height, so it fills the space the page gives it."""
    rows = alignment.contributions(ds, alignment.Options())
    first = dt.date.fromisoformat(f"{geo.FIRST_MONTH}-01")
    fig = alignment_figure(ds, rows, list(partners), first, geo.month_end(geo.LAST_MONTH), alignment.Options(), focus=focus)
    fig.update_layout(title=None, height=None, autosize=True, font={"size": PRESENTER_FONT},
                      margin={"l": 80, "r": 10, "t": 10, "b": 60}, legend={"font": {"size": PRESENTER_FONT}},
                      xaxis={"title": None, "tickfont": {"size": PRESENTER_FONT}},
                      yaxis={"title": {"text": "toward (+) / away (−)", "font": {"size": PRESENTER_FONT}},
                             "tickfont": {"size": PRESENTER_FONT}},
                      hoverlabel={"font": {"size": PRESENTER_FONT}})
    fig.update_annotations(font_size=PRESENTER_FONT - 1)
    return fig


SLIDE_FONT = 20  # px at the figure's own size: about 12 pt once the image sits on a 16:9 slide


def _wrapped(text: str, width: int) -> str:
    import textwrap

    return "<br>".join(textwrap.wrap(text, width))


def slide_figure(ds: Dataset, partners: tuple[str, ...], focus: str | None = None, options: alignment.Options | None = None,
                 first: dt.date | None = None, last: dt.date | None = None) -> go.Figure:
    """The alignment chart as a picture for a slide, a printed page or the offline briefing: the partners' lines with
    their date bands and markers, the legend above the plot, each key moment written along its own dotted line (so two
    close moments never print over each other), and the source line under the axis, wrapped to the figure's width."""
    options = options or alignment.Options()
    rows = alignment.contributions(ds, options)
    first = first or dt.date.fromisoformat(f"{geo.FIRST_MONTH}-01")
    last = last or geo.month_end(geo.LAST_MONTH)
    fig = alignment_figure(ds, rows, list(partners), first, last, options, focus=focus)
    labels = set(KEY_MOMENTS.values())
    fig.layout.annotations = [a for a in fig.layout.annotations if a.text not in labels and a.text != SOURCE_LINE]
    for eid, label in KEY_MOMENTS.items():
        event = ds.records.get(eid)
        if event is None or event.kind != "event" or not (first <= event.date.start <= last):
            continue
        when = pd.Timestamp(event.date.start) + (pd.Timestamp(event.date.end) - pd.Timestamp(event.date.start)) / 2
        fig.add_annotation(x=when, y=1, yref="paper", yanchor="top", xanchor="right", textangle=-90, text=esc(label),
                           showarrow=False, font={"size": SLIDE_FONT - 4, "color": "#333333"},
                           bgcolor="rgba(255,255,255,0.8)")
    fig.add_annotation(text=_wrapped(SOURCE_LINE, 95), xref="paper", yref="paper", x=0, y=0, yshift=-44, showarrow=False,
                       xanchor="left", yanchor="top", align="left", font={"size": 14, "color": "#444444"})
    weights = "Goldstein-weighted" if options.weights == "goldstein" else "equal weights"
    fig.update_layout(
        title=None, height=None, width=None, font={"size": SLIDE_FONT}, hovermode=False,
        margin={"l": 78, "r": 16, "t": 16, "b": 96},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom", "font": {"size": SLIDE_FONT - 2},
                "itemwidth": 30, "traceorder": "normal"},
        xaxis={"title": None, "tickfont": {"size": SLIDE_FONT}},
        yaxis={"title": {"text": f"toward (+) / away (−), {weights}", "font": {"size": SLIDE_FONT - 2}},
               "tickfont": {"size": SLIDE_FONT}},
    )
    return fig


def slide_heatmap(rows: pd.DataFrame, partners: tuple[str, ...]) -> go.Figure:
    """The quarterly heatmap as a picture for a slide: slide-sized type and the source line wrapped under the axis."""
    fig = heatmap_figure(rows, list(partners))
    fig.layout.annotations = [a for a in fig.layout.annotations if a.text != SOURCE_LINE]
    fig.add_annotation(text=_wrapped(SOURCE_LINE, 95), xref="paper", yref="paper", x=0, y=0, yshift=-80, showarrow=False,
                       xanchor="left", yanchor="top", align="left", font={"size": 14, "color": "#444444"})
    fig.update_layout(title=None, height=None, font={"size": SLIDE_FONT}, margin={"l": 90, "r": 16, "t": 16, "b": 130},
                      xaxis={"title": {"text": "Quarter (events placed mid-interval)", "font": {"size": SLIDE_FONT - 2}},
                             "tickfont": {"size": SLIDE_FONT - 2}},
                      yaxis={"tickfont": {"size": SLIDE_FONT}})
    return fig
