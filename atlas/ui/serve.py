"""Start the Atlas's server: `python -m atlas.ui.serve [streamlit options]` does what `streamlit run dashboard.py` does,
and a fresh server's first deep link runs its page once.

Streamlit 1.67 decides on the first session whether the app uses its legacy "pages/ directory" mode, and does so
whenever a pages/ folder sits next to the entry script (ours must: the layout the user asked for). In that mode a
fresh server's first request to /sources?source=… runs pages/sources.py bare, and atlas.ui.shell must rerun it
through dashboard.py: the page runs twice. Settled here, before the server starts, the mode is never entered.
(Private API, like shell.ensure_navigation, which stays as the guard for `streamlit run`; tests/e2e checks both.)
"""
from __future__ import annotations

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli
from streamlit.web.server.starlette import starlette_server

from atlas.core import paths
from atlas.ui import shell

# A link holds the whole view (a long search, many sources and partners). uvicorn's h11 parser refuses a request head
# over 16 KiB that arrives in pieces, as it does over a real network, with a bare "400 Invalid HTTP request"; the
# app's own notice for an over-long parameter is better. 256 KiB is well past any view the app can make.
REQUEST_HEAD_BYTES = 256 * 1024


def _allow_long_links() -> None:
    make_kwargs = starlette_server._get_uvicorn_config_kwargs
    if getattr(make_kwargs, "atlas_long_links", False):
        return

    def with_long_links() -> dict:
        return {**make_kwargs(), "h11_max_incomplete_event_size": REQUEST_HEAD_BYTES}

    with_long_links.atlas_long_links = True  # type: ignore[attr-defined]
    starlette_server._get_uvicorn_config_kwargs = with_long_links


def main(argv: list[str] | None = None) -> None:
    PagesManager.uses_pages_directory = False
    _allow_long_links()
    shell.keep_server_offline()  # before the first session too, not only once the app has run (tests/test_offline_server.py)
    args = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", "run", str(paths.REPO / "dashboard.py"), *args]
    cli.main()


if __name__ == "__main__":
    main()
