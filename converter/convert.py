"""One conversion, as every front door runs it: input bytes -> outline ->
rendered files.  The CLI, the batch runner and the HTTP API all call this."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import UsageError
from .load import InputFormat, load_outline
from .model import Outline
from .render import RENDERERS, RenderOptions, RenderResult, render
from .theme import Theme

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


def read_outline(data: bytes, *, fmt: InputFormat | None = None, encoding: str | None = None,
                 source: str | None = None, overrides: Overrides = Overrides()) -> Outline:
    return overrides.apply(load_outline(data, fmt=fmt, encoding=encoding, source=source))


def convert_outline(outline: Outline, fmt: str, theme: Theme, options: RenderOptions) -> RenderResult:
    return render(fmt, outline, theme, options)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_filename(name: str, fallback: str = "讲稿", max_length: int = 80) -> str:
    """A file name from arbitrary text: Chinese kept; path separators,
    control characters and characters Windows forbids dropped."""
    name = unicodedata.normalize("NFC", name)
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
        out.mkdir(parents=True, exist_ok=True)
        return out / f"{stem}.{fmt}"
    folder = input_path.parent if input_path else Path(".")
    return folder / f"{stem}.{fmt}"
