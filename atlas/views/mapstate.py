"""What the map shows at a month, computed once: the features with their styles, labels and tooltips, and the key.

`map_state(ds, view)` is the one place that decides, for a dataset and a view (month, layers, names usage, focus),
which records are on the map, how each is drawn (colour, width, dash, casing, hollow), what its label and tooltip say
and which key entries explain it: a `MapDrawing` (not to be confused with atlas.views.viewstate.MapState, the map's URL
state, whose `view()` is the MapView drawn here). The live deck (atlas.views.deck), the PNG (atlas.views.staticmap), the
key laid over the map and the text alternative (atlas.views.render.map_legend, map_text_alternative, from
atlas.views.tables.map_features) and the GeoJSON (atlas.views.export.map_geojson) all draw from it, so they cannot
disagree about what is on the map. The named layers of atlas.yaml (`ds.settings.layers`: the places of some events)
are drawn between the corridors and the places, in the order atlas.yaml lists them.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from atlas.core import geo
from atlas.core.load import Dataset
from atlas.core.model import Area, Corridor, Event, NamedLayer, Place
from atlas.views import figures
from atlas.views.figures import MapView

PATTERN_ORDER = ("solid", "dashed", "blocked", "faded")
PATTERN_WORDS = {"solid": "solid line", "dashed": "dashed line", "blocked": "red casing", "faded": "faded line"}
PLACE_COLOUR, BLOCKED_CASING, FADED_GREY = "#282828", "#8C0000", "#BBBBBB"
AREA_CURRENT, AREA_PAST = "#5A3C96", "#969696"
SITE_COLOUR = "#D55E00"  # the places of a named layer (atlas.yaml layers), a wide translucent disc


@dataclass(frozen=True)
class Style:
    """How a feature is drawn, in terms every renderer can follow."""

    colour: str  # the main colour, hex
    pattern: str = "solid"  # lines: solid, dashed, blocked (red casing), faded; points and areas: solid
    width: float = 6.0  # line width or point radius, in pixels of the live map
    hollow: bool = False  # a point drawn as a ring (approximate place, event dated to the month or coarser)
    alpha: int = 255
    casing: str | None = None  # a wider line under the route (blocked)


@dataclass(frozen=True)
class Feature:
    """One thing drawn on the map: a record in a layer, with its geometry, state at the month, style and texts."""

    id: str  # the record's id
    layer: str  # areas, corridors, places, events, or a named layer's id (atlas.yaml layers)
    kind: str  # the record's kind
    geometry: dict  # GeoJSON geometry, true coordinates (events at their place)
    name: str  # the record's name in the chosen usage
    status: str | None  # corridor status, area in-force/historical, place coordinate status, event date precision
    state: str  # the status in words, at the month
    where: str  # where it is, in words (route, area type, coordinates, place)
    style: Style
    tip: tuple[str, ...]  # tooltip: a title, then up to three lines
    legend: tuple[str, ...]  # the key entries that explain how it is drawn
    offset: tuple[float, float] = (0.0, 0.0)  # a drawing nudge in degrees: events at one place fan out on a ring
    importance: int = 0  # places: 1–5, for the size of the dot and the label

    @property
    def key(self) -> tuple[str, str]:
        return self.layer, self.id

    @property
    def point(self) -> list[float] | None:
        if self.geometry["type"] != "Point":
            return None
        lon, lat = self.geometry["coordinates"]
        return [lon + self.offset[0], lat + self.offset[1]]


@dataclass(frozen=True)
class Label:
    text: str
    position: list[float]
    size: float
    colour: list[int]
    offset: list[int]
    kind: str  # place-labels or corridor-labels
    record: str


@dataclass(frozen=True)
class LegendEntry:
    key: str
    group: str  # corridors (one per route), lines (what a line style means), marks (areas, dots)
    swatch: str  # solid, dashed, blocked, faded (a line); area, area-past; dot, ring, site (a named layer's place)
    colour: str
    label: str
    note: str = ""  # the corridor's status in words
    covers: tuple[str, ...] = ()  # further keys this entry stands for ("+6 more corridors")


@dataclass
class MapDrawing:
    """What the map draws for a view (its defaults filled in from the dataset): the features in drawing order, the
    labels, the key and the events of the period that have no place on the map."""

    view: MapView
    features: list[Feature] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    unmapped_events: list[str] = field(default_factory=list)  # events by then that have no place on the map
    named_layers: dict[str, str] = field(default_factory=dict)  # atlas.yaml's layers on this map: id -> label

    @property
    def mapped(self) -> set[str]:
        return {f.id for f in self.features}

    def layer(self, name: str) -> list[Feature]:
        return [f for f in self.features if f.layer == name]

    def sites(self) -> list[Feature]:
        """The places of the named layers (atlas.yaml layers), layer by layer."""
        return [f for f in self.features if f.layer in self.named_layers]

    def legend_keys(self) -> set[str]:
        return {k for e in self.legend for k in (e.key, *e.covers)}


LEGEND_CORRIDORS = 12  # corridors named in the key; more would push the key off a projector's screen


def map_state(ds: Dataset, view: MapView, label_gap: tuple[float, float] | None = None) -> MapDrawing:
    """What the map shows for a view (an empty date or no layers given: the period's last month, every layer).
    `label_gap` (degrees two place names keep apart) suits the live map's opening zoom by default; a renderer at another
    scale passes its own (which names are drawn, never which features)."""
    view = figures.resolved(ds, view)
    when = geo.month_end(view.date)
    state = MapDrawing(view)
    if "areas" in view.layers:
        state.features += _areas(ds, view, when)
    if "corridors" in view.layers:
        state.features += _corridors(ds, view, when)
    for named in ds.settings.layers:
        if named.id in view.layers:
            state.named_layers[named.id] = named.label
            state.features += _sites(ds, view, named, when)
    if "places" in view.layers:
        state.features += _places(ds, view)
    if "events" in view.layers:
        events, state.unmapped_events = _events(ds, view, when)
        state.features += events
    state.labels = _labels(ds, view, state, label_gap or figures._label_gap(view))
    state.legend = _legend(ds, state)
    return state


def _names_line(names) -> str:
    return " · ".join(f"{figures.NAME_USAGES[k].replace(' usage', '')}: {v}" for k, v in names.variants().items()
                      if k != "international")


def _areas(ds: Dataset, view: MapView, when: dt.date) -> list[Feature]:
    out = []
    for area in ds.of_kind("area"):
        assert isinstance(area, Area)
        doc = geo.geojson(ds, area.geometry) if area.geometry else None
        if not doc:
            continue
        geoms = [feat["geometry"] for feat in doc.get("features", [doc])]
        if not geoms:
            continue
        current = geo.area_current(area, when)
        said = "as of this date" if current else "historical outline (no longer in force at this date)"
        out.append(Feature(
            area.id, "areas", "area", geoms[0] if len(geoms) == 1 else {"type": "GeometryCollection", "geometries": geoms},
            figures.label_name(area.names, view.names), "in-force" if current else "historical",
            "in force" if current else "historical outline", area.area_type,
            Style(AREA_CURRENT if current else AREA_PAST, width=2, alpha=220 if current else 160),
            (figures.label_name(area.names, view.names), f"Area · {area.area_type} · {said}", _names_line(area.names)),
            ("area:current" if current else "area:historical",)))
    return out


def corridor_pattern(status) -> str:
    return figures.STATUS_STYLE.get(status.status if status else None, "solid")


def _corridors(ds: Dataset, view: MapView, when: dt.date) -> list[Feature]:
    out = []
    for corridor in ds.of_kind("corridor"):
        assert isinstance(corridor, Corridor)
        coords = geo.route_coords(ds, corridor)
        if len(coords) < 2:
            continue
        status = geo.status_at(corridor, when)
        pattern = corridor_pattern(status)
        colour = figures.corridor_colour(ds, corridor.id)
        name = figures.label_name(corridor.names, view.names)
        route = " → ".join(figures.place_name(ds.records[p], view.names) for p in corridor.route
                           if isinstance(ds.records.get(p), Place))
        out.append(Feature(
            corridor.id, "corridors", "corridor", {"type": "LineString", "coordinates": coords}, name,
            status.status if status else None, figures.status_label(status), route,
            Style(colour, pattern, 6, alpha=90 if pattern == "faded" else 235,
                  casing=BLOCKED_CASING if pattern == "blocked" else None),
            (name, f"Corridor ({corridor.mode}, schematic route)",
             f"Status in {geo.month_label(view.date)}: {figures.status_label(status)}", _names_line(corridor.names)),
            (f"corridor:{corridor.id}", f"line:{pattern}")))
    return out


def _sites(ds: Dataset, view: MapView, named: NamedLayer, when: dt.date) -> list[Feature]:
    """A named layer's places: where its events had happened by the month (atlas.yaml layers)."""
    return [Feature(p.id, named.id, "place", {"type": "Point", "coordinates": [p.lon, p.lat]}, figures.place_name(p, view.names),
                    named.id, named.label, f"{p.lat:.3f} N, {p.lon:.3f} E ({p.country})",
                    Style(SITE_COLOUR, width=16, alpha=70),
                    (figures.place_name(p, view.names), named.note), (f"layer:{named.id}",))
            for p in figures.layer_sites(ds, named, when)]


def _places(ds: Dataset, view: MapView) -> list[Feature]:
    out = []
    for place in ds.of_kind("place"):
        assert isinstance(place, Place)
        name = figures.place_name(place, view.names)
        approx = " · position approximate" if place.approximate else ""
        out.append(Feature(
            place.id, "places", "place", {"type": "Point", "coordinates": [place.lon, place.lat]}, name,
            place.coord_status, place.coord_status, f"{place.lat:.3f} N, {place.lon:.3f} E ({place.country})",
            Style(PLACE_COLOUR, width=3 + 2 * place.importance, hollow=place.approximate),
            (name, f"{place.place_type.capitalize()} ({place.country}){approx}", _names_line(place.names)),
            ("place:approximate" if place.approximate else "place:exact",), importance=place.importance))
    return out


def _events(ds: Dataset, view: MapView, when: dt.date) -> tuple[list[Feature], list[str]]:
    out, unmapped, at_place = [], [], {}
    for event in sorted(ds.of_kind("event"), key=lambda e: e.date.start):
        assert isinstance(event, Event)
        if not geo.happened_by(event, when):
            continue
        place = ds.records.get(event.place) if event.place else None
        if not isinstance(place, Place):
            unmapped.append(event.id)
            continue
        n = at_place[place.id] = at_place.get(place.id, -1) + 1
        # events at one place fan out on a small ring so each stays clickable
        ring, angle = 1 + n // 8, n * math.pi / 4
        offset = (0.0, 0.0) if n == 0 else (0.09 * ring * math.cos(angle), 0.07 * ring * math.sin(angle))
        colour = figures.event_colour(ds, event)
        exact = event.date.precision == "day"
        said = f"According to {event.reported_by}" if event.reported_by else ""
        out.append(Feature(
            event.id, "events", "event", {"type": "Point", "coordinates": [place.lon, place.lat]}, event.title,
            event.date.precision, event.date.label(), figures.place_name(place, view.names),
            Style(colour, width=9, hollow=not exact),
            (event.title, f"Event · {event.date.label()}", said),
            (f"event:{colour}",) + (() if exact else ("event:hollow",)), offset=offset))
    return out, unmapped


def _labels(ds: Dataset, view: MapView, state: MapDrawing, gap: tuple[float, float]) -> list[Label]:
    """Place names first (what a reader looks for), then each corridor's name where it crowds them least."""
    labels: list[Label] = []
    places = {f.id for f in state.layer("places")}
    labelled = figures._labelled_places(ds, view, gap) if places else set()
    for f in state.layer("places"):
        if f.id in labelled:
            size = (figures.PRESENTER_TEXT if view.presenter else 10) + 2 * f.importance
            labels.append(Label(f.name, list(f.geometry["coordinates"]), size, [25, 25, 25, 255], [0, 14], "place-labels", f.id))
    taken = [[p.lon, p.lat] for p in ds.of_kind("place") if p.id in labelled]
    if view.presenter:
        camera = figures._presenter_camera(ds, view)
        boxes = ([b for _, b in figures._presenter_place_boxes(ds, view, figures._selected_places(ds, view))]
                 if places else [])
    for f in state.layer("corridors"):
        coords = f.geometry["coordinates"]
        text = f.name.split(" (")[0]
        spot = figures._label_spot(coords, taken)
        if view.presenter:  # on the projector a name goes only where it overprints no other (tooltips keep them all)
            size = figures.PRESENTER_TEXT + 1
            mids = [[(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] for a, b in zip(coords, coords[1:], strict=False)]
            clear = [c for c in coords + mids if not figures._overlaps(figures._screen_box(*c, text, size, -16, camera), boxes)]
            if not clear:
                continue
            spot = min(clear, key=lambda c: geo.km(c, coords[len(coords) // 2]))
            boxes.append(figures._screen_box(*spot, text, size, -16, camera))
        taken.append(spot)
        labels.append(Label(text, spot, figures.PRESENTER_TEXT + 1 if view.presenter else 15, figures.rgb(f.style.colour),
                            [0, -16], "corridor-labels", f.id))
    return labels


def _legend(ds: Dataset, state: MapDrawing) -> list[LegendEntry]:
    """One entry per way of drawing that is on the map at the month, and nothing else."""
    used = {k for f in state.features for k in f.legend}
    out: list[LegendEntry] = []
    corridors = state.layer("corridors")
    for f in corridors[:LEGEND_CORRIDORS]:
        out.append(LegendEntry(f"corridor:{f.id}", "corridors", f.style.pattern, f.style.colour, f.name.split(" (")[0], f.state))
    if len(corridors) > LEGEND_CORRIDORS:  # a user's large corpus: the key stays readable, the text table lists the rest
        rest = corridors[LEGEND_CORRIDORS:]
        out.append(LegendEntry(f"corridor:{rest[0].id}", "corridors", "more", "", f"+{len(rest):,} more corridors",
                               covers=tuple(f"corridor:{f.id}" for f in rest[1:])))
    for pattern in PATTERN_ORDER:
        if f"line:{pattern}" in used:
            said = list(dict.fromkeys(f.state for f in corridors if f.style.pattern == pattern))
            out.append(LegendEntry(f"line:{pattern}", "lines", pattern, "#444", ", ".join(said)))
    marks = [("area:current", "area", AREA_CURRENT, "area in force"),
             ("area:historical", "area-past", AREA_PAST, "historical outline"),
             ("place:exact", "dot", PLACE_COLOUR, "place"),
             ("place:approximate", "ring", PLACE_COLOUR, "place, position approximate"),
             ("event:hollow", "ring", figures.EVENT_DEFAULT, "event, date not to the day")]
    marks += [(f"layer:{lid}", "site", SITE_COLOUR, label) for lid, label in state.named_layers.items()]
    marks += [(f"event:{c}", "dot", c, label) for c, label in figures.event_colour_key(ds)]
    out += [LegendEntry(key, "lines" if swatch.startswith("area") else "marks", swatch, colour, label)
            for key, swatch, colour, label in marks if key in used]
    return out
