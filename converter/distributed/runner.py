"""`converter batch --broker`: the batch's tasks run on Celery workers; the
outputs come back from the results store into OUTDIR exactly as the local
runner writes them."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any, Callable

from ..atomic import write_atomic
from ..batch import BatchTask, DocResult
from .settings import DistributedSettings
from .store import ResultsStore

POLL_SECONDS = 0.2


class CeleryRunner:
    def __init__(self, settings: DistributedSettings) -> None:
        settings.export()
        from .app import configure

        configure(settings)
        self.settings = settings
        self.store = ResultsStore(settings.results_dir)

    def run(self, tasks: list[BatchTask], started: Callable[[BatchTask], None],
            finished: Callable[[BatchTask, DocResult], None]) -> None:
        from .tasks import convert_on_worker, payload_for

        pending = {}
        for task in tasks:
            data = task.input.path.read_bytes()
            pending[convert_on_worker.delay(payload_for(data, task.input.path.name, task.options))] = (task, time.time())
            started(task)
        while pending:
            for async_result in [r for r in pending if r.ready()]:
                task, sent = pending.pop(async_result)
                finished(task, self._collect(task, async_result, sent))
            if pending:
                time.sleep(POLL_SECONDS)

    def _collect(self, task: BatchTask, async_result: Any, sent: float) -> DocResult:
        from .tasks import BadInput

        name = str(task.input.rel)
        if not async_result.successful():
            error = async_result.result
            if isinstance(error, BadInput):
                error = error.error()  # the worker's ConverterError: its message, as the local runner gives it
            message = str(error) if error is not None else "the task failed"
            return DocResult(name, "failed", task.key, error=message, seconds=round(time.time() - sent, 3))
        made: dict[str, Any] = async_result.result
        # The manifest keeps this machine's key (it decides what is up to date here).
        result = DocResult(name, "done", task.key, title=made.get("title", ""),
                           warnings=len(made.get("warnings", [])), seconds=made.get("seconds", 0.0))
        folder = self.store.folder(made["key"])
        for fmt, file_name in made["files"].items():
            data = (folder / file_name).read_bytes()
            if hashlib.sha256(data).hexdigest() != made["sha256"][fmt]:
                return DocResult(name, "failed", task.key, error=f"{file_name} in the results store is damaged")
            target = Path(task.outputs[fmt])
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
            result.outputs[fmt] = {"path": str(target), "bytes": len(data), "sha256": made["sha256"][fmt],
                                   "pages": made["pages"].get(fmt)}
        return result
