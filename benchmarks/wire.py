"""A Streamlit session spoken over its websocket, without a browser: what the server does for one page view.

Used by benchmarks.concurrency to load the server alone. A session opens /_stcore/stream (subprotocol
"streamlit"), asks for a page run with a BackMsg (as the browser does when a page is opened or a
sidebar link clicked) and reads ForwardMsgs until the run's `script_finished`. The time from request
to that message is the server's share of a page view; errors are exception elements in the deltas or a
run that did not finish successfully.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


@dataclass
class Run:
    page: str
    ms: float | None = None
    bytes: int = 0
    errors: list[str] = field(default_factory=list)


class Session:
    """One user's connection: page runs in turn over one websocket, like clicks in the sidebar."""

    def __init__(self, base_url: str):
        self.url = base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.ws = None

    async def __aenter__(self) -> Session:
        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None, open_timeout=60)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def run(self, page: str, query: str = "", timeout_s: float = 120) -> Run:
        """Ask for `page` ("" for home, "map", …) and wait for its run to finish."""
        out = Run(page or "/")
        msg = BackMsg()
        msg.rerun_script.page_name = page
        msg.rerun_script.query_string = query
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        deadline = t0 + timeout_s
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                out.errors.append("time-out")
                return out
            try:
                raw = await asyncio.wait_for(self.ws.recv(), remaining)
            except TimeoutError:
                out.errors.append("time-out")
                return out
            out.bytes += len(raw)
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                if fm.delta.new_element.WhichOneof("type") == "exception":
                    out.errors.append(f"exception: {fm.delta.new_element.exception.message[:200]}")
            elif kind == "script_finished":
                out.ms = (time.perf_counter() - t0) * 1000
                if fm.script_finished not in FINISHED:
                    out.errors.append(f"run ended with status {fm.script_finished}")
                return out
