"""The reader's structural rules for texts nobody here wrote (issue 12): page
chrome told by its shape and place rather than its words, the title by
repetition, lists and numbered prose told from headings by their family,
and the readings the reader flags as uncertain.  Each case is small and
made up; tests/test_real.py measures the same rules on the real corpus."""

from __future__ import annotations

import pytest

from converter.model import Heading, Salutation
from converter.reader import read_text
from converter.reader.clean import clean
from converter.reader.furniture import is_furniture
from converter.reader.reflow import RawParagraph
from converter.reader.structure import structure

SPEECH = [
    "同志们：",
    "今天我们召开全县教育工作会议，主要任务是总结去年工作，部署今年任务。下面，我讲三点意见。",
    "一、充分肯定成绩",
    "过去一年，全县教育工作取得了显著成绩，办学条件明显改善，教育质量稳步提升。",
    "二、明确目标任务",
    "今年要着力抓好学前教育、义务教育和职业教育三件大事，确保各项任务落到实处。",
]
TITLE = "在全县教育工作会议上的讲话"


def _texts(outline) -> list[str]:
    return [b.text for b in outline.blocks]


@pytest.mark.parametrize("line", [
    "首页 > 公文写作 > 讲话稿", "首页|文档|店铺|书房|社区", "分享 收藏 12 在看 35 赞", "浏览：1,203 次",
    "文档编号：WK202403150012", "文档星级：★★★★☆", "www.example-docs.com.cn", "百度文库 - 让每个人平等地提升自我",
    "【返回顶部】", "上传于 2023-10-18 09:30",
])
def test_furniture_is_told_by_its_shape(line):
    assert is_furniture(line)


@pytest.mark.parametrize("line", [
    TITLE, "一、充分肯定成绩", "凝心聚力抓落实 真抓实干开新局", "时间：2025年5月16日上午", "主讲人：县委书记 刘振华",
    "党课：淬炼作风之剑，锻造组工精兵", "——在全市组织工作会议上的讲话",
])
def test_lines_of_a_document_are_no_furniture(line):
    assert not is_furniture(line)


def test_a_site_menu_above_the_title_is_not_the_title():
    menu = ["文档分享网", "首页", "分类", "登录", "购物车", "所属分类：讲话稿"]
    outline = read_text("\n".join([*menu, TITLE, *SPEECH]))
    assert outline.title == TITLE
    assert _texts(outline)[0] == "同志们："
    assert not any(t in _texts(outline) for t in menu)


def test_the_title_is_the_line_the_page_repeats_at_the_body_start():
    page = ["知行文海", "精选 · 教育 · 行业", "输入关键字搜文档", "首页→公文写作→讲话稿", TITLE, "信息提供：区委组织部", "复制全文"]
    outline = read_text("\n".join([*page, TITLE, "——县委书记 张明", *SPEECH]))
    assert outline.title == TITLE
    assert _texts(outline)[:2] == ["——县委书记 张明", "同志们："]


@pytest.mark.parametrize("line", ["下载全文 >>", "继续阅读 ›", "查看原文 →", "【收藏】【打印】", "[赞] [踩] [分享]", "您好，读者！[退出] [设置]"])
def test_links_and_button_rows_are_furniture(line):
    assert is_furniture(line)


def test_a_title_that_reads_as_a_byline_is_still_the_line_the_body_repeats():
    # Two parallel phrases split by a space look like "职务 姓名"; the repetition decides.
    title = "守正创新 勇毅前行"
    page = ["学习园地", "首页 | 讲话 | 报告", title, "点击量：321", "马上阅读"]
    outline = read_text("\n".join([*page, title, *SPEECH]))
    assert outline.title == title
    assert "马上阅读" not in _texts(outline)


def test_a_title_under_its_information_line_wins_over_a_button_nearer_the_body():
    page = ["资料之家", "首页 | 分类 | 登录", TITLE, "发布时间：2024-05-06 08:12", "手机扫码阅读"]
    assert read_text("\n".join([*page, *SPEECH])).title == TITLE
    # ... and a page summary with a full stop above the title does not start the body.
    page = ["资料之家", "首页 | 分类 | 登录", "内容简介：本文为县委领导讲话，共三部分。", TITLE]
    assert read_text("\n".join([*page, *SPEECH])).title == TITLE


def test_a_title_over_a_short_button_wins_by_its_width():
    page = ["资料之家", "首页 | 分类 | 登录", "当前位置：首页 > 讲话稿", "校园开放日致辞", "收藏本文"]
    assert read_text("\n".join([*page, *SPEECH])).title == "校园开放日致辞"


def test_a_short_title_among_menu_items_is_found_by_its_repetition():
    page = ["爱问资料", "首页 | 全部分类 | 意见反馈", "登录 | 免费注册", "述职报告", "贡献于2023-09-01"]
    outline = read_text("\n".join([*page, "述职报告", *SPEECH[1:]]))
    assert outline.title == "述职报告"


def test_a_footer_after_the_body_goes_and_the_closing_stays():
    footer = ["网友评论（共0条）", "提交", "关于我们 | 联系我们 | 网站地图", "© 2025 某某范文网 版权所有"]
    outline = read_text("\n".join([TITLE, *SPEECH, "县教育局", "2025年3月6日", *footer]))
    assert _texts(outline)[-2:] == ["县教育局", "2025年3月6日"]
    assert not outline.truncated


def test_a_text_cut_off_before_a_sites_notice_is_truncated():
    cut = "今年要着力抓好学前教育、义务教育和职业教育三件大事，重点推进城乡学校建设和教师队伍建设，确保"
    outline = read_text("\n".join([TITLE, *SPEECH[:-1], cut, "到这已经超出免费预览范围，如果喜欢就下载吧！", "举报"]))
    assert outline.truncated
    assert cut in _texts(outline)


def test_a_complete_text_followed_by_an_end_notice_is_not_truncated():
    outline = read_text("\n".join([TITLE, *SPEECH, "本篇到此为止，感谢阅读", "友情提示：本站资料仅供学习交流使用"]))
    assert not outline.truncated


def _paged(body: str, header: str, per_page: int = 120) -> str:
    """The body joined by spaces, a header glued in at every page break."""
    pages = [body[i:i + per_page] for i in range(0, len(body), per_page)]
    return f" {header} ".join(" ".join(p[j:j + 30] for j in range(0, len(p), 30)) for p in pages)


def test_page_headers_glued_into_space_joined_text_go_by_their_even_steps():
    body = "".join(SPEECH[1:]) * 6
    result = clean(_paged(body, "江州资料网 精品推荐", 150))  # words no pattern names
    text = " ".join(line.text for line in result.lines)
    assert "江州资料网" not in text and "精品推荐" not in text
    assert any(w.code == "header_removed" for w in result.warnings)


def test_a_phrase_the_text_repeats_at_uneven_places_stays():
    caption = "新华社记者 谢环驰 摄"
    paras = ["这是习近平在社区考察。" + caption, "正文" * 60 + "。", "这是习近平在医院调研。" + caption,
             "正文" * 200 + "。", "这是习近平同医务人员交流。" + caption]
    result = clean(" ".join(paras))
    assert " ".join(line.text for line in result.lines).count("新华社记者") == 3


def _struct(*texts: str):
    return structure([RawParagraph(t, i) for i, t in enumerate(texts, start=1)])


def test_a_list_of_items_ending_in_semicolons_holds_no_heading():
    s = _struct("通知", "各单位：", "申报对象应当符合以下条件之一：", "（1）高新技术企业；", "（2）市级“瞪羚计划”企业；",
                "（3）获得各级人才计划资助的领军人才企业。", "二、申报流程", "采取网上申报的方式。")
    assert [b.text for b in s.blocks if isinstance(b, Heading)] == ["二、申报流程"]


def test_labelled_clauses_of_a_list_are_items():
    s = _struct("通知", "各单位：", "现将有关事项通知如下。", "一、申报要求",
                "（1）申报时间：常年申请、集中受理，合作银行按月备案。", "（2）申报材料：申请表、贷款合同等，一式两份。",
                "（3）装订要求：胶装成册，加盖公章。")
    assert [b.text for b in s.blocks if isinstance(b, Heading)] == ["一、申报要求"]


def test_a_lecture_heading_with_a_label_stays_a_heading():
    s = _struct("党课", "同志们：", "今天讲两点。", "（一）熔铸忠诚之魂：将过硬作风作为践行“两个维护”的最直接检验",
                "作风是党的形象。", "（二）筑牢宗旨之基：将过硬作风作为密切党群血肉联系的最有效桥梁", "群众是党的根基。")
    assert len([b for b in s.blocks if isinstance(b, Heading)]) == 2


def test_a_main_recipients_list_of_any_length_is_the_salutation():
    recipients = "北京市、天津市、河北省、山西省人民政府，沈阳、北京、兰州、济南、南京、广州军区："
    s = _struct("国务院办公厅关于加强调查工作的通知", recipients, "现就有关事项通知如下。")
    assert [b.text for b in s.blocks if isinstance(b, Salutation)] == [recipients]


def test_a_salutation_between_the_parts_of_a_report():
    s = _struct("政府工作报告", "各位代表：", "现在我作报告。", "一、过去一年的工作", "成绩很大。", "各位代表！", "二、今年的任务", "任务艰巨。")
    assert [b.text for b in s.blocks if isinstance(b, Salutation)] == ["各位代表：", "各位代表！"]


def test_a_note_number_alone_joins_its_note():
    s = _struct("战争和战略问题", "正文说到这里。", "注　　释", "〔1〕", "见本书第一卷《中国革命战争的战略问题》注〔37〕。")
    assert "〔1〕见本书第一卷《中国革命战争的战略问题》注〔37〕。" in [b.text for b in s.blocks]


def test_a_series_after_a_finished_series_stands_beside_it():
    s = _struct("讲话", "同志们：", "主题教育取得了成效。",
                "一是思想受到洗礼。大家提高了认识。", "二是作风有了转变。大家更加务实。",
                "下面讲几点意见。",
                "第一，必须常抓不懈。这是长期任务。", "第二，必须发扬斗争精神。要勇于担当。")
    assert [(b.text, b.level) for b in s.blocks if isinstance(b, Heading)] == [
        ("一是思想受到洗礼。", 1), ("二是作风有了转变。", 1), ("第一，必须常抓不懈。", 1), ("第二，必须发扬斗争精神。", 1)]


def test_unnumbered_headings_after_all_the_numbered_ones_stand_beside_them():
    s = _struct("指示", "正文。", "（一）粉碎进攻。要粉碎进攻。", "（二）练兵。要练兵。", "（三）生产。要生产。",
                "注　　释", "这是毛泽东起草的指示。")
    assert {b.level for b in s.blocks if isinstance(b, Heading)} == {1}


def test_uncertain_readings_name_their_block():
    outline = read_text("\n".join([TITLE, *SPEECH[:3], "读者交流群二维码见文末", *SPEECH[3:]]))
    flagged = [w for w in outline.warnings if w.code == "uncertain"]
    assert flagged and all(w.block is not None and 0 <= w.block < len(outline.blocks) for w in flagged)
    assert any(outline.blocks[w.block].text == "读者交流群二维码见文末" for w in flagged)
    assert all(w.message.startswith(f"block {w.block}: ") for w in flagged)


def test_a_chinese_numeral_alone_or_before_a_space_numbers_a_part():
    s = _struct("战争和战略问题", "这是一篇报告。", "一　中国的特点和革命", "中国是一个大国。", "二", "中国的战争有其特点。", "三 关于今后的任务", "任务很重。")
    assert [(b.text, b.level) for b in s.blocks if isinstance(b, Heading)] == [
        ("一　中国的特点和革命", 1), ("二", 1), ("三 关于今后的任务", 1)]


def test_a_short_line_inside_a_numbered_part_is_no_heading():
    s = _struct("讲话", "同志们：", "今天讲两点。", "一、提高认识", "认识很重要，要认真领会。", "大家都在看",
                "学习贯彻要走深走实，落到实处。", "二、狠抓落实", "落实是关键。", "结束语", "让我们共同努力。")
    assert [b.text for b in s.blocks if isinstance(b, Heading)] == ["一、提高认识", "二、狠抓落实", "结束语"]


def test_recipients_named_once_and_an_address_run_on_to_a_paragraph_end():
    s = _struct("关于组织申报的通知", "区内各有关单位：", "现将有关事项通知如下。")
    assert [b.text for b in s.blocks if isinstance(b, Salutation)] == ["区内各有关单位："]
    s = _struct("政府工作报告", "各位代表：", "过去一年，成绩来之不易。各位代表！", "今年要做好以下工作。", "同志们！党的事业兴旺发达。")
    assert [b.text for b in s.blocks if isinstance(b, Salutation)] == ["各位代表：", "各位代表！"]
    assert "同志们！党的事业兴旺发达。" in [b.text for b in s.blocks]


def test_numbered_sentences_on_their_own_lines_head_the_prose_under_them():
    # However long: each item is a whole sentence with its own paragraphs under it.
    s = _struct("年终述职报告", "一年来工作取得了一定成绩。", "一、加强制度建设",
                "1、主要从内强素质、外树形象着手，通过狠抓公司各岗位人员素质，进一步提高客户满意度，树立公司良好的对外形象。",
                "一个优秀的团队须有一个素质过硬的服务队伍，今年以来我们着重从完善制度着手，不断加大服务考核力度。",
                "2、公司理赔部把上门送赔款工作做细做新，积极为业务拓展工作做铺垫，继续加强对有影响力案件的关注程度。",
                "通过这项工作，客户满意度进一步提高，公司的社会形象也更加鲜明，得到了上级公司和客户的一致肯定。",
                "二、明年的打算", "明年我们将继续努力。")
    assert [(b.text[:2], b.level) for b in s.blocks if isinstance(b, Heading)] == [("一、", 1), ("1、", 2), ("2、", 2), ("二、", 1)]


def test_numbered_clauses_mostly_prose_keep_an_own_line_clause_as_prose():
    # A regulation: most clauses open paragraphs of several sentences; one that
    # is a single sentence, or broken off at a line end, is still a clause.
    s = _struct("关于支持文化企业发展的规定",
                "（一）建立健全党委和政府监管国有文化资产的管理机构，完善党委和政府监管有机结合的管理模式。推动党政部门与其所属的文化企业进一步理顺关系。",
                "（二）国有文化企业依照相关规定定期报告财务状况、",
                "生产经营状况和社会效益情况，探索建立国有资产保值增值考核与社会效益考核相结合的综合评价体系。",
                "（三）建立健全文化企业国有资本经营预算制度，通过国有资本金注入，优化国有资本配置。推进国有文化企业兼并重组、转型升级。",
                "（四）推进国有文化资本授权经营，形成国有文化资本流动重组、布局调整的有效平台，推动国有文化企业增强实力。更好地发挥控制力、影响力。",
                "（五）转制后须核销事业编制，注销事业单位法人，并依法办理企业登记注册和社会保险登记。",
                "转制前已离退休人员的各项待遇按国家有关规定执行，所需资金按原渠道解决。")
    assert not [b for b in s.blocks if isinstance(b, Heading)]


def test_a_heading_that_filled_its_line_ends_its_sentence_on_the_next():
    paras = ["客服部年度述职报告", "一年来，在公司经理室的正确领导下，各部门同仁齐心协力，客服工作取得了一定的成绩。",
             "一、抓紧分公司下发的各类业管相关文件的落实及执行工作，继续做好客户服务部人员特别是新人的专业知识及技能的培训，提高服务人员的整体综合素质。",
             "针对客户服务部今年以来人员调整的客观原因，我部将继续采取多种方式及途径，对所辖员工进行定期与不定期的培训，从本职工作做起，更好地为客户服务。",
             "二、配合公司各项业务竞赛活动的开展",
             "积极配合公司团险、中介、个险三支销售渠道开展各项业务竞赛活动，全力促进公司业务持续、健康地发展。"]
    # Served as a PDF viewer serves it: hard-wrapped at 32 characters, lines joined by spaces.
    wrapped = " ".join(p[i:i + 32] for p in paras for i in range(0, len(p), 32))
    outline = read_text(wrapped)
    assert [b.text for b in outline.blocks if isinstance(b, Heading)] == [paras[2], paras[4]]


def test_a_series_member_may_be_one_long_sentence():
    s = _struct("讲话", "英国的衰落是因为越来越规范了。",
                "第一点，我们公司的薪酬制度不能导向福利制度。如果公司的钱多，应捐献给社会。",
                "第二点，管理既要走向规范化，又要创新，又要对创新进行管理，形成相互推动和制约机制。",
                "要引入懂技术的人员到人力资源部。贯彻、执行和修补人力资源政策。")
    assert [b.text[:3] for b in s.blocks if isinstance(b, Heading)] == ["第一点", "第二点"]


def test_lines_alike_but_for_a_number_counting_pages_are_page_numbers():
    body = "这是正文的一句话，说明工作的进展情况和下一步打算。" * 8
    text = "\n".join(["关于工作进展的报告", body, "·1/3·", body, "·2/3·", body])
    cleaned = clean(text)
    assert "·1/3·" not in [line.text for line in cleaned.lines] and "·2/3·" not in [line.text for line in cleaned.lines]
    # A number that does not count up, or text too near to be a page apart, stays.
    kept = clean("\n".join(["报告", body, "第3组", body, "第3组", body, "表1", "表2"]))
    assert [line.text for line in kept.lines if line.text in ("第3组", "表1", "表2")] == ["第3组", "第3组", "表1", "表2"]


def test_the_next_point_of_a_series_breaks_a_line_though_its_point_ran_over_paragraphs():
    # Hard-wrapped at about 24 characters; the break before "第二，" falls after
    # a full line ending a sentence, in a paragraph that does not open with "第一，".
    lines = [
        "在主题教育总结大会上的讲话", "同志们：", "这里，我强调几点。",
        "第一，不忘初心、牢记使命，必须作为加强党的建设的", "永恒课题常抓不懈。一个政党最难得的就是历经沧桑而", "初心不改。",
        "一个忘记来路的民族必定是没有出路的民族，一个忘记", "初心的政党必定是没有未来的政党，必须时刻保持警醒。",
        "第二，不忘初心、牢记使命，必须用马克思主义中国化", "最新成果统一思想。理论创新每前进一步，理论武装就", "要跟进一步。",
        "第三，不忘初心、牢记使命，必须发扬斗争精神，勇于", "担当作为。衡量干部有没有斗争精神，要看是否敢于直", "面矛盾。",
    ]
    outline = read_text("\n".join(lines))
    assert [b.text[:3] for b in outline.blocks if isinstance(b, Heading)] == ["第一，", "第二，", "第三，"]


def test_short_rows_under_the_documents_next_heading_are_its_text():
    s = _struct("关于组织开展示范遴选工作的通知", "一、申报条件", "企业须在本市注册，具有独立法人资格。", "二、申报程序",
                "请于5月27日前将申报书报送至市工信局，逾期不予推荐。", "三、各地工信部门联系方式",
                "苏州市工信局 0512-68616275", "张家港市工信局 0512-56729023", "常熟市工信局 0512-51530329",
                "本站所有内容均来自网络", "关于我们｜联系我们｜网站地图")
    texts = [b.text for b in s.blocks]
    assert "常熟市工信局 0512-51530329" in texts and "关于我们｜联系我们｜网站地图" not in texts


def test_a_label_ending_in_a_colon_repeated_is_no_page_header():
    body = "这是正文的一句话，说明错误思想的表现和来源，以及它对党的工作的危害。" * 6
    lines = ["关于纠正党内的错误思想"]
    for _ in range(4):
        lines += [body, "纠正的方法：", "一是从理论上提高党内的政治水平。"]
    cleaned = clean("\n".join(lines))
    assert [line.text for line in cleaned.lines].count("纠正的方法：") == 4


def test_the_first_item_after_a_title_starts_the_body():
    body = ["2019年度领导班子个人述职报告", "1.孙洪亮（党委副书记、纪委书记）",
            "2019年1至7月我在越州中学工作，分管学校德育和财务、工会等工作。一年来，我当参谋、作助手、带队伍，较好地履行了自己的岗位职责。现汇报如下：",
            "一、认真学习提升素养",
            "参加主题教育的各项学习活动，研读学习资料，主动开展调研，征求意见建议，在此基础上检视自身存在的问题，并剖析产生原因，明确整改措施。学习专业知识，扩大自己的知识总量，努力提高自己的管理水平。",
            "二、聚焦立德树人任务",
            "一年来，根据中小学德育工作指南，完善学校德育工作体系。加强学校意识形态工作，抓好学生理想信念、社会主义核心价值观和优秀传统文化教育，制定并参与实施综合实践活动、劳动教育方案。"]
    # A site's info line above, and the text wrapped at 30 with its lines joined by spaces.
    lines = [p[i:i + 30] for p in body for i in range(0, len(p), 30)]
    outline = read_text("发稿时间：2024-03-15　稿源：市委办公室\n\n" + " ".join(lines))
    assert outline.title == "2019年度领导班子个人述职报告"
    assert isinstance(outline.blocks[0], Heading) and outline.blocks[0].text == "1.孙洪亮（党委副书记、纪委书记）"


def test_a_number_written_twice_restarts_nothing():
    # "三、" twice (the source's slip) around a short unnumbered line: the
    # unnumbered line does not become a part above the numbered headings.
    s = _struct("交流工作汇报", "一、基本情况", "我校与友好学校的交流已有十年。", "二、特色亮点", "交流内涵不断提升。",
                "三、多方支持", "各方给予了大力支持。", "仅供参考学习", "三、结语", "我们将继续努力。")
    assert {b.text: b.level for b in s.blocks if isinstance(b, Heading)}["一、基本情况"] == 1


def test_a_short_line_between_consecutive_items_of_a_minor_family_is_no_heading():
    s = _struct("政府工作报告", "一、今年的工作", "（八）深化改革。", "加快国资国企改革，完善公司治理结构。", "欢迎关注我们",
                "深化财税金融体制改革，加大预算公开改革力度。", "（九）扩大开放。", "进一步拓展开放领域，优化开放布局。")
    assert [b.text for b in s.blocks if isinstance(b, Heading)] == ["一、今年的工作", "（八）深化改革。", "（九）扩大开放。"]


# Uncertain readings (issue 12): each kind of doubt on a small text that must
# raise it, and on one alike that must not.

PROSE = "学习很重要，要认真领会，把学习成果转化为推动工作的实际成效。"
POINT = "要把学习成果转化为推动工作的实际成效，做到学思用贯通、知信行统一。"


def _doubts(result) -> dict[int, str]:
    """Block index -> message of the ``uncertain`` warnings that name a block."""
    return {w.block: w.message for w in result.warnings if w.code == "uncertain" and w.block is not None}


def _title_doubts(result) -> list[str]:
    return [w.message for w in result.warnings if w.code == "uncertain" and w.block is None and "title" in w.message]


def _index(result, text: str) -> int:
    return next(k for k, b in enumerate(result.blocks) if b.text == text)


def test_a_paragraph_is_found_past_a_short_block_the_text_before_it_holds():
    # "一" and "二" stand in the first paragraph too: the doubt on the last
    # paragraph's source (a full line ended a sentence inside it) still reaches it.
    paras = [RawParagraph("1960年政府工作报告", 0),
             RawParagraph("我受委托，向大会作关于一九五六年到一九六七年全国农业发展纲要的报告，分为一、二两个部分。", 1),
             RawParagraph("一", 2), RawParagraph("全国农业发展纲要，是根据倡议提出的。", 3), RawParagraph("二", 4),
             RawParagraph("全国农业发展纲要要求，粮食产量逐年提高。", 5),
             RawParagraph("纲要关于在农村中发展科学的要求，成绩很大。除四害的运动，成绩之大是有目共睹的。", 6, doubtful=True)]
    s = structure(paras)
    assert "a full line" in _doubts(s).get(len(s.blocks) - 1, "")


def test_a_symbol_on_both_ends_decorates_a_line_and_heads_nothing():
    s = _struct("讲话", "同志们：", "今天讲几点意见。", "★ 喜欢本文？点个收藏 ★", PROSE,
                "一是提高认识。" + POINT, "二是狠抓落实。" + POINT, "三是强化担当。" + POINT)
    assert not isinstance(s.blocks[_index(s, "★ 喜欢本文？点个收藏 ★")], Heading)
    assert [b.level for b in s.blocks if isinstance(b, Heading)] == [1, 1, 1]
    # A symbol before a phrase heads a section.
    s = _struct("讲话", "同志们：", "今天讲几点意见。", "■ 提高认识", PROSE, "■ 狠抓落实", PROSE)
    assert [b.text for b in s.blocks if isinstance(b, Heading)] == ["■ 提高认识", "■ 狠抓落实"]


def test_an_unnumbered_line_between_two_points_of_a_series_heads_nothing():
    s = _struct("讲话", "同志们：", "今天讲几点意见。", "一是提高认识。" + POINT, "二是狠抓落实。" + POINT,
                "会员专享全站资料免费下载", "三是强化担当。" + POINT)
    assert [b.text for b in s.blocks if isinstance(b, Heading)] == ["一是提高认识。", "二是狠抓落实。", "三是强化担当。"]


def test_a_line_ending_in_a_word_that_wants_its_object_is_no_heading():
    s = _struct("讲话", "同志们：", PROSE, "如对本文内容有疑问请发送邮件至", "service(at)example.org，我们将及时处理。", PROSE)
    assert not any(isinstance(b, Heading) for b in s.blocks)


def test_the_only_heading_of_its_family_and_the_series_under_it_are_in_doubt():
    s = _struct("讲话", "同志们：", "今天讲几点意见。", "A．喜欢本文？点个收藏", PROSE,
                "一是提高认识。" + POINT, "二是狠抓落实。" + POINT, "三是强化担当。" + POINT)
    doubts = _doubts(s)
    assert "only heading marked so" in doubts[_index(s, "A．喜欢本文？")]
    # The series' level follows that heading: said once, at its first point.
    assert "level" in doubts[_index(s, "一是提高认识。")]
    assert _index(s, "二是狠抓落实。") not in doubts and _index(s, "三是强化担当。") not in doubts


def test_a_series_under_a_heading_of_a_numbered_family_is_not_in_doubt():
    s = _struct("讲话", "同志们：", "今天讲几点意见。", "一、提高认识", "一是思想到位。" + POINT, "二是行动到位。" + POINT,
                "二、狠抓落实", PROSE)
    assert not {k for k, b in enumerate(s.blocks) if isinstance(b, Heading)} & set(_doubts(s))


def test_an_unnumbered_heading_holding_a_clause_is_in_doubt_beside_plain_ones():
    s = _struct("报告", "同志们：", "现在作报告。", "关于九大路线", PROSE, "关于形势和任务", PROSE, "关于今后的任务", PROSE,
                "如有侵权，请联系我们删除", PROSE)
    doubts = _doubts(s)
    assert "clause" in doubts[_index(s, "如有侵权，请联系我们删除")]
    assert not {_index(s, t) for t in ("关于九大路线", "关于形势和任务", "关于今后的任务")} & set(doubts)


def test_a_bare_number_joined_to_a_sentence_is_in_doubt_and_to_a_title_is_not():
    s = _struct("改造我们的学习", "我主张改造学习方法。", "一", PROSE, "二", PROSE, "三", PROSE, "四", "依据上述意见，我有下列提议：", PROSE)
    assert "number alone" in _doubts(s)[_index(s, "四 依据上述意见，我有下列提议：")]
    s = _struct("战争和战略问题", "这是一篇报告。", "一", "中国的特点和革命", PROSE, "二", "中国的战争", PROSE)
    assert not {k for k, b in enumerate(s.blocks) if isinstance(b, Heading)} & set(_doubts(s))


def test_a_bare_number_among_worded_siblings_is_in_doubt():
    s = _struct("战争和战略问题", "这是一篇报告。", "一　中国的特点和革命", PROSE, "二　中国的战争", PROSE, "三", PROSE)
    doubts = _doubts(s)
    assert "bare number" in doubts[_index(s, "三")]
    assert _index(s, "一　中国的特点和革命") not in doubts and _index(s, "二　中国的战争") not in doubts


def test_a_bracket_left_open_is_in_doubt_where_it_opens_and_where_it_closes():
    s = _struct("通知", "各单位：", "现将有关事项通知如下。", "一、复制推广的改革举措", PROSE, "二、工作要求", PROSE, "三、其他事项",
                "（一）进一步破除区域分割（9", "项）。拓展企业开办业务范围等。", "（二）健全市场主体退出机制（5项）", "健全市场主体退出机制等。")
    doubts = _doubts(s)
    assert "bracket" in doubts[_index(s, "（一）进一步破除区域分割（9")]
    assert _index(s, "（二）健全市场主体退出机制（5项）") not in doubts
    # A byline cut inside its bracket ("【导" "读】……"), and the block that closes it.
    s = _struct("在小国表彰会上的讲话", "——任正非在表彰会上的讲话", "【导", "读】这次表彰会有一项特殊的表彰，获奖的人员年终奖金为零。",
                PROSE, "一、优质的资源应向优质客户倾斜", PROSE, "二、加强前端组织的综合化设置", PROSE)
    doubts = _doubts(s)
    assert "bracket" in doubts[_index(s, "【导")] and "bracket" in doubts[_index(s, "读】这次表彰会有一项特殊的表彰，获奖的人员年终奖金为零。")]
    assert _index(s, "——任正非在表彰会上的讲话") not in doubts


def test_a_run_in_heading_over_one_short_sentence_is_in_doubt():
    s = _struct("讲话", "同志们：", "今天讲几点。", "一、坚持开放。开放才能进步。", PROSE, "二、坚持创新。" + POINT, PROSE)
    doubts = _doubts(s)
    assert "short sentence" in doubts[_index(s, "一、坚持开放。")] and "short sentence" in doubts[_index(s, "开放才能进步。")]
    assert _index(s, "二、坚持创新。") not in doubts and _index(s, POINT) not in doubts


def test_a_sentence_tail_or_a_word_end_cut_off_the_block_before_is_in_doubt():
    s = _struct("通知", "各单位：", "现将有关事项通知如下。", "一、申报条件", PROSE, "（1）科技贷款记录已在平台完成备", "案。",
                "（2）贷款利息须为企业实施科技项目而使用。", PROSE)
    doubts = _doubts(s)
    assert "last few words" in doubts[_index(s, "案。")]
    assert _index(s, "现将有关事项通知如下。") not in doubts  # (after the salutation, a short first sentence)
    s = _struct("述职报告", "一年来工作取得了一定成绩。", "一、加强柜面管理", PROSE, "1、进一步加强柜面管理工作，营建良好的学习氛",
                "围，组织培训与自我学习相合，鼓励员工不断提高自身综合素质。", "2、提高服务质量", PROSE, "二、明年的打算", PROSE)
    doubts = _doubts(s)
    assert "one character" in doubts[_index(s, "围，组织培训与自我学习相合，鼓励员工不断提高自身综合素质。")]
    assert _index(s, PROSE) not in doubts


def test_a_break_after_a_nearly_full_line_ending_a_sentence_is_in_doubt():
    first = "今年以来我们认真贯彻落实上级部署扎实推进各项工作取得了明显成效全年完成各项任务目标群众满意度稳步提升工作。"
    second = "明年我们将继续努力，围绕中心服务大局，推动各项工作再上新台阶，为全面完成年度目标任务作出新的更大贡献，争取更好成绩。"
    last = "这是最后一段话，总结全年的工作情况。"
    # Hard-wrapped at 20: the first paragraph's last line is 13 wide, the second's 18.
    lines = ["关于工作的报告", "同志们："] + [p[i:i + 20] for p in (first, second, last) for i in range(0, len(p), 20)]
    outline = read_text("\n".join(lines))
    doubts = _doubts(outline)
    assert "nearly the full width" in doubts[_index(outline, last)]
    assert _index(outline, second) not in doubts


def test_a_title_chosen_over_a_passed_line_or_made_of_pieces_is_in_doubt():
    menu = ["公文小筑", "返回主页", "[登录] [注册]", "充值中心", "VIP特权介绍", "当前位置：网站主页 > 公文写作 > 领导讲话"]
    # The title has a job in it (书记): it is set aside as a byline, and the title is a guess.
    assert _title_doubts(read_text("\n".join([*menu, "书记校长读书会表态发言稿", *SPEECH])))
    assert _title_doubts(read_text("\n".join(["打开小程序 免费看全文 " + TITLE, *SPEECH])))
    assert _title_doubts(read_text("\n".join([TITLE + "所属专题：学习贯彻党的精神", *SPEECH])))
    assert _title_doubts(read_text("\n".join(SPEECH[1:])))  # no title at all
    assert not _title_doubts(read_text("\n".join([TITLE, *SPEECH])))
    page = ["知行文海", "精选 · 教育 · 行业", "输入关键字搜文档", "首页→公文写作→讲话稿", TITLE, "信息提供：区委组织部", "复制全文"]
    assert not _title_doubts(read_text("\n".join([*page, TITLE, *SPEECH])))  # the page repeats it
