"""Every path the Atlas reads, defined once."""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
DEFAULT_DATA_DIR = REPO / "data"
ASSETS = REPO / "assets"
DATA_DIR_ENV = "ATLAS_DATA_DIR"

SOURCES_FILE = "sources.yaml"
SETTINGS_FILE = "atlas.yaml"  # optional: title, region, period, partners, key moments, named map layers
BRIEF_FILE = "brief.yaml"  # optional: the presenter's sequence
CAMEO_FILE = "cameo.csv"
README_FILE = "README.md"  # optional: its "Coding rules" section is shown on /alignments
# optional basemap layers: wide context and the region in detail
BASEMAP_50M = "basemap/countries-50m.geojson"
BASEMAP_10M = "basemap/countries-10m.geojson"
# optional: Natural Earth populated places inside the region, for the suggestions of a new source (atlas.curate.gazetteer)
POPULATED_PLACES_FILE = "reference/populated_places.geojson"
# each record kind's file (optional) is named in its entry of atlas.core.kinds


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data directory: an explicit argument, else $ATLAS_DATA_DIR, else the shipped data/."""
    chosen = explicit or os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR
    return Path(chosen).expanduser().resolve()
