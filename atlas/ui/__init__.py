"""The only Streamlit code outside pages/: cached loaders and shared widgets."""
