"""The conversion task: idempotent, writing its outputs to the results store.

It converts with the core every front door shares (convert.convert_document,
which also validates the input), so a worker refuses a bad input exactly as
``converter convert`` and the service do: the error crosses back to the
client as ``BadInput``, which carries the error's class, and the client
rebuilds the same ConverterError (``BadInput.error``).
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import time
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded

from ..batch import BatchOptions, task_key
from ..convert import Overrides, convert_document
from ..errors import ConverterError, InputError
from ..model import Warning
from ..render import RenderResult
from ..theme import load_theme
from .app import app
from .settings import DistributedSettings
from .store import ResultsStore


class BadInput(Exception):
    """The input cannot be converted (the core's error: the reader's, an
    outline's, a theme's or a renderer's).  Never retried: it would fail the
    same way.  Its arguments (all Celery's JSON keeps of an exception) are
    the message and the ConverterError's class, as "module:qualname"."""

    def __init__(self, message: str, error_class: str = "converter.errors:InputError") -> None:
        super().__init__(message, error_class)
        self.message = message
        self.error_class = error_class

    def __str__(self) -> str:
        return self.message

    @classmethod
    def of(cls, err: ConverterError) -> BadInput:
        kind = type(err)
        return cls(str(err), f"{kind.__module__}:{kind.__qualname__}")

    def error(self) -> ConverterError:
        """The ConverterError the worker raised, rebuilt with its message
        (an InputError when its class is not one of the converter's)."""
        module_name, _, qualname = self.error_class.partition(":")
        if module_name == "converter" or module_name.startswith("converter."):
            try:
                found: Any = importlib.import_module(module_name)
                for part in qualname.split("."):
                    found = getattr(found, part)
                if isinstance(found, type) and issubclass(found, ConverterError):
                    return found(self.message)
            except Exception:  # noqa: BLE001 - an unknown class still fails the file, with its message
                pass
        return InputError(self.message)


class ConversionTimeout(Exception):
    """The conversion ran past its time limit."""


class StoreUnavailable(Exception):
    """The results store could not be written (a transient error: retried)."""


def warning_dict(w: Warning) -> dict[str, Any]:
    return {"code": w.code, "message": w.message, "line": w.line, "block": w.block}


def payload_for(data: bytes, name: str, options: BatchOptions) -> dict[str, Any]:
    return {"data": base64.b64encode(data).decode("ascii"), "name": name, "options": options.key_fields()}


@app.task(
    name="converter.convert",  # what the queue's messages name: keep it when renaming the function
    bind=True,
    autoretry_for=(StoreUnavailable,),  # only transient errors; bad input fails at once
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=5,
)
def convert_on_worker(self: Any, payload: dict[str, Any]) -> dict[str, Any]:
    """Convert one document on a worker; returns {key, title, files, bytes,
    sha256, pages, warnings, seconds}.  A redelivered task finds its
    finished result and returns it without converting again."""
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
        stem = payload["name"].rsplit(".", 1)[0] or "document"
        result: dict[str, Any] = {"key": key, "title": "", "files": {}, "bytes": {}, "sha256": {}, "pages": {},
                                  "warnings": []}

        def write(fmt: str, rendered: RenderResult) -> None:
            file_name = f"{stem}.{fmt}"
            try:
                store.write(key, file_name, rendered.data)
            except OSError as err:
                raise StoreUnavailable(f"cannot write the results store: {err}") from None
            result["files"][fmt] = file_name
            result["bytes"][fmt] = len(rendered.data)
            result["sha256"][fmt] = hashlib.sha256(rendered.data).hexdigest()
            result["pages"][fmt] = rendered.pages

        converted = convert_document(
            data, options.formats, theme, options.render_options(),
            fmt=options.from_format, encoding=options.encoding, source=payload["name"],
            overrides=Overrides(options.title, options.speaker, options.date), write=write,
        )
        result["title"] = converted.outline.title
        result["warnings"] = [warning_dict(w) for w in converted.warnings]
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
        raise BadInput.of(err) from None
