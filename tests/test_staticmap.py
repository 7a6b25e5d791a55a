"""The static map image: a real PNG with the month's state drawn in, and the map table."""
import io

from PIL import Image

from atlas import figures, staticmap, tables
from atlas.load import load_or_raise


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


def test_map_table_lists_corridor_status_at_the_month():
    ds = load_or_raise()
    t = tables.map_features(ds, "2022-12").set_index("name")
    assert t.loc["Lachin corridor", "state"] == "blocked"
    assert set(t["kind"]) == {"corridor", "area", "place"}
