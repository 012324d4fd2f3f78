#!/usr/bin/env python3
"""Load: many users converting at once against a real `converter serve`
(issue 15's acceptance), with and without hostile inputs running.

    .venv/bin/python benchmarks/load.py [--users 50] [--requests 20] [--workers 2] [--hostile 2]

Starts a server (`--workers`, defaults otherwise) on a free port.  Each of
``--users`` threads posts the example lecture to /v1/convert (to=pdf)
``--requests`` times in a row, as a person clicking Convert would: a 429 is
waited out for its Retry-After and tried again (and counted).  Prints the
answers by status, the latency percentiles of the successful ones (from the
first try, so waiting for room counts), and whether any 5xx came back.

Then the same again while ``--hostile`` clients keep posting the inputs
that used to hold a worker for the whole time limit (a text of 40,000 short
paragraphs, an unpunctuated text at the service's --max-chars, a 10,000-
character title), and /healthz is polled throughout: the share of polls
that said "degraded" is printed.  Run by hand; it is not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from service_server import EXAMPLE, Server  # noqa: E402  (the tests' real-server helper)

SENTENCE = "各级党组织要把作风建设摆在突出位置坚持严的基调不动摇推动全面从严治党向纵深发展"


def hostile_inputs() -> list[tuple[bytes, dict[str, str]]]:
    paragraphs = ("讲话稿\n" + "\n".join(f"第{i}句话说完了。" for i in range(36_000))).encode()  # under --max-chars
    unpunctuated = ("讲话稿\n" + (SENTENCE * (500_000 // len(SENTENCE)))[:499_000]).encode()
    return [(paragraphs, {"to": "all"}), (unpunctuated, {"to": "all"}),
            ("讲话稿\n同志们：\n今天开会。".encode(), {"to": "all", "title": "关于加强作风建设" * 1250})]


def user(url: str, requests: int, latencies: list[float], statuses: Counter, lock: threading.Lock) -> None:
    with httpx.Client(base_url=url, timeout=120) as client:
        for _ in range(requests):
            first = time.perf_counter()
            while True:
                r = client.post("/v1/convert", files={"file": ("讲稿.txt", EXAMPLE)}, data={"to": "pdf"})
                with lock:
                    statuses[r.status_code] += 1
                if r.status_code != 429:
                    break
                time.sleep(float(r.headers.get("retry-after", "1")))
            if r.status_code == 200:
                with lock:
                    latencies.append(time.perf_counter() - first)


def hostile(url: str, stop: threading.Event, statuses: Counter, lock: threading.Lock, which: int) -> None:
    inputs = hostile_inputs()
    with httpx.Client(base_url=url, timeout=300) as client:
        n = which
        while not stop.is_set():
            data, fields = inputs[n % len(inputs)]
            r = client.post("/v1/convert", files={"file": ("hostile.txt", data)}, data=fields)
            with lock:
                statuses[f"hostile {r.status_code}"] += 1
            n += 1


def run(url: str, users: int, requests: int, hostiles: int) -> dict[str, object]:
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    stop = threading.Event()
    health: Counter = Counter()
    background = [threading.Thread(target=hostile, args=(url, stop, statuses, lock, i), daemon=True)
                  for i in range(hostiles)]
    for t in background:
        t.start()
    if hostiles:
        time.sleep(3)  # let them take the workers

    def poll() -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            while not stop.is_set():
                health[client.get("/healthz").json().get("status", "?")] += 1
                time.sleep(0.5)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    began = time.perf_counter()
    threads = [threading.Thread(target=user, args=(url, requests, latencies, statuses, lock)) for _ in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - began
    stop.set()
    latencies.sort()
    pct = (lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else float("nan"))
    return {"seconds": seconds, "statuses": dict(statuses), "ok": len(latencies),
            "p50": pct(0.50), "p95": pct(0.95), "max": latencies[-1] if latencies else float("nan"),
            "mean": statistics.fmean(latencies) if latencies else float("nan"), "health": dict(health),
            "5xx": sum(v for k, v in statuses.items() if str(k).split()[-1].startswith("5"))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--hostile", type=int, default=2)
    args = ap.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as work:
        server = Server(Path(work), workers=args.workers)
        try:
            for label, hostiles in (("normal load", 0), (f"with {args.hostile} hostile clients", args.hostile)):
                got = run(server.url, args.users, args.requests, hostiles)
                print(f"{label}: {args.users} users x {args.requests} requests of the example to pdf, "
                      f"--workers {args.workers}: {got['ok']} answered in {got['seconds']:.0f} s; "
                      f"latency p50 {got['p50']:.2f} s, p95 {got['p95']:.2f} s, max {got['max']:.2f} s; "
                      f"answers {got['statuses']}; 5xx: {got['5xx']}; /healthz {got['health']}", flush=True)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
