"""Keeps every page inside the app shell (dashboard.py), even on a fresh server's first request."""
from __future__ import annotations

import logging

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

_LOG = logging.getLogger("atlas.shell")


def ensure_navigation() -> None:
    """Rerun through dashboard.py when Streamlit ran this page file bare.

    Streamlit 1.67 starts in its legacy "pages/ directory" mode whenever a pages/ folder sits next
    to the entry script, and leaves it only once st.navigation has run. So the first request of a
    fresh server to a deep link (/sources?source=…) would run pages/sources.py on its own: no page
    config, no CSS, no navigation, no data check. Leaving that mode and rerunning sends the same
    URL through dashboard.py. (Private API: guarded by tests/e2e on a freshly started server.)
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        _LOG.warning("a deep link ran its page bare: rerunning it through dashboard.py (start with atlas.ui.serve)")
        st.rerun()
