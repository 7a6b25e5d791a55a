"""Natural Earth populated places: an optional list of towns and cities that the suggestions for a new source draw on,
beside the places of places.yaml.

The Atlas ships no Natural Earth data. An analyst downloads the populated-places GeoJSON once (`make natural-earth`, an
explicit network step; the app never fetches anything) and `python -m atlas gazetteer import FILE` keeps the places
inside the region (data/atlas.yaml's `region.bounds`, with a margin) in a small file of the data directory,
paths.POPULATED_PLACES_FILE. Without that file there are simply no Natural Earth suggestions.

Both property styles of Natural Earth are read: lower-case keys (the "simple" files: name, nameascii, namealt, adm0_a3,
featurecla, latitude, longitude, pop_max, …) and upper-case keys (the full files: NAME, NAMEASCII, …). Whatever the file
holds, reading it never raises: a file that cannot be used is one Problem naming it, what is wrong and the fix; a feature
that cannot be used (no name, no coordinates, coordinates out of range) is left out and counted in one Problem.
Names are data, kept exactly as given (markup included): whoever shows them escapes them.
"""
from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from atlas.core import paths
from atlas.core.files import MAX_NESTING, MiB, Unreadable, read_data_file, read_regular
from atlas.core.model import Bounds
from atlas.core.problems import Problem
from atlas.curate.writes import Refused, atomic_write, locked

MAX_FILE_BYTES = 50 * MiB  # refused unread above this (data/README.md, Limits)
MAX_PLACES = 20_000  # in the data directory's file: Natural Earth's 10m file holds about 7,300 places for the world
MAX_NAME_CHARS = 200  # a feature whose name is longer is not a place name
MIN_NAME_CHARS = 3  # shorter names ('Ak', 'Ur') match too many words to suggest anything
MARGIN = 0.5  # degrees kept around the region's bounds by the import
SEPARATORS = re.compile(r"[|;/]")  # Natural Earth packs several alternative names into one field with these
ISO_A3 = re.compile(r"^[A-Z]{3}$")  # what the Place model takes as a country ('IS1', '-99' are Natural Earth's own codes)
# the properties kept by the import (lower case, as in the "simple" files), in this order
KEPT = ("name", "nameascii", "namealt", "namepar", "adm0name", "adm0_a3", "adm1name", "featurecla", "latitude",
        "longitude", "pop_max")
FIX_IMPORT = ("download the Natural Earth populated places again and run: python -m atlas gazetteer import FILE "
              "(or delete the file: it is optional)")


@dataclass(frozen=True)
class PopulatedPlace:
    """One Natural Earth populated place, as the suggestions and a new place form need it."""

    name: str  # Natural Earth's name, as given
    names: tuple[str, ...]  # every form to look for: name, nameascii and each alternative name (several split apart)
    lon: float
    lat: float
    country: str | None  # ISO 3166-1 alpha-3 from adm0_a3, or None when Natural Earth gives another kind of code
    country_name: str  # adm0name
    admin1: str  # adm1name
    feature_class: str  # featurecla: 'Admin-0 capital', 'Populated place', …
    population: int | None  # pop_max
    properties: dict = field(default_factory=dict, compare=False, repr=False)  # KEPT, as given, for the clipped file


class GazetteerError(Exception):
    """A file that cannot be used at all: what is wrong with it and the fix."""

    def __init__(self, message: str, fix: str = FIX_IMPORT):
        super().__init__(message)
        self.message, self.fix = message, fix


@dataclass(frozen=True)
class Reading:
    """What a Natural Earth file gave: the usable places, and for each feature left out, its number and why."""

    places: list[PopulatedPlace]
    skipped: list[tuple[int, str]]
    features: int


def _number(value) -> float | None:
    """A finite JSON number (a string, a boolean, NaN or infinity is not one)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        value = float(value)
    except OverflowError:  # an integer too large for a float
        return None
    return value if math.isfinite(value) else None


def _encodable(value: str) -> bool:
    """Whether the text can be written as UTF-8 (JSON may carry a lone surrogate, '\\ud800', which cannot)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(value) -> str:
    """A property's text, or '' for anything else (a number, null, text that is not valid Unicode)."""
    return value.strip() if isinstance(value, str) and _encodable(value) else ""


MAX_FORMS = 50  # names kept per place: Natural Earth gives a handful; a field packing thousands is not a name list


def _forms(*fields: str) -> tuple[str, ...]:
    """Each name of a place once, in order; a field that packs several ('Gorus|Geryusy') gives each apart."""
    out: dict[str, None] = {}
    for value in fields:
        for form in SEPARATORS.split(value):
            form = form.strip()
            if MIN_NAME_CHARS <= len(form) <= MAX_NAME_CHARS:
                out.setdefault(form)
                if len(out) >= MAX_FORMS:
                    return tuple(out)
    return tuple(out)


def _position(feature: dict, props: dict) -> tuple[float, float] | str:
    """(lon, lat) from a Point geometry, else from the longitude/latitude properties; or why there is none."""
    geom = feature.get("geometry")
    if isinstance(geom, dict) and geom.get("type") == "Point":
        coords = geom.get("coordinates")
        if isinstance(coords, list) and 2 <= len(coords) <= 3:
            lon, lat = _number(coords[0]), _number(coords[1])
            if lon is not None and lat is not None:
                return _in_range(lon, lat)
    lon, lat = _number(props.get("longitude")), _number(props.get("latitude"))
    if lon is not None and lat is not None:
        return _in_range(lon, lat)
    return "has neither a Point geometry nor longitude and latitude in numbers"


def _in_range(lon: float, lat: float) -> tuple[float, float] | str:
    if -180 <= lon <= 180 and -90 <= lat <= 90:
        return lon, lat
    return f"has coordinates out of range (lon {lon:g}, lat {lat:g})"


def _kept(value) -> bool:
    return (isinstance(value, str) and _encodable(value)) or _number(value) is not None


def _place(feature) -> PopulatedPlace | str:
    """One feature as a place, or why it cannot be one."""
    if not isinstance(feature, dict):
        return "is not a JSON object"
    props = feature.get("properties")
    if not isinstance(props, dict):
        return "has no properties"
    low = {k.lower(): v for k, v in props.items() if isinstance(k, str)}
    name = _text(low.get("name")) or _text(low.get("nameascii"))
    if not name:
        return "has no name"
    if len(name) > MAX_NAME_CHARS:
        return f"has a name of {len(name):,} characters, more than {MAX_NAME_CHARS}"
    where = _position(feature, low)
    if isinstance(where, str):
        return where
    lon, lat = where
    code = _text(low.get("adm0_a3"))
    pop = _number(low.get("pop_max"))
    kept = {k: low[k] for k in KEPT if _kept(low.get(k))}
    kept.update(name=name, longitude=lon, latitude=lat)
    return PopulatedPlace(name=name, names=_forms(name, _text(low.get("nameascii")), _text(low.get("namealt"))),
                          lon=lon, lat=lat, country=code if ISO_A3.match(code) else None,
                          country_name=_text(low.get("adm0name")), admin1=_text(low.get("adm1name")),
                          feature_class=_text(low.get("featurecla")),
                          population=int(pop) if pop is not None and 0 <= pop < 1e12 else None, properties=kept)


def parse(raw: bytes, max_places: int | None) -> Reading:
    """A Natural Earth populated-places GeoJSON's bytes as places; GazetteerError when the file cannot be used at all."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise GazetteerError(f"is not UTF-8 (byte {e.start})", "save the file as UTF-8, or " + FIX_IMPORT) from None
    try:
        doc = json.loads(text)
    except RecursionError:
        raise GazetteerError(f"nests lists and objects far deeper than the limit of {MAX_NESTING} levels") from None
    except ValueError as e:  # JSONDecodeError, and an integer of more digits than Python converts
        where = f" at line {e.lineno}, column {e.colno}" if isinstance(e, json.JSONDecodeError) else ""
        msg = e.msg if isinstance(e, json.JSONDecodeError) else str(e)[:120]
        raise GazetteerError(f"is not valid JSON{where}: {msg}") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        what = f"type {str(doc.get('type'))[:40]!r}" if isinstance(doc, dict) else f"a JSON {type(doc).__name__}"
        raise GazetteerError(f"holds {what}, not a GeoJSON FeatureCollection of populated places")
    features = doc.get("features")
    if not isinstance(features, list):
        raise GazetteerError("is a FeatureCollection without a 'features' list")
    if max_places is not None and len(features) > max_places:
        raise GazetteerError(f"holds {len(features):,} features, more than the limit of {max_places:,} for the data "
                             "directory's copy", "import it again with python -m atlas gazetteer import FILE, which keeps "
                             "only the places of the region")
    places, skipped = [], []
    for i, feature in enumerate(features, start=1):
        got = _place(feature)
        if isinstance(got, str):
            skipped.append((i, got))
        else:
            places.append(got)
    return Reading(places, skipped, len(features))


def _skipped_problem(rel: str, skipped: list[tuple[int, str]], fix: str) -> Problem:
    number, why = skipped[0]
    more = f" (and {len(skipped) - 1:,} more feature{'s' if len(skipped) != 2 else ''} not usable)" if skipped[1:] else ""
    return Problem(rel, f"feature {number}", f"{why}: it is left out of the suggestions{more}", fix)


def read_reference(data_dir: str | os.PathLike | None) -> tuple[list[PopulatedPlace], list[Problem]]:
    """The data directory's populated places (paths.POPULATED_PLACES_FILE, optional) and its problems, if any.

    No file: no places and no problem. A file that cannot be used (outside the data directory through a link, too big,
    not UTF-8, not JSON, not a FeatureCollection): no places and one problem. Features that cannot be used are left
    out and reported in one problem; the others are still used."""
    root = paths.data_dir(data_dir)
    rel = paths.POPULATED_PLACES_FILE
    try:
        raw = read_data_file(root, rel, MAX_FILE_BYTES, "import it again with python -m atlas gazetteer import FILE, "
                             "which keeps only the places of the region")
    except Unreadable as e:
        return [], ([] if e.missing else [Problem(rel, "", f"Natural Earth populated places {e.message}", e.fix)])
    try:
        got = parse(raw, MAX_PLACES)
    except GazetteerError as e:
        return [], [Problem(rel, "", f"Natural Earth populated places {e.message}", e.fix)]
    problems = [_skipped_problem(rel, got.skipped, "correct or remove the feature, or " + FIX_IMPORT)] if got.skipped else []
    return got.places, problems


def read_download(path: str | os.PathLike) -> Reading:
    """A downloaded Natural Earth file (anywhere: it is the analyst's own), within MAX_FILE_BYTES, as places."""
    if Path(path).suffix.lower() in (".zip", ".shp", ".dbf"):
        raise GazetteerError("is a shapefile or an archive, not GeoJSON",
                             "download the .geojson file (make natural-earth does)")
    try:
        raw = read_regular(path, MAX_FILE_BYTES, "use Natural Earth's populated places (the 10m 'simple' GeoJSON)",
                           missing_fix="give the path of the downloaded .geojson file (make natural-earth downloads one "
                           "into .cache/)", follow_links=True)  # the analyst's own file, wherever it is
    except Unreadable as e:
        raise GazetteerError("does not exist" if e.missing else e.message, e.fix) from None
    return parse(raw, max_places=None)


def clip(places: list[PopulatedPlace], bounds: Bounds, margin: float = MARGIN) -> list[PopulatedPlace]:
    """The places inside the bounds widened by `margin` degrees on each side."""
    return [p for p in places if bounds.west - margin <= p.lon <= bounds.east + margin
            and bounds.south - margin <= p.lat <= bounds.north + margin]


def to_geojson(places: list[PopulatedPlace], note: str = "") -> bytes:
    """The places as a FeatureCollection in the lower-case keys of the "simple" files, one feature per line."""
    head = {"type": "FeatureCollection", "name": "populated_places"}
    if note:
        head["atlas_note"] = note
    lines = [json.dumps({"type": "Feature", "properties": p.properties,
                         "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]}}, ensure_ascii=False)
             for p in sorted(places, key=lambda p: (p.country_name, p.name, p.lon, p.lat))]
    text = json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n' + ",\n".join(lines) + "\n]}\n"
    return text.encode("utf-8")


def write_reference(data_dir: str | os.PathLike | None, places: list[PopulatedPlace], note: str = "") -> Path:
    """Write the places to paths.POPULATED_PLACES_FILE, atomically and under the data directory's save lock.

    It is reference material, not a record: no git commit and no changelog line (Natural Earth data must not end up
    committed by accident). A `reference/` folder or file that leads outside the data directory is refused."""
    root = paths.data_dir(data_dir)
    if not root.is_dir():
        raise Refused(f"not imported: the data directory {root} does not exist")
    rel = paths.POPULATED_PLACES_FILE
    target = root / rel
    real_root = os.path.realpath(root)
    if os.path.commonpath([real_root, os.path.realpath(target.parent)]) != real_root:
        raise Refused(f"not imported: {Path(rel).parent}/ is a link leading outside the data directory; "
                      "make it a folder inside the data directory")
    data = to_geojson(places, note)
    with locked(root):
        atomic_write(target, data)  # a link at the file's place is replaced by the file, never written through
    return target
