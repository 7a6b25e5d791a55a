"""Geography for the map: basemap files, schematic routes, dashes, months and statuses as of a date."""
from __future__ import annotations

import calendar
import datetime as dt
import math

from atlas.core import paths
from atlas.core.dataset import Dataset
from atlas.core.model import Area, Corridor, Event, Place, StatusPeriod

BASEMAP_10M = paths.BASEMAP_10M
BASEMAP_50M = paths.BASEMAP_50M


def first_month(ds: Dataset) -> str:
    """The first month of the dataset's period (atlas.yaml, else its first event): 'YYYY-MM'."""
    return ds.period.first


def last_month(ds: Dataset) -> str:
    """The last month of the dataset's period (atlas.yaml, extended by any later event): 'YYYY-MM'."""
    return ds.period.last


def period_months(ds: Dataset) -> list[str]:
    """Every month of the dataset's period, first to last."""
    return months(ds.period.first, ds.period.last)


def period_start(ds: Dataset) -> dt.date:
    return dt.date.fromisoformat(f"{ds.period.first}-01")


def period_end(ds: Dataset) -> dt.date:
    return month_end(ds.period.last)


def the_region(ds: Dataset) -> str:
    """The region as a sentence names it: 'the South Caucasus', or 'the region' when atlas.yaml names none."""
    return f"the {ds.settings.region.name}" if ds.settings.region.name else "the region"


def region_titled(ds: Dataset, what: str) -> str:
    """A title naming the region first: 'South Caucasus corridors and borders', or 'Corridors and borders'."""
    name = ds.settings.region.name
    return f"{name} {what}" if name else what[:1].upper() + what[1:]


def picture_box(ds: Dataset) -> tuple[float, float, float, float]:
    """The static map's window (west, south, east, north): atlas.yaml's region.picture, else its places' extent with a
    margin, else region.bounds."""
    region = ds.settings.region
    if region.picture is not None:
        b = region.picture
        return b.west, b.south, b.east, b.north
    coords = [[p.lon, p.lat] for p in ds.records.values() if isinstance(p, Place)]
    if len(coords) >= 2:
        west, south, east, north = bounds(coords)
        pad = max(east - west, north - south, 1.0) * 0.1
        return west - pad, south - pad, east + pad, north + pad
    b = region.bounds
    return b.west, max(b.south, -80.0), b.east, min(b.north, 80.0)  # a Mercator picture stops short of the poles


def country_labels(ds: Dataset) -> dict[str, tuple[float, float]]:
    """Each country atlas.yaml labels, at its first label point (lon, lat)."""
    return {name: tuple(spots[0]) for name, spots in ds.settings.region.country_labels.items()}


def country_label_spots(ds: Dataset, lon: float, lat: float, avoid: list[list[float]] | None = None) -> dict[str, tuple[float, float]]:
    """One label point per country of atlas.yaml: of its points clear of the place labels (`avoid`), the one nearest a
    map's centre, so a zoomed-in map keeps the names in view."""
    def clear(p: tuple[float, float]) -> bool:
        return not any(abs(p[0] - a[0]) < 0.6 and abs(p[1] - a[1]) < 0.25 for a in avoid or [])

    return {name: min((tuple(s) for s in spots), key=lambda p: (not clear(p), km([lon, lat], list(p))))
            for name, spots in ds.settings.region.country_labels.items()}


def months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_end(month: str) -> dt.date:
    y, m = int(month[:4]), int(month[5:])
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def month_label(month: str) -> str:
    return dt.date(int(month[:4]), int(month[5:]), 1).strftime("%b %Y")


def status_at(corridor: Corridor, when: dt.date) -> StatusPeriod | None:
    """The corridor's status in force on a date: the latest status that had begun by then."""
    current = None
    for period in corridor.statuses:
        if period.since.start <= when:
            current = period
    return current


def happened_by(event: Event, when: dt.date) -> bool:
    """An event counts as happened once the earliest day its date may denote has passed."""
    return event.date.start <= when


def area_current(area: Area, when: dt.date) -> bool:
    return (area.valid_from is None or area.valid_from.start <= when) and (area.valid_to is None or when <= area.valid_to.end)


def route_coords(ds: Dataset, corridor: Corridor) -> list[list[float]]:
    return [[ds.records[p].lon, ds.records[p].lat] for p in corridor.route if isinstance(ds.records.get(p), Place)]


def km(a: list[float], b: list[float]) -> float:
    mean_lat = math.radians((a[1] + b[1]) / 2)
    return 111.32 * math.hypot((b[0] - a[0]) * math.cos(mean_lat), b[1] - a[1])


def dashes(coords: list[list[float]], dash_km: float = 14.0, gap_km: float = 9.0) -> list[list[list[float]]]:
    """A line cut into dash segments (deck.gl's dash extension is not available in Streamlit)."""
    out: list[list[list[float]]] = []
    period = dash_km + gap_km
    walked = 0.0  # distance along the line at the start of the current segment
    current: list[list[float]] = []
    for a, b in zip(coords, coords[1:], strict=False):
        length = km(a, b)
        if length == 0:
            continue
        pos = 0.0
        while pos < length:
            phase = (walked + pos) % period
            in_dash = phase < dash_km
            step = (dash_km - phase) if in_dash else (period - phase)
            end = min(length, pos + step)
            t0, t1 = pos / length, end / length
            p0 = [a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0]
            p1 = [a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1]
            if in_dash:
                if not current:
                    current = [p0]
                current.append(p1)
                if end - pos >= step - 1e-9:  # the dash ends here
                    out.append(current)
                    current = []
            elif current:
                out.append(current)
                current = []
            pos = end
        walked += length
    if len(current) > 1:
        out.append(current)
    return [[[round(x, 4), round(y, 4)] for x, y in seg] for seg in out]


def geojson(ds: Dataset, rel: str) -> dict | None:
    """A GeoJSON file of the data directory as a FeatureCollection, as read and checked when the dataset was loaded
    (never read again while a page is drawn, so a file being rewritten cannot break a map); None when absent."""
    return ds.geojson.get(rel)


def bounds(coords: list[list[float]]) -> tuple[float, float, float, float]:
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    return min(xs), min(ys), max(xs), max(ys)


def geometry_coords(geom: dict) -> list[list[float]]:
    """Every vertex of a GeoJSON geometry (for bounds and centring), walked without recursion."""
    out: list[list[float]] = []
    stack = [geom.get("coordinates", [])]
    while stack:
        node = stack.pop()
        if isinstance(node, list) and node and isinstance(node[0], int | float):
            out.append(node[:2])
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return out


def zoom_for(box: tuple[float, float, float, float], width_px: int = 900, height_px: int = 640) -> float:
    """A web-mercator zoom that fits a lon/lat box in a viewport, clamped to a readable range."""
    west, south, east, north = box
    lon_span = max(east - west, 0.05)
    lat_span = max(north - south, 0.05)
    zoom_x = math.log2(width_px * 360 / (512 * lon_span))  # deck.gl: the world is 512 px wide at zoom 0
    zoom_y = math.log2(height_px * 180 / (512 * lat_span * 1.25))
    return max(3.0, min(9.0, min(zoom_x, zoom_y) - 0.3))
