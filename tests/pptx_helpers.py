"""Helpers for the slide-deck tests: LibreOffice Impress detection and
conversion, and measuring where LibreOffice drew every character.

``measure`` matches the characters of each PDF page, in drawing order, to the
text of the slide's shapes in z-order (LibreOffice draws shape by shape,
line by line), so a lost, added or reordered character fails loudly; then it
checks each character against its shape's box, the slide and the size the
run asked for.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from converter.model import Outline, Paragraph, Salutation
from converter.resources import resource_path

IMPRESS_REASON = "needs LibreOffice Impress (apt-get install libreoffice-impress-nogui)"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
EMU_PER_PT = 12700
BULLETS = set("■●•◆▪–")
TOLERANCE = 1.0  # pt a glyph box may stray past its shape (LibreOffice rounds positions)


def impress() -> str | None:
    """soffice, when LibreOffice has its Impress module (the PPTX import)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        return None
    root = Path(os.path.realpath(exe)).parent.parent
    for registry in ("share/.registry/impress.xcd", "share/registry/impress.xcd"):
        if (root / registry).is_file():
            return exe
    return None


def to_pdf(files: list[Path], outdir: Path) -> list[Path]:
    """Convert with one LibreOffice run, under the bundled fonts.conf."""
    exe = impress()
    assert exe, IMPRESS_REASON
    env = dict(os.environ, FONTCONFIG_FILE=str(resource_path("fonts") / "fonts.conf"))
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(outdir), *map(str, files)],
                       check=True, capture_output=True, timeout=600, env=env)
    pdfs = [outdir / f"{f.stem}.pdf" for f in files]
    missing = [p for p in pdfs if not p.is_file()]
    assert not missing, f"LibreOffice made no PDF for {missing}"
    return pdfs


@dataclass
class Expected:
    char: str
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in pt
    size: float | None  # pt the run asks for (None: inherited, not checked)
    shape: str


def expected_chars(pptx: Path) -> list[list[Expected]]:
    """Per slide, the non-space characters of its shapes in z-order."""
    from pptx import Presentation

    out = []
    for slide in Presentation(str(pptx)).slides:
        chars: list[Expected] = []
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            box = (shape.left / EMU_PER_PT, shape.top / EMU_PER_PT, (shape.left + shape.width) / EMU_PER_PT,
                   (shape.top + shape.height) / EMU_PER_PT)
            for el in shape._element.iter(f"{A}r", f"{A}fld"):
                rpr = el.find(f"{A}rPr")
                size = int(rpr.get("sz")) / 100 if rpr is not None and rpr.get("sz") else None
                text = el.findtext(f"{A}t") or ""
                chars += [Expected(c, box, size, shape.name) for c in text if not c.isspace()]
        out.append(chars)
    return out


@dataclass
class Report:
    pages: int
    chars: int
    problems: list[str]
    smallest: dict[str, float]  # shape name -> smallest size drawn


def measure(pptx: Path, pdf: Path) -> Report:
    import pdfplumber
    from docx_helpers import page_chars

    expected = expected_chars(pptx)
    problems: list[str] = []
    smallest: dict[str, float] = {}
    count = 0
    with pdfplumber.open(pdf) as doc:
        if len(doc.pages) != len(expected):
            problems.append(f"{len(doc.pages)} pages for {len(expected)} slides")
        for n, (page, want) in enumerate(zip(doc.pages, expected), start=1):
            j = 0
            for c in page_chars(page):
                t = c["text"]
                if t.isspace():
                    continue
                inside_slide = (-0.5 <= c["x0"] and c["x1"] <= page.width + 0.5
                                and -0.5 <= c["top"] and c["bottom"] <= page.height + 0.5)
                if not inside_slide:
                    problems.append(f"slide {n}: {t!r} drawn outside the slide at ({c['x0']:.0f}, {c['top']:.0f})")
                # One glyph may stand for several characters (Noto CJK sets —— as a ligature).
                if j < len(want) and t == "".join(w.char for w in want[j : j + len(t)]):
                    e = want[j]
                    j += len(t)
                    count += len(t)
                    x0, top, x1, bottom = e.box
                    if not (x0 - TOLERANCE <= c["x0"] and c["x1"] <= x1 + TOLERANCE
                            and top - TOLERANCE <= c["top"] and c["bottom"] <= bottom + TOLERANCE):
                        problems.append(
                            f"slide {n}: {t!r} of {e.shape} at ({c['x0']:.1f}, {c['top']:.1f})-({c['x1']:.1f}, "
                            f"{c['bottom']:.1f}) is outside its box ({x0:.1f}, {top:.1f})-({x1:.1f}, {bottom:.1f})")
                    if e.size is not None:
                        smallest[e.shape] = min(smallest.get(e.shape, 999.0), c["size"])
                        if c["size"] < e.size - 0.05:
                            problems.append(f"slide {n}: {t!r} of {e.shape} drawn at {c['size']:.2f} pt, set at {e.size:g}")
                elif t in BULLETS:
                    continue  # the template's bullet glyph
                else:
                    near = "".join(w.char for w in want[j : j + 10])
                    problems.append(f"slide {n}: PDF has {t!r} where the slide has {near!r}")
                    break
            if j < len(want):
                problems.append(f"slide {n}: not drawn: {''.join(w.char for w in want[j : j + 20])!r}")
    return Report(len(expected), count, problems, smallest)


CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’—…]")


def runs_without_east_asian_font(xml: bytes) -> list[str]:
    """Texts of runs with Chinese characters that lack a:ea or lang zh-CN."""
    root = etree.fromstring(xml)
    bad = []
    for r in root.iter(f"{A}r"):
        text = r.findtext(f"{A}t") or ""
        if not CJK.search(text):
            continue
        rpr = r.find(f"{A}rPr")
        ea = rpr.find(f"{A}ea") if rpr is not None else None
        if ea is None or not ea.get("typeface") or rpr.get("lang") != "zh-CN":
            bad.append(text)
    return bad


def no_headings_outline() -> Outline:
    """A speech without headings: a salutation and 12 paragraphs of 3-6
    sentences (docx_helpers' sentences, which no renderer was tuned on)."""
    from docx_helpers import _SENTENCES

    paras = tuple(Paragraph("".join(_SENTENCES[(k * 7 + i) % len(_SENTENCES)] for i in range(3 + k % 4)))
                  for k in range(12))
    return Outline("在全区组织工作会议上的讲话", (Salutation("同志们："),) + paras)
