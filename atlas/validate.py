"""Cross-record checks: references, coordinates, geometries, CAMEO codes."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from atlas.model import REGION, Area, Corridor, Event, Place

if TYPE_CHECKING:
    from atlas.load import Dataset, Problem


def _in_region(lon: float, lat: float) -> bool:
    return REGION["lon"][0] <= lon <= REGION["lon"][1] and REGION["lat"][0] <= lat <= REGION["lat"][1]


def check_references(ds: Dataset, origin: dict[str, str]) -> list[Problem]:
    from atlas.load import Problem

    problems: list[Problem] = []

    def need_place(rid: str, ref: str, what: str) -> None:
        target = ds.records.get(ref)
        if not isinstance(target, Place):
            found = f"is a {target.kind}" if target else "does not exist"
            problems.append(Problem(origin[rid], rid, f"{what} '{ref}' {found}",
                                    "use the id of a record in places.yaml, or add that place"))

    for rid, rec in ds.records.items():
        if isinstance(rec, Place) and not _in_region(rec.lon, rec.lat):
            problems.append(Problem(origin[rid], rid, f"coordinates lon {rec.lon}, lat {rec.lat} are outside the region "
                                    f"(lon {REGION['lon'][0]}–{REGION['lon'][1]}, lat {REGION['lat'][0]}–{REGION['lat'][1]})",
                                    "check that lon and lat are not swapped and are decimal degrees (WGS 84)"))
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
        elif isinstance(rec, Area) and rec.geometry:
            problems.extend(_check_geometry(ds, origin[rid], rec))
    return problems


def _check_geometry(ds: Dataset, rel: str, area: Area) -> list[Problem]:
    from shapely.geometry import shape

    from atlas.load import Problem

    path = (ds.data_dir / area.geometry).resolve()
    if ds.data_dir not in path.parents or not path.is_file():
        return [Problem(rel, area.id, f"geometry file '{area.geometry}' is missing",
                        "name a GeoJSON file inside the data directory, or remove 'geometry' "
                        "to describe the area without drawing it")]
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        feats = doc["features"] if doc.get("type") == "FeatureCollection" else [doc]
        geoms = [shape(f["geometry"] if "geometry" in f else f) for f in feats]
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        return [Problem(rel, area.id, f"geometry file '{area.geometry}' is not valid GeoJSON ({e})",
                        "regenerate the file (see data/README.md)")]
    out = []
    for g in geoms:
        if g.is_empty or not g.is_valid:
            out.append(Problem(rel, area.id, f"geometry in '{area.geometry}' is empty or invalid",
                               "repair it (e.g. shapely.make_valid) and check it closes"))
        elif not all(_in_region(x, y) for x, y in (g.bounds[:2], g.bounds[2:])):
            out.append(Problem(rel, area.id, f"geometry in '{area.geometry}' lies outside the region",
                               "check the coordinate order (lon, lat) and CRS (WGS 84)"))
    return out
