"""`converter serve --broker`: the service's jobs run on Celery workers.

Everything a job is (uploads, states, expiry, the zip, the print file)
stays the in-process runner's; only the conversion of each file goes to the
queue, and its outputs come back from the shared results store.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

from celery.exceptions import TimeoutError as CeleryTimeout

from ..batch import BatchOptions
from ..errors import ConverterError, InputError
from ..service.errors import InternalError, TimeLimitError, WorkerDiedError
from ..service.jobs import InProcessRunner, Job, JobFile
from .settings import DistributedSettings
from .store import ResultsStore

# How long a client waits for one document beyond the workers' own time
# limit (queueing behind other work), before giving up on it.
WAIT_SLACK = 600.0


class CeleryJobRunner(InProcessRunner):
    def __init__(self, *args: Any, distributed: DistributedSettings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        distributed.export()
        from .app import configure

        configure(distributed)
        self.distributed = distributed
        self.store = ResultsStore(distributed.results_dir)

    async def _convert_one(self, job: Job, item: JobFile) -> None:
        from .tasks import BadInput, ConversionTimeout, convert_document, payload_for

        try:
            data = await asyncio.to_thread(item.upload.read_bytes)
            options = BatchOptions(formats=tuple(job.options.formats), theme=job.options.theme)
            sent = await asyncio.to_thread(convert_document.delay, payload_for(data, item.name, options))
            item.state = "running"
            made = await asyncio.to_thread(sent.get, timeout=self.distributed.time_limit + WAIT_SLACK,
                                           propagate=True, disable_sync_subtasks=False)
        except BadInput as err:
            item.state, item.error = "failed", InputError(str(err))
            return
        except ConversionTimeout as err:
            item.state, item.error = "failed", TimeLimitError(str(err))
            return
        except CeleryTimeout:
            item.state, item.error = "failed", WorkerDiedError("no worker finished the conversion in time")
            return
        except ConverterError as err:
            item.state, item.error = "failed", err
            return
        except Exception as err:  # noqa: BLE001 - a broken broker fails the file, not the server
            item.state, item.error = "failed", InternalError(f"the queue failed: {type(err).__name__}")
            return
        outputs: dict[str, str] = {}
        folder = self.store.folder(made["key"])
        for fmt, name in made["files"].items():
            target = job.folder / "outputs" / f"{item.stem}.{fmt}"
            await asyncio.to_thread(shutil.copyfile, folder / name, target)
            outputs[fmt] = str(Path(target))
        item.state, item.title, item.outputs = "done", made.get("title", ""), outputs
        item.warnings = list(made.get("warnings", []))
