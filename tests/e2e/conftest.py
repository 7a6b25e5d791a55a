"""Live Streamlit servers on loopback and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from atlas.core import paths
from tests.conftest import REPO

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning';
}"""


def chromium_path() -> str | None:
    for cand in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if cand and os.path.exists(cand):
            return cand
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A Streamlit server on a free loopback port: the Atlas by default, or another script (a bare page)."""

    def __init__(self, data_dir=None, script: str = "dashboard.py", launcher: bool = True):
        """The Atlas starts as `make run` starts it (atlas.ui.serve); `launcher=False` uses plain `streamlit run`."""
        self.port = _free_port()
        self.url = f"http://localhost:{self.port}"
        env = {**os.environ, paths.DATA_DIR_ENV: str(data_dir or paths.DEFAULT_DATA_DIR)}
        start = ([sys.executable, "-m", "atlas.ui.serve"] if launcher and str(script) == "dashboard.py"
                 else [sys.executable, "-m", "streamlit", "run", str(script)])
        self.log = tempfile.NamedTemporaryFile(prefix="atlas-server-", suffix=".log", delete=False)  # noqa: SIM115
        self.proc = subprocess.Popen(
            [*start, "--server.port", str(self.port), "--server.headless", "true", "--server.fileWatcherType", "none"],
            cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit server did not start")

    def output(self) -> str:
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect

    # A cold server loads deck.gl and plotly bundles on first use; on a busy 2-core machine that can take
    # longer than Playwright's 5-second default, so expectations wait up to 20 s (they still fail, never skip).
    expect.set_options(timeout=20_000)
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required for browser tests in CI: apt-get install chromium")
        pytest.skip("Chromium not installed (make test installs it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def server():
    s = Server()
    yield s
    s.stop()


class Visit:
    """A page with watchers for requests leaving localhost, dialogs and page errors."""

    def __init__(self, browser, width=1400, height=900):
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.offsite: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", self._request)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _request(self, req):
        host = urlparse(req.url).hostname
        if req.url.startswith(("http", "ws")) and host not in ("localhost", "127.0.0.1", "::1"):
            self.offsite.append(req.url)

    def open(self, url: str):
        self.page.goto(url)
        self.page.wait_for_selector('[data-testid="stApp"]', timeout=60000)
        self.wait_idle()
        return self.page

    def wait_idle(self):
        # the app reports "notRunning" briefly before its first run starts: wait for content, then idle
        self.page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60000)
        self.page.wait_for_function(IDLE_JS, timeout=60000)

    def close(self):
        self.page.close()


@pytest.fixture
def visit(browser):
    v = Visit(browser)
    yield v
    v.close()
