"""Renderers: one function per output format, in one registry.

Each format is a subpackage of the same shape: ``plan`` decides (pure data,
tested without the document library), ``emit`` writes the plan with the
library, ``oxml`` holds the XML work the library has no API for.  What they
share: the types in ``base``, the layout helpers in ``layout``, the OOXML
namespaces in ``ooxml_ns``.

The registry names each format's subpackage and imports it the first time
the format's renderer is looked up: a process that writes a .docx never
loads reportlab or python-pptx (most of a cold start is loading them).
Listing the formats (``"pdf" in RENDERERS``, ``list(RENDERERS)``) imports
nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING

from ..model import Outline
from ..theme import Theme
from .base import Renderer, RenderOptions, RenderResult, UnknownFormatError

if TYPE_CHECKING:
    from .docx import render_docx
    from .pdf import render_pdf
    from .pptx import render_pptx

__all__ = [
    "RENDERERS",
    "RenderOptions",
    "RenderResult",
    "Renderer",
    "UnknownFormatError",
    "render",
    "render_docx",
    "render_pdf",
    "render_pptx",
    "renderer",
]


class _Registry(Mapping[str, Renderer]):
    """Format name -> renderer; each renderer is ``render_<format>`` of the
    subpackage named here, imported on first lookup."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = modules
        self._loaded: dict[str, Renderer] = {}

    def __getitem__(self, name: str) -> Renderer:
        found = self._loaded.get(name)
        if found is None:
            module = import_module(self._modules[name], __name__)  # KeyError: not a format
            found = self._loaded[name] = getattr(module, f"render_{name}")
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)

    def __contains__(self, name: object) -> bool:
        return name in self._modules

    def __repr__(self) -> str:
        return f"RENDERERS({', '.join(self._modules)})"


RENDERERS: Mapping[str, Renderer] = _Registry({
    "docx": ".docx",
    "pdf": ".pdf",
    "pptx": ".pptx",
})


def __getattr__(name: str) -> Renderer:
    """``render_docx`` etc., as the registry holds them (imported on first use)."""
    fmt = name.removeprefix("render_")
    if name.startswith("render_") and fmt in RENDERERS:
        return RENDERERS[fmt]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def renderer(name: str) -> Renderer:
    try:
        return RENDERERS[name]
    except KeyError:
        known = ", ".join(sorted(RENDERERS))
        raise UnknownFormatError(f"unknown output format {name!r}; known: {known}") from None


def render(fmt: str, outline: Outline, theme: Theme, options: RenderOptions | None = None) -> RenderResult:
    return renderer(fmt)(outline, theme, options or RenderOptions())
