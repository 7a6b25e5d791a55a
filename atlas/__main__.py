"""The command line: `python -m atlas validate`, `export …`, `reliability`, and for curating `source add`, `anchor`,
`suggest`, `record add`, `changes` and `gazetteer import`."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ruamel.yaml import YAMLError

from atlas.core import kinds, paths
from atlas.core.corpus import display_text
from atlas.core.load import load_dataset, parse_yaml
from atlas.core.model import Source
from atlas.curate import changes, gazetteer, records, sources
from atlas.curate.anchor import Anchor, anchor
from atlas.curate.suggest import draft_events, suggest
from atlas.curate.writes import Invalid, Refused, Stale, file_sha


def _downloads():
    """The export table, atlas.views.downloads, loaded only for `export`: it brings plotly, pydeck and pandas, which
    `validate` does without."""
    from atlas.views import downloads  # lazy for speed, not to dodge a cycle (tests/test_architecture.py)

    return downloads


def _summary(ds) -> str:
    counts = {}
    for rec in ds.records.values():
        counts[rec.kind] = counts.get(rec.kind, 0) + 1
    parts = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in counts.items())
    brief = f", a brief of {len(ds.brief)} steps" if ds.brief else ""
    return f"{len(ds.sources)} sources, {parts or 'no records'}, {len(ds.citations)} citations{brief}"


def cmd_validate(args) -> int:
    ds, problems = load_dataset(args.data_dir)
    # the optional Natural Earth places serve only the suggestions, so the app loads without them, but a broken file is
    # an error here like any other file of the data directory
    reference, trouble = gazetteer.read_reference(ds.data_dir) if ds.data_dir.is_dir() else ([], [])
    problems = problems + trouble
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {ds.data_dir}")
        return 1
    cited, total, uncited = ds.coverage()
    print(f"ok: {_summary(ds)}, all quotes verbatim and unambiguous")
    pct = 100.0 * cited / total if total else 100.0
    print(f"coverage: {cited}/{total} substantive passages cited ({pct:.0f}%)")
    if reference:
        print(f"reference: {len(reference):,} Natural Earth populated place{'s' if len(reference) != 1 else ''} for "
              f"suggestions ({paths.POPULATED_PLACES_FILE})")
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
    table = _downloads()
    entry = table.EXPORTS[args.what]
    try:
        data = entry.data(ds, **{name: getattr(args, name) for name in entry.options})
    except table.NotExported as e:
        print(f"not exported: {e}", file=sys.stderr)
        return 1
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
    from atlas.analysis import reliability  # lazy for speed as above: the comparison brings pandas

    ds = _valid_dataset(args.data_dir, "not compared")
    if ds is None:
        return 1
    rel = reliability.report(ds)
    if rel is None:
        print(f"No second coding in {ds.data_dir} ({reliability.SECOND_FILE}): there is nothing to compare.")
        return 0
    print("\n".join(reliability.summary_lines(rel)))
    return 0


# --- Curating: source add, anchor, suggest, changes (the engine is atlas.curate) ---------------------------------------

def _editor(args) -> str:
    import getpass

    return args.editor or os.environ.get("ATLAS_EDITOR") or getpass.getuser()


def _yaml_out(data) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)


def _source_text(args):
    """The dataset and the stored text of args.source_id, or None after printing why not."""
    ds, problems = load_dataset(args.data_dir)
    st = ds.texts.get(args.source_id)
    if st is None:
        for p in problems:
            print(p, file=sys.stderr)
        known = ", ".join(sorted(ds.sources)) or "none"
        print(f"no source '{args.source_id}' in {ds.data_dir} (sources: {known})", file=sys.stderr)
        return None
    return ds, st


def cmd_source_add(args) -> int:
    meta = {"id": args.id, "title": args.title, "author": args.author or args.publisher, "publisher": args.publisher,
            "date_published": args.date, "date_basis": args.date_basis or ("stated on the document" if args.date else
                                                                          "the document gives no date"),
            "url": args.url, "language": args.language, "source_type": args.kind, "perspective": args.perspective}
    try:
        saved, st = sources.add(args.data_dir, meta, _editor(args), path=args.path)
    except Invalid as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        print(f"not added: {len(e.problems)} problem{'s' if len(e.problems) != 1 else ''}", file=sys.stderr)
        return 1
    except Refused as e:
        print(e, file=sys.stderr)
        return 1
    print(f"added {args.id}: {len(st.text):,} characters, {len(st.passages)} passages, recorded as {saved.recorded}")
    for w in saved.warnings:
        print(f"warning: {w}", file=sys.stderr)
    for p in st.passages:
        print(f"{p.number:>4} [{p.kind}] {display_text(st.raw(p))}")
    return 0


def cmd_anchor(args) -> int:
    got = _source_text(args)
    if got is None:
        return 1
    _, st = got
    result = anchor(st, args.words, passage=args.passage, occurrence=args.occurrence)
    if isinstance(result, Anchor):
        sys.stdout.write(_yaml_out(result.as_dict()))
        print(f"# passage {result.passage}, characters {result.start}-{result.end}", file=sys.stderr)
        return 0
    print(f"not anchored: {result.message}", file=sys.stderr)
    for s in result.suggestions:
        print(f"nearest verbatim span (check it, then pass it exactly): {s!r}", file=sys.stderr)
    if result.occurrences:
        print("pass --passage N (and --occurrence K for the K-th in that passage) to choose one", file=sys.stderr)
    return 1


def cmd_suggest(args) -> int:
    got = _source_text(args)
    if got is None:
        return 1
    ds, _ = got
    problems: list = []
    found = suggest(ds, args.source_id, problems)
    out = {"source": args.source_id, "note": "candidates for review: nothing here is saved until an editor confirms it"}
    out.update({kind: [s.as_dict() for s in items] for kind, items in found.items()})
    out["draft_events"] = draft_events(ds, args.source_id, found)
    sys.stdout.write(_yaml_out(out))
    for p in problems:  # the suggestions above were made without what the problem names
        print(p, file=sys.stderr)
    if problems:
        print(f"new_places may be incomplete: {len(problems)} problem{'s' if len(problems) != 1 else ''} with "
              f"{paths.POPULATED_PLACES_FILE}", file=sys.stderr)
    return 1 if problems else 0


def cmd_record_add(args) -> int:
    try:
        text = Path(args.file).read_text(encoding="utf-8") if args.file != "-" else sys.stdin.read()
    except (OSError, UnicodeDecodeError) as e:
        print(f"cannot read {args.file}: {getattr(e, 'strerror', None) or e}", file=sys.stderr)
        return 1
    problems: list = []
    parsed = parse_yaml(text, args.file, problems)
    if parsed is None or not isinstance(parsed[0], dict):
        for p in problems:
            print(p, file=sys.stderr)
        print(f"not saved: {args.file} must hold one record as a YAML mapping", file=sys.stderr)
        return 1
    item = parsed[0]
    rel = records.record_file(args.kind)
    try:
        saved = records.create(args.data_dir, args.kind, item, _editor(args), file_sha(args.data_dir, rel))
    except Invalid as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        print(f"not saved: {len(e.problems)} problem{'s' if len(e.problems) != 1 else ''}", file=sys.stderr)
        return 1
    except (Stale, Refused) as e:
        print(e, file=sys.stderr)
        return 1
    print(f"saved {args.kind} {item.get('id')} in {rel}, recorded as {saved.recorded}")
    return 0


def cmd_record_remove(args) -> int:
    try:
        where = records.all_ids(args.data_dir).get(args.id)
        kind = next((k for k, rel in kinds.record_files().items() if rel == where), None)
        if kind is None:
            print(f"not removed: no record '{args.id}' in {records.record_files_label()}" if where is None else
                  f"not removed: '{args.id}' is a source; sources are not removed here", file=sys.stderr)
            return 1
        saved = records.remove(args.data_dir, kind, args.id, _editor(args), file_sha(args.data_dir, where))
    except Invalid as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        naming = [p for p in e.problems if args.id in p.message]
        why = (f"other records still refer to {args.id}; change them first" if naming else
               "the data directory has problems to fix first (run: python -m atlas validate)")
        print(f"not removed: {len(e.problems)} problem{'s' if len(e.problems) != 1 else ''} — {why}", file=sys.stderr)
        return 1
    except (Stale, Refused) as e:
        print(e, file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError, YAMLError) as e:  # a record file that cannot be read: say which, no traceback
        what = getattr(e, "filename", None) or getattr(e, "problem_mark", None) or ""
        print(f"not removed: a record file cannot be read ({type(e).__name__}{f' at {what}' if what else ''}: "
              f"{getattr(e, 'strerror', None) or getattr(e, 'problem', None) or e}); run: python -m atlas validate",
              file=sys.stderr)
        return 1
    print(f"removed {kind} {args.id} from {where}, recorded as {saved.recorded}")
    return 0


def cmd_changes(args) -> int:
    import datetime as dt

    try:
        if args.against:
            ch = changes.between_dirs(args.against, args.data_dir)
        elif args.since:
            ch = changes.since(args.data_dir, dt.date.fromisoformat(args.since))
        else:
            ch = changes.between_revisions(args.data_dir, args.from_rev or "HEAD", args.to_rev)
    except ValueError as e:
        print(f"not compared: {e}", file=sys.stderr)
        return 1
    sys.stdout.write(_yaml_out(ch.as_dict()))
    return 0


def cmd_gazetteer_import(args) -> int:
    if not 0 <= args.margin <= 10:  # also refuses nan
        print(f"not imported: --margin {args.margin} is not a number of degrees from 0 to 10", file=sys.stderr)
        return 1
    ds, problems = load_dataset(args.data_dir)
    blocking = [p for p in problems if p.file in (paths.SETTINGS_FILE, ".")]  # the region comes from atlas.yaml
    if blocking:
        for p in blocking:
            print(p, file=sys.stderr)
        print("not imported: the region's bounds cannot be read", file=sys.stderr)
        return 1
    try:
        got = gazetteer.read_download(args.path)
    except gazetteer.GazetteerError as e:
        print(f"{args.path}: {e.message} — fix: {e.fix}", file=sys.stderr)
        print("not imported", file=sys.stderr)
        return 1
    bounds = ds.settings.region.bounds
    kept = gazetteer.clip(got.places, bounds, args.margin)
    if got.skipped:
        number, why = got.skipped[0]
        print(f"{args.path}: {len(got.skipped):,} feature{'s' if len(got.skipped) != 1 else ''} left out (the first, "
              f"feature {number}, {why})", file=sys.stderr)
    if not kept:
        print(f"not imported: none of the {len(got.places):,} places of {args.path} lies within {args.margin:g}° of the "
              f"region ({bounds}, {paths.SETTINGS_FILE}); is it the right file?", file=sys.stderr)
        return 1
    note = (f"Natural Earth populated places within {args.margin:g} degrees of the region ({bounds}), from "
            f"{Path(args.path).name}, by python -m atlas gazetteer import")
    try:
        gazetteer.write_reference(ds.data_dir, kept, note)
    except (Refused, OSError) as e:
        print(e, file=sys.stderr)
        return 1
    print(f"kept {len(kept):,} of {len(got.places):,} populated places (within {args.margin:g}° of {bounds}) in "
          f"{paths.POPULATED_PLACES_FILE}")
    return 0


def add_curate_commands(sub) -> None:
    data_dir_help = "data directory (default: $ATLAS_DATA_DIR or ./data)"
    editor_help = "who makes the change, recorded with it (default: $ATLAS_EDITOR or your login name)"
    s = sub.add_parser("source", help="add a source document to the catalogue")
    ssub = s.add_subparsers(dest="source_command", required=True)
    a = ssub.add_parser("add", help="store a document's text (extracted from .html or .pdf) byte for byte with its "
                        "sha256 and catalogue entry, then print its passages")
    a.add_argument("path", help="a .txt, .md, .html or .pdf file")
    a.add_argument("--id", required=True, help="a new lower-case slug, unique across the data")
    a.add_argument("--title", required=True)
    a.add_argument("--publisher", required=True)
    a.add_argument("--author", help="default: the publisher")
    a.add_argument("--date", help="publication date: YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY")
    a.add_argument("--date-basis", help="how the date is known, or why it is not (default: 'stated on the document', "
                   "or 'the document gives no date')")
    a.add_argument("--url")
    a.add_argument("--language", default="en", help="ISO 639-1 (default: en)")
    source_types = Source.model_fields["source_type"].annotation.__args__
    a.add_argument("--kind", default="news report", choices=source_types, help="source type (default: news report)")
    a.add_argument("--perspective", required=True, help="a short neutral note on who is speaking and from where")
    a.add_argument("--editor", help=editor_help)
    a.add_argument("--data-dir", help=data_dir_help)
    a.set_defaults(func=cmd_source_add)
    n = sub.add_parser("anchor", help="the exact citation (TextQuoteSelector) for words of a source, with the shortest "
                       "prefix/suffix that makes it unique")
    n.add_argument("source_id")
    n.add_argument("words", help="the words, copied exactly from the source")
    n.add_argument("--passage", type=int, help="the passage they are in, when they occur in several")
    n.add_argument("--occurrence", type=int, help="which occurrence (1 = first) in that passage, when several")
    n.add_argument("--data-dir", help=data_dir_help)
    n.set_defaults(func=cmd_anchor)
    g = sub.add_parser("suggest", help="candidate dates, places, actors and partners a source mentions, as YAML to review")
    g.add_argument("source_id")
    g.add_argument("--data-dir", help=data_dir_help)
    g.set_defaults(func=cmd_suggest)
    rec = sub.add_parser("record", help="add a record from a YAML file, or remove one, checked and saved like the editor's form")
    rsub = rec.add_subparsers(dest="record_command", required=True)
    ra = rsub.add_parser("add", help="append one record (a YAML mapping) to its file, if the whole dataset stays valid")
    ra.add_argument("kind", choices=list(kinds.record_files()))
    ra.add_argument("file", help="a YAML file holding the record (- for standard input)")
    ra.add_argument("--editor", help=editor_help)
    ra.add_argument("--data-dir", help=data_dir_help)
    ra.set_defaults(func=cmd_record_add)
    rr = rsub.add_parser("remove", help="remove one record by its id, if no other record refers to it")
    rr.add_argument("id")
    rr.add_argument("--editor", help=editor_help)
    rr.add_argument("--data-dir", help=data_dir_help)
    rr.set_defaults(func=cmd_record_remove)
    c = sub.add_parser("changes", help="records added, changed and removed: since a date, between git revisions, or "
                       "against another data directory")
    c.add_argument("--since", help="YYYY-MM-DD: what changed from that day on")
    c.add_argument("--from", dest="from_rev", help="git revision to compare from (default: HEAD)")
    c.add_argument("--to", dest="to_rev", help="git revision to compare to (default: the files as they are)")
    c.add_argument("--against", help="an older data directory to compare with")
    c.add_argument("--data-dir", help=data_dir_help)
    c.set_defaults(func=cmd_changes)
    z = sub.add_parser("gazetteer", help="Natural Earth populated places for the suggestions (optional reference data)")
    zsub = z.add_subparsers(dest="gazetteer_command", required=True)
    zi = zsub.add_parser("import", help=f"keep the places of a downloaded Natural Earth populated-places GeoJSON that lie in "
                         f"the region (atlas.yaml's region.bounds) in {paths.POPULATED_PLACES_FILE} "
                         "(make natural-earth downloads the file and runs this)")
    zi.add_argument("path", help="ne_10m_populated_places_simple.geojson or ne_10m_populated_places.geojson (any scale)")
    zi.add_argument("--margin", type=float, default=gazetteer.MARGIN,
                    help=f"degrees kept around the region's bounds (default: {gazetteer.MARGIN:g})")
    zi.add_argument("--data-dir", help=data_dir_help)
    zi.set_defaults(func=cmd_gazetteer_import)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    table = _downloads() if argv[:1] == ["export"] else None
    exports = table.EXPORTS if table else {}
    ap = argparse.ArgumentParser(prog="python -m atlas", description="Atlas data tools: validate a data directory, export it")
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check every record, quote, date, coordinate and geometry")
    v.add_argument("--data-dir", help="data directory (default: $ATLAS_DATA_DIR or ./data)")
    v.set_defaults(func=cmd_validate)
    e = sub.add_parser("export", help="write a file of the Downloads on /about: the data bundle, citations, annotations, "
                                      "events, map layers, the briefing, a map image, the brief as slides or pages; or "
                                      "one record as JSON")
    e.add_argument("what", choices=sorted(exports) or None,
                   help="; ".join(f"{k}: {x.help} ({x.file_name})" for k, x in exports.items()) or "the export's name")
    e.add_argument("--out", help="output file (default: standard output)")
    e.add_argument("--data-dir", help="data directory (default: $ATLAS_DATA_DIR or ./data)")
    for name, text in table.OPTIONS.items() if table else ():
        alias = table.ALIASES.get(name)
        e.add_argument(*([alias] if alias else []), f"--{name.replace('_', '-')}", dest=name, help=text)
    e.set_defaults(func=cmd_export)
    r = sub.add_parser("reliability", help="agreement and Cohen's kappa between the shipped coding and the blind second "
                       "coding, and each disagreement with its adjudication")
    r.add_argument("--data-dir", help="data directory (default: $ATLAS_DATA_DIR or ./data)")
    r.set_defaults(func=cmd_reliability)
    add_curate_commands(sub)
    args = ap.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head and the like
        sys.exit(0)
