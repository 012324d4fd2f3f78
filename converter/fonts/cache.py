"""What was read from a font file, kept on disk so a fresh process need not
read it again.

Parsing a CJK face is slow in Python (measured on the bundled faces: the
family names of the five files 40 ms with fontTools, the advance widths
25-45 ms per face, what a PDF subset is cut from 20-30 ms per face with
reportlab's parser), while reading back what was parsed takes a millisecond
or two (a face's bytes, 1-4 ms).  So each kind of data (``family``,
``metrics``, ``face``) is stored once per font:

- entries are keyed by the sha256 of the font file's bytes, so copies of one
  font (the source tree's, an installed wheel's, a service's --fonts-dir, a
  test's copy) share one entry, and a file changed in place gets a new one;
- a file's hash is remembered under its path, size and modification time
  (``paths/``), so a file is hashed once, not at every start (hashing the
  five bundled faces takes 18 ms).

Beside them, small facts a reader checks before trusting (``recall``): the
system font file fontconfig offered for a face name, so that knowing a face
is here costs no fc-match process (5-10 ms) at every start.

The folder is ``$XDG_CACHE_HOME/converter/fonts`` (``~/.cache/...``).  A
folder that cannot be written is no error: every read then parses the font.
An entry is a bytes blob its reader checks; a damaged entry is parsed again.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from ..cachedir import root
from ..cachedir import write as _write

# Bumped when an entry's layout changes (old entries are then ignored).
VERSION = 1

_keys: dict[tuple[str, int, int], str] = {}
_lock = threading.Lock()


def folder() -> Path:
    return root() / "fonts"


def content_key(path: Path) -> str | None:
    """The sha256 of the file's bytes (hex), or None when it cannot be read."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    where = (os.path.abspath(path), stat.st_size, stat.st_mtime_ns)
    key = _keys.get(where)
    if key is not None:
        return key
    index = folder() / "paths" / hashlib.sha1("|".join(map(str, where)).encode()).hexdigest()
    try:
        key = index.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        key = ""
    if len(key) != 64:
        try:
            with open(path, "rb") as f:
                key = hashlib.file_digest(f, "sha256").hexdigest()
        except OSError:
            return None
        _write(index, key.encode("ascii"))
    with _lock:
        _keys[where] = key
    return key


def _entry(key: str, kind: str) -> Path:
    return folder() / f"{key}.{kind}.v{VERSION}"


def load(path: Path, kind: str) -> bytes | None:
    """The stored ``kind`` entry of the font at ``path``, or None."""
    key = content_key(path)
    if key is None:
        return None
    try:
        return _entry(key, kind).read_bytes()
    except OSError:
        return None


def store(path: Path, kind: str, data: bytes) -> None:
    key = content_key(path)
    if key is not None:
        _write(_entry(key, kind), data)


def recall(kind: str, name: str) -> str | None:
    """A small fact kept under ``name`` (not about one font file's bytes:
    its reader checks it still holds)."""
    try:
        return _fact(kind, name).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def remember(kind: str, name: str, value: str) -> None:
    if recall(kind, name) != value:
        _write(_fact(kind, name), value.encode("utf-8"))


def _fact(kind: str, name: str) -> Path:
    return folder() / kind / hashlib.sha1(name.encode("utf-8")).hexdigest()
