""".docx as an input (issue 16, first slice): our own .docx reads back into
the outline it was rendered from; another's reads by its heading styles,
or (direct formatting only) through the raw reader's rules; Word's
automatic numbering becomes the marker text; tracked changes read as
accepted; what the outline cannot hold is dropped with a warning; bad
.docx files are clear errors; every front door reads it; an input is
never overwritten."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml

from converter import outline_json
from converter.errors import InputError
from converter.load import guess_format, load_outline
from converter.model import Heading, Meta, Outline, Paragraph, Salutation
from converter.reader import read_bytes
from converter.reader.docx_input import MAX_UNPACKED, OWN_STYLES, read_docx
from converter.render import RenderOptions
from converter.render.docx import render_docx
from converter.render.docx.emit import STYLE_NAMES
from converter.theme import load_theme

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "lecture.txt"
GOLD = REPO / "tests" / "data" / "real" / "gold"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = f'xmlns:w="{W_NS}"'


def render(outline: Outline, theme: str = "official", **options: object) -> bytes:
    return render_docx(outline, load_theme(theme), RenderOptions(**options)).data  # type: ignore[arg-type]


def representable(outline: Outline) -> Outline:
    """What a .docx can hold of an outline: headings at levels 1-4 (Heading
    1-4), each on its own line (a run-in heading is set on its own line);
    meta.speaker and meta.subtitle (core author and subject); no source."""
    blocks = tuple(dataclasses.replace(b, run_in=False, level=min(b.level, 4)) if isinstance(b, Heading) else b
                   for b in outline.blocks)
    return Outline(outline.title, blocks, Meta(outline.meta.subtitle, outline.meta.speaker), (), outline.truncated)


def same(back: Outline, original: Outline) -> None:
    """``back`` (read from the .docx) holds what ``original`` could put in it."""
    want = representable(original)
    got = Outline(back.title, back.blocks, Meta(back.meta.subtitle, back.meta.speaker), (), back.truncated)
    assert got.title == want.title
    assert got.truncated == want.truncated
    assert got.meta == want.meta
    for i, (a, b) in enumerate(zip(got.blocks, want.blocks)):
        assert a == b, f"block {i}: {a} != {b}"
    assert len(got.blocks) == len(want.blocks)


def codes(outline: Outline) -> list[str]:
    return [w.code for w in outline.warnings]


def messages(outline: Outline, code: str) -> list[str]:
    return [w.message for w in outline.warnings if w.code == code]


def saved(document) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# Our own .docx reads back into the outline it was rendered from


def test_the_reader_knows_the_renderers_style_names():
    """The reader may not import the renderer, so it names our styles again."""
    assert set(OWN_STYLES) == set(STYLE_NAMES.values())


def test_the_example_lecture_round_trips():
    original = read_bytes(EXAMPLE.read_bytes())
    assert original.truncated and any(isinstance(b, Salutation) for b in original.blocks)
    back = read_docx(render(original), source="讲稿.docx")
    same(back, original)
    assert back.meta.source == "讲稿.docx"
    assert "truncated" in codes(back) and "docx_dropped" not in codes(back)


GOLD_TEXTS = sorted(GOLD.glob("*.json"))
# Run-in headings, bylines, a 落款 with signature and date, four levels,
# a tab in a paragraph, a title over two lines.
EVERYDAY_GOLD = ["a01_sspu_opening_teacher", "a02_xi_poverty_symposium_2020", "a03_jiang_newyear_2001",
                 "c05_guobanfa_zhengwu_xinmeiti_yijian", "d02_gov_report_1988_national", "g03_sxyz_leaders_shuzhi_2019"]


def gold(name: str) -> Outline:
    return outline_json.loads((GOLD / f"{name}.json").read_text("utf-8"))


@pytest.mark.parametrize("name", EVERYDAY_GOLD)
def test_real_texts_round_trip(name):
    original = gold(name)
    same(read_docx(render(original)), original)


@pytest.mark.slow
@pytest.mark.parametrize("path", GOLD_TEXTS, ids=lambda p: p.stem)
def test_every_real_text_round_trips(path):
    original = outline_json.loads(path.read_text("utf-8"))
    same(read_docx(render(original)), original)


@pytest.mark.parametrize("theme, options", [
    ("handout", {}),
    ("official", {"toc": True}),
    ("official", {"truncation_note": False}),
    ("handout", {"toc": True, "truncation_note": False}),
])
def test_round_trip_under_each_theme_and_option(theme, options):
    """The handout's running header and page numbers and the 目录 are the
    renderer's, not the lecture's: left out, the 目录 with a warning.
    Without the truncation note the .docx cannot say the text was cut."""
    original = read_bytes(EXAMPLE.read_bytes())
    back = read_docx(render(original, theme, **options))
    if options.get("truncation_note") is False:
        original = dataclasses.replace(original, truncated=False)
    same(back, original)
    assert bool(messages(back, "docx_dropped")) == bool(options.get("toc"))
    assert not any("header" in m or "footer" in m for m in messages(back, "docx_dropped"))


def test_what_a_docx_cannot_hold():
    """Levels 5 and 6 are set in Heading 4, and a run-in heading on its own
    line: they read back as level 4 and not run in.  A title broken over
    lines reads back whole, its spaces from the core property."""
    title = "Party lessons for the new era: forging the sword of conduct in the organisation work of the city"
    original = Outline(title, (Heading(1, "一、总体要求"), Heading(2, "（一）加强学习。", run_in=True),
                               Paragraph("正文……"), Heading(5, "①五级"), Heading(6, "甲、六级"), Paragraph("x")),
                       Meta(subtitle="——在全市大会上的讲话", speaker="Zhang San"))
    back = read_docx(render(original))
    assert back.title == title
    assert back.blocks == (Heading(1, "一、总体要求"), Heading(2, "（一）加强学习。"), Paragraph("正文……"),
                           Heading(4, "①五级"), Heading(4, "甲、六级"), Paragraph("x"))
    assert back.meta.speaker == "Zhang San" and back.meta.subtitle == "——在全市大会上的讲话"


def _texts(document) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in document.paragraphs]


def test_edits_made_in_word_show_up():
    """Reword a heading, add a paragraph, delete a section (python-docx
    standing in for Word): the outline read back has the same edits."""
    original = gold("a02_xi_poverty_symposium_2020")
    document = docx.Document(io.BytesIO(render(original)))
    paragraphs = document.paragraphs
    headings = [p for p in paragraphs if p.style.name.startswith("heading") or p.style.name.startswith("Heading")]
    assert len(headings) >= 3
    # 1. Reword the first heading (its runs: the Chinese run and the Latin ones).
    first = headings[0]
    old_heading = first.text
    for run in first.runs[1:]:
        run._r.getparent().remove(run._r)
    first.runs[0].text = "一、改写后的标题"
    # 2. Add a paragraph after the second heading, in the Body style.
    second = headings[1]
    new = copy.deepcopy(second._p)
    second._p.addnext(new)
    added = docx.text.paragraph.Paragraph(new, second._parent)
    added.style = document.styles["Body"]
    for run in added.runs[1:]:
        run._r.getparent().remove(run._r)
    added.runs[0].text = "新加的一段话。"
    # 3. Delete the last top-level section: its heading and everything after it.
    top = [p for p in headings if p.style.name.lower() == "heading 1"]
    last = top[-1]
    doomed = False
    for p in list(document.paragraphs):
        doomed = doomed or p._p is last._p
        if doomed and p.style.name != "Truncation Note":
            p._p.getparent().remove(p._p)
    back = read_docx(saved(document))

    want = list(representable(original).blocks)
    i = want.index(next(b for b in want if isinstance(b, Heading) and b.text == old_heading))
    want[i] = Heading(want[i].level, "一、改写后的标题")  # type: ignore[union-attr]
    j = [k for k, b in enumerate(want) if isinstance(b, Heading)][1]
    want.insert(j + 1, Paragraph("新加的一段话。"))
    cut = max(k for k, b in enumerate(want) if isinstance(b, Heading) and b.level == 1)
    del want[cut:]
    assert list(back.blocks) == want
    assert back.title == original.title


# ---------------------------------------------------------------------------
# Another's .docx: heading styles


def _style_named(document, name: str, based_on: str | None = None):  # type: ignore[no-untyped-def]
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if based_on:
        style.base_style = document.styles[based_on]
    return style


def test_word_heading_styles_give_the_levels():
    document = docx.Document()
    document.add_paragraph("在全市组织工作会议上的讲话", style="Title")
    document.add_paragraph("同志们：")
    document.add_paragraph("今天我们召开会议。")
    document.add_heading("一、提高认识", level=2)  # levels are ranked: Heading 2 is the top one used
    document.add_paragraph("要提高认识。")
    custom = _style_named(document, "我的二级标题", based_on="Heading 3")  # a custom style based on a heading
    document.add_paragraph("（一）加强学习", style=custom)
    document.add_paragraph("正文。")
    chinese = _style_named(document, "标题 3")  # WPS's Chinese name, no outline level of its own
    chinese.element.name_val = "标题 3"
    document.add_paragraph("（二）狠抓落实", style=chinese)
    outlined = document.add_paragraph("二、明确任务")  # Normal, with its own outline level
    outlined._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {NSDECL} w:val="1"/>'))
    body = document.add_paragraph("不是标题的正文。", style="Heading 2")  # a heading style told it is body text
    body._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {NSDECL} w:val="9"/>'))
    document.add_paragraph("中共某某市委组织部").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("2024年3月1日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    back = read_docx(saved(document))
    assert back.title == "在全市组织工作会议上的讲话"
    assert back.blocks == (
        Salutation("同志们："), Paragraph("今天我们召开会议。"),
        Heading(1, "一、提高认识"), Paragraph("要提高认识。"),
        Heading(2, "（一）加强学习"), Paragraph("正文。"),
        Heading(2, "（二）狠抓落实"),
        Heading(1, "二、明确任务"), Paragraph("不是标题的正文。"),
        Paragraph("中共某某市委组织部", "signature"), Paragraph("2024年3月1日", "date"),
    )
    assert back.meta.speaker is None  # python-docx's "python-docx" is no speaker


def test_a_document_without_a_title_style_takes_its_centred_first_line():
    document = docx.Document()
    document.add_paragraph("关于加强作风建设的党课讲稿").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("——在全县干部大会上的讲话").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_heading("一、总体要求", level=1)
    document.add_paragraph("正文。")
    document.core_properties.author = "李明"
    back = read_docx(saved(document))
    assert back.title == "关于加强作风建设的党课讲稿"
    assert back.blocks == (Paragraph("——在全县干部大会上的讲话", "byline"), Heading(1, "一、总体要求"), Paragraph("正文。"))
    assert back.meta.speaker == "李明"


# ---------------------------------------------------------------------------
# Another's .docx: direct formatting only (as WPS users make them)


DIRECT = [
    ("关于加强作风建设的几点思考", "center", True),
    ("同志们：", None, False),
    ("今天，我们召开这次会议，主要任务是总结工作、部署任务。", None, False),
    ("一、提高政治站位", None, True),
    ("作风建设永远在路上。我们要深刻认识作风建设的重要性。", None, False),
    ("（一）加强理论学习", None, True),
    ("要坚持学习，在学懂弄通上下功夫。", None, False),
    ("（二）狠抓工作落实", None, True),
    ("要真抓实干，在落实上见成效。", None, False),
    ("二、明确目标任务", None, True),
    ("今年的目标任务是明确的。", None, False),
]


def direct_document(lines=DIRECT):  # type: ignore[no-untyped-def]
    document = docx.Document()
    for text, align, bold in lines:
        p = document.add_paragraph()
        p.add_run(text).bold = bold
        if align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return document


def test_direct_formatting_goes_through_the_raw_rules():
    """No heading style anywhere: the raw reader's rules find the title,
    the salutation and the 一、/（一） headings, as in a raw text."""
    back = read_docx(saved(direct_document()), source="思考.docx")
    raw = read_bytes("\n".join(text for text, *_ in DIRECT).encode())
    assert back.title == raw.title == "关于加强作风建设的几点思考"
    assert back.blocks == raw.blocks
    assert [(b.level, b.text) for b in back.blocks if isinstance(b, Heading)] == [
        (1, "一、提高政治站位"), (2, "（一）加强理论学习"), (2, "（二）狠抓工作落实"), (1, "二、明确目标任务")]
    assert back.meta.source == "思考.docx"


def test_a_title_in_heading_1_over_direct_formatting_is_still_direct():
    """A heading style used only for the title (before any body text) says
    nothing about the body's headings: the raw rules read them."""
    document = direct_document(DIRECT[1:])
    first = document.paragraphs[0]
    first.insert_paragraph_before(DIRECT[0][0], style="Heading 1")
    back = read_docx(saved(document))
    assert back.title == DIRECT[0][0]
    assert [b.text for b in back.blocks if isinstance(b, Heading)] == ["一、提高政治站位", "（一）加强理论学习",
                                                                         "（二）狠抓工作落实", "二、明确目标任务"]


# ---------------------------------------------------------------------------
# Word's automatic numbering


NUMBERING = f"""
<w:abstractNum {NSDECL} w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%4）"/></w:lvl>
  <w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%5"/></w:lvl>
  <w:lvl w:ilvl="5"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\u25cf"/></w:lvl>
  <w:lvl w:ilvl="6"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="第%7章"/><w:suff w:val="space"/></w:lvl>
</w:abstractNum>"""


def numbered(document, levels: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
    """Add the abstract list above (numId 90) to ``document``'s numbering
    part; ``levels`` puts numbering in paragraph styles (style -> ilvl)."""
    numbering = document.part.numbering_part.element
    first_num = numbering.find(f"{{{W_NS}}}num")
    abstract = parse_xml(NUMBERING)
    if first_num is not None:
        first_num.addprevious(abstract)  # abstractNum elements come before num elements
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {NSDECL} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {NSDECL} w:numId="91"><w:abstractNumId w:val="90"/>'
                               f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'))
    for style, ilvl in (levels or {}).items():
        ppr = document.styles[style].element.get_or_add_pPr()
        ppr.insert(0, parse_xml(f'<w:numPr {NSDECL}><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>'))
    return document


def number(paragraph, ilvl: int, num_id: int = 90):  # type: ignore[no-untyped-def]
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {NSDECL}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def test_automatic_numbering_becomes_the_marker_text():
    document = numbered(docx.Document(), {"Heading 1": 0, "Heading 2": 1})
    document.add_paragraph("讲稿", style="Title")
    document.add_heading("提高认识", level=1)  # numbered by its style: 一、
    document.add_heading("加强学习", level=2)  # （一）
    document.add_paragraph("正文。")
    number(document.add_paragraph("第一点"), 2)  # a numbered body paragraph: 1.
    number(document.add_paragraph("第二点"), 2)  # 2.
    number(document.add_paragraph("细目"), 3)  # （1）
    number(document.add_paragraph("圈码"), 4)  # ①
    number(document.add_paragraph("要点"), 5)  # a bullet: no marker
    document.add_heading("狠抓落实", level=2)  # （二）
    document.add_heading("明确任务", level=1)  # 二、
    document.add_heading("分解任务", level=2)  # （一） again: the level restarts
    number(document.add_paragraph("总则"), 6)  # 第1章, a space after it
    number(document.add_heading("另起一段", level=1), 0, num_id=91)  # another list of the definition, from 五
    back = read_docx(saved(document))
    assert [b.text for b in back.blocks] == [
        "一、提高认识", "（一）加强学习", "正文。", "1.第一点", "2.第二点", "（1）细目", "①圈码", "要点",
        "（二）狠抓落实", "二、明确任务", "（一）分解任务", "第1章 总则", "五、另起一段"]


def test_numbered_paragraphs_without_heading_styles_read_as_headings():
    """WPS numbering on plain paragraphs: the raw rules see 一、 and （一）."""
    document = numbered(docx.Document())
    document.add_paragraph("关于加强作风建设的几点思考").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("同志们：")
    document.add_paragraph("今天，我们召开这次会议，主要任务是总结工作、部署任务。")
    number(document.add_paragraph("提高政治站位"), 0)
    document.add_paragraph("作风建设永远在路上。我们要深刻认识作风建设的重要性。")
    number(document.add_paragraph("加强理论学习"), 1)
    document.add_paragraph("要坚持学习，在学懂弄通上下功夫。")
    number(document.add_paragraph("明确目标任务"), 0)
    document.add_paragraph("今年的目标任务是明确的。")
    back = read_docx(saved(document))
    assert [(b.level, b.text) for b in back.blocks if isinstance(b, Heading)] == [
        (1, "一、提高政治站位"), (2, "（一）加强理论学习"), (1, "二、明确目标任务")]


# ---------------------------------------------------------------------------
# Tracked changes, and what the outline cannot hold


def test_tracked_changes_read_as_accepted():
    document = docx.Document()
    document.add_paragraph("标题", style="Title")
    document.add_heading("一、总体要求", level=1)
    p = document.add_paragraph("要")
    p._p.append(parse_xml(f'<w:ins {NSDECL} w:id="1" w:author="a"><w:r><w:t>坚决</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {NSDECL} w:id="2" w:author="a"><w:r><w:delText>不</w:delText></w:r></w:del>'))
    p.add_run("落实。")
    # A paragraph whose mark was deleted runs on into the next one.
    joined = document.add_paragraph("前半句，")
    joined._p.get_or_add_pPr().append(parse_xml(f'<w:rPr {NSDECL}><w:del w:id="3" w:author="a"/></w:rPr>'))
    document.add_paragraph("后半句。")
    back = read_docx(saved(document))
    assert [b.text for b in back.blocks] == ["一、总体要求", "要坚决落实。", "前半句，后半句。"]
    assert any("tracked changes" in m for m in messages(back, "docx_dropped"))


def png() -> bytes:
    """A 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0\xff\xff\xff")) + chunk(b"IEND", b""))


TEXT_BOX = f"""<w:r {NSDECL} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:100pt;height:50pt">
<v:textbox><w:txbxContent><w:p><w:r><w:t>文本框里的字</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"""


def test_what_the_outline_cannot_hold_is_dropped_with_one_warning_each():
    document = docx.Document()
    document.add_paragraph("讲稿", style="Title")
    document.add_heading("一、总体要求", level=1)
    p = document.add_paragraph("带批注的一段。")
    document.add_comment(p.runs[0], text="批注内容", author="审稿人")
    document.add_comment(p.runs[0], text="又一条", author="审稿人")
    document.add_paragraph().add_run().add_picture(io.BytesIO(png()))
    document.add_paragraph().add_run().add_picture(io.BytesIO(png()))
    boxed = document.add_paragraph("正文旁有文本框。")
    boxed._p.append(parse_xml(TEXT_BOX))
    noted = document.add_paragraph("有脚注的一句")
    noted._p.append(parse_xml(f'<w:r {NSDECL}><w:footnoteReference w:id="1"/></w:r>'))
    hidden = document.add_paragraph("看得见的字")
    hidden.add_run("隐藏的字").font.hidden = True
    document.sections[0].header.paragraphs[0].text = "某某单位内部资料"
    document.sections[0].footer.paragraphs[0].text = "第 1 页"  # a page number only: nothing lost
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([("姓名", "职务", ""), ("张三", "书记", "主讲")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    layout = document.add_table(rows=1, cols=1)  # one cell: a box around paragraphs
    layout.cell(0, 0).text = "框里的一段话。"
    layout.cell(0, 0).add_paragraph("框里的第二段。")
    back = read_docx(saved(document))
    texts = [b.text for b in back.blocks]
    assert texts == ["一、总体要求", "带批注的一段。", "正文旁有文本框。", "有脚注的一句", "看得见的字",
                     "姓名\u3000职务", "张三\u3000书记\u3000主讲", "框里的一段话。", "框里的第二段。"]
    assert not any("批注内容" in t or "文本框里的字" in t or "隐藏" in t for t in texts)
    dropped = messages(back, "docx_dropped")
    for words in ("2 comment", "2 image", "1 text box", "1 footnote", "hidden text", "page headers"):
        assert sum(words in m for m in dropped) == 1, (words, dropped)
    assert not any("footer" in m for m in dropped)
    assert messages(back, "docx_table") == ["1 table(s) read as text: 2 row(s) as paragraphs, "
                                            "their cells separated by a full-width space"]


def test_fields_show_their_results_and_hyperlinks_their_text():
    document = docx.Document()
    document.add_heading("一、总体要求", level=1)
    p = document.add_paragraph("见")
    p._p.append(parse_xml(f'<w:hyperlink {NSDECL} w:anchor="x"><w:r><w:t>第三章</w:t></w:r></w:hyperlink>'))
    for xml in ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>', '<w:r><w:instrText> PAGEREF x </w:instrText></w:r>',
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', '<w:r><w:t>12</w:t></w:r>',
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>'):
        p._p.append(parse_xml(xml.replace("<w:r>", f"<w:r {NSDECL}>")))
    p.add_run("页。")
    back = read_docx(saved(document))
    assert [b.text for b in back.blocks] == ["一、总体要求", "见第三章12页。"]


# ---------------------------------------------------------------------------
# Bad input: a clear InputError (exit 65, HTTP 422), never a traceback


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def zip_bomb() -> bytes:
    """A .docx of a few hundred KB that unpacks past the limit."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(MAX_UNPACKED // len(block) + 1):
                member.write(block)
    return buf.getvalue()


def encrypted_docx() -> bytes:
    """What Word writes for a .docx with a password: an OLE compound file
    holding an EncryptedPackage stream (enough of one for the sniff)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HH", 0x3E, 3) + bytes(486)
    return header + "EncryptedInfo".encode("utf-16-le") + bytes(64) + "EncryptedPackage".encode("utf-16-le") + bytes(1000)


def damaged_xml() -> bytes:
    good = render(Outline("讲稿", (Paragraph("正文。"),)))
    src = zipfile.ZipFile(io.BytesIO(good))
    members = {i.filename: src.read(i.filename) for i in src.infolist()}
    members["word/document.xml"] = members["word/document.xml"][:200]
    return _zip(members)


BAD = {
    "encrypted": (encrypted_docx, "password-protected"),
    "cut short": (lambda: render(Outline("讲稿", (Paragraph("正文。"),)))[:3000], "damaged"),
    "damaged xml": (damaged_xml, "damaged"),
    "plain zip": (lambda: _zip({"讲稿.txt": "正文".encode()}), "not a Word document"),
    "pptx": (lambda: _zip({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}), ".pptx"),
    "empty zip": (lambda: _zip({}), "not a Word document"),
}


@pytest.mark.parametrize("label", BAD)
def test_bad_docx_files_are_clear_input_errors(label):
    make, words = BAD[label]
    data = make()
    assert guess_format(data) == "docx"
    with pytest.raises(InputError) as err:
        load_outline(data, source="讲稿.docx")
    assert words in str(err.value)


def test_a_zip_bomb_is_refused_from_its_directory():
    bomb = zip_bomb()
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(InputError, match="zip bomb"):
        load_outline(bomb)


def test_a_docx_is_told_by_content_not_by_name():
    data = render(Outline("讲稿", (Heading(1, "一、总体要求"), Paragraph("正文。"))))
    assert guess_format(data, "讲稿.txt") == "docx"
    assert load_outline(data, source="讲稿.txt").blocks == (Heading(1, "一、总体要求"), Paragraph("正文。"))
    assert guess_format("一、总体要求".encode(), "讲稿.docx") == "raw"
    with pytest.raises(InputError, match="not a .docx"):
        load_outline("正文".encode(), fmt="docx")


# ---------------------------------------------------------------------------
# Every front door


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "converter", *args], capture_output=True, cwd=cwd, env=env, timeout=300)


@pytest.fixture()
def lecture_docx(tmp_path: Path) -> Path:
    path = tmp_path / "讲稿.docx"
    path.write_bytes(render(read_bytes(EXAMPLE.read_bytes())))
    return path


@pytest.mark.slow
def test_cli_outline_and_convert_read_a_docx(lecture_docx, tmp_path):
    r = run("outline", str(lecture_docx), "-q")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["title"].startswith("党课：淬炼作风之剑") and data["meta"]["source"] == "讲稿.docx"
    r = run("convert", str(lecture_docx), "--to", "pdf", "-o", str(tmp_path / "out"), "-q")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "讲稿.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_cli_never_overwrites_the_input(lecture_docx):
    before = hashlib.sha256(lecture_docx.read_bytes()).hexdigest()
    r = run("convert", str(lecture_docx), "--to", "docx", "-q")
    assert r.returncode == 0, r.stderr
    made = lecture_docx.with_name("讲稿.converted.docx")
    assert made.is_file()
    r = run("convert", str(lecture_docx), "--to", "docx", "--force", "-q")
    assert r.returncode == 0, r.stderr
    r = run("convert", str(lecture_docx), "--to", "docx", "-o", str(lecture_docx), "--force")
    assert r.returncode == 2 and b"is an input" in r.stderr
    r = run("convert", str(lecture_docx), "--to", "docx", "-o", str(lecture_docx.parent), "--force", "-q")
    assert r.returncode == 0
    assert hashlib.sha256(lecture_docx.read_bytes()).hexdigest() == before
    assert read_docx(made.read_bytes()).blocks == read_docx(lecture_docx.read_bytes()).blocks


@pytest.mark.slow
@pytest.mark.parametrize("label", ["encrypted", "plain zip", "cut short"])
def test_cli_bad_docx_is_one_line_and_exit_65(tmp_path, label):
    make, words = BAD[label]
    path = tmp_path / "坏.docx"
    path.write_bytes(make())
    r = run("outline", str(path))
    assert r.returncode == 65
    assert words.encode() in r.stderr and b"Traceback" not in r.stderr and len(r.stderr.splitlines()) == 1


def test_batch_picks_up_docx_but_never_outputs(tmp_path):
    from converter.batch import discover

    src = tmp_path / "lectures"
    (src / "old-out").mkdir(parents=True)
    doc = render(Outline("讲稿", (Paragraph("正文。"),)))
    (src / "第1讲.txt").write_bytes(EXAMPLE.read_bytes())
    (src / "第1讲.docx").write_bytes(doc)  # 第1讲.txt's handout, made beside it
    (src / "第2讲.docx").write_bytes(doc)  # a lecture
    (src / "第2讲.converted.docx").write_bytes(doc)  # its handout (converter convert)
    (src / "~$第2讲.docx").write_bytes(b"lock")  # Word's lock file
    (src / "old-out" / "第3讲.docx").write_bytes(doc)  # another batch's output folder
    (src / "old-out" / "manifest.json").write_text(json.dumps({"version": "1", "options": {}, "documents": []}))
    found = [str(item.rel) for item in discover([str(src)], tmp_path / "out")]
    assert found == ["第1讲.txt", "第2讲.docx"]


@pytest.mark.slow
def test_batch_converts_docx_inputs_and_spares_an_input_in_outdir(tmp_path, lecture_docx):
    src = tmp_path / "in"
    src.mkdir()
    lecture_docx.rename(src / "讲稿.docx")
    r = run("batch", str(src), "-o", str(tmp_path / "out"), "--to", "docx,pdf", "--jobs", "1", "-q")
    assert r.returncode == 0, r.stderr
    made = tmp_path / "out" / "讲稿.docx"
    assert read_docx(made.read_bytes()).blocks == read_docx((src / "讲稿.docx").read_bytes()).blocks
    # An input named inside OUTDIR would be its own output: refused, untouched.
    before = made.read_bytes()
    r = run("batch", str(made), "-o", str(tmp_path / "out"), "--to", "docx", "--jobs", "1", "-q")
    assert r.returncode == 1 and made.read_bytes() == before


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    from service_server import Server

    work = tmp_path_factory.mktemp("service-docx")
    srv = Server(work, results_dir=work / "results")
    yield srv
    srv.stop()


@pytest.mark.slow
def test_the_service_reads_a_docx_at_every_route(client):
    data = render(read_bytes(EXAMPLE.read_bytes()))
    r = client.post("/v1/outline", files={"file": ("讲稿.docx", data)})
    assert r.status_code == 200, r.text
    outline = r.json()
    assert outline["title"].startswith("党课：淬炼作风之剑") and outline["meta"]["source"] == "讲稿.docx"
    r = client.post("/v1/convert", files={"file": ("讲稿.docx", data)}, data={"to": "docx"})
    assert r.status_code == 200, r.text
    assert read_docx(r.content).blocks == read_docx(data).blocks
    r = client.post("/v1/jobs", files=[("files", ("讲稿.docx", data)), ("files", ("b.txt", EXAMPLE.read_bytes()))],
                    data={"to": "docx"})
    assert r.status_code == 202, r.text
    job = r.json()["id"]
    for _ in range(600):
        state = client.get(f"/v1/jobs/{job}").json()
        if state["state"] in ("done", "failed"):
            break
        import time

        time.sleep(0.1)
    assert state["state"] == "done", state
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/v1/jobs/{job}/result").content))
    assert {n for n in archive.namelist() if n.endswith(".docx")} >= {"讲稿.docx", "b.docx"}


@pytest.mark.slow
@pytest.mark.parametrize("label", ["encrypted", "plain zip", "cut short"])
def test_the_service_refuses_a_bad_docx_with_422(client, label):
    make, _ = BAD[label]
    r = client.post("/v1/outline", files={"file": ("讲稿.docx", make())})
    assert r.status_code == 422 and r.json()["error"] == "bad_input", r.text
    r = client.post("/v1/outline", files={"file": ("讲稿.docx", make())}, headers={"Accept-Language": "en"})
    assert BAD[label][1] in r.json()["message"]


# ---------------------------------------------------------------------------
# LibreOffice: our .docx opened and saved again reads back the same


@pytest.mark.slow
@pytest.mark.libreoffice
def test_a_docx_saved_again_by_libreoffice_reads_back_the_same(tmp_path):
    from docx_helpers import LO_REASON, soffice

    exe = soffice()
    if exe is None:
        pytest.skip(LO_REASON)
    original = read_bytes(EXAMPLE.read_bytes())
    source = tmp_path / "src" / "讲稿.docx"
    source.parent.mkdir()
    source.write_bytes(render(original))
    out = tmp_path / "out"
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "docx",
                        "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=300)
    again = (out / "讲稿.docx").read_bytes()
    assert again != source.read_bytes()
    back = read_docx(again)
    same(back, original)
