"""A 100 KB link, sent in pieces as a real network sends it, reaches the app (which answers it with its own notice)
instead of a bare HTTP 400 from the server's request parser."""
from __future__ import annotations

import socket

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Server, Visit

pytestmark = pytest.mark.browser
LONG = "x" * 100_000


def _status_in_pieces(port: int, path: str, piece: int = 8192) -> int:
    head = f"GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        for i in range(0, len(head), piece):
            sock.sendall(head[i:i + piece])
        reply = sock.recv(64).decode("latin-1")
    return int(reply.split()[1])


@pytest.mark.parametrize("launcher", [True, False], ids=["make-run", "streamlit-run"])
def test_a_100kb_link_in_pieces_reaches_the_app(launcher):
    srv = Server(launcher=launcher)
    try:
        status = _status_in_pieces(srv.port, f"/search?q={LONG}")
        assert status == (200 if launcher else 400)  # plain `streamlit run` shows what the launcher fixes
    finally:
        srv.stop()


def test_a_100kb_link_shows_the_apps_notice(browser):
    srv = Server()
    v = Visit(browser)
    try:
        page = v.open(f"{srv.url}/events?focus={LONG}")
        expect(page.get_by_text("No record with id").first).to_be_visible()
    finally:
        v.close()
        srv.stop()
