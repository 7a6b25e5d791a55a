"""Cross-record checks: references, coordinates, geometries (as read at load), CAMEO codes, atlas.yaml's references."""
from __future__ import annotations

from shapely.geometry import shape

from atlas.core import paths
from atlas.core.dataset import Dataset
from atlas.core.kinds import KINDS
from atlas.core.model import Area, Corridor, Event, Place
from atlas.core.problems import Problem


def check_settings(ds: Dataset) -> list[Problem]:
    """atlas.yaml's key moments and named layers name events of the dataset, and its issue labels issues of claims."""
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
        kind = KINDS.get(rec.kind)
        if kind is not None and kind.check is not None:  # the checks a kind registers (atlas.core.kinds)
            problems.extend(Problem(origin[rid], rid, message, fix) for message, fix in kind.check(ds, rec))
    return problems


def _check_geometry(ds: Dataset, rel: str, area: Area) -> list[Problem]:
    """An area's geometry, as read at load time: valid polygons inside the region."""
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
