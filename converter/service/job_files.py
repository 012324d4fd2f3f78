"""Converting one file of a job: the public protocol between the service's
job runner (jobs.InProcessRunner) and whatever converts the files.

The runner keeps everything a job is (its uploads, states, expiry, the zip
and the print file) and hands each file to a ``JobFileConverter``:
``jobs.PoolFileConverter`` converts it in this server's conversion
processes (the default); ``converter serve --broker`` passes
converter.distributed's, which sends it to the Celery workers.  A converter
writes "<stem>.<fmt>" into ``out_dir`` for each of the job's formats and
answers what it made, or raises a ConverterError saying why this file failed
(the job goes on with the others): the core's errors for input that cannot
be converted (so a bad file fails with the same message whoever converts
it), or the service's errors below for a conversion that could not finish.

This module is all that converter.distributed imports from the service
(tests/test_imports.py holds it to that).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..model import Warning
from .errors import InternalError, TimeLimitError, WorkerDiedError

__all__ = ["ConvertedFile", "FileToConvert", "InternalError", "JobFileConverter", "JobOptions", "TimeLimitError",
           "WorkerDiedError"]


@dataclass(frozen=True, slots=True)
class JobOptions:
    """What a job asked for (POST /v1/jobs)."""

    formats: tuple[str, ...]
    theme: str = "official"  # a bundled theme's name (checked before a job is made)
    print: bool = False
    booklet: bool = False
    max_chars: int = 500_000
    truncation_note: bool = True  # end a truncated text with the theme's note


@dataclass(frozen=True, slots=True)
class FileToConvert:
    """One file of a job."""

    upload: Path  # the uploaded bytes, as received
    name: str  # the upload's cleaned name (the outline's meta.source)
    out_dir: Path  # write "<stem>.<fmt>" here
    stem: str  # already sanitised and unique within the job
    options: JobOptions


@dataclass(slots=True)
class ConvertedFile:
    """What a converter made of one file."""

    title: str
    outputs: dict[str, str]  # format -> the file written in out_dir
    warnings: list[Warning] = field(default_factory=list)  # the reader's, then the renderers'


class JobFileConverter(Protocol):
    """Converts one file of a job (see the module's docstring)."""

    async def convert_file(self, file: FileToConvert, *, started: Callable[[], None],
                           cancel: threading.Event) -> ConvertedFile:
        """Convert ``file``; call ``started`` when its conversion begins
        (the file then shows as running).  ``cancel`` is set when the job is
        deleted: stop early if you can."""
        ...
