"""The slide deck's plan, without python-pptx: sentence splitting, quotation
extraction, extractive bullets, the fitter, and the plan of whole decks
(slide kinds, notes that lose nothing, bullets that are the lecture's own
words, every text box fitted).

The plan needs box sizes; GEOMETRY is the bundled official deck's (16:9,
960 × 540 pt), written out here so these tests need no .pptx reader.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from converter.model import Heading, Meta, Outline, Paragraph
from converter.reader import read_bytes
from converter.render.pptx.fit import (
    LINE_HEIGHT,
    Box,
    Insets,
    Measure,
    ParaSpec,
    fit,
    line_width,
    sizes,
    split_fit,
    usable_height,
)
from converter.render.pptx.plan import (
    AGENDA_TITLE,
    CONTINUED,
    MAX_BULLET_CHARS,
    OPENING_TITLE,
    DeckPlan,
    Geometry,
    LayoutFrames,
    plan_deck,
)
from converter.render.pptx.text import (
    condense,
    quotations,
    split_sentences,
    split_title,
)
from converter.theme import load_theme

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "lecture.txt"

GEOMETRY = Geometry(960.0, 540.0, {
    "title": LayoutFrames(Box(64.8, 97.2, 830.2, 194.4), Box(64.8, 324.0, 830.2, 136.8)),
    "section": LayoutFrames(Box(64.8, 138.2, 830.2, 153.4), Box(64.8, 311.0, 830.2, 136.8)),
    "content": LayoutFrames(Box(49.0, 7.2, 871.2, 66.2), Box(54.0, 102.2, 851.8, 391.0)),
    "closing": LayoutFrames(Box(64.8, 136.8, 830.2, 151.2), Box(64.8, 320.4, 830.2, 129.6)),
})


def mono(em: float = 1.0) -> Measure:
    """Every character ``em`` wide: fitting by arithmetic."""
    return Measure(lambda size: (lambda ch: em * size))


@pytest.fixture(scope="module")
def example() -> Outline:
    return read_bytes(EXAMPLE.read_bytes(), source=EXAMPLE.name)


@pytest.fixture(scope="module")
def official_plan(example: Outline) -> DeckPlan:
    return plan_deck(example, load_theme("official"), GEOMETRY)


def test_runs_without_python_pptx() -> None:
    # The registry imports the pptx renderer, which must not load python-pptx
    # until a deck is rendered.
    import subprocess

    code = ("import sys; sys.modules['pptx'] = None\n"
            "import converter.render, converter.render.pptx.plan\n"
            "assert 'pptx' in converter.render.RENDERERS\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


# ---------------------------------------------------------------------------
# Sentences


@pytest.mark.parametrize("text, pieces", [
    ("第一句。第二句！第三句？第四句；第五句",
     ["第一句。", "第二句！", "第三句？", "第四句；", "第五句"]),
    # not inside quotation marks; a quotation ending in 。” ends the sentence
    ("他指出：“一要学。二要干；三要守。”我们照办。",
     ["他指出：“一要学。二要干；三要守。”", "我们照办。"]),
    ("《关于严肃党内政治生活的若干准则；条例》很重要。", ["《关于严肃党内政治生活的若干准则；条例》很重要。"]),
    ("真的吗？！是的……", ["真的吗？！", "是的……"]),
    # enumerations
    ("要做到三点：一是加强学习，二是改进作风，三是狠抓落实。",
     ["要做到三点：", "一是加强学习，", "二是改进作风，", "三是狠抓落实。"]),
    ("第一，提高站位；第二，压实责任。", ["第一，提高站位；", "第二，压实责任。"]),
    ("首先要学深悟透，其次要联系实际。", ["首先要学深悟透，", "其次要联系实际。"]),
    # words that only look like items
    ("思想统一是前提，第一书记要带头，最后一公里要打通。", ["思想统一是前提，第一书记要带头，最后一公里要打通。"]),
])
def test_split_sentences(text: str, pieces: list[str]) -> None:
    assert split_sentences(text) == pieces
    assert "".join(split_sentences(text)) == text


def test_sentences_cover_the_example(example: Outline) -> None:
    for block in example.blocks:
        assert "".join(split_sentences(block.text)) == block.text


# ---------------------------------------------------------------------------
# Quotations


def test_quotation_with_speaker() -> None:
    text = "习近平总书记深刻指出，“党的作风就是党的形象，关系人心向背。”我们要牢记。"
    (q,) = quotations([text])
    assert q.quote == "“党的作风就是党的形象，关系人心向背。”"
    assert q.speaker == "习近平总书记"
    assert q.sentence.text == "习近平总书记深刻指出，“党的作风就是党的形象，关系人心向背。”"


@pytest.mark.parametrize("text, speaker", [
    ("正如古人所说：“知之愈明，则行之愈笃。”", "古人"),
    ("习近平总书记在全国组织工作会议上强调：“组织路线是为政治路线服务的。”", "习近平总书记"),
    ("总书记教导我们，“对党忠诚，是共产党人首要的政治品质。”", "总书记"),
])
def test_quotation_speakers(text: str, speaker: str) -> None:
    (q,) = quotations([text])
    assert q.speaker == speaker and q.quote in text


@pytest.mark.parametrize("text", [
    "把“两个维护”落到实处。",  # a term in quotation marks, not a quotation
    "我们常说，“门好进、脸好看”。",  # 我们 is not a speaker to attribute
    "深刻领悟习近平总书记“作风建设必须常抓不懈”的重要指示。",  # no verb of saying
])
def test_not_quotations(text: str) -> None:
    assert quotations([text]) == []


def test_quotations_in_the_example(example: Outline) -> None:
    found = quotations([b.text for b in example.blocks if isinstance(b, Paragraph)])
    assert len(found) >= 6
    assert all(q.speaker == "习近平总书记" for q in found)
    assert "“江山就是人民、人民就是江山。”" in [q.quote for q in found]


# ---------------------------------------------------------------------------
# Bullets


def test_bullets_are_verbatim_and_short(example: Outline) -> None:
    paras = [b.text for b in example.blocks if isinstance(b, Paragraph)]
    for k in range(len(paras)):
        bullets = condense(paras[k : k + 1])
        assert 1 <= len(bullets) <= 5
        for b in bullets:
            assert len(b.text) <= MAX_BULLET_CHARS
            assert paras[k][b.span.start : b.span.end] == b.text
            assert not b.text.endswith(("，", "。", "、", "；"))
            assert b.text.count("“") == b.text.count("”")


def test_key_sentence_last_is_kept() -> None:
    text = ("今天我们召开这次会议。会议的议程已经印发。各单位作了准备。会场安排在三楼。"
            "时间安排比较紧凑。材料在会前已经分发。抓好作风建设，关键在于领导干部必须以上率下、以身作则。")
    bullets = condense([text])
    assert bullets[-1].text == "抓好作风建设，关键在于领导干部必须以上率下、以身作则"
    assert 3 <= len(bullets) <= 5


def test_long_sentence_is_cut_at_a_clause() -> None:
    text = ("作风建设成效的巩固深化，根本在于建立起科学完备、运行有效的长效机制，"
            "这需要各级党组织持之以恒、久久为功，不断把制度优势转化为治理效能。")
    (b,) = condense([text], count=1)
    assert len(b.text) <= 40 and b.text in text
    assert b.text == "作风建设成效的巩固深化，根本在于建立起科学完备、运行有效的长效机制"


def test_enumeration_items_become_bullets() -> None:
    text = "做好今年工作，要把握三点：一是必须加强政治建设，二是必须压实主体责任，三是必须严明纪律规矩。"
    texts = [b.text for b in condense([text])]
    assert texts == ["必须加强政治建设", "必须压实主体责任", "必须严明纪律规矩"]


def test_a_quotation_shown_as_callout_is_not_a_bullet() -> None:
    text = "习近平总书记强调，“坚持以上率下，形成‘头雁效应’。”这是成功经验。我们必须率先垂范。要敢于亮剑。"
    (q,) = quotations([text])
    assert all("头雁" not in b.text for b in condense([text], exclude=[q.sentence]))


@pytest.mark.parametrize("heading, title, subtitle", [
    ("（一）熔铸忠诚之魂：将过硬作风作为践行“两个维护”的最直接检验",
     "熔铸忠诚之魂", "将过硬作风作为践行“两个维护”的最直接检验"),
    ("一、提高政治站位", "提高政治站位", None),
    ("第二部分　深化改革", "深化改革", None),
    ("（二）加强学习。", "加强学习", None),
    ("3.“四风”问题：新表现", "“四风”问题", "新表现"),
])
def test_split_title(heading: str, title: str, subtitle: str | None) -> None:
    assert split_title(heading) == (title, subtitle)


# ---------------------------------------------------------------------------
# The fitter


BOX = Box(0, 0, 400 / 0.97 + 14.4, 200)  # 400 pt lines, usable height 0.9 × 192.8 pt


def test_fits_at_the_largest_size() -> None:
    found = fit([ParaSpec("短句")], BOX, Insets(), sizes(28, 18), mono())
    assert found is not None and found.size == 28 and found.lines == (("短句",),)


def test_needs_a_smaller_size() -> None:
    # 28 pt: 14 a line, 6 lines × 33.6 pt > 173.5 pt; 26 pt: 15 a line, 6 × 31.2 pt,
    # still too tall; 24 pt: 16 a line, 5 × 28.8 pt fits.
    text = "字" * 80
    found = fit([ParaSpec(text, balanced=False)], BOX, Insets(), sizes(28, 18), mono())
    assert found is not None and found.size == 24
    assert "".join(found.lines[0]) == text
    assert found.height == pytest.approx(5 * LINE_HEIGHT * 24)
    assert found.height <= usable_height(BOX.h, Insets())


def test_needs_a_continuation_slide() -> None:
    paras = [ParaSpec("字" * 44, gap=0.5 if k else 0.0, balanced=False) for k in range(6)]
    assert fit(paras, BOX, Insets(), sizes(28, 18), mono()) is None
    groups = split_fit(paras, BOX, Insets(), sizes(28, 18), mono())
    assert len(groups) == 2
    assert [len(g) for g, _ in groups] == [3, 3]
    assert groups[0][1].size == groups[1][1].size  # continued slides match
    assert [p.text for g, _ in groups for p in g] == [p.text for p in paras]  # nothing lost
    assert groups[1][0][0].gap == 0.0  # a box's first paragraph has no space before it


def test_a_paragraph_taller_than_any_box_is_cut_between_lines() -> None:
    text = "字" * 400
    groups = split_fit([ParaSpec(text, balanced=False)], BOX, Insets(), sizes(28, 18), mono())
    assert len(groups) > 1
    assert "".join(p.text for g, _ in groups for p in g) == text


def test_balanced_lines_break_after_punctuation() -> None:
    text = "人民立场是我们党的根本政治立场，组织工作的最终落脚点在于服务人民、造福人民"
    found = fit([ParaSpec(text)], Box(0, 0, 30 * 20 / 0.97 + 14.4, 300), Insets(), [20], mono())
    assert found is not None
    assert found.lines[0] == ("人民立场是我们党的根本政治立场，", "组织工作的最终落脚点在于服务人民、造福人民")


def test_real_metrics_latin_is_narrower(official_plan: DeckPlan) -> None:
    from converter.render.pptx.plan import TextMeasures

    measure = TextMeasures(load_theme("official")).measure("body")
    assert measure(20)("字") == pytest.approx(20.0)
    assert measure(20)("a") < 15


# ---------------------------------------------------------------------------
# Whole decks


def kinds(plan: DeckPlan) -> list[str]:
    return [s.kind + ("+" if s.continued else "") for s in plan.slides]


def test_example_deck_structure(official_plan: DeckPlan, example: Outline) -> None:
    got = kinds(official_plan)
    assert got[0] == "title" and got[-1] == "closing"
    assert got.count("title") == 1 and got.count("closing") == 1
    assert got.count("agenda") == 1
    assert got.count("section") == 2
    assert got.count("opening") == 1
    assert got.count("content") == 6
    assert got == ["title", "agenda", "opening", "section", "content", "content", "content",
                   "section", "content", "content", "content", "closing"]
    # Bullets in one size over the deck, and a second one 4 pt smaller for
    # the two subsections whose four bullets and quotation would otherwise
    # continue on a slide of two.
    sizes = {p.size for s in official_plan.slides if s.kind == "content" for p in s.box("body").paras}
    assert sizes == {26.0, 22.0}
    titles = [s.box("title").text for s in official_plan.slides if not s.continued]
    assert titles[1] == AGENDA_TITLE and titles[2] == OPENING_TITLE
    assert titles[4:7] == ["熔铸忠诚之魂", "筑牢宗旨之基", "稳固事业之锚"]
    assert all(s.numbered for s in official_plan.slides[1:]) and not official_plan.slides[0].numbered


def assert_nothing_lost(plan: DeckPlan, outline: Outline) -> None:
    """Every block of the outline is in some slide's notes, verbatim."""
    covered = [i for s in plan.slides for i in s.covers]
    assert sorted(set(covered)) == list(range(len(outline.blocks))), "a block is in no slide's notes"
    for s in plan.slides:
        for i in s.covers:
            assert outline.blocks[i].text in s.notes


def assert_bullets_from_source(plan: DeckPlan, outline: Outline) -> None:
    source = "\n".join(b.text for b in outline.blocks)
    for s in plan.slides:
        if s.kind in ("content", "opening"):
            body = s.box("body")
            for p in body.paras if body else ():
                assert p.text in source, p.text
                assert len(p.text) <= MAX_BULLET_CHARS


def assert_fitted(plan: DeckPlan, theme_name: str) -> None:
    """Every box's lines fit it: widths on real metrics, heights by pitch."""
    from converter.render.pptx.plan import TextMeasures

    fonts = TextMeasures(load_theme(theme_name))
    for s in plan.slides:
        assert 0 <= s.boxes[0].box.x and all(b.box.x + b.box.w <= plan.width + 0.01 for b in s.boxes)
        assert all(b.box.y >= 0 and b.box.bottom <= plan.height + 0.01 for b in s.boxes)
        for b in s.boxes:
            height = 0.0
            for k, p in enumerate(b.paras):
                advance = fonts.measure(p.kind)(p.size)
                for line in p.lines:
                    assert sum(advance(c) for c in line) <= line_width(b.box.w, b.insets) - p.indent + 0.01, line
                assert "".join(p.lines).replace(" ", "") == p.text.replace(" ", "")
                height += len(p.lines) * LINE_HEIGHT * p.size + (p.gap if k else 0.0)
            assert height <= usable_height(b.box.h, b.insets) + 0.01, (s.kind, b.slot)


def test_example_deck_loses_nothing(official_plan: DeckPlan, example: Outline) -> None:
    assert_nothing_lost(official_plan, example)
    assert_bullets_from_source(official_plan, example)
    assert_fitted(official_plan, "official")


def test_each_subsection_notes_hold_its_full_text(official_plan: DeckPlan, example: Outline) -> None:
    content = [s for s in official_plan.slides if s.kind == "content" and not s.continued]
    headings = [b for b in example.blocks if isinstance(b, Heading) and b.level == 2]
    assert len(content) == len(headings) == 6
    for slide, heading in zip(content, headings):
        i = example.blocks.index(heading)
        assert slide.notes[0] == heading.text
        assert slide.notes[1] == example.blocks[i + 1].text


def test_sizes_stay_in_the_theme_ranges(official_plan: DeckPlan) -> None:
    deck = load_theme("official").deck
    ranges = {k: (getattr(deck, k).min_size, getattr(deck, k).max_size)
              for k in ("title", "heading", "subtitle", "body", "quote")}
    for s in official_plan.slides:
        for b in s.boxes:
            for p in b.paras:
                lo, hi = ranges[p.kind]
                assert lo <= p.size <= hi
    assert not official_plan.warnings


def test_content_slides_have_3_to_5_bullets_and_callouts(official_plan: DeckPlan) -> None:
    runs: list[int] = []
    for s in official_plan.slides:
        if s.kind == "content":
            assert len(s.box("body").paras) <= 5
            runs[-1:] = [runs[-1] + len(s.box("body").paras)] if s.continued else runs[-1:] + [len(s.box("body").paras)]
    assert all(3 <= n <= 5 for n in runs)
    callouts = [s.box("callout") for s in official_plan.slides if s.box("callout")]
    assert len(callouts) >= 5
    for c in callouts:
        quote, who = c.paras
        assert quote.text.startswith("“") and who.text == "——习近平总书记"


def test_handout_theme_plans_too(example: Outline) -> None:
    plan = plan_deck(example, load_theme("handout"), GEOMETRY)
    assert kinds(plan) == kinds(plan_deck(example, load_theme("official"), GEOMETRY))
    assert_fitted(plan, "handout")


def no_headings() -> Outline:
    sys.path.insert(0, str(Path(__file__).parent))
    from pptx_helpers import no_headings_outline

    return no_headings_outline()


def test_a_text_without_headings() -> None:
    outline = no_headings()
    plan = plan_deck(outline, load_theme("official"), GEOMETRY)
    got = kinds(plan)
    assert got[0] == "title" and got[-1] == "closing" and "agenda" not in got and "section" not in got
    assert got.count("content") >= 3
    titles = [s.box("title").text for s in plan.slides if s.kind == "content" and not s.continued]
    assert len(set(titles)) == len(titles)  # each titled by its own key phrase
    assert all(t in outline.body_text() or t.startswith("要点") for t in titles)
    assert_nothing_lost(plan, outline)
    assert_bullets_from_source(plan, outline)
    assert_fitted(plan, "official")


def test_an_unseen_lecture_with_deep_levels() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from docx_helpers import unseen_outline

    outline = unseen_outline()
    plan = plan_deck(outline, load_theme("official"), GEOMETRY)
    got = kinds(plan)
    assert got.count("section") == 2 and got.count("title") == 1
    assert plan.slides[0].box("body") is not None  # the bylines
    closing = plan.slides[-1]
    assert closing.box("body").text == "中共某区委组织部2024年3月15日"  # the 落款
    assert_nothing_lost(plan, outline)
    assert_bullets_from_source(plan, outline)
    assert_fitted(plan, "official")


def test_many_sections_split_the_agenda() -> None:
    blocks = []
    for k in range(14):
        blocks.append(Heading(1, f"{'一二三四五六七八九十'[k % 10]}、全面加强第{k + 1}方面的工作，推动各项任务落地见效"))
        blocks.append(Paragraph("我们必须坚持以人民为中心，切实把各项工作落到实处。要加强统筹协调。要强化督促检查。"))
    outline = Outline("工作报告", tuple(blocks))
    plan = plan_deck(outline, load_theme("official"), GEOMETRY)
    agenda = [s for s in plan.slides if s.kind == "agenda"]
    assert len(agenda) >= 2
    assert agenda[1].box("title").text == AGENDA_TITLE + CONTINUED and agenda[1].continued
    listed = [p.text for s in agenda for p in s.box("body").paras]
    assert listed == [b.text for b in blocks if isinstance(b, Heading)]
    assert_fitted(plan, "official")
    assert_nothing_lost(plan, outline)


def test_subheadings_are_the_bullets() -> None:
    blocks = [Heading(1, "一、总体要求"), Paragraph("总的要求是。"), Heading(2, "（一）主要任务"),
              Paragraph("今年的任务很重。")]
    for k, words in enumerate(["坚持用党的创新理论武装头脑", "建强基层组织：推动全面进步全面过硬", "锻造高素质干部队伍"], 1):
        blocks += [Heading(3, f"{k}.{words}"), Paragraph("要抓紧抓实。必须久久为功。")]
    outline = Outline("任务", tuple(blocks))
    plan = plan_deck(outline, load_theme("official"), GEOMETRY)
    (content,) = [s for s in plan.slides if s.kind == "content"]
    assert [p.text for p in content.box("body").paras] == [
        "坚持用党的创新理论武装头脑", "建强基层组织：推动全面进步全面过硬", "锻造高素质干部队伍"]
    assert_nothing_lost(plan, outline)


def test_more_than_five_subheadings_continue() -> None:
    blocks = [Heading(1, "一、总体要求"), Heading(2, "（一）主要任务")]
    for k in range(1, 9):
        blocks += [Heading(3, f"{k}.抓好第{k}项重点工作"), Paragraph(f"第{k}项工作要抓紧抓实。")]
    outline = Outline("任务", tuple(blocks))
    plan = plan_deck(outline, load_theme("official"), GEOMETRY)
    content = [s for s in plan.slides if s.kind == "content"]
    assert [len(s.box("body").paras) for s in content] == [4, 4]
    assert content[1].continued and content[1].box("title").text == "主要任务" + CONTINUED
    assert content[1].notes[0] == "5.抓好第5项重点工作"  # the notes go on where the first slide's stop
    assert_nothing_lost(plan, outline)


def test_a_repeated_sentence_is_one_bullet() -> None:
    text = "我们必须坚持问题导向。要加强调查研究。我们必须坚持问题导向。要切实解决实际问题。"
    texts = [b.text for b in condense([text, text])]
    assert len(texts) == len(set(texts))


def test_many_subheadings_continue_on_a_second_slide() -> None:
    # A subsection whose bullets cannot fit one body box at the smallest size.
    long = "，".join(["坚持把加强党的政治建设摆在首位"] * 2)
    blocks = [Heading(1, "一、总体要求"), Paragraph("总的要求是。"), Heading(2, "（一）主要任务")]
    blocks += [Paragraph(f"第{k}，{long}。必须抓紧抓实。") for k in range(1, 9)]
    outline = Outline("任务", tuple(blocks))
    small = Geometry(960.0, 540.0, {**GEOMETRY.layouts,
                                    "content": LayoutFrames(Box(49.0, 7.2, 871.2, 66.2), Box(54.0, 102.2, 851.8, 120.0))})
    plan = plan_deck(outline, load_theme("official"), small)
    content = [s for s in plan.slides if s.kind == "content"]
    assert len(content) >= 2 and content[1].continued
    assert content[1].box("title").text == "主要任务" + CONTINUED
    assert_nothing_lost(plan, outline)
    assert_fitted(plan, "official")


def test_a_huge_title_is_set_smaller_never_cut() -> None:
    title = "关于" + "深入学习贯彻新时代中国特色社会主义思想" * 8 + "的讲话"
    outline = Outline(title, (Paragraph("同志们，我们必须坚持。"),), Meta(speaker="李四", date="2024年5月"))
    plan = plan_deck(outline, load_theme("official"), GEOMETRY)
    box = plan.slides[0].box("title")
    assert box.text == title
    assert any(w.code == "deck_text_small" for w in plan.warnings)
    assert plan.slides[0].box("body").text == "李四2024年5月"  # meta when there are no bylines


def test_plan_is_deterministic(example: Outline) -> None:
    theme = load_theme("official")
    assert plan_deck(example, theme, GEOMETRY) == plan_deck(example, theme, GEOMETRY)


def test_bullets_never_break_inside_a_latin_word() -> None:
    text = "要用好PowerPoint和WPS等工具，提升汇报质量，确保2025年目标任务全面完成。"
    outline = Outline("标题", (Heading(1, "一、工作"), Paragraph(text)))
    plan = plan_deck(outline, load_theme("official"), GEOMETRY)
    lines = [line for s in plan.slides for b in s.boxes for p in b.paras for line in p.lines]
    for s in plan.slides:
        for b in s.boxes:
            for p in b.paras:
                for before, after in zip(p.lines, p.lines[1:]):
                    # no break between two Latin letters or digits ("Power" | "Point", "20" | "25")
                    assert not (before[-1:].isascii() and before[-1:].isalnum() and after[:1].isascii() and after[:1].isalnum()), (before, after)
    assert all(any(word in line for line in lines) for word in ("PowerPoint", "WPS", "2025")), lines


# ---------------------------------------------------------------------------
# The theme's [deck] keys


def test_deck_theme_keys(tmp_path: Path) -> None:
    from converter.theme import ThemeError

    official, handout = load_theme("official").deck, load_theme("handout").deck
    assert official.template == "official" and handout.template == "neutral"
    assert (official.body.max_size, official.body.min_size) == (28.0, 18.0)
    assert handout.body.face == "微软雅黑" and handout.quote == official.quote  # inherited
    good = tmp_path / "mine.toml"
    good.write_text('extends = "official"\n[deck.body]\nsizes = ["小二", "四号"]\n', encoding="utf-8")
    assert (load_theme(good).deck.body.max_size, load_theme(good).deck.body.min_size) == (18.0, 14.0)
    for bad, message in (("[18, 28]", "largest size first"), ("[28]", "list of two sizes"), ('["big", 18]', "字号")):
        path = tmp_path / "bad.toml"
        path.write_text(f'extends = "official"\n[deck.body]\nsizes = {bad}\n', encoding="utf-8")
        with pytest.raises(ThemeError, match=message):
            load_theme(path)


def test_a_text_of_a_hundred_groups_without_headings_is_planned() -> None:
    """Slides of a long text without headings are titled by their lead
    phrase, or 要点N when the phrases repeat: N past 99 too (it raised
    IndexError, a 500 from the service; issue 15 item 3)."""
    para = "坚持学习，" * 60 + "久久为功。"  # the same lead phrase in every group
    plan = plan_deck(Outline("讲话", tuple(Paragraph(para) for _ in range(130))), load_theme("official"), GEOMETRY)
    titles = [s.box("title").text for s in plan.slides if s.kind == "content" and not s.continued]
    assert len(titles) >= 100 and len(set(titles)) == len(titles)
    assert "要点一百" not in titles and any(t.startswith("要点1") and t[2:].isdigit() for t in titles)
