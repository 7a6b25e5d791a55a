"""Adding a source: its text extracted from the document, stored byte for byte with its sha256, the original kept
beside it, and its catalogue entry appended to sources.yaml."""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

from pydantic import ValidationError

from atlas.core import paths
from atlas.core.corpus import SourceText
from atlas.core.model import Source
from atlas.core.problems import Problem
from atlas.core.yamlio import pydantic_problems
from atlas.curate.records import all_ids, append_text, source_ids  # noqa: F401 (source_ids: the catalogue's ids, read here too)
from atlas.curate.writes import ORIGINALS, Invalid, Refused, Saved, save, sha256_bytes

TEXT_TYPES = (".txt", ".md")
EXTRACTED_TYPES = (".html", ".htm", ".pdf")
CATALOGUE_ORDER = ("id", "title", "author", "publisher", "date_published", "date_basis", "url", "language",
                   "source_type", "perspective", "sha256")


def _html_text(raw: bytes) -> str:
    import trafilatura  # loaded only when a web page is added

    text = trafilatura.extract(raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw, output_format="txt",
                               include_comments=False, include_tables=True, favor_precision=True)
    if not text or not text.strip():
        raise Refused("no article text found in the HTML page: save the page's text as .txt and add that instead")
    # trafilatura puts one paragraph a line; passages are separated by blank lines
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n\n".join(lines) + "\n"


def _pdf_text(raw: bytes) -> str:
    """The PDF's text, a passage per paragraph: pypdf's layout mode keeps the vertical gaps between paragraphs as blank
    lines; the spaces it pads lines with are folded to one."""
    from pypdf import PdfReader  # loaded only when a PDF is added
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as e:
        raise Refused(f"the PDF cannot be read ({e})") from None
    blocks: list[str] = []
    for page in pages:
        block: list[str] = []
        for line in page.splitlines():
            line = re.sub(r"[ \t]{2,}", " ", line).strip()
            if line:
                block.append(line)
            elif block:
                blocks.append("\n".join(block))
                block = []
        if block:
            blocks.append("\n".join(block))
    if not blocks:
        raise Refused("the PDF holds no extractable text (a scan?): add its text as .txt instead")
    return "\n\n".join(blocks) + "\n"


def extract(raw: bytes, suffix: str) -> tuple[bytes, bool]:
    """(the bytes to store as the source text, whether they were extracted — then the original is kept too)."""
    suffix = suffix.lower()
    if suffix in TEXT_TYPES:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise Refused(f"the text is not UTF-8 (byte {e.start}): save it as UTF-8 and add it again") from None
        return raw, False
    if suffix in (".html", ".htm"):
        return _html_text(raw).encode("utf-8"), True
    if suffix == ".pdf":
        return _pdf_text(raw).encode("utf-8"), True
    raise Refused(f"cannot add a {suffix or 'file without an extension'}: add .txt, .md, .html or .pdf")


def catalogue_entry(meta: dict, sha: str) -> dict:
    entry = {k: meta[k] for k in CATALOGUE_ORDER if k in meta and meta[k] not in (None, "")}
    entry["sha256"] = sha
    return {k: entry[k] for k in CATALOGUE_ORDER if k in entry}


def check_entry(entry: dict) -> list[Problem]:
    try:
        Source.model_validate(entry)
    except ValidationError as e:
        allowed = [f.alias or n for n, f in Source.model_fields.items()]
        return pydantic_problems(paths.SOURCES_FILE, entry.get("id") or "new source", e, allowed)
    return []


def add(data_dir: str | os.PathLike | None, meta: dict, editor: str, *, path: str | os.PathLike | None = None,
        raw: bytes | None = None, suffix: str = ".txt", read_sha: str | None | bool = False) -> tuple[Saved, SourceText]:
    """Add a source from a file (`path`) or from bytes (`raw`, pasted or uploaded, with its `suffix`).

    `meta` holds the catalogue fields (id, title, author, publisher, date_published, date_basis, url, language,
    source_type, perspective). `read_sha` is sources.yaml's sha256 when the form opened (False: read it now).
    Returns how it was saved and the stored text with its passages.
    """
    root = paths.data_dir(data_dir)
    if path is not None:
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as e:
            raise Refused(f"cannot read {path}: {e.strerror}") from None
        suffix = path.suffix
    if raw is None:
        raise Refused("no document given")
    sid = str(meta.get("id") or "")
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", sid):
        raise Refused(f"not added: the id {sid!r} is not a lower-case slug such as 'wire-report-14-march'")
    used = all_ids(root).get(sid)
    if used or (root / f"sources/{sid}.txt").exists():
        raise Refused(f"not added: the id '{sid}' is already used in {used or f'sources/{sid}.txt'} — choose another id")
    text_bytes, extracted = extract(raw, suffix)
    sha = sha256_bytes(text_bytes)
    entry = catalogue_entry(meta, sha)
    problems = check_entry(entry)
    if problems:
        raise Invalid(problems)
    catalogue = root / paths.SOURCES_FILE
    current_bytes = catalogue.read_bytes() if catalogue.exists() else b""
    current = current_bytes.decode("utf-8")
    new_catalogue = append_text(current, entry)
    text_rel = f"sources/{sid}.txt"
    files = {text_rel: text_bytes, paths.SOURCES_FILE: new_catalogue.encode("utf-8")}
    shas = {text_rel: None, paths.SOURCES_FILE: read_sha}
    if read_sha is False:
        shas[paths.SOURCES_FILE] = sha256_bytes(current_bytes) if catalogue.exists() else None
    extra = {}
    if extracted:
        orig = f"{ORIGINALS}/{sid}{suffix.lower()}"
        extra[orig] = raw
        shas[orig] = None
    saved = save(root, files, shas, editor, f"Add source {sid}", [sid], extra=extra)
    return saved, SourceText.build(sid, text_bytes.decode("utf-8"))
