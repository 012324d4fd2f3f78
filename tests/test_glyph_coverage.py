"""No character prints as a box, and none is drawn in a face of the wrong
style (issue 14 items 5 and 6).

A character the role's face lacks is drawn with the face of the nearest
style that has it (仿宋 -> 宋 -> 楷 -> 黑, a 黑 line 黑 first), then with the
last-resort faces, which hold every CJK Unified Ideograph of GB 18030 (the
BMP block U+4E00-U+9FFF and Extension A U+3400-U+4DBF) the style faces
lack: the 宋 one for serif lines, the 黑 one for 黑 lines.  Measured from the
rendered PDF: each embedded subset's glyph for each character (by the
ToUnicode map) is a real outline, not a copy of .notdef."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from pathlib import Path

import pypdf
import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from converter.fonts import Faces, family_of, font_metrics
from converter.fonts.embed import obfuscate
from converter.fonts.resolve import fallback_files, fallback_styles, style_of
from converter.model import Meta, Outline, Paragraph
from converter.render import RenderOptions, render
from converter.render.pdf import render_pdf
from converter.theme import load_theme

REPO = Path(__file__).resolve().parent.parent
FONTS = REPO / "fonts"
GB18030_HANZI = [chr(cp) for cp in (*range(0x4E00, 0xA000), *range(0x3400, 0x4DC0))]
RARE = "勠喆堃赟昇珺琍頔㐀䶿鿿"  # outside GB2312; 琍 頔 in no style face; Extension A; Unicode 14
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _file(name: str) -> Path:
    return FONTS / name


def test_styles_of_the_bundled_faces():
    styles = {family_of(p): style_of(family_of(p)) for p in FONTS.glob("*.ttf")}
    assert styles == {
        "Converter FangSong": "fangsong", "Converter Song": "song", "Converter Kai": "kai",
        "Converter Xiaobiaosong": "xiaobiaosong", "Converter Hei": "hei",
        "Converter Song Extra": "song+", "Converter Hei Extra": "hei+", "Converter Han Last Resort": "last",
    }
    assert style_of("文泉驿正黑,WenQuanYi Zen Hei") == "hei" and style_of("AR PL UKai CN") == "kai"
    assert style_of("AR PL UMing CN") == "song" and style_of("Noto Sans CJK SC") == "hei"


def test_fallback_order_is_nearest_style_first():
    assert fallback_styles("fangsong") == ("fangsong", "song", "kai", "xiaobiaosong", "song+", "last", "hei", "hei+")
    assert fallback_styles("kai") == ("kai", "fangsong", "song", "xiaobiaosong", "song+", "last", "hei", "hei+")
    assert fallback_styles("hei") == ("hei", "hei+", "fangsong", "song", "kai", "xiaobiaosong", "song+", "last")
    names = [p.name for p in fallback_files(_file("ConverterFangSong.ttf"))]
    assert names[:4] == ["ConverterSong.ttf", "ConverterKai.ttf", "ConverterXiaobiaosong.ttf", "ConverterSongExtra.ttf"]
    assert names.index("ConverterHanLastResort.ttf") < names.index("ConverterHei.ttf")
    assert fallback_styles("xiaobiaosong")[:2] == ("xiaobiaosong", "song")
    names = [p.name for p in fallback_files(_file("ConverterHei.ttf"))]
    assert names[0] == "ConverterHeiExtra.ttf"


def test_a_character_the_fangsong_face_lacks_is_drawn_in_song_not_hei():
    faces = Faces(load_theme("official"))
    fangsong, kai, hei = _file("ConverterFangSong.ttf"), _file("ConverterKai.ttf"), _file("ConverterHei.ttf")
    assert not font_metrics(str(fangsong)).has("勠")
    assert faces.glyph_file("勠", fangsong, "body", latin=False).name == "ConverterSong.ttf"
    assert faces.glyph_file("勠", kai, "heading2", latin=False).name == "ConverterSong.ttf"
    # 琍 and 頔 are in no style face: the 宋 last-resort face for serif lines, the 黑 one for 黑 lines.
    assert faces.glyph_file("琍", fangsong, "body", latin=False).name == "ConverterSongExtra.ttf"
    assert faces.glyph_file("頔", hei, "heading1", latin=False).name == "ConverterHeiExtra.ttf"
    # Unicode 13/14 hanzi, which Noto CJK 2.00x lacks.
    assert faces.glyph_file("鿿", hei, "heading1", latin=False).name == "ConverterHanLastResort.ttf"
    assert not any("empty box" in w.message for w in faces.warnings)


def test_every_gb18030_hanzi_has_a_bundled_font():
    files = list(FONTS.glob("*.ttf"))
    held: set[int] = set()
    for path in files:
        held |= set(TTFont(str(path), lazy=True).getBestCmap())
    assert [c for c in GB18030_HANZI if ord(c) not in held] == []


def _to_unicode(cmap: bytes) -> dict[int, str]:
    out = {}
    for cid, hexchars in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]+)>", cmap):
        out[int(cid, 16)] = bytes.fromhex(hexchars.decode()).decode("utf-16-be")
    return out


def _drawn(pdf: bytes) -> dict[str, list[tuple[str, bool]]]:
    """character -> [(subset font name, drawn with a real glyph)] for every
    character the PDF's fonts map back to text."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts[font["/BaseFont"]] = font
    drawn: dict[str, list[tuple[str, bool]]] = {}
    for name, font in fonts.items():
        cid_font = font["/DescendantFonts"][0].get_object()
        program = TTFont(io.BytesIO(cid_font["/FontDescriptor"]["/FontFile2"].get_object().get_data()))
        glyf, order = program["glyf"], program.getGlyphOrder()
        notdef = glyf[order[0]].getCoordinates(glyf)[0]
        for cid, ch in _to_unicode(font["/ToUnicode"].get_object().get_data()).items():
            glyph = glyf[order[cid]]
            real = glyph.numberOfContours != 0 and glyph.getCoordinates(glyf)[0] != notdef
            drawn.setdefault(ch, []).append((str(name), real or ch.isspace()))
    return drawn


def test_rare_characters_in_a_pdf_are_drawn_not_boxes():
    outline = Outline("罕用字测试", (Paragraph(RARE), Paragraph("同志们，这是“琍”与“頔”。")), Meta())
    result = render_pdf(outline, load_theme("official"), RenderOptions(source_date_epoch=0))
    drawn = _drawn(result.data)
    for ch in RARE:
        assert drawn.get(ch) and all(real for _, real in drawn[ch]), ch
    assert not any("empty box" in w.message for w in result.warnings)
    # 勠 in the 仿宋 body comes from the 宋 face, not the 黑 one.
    assert all("ConverterSong-" in name for name, _ in drawn["勠"])


def test_embedded_docx_fonts_hold_the_characters_their_faces_lack():
    outline = Outline("罕用字测试", (Paragraph(RARE),), Meta())
    theme = load_theme("official")
    data = render("docx", outline, theme, RenderOptions(embed_fonts=True, source_date_epoch=0)).data
    z = zipfile.ZipFile(io.BytesIO(data))
    table = etree.fromstring(z.read("word/fontTable.xml"))
    rels = etree.fromstring(z.read("word/_rels/fontTable.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    body = theme.roles["body"].font.face
    for font in table.findall(f"{W}font"):
        if font.get(f"{W}name") != body:
            continue
        embed = font.find(f"{W}embedRegular")
        key = uuid.UUID(embed.get(f"{W}fontKey"))
        ttf = TTFont(io.BytesIO(obfuscate(z.read(f"word/{targets[embed.get(f'{R}id')]}"), key)), checkChecksums=2)
        cmap = ttf.getBestCmap()
        glyf = ttf["glyf"]
        for ch in RARE:
            assert ord(ch) in cmap, ch
            assert glyf[cmap[ord(ch)]].numberOfContours > 0, ch
        break
    else:
        pytest.fail(f"{body} not embedded")


@pytest.mark.slow
def test_every_gb18030_hanzi_is_drawn_with_a_real_glyph_in_the_pdf():
    """All 27,584 characters, 64 to a paragraph, in the official theme's
    仿宋 body (about 7 s)."""
    paragraphs = tuple(Paragraph("".join(GB18030_HANZI[i:i + 64])) for i in range(0, len(GB18030_HANZI), 64))
    outline = Outline("字符覆盖", paragraphs, Meta())
    result = render_pdf(outline, load_theme("official"), RenderOptions(source_date_epoch=0))
    drawn = _drawn(result.data)
    missing = [c for c in GB18030_HANZI if c not in drawn]
    boxes = [c for c in GB18030_HANZI if c in drawn and not all(real for _, real in drawn[c])]
    assert (len(missing), len(boxes)) == (0, 0), (missing[:20], boxes[:20])
    assert not any("empty box" in w.message for w in result.warnings)
    # Nothing in the serif body came from a 黑 face.
    assert not any("Hei" in name for c in GB18030_HANZI for name, _ in drawn[c])
