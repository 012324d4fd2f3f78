"""The conversion task: idempotent, writing its outputs to the results store."""

from __future__ import annotations

import base64
import hashlib
import time
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded

from .. import convert as conversion
from ..batch import BatchOptions, task_key
from ..errors import ConverterError
from ..render import RenderOptions
from ..theme import load_theme
from .app import app
from .settings import DistributedSettings
from .store import ResultsStore


class BadInput(Exception):
    """The input cannot be converted (the reader's or a renderer's error).
    Never retried: it would fail the same way."""


class ConversionTimeout(Exception):
    """The conversion ran past its time limit."""


class StoreUnavailable(Exception):
    """The results store could not be written (a transient error: retried)."""


def _warning(w: Any) -> dict[str, Any]:
    return {"code": w.code, "message": w.message, "line": w.line}


def payload_for(data: bytes, name: str, options: BatchOptions) -> dict[str, Any]:
    return {"data": base64.b64encode(data).decode("ascii"), "name": name, "options": options.key_fields()}


@app.task(
    name="converter.convert",
    bind=True,
    autoretry_for=(StoreUnavailable,),  # only transient errors; bad input fails at once
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=5,
)
def convert_document(self: Any, payload: dict[str, Any]) -> dict[str, Any]:
    """Convert one document; returns {key, files, bytes, sha256, pages,
    warnings, title}.  A redelivered task finds its finished result and
    returns it without converting again."""
    settings = DistributedSettings.from_env()
    fields = dict(payload["options"])
    fields["formats"] = tuple(fields["formats"])
    options = BatchOptions(**fields)
    data = base64.b64decode(payload["data"])
    started = time.perf_counter()
    try:
        theme = load_theme(options.theme)
        key = task_key(data, options, theme)
        store = ResultsStore(settings.results_dir)
        done = store.finished(key)
        if done is not None:
            return done
        store.clear_parts(key)
        outline = conversion.read_outline(
            data, fmt=options.from_format, encoding=options.encoding, source=payload["name"],  # type: ignore[arg-type]
            overrides=conversion.Overrides(options.title, options.speaker, options.date),
        )
        stem = payload["name"].rsplit(".", 1)[0] or "document"
        result: dict[str, Any] = {"key": key, "title": outline.title, "files": {}, "bytes": {}, "sha256": {},
                                  "pages": {}, "warnings": [_warning(w) for w in outline.warnings]}
        render_options = RenderOptions.from_env(template=options.template)
        for fmt in options.formats:
            rendered = conversion.convert_outline(outline, fmt, theme, render_options)
            file_name = f"{stem}.{fmt}"
            try:
                store.write(key, file_name, rendered.data)
            except OSError as err:
                raise StoreUnavailable(f"cannot write the results store: {err}") from None
            result["files"][fmt] = file_name
            result["bytes"][fmt] = len(rendered.data)
            result["sha256"][fmt] = hashlib.sha256(rendered.data).hexdigest()
            result["pages"][fmt] = rendered.pages
            result["warnings"] += [_warning(w) for w in rendered.warnings]
        result["seconds"] = round(time.perf_counter() - started, 3)
        try:
            store.finish(key, result)
        except OSError as err:
            raise StoreUnavailable(f"cannot write the results store: {err}") from None
        return result
    except SoftTimeLimitExceeded:
        raise ConversionTimeout(
            f"the conversion took longer than its time limit ({settings.soft_time_limit:.0f} s) and was stopped"
        ) from None
    except ConverterError as err:
        raise BadInput(str(err)) from None
