"""Curation: add sources, anchor quotes exactly, create and edit records, and save them safely.

Beside atlas/views in the layering: it reads and writes the data directory through atlas.core and never imports
streamlit, so the command line (`python -m atlas source add | anchor | suggest`) and the browser share one engine.
"""
