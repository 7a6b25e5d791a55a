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

from atlas import paths
from atlas.ui import shell


def main(argv: list[str] | None = None) -> None:
    PagesManager.uses_pages_directory = False
    shell.keep_server_offline()  # before the first session too, not only once the app has run (tests/test_offline_server.py)
    args = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", "run", str(paths.REPO / "dashboard.py"), *args]
    cli.main()


if __name__ == "__main__":
    main()
