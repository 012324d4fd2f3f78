"""Markup that arrives as "plain text": an HTML export and a Markdown draft
(converter/reader/markup.py), read as the text and headings they mark."""

from __future__ import annotations

from converter.model import Heading, Paragraph, Salutation
from converter.reader import read_text
from converter.reader.markup import unmark


def _kinds(outline) -> list[tuple[str, str]]:
    out = []
    for b in outline.blocks:
        kind = f"h{b.level}" if isinstance(b, Heading) else ("s" if isinstance(b, Salutation) else "p")
        out.append((kind, b.text))
    return out


HTML = """<div class="TRS_Editor">
<p style="text-align: center;"><strong><span>2024年度抓基层党建工作述职报告</span></strong></p>
<p style="text-align: center;"><span>青石镇党委书记&nbsp;&nbsp;李海涛</span></p>
<p>&nbsp;</p>
<p style="text-indent: 2em;"><span>2024年，我认真履行&ldquo;第一责任人&rdquo;职责，<br />推动全镇基层党建工作取得新成效。</span></p>
<p><img src="/picture/1.jpg" alt=""/></p>
<h2>一、履行抓基层党建<br />工作职责情况</h2>
<p><strong>（一）坚持政治引领，把牢正确方向。</strong>严格落实&#8220;第一议题&#8221;制度。</p>
<script>var x = "<p>not text</p>";</script>
</div>"""


def test_html_export_reads_as_its_text():
    outline = read_text(HTML)
    assert outline.title == "2024年度抓基层党建工作述职报告"
    assert _kinds(outline) == [
        ("p", "青石镇党委书记 李海涛"),
        ("p", "2024年，我认真履行“第一责任人”职责，推动全镇基层党建工作取得新成效。"),
        ("h1", "一、履行抓基层党建工作职责情况"),
        ("h2", "（一）坚持政治引领，把牢正确方向。"),
        ("p", "严格落实“第一议题”制度。"),
    ]
    assert any(w.code == "markup_removed" for w in outline.warnings)


MARKDOWN = """好的，以下是一篇以“筑牢廉洁防线”为主题的廉政专题党课讲稿，您可以根据实际情况修改完善：

---

# 筑牢廉洁防线 永葆清廉本色

**——在市交通运输局廉政专题党课上的讲话**

同志们：

今天，我们在这里召开廉政专题党课。

## 一、深刻认识加强廉洁自律的极端重要性

### （一）廉洁是共产党人的政治本色

清正廉洁是我们党的性质宗旨决定的，**廉洁是最好的“护身符”**。

> 古人云：“物必先腐，而后虫生。”

## 二、从严从实筑牢拒腐防变的坚固防线

- **工程建设领域**：存在插手干预的风险；
- **行政审批领域**：存在违规审批的风险。

**1. 加强理论学习，筑牢思想根基。**思想上的防线是最根本的防线。

## 结束语

同志们，廉洁自律是一辈子的事。

**谢谢大家！**

---

希望这篇讲稿对您有所帮助！如需调整篇幅，请随时告诉我。

本回答由 AI 生成，内容仅供参考，请仔细甄别。
复制
重新生成
"""


def test_markdown_draft_from_an_ai_chat_reads_as_its_text():
    outline = read_text(MARKDOWN)
    assert outline.title == "筑牢廉洁防线 永葆清廉本色"
    kinds = _kinds(outline)
    assert kinds[0] == ("p", "——在市交通运输局廉政专题党课上的讲话")
    assert ("s", "同志们：") in kinds
    headings = [k for k in kinds if k[0].startswith("h")]
    assert headings == [
        ("h1", "一、深刻认识加强廉洁自律的极端重要性"),
        ("h2", "（一）廉洁是共产党人的政治本色"),
        ("h1", "二、从严从实筑牢拒腐防变的坚固防线"),
        ("h3", "1. 加强理论学习，筑牢思想根基。"),  # the rank of "1." where （一） is used too
        ("h1", "结束语"),  # a declared heading without a marker, beside the 一、 ones
    ]
    body = "".join(b.text for b in outline.blocks)
    for gone in ("**", "##", "> ", "- ", "以下是一篇", "希望这篇讲稿", "AI 生成", "重新生成", "复制"):
        assert gone not in body
    assert "古人云：“物必先腐，而后虫生。”" in body and "廉洁是最好的“护身符”" in body
    assert ("p", "工程建设领域：存在插手干预的风险；") in kinds and ("p", "行政审批领域：存在违规审批的风险。") in kinds
    assert not outline.truncated


def test_plain_text_passes_through_and_stray_tags_keep_the_lines():
    plain = "关于学习的讲话\n同志们：\n今天召开会议，研究工作。\n一、提高认识\n要加强学习，*号不是标记。"
    assert unmark(plain).text == plain
    stray = "关于学习的讲话\n同志们：\n今天召开<b>会议</b>。\n一、提高认识<span>重要</span>\n要加强<b>学习</b>。\n二、狠抓落实\n要落实。"
    outline = read_text(stray)
    assert [b.text for b in outline.blocks if isinstance(b, Heading)] == ["一、提高认识重要", "二、狠抓落实"]
    assert [b.text for b in outline.blocks if isinstance(b, Paragraph)] == ["今天召开会议。", "要加强学习。", "要落实。"]
