"""One print file from many PDFs, for duplex printing or folded booklets.

pypdf does the PDF work (merging, outlines, page imposition); no PDF syntax is
written by hand here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter, Transformation

A3_LANDSCAPE = (1190.55, 841.89)  # points


@dataclass(frozen=True, slots=True)
class PrintDocument:
    title: str  # the document's top-level bookmark
    pdf: Path


def merge_for_print(documents: list[PrintDocument], *, booklet: bool = False) -> bytes:
    """Every document in the order given, each starting on an odd page (a
    blank page is added after a document that ends on an odd page), with one
    top-level bookmark per document holding its own headings.  With
    ``booklet`` each document is first imposed as a booklet (see impose_booklet)."""
    writer = PdfWriter()
    for doc in documents:
        reader = PdfReader(_booklet_pdf(doc.pdf) if booklet else doc.pdf)
        writer.append(reader, outline_item=doc.title, import_outline=not booklet)
        if len(writer.pages) % 2:
            last = writer.pages[-1]
            writer.add_blank_page(float(last.mediabox.width), float(last.mediabox.height))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def booklet_order(pages: int) -> list[tuple[int | None, int | None]]:
    """For a document of ``pages`` pages, the (left, right) page indices of
    each side of each sheet, in printing order; None is a blank.  The page
    count is padded to a multiple of 4; folding the printed stack in half
    gives pages in reading order."""
    total = max(4, (pages + 3) // 4 * 4)

    def page(i: int) -> int | None:
        return i if i < pages else None

    sides: list[tuple[int | None, int | None]] = []
    for sheet in range(total // 4):
        front = (page(total - 1 - 2 * sheet), page(2 * sheet))
        back = (page(2 * sheet + 1), page(total - 2 - 2 * sheet))
        sides += [front, back]
    return sides


def impose_booklet(reader: PdfReader) -> PdfWriter:
    """Two pages side by side on each A3 landscape side, in booklet order."""
    writer = PdfWriter()
    sheet_w, sheet_h = A3_LANDSCAPE
    for left, right in booklet_order(len(reader.pages)):
        side = PageObject.create_blank_page(width=sheet_w, height=sheet_h)
        for slot, index in ((0, left), (1, right)):
            if index is None:
                continue
            src = reader.pages[index]
            w, h = float(src.mediabox.width), float(src.mediabox.height)
            scale = min((sheet_w / 2) / w, sheet_h / h)
            x = slot * sheet_w / 2 + (sheet_w / 2 - w * scale) / 2
            y = (sheet_h - h * scale) / 2
            side.merge_transformed_page(src, Transformation().scale(scale, scale).translate(x, y))
        writer.add_page(side)
    return writer


def _booklet_pdf(path: Path) -> io.BytesIO:
    out = io.BytesIO()
    impose_booklet(PdfReader(path)).write(out)
    out.seek(0)
    return out
