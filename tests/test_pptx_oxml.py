"""The deck's XML layer (converter/render/pptx/oxml.py) on its own."""

from __future__ import annotations

import pytest

pytest.importorskip("pptx")

from lxml import etree

from converter.render.pptx import oxml as ox
from converter.render.layout import segments

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
NS = f'xmlns:a="{A[1:-1]}" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'


def parse(fragment: str) -> etree._Element:
    return etree.fromstring(f"<root {NS}>{fragment}</root>")[0]


def test_paragraph_runs_carry_faces_and_language() -> None:
    p = parse(ox.paragraph([segments("用好PPT，提升<质量>&效率"), segments("第二行")], face="仿宋_GB2312",
                           latin_face="Times New Roman", size=24, color="accent1", align="justify",
                           indent=28.8, gap=14.4, line_pitch=28.8, bullet=True))
    ppr = p.find(f"{A}pPr")
    assert ppr.get("marL") == "365760" and ppr.get("indent") == "-365760" and ppr.get("algn") == "just"
    assert (ppr.get("eaLnBrk"), ppr.get("latinLnBrk"), ppr.get("hangingPunct")) == ("1", "0", "0")
    assert ppr.find(f"{A}lnSpc/{A}spcPts").get("val") == "2880"
    assert ppr.find(f"{A}spcBef/{A}spcPts").get("val") == "1440"
    assert ppr.find(f"{A}buNone") is None  # bullet=True keeps the template's bullet
    runs = p.findall(f"{A}r")
    texts = [r.findtext(f"{A}t") for r in runs]
    assert "".join(texts) == "用好PPT，提升<质量>&效率第二行"  # escaped, and read back whole
    assert texts[:3] == ["用好", "PPT", "，提升"]
    for r in runs:
        rpr = r.find(f"{A}rPr")
        assert rpr.get("lang") == "zh-CN" and rpr.get("sz") == "2400"
        assert rpr.find(f"{A}ea").get("typeface") == "仿宋_GB2312"
        assert rpr.find(f"{A}solidFill/{A}schemeClr").get("val") == "accent1"
    assert runs[1].find(f"{A}rPr/{A}latin").get("typeface") == "Times New Roman"
    assert runs[0].find(f"{A}rPr/{A}latin").get("typeface") == "仿宋_GB2312"  # quotes, dashes: the Chinese face
    assert len(p.findall(f"{A}br")) == 1
    # children of a:rPr in schema order: fill, latin, ea, cs
    assert [etree.QName(c).localname for c in runs[0].find(f"{A}rPr")] == ["solidFill", "latin", "ea", "cs"]


def test_paragraph_without_bullet() -> None:
    p = parse(ox.paragraph([segments("目录")], face="黑体", latin_face="Arial", size=None, bullet=False))
    ppr = p.find(f"{A}pPr")
    assert ppr.get("marL") == "0" and ppr.find(f"{A}buNone") is not None
    assert p.find(f"{A}r/{A}rPr").get("sz") is None


def test_body_properties_turn_autofit_off() -> None:
    body = parse(ox.body_pr((7.2, 3.6, 7.2, 3.6), "middle"))
    assert body.get("anchor") == "ctr" and body.get("lIns") == "91440" and body.get("tIns") == "45720"
    assert [etree.QName(c).localname for c in body] == ["noAutofit"]


def test_slide_number_field() -> None:
    sp = parse(ox.slide_number(7, (1, 2, 3, 4), 12, None, None))
    fld = sp.find(f".//{A}fld")
    assert fld.get("type") == "slidenum" and fld.findtext(f"{A}t") == "12"
    assert sp.find(f".//{A}bodyPr/{A}noAutofit") is not None


def test_slide_and_notes_parts_are_well_formed() -> None:
    body = ox.tx_body(ox.body_pr((0, 0, 0, 0), None), [])
    slide = etree.fromstring(ox.slide([ox.placeholder(2, "Title", {"type": "title"}, (0, 0, 10, 10), body),
                                       ox.shape(3, "Box", (0, 0, 10, 10), body, fill="bg2")]))
    assert slide.tag.endswith("}sld") and len(slide.findall(".//{*}sp")) == 2
    notes = etree.fromstring(ox.notes({"type": "sldImg", "idx": "2"}, {"type": "body", "idx": "3"}, body))
    assert [ph.get("type") for ph in notes.iter("{*}ph")] == ["sldImg", "body"]


def test_theme_fonts() -> None:
    theme = (f'<a:theme {NS}><a:themeElements><a:fontScheme name="x">'
             '<a:majorFont><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>'
             '<a:minorFont><a:latin typeface="Arial"/><a:cs typeface=""/></a:minorFont>'
             "</a:fontScheme></a:themeElements></a:theme>").encode()
    root = etree.fromstring(ox.set_theme_fonts(theme, "黑体", "仿宋_GB2312"))
    major, minor = root.find(f".//{A}majorFont"), root.find(f".//{A}minorFont")
    assert major.find(f"{A}ea").get("typeface") == "黑体"
    assert minor.find(f"{A}ea").get("typeface") == "仿宋_GB2312"
    assert [f.get("typeface") for f in minor.findall(f"{A}font") if f.get("script") == "Hans"] == ["仿宋_GB2312"]
    assert [etree.QName(c).localname for c in minor] == ["latin", "ea", "cs", "font"]
