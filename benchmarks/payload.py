"""Bytes sent to the browser per page load, read from the websocket frames in headless Chromium.

Run by hand:  .venv/bin/python -m benchmarks.payload [--pages /map /sources ...]
It starts a server on loopback, loads each page in a fresh tab, and prints per page the number of
frames, their payload bytes (as the browser sees them, decompressed) and an estimate of the bytes on
the wire with permessage-deflate (each frame deflated alone, as the server does with no context
takeover). It also reports whether the server negotiated compression. Record results in README.md.
"""
from __future__ import annotations

import argparse
import base64
import platform
import time
import zlib

from tests.e2e.conftest import CHROMIUM_ARGS, IDLE_JS, Server, chromium_path

PAGES = ["/", "/map", "/map?focus=lachin-road&date=2022-12", "/sources", "/about"]


def deflated_size(data: bytes) -> int:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return len(c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)) - 4  # permessage-deflate drops the 4-byte tail


def measure(browser, url: str) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    frames: list[bytes] = []
    ext: list[str] = []

    def on_frame(params):
        resp = params["response"]
        data = base64.b64decode(resp["payloadData"]) if resp.get("opcode") == 2 else resp["payloadData"].encode()
        frames.append(data)

    def on_handshake(params):
        headers = {k.lower(): v for k, v in params["response"].get("headers", {}).items()}
        ext.append(headers.get("sec-websocket-extensions", ""))

    cdp.on("Network.webSocketFrameReceived", on_frame)
    cdp.on("Network.webSocketHandshakeResponseReceived", on_handshake)
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60000)
    page.wait_for_function(IDLE_JS, timeout=60000)
    ready = time.perf_counter() - t0
    page.wait_for_timeout(1000)
    page.close()
    raw = sum(len(f) for f in frames)
    wire = sum(deflated_size(f) for f in frames)
    return {"frames": len(frames), "payload_kb": raw / 1024, "wire_kb": wire / 1024, "ready_s": ready,
            "compression": "permessage-deflate" in " ".join(ext)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", nargs="*", default=PAGES)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    server = Server()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            measure(browser, server.url + "/")  # warm the caches: a first visitor pays for loading once per process
            print(f"machine: {platform.machine()}, {platform.python_version()}; date: {time.strftime('%Y-%m-%d')}")
            print(f"{'page':45} {'frames':>6} {'payload KB':>11} {'wire KB (est.)':>15} {'ready s':>8} compression")
            for path in args.pages:
                r = measure(browser, server.url + path)
                print(f"{path:45} {r['frames']:>6} {r['payload_kb']:>11.1f} {r['wire_kb']:>15.1f} {r['ready_s']:>8.2f} "
                      f"{'yes' if r['compression'] else 'NO'}")
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
