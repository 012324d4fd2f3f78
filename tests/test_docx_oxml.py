"""The lxml layer of the .docx renderer, one trap per test."""

from __future__ import annotations

import io

import docx
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from converter.render.docx import oxml as ox


def w(el, name: str) -> str | None:  # type: ignore[no-untyped-def]
    return el.get(qn(f"w:{name}"))


def children(el) -> list[str]:  # type: ignore[no-untyped-def]
    return [etree.QName(c).localname for c in el]


def style(xml: str = ""):  # type: ignore[no-untyped-def]
    return parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="X">{xml}</w:style>')


def test_set_fonts_fills_all_four_slots_and_drops_theme_fonts() -> None:
    s = style('<w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia" w:ascii="Calibri"/></w:rPr>')
    ox.set_fonts(s, "仿宋_GB2312")
    rfonts = s.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert {w(rfonts, a) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"仿宋_GB2312"}
    assert w(rfonts, "asciiTheme") is None and w(rfonts, "eastAsiaTheme") is None


def test_set_fonts_with_a_latin_face() -> None:
    s = style()
    ox.set_fonts(s, "仿宋_GB2312", latin="Times New Roman")
    rfonts = s.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert w(rfonts, "eastAsia") == "仿宋_GB2312"
    assert w(rfonts, "ascii") == w(rfonts, "hAnsi") == w(rfonts, "cs") == "Times New Roman"


def test_latin_character_style_leaves_the_east_asian_slot_alone() -> None:
    s = style()
    ox.set_latin_fonts(s, "Times New Roman")
    rfonts = s.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert w(rfonts, "ascii") == "Times New Roman" and w(rfonts, "eastAsia") is None


def test_strip_theme_fonts_everywhere() -> None:
    root = parse_xml(f'<w:styles {nsdecls("w")}><w:style><w:rPr><w:rFonts w:hAnsiTheme="minorHAnsi" '
                     'w:cstheme="minorBidi"/></w:rPr></w:style></w:styles>')
    ox.strip_theme_fonts(root)
    assert b"Theme" not in etree.tostring(root) and b"cstheme" not in etree.tostring(root)


def test_run_properties_are_written_in_schema_order() -> None:
    s = style()
    ox.set_size(s, 32)
    ox.set_char_spacing(s, -5)
    ox.set_fonts(s, "黑体")
    ox.set_language(s, "en-US", "zh-CN")
    rpr = s.find(qn("w:rPr"))
    assert children(rpr) == ["rFonts", "spacing", "sz", "szCs", "lang"]
    assert w(rpr.find(qn("w:spacing")), "val") == "-5"
    assert w(rpr.find(qn("w:lang")), "eastAsia") == "zh-CN"


def test_indent_writes_twips_and_chars() -> None:
    s = style()
    ox.set_indent(s, first_line=(640, 200), right=(1280, 400), left=(320, None))
    ind = s.find(qn("w:pPr")).find(qn("w:ind"))
    assert (w(ind, "firstLine"), w(ind, "firstLineChars")) == ("640", "200")
    assert (w(ind, "right"), w(ind, "rightChars")) == ("1280", "400")
    assert (w(ind, "left"), w(ind, "leftChars")) == ("320", None)
    ox.set_indent(s, first_line=(-640, -200))
    ind = s.find(qn("w:pPr")).find(qn("w:ind"))
    assert (w(ind, "hanging"), w(ind, "hangingChars"), w(ind, "left")) == ("640", "200", None)
    ox.set_indent(s)
    assert s.find(qn("w:pPr")).find(qn("w:ind")) is None


def test_exact_line_pitch() -> None:
    s = style()
    ox.set_line(s, pitch_twips=579, before_twips=0, after_twips=579)
    sp = s.find(qn("w:pPr")).find(qn("w:spacing"))
    assert (w(sp, "line"), w(sp, "lineRule"), w(sp, "after")) == ("579", "exact", "579")


def test_outline_levels() -> None:
    s = style()
    ox.set_outline_level(s, 0)
    assert w(s.find(qn("w:pPr")).find(qn("w:outlineLvl")), "val") == "0"
    ox.set_outline_level(s, None)
    assert w(s.find(qn("w:pPr")).find(qn("w:outlineLvl")), "val") == "9"


def test_paragraph_flags() -> None:
    s = style()
    ox.set_outline_level(s, 1)
    ox.set_paragraph_flags(s, snap_to_grid=False)
    ppr = s.find(qn("w:pPr"))
    assert children(ppr) == ["widowControl", "autoSpaceDE", "autoSpaceDN", "snapToGrid", "outlineLvl"]
    assert w(ppr.find(qn("w:widowControl")), "val") == "0"
    assert ppr.find(qn("w:overflowPunct")) is None  # hanging punctuation: both apps' default
    ox.set_paragraph_flags(s, hanging_punctuation=False)
    # LibreOffice reads overflowPunct="1" as "no hanging punctuation".
    assert w(ppr.find(qn("w:overflowPunct")), "val") == "1"
    assert children(ppr).index("overflowPunct") < children(ppr).index("autoSpaceDE")


def test_bottom_rule() -> None:
    s = style()
    ox.set_bottom_rule(s, "808080")
    bottom = s.find(qn("w:pPr")).find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (w(bottom, "val"), w(bottom, "color")) == ("single", "808080")


def test_doc_defaults_are_zh_cn_and_exact() -> None:
    root = parse_xml(f'<w:styles {nsdecls("w")}/>')
    ox.set_doc_defaults(root, face="仿宋_GB2312", latin="Times New Roman", half_points=32, pitch_twips=579)
    rpr = root.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert w(rpr.find(qn("w:lang")), "eastAsia") == "zh-CN"
    assert w(rpr.find(qn("w:rFonts")), "eastAsia") == "仿宋_GB2312"
    assert w(rpr.find(qn("w:sz")), "val") == "32"
    ppr = root.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    assert w(ppr.find(qn("w:widowControl")), "val") == "0"
    assert w(ppr.find(qn("w:spacing")), "line") == "579"


def test_doc_grid_is_lines_only() -> None:
    sect = parse_xml(f'<w:sectPr {nsdecls("w")}><w:docGrid w:type="linesAndChars" w:charSpace="4"/></w:sectPr>')
    ox.set_doc_grid(sect, 579)
    grid = sect.find(qn("w:docGrid"))
    assert dict(grid.attrib) == {qn("w:type"): "lines", qn("w:linePitch"): "579"}


def test_settings() -> None:
    root = parse_xml(f'<w:settings {nsdecls("w")}><w:zoom w:percent="100"/><w:compat/>'
                     '<w:themeFontLang w:val="en-US" w:eastAsia="ja-JP"/></w:settings>')
    ox.set_settings(root, update_fields=True)
    assert w(root.find(qn("w:themeFontLang")), "eastAsia") == "zh-CN"
    assert w(root.find(qn("w:characterSpacingControl")), "val") == "doNotCompress"
    names = children(root)
    assert names.index("updateFields") == names.index("compat") - 1


def test_page_field() -> None:
    p = OxmlElement("w:p")
    ox.add_field(p, "PAGE", "1", style_id="PageNumber")
    runs = p.findall(qn("w:r"))
    kinds = [children(r)[-1] for r in runs]
    assert kinds == ["fldChar", "instrText", "fldChar", "t", "fldChar"]
    types = [w(r.find(qn("w:fldChar")), "fldCharType") for r in runs if r.find(qn("w:fldChar")) is not None]
    assert types == ["begin", "separate", "end"]
    assert runs[1].find(qn("w:instrText")).text == " PAGE "
    assert all(w(r.find(qn("w:rPr")).find(qn("w:rStyle")), "val") == "PageNumber" for r in runs)


def test_font_table_with_alt_names() -> None:
    xml = ox.font_table_xml({"仿宋_GB2312": ("仿宋", "FangSong"), "Times New Roman": ()}, ["仿宋_GB2312"])
    root = etree.fromstring(xml)
    fonts = root.findall(qn("w:font"))
    assert [w(f, "name") for f in fonts] == ["仿宋_GB2312", "Times New Roman"]
    assert w(fonts[0].find(qn("w:altName")), "val") == "仿宋"
    assert w(fonts[0].find(qn("w:charset")), "val") == "86"
    assert fonts[1].find(qn("w:altName")) is None


def test_make_paragraph_runs_breaks_and_text() -> None:
    p = ox.make_paragraph("Title", [[("第一行", None), ("ABC", "Latin")], [(" 二 ", None)]])
    assert w(p.find(qn("w:pPr")).find(qn("w:pStyle")), "val") == "Title"
    runs = p.findall(qn("w:r"))
    assert [children(r) for r in runs] == [["t"], ["rPr", "t"], ["br"], ["t"]]
    assert runs[3].find(qn("w:t")).get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    p = ox.make_paragraph(None, [[("a\tb\nc\x07d", None)]])
    assert children(p.find(qn("w:r"))) == ["t", "tab", "t", "br", "t"]
    assert "".join(t.text for t in p.iter(qn("w:t"))) == "abcd"


def test_add_style_from_spec() -> None:
    root = parse_xml(f'<w:styles {nsdecls("w")}/>')
    spec = ox.StyleSpec("Heading1", "heading 1", custom=False, based_on="Normal", next="Body", face="黑体",
                        half_points=32, bold=False, color="000000", char_spacing=-5, align="left", pitch=579,
                        first_line=(640, 200), keep_next=True, outline_level=0, ui_priority=9)
    ox.add_style(root, spec)
    el = root.find(qn("w:style"))
    assert w(el, "styleId") == "Heading1" and w(el, "customStyle") is None
    assert children(el) == ["name", "basedOn", "next", "uiPriority", "qFormat", "pPr", "rPr"]
    ppr, rpr = el.find(qn("w:pPr")), el.find(qn("w:rPr"))
    assert children(ppr) == ["keepNext", "widowControl", "autoSpaceDE", "autoSpaceDN", "spacing", "ind", "jc",
                             "outlineLvl"]
    assert children(rpr) == ["rFonts", "b", "bCs", "color", "spacing", "sz", "szCs"]


def test_base_package_opens_in_python_docx() -> None:
    doc = docx.Document(io.BytesIO(ox.base_package()))
    assert doc.paragraphs == []
    assert [s.name for s in doc.styles] == ["Default Paragraph Font"]


def test_append_paragraph_goes_before_sect_pr() -> None:
    doc = docx.Document(io.BytesIO(ox.base_package()))
    ox.append_paragraph(doc.element.body, ox.make_paragraph(None, [[("一", None)]]))
    assert children(doc.element.body) == ["p", "sectPr"]


def test_keep_and_widow_control_in_schema_order() -> None:
    """Issue 14 item 1: keepNext/keepLines on a paragraph (direct) and on a
    style, with widow control on, in CT_PPr's order."""
    p = ox.make_paragraph("Body", [[("正文", None)]])
    ox.set_page_break_before(p)
    ox.set_keep(p, next=True, lines=True)
    ppr = p.find(qn("w:pPr"))
    assert children(ppr)[:4] == ["pStyle", "keepNext", "keepLines", "pageBreakBefore"]
    root = parse_xml(f"<w:styles {nsdecls('w')}/>")
    ox.add_style(root, ox.StyleSpec("Heading1", "heading 1", keep_next=True, keep_lines=True, widow_control=True,
                                    align="both"))
    ppr = root.find(qn("w:style")).find(qn("w:pPr"))
    assert children(ppr)[:3] == ["keepNext", "keepLines", "widowControl"]
    assert w(ppr.find(qn("w:widowControl")), "val") == "1"
    assert w(ppr.find(qn("w:jc")), "val") == "both"
