"""The data bundle: one zip with every record kind as CSV, the citations CSV, the W3C annotations, the map's GeoJSON, a
metadata.json (data version, sources with their perspectives and licences, coding rules version) and a README that says
how to cite it. For the download on /about and `python -m atlas export bundle --out FILE.zip`."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import zipfile

from atlas.analysis.alignment import coding_rules
from atlas.core.kinds import KINDS
from atlas.core.load import Dataset
from atlas.views import cite, export
from atlas.views.record import fields


def kind_files() -> dict[str, str]:
    """kind -> the name of its CSV in the bundle (without .csv): every registered record kind (atlas.core.kinds)."""
    return {k.name: k.plural for k in KINDS.values()}


LEAD_COLUMNS = ["id", "title", "date", "date_precision", "citation_count", "record_url"]
SOURCE_LICENCE = ("Not licensed for reuse by the Atlas: © the author and publisher. The Atlas stores the text as evidence "
                  "and quotes it with attribution; the quotes in this bundle are short extracts, each naming its source.")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # every member gets this time: the same data make the same zip, byte for byte


def _columns(kind: str) -> list[str]:
    """A kind's columns: the lead columns, then every field of its model under the name the data files use."""
    cls = KINDS[kind].model
    names = [f.alias or name for name, f in cls.model_fields.items() if name != "kind"]
    return LEAD_COLUMNS + [n for n in names if n not in LEAD_COLUMNS]


def _cell(value: object) -> object:
    """A field as one CSV cell: text and numbers as they are, lists and mappings as JSON."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def record_rows(ds: Dataset, kind: str) -> list[dict]:
    rows = []
    for rec in ds.of_kind(kind):
        row = {k: _cell(v) for k, v in fields(rec).items()}
        date = rec.date
        row.update(id=rec.id, title=rec.title, date=date.text if date else "", date_precision=date.precision if date else "",
                   citation_count=len(ds.citations_of(rec.id)), record_url=f"/record?id={rec.id}")
        rows.append(row)
    return rows


def records_csv(ds: Dataset, kind: str) -> str:
    return export.csv_text(record_rows(ds, kind), _columns(kind))


def coding_rules_version(ds: Dataset) -> str | None:
    """A digest of the "Coding rules" section of the data directory's README: changes whenever a rule does."""
    rules = coding_rules(ds)
    return hashlib.sha256(rules.encode("utf-8")).hexdigest()[:12] if rules else None


def metadata(ds: Dataset, version: tuple[str, str], files: dict[str, str]) -> dict:
    counts: dict[str, int] = {}
    for rec in ds.records.values():
        counts[rec.kind] = counts.get(rec.kind, 0) + 1
    return {
        "title": ds.settings.title,
        "data_version": {"date": version[0], "digest": version[1], "label": cite.version_label(version),
                         "method": "sha256 over every data file's path and bytes (first 12 hex digits); the date of the "
                                   "last commit of the data directory, else of its newest file"},
        "coding_rules": {"version": coding_rules_version(ds), "where": "README.md of the data directory, section "
                         "\"Coding rules\" (version: first 12 hex digits of its sha256)"},
        "counts": {"sources": len(ds.sources), **{name: counts.get(k, 0) for k, name in kind_files().items()},
                   "citations": len(ds.citations)},
        "sources": [{
            "id": s.id, "title": s.title, "author": s.author, "publisher": s.publisher,
            "date_published": s.date_published.text if s.date_published else None, "date_basis": s.date_basis,
            "url": s.url, "language": s.language, "source_type": s.source_type, "perspective": s.perspective,
            "sha256": s.sha256, "licence": SOURCE_LICENCE,
        } for s in ds.sources.values()],
        "licences": {
            "records": "Summaries, codings and definitions: written by the Atlas team; MIT licence, as the code",
            "cameo": "CAMEO event codes and Goldstein scores: the GDELT Project's published CAMEO tables",
            "basemap": "Made with Natural Earth (public domain)",
        },
        "files": files,
    }


def readme(ds: Dataset, c: cite.ViewCitation, files: dict[str, str]) -> str:
    listing = "\n".join(f"- `{name}`: {what}" for name, what in files.items())
    return f"""# {ds.settings.title}: data bundle

Data version {cite.version_label(c.version)}, downloaded {c.accessed.isoformat()}.
{len(ds.sources)} sources, {len(ds.records)} records, {len(ds.citations)} citations. Every record cites at least one exact
quote from a source: `citations.csv` and `annotations.jsonld` say where each quote stands in the stored text.

## How to cite it

APA:
    {cite.apa(c)}

Chicago:
    {cite.chicago(c)}

BibTeX:
{cite.bibtex(c)}

Cite the data version: the same files always give the same version, so a reader can tell whether they are looking at
the data you used. When you quote a source through the Atlas, cite the source itself too (metadata.json lists each with
its author, publisher, date and perspective).

## Files

{listing}

In the CSV files a text cell that starts with = + - @, a tab or a carriage return has a leading apostrophe, so that a
spreadsheet does not run it as a formula: strip it to get the exact text. `start` and `end` are character offsets into
the stored source text (end exclusive). Lists and nested values in the record CSVs are JSON. The JSON-LD and GeoJSON
files carry every text exactly.

## Licences

Source texts are not included: they remain © their authors and publishers, and are quoted here as evidence. Summaries,
codings and definitions are the Atlas team's own words (MIT licence). CAMEO codes and Goldstein scores: the GDELT
Project. Basemap: Made with Natural Earth.
"""


def bundle_files(ds: Dataset, base_url: str | None = None, accessed: dt.date | None = None) -> dict[str, bytes]:
    """Every file of the bundle, by name."""
    version = cite.data_version(ds)
    c = cite.ViewCitation(ds.settings.title, f"{ds.settings.title}, data bundle", version, accessed or dt.date.today(),
                          cite.view_url(base_url or os.environ.get(cite.BASE_URL_ENV) or cite.DEFAULT_BASE_URL, "about", {}))
    out: dict[str, str | bytes] = {}
    described: dict[str, str] = {}
    for kind, name in kind_files().items():
        out[f"{name}.csv"] = records_csv(ds, kind)
        described[f"{name}.csv"] = f"one row per {kind} ({len(ds.of_kind(kind))}): id, title, date and every field"
    out["citations.csv"] = export.citations_csv(ds)
    described["citations.csv"] = f"one row per citation ({len(ds.citations)}): " + ", ".join(export.CITATION_COLUMNS)
    out["annotations.jsonld"] = export.annotations_jsonld(ds)
    described["annotations.jsonld"] = "every citation as a W3C Web Annotation (TextQuoteSelector and TextPositionSelector)"
    out["map.geojson"] = export.map_geojson_text(ds)
    described["map.geojson"] = "the map's places, schematic corridors, areas and events, each with its citations"
    described["metadata.json"] = "data version, counts, sources with perspectives and licences, coding rules version"
    described["README.md"] = "this file"
    out["metadata.json"] = json.dumps(metadata(ds, version, described), ensure_ascii=False, indent=1)
    out["README.md"] = readme(ds, c, described)
    return {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in out.items()}


def bundle_zip(ds: Dataset, base_url: str | None = None, accessed: dt.date | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in bundle_files(ds, base_url, accessed).items():
            info = zipfile.ZipInfo(f"atlas-data/{name}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()

