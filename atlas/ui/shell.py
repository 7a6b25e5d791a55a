"""Keeps every page inside the app shell (dashboard.py), even on a fresh server's first request."""
from __future__ import annotations

import logging
import time

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from atlas.views import render

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


def keep_server_offline() -> None:
    """Keep Streamlit from looking up this machine's addresses over the network.

    `browser.serverAddress` in .streamlit/config.toml stops the start-up banner's look-ups, but Streamlit's
    websocket origin check still does them for any connection from a foreign origin: an HTTP request to
    checkip.amazonaws.com for the external address (retried on every such connection while it fails) and a
    UDP socket "connected" to 8.8.8.8 for the internal one. Their answers only ever admit this machine's own
    addresses as origins, which same-origin pages already pass, so both are pinned to loopback before they
    are asked for. (Private API: guarded by tests/test_offline_server.py, which traces every connect().)
    """
    from streamlit import net_util

    if net_util._external_ip is None:
        net_util._external_ip = "127.0.0.1"
    if net_util._internal_ip is None:
        net_util._internal_ip = "127.0.0.1"


def stale_data_notice(problems: list, read_at: float) -> None:
    """The banner over a page drawn from the last valid data while the data directory on disk is broken."""
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    when = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(read_at))
    st.warning(f"The data directory has {count} right now, so the Atlas shows the last valid version of the data, "
               f"read at {when}. Fix the files as listed below and reload the page: the corrected data are picked "
               "up within a second.", icon=":material/warning:")
    with st.expander(f"What is wrong in the data directory ({count})"):
        st.html(render.problems_list(problems))
