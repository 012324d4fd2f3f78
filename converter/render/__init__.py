"""Renderers: one function per output format, in one registry dict.

Each format is a subpackage of the same shape: ``plan`` decides (pure data,
tested without the document library), ``emit`` writes the plan with the
library, ``oxml`` holds the XML work the library has no API for.  What they
share: the types in ``base``, the layout helpers in ``layout``, the OOXML
namespaces in ``ooxml_ns``.
"""

from __future__ import annotations

from ..model import Outline
from ..theme import Theme
from .base import Renderer, RenderOptions, RenderResult, UnknownFormatError
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

RENDERERS: dict[str, Renderer] = {
    "docx": render_docx,
    "pdf": render_pdf,
    "pptx": render_pptx,
}


def renderer(name: str) -> Renderer:
    try:
        return RENDERERS[name]
    except KeyError:
        known = ", ".join(sorted(RENDERERS))
        raise UnknownFormatError(f"unknown output format {name!r}; known: {known}") from None


def render(fmt: str, outline: Outline, theme: Theme, options: RenderOptions | None = None) -> RenderResult:
    return renderer(fmt)(outline, theme, options or RenderOptions())
