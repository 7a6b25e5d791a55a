"""What changed: records added, changed and removed since a date, each linked, and the data version."""
import streamlit as st

from atlas.ui import changes, data

ds = data.require()
st.title("What changed")
changes.page(ds)
