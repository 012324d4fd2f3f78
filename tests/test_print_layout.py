"""Pagination, justification and the running header (issue 14 items 1, 2, 8).

The page breaker and the header fitting alone (pure), the .docx's Word
properties in its plan and XML, and the rendered PDFs measured line by line
(``print_layout.strands``): our PDF, and LibreOffice's PDF of our .docx, of
the example and the six longest real texts.  ``python tests/print_layout.py``
measures the whole corpus.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from docx_helpers import LO_REASON, load_gold, soffice
from print_layout import corpus, measure_all

from converter.model import Heading, Outline, Paragraph
from converter.render import RenderOptions
from converter.render.docx import render_docx
from converter.render.docx.emit import justified_grid
from converter.render.docx.plan import _block, header_capacity, plan_document
from converter.render.layout import FlowBlock, em_width, page_starts, paginate_lines, running_header
from converter.render.pdf.plan import plan_pdf
from converter.theme import load_theme
from converter.words import word_spans

OPTIONS = RenderOptions(source_date_epoch=0)
LONGEST = 6  # real texts measured in the test suite (the corpus script measures all)


def text(n: int) -> FlowBlock:
    return FlowBlock(rows=(1,) * n)


def heading(n: int = 1) -> FlowBlock:
    return FlowBlock(rows=(1,) * n, before=1, keep=True)


def pages_of(blocks: list[FlowBlock], capacity: int) -> list[list[tuple[int, int]]]:
    """(block, line) per page."""
    where = [(b, k) for b, block in enumerate(blocks) for k in range(len(block.rows))]
    starts = page_starts(blocks, capacity) + [len(where)]
    return [where[a:b] for a, b in zip(starts, starts[1:])]


# ---------------------------------------------------------------------------
# The page breaker (layout.page_starts)


def test_pages_fill_the_grid_when_nothing_strands() -> None:
    pages = pages_of([text(10), text(10), text(10)], 22)
    assert [len(p) for p in pages] == [22, 8]


def test_no_orphan_first_line_at_the_foot() -> None:
    # 21 lines, then a paragraph whose first line alone would end the page
    pages = pages_of([text(21), text(5)], 22)
    assert [len(p) for p in pages] == [21, 5]


def test_no_widow_last_line_at_the_top() -> None:
    # 23 lines of one paragraph: its last line alone would start page 2
    pages = pages_of([text(23), text(4)], 22)
    assert [len(p) for p in pages] == [21, 6]


def test_a_heading_keeps_two_lines_of_its_text() -> None:
    # 20 lines, blank, heading: the heading and one line would fit
    pages = pages_of([text(20), heading(), text(6)], 23)
    assert pages[1][0] == (1, 0)
    # a one-line paragraph under it does not count as two
    pages = pages_of([text(18), heading(), text(1), text(6)], 22)
    assert pages[1][0] == (1, 0)


def test_the_closing_never_starts_a_page() -> None:
    closing = FlowBlock(rows=(1,), before=1, closing=True)
    pages = pages_of([text(21), text(1), closing, FlowBlock(rows=(1,), closing=True)], 22)
    first_of_last = pages[-1][0]
    assert first_of_last[0] < 2, "the 落款 starts a page without the body"


def test_a_last_page_holds_three_lines() -> None:
    pages = pages_of([text(10), text(12), text(2)], 22)
    assert len(pages[-1]) >= 3 and sum(map(len, pages)) == 24


def test_unbreakable_text_still_fills_pages() -> None:
    # one heading of 30 lines: no break obeys the rules, so pages are filled
    assert [len(p) for p in pages_of([heading(30), text(3)], 22)] == [22, 11]


# ---------------------------------------------------------------------------
# The running header (layout.running_header)


@pytest.mark.parametrize("title", [
    "凝心聚力抓落实，担当作为开新局，奋力谱写新时代组织工作高质量发展新篇章",
    "决胜全面建成小康社会 夺取新时代中国特色社会主义伟大胜利——在中国共产党第十九次全国代表大会上的报告",
    "党课：淬炼作风之剑，锻造组工精兵，为新时代组织工作高质量发展提供坚强保障",
])
def test_running_header_fits_on_whole_words(title: str) -> None:
    for capacity in (33, 26, 20):
        head = running_header(title, capacity)
        assert em_width(head) <= capacity
        body = head.removesuffix("……")
        assert title.startswith(body)
        if head.endswith("……"):
            # cut between words (jieba's), never inside one
            cut = len(body)
            assert not any(a < cut < b for a, b in word_spans(title)), f"{head} cuts a word"


def test_short_title_is_the_header_whole() -> None:
    assert running_header("关于加强作风建设的意见", 33) == "关于加强作风建设的意见"
    # the main title before a subtitle, when it fits
    assert running_header("奋力谱写新篇章——在全区组织工作会议上的讲话" * 2, 33) == "奋力谱写新篇章"


def test_pdf_and_docx_carry_the_same_header_and_not_on_page_one() -> None:
    theme = load_theme("handout")
    outline = load_gold()
    want = running_header(outline.title, header_capacity(theme))
    assert plan_document(outline, theme).header_text == want
    plan = plan_pdf(outline, theme)
    furniture = [[line.text for line in page.furniture] for page in plan.pages]
    assert want not in furniture[0]
    assert all(want in texts for texts in furniture[1:])


def test_docx_has_a_first_page_without_the_header() -> None:
    data = render_docx(load_gold(), load_theme("handout"), OPTIONS).data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        document = z.read("word/document.xml").decode()
        headers = {n: z.read(n).decode() for n in z.namelist() if n.startswith("word/header")}
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
    assert "<w:titlePg/>" in document and 'w:type="first"' in document
    assert sum(1 for x in headers.values() if "党课" in x) == len(headers) - 1
    assert all("PAGE" in f for f in footers), "every footer, page 1's too, numbers the page"


# ---------------------------------------------------------------------------
# The .docx: Word's own properties


def test_docx_body_is_justified_and_widow_controlled() -> None:
    theme = load_theme("official")
    data = render_docx(load_gold(), theme, OPTIONS).data
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    body = styles[styles.index('w:styleId="Body"'):]
    body = body[: body.index("</w:style>")]
    assert '<w:jc w:val="both"/>' in body and '<w:widowControl w:val="1"/>' in body
    heading = styles[styles.index('w:styleId="Heading1"'):]
    heading = heading[: heading.index("</w:style>")]
    assert "<w:keepNext/>" in heading and "<w:keepLines/>" in heading


def test_justified_grid_fills_the_measure() -> None:
    theme = load_theme("official")
    spacing, right = justified_grid(theme, theme.body)
    n = theme.grid.chars_per_line
    measure = theme.page.type_width - right / 20
    advance = theme.body.font.size + spacing / 20
    assert n * advance <= measure < n * advance + 2  # a full line ends within 2 pt of the margin
    assert 2 * theme.char_width + (n - 2) * advance <= measure  # and so does a first line
    assert right <= 0


def test_docx_plan_keeps_the_closing_with_the_body() -> None:
    theme = load_theme("official")
    outline = Outline(title="标题", blocks=(
        Heading(1, "一、总体要求"),
        Paragraph("短。"),
        Paragraph("正文" * 100),
        Paragraph("正文。"),
        Paragraph("中共某区委组织部", "signature"),
        Paragraph("2024年3月15日", "date"),
    ))
    paras = plan_document(outline, theme).paragraphs
    keep = [(p.style, p.keep_next) for p in paras]
    assert keep == [("title", False), ("heading1", False), ("body", True), ("body", False), ("body", True),
                    ("signature", True), ("date", False)]
    # without a 落款: the last page keeps three lines
    outline = Outline(title="标题", blocks=(Paragraph("正文" * 100), Paragraph("结束。")))
    paras = plan_document(outline, theme).paragraphs
    assert paras[1].keep_next and paras[2].keep_lines


def test_page_estimate_sends_two_lines_over_not_one() -> None:
    """Widow control as Word applies it: a paragraph that would leave one
    line on the next page leaves two."""
    placed = paginate_lines([(11, 10.0, 0.0, 0.0, False, False), (10, 10.0, 0.0, 0.0, False, False)], 200.0)
    assert placed[1] == (1, (1,) * 8 + (2,) * 2)


def test_docx_keeps_a_last_paragraph_whole_rather_than_leave_two_lines() -> None:
    """A last paragraph of six or seven lines that would split with fewer
    than three lines on the last page is kept whole (the page before it
    ends at most five lines short); where it would not, it is left to
    split."""
    theme = load_theme("official")
    kept = 0
    for filler in range(10, 60):
        outline = Outline(title="标题", blocks=(Paragraph("正文" * 14 * filler), Paragraph("结束语" * 60)))
        paras = list(plan_document(outline, theme).paragraphs)
        last = paras[-1]
        placed = paginate_lines([_block(theme, p) for p in paras], theme.page.type_height)
        final = placed[-1][1][-1]
        on_final = sum(1 for _, pages in placed for page in pages if page == final)
        moved = sum(1 for page in placed[-1][1] if page != final)
        if last.keep_lines:
            kept += 1
            assert 0 < moved <= 5 and on_final < 3, filler
        else:
            assert on_final >= 3 or moved == 0 or moved > 5, filler
    assert kept, "no filler length made the last paragraph split short: the test checks nothing"


# ---------------------------------------------------------------------------
# Measured from the rendered PDFs


@pytest.fixture(scope="module")
def texts() -> list[tuple[str, Outline]]:
    return corpus(LONGEST, longest=True)


def _assert_no_strands(results: dict, ragged: bool = True) -> None:
    for name, s in results.items():
        assert s.problems == [], f"{name}: {s.problems}"
        assert s.headings == [], f"{name}: headings stranded {s.headings}"
        assert s.widows == [] and s.orphans == [], f"{name}: widows {s.widows}, orphans {s.orphans}"
        assert not s.short_last_page, f"{name}: {s.short_last_page} lines on the last page"
        assert not s.closing_alone, f"{name}: the 落款 alone on its page"
        assert not s.header_on_first_page, f"{name}: running header on page 1"
        if ragged:
            assert s.ragged == [], f"{name}: {len(s.ragged)} ragged of {s.mid_lines}: {s.ragged[:3]}"


@pytest.mark.slow  # (renders the example and several real texts to PDF: seconds each)
@pytest.mark.parametrize("theme_name", ["official", "handout"])
def test_pdf_pages_strand_nothing(texts, theme_name: str) -> None:
    _assert_no_strands(measure_all(texts, load_theme(theme_name), "pdf"))


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.skipif(soffice() is None, reason=LO_REASON)
def test_docx_pages_strand_nothing_in_libreoffice(texts) -> None:
    """Word's properties (widow control, keep with next, keep lines) as
    LibreOffice honours them, and every full body line justified to the
    margin."""
    _assert_no_strands(measure_all(texts, load_theme("official"), "docx"))


def _strands(blocks: list[FlowBlock], pages: list[list[tuple[int, int]]]) -> list[str]:
    """What a page break strands, judged independently of the breaker."""
    page_of = {pos: n for n, page in enumerate(pages) for pos in page}
    out = []
    for b, block in enumerate(blocks):
        n = len(block.rows)
        first, last = page_of[(b, 0)], page_of[(b, n - 1)]
        if n >= 2 and page_of[(b, 1)] != first:
            out.append(f"orphan {b}")
        if n >= 2 and page_of[(b, n - 2)] != last:
            out.append(f"widow {b}")
        if block.keep:
            if first != last:
                out.append(f"heading {b} split")
            after = [pos for pos in page_of if pos[0] > b and not blocks[pos[0]].keep]
            under = [pos for pos in after if page_of[pos] == last]
            if len(under) < min(2, len(after)):
                out.append(f"heading {b} with {len(under)} lines under it")
        if block.closing and b and page_of[(b - 1, len(blocks[b - 1].rows) - 1)] != first:
            out.append(f"closing {b} alone")
    if len(pages) > 1 and len(pages[-1]) < 3:
        out.append("short last page")
    return out


@given(st.lists(st.tuples(st.integers(1, 15), st.booleans()), min_size=1, max_size=25), st.integers(0, 2))
@settings(max_examples=300, deadline=None)
def test_page_breaks_strand_nothing_and_fill_pages(spec: list[tuple[int, bool]], closing: int) -> None:
    """Random flows of text (1-15 lines), headings (never two in a row,
    never last) and a 落款 of 0-2 lines: every page fits, nothing is
    stranded, and a page ends short only where the next line could not
    have come up without stranding something."""
    blocks: list[FlowBlock] = []
    for lines, is_heading in spec:
        if is_heading and blocks and not blocks[-1].keep:
            blocks.append(heading(1 + lines % 2))
        blocks.append(FlowBlock(rows=(1,) * lines, before=0))
    blocks += [FlowBlock(rows=(1,), before=1 if i == 0 else 0, closing=True) for i in range(closing)]
    capacity = 22
    pages = pages_of(blocks, capacity)
    assert sum(map(len, pages)) == sum(len(b.rows) for b in blocks)
    assert _strands(blocks, pages) == []
    # Each page but the last two is as full as the rules allow: one more
    # line on it (with the breaker's own rules) would strand something or
    # overflow.
    where = [(b, k) for b, block in enumerate(blocks) for k in range(len(block.rows))]
    starts = page_starts(blocks, capacity)
    for n, start in enumerate(starts[1:-1], start=1):
        moved = starts[:n] + [start + 1] + starts[n + 1:]
        bounds = moved + [len(where)]
        trial = [where[a:b] for a, b in zip(bounds, bounds[1:])]
        rows = 0
        for b, k in trial[n - 1]:
            rows += (blocks[b].before if k == 0 and rows else 0) + blocks[b].rows[k]
            rows += blocks[b].after if k == len(blocks[b].rows) - 1 else 0
        overflow = rows - (blocks[trial[n - 1][-1][0]].after if trial[n - 1][-1][1] == len(blocks[trial[n - 1][-1][0]].rows) - 1 else 0) > capacity
        assert overflow or _strands(blocks, trial), f"page {n} could hold one more line"
