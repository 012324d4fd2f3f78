"""What runs inside a conversion process (see pool.py): read one document,
render it, hand back the bytes or write them into a job's folder.

These functions are pure with respect to the server: they take one picklable
task and return one picklable value, so the pool can run each in a process of
its own and kill it when it overruns.  A ``ConvertTask`` is converted by the
core every front door shares (convert.py: read_outline, render_document),
which also validates the input; the service adds only its own limit on a
document's length (413).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..convert import Overrides, read_outline, render_document
from ..errors import ConverterError
from ..load import guess_format
from ..model import Outline, Warning
from ..outline_json import to_dict
from ..reader.decode import decode
from ..render import RenderOptions, RenderResult
from ..theme import Theme, load_theme
from .errors import TooLongError

_themes: dict[str, Theme] = {}  # filled by process_template.py in the template process, so children start warm


def theme_named(name: str) -> Theme:
    """A bundled theme, loaded once per process template (names are checked
    against the bundled list before a task is made: never a path)."""
    if name not in _themes:
        _themes[name] = load_theme(name)
    return _themes[name]


@dataclass(frozen=True, slots=True)
class ConvertTask:
    """One document for one conversion process: read it and (unless
    ``formats`` is empty) render it."""

    source: bytes | Outline  # raw text / outline JSON or Markdown bytes, or an outline already parsed
    name: str | None = None  # the upload's file name, for meta.source
    encoding: str | None = None  # a charset the client declared
    formats: tuple[str, ...] = ()
    theme: str = "official"
    overrides: Overrides = field(default_factory=Overrides)
    max_chars: int = 500_000
    out_dir: str | None = None  # jobs: write "<stem>.<fmt>" here instead of returning bytes
    stem: str | None = None  # jobs: the output file stem (already sanitised and unique)
    truncation_note: bool = True  # end a truncated text with the theme's note


@dataclass(slots=True)
class Converted:
    title: str
    outline: dict[str, Any]  # the outline JSON (to_dict)
    files: dict[str, bytes] = field(default_factory=dict)  # format -> bytes (not for jobs)
    paths: dict[str, str] = field(default_factory=dict)  # format -> written file (jobs)
    pages: dict[str, int | None] = field(default_factory=dict)
    warnings: list[Warning] = field(default_factory=list)  # the reader's and the renderers'
    seconds: dict[str, float] = field(default_factory=dict)  # "read" and each format


def outline_chars(outline: Outline) -> int:
    return len(outline.title) + sum(len(b.text) for b in outline.blocks)


def _check_length(chars: int, limit: int) -> None:
    if chars > limit:
        raise TooLongError(f"the document has {chars} characters; this service takes at most {limit}",
                           chars=chars, limit=limit)


def convert_in_process(task: ConvertTask) -> Converted:
    """Convert one document inside a conversion process: the service's
    length limit, then the core's reading (with its validation) and
    rendering."""
    started = time.perf_counter()
    if isinstance(task.source, bytes) and guess_format(task.source) == "raw":
        text, _ = decode(task.source, task.encoding)  # to count characters before the reader works on them
        _check_length(len(text), task.max_chars)
    outline = read_outline(task.source, encoding=task.encoding, source=task.name, overrides=task.overrides)
    _check_length(outline_chars(outline), task.max_chars)
    result = Converted(outline.title, to_dict(outline), warnings=list(outline.warnings))
    result.seconds["read"] = time.perf_counter() - started
    if not task.formats:
        return result

    def keep(fmt: str, rendered: RenderResult) -> None:
        result.pages[fmt] = rendered.pages
        result.warnings.extend(rendered.warnings)
        if task.out_dir is not None:
            target = Path(task.out_dir) / f"{task.stem or 'lecture'}.{fmt}"
            write_atomic(target, rendered.data)
            result.paths[fmt] = str(target)
        else:
            result.files[fmt] = rendered.data

    done = render_document(outline, task.formats, theme_named(task.theme), RenderOptions.from_env(truncation_note=task.truncation_note), keep)
    result.seconds.update(done.seconds)
    return result


@dataclass(frozen=True, slots=True)
class PrintTask:
    pdfs: tuple[tuple[str, str], ...]  # (title, pdf path) in order
    target: str
    booklet: bool = False


def merge_print(task: PrintTask) -> str:
    """Jobs' ``print``: the merged print PDF (printing.merge_for_print, as
    ``converter batch --print`` makes it)."""
    from ..printing import PrintDocument, merge_for_print

    docs = [PrintDocument(title, Path(path)) for title, path in task.pdfs]
    write_atomic(Path(task.target), merge_for_print(docs, booklet=task.booklet))
    return task.target


def ping(_: object = None) -> dict[str, Any]:
    """The pool's health probe: answers, and says what the template's warm-up
    could not load."""
    from . import process_template

    return {"pong": True, "warm_errors": list(process_template.ERRORS)}


def child_main(fn: Callable[[Any], Any], arg: Any, conn: Connection) -> None:
    """The conversion process's entry point (pool.py): run, send back the
    value or the error.  Lives here so a forked process imports nothing new."""
    try:
        outcome: tuple[str, Any] = ("ok", fn(arg))
    except ConverterError as err:
        outcome = ("error", err)
    except BaseException as err:  # noqa: BLE001 - a bug in one document's conversion is that conversion's 500
        outcome = ("crash", _describe(err))
    try:
        conn.send(outcome)
    except Exception as err:  # noqa: BLE001 - e.g. an error that does not pickle
        conn.send(("crash", _describe(err)))
    finally:
        conn.close()


def _describe(err: BaseException) -> str:
    """The type and the stack, never the message: it may quote the document."""
    import traceback

    return f"{type(err).__name__}\n{''.join(traceback.format_tb(err.__traceback__))}"
