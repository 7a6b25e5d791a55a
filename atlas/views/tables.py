"""Plain tables of what a figure shows: text alternatives for the map."""
from __future__ import annotations

import pandas as pd

from atlas.core import geo
from atlas.core.load import Dataset
from atlas.core.model import Area, Corridor, Place
from atlas.views import figures


def map_features(ds: Dataset, month: str) -> pd.DataFrame:
    """Corridors with their status at the month, areas and places, as rows a screen reader can read."""
    when = geo.month_end(month)
    rows = []
    for rec in ds.records.values():
        if isinstance(rec, Corridor):
            route = " → ".join(ds.records[p].title for p in rec.route if p in ds.records)
            rows.append({"kind": "corridor", "name": rec.title, "state": figures.status_label(geo.status_at(rec, when)),
                         "where": route})
        elif isinstance(rec, Area):
            rows.append({"kind": "area", "name": rec.title, "where": rec.area_type,
                         "state": "in force" if geo.area_current(rec, when) else "historical outline"})
        elif isinstance(rec, Place):
            rows.append({"kind": "place", "name": rec.title, "state": rec.coord_status,
                         "where": f"{rec.lat:.3f} N, {rec.lon:.3f} E ({rec.country})"})
    return pd.DataFrame(rows, columns=["kind", "name", "state", "where"])
