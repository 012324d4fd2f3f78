"""Where the bundled data folders (templates/, fonts/) live.

A wheel force-includes the repository's top-level templates/ and fonts/ into
the package (pyproject.toml), so an installed converter finds them through
``importlib.resources``.  An editable or plain source checkout has no such
copies; there the top-level folders of the repository are used.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

RESOURCE_NAMES = ("templates", "fonts")


def resource_path(name: str) -> Path:
    """The folder ``name`` ("templates" or "fonts") as a real directory path."""
    if name not in RESOURCE_NAMES:
        raise ValueError(f"unknown resource folder {name!r}; known: {', '.join(RESOURCE_NAMES)}")
    packaged = resources.files("converter") / name
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name
