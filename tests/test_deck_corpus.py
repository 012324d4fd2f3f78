"""Issue 14 items 9-12 on every deck of the real corpus (54 outlines in
tests/data/real/gold) and the example, planned without python-pptx
(about a second for all of them): bullets are verbatim slices at clause
boundaries and key points; parallel series are shown whole; every level-1
section has its divider; one body size per deck (two at most).  The
figures: benchmarks/deck_quality.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.load import load_outline
from converter.model import Outline, Paragraph
from converter.render.pptx.plan import plan_deck
from converter.render.pptx.text import MAX_CLAUSE_CHARS, condense, find_series
from converter.theme import load_theme
from deck_quality import measure
from test_deck_plan import GEOMETRY, assert_nothing_lost

REPO = Path(__file__).resolve().parent.parent
CORPUS = [*sorted((REPO / "tests/data/real/gold").glob("*.json")), REPO / "examples/lecture.txt"]


@pytest.fixture(scope="module")
def theme():
    return load_theme("official")


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem[:24] for p in CORPUS])
def test_corpus_deck(path: Path, theme) -> None:
    outline = load_outline(path.read_bytes(), source=path.name)
    plan = plan_deck(outline, theme, GEOMETRY)
    f = measure(plan, outline)
    assert f.not_verbatim == []
    assert f.off_boundary == []  # never cut inside a clause or a word, no character lost
    assert f.procedural == []
    assert f.series_split == []
    assert f.sections_without_divider == []
    assert len(f.body_sizes) <= 2
    for s in plan.slides:
        body = s.box("body")
        if s.kind in ("content", "opening") and body:
            assert all(len(p.text) <= MAX_CLAUSE_CHARS for p in body.paras)
    assert_nothing_lost(plan, outline)


def test_the_issues_examples() -> None:
    # A clause is never cut before its object, nor after 、 inside an enumeration.
    text = ("坚决反对一切削弱、歪曲、否定党的领导和我国社会主义制度的错误言行，"
            "加快培育国家级专精特新“小巨人”企业和制造业单项冠军企业，推动中小企业走专业化发展道路。")
    for b in condense([text], count=3):
        assert b.text in text
        assert not b.text.endswith(("专精特新", "歪曲")) and not b.text.startswith(("歪曲", "否定"))
    # The predicate stays with its subject: no bullet opens with 是.
    text = ("今年是全面建成小康社会和“十三五”规划收官之年，是决胜全面建成小康社会、决战脱贫攻坚之年，"
            "是实现第一个百年奋斗目标的关键之年。我们必须坚定信心、迎难而上。要确保任务如期完成。")
    assert not any(b.text.startswith("是") for b in condense([text]))
    # Procedural sentences and pointers are no key points.
    text = ("为推动政务新媒体健康有序发展，经国务院同意，现就有关事项提出如下意见。"
            "必须坚持正确政治方向。这些问题，必须着力加以解决。要强化内容发布审核。要加强队伍建设。")
    got = [b.text for b in condense([text])]
    assert not any("如下" in t or t.startswith("这些") for t in got), got
    # A name is never cut.
    text = "大会开幕，省长王凯作政府工作报告，全面回顾过去五年的工作，" + "提出今后五年的目标任务和工作重点，" * 3 + "会议号召全省上下团结奋斗。"
    for b in condense([text], count=5):
        assert "王凯" in b.text or "王" not in b.text


def test_a_truncated_texts_last_words_are_no_bullet() -> None:
    text = "必须坚持党的全面领导。要压实主体责任。必须严明纪律规矩。要持续深化作风建设，把全面从严治党向纵深推进的"
    got = [b.text for b in condense([text], count=5, unfinished=True)]
    assert not any(t.endswith("推进的") or "纵深" in t for t in got)
    outline = Outline("讲话", (Paragraph(text),), truncated=True)
    plan = plan_deck(outline, load_theme("official"), GEOMETRY)
    bullets = [p.text for s in plan.slides if s.box("body") and s.kind != "title" for p in s.box("body").paras]
    assert not any("纵深" in t for t in bullets)


@pytest.mark.parametrize("paragraphs, members", [
    (["做好今年工作，要把握三点：一是必须加强政治建设，二是必须压实主体责任，三是必须严明纪律规矩。"], 3),
    (["——坚持党的全面领导。党是领导一切的。", "——坚持以人民为中心。人民是根本。", "——坚持新发展理念。发展是第一要务。"], 3),
    (["加力提振消费。实施提振消费专项行动。", "加力扩大投资。用好超长期特别国债。", "加力稳住楼市。因城施策。"], 3),
])
def test_series_are_found_and_shown_whole(paragraphs: list[str], members: int) -> None:
    (series,) = find_series(paragraphs)
    assert len(series) == members
    bullets = [b.text for b in condense(paragraphs, count=3)]
    for m in series:
        assert any(b in m.text for b in bullets), (m.text, bullets)


def test_bullets_break_between_series_not_inside_one() -> None:
    from converter.render.pptx.fit import Fit, ParaSpec
    from converter.render.pptx.plan import _pack

    def four(group: list[ParaSpec]) -> Fit | None:  # a slide holds four bullets
        return Fit(20.0, tuple((p.text,) for p in group), 0.0) if len(group) <= 4 else None

    specs = [ParaSpec(t) for t in "甲乙丙丁戊己"]
    # Without a series: two even slides.  With 丙丁戊 a series: it stays on one slide.
    assert [[p.text for p in g] for g, _ in _pack(specs, [-1] * 6, four)] == [list("甲乙丙"), list("丁戊己")]
    assert [[p.text for p in g] for g, _ in _pack(specs, [-1, -1, 0, 0, 0, -1], four)] == [list("甲乙"), list("丙丁戊己")]
