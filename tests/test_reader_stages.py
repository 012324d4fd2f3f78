"""Each reader stage alone, on small hand-written cases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converter.errors import InputError
from converter.model import Heading, Paragraph, Salutation
from converter.reader import read_text
from converter.reader.checks import is_truncated, masked_text, numbering_gaps
from converter.reader.clean import SourceLine, clean, remove_chrome, split_lines
from converter.reader.decode import decode
from converter.markers import chinese_number, match_marker
from converter.reader.punct import restore_punctuation
from converter.reader.reflow import RawParagraph, estimate_wrap_width, reflow
from converter.reader.structure import structure


# --- decode -----------------------------------------------------------------

def test_decode_utf8_bom_gb18030():
    assert decode("同志们".encode("utf-8-sig")) == ("同志们", "utf-8")
    assert decode("同志们：今天".encode("utf-8")) == ("同志们：今天", "utf-8")
    assert decode("同志们：今天".encode("gb18030")) == ("同志们：今天", "gb18030")
    assert decode("同志们".encode("utf-16"))[0] == "同志们"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize("cut", [1, 2, 3])
def test_decode_a_file_cut_inside_its_last_character(encoding, cut):
    """A site or download that cut the file by bytes: the half character goes,
    the text stays (in both encodings, guessed or given)."""
    text = "今天我们召开会议，研究部署学习工作𠀀贯彻"
    data = text.encode(encoding)
    last = len(text[-1].encode(encoding))
    if cut >= last:
        return
    cut_data = data[:-cut]
    assert decode(cut_data) == (text[:-1], encoding)
    assert decode(cut_data, encoding) == (text[:-1], encoding)


def test_decode_override_encoding():
    assert decode("講話".encode("big5"), "big5") == ("講話", "big5")
    with pytest.raises(InputError, match="unknown encoding"):
        decode(b"abc", "no-such-codec")


@pytest.mark.parametrize(
    "data, words",
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"PK\x03\x04rest", "ZIP"),
        (b"\x89PNG\r\n\x1a\n", "PNG"),
        (b"\xff\xd8\xff\xe0", "JPEG"),
        (b"abc\x00def", "NUL"),
        (b"", "empty"),
        (b" \n\t\r\n ", "empty"),
    ],
)
def test_decode_refuses_binary_and_empty(data, words):
    with pytest.raises(InputError, match=words):
        decode(data)


# --- clean ------------------------------------------------------------------

def test_chrome_removed_as_lines_and_segments_only():
    lines = split_lines("购物车\n我的足迹\n加入Vip免费下载 立即下载\n我们要分享经验，做收藏家。\n— 3 —\n第3页 共8页")
    result = remove_chrome(lines)
    texts = [l.text for l in result.lines]
    assert texts == ["", "", "", "我们要分享经验，做收藏家。", "", ""]
    removed = [w.message for w in result.warnings]
    assert any("购物车" in m for m in removed) and any("立即下载" in m for m in removed)
    assert all(w.code == "chrome_removed" and w.line for w in result.warnings)


def test_chrome_segment_inside_joined_body():
    (line,) = remove_chrome([SourceLine(1, "组织的公 — 3 — 信力和执行力 分享 收藏")]).lines
    assert line.text == "组织的公 信力和执行力"


def test_chrome_keeps_words_that_contain_chrome():
    (line,) = remove_chrome([SourceLine(1, "分享经验 收藏家 首页面")]).lines
    assert line.text == "分享经验 收藏家 首页面"


def test_cut_off_marker_sets_flag():
    result = clean("正文内容，\n剩余3页未读，继续阅读")
    assert result.cut_off


def test_control_characters_removed_and_reported():
    result = clean("同志\x07们：\u200b今天\x0b")
    assert result.lines[0].text == "同志们：今天"
    assert result.warnings[0].code == "invalid_char_removed"


def test_running_header_removed_after_body_starts():
    text = "学习讲稿\n正文第一段很长很长。\n学习讲稿\n正文第二段。\n学习讲稿\n正文第三段。"
    lines = [l.text for l in clean(text).lines]
    assert lines == ["学习讲稿", "正文第一段很长很长。", "", "正文第二段。", "", "正文第三段。"]


# --- punctuation -------------------------------------------------------------

@pytest.mark.parametrize(
    "raw, fixed",
    [
        ("党课:淬炼作风之剑,锻造", "党课：淬炼作风之剑，锻造"),
        ("谈何忠诚?倘若", "谈何忠诚？倘若"),
        ("同志们!", "同志们！"),
        ("(一)熔铸忠诚之魂", "（一）熔铸忠诚之魂"),
        ("浓度(PM2.5)下降", "浓度（PM2.5）下降"),
        ("增长3.5%,10:30开会", "增长3.5%,10:30开会"),
        ("完成1,120亿元", "完成1,120亿元"),
        ("(1) in an English phrase", "(1) in an English phrase"),
        ("see http://a.b/?q=1 ok", "see http://a.b/?q=1 ok"),
    ],
)
def test_restore_punctuation(raw, fixed):
    assert restore_punctuation(raw)[0] == fixed


# --- markers -----------------------------------------------------------------

@pytest.mark.parametrize(
    "text, family, number",
    [
        ("一、总体要求", "cn", 1),
        ("十二．工作安排", "cn", 12),
        ("（三）加强学习", "cn_paren", 3),
        ("(三)加强学习", "cn_paren", 3),
        ("1.加强学习", "num", 1),
        ("2、加强学习", "num", 2),
        ("（1）加强学习", "num_paren", 1),
        ("①加强学习", "circled", 1),
        ("第一章 总则", "chapter", 1),
        ("第二讲：深刻认识", "chapter", 2),
        ("第三部分 工作安排", "chapter", 3),
        ("第一节 背景", "section", 1),
        ("第一、加强学习", "di_cn", 1),
        # Word's automatic numbering copied as text, and full-width digits
        ("１．把党建优势转化", "num", 1),
        ("１２、工作安排", "num", 12),
        ("（１）加强学习", "num_paren", 1),
        ("㈡破解软弱涣散问题", "cn_paren", 2),
        ("⒊工作措施", "num", 3),
        ("⑷党建考核", "num_paren", 4),
        ("1）压实粮食生产责任", "num_half_paren", 1),
        ("2)加强学习", "num_half_paren", 2),
    ],
)
def test_markers(text, family, number):
    m = match_marker(text)
    assert m is not None and m.family.name == family and m.number == number
    # The marker is quoted as written, and the heading's words start after it.
    assert text.startswith(m.text) and not text[m.end:].startswith(("．", "、", "）", ")"))


@pytest.mark.parametrize("text", ["一是加强学习", "第一，要加强学习", "2026.04.20召开", "1.5倍", "１．５倍", "——坚持人民至上", "十分重要",
                                  "第二章第十五条明确规定，党组织……", "第三节第二款规定"])
def test_not_markers(text):
    assert match_marker(text) is None


def test_chinese_numbers():
    assert [chinese_number(s) for s in ["一", "十", "十二", "二十", "二十三", "一百零五", "7"]] == [1, 10, 12, 20, 23, 105, 7]


# --- reflow ------------------------------------------------------------------

def _lines(*texts: str) -> list[SourceLine]:
    return [SourceLine(i, t) for i, t in enumerate(texts, start=1)]


def test_wrap_width_from_full_lines():
    assert estimate_wrap_width([27, 27, 26, 27, 27, 12, 27, 25, 27]) == 27
    assert estimate_wrap_width([80, 12, 150, 33, 260, 47]) is None


WRAPPED = (
    "今天我们齐聚一堂，围绕加强组织部门作风建设这一核心议 题，共上一堂专题党课。组织部门作为党的政治机关，肩负着 "
    "为党委选干部、配班子、强组织、聚人才的光荣使命和重大责 任。习近平总书记深刻指出，“党的作风就是党的形象，关系 "
    "人心向背，关系党的生死存亡。”我们的一言一行，不仅代表 着个人素养。 "
    "一、校准政治定盘星，铸就作风之魂，深刻把握新时代组织 部门作风建设的方位坐标 "
    "组织工作的政治属性决定了作风建设必须以最高标准、最严 要求来衡量。我们必须站在政治的维度、全局的高度，深刻领 "
    "悟作风建设的极端重要性和内在必然性。习近平总书记强 调，“政治问题，任何时候都是根本性的大问题。”"
)


def test_reflow_joins_wraps_and_keeps_paragraphs():
    result = reflow(_lines(WRAPPED))
    texts = [p.text for p in result.paragraphs]
    assert result.wrap_width == 27
    assert len(texts) == 3
    assert texts[0].startswith("今天我们") and texts[0].endswith("着个人素养。")
    assert "核心议题" in texts[0]  # the space inside a word is gone
    assert texts[1] == "一、校准政治定盘星，铸就作风之魂，深刻把握新时代组织部门作风建设的方位坐标"
    assert "深刻领悟" in texts[2] and "强调，“政治" in texts[2]  # a 25-em line mid-paragraph


def test_reflow_same_result_for_newlines_and_crlf():
    by_space = [p.text for p in reflow(_lines(WRAPPED)).paragraphs]
    by_newline = [p.text for p in reflow(_lines(*WRAPPED.split(" "))).paragraphs]
    assert by_space == by_newline


def test_reflow_keeps_latin_spaces():
    from variants import wrap

    para = ("我们要大力推进生态文明建设，确保全年空气质量优良天数比例稳步提高，PM2.5 浓度持续下降，"
            "GDP 增长保持在合理区间，为高质量发展提供坚实保障和有力支撑。各级党组织要切实担负起"
            "主体责任，把各项任务落到实处，以实际行动和优异成绩回报全市人民的信任和期待。")
    lines = wrap(para, 24)
    assert len(lines) >= 5
    (out,) = reflow(_lines(" ".join(lines))).paragraphs
    assert "PM2.5 浓度" in out.text and "GDP 增长" in out.text
    assert "".join(out.text.split()) == "".join(para.split())


def test_clean_text_passes_through():
    lines = _lines(
        "关于加强学习的几点意见",
        "同志们：",
        "今天召开这次会议，主要任务是总结工作、部署任务。",
        "一、充分认识加强学习的重要意义",
        "学习是立身之本。我们要把学习作为一种精神追求，作为一种生活方式，持之以恒，久久为功，在学习中提高本领、增长才干。",
        "二、切实把学习成果转化为推动工作的实际成效",
        "学以致用。",
    )
    result = reflow(lines)
    assert result.wrap_width is None
    assert [p.text for p in result.paragraphs] == [l.text for l in lines]


# --- structure ---------------------------------------------------------------

def _wrap(text: str, width: int) -> list[str]:
    """``text`` hard-wrapped every ``width`` characters, as a naive PDF copy."""
    return [text[i:i + width] for i in range(0, len(text), width)]


def _struct(*texts: str):
    return structure([RawParagraph(t, i) for i, t in enumerate(texts, start=1)])


def _kinds(s) -> list[str]:
    return [f"h{b.level}" if isinstance(b, Heading) else type(b).__name__[0].lower() for b in s.blocks]


def test_wrapped_inline_numbered_list_is_not_a_heading():
    # A PDF copy wrapped at 30 ems right before "1.", and the line goes on with "；2.".
    lead = "纪律处分条例对违纪行为的处理作出了明确规定，各级党组织必须严格执行好。对有下列行为之一、情节严重的，要依规依纪从重处理："
    para = lead + "1.搞“七个有之”问题的；2.对党不忠诚不老实，表里不一、阳奉阴违的；3.违规收受可能影响公正执行公务的礼品礼金的。"

    assert len(lead) == 60 and _wrap(para, 30)[2].startswith("1.搞")
    filler = _wrap("今天我们召开党风廉政建设专题会议，主要任务是深入学习贯彻党中央关于纪律建设的决策部署，"
                  "总结前一阶段工作，部署下一阶段任务。下面，我讲三个方面的意见。", 30)
    text = "\n".join(["关于纪律建设的党课", "同志们：", *filler, *_wrap(para, 30), "一、深刻把握新时代依规治党的重大意义", *filler])
    outline = read_text(text)
    assert [b.text for b in outline.blocks if isinstance(b, Heading)] == ["一、深刻把握新时代依规治党的重大意义"]
    assert any(b.text == para for b in outline.blocks)


@pytest.mark.parametrize(
    "before, after, joined",
    [
        ("共1,2", "16件", "共1,216件"), ("PM2", ".5浓度", "PM2.5浓度"), ("2025", "年", "2025年"),
        ("Wi", "-Fi覆盖", "Wi-Fi覆盖"), ("实现", "GDP增长", "实现GDP增长"), ("the rule of", "law", "the rule of law"),
    ],
)
def test_wrap_inside_a_number_or_word_joins_without_a_space(before, after, joined):
    from converter.reader.reflow import _glue

    assert before + _glue(before, after, before) + after == joined


def test_numbered_items_ending_with_semicolons_are_a_list_not_headings():
    s = _struct(
        "学习党章党规", "同志们：", "党员必须履行八项义务，主要包括以下几个方面：",
        "1.认真学习马克思列宁主义、毛泽东思想；",
        "2.贯彻执行党的基本路线和各项方针、政策；",
        "3.自觉遵守党的纪律。",
        "一、严守政治纪律",
        "政治纪律是最重要、最根本、最关键的纪律。",
    )
    assert _kinds(s) == ["s", "p", "p", "p", "p", "h1", "p"]


def test_long_lead_between_numbered_sibling_headings_is_a_run_in_heading():
    lead = "（二）坚持以党的政治建设为统领，把学习贯彻党的创新理论作为首要政治任务和长期政治任务抓紧抓实、抓出成效。"
    s = _struct(
        "抓党建促发展", "同志们：", "今天召开会议。",
        "（一）提高认识。认识到位才能行动到位。",
        lead + "要健全第一议题制度，推动党员干部学思想、强党性。",
        "（三）狠抓落实。各级党组织要把学习作为重要任务。",
    )
    assert [(b.text, b.run_in) for b in s.blocks if isinstance(b, Heading)][1] == (lead, True)
    # Alone, without numbered headings beside it, such a paragraph stays body text.
    s = _struct("抓党建促发展", "同志们：", "今天召开会议。", lead + "要健全第一议题制度。", "最后讲一点。")
    assert not any(isinstance(b, Heading) for b in s.blocks)


def test_title_bylines_salutation():
    s = _struct(
        "凝心聚力开拓进取",
        "——在全市组织工作会议上的讲话",
        "市委书记 张某某",
        "（2025年3月18日）",
        "同志们：",
        "今天召开会议。",
        "一、总体要求",
        "要加强学习。",
    )
    assert s.title == "凝心聚力开拓进取"
    assert [b for b in s.blocks[:3]] == [
        Paragraph("——在全市组织工作会议上的讲话", "byline"),
        Paragraph("市委书记 张某某", "byline"),
        Paragraph("（2025年3月18日）", "byline"),
    ]
    assert s.blocks[3] == Salutation("同志们：")
    assert s.meta.subtitle and s.meta.date == "2025年3月18日" and s.meta.speaker == "市委书记 张某某"


def test_title_wrapped_over_two_lines_is_joined_and_repeat_removed():
    s = _struct("党课：淬炼作风之剑，锻造组工精兵，为", "新时代组织工作高质量发展注入澎湃动能",
                "党课：淬炼作风之剑，锻造组工精兵，为新时代组织工作高质量发展注入澎湃动能", "同志们：", "正文。")
    assert s.title == "党课：淬炼作风之剑，锻造组工精兵，为新时代组织工作高质量发展注入澎湃动能"
    assert s.blocks == [Salutation("同志们："), Paragraph("正文。")]
    assert any(w.code == "title_repeated" for w in s.warnings)


def test_levels_compress_to_families_used():
    s = _struct("题目", "正文。", "一、甲", "正文。", "1.乙", "正文。", "（1）丙", "正文。", "二、丁", "正文。")
    heads = [(b.level, b.text) for b in s.blocks if isinstance(b, Heading)]
    assert heads == [(1, "一、甲"), (2, "1.乙"), (3, "（1）丙"), (1, "二、丁")]


def test_jiang_family_is_top():
    s = _struct("题目", "第一讲 认识", "一、意义", "正文。", "（一）历史", "正文。", "第二讲 要求", "正文。")
    assert [(b.level, b.text) for b in s.blocks if isinstance(b, Heading)] == [
        (1, "第一讲 认识"), (2, "一、意义"), (3, "（一）历史"), (1, "第二讲 要求")]


def test_run_in_heading_split():
    s = _struct("题目", "正文开头。", "（一）加强学习。要坚持学习，学而不厌。", "（二）注重实践。实践出真知。")
    assert s.blocks[1:] == [
        Heading(1, "（一）加强学习。", True), Paragraph("要坚持学习，学而不厌。"),
        Heading(1, "（二）注重实践。", True), Paragraph("实践出真知。"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "一是加强学习，二是注重实践，三是勇于创新。",
        "第一，要加强学习。第二，要注重实践。",
        "——坚持人民至上，做到心中有民。",
        "2026.04.20召开会议，研究部署工作。",
        "同志们！我们要勇于担当，善于作为。",
    ],
)
def test_not_headings(text):
    s = _struct("题目", "同志们：", "第一段正文。", text, "最后一段。")
    assert Paragraph(text) in s.blocks
    assert not any(isinstance(b, Heading) for b in s.blocks)


def test_unnumbered_heading_between_paragraphs():
    s = _struct("题目", "前面的正文，讲了很多内容。", "关于当前形势", "当前形势总体向好，但挑战不少，需要我们认真应对。", "结尾。")
    assert Heading(1, "关于当前形势") in s.blocks


def test_closing_signature_and_date():
    s = _struct("题目", "正文。", "中共某某市委组织部", "2025年6月30日")
    assert s.blocks[-2:] == [Paragraph("中共某某市委组织部", "signature"), Paragraph("2025年6月30日", "date")]
    s = _struct("题目", "正文。", "中共某某市委组织部 2025年6月30日")
    assert s.blocks[-2:] == [Paragraph("中共某某市委组织部", "signature"), Paragraph("2025年6月30日", "date")]


# --- checks ------------------------------------------------------------------

def test_truncation():
    assert is_truncated([Paragraph("话说到一半，")], False)
    assert is_truncated([Paragraph("深度；")], False)
    assert not is_truncated([Paragraph("完整的句子。")], False)
    assert not is_truncated([Paragraph("完整的引用。”")], False)
    assert not is_truncated([Paragraph("正文。"), Paragraph("2025年6月30日", "date")], False)
    assert is_truncated([Paragraph("完整的句子。")], True)


def test_numbering_gap_and_masks():
    blocks = [Heading(1, "一、甲"), Heading(1, "二、乙"), Heading(1, "四、丁"), Paragraph("为*区和XX市谱写新篇章。")]
    gaps = numbering_gaps(blocks)
    assert len(gaps) == 1 and "四、" in gaps[0].message
    assert len(masked_text(blocks)) == 2


def test_numbering_restarts_under_parent():
    blocks = [Heading(1, "一、甲"), Heading(2, "（一）子"), Heading(2, "（二）子"), Heading(1, "二、乙"), Heading(2, "（一）子")]
    assert numbering_gaps(blocks) == []


def test_read_text_summary_and_truncation_warning():
    outline = read_text("题目\n正文第一段。\n正文没有写完，")
    codes = [w.code for w in outline.warnings]
    assert outline.truncated and "truncated" in codes and codes[-1] == "summary"


def test_breadcrumb_line_removed_before_title():
    outline = read_text("首页 > 党建资料 > 党课讲稿\n关于加强学习的讲话\n同志们：\n今天开会。")
    assert outline.title == "关于加强学习的讲话"
    assert outline.warnings[0].code == "chrome_removed" and "党建资料" in outline.warnings[0].message


def test_site_suffix_and_its_separator_removed_from_title():
    outline = read_text("党课讲稿：坚定信念 - 道客巴巴\n同志们：\n今天开会。")
    assert outline.title == "党课讲稿：坚定信念"


def test_short_clean_lines_are_not_taken_for_wrapped_text():
    outline = read_text("关于做好2025年工作的报告\n各位代表、同志们：\n今天开会。\n"
                        "一、关于过去一年的工作。过去一年，我们做了很多。\n二、关于今年的任务\n今年要做很多。")
    assert outline.title == "关于做好2025年工作的报告"
    assert outline.blocks == (
        Salutation("各位代表、同志们："), Paragraph("今天开会。"), Heading(1, "一、关于过去一年的工作。", True),
        Paragraph("过去一年，我们做了很多。"), Heading(1, "二、关于今年的任务"), Paragraph("今年要做很多。"),
    )


def test_news_portal_furniture_removed():
    outline = read_text("来源：新华网 发布时间：2025-03-01\n2025-03-01 10:20:33\n关于加强学习的讲话\n同志们：\n今天开会。")
    assert outline.title == "关于加强学习的讲话"
    assert sum(w.code == "chrome_removed" for w in outline.warnings) == 3


def test_file_name_suffix_of_a_site_title_removed():
    outline = read_text("关于加强作风建设的党课讲稿.docx\n关于加强作风建设的党课讲稿\n同志们：\n今天开会。")
    assert outline.title == "关于加强作风建设的党课讲稿"
    assert outline.blocks == (Salutation("同志们："), Paragraph("今天开会。"))


def test_bare_part_marker_line_joins_its_title():
    outline = read_text("学习讲稿\n同志们：\n开场白。\n第一部分\n深刻认识重大意义\n正文第一段。\n第二部分\n扎实推进各项工作\n正文第二段。")
    assert [b for b in outline.blocks if isinstance(b, Heading)] == [
        Heading(1, "第一部分 深刻认识重大意义"), Heading(1, "第二部分 扎实推进各项工作")]


def test_document_labels_above_the_title_removed():
    outline = read_text("精品文档\n可编辑\nWord版\n关于加强学习的讲话\n同志们：\n今天开会。")
    assert outline.title == "关于加强学习的讲话"


@pytest.mark.parametrize("width", range(24, 41))
def test_list_inside_a_paragraph_wrapped_before_an_item_starts_no_heading(width):
    from variants import wrap

    para = ("今年的主要任务包括：（一）加强党的建设，提高组织力；（二）推动经济发展，增强综合实力；"
            "（三）改善民生福祉，提升群众满意度；（四）加强生态保护，建设美丽家园。")
    other = "这是另一段话，讲的是工作要求，必须认真落实到位，确保取得实效。" * 3
    lines = [line for p in ("会议讲话", para, other) for line in wrap(p, width)]
    outline = read_text(" ".join(lines))
    assert not any(isinstance(b, Heading) for b in outline.blocks)
    assert any(para in b.text for b in outline.blocks)  # the list stays whole inside its paragraph


@pytest.mark.parametrize("width", range(24, 41))
def test_a_title_nearly_as_wide_as_the_lines_below_stays_the_title(width):
    from variants import wrap

    para = ("今天我们召开全市组织工作会议，主要任务是总结过去一年的工作，部署今年的任务，"
            "动员全市组织系统进一步坚定信心，担当作为，奋力开创新局面。下面，我讲三点意见。")
    title = "关于进一步加强新时代基层党组织建设工作的实施意见和具体安排"[: width - 1]
    outline = read_text("\n".join([title, *wrap(para, width), *wrap(para, width)]))
    assert outline.title == title


@pytest.mark.parametrize("under", ["——在全市组织工作会议上的讲话", "（2025年3月18日）"])
def test_a_wide_title_then_a_subtitle_or_date_line(under):
    from variants import wrap

    para = "今天我们召开全市组织工作会议，主要任务是总结过去一年的工作，部署今年的任务，动员全市组织系统进一步坚定信心。"
    title = "关于进一步加强新时代基层党组织建设工作的实施"  # 23 ems, the body wraps at 24
    outline = read_text("\n".join([title, under, *wrap(para, 24), *wrap(para, 24)]))
    assert outline.title == title and outline.blocks[0] == Paragraph(under, "byline")


def test_title_over_two_lines_of_parallel_phrases():
    text = "\n".join([
        "凝心聚力抓落实 真抓实干开新局", "奋力谱写县域高质量发展新篇章", "",
        "——在县委十五届七次全体（扩大）会议上的讲话", "", "（2024年7月26日）", "", "同志们：", "",
        "这次全会的主要任务是，深入学习贯彻党的二十届三中全会精神。",
    ])
    outline = read_text(text)
    assert outline.title == "凝心聚力抓落实 真抓实干开新局 奋力谱写县域高质量发展新篇章"
    # A job and a name under a one-line title is a byline, not the title's second line.
    outline = read_text("在全市机关党建工作会议上的讲话\n市委常委、秘书长　何立新\n各位领导、同志们：\n今天召开会议。")
    assert outline.title == "在全市机关党建工作会议上的讲话"
    assert [b.role for b in outline.blocks if isinstance(b, Paragraph)][0] == "byline"


def test_word_copy_line_ending_with_a_comma_goes_on():
    """One paragraph per line, and a heading broken by hand after a comma."""
    text = "\n".join([
        "关于下半年工作的讲话", "同志们：", "今天召开会议，研究部署下半年工作。",
        "二、聚焦全年目标任务，", "奋力冲刺下半年各项工作，确保各项指标圆满完成",
        "下半年时间紧、任务重，全县上下要全力以赴抓好各项工作落实。",
    ])
    outline = read_text(text)
    headings = [b.text for b in outline.blocks if isinstance(b, Heading)]
    assert headings == ["二、聚焦全年目标任务，奋力冲刺下半年各项工作，确保各项指标圆满完成"]


def test_pdf_copy_with_a_space_after_every_character_is_read_as_written():
    from converter.reader.reflow import _unspaced

    assert _unspaced("党 的 二 十 届 三 中 全 会 是 在 以 中 国 式 现 代 化") == "党的二十届三中全会是在以中国式现代化"
    assert _unspaced("任 务 ， 必 须 以 更 大 的 政 治 勇 气   G D P 增 长") == "任务，必须以更大的政治勇气 GDP增长"
    # Ordinary lines keep their spaces: space-joined wraps, Latin words, a byline.
    for line in ("今天我们齐聚一堂 围绕加强组织部门作风建设 共上一堂专题党课", "the rule of law is a basic strategy", "县委书记　李明远"):
        assert _unspaced(line) == line


def test_line_repeated_across_a_page_break_is_dropped_once():
    """豆丁 previews repeat a page's last line at the top of the next page."""
    para = ("革命战争年代，我们党依靠群众、发动群众，赢得了民族独立和人民解放。改革开放以来，从小岗村的大包干"
            "到乡镇企业的异军突起，无不是人民群众的伟大创造。历史充分证明，人民群众是真正的英雄，是历史的创造者。")
    lines = _wrap(para, 26)
    doubled = lines[:2] + [lines[1]] + lines[2:]  # the second line again after the page break
    other = "当前，我县正处于全面推进乡村振兴、加快县域高质量发展的关键时期，每一项工作都离不开群众的理解和支持。"
    text = "\n".join(["坚持群众路线", "同志们：", *doubled, "一、做好新时代群众工作", *_wrap(other, 26)])
    outline = read_text(text)
    assert [b.text for b in outline.blocks if isinstance(b, Paragraph)][0] == para
    assert [w.code for w in outline.warnings].count("overlap_removed") == 1


def test_heading_levels_are_the_family_rank_in_the_document():
    """The level contract: a family's rank among the families this document
    uses, the same everywhere ("1." right under "二、" keeps the level it has
    under "（一）"), so 黑体/楷体/仿宋 styling follows the family."""
    s = _struct(
        "讲稿", "同志们：", "开场白。",
        "一、提高认识", "（一）深刻理解意义", "1.把握要求", "正文一。",
        "二、狠抓落实", "1.加强学习", "正文二。", "2.严守纪律", "正文三。",
    )
    levels = [(b.text, b.level) for b in s.blocks if isinstance(b, Heading)]
    assert levels == [("一、提高认识", 1), ("（一）深刻理解意义", 2), ("1.把握要求", 3),
                      ("二、狠抓落实", 1), ("1.加强学习", 3), ("2.严守纪律", 3)]


def test_a_series_of_leads_opening_paragraphs_are_run_in_headings():
    s = _struct(
        "在全市青年工作会议上的讲话", "同志们：", "今天召开会议，我讲三点意见。",
        "第一，要坚定理想信念。理想信念是共产党人精神上的钙。",
        "第二，要加强学习。学习是成长的阶梯，要多读书。",
        "一是读原著。要原原本本学。", "二是联系实际。要带着问题学。",
        "第三，要勇于担当。遇到难题要迎难而上。",
        "谢谢大家！",
    )
    heads = [(b.text, b.level, b.run_in) for b in s.blocks if isinstance(b, Heading)]
    assert heads == [("第一，要坚定理想信念。", 1, True), ("第二，要加强学习。", 1, True),
                     ("一是读原著。", 2, True), ("二是联系实际。", 2, True), ("第三，要勇于担当。", 1, True)]
    assert "理想信念是共产党人精神上的钙。" in [b.text for b in s.blocks]


def test_leads_rank_below_what_encloses_them_and_shift_no_family():
    """第一、 items under （一） are one level below it, and the next （二）
    keeps the level of （一） (it came out one deeper before)."""
    s = _struct(
        "工作报告", "各位代表：", "现在报告工作。",
        "一、总体情况", "（一）经济运行。", "第一、工业增长。工业增加值增长百分之六。",
        "第二、投资扩大。完成投资一百亿元。", "（二）社会事业。", "教育卫生事业加快发展。",
    )
    heads = [(b.text, b.level) for b in s.blocks if isinstance(b, Heading)]
    assert heads == [("一、总体情况", 1), ("（一）经济运行。", 2), ("第一、工业增长。", 3),
                     ("第二、投资扩大。", 3), ("（二）社会事业。", 2)]


def test_a_lone_lead_or_an_inline_series_is_body_text():
    s = _struct(
        "讲话", "同志们：", "今天开会。",
        "第一，我们要看到成绩。这是主要方面。", "另外还有问题要解决。",
        "主要有三个特点：一是政治站位高；二是实践体会深；三是精神面貌好。",
    )
    assert not [b for b in s.blocks if isinstance(b, Heading)]


def test_stage_directions_and_bare_markers():
    s = _struct(
        "表彰大会主持词", "同志们：", "现在开会。",
        "（宣读决定）", "请获奖代表上台领奖。",
        "(三)", "做担当作为的实干家", "空谈误国，实干兴邦。",
    )
    assert [(b.text, b.level) for b in s.blocks if isinstance(b, Heading)] == [("(三)做担当作为的实干家", 1)]
    assert any(isinstance(b, Paragraph) and b.text == "（宣读决定）" for b in s.blocks)


def test_one_stray_space_at_a_line_start_is_not_an_indent():
    para = ("让我们大力弘扬伟大建党精神，在新时代新征程上不断书写新的辉煌篇章。伟大建党精神是中国共产党的精神之源，"
            "是党员干部的精神坐标，我们要把它作为立身做人、干事创业的根本遵循，一以贯之坚持下去。")
    lines = _wrap(para, 30)
    lines[1] = " " + lines[1]  # an OCR speck
    filler = _wrap("今天我们召开专题党课，主要任务是深入学习伟大建党精神的丰富内涵和时代价值。下面，我讲三个方面。", 30)
    outline = read_text("\n".join(["弘扬伟大建党精神", "同志们：", *filler, *lines, *filler]))
    assert para in [b.text for b in outline.blocks]


def test_wechat_section_numbers_and_symbol_subheadings():
    s = _struct(
        "赓续红色血脉 勇担时代使命", "同志们：", "今天我和大家交流三个方面的体会。",
        "01", "坚定理想信念，筑牢信仰之基", "理想信念是共产党人精神上的“钙”。",
        "■ 在学深悟透中坚定信仰", "信仰的坚定来自理论的清醒。",
        "02", "践行初心使命，厚植为民情怀", "江山就是人民，人民就是江山。",
    )
    assert [(b.text, b.level) for b in s.blocks if isinstance(b, Heading)] == [
        ("01 坚定理想信念，筑牢信仰之基", 1), ("■ 在学深悟透中坚定信仰", 2), ("02 践行初心使命，厚植为民情怀", 1),
    ]


def test_utf8_once_read_as_windows_1252_is_restored():
    from converter.reader import read_bytes

    text = "微党课：从一封家书读懂共产党人的初心\n各位党员同志：\n今天我们一起读一封家书。一、信仰的力量\n信仰是最大的力量。"
    # The bytes read one by one as characters (Windows-1252 for 0x80-0x9F,
    # the five bytes it lacks kept as C1 controls), then saved as UTF-8.
    latin1 = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))
    outline = read_bytes(latin1.encode("utf-8"))
    assert outline.title == "微党课：从一封家书读懂共产党人的初心"
    assert any(w.code == "mojibake_repaired" for w in outline.warnings)
    # Ordinary text with accented Latin letters is left alone.
    plain = "Café und Straße: eine Übung für die Qualität der Übersetzung, à la française, garçon! " * 3
    assert decode(plain.encode("utf-8"))[0] == plain


def test_line_numbers_printed_before_every_line_go():
    lines = ["政府工作报告", "——在县人民代表大会上", "各位代表：", "现在，我代表县人民政府向大会报告工作，请予审议。",
             "一、2024年工作回顾", "过去的一年，我们坚持稳中求进，全县农村危房改造", "120户，完成年度任务。", "二、2025年工作安排",
             "今年是十四五规划收官之年。", "谢谢大家！"]
    numbered = "\n".join(f"{n} {line}" for n, line in enumerate(lines, start=1))
    outline = read_text(numbered)
    assert outline.title == "政府工作报告"
    texts = [b.text for b in outline.blocks]
    assert "120户，完成年度任务。" in texts and not any(t[:1].isdigit() and " " in t[:4] for t in texts)
    assert [b.text for b in outline.blocks if isinstance(b, Heading)] == ["一、2024年工作回顾", "二、2025年工作安排"]


def test_labels_above_the_title_main_recipients_and_annexes():
    text = "\n".join([
        "中共临江县委组织部文件", "临组发〔2025〕12号", "关于开展主题党课活动的", "通知",
        "各乡镇党委，县直各单位党组（党委），县委各部委办：",
        "为庆祝中国共产党成立104周年，决定开展系列主题党课活动。现将有关事项通知如下。",
        "一、活动主题", "坚定理想信念，践行初心使命。", "二、工作要求", "各级党组织要高度重视，精心组织实施。",
        "附件：1.主题党课安排表", "2.主题党课参考篇目", "中共临江县委组织部", "2025年6月3日",
    ])
    outline = read_text(text)
    assert outline.title == "关于开展主题党课活动的通知"
    assert [b.text for b in outline.blocks[:2]] == ["中共临江县委组织部文件", "临组发〔2025〕12号"]
    assert any(isinstance(b, Salutation) and b.text.startswith("各乡镇党委") for b in outline.blocks)
    assert [b.text for b in outline.blocks if isinstance(b, Heading)] == ["一、活动主题", "二、工作要求"]
    # A series label and a secrecy note above a lecture's title, too.
    outline = read_text("内部资料　注意保存\n党课讲稿（2025年第3期）\n严守纪律规矩\n同志们：\n今天讲三点。")
    assert outline.title == "严守纪律规矩"


def test_salutation_in_traditional_characters_and_long_run_in_sequences():
    s = _struct("講話", "尊敬的各位領導、各位來賓，同志們：今天我們相聚在這裡。", "一、提高認識", "要加強學習。")
    assert [b.text for b in s.blocks if isinstance(b, Salutation)] == ["尊敬的各位領導、各位來賓，同志們："]
    lead = "坚持需求导向，把人工智能应用聚焦到群众最关心的高频事项上来。"
    s = _struct("讲稿", "同志们：", "今天讲三点。", f"（一）{lead}正文一。", f"（二）{lead}正文二。", f"（三）{lead}正文三。")
    assert [b.text for b in s.blocks if isinstance(b, Heading)] == [f"（一）{lead}", f"（二）{lead}", f"（三）{lead}"]


def test_a_family_of_long_lead_sentences_is_numbered_prose():
    """A regulation's clauses or numbered arguments: when a family's lead
    sentences run long (the median past MAX_FAMILY_LEAD), none is a heading,
    not even the member with a short lead (one family, one reading)."""
    long = "经营性文化事业单位转制为企业，要依法登记为有限责任公司或股份有限公司，加快构建现代企业制度。"
    s = _struct("规定", "为深化改革，特制定以下规定：", f"（一）{long}其他内容。", "（二）完善法人治理结构。公司党委领导班子成员依法进入董事会。",
                f"（三）{long}再有内容。", f"（四）{long}还有内容。")
    assert not [b for b in s.blocks if isinstance(b, Heading)]
    assert [b.text for b in s.blocks][1] == f"（一）{long}其他内容。"


def test_round_four_shapes():
    # A date line, or the subtitle, printed above the title.
    outline = read_text("2025年3月5日\n让雷锋精神在新时代绽放光芒\n同志们：\n今天我们学习雷锋。")
    assert outline.title == "让雷锋精神在新时代绽放光芒"
    outline = read_text("——在全县乡村振兴工作推进会上的讲话\n锚定目标　真抓实干\n同志们：\n今天开会。")
    assert outline.title == "锚定目标 真抓实干"  # (the full-width space is read as a space)
    # Paragraphs run together on one line, separated only by Word's indent.
    one_line = "关于安全生产的讲话　　同志们：　　今天召开会议。　　一、关于形势：　　形势严峻。　　二、关于任务：　　任务艰巨。"
    outline = read_text(one_line)
    assert [b.text for b in outline.blocks if isinstance(b, Heading)] == ["一、关于形势：", "二、关于任务："]
    # Ⅰ、 parts with A. B. under them; a salutation after an opening quotation.
    s = _struct("辅导报告", "“没有调查，就没有发言权。”", "同志们：", "今天讲两点。", "Ⅰ、为什么要调研", "A.要突出问题导向",
                "调研要带着问题去。", "B.要注重方法", "方法要得当。", "Ⅱ、怎样调研", "要深入基层。")
    assert [(b.text, b.level) for b in s.blocks if isinstance(b, Heading)] == [
        ("Ⅰ、为什么要调研", 1), ("A.要突出问题导向", 2), ("B.要注重方法", 2), ("Ⅱ、怎样调研", 1)]
    assert [b.text for b in s.blocks if isinstance(b, Salutation)] == ["同志们："]
    # Full stops typed as "." after Chinese, and soft hyphens, are repaired.
    outline = read_text("述职报告\n同志们：\n一年来，坚持学思践悟. 政治站位不断提升.\n下一步，我将继续努力­工作.")
    texts = [b.text for b in outline.blocks]
    assert "一年来，坚持学思践悟。政治站位不断提升。" in texts and "下一步，我将继续努力工作。" in texts



@pytest.mark.parametrize("salutation", [
    "各位专家、领导：", "全体教职工：", "各位家长，大家好！", "老师们、同学们：大家好！",
    "尊敬的各位领导、各位来宾，同志们：", "亲爱的同学们：", "各位领导、同仁，大家下午好！", "各位局领导、书记校长：",
])
def test_salutations_in_their_other_forms(salutation):
    s = _struct("在大会上的讲话", salutation, "今天我们召开大会，总结工作，部署任务。", "一、总结成绩", "成绩很大。")
    assert [b.text for b in s.blocks if isinstance(b, Salutation)] == [salutation]


def test_a_sentence_opening_with_we_is_no_salutation():
    s = _struct("在大会上的讲话", "我们，要团结一心。今天我们召开大会。", "人们常说，实干兴邦。")
    assert not [b for b in s.blocks if isinstance(b, Salutation)]


_MARKER_ALPHABET = "第一二三四五六七八九十百零〇两（）()、．.,，：: 　0123456789０１２３①⑩⑳ⅠⅤⅪⅫABHZ■◆㈠⑴⒈部分讲章节编条是点句话正文"


_MARKER_STARTS = ["第一部分", "第2讲", "第三节", "第十编", "一、", "十二．", "一 ", "第一、", "（一）", "(二)", "（１）", "(1)",
                  "1.", "1、", "１．", "1）", "2)", "①", "⑳", "Ⅰ、", "Ⅺ.", "A.", "B、", "01 ", "■", "◎", "㈠", "⑴", "⒈"]
_LINES = st.one_of(
    st.text(alphabet=_MARKER_ALPHABET, min_size=1, max_size=14),
    st.tuples(st.sampled_from(_MARKER_STARTS), st.text(alphabet=_MARKER_ALPHABET, max_size=8)).map("".join),
)


@given(_LINES)
@settings(max_examples=3000, deadline=None)
def test_marker_lookup_by_first_character_is_the_full_scan(text):
    """match_marker tries only the families a line's first character allows:
    the same answer as trying every family in order."""
    from converter import markers

    assert markers.match_marker(text) == markers._match_in(text, markers.FAMILIES)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_text(codec):
    text = "讲话稿\r\n同志们：\n今天开会，开展2024年工作。\n"  # 开 (U+5F00) holds a NUL byte too
    assert decode(text.encode(codec)) == (text, f"{codec} (no byte-order mark)")


@pytest.mark.parametrize("junk", [bytes(range(256)) * 4, b"\x00\x01" * 500, b"\x00" * 64,
                                  bytes((i * 7919) % 256 for i in range(4096))])
def test_binary_with_nul_bytes_is_still_refused(junk):
    with pytest.raises(InputError, match="binary"):
        decode(junk)


@pytest.mark.parametrize("codec", ["rot13", "base64", "zlib"])
def test_a_codec_that_is_no_character_set_is_refused(codec):
    with pytest.raises(InputError, match="not a character encoding"):
        decode("讲话".encode(), codec)


def test_outlines_nested_too_deeply_are_refused_not_crashed():
    from converter.errors import OutlineFormatError
    from converter.outline_json import loads as json_loads
    from converter.outline_md import loads as md_loads

    deep = "[" * 10000 + "]" * 10000
    with pytest.raises(OutlineFormatError, match="nested too deeply"):
        json_loads('{"schema": "converter.outline/1", "blocks": ' + deep + "}")
    with pytest.raises(OutlineFormatError, match="nested too deeply"):
        md_loads("---\nschema: converter.outline/1\nmeta: " + deep + "\n---\n正文\n")
