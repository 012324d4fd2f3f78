"""The .docx renderer: its plan, the document python-docx reads back, and
measurements of the PDF LibreOffice makes from it (GB/T 9704 grid, page
numbers, bookmarks, text, fonts)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx_helpers import (
    JAPANESE_OR_KOREAN,
    LO_REASON,
    POPPLER_REASON,
    Measurement,
    bundled_postscript_names,
    dash_depth,
    docx_to_pdf,
    face_postscript_name,
    line_chars,
    load_gold,
    measure,
    page_chars_agree,
    pdffonts,
    soffice,
    unseen_outline,
)

from converter.cjk import NO_LINE_START
from converter.model import Heading, Meta, Outline, Paragraph, Salutation
from converter.render import (
    RENDERERS,
    RenderOptions,
    RenderResult,
    UnknownFormatError,
    render,
    renderer,
)
from converter.render.docx import render_docx
from converter.render.docx.plan import plan_document
from converter.render.layout import (
    MIN_LAST_LINE,
    balance_lines,
    em_width,
    is_latin,
    segments,
    signature_indents,
)
from converter.theme import Theme, load_theme

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice, pytest.mark.xdist_group("docx")]  # (one LibreOffice run for the module: one xdist worker)

EPOCH = 1_700_000_000
OPTIONS = RenderOptions(source_date_epoch=EPOCH)


@pytest.fixture(scope="module")
def official() -> Theme:
    return load_theme("official")


@pytest.fixture(scope="module")
def gold() -> Outline:
    return load_gold()


def read_back(outline: Outline, theme: Theme) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(outline, theme, OPTIONS).data))


# ---------------------------------------------------------------------------
# Layout decisions (pure)


def test_segments_split_ascii_from_chinese_punctuation() -> None:
    assert segments("“四风”问题 ABC 1.8万…—é") == [("“四风”问题", False), (" ABC 1.8", True), ("万…—", False), ("é", True)]
    assert not any(is_latin(c) for c in "“”‘’—…·，。")
    assert em_width("2024年") == 3


@pytest.mark.parametrize(
    "title",
    [
        "党课：淬炼作风之剑，锻造组工精兵，为新时代组织工作高质量发展注入澎湃动能",
        "凝心聚力抓落实，担当作为开新局，奋力谱写新时代组织工作高质量发展新篇章",
        "关于进一步加强和改进新时代基层党组织建设工作的实施意见和若干具体措施规定",
        "在2024年全区经济工作会议暨优化营商环境推进大会上的讲话稿全文",
        "学习贯彻党的二十大精神专题党课讲稿",
    ],
)
def test_titles_break_into_balanced_lines(title: str) -> None:
    lines = balance_lines(title, 20)
    assert "".join(lines) == title
    assert all(em_width(line) <= 20 for line in lines)
    if len(lines) > 1:
        assert len(lines[-1]) >= MIN_LAST_LINE
        assert max(map(em_width, lines)) - min(map(em_width, lines)) <= 4
        assert not any(line[0] in NO_LINE_START for line in lines)


def test_title_prefers_breaking_after_punctuation() -> None:
    assert balance_lines("党课：淬炼作风之剑，锻造组工精兵，为新时代组织工作高质量发展注入澎湃动能", 20) == [
        "党课：淬炼作风之剑，锻造组工精兵，",
        "为新时代组织工作高质量发展注入澎湃动能",
    ]


def test_short_title_stays_on_one_line() -> None:
    assert balance_lines("同志们好", 20) == ["同志们好"]


def test_luokuan_signature_is_centred_over_the_date() -> None:
    sig, date = signature_indents("中共某区委组织部", "2024年3月15日", 4)
    assert date == 4
    assert sig + em_width("中共某区委组织部") / 2 == pytest.approx(date + em_width("2024年3月15日") / 2)
    sig, date = signature_indents("某某市某某区某某街道某某社区党委办公室", "2024年3月15日", 4)
    assert sig == 0 and date > 4


def test_plan_of_an_outline(official: Theme) -> None:
    outline = unseen_outline()
    plan = plan_document(outline, official)
    styles = [p.style for p in plan.paragraphs]
    assert styles[:4] == ["title", "byline", "byline", "salutation"]
    assert "heading4" in styles and "heading5" not in styles
    # The gap under the title group moves below the last byline.
    assert plan.paragraphs[0].space_after == 0 and plan.paragraphs[2].space_after == official.title.space_after
    sig, date = plan.paragraphs[-2], plan.paragraphs[-1]
    assert (sig.style, date.style) == ("signature", "date")
    assert date.right == 4 and sig.right is not None and sig.space_before is None
    assert plan.author == "张明" and plan.title == outline.title
    assert [p.heading_level for p in plan.paragraphs if p.heading_level] == [1, 2, 3, 4, 5, 1, 2, 2]


def test_run_in_headings_warn(official: Theme) -> None:
    outline = Outline("题", (Heading(3, "1.加强学习。", run_in=True), Paragraph("正文。")))
    plan = plan_document(outline, official)
    assert [w.code for w in plan.warnings] == ["docx_run_in_heading"]


# ---------------------------------------------------------------------------
# The registry and options


def test_registry(official: Theme, gold: Outline) -> None:
    assert RENDERERS["docx"] is render_docx and renderer("docx") is render_docx
    with pytest.raises(UnknownFormatError, match="unknown output format 'odt'; known: .*docx"):
        renderer("odt")
    result = render("docx", gold, official, OPTIONS)
    assert isinstance(result, RenderResult) and result.pages is None and result.data[:2] == b"PK"


def test_options_from_env() -> None:
    assert RenderOptions.from_env({"SOURCE_DATE_EPOCH": "86400"}).source_date_epoch == 86400
    assert RenderOptions.from_env({}).source_date_epoch is None
    assert RenderOptions.from_env({"SOURCE_DATE_EPOCH": "soon"}, toc=True) == RenderOptions(toc=True)
    assert RenderOptions(source_date_epoch=0).timestamp().year == 1970


def test_same_input_same_bytes(official: Theme, gold: Outline) -> None:
    a = render_docx(gold, official, OPTIONS).data
    b = render_docx(gold, official, OPTIONS).data
    assert a == b
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zipfile.ZipFile(io.BytesIO(a)).infolist())


# ---------------------------------------------------------------------------
# What python-docx reads back


def test_every_heading_reads_back_in_its_heading_style(official: Theme) -> None:
    for outline in (load_gold(), unseen_outline()):
        doc = read_back(outline, official)
        want = [(f"Heading {min(b.level, 4)}", b.text) for b in outline.blocks if isinstance(b, Heading)]
        got = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
        assert got == want


def test_every_block_is_one_paragraph_in_its_named_style(official: Theme) -> None:
    outline = unseen_outline()
    doc = read_back(outline, official)
    paras = doc.paragraphs
    assert paras[0].style.name == "Title" and paras[0].text == "\n".join(plan_document(outline, official).paragraphs[0].lines)
    names = {"byline": "Byline", "signature": "Signature", "date": "Date", None: "Body"}
    for p, block in zip(paras[1:], outline.blocks, strict=True):
        assert p.text == block.text
        if isinstance(block, Paragraph):
            assert p.style.name == names[block.role]
        elif isinstance(block, Salutation):
            assert p.style.name == "Salutation"


def test_ascii_runs_use_the_latin_style_and_the_rest_the_chinese_face(official: Theme) -> None:
    doc = read_back(Outline("题", (Paragraph("“GDP增长5.2%”……——"),)), official)
    runs = doc.paragraphs[1].runs
    assert [(r.text, r.style.name) for r in runs] == [
        ("“", "Default Paragraph Font"), ("GDP", "Latin"), ("增长", "Default Paragraph Font"),
        ("5.2%", "Latin"), ("”……——", "Default Paragraph Font"),
    ]
    latin = doc.styles["Latin"].element.rPr.rFonts
    assert latin.get(qn("w:ascii")) == "Times New Roman" and latin.get(qn("w:eastAsia")) is None
    body = doc.styles["Body"].element.rPr.rFonts
    assert {body.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "eastAsia", "cs")} == {"仿宋_GB2312"}


def test_styles_follow_the_theme(official: Theme) -> None:
    doc = read_back(load_gold(), official)
    xml = doc.styles.element.xml
    assert "Theme" not in xml.replace("themeFontLang", "")  # no theme-font attributes
    body = doc.styles["Body"]
    assert body.font.size.pt == 16 and body.paragraph_format.line_spacing.pt == pytest.approx(28.95)
    assert body.paragraph_format.first_line_indent.pt == 32
    ind = body.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200" and ind.get(qn("w:firstLine")) == "640"
    # justified on the grid: -0.2 pt and a right indent a point negative, so
    # that 28 characters end on the margin (emit.justified_grid)
    assert body.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-4"
    assert -40 < int(ind.get(qn("w:right"))) < 0
    assert body.element.pPr.find(qn("w:jc")).get(qn("w:val")) == "both"
    assert body.element.pPr.find(qn("w:widowControl")).get(qn("w:val")) == "1"
    for level, face in ((1, "黑体"), (2, "楷体_GB2312"), (3, "仿宋_GB2312"), (4, "仿宋_GB2312")):
        h = doc.styles[f"Heading {level}"]
        assert h.element.rPr.rFonts.get(qn("w:eastAsia")) == face
        assert h.font.color.rgb == docx.shared.RGBColor(0, 0, 0)
        assert h.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == str(level - 1)
        assert h.paragraph_format.keep_with_next
    assert doc.styles["Title"].font.size.pt == 22
    assert doc.styles["Title"].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "9"
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    widow = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:widowControl"))
    assert widow.get(qn("w:val")) == "0"


def test_page_setup_grid_and_footers(official: Theme) -> None:
    doc = read_back(load_gold(), official)
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert (round(s.top_margin.mm), round(s.bottom_margin.mm), round(s.left_margin.mm), round(s.right_margin.mm)) == (37, 35, 28, 26)
    grid = s._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = s.footer.paragraphs[0], s.even_page_footer.paragraphs[0]
    assert odd.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT and odd.paragraph_format.right_indent.pt == 16
    assert even.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT and even.paragraph_format.left_indent.pt == 16
    for p in (odd, even):
        assert "PAGE" in p._p.xml and p.text.replace("1", "") == "—  —"
        assert all(r.style.style_id == "PageNumber" for r in p.runs)
    number = next(st for st in doc.styles if st.style_id == "PageNumber")
    assert number.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"


def test_core_properties_are_reproducible(official: Theme) -> None:
    outline = replace(unseen_outline(), meta=Meta(speaker="张明", subtitle="讲话"))
    props = read_back(outline, official).core_properties
    assert props.title == outline.title and props.author == "张明" and props.subject == "讲话"
    assert props.created.timestamp() == EPOCH and props.modified == props.created
    assert props.language == "zh-CN"


def test_handout_header_and_centred_numbers() -> None:
    theme = load_theme("handout")
    doc = read_back(load_gold(), theme)
    s = doc.sections[0]
    assert not doc.settings.odd_and_even_pages_header_footer
    header = s.header.paragraphs[0]
    assert header.style.name == "Header" and header.text.startswith("党课：淬炼作风之剑") and header.text.endswith("……")
    assert em_width(header.text) <= theme.page.type_width / theme.header.font.size
    assert s.footer.paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert doc.styles["Body"].font.size.pt == 15


def test_a_user_theme_changes_faces_and_sizes(tmp_path: Path, gold: Outline) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('extends = "official"\n[body]\nface = "宋体"\nsize = "小四"\n[heading1]\nface = "方正黑体简体"\n',
                    encoding="utf-8")
    doc = read_back(gold, load_theme(path))
    assert doc.styles["Body"].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert doc.styles["Body"].font.size.pt == 12
    assert doc.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == "方正黑体简体"
    font_table = doc.part.part_related_by(docx.opc.constants.RELATIONSHIP_TYPE.FONT_TABLE).blob.decode()
    assert "方正黑体简体" in font_table


def test_table_of_contents(official: Theme) -> None:
    outline = unseen_outline()
    result = render_docx(outline, official, replace(OPTIONS, toc=True))
    doc = docx.Document(io.BytesIO(result.data))
    names = [p.style.name for p in doc.paragraphs]
    start = names.index("TOC Heading")
    assert names[:start] == ["Title", "Byline", "Byline"] and doc.paragraphs[start].text == "目录"
    entries = doc.paragraphs[start + 1 : start + 9]
    want = [(f"toc {min(b.level, 4)}", b.text) for b in outline.blocks if isinstance(b, Heading)]
    assert [(p.style.name, p.text.split("\t")[0]) for p in entries] == want
    assert all(p.text.split("\t")[1].isdigit() for p in entries)
    assert 'TOC \\o "1-4" \\u' in entries[0]._p.xml and 'w:dirty="true"' in entries[0]._p.xml
    assert 'fldCharType="end"' in entries[-1]._p.xml
    body_start = doc.paragraphs[start + 9]
    assert body_start.style.name == "Salutation" and body_start.paragraph_format.page_break_before
    assert doc.settings.element.find(qn("w:updateFields")) is not None
    assert result.warnings == ()


def test_toc_without_headings_warns(official: Theme) -> None:
    result = render_docx(Outline("题", (Paragraph("正文。"),)), official, replace(OPTIONS, toc=True))
    assert [w.code for w in result.warnings] == ["docx_toc_empty"]
    assert "TOC" not in docx.Document(io.BytesIO(result.data)).element.xml


def test_embed_fonts_adds_font_parts(official: Theme, gold: Outline) -> None:
    plain = render_docx(gold, official, OPTIONS)
    result = render_docx(gold, official, replace(OPTIONS, embed_fonts=True))
    assert result.warnings == plain.warnings
    names = zipfile.ZipFile(io.BytesIO(result.data)).namelist()
    assert sum(n.endswith(".odttf") for n in names) == len(official.faces())


def test_empty_title_and_odd_text(official: Theme) -> None:
    outline = Outline("", (Paragraph(" 前后空格 "), Paragraph("制表\t符")))
    doc = read_back(outline, official)
    assert [p.text for p in doc.paragraphs] == [" 前后空格 ", "制表\t符"]


# ---------------------------------------------------------------------------
# Measured in LibreOffice's PDF


needs_lo = pytest.mark.skipif(soffice() is None, reason=LO_REASON)
needs_poppler = pytest.mark.skipif(shutil.which("pdffonts") is None, reason=POPPLER_REASON)
CASES = [("official", "example"), ("official", "unseen"), ("handout", "example"), ("handout", "unseen")]


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[Measurement, Theme, Outline, Path]]:
    if soffice() is None:
        pytest.skip(LO_REASON)
    out = tmp_path_factory.mktemp("pdf")
    jobs = []
    for theme_name, doc_name in CASES:
        theme = load_theme(theme_name)
        outline = load_gold() if doc_name == "example" else unseen_outline()
        path = out / f"{theme_name}-{doc_name}.docx"
        path.write_bytes(render_docx(outline, theme, OPTIONS).data)
        jobs.append((path, theme, outline))
    pdfs = docx_to_pdf([j[0] for j in jobs], out)
    return {
        case: (measure(pdf, outline, theme), theme, outline, pdf)
        for case, pdf, (_, theme, outline) in zip(CASES, pdfs, jobs)
    }


@needs_lo
def test_the_measurements_read_pdfplumbers_chars_in_libreoffices_pdf(measured) -> None:  # type: ignore[no-untyped-def]
    """docx_helpers.page_chars (what measure reads) is pdfplumber's
    page.chars, faster: the same values for every character LibreOffice drew."""
    assert page_chars_agree(measured[("official", "unseen")][3]) > 1000


@needs_lo
@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_pdf_text_equals_the_outline(measured, case) -> None:  # type: ignore[no-untyped-def]
    m = measured[case][0]
    assert m.problems == []


@needs_lo
@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_full_pages_hold_the_grid(measured, case) -> None:  # type: ignore[no-untyped-def]
    m, theme, _, _ = measured[case]
    n = theme.grid.lines_per_page
    assert m.full_pages(), "too short to have a full page"
    for page in m.full_pages():
        lines = m.lines_on(page)
        deficit = n - len(lines)
        # Widow control and keep-with-next end a page a few lines short: at
        # most a two-line heading, the blank before it and two lines of text.
        assert deficit <= 5, f"page {page} holds {len(lines)} lines"
    assert all(len(m.lines_on(p)) <= n for p in range(1, m.pages + 1))


@needs_lo
@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_full_lines_hold_the_grid(measured, case) -> None:  # type: ignore[no-untyped-def]
    """≥95% of full lines (≥85% when justified) hold exactly chars_per_line characters, none fewer
    than one less or more than one more.  Lines with Latin text are measured
    separately: LibreOffice adds space between Chinese and Latin text (it
    ignores w:autoSpaceDE), so they only have to be full (the next word
    would not have fitted)."""
    m, theme, _, _ = measured[case]
    n = theme.grid.chars_per_line
    advance = theme.char_width + theme.char_spacing(theme.body)
    right = theme.page.width - theme.page.margin_right
    full = m.full_lines()
    cjk = [ln for ln in full if not any(is_latin(c) for c in ln.text.strip())]
    mixed = [ln for ln in full if ln not in cjk]
    assert len(cjk) >= 40
    exact = sum(1 for ln in cjk if line_chars(ln, theme) == n)
    # A justified body (两端对齐, issue 14 item 2) cannot hang a mark in
    # LibreOffice (it would drop it): the character before the mark moves
    # down with it, as in our PDF without hanging (about one line in eight).
    share = 0.85 if theme.body.align == "justify" else 0.95
    assert exact / len(cjk) >= share, f"{exact} of {len(cjk)} full lines hold {n}"
    for ln in cjk:
        count = line_chars(ln, theme)
        following = m.body[m.body.index(ln) + 1].text
        # LibreOffice hangs one mark; a character followed by two closing
        # marks (质。”) moves down whole.
        moved_two = following[1:3] and all(c in NO_LINE_START for c in following[1:3])
        assert n - (2 if moved_two else 1) <= count <= n + 1, f"{count}: {ln.text}"
    for ln in mixed:
        assert right - ln.x1 < 2 * advance, f"not full: {ln.text}"
        assert ln.x1 <= right + advance, f"overflows: {ln.text}"


@needs_lo
@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_page_numbers(measured, case) -> None:  # type: ignore[no-untyped-def]
    m, theme, _, pdf = measured[case]
    pn = theme.page_number
    left, right = theme.page.margin_left, theme.page.width - theme.page.margin_right
    inset = pn.inset * theme.char_width
    assert sorted(m.footer) == list(range(1, m.pages + 1))
    for page, line in m.footer.items():
        assert line.text.replace(" ", "") == f"—{page}—"
        assert line.text.startswith("— ") and line.text.endswith(" —")
        if pn.position == "outside" and page % 2:
            assert line.x1 == pytest.approx(right - inset, abs=2)
        elif pn.position == "outside":
            assert line.x0 == pytest.approx(left + inset, abs=2)
        else:
            assert (line.x0 + line.x1) / 2 == pytest.approx(theme.page.width / 2 + (left - (theme.page.width - right)) / 2, abs=2)
        if page <= 2:  # GB/T 9704: 一字线上距版心下边缘 7 mm
            assert dash_depth(pdf, line, theme) == pytest.approx(pn.below_type_area, abs=2.5)


@needs_lo
@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_one_bookmark_per_heading(measured, case) -> None:  # type: ignore[no-untyped-def]
    m, _, outline, _ = measured[case]
    want = [(min(b.level, 4), b.text) for b in outline.blocks if isinstance(b, Heading)]
    assert m.bookmarks == want


@needs_lo
@needs_poppler
@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_fonts_are_the_bundled_faces(measured, case) -> None:  # type: ignore[no-untyped-def]
    m, theme, _, pdf = measured[case]
    bundled = bundled_postscript_names()
    latin = face_postscript_name(theme.latin.face)
    names = set(pdffonts(pdf))
    assert not [n for n in names if JAPANESE_OR_KOREAN.search(n)]
    assert names <= bundled | {latin}, names - bundled
    expected = {kind: face_postscript_name(role.font.face) for kind, role in theme.roles.items()}
    expected["date"] = expected["signature"]
    for line in m.body:
        cjk_fonts = line.fonts - {latin}
        assert cjk_fonts == {expected[m.kinds[line.block]]}, (line.text, line.fonts)
    number_face = face_postscript_name(theme.page_number.font.face)
    assert all(line.fonts == {number_face} for line in m.footer.values())
    for line in m.header.values():
        assert line.fonts - {latin} == {face_postscript_name(theme.header.font.face)}


@needs_lo
@needs_poppler
def test_toc_page_numbers_match_libreoffice(tmp_path: Path) -> None:
    """The estimated page of every TOC entry is the page LibreOffice puts
    the heading on; the TOC adds no bookmark."""
    import re

    import pdfplumber

    jobs = []
    for theme_name, outline in (("official", load_gold()), ("handout", load_gold()), ("handout", unseen_outline())):
        theme = load_theme(theme_name)
        path = tmp_path / f"toc-{theme_name}-{len(jobs)}.docx"
        path.write_bytes(render_docx(outline, theme, replace(OPTIONS, toc=True)).data)
        jobs.append((path, theme, outline))
    for pdf, (_, theme, outline) in zip(docx_to_pdf([j[0] for j in jobs], tmp_path), jobs):
        plan = plan_document(outline, theme, toc=True)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        pages = [re.sub(r"\s+", "", page) for page in text.split("\f")]
        with pdfplumber.open(pdf) as doc:
            bookmarks = list(doc.doc.get_outlines())
        toc_text = "".join(pages)[: "".join(pages).index(re.sub(r"\s", "", plan.paragraphs[plan.toc_at].text)[:10])]
        for entry in plan.toc:
            key = re.sub(r"\s+", "", entry.text)
            # in the TOC: the entry, a dot leader, the number
            assert re.search(re.escape(key[-1]) + r"\.+" + str(entry.page), toc_text), entry.text
            # in the body: the heading's first characters, on the last page that has them
            body_page = max(i + 1 for i, text in enumerate(pages) if key[:10] in text)
            assert body_page == entry.page, entry.text
        assert len(bookmarks) == len(plan.toc)
