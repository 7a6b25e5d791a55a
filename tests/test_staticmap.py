"""The static map image: a real PNG with the month's state drawn in, and the map table."""
import io

from PIL import Image

from atlas.core import geo
from atlas.core.load import load_or_raise
from atlas.views import figures, staticmap, tables
from atlas.views.mapstate import map_state
from tests.conftest import shipped


@shipped
def test_png_has_the_expected_size_and_changes_with_the_month():
    ds = load_or_raise()
    before = staticmap.render_png(ds, figures.MapView(date="2021-06"))
    during = staticmap.render_png(ds, figures.MapView(date="2022-12"))
    image = Image.open(io.BytesIO(during))
    assert image.format == "PNG" and image.size == staticmap.SIZE
    assert before != during  # the Lachin road is cased as blocked in December 2022


def test_png_renders_hostile_text_without_failing(tmp_path):
    from tests.test_render import injected_corpus

    png = staticmap.render_png(injected_corpus(tmp_path), figures.MapView())
    assert Image.open(io.BytesIO(png)).size == staticmap.SIZE


@shipped
def test_map_table_lists_corridor_status_at_the_month():
    ds = load_or_raise()
    t = tables.map_features(map_state(ds, figures.MapView(date="2022-12"))).set_index("name")
    assert t.loc["Lachin corridor", "state"] == "blocked"
    assert set(t["kind"]) == {"corridor", "area", "place", "event", "site"}
    assert set(tables.map_features(map_state(ds, figures.MapView(date="2022-12", layers=("places",))))["kind"]) == {"place"}


@shipped
def test_a_focused_map_closes_in_on_the_feature_without_stretching_it():
    import math

    from atlas.core.load import load_or_raise
    from atlas.views import figures, staticmap

    ds = load_or_raise()
    assert staticmap.focus_box(ds, figures.MapView(date="2022-12")) == geo.picture_box(ds)
    view = figures.MapView(date="2022-12", focus="lachin-road")
    west, south, east, north = staticmap.focus_box(ds, view)
    assert (east - west) < (geo.picture_box(ds)[2] - geo.picture_box(ds)[0]) / 2  # much closer than the whole region
    for lon, lat in geo.route_coords(ds, ds.records["lachin-road"]):
        assert west < lon < east and south < lat < north
    merc = lambda phi: math.degrees(math.log(math.tan(math.pi / 4 + math.radians(phi) / 2)))  # noqa: E731
    panel = (staticmap.SIZE[0] - staticmap.LEGEND_W) / (staticmap.SIZE[1] - staticmap.MAP_TOP - staticmap.MAP_BOTTOM)
    assert abs((east - west) / (merc(north) - merc(south)) - panel) < 0.03 * panel  # same proportions as the panel
    zoomed, whole = staticmap.render_focus_png(ds, view), staticmap.render_png(ds, view)
    assert zoomed != whole and zoomed.startswith(b"\x89PNG")


@shipped
def test_the_selected_feature_is_marked_on_the_picture():
    ds = load_or_raise()

    def marked(view) -> int:
        image = Image.open(io.BytesIO(staticmap.render_png(ds, view))).convert("RGB")
        return sum(1 for px in image.get_flattened_data() if px == staticmap.HIGHLIGHT)

    assert marked(figures.MapView(date="2022-12")) == 0
    assert marked(figures.MapView(date="2022-12", focus="lachin-road")) > 200  # the corridor's halo, and its key
    assert marked(figures.MapView(date="2022-09", focus="september-2022-border-fighting")) > 200  # a ring at the place
