"""`converter worker`: a Celery worker with the prefork pool."""

from __future__ import annotations

import os
import socket

from .settings import DistributedSettings


def run_worker(settings: DistributedSettings, concurrency: int, theme: str = "official",
               loglevel: str = "INFO") -> None:
    settings.export()
    # SIGTERM (systemd, docker stop) is a cold shutdown with a soft first
    # part: running conversions get worker_soft_shutdown_timeout seconds,
    # then the worker exits and whatever was unfinished goes back to the
    # queue (acks_late) for another worker.  Celery's own SIGTERM (warm)
    # would wait for a conversion as long as its time limit.
    os.environ.setdefault("REMAP_SIGTERM", "SIGQUIT")
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
