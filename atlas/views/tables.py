"""Plain tables of what a figure shows: text alternatives for the map."""
from __future__ import annotations

import pandas as pd

from atlas.views.mapstate import MapState

KIND_WORDS = {"fighting": "fighting site"}  # a layer whose features are records of another kind


def map_features(state: MapState) -> pd.DataFrame:
    """Every feature on the map at its month, as rows a screen reader can read: kind, name (in the chosen usage), state
    at the month, where. Indexed by the feature's key ("layer:record id"), in drawing order."""
    rows = [{"kind": KIND_WORDS.get(f.layer, f.kind), "name": f.name, "state": f.state, "where": f.where}
            for f in state.features]
    index = pd.Index([f"{f.layer}:{f.id}" for f in state.features], name="feature")
    return pd.DataFrame(rows, columns=["kind", "name", "state", "where"], index=index)
