"""Turn an input (raw lecture text, outline JSON or outline Markdown) into an
Outline.  Shared by every front door: the CLI, the batch runner, the API."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import InputError, InputNotFoundError, os_reason

if TYPE_CHECKING:
    from .model import Outline

# The reader, outline_json and outline_md (PyYAML) are imported by the
# functions that use them: `converter serve --help` needs none of them, and
# a raw text never loads PyYAML.

InputFormat = Literal["raw", "json", "md"]
INPUT_FORMATS: tuple[str, ...] = ("raw", "json", "md")


def read_input_bytes(path: str) -> bytes:
    """The bytes of ``path``; ``-`` is standard input."""
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.exists():
        raise InputNotFoundError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    try:
        return p.read_bytes()
    except OSError as err:
        raise InputNotFoundError(f"{path}: cannot read ({os_reason(err)})") from None


def guess_format(data: bytes, name: str | None = None) -> InputFormat:
    """json when it is a JSON object with the schema key, md when it has the
    outline's front matter, else raw text."""
    from .reader.decode import sniff_binary

    if sniff_binary(data):
        return "raw"  # the reader names the problem
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        from .outline_json import looks_like_outline_json

        text = data.decode("utf-8", errors="replace")
        if looks_like_outline_json(text):
            return "json"
    if head.startswith(b"---"):
        from .outline_md import looks_like_outline_md

        text = data[:4096].decode("utf-8", errors="replace")
        if looks_like_outline_md(text):
            return "md"
    return "raw"


def load_outline(
    data: bytes,
    *,
    fmt: InputFormat | None = None,
    encoding: str | None = None,
    source: str | None = None,
) -> Outline:
    fmt = fmt or guess_format(data, source)
    if fmt == "raw":
        from .reader import read_bytes

        return read_bytes(data, encoding=encoding, source=source)
    try:
        text = data.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"an outline {fmt.upper()} file must be UTF-8") from None
    if fmt == "json":
        from .outline_json import loads
    else:
        from .outline_md import loads
    return loads(text)
