"""Write a synthetic corpus in the real format, N times the shipped one, that validates.

    .venv/bin/python -m benchmarks.synth --factor N --out DIR [--data-dir data]

Copy k of each real source becomes its own source (a header line names the copy, so the text and its
sha256 differ), and every record is copied once per k with its id suffixed and its references and citations
pointed at copy k. Quotes therefore stay verbatim and unambiguous, as in the real data. Geometry files,
the CAMEO table and the brief (pointed at copy 0) are carried over. Serve it with
`ATLAS_DATA_DIR=DIR make run`.
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
from pathlib import Path

import yaml

from atlas.core import kinds, paths


def _suffix(value: str, k: int) -> str:
    return f"{value}-s{k}"


def _retarget(record: dict, k: int, ids: set[str], sources: set[str]) -> dict:
    """A deep copy of a record with its own id, references and citations moved to copy k."""
    def walk(node, key=None):
        if isinstance(node, dict):
            out = {}
            for name, value in node.items():
                if name == "source" and value in sources:
                    out[name] = _suffix(value, k)
                elif name in ("id", "place", "focus") and isinstance(value, str) and value in ids:
                    out[name] = _suffix(value, k)
                elif name in ("route", "also_at") and isinstance(value, list):
                    out[name] = [_suffix(v, k) if v in ids else v for v in value]
                else:
                    out[name] = walk(value, name)
            return out
        if isinstance(node, list):
            return [walk(v, key) for v in node]
        return node
    return walk(record)


def write(factor: int, out: Path, data_dir: Path = paths.DEFAULT_DATA_DIR) -> Path:
    if factor < 1:
        raise SystemExit("--factor must be 1 or more")
    out.mkdir(parents=True, exist_ok=True)
    (out / "sources").mkdir(exist_ok=True)
    shutil.copy(data_dir / paths.CAMEO_FILE, out / paths.CAMEO_FILE)
    for folder in ("basemap", "areas"):
        if (data_dir / folder).is_dir():
            shutil.copytree(data_dir / folder, out / folder, dirs_exist_ok=True)
    catalogue = yaml.safe_load((data_dir / paths.SOURCES_FILE).read_text(encoding="utf-8"))
    source_ids = {s["id"] for s in catalogue}
    records = {rel: yaml.safe_load((data_dir / rel).read_text(encoding="utf-8")) or [] for rel in kinds.record_files().values()}
    ids = {r["id"] for items in records.values() for r in items}
    new_catalogue, new_records = [], {rel: [] for rel in records}
    for k in range(factor):
        for src in catalogue:
            raw = (data_dir / "sources" / f"{src['id']}.txt").read_bytes()
            text = f"[Synthetic copy {k} of {src['id']}]\n\n".encode() + raw
            sid = _suffix(src["id"], k)
            (out / "sources" / f"{sid}.txt").write_bytes(text)
            new_catalogue.append({**src, "id": sid, "title": f"{src['title']} (synthetic copy {k})",
                                  "sha256": hashlib.sha256(text).hexdigest(),
                                  "date_published": str(src["date_published"]) if src.get("date_published") else None})
        for rel, items in records.items():
            new_records[rel].extend(_retarget(r, k, ids, source_ids) for r in items)
    for entry in new_catalogue:
        if entry["date_published"] is None:
            del entry["date_published"]
    (out / paths.SOURCES_FILE).write_text(yaml.safe_dump(new_catalogue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for rel, items in new_records.items():
        (out / rel).write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    brief = data_dir / paths.BRIEF_FILE
    if brief.is_file():
        steps = yaml.safe_load(brief.read_text(encoding="utf-8")) or []
        (out / paths.BRIEF_FILE).write_text(yaml.safe_dump([_retarget(s, 0, ids, source_ids) | {"id": s["id"]} for s in steps],
                                                           allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--factor", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--data-dir", default=str(paths.DEFAULT_DATA_DIR))
    args = ap.parse_args()
    out = write(args.factor, Path(args.out), Path(args.data_dir))
    print(f"wrote a corpus {args.factor}× the shipped one to {out}")


if __name__ == "__main__":
    main()
