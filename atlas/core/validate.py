"""Cross-record checks: references, coordinates, geometries, CAMEO codes; GeoJSON files read with limits."""
from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from atlas.core import paths
from atlas.core.model import Area, Corridor, Event, Place

if TYPE_CHECKING:
    from atlas.core.load import Dataset, Problem


def check_settings(ds: Dataset) -> list[Problem]:
    """atlas.yaml's key moments and named layers name events of the dataset."""
    from atlas.core.load import Problem

    problems: list[Problem] = []
    rel = paths.SETTINGS_FILE

    def need_event(ref: str, what: str) -> None:
        target = ds.records.get(ref)
        if not isinstance(target, Event):
            found = f"is a {target.kind}" if target else "does not exist"
            problems.append(Problem(rel, what, f"event '{ref}' {found}", "name the id of a record in events.yaml"))

    for moment in ds.settings.key_moments:
        need_event(moment.event, f"key_moments: {moment.label}")
    for layer in ds.settings.layers:
        for ref in layer.events:
            need_event(ref, f"layers: {layer.id}")
    argued = {getattr(c, "issue", None) for c in ds.of_kind("claim")}
    for issue in ds.settings.issues:
        if issue not in argued:
            problems.append(Problem(rel, f"issues: {issue}", f"no claim in claims.yaml has the issue '{issue}'",
                                    "correct the issue's slug to match the claims, or remove its label"))
    return problems


def check_references(ds: Dataset, origin: dict[str, str]) -> list[Problem]:
    from atlas.core.load import Problem

    problems: list[Problem] = []
    region = ds.settings.region.bounds

    def need_place(rid: str, ref: str, what: str) -> None:
        target = ds.records.get(ref)
        if not isinstance(target, Place):
            found = f"is a {target.kind}" if target else "does not exist"
            problems.append(Problem(origin[rid], rid, f"{what} '{ref}' {found}",
                                    "use the id of a record in places.yaml, or add that place"))

    for rid, rec in ds.records.items():
        if isinstance(rec, Place) and not region.contains(rec.lon, rec.lat):
            problems.append(Problem(origin[rid], rid, f"coordinates lon {rec.lon}, lat {rec.lat} are outside the region "
                                    f"({region})", "check that lon and lat are not swapped and are decimal degrees (WGS 84); "
                                    f"a place truly beyond it needs a wider region.bounds in {paths.SETTINGS_FILE}"))
        elif isinstance(rec, Event):
            if rec.place:
                need_place(rid, rec.place, "place")
            for ref in rec.also_at:
                need_place(rid, ref, "also_at place")
            for coding in rec.alignment:
                if ds.cameo and coding.cameo not in ds.cameo:
                    problems.append(Problem(origin[rid], rid, f"CAMEO code '{coding.cameo}' is not in cameo.csv",
                                            "pick a code from data/cameo.csv (the GDELT CAMEO/Goldstein table)"))
        elif isinstance(rec, Corridor):
            for ref in rec.route:
                need_place(rid, ref, "route stop")
            if rec.issue and not any(getattr(c, "issue", None) == rec.issue for c in ds.of_kind("claim")):
                problems.append(Problem(origin[rid], rid, f"issue '{rec.issue}' is argued by no claim in claims.yaml",
                                        "name the issue of a claim in claims.yaml, or remove 'issue'"))
        elif isinstance(rec, Area) and rec.geometry:
            problems.extend(_check_geometry(ds, origin[rid], rec))
    return problems


GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


class GeoJSONError(ValueError):
    """What is wrong with a GeoJSON file, in words a person can act on; `too_big` when it is over a limit."""

    def __init__(self, message: str, too_big: bool = False):
        super().__init__(message)
        self.too_big = too_big


def parse_geojson(raw: bytes, max_vertices: int, max_nesting: int) -> tuple[dict, int]:
    """A GeoJSON file's bytes as a FeatureCollection of polygon features, and its number of positions.

    A FeatureCollection, a single Feature or a bare Polygon/MultiPolygon is accepted and returned as a
    FeatureCollection holding each feature's geometry and properties. Every ring must be a list of at least four
    positions of two or three finite numbers, so whatever draws the map can trust the structure.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise GeoJSONError(f"is not UTF-8 (byte {e.start})") from None
    try:
        doc = json.loads(text)
    except RecursionError:
        raise GeoJSONError(f"nests lists and objects far deeper than the limit of {max_nesting} levels") from None
    except ValueError as e:
        where = f" at line {e.lineno}, column {e.colno}" if isinstance(e, json.JSONDecodeError) else ""
        msg = e.msg if isinstance(e, json.JSONDecodeError) else str(e)
        raise GeoJSONError(f"is not valid JSON{where}: {msg}") from None
    if not isinstance(doc, dict):
        raise GeoJSONError(f"holds a JSON {type(doc).__name__}, not a GeoJSON object")
    kind = doc.get("type")
    if kind == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            raise GeoJSONError("is a FeatureCollection without a 'features' list")
    elif kind == "Feature":
        features = [doc]
    elif kind in GEOMETRY_TYPES:
        features = [{"type": "Feature", "properties": {}, "geometry": doc}]
    else:
        raise GeoJSONError(f"has type {str(kind)[:40]!r}; expected a FeatureCollection, Feature, Polygon or MultiPolygon")
    out, vertices = [], 0
    for i, feat in enumerate(features, start=1):
        geom = feat.get("geometry") if isinstance(feat, dict) else None
        if not isinstance(geom, dict) or geom.get("type") not in GEOMETRY_TYPES:
            raise GeoJSONError(f"feature {i} has no Polygon or MultiPolygon geometry")
        coords = geom.get("coordinates")
        polygons = [coords] if geom["type"] == "Polygon" else coords
        if not isinstance(polygons, list) or not polygons:
            raise GeoJSONError(f"feature {i}: 'coordinates' is not a list of polygons")
        for polygon in polygons:
            if not isinstance(polygon, list) or not polygon:
                raise GeoJSONError(f"feature {i}: a polygon is not a list of rings")
            for ring in polygon:
                if not isinstance(ring, list) or len(ring) < 4:
                    raise GeoJSONError(f"feature {i}: a ring is not a list of at least four positions")
                vertices += len(ring)
                if vertices > max_vertices:
                    raise GeoJSONError(f"has more than {max_vertices:,} positions, the limit for one file "
                                       "(see Limits in data/README.md)", too_big=True)
                for pos in ring:
                    if not (isinstance(pos, list) and 2 <= len(pos) <= 3
                            and all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in pos)):
                        raise GeoJSONError(f"feature {i}: position {str(pos)[:60]} is not [lon, lat] in finite numbers")
        props = feat.get("properties")
        props = props if isinstance(props, dict) else {}
        if _deeper_than(props, max_nesting - 3):
            raise GeoJSONError(f"feature {i}: properties are nested deeper than the limit of {max_nesting} levels")
        out.append({"type": "Feature", "properties": props, "geometry": {"type": geom["type"], "coordinates": coords}})
    return {"type": "FeatureCollection", "features": out}, vertices


def _deeper_than(node: object, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` levels (walked without recursion)."""
    stack = [(node, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def _check_geometry(ds: Dataset, rel: str, area: Area) -> list[Problem]:
    """An area's geometry, as read at load time: valid polygons inside the region."""
    from shapely.geometry import shape

    from atlas.core.load import Problem

    doc = ds.geojson.get(area.geometry)
    if doc is None:
        return []  # not read: the loader has already said why
    if not doc["features"]:
        return [Problem(rel, area.id, f"geometry file '{area.geometry}' holds no features",
                        "add the area's polygon, or remove 'geometry' to describe the area without drawing it")]
    out = []
    for feat in doc["features"]:
        g = shape(feat["geometry"])
        if g.is_empty or not g.is_valid:
            out.append(Problem(rel, area.id, f"geometry in '{area.geometry}' is empty or invalid",
                               "repair it (e.g. shapely.make_valid) and check it closes"))
        elif not all(ds.settings.region.bounds.contains(x, y) for x, y in (g.bounds[:2], g.bounds[2:])):
            out.append(Problem(rel, area.id, f"geometry in '{area.geometry}' lies outside the region",
                               "check the coordinate order (lon, lat) and CRS (WGS 84)"))
    return out
