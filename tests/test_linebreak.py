"""The line breaker on tricky cases, with a simple advance (CJK 1 em, ASCII
half) and with the bundled font's real advances."""

from __future__ import annotations

from pathlib import Path

import pytest


from converter.cjk import NO_LINE_END, NO_LINE_START
from converter.fonts import font_metrics
from converter.linebreak import break_lines


def em(ch: str) -> float:
    return 0.5 if ch.isascii() else 1.0


def texts(text: str, width: float, **kw) -> list[str]:
    return [line.text for line in break_lines(text, em, width, **kw)]


def check_rules(lines: list[str]) -> None:
    for line in lines[1:]:
        assert line[0] not in NO_LINE_START or line[0] == "—", f"line starts with {line[0]!r}: {line}"
    for line in lines[:-1]:
        assert line[-1] not in NO_LINE_END, f"line ends with {line[-1]!r}: {line}"


def test_fills_to_the_measure():
    assert texts("一二三四五六七八九十", 4) == ["一二三四", "五六七八", "九十"]


def test_closing_mark_pushes_the_last_character_down():
    lines = texts("一二三四，五六七八。", 4)
    assert lines == ["一二三", "四，五六", "七八。"]
    check_rules(lines)


def test_opening_quote_never_ends_a_line():
    lines = texts("一二三“四五”六七", 4)
    assert lines == ["一二三", "“四五”", "六七"]
    check_rules(lines)


def test_run_of_closing_marks():
    lines = texts("一二三说。”）接着写完", 4)
    assert lines[:2] == ["一二三", "说。”）"]
    check_rules(lines)


def test_ellipsis_and_dash_never_split():
    lines = texts("一二三……四五六——七八", 4)
    assert "……" in "".join(lines) and all(l.count("…") in (0, 2) for l in lines)
    assert all(l.count("—") in (0, 2) for l in lines)
    check_rules(lines)


def test_latin_and_numbers_never_split():
    text = "全年PM2.5浓度下降3.5%，2025年GDP增长"
    for width in (3, 4, 5, 6, 7):
        lines = texts(text, width)
        joined = "|".join(lines)
        for word in ("PM2.5", "3.5%", "2025年", "GDP"):
            assert word in joined.replace("|", "") and all(
                word not in (a + b) or word in a or word in b
                for a, b in zip(lines, lines[1:])
                if word in a + b
            ), joined
        check_rules(lines)


def test_line_of_only_punctuation_and_quote_at_end():
    assert texts("“……”。", 28) == ["“……”。"]
    lines = texts("一二三四五六七八九十一二三四五六七八九十一二三四五六七“……”。", 28)
    assert lines == ["一二三四五六七八九十一二三四五六七八九十一二三四五六七", "“……”。"]


def test_justified_lines_end_exactly_at_the_measure():
    lines = break_lines("一二三四，五六七八九十一二三四五六七八九十", em, 5)
    for line in lines[:-1]:
        assert line.justified and abs(line.xs[-1] + em(line.text[-1]) - 5) < 1e-9
    last = lines[-1]
    assert not last.justified and last.xs[0] == 0


def test_first_line_indent():
    lines = break_lines("一二三四五六七八九十", em, 5, first_indent=2)
    assert [l.text for l in lines] == ["一二三", "四五六七八", "九十"]


def test_nothing_lost_on_long_text():
    text = "组织工作的政治属性决定了作风建设必须以最高标准、最严要求来衡量。“政治问题，任何时候都是根本性的大问题。”" * 5
    lines = texts(text, 28)
    assert "".join(lines) == text
    check_rules(lines)


FONT = Path(__file__).resolve().parent.parent / "fonts" / "ConverterFangSong.ttf"


def test_real_font_28_per_line():
    metrics = font_metrics(str(FONT))
    advance16 = metrics.advance_fn(16)
    tracked = lambda ch: advance16(ch) - 0.25  # noqa: E731 - the official grid's tracking
    text = "组织工作的政治属性决定了作风建设必须以最高标准最严要求来衡量我们必须站在政治的维度全局的高度深刻领悟作风建设的极端重要性和内在必然性" * 2
    lines = break_lines(text, tracked, 442.2)
    assert all(len(l.text) == 28 for l in lines[:-1])
    assert font_metrics(str(FONT)) is metrics  # loaded once per process


def test_push_in_squeezes_punctuation_but_never_the_last_character():
    lines = break_lines("一，二，三四。五", em, 6)
    assert [l.text for l in lines] == ["一，二，三四。", "五"]
    first = lines[0]
    # Both commas give up half an em; the full stop stays whole at the line end.
    assert list(first.xs) == [0, 1, 1.5, 2.5, 3, 4, 5]
    assert first.xs[-1] + em("。") == 6


def test_no_push_in_for_an_ordinary_character():
    # Squeezing two commas would make room for 五, but nothing forces it.
    assert texts("一，二，三四五六", 5) == ["一，二，三", "四五六"]


def test_hanging_mark_sits_past_the_measure_when_asked():
    text = "一二三四，五六七八。九十"
    # Off (the default): the comma may not start a line, so 四 moves down.
    assert texts(text, 4) == ["一二三", "四，五六", "七八。九", "十"]
    lines = break_lines(text, em, 4, hanging="，。、．")
    assert [l.text for l in lines] == ["一二三四，", "五六七八。", "九十"]
    first = lines[0]
    # The line up to the mark fills the measure; the mark starts on it.
    assert first.xs[3] + 1 == 4 and first.xs[4] == 4 and first.justified


def test_only_the_named_marks_hang_and_one_at_most():
    # A closing quote is not a pause mark: it is pushed in or out as before.
    lines = texts("一二三四”五六七八", 4, hanging="，。、．")
    assert all(not l.startswith("”") for l in lines) and "一二三四”" not in lines
    # A comma after a closing quote: the quote does not fit, so nothing hangs.
    lines = texts("一二三四”，五六", 4, hanging="，。、．")
    assert "一二三四”，" not in lines
    check_rules(lines)


def test_hanging_with_real_advances_keeps_28_characters():
    fang = Path(__file__).resolve().parent.parent / "fonts" / "ConverterFangSong.ttf"
    advance = font_metrics(str(fang)).advance_fn(16.0)
    spaced = lambda ch: advance(ch) - 0.25  # noqa: E731 - the official theme's -0.25 pt
    measure = 442.2  # 156 mm
    text = "组织工作的政治属性决定了作风建设必须以最高标准要求来衡量，" + "我们必须站在政治的维度" * 6
    lines = break_lines(text, spaced, measure, hanging="，。、．")
    assert lines[0].text.endswith("，") and len(lines[0].text) == 29
    assert lines[0].xs[-1] == pytest.approx(measure, abs=0.01)  # the mark starts at the margin
