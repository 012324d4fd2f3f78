"""Turn an input (raw lecture text, a Word .docx, outline JSON or outline
Markdown) into an Outline.  Shared by every front door: the CLI, the batch
runner, the API."""

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

InputFormat = Literal["raw", "json", "md", "docx"]
INPUT_FORMATS: tuple[str, ...] = ("raw", "json", "md", "docx")


# The most bytes one input may hold (CONVERTER_MAX_BYTES, the commands'
# --max-bytes): a lecture is tens of KB, a long report a few hundred; this
# stops `converter convert /dev/zero` (or a mistaken disk image) reading
# until memory runs out.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024


def read_input_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of ``path`` (``-`` is standard input), at most
    ``max_bytes``: a longer input is refused (InputError) after reading one
    byte more, never read whole."""
    if path == "-":
        return _bounded(sys.stdin.buffer.read(max_bytes + 1), "standard input", max_bytes)
    p = Path(path)
    if not p.exists():
        raise InputNotFoundError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    try:
        with p.open("rb") as f:
            return _bounded(f.read(max_bytes + 1), path, max_bytes)
    except OSError as err:
        raise InputNotFoundError(f"{path}: cannot read ({os_reason(err)})") from None


def _bounded(data: bytes, what: str, max_bytes: int) -> bytes:
    if len(data) > max_bytes:
        raise InputError(f"{what}: more than {max_bytes:,} bytes; a lecture text is far shorter "
                         "(--max-bytes or CONVERTER_MAX_BYTES raises the limit)")
    return data


def guess_format(data: bytes, name: str | None = None) -> InputFormat:
    """docx when it is a ZIP archive (the .docx reader names what else it
    is) or a password-protected Office file (refused there, with that
    reason); json when it is a JSON object with the schema key, md when it
    has the outline's front matter, else raw text.  By content, never by
    ``name``."""
    from .reader.decode import sniff_binary
    from .reader.docx_input import looks_like_docx

    if looks_like_docx(data):
        return "docx"
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
    if fmt == "docx":
        from .reader.docx_input import read_docx

        return read_docx(data, source=source)
    try:
        text = data.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"an outline {fmt.upper()} file must be UTF-8") from None
    if fmt == "json":
        from .outline_json import loads
    else:
        from .outline_md import loads
    return loads(text)
