"""Site chrome (converter/data/chrome.toml) on small realistic texts: what
goes, what stays, page breaks, and the truncated flag both ways."""

from __future__ import annotations

import pytest

from converter.model import Heading, Paragraph
from converter.reader import read_text
from converter.reader.checks import is_truncated
from converter.reader.clean import SourceLine, clean, remove_chrome, remove_toc, split_lines
from variants import wrap

BODY = ("今天我们召开全县组织工作会议，主要任务是总结过去一年的工作，部署今年的任务，"
        "动员全县组织系统进一步坚定信心、担当作为，奋力开创新局面。")
CLOSING = "同志们，让我们更加紧密地团结起来，奋力谱写高质量发展新篇章！"


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
    assert read_text(f"关于加强学习的讲话\n同志们：\n{BODY}\n谢谢大家").truncated


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
    result = clean(f"正文。\n{line}\n正文。")
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

KEEP = [
    "要充分利用微信、微博、QQ空间等新媒体平台，讲好身边故事。",
    "请各单位于会后下载打印会议材料，认真组织学习。",
    "要认真对照《政府投资项目负面清单目录》逐项检查。",
    "扫一扫二维码即可报名参加志愿服务。",
    "温馨提示：请各位参会人员将手机调至静音状态。",
    "本文件由各单位负责人签字后上传至办公系统。",
    "版权所有者依法享有署名权、修改权等各项权利。",
    "我在上一篇文章中谈到了作风建设问题，今天接着讲。",
    "更多内容将在下一步工作中予以明确，各单位要抓好落实。",
    "全县共有党员12,300名，其中预备党员1,200名。",
    "文档编号要统一规范，文档管理要专人负责。",
    "联系电话：0576-81234567（工作日）要保持畅通。",
    "这项工作已经超出了我们的预料，必须高度重视。",
    "发布时间要提前公告，来源要注明出处。",
    "阅读结束，大家要结合实际交流心得。",
    "试读本书的同志都说收获很大，预览之后更要精读。",
    "企业如有侵权行为，要依法严肃查处。",
    "要把学习资料发到每名党员手中，欢迎大家提出意见。",
    "（三）搭建知识共享平台",
    "以上发言仅供参考，不妥之处请批评指正。",
]


@pytest.mark.parametrize("sentence", KEEP)
def test_body_sentences_with_chrome_words_stay(sentence):
    result = clean(f"正文。\n{sentence}\n正文。")
    assert result.lines[1].text == sentence and not result.warnings


@pytest.mark.parametrize("width", range(8, 30))
def test_wrapped_body_lines_with_chrome_words_stay(width):
    # Hard-wrapped at any width, as lines or joined by spaces, no line of a real
    # sentence is taken for site text.
    lines = [line for s in KEEP for line in wrap(s, width)]
    for raw in ("\n".join(lines), " ".join(lines)):
        result = clean(raw + "\n" + CLOSING)
        assert not result.warnings, [w.message for w in result.warnings]
        assert not result.cut_off


def test_body_sentences_stay_through_the_whole_reader():
    raw = "关于加强学习的讲话\n\n同志们：\n\n" + "\n\n".join(KEEP) + "\n\n" + CLOSING
    outline = read_text(raw)
    assert texts(outline)[1:] == [*KEEP, CLOSING]
    assert not outline.truncated


def test_a_page_number_is_no_footer_for_contact_lines():
    raw = f"关于召开全县工作会议的通知\n各乡镇：\n{BODY}\n\n— 2 —\n\n联系电话：0576-81234567\n1、会议材料请于会前下载打印。"
    assert texts(read_text(raw))[-2:] == ["联系电话：0576-81234567", "1、会议材料请于会前下载打印。"]
