"""Curate: editors add sources, anchor quotes and create records; readers are told editing is off or asked to sign in."""
import streamlit as st

from atlas.ui import curate, data

ds = data.require()
st.title("Curate the evidence base")
editor = curate.sign_in()
if editor:
    curate.workbench(ds, editor)
