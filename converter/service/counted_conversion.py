"""One conversion through the pool, counted: what both the synchronous
routes and the job runner call."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from ..errors import ConverterError
from . import log
from .metrics import Metrics
from .pool import ConversionPool, Ticket
from .process_tasks import Converted, Task, convert_document


async def convert(pool: ConversionPool, metrics: Metrics, task: Task, *, ticket: Ticket | None = None,
                  cancel: threading.Event | None = None, on_start: Callable[[], None] | None = None) -> Converted:
    """Admit (unless the caller holds a ticket), run, record the outcome."""
    own = ticket is None
    if own:
        ticket = pool.admit(1)  # BusyError (429) when the queue is full
    assert ticket is not None
    try:
        result = await pool.run(convert_document, task, cancel=cancel, on_start=on_start)
    except ConverterError as err:
        metrics.conversion(task.formats, err.code)
        if err.code in ("worker_died", "internal"):
            stack = getattr(err, "params", {}).get("stack")  # the type and the frames, never the message
            log.event("conversion_failed", logging.ERROR, code=err.code, formats=list(task.formats), stack=stack)
        raise
    finally:
        ticket.release(1)
    metrics.conversion(task.formats, "ok", result.seconds)
    return result
