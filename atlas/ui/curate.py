"""The /curate workbench: sign-in for editors, add a source, anchor quotes, create events and claims.

Editing is off unless switched on (ATLAS_EDITING=1, or `editing = true` under [atlas] in .streamlit/secrets.toml).
Editors sign in with st.login when an OIDC provider is configured ([auth] in secrets), else with a passphrase whose
argon2 hash is `passphrase_hash` under [atlas] (or $ATLAS_PASSPHRASE_HASH). Readers never see an edit control. Every
save goes through atlas.curate, which validates the whole dataset, refuses stale forms and records the editor.
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path

import streamlit as st
import yaml

from atlas.core.corpus import SourceText, display_text
from atlas.core.model import FuzzyDate, Names, Source, Stance
from atlas.curate import forms, records, sources, writes
from atlas.curate.anchor import Anchor, anchor
from atlas.ui import data, suggestions
from atlas.ui.placepicker import place_picker
from atlas.views import render

EDITING_ENV = "ATLAS_EDITING"
HASH_ENV = "ATLAS_PASSPHRASE_HASH"
_EDITOR = "curate_editor"
_CITES = "curate_citations"
_FLASH = "curate_flash"
EDIT = "edit an existing record"


def _secret(section: str, key: str | None = None):
    """A value from .streamlit/secrets.toml, or None (no file, no section, no key)."""
    try:
        part = st.secrets.get(section)
        if part is None or key is None:
            return part
        return part.get(key)
    except (FileNotFoundError, KeyError, AttributeError):
        return None


def editing_on() -> bool:
    if os.environ.get(EDITING_ENV, "").strip().lower() in ("1", "true", "yes", "on"):
        return True
    return bool(_secret("atlas", "editing"))


def _oidc_configured() -> bool:
    auth = _secret("auth")
    return bool(auth) and bool(auth.get("redirect_uri") if hasattr(auth, "get") else False)


def passphrase_hash() -> str | None:
    return os.environ.get(HASH_ENV) or _secret("atlas", "passphrase_hash")


def check_passphrase(stored_hash: str, passphrase: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return PasswordHasher().verify(stored_hash, passphrase)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def sign_in() -> str | None:
    """The signed-in editor's name, or None after telling a reader why there is nothing to edit here."""
    if not editing_on():
        st.info("Editing is switched off on this server. The Atlas is read-only; an administrator switches editing "
                "on with ATLAS_EDITING=1 (see Curating in the README).")
        return None
    if _oidc_configured():
        if not st.user.get("is_logged_in", False):  # a Mapping: absent where no provider answered yet
            st.info("Editors sign in to curate the evidence base.")
            if st.button("Sign in", key="curate_login"):
                st.login()
            return None
        name = st.user.get("name") or st.user.get("email") or "editor"
        email = st.user.get("email")
        if st.button("Sign out", key="curate_logout"):
            st.logout()
        return f"{name} <{email}>" if email else str(name)
    stored = passphrase_hash()
    if not stored:
        st.warning("Editing is switched on, but no sign-in is configured: set an OIDC provider under [auth] or a "
                   "passphrase hash (passphrase_hash under [atlas]) in .streamlit/secrets.toml.")
        return None
    if st.session_state.get(_EDITOR):
        st.caption(f"Signed in as {render.md(st.session_state[_EDITOR])}.")
        st.button("Sign out", key="curate_signout", on_click=lambda: st.session_state.pop(_EDITOR, None))
        return st.session_state.get(_EDITOR)
    with st.container(border=True):
        st.text_input("Your name (recorded with every change)", key="curate_signin_name")
        st.text_input("Editors' passphrase", type="password", key="curate_signin_phrase")
        st.button("Sign in", key="curate_signin", on_click=_sign_in_clicked, args=(stored,))
    problem = st.session_state.pop("curate_signin_problem", None)
    if problem:
        st.error(problem)
    return None


def _sign_in_clicked(stored: str) -> None:
    """Runs before the script (a callback), so the click survives the app shell's rerun."""
    name = str(st.session_state.get("curate_signin_name") or "").strip()
    phrase = str(st.session_state.get("curate_signin_phrase") or "")
    st.session_state["curate_signin_phrase"] = ""
    if not name:
        st.session_state["curate_signin_problem"] = "Give your name: every change records who made it."
    elif check_passphrase(stored, phrase):
        st.session_state[_EDITOR] = name
    else:
        st.session_state["curate_signin_problem"] = "That passphrase is not right."


# --- shared helpers ----------------------------------------------------------------------------------------------

def _read_sha(key: str, data_dir: Path, rel: str) -> str | None:
    """The file's sha256 as it was when this form was first shown (kept until the form saves)."""
    slot = f"curate_read_{key}"
    if slot not in st.session_state:
        st.session_state[slot] = writes.file_sha(data_dir, rel)
    return st.session_state[slot]


def _forget_read(key: str) -> None:
    st.session_state.pop(f"curate_read_{key}", None)


def _flash() -> None:
    for kind, text in st.session_state.pop(_FLASH, []):
        (st.success if kind == "ok" else st.warning)(text)


def _refusal(e: writes.Refused) -> None:
    if isinstance(e, writes.Invalid):
        st.error(f"Not saved: the data would have {len(e.problems)} problem(s). Nothing was written.")
        st.code("\n".join(map(str, e.problems)), language=None, wrap_lines=True)
    elif isinstance(e, writes.Stale):
        st.error("Not saved: someone else saved this file since you opened the form. Nothing was overwritten; "
                 "both versions are below. Reload the page, reapply your change and save again.")
        for c in e.conflicts:
            diff = difflib.unified_diff((c.current or "").splitlines(), c.proposed.splitlines(), f"{c.rel} (saved by them)",
                                        f"{c.rel} (yours)", lineterm="", n=2)
            st.caption(f"{c.rel}: your version against theirs")
            st.code("\n".join(diff), language="diff")
            with st.expander(f"{c.rel} as they saved it"):
                st.code(c.current or "(removed)", language="yaml")
    else:
        st.error(str(e))


def _stored_text(data_dir: Path, source_id: str) -> SourceText | None:
    try:
        return SourceText.build(source_id, (data_dir / f"sources/{source_id}.txt").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def _passages(st_: SourceText) -> None:
    st.text("\n".join(f"{p.number:>3}  [{p.kind}] {display_text(st_.raw(p))[:300]}" for p in st_.passages))


# --- add a source --------------------------------------------------------------------------------------------------

def add_source(data_dir: Path, editor: str) -> None:
    read = _read_sha("source", data_dir, "sources.yaml")
    kinds = list(Source.model_fields["source_type"].annotation.__args__)
    with st.container(border=True):
        st.text_area("Paste the text", height=160, help="or upload the document below", key="curate_src_text")
        st.file_uploader("…or upload .txt, .md, .html or .pdf", type=["txt", "md", "html", "htm", "pdf"], key="curate_src_file")
        c1, c2 = st.columns(2)
        c1.text_input("Id (a lower-case slug, e.g. outlet-yyyy-mm-dd)", key="curate_src_id")
        c2.text_input("Title", key="curate_src_title")
        c1.text_input("Author (default: the publisher)", key="curate_src_author")
        c2.text_input("Publisher", key="curate_src_publisher")
        c1.text_input("Date published (YYYY-MM-DD, YYYY-MM or YYYY)", key="curate_src_date")
        c2.text_input("How the date is known", key="curate_src_basis")
        c1.text_input("URL (only if the document gives one)", key="curate_src_url")
        c2.text_input("Language (ISO 639-1)", value="en", key="curate_src_language")
        c1.selectbox("Kind", kinds, index=kinds.index("news report"), key="curate_src_kind")
        st.text_area("Perspective: who is speaking, from where (neutral, in your words)", height=80, key="curate_src_perspective")
        st.button("Add the source", key="curate_add_source", on_click=_add_source_clicked, args=(data_dir, editor, read))
    result = st.session_state.pop("curate_src_result", None)
    if isinstance(result, writes.Refused):
        _refusal(result)
    elif isinstance(result, str):
        st.error(result)
    elif result is not None:
        message, text = result
        st.success(message)
        _passages(text)


def _add_source_clicked(data_dir: Path, editor: str, read: str | None) -> None:
    ss = st.session_state

    def val(key: str) -> str:
        return str(ss.get(f"curate_src_{key}") or "").strip()

    upload = ss.get("curate_src_file")
    if upload is not None:
        raw, suffix = upload.getvalue(), Path(upload.name).suffix
    elif val("text"):
        raw, suffix = str(ss.get("curate_src_text")).encode("utf-8"), ".txt"
    else:
        ss["curate_src_result"] = "Paste the text or upload the document."
        return
    meta = {"id": val("id"), "title": val("title"), "author": val("author") or val("publisher"),
            "publisher": val("publisher"), "date_published": val("date") or None,
            "date_basis": val("basis") or ("stated on the document" if val("date") else "the document gives no date"),
            "url": val("url") or None, "language": val("language"), "source_type": ss.get("curate_src_kind"),
            "perspective": val("perspective")}
    try:
        saved, text = sources.add(data_dir, meta, editor, raw=raw, suffix=suffix, read_sha=read)
    except writes.Refused as e:
        ss["curate_src_result"] = e
        return
    _forget_read("source")
    data.saved()
    ss["curate_src_result"] = (f"Added {meta['id']}: {len(text.passages)} passages, recorded as {saved.recorded}.", text)
    ss["curate_anchor_source"] = meta["id"]
    suggestions.show_for(meta["id"])  # a new source's suggestions come up at once


# --- anchor a quote ------------------------------------------------------------------------------------------------

def anchor_quote(data_dir: Path) -> None:
    ids = sources.source_ids(data_dir)
    if not ids:
        st.info("Add a source first.")
        return
    if st.session_state.get("curate_anchor_source") not in ids:
        st.session_state["curate_anchor_source"] = ids[-1]  # the newest source, or the one just added
    sid = st.selectbox("Source", ids, key="curate_anchor_source")
    text = _stored_text(data_dir, sid)
    if text is None:
        st.warning("This source's text cannot be read.")
        return
    with st.expander(f"Passages of {sid} ({len(text.passages)})"):
        _passages(text)
    c1, c2 = st.columns(2)
    passage = c1.number_input("Passage (0: anywhere)", min_value=0, max_value=len(text.passages), value=0, step=1,
                              key="curate_anchor_passage")
    occurrence = c2.number_input("Occurrence in it (0: the only one)", min_value=0, value=0, step=1,
                                 key="curate_anchor_occurrence")
    words = st.text_area("Words, copied exactly from the passage", key="curate_anchor_words", height=80)
    if not words.strip():
        return
    got = anchor(text, words, passage=int(passage) or None, occurrence=int(occurrence) or None)
    if isinstance(got, Anchor):
        st.success(f"Anchored in passage {got.passage}: resolves to exactly the marked words.")
        where = text.passages[got.passage - 1]
        st.html(render.landing(got.passage, text.raw(where), got.start - where.start, got.end - where.start))
        st.code(yaml.safe_dump(got.as_dict(), sort_keys=False, allow_unicode=True, width=1000), language="yaml",
                wrap_lines=True)
        st.button("Use this citation in the record below", key="curate_anchor_use", on_click=_use_citation,
                  args=(got.as_dict(),))
        return
    st.error(f"Not anchored: {got.message}. Nothing fuzzy is saved.")
    for s in got.suggestions:
        st.caption("Nearest verbatim span (check it, then copy it exactly):")
        st.code(s, language=None, wrap_lines=True)


# --- create a record -------------------------------------------------------------------------------------------------

def _use_citation(cit: dict) -> None:
    cites = st.session_state.setdefault(_CITES, [])
    if cit not in cites:
        cites.append(cit)
    for form in ("event", "claim"):  # the new citation is ticked in the record forms
        key = f"curate_{form}_cites"
        if key in st.session_state and cites.index(cit) not in st.session_state[key]:
            st.session_state[key] = [*st.session_state[key], cites.index(cit)]


def _cameo_label(cameo: dict, code: str) -> str:
    label, score = cameo.get(code, ("?", 0.0))
    return f"{code} {label} (Goldstein {score:+.1f})"


def _pick_citations(cites: list[dict], widget_key: str) -> list[dict]:
    """A list of citations to cite, every one ticked at first; a hint when there is none yet."""
    if not cites:
        st.caption("Anchor quotes above and press “Use this citation” to cite them here.")
        return []
    labels = [f"{c.get('source')}: “{str(c.get('quote'))[:80]}”" for c in cites]
    picked = st.multiselect("Citations", range(len(cites)), default=list(range(len(cites))),
                            format_func=lambda i: labels[i], key=widget_key)
    return [cites[i] for i in picked]


def _citations_picker(key: str) -> list[dict]:
    return _pick_citations(st.session_state.get(_CITES, []), f"curate_{key}_cites")


def _save_record(data_dir: Path, kind: str, item: dict, editor: str, rid: str | None = None) -> None:
    """The record's problems as you type and its Save button; `rid` edits that stored record (records.update)."""
    problems = records.check_record(kind, item)
    if problems and item.get("id"):  # checked as you type, once the record has an id
        st.warning("To fix before saving (the same checks as validate):")
        st.code("\n".join(map(str, problems)), language=None, wrap_lines=True)
    slot = f"{kind}_edit_{rid}" if rid else kind
    read = _read_sha(slot, data_dir, records.record_file(kind))
    label = f"Save the changes to {rid}" if rid else f"Save the {kind}"
    st.button(label, key=f"curate_save_{slot}", disabled=bool(problems), on_click=_save_clicked,
              args=(data_dir, kind, item, editor, read, rid))
    refused = st.session_state.pop(f"curate_refused_{slot}", None)
    if refused is not None:
        _refusal(refused)


def _written(slot: str, refused_key: str, write) -> writes.Saved | None:
    """Run a save (a callback's): on success the form's reading is forgotten and the next run sees the new data; a
    refusal is kept under `refused_key` for the page to show."""
    try:
        saved = write()
    except writes.Refused as e:
        st.session_state[refused_key] = e
        return None
    _forget_read(slot)
    data.saved()
    return saved


def _save_clicked(data_dir: Path, kind: str, item: dict, editor: str, read: str | None, rid: str | None = None) -> None:
    slot = f"{kind}_edit_{rid}" if rid else kind
    saved = _written(slot, f"curate_refused_{slot}", lambda: records.update(data_dir, kind, rid, item, editor, read) if rid
                     else records.create(data_dir, kind, item, editor, read))
    if saved is None:
        return
    st.session_state[_CITES] = []
    prefixes = (f"curate_{kind}_", "curate_cod_", f"curate_gen_{kind}_")
    for key in [k for k in st.session_state if str(k).startswith(prefixes)]:
        del st.session_state[key]  # a fresh form for the next record
    done = f"Saved the changes to {kind} {rid}" if rid else f"Saved {kind} {item['id']}"
    st.session_state[_FLASH] = [("ok", f"{done}, recorded as {saved.recorded}.")]


def event_form(ds, data_dir: Path, editor: str) -> None:
    places = {r.id: r.title for r in ds.of_kind("place")}
    chosen = [a for a in st.session_state.get("curate_event_actors", []) if isinstance(a, str)]  # e.g. from suggestions
    actors = sorted({a for r in ds.of_kind("event") for a in r.actors} | set(ds.partner_names()) | set(chosen))
    c1, c2 = st.columns(2)
    item = {"id": c1.text_input("Id", key="curate_event_id").strip(),
            "title": c2.text_input("Title (your words)", key="curate_event_title").strip(),
            "summary": st.text_area("Summary (your words)", key="curate_event_summary", height=80).strip(),
            "date": c1.text_input("Date (YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY)", key="curate_event_date").strip(),
            "date_basis": c2.selectbox("Date basis", ["stated", "external"], key="curate_event_basis")}
    if item["date_basis"] == "external":
        item["date_reference"] = {"url": c1.text_input("Reference URL", key="curate_event_ref_url").strip(),
                                  "title": c2.text_input("Reference title", key="curate_event_ref_title").strip()}
    item["actors"] = st.multiselect("Actors", actors, key="curate_event_actors")
    place = st.selectbox("Place", [""] + list(places), format_func=lambda p: place_label(ds, p), key="curate_event_place",
                         help="Type any of its names: international, Armenian, Azerbaijani or Russian")
    if place:
        item["place"] = place
    tags = st.text_input("Tags (comma-separated slugs)", key="curate_event_tags")
    if tags.strip():
        item["tags"] = [t.strip() for t in tags.split(",") if t.strip()]
    n = st.number_input("Alignment codings", min_value=0, max_value=4, value=0, step=1, key="curate_event_ncodings")
    codes = sorted(ds.cameo)
    codings = []
    for i in range(int(n)):
        a, b, c = st.columns(3)
        codings.append({"partner": a.selectbox(f"Partner {i + 1}", ds.partner_names(), key=f"curate_cod_partner_{i}"),
                        "cameo": b.selectbox(f"CAMEO {i + 1}", codes, format_func=lambda k: _cameo_label(ds.cameo, k),
                                             key=f"curate_cod_cameo_{i}"),
                        "direction": c.selectbox(f"Direction {i + 1}", ["toward", "away"], key=f"curate_cod_dir_{i}"),
                        "rationale": st.text_input(f"Rationale {i + 1} (which coding rule, in your words)",
                                                   key=f"curate_cod_why_{i}").strip()})
    if codings:
        item["alignment"] = codings
    item["citations"] = _citations_picker("event")
    _save_record(data_dir, "event", item, editor)


def claim_form(ds, data_dir: Path, editor: str) -> None:
    c1, c2 = st.columns(2)
    item = {"id": c1.text_input("Id", key="curate_claim_id").strip(),
            "actor": c2.text_input("Actor (who holds the stance)", key="curate_claim_actor").strip(),
            "issue": c1.text_input("Issue (a lower-case slug, e.g. border-crossings)", key="curate_claim_issue").strip(),
            "stance": c2.selectbox("Stance", list(Stance.__args__), key="curate_claim_stance"),
            "summary": st.text_area("Summary (your words)", key="curate_claim_summary", height=80).strip()}
    reported = c1.text_input("Reported by (when not the actor itself)", key="curate_claim_reported").strip()
    date = c2.text_input("Date (optional)", key="curate_claim_date").strip()
    if reported:
        item["reported_by"] = reported
    if date:
        item["date"] = date
    item["citations"] = _citations_picker("claim")
    _save_record(data_dir, "claim", item, editor)


# --- forms generated from the models: every kind, new or edited ---------------------------------------------------

def place_label(ds, pid: str) -> str:
    """A place by every name it has (so the picker finds it by any of them), or '(none)'."""
    rec = ds.records.get(pid) if pid else None
    if rec is None:
        return "(none)" if not pid else pid
    return f"{' / '.join(dict.fromkeys(rec.names.variants().values()))} ({pid})"


def _label(spec: forms.FieldSpec) -> str:
    text = spec.key.replace("_", " ").capitalize()
    return text if spec.required else f"{text} (optional)"


def _field(ds, spec: forms.FieldSpec, value, key: str):
    """One widget for one model field, pre-filled with `value`; returns the field's value as the YAML holds it."""
    label, w = _label(spec), spec.widget
    if w in ("text", "area"):
        box = st.text_area if w == "area" else st.text_input
        return box(label, value="" if value is None else str(value), key=key).strip()
    if w == "date":
        text = st.text_input(f"{label}: YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY", value="" if value is None else str(value),
                             key=key).strip()
        try:
            if text:
                st.caption(f"Precision: {FuzzyDate.parse(text).precision}")
        except ValueError:
            pass  # the model's message is shown with the other problems
        return text
    if w == "choice":
        options = list(spec.options) if spec.required else ["", *spec.options]
        at = options.index(str(value)) if value is not None and str(value) in options else 0
        return st.selectbox(label, options, index=at, key=key) or None
    if w in ("int", "float"):
        step = 1 if w == "int" else 0.0001
        number = st.number_input(label, value=value if isinstance(value, int | float) else None, step=step,
                                 format="%d" if w == "int" else "%.5f", key=key)
        return None if number is None else (int(number) if w == "int" else float(number))
    if w == "bool":
        return st.checkbox(label, value=bool(value), key=key)
    if w == "ref":
        ids = [r.id for r in ds.of_kind(spec.ref_kind)]
        options = ["", *ids] if value in (None, "") or value in ids else ["", value, *ids]
        return st.selectbox(label, options, index=options.index(value or ""), key=key,
                            format_func=lambda p: place_label(ds, p)) or None
    if w == "refs":
        ids = [r.id for r in ds.of_kind(spec.ref_kind)]
        chosen = [v for v in (value or []) if isinstance(v, str)]
        return st.multiselect(label, list(dict.fromkeys([*ids, *chosen])), default=chosen, key=key,
                              format_func=lambda p: place_label(ds, p),
                              help="In order; type any of a place's names") or None
    if w == "strings":
        joined = ", ".join(map(str, value or []))
        text = st.text_input(f"{label}, comma-separated", value=joined, key=key)
        return [t.strip() for t in text.split(",") if t.strip()] or None
    if w == "names":
        given = value if isinstance(value, dict) else {}
        cols = st.columns(len(Names.model_fields))
        names = {lang: cols[i].text_input(f"Name ({lang})" + ("" if lang == "international" else ", optional"),
                                          value=str(given.get(lang) or ""), key=f"{key}_{lang}").strip()
                 for i, lang in enumerate(Names.model_fields)}
        return {k: v for k, v in names.items() if v} or None
    text = st.text_area(f"{label}, as YAML", value="" if value in (None, [], {}) else
                        yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=1000), key=key, height=100)
    try:
        return yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError as e:
        st.error(f"{spec.key}: not YAML ({str(e).splitlines()[0]}); fix it before saving.")
        return text


def _record_citations(kind: str, stored: list[dict]) -> list[dict]:
    """The stored citations (kept unless unticked) and the quotes anchored above."""
    cites = [*stored, *(c for c in st.session_state.get(_CITES, []) if c not in stored)]
    return _pick_citations(cites, f"curate_gen_{kind}_cites")


def record_form(ds, data_dir: Path, editor: str, kind: str, rid: str | None = None) -> None:
    """A form generated from the kind's model: new, or pre-filled with the stored record `rid`."""
    stored = records.find(data_dir, kind, rid) if rid else None
    if rid and stored is None:
        st.warning(f"There is no {kind} '{rid}' any more; it may have been removed meanwhile.")
        return
    base = stored or {}
    slot = f"curate_gen_{kind}_{rid or 'new'}"
    if kind == "place" and not rid:  # a new place's lon/lat picked on a map (they stay editable below)
        place_picker(ds, slot)
    item: dict = {}
    for spec in forms.fields(kind):
        if spec.widget == "citations":
            continue
        value = _field(ds, spec, base.get(spec.key), f"{slot}_{spec.key}")
        if value not in (None, "", [], {}):
            item[spec.key] = value
    item["citations"] = _record_citations(kind, list(base.get("citations") or []))
    _save_record(data_dir, kind, item, editor, rid)


def rules(ds, kind: str) -> None:
    """The rules of data/README.md for this kind, one click away, as the plain text they are written in."""
    text = forms.rules_for(ds.readme, kind)
    with st.popover("Rules (data/README.md)", icon=":material/menu_book:"):
        if text:
            st.html(render.plain_text_block(text))
        else:
            st.caption("This data directory has no README.md with rules.")


def edit_form(ds, data_dir: Path, editor: str) -> None:
    ids = {rid: kind for rid, kind in ((r.id, r.kind) for r in ds.records.values()) if kind in records.kinds_with_files()}
    if not ids:
        st.info("There are no records to edit yet.")
        return
    rid = st.selectbox("Record to edit", list(ids), index=None, key="curate_edit_id", placeholder="Type an id or a title",
                       format_func=lambda i: f"{ids[i]}: {i} — {ds.records[i].title}")
    if rid:
        rules(ds, ids[rid])
        record_form(ds, data_dir, editor, ids[rid], rid)
        remove_form(data_dir, editor, ids[rid], rid)


def remove_form(data_dir: Path, editor: str, kind: str, rid: str) -> None:
    """Remove the record: confirmed by a tick, checked against the file as it was when the form opened, and refused
    (with the problems) while another record still refers to it."""
    slot = f"{kind}_edit_{rid}"  # the edit form's reading: a record changed by someone else since is not removed
    read = _read_sha(slot, data_dir, records.record_file(kind))
    with st.container(border=True):
        st.caption(f"Remove this {kind} from {records.record_file(kind)}. The removal is recorded (a git commit or a line "
                   "in the changelog) and listed on What changed; it is refused while another record refers to it.")
        sure = st.checkbox(f"Yes, remove {kind} {rid}", key=f"curate_remove_sure_{slot}")
        st.button(f"Remove {rid}", key=f"curate_remove_{slot}", disabled=not sure, icon=":material/delete:",
                  on_click=_remove_clicked, args=(data_dir, kind, rid, editor, read))
    refused = st.session_state.pop(f"curate_refused_remove_{slot}", None)
    if refused is not None:
        _refusal(refused)


def _remove_clicked(data_dir: Path, kind: str, rid: str, editor: str, read: str | None) -> None:
    slot = f"{kind}_edit_{rid}"
    saved = _written(slot, f"curate_refused_remove_{slot}", lambda: records.remove(data_dir, kind, rid, editor, read))
    if saved is None:
        return
    for key in [k for k in st.session_state if str(k).startswith((f"curate_gen_{kind}_{rid}", f"curate_remove_sure_{slot}"))]:
        del st.session_state[key]
    st.session_state.pop("curate_edit_id", None)
    st.session_state[_FLASH] = [("ok", f"Removed {kind} {rid}, recorded as {saved.recorded}.")]


def workbench(ds, editor: str) -> None:
    data_dir = Path(ds.data_dir)
    _flash()
    st.header("Add a source")
    add_source(data_dir, editor)
    st.header("Anchor a quote")
    anchor_quote(data_dir)
    sid = st.session_state.get("curate_anchor_source")
    if sid:
        st.header("Suggestions")
        suggestions.panel(ds, sid, _use_citation)
    st.header("Create a record")
    st.caption("Each kind's form is drawn from its model; the rules of data/README.md that govern it are one click away "
               "(Rules). A record is saved only if the whole dataset still validates.")
    kinds = [*records.kinds_with_files(), EDIT]
    kind = st.radio("Kind", kinds, horizontal=True, key="curate_kind")
    if kind == EDIT:
        edit_form(ds, data_dir, editor)
        return
    rules(ds, kind)
    if kind == "event":
        event_form(ds, data_dir, editor)
    elif kind == "claim":
        claim_form(ds, data_dir, editor)
    else:
        record_form(ds, data_dir, editor, kind)
