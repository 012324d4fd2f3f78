"""The folder where what a fresh process would otherwise compute again is
kept (parsed fonts, compiled patterns): ``$XDG_CACHE_HOME/converter``
(``~/.cache/converter``).  A folder that cannot be written is no error:
the data is then computed at every start."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "converter"


def write(target: Path, data: bytes) -> None:
    """Write atomically (a temp file, then a rename); failures are ignored."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only home: no cache, only slower starts
