"""Wait until each replica answers, then open one session on it and run the home page.

    python deploy/warm.py [--timeout 120] PORT [PORT ...]

Used by deploy/run.sh before the proxy takes traffic: the first run of a process loads and checks the evidence
base (seconds on a large corpus), so no user waits for it. Exits 1 if a replica does not come up or its run does
not finish cleanly.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import time
import urllib.request

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


def wait_healthy(port: int, deadline: float) -> None:
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.time() > deadline:
            raise TimeoutError(f"replica on port {port} did not answer its health check")
        time.sleep(0.3)


async def first_run(port: int, timeout_s: float) -> None:
    async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, open_timeout=timeout_s) as ws:
        msg = BackMsg()
        msg.rerun_script.page_name = ""
        await ws.send(msg.SerializeToString())
        async with asyncio.timeout(timeout_s):
            while True:
                fm = ForwardMsg()
                fm.ParseFromString(await ws.recv())
                if fm.WhichOneof("type") == "delta" and fm.delta.new_element.WhichOneof("type") == "exception":
                    raise RuntimeError(f"replica on port {port}: {fm.delta.new_element.exception.message[:200]}")
                if fm.WhichOneof("type") == "script_finished":
                    if fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        continue  # the app reran itself (atlas/ui/shell.py): its next run follows
                    if fm.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                        raise RuntimeError(f"replica on port {port}: first run ended with status {fm.script_finished}")
                    return


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ports", type=int, nargs="+")
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()
    deadline = time.time() + args.timeout
    try:
        for port in args.ports:
            t0 = time.perf_counter()
            wait_healthy(port, deadline)
            asyncio.run(first_run(port, max(deadline - time.time(), 1)))
            print(f"replica on 127.0.0.1:{port} ready ({time.perf_counter() - t0:.1f} s)", flush=True)
    except (OSError, RuntimeError, TimeoutError, websockets.WebSocketException) as e:
        print(f"warm-up failed: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
