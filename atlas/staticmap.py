"""A static map image (PNG) with title, legend and source line: for downloads and the offline briefing."""
from __future__ import annotations

import io
import math
import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from atlas import figures, geo, paths
from atlas.load import Dataset
from atlas.model import Corridor, Place

BOX = (38.5, 36.3, 51.5, 43.6)  # lon/lat window: the South Caucasus and its corridors' near ends
SIZE = (1600, 1100)
MAP_TOP, MAP_BOTTOM, LEGEND_W = 90, 90, 420


def _merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


class _Projection:
    def __init__(self, width: int, height: int, top: int):
        west, south, east, north = BOX
        self.west, self.top = west, top
        self.sx = width / (east - west)
        self.y0, self.sy = _merc(north), height / (_merc(north) - _merc(south))

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.sx, self.top + (self.y0 - _merc(lat)) * self.sy


SYSTEM_FONTS = (str(paths.ASSETS / "fonts" / "AtlasSans.ttf"), "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")


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


def render_png(ds: Dataset, view: figures.MapView, title: str | None = None) -> bytes:
    """The map as of a month: countries, areas, corridors by status, places; legend and source line included."""
    width, height = SIZE
    map_w, map_h = width - LEGEND_W, height - MAP_TOP - MAP_BOTTOM
    img = Image.new("RGB", SIZE, "white")
    canvas = Image.new("RGB", (map_w, map_h), tuple(figures.WATER))  # the map, clipped to its own panel
    draw = ImageDraw.Draw(canvas)
    proj = _Projection(map_w, map_h, 0)
    when = geo.month_end(view.date)
    for rel, fill in ((geo.BASEMAP_50M, tuple(figures.LAND_FAR)), (geo.BASEMAP_10M, tuple(figures.LAND))):
        doc = geo.geojson(ds, rel)
        for feat in (doc or {}).get("features", []):
            for ring in _rings(feat["geometry"]):
                draw.polygon([proj(x, y) for x, y in ring], fill=fill, outline=(120, 120, 120))
    if "areas" in view.layers:
        for area in ds.of_kind("area"):
            doc = geo.geojson(ds, area.geometry) if getattr(area, "geometry", None) else None
            current = geo.area_current(area, when)
            for feat in (doc or {}).get("features", []):
                for ring in _rings(feat["geometry"]):
                    draw.line([proj(x, y) for x, y in ring], fill=(90, 60, 150) if current else (150, 150, 150), width=3)
    for name, (lon, lat) in geo.COUNTRY_LABELS.items():
        x, y = proj(lon, lat)
        draw.text((x, y), _text(name.upper()), fill=(95, 95, 95), font=_font(20), anchor="mm")
    if "corridors" in view.layers:
        for c in ds.of_kind("corridor"):
            assert isinstance(c, Corridor)
            coords = geo.route_coords(ds, c)
            status = geo.status_at(c, when)
            style = figures.STATUS_STYLE.get(status.status if status else None, "solid")
            colour = figures.corridor_colour(ds, c.id)
            if style == "blocked":
                draw.line([proj(*p) for p in coords], fill=(140, 0, 0), width=13, joint="curve")
            for seg in geo.dashes(coords) if style == "dashed" else [coords]:
                draw.line([proj(*p) for p in seg], fill=colour if style != "faded" else "#BBBBBB", width=6, joint="curve")
    if "places" in view.layers:
        for p in ds.of_kind("place"):
            assert isinstance(p, Place)
            x, y = proj(p.lon, p.lat)
            r = 3 + 2 * p.importance
            draw.ellipse([x - r, y - r, x + r, y + r], fill="white" if p.approximate else (40, 40, 40), outline=(40, 40, 40), width=2)
            if p.importance >= 3:
                draw.text((x, y + r + 4), _text(figures.place_name(p, view.names)), fill=(20, 20, 20), font=_font(19), anchor="mt",
                          stroke_width=3, stroke_fill="white")
    img.paste(canvas, (0, MAP_TOP))
    draw = ImageDraw.Draw(img)
    # title, legend and source line
    draw.text((24, 24), _text(title or f"South Caucasus corridors and borders, {geo.month_label(view.date)}"),
              fill=(17, 17, 17), font=_font(36))
    lx, ly = map_w + 24, MAP_TOP
    draw.text((lx, ly), f"Corridors, {geo.month_label(view.date)}", fill=(17, 17, 17), font=_font(24))
    ly += 40
    for c in ds.of_kind("corridor"):
        status = geo.status_at(c, when)
        draw.line([lx, ly + 12, lx + 44, ly + 12], fill=figures.corridor_colour(ds, c.id), width=7)
        draw.text((lx + 56, ly), _text(figures.short_name(c)), fill=(17, 17, 17), font=_font(19))
        draw.text((lx + 56, ly + 24), figures.status_label(status), fill=(70, 80, 90), font=_font(16))
        ly += 56
    ly += 10
    for text in ("Dashed: proposed, disputed or undated", "Red casing: blocked or checkpoint",
                 "Hollow dot: position approximate", "Purple outline: area in force", "Routes are schematic"):
        draw.text((lx, ly), text, fill=(40, 40, 40), font=_font(17))
        ly += 28
    draw.text((24, height - 62), _text("Source: South Caucasus Security Atlas, coded from four documents (AVİM, a report on a "
              "Russian MFA briefing,\nan SCFR interview, a news summary). Routes schematic. Basemap: Made with Natural Earth."),
              fill=(60, 60, 60), font=_font(18))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def png_for(ds: Dataset, date: str, layers: tuple[str, ...], names: str, focus: str | None) -> bytes:
    """render_png for a view given as plain values (hashable, so the image is drawn once per view and shared)."""
    return render_png(ds, figures.MapView(date=date, layers=layers, names=names, focus=focus))
