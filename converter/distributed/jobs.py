"""`converter serve --broker`: the files of the service's jobs are converted
on Celery workers.

``CeleryFileConverter`` implements the service's public protocol for
converting one file of a job (converter/service/job_files.py); everything
else a job is (uploads, states, expiry, the zip, the print file) stays the
service's job runner's.  Each file goes to the queue, and its outputs come
back from the shared results store into the job's folder.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Callable
from typing import Any

from celery.exceptions import TimeoutError as CeleryTimeout

from ..batch import BatchOptions
from ..errors import ConverterError
from ..model import Warning
from ..service.job_files import ConvertedFile, FileToConvert, InternalError, TimeLimitError, WorkerDiedError
from .settings import DistributedSettings
from .store import ResultsStore

# How long a client waits for one document beyond the workers' own time
# limit (queueing behind other work), before giving up on it.
WAIT_SLACK = 600.0


class CeleryFileConverter:
    """A job's files through the queue (a service.job_files.JobFileConverter)."""

    def __init__(self, distributed: DistributedSettings) -> None:
        distributed.export()
        from .app import configure

        configure(distributed)
        self.distributed = distributed
        self.store = ResultsStore(distributed.results_dir)

    async def convert_file(self, file: FileToConvert, *, started: Callable[[], None],
                           cancel: threading.Event) -> ConvertedFile:
        from .tasks import BadInput, ConversionTimeout, convert_on_worker, payload_for

        data = await asyncio.to_thread(file.upload.read_bytes)  # OSError: the runner says the upload is unreadable
        try:
            options = BatchOptions(formats=tuple(file.options.formats), theme=file.options.theme,
                                   truncation_note=file.options.truncation_note)
            sent = await asyncio.to_thread(convert_on_worker.delay, payload_for(data, file.name, options))
            started()
            made: dict[str, Any] = await asyncio.to_thread(
                sent.get, timeout=self.distributed.time_limit + WAIT_SLACK, propagate=True,
                disable_sync_subtasks=False)
        except BadInput as err:
            raise err.error() from None  # the worker's error, as this server's own processes would give it
        except ConversionTimeout as err:
            raise TimeLimitError(str(err)) from None
        except CeleryTimeout:
            raise WorkerDiedError("no worker finished the conversion in time") from None
        except ConverterError:
            raise
        except Exception as err:  # noqa: BLE001 - a broken broker fails the file, not the server
            raise InternalError(f"the queue failed: {type(err).__name__}", kind=type(err).__name__) from None
        outputs: dict[str, str] = {}
        folder = self.store.folder(made["key"])
        for fmt, name in made["files"].items():
            target = file.out_dir / f"{file.stem}.{fmt}"
            await asyncio.to_thread(shutil.copyfile, folder / name, target)
            outputs[fmt] = str(target)
        warnings = [Warning(w.get("code", ""), w.get("message", ""), w.get("line"), w.get("block"))
                    for w in made.get("warnings", [])]
        return ConvertedFile(made.get("title", ""), outputs, warnings)
