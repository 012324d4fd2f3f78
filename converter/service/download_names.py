"""File names for what the service hands out: sanitised (Chinese kept, no
path separators or control characters), unique inside a zip, and carried
in Content-Disposition both as RFC 5987 UTF-8 and as an ASCII fallback.

werkzeug's secure_filename is not used: it deletes every CJK character,
leaving a Chinese title empty.
"""

from __future__ import annotations

import io
import mimetypes
import re
import zipfile
from pathlib import Path
from urllib.parse import quote

from ..convert import safe_filename

DEFAULT_STEM = "讲稿"
# Names Windows refuses for a file, whatever the extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "json": "application/json",
}


def upload_stem(filename: str | None) -> str | None:
    """The stem of an uploaded file's name, whatever path the client sent
    ("../../x.txt", "C:\\x.txt" -> "x"); None when nothing usable is left."""
    if not filename:
        return None
    base = re.split(r"[\\/]", filename)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    cleaned = clean_stem(stem, fallback="")
    return cleaned or None


def source_name(filename: str | None) -> str | None:
    """The upload's name for meta.source: no folders, cleaned; or None."""
    if not filename:
        return None
    return clean_stem(re.split(r"[\\/]", filename)[-1], fallback="") or None


def clean_stem(stem: str, fallback: str = DEFAULT_STEM) -> str:
    """A safe file stem: safe_filename's rules, plus no Windows device
    names and no leading dot."""
    cleaned = safe_filename(stem, fallback=fallback, max_length=80).lstrip(".").strip()
    if cleaned.split(".")[0].upper() in _RESERVED:
        cleaned = f"_{cleaned}"
    return cleaned or fallback


def output_stem(filename: str | None, title: str) -> str:
    """Name outputs after the uploaded file (as the CLI does), or after the
    lecture's title when the text was pasted."""
    return upload_stem(filename) or clean_stem(title)


def unique(names: list[str]) -> list[str]:
    """"a.docx", "a.docx", "A.docx" -> "a.docx", "a (2).docx", "A (3).docx"
    (compared without case, as Windows and macOS do)."""
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
        candidate, n = name, 1
        while candidate.lower() in seen:
            n += 1
            candidate = f"{stem} ({n}){dot}{ext}"
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def media_type(fmt: str) -> str:
    return _MEDIA_TYPES.get(fmt) or mimetypes.guess_type(f"x.{fmt}")[0] or "application/octet-stream"


def ascii_fallback(filename: str) -> str:
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "lecture"
    ext = re.sub(r"[^A-Za-z0-9]+", "", ext)
    return f"{safe}.{ext}" if ext else safe


def content_disposition(filename: str) -> str:
    """attachment; filename="ascii.docx"; filename*=UTF-8''%E8%AE%B2….docx"""
    return f"attachment; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"


def zip_files(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip of (name, data); names are made unique.  Outputs are already
    compressed (docx, pptx, pdf), so they are stored, not deflated again."""
    buffer = io.BytesIO()
    names = unique([name for name, _ in entries])
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, (_, data) in zip(names, entries):
            method = zipfile.ZIP_DEFLATED if name.endswith((".json", ".txt")) else zipfile.ZIP_STORED
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, compress_type=method)
    return buffer.getvalue()


def zip_paths(target: Path, entries: list[tuple[str, Path]], *extra: tuple[str, bytes]) -> None:
    """Write a zip of files on disk (name, path) plus small extras (name,
    data) to ``target``, streaming each file; names are made unique."""
    labels = unique([name for name, _ in entries] + [name for name, _ in extra])
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w") as archive:
            for label, (_, path) in zip(labels, entries):
                archive.write(path, label, compress_type=zipfile.ZIP_STORED)
            for label, (_, data) in zip(labels[len(entries):], extra):
                archive.writestr(zipfile.ZipInfo(label, date_time=(1980, 1, 1, 0, 0, 0)), data,
                                 compress_type=zipfile.ZIP_DEFLATED)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves no half-written zip behind
        raise
