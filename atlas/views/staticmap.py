"""A static map image (PNG) with title, legend and source line: for downloads and the offline briefing."""
from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from atlas.core import geo, paths
from atlas.core.load import Dataset
from atlas.core.model import Area, Corridor, Event, Place
from atlas.views import figures, wording
from atlas.views.mapstate import BLOCKED_CASING, FADED_GREY, LegendEntry, MapDrawing, map_state

SIZE = (1600, 1100)
MAP_TOP, MAP_BOTTOM, LEGEND_W = 90, 90, 420


@dataclass
class Drawn:
    """What a picture holds: the map state's feature keys (layer, record id) and key entries, in drawing order."""

    features: list[tuple[str, str]] = field(default_factory=list)
    key: list[str] = field(default_factory=list)


def _merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


class _Projection:
    def __init__(self, width: int, height: int, top: int, box: tuple[float, float, float, float]):
        west, south, east, north = box
        self.west, self.top = west, top
        self.sx = width / (east - west)
        self.y0, self.sy = _merc(north), height / (_merc(north) - _merc(south))

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.sx, self.top + (self.y0 - _merc(lat)) * self.sy


SYSTEM_FONTS = (str(paths.ASSETS / "fonts" / "AtlasSans.ttf"),  # shipped with the Atlas (assets/fonts)
                "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
HIGHLIGHT = (255, 190, 0)  # the selected feature, as on the live map


def _font(size: int) -> ImageFont.FreeTypeFont:
    for path in SYSTEM_FONTS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _text(value: str) -> str:
    """Text the font can draw: Pillow's built-in font lacks dashes and some Turkish letters."""
    if any(Path(p).is_file() for p in SYSTEM_FONTS):
        return value
    folded = value.replace("–", "-").replace("—", "-").replace("İ", "I").replace("ı", "i")
    return unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()


def _rings(geom: dict):
    if geom["type"] == "Polygon":
        yield from geom["coordinates"][:1]
    elif geom["type"] == "MultiPolygon":
        for poly in geom["coordinates"]:
            yield poly[0]


def render_png(ds: Dataset, view: figures.MapView, title: str | None = None,
               box: tuple[float, float, float, float] | None = None, citation: str | None = None) -> bytes:
    """The map as of a month, drawn from its map state (the features, styles, names and key of the live map):
    countries, areas, corridors by status, places, events; key and source line included.
    `box` (west, south, east, north) narrows the window, e.g. to the selected feature (see focus_box). `citation` (the
    view's citation, atlas.views.cite.image_line) is printed under the source line, on as many lines as it needs."""
    img, _ = draw_map(ds, view, title, box)
    if citation:
        img = with_citation(img, citation)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def draw_map(ds: Dataset, view: figures.MapView, title: str | None = None,
             box: tuple[float, float, float, float] | None = None) -> tuple[Image.Image, Drawn]:
    """render_png's picture, with what it drew: the feature keys and the key entries."""
    view = figures.resolved(ds, view)
    drawn = Drawn()
    width, height = SIZE
    map_w, map_h = width - LEGEND_W, height - MAP_TOP - MAP_BOTTOM
    img = Image.new("RGB", SIZE, "white")
    canvas = Image.new("RGB", (map_w, map_h), tuple(figures.WATER))  # the map, clipped to its own panel
    draw = ImageDraw.Draw(canvas)
    whole = geo.picture_box(ds)
    proj = _Projection(map_w, map_h, 0, box or whole)
    zoomed = box is not None and box != whole
    # zoomed in, the selection's places and the major places that do not crowd them are named; else every major one
    state = map_state(ds, view, ((box[2] - box[0]) * 0.08, (box[3] - box[1]) * 0.05) if zoomed else (0.0, 0.0))
    for rel, fill in ((geo.BASEMAP_50M, tuple(figures.LAND_FAR)), (geo.BASEMAP_10M, tuple(figures.LAND))):
        doc = geo.geojson(ds, rel)
        for feat in (doc or {}).get("features", []):
            for ring in _rings(feat["geometry"]):
                draw.polygon([proj(x, y) for x, y in ring], fill=fill, outline=(120, 120, 120))
    for f in state.layer("areas"):
        drawn.features.append(f.key)
        geoms = f.geometry["geometries"] if f.geometry["type"] == "GeometryCollection" else [f.geometry]
        for ring in (r for g in geoms for r in _rings(g)):
            if f.id == view.focus:
                draw.line([proj(x, y) for x, y in ring], fill=HIGHLIGHT, width=12, joint="curve")
            draw.line([proj(x, y) for x, y in ring], fill=f.style.colour, width=3)
    for name, (lon, lat) in geo.country_labels(ds).items():
        x, y = proj(lon, lat)
        draw.text((x, y), _text(name.upper()), fill=(95, 95, 95), font=_font(20), anchor="mm")
    for f in state.layer("corridors"):
        drawn.features.append(f.key)
        coords = f.geometry["coordinates"]
        if f.id == view.focus:
            draw.line([proj(*p) for p in coords], fill=HIGHLIGHT, width=24, joint="curve")
        if f.style.casing:
            draw.line([proj(*p) for p in coords], fill=f.style.casing, width=13, joint="curve")
        for seg in geo.dashes(coords) if f.style.pattern == "dashed" else [coords]:
            draw.line([proj(*p) for p in seg], fill=FADED_GREY if f.style.pattern == "faded" else f.style.colour, width=6,
                      joint="curve")
    for f in state.sites():
        drawn.features.append(f.key)
        x, y = proj(*f.point)
        draw.ellipse([x - 15, y - 15, x + 15, y + 15], fill=(246, 214, 191), outline=(160, 40, 0), width=3)
    for f in state.layer("places"):
        drawn.features.append(f.key)
        x, y = proj(*f.point)
        r = f.style.width
        draw.ellipse([x - r, y - r, x + r, y + r], fill="white" if f.style.hollow else (40, 40, 40), outline=(40, 40, 40), width=2)
    for f in state.layer("events"):
        drawn.features.append(f.key)
        x, y = proj(*f.point)
        draw.ellipse([x - 7, y - 7, x + 7, y + 7], fill="white" if f.style.hollow else f.style.colour, outline=f.style.colour,
                     width=3)
    for label in state.labels:
        if label.kind == "place-labels":
            x, y = proj(*label.position)
            r = 3 + 2 * ds.records[label.record].importance
            draw.text((x, y + r + 4), _text(label.text), fill=(20, 20, 20), font=_font(19), anchor="mt",
                      stroke_width=3, stroke_fill="white")
    highlighted = _highlight_point(ds, view, draw, proj)
    img.paste(canvas, (0, MAP_TOP))
    draw = ImageDraw.Draw(img)
    draw.text((24, 24), _text(title or f"{geo.region_titled(ds, 'corridors and borders')}, {geo.month_label(view.date)}"),
              fill=(17, 17, 17), font=_font(36))
    drawn.key = _draw_key(draw, state, map_w + 24, MAP_TOP, _highlight_label(ds, view, highlighted))
    draw.text((24, height - 62), _text(wording.map_source_line(ds)),
              fill=(60, 60, 60), font=_font(18))
    return img, drawn


def _swatch(draw: ImageDraw.ImageDraw, entry: LegendEntry, x: float, y: float) -> None:
    """An entry's mark in the key, drawn as the map draws it."""
    if entry.swatch in ("solid", "dashed", "blocked", "faded"):
        if entry.swatch == "blocked":
            draw.line([x, y, x + 44, y], fill=BLOCKED_CASING, width=13)
        colour = FADED_GREY if entry.swatch == "faded" else entry.colour
        for a, b in ((x, x + 14), (x + 22, x + 36)) if entry.swatch == "dashed" else ((x, x + 44),):
            draw.line([a, y, b, y], fill=colour, width=7)
    elif entry.swatch.startswith("area"):
        draw.rectangle([x + 6, y - 9, x + 38, y + 9], outline=entry.colour, width=3)
    elif entry.swatch == "site":
        draw.ellipse([x + 10, y - 12, x + 34, y + 12], fill=(246, 214, 191), outline=(160, 40, 0), width=3)
    elif entry.swatch in ("dot", "ring"):
        draw.ellipse([x + 15, y - 7, x + 29, y + 7], fill="white" if entry.swatch == "ring" else entry.colour,
                     outline=entry.colour, width=3)


def _draw_key(draw: ImageDraw.ImageDraw, state: MapDrawing, lx: float, ly: float, selected: str | None) -> list[str]:
    """The key of the map state: every corridor with its status, then only the line styles and marks on the map.
    Returns the keys of the entries drawn."""
    keys: list[str] = []
    draw.text((lx, ly), f"Key, {geo.month_label(state.view.date)}", fill=(17, 17, 17), font=_font(24))
    ly += 38
    for entry in (e for e in state.legend if e.group == "corridors"):
        keys += [entry.key, *entry.covers]
        if entry.swatch == "more":
            draw.text((lx + 56, ly), _text(entry.label), fill=(70, 80, 90), font=_font(17))
            ly += 28
            continue
        _swatch(draw, entry, lx, ly + 12)
        for line in _wrap(entry.label, _font(19), LEGEND_W - 80)[:2]:
            draw.text((lx + 56, ly), _text(line), fill=(17, 17, 17), font=_font(19))
            ly += 23
        draw.text((lx + 56, ly), _text(entry.note), fill=(70, 80, 90), font=_font(16))
        ly += 25
    ly += 6
    if selected:
        draw.rounded_rectangle([lx, ly + 2, lx + 44, ly + 22], radius=6, outline=HIGHLIGHT, width=5)
        for line in _wrap(f"Selected: {selected}", _font(19), LEGEND_W - 100)[:3]:
            draw.text((lx + 56, ly), _text(line), fill=(17, 17, 17), font=_font(19))
            ly += 26
        ly += 8
    for entry in (e for e in state.legend if e.group != "corridors"):
        keys.append(entry.key)
        _swatch(draw, entry, lx, ly + 11)
        for line in _wrap(entry.label, _font(17), LEGEND_W - 90)[:2]:
            draw.text((lx + 56, ly), _text(line), fill=(40, 40, 40), font=_font(17))
            ly += 24
        ly += 3
    draw.text((lx, ly + 4), "Routes are schematic", fill=(40, 40, 40), font=_font(17))
    return keys


MIN_SPAN = (3.6, 2.4)  # degrees of longitude and latitude: the closest a focused map comes


def focus_box(ds: Dataset, view: figures.MapView) -> tuple[float, float, float, float]:
    """A window around the selected feature (its route, its place, the event's places, the area's outline) with room
    around it, in the map panel's proportions; the whole region when nothing is selected or the feature is as large."""
    rec = ds.records.get(view.focus or "")
    coords: list[list[float]] = []
    if isinstance(rec, Corridor):
        coords = geo.route_coords(ds, rec)
    elif isinstance(rec, Place):
        coords = [[rec.lon, rec.lat]]
    elif isinstance(rec, Event):
        coords = [[q.lon, q.lat] for q in (ds.records.get(i) for i in [rec.place, *rec.also_at] if i) if isinstance(q, Place)]
    elif isinstance(rec, Area) and rec.geometry:
        for feat in (geo.geojson(ds, rec.geometry) or {}).get("features", []):
            coords += geo.geometry_coords(feat["geometry"])
    whole = geo.picture_box(ds)
    if not coords:
        return whole
    west, south, east, north = geo.bounds(coords)
    pad_x, pad_y = max((east - west) * 0.3, 0.5), max((north - south) * 0.3, 0.4)
    west, east, south, north = west - pad_x, east + pad_x, south - pad_y, north + pad_y
    cx, cy = (west + east) / 2, (south + north) / 2
    half_w, half_h = max((east - west) / 2, MIN_SPAN[0] / 2), max((north - south) / 2, MIN_SPAN[1] / 2)
    # the panel's proportions, so the picture is not stretched: width in degrees ∝ height in mercator units
    map_w, map_h = SIZE[0] - LEGEND_W, SIZE[1] - MAP_TOP - MAP_BOTTOM
    merc_h = math.degrees(_merc(cy + half_h) - _merc(cy - half_h))
    if 2 * half_w / merc_h < map_w / map_h:
        half_w = merc_h * map_w / map_h / 2
    else:
        target = 2 * half_w * map_h / map_w  # mercator degrees tall: widen the latitude span to match
        while math.degrees(_merc(cy + half_h) - _merc(cy - half_h)) < target:
            half_h *= 1.02
    box = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    if box[2] - box[0] >= whole[2] - whole[0] or box[3] - box[1] >= whole[3] - whole[1]:
        return whole
    return box


def render_focus_png(ds: Dataset, view: figures.MapView) -> bytes:
    """render_png close to the selected feature: the picture of a brief step or a slide."""
    view = figures.resolved(ds, view)
    return render_png(ds, view, box=focus_box(ds, view))


def _highlight_point(ds: Dataset, view: figures.MapView, draw: ImageDraw.ImageDraw, proj: _Projection) -> bool:
    """A ring around the selected place, or around the place of the selected event; whether the selection is drawn."""
    rec = ds.records.get(view.focus or "")
    if isinstance(rec, Corridor):
        return "corridors" in view.layers
    if isinstance(rec, Area):
        return "areas" in view.layers and bool(rec.geometry)
    point = figures.focus_point(ds, rec)
    if point is None:
        return False
    x, y = proj(*point)
    draw.ellipse([x - 24, y - 24, x + 24, y + 24], outline=HIGHLIGHT, width=6)
    return True


def _highlight_label(ds: Dataset, view: figures.MapView, drawn: bool) -> str | None:
    rec = ds.records.get(view.focus or "")
    if rec is None or not drawn:
        return None
    if isinstance(rec, Place):
        return figures.place_name(rec, view.names)
    if isinstance(rec, Corridor):
        return figures.short_name(rec, view.names)
    if isinstance(rec, Event) and isinstance(ds.records.get(rec.place or ""), Place):
        return f"{rec.title} (at {figures.place_name(ds.records[rec.place], view.names)})"
    return rec.title


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


CITE_FONT, CITE_LINE = 18, 26  # px: the citation under an image


def with_citation(img: Image.Image, citation: str) -> Image.Image:
    """The image with the citation printed under it, wrapped to its width, in a band of its own."""
    font = _font(CITE_FONT)
    lines = _wrap_long(_text(citation), font, img.width - 48)
    out = Image.new("RGB", (img.width, img.height + len(lines) * CITE_LINE + 20), "white")
    out.paste(img, (0, 0))
    draw = ImageDraw.Draw(out)
    for i, line in enumerate(lines):
        draw.text((24, img.height + 4 + i * CITE_LINE), line, fill=(40, 40, 40), font=font)
    return out


def _wrap_long(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """_wrap, with a word longer than the line (an address) cut across lines instead of running off the image."""
    lines: list[str] = []
    for line in _wrap(text, font, width):
        while font.getlength(line) > width:
            cut = len(line)
            while cut > 1 and font.getlength(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines


def png_for(ds: Dataset, date: str, layers: tuple[str, ...], names: str, focus: str | None,
            citation: str | None = None) -> bytes:
    """render_png for a view given as plain values (hashable, so the image is drawn once per view and shared)."""
    return render_png(ds, figures.MapView(date=date, layers=layers, names=names, focus=focus), citation=citation)
