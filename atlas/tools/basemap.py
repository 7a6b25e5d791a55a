"""Build the offline basemap and area outlines that the Atlas map draws.

The app draws country outlines and three area polygons (the former Nagorno-Karabakh Autonomous Oblast,
Armenia's Syunik province and Azerbaijan's Nakhchivan exclave) from small GeoJSON files shipped in ``data/``.
It never fetches map data at runtime. This module regenerates those files, reproducibly, from two pinned
inputs that are downloaded once by hand (see ``data/basemap/README.md``):

* npm ``world-atlas@2.0.2`` — Natural Earth 4.1.0 admin-0 countries as TopoJSON (10m and 50m);
* Debian's ``qgis-common`` package — ``world_map.gpkg``, whose ``states_provinces`` layer holds Natural Earth
  admin-1 units and whose ``disputed_borders`` layer holds the former oblast's outline as lines.

Outputs (paths relative to the data directory)::

    basemap/countries-10m.geojson   countries clipped to lon 38–52, lat 36–45, coverage-simplified, 4 decimals
    basemap/countries-50m.geojson   wider context, lon 25–60, lat 25–60, simplified more, 3 decimals
    areas/nkao-1991.geojson         the 1991 oblast outline, closed from its boundary lines
    areas/syunik.geojson            Syunik province
    areas/nakhchivan-exclave.geojson the union of Nakhchivan's districts
    basemap/catalogue.yaml          file, sha256, feature count and geometry types of each output

Run::

    python -m atlas.tools.basemap --world-atlas DIR --gpkg FILE --out DATA_DIR

The functions that shape geometries (clipping, coverage simplification, rounding, closing lines into a
polygon) are pure and take shapely geometries, so they are unit-tested on hand-made shapes. Reading the
inputs needs geopandas/pyogrio (its bundled GDAL reads TopoJSON and GeoPackage); this module does not use
Streamlit and is not imported by the app.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry

Box = tuple[float, float, float, float]  # (min lon, min lat, max lon, max lat)

BOX_10M: Box = (38.0, 36.0, 52.0, 45.0)
BOX_50M: Box = (25.0, 25.0, 60.0, 60.0)
TOLERANCE_10M = 0.01
TOLERANCE_50M = 0.05
DIGITS_10M = 4
DIGITS_50M = 3

AREA_TOLERANCE = 0.001  # degrees (~100 m): a moderate simplification for the area outlines
AREA_DIGITS = 5
NKAO_MAX_GAP = 0.01  # degrees: the oblast's boundary lines leave three gaps smaller than this
NKAO_LINE_NAME = "Former USSR oblast in 1991"
SYUNIK_NAME = "Syunik"
# gn_name of the eight units that make up the Nakhchivan Autonomous Republic in states_provinces
NAKHCHIVAN_UNITS = (
    "Babek Rayon", "Julfa Rayon", "Kangarli Rayon", "Nakhchivan City", "Ordubad Rayon",
    "Sadarak Rayon", "Shahbuz Rayon", "Sharur Rayon",
)
# Lambert azimuthal equal-area centred on the South Caucasus, for area checks in km²
EQUAL_AREA_CRS = "+proj=laea +lat_0=40 +lon_0=46 +datum=WGS84 +units=m +no_defs"

CATALOGUE = "basemap/catalogue.yaml"


# --- pure geometry functions -------------------------------------------------------------------------

def clip_to_box(geoms: Sequence[BaseGeometry], bounds: Box) -> list[BaseGeometry]:
    """Each geometry intersected with the box; the result is aligned with the input (empty where outside).

    Uses a true intersection rather than ``clip_by_rect``, whose output is not guaranteed to be valid.
    Lower-dimensional slivers an intersection can leave on the box edge are dropped.
    """
    frame = box(*bounds)
    out = []
    for g in geoms:
        if g is None or g.is_empty or not g.intersects(frame):
            out.append(Polygon())
            continue
        out.append(_polygonal(g.intersection(frame)))
    return out


def simplify_coverage(geoms: Sequence[BaseGeometry], tolerance: float) -> list[BaseGeometry]:
    """Simplify polygons that share borders so that the shared borders stay shared.

    ``shapely.coverage_simplify`` simplifies each shared edge once, so neighbours neither overlap nor
    leave gaps (a plain per-polygon ``simplify`` does both). Empty inputs stay empty.
    """
    arr = np.asarray([g if g is not None else Polygon() for g in geoms], dtype=object)
    if len(arr) == 0:
        return []
    arr = make_coverage_valid(arr)
    return list(shapely.coverage_simplify(arr, tolerance))


COVERAGE_GRID = 1e-7  # degrees (~1 cm): snapping to this grid makes neighbours' shared vertices identical


def make_coverage_valid(geoms: Sequence[BaseGeometry]) -> np.ndarray:
    """The polygons as a valid coverage (no overlaps, shared edges with identical vertices).

    Coverage simplification is only defined for a valid coverage. Decoded TopoJSON can carry float noise of
    about 1e-11 degrees where Russia meets its neighbours, which makes edges that should be shared differ;
    snapping every polygon to a 1e-7 degree grid removes that without moving any border visibly.
    Raises ValueError if the coverage is still invalid (real overlaps, not noise).
    """
    arr = np.asarray(list(geoms), dtype=object)
    if shapely.coverage_is_valid(arr):
        return arr
    arr = np.asarray([_polygonal(shapely.set_precision(g, COVERAGE_GRID)) for g in arr], dtype=object)
    if not shapely.coverage_is_valid(arr):
        raise ValueError("the polygons overlap: they are not a coverage even after snapping to a 1e-7 degree grid")
    return arr


def round_geometry(geom: BaseGeometry, ndigits: int) -> BaseGeometry:
    """Coordinates rounded to ``ndigits`` decimals, keeping the geometry valid.

    The geometry is first snapped to a grid of 10^-ndigits with GEOS's precision reducer (which repairs
    what snapping would break: collapsed rings, self-touches), then the float noise of the snapped values
    is removed so that the JSON holds exactly ``ndigits`` decimals.
    """
    if geom.is_empty:
        return geom
    snapped = shapely.set_precision(geom, 10.0 ** -ndigits)
    return shapely.transform(snapped, lambda xy: np.round(xy, ndigits))


def chain_lines(lines: BaseGeometry | Iterable[BaseGeometry], max_gap: float) -> tuple[list[tuple[float, float]], list[float]]:
    """Join boundary lines end to end into one closed ring: (ring coordinates, the gaps that were bridged).

    Lines are chained greedily: from the end of the chain, the nearest free line end (either end, the line
    reversed if needed) is attached, bridging any gap with a straight segment. Every gap — including the
    one that closes the ring — must be at most ``max_gap``; otherwise ValueError says where it is, so a
    missing piece of boundary is never papered over. Gaps of zero (lines that already meet) are not listed.
    """
    parts = _line_parts(lines)
    if not parts:
        raise ValueError("no lines to close")
    chain = list(parts.pop(0))
    gaps: list[float] = []
    while parts:
        end = chain[-1]
        best = None
        for i, coords in enumerate(parts):
            for reverse, start in ((False, coords[0]), (True, coords[-1])):
                d = math.dist(end, start)
                if best is None or d < best[0]:
                    best = (d, i, reverse)
        d, i, reverse = best
        if d > max_gap:
            raise ValueError(f"gap of {d:.6f} at {end} exceeds {max_gap}: a piece of the boundary is missing")
        nxt = parts.pop(i)
        if reverse:
            nxt = nxt[::-1]
        if d > 0:
            gaps.append(d)
        chain.extend(nxt[1:] if d == 0 else nxt)
    closing = math.dist(chain[0], chain[-1])
    if closing > max_gap:
        raise ValueError(f"the chained lines end {closing:.6f} from where they start (more than {max_gap})")
    if closing > 0:
        gaps.append(closing)
        chain.append(chain[0])
    return chain, gaps


def close_lines(lines: BaseGeometry | Iterable[BaseGeometry], max_gap: float) -> Polygon:
    """The polygon enclosed by boundary lines once their small gaps are bridged (see ``chain_lines``)."""
    ring, _ = chain_lines(lines, max_gap)
    poly = Polygon(ring)
    if not poly.is_valid:
        raise ValueError(f"the closed ring is not a valid polygon ({shapely.is_valid_reason(poly)})")
    return poly


def simplify_area(geom: BaseGeometry, tolerance: float, ndigits: int) -> BaseGeometry:
    """A single area outline, simplified without breaking topology and rounded; it must stay valid."""
    g = _polygonal(shapely.make_valid(geom.simplify(tolerance, preserve_topology=True)))
    g = round_geometry(g, ndigits)
    if g.is_empty or not g.is_valid:
        raise ValueError("area outline became empty or invalid after simplification")
    return g


def feature_collection(features: Sequence[tuple[BaseGeometry, dict]]) -> dict:
    """A GeoJSON FeatureCollection from (geometry, properties) pairs, in the given order."""
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": props, "geometry": mapping(geom)} for geom, props in features],
    }


def dumps_geojson(doc: dict) -> str:
    """Compact, deterministic JSON (same input, same bytes, so the sha256 in the catalogue is stable)."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _polygonal(g: BaseGeometry) -> BaseGeometry:
    """Only the polygonal part of a geometry (intersections can add stray points and lines)."""
    if g.is_empty:
        return Polygon()
    if isinstance(g, Polygon | MultiPolygon):
        return g
    polys = [p for p in getattr(g, "geoms", []) if isinstance(p, Polygon | MultiPolygon) and not p.is_empty]
    flat = [q for p in polys for q in getattr(p, "geoms", [p])]
    if not flat:
        return Polygon()
    return flat[0] if len(flat) == 1 else MultiPolygon(flat)


def _line_parts(lines: BaseGeometry | Iterable[BaseGeometry]) -> list[list[tuple[float, float]]]:
    geoms = [lines] if isinstance(lines, BaseGeometry) else list(lines)
    out = []
    for g in geoms:
        for part in getattr(g, "geoms", [g]):
            if not isinstance(part, LineString):
                raise ValueError(f"expected lines, got a {part.geom_type}")
            if not part.is_empty:
                out.append([tuple(c[:2]) for c in part.coords])
    return out


# --- reading the inputs and writing the outputs -------------------------------------------------------

@dataclass(frozen=True)
class Output:
    file: str  # relative to the data directory
    features: int
    geometry_types: tuple[str, ...]
    sha256: str
    bytes: int


def _gpd():
    import geopandas as gpd  # heavy; only the build needs it

    return gpd


def read_countries(world_atlas_dir: Path, resolution: str):
    """Natural Earth countries from world-atlas TopoJSON, as a GeoDataFrame in WGS 84 (the file has no CRS)."""
    path = Path(world_atlas_dir) / f"countries-{resolution}.json"
    return _gpd().read_file(path, layer="countries").set_crs(4326)


def build_countries(world_atlas_dir: Path, resolution: str, bounds: Box, tolerance: float, ndigits: int):
    """(geometry, properties) per country inside the box: clipped, coverage-simplified, rounded."""
    gdf = read_countries(world_atlas_dir, resolution)
    clipped = clip_to_box(list(gdf.geometry), bounds)
    keep = [i for i, g in enumerate(clipped) if not g.is_empty]
    simplified = simplify_coverage([clipped[i] for i in keep], tolerance)
    features = []
    for i, geom in zip(keep, simplified, strict=True):
        geom = round_geometry(_polygonal(geom), ndigits)
        if geom.is_empty:
            continue  # a speck of a country at the box edge vanished in simplification
        row = gdf.iloc[i]
        iso = row["id"] if isinstance(row["id"], str) else None
        features.append((geom, {"iso_n3": iso, "name": str(row["name"])}))
    features.sort(key=lambda f: f[1]["name"])
    return features


def _area_km2(geom: BaseGeometry) -> float:
    gpd = _gpd()
    return float(gpd.GeoSeries([geom], crs=4326).to_crs(EQUAL_AREA_CRS).area.iloc[0] / 1e6)


def build_areas(gpkg: Path) -> dict[str, tuple[BaseGeometry, dict]]:
    """The three area outlines, keyed by area id, with the properties written into each file."""
    gpd = _gpd()
    lines = gpd.read_file(gpkg, layer="disputed_borders")
    nk = lines[lines["name"] == NKAO_LINE_NAME]
    if nk.empty:
        raise ValueError(f"no '{NKAO_LINE_NAME}' lines in {gpkg}")
    nkao = close_lines(list(nk.geometry), NKAO_MAX_GAP)

    prov = gpd.read_file(gpkg, layer="states_provinces")
    sy = prov[(prov["name"] == SYUNIK_NAME) & (prov["adm0_a3"] == "ARM")]
    if len(sy) != 1:
        raise ValueError(f"expected one '{SYUNIK_NAME}' row in states_provinces, found {len(sy)}")
    nx = prov[prov["gn_name"].isin(NAKHCHIVAN_UNITS) & (prov["adm0_a3"] == "AZE")]
    if len(nx) != len(NAKHCHIVAN_UNITS):
        raise ValueError(f"expected {len(NAKHCHIVAN_UNITS)} Nakhchivan units, found {len(nx)}")
    nakh = shapely.coverage_union_all(np.asarray(list(nx.geometry), dtype=object))
    nakh = _drop_slivers(nakh)

    src = "Natural Earth via Debian qgis-common world_map.gpkg"
    return {
        "nkao-1991": (simplify_area(nkao, AREA_TOLERANCE, AREA_DIGITS), {
            "id": "nkao-1991", "name": "Nagorno-Karabakh Autonomous Oblast (1991 boundary)",
            "source": f"{src}, layer disputed_borders, '{NKAO_LINE_NAME}' lines closed into a polygon",
        }),
        "syunik": (simplify_area(sy.geometry.iloc[0], AREA_TOLERANCE, AREA_DIGITS), {
            "id": "syunik", "name": "Syunik Province",
            "source": f"{src}, layer states_provinces, name '{SYUNIK_NAME}'",
        }),
        "nakhchivan-exclave": (simplify_area(nakh, AREA_TOLERANCE, AREA_DIGITS), {
            "id": "nakhchivan-exclave", "name": "Nakhchivan Autonomous Republic",
            "source": f"{src}, layer states_provinces, union of {len(NAKHCHIVAN_UNITS)} units",
        }),
    }


def _drop_slivers(g: BaseGeometry, min_area: float = 1e-6) -> BaseGeometry:
    """Remove tiny holes and parts a union of neighbouring units can leave where their borders differ."""
    polys = [p for p in getattr(g, "geoms", [g]) if isinstance(p, Polygon) and p.area >= min_area]
    cleaned = [Polygon(p.exterior, [r for r in p.interiors if Polygon(r).area >= min_area]) for p in polys]
    return cleaned[0] if len(cleaned) == 1 else MultiPolygon(cleaned)


def _write(out_dir: Path, rel: str, features: Sequence[tuple[BaseGeometry, dict]]) -> Output:
    path = out_dir / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dumps_geojson(feature_collection(features))
    path.write_text(text, encoding="utf-8")
    types = tuple(sorted({g.geom_type for g, _ in features}))
    return Output(rel, len(features), types, sha256_of(path), path.stat().st_size)


def write_catalogue(out_dir: Path, outputs: Sequence[Output]) -> Path:
    """basemap/catalogue.yaml: one entry per generated file, read by tests/test_basemap.py."""
    lines = ["# Generated by `python -m atlas.tools.basemap`; do not edit by hand (tests compare it with the files).", "files:"]
    for o in outputs:
        lines += [
            f"  - file: {o.file}",
            f"    sha256: {o.sha256}",
            f"    features: {o.features}",
            f"    geometry_types: [{', '.join(o.geometry_types)}]",
            f"    bytes: {o.bytes}",
        ]
    path = out_dir / CATALOGUE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build_all(world_atlas_dir: Path, gpkg: Path, out_dir: Path) -> list[Output]:
    """Regenerate all five files and the catalogue under ``out_dir`` (the data directory)."""
    out_dir = Path(out_dir)
    outputs = [
        _write(out_dir, "basemap/countries-10m.geojson",
               build_countries(world_atlas_dir, "10m", BOX_10M, TOLERANCE_10M, DIGITS_10M)),
        _write(out_dir, "basemap/countries-50m.geojson",
               build_countries(world_atlas_dir, "50m", BOX_50M, TOLERANCE_50M, DIGITS_50M)),
    ]
    for area_id, feature in build_areas(gpkg).items():
        outputs.append(_write(out_dir, f"areas/{area_id}.geojson", [feature]))
    write_catalogue(out_dir, outputs)
    return outputs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m atlas.tools.basemap", description=__doc__.splitlines()[0])
    ap.add_argument("--world-atlas", required=True, type=Path,
                    help="directory holding countries-10m.json and countries-50m.json (npm world-atlas@2.0.2, unpacked)")
    ap.add_argument("--gpkg", required=True, type=Path, help="world_map.gpkg from Debian's qgis-common package")
    ap.add_argument("--out", required=True, type=Path, help="the data directory to write into (e.g. data)")
    args = ap.parse_args(argv)
    for p, what in ((args.world_atlas / "countries-10m.json", "--world-atlas"), (args.gpkg, "--gpkg")):
        if not p.is_file():
            print(f"{what}: {p} not found (see data/basemap/README.md for how to fetch it)", file=sys.stderr)
            return 2
    outputs = build_all(args.world_atlas, args.gpkg, args.out)
    for o in outputs:
        print(f"{o.file}: {o.features} feature(s), {'/'.join(o.geometry_types)}, {o.bytes:,} bytes, sha256 {o.sha256}")
    nkao = json.loads((args.out / "areas/nkao-1991.geojson").read_text(encoding="utf-8"))
    geom = shapely.geometry.shape(nkao["features"][0]["geometry"])
    print(f"nkao-1991: {_area_km2(geom):,.0f} km²; gaps bridged (degrees): "
          + ", ".join(f"{g:.5f}" for g in nkao_gaps(args.gpkg)))
    return 0


def nkao_gaps(gpkg: Path) -> list[float]:
    """The gaps between the oblast's boundary lines that the build bridges (for the build report)."""
    lines = _gpd().read_file(gpkg, layer="disputed_borders")
    _, gaps = chain_lines(list(lines[lines["name"] == NKAO_LINE_NAME].geometry), NKAO_MAX_GAP)
    return gaps


if __name__ == "__main__":
    sys.exit(main())
