"""What changed: records added, changed and removed since a date, each linked, and the data version."""
from atlas.ui import changes, data, widgets

ds = data.require()
widgets.title_with_cite("What changed")
changes.page(ds)
