"""Text alternatives of the visuals: the map's features as rows a screen reader can read."""
from __future__ import annotations

import pandas as pd

from atlas.views.mapstate import MapDrawing


def map_features(state: MapDrawing) -> pd.DataFrame:
    """Every feature on the map at its month, as rows a screen reader can read: kind (a named layer's places are its
    sites), name (in the chosen usage), state at the month, where. Indexed by the feature's key ("layer:record id"),
    in drawing order."""
    rows = [{"kind": "site" if f.layer in state.named_layers else f.kind, "name": f.name, "state": f.state, "where": f.where}
            for f in state.features]
    index = pd.Index([f"{f.layer}:{f.id}" for f in state.features], name="feature")
    return pd.DataFrame(rows, columns=["kind", "name", "state", "where"], index=index)
