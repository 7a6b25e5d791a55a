"""The Downloads of /about: one button per export of atlas.views.downloads (the table the command line reads too).
Quick files are written with the page, once per dataset for every session (data.derived), so a click downloads at once;
slow ones (the slide packs) are written when asked for, then download at once."""
from __future__ import annotations

import streamlit as st

from atlas.core.dataset import Dataset
from atlas.ui import data, widgets
from atlas.views.downloads import ALIASES, EXPORTS, Export


def _options(entry: Export) -> tuple:
    """The values of the export's options as /about gives them, in the order it names them."""
    given = {"base_url": widgets.base_url}
    return tuple(given[name]() for name in entry.options)


def _flags(entry: Export) -> str:
    """The options an export takes, as its command line writes them: `--id ID`."""
    flags = [ALIASES.get(name, f"--{name.replace('_', '-')}") for name in entry.options]
    return " ".join(f"{flag} {flag.strip('-').replace('-', '_').upper()}" for flag in flags)


def _build(ds: Dataset, name: str, *values) -> bytes:
    entry = EXPORTS[name]
    return entry.data(ds, **dict(zip(entry.options, values, strict=True)))


def _button(ds: Dataset, entry: Export, where) -> None:
    flag = f"download-ready:{entry.name}"
    if entry.slow and not st.session_state.get(flag):
        where.button(f"Prepare: {entry.label_for(ds)}", key=f"download-prepare:{entry.name}", icon=":material/hourglass:",
                     on_click=st.session_state.__setitem__, args=(flag, True), help=f"{entry.help}. Takes a few seconds.")
        return
    if entry.slow:
        with st.spinner(f"Preparing {entry.file_name}…"):
            payload = data.derived(ds, _build, entry.name, *_options(entry))
    else:
        payload = data.derived(ds, _build, entry.name, *_options(entry))
    where.download_button(entry.label_for(ds), payload, file_name=entry.file_name, mime=entry.mime,
                          icon=":material/download:", help=entry.help, key=f"download:{entry.name}", on_click="ignore")


def offer(ds: Dataset, columns: int = 3) -> None:
    """Every export that /about can give, in the table's order, in `columns` columns; then the command line's names."""
    entries = [e for e in EXPORTS.values() if e.on_about]
    cols = st.columns(columns)
    for i, entry in enumerate(entries):
        _button(ds, entry, cols[i % columns])
    st.caption("The command line writes the same files: `python -m atlas export "
               f"{'|'.join(e.name for e in EXPORTS.values())} --out FILE`."
               + "".join(f" {e.label}: `python -m atlas export {e.name} {_flags(e)}`." for e in EXPORTS.values()
                         if not e.on_about))
