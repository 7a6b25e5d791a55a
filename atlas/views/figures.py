"""Figures built but not drawn: the pydeck map of corridors, borders, areas, places and events."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

import pydeck as pdk

from atlas.core import geo, kinds
from atlas.core.load import Dataset
from atlas.core.model import RESERVED_LAYER_IDS, Area, Corridor, Event, NamedLayer, Place

# Okabe–Ito, colour-blind safe; corridors take it in file order.
OKABE_ITO = ["#D55E00", "#CC79A7", "#0072B2", "#56B4E9", "#009E73", "#E69F00", "#F0E442", "#000000"]
# The map's own layers; atlas.yaml adds named layers of event places (see layer_labels).
LAYERS = {
    "borders": "Country borders", "areas": "Areas", "corridors": "Corridors", "places": "Places", "events": "Events",
}
assert tuple(LAYERS) == RESERVED_LAYER_IDS
NAME_USAGES = {"international": "International", "armenian": "Armenian usage", "azerbaijani": "Azerbaijani usage",
               "russian": "Russian usage"}
# How a corridor status is drawn: solid, dashed (not built, or contested), cased in red (blocked), faded (moot).
STATUS_STYLE = {
    "operating": "solid", "under-peacekeepers": "solid", "proposed": "dashed", "planned": "dashed",
    "under-construction": "dashed", "disputed": "dashed", "blocked": "blocked", "checkpoint": "blocked",
    "closed": "blocked", "moot": "faded", None: "dashed",
}
STATUS_LABELS = {None: "no dated status yet"}
# Events take the colour of their first tag that atlas.yaml's event_colours names (the shipped ones are Paul Tol's dark
# hues: colour-blind safe among themselves and sharing no colour with the corridors' Okabe–Ito lines); others this one.
EVENT_DEFAULT = "#555555"
WATER, LAND, LAND_FAR, BORDER = [203, 224, 240], [246, 243, 236], [233, 230, 223], [110, 110, 110]
MAP_KINDS = kinds.mapped()  # the kinds the map draws (Kind.mapped)


@dataclass
class MapView:
    """Everything that decides what the map shows; parsed from the URL by atlas.views.links."""

    date: str = ""  # 'YYYY-MM'; empty: the last month of the dataset's period
    layers: tuple[str, ...] | None = None  # None: every layer of the dataset (default_layers)
    names: str = "international"
    focus: str | None = None
    presenter: bool = False  # the brief on a projector: every label at least PRESENTER_TEXT px


PRESENTER_TEXT = 19
PRESENTER_MAX_ZOOM = 6.4

def layer_labels(ds: Dataset) -> dict[str, str]:
    """Every layer the map offers for a dataset, id -> label: its own layers, then atlas.yaml's named layers."""
    return {**LAYERS, **{layer.id: layer.label for layer in ds.settings.layers}}


def default_layers(ds: Dataset) -> tuple[str, ...]:
    return tuple(layer_labels(ds))


def resolved(ds: Dataset, view: MapView) -> MapView:
    """The view with its defaults filled in from the dataset: the period's last month, every layer."""
    return replace(view, date=view.date or geo.last_month(ds),
                   layers=default_layers(ds) if view.layers is None else tuple(view.layers))


@dataclass
class MapBuild:
    deck: pdk.Deck
    mapped: set[str] = field(default_factory=set)  # ids of records drawn
    unmapped_events: list[str] = field(default_factory=list)  # events shown by then that have no place


def rgb(hex_colour: str, alpha: int = 255) -> list[int]:
    h = hex_colour.lstrip("#")
    return [int(h[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


def corridor_colour(ds: Dataset, cid: str) -> str:
    pos = ds.position(cid) if cid in ds.records and ds.records[cid].kind == "corridor" else -1
    return OKABE_ITO[pos % len(OKABE_ITO)] if pos >= 0 else OKABE_ITO[0]


HIT_WIDTH_PX = 22
FONT_FAMILY = "Atlas Sans, DejaVu Sans, Noto Sans, sans-serif"  # Atlas Sans ships in assets/fonts (every name's letters)
# deck.gl draws only ASCII unless told to build its glyph atlas from the text itself ("auto"): en dash, ə, Armenian.
TEXT_FONT = {"font_family": pdk.types.String(FONT_FAMILY), "character_set": pdk.types.String("auto")}


def label_name(names, usage: str) -> str:
    """A record's name in the chosen usage, or its international name where that usage has none."""
    return getattr(names, usage, None) or names.international


def short_name(corridor: Corridor, usage: str = "international") -> str:
    """A map label: the name without its parenthesised gloss ('Middle Corridor', 'TANAP')."""
    return label_name(corridor.names, usage).split(" (")[0]


def event_colours(ds: Dataset) -> dict[str, str]:
    """Tag -> colour, from atlas.yaml's event_colours."""
    return {tag: group.colour for group in ds.settings.event_colours for tag in group.tags}


def event_colour(ds: Dataset, event: Event) -> str:
    colours = event_colours(ds)
    return next((colours[t] for t in event.tags if t in colours), EVENT_DEFAULT)


def event_colour_key(ds: Dataset) -> list[tuple[str, str]]:
    """The map key's reading of the event colours, one line per colour, the default last."""
    groups = ds.settings.event_colours
    return [(g.colour, g.label) for g in groups] + [(EVENT_DEFAULT, "other events" if groups else "events")]


def place_name(place: Place, usage: str) -> str:
    return getattr(place.names, usage, None) or place.names.international


def status_label(status) -> str:
    return status.status.replace("-", " ") if status else STATUS_LABELS[None]


TIP_LINES = 3
TOOLTIP_HTML = "<b>{tip_title}</b>" + "".join(f"<div>{{tip_{i}}}</div>" for i in range(1, TIP_LINES + 1))


def _tip(title: str, *lines: str) -> dict[str, str]:
    """Tooltip fields as plain text: Streamlit escapes each value as it fills TOOLTIP_HTML, so data is never markup
    and never escaped twice."""
    shown = [line for line in lines if line][:TIP_LINES]
    shown += [""] * (TIP_LINES - len(shown))
    return {"tip_title": title, **{f"tip_{i}": line for i, line in enumerate(shown, 1)}}


def layer_events(ds: Dataset, layer: NamedLayer) -> list[Event]:
    """The events of a named layer: those it lists by id, and those carrying all its tags."""
    listed = set(layer.events)
    tags = set(layer.tags)
    return [e for e in ds.of_kind("event") if isinstance(e, Event) and (e.id in listed or (tags and tags <= set(e.tags)))]


def layer_sites(ds: Dataset, layer: NamedLayer, when: dt.date | None = None) -> list[Place]:
    """Places of a named layer's events (each event's place and also_at), from when each event began."""
    ids: list[str] = []
    for e in layer_events(ds, layer):
        if when is not None and not geo.happened_by(e, when):
            continue
        for pid in ([e.place] if e.place else []) + e.also_at:
            if pid not in ids and isinstance(ds.records.get(pid), Place):
                ids.append(pid)
    return [ds.records[i] for i in ids]


def _names_line(names) -> str:
    variants = names.variants()
    return " · ".join(f"{NAME_USAGES[k].replace(' usage', '')}: {v}" for k, v in variants.items() if k != "international")


def _basemap_layers(ds: Dataset, view: MapView, camera: pdk.ViewState) -> list[pdk.Layer]:
    """The countries as one layer: the detailed outlines of the region over the coarse ones of its neighbours (each
    country once). The sea is the map's own background (assets/atlas.css), so it costs no layer."""
    near = geo.geojson(ds, geo.BASEMAP_10M)
    far = geo.geojson(ds, geo.BASEMAP_50M)
    near_names = {(f.get("properties") or {}).get("name") for f in (near or {}).get("features", [])}
    features = [{**f, "properties": {"name": (f.get("properties") or {}).get("name"), "fill": LAND_FAR, "line": BORDER + [140]}}
                for f in (far or {}).get("features", []) if (f.get("properties") or {}).get("name") not in near_names]
    features += [{**f, "properties": {"name": (f.get("properties") or {}).get("name"), "fill": LAND, "line": BORDER + [255]}}
                 for f in (near or {}).get("features", [])]
    if not features:
        return []
    taken = [[p.lon, p.lat] for p in ds.of_kind("place") if p.id in _labelled_places(ds, view, _label_gap(view))]
    spots = geo.country_label_spots(ds, camera.longitude, camera.latitude, avoid=taken if "places" in view.layers else [])
    labels = [{"text": name.upper(), "position": list(pos), "size": PRESENTER_TEXT if view.presenter else 13,
               "color": [95, 95, 95, 230], "offset": [0, 0]} for name, pos in spots.items()]
    return [pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id="countries", filled=True,
                      stroked="borders" in view.layers, get_fill_color="properties.fill", get_line_color="properties.line",
                      line_width_min_pixels=1.2, pickable=False),
            _labels("country-labels", labels)]


def _labels(layer_id: str, rows: list[dict]) -> pdk.Layer:
    """A text layer whose rows carry their own size, colour and offset: build_map merges every one of them into a
    single layer, so the browser builds one glyph atlas for all the map's names instead of one per kind."""
    return pdk.Layer("TextLayer", rows, id=layer_id)


def _merge_labels(layers: list[pdk.Layer]) -> list[pdk.Layer]:
    text = [lyr for lyr in layers if lyr.type == "TextLayer"]
    rows = [dict(r, kind_of_label=lyr.id) for lyr in text for r in lyr.data]
    others = [lyr for lyr in layers if lyr.type != "TextLayer"]
    if not rows:
        return others
    return others + [pdk.Layer("TextLayer", rows, id="labels", get_position="position", get_text="text", get_size="size",
                               size_units=pdk.types.String("pixels"), get_color="color", get_pixel_offset="offset",
                               font_weight=600, **TEXT_FONT, outline_width=2.5, outline_color=[255, 255, 255, 255],
                               font_settings={"sdf": True}, pickable=False)]


def _area_layer(ds: Dataset, view: MapView, when: dt.date, build: MapBuild) -> list[pdk.Layer]:
    features = []
    for area in ds.of_kind("area"):
        assert isinstance(area, Area)
        doc = geo.geojson(ds, area.geometry) if area.geometry else None
        if not doc:
            continue
        current = geo.area_current(area, when)
        state = "as of this date" if current else "historical outline (no longer in force at this date)"
        for feat in doc.get("features", [doc]):
            features.append({"type": "Feature", "geometry": feat["geometry"], "properties": {
                "id": area.id, "kind": "area", "current": current,
                **_tip(label_name(area.names, view.names), f"Area · {area.area_type} · {state}", _names_line(area.names))}})
        build.mapped.add(area.id)
    if not features:
        return []
    return [pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id="areas", filled=True,
                      stroked=True, get_fill_color="properties.current ? [120, 94, 170, 45] : [150, 150, 150, 25]",
                      get_line_color="properties.current ? [90, 60, 150, 220] : [120, 120, 120, 160]",
                      line_width_min_pixels=2, pickable=True, auto_highlight=True)]


def _corridor_layers(ds: Dataset, view: MapView, when: dt.date, build: MapBuild) -> list[pdk.Layer]:
    rows, casing, labels, hits = [], [], [], []
    # Labels by priority: place names first (they are what a reader looks for), then each corridor's name at the
    # point of its route farthest from every label already placed.
    taken = ([[p.lon, p.lat] for p in ds.of_kind("place") if p.id in _labelled_places(ds, view, _label_gap(view))]
             if "places" in view.layers else [])
    if view.presenter:
        camera = _presenter_camera(ds, view)
        boxes = [b for _, b in _presenter_place_boxes(ds, view, _selected_places(ds, view))] if "places" in view.layers else []
    for corridor in ds.of_kind("corridor"):
        assert isinstance(corridor, Corridor)
        coords = geo.route_coords(ds, corridor)
        if len(coords) < 2:
            continue
        status = geo.status_at(corridor, when)
        style = STATUS_STYLE.get(status.status if status else None, "solid")
        colour = corridor_colour(ds, corridor.id)
        alpha = 90 if style == "faded" else 235
        tip = _tip(label_name(corridor.names, view.names), f"Corridor ({corridor.mode}, schematic route)",
                   f"Status in {geo.month_label(view.date)}: {status_label(status)}", _names_line(corridor.names))
        base = {"id": corridor.id, "kind": "corridor", **tip, "color": rgb(colour, alpha)}
        paths = geo.dashes(coords) if style == "dashed" else [coords]
        rows.extend({**base, "path": p} for p in paths)
        if style == "blocked":
            casing.append({**base, "path": coords, "color": [140, 0, 0, 230]})
        hits.append({**base, "path": coords})
        spot = _label_spot(coords, taken)
        if view.presenter:  # on the projector a name goes only where it overprints no other (tooltips keep them all)
            clear = [c for c in coords + [[(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] for a, b in zip(coords, coords[1:], strict=False)]
                     if not _overlaps(_screen_box(*c, short_name(corridor, view.names), PRESENTER_TEXT + 1, -16, camera), boxes)]
            if not clear:
                build.mapped.add(corridor.id)
                continue
            spot = min(clear, key=lambda c: geo.km(c, coords[len(coords) // 2]))
            boxes.append(_screen_box(*spot, short_name(corridor, view.names), PRESENTER_TEXT + 1, -16, camera))
        taken.append(spot)
        labels.append({"text": short_name(corridor, view.names), "position": spot, "color": rgb(colour),
                       "size": PRESENTER_TEXT + 1 if view.presenter else 15, "offset": [0, -16]})
        build.mapped.add(corridor.id)
    layers = []
    if casing:
        layers.append(pdk.Layer("PathLayer", casing, id="corridor-casing", get_path="path", get_color="color",
                                get_width=12, width_units=pdk.types.String("pixels"), cap_rounded=True,
                                joint_rounded=True, pickable=True))
    # A wide, all-but-transparent copy of each route under the drawn one: a thin or dashed line is hard to hit.
    layers.append(pdk.Layer("PathLayer", hits, id="corridor-hit", get_path="path", get_color=[255, 255, 255, 1],
                            get_width=HIT_WIDTH_PX, width_units=pdk.types.String("pixels"), cap_rounded=True,
                            joint_rounded=True, pickable=True))
    layers.append(pdk.Layer("PathLayer", rows, id="corridors", get_path="path", get_color="color", get_width=6,
                            width_units=pdk.types.String("pixels"), cap_rounded=True, joint_rounded=True,
                            pickable=True, auto_highlight=True))
    layers.append(_labels("corridor-labels", labels))
    return layers


def _label_gap(view: MapView) -> tuple[float, float]:
    """Degrees of longitude and latitude two labels keep apart at the opening zoom (more with the brief's large type)."""
    return (0.9, 0.35) if view.presenter else (0.45, 0.22)


def _label_spot(coords: list[list[float]], taken: list[list[float]]) -> list[float]:
    """Where along a route its label crowds the labels already placed least: vertices and segment midpoints are tried,
    the middle of the route winning ties."""
    candidates = [c for a, b in zip(coords, coords[1:], strict=False) for c in (a, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2])]
    candidates.append(coords[-1])
    middle = coords[len(coords) // 2]
    if not taken:
        return middle

    def room(c: list[float]) -> tuple[float, float]:
        nearest = min(abs(c[0] - t[0]) / 2.0 + abs(c[1] - t[1]) for t in taken)
        return min(nearest, 0.45), -geo.km(c, middle)

    return max(candidates, key=room)


def _presenter_camera(ds: Dataset, view: MapView) -> pdk.ViewState:
    camera = view_state(ds, view.focus, view.date)
    camera.zoom = min(camera.zoom, PRESENTER_MAX_ZOOM)
    return camera


def _screen_box(lon: float, lat: float, text: str, size: float, dy: float, camera: pdk.ViewState) -> tuple[float, ...]:
    """Where a label's text falls on screen, in pixels from the map's centre (web mercator, width from its letters)."""
    sx = 512 * 2 ** camera.zoom / 360
    sy = sx / math.cos(math.radians(lat))
    x, y = (lon - camera.longitude) * sx, -(lat - camera.latitude) * sy + dy
    w, h = 0.62 * size * len(text), 1.25 * size
    return x - w / 2, y - h / 2, x + w / 2, y + h / 2


def _overlaps(a: tuple[float, ...], boxes: list[tuple[float, ...]]) -> bool:
    return any(not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]) for b in boxes)


def _presenter_place_boxes(ds: Dataset, view: MapView, selected: list[str]) -> list[tuple[str, tuple[float, ...]]]:
    """The places labelled on the brief's map, by priority (the selected feature's stops, then major places), each
    only where its name does not overprint one already placed; with the screen box of each name."""
    camera = _presenter_camera(ds, view)
    majors = sorted(p.id for p in ds.of_kind("place") if isinstance(p, Place) and p.importance >= 3)
    out: list[tuple[str, tuple[float, ...]]] = []
    for pid in dict.fromkeys([*selected, *majors]):
        place = ds.records.get(pid)
        if not isinstance(place, Place):
            continue
        box = _screen_box(place.lon, place.lat, place_name(place, view.names), PRESENTER_TEXT + 2 * place.importance, 14,
                          camera)
        if not _overlaps(box, [b for _, b in out]):
            out.append((pid, box))
    return out


def _selected_places(ds: Dataset, view: MapView) -> list[str]:
    rec = ds.records.get(view.focus or "")
    if isinstance(rec, Corridor):
        return list(rec.route)
    if isinstance(rec, Place):
        return [rec.id]
    if isinstance(rec, Event):
        return [p for p in [rec.place, *rec.also_at] if p]
    return []


def _labelled_places(ds: Dataset, view: MapView, min_gap: tuple[float, float] = (0.45, 0.22)) -> set[str]:
    """Places that get a label: every place of the selected feature, then major places that would not crowd
    a label already placed (at the default zoom) — few enough to read on a projector."""
    rec = ds.records.get(view.focus or "")
    selected: list[str] = []
    if isinstance(rec, Corridor):
        selected = list(rec.route)
    elif isinstance(rec, Place):
        selected = [rec.id]
    elif isinstance(rec, Event):
        selected = [p for p in [rec.place, *rec.also_at] if p]
    if view.presenter:  # the brief's projector: large type at a wider view, so labels are placed by their real size
        return {pid for pid, _ in _presenter_place_boxes(ds, view, selected)}
    placed = [ds.records[p] for p in dict.fromkeys(selected) if isinstance(ds.records.get(p), Place)]
    majors = sorted((p for p in ds.of_kind("place") if isinstance(p, Place) and p.importance >= 3), key=lambda p: p.id)
    for place in majors:
        if place not in placed and not any(
                abs(place.lon - q.lon) < min_gap[0] and abs(place.lat - q.lat) < min_gap[1] for q in placed):
            placed.append(place)
    return {p.id for p in placed}


def _place_layers(ds: Dataset, view: MapView, build: MapBuild) -> list[pdk.Layer]:
    rows, labels = [], []
    labelled = _labelled_places(ds, view, _label_gap(view))
    for place in ds.of_kind("place"):
        assert isinstance(place, Place)
        shown = place_name(place, view.names)
        approx = " · position approximate" if place.approximate else ""
        tip = _tip(shown, f"{place.place_type.capitalize()} ({place.country}){approx}", _names_line(place.names))
        rows.append({"id": place.id, "kind": "place", **tip, "position": [place.lon, place.lat],
                     "radius": 3 + 2 * place.importance,
                     "fill": [255, 255, 255, 255] if place.approximate else [40, 40, 40, 255]})
        if place.id in labelled:
            size = (PRESENTER_TEXT if view.presenter else 10) + 2 * place.importance
            labels.append({"text": shown, "position": [place.lon, place.lat], "size": size, "color": [25, 25, 25, 255],
                           "offset": [0, 14]})
        build.mapped.add(place.id)
    return [
        pdk.Layer("ScatterplotLayer", rows, id="places", get_position="position", get_radius="radius",
                  radius_units=pdk.types.String("pixels"), get_fill_color="fill", get_line_color=[40, 40, 40, 255],
                  stroked=True, line_width_min_pixels=1.5, pickable=True, auto_highlight=True),
        _labels("place-labels", labels),
    ]


def _event_layer(ds: Dataset, view: MapView, when: dt.date, build: MapBuild) -> list[pdk.Layer]:
    rows, at_place = [], {}
    for event in sorted(ds.of_kind("event"), key=lambda e: e.date.start):
        assert isinstance(event, Event)
        if not geo.happened_by(event, when):
            continue
        place = ds.records.get(event.place) if event.place else None
        if not isinstance(place, Place):
            build.unmapped_events.append(event.id)
            continue
        n = at_place[place.id] = at_place.get(place.id, -1) + 1
        # events at one place fan out on a small ring so each stays clickable
        ring, angle = 1 + n // 8, n * math.pi / 4
        offset = [0.0, 0.0] if n == 0 else [0.09 * ring * math.cos(angle), 0.07 * ring * math.sin(angle)]
        colour = event_colour(ds, event)
        exact = event.date.precision == "day"
        said = f"According to {event.reported_by}" if event.reported_by else ""
        rows.append({
            "id": event.id, "kind": "event", "position": [place.lon + offset[0], place.lat + offset[1]],
            "fill": rgb(colour) if exact else [255, 255, 255, 230], "line": rgb(colour),
            **_tip(event.title, f"Event · {event.date.label()}", said),
        })
        build.mapped.add(event.id)
    if not rows:
        return []
    return [pdk.Layer("ScatterplotLayer", rows, id="events", get_position="position", get_radius=9,
                      radius_units=pdk.types.String("pixels"), get_fill_color="fill", get_line_color="line", stroked=True,
                      line_width_min_pixels=3, pickable=True, auto_highlight=True)]


def _named_layer(ds: Dataset, layer: NamedLayer, when: dt.date) -> list[pdk.Layer]:
    rows = [{"id": p.id, "kind": "place", "position": [p.lon, p.lat], **_tip(p.names.international, layer.note)}
            for p in layer_sites(ds, layer, when)]
    if not rows:
        return []
    return [pdk.Layer("ScatterplotLayer", rows, id=layer.id, get_position="position", get_radius=16,
                      radius_units=pdk.types.String("pixels"), get_fill_color=[213, 94, 0, 70],
                      get_line_color=[160, 40, 0, 255], stroked=True, line_width_min_pixels=2.5, pickable=True)]


def _focus_layer(ds: Dataset, view: MapView) -> list[pdk.Layer]:
    rec = ds.records.get(view.focus or "")
    if isinstance(rec, Corridor):
        coords = geo.route_coords(ds, rec)
        return [pdk.Layer("PathLayer", [{"path": coords}], id="focus", get_path="path", get_color=[255, 200, 0, 200],
                          get_width=22, width_units=pdk.types.String("pixels"), cap_rounded=True, joint_rounded=True)]
    point = focus_point(ds, rec)
    if point:
        return [pdk.Layer("ScatterplotLayer", [{"position": point}], id="focus", get_position="position", get_radius=22,
                          radius_units=pdk.types.String("pixels"), filled=False, stroked=True,
                          get_line_color=[255, 170, 0, 255], line_width_min_pixels=5)]
    return []


def focus_point(ds: Dataset, rec) -> list[float] | None:
    if isinstance(rec, Place):
        return [rec.lon, rec.lat]
    if isinstance(rec, Event) and rec.place and isinstance(ds.records.get(rec.place), Place):
        place = ds.records[rec.place]
        return [place.lon, place.lat]
    return None


FRAME_PX = (600, 440)
SUBJECT_KM = 280  # the map's usual size on a laptop, for choosing a zoom that fits the subject


def subject_box(ds: Dataset, when: dt.date) -> tuple[float, float, float, float] | None:
    """Where the story is at a date: the places of its events and the areas in force (the corridors' routes when there
    are none), each location once; routes run on past the frame. Points farther than SUBJECT_KM from their median are
    left out, so a meeting in a distant capital does not shrink the whole subject to a corner of the map."""
    points: list[list[float]] = []
    for e in ds.of_kind("event"):
        place = ds.records.get(e.place) if isinstance(e, Event) and e.place else None
        if isinstance(place, Place) and geo.happened_by(e, when):
            points.append([place.lon, place.lat])
    for a in ds.of_kind("area"):
        if isinstance(a, Area) and a.geometry and geo.area_current(a, when):
            doc = geo.geojson(ds, a.geometry) or {}
            for feat in doc.get("features", [doc] if doc else []):
                points += geo.geometry_coords(feat.get("geometry") or {})[::50] or []
    if len({(round(p[0], 2), round(p[1], 2)) for p in points}) < 2:  # no events or areas yet: the routes, then
        for c in ds.of_kind("corridor"):
            points += geo.route_coords(ds, c) if isinstance(c, Corridor) else []
    unique = {(round(p[0], 2), round(p[1], 2)) for p in points}
    if len(unique) < 2:
        return None
    lons, lats = sorted(p[0] for p in unique), sorted(p[1] for p in unique)
    middle = [lons[len(lons) // 2], lats[len(lats) // 2]]
    near = [list(p) for p in unique if geo.km(middle, list(p)) <= SUBJECT_KM]
    return geo.bounds(near) if len(near) >= 2 else None


def view_state(ds: Dataset, focus: str | None, month: str | None = None) -> pdk.ViewState:
    """Centred on the focused feature, or framed on the subject at the date."""
    rec = ds.records.get(focus or "")
    coords: list[list[float]] = []
    if isinstance(rec, Corridor):
        coords = geo.route_coords(ds, rec)
    elif isinstance(rec, Area) and rec.geometry and geo.geojson(ds, rec.geometry):
        doc = geo.geojson(ds, rec.geometry)
        for feat in doc.get("features", [doc]):
            coords += geo.geometry_coords(feat["geometry"])
    point = focus_point(ds, rec)
    if point:
        return pdk.ViewState(longitude=point[0], latitude=point[1], zoom=7.2)
    # The opening frame is the subject over the whole period, not the month: stepping or playing through the months
    # keeps the camera still.
    box = geo.bounds(coords) if coords else subject_box(ds, geo.period_end(ds))
    if box:
        west, south, east, north = box
        zoom = geo.zoom_for(box, *FRAME_PX)
        return pdk.ViewState(longitude=round((west + east) / 2, 4), latitude=round((south + north) / 2, 4),
                             zoom=round(zoom, 2))
    return default_view(ds)


def default_view(ds: Dataset) -> pdk.ViewState:
    """atlas.yaml's region.view, else the middle of its region.bounds at a zoom that fits them."""
    region = ds.settings.region
    if region.view is not None:
        return pdk.ViewState(longitude=region.view.lon, latitude=region.view.lat, zoom=region.view.zoom)
    b = region.bounds
    box = (b.west, b.south, b.east, b.north)
    return pdk.ViewState(longitude=(b.west + b.east) / 2, latitude=(b.south + b.north) / 2,
                         zoom=round(geo.zoom_for(box, *FRAME_PX), 2))


def build_map(ds: Dataset, view: MapView) -> MapBuild:
    view = resolved(ds, view)
    when = geo.month_end(view.date)
    build = MapBuild(deck=None)  # type: ignore[arg-type]
    camera = view_state(ds, view.focus, view.date)
    if view.presenter:  # a projector needs the countries around the subject, so never zoom past where their names show
        camera.zoom = min(camera.zoom, PRESENTER_MAX_ZOOM)
    layers = _basemap_layers(ds, view, camera)
    if "areas" in view.layers:
        layers += _area_layer(ds, view, when, build)
    layers += _focus_layer(ds, view)
    if "corridors" in view.layers:
        layers += _corridor_layers(ds, view, when, build)
    for named in ds.settings.layers:
        if named.id in view.layers:
            layers += _named_layer(ds, named, when)
    if "places" in view.layers:
        layers += _place_layers(ds, view, build)
    if "events" in view.layers:
        layers += _event_layer(ds, view, when, build)
    layers = _merge_labels(layers)
    build.deck = pdk.Deck(
        # No vendor basemap: map_provider=None keeps pydeck's "__MAP_STYLE__" sentinel, which Streamlit reads as
        # "no basemap". Passing map_style=None as well would drop the sentinel and Streamlit would fetch Carto.
        layers=layers, initial_view_state=camera, map_provider=None,
        tooltip={"html": TOOLTIP_HTML, "style": {"backgroundColor": "#1B2733", "color": "#FFFFFF", "fontSize": "15px",
                                           "maxWidth": "340px", "padding": "8px 10px"}},
    )
    return build


def clicked_record(selection) -> str | None:
    """The record id of the object a user clicked in st.pydeck_chart's selection state."""
    try:
        objects = selection["selection"]["objects"]
    except (KeyError, TypeError):
        return None
    for layer_objects in (objects or {}).values():
        for obj in layer_objects or []:
            rid = obj.get("id") or (obj.get("properties") or {}).get("id")
            if rid:
                return str(rid)
    return None
