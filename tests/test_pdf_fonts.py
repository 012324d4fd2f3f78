"""The PDF's embedded fonts (converter/fonts/subset.py and embed.py, written
by converter/render/pdf/emit.py): each face one
CID-keyed TrueType subset whose program is a valid font holding exactly the
glyphs drawn, with the source's outlines and advances, and a ToUnicode map
that gives every character back."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
from fontTools.ttLib import TTFont

from converter.fonts import bundled_fonts, system_path
from converter.fonts.embed import FontUse
from converter.fonts.subset import face_for
from converter.model import Meta, Outline, Paragraph
from converter.reader import read_bytes
from converter.render import RenderOptions
from converter.render.pdf import render_pdf
from converter.theme import load_theme
from docx_helpers import expected_blocks

LATIN = system_path("Liberation Serif")
needs_liberation = pytest.mark.skipif(LATIN is None, reason="needs fonts-liberation2 (apt-get install fonts-liberation2)")


def _program(path: Path, text: str) -> tuple[FontUse, TTFont]:
    use = FontUse(face_for(path), "C1")
    use.encode(text)
    gids = [0] + [use.face.char_to_glyph.get(ord(ch), 0) for ch in use.cids]
    data = use.face.program(gids)
    return use, TTFont(io.BytesIO(data), checkChecksums=2)  # a wrong table checksum raises


def _outline_points(font: TTFont, glyph_name: str) -> list[tuple[int, int]]:
    glyph = font["glyf"][glyph_name]
    coords, _, _ = glyph.getCoordinates(font["glyf"])
    return [tuple(p) for p in coords]


def test_subset_program_holds_the_drawn_glyphs_with_their_outlines_and_advances():
    song = next(f.path for f in bundled_fonts() if "Song" in f.path.name and "Xiaobiao" not in f.path.name)
    text = "组织工作，高质量“发展”。"
    use, subset = _program(song, text)
    source = TTFont(song)
    source_cmap = source.getBestCmap()
    order = subset.getGlyphOrder()
    assert len(order) == len(set(text)) + 1  # .notdef + one glyph per character
    for ch, cid in use.cids.items():
        name = source_cmap[ord(ch)]
        assert _outline_points(subset, order[cid]) == _outline_points(source, name), ch
        assert subset["hmtx"][order[cid]] == source["hmtx"][name], ch
    # The checkSumAdjustment makes the whole file sum to the magic number.
    data = use.face.program([0] + [use.face.char_to_glyph[ord(ch)] for ch in use.cids])
    words = [int.from_bytes(data[i:i + 4], "big") for i in range(0, len(data), 4)]
    assert sum(words) & 0xFFFFFFFF == 0xB1B0AFBA


@needs_liberation
def test_composite_glyphs_bring_their_components_renumbered():
    use, subset = _program(LATIN, "café Ångström")
    source = TTFont(LATIN)
    cmap = source.getBestCmap()
    order = subset.getGlyphOrder()
    for ch in "éÅö":
        glyph = subset["glyf"][order[use.cids[ch]]]
        assert glyph.isComposite()
        # Same drawing as the source: the components resolve to the same points.
        assert _outline_points(subset, order[use.cids[ch]]) == _outline_points(source, cmap[ord(ch)])
    # Components that no character names directly (the acute, the ring) were added after the CIDs.
    assert len(order) > len(use.cids) + 1


def _pdf_fonts(data: bytes) -> list[dict]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = {}
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            fonts[name] = ref.get_object()
    return list(fonts.values())


def _outline(text: str) -> Outline:
    return Outline("字体测试", (Paragraph(text),), Meta())


@needs_liberation
def test_every_face_is_one_type0_font_and_text_extracts_exactly():
    text = "组织工作PM2.5与“café”，——共2025年……！" * 30
    result = render_pdf(_outline(text), load_theme("official"), RenderOptions(source_date_epoch=0))
    fonts = _pdf_fonts(result.data)
    names = [f["/BaseFont"] for f in fonts]
    assert len(names) == len({n.split("+")[1] for n in names}), names  # one font per face
    for font in fonts:
        assert font["/Subtype"] == "/Type0" and font["/Encoding"] == "/Identity-H"
        cid_font = font["/DescendantFonts"][0].get_object()
        assert cid_font["/Subtype"] == "/CIDFontType2"
        assert re.fullmatch(r"/[A-Z]{6}\+\S+", font["/BaseFont"])
        program = cid_font["/FontDescriptor"]["/FontFile2"].get_object()
        TTFont(io.BytesIO(program.get_data()), checkChecksums=2)
    extracted = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(result.data)).pages)
    assert re.sub(r"\s+", "", extracted).replace("—1—", "").replace("—2—", "") == "字体测试" + text.replace(" ", "")


def test_widths_in_the_pdf_are_the_fonts_advances():
    text = "一、组织（工作）：12"
    result = render_pdf(_outline(text), load_theme("official"), RenderOptions(source_date_epoch=0))
    for font in _pdf_fonts(result.data):
        cid_font = font["/DescendantFonts"][0].get_object()
        program = TTFont(io.BytesIO(cid_font["/FontDescriptor"]["/FontFile2"].get_object().get_data()))
        scale = 1000 / program["head"].unitsPerEm
        order = program.getGlyphOrder()
        widths = {}
        w = list(cid_font.get("/W", []))
        while w:
            first, run = w.pop(0), w.pop(0)
            widths.update({first + k: v for k, v in enumerate(run)})
        for cid in range(1, len(order)):
            want = round(program["hmtx"][order[cid]][0] * scale)
            assert widths.get(cid, cid_font["/DW"]) == want


def test_same_document_gives_the_same_subset_names():
    outline = _outline("作风建设" * 50)
    theme = load_theme("official")
    first = render_pdf(outline, theme, RenderOptions(source_date_epoch=0)).data
    second = render_pdf(outline, theme, RenderOptions(source_date_epoch=0)).data
    assert first == second


def test_pdfium_reads_and_draws_the_example():
    """Chrome's PDF engine, a second reader besides poppler: the same text,
    in order, and ink where the body lines are."""
    import pypdfium2 as pdfium

    outline = read_bytes((Path(__file__).resolve().parent.parent / "examples" / "lecture.txt").read_bytes())
    theme = load_theme("official")
    data = render_pdf(outline, theme, RenderOptions(source_date_epoch=0)).data
    pdf = pdfium.PdfDocument(data)
    text = ""
    for page in pdf:
        text += page.get_textpage().get_text_range()
    body = "".join(expected_blocks(outline, theme)[1])  # the example is truncated: its note ends the text
    got = re.sub(r"—\d+—", "", re.sub(r"\s+", "", text))
    assert got == re.sub(r"\s+", "", body)
    image = pdf[1].render(scale=1).to_pil().convert("L")
    width, height = image.size
    # Page 2 is full: ink in the middle of the type area, none in the side margins.
    middle = image.crop((width // 4, height // 3, 3 * width // 4, 2 * height // 3))
    assert middle.getextrema()[0] < 64
    margin = image.crop((0, height // 3, width // 20, 2 * height // 3))
    assert margin.getextrema()[0] > 250
