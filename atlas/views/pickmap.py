"""A map to pick a new place's coordinates with two clicks, as pure functions: the dot grids and the pydeck deck.

st.pydeck_chart reports the object clicked, never the point, so the map is a grid of clickable dots. First a coarse grid
over the region's bounds (0.1° apart where that stays under MAX_DOTS; 0.4° over this corpus's 35° box); a click on one
zooms there and swaps it for a fine grid (a dot every 0.005°, about 500 m) covering that coarse dot's cell; a click on a
fine dot is the place's lon/lat. The places already in the gazetteer are drawn
and named, and clicking one names it instead. No map tiles: the countries are the Atlas's own offline basemap.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pydeck as pdk

from atlas.core.load import Dataset
from atlas.core.model import Bounds
from atlas.views import deck as atlas_deck
from atlas.views import figures
from atlas.views.figures import TEXT_FONT, MapView
from atlas.views.mapstate import MapDrawing

COARSE_STEPS = (0.1, 0.2, 0.25, 0.4, 0.5, 1.0, 2.0, 5.0, 10.0)  # degrees between the first grid's dots: the finest that fits
FINE_STEP = 0.005  # degrees between the dots of the zoomed grid: about 550 m north-south, 400-480 m east-west here
FINE_SPAN = 0.1  # the zoomed grid reaches at least this many degrees either side of the clicked dot (half a coarse step)
# st.pydeck_chart lost the clicks on a grid of 120 000 dots (0.1° over this corpus's bounds; Streamlit 1.67, Chromium:
# hover worked, no click arrived) and kept them on 7 744, so no grid has more than this many:
MAX_DOTS = 8_000
LNGLAT_OFFSETS = pdk.types.String("lnglat-offsets")  # deck.gl 9: positions in degrees from coordinate_origin
MAP_HEIGHT = 460  # px: st.pydeck_chart's height; the zoomed view shows FINE_SPAN either side of the click in it
COARSE_LAYER, FINE_LAYER, PLACES_LAYER = "pick-coarse", "pick-fine", "pick-places"
PRECISION_M = 500


@dataclass(frozen=True)
class Grid:
    """Dots `step` degrees apart from (west, south), `cols` by `rows`; dot i is column i % cols of row i // cols."""

    west: float
    south: float
    step: float
    cols: int
    rows: int

    def __len__(self) -> int:
        return self.cols * self.rows

    def point(self, index: int) -> tuple[float, float] | None:
        """Dot `index`'s (lon, lat), or None where there is no such dot."""
        if not 0 <= index < len(self):
            return None
        row, col = divmod(index, self.cols)
        return _round(self.west + col * self.step), _round(self.south + row * self.step)

    def points(self) -> list[list[float]]:
        lons = [_round(self.west + c * self.step) for c in range(self.cols)]
        return [[lon, _round(self.south + r * self.step)] for r in range(self.rows) for lon in lons]


def _round(value: float) -> float:
    return round(value, 4)


def _count(low: float, high: float, step: float) -> tuple[float, int]:
    """(the first multiple of `step` at or above `low`, how many multiples lie from it up to `high`)."""
    first = math.ceil(round(low / step, 9)) * step
    return first, max(0, math.floor(round((high - first) / step, 9)) + 1)


def coarse_grid(bounds: Bounds) -> Grid:
    """The first grid: the finest of COARSE_STEPS that covers the region's bounds in at most MAX_DOTS dots."""
    for step in COARSE_STEPS:
        west, cols = _count(bounds.west, bounds.east, step)
        south, rows = _count(bounds.south, bounds.north, step)
        if cols * rows <= MAX_DOTS or step == COARSE_STEPS[-1]:
            return Grid(_round(west), _round(south), step, cols, rows)
    raise AssertionError("unreachable")


def snap(value: float, step: float = FINE_STEP) -> float:
    return _round(round(value / step) * step)


def fine_span(bounds: Bounds) -> float:
    """How far the fine grid reaches either side of a clicked coarse dot: the coarse cell around it, at least FINE_SPAN,
    at most what MAX_DOTS allows."""
    half = coarse_grid(bounds).step / 2
    most = (math.sqrt(MAX_DOTS) - 1) * FINE_STEP / 2
    return _round(min(max(FINE_SPAN, math.ceil(round(half / FINE_STEP, 9)) * FINE_STEP), snap(most, FINE_STEP) - FINE_STEP))


def fine_grid(bounds: Bounds, lon: float, lat: float) -> Grid:
    """The fine dots fine_span() degrees either side of (lon, lat) snapped to the fine step. The deck draws them as offsets
    from that centre (one cached file for every centre), so a dot past the region's edge is drawn but never taken."""
    span = fine_span(bounds)
    count = round(2 * span / FINE_STEP) + 1
    return Grid(_round(snap(lon) - span), _round(snap(lat) - span), FINE_STEP, count, count)


def _offsets(bounds: Bounds) -> list[list[float]]:
    return fine_grid(bounds, 0.0, 0.0).points()


def fine_zoom(lat: float, span: float = FINE_SPAN, height_px: int = MAP_HEIGHT) -> float:
    """The zoom at which the fine grid's height (2 * span degrees of latitude, Web Mercator) fills the map's."""
    height = 2 * span / max(math.cos(math.radians(lat)), 0.05)
    return round(math.log2(height_px * 0.92 * 360 / (512 * height)), 2)


def fine_layer_id(lon: float, lat: float) -> str:
    """The fine layer's id names its centre, so a click on it is read without any other state."""
    return f"{FINE_LAYER}@{snap(lon)},{snap(lat)}"


def _fine_centre(layer_id: str) -> tuple[float, float] | None:
    try:
        lon, lat = layer_id.split("@", 1)[1].split(",")
        lon, lat = float(lon), float(lat)
    except (IndexError, ValueError):
        return None
    return (lon, lat) if math.isfinite(lon) and math.isfinite(lat) else None


@dataclass(frozen=True)
class Pick:
    """What a click on the picking map means: zoom to (lon, lat), take (lon, lat) as the place, or a known place."""

    action: str  # "zoom", "point" or "known"
    lon: float | None = None
    lat: float | None = None
    place: str | None = None  # the known place's id


def picked(ds: Dataset, selection) -> Pick | None:
    """The click in st.pydeck_chart's selection state (its 'selection' with 'indices' and 'objects' by layer), or None
    for anything else: the state comes from the browser, and an odd one is no click, never an error."""
    try:
        return _picked(ds, selection)
    except (KeyError, TypeError, AttributeError, ValueError, OverflowError):
        return None


def _picked(ds: Dataset, selection) -> Pick | None:
    indices = selection["selection"]["indices"] or {}
    objects = selection["selection"].get("objects") or {}
    bounds = ds.settings.region.bounds
    for layer_id, picks in indices.items():
        if not picks:
            continue
        index = picks[0]
        if layer_id == PLACES_LAYER:
            obj = (objects.get(layer_id) or [None])[0]
            rid = obj.get("id") if isinstance(obj, dict) else None
            if rid in ds.records:
                return Pick("known", place=rid)
        elif layer_id == COARSE_LAYER:
            point = coarse_grid(bounds).point(index)
            if point:
                return Pick("zoom", *point)
        elif layer_id.startswith(f"{FINE_LAYER}@"):
            centre = _fine_centre(layer_id)
            point = fine_grid(bounds, *centre).point(index) if centre else None
            if point and bounds.contains(*point):
                return Pick("point", *point)
    return None


def _places(ds: Dataset) -> list[pdk.Layer]:
    """The gazetteer's places, clickable, named; a name that would overlap a more important one waits for a closer zoom."""
    places = sorted(ds.of_kind("place"), key=lambda p: -p.importance)
    rows = [{"id": p.id, "position": [p.lon, p.lat]} for p in places]
    labels = [{"text": p.names.international, "position": [p.lon, p.lat], "priority": p.importance} for p in places]
    return [pdk.Layer("ScatterplotLayer", rows, id=PLACES_LAYER, get_position="position", get_radius=6,
                      radius_units=pdk.types.String("pixels"), get_fill_color=[40, 40, 40, 255],
                      get_line_color=[255, 255, 255, 255], stroked=True, line_width_min_pixels=1.5, pickable=True,
                      auto_highlight=True),
            pdk.Layer("TextLayer", labels, id="pick-place-labels", get_position="position", get_text="text", get_size=13,
                      size_units=pdk.types.String("pixels"), get_color=[25, 25, 25, 255], get_pixel_offset=[0, -13],
                      font_weight=600, **TEXT_FONT, outline_width=2.5, outline_color=[255, 255, 255, 255],
                      font_settings={"sdf": True},
                      pickable=False)]


def _grid_layers(layer_id: str, data, step: float, dot: dict, where: dict | None = None) -> list[pdk.Layer]:
    """The dots as drawn (`dot`: their radius and colour) and, under them, a clickable disc per dot that covers its cell:
    a click between two dots still picks the nearer one. The discs are all but transparent (a transparent object cannot
    be picked) until the pointer is over one. The rows are a static file's URL where they can be: st.pydeck_chart checks
    inline rows against the clicked object after each click, and on a few thousand rows that check loses the click."""
    cell_m = step * 111_000 * 0.6
    return [pdk.Layer("ScatterplotLayer", data, id=layer_id, get_position="-", get_radius=cell_m, radius_min_pixels=2,
                      get_fill_color=[255, 255, 255, 1], pickable=True, auto_highlight=True,
                      highlight_color=[214, 90, 0, 110], **(where or {})),
            pdk.Layer("ScatterplotLayer", data, id=f"{layer_id}-dots", get_position="-", pickable=False, **dot, **(where or {}))]


def pick_deck(ds: Dataset, centre: tuple[float, float] | None = None, chosen: tuple[float, float] | None = None) -> pdk.Deck:
    """The picking map: the coarse grid over the region, or the fine grid around `centre`; `chosen` ringed."""
    bounds = ds.settings.region.bounds
    if centre is None:
        camera = figures.default_view(ds)
        grid = coarse_grid(bounds)
        rows = grid.points()
        dots = _grid_layers(COARSE_LAYER, atlas_deck.published(rows) or rows, grid.step,
                            {"get_radius": 1300, "radius_min_pixels": 1, "radius_max_pixels": 5, "get_fill_color": [27, 39, 51, 110]})
    else:
        lon, lat = snap(centre[0]), snap(centre[1])
        camera = pdk.ViewState(longitude=lon, latitude=lat, zoom=fine_zoom(lat))  # the clicked dot ±0.1°; pan for more
        offsets = _offsets(bounds)
        dots = _grid_layers(fine_layer_id(lon, lat), atlas_deck.published(offsets) or offsets, FINE_STEP,
                            {"get_radius": 2.5, "radius_units": pdk.types.String("pixels"), "get_fill_color": [27, 39, 51, 130]},
                            {"coordinate_system": LNGLAT_OFFSETS, "coordinate_origin": [lon, lat]})
    view = MapView(layers=("borders",))
    layers = [*atlas_deck.merge_labels(atlas_deck.basemap_layers(ds, view, MapDrawing(view), camera)), *dots, *_places(ds)]
    if chosen is not None:
        layers.append(pdk.Layer("ScatterplotLayer", [{"position": list(chosen)}], id="pick-chosen", get_position="position",
                                get_radius=11, radius_units=pdk.types.String("pixels"), filled=False, stroked=True,
                                get_line_color=[214, 90, 0, 255], line_width_min_pixels=4))
    # map_provider=None keeps pydeck's "no basemap" sentinel: no vendor tiles are ever fetched (see atlas.views.deck)
    return pdk.Deck(layers=layers, initial_view_state=camera, map_provider=None)
