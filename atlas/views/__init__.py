"""Views: what the user sees, built from core and analysis (map state, figures, charts, HTML, exports)."""
