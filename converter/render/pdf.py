"""The PDF renderer: draws a PdfPlan with reportlab.

Fonts are registered once per process and embedded as subsets; the canvas
starts in a bundled face (initialFontName), so no unembedded Helvetica is
ever referenced.  Bookmarks follow the headings, nested by level.  With
SOURCE_DATE_EPOCH (RenderOptions.source_date_epoch) the file is byte-for-byte
reproducible (reportlab's invariant mode).
"""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .. import __version__
from ..model import Outline
from ..theme import Theme
from . import RenderOptions, RenderResult
from .pdf_plan import PdfPlan, plan_pdf

_registered: dict[Path, str] = {}
_lock = threading.Lock()


def font_name(path: Path) -> str:
    """The reportlab name of a font file, registering it on first use."""
    with _lock:
        name = _registered.get(path)
        if name is None:
            name = f"F{len(_registered)}-{path.stem}"
            pdfmetrics.registerFont(TTFont(name, str(path)))
            _registered[path] = name
        return name


def render_pdf(outline: Outline, theme: Theme, options: RenderOptions) -> RenderResult:
    plan = plan_pdf(outline, theme)
    return RenderResult(emit_pdf(plan, outline, options), tuple(plan.warnings), len(plan.pages))


def emit_pdf(plan: PdfPlan, outline: Outline, options: RenderOptions) -> bytes:
    out = io.BytesIO()
    body_font = font_name(next(iter(sorted(plan.fonts))) if plan.fonts else _first_font(plan))
    epoch = options.source_date_epoch
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        canvas = Canvas(
            out,
            pagesize=(plan.width, plan.height),
            invariant=1 if epoch is not None else 0,
            initialFontName=body_font,
            initialFontSize=12,
            pageCompression=1,
            lang="zh-CN",
        )
        canvas.setTitle(outline.title or "")
        canvas.setAuthor(outline.meta.speaker or "")
        canvas.setSubject(outline.meta.subtitle or "讲稿")
        canvas.setCreator(f"converter {__version__}")
        canvas.setProducer(f"converter {__version__} (reportlab)")
        canvas.showOutline()
        previous_level = -1  # the first bookmark must be at level 0
        for page in plan.pages:
            for line in page.lines + page.furniture:
                # One text object per line; each piece starts with a short
                # relative move (Td) from the previous piece's start.
                text = canvas.beginText(line.left, line.baseline)
                origin = line.left
                spacing = 0.0
                for run in line.runs:
                    name = font_name(run.font)
                    text.setFont(name, run.size)
                    # reportlab drops the character spacing where a font's
                    # subsets change, so each same-subset piece starts at its
                    # own x.
                    pieces = _same_subset_pieces(canvas, name, run.text) if run.char_space else [run.text]
                    if run.char_space != spacing:
                        text.setCharSpace(run.char_space)
                        spacing = run.char_space
                    x = run.x
                    for piece in pieces:
                        if abs(x - origin) > 1e-6:
                            text.moveCursor(x - origin, 0)
                            origin = x
                        text.textOut(piece)
                        x += _width(name, piece, run.size) + run.char_space * len(piece)
                canvas.drawText(text)
            for x0, x1, y in page.rules:
                canvas.setLineWidth(0.5)
                canvas.line(x0, y, x1, y)
            for n, mark in enumerate(page.bookmarks):
                key = f"h{page.number}-{n}"
                canvas.bookmarkHorizontal(key, 0, mark.top)
                # reportlab refuses a level more than one below the previous.
                level = min(mark.level - 1, previous_level + 1)
                canvas.addOutlineEntry(mark.title, key, level=level)
                previous_level = level
            canvas.showPage()
        canvas.save()
    finally:
        if epoch is not None:
            if saved is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = saved
    return out.getvalue()


def _width(name: str, text: str, size: float) -> float:
    return pdfmetrics.getFont(name).stringWidth(text, size)


def _same_subset_pieces(canvas: Canvas, name: str, text: str) -> list[str]:
    """``text`` cut where reportlab switches between the font's subsets."""
    pieces, start = [], 0
    for _, encoded in pdfmetrics.getFont(name).splitString(text, canvas._doc):
        pieces.append(text[start:start + len(encoded)])
        start += len(encoded)
    return pieces


def _first_font(plan: PdfPlan) -> Path:
    for page in plan.pages:
        for line in page.furniture:
            return line.runs[0].font
    raise ValueError("a PDF plan without any text")
