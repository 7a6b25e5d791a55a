"""The command line: `python -m atlas validate`, `python -m atlas export …` and `python -m atlas reliability`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from atlas.core.load import load_dataset


def _downloads():
    """The export table, atlas.views.downloads, loaded only for `export`: it brings plotly, pydeck and pandas, which
    `validate` does without."""
    from atlas.views import downloads  # lazy for speed, not to dodge a cycle (tests/test_architecture.py)

    return downloads


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
    entry = _downloads().EXPORTS[args.what]
    data = entry.data(ds, **{name: getattr(args, name) for name in entry.options})
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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    table = _downloads() if argv[:1] == ["export"] else None
    exports = table.EXPORTS if table else {}
    ap = argparse.ArgumentParser(prog="python -m atlas", description="Atlas data tools: validate a data directory, export it")
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check every record, quote, date, coordinate and geometry")
    v.add_argument("--data-dir", help="data directory (default: $ATLAS_DATA_DIR or ./data)")
    v.set_defaults(func=cmd_validate)
    e = sub.add_parser("export", help="write a file of the Downloads on /about: citations, annotations, events, map layers, "
                                      "the briefing, a map image, or the brief as slides or pages")
    e.add_argument("what", choices=sorted(exports) or None,
                   help="; ".join(f"{k}: {x.help} ({x.file_name})" for k, x in exports.items()) or "the export's name")
    e.add_argument("--out", help="output file (default: standard output)")
    e.add_argument("--data-dir", help="data directory (default: $ATLAS_DATA_DIR or ./data)")
    for name, text in table.OPTIONS.items() if table else ():
        e.add_argument(f"--{name.replace('_', '-')}", dest=name, help=text)
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
