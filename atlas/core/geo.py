"""Geography for the map: basemap files, schematic routes, dashes, months and statuses as of a date."""
from __future__ import annotations

import calendar
import datetime as dt
import math

from atlas.core import paths
from atlas.core.dataset import Dataset
from atlas.core.model import Area, Corridor, Event, Place, StatusPeriod

FIRST_MONTH, LAST_MONTH = "2020-01", "2023-12"
BASEMAP_10M = paths.BASEMAP_10M
BASEMAP_50M = paths.BASEMAP_50M
# Countries labelled on the map, at hand-placed points inside them (lon, lat).
COUNTRY_LABELS = {
    "Armenia": (44.9, 40.45), "Azerbaijan": (48.3, 40.6), "Georgia": (43.6, 42.15), "Iran": (48.6, 37.3),
    "Turkey": (41.2, 39.2), "Russia": (45.6, 43.9),
}
# Further points inside each country, near the region's heart: a zoomed-in map labels each country at the point
# nearest its centre, so the names stay in view.
COUNTRY_LABEL_SPOTS = {
    "Armenia": [(44.9, 40.45), (45.3, 39.75)], "Azerbaijan": [(48.3, 40.6), (47.3, 40.35), (47.6, 39.35)],
    "Georgia": [(43.6, 42.15), (44.4, 41.55)], "Iran": [(48.6, 37.3), (46.4, 38.55), (45.2, 38.75)],
    "Turkey": [(41.2, 39.2), (43.1, 39.75)], "Russia": [(45.6, 43.9)],
}


def country_label_spots(lon: float, lat: float, avoid: list[list[float]] | None = None) -> dict[str, tuple[float, float]]:
    """One label point per country: of the points clear of the place labels (`avoid`), the one nearest a map's centre."""
    def clear(p: tuple[float, float]) -> bool:
        return not any(abs(p[0] - a[0]) < 0.6 and abs(p[1] - a[1]) < 0.25 for a in avoid or [])

    return {name: min(spots, key=lambda p: (not clear(p), km([lon, lat], list(p))))
            for name, spots in COUNTRY_LABEL_SPOTS.items()}


def months(first: str = FIRST_MONTH, last: str = LAST_MONTH) -> list[str]:
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
