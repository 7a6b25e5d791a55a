"""The live map as a pydeck deck, drawn from the map state (atlas.views.mapstate): one layer per kind of feature."""
from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass, field

import pydeck as pdk

from atlas.core import geo, paths
from atlas.core.load import Dataset
from atlas.core.model import Corridor
from atlas.views import figures
from atlas.views.figures import BORDER, HIT_WIDTH_PX, LAND, LAND_FAR, PRESENTER_TEXT, TEXT_FONT, MapView, rgb
from atlas.views.mapstate import Feature, MapDrawing, map_state


@dataclass
class MapBuild:
    deck: pdk.Deck
    state: MapDrawing
    mapped: set[str] = field(default_factory=set)  # ids of records drawn
    unmapped_events: list[str] = field(default_factory=list)  # events shown by then that have no place


def basemap_layers(ds: Dataset, view: MapView, state: MapDrawing, camera: pdk.ViewState) -> list[pdk.Layer]:
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
    countries = {"type": "FeatureCollection", "features": features}
    taken = [label.position for label in state.labels if label.kind == "place-labels"]
    spots = geo.country_label_spots(ds, camera.longitude, camera.latitude, avoid=taken)
    labels = [{"text": name.upper(), "position": list(pos), "size": PRESENTER_TEXT if view.presenter else 13,
               "color": [95, 95, 95, 230], "offset": [0, 0]} for name, pos in spots.items()]
    return [pdk.Layer("GeoJsonLayer", published(countries) or countries, id="countries", filled=True,
                      stroked="borders" in view.layers, get_fill_color="properties.fill", get_line_color="properties.line",
                      line_width_min_pixels=1.2, pickable=False),
            _labels("country-labels", labels)]


GENERATED = paths.ASSETS / "generated"  # files made from the data, served as static files (static/ links to assets/)
GENERATED_URL = "app/static/generated"


def published(doc: dict) -> str | None:
    """The basemap as a static file the browser fetches (and keeps in its cache) instead of a copy inside every deck:
    two thirds of the deck's JSON, which the browser parsed and walked on every view. Named by its content, written once
    per basemap; None (the deck then carries it) where the folder cannot be written."""
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    path = GENERATED / f"basemap-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:20]}.json"
    if not path.is_file():
        try:
            GENERATED.mkdir(exist_ok=True)
            part = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
            part.write_text(text, encoding="utf-8")
            os.replace(part, path)  # whole or not at all: another server may be reading it
        except OSError:
            return None
    return f"{GENERATED_URL}/{path.name}"


def _labels(layer_id: str, rows: list[dict]) -> pdk.Layer:
    """A text layer whose rows carry their own size, colour and offset: build_map merges every one of them into a
    single layer, so the browser builds one glyph atlas for all the map's names instead of one per kind."""
    return pdk.Layer("TextLayer", rows, id=layer_id)


def merge_labels(layers: list[pdk.Layer]) -> list[pdk.Layer]:
    text = [lyr for lyr in layers if lyr.type == "TextLayer"]
    rows = [dict(r, kind_of_label=lyr.id) for lyr in text for r in lyr.data]
    others = [lyr for lyr in layers if lyr.type != "TextLayer"]
    if not rows:
        return others
    return others + [pdk.Layer("TextLayer", rows, id="labels", get_position="position", get_text="text", get_size="size",
                               size_units=pdk.types.String("pixels"), get_color="color", get_pixel_offset="offset",
                               font_weight=600, **TEXT_FONT, outline_width=2.5, outline_color=[255, 255, 255, 255],
                               font_settings={"sdf": True}, pickable=False)]


def _tip(f: Feature) -> dict[str, str]:
    return figures._tip(*f.tip)


def _label_rows(state: MapDrawing, kind: str) -> list[dict]:
    return [{"text": lb.text, "position": lb.position, **({"color": lb.colour, "size": lb.size} if kind == "corridor-labels"
             else {"size": lb.size, "color": lb.colour}), "offset": lb.offset} for lb in state.labels if lb.kind == kind]


def _area_layer(state: MapDrawing) -> list[pdk.Layer]:
    features = []
    for f in state.layer("areas"):
        geoms = f.geometry["geometries"] if f.geometry["type"] == "GeometryCollection" else [f.geometry]
        for geom in geoms:
            features.append({"type": "Feature", "geometry": geom, "properties": {
                "id": f.id, "kind": "area", "current": f.status == "in-force", **_tip(f)}})
    if not features:
        return []
    return [pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id="areas", filled=True,
                      stroked=True, get_fill_color="properties.current ? [120, 94, 170, 45] : [150, 150, 150, 25]",
                      get_line_color="properties.current ? [90, 60, 150, 220] : [120, 120, 120, 160]",
                      line_width_min_pixels=2, pickable=True, auto_highlight=True)]


def _corridor_layers(state: MapDrawing) -> list[pdk.Layer]:
    rows, casing, hits = [], [], []
    for f in state.layer("corridors"):
        coords = f.geometry["coordinates"]
        base = {"id": f.id, "kind": "corridor", **_tip(f), "color": rgb(f.style.colour, f.style.alpha)}
        rows.extend({**base, "path": p} for p in (geo.dashes(coords) if f.style.pattern == "dashed" else [coords]))
        if f.style.casing:
            casing.append({**base, "path": coords, "color": rgb(f.style.casing, 230)})
        hits.append({**base, "path": coords})
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
    layers.append(_labels("corridor-labels", _label_rows(state, "corridor-labels")))
    return layers


def _place_layers(state: MapDrawing) -> list[pdk.Layer]:
    rows = [{"id": f.id, "kind": "place", **_tip(f), "position": f.point, "radius": f.style.width,
             "fill": [255, 255, 255, 255] if f.style.hollow else [40, 40, 40, 255]} for f in state.layer("places")]
    return [
        pdk.Layer("ScatterplotLayer", rows, id="places", get_position="position", get_radius="radius",
                  radius_units=pdk.types.String("pixels"), get_fill_color="fill", get_line_color=[40, 40, 40, 255],
                  stroked=True, line_width_min_pixels=1.5, pickable=True, auto_highlight=True),
        _labels("place-labels", _label_rows(state, "place-labels")),
    ]


def _event_layer(state: MapDrawing) -> list[pdk.Layer]:
    rows = [{"id": f.id, "kind": "event", "position": f.point,
             "fill": [255, 255, 255, 230] if f.style.hollow else rgb(f.style.colour), "line": rgb(f.style.colour), **_tip(f)}
            for f in state.layer("events")]
    if not rows:
        return []
    return [pdk.Layer("ScatterplotLayer", rows, id="events", get_position="position", get_radius=9,
                      radius_units=pdk.types.String("pixels"), get_fill_color="fill", get_line_color="line", stroked=True,
                      line_width_min_pixels=3, pickable=True, auto_highlight=True)]


def _site_layer(state: MapDrawing, layer_id: str) -> list[pdk.Layer]:
    """A named layer's places (atlas.yaml layers): wide translucent discs, the layer's id the deck layer's."""
    rows = [{"id": f.id, "kind": "place", "position": f.point, "radius": f.style.width,
             "fill": rgb(f.style.colour, f.style.alpha), **_tip(f)} for f in state.layer(layer_id)]
    if not rows:
        return []
    return [pdk.Layer("ScatterplotLayer", rows, id=layer_id, get_position="position", get_radius="radius",
                      radius_units=pdk.types.String("pixels"), get_fill_color="fill",
                      get_line_color=[160, 40, 0, 255], stroked=True, line_width_min_pixels=2.5, pickable=True)]


def _focus_layer(ds: Dataset, view: MapView) -> list[pdk.Layer]:
    rec = ds.records.get(view.focus or "")
    if isinstance(rec, Corridor):
        coords = geo.route_coords(ds, rec)
        return [pdk.Layer("PathLayer", [{"path": coords}], id="focus", get_path="path", get_color=[255, 200, 0, 200],
                          get_width=22, width_units=pdk.types.String("pixels"), cap_rounded=True, joint_rounded=True)]
    point = figures.focus_point(ds, rec)
    if point:
        return [pdk.Layer("ScatterplotLayer", [{"position": point}], id="focus", get_position="position", get_radius=22,
                          radius_units=pdk.types.String("pixels"), filled=False, stroked=True,
                          get_line_color=[255, 170, 0, 255], line_width_min_pixels=5)]
    return []


def build_map(ds: Dataset, view: MapView, state: MapDrawing | None = None) -> MapBuild:
    """The deck for a view, every feature, style, label and tooltip taken from its map state."""
    view = figures.resolved(ds, view)
    state = state or map_state(ds, view)
    camera = figures.view_state(ds, view.focus, view.date)
    if view.presenter:  # a projector needs the countries around the subject, so never zoom past where their names show
        camera.zoom = min(camera.zoom, figures.PRESENTER_MAX_ZOOM)
    layers = basemap_layers(ds, view, state, camera)
    if "areas" in view.layers:
        layers += _area_layer(state)
    layers += _focus_layer(ds, view)
    if "corridors" in view.layers:
        layers += _corridor_layers(state)
    for layer_id in state.named_layers:
        layers += _site_layer(state, layer_id)
    if "places" in view.layers:
        layers += _place_layers(state)
    if "events" in view.layers:
        layers += _event_layer(state)
    layers = merge_labels(layers)
    deck = pdk.Deck(
        # No vendor basemap: map_provider=None keeps pydeck's "__MAP_STYLE__" sentinel, which Streamlit reads as
        # "no basemap". Passing map_style=None as well would drop the sentinel and Streamlit would fetch Carto.
        layers=layers, initial_view_state=camera, map_provider=None,
        tooltip={"html": figures.TOOLTIP_HTML, "style": {"backgroundColor": "#1B2733", "color": "#FFFFFF", "fontSize": "15px",
                                                   "maxWidth": "340px", "padding": "8px 10px"}},
    )
    return MapBuild(deck, state, state.mapped, list(state.unmapped_events))
