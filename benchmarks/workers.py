#!/usr/bin/env python3
"""Throughput through Celery workers: documents per second with 1 and 2
`converter worker` processes (concurrency 1 each) on one local Redis.

    python3 benchmarks/workers.py [--docs 20]

Run by hand; needs redis-server (apt-get install redis-server).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from run import make_inputs  # noqa: E402  (the same inputs as the main benchmark)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20)
    args = ap.parse_args()
    if not shutil.which("redis-server"):
        print("redis-server missing: apt-get install redis-server")
        return 1
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"], stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    try:
        with tempfile.TemporaryDirectory(prefix="converter-workers-") as tmp:
            work = Path(tmp)
            make_inputs(work / "in", args.docs)
            for count in (1, 2):
                workers = []
                for n in range(count):
                    log = (work / f"w{count}-{n}.log").open("wb")
                    workers.append(subprocess.Popen(
                        [sys.executable, "-m", "converter", "worker", "--broker", url, "--concurrency", "1",
                         "--results-dir", str(work / f"store{count}")],
                        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
                time.sleep(4)  # workers connect and warm their fonts
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "converter", "batch", str(work / "in"), "-o",
                                str(work / f"out{count}"), "--to", "docx,pdf,pptx", "--broker", url,
                                "--results-dir", str(work / f"store{count}"), "-q"], env=env, check=True)
                seconds = time.perf_counter() - start
                print(f"{count} worker(s): {args.docs / seconds:.1f} documents/s ({seconds:.1f} s for {args.docs})")
                for w in workers:
                    os.killpg(w.pid, signal.SIGTERM)
                    w.wait(timeout=30)
    finally:
        redis.terminate()
        redis.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
