"""The PDF renderer: draws a PdfPlan with reportlab.

Each face is embedded as one CID-keyed subset (Type0, Identity-H): the
fonts package (converter/fonts/embed.py, subset.py) numbers the characters,
cuts the font program and makes the widths and the ToUnicode map; here
they become reportlab's PDF objects (``_add_font``).  Text is written as
positioned two-byte strings, one per run of the plan; no reportlab font is
ever selected, so no unembedded Helvetica is referenced.
Bookmarks follow the headings, nested by level.  With SOURCE_DATE_EPOCH
(RenderOptions.source_date_epoch) the file is byte-for-byte reproducible
(reportlab's invariant mode).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from zlib_ng import zlib_ng

from ... import __version__
from ...fonts.embed import FontUse, to_unicode, w_array
from ...fonts.subset import face_for
from ...model import Outline
from ...theme import Theme
from ..base import RenderOptions, RenderResult, truncation_note
from .plan import PagePlan, PdfPlan, plan_pdf

# Deflate with zlib-ng: at the same level it compresses the font programs
# (nine tenths of the file) a little smaller than zlib, in a third of the
# time.  reportlab hands every stream to this one filter object.
FLATE_LEVEL = 6


def _flate(data: bytes | str) -> bytes:
    return zlib_ng.compress(data.encode("utf-8") if isinstance(data, str) else data, FLATE_LEVEL)


pdfdoc.PDFZCompress.encode = _flate  # type: ignore[method-assign]


def render_pdf(outline: Outline, theme: Theme, options: RenderOptions) -> RenderResult:
    plan = plan_pdf(outline, theme, truncation_note(outline, theme, options))
    return RenderResult(emit_pdf(plan, outline, options), tuple(plan.warnings), len(plan.pages))


def emit_pdf(plan: PdfPlan, outline: Outline, options: RenderOptions) -> bytes:
    out = io.BytesIO()
    epoch = options.source_date_epoch
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        canvas = Canvas(
            out,
            pagesize=(plan.width, plan.height),
            invariant=1 if epoch is not None else 0,
            initialFontName=canvas_start_font(),
            pageCompression=1,
            lang="zh-CN",
        )
        canvas.setTitle(outline.title or "")
        canvas.setAuthor(outline.meta.speaker or "")
        canvas.setSubject(outline.meta.subtitle or "讲稿")
        canvas.setCreator(f"converter {__version__}")
        canvas.setProducer(f"converter {__version__} (reportlab)")
        canvas.showOutline()
        fonts: dict[Path, FontUse] = {}
        previous_level = -1  # the first bookmark must be at level 0
        for page in plan.pages:
            canvas.addLiteral(_page_text(page, fonts))
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
        document = canvas._doc  # the fonts' objects go into the canvas's document
        for use in fonts.values():
            _add_font(document, use)
        canvas.save()
    finally:
        if epoch is not None:
            if saved is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = saved
    return out.getvalue()


def _page_text(page: PagePlan, fonts: dict[Path, FontUse]) -> str:
    """One text object with every run of the page: each run placed by a
    move from the previous one (Td), its font and its character spacing set
    only when they change."""
    ops = ["BT"]
    current_font: tuple[str, float] | None = None
    spacing = 0.0
    x = y = 0.0
    for line in page.lines + page.furniture:
        for run in line.runs:
            use = fonts.get(run.font)
            if use is None:
                use = fonts[run.font] = FontUse(face_for(run.font), f"C{len(fonts) + 1}")
            if (use.resource, run.size) != current_font:
                current_font = (use.resource, run.size)
                ops.append(f"/{use.resource} {fp_str(run.size)} Tf")
            if run.char_space != spacing:
                spacing = run.char_space
                ops.append(f"{fp_str(spacing)} Tc")
            ops.append(f"{fp_str(run.x - x)} {fp_str(line.baseline - y)} Td {use.encode(run.text)} Tj")
            x, y = run.x, line.baseline
    ops.append("ET")
    return "\n".join(ops)


def _add_font(doc: pdfdoc.PDFDocument, use: FontUse) -> None:
    """Write the objects of one face's CID-keyed font into ``doc`` and list
    it in the font resources every page shares."""
    face = use.face
    gids = use.gids
    base_font = use.base_font
    compress = [pdfdoc.PDFZCompress] if doc.compression else None
    program = pdfdoc.PDFStream(content=face.program(gids), filters=compress)
    program.dictionary["Length1"] = len(program.content)
    descriptor = pdfdoc.PDFDictionary({
        "Type": pdfdoc.PDFName("FontDescriptor"),
        "FontName": pdfdoc.PDFName(base_font),
        "Flags": 4,  # symbolic: the glyphs are reached by CID, not by a standard encoding
        "FontBBox": pdfdoc.PDFArray(face.bbox),
        "ItalicAngle": face.italic_angle,
        "Ascent": face.ascent,
        "Descent": face.descent,
        "CapHeight": face.cap_height,
        "StemV": face.stem_v,
        "FontFile2": doc.Reference(program),
    })
    widths = [pdfdoc.PDFArray(w) if isinstance(w, list) else w for w in w_array(use.widths(gids), 1000)]
    cid_font = pdfdoc.PDFDictionary({
        "Type": pdfdoc.PDFName("Font"),
        "Subtype": pdfdoc.PDFName("CIDFontType2"),
        "BaseFont": pdfdoc.PDFName(base_font),
        "CIDSystemInfo": pdfdoc.PDFDictionary({
            "Registry": pdfdoc.PDFString("Adobe"),
            "Ordering": pdfdoc.PDFString("Identity"),
            "Supplement": 0,
        }),
        "FontDescriptor": doc.Reference(descriptor),
        "DW": 1000,
        "W": pdfdoc.PDFArray(widths),
        "CIDToGIDMap": pdfdoc.PDFName("Identity"),
    })
    unicode_map = pdfdoc.PDFStream(content=to_unicode(base_font, use.chars), filters=compress)
    font = pdfdoc.PDFDictionary({
        "Type": pdfdoc.PDFName("Font"),
        "Subtype": pdfdoc.PDFName("Type0"),
        "BaseFont": pdfdoc.PDFName(base_font),
        "Encoding": pdfdoc.PDFName("Identity-H"),
        "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid_font)]),
        "ToUnicode": doc.Reference(unicode_map),
    })
    doc.idToObject["BasicFonts"].dict[use.resource] = doc.Reference(font, f"CIDFont:{use.resource}")


class CanvasStartFont:
    """The font reportlab's canvas is told it starts in.  It is never drawn
    with; being "dynamic" (as reportlab's own TrueType fonts are) keeps the
    canvas from writing its default Helvetica into every page's preamble."""

    _dynamicFont = True
    _multiByte = False
    fontName = "converter-cid"

    class face:  # noqa: N801 - the attribute reportlab's registry reads
        name = b"converter-cid"


def canvas_start_font() -> str:
    """The name to pass as the canvas's initialFontName."""
    if CanvasStartFont.fontName not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(CanvasStartFont())
    return CanvasStartFont.fontName
