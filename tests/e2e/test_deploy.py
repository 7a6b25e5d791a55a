"""The shipped deployment (deploy/run.sh): nginx in front of two replicas on loopback. A browser stays on one
replica, and when that replica dies its tab carries on, on the other one, and its link still opens the same view."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO
from tests.e2e.conftest import IDLE_JS, _free_port

pytestmark = pytest.mark.browser

LINK = "/sources?source=news-summary-2023-11-09&passage=5"


def nginx() -> str:
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is required in CI: apt-get install nginx (make test installs it as root)")
        pytest.skip("nginx not installed (make test installs it when run as root)")
    return path


@pytest.fixture
def deployment(tmp_path):
    proxy, *replicas = (_free_port() for _ in range(3))
    env = {**os.environ, "PORT": str(proxy), "REPLICA_PORTS": " ".join(map(str, replicas)), "RUN_DIR": str(tmp_path),
           "PYTHON": sys.executable, "NGINX": nginx()}
    proc = subprocess.Popen(["deploy/run.sh"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    out = []
    for line in proc.stdout:  # the script warms each replica (its own time limit), then starts nginx
        out.append(line)
        if line.startswith("The Atlas:"):
            break
    else:
        pytest.fail(f"deploy/run.sh stopped before the proxy started: {''.join(out)}")
    pids = {f"127.0.0.1:{port}": int((tmp_path / f"replica-{i}.pid").read_text()) for i, port in enumerate(replicas, 1)}
    yield f"http://127.0.0.1:{proxy}", pids
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def test_a_session_sticks_to_one_replica_and_survives_its_death(browser, deployment):
    from playwright.sync_api import expect

    base, pids = deployment
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    answered: list[str] = []

    def seen(response):  # Streamlit's own endpoints and the page itself: never from the browser's cache
        if response.status == 200 and ("/_stcore/" in response.url or response.request.resource_type == "document"):
            answered.append(response.headers.get("x-atlas-replica", "").split(",")[-1].strip())

    context.on("response", seen)
    try:
        page = context.new_page()
        page.goto(base + LINK)
        page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60000)
        page.wait_for_function(IDLE_JS, timeout=60000)
        expect(page.locator("#p5.atlas-focused")).to_be_visible()
        assert any(c["name"] == "atlas_affinity" for c in context.cookies())
        first = set(answered)
        assert len(first) == 1 and first <= set(pids), f"one session, one replica: {first}"
        [home] = first

        os.kill(pids[home], signal.SIGKILL)
        time.sleep(1)
        answered.clear()
        page.get_by_test_id("stSidebarNav").get_by_text("Events").click()  # the same tab, its websocket reconnected
        expect(page.get_by_role("heading", name=re.compile(r"\d+ of \d+ events"))).to_be_visible()
        page.wait_for_function(IDLE_JS, timeout=60000)
        assert "events" in page.url

        other = context.new_page()  # the link it was on, opened again: the same view, from the other replica
        other.goto(base + LINK)
        other.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60000)
        other.wait_for_function(IDLE_JS, timeout=60000)
        expect(other.locator("#p5.atlas-focused")).to_be_visible()
        assert not other.get_by_test_id("stException").count()
        served = {r for r in answered if r}
        assert served and home not in served and served <= set(pids), served
    finally:
        context.close()
