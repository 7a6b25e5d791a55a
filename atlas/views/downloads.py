"""The exports, in one table: each one's name, button label, file name, MIME type and the function that writes it.

The command line (`python -m atlas export <name> --out FILE`) and the Downloads of /about both read this table, so
they offer the same files under the same names. To add an export, write its function (ds, **options) -> bytes | str
and register it here (or from its own module with `register`): the command line gains `export <name>` and /about a
button, with no other change. An export that needs more than the dataset names its keyword options (`options`); the
command line turns each into `--option` (described in OPTIONS; ALIASES gives an option a shorter flag too), and an
export that needs an option only the command line can give (a record id, say) sets `on_about=False`. An export that
cannot be written from what it was given (no such record) raises NotExported with a sentence saying why.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from atlas.analysis import explore
from atlas.core import geo
from atlas.core.dataset import Dataset
from atlas.views import bundle, cite, export, figures, pack, record, staticmap


@dataclass(frozen=True)
class Export:
    name: str  # python -m atlas export <name>
    label: str  # the button on /about; "{last_month}" becomes the map's last month
    file_name: str  # the download's file name
    mime: str
    build: Callable[..., bytes | str]  # build(ds, **options): a module-level function (downloads are cached by it)
    help: str  # one line for `--help` and the button's tooltip
    options: tuple[str, ...] = ()  # keyword options build takes, each a command-line --option (see OPTIONS)
    slow: bool = False  # seconds to write: /about prepares it when asked, not with the page
    on_about: bool = True  # False for an export that needs an option /about cannot give

    def label_for(self, ds: Dataset) -> str:
        return self.label.format(last_month=geo.month_label(geo.last_month(ds)))

    def data(self, ds: Dataset, **options: object) -> bytes:
        out = self.build(ds, **{k: v for k, v in options.items() if k in self.options})
        return out.encode("utf-8") if isinstance(out, str) else out


# The keyword options an export may take, each a command-line --option: name -> its help.
OPTIONS: dict[str, str] = {
    "base_url": "where the Atlas is served, for the live-view links in slides and notes (default: $ATLAS_BASE_URL or "
                f"{pack.DEFAULT_BASE_URL}; on /about, the address the browser uses)",
    "record_id": "record: the id of the record to print (its `id` in the data files)",
}

# A shorter flag an option also answers to, as the issues name it: `export record --id ID`.
ALIASES: dict[str, str] = {"record_id": "--id"}

EXPORTS: dict[str, Export] = {}


class NotExported(Exception):
    """An export that cannot be written from the options given: the message says why, and what to give instead."""


def register(entry: Export) -> Export:
    if entry.name in EXPORTS:
        raise ValueError(f"an export named {entry.name!r} is already registered")
    unknown = [o for o in entry.options if o not in OPTIONS]
    if unknown:
        raise ValueError(f"export {entry.name!r} takes unknown options {unknown}: describe them in OPTIONS")
    EXPORTS[entry.name] = entry
    return entry


def latest_map_png(ds: Dataset, base_url: str | None = None) -> bytes:
    """The map at the last month of the period, every layer, international names, nothing selected; its citation (as
    reached at `base_url` today) under it."""
    c = cite.citation(ds, "map", {"date": geo.last_month(ds)}, base_url or pack.base_url_default(), cite.data_version(ds),
                      dt.date.today())
    return staticmap.png_for(ds, geo.last_month(ds), figures.default_layers(ds), "international", None, cite.image_line(c))


def record_json(ds: Dataset, record_id: str | None = None) -> str:
    """One record as JSON: its fields, every citation with its selectors and offsets, its sources with perspectives."""
    if not record_id:
        raise NotExported("export record needs --id ID (a record's id)")
    if record_id not in ds.records:
        raise NotExported(record.unknown_message(ds, record_id))
    return record.record_json(ds, record_id) + "\n"


def brief_pptx(ds: Dataset, base_url: str | None = None) -> bytes:
    return pack.brief_pptx(ds, base_url)


def brief_pdf(ds: Dataset, base_url: str | None = None) -> bytes:
    return pack.brief_pdf(ds, base_url)


for _entry in (
    Export("bundle", "Everything: the data bundle (ZIP)", "atlas-data.zip", "application/zip", bundle.bundle_zip,
           "Every record kind and the citations as CSV, the W3C annotations, the GeoJSON, metadata.json (data version, "
           "sources with perspectives and licences, coding rules version) and a README on how to cite it",
           options=("base_url",)),
    Export("citations", "Citations (CSV)", "atlas-citations.csv", "text/csv", export.citations_csv,
           "One row per citation: record, source, quote and character span"),
    Export("annotations", "W3C Web Annotations (JSON-LD)", "atlas-annotations.jsonld", "application/ld+json",
           export.annotations_jsonld,
           "A W3C Web Annotation AnnotationPage: each citation as a TextQuoteSelector and TextPositionSelector"),
    Export("events", "Events with citations (CSV)", "atlas-events.csv", "text/csv", explore.all_events_csv,
           "Every event with its date, place, coding and the quotes behind it"),
    Export("geojson", "Map layers (GeoJSON)", "atlas-map.geojson", "application/geo+json", export.map_geojson_bytes,
           "Places, schematic corridors with their status timelines, areas and events, each with its citations"),
    Export("briefing", "Briefing (one HTML file, works offline)", "atlas-briefing.html", "text/html",
           export.briefing_bytes, "The brief's steps, the interactive alignment chart, a map image and every quote cited"),
    Export("map-png", "Map image (PNG, {last_month})", "atlas-map.png", "image/png", latest_map_png,
           "The map at the last month of the period, with its legend, source line and citation", options=("base_url",)),
    Export("pptx", "Brief slides (PowerPoint)", "atlas-brief.pptx",
           "application/vnd.openxmlformats-officedocument.presentationml.presentation", brief_pptx,
           "The brief as 16:9 slides: the quote on the slide; every quote, the caveats and the live view in the notes",
           options=("base_url",), slow=True),
    Export("pdf", "Brief pages (PDF)", "atlas-brief.pdf", "application/pdf", brief_pdf,
           "The brief as a PDF, one page per slide: text selectable, quotes searchable, the live view a link",
           options=("base_url",), slow=True),
    Export("record", "One record (JSON)", "atlas-record.json", "application/json", record_json,
           "One record as JSON: its fields, every citation with its selectors and offsets, its sources with perspectives",
           options=("record_id",), on_about=False),
):
    register(_entry)
