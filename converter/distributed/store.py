"""The results store: a shared folder where workers leave outputs.

Results never travel through the result backend (Redis strings are capped
and large values hurt it).  A task writes each output as "*.part" and
renames it, then writes result.json last; result.json present means the
result is complete, so a redelivered task returns it instead of redoing it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

RESULT = "result.json"


class ResultsStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, key: str) -> Path:
        return self.root / key[:2] / key

    def finished(self, key: str) -> dict[str, Any] | None:
        try:
            return json.loads((self.folder(key) / RESULT).read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def write(self, key: str, name: str, data: bytes) -> Path:
        folder = self.folder(key)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        part = folder / f"{name}.{os.getpid()}.part"
        part.write_bytes(data)
        os.replace(part, target)
        return target

    def finish(self, key: str, result: dict[str, Any]) -> None:
        self.write(key, RESULT, json.dumps(result, ensure_ascii=False, indent=1).encode("utf-8"))

    def clear_parts(self, key: str) -> None:
        """Remove what a killed attempt left half-written."""
        for part in self.folder(key).glob("*.part"):
            part.unlink(missing_ok=True)

    def remove(self, key: str) -> None:
        shutil.rmtree(self.folder(key), ignore_errors=True)
