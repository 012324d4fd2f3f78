"""Atomic output: write a temp file in the target folder, then rename it over
the target, so a reader never sees a half-written file and a crash leaves at
most a stale temp file, which the next run removes."""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

from .errors import OutputError, os_reason

TEMP_SUFFIX = ".converter-tmp"
# A temp file older than this belongs to a run that died.
STALE_AFTER_SECONDS = 3600


def write_atomic(path: Path, data: bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{folder}: output folder does not exist")
    remove_stale_temps(folder)
    try:
        # The writer's pid in the name lets the next run tell a dead writer's
        # leftover from a live one's work in progress.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=folder)
    except OSError as err:
        raise OutputError(f"{folder}: cannot write here ({os_reason(err)})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputError(f"{path}: cannot write ({os_reason(err)})") from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _writer_alive(tmp: Path) -> bool:
    m = _PID_RE.search(tmp.name)
    if not m:
        return False
    try:
        os.kill(int(m.group(1)), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but is not ours to signal
    return True


_PID_RE = re.compile(r"\.(\d+)\.[^.]*" + re.escape(TEMP_SUFFIX) + "$")


def remove_stale_temps(folder: Path, older_than: float = STALE_AFTER_SECONDS) -> int:
    """Remove temp files whose writer is gone (killed mid-write) or that are
    older than ``older_than`` seconds."""
    now = time.time()
    removed = 0
    for tmp in folder.glob(f".*{TEMP_SUFFIX}"):
        try:
            if not _writer_alive(tmp) or now - tmp.stat().st_mtime > older_than:
                tmp.unlink()
                removed += 1
        except OSError:
            continue
    return removed
