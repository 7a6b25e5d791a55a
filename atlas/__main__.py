"""The command line: `python -m atlas validate`, `python -m atlas export …` and `python -m atlas reliability`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from atlas.core.load import load_dataset
from atlas.views import export


def _pptx(ds, base_url: str | None = None) -> bytes:
    from atlas.views import pack  # plotly, kaleido and the PDF writer load only for a pack

    return pack.brief_pptx(ds, base_url)


def _pdf(ds, base_url: str | None = None) -> bytes:
    from atlas.views import pack

    return pack.brief_pdf(ds, base_url)


EXPORTS = {
    "citations": (export.citations_csv, "one row per citation (CSV)"),
    "annotations": (export.annotations_jsonld, "W3C Web Annotation AnnotationPage (JSON-LD)"),
    "geojson": (export.map_geojson_text, "the map's layers as GeoJSON, with citations"),
    "briefing": (export.briefing_html, "a self-contained HTML briefing (works offline)"),
    "pptx": (_pptx, "the brief as PowerPoint slides, quotes on the slides and in the notes"),
    "pdf": (_pdf, "the brief as a PDF, one page per slide, text selectable"),
}
def _bundle(ds) -> bytes:
    from atlas.views import bundle

    return bundle.bundle_zip(ds)


EXPORTS["bundle"] = (_bundle, "a zip: every record kind and the citations as CSV, annotations, GeoJSON, metadata.json, README")
EXPORTS["record"] = (None, "one record (--id ID) as JSON: fields, citations with selectors and offsets, sources")
PACKS = {"pptx", "pdf"}  # binary, and they name the live views: these take --base-url


def _summary(ds) -> str:
    kinds = {}
    for rec in ds.records.values():
        kinds[rec.kind] = kinds.get(rec.kind, 0) + 1
    parts = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in kinds.items())
    brief = f", a brief of {len(ds.brief)} steps" if ds.brief else ""
    return f"{len(ds.sources)} sources, {parts or 'no records'}, {len(ds.citations)} citations{brief}"


def cmd_validate(args) -> int:
    ds, problems = load_dataset(args.data_dir)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {ds.data_dir}")
        return 1
    cited, total, uncited = ds.coverage()
    print(f"ok: {_summary(ds)}, all quotes verbatim and unambiguous")
    pct = 100.0 * cited / total if total else 100.0
    print(f"coverage: {cited}/{total} substantive passages cited ({pct:.0f}%)")
    for p in uncited:
        print(f"  uncited: {p.ref} — {ds.texts[p.source_id].raw(p)[:70]!r}")
    return 0


def _valid_dataset(data_dir, not_done: str):
    """The dataset, or None after printing its problems and `not_done` ('not exported', 'not compared')."""
    ds, problems = load_dataset(data_dir)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(f"{not_done}: {len(problems)} problem{'s' if len(problems) != 1 else ''} (run: python -m atlas validate)",
              file=sys.stderr)
        return None
    return ds


def cmd_export(args) -> int:
    ds = _valid_dataset(args.data_dir, "not exported")
    if ds is None:
        return 1
    render, _ = EXPORTS[args.what]
    if args.what == "record":
        from atlas.views import record

        if not args.id or args.id not in ds.records:
            print(record.unknown_message(ds, args.id or "") if args.id else "export record needs --id ID (a record's id)",
                  file=sys.stderr)
            return 1
        out = record.record_json(ds, args.id) + "\n"
    else:
        out = render(ds, args.base_url) if args.what in PACKS else render(ds)
    data = out.encode("utf-8") if isinstance(out, str) else out
    if args.out in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        try:
            Path(args.out).write_bytes(data)
        except OSError as e:
            print(f"cannot write {args.out}: {e.strerror}", file=sys.stderr)
            return 1
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def cmd_reliability(args) -> int:
    from atlas.analysis import reliability

    ds = _valid_dataset(args.data_dir, "not compared")
    if ds is None:
        return 1
    rel = reliability.report(ds)
    if rel is None:
        print(f"No second coding in {ds.data_dir} ({reliability.SECOND_FILE}): there is nothing to compare.")
        return 0
    print("\n".join(reliability.summary_lines(rel)))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m atlas", description="South Caucasus Security Atlas data tools")
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check every record, quote, date, coordinate and geometry")
    v.add_argument("--data-dir", help="data directory (default: $ATLAS_DATA_DIR or ./data)")
    v.set_defaults(func=cmd_validate)
    e = sub.add_parser("export", help="write citations (CSV), annotations (JSON-LD), map layers (GeoJSON), the briefing "
                                      "(HTML) or the brief as slides (PowerPoint) or pages (PDF)")
    e.add_argument("what", choices=sorted(EXPORTS), help="; ".join(f"{k}: {d}" for k, (_, d) in EXPORTS.items()))
    e.add_argument("--out", help="output file (default: standard output)")
    e.add_argument("--data-dir", help="data directory (default: $ATLAS_DATA_DIR or ./data)")
    e.add_argument("--id", help="record: the id of the record to print")
    e.add_argument("--base-url", help="where the Atlas is served, for the live-view links in slides and notes (default: "
                                      "$ATLAS_BASE_URL or http://localhost:8501)")
    e.set_defaults(func=cmd_export)
    r = sub.add_parser("reliability", help="agreement and Cohen's kappa between the shipped coding and the blind second "
                       "coding, and each disagreement with its adjudication")
    r.add_argument("--data-dir", help="data directory (default: $ATLAS_DATA_DIR or ./data)")
    r.set_defaults(func=cmd_reliability)
    args = ap.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head and the like
        sys.exit(0)
