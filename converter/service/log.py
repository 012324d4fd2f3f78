"""Structured logs: one JSON object per line on stderr.

The service logs one line per request (middleware.py) and a few events
(start, stop, a conversion process that died).  Document text never goes
into a log: request lines carry sizes, not bodies; errors carry their code
and type, not their message (a reader's message may quote the text); and
tracebacks are logged without the exception's message.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from typing import Any

LOGGER = "converter.service"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if fields:
            entry.update(fields)
        else:
            entry["message"] = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            err = record.exc_info[1]
            entry["exc_type"] = type(err).__name__
            entry["stack"] = "".join(traceback.format_tb(err.__traceback__))[-4000:]
        return json.dumps(entry, ensure_ascii=False, default=str)


def setup(level: str = "info") -> None:
    """Route our logger and uvicorn's through the JSON formatter."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in (LOGGER, "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level.upper())
        logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True  # middleware.py writes the request lines


def event(name: str, level: int = logging.INFO, exc: BaseException | None = None, **fields: Any) -> None:
    logger = logging.getLogger(LOGGER)
    if logger.isEnabledFor(level):
        exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
        logger.log(level, name, extra={"fields": {"event": name, **fields}}, exc_info=exc_info)
