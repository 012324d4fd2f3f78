"""Site chrome (converter/data/chrome.toml) on small realistic texts: what
goes, what stays, page breaks, and the truncated flag both ways."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from converter.model import Heading, Paragraph
from converter.reader import read_text
from converter.reader.checks import is_truncated
from converter.reader.clean import SourceLine, clean, remove_chrome, remove_toc, split_lines
from variants import wrap

# Body sentences with chrome words that must stay (tests/data/chrome_keep.toml).
KEEP_SENTENCES: dict[str, list[str]] = tomllib.loads((Path(__file__).parent / "data" / "chrome_keep.toml").read_text("utf-8"))

BODY = ("今天我们召开全县组织工作会议，主要任务是总结过去一年的工作，部署今年的任务，"
        "动员全县组织系统进一步坚定信心、担当作为，奋力开创新局面。")
CLOSING = "同志们，让我们更加紧密地团结起来，奋力谱写高质量发展新篇章！"


def between_sentences(line: str):
    """The clean stage's result for ``line`` standing between two body
    sentences (its own line is result.lines[1])."""
    return clean(f"正文。\n{line}\n正文。")


def removed(result) -> list[str]:
    return [w.message for w in result.warnings if w.code == "chrome_removed"]


def texts(outline) -> list[str]:
    return [b.text for b in outline.blocks]


def body_text(outline) -> str:
    return "".join(texts(outline))


# --- page furniture ----------------------------------------------------------

@pytest.mark.parametrize("number", ["· 3 ·", "·3·", "· 12 ·", "• 4 •", "・5・", "· i ·", "- iv -", "— 3 —", "第3页 共8页", "3 / 8"])
def test_page_numbers_are_removed_as_page_breaks(number):
    result = clean(f"正文第一行\n{number}\n正文第二行")
    assert [l.text for l in result.lines] == ["正文第一行", "", "正文第二行"]
    assert result.lines[1].page_break
    assert removed(result) == [f"removed site text: {number}"]


def test_a_paragraph_split_by_a_dotted_page_number_is_joined():
    lines = wrap(BODY * 3, 26)
    raw = "\n".join(["关于加强学习的讲话", "同志们：", *lines[:4], "", "· 2 ·", "", *lines[4:], "", CLOSING])
    outline = read_text(raw)
    assert BODY * 3 in texts(outline)
    assert not any(isinstance(b, Heading) for b in outline.blocks)


def test_docin_page_footer_inside_a_joined_line_is_removed():
    lines = wrap(BODY * 3, 26)
    joined = " ".join([*lines[:3], "1 / 5  学习好资料 欢迎下载", *lines[3:], CLOSING])
    outline = read_text("关于加强学习的讲话\n" + joined)
    assert "removed site text: 1 / 5  学习好资料 欢迎下载" in [w.message for w in outline.warnings]
    assert texts(outline) == [BODY * 3, CLOSING]


@pytest.mark.parametrize("footer", ["2 / 8 学习好资料 欢迎下载", "精品资料 欢迎下载", "名师资料总结 - - -精品资料欢迎下载 - - - - - -"])
def test_site_page_footer_line_is_a_page_break(footer):
    result = clean(f"正文第一行\n{footer}\n正文第二行")
    assert result.lines[1].text == "" and result.lines[1].page_break


def test_preview_watermark_line_is_a_page_break():
    result = clean("正文第一行，\n预览与源文档一致，下载高清无水印\n正文第二行。")
    assert result.lines[1].text == "" and result.lines[1].page_break
    assert not result.cut_off


# --- table of contents -------------------------------------------------------

TOC = """目  录

一、深刻认识重大意义..................................1
    （一）坚定理想信念的必然要求..........................1
    （二）保持先进性纯洁性的重要保障..................2
二、准确把握丰富内涵......................................3

· i ·
"""


def _lecture(heads: list[str]) -> str:
    return "\n".join(["关于传承红色基因的党课", "同志们：", BODY, *[x for h in heads for x in (h, BODY)], CLOSING])


def test_toc_with_leaders_is_removed_and_body_headings_stay():
    heads = ["一、深刻认识重大意义", "（一）坚定理想信念的必然要求", "（二）保持先进性纯洁性的重要保障", "二、准确把握丰富内涵"]
    raw = "关于传承红色基因的党课\n" + TOC + "\n".join(_lecture(heads).split("\n")[1:])
    outline = read_text(raw)
    assert [b.text for b in outline.blocks if isinstance(b, Heading)] == heads
    toc = [w for w in outline.warnings if "table of contents" in w.message]
    assert len(toc) == 5 and "目  录" in toc[0].message and all(w.code == "chrome_removed" for w in toc)
    assert "....." not in body_text(outline) and not body_text(outline).startswith("目")
    assert outline.blocks[0].text == "同志们："


def test_toc_without_title_as_a_run_of_leader_lines():
    lines, warnings = remove_toc(split_lines("第一章 总则……………………1\n第二章 组织机构………………3\n第三章 附则……………5\n同志们："))
    assert [l.text for l in lines] == ["", "", "", "同志们："]
    assert len(warnings) == 3


def test_toc_entry_wrapped_over_two_lines():
    raw = "目录\n一、关于进一步加强新时代基层党组织建设工作的\n实施意见和具体安排....................1\n二、总体要求........2\n同志们："
    lines, warnings = remove_toc(split_lines(raw))
    assert [l.text for l in lines] == ["", "", "", "", "同志们："]


def test_toc_from_word_with_tab_page_numbers_under_title():
    raw = "目录\n一、总体要求\t1\n二、主要任务\t3\n三、保障措施\t5\n\n同志们：\n" + BODY
    result = clean(raw)
    assert [l.text for l in result.lines if l.text] == ["同志们：", BODY]


def test_toc_without_page_numbers_whose_entries_stand_again_as_headings():
    heads = ["一、总体要求", "二、主要任务"]
    raw = "关于传承红色基因的党课\n目 录\n一、总体要求\n二、主要任务\n" + "\n".join(_lecture(heads).split("\n")[1:])
    outline = read_text(raw)
    assert [b.text for b in outline.blocks if isinstance(b, Heading)] == heads
    assert sum("table of contents" in w.message for w in outline.warnings) == 3


def test_toc_inside_a_joined_line():
    (line,) = remove_chrome([SourceLine(1, "目 录 一、总体要求........1 二、主要任务........3 同志们： 今天开会。")]).lines
    assert line.text == "同志们： 今天开会。"


def test_a_mulu_line_without_entries_and_body_mentions_of_mulu_stay():
    raw = "目录\n同志们：\n要认真对照《政府投资项目负面清单目录》逐项检查。\n目录编制工作要在月底前完成。"
    result = clean(raw)
    assert [l.text for l in result.lines] == raw.split("\n")
    assert not result.warnings


# --- headers and footers of document sites ------------------------------------

def test_yuanchuangli_preview():
    raw = "\n".join([
        "原创力文档", "max.book118.com", "", "关于传承红色基因的党课.docx", "",
        "文档编号：8127045063006025", "（此文档为word格式，可任意修改编辑！）", "",
        "关于传承红色基因的党课", "同志们：", BODY, "要坚持把群众满意作为工作的第一标准，真正做到问需于民、问计于民，把",
        "", "· 5 ·", "预览与源文档一致，下载高清无水印", "", "",
        "亲，该文档总共15页，到这已经超出免费预览范围，如果喜欢就下载吧！", "下载文档", "收藏", "分享", "赏", "0",
    ])
    outline = read_text(raw)
    assert outline.title == "关于传承红色基因的党课"
    assert texts(outline)[0] == "同志们："
    assert texts(outline)[-1].endswith("问计于民，把")
    assert outline.truncated
    messages = [w.message for w in outline.warnings]
    for gone in ("文档编号：8127045063006025", "（此文档为word格式，可任意修改编辑！）", "赏", "亲，该文档总共15页"):
        assert any(gone in m for m in messages), gone


def test_wenku_header_and_whole_text_footer_are_not_truncation():
    raw = "\n".join([
        "百度文库", "VIP专享文档", "", "关于加强学习的讲话", "", "下载文档原格式（Word原格式，共9页）", "付费下载", "",
        "关于加强学习的讲话", "同志们：", BODY, CLOSING, "县委常委、常务副县长 周建华", "二〇二四年八月十六日", "",
        "本文档共9页，全文阅读已结束", "下载本文档", "相关文档推荐",
    ])
    outline = read_text(raw)
    assert outline.title == "关于加强学习的讲话"
    assert not outline.truncated
    assert not any("下载" in t or "文档" in t for t in texts(outline))
    assert "removed site text: 本文档共9页，全文阅读已结束" in [w.message for w in outline.warnings]


def test_site_saying_whole_text_shown_means_complete_even_without_a_final_stop():
    raw = f"关于加强学习的讲话\n同志们：\n{BODY}\n谢谢大家\n本文档共3页，全文阅读已结束"
    assert not read_text(raw).truncated
    assert read_text(f"关于加强学习的讲话\n同志们：\n{BODY}\n下面我再强调两点，").truncated


def test_a_cut_off_notice_wins_over_a_whole_text_footer():
    result = clean("正文。\n试读已结束，如果需要该文档请下载\n全文阅读已结束")
    assert result.cut_off and result.complete
    assert is_truncated([Paragraph("正文。")], result.cut_off, result.complete)
    assert not is_truncated([Paragraph("正文没有写完，")], False, True)


def test_docin_download_note_after_the_closing():
    body = " ".join(wrap(BODY * 2, 26))
    raw = ("豆丁网\n首页\n\n关于加强学习的讲话\n\n上传人：xiaoqiao2024\n2 下载券\n\n"
           f"关于加强学习的讲话 同志们： {body} 中共临水县委宣传部 2024年5月10日\n"
           "【下载本文档，可以自由复制内容或自由编辑修改内容，更多精彩文章，期待你的好评和关注，我将一如既往为您服务】")
    outline = read_text(raw)
    assert outline.blocks[-2:] == (Paragraph("中共临水县委宣传部", "signature"), Paragraph("2024年5月10日", "date"))
    assert not outline.truncated


@pytest.mark.parametrize("note", [
    "（注：可编辑下载，若有不当之处，请指正，谢谢！）",
    "(注:可编辑下载,若有不当之处,请指正,谢谢!)",
    "【本文档可自由编辑修改，欢迎下载】",
    "（此文档为word格式，下载后可任意编辑修改！）",
])
def test_uploader_notes_about_editing_the_document(note):
    outline = read_text(f"关于加强学习的讲话\n同志们：\n{BODY}\n{CLOSING}\n\n{note}")
    assert texts(outline)[-1] == CLOSING and not outline.truncated


@pytest.mark.parametrize("line", [
    "下载提示：该文档是本站用户上传，仅供学习参考，如有侵权请联系删除。",
    "温馨提示：当前文档最多只能预览 5 页，此文档共15 页，请下载后查看全文。",
    "本文档为【讲稿.doc】的会员上传，版权归作者所有。",
    "该文档为用户出于学习交流目的上传，如有侵权请联系删除。",
    "更多精品文档", "更多相关文档 请关注本站",
    "Copyright © 2008-2024 max.book118.com All Rights Reserved",
    "版权所有 © 2024 某某文库",
    "内容提示：关于加强学习的讲话 同志们：今天我们召开……",
    "该用户很懒，什么也没介绍",
    "本资料仅供个人学习交流使用", "个人收集整理 仅供参考学习", "仅供学习与交流，如有侵权请联系网站删除",
    "VIP专享文档", "VIP文档", "付费文档",
    "下载到电脑，查找使用更方便",
    "还剩3页未读，继续免费阅读",
    "免费在线预览全文",
    "本文为会员上传，版权归原作者所有",
    "文档来源为:从网络收集整理.word版本可编辑.欢迎下载支持.",
    "此文档仅供收集于网络，如有侵权请联系网站删除",
    "百度文库 - 让每个人平等地提升自我",
    "道客巴巴 - 在线文档分享平台",
    "【打印】【关闭】", "[打印本页] [关闭窗口]", "字号：【大】【中】【小】",
    "发布时间：2024年01月15日 09:30:12",
    "文档格式：DOCX | 页数：5 | 浏览次数：120 | 上传日期：2024-03-01 10:20:33",
    "上传人：abc123  上传时间：2024-03-01  浏览：1200次  下载：12次",
    "贡献者：abc 2024-03-01 20人阅读 1.2万人浏览",
])
def test_site_notices_removed(line):
    result = between_sentences(line)
    assert result.lines[1].text == "", line
    assert removed(result)


@pytest.mark.parametrize("line, cut", [
    ("亲，该文档总共15页，到这已经超出免费预览范围，如果喜欢就下载吧！", True),
    ("试读已结束，如果需要该文档请下载", True),
    ("温馨提示：当前文档最多只能预览 5 页，此文档共15 页，请下载后查看全文。", True),
    ("本文档仅支持预览前5页，下载后查看完整内容", True),
    ("本文档共9页，全文阅读已结束", False),
    ("下载文档原格式（Word原格式，共9页）", False),
])
def test_truncation_notices(line, cut):
    result = clean(f"正文，\n{line}")
    assert result.lines[1].text == ""
    assert result.cut_off is cut


# --- a cut-off notice glued to the last line -----------------------------------

@pytest.mark.parametrize("notice", ["……（未完，下载后查看全文）", "......(未完,下载后查看全文)", "（未完待续）", "…（试读结束，请下载完整版）"])
def test_cut_off_notice_glued_to_the_last_line(notice):
    outline = read_text(f"关于加强学习的讲话\n同志们：\n{BODY}\n推动全面从严治党向纵深发展，决不允许{notice}")
    assert texts(outline)[-1] == "推动全面从严治党向纵深发展，决不允许"
    assert outline.truncated
    assert any(notice.lstrip("….") in w.message for w in outline.warnings)


def test_brackets_at_the_end_of_a_complete_text_stay():
    for last in ("（全文完）", "（根据录音整理）", "（本文有删节）"):
        outline = read_text(f"关于加强学习的讲话\n同志们：\n{BODY}\n{CLOSING}{last}")
        assert texts(outline)[-1] == CLOSING + last


def test_a_download_note_in_the_middle_of_the_text_is_not_a_suffix():
    result = clean(f"正文（未完，下载后查看全文）\n{BODY}")
    assert result.lines[0].text == "正文（未完，下载后查看全文）"


# --- news and government portals ----------------------------------------------

PORTAL = """当前位置：首页 > 政务公开 > 计划总结

临川县发展和改革局2023年工作总结

发布时间：2024-01-15 09:30  来源：县发展和改革局  浏览次数：1523
【字体：大 中 小】
分享到： 微信 微博 QQ空间
扫一扫在手机打开当前页

　　{body}

　　{closing}

临川县发展和改革局

2024年1月12日

【打印】 【关闭】

上一篇：临川县发展和改革局2024年度部门预算公开
下一篇：关于2023年度价格监测工作情况的通报

主办单位：临川县人民政府办公室  承办单位：临川县大数据发展中心
网站标识码：3310240001  浙ICP备05012345号-1  浙公网安备 33102402000123号
联系电话：0576-81234567
"""


def test_portal_page():
    outline = read_text(PORTAL.format(body=BODY, closing=CLOSING))
    assert outline.title == "临川县发展和改革局2023年工作总结"
    assert texts(outline) == [BODY, CLOSING, "临川县发展和改革局", "2024年1月12日"]
    assert outline.meta.speaker is None and outline.meta.date is None
    assert not outline.truncated
    messages = [w.message for w in outline.warnings]
    for gone in ("发布时间：2024-01-15 09:30", "微信 微博 QQ空间", "扫一扫在手机打开当前页", "【打印】", "【关闭】",
                 "上一篇：", "下一篇：", "主办单位：", "浙ICP备05012345号-1", "联系电话：0576-81234567"):
        assert any(gone in m for m in messages), gone


def test_contact_lines_of_a_notice_stay():
    # Contact lines are the portal's footer only after other site text.
    notice = f"关于召开全县工作会议的通知\n各乡镇：\n{BODY}\n联系人：张三\n联系电话：0576-81234567\n"
    assert texts(read_text(notice))[-1] == "联系电话：0576-81234567"
    assert texts(read_text(notice + "主办单位：县委办公室\n"))[-2:] == ["联系电话：0576-81234567", "主办单位：县委办公室"]
    outline = read_text(notice + "县委办公室\n2024年3月1日\n上一篇：关于做好防汛工作的通知\n联系电话：0576-80000000\n")
    assert "联系电话：0576-81234567" in texts(outline) and "联系电话：0576-80000000" not in texts(outline)


# --- body text that merely contains chrome words -------------------------------

KEEP = KEEP_SENTENCES["portal"]


def test_body_sentences_stay_through_the_whole_reader():
    raw = "关于加强学习的讲话\n\n同志们：\n\n" + "\n\n".join(KEEP) + "\n\n" + CLOSING
    outline = read_text(raw)
    assert texts(outline)[1:] == [*KEEP, CLOSING]
    assert not outline.truncated


def test_a_page_number_is_no_footer_for_contact_lines():
    raw = f"关于召开全县工作会议的通知\n各乡镇：\n{BODY}\n\n— 2 —\n\n联系电话：0576-81234567\n1、会议材料请于会前下载打印。"
    assert texts(read_text(raw))[-2:] == ["联系电话：0576-81234567", "1、会议材料请于会前下载打印。"]


# --- WeChat (公众号) articles -----------------------------------------------------

WECHAT = """清风临江
原创 李明 清风临江 2024年08月15日 18:02 发表于浙江
收录于合集
#廉政党课 12个

👆点击上方蓝字 关注我们

以案为鉴 筑牢廉洁防线

——县纪委书记在全县新任职干部廉政党课上的讲话

【编者按】近日，县纪委书记为全县新任职干部上了一堂廉政党课。现将讲稿刊发如下，供大家学习参考。

同志们：

{body}

▲ 8月12日，廉政党课现场（图片来源：县融媒体中心）

01
深刻认识廉洁自律的重要性

{body}

图为党员干部参观廉政教育基地。（记者 王强 摄）

02
切实筑牢拒腐防变的思想防线

{closing}

- END -

来源 | 清风临江
编辑丨周洁  初审丨吴刚
审核：张华

▼往期推荐▼

县纪委监委通报3起典型案例

中秋国庆将至，这些纪律要求要牢记！

点击“阅读原文”了解更多
阅读原文
投稿邮箱：qflj@163.com
分享
收藏
12
在看
35
赞

喜欢此内容的人还喜欢
学习贯彻党的二十届三中全会精神｜这些新表述要掌握
"""


def _wechat(**kw) -> str:
    return WECHAT.format(body=kw.get("body", BODY), closing=kw.get("closing", CLOSING))


def test_wechat_article_header_and_footer_go():
    outline = read_text(_wechat())
    assert outline.title == "以案为鉴 筑牢廉洁防线"
    assert texts(outline)[0] == "——县纪委书记在全县新任职干部廉政党课上的讲话"
    assert outline.blocks[1].text == "同志们："
    assert texts(outline)[-1] == CLOSING
    assert not outline.truncated
    body = body_text(outline)
    for gone in ("清风临江", "原创", "收录于", "#", "关注", "编者按", "▲", "图片来源", "图为", "摄", "END", "来源",
                 "编辑", "审核", "往期推荐", "典型案例", "阅读原文", "投稿", "在看", "喜欢此内容", "新表述"):
        assert gone not in body, gone
    messages = removed(outline)
    for gone in ("清风临江", "原创 李明 清风临江 2024年08月15日 18:02 发表于浙江", "#廉政党课 12个",
                 "【编者按】近日", "▲ 8月12日", "图为党员干部参观廉政教育基地", "- END -", "来源 | 清风临江",
                 "编辑丨周洁", "初审丨吴刚", "审核：张华", "▼往期推荐▼", "县纪委监委通报3起典型案例",
                 "点击“阅读原文”了解更多", "投稿邮箱：qflj@163.com", "喜欢此内容的人还喜欢",
                 "学习贯彻党的二十届三中全会精神｜这些新表述要掌握"):
        assert any(gone in m for m in messages), gone


def test_wechat_section_numbers_over_headings_stay():
    result = clean(_wechat())
    kept = [l.text for l in result.lines if l.text]
    for number, heading in (("01", "深刻认识廉洁自律的重要性"), ("02", "切实筑牢拒腐防变的思想防线")):
        i = kept.index(number)
        assert kept[i + 1] == heading
    assert "12" not in kept and "35" not in kept  # the button counts go


@pytest.mark.parametrize("raw, kept", [
    # a page number: over a full line of a wrapped body, or after a line that ends no sentence
    ("要坚持把群众满意作为工作的第一标准，\n01\n真正做到问需于民、问计于民、问政于民、问效于民，把群众满意", False),
    (f"{BODY}\n05\n{BODY}", False),
    ("要坚持把群众满意作为工作的第一标准，把好事办好\n02\n二、主要任务", False),
    (f"{BODY}\n12\n二、主要任务", False),
    # a section number: after a sentence, over a short heading
    (f"{BODY}\n03\n发扬斗争精神，勇担发展重任", True),
    (f"同志们：\n\n01\n\n坚定理想信念\n\n{BODY}", True),
])
def test_section_number_or_page_number(raw, kept):
    result = clean(raw)
    numbers = [l.text for l in result.lines if l.text.isdigit()]
    assert bool(numbers) is kept


def test_account_name_is_no_title_and_no_running_header():
    raw = ("组工在线\n原创 组工在线 组工在线 2024-07-02 07:30 发表于江西\n\n关于加强学习的讲话\n\n同志们：\n\n"
           f"{BODY}\n\n要办好组工在线这个平台，讲好组工故事。\n\n{CLOSING}\n\nEND\n\n来源 | 组工在线\n组工在线\n")
    outline = read_text(raw)
    assert outline.title == "关于加强学习的讲话"
    assert texts(outline) == ["同志们：", BODY, "要办好组工在线这个平台，讲好组工故事。", CLOSING]
    assert not any(w.code == "header_removed" for w in outline.warnings)
    assert not outline.truncated


def test_account_name_under_its_header_line():
    raw = "关于加强学习的讲话\n原创 张三 学习强国 2024年7月2日\n学习强国\n微信号 xuexiqiangguo\n\n同志们：\n" + BODY
    result = clean(raw)
    assert [l.text for l in result.lines if l.text] == ["关于加强学习的讲话", "同志们：", BODY]


@pytest.mark.parametrize("line", [
    "原创 组工在线 组工在线 2024-07-02 07:30 发表于江西",
    "原创 张三 学习强国 2024年07月02日 07:30 北京",
    "转载 组工在线",
    "组工在线 2024-07-02 07:30",
    "清风临江 2024年8月15日 18:02 发表于浙江",
    "原创", "发表于江西", "IP属地：内蒙古",
    "收录于合集", "收录于话题 #党课讲稿 36个", "#党课讲稿 36个", "#党课 #讲稿 #学习",
    "👆点击上方蓝字 关注我们", "▼点击上方“清风临江”一键关注", "点击蓝字关注我们", "长按识别二维码关注我们",
    "关注我们", "扫码关注", "预览时标签不可点", "微信扫一扫关注该公众号", "继续滑动看下一个",
    "功能介绍 临江县纪委监委官方公众号", "微信号：qflj2020",
    "END", "- END -", "—END—", "THE END",
    "阅读原文", "点击“阅读原文”了解更多", "↓点击阅读原文查看详情",
    "分享", "收藏", "在看", "赞", "点赞", "分享 收藏 点赞 在看", "阅读 10万+", "在看 35", "点个在看，你最好看",
    "写留言", "精选留言",
    "来源 | 组工在线", "来源丨新华社", "编辑 | 陈晓", "审核 | 刘伟", "责编：王晓", "校对 | 李四",
    "编辑丨周洁  初审丨吴刚  终审丨张华", "(责编：王晓、李明)", "（责任编辑：张三）", "【编辑：李四】",
    "声明：本文转自人民日报，版权归原作者所有，如有侵权请联系删除。",
    "▲ 6月28日，县委书记王建军为全县党员干部讲授专题党课（图片来源：县融媒体中心）",
    "（图片来源：县融媒体中心）", "图片来源：网络", "（资料图片）",
    "图为党员干部参观廉政教育基地。（记者 王强 摄）", "（图为县委书记讲授专题党课）", "记者 王强 摄",
    "编者按：6月28日，县委书记王建军为全县党员干部讲授专题党课。现将党课内容整理刊发，供大家学习参考。",
    "【编者按】现将讲稿刊发如下。",
    "往期推荐", "▼往期推荐▼", "推荐阅读", "喜欢此内容的人还喜欢",
])
def test_wechat_chrome_lines_removed(line):
    result = between_sentences(line)
    assert result.lines[1].text == "", line
    assert removed(result)
    assert not result.cut_off


def test_recommended_titles_go_only_at_the_end_of_the_page():
    items = "往期推荐\n全县组织工作会议召开\n组织部长讲党课：把“严”的基调贯穿始终"
    outline = read_text(f"关于加强学习的讲话\n同志们：\n{BODY}\n{CLOSING}\n{items}\n")
    assert texts(outline)[-1] == CLOSING and not outline.truncated
    # Under a 推荐阅读 line in the middle of the text, the lines are the lecture's.
    outline = read_text(f"关于加强学习的讲话\n同志们：\n推荐阅读\n《共产党宣言》\n《论持久战》\n{BODY}\n{CLOSING}")
    assert texts(outline)[1:3] == ["《共产党宣言》", "《论持久战》"]
    # "推荐阅读：" with a colon heads the speaker's own list.
    outline = read_text(f"关于加强学习的讲话\n同志们：\n{BODY}\n推荐阅读：\n《共产党宣言》\n《论持久战》")
    assert texts(outline)[-3:] == ["推荐阅读：", "《共产党宣言》", "《论持久战》"]


def test_editor_note_hard_wrapped_goes_whole():
    raw = ("关于加强作风建设的党课讲稿\n"
           "编者按：本文系县委书记在全县干部作风建设大会上的党课讲稿，经\n"
           "本人审定后全文刊发，供各级党组织开展学习讨论时参考使用，请各\n"
           "单位结合实际认真学习。\n"
           "同志们：\n" + "\n".join(wrap(BODY * 2, 30)) + "\n" + CLOSING)
    outline = read_text(raw)
    assert outline.blocks[0].text == "同志们："
    assert "编者按" not in body_text(outline) and "审定" not in body_text(outline)
    assert texts(outline)[1] == BODY * 2


def test_editor_note_does_not_take_the_salutation():
    raw = "关于加强作风建设的党课讲稿\n编者按：现将讲稿刊发如下，供大家学习参考\n同志们：\n" + BODY
    assert [l.text for l in clean(raw).lines if l.text] == ["关于加强作风建设的党课讲稿", "同志们：", BODY]


def test_triangle_bullets_are_no_captions():
    bullets = ["▲坚持以上率下，领导干部要带头改进作风。", "▲坚持问题导向，以钉钉子精神抓落实。"]
    result = clean("\n".join(["同志们：", BODY, *bullets, CLOSING]))
    assert [l.text for l in result.lines][2:4] == bullets
    # One bullet that ends a sentence makes the mark a list marker for the whole text.
    lines = ["同志们：", BODY, "▲ 坚持以上率下", BODY, "▲ 坚持问题导向，以钉钉子精神抓落实。", CLOSING]
    assert [l.text for l in clean("\n".join(lines)).lines] == lines
    # A caption alone goes.
    result = clean("\n".join(["同志们：", BODY, "▲ 党员干部在纪念馆重温入党誓词", BODY]))
    assert result.lines[2].text == ""


KEEP_WECHAT = KEEP_SENTENCES["wechat"]




# --- portal dates, credit lines --------------------------------------------------

@pytest.mark.parametrize("line", [
    "2024年09月10日08:21 | 来源：临江日报",
    "2024年9月10日 08:21  来源：人民网－人民日报",
    "2024-09-10 08:21  来源：新华网",
    "2024年09月10日08:21",
    "2024年09月10日 08:21:35",
])
def test_portal_date_and_time_in_chinese_form(line):
    result = between_sentences(line)
    assert result.lines[1].text == "", line


def test_credit_line_at_the_end_is_no_truncation():
    notes = "注释：\n[1]参见《习近平关于全面深化改革论述摘编》，中央文献出版社2014年版。"
    for credit in ("(责编：王晓、李明)", "（责任编辑：张三）", "责编：王晓", "编辑 | 陈晓"):
        outline = read_text(f"以钉钉子精神推动改革任务落地见效\n{BODY}\n{CLOSING}\n{notes}\n{credit}")
        assert not outline.truncated, credit
        assert texts(outline)[-1].startswith("[1]"), credit
    # glued to the last sentence
    outline = read_text(f"以钉钉子精神推动改革任务落地见效\n{BODY}\n{CLOSING}（责编：王晓、李明）")
    assert texts(outline)[-1] == CLOSING and not outline.truncated


# --- a running header that carries a page number ----------------------------------

def test_running_header_with_page_number_goes_on_the_first_page_too():
    pages = [wrap("".join(KEEP[:6]), 26), wrap("".join(KEEP[6:12]), 26), wrap("".join(KEEP[12:]) + CLOSING, 26)]
    raw = "\n".join([
        "·16·    专题党课讲稿选编", "弘扬伟大建党精神 争做新时代合格党员", "同志们：", *pages[0],
        "专题党课讲稿选编        ·17·", *pages[1],
        "专题党课讲稿选编        ·18·", *pages[2],
    ])
    outline = read_text(raw)
    assert outline.title == "弘扬伟大建党精神 争做新时代合格党员"
    assert "专题党课讲稿选编" not in body_text(outline)
    assert sum(w.code == "header_removed" for w in outline.warnings) == 3


def test_title_printed_again_with_page_numbers_stays_the_title():
    pages = [wrap("".join(KEEP[:6]), 26), wrap("".join(KEEP[6:12]), 26)]
    raw = "\n".join(["关于加强学习的讲话", "同志们：", *pages[0], "关于加强学习的讲话 · 2 ·", *pages[1],
                     "关于加强学习的讲话 · 3 ·", CLOSING])
    outline = read_text(raw)
    assert outline.title == "关于加强学习的讲话"
    assert "关于加强学习的讲话" not in body_text(outline)


# --- an annex list after the 落款 --------------------------------------------------

ANNEX = ["附件：1.2025年农业农村重点项目计划表", "2.2025年高标准农田建设任务分解表", "3.2024年度乡村振兴重点工作考核情况汇总表"]


@pytest.mark.parametrize("annex", [
    ANNEX,
    ["附件：2025年农业农村重点项目计划表"],
    ["附件", "1.2025年农业农村重点项目计划表", "2.2025年高标准农田建设任务分解表"],
    ["附件1：2025年农业农村重点项目计划表", "附件2：2025年高标准农田建设任务分解表"],
    ["附件：（1）重点项目计划表", "（2）任务分解表"],
])
def test_an_annex_list_at_the_end_is_no_truncation(annex):
    blocks = [Paragraph(BODY), Paragraph("临江县农业农村局", "signature"), Paragraph("2024年12月20日", "date"),
              *[Paragraph(a) for a in annex]]
    assert not is_truncated(blocks, False)
    outline = read_text("\n".join(["临江县农业农村局2024年工作总结", BODY, "临江县农业农村局", "2024年12月20日", *annex]))
    assert not outline.truncated
    assert texts(outline)[-len(annex):] == annex


def test_annex_words_in_a_cut_off_sentence_are_still_truncation():
    assert is_truncated([Paragraph(BODY), Paragraph("各单位要按时报送附件材料，并")], False)
    assert is_truncated([Paragraph(BODY), Paragraph("附件：1.重点项目计划表"), Paragraph("要按时报送，并")], False)
    assert is_truncated([Paragraph("1.要按时报送")], False)


def test_news_portal_article_foot():
    raw = (f"以钉钉子精神推动改革任务落地见效\n\n2024年09月10日08:21 | 来源：人民网－人民日报\n小字号\n\n{BODY}\n\n{CLOSING}\n\n"
           "（作者系临江市委党校经济学教研部主任、教授）\n\n《 人民日报 》（ 2024年09月10日 09 版）\n\n(责编：王晓、李明)\n\n"
           "分享让更多人看到\n\n推荐阅读\n\n全面深化改革的重大意义\n以改革之力激发发展活力\n")
    outline = read_text(raw)
    # (the print-edition credit is the article's own attribution: nothing of the text is lost)
    assert texts(outline) == [BODY, CLOSING, "（作者系临江市委党校经济学教研部主任、教授）", "《 人民日报 》（ 2024年09月10日 09 版）"]
    assert not outline.truncated


def test_a_note_in_brackets_after_the_text_is_passed_over_for_truncation():
    note = Paragraph("（作者系临江市委党校经济学教研部主任、教授）")
    assert not is_truncated([Paragraph(BODY), note], False)
    assert is_truncated([Paragraph("要坚持把群众满意作为工作的第一标准，"), note], False)


# --- 360doc (个人图书馆) ------------------------------------------------------------

DOC360 = """个人图书馆
首页  阅览室  馆友  我的图书馆

关于加强学习的讲话
临江组工　2025-05-18　|　阅126　|　转3

大　中　小
转藏  全屏  打印  分享  献花(0)

同志们：

{body}

{closing}

本站是提供个人知识管理的网络存储空间，所有内容均由用户发布，不代表本站观点。请注意甄别内容中的联系方式、诱导购买等信息，谨防诈骗。如发现有害或侵权内容，请点击一键举报。
转藏  分享  献花(0)
+1

来自: 临江组工 > 《党建资料》
举报/认领

上一篇：驻村第一书记工作职责清单
下一篇：2025年驻村帮扶工作要点

猜你喜欢

0条评论
发表
请遵守用户 评论公约

类似文章 更多
全市驻村帮扶工作推进会发言材料汇编
第一书记驻村工作心得体会（精选6篇）
"""


def test_360doc_page_chrome_goes():
    outline = read_text(DOC360.format(body=BODY, closing=CLOSING))
    assert outline.title == "关于加强学习的讲话"
    assert texts(outline) == ["同志们：", BODY, CLOSING]
    assert not outline.truncated
    messages = removed(outline)
    for gone in ("个人图书馆", "阅览室", "临江组工\u30002025-05-18\u3000|\u3000阅126\u3000|\u3000转3", "大\u3000中\u3000小",
                 "转藏", "全屏", "献花(0)", "本站是提供个人知识管理的网络存储空间", "+1", "来自: 临江组工 > 《党建资料》",
                 "举报/认领", "猜你喜欢", "0条评论", "发表", "评论公约", "类似文章 更多", "第一书记驻村工作心得体会（精选6篇）"):
        assert any(gone in m for m in messages), gone


@pytest.mark.parametrize("line", [
    "个人图书馆", "360doc个人图书馆", "首页  阅览室  馆友  我的图书馆",
    "临江组工 2025-05-18 | 阅126 | 转3", "新用户8273 2023-05-18 发布于江苏 | 1234 阅读 | 56 转藏",
    "阅126 | 转3", "阅读 1.2万 转藏 56",
    "大　中　小", "大 中 小", "转藏  全屏  打印  分享  献花(0)", "转藏 献花（12）", "转藏到我的图书馆", "+1",
    "本站是提供个人知识管理的网络存储空间，所有内容均由用户发布，不代表本站观点。如发现有害或侵权内容，请点击一键举报。",
    "来自: 临江组工 > 《党建资料》", "来自：学习笔记 > 《党课讲稿》", "举报/认领", "0条评论", "请遵守用户 评论公约",
])
def test_360doc_chrome_lines_removed(line):
    result = between_sentences(line)
    assert result.lines[1].text == "", line
    assert removed(result)
    assert not result.cut_off


@pytest.mark.parametrize("title", ["类似文章 更多", "类似文章", "喜欢该文的人也喜欢", "TA的最新馆藏", "作者最新文章", "相关推荐"])
def test_lists_of_other_articles_at_the_end_of_an_app_or_360doc_page(title):
    outline = read_text(f"关于加强学习的讲话\n同志们：\n{BODY}\n{CLOSING}\n{title}\n全市驻村帮扶工作推进会发言材料汇编\n在驻村第一书记培训班上的讲话\n")
    assert texts(outline)[-1] == CLOSING and not outline.truncated


# --- news apps (今日头条, 百家号, 网易, 腾讯新闻, 澎湃) ------------------------------

@pytest.mark.parametrize("line", [
    "关注", "+关注", "+ 关注", "已关注", "取消关注", "广告", "打开APP", "打开今日头条APP查看", "打开网易新闻 查看精彩图片",
    "APP内打开", "展开全文", "收起", "收起全文", "阅读 2.3万", "评论 12", "评论12", "点赞 35", "举报", "举报/反馈",
    "作者最新文章", "相关推荐", "2025-01-06 09:12·山东", "2025-01-06 09:12 · 发布于山东", "01-06 09:12·内蒙古",
    "2025年1月6日 09:12 发布于山东", "2025-01-06 09:12 IP属地：广东", "党建笔记 2025-01-06 09:12·山东",
    "阅读 2.3万 评论 12 点赞 35",
])
def test_news_app_chrome_lines_removed(line):
    result = between_sentences(line)
    assert result.lines[1].text == "", line
    assert removed(result)
    assert not result.cut_off


def test_news_app_disclaimers_removed():
    for line in ("特别声明：以上内容(包括在内的视频、图片或音频)为自媒体平台“网易号”用户上传并发布，本平台仅提供信息存储服务。",
                 "本文为澎湃号作者或机构在澎湃新闻上传并发布，仅代表该作者或机构观点，不代表澎湃新闻的观点或立场，澎湃新闻仅提供信息发布平台。",
                 "平台声明：该文观点仅代表作者本人，搜狐号系信息发布平台，搜狐仅提供信息存储空间服务。"):
        result = between_sentences(line)
        assert result.lines[1].text == "", line


def test_app_buttons_as_segments_of_a_line():
    result = clean(f"党建笔记 关注\n{BODY}")
    assert result.lines[0].text == "党建笔记"
    result = clean(f"{BODY[:30]} 展开全文\n{BODY[30:]}")
    assert result.lines[0].text == BODY[:30]


def test_the_app_fold_is_a_page_break_not_a_paragraph_end():
    result = clean(f"{BODY[:30]}\n展开全文\n{BODY[30:]}")
    assert result.lines[1].text == "" and result.lines[1].page_break
    assert not result.cut_off  # the text goes on under the fold
    # in a hard-wrapped text the paragraph runs on over the fold
    lines = wrap(BODY * 3, 26)
    outline = read_text("\n".join(["关于加强学习的讲话", "同志们：", *lines[:4], "展开全文", *lines[4:], CLOSING]))
    assert BODY * 3 in texts(outline)


# --- portal chrome in traditional characters --------------------------------------

@pytest.mark.parametrize("line", [
    "首頁 > 講話稿 > 領導講話", "當前位置：首頁 > 領導講話",
    "發布時間：2025-03-20 09:15　來源：臨江縣人民政府辦公室　瀏覽次數：1386",
    "發布時間：2025-03-20", "來源：臨江縣人民政府", "瀏覽次數：1386", "責任編輯：王曉", "點擊數：35",
    "【字體：大 中 小】", "【列印本頁】 【關閉窗口】", "【打印本頁】【關閉】", "【返回頂部】",
    "上一篇：全縣2025年春季植樹造林工作會議召開", "下一條：臨江縣召開一季度經濟運行分析會",
    "版權所有：臨江縣人民政府　主辦：臨江縣人民政府辦公室", "贛ICP備05004321號-1　網站標識碼：3609250012",
    "網站標識碼：3609250012", "贛公網安備36092502000123號",
])
def test_traditional_portal_chrome_lines_removed(line):
    result = between_sentences(line)
    assert result.lines[1].text == "", line
    assert removed(result)


def test_traditional_portal_page():
    raw = ("首頁 > 講話稿 > 領導講話\n\n在全縣優化營商環境大會上的講話\n\n"
           "發布時間：2025-03-20 09:15　來源：臨江縣人民政府辦公室　瀏覽次數：1386\n【字體：大 中 小】\n\n"
           "同志們：\n\n　　今天，我們召開全縣優化營商環境大會，主要任務是總結工作、部署任務。\n\n　　謝謝大家！\n\n"
           "【列印本頁】 【關閉窗口】\n\n上一篇：全縣春季植樹造林工作會議召開\n\n"
           "版權所有：臨江縣人民政府　主辦：臨江縣人民政府辦公室\n聯繫電話：0799-6231245\n"
           "贛ICP備05004321號-1　網站標識碼：3609250012\n")
    outline = read_text(raw)
    assert outline.title == "在全縣優化營商環境大會上的講話"
    assert texts(outline) == ["同志們：", "今天，我們召開全縣優化營商環境大會，主要任務是總結工作、部署任務。", "謝謝大家！"]
    assert not outline.truncated


# --- a 公文's 版记 after the 落款 -----------------------------------------------------

@pytest.mark.parametrize("tail", [
    ["（此件公开发布）"],
    ["（此件公开发布）", "抄送：市委组织部，县委办公室，县纪委监委机关。", "中共临江县委组织部办公室　　2025年6月3日印发"],
    ["抄送：市委组织部，县委办公室，县纪委监委机关。"],
    ["中共临江县委组织部办公室      2025年6月3日印发"],
    ["2025年6月3日印发"],
    ["（此件不予公开）", "（共印50份）"],
])
def test_a_gongwen_banji_at_the_end_is_no_truncation(tail):
    blocks = [Paragraph(BODY), Paragraph("中共临江县委组织部", "signature"), Paragraph("2025年6月3日", "date"),
              *[Paragraph(t) for t in tail]]
    assert not is_truncated(blocks, False)
    # the blocks before a 附注 need not end a sentence: the 版记 says the document ended
    assert not is_truncated([Paragraph(BODY), Paragraph("附件：1.主题党课安排表"), Paragraph("2.主题党课参考篇目"),
                             Paragraph("中共临江县委组织部"), *[Paragraph(t) for t in tail]], False)
    lines = ["关于开展主题党课活动的通知", "各乡镇党委：", BODY, "中共临江县委组织部", "2025年6月3日", *tail]
    outline = read_text("\n".join(lines))
    assert not outline.truncated
    # the 版记 stays: it is the document's own text
    assert ["".join(t.split()) for t in texts(outline)[-len(tail):]] == ["".join(t.split()) for t in tail]


def test_banji_words_in_a_cut_off_sentence_are_still_truncation():
    assert is_truncated([Paragraph(BODY), Paragraph("各单位要将活动方案抄送县委组织部，并")], False)
    assert is_truncated([Paragraph(BODY), Paragraph("《实施意见》已于2025年6月3日印发，各单位要")], False)
    assert is_truncated([Paragraph(BODY), Paragraph("经研究，《实施意见》已于2025年6月3日印发")], False)
    assert is_truncated([Paragraph("要坚持把群众满意作为工作的第一标准，"), Paragraph("（作者系临江市委党校教授）")], False)


# --- body sentences with the words of this chrome stay ---------------------------

KEEP_APP = KEEP_SENTENCES["app"]





def test_an_apps_advertisement_goes_with_its_label_and_button():
    text = "\n".join([
        "对照检查材料", "同志们：", "今年以来，我认真对照检查，查找问题。",
        "广告", "2025党员学习题库 海量真题在线练", "立即下载",
        "一、存在的问题", "学习不够深入，自学时间不够固定，",
        "展开全文",
        "有时以工作忙为由放松学习。",
    ])
    outline = read_text(text)
    body = [b.text for b in outline.blocks]
    assert not any("题库" in t or t == "广告" for t in body)
    assert "学习不够深入，自学时间不够固定，有时以工作忙为由放松学习。" in body


# Body sentences that use the words of site chrome stay, alone and
# hard-wrapped at any width (as lines or joined by spaces).
ALL_KEEP = KEEP + KEEP_WECHAT + KEEP_APP


@pytest.mark.parametrize("sentence", ALL_KEEP)
def test_body_sentences_with_chrome_words_stay(sentence):
    result = between_sentences(sentence)
    assert result.lines[1].text == sentence and not result.warnings


@pytest.mark.parametrize("width", range(8, 30))
def test_wrapped_body_lines_with_chrome_words_stay(width):
    lines = [line for s in ALL_KEEP for line in wrap(s, width)]
    for raw in ("\n".join(lines), " ".join(lines)):
        result = clean(raw + "\n" + CLOSING)
        assert not result.warnings, [w.message for w in result.warnings]
        assert not result.cut_off

