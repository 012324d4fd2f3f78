"""The Celery application and its settings, each chosen on purpose."""

from __future__ import annotations

import os

from celery import Celery
from celery.app import trace
from celery.signals import worker_process_init

from .settings import DistributedSettings

app = Celery("converter", include=["converter.distributed.tasks"])
SHUTDOWN_GRACE = 10.0  # seconds a stopping worker gives its running conversions

# Celery logs each task's return value; ours carries titles and warnings
# quoting the lecture, which do not belong in logs.
trace.LOG_SUCCESS = "Task %(name)s[%(id)s] succeeded in %(runtime)ss"


def configure(settings: DistributedSettings, *, worker: bool = False) -> Celery:
    """Configure the app for a client (sends tasks) or a worker (runs them).
    Time limits are the worker's: a client that set them would stamp its own
    into every message, overriding the worker's."""
    if worker:
        app.conf.update(
            # Time limits per conversion: the soft one raises inside the task
            # so it fails with a clear reason; the hard one kills a stuck process.
            task_soft_time_limit=settings.soft_time_limit,
            task_time_limit=settings.time_limit,
            # On SIGTERM (remapped to a cold shutdown, worker.py) running
            # conversions get this long before the worker exits.
            worker_soft_shutdown_timeout=SHUTDOWN_GRACE,
        )
    app.conf.update(
        broker_url=settings.broker_url,
        # Only small result dicts go to the backend; the files stay in the store.
        result_backend=settings.broker_url,
        result_expires=24 * 3600,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        # Acknowledge a task only when it has finished, so a task whose worker
        # died is not lost ...
        task_acks_late=True,
        # ... and when the pool process running it is killed, give it back to
        # the queue at once instead of waiting for the visibility timeout.
        task_reject_on_worker_lost=True,
        # One task at a time per process: a dead worker holds back nothing
        # else, and long documents do not queue behind each other.
        worker_prefetch_multiplier=1,
        # A task taken by a worker that vanished entirely (machine off) goes
        # to another worker after this long; keep it well above the hard
        # limit, or long tasks would run twice.
        # The broker looks for such tasks in sweeps (kombu: every interval ×
        # throttle seconds, 100 s by default); a sweep every sixth of the
        # timeout (1 s to a minute) hands them on soon after it runs out.
        broker_transport_options={
            "visibility_timeout": settings.visibility_timeout,
            "unacked_restore_interval": settings.restore_interval,
            "unacked_restore_throttle": 1,
        },
        # Replace pool processes now and then, so no process grows forever.
        worker_max_tasks_per_child=200,
        task_track_started=True,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    return app


if os.environ.get("CONVERTER_WORKER"):
    # A worker's pool process imports this module: take the settings
    # `converter worker` exported.
    configure(DistributedSettings.from_env(), worker=True)


@worker_process_init.connect
def _load_fonts_once(**_: object) -> None:
    """Each pool process loads the theme and its fonts before its first task."""
    from ..convert import warm_theme

    warm_theme(os.environ.get("CONVERTER_THEME", "official"))
