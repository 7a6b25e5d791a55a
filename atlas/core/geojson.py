"""GeoJSON files of the data directory (basemap layers and area geometries): parsed into a checked FeatureCollection
within limits, and read into the dataset at load."""
from __future__ import annotations

import json
import math

from atlas.core import paths
from atlas.core.dataset import Dataset
from atlas.core.files import MAX_GEOJSON_BYTES, MAX_NESTING, MAX_TOTAL_VERTICES, MAX_VERTICES, Unreadable, read_data_file
from atlas.core.model import Area
from atlas.core.problems import Problem

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


def load_geojson(ds: Dataset, origin: dict[str, str], problems: list[Problem]) -> None:
    """Read the basemap layers (optional) and every area's geometry into the dataset, each file once, with limits.
    Pages draw from these, so a geometry file being rewritten while the app runs cannot break a map."""
    total = 0
    wanted: list[tuple[str, str, str]] = [(rel, rel, "") for rel in (paths.BASEMAP_50M, paths.BASEMAP_10M)]
    wanted += [(rec.geometry, origin[rid], rid) for rid, rec in ds.records.items() if isinstance(rec, Area) and rec.geometry]
    seen: set[str] = set()
    for rel, file, record in wanted:
        if rel in seen:  # each file is read and judged once, however many areas name it
            continue
        seen.add(rel)
        basemap = not record
        what = "basemap file" if basemap else f"geometry file '{rel}'"
        simplify = "simplify the outlines (e.g. shapely's simplify, as atlas/tools/basemap.py does) or clip them to the region"
        try:
            raw = read_data_file(ds.data_dir, rel, MAX_GEOJSON_BYTES, simplify)
            doc, vertices = parse_geojson(raw, MAX_VERTICES, MAX_NESTING)
        except Unreadable as e:
            if e.missing and basemap:
                continue  # a corpus without a basemap draws its map on plain water
            if e.missing:
                problems.append(Problem(file, record, f"{what} is missing",
                                        "name a GeoJSON file inside the data directory, or remove 'geometry' "
                                        "to describe the area without drawing it"))
            else:
                problems.append(Problem(file, record, f"{what} {e.message}" if record else e.message, e.fix))
            continue
        except GeoJSONError as e:
            if e.too_big:
                fix = simplify
            elif basemap:
                fix = "regenerate it with python -m atlas.tools.basemap (see data/basemap/README.md)"
            else:
                fix = "write the area as a GeoJSON Polygon or MultiPolygon in lon, lat (WGS 84) (see data/README.md)"
            problems.append(Problem(file, record, f"{what} {e}" if record else str(e), fix))
            continue
        total += vertices
        if total > MAX_TOTAL_VERTICES:
            problems.append(Problem(file, record, f"the GeoJSON files together hold more than {MAX_TOTAL_VERTICES:,} "
                                    f"positions (reached at {rel}); every map view draws them all",
                                    simplify))
            return
        ds.geojson[rel] = doc
