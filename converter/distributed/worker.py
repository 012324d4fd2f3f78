"""`converter worker`: a Celery worker with the prefork pool."""

from __future__ import annotations

import os
import socket

from .settings import DistributedSettings


def run_worker(settings: DistributedSettings, concurrency: int, theme: str = "official",
               loglevel: str = "INFO") -> None:
    settings.export()
    os.environ["CONVERTER_THEME"] = theme
    os.environ["CONVERTER_WORKER"] = "1"
    settings.results_dir.mkdir(parents=True, exist_ok=True)
    from .app import configure

    app = configure(settings, worker=True)
    app.worker_main([
        "worker",
        "--pool=prefork",  # real processes: time limits and kill -9 isolation work
        f"--concurrency={max(1, concurrency)}",
        f"--loglevel={loglevel}",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "-n", f"converter-{os.getpid()}@{socket.gethostname()}",
    ])
