"""South Caucasus Security Atlas: evidence model, validation and exports (no Streamlit here)."""
