"""One conversion through the pool, counted: what both the synchronous
routes and the job runner's default file converter call."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from ..errors import ConverterError
from . import log
from .metrics import Metrics
from .pool import ConversionPool
from .process_tasks import ConvertTask, Converted, convert_in_process, outline_chars


def input_bytes(task: ConvertTask) -> int:
    """The size of a conversion's input (an outline's text as UTF-8)."""
    if isinstance(task.source, bytes):
        return len(task.source)
    return 3 * outline_chars(task.source)


async def convert(pool: ConversionPool, metrics: Metrics, task: ConvertTask, *, admitted: bool = False,
                  cancel: threading.Event | None = None, on_start: Callable[[], None] | None = None) -> Converted:
    """Admit (unless ``admitted``: the caller holds room in the queue for
    it, and frees it), run, record the outcome."""
    ticket = None if admitted else pool.admit(1)  # BusyError (429) when the queue is full
    try:
        result = await pool.run(convert_in_process, task, cancel=cancel, on_start=on_start,
                                heavy=input_bytes(task) > pool.heavy_bytes)
    except ConverterError as err:
        metrics.conversion(task.formats, err.code)
        if err.code in ("worker_died", "internal"):
            stack = getattr(err, "params", {}).get("stack")  # the type and the frames, never the message
            log.event("conversion_failed", logging.ERROR, code=err.code, formats=list(task.formats), stack=stack)
        raise
    finally:
        if ticket is not None:
            ticket.release(1)
    metrics.conversion(task.formats, "ok", result.seconds)
    return result
