"""Where the bundled data folders (templates/, fonts/) live.

A wheel force-includes the repository's top-level templates/ and fonts/ into
the package (pyproject.toml: templates/ as converter/templates, fonts/ as
converter/fonts/bundled, beside the code that reads them), so an installed
converter finds them through ``importlib.resources``.  An editable or plain
source checkout has no such copies; there the top-level folders of the
repository are used.

``CONVERTER_FONTS_DIR``, when set and not empty, names another fonts folder
(a copy of fonts/ with its fonts.conf).  Unset, nothing changes.  The service
uses it (``converter serve --fonts-dir``) so an operator can point it at the
fonts it should use, and its health check at what it really loads.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

RESOURCE_NAMES = ("templates", "fonts")
OVERRIDE_ENV = {"fonts": "CONVERTER_FONTS_DIR"}
# Where a wheel holds each folder inside the package.
PACKAGED = {"templates": ("templates",), "fonts": ("fonts", "bundled")}


def resource_path(name: str) -> Path:
    """The folder ``name`` ("templates" or "fonts") as a real directory path."""
    if name not in RESOURCE_NAMES:
        raise ValueError(f"unknown resource folder {name!r}; known: {', '.join(RESOURCE_NAMES)}")
    env = OVERRIDE_ENV.get(name)
    override = os.environ.get(env, "").strip() if env else ""
    if override:
        return Path(override)
    packaged = resources.files("converter").joinpath(*PACKAGED[name])
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name
