"""One conversion, as every front door runs it: input -> validated outline ->
rendered files.

``converter convert``, the batch runner's worker processes
(batch.convert_batch_task), the service's conversion processes
(service/process_tasks.convert_in_process) and the Celery task
(distributed/tasks.convert_on_worker) all convert a document here.  They
differ only in where the input comes from and where the outputs go (the
``write`` callback), and in their own policies (the service's size limits,
the batch's manifest, the results store).  ``convert_document`` is the
whole of it; a front door with work of its own between reading and
rendering (the CLI names its outputs after the title and refuses to replace
a file) calls its two halves, ``read_outline`` and ``render_document``.

Validation happens where an outline is read, so every front door refuses
the same bad input with the same error (errors.py gives its exit code and
HTTP status): raw text goes through the reader, which removes characters
no document can hold and says so in a warning; an outline JSON or Markdown
goes through outline_json / outline_md, which refuse a missing or mistyped
key and a text holding such a character (OutlineFormatError); the user's
overrides (title, speaker, date) are checked here the same way.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import OutputError, UsageError, os_reason
from .load import INPUT_FORMATS, load_outline
from .model import Outline, Warning
from .outline_json import check_writable
from .render import RENDERERS, RenderOptions, RenderResult, render, renderer
from .theme import Theme, load_theme

ALL_FORMATS: tuple[str, ...] = ("docx", "pdf", "pptx")


def parse_formats(values: tuple[str, ...] | list[str]) -> list[str]:
    """``--to docx,pdf --to pptx`` or ``--to all`` -> ["docx", "pdf", "pptx"]
    (known formats only, in a stable order, no repeats)."""
    wanted: list[str] = []
    for value in values or ("all",):
        for name in value.split(","):
            name = name.strip().lower()
            if not name:
                continue
            names = [f for f in ALL_FORMATS if f in RENDERERS] if name == "all" else [name]
            for n in names:
                if n not in RENDERERS:
                    known = ", ".join(f for f in ALL_FORMATS if f in RENDERERS)
                    raise UsageError(f"unknown output format {n!r}; choose from {known} or all")
                if n not in wanted:
                    wanted.append(n)
    return wanted


@dataclass(frozen=True, slots=True)
class Overrides:
    """What the reader could not know, given by the user."""

    title: str | None = None
    speaker: str | None = None
    date: str | None = None

    def apply(self, outline: Outline) -> Outline:
        meta = outline.meta
        if self.speaker is not None:
            meta = replace(meta, speaker=self.speaker)
        if self.date is not None:
            meta = replace(meta, date=self.date)
        title = self.title if self.title is not None else outline.title
        return replace(outline, title=title, meta=meta)


def read_outline(data: bytes | Outline, *, fmt: str | None = None, encoding: str | None = None,
                 source: str | None = None, overrides: Overrides = Overrides()) -> Outline:
    """The validated outline of one input: raw text, outline JSON or
    Markdown bytes (``fmt`` raw/json/md, guessed when None), or an outline
    already read (the service's JSON body); ``source`` is the input's file
    name (meta.source).  Refuses what no document can hold
    (OutlineFormatError), here for the overrides and the reader's output as
    outline_json does for a file."""
    if isinstance(data, Outline):
        outline = data
    else:
        if fmt is not None and fmt not in INPUT_FORMATS:
            raise UsageError(f"unknown input format {fmt!r}; choose from {', '.join(INPUT_FORMATS)}")
        outline = load_outline(data, fmt=fmt, encoding=encoding, source=source)  # type: ignore[arg-type]
    return check_writable(overrides.apply(outline))


def convert_outline(outline: Outline, fmt: str, theme: Theme, options: RenderOptions) -> RenderResult:
    """One format of one outline (the renderer registered for ``fmt``)."""
    return render(fmt, outline, theme, options)


# Called with each format and what its renderer made, once every format is
# made: a format that fails (a missing face, a bad template) leaves no
# half-set of outputs written.
WriteFn = Callable[[str, RenderResult], None]


@dataclass(slots=True)
class ConvertedDocument:
    """What one conversion made."""

    outline: Outline
    outputs: dict[str, RenderResult] = field(default_factory=dict)  # format -> its bytes, warnings and pages
    seconds: dict[str, float] = field(default_factory=dict)  # "read" (when read here) and each format

    @property
    def warnings(self) -> list[Warning]:
        """The reader's warnings, then each renderer's, in the formats' order."""
        return [*self.outline.warnings, *(w for result in self.outputs.values() for w in result.warnings)]


def render_document(outline: Outline, formats: tuple[str, ...] | list[str], theme: Theme, options: RenderOptions,
                    write: WriteFn | None = None) -> ConvertedDocument:
    """Render ``outline`` (as read_outline returns it) to each format in
    turn, then hand each result to ``write``, in the formats' order."""
    done = ConvertedDocument(outline)
    for fmt in formats:
        began = time.perf_counter()
        result = convert_outline(outline, fmt, theme, options)
        done.seconds[fmt] = time.perf_counter() - began
        done.outputs[fmt] = result
    if write is not None:
        for fmt, result in done.outputs.items():
            write(fmt, result)
    return done


def convert_document(data: bytes | Outline, formats: tuple[str, ...] | list[str] = (), theme: Theme | None = None,
                     options: RenderOptions | None = None, *, fmt: str | None = None, encoding: str | None = None,
                     source: str | None = None, overrides: Overrides = Overrides(),
                     write: WriteFn | None = None) -> ConvertedDocument:
    """Read one input (read_outline) and render it to ``formats`` with
    ``theme`` (render_document); no formats: read only."""
    began = time.perf_counter()
    outline = read_outline(data, fmt=fmt, encoding=encoding, source=source, overrides=overrides)
    read_seconds = time.perf_counter() - began
    if not formats:
        return ConvertedDocument(outline, seconds={"read": read_seconds})
    if theme is None:
        raise ValueError("convert_document: a theme is needed to render")
    done = render_document(outline, formats, theme, options or RenderOptions.from_env(), write)
    done.seconds = {"read": read_seconds, **done.seconds}
    return done


def warm_theme(name: str) -> Theme:
    """Load a theme and the metrics of every font it names, and import every
    renderer with its document library (the registry imports them only when
    a format is first asked for), so a process that will convert many
    documents pays for them once, before the first."""
    from .fonts import metrics_for, resolve_face

    theme = load_theme(name)
    for role in theme.roles.values():
        path = resolve_face(role.font.face, role.font.fallbacks)
        if path is not None:
            metrics_for(path)
    for fmt in RENDERERS:
        renderer(fmt)  # imports it
    return theme


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_filename(name: str, fallback: str = "讲稿", max_length: int = 80) -> str:
    """A file name from arbitrary text: Chinese kept; path separators,
    control characters and characters Windows forbids dropped."""
    name = unicodedata.normalize("NFC", name)
    # Format characters (bidi overrides such as U+202E, zero-width marks)
    # would let "讲稿\u202Excod.exe" show as "讲稿exe.docx".
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    name = _UNSAFE.sub("", name).strip().strip(".").strip()
    name = re.sub(r"\s+", " ", name)
    return name[:max_length].rstrip() or fallback


def names_a_file(output: str) -> bool:
    """Does ``-o`` name an output file (not a folder)?"""
    out = Path(output)
    return out.suffix.lower() in {f".{f}" for f in ALL_FORMATS} and not out.is_dir()


def check_output(output: str | None, formats: list[str], *, many: bool) -> None:
    """Refuse an ``-o`` file name that cannot hold what was asked, before
    any work is done."""
    if not output or not names_a_file(output):
        return
    suffix = Path(output).suffix.lower()
    if many:
        raise UsageError(f"-o {output}: a file name takes one input and one format; give a folder")
    if suffix != f".{formats[0]}":
        raise UsageError(f"-o {output}: the name ends in {suffix} but the format is {formats[0]}")


CONVERTED_INFIX = ".converted"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_not_an_input(output: str | None, inputs: list[str]) -> None:
    """Refuse an ``-o`` file name that is one of the inputs (``convert
    讲稿.docx -o 讲稿.docx``), before any work is done: an input is never
    replaced, --force or not."""
    if not output or not names_a_file(output):
        return
    for item in inputs:
        if item != "-" and _same_file(Path(output), Path(item)):
            raise UsageError(f"-o {output} is an input; an input is never replaced: name another file")


def spare_inputs(target: Path, inputs: list[str]) -> Path:
    """An output that would land on one of the inputs (``convert 讲稿.docx
    --to docx`` beside its input, or 讲稿.txt's handout beside an input
    讲稿.docx) is named ``<stem>.converted.<format>`` instead: an input is
    never replaced."""
    if any(item != "-" and _same_file(target, Path(item)) for item in inputs):
        return target.with_name(f"{target.stem}{CONVERTED_INFIX}{target.suffix}")
    return target


def output_path(input_path: Path | None, fmt: str, output: str | None, *, many: bool,
                stem: str | None = None) -> Path:
    """Where one output goes.  ``output`` ending in .FMT names the file (only
    when there is one input and one format); otherwise it is a folder.
    Without ``output`` the file goes beside the input (or into the current
    folder for standard input)."""
    stem = stem or (input_path.stem if input_path else "讲稿")
    if output:
        out = Path(output)
        if names_a_file(output):
            check_output(output, [fmt], many=many)
            return out
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as err:  # a file where a folder should be, no permission
            raise OutputError(f"{output}: cannot make the output folder ({os_reason(err)})") from None
        return out / f"{stem}.{fmt}"
    folder = input_path.parent if input_path else Path(".")
    return folder / f"{stem}.{fmt}"
