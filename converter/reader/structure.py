"""Stage 5: paragraphs -> typed blocks (title, bylines, salutation, headings,
run-in headings, body, closing 落款) with levels from the marker families."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from ..cjk import CLOSERS, display_width
from ..markers import LEAD_FAMILY_NAMES, chinese_number, holds_next_item, match_lead, match_marker
from ..model import Block, Heading, Meta, Paragraph, Salutation, Warning
from ..regex_cache import ModulePatterns
from .checks import ANNEX_RE, BANJI_RE
from .furniture import LABEL_LINE_RE, is_furniture, is_info_line, menu_run, names_a_site
from .reflow import BARE_MARKER_RE, FINAL, RawParagraph, _first_final

_re = ModulePatterns(__name__)  # its patterns are compiled once, then read from disk (regex_cache.py)

# A heading built from a marker line is at most this wide (in ems).
MAX_HEADING_WIDTH = 64
# A run-in heading's lead sentence is at most this wide.
MAX_RUN_IN_LEAD = 50
# Unnumbered headings are short lines between paragraphs.
MAX_UNNUMBERED_HEADING = 30
MAX_TITLE_WIDTH = 80
# Marker families from （一） down are subordinate: unnumbered headings contain them.
MINOR_FAMILY_RANK = 5

_SALUTATION_WORDS = (
    r"同志[们們]|同事[们們]|同学[们們]|同學們|朋友[们們]|各位同志|各位同事|各位代表|各位委员|各位领导|各位来宾|各位老师|"
    r"老师们|老師們|女士[们們]、?先生[们們]|各位[^，。：:！!、\s]{1,12}|尊敬的[^，。：:！!]{1,30}"
)
# Whom a speech addresses: 同志们, 各位专家、领导, 全体教职工, 尊敬的…, 各位家长，大家好！
_ADDRESSEE = (
    r"们|們|同志|代表|委员|来宾|嘉宾|领导|专家|老师|同学|家长|朋友|校友|教职工|职工|员工|干部|党员|先生|女士|"
    r"乡亲|战友|青年|学员|师生|股东|会员|评委|教师|学生|家人|同仁|同行|"
    # roles one addresses in a row after a first address: "各位局领导、书记校长："
    r"书记|校长|院长|主任|部长|局长|厅长|处长|科长|所长|站长|经理|董事长|总裁|主席|秘书长|常委"
)
_HONORIFIC = r"尊敬的|亲爱的|敬爱的|全体|在座的"
_FIRST_ADDRESS = (
    rf"(?:{_SALUTATION_WORDS}|(?:{_HONORIFIC})[\u4e00-\u9fff、]{{0,14}}?(?:{_ADDRESSEE})"
    rf"|[\u4e00-\u9fff]{{1,4}}(?<![我你他她它咱人])(?:们|們))"
)
_MORE_ADDRESS = rf"(?:{_SALUTATION_WORDS}|(?:{_HONORIFIC})?[\u4e00-\u9fff]{{0,6}}?(?:{_ADDRESSEE}))"
SALUTATION_RE = _re.compile(
    rf"{_FIRST_ADDRESS}(?:(?:[、，,]|和|及|以及){_MORE_ADDRESS})*[：:！!，,]"
    r"(?:\s?(?:大家|你们|各位)?(?:上午|下午|晚上|早上)?好[！!])?"
)
# An address with an exclamation mark run on to the end of a paragraph: it
# opens the next part ("……的成绩。各位代表！").  (One opening a paragraph,
# "同志们！党的十大……", is the paragraph's own first words.)
_ADDRESS_AT_END_RE = _re.compile(r"[。！？!?]([^。！？!?，,]{2,20}[！!])$")
_ANNEX_RE = _re.compile(r"附\s?件\s?(?:\d{1,2}|[一二三四五六七八九十]{1,3})?\s?[:：]")
# A 公文's 主送机关, in place of a salutation: "各乡镇党委，县直各单位党组（党委），县委各部委办："
_ORG = r"(?:党委|党组|党工委|党支部|支部|委员会|单位|部门|机关|企业|学校|办|局|厅|委|部|处|科|室|中心|组织|政府|街道|乡镇|社区)"
# "区内各有关单位：", "全县各乡镇：": every one of a kind, named once.
_SOME_RECIPIENTS_RE = _re.compile(rf"[^。！？!?：:，,、\s]{{0,8}}各[^。！？!?：:，,、\s]{{0,10}}?{_ORG}[：:]")
_LIST_OF_RECIPIENTS_RE = _re.compile(r"(?:[^。！？!?：:，,、；;\s]{1,30}[、，,]\s?)+[^。！？!?：:，,、；;\s]{1,30}[：:]")
_RECIPIENT_END_RE = _re.compile(rf"(?:{_ORG}|省|市|县|区|旗|军区|机构|公司|集团|学院|大学|医院|协会)(?:[（(][^）)]{{1,10}}[）)])?[：:]$")


class _Recipients:
    """A 公文's 主送机关, however many: "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："
    or a list of provinces and military regions.  Used like a compiled pattern."""

    @staticmethod
    def match(text: str) -> re.Match[str] | None:
        m = _MAIN_RECIPIENTS_RE.match(text) or _SOME_RECIPIENTS_RE.match(text)
        if m:
            return m
        m = _LIST_OF_RECIPIENTS_RE.match(text)
        return m if m and _RECIPIENT_END_RE.search(m.group()) else None

    @classmethod
    def fullmatch(cls, text: str) -> re.Match[str] | None:
        m = cls.match(text)
        return m if m and m.end() == len(text) else None


_MAIN_RECIPIENTS_RE = _re.compile(rf"各[^。！？!?：:，,、]{{0,20}}?{_ORG}(?:[（(][^）)]{{1,10}}[）)])?(?:[，,、]\s?[^。！？!?：:，,、]{{1,24}}?{_ORG}(?:[（(][^）)]{{1,10}}[）)])?)*[：:]")
_CN_DATE_DIGIT = "〇零一二三四五六七八九十"
DATE_RE = _re.compile(
    rf"[（(]?\s*(?:\d{{4}}|[{_CN_DATE_DIGIT}]{{4}})\s*年\s*(?:\d{{1,2}}|[{_CN_DATE_DIGIT}]{{1,3}})\s*月"
    rf"(?:\s*(?:\d{{1,2}}|[{_CN_DATE_DIGIT}]{{1,3}})\s*日)?\s*[）)]?"
    r"|[（(]?\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2}[）)]?"
)
_SUBTITLE_RE = _re.compile(r"^(?:——|—|－－|--|-)|^在.{2,40}上的(?:讲话|发言|报告|致辞|党课|讲稿|辅导报告)")
_SPEAKER_HINT_RE = _re.compile(
    r"主讲|讲话人|报告人|作者|书记|主任|部长|局长|厅长|市长|县长|区长|乡长|镇长|校长|院长|主席|秘书长|常委|委员|"
    r"处长|科长|所长|站长|经理|董事长|总裁|同志$"
)
# "市委常委、秘书长　何立新": a job, a space, a name.
_JOB_AND_NAME_RE = _re.compile(r".+\s[\u4e00-\u9fff·]{2,4}")
_NAME_RE = _re.compile(r"[\u4e00-\u9fff·]{2,4}")
_FILE_SUFFIX_RE = _re.compile(r"\s*[.．](?:docx?|pdf|txt|wps|pptx?)$", re.I)
_SIGNED_DATE_RE = _re.compile(r"(?P<sig>\S.{1,28}?)\s+(?P<date>\S{6,20})")
_TITLE_CONTINUES = "，,、：:的和与及并为在对把将之于以—"


def norm(text: str) -> str:
    """Comparison form: NFKC, no whitespace (as the scorer compares)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def is_date(text: str) -> bool:
    return DATE_RE.fullmatch(text.strip()) is not None


@dataclass
class Structured:
    title: str
    blocks: list[Block]
    meta: Meta
    warnings: list[Warning] = field(default_factory=list)
    # Whether the text stops mid-sentence, when structure had to judge it
    # (a short line after the body that may be site text); None: checks.py tells.
    cut_mid_sentence: bool | None = None


def _has_final(text: str) -> bool:
    return any(c in FINAL for c in text)


def _short_line(text: str, limit: float) -> bool:
    return display_width(text) <= limit and not _has_final(text.rstrip(CLOSERS)[-1:] or "")


def _title_like(text: str) -> bool:
    return (
        display_width(text) <= MAX_TITLE_WIDTH
        and not _has_final(text.rstrip(CLOSERS)[-1:])
        and not text.endswith(("：", ":"))
        and match_marker(text) is None
        and not SALUTATION_RE.fullmatch(text)
        and not is_date(text)
        and not _SUBTITLE_RE.search(text)
    )


_HEADER_LABEL_RE = _re.compile(
    r"(?:内部(?:学习)?资料|内部文件|注意保存|妥善保管|秘密|机密|绝密|[★☆])(?:[\s　★☆]*(?:内部(?:学习)?资料|注意保存|妥善保管|"
    r"秘密|机密|绝密|[★☆]|\d+年|长期|\S{0,6}期限\S{0,8}))*"
    r"|\S{2,30}(?:委员会|委|部|厅|局|政府|办公室|办公厅|党组|政协)\S{0,6}文件"  # a 版头: 中共临江县委组织部文件
    r"|\S{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s?\d{1,4}\s?号"  # a 文号: 临组发〔2025〕12号
    r"|\S{0,20}(?:讲稿|资料|材料|党课|简报|汇编|选编|参考)[（(]\S{0,12}期[）)]"  # a series: 党课讲稿（2025年第3期）
    r"|第\s?\d{1,4}\s?期(?:\s?[（(]?总第\s?\d{1,5}\s?期[）)]?)?"
)


def _label_above_title(paras: list[RawParagraph], k: int) -> bool:
    """Is paragraph ``k`` a label printed above the title: a header label,
    or a date or "——在……上的讲话" line with a title right under it?"""
    text = paras[k].text.strip()
    if _HEADER_LABEL_RE.fullmatch(text):
        return True
    if not (is_date(text) or text.startswith(("——", "—", "－－", "--"))):
        return False
    nxt = paras[k + 1].text.strip()
    return _title_like(nxt) and display_width(nxt) >= 6 and not _SPEAKER_HINT_RE.search(nxt)


def _second_title_line(title: str, text: str, after: str) -> bool:
    """Is ``text`` the title's second line?  It reads as a title (not a
    name, a job, a date or a subtitle), it is long enough to be a phrase, and
    what follows it is still front matter: a subtitle, a date, a speaker or
    the salutation."""
    if not _title_like(text) or display_width(text) < 8 or _SPEAKER_HINT_RE.search(text) or _JOB_AND_NAME_RE.fullmatch(text):
        return False
    if norm(text) in norm(title) or norm(title) in norm(text):
        return False  # the title repeated at the top of the body
    if display_width(title) + 1 + display_width(text) > MAX_TITLE_WIDTH:
        return False
    return bool(
        _SUBTITLE_RE.search(after) or is_date(after) or SALUTATION_RE.match(after)
        or (_byline_like(after) and _SPEAKER_HINT_RE.search(after))
    )


def _byline_like(text: str) -> bool:
    return display_width(text) <= 40 and not _has_final(text) and match_marker(text) is None and not SALUTATION_RE.fullmatch(text)


def _strip_normalised_prefix(text: str, prefix_norm: str) -> str | None:
    """``text`` without a leading part whose normal form is ``prefix_norm``;
    None if it does not start so."""
    acc = ""
    for i, ch in enumerate(text):
        if acc == prefix_norm:
            return text[i:].lstrip()
        acc += norm(ch)
        if not prefix_norm.startswith(acc):
            return None
    return "" if acc == prefix_norm else None


def _front_matter(paras: list[RawParagraph], warnings: list[Warning]) -> tuple[str, list[Paragraph], Meta, int]:
    """Title, bylines and meta from the start; returns the index of the first body paragraph."""
    _drop_page_chrome(paras, warnings)
    # Labels printed above the title (内部资料 注意保存, 党课讲稿（2025年第3期）,
    # a 公文's 版头 and 文号) stay, as bylines, but are not the title.
    labels: list[Paragraph] = []
    while len(labels) < 4 and len(labels) + 1 < len(paras) and _label_above_title(paras, len(labels)):
        labels.append(Paragraph(paras[len(labels)].text, "byline"))
    i = len(labels)
    title = ""
    first = paras[i].text if len(paras) > i else ""
    if first and (_title_like(first) or (_SUBTITLE_RE.match(first) and first[0] == "在" and _short_line(first, MAX_TITLE_WIDTH))):
        title = paras[i].text
        i += 1
        while i < len(paras) and title[-1] in _TITLE_CONTINUES and _title_like(paras[i].text):
            if display_width(title + paras[i].text) > MAX_TITLE_WIDTH:
                break
            title += paras[i].text
            i += 1
        if i + 1 < len(paras) and _second_title_line(title, paras[i].text, paras[i + 1].text):
            # A main title set over two lines of parallel phrases
            # ("凝心聚力抓落实 真抓实干开新局" / "奋力谱写……新篇章").
            title = f"{title} {paras[i].text}"
            i += 1
        m = _FILE_SUFFIX_RE.search(title)
        if m and len(title) > len(m.group()) + 2:
            # The site shows the file name as the title: "讲稿.docx".
            warnings.append(Warning("chrome_removed", f"removed site text: {m.group().strip()}", paras[len(labels)].line))
            title = title[: m.start()].rstrip()
    title_norm = norm(title)
    doubt = _doubtful_title(title, i < len(paras))
    if doubt:
        warnings.append(Warning("uncertain", doubt, paras[len(labels)].line if paras else None))

    bylines: list[Paragraph] = labels
    meta: dict[str, str] = {}
    while i < len(paras):
        text = paras[i].text
        if title_norm:
            # The title repeated at the start of the body, possibly over several lines.
            j, acc = i, ""
            while j < len(paras) and title_norm.startswith(acc + norm(paras[j].text)):
                acc += norm(paras[j].text)
                j += 1
                if acc == title_norm:
                    break
            if acc == title_norm:
                for k in range(i, j):
                    warnings.append(Warning("title_repeated", f"removed the title repeated in the body: {paras[k].text}", paras[k].line))
                i = j
                continue
            rest = _strip_normalised_prefix(text, title_norm)
            if rest:
                warnings.append(Warning("title_repeated", f"removed the title repeated in the body: {title}", paras[i].line))
                paras[i] = RawParagraph(rest, paras[i].line)
                continue
        if not _byline_like(text) or i + 1 >= len(paras):
            break
        if SALUTATION_RE.match(text) or _Recipients.fullmatch(text):
            break
        # A byline is followed by another byline, the salutation or the body,
        # never by a longer title-like line (that would make it a heading).
        if bylines and _NAME_RE.fullmatch(text) and _SPEAKER_HINT_RE.search(bylines[-1].text) and bylines[-1].text is not None:
            # "市委书记 张某某" split at its space by the reflow: one byline again.
            merged = f"{bylines[-1].text} {text}"
            bylines[-1] = Paragraph(merged, "byline")
            if meta.get("speaker") == merged.split(" ")[0]:
                meta["speaker"] = merged
            i += 1
            continue
        bylines.append(Paragraph(text, "byline"))
        if _SUBTITLE_RE.search(text):
            meta.setdefault("subtitle", text)
        elif is_date(text):
            meta.setdefault("date", text.strip("（）() "))
        elif _SPEAKER_HINT_RE.search(text) or display_width(text) <= 12:
            meta.setdefault("speaker", text)
        i += 1
    return title, bylines, Meta(**meta), i


# A title-like line this wide passed over makes the chosen title a guess.
MIN_PASSED_TITLE = 6
# "所属专题：" inside a title: a site's label line run into it.
_LABEL_INSIDE_RE = re.compile(r"(?<=\S)[\u4e00-\u9fff]{2,6}[：:]")
_SPACED_PIECES_RE = re.compile(r"\S\s+\S")


def _doubtful_title(title: str, has_text: bool) -> str | None:
    """Why the title read is in doubt, if it is: none was found above the
    text; it joins pieces set apart by spaces (one may be a site's button:
    "打开小程序 免费看全文 为祖国……"); a label line ran into it ("……的讲话所属专题：…")."""
    if not title:
        return "no line reads as the title: it may be lost, or be the first line of the text" if has_text else None
    if _SPACED_PIECES_RE.search(title):
        return f"the title joins pieces set apart by spaces: one may be site text: “{title}”"
    if _LABEL_INSIDE_RE.search(title):
        return f"the title runs into a “label：” line: its end may be site text: “{title}”"
    return None


# A label opening a line: "文档简述：", "内容摘要:" (a page's or a text's information line).
_INFO_LABEL_RE = _re.compile(r"[\u4e00-\u9fff]{2,6}[：:]")
# The front of a page is at most this many paragraphs before the body starts.
MAX_FRONT = 40


def _body_start(paras: list[RawParagraph]) -> int:
    """Index of the first paragraph of the body proper: the salutation, a
    line of prose, or a numbered heading after the first line."""
    for k, para in enumerate(paras[:MAX_FRONT]):
        text = para.text
        if is_furniture(text):
            continue
        if SALUTATION_RE.match(text) or _Recipients.match(text):
            return k
        if _INFO_LABEL_RE.match(text) and display_width(text) <= 60 and any(_front_candidate(p.text) for p in paras[k + 1:k + 4]):
            continue  # a page's summary line over the title: "文档简述：本文为……。"
        if _has_final(text.rstrip(CLOSERS)[-1:]) or (_has_final(text) and display_width(text) > 16):
            return k
        if k and match_marker(text) is not None and not _has_final(text[:2]):
            return k
    return min(len(paras), MAX_FRONT)


def _front_candidate(text: str) -> bool:
    """Could this line before the body be the title?"""
    reads_as_title = _title_like(text) or (text[:1] == "在" and bool(_SUBTITLE_RE.match(text)) and _short_line(text, MAX_TITLE_WIDTH))
    balanced = all(text.count(a) == text.count(b) for a, b in ("【】", "（）", "《》", "“”"))  # "【导" is a broken piece
    return reads_as_title and balanced and not is_furniture(text) and not _byline_candidate(text) and not _HEADER_LABEL_RE.fullmatch(text)


def _byline_candidate(text: str) -> bool:
    return bool(
        # a subtitle, a note in brackets, a date, "职务 姓名"
        text.startswith(("——", "—", "－－", "--", "-", "（", "(")) or is_date(text) or _JOB_AND_NAME_RE.fullmatch(text)
        or (_SPEAKER_HINT_RE.search(text) and (display_width(text) <= 12 or re.search(r"[\s　]|^\S{1,5}[：:]", text)))
        or (_NAME_RE.fullmatch(text) and display_width(text) <= 3)  # a name; "述职报告" is a title
    )


def _nearest_title(paras: list[RawParagraph], texts: list[str], candidates: list[int], labelled: set[int]) -> int:
    """Without a repetition: the last title-like line before the body (site
    names, slogans and search boxes stand higher up, behind menus), or a
    wider one right above it with nothing but title-like lines between (a
    title over an unrecognised byline), or the first part of a title over
    two lines.  A short "label：value" line ("所属分类：讲话稿") only when
    nothing else reads as a title."""
    plain = [k for k in candidates if k not in labelled] or candidates
    title = plain[-1]
    # Sites print a page's information line (date, views, size) right under
    # its title; a title-like line further down is a button or a link.
    under_info = [k for k in plain if k + 1 < len(texts) and is_info_line(texts[k + 1]) and not _INFO_LABEL_RE.match(texts[k])]
    if under_info and under_info[-1] != title and not (title + 1 < len(texts) and is_info_line(texts[title + 1])):
        return under_info[-1]
    for k in reversed(plain[:-1]):
        if any(is_furniture(texts[j]) for j in range(k + 1, title)):
            break
        wider, width = display_width(texts[k]), display_width(texts[title])
        if wider >= width + 4 or (wider >= width + 3 and wider >= 1.5 * width):
            title = k  # (a title over a button: "开学典礼发言稿" over "阅读原文")
    before = title - 1
    if before in plain and (
        texts[before][-1:] in _TITLE_CONTINUES
        or (title + 1 < len(paras) and _second_title_line(texts[before], texts[title], texts[title + 1]))
    ):
        title = before
    return title


def _drop_page_chrome(paras: list[RawParagraph], warnings: list[Warning]) -> None:
    """Remove a site's page chrome around the title, found by structure:
    the title is the line the body repeats at its start, else the line that
    reads most as a title nearest the body; the furniture lines above it
    (menus, breadcrumbs, a site name) and between it and its repetition
    (info lines, buttons) are not the document.  Labels printed above a
    title (内部资料, a 文号, a date) stay."""
    b = _body_start(paras)
    if b == 0:
        return
    texts = [p.text.strip() for p in paras]
    norms = [norm(t) for t in texts]
    readable = [k for k in range(b) if _front_candidate(texts[k])]
    candidates = [k for k in readable if not menu_run(texts[:b], k)]
    # "在……上的讲话" under a title is its subtitle; alone, it is the title.
    labelled = {k for k in candidates if LABEL_LINE_RE.fullmatch(texts[k])}
    candidates = [k for k in candidates if not (_SUBTITLE_RE.search(texts[k]) and k - 1 in candidates and k - 1 not in labelled)]

    keys = [_FILE_SUFFIX_RE.sub("", t) for t in norms]

    def repeated(k: int) -> int | None:
        """Index of the title's repetition, if the page repeats line ``k``
        (as it is, over two lines, or at the start of the body's first line)."""
        if display_width(texts[k]) < 4:
            return None
        for j in range(k + 1, min(b + 1, len(paras))):
            if keys[j] == keys[k] or (j + 1 < len(paras) and keys[k].startswith(keys[j]) and keys[j] + keys[j + 1] == keys[k]):
                return j
            if keys[j].startswith(keys[k]) and len(keys[j]) > len(keys[k]) and not is_furniture(texts[j]):
                return j  # glued to what follows it: a date, the salutation, the body
        return None

    # A short title among menu items ("工作报告" under "登录 | 注册") is still
    # the line the page repeats.
    title = next((k for k in readable if repeated(k) is not None), None)
    if title is None:
        # A title that reads as a byline ("携手抗疫 共克时艰" looks like a job
        # and a name; "书记校长读书会表态发言稿" names a job) is still the line
        # the body repeats at its start: no byline is printed twice.
        title = next((k for k in range(b) if _title_like(texts[k]) and display_width(texts[k]) >= MIN_PASSED_TITLE
                      and _byline_candidate(texts[k]) and not is_furniture(texts[k]) and repeated(k) is not None), None)
    if title is None and not candidates and readable:
        # Every title-like line stands among menu items: the last one before
        # the body ("2021年终总结" under "登录", over "文档编号：…").
        candidates = readable[-1:]
        warnings.append(Warning("uncertain", f"the title is a guess among menu items: “{texts[readable[-1]]}”", paras[readable[-1]].line))
    if title is None and not candidates:
        # Nothing reads as a title: the furniture above the body goes all the same.
        drop = {k for k in range(b) if menu_run(texts[:b], k) and not _HEADER_LABEL_RE.fullmatch(texts[k])}
        for k in sorted(drop):
            warnings.append(Warning("chrome_removed", f"removed site text around the title: {texts[k]}", paras[k].line))
        paras[:] = [p for k, p in enumerate(paras) if k not in drop]
        return
    if title is None:
        title = _nearest_title(paras, texts, candidates, labelled)
        others = [texts[k] for k in candidates if k not in (title, title + 1)]
        # Lines set aside as menu items or bylines may be the title all the
        # same ("书记校长读书会表态发言稿" has a job in it, "2021年终总结" stands
        # among menu items): a title chosen over one of them is a guess too.
        others = others or [texts[k] for k in range(b) if k not in (title, title + 1) and _title_like(texts[k])
                            and display_width(texts[k]) >= MIN_PASSED_TITLE and not is_furniture(texts[k])]
        if others:
            # Nothing repeats it and other lines read as titles too.
            warnings.append(Warning("uncertain", f"the title is a guess: “{texts[title]}”, not “{others[-1]}”", paras[title].line))
    again = repeated(title)
    drop = {k for k in range(title) if not (_HEADER_LABEL_RE.fullmatch(texts[k]) or (k == title - 1 and _label_above_title(paras, k)))}
    if again is not None:
        # The title's own later lines (a title over two lines) are no chrome.
        last, joined = title, keys[title]
        while last + 1 < again and keys[again].startswith(joined + keys[last + 1]):
            last += 1
            joined += keys[last]
        drop.update(range(last + 1, again))
    start = (again if again is not None else title) + 1
    drop.update(k for k in range(start, b) if is_furniture(texts[k]))
    if not drop:
        return
    for k in sorted(drop):
        warnings.append(Warning("chrome_removed", f"removed site text around the title: {texts[k]}", paras[k].line))
    paras[:] = [p for k, p in enumerate(paras) if k not in drop]


# A body paragraph this wide, or one this wide with a comma, is the text,
# not a site's footer line.
BODY_LINE_WIDTH = 40
BODY_CLAUSE_WIDTH = 20
# The end of a page is at most this many paragraphs after the body.
MAX_TAIL = 40


# A site's notice at the end of a page: "温馨提示：……", "版权声明：……",
# "还剩 12 页未读", "© 2025 ……" (a label opening it, a count of pages, a copyright sign).
_NOTICE_RE = _re.compile(r"^[\u4e00-\u9fff]{2,6}[：:]|\d+\s?页|[©Ⓒ]|\([cC]\)")
MAX_NOTICE_WIDTH = 50
_PAGES_OR_COPYRIGHT_RE = _re.compile(r"\d+\s?页|[©Ⓒ]|\([cC]\)")


def _notice(text: str) -> bool:
    """A site's notice: short, and ending no sentence when a label opens it
    ("主持人：……散会。" ends one: a transcript's line); one that counts pages or
    bears a copyright sign, however it ends."""
    if display_width(text) > MAX_NOTICE_WIDTH or not _NOTICE_RE.search(text):
        return False
    return not _has_final(text.rstrip(CLOSERS)[-1:]) or _PAGES_OR_COPYRIGHT_RE.search(text) is not None


def _body_like(text: str) -> bool:
    if is_furniture(text) or _notice(text) or (text[:1] in "（(" and text[-1:] in "）)"):
        return False  # (a note in brackets after the text ends it, it is no line of prose)
    return (
        _has_final(text.rstrip(CLOSERS)[-1:]) or display_width(text) >= BODY_LINE_WIDTH
        or (display_width(text) >= BODY_CLAUSE_WIDTH and any(c in text for c in "，,、；;"))
    )


_TRAILING_NOTE_RE = _re.compile(r"[（(][^（）()]{1,40}[）)]$")


def _ends_sentence(text: str) -> bool:
    """Does the text end a sentence, a note in brackets after it aside ("……国策。（2016年6月7日）")?"""
    text = _TRAILING_NOTE_RE.sub("", text.rstrip())
    return _has_final(text.rstrip(CLOSERS)[-1:])


def _dated(text: str) -> bool:
    """A date line, or a signature glued to its date ("中央军委办公厅一九九六年六月二十九日")."""
    m = DATE_RE.search(text)
    return m is not None and m.end() == len(text) and display_width(text[: m.start()]) <= 30 and not _has_final(text[: m.start()])


def _ends_document(paras: list[RawParagraph], k: int, *, strict: bool = False) -> bool:
    """Lines that end a document without ending a sentence: a 落款 (a date,
    the signature above it), a note in brackets, a 公文's 版记, an annex
    line; unless ``strict``, also a "联系人：张三" line or a line introducing
    a list ("推荐阅读：")."""
    text = paras[k].text.strip()
    if _dated(text):
        return True
    if k + 1 < len(paras) and display_width(text) <= 30 and not _has_final(text) and _dated(paras[k + 1].text.strip()):
        return True  # the signature over a date, or the first of two signatures
    if text[-1:] in "）)" and (text[:1] in "（(" or DATE_RE.search(text.rsplit("（", 1)[-1].rsplit("(", 1)[-1])) \
            and display_width(text) <= BODY_LINE_WIDTH:
        return True  # a note or a dated credit in brackets: "（新华社北京3月26日电）", "《人民日报》（2020年03月27日02版）"
    if BANJI_RE.fullmatch(text) or ANNEX_RE.match(text):
        return True
    return not strict and (bool(_LABELLED_LINE_RE.fullmatch(text)) or text.endswith(("：", ":")))


# "联系人：张三" "联系电话：0576-81234567": a label and its value.
_LABELLED_LINE_RE = _re.compile(r"[\u4e00-\u9fff]{2,8}[：:]\s*\S[^。！？]{0,38}")


def _drop_tail_chrome(paras: list[RawParagraph], start: int, warnings: list[Warning]) -> bool | None:
    """Remove a site's footer after the body, found by structure: the body
    ends at its last line of prose (a sentence end, a long line, a clause);
    right after it may come what ends a document (a 落款, notes in
    brackets, a 版记, annexes, contact lines, a list under a "…：" line),
    and the short lines after those that end no sentence (copyright,
    links, buttons, related titles) are not the document.  Returns whether
    the text stops mid-sentence when that had to be judged apart from its
    last line (None: the last block tells)."""
    end = len(paras)
    lowest = max(start + 1, len(paras) - MAX_TAIL)
    while end > lowest and not _body_like(paras[end - 1].text.strip()):
        end -= 1
    if end <= start or end == len(paras):
        return None
    verdict = None
    drop: list[int] = []
    in_end_matter, in_list = True, False
    numbered = {(m.family.name, m.number) for p in paras[start:end] if (m := match_marker(p.text)) is not None and m.number}
    in_part = False  # under the document's own next heading
    for k in range(end, len(paras)):
        text = paras[k].text.strip()
        marker = match_marker(text)
        if in_end_matter and marker is not None and marker.number and (marker.family.name, marker.number - 1) in numbered:
            # "四、各地工信部门联系方式" after the body's "三、": the document's next
            # part; the short lines under it (contacts, a table's rows: "苏州市工信局
            # 0512-68616275") are its text until a site's notice or footer.
            numbered.add((marker.family.name, marker.number))
            in_part = True
            continue
        if in_part and in_end_matter and not _notice(text) and not names_a_site(text) and display_width(text) <= BODY_LINE_WIDTH \
                and not any(c in text for c in "，,。；;！!？?"):
            continue  # (a row holds no clause: "打开……，阅读更多精彩资讯" is the site's)
        if _ends_document(paras, k, strict=True) or in_end_matter and (
            _ends_document(paras, k) or (in_list and not is_furniture(text) and display_width(text) <= BODY_LINE_WIDTH)
        ):
            in_list = in_list or text.endswith(("：", ":")) or bool(ANNEX_RE.match(text))
            continue
        if k == end and not is_furniture(text) and not _notice(text):
            # A short line right after the body: the start of a paragraph the
            # site cut off, or its first button ("立即下载")?  Kept; a clause
            # is the text's, a bare phrase is judged by the body's last line.
            clause = text.endswith(("，", ",", "、", "；", ";")) or display_width(text) >= BODY_CLAUSE_WIDTH + 4
            verdict = not _has_final(text.rstrip(CLOSERS)[-1:]) if clause else not _has_final(paras[k - 1].text.rstrip(CLOSERS)[-1:])
            warnings.append(Warning("uncertain", f"a short line after the text, kept: it may be site text or the text's last words: {text}", paras[k].line))
            in_end_matter = False
            continue
        in_end_matter = False
        drop.append(k)
    if verdict is None and _has_final(paras[end - 1].text.rstrip(CLOSERS)[-1:]):
        verdict = False  # the body ends a sentence; what follows it ends the document
    # The last long paragraph stopping mid-sentence is a text the site cut
    # off, whatever short line (a notice ending "下载吧！") follows it.
    long = next((k for k in range(end - 1, start - 1, -1) if display_width(paras[k].text) >= BODY_LINE_WIDTH
                 and not _ends_document(paras, k, strict=True) and not is_furniture(paras[k].text)), None)
    if long is not None and long >= end - 3 and not _ends_sentence(paras[long].text):
        verdict = True
    for k in drop:
        warnings.append(Warning("chrome_removed", f"removed site text after the body: {paras[k].text.strip()}", paras[k].line))
    dropped = set(drop)
    paras[:] = [p for k, p in enumerate(paras) if k not in dropped]
    return verdict


def _closing(paras: list[RawParagraph], start: int) -> int:
    """Index where a closing 落款 (signature and/or date) begins; len(paras) if none.
    A last line "中共某某委员会 2025年6月30日" is split into its two parts."""
    if len(paras) - start >= 2:
        last = paras[-1]
        m = _SIGNED_DATE_RE.fullmatch(last.text)
        if m and is_date(m.group("date")) and not _has_final(m.group("sig")):
            paras[-1:] = [RawParagraph(m.group("sig"), last.line), RawParagraph(m.group("date"), last.line)]
    end = len(paras)
    if end - start >= 2 and is_date(paras[-1].text):
        end -= 1
        prev = paras[end - 1].text
        if end - 1 > start and display_width(prev) <= 30 and not _has_final(prev) and match_marker(prev) is None:
            end -= 1
    return end


# A numbered line ending so is an item of a list ("1.认真学习……；"), not a heading.
LIST_ITEM_ENDS = ("；", ";")


def _heading_from_marker(text: str) -> list[tuple[str, bool]] | None:
    """Split a paragraph that opens with a heading marker into (text, run_in)
    pieces; None when it is a numbered body paragraph, not a heading."""
    end = _after_first_sentence(text)
    if end < 0:
        if display_width(text) <= MAX_HEADING_WIDTH and not text.endswith(("，", ",", "、", *LIST_ITEM_ENDS)):
            return [(text, False)]
        return None
    lead, rest = text[:end], text[end:].strip()
    if not rest:
        return [(text, False)] if display_width(text) <= 40 else None
    if display_width(lead) <= MAX_RUN_IN_LEAD:
        return [(lead, True), (rest, False)]
    return None


def structure(paras: list[RawParagraph], declared: dict[int, int] | None = None) -> Structured:
    """``declared``: headings the input's markup declared (<h2>, "## "), by
    the line they start on, with their markup level."""
    paras = list(paras)
    declared = declared or {}
    # A declared heading without a marker takes the family of the marked
    # ones declared at the same markup level ("## 一、" beside "## 小结").
    rank_of_level: dict[int, int] = {}
    for para in paras:
        found = match_marker(para.text) if para.line in declared else None
        if found is not None:
            rank_of_level.setdefault(declared[para.line], found.family.rank)
    warnings: list[Warning] = []
    title, bylines, meta, i = _front_matter(paras, warnings)
    blocks: list[Block] = list(bylines)
    title_norm = norm(title)

    # Salutation: right after the front matter, alone or opening the first paragraph.
    if i < len(paras):
        text = paras[i].text
        m = SALUTATION_RE.match(text) or _Recipients.match(text)
        if m and display_width(m.group()) <= (40 if m.re is SALUTATION_RE else 400):
            blocks.append(Salutation(m.group()))
            rest = text[m.end():].strip()
            if rest:
                paras[i] = RawParagraph(rest, paras[i].line)
            else:
                i += 1

    # Paragraphs joined from a bare marker and a line that reads as a
    # sentence ("四" + "依据上述意见，我有下列提议："), by id: perhaps the
    # marker alone heads the part and the sentence opens its text.
    joined_sentences: set[int] = set()
    paras = _join_bare_markers(paras, i, joined_sentences)
    cut_mid_sentence = _drop_tail_chrome(paras, i, warnings)
    end = _closing(paras, i)
    # (block, family rank or None for unnumbered, marker number, line)
    pending: list[tuple[Block, int | None, int | None]] = []
    # Numbered paragraphs whose lead sentence is too long for a run-in
    # heading on its own: (index in pending, family rank, number).
    long_leads: list[tuple[int, int, int]] = []
    # Numbered paragraphs ending with a semicolon: items of a list, not
    # headings (index in pending -> family rank, number).
    list_items: dict[int, tuple[int, int]] = {}
    # Paragraphs opening with a series lead ("第一，" "一是" "第一、"): (index
    # in pending, family name, number, text).
    leads: list[tuple[int, str, int, str]] = []
    # Own-line headings whose line was full and ended no sentence: perhaps
    # the first line of a numbered paragraph (ids of the Heading objects).
    open_headings: set[int] = set()
    # Headings the input's markup declared (ids): no guess of the reader's.
    declared_headings: set[int] = set()
    # Headings joined from a bare marker and a sentence (ids).
    joined_headings: set[int] = set()
    in_annex = False
    body = paras[i:end]
    for k, para in enumerate(body):
        text = para.text
        if title_norm and norm(text) == title_norm:
            warnings.append(Warning("title_repeated", f"removed the title repeated in the body: {text}", para.line))
            continue
        marker = match_marker(text)
        if _ANNEX_RE.match(text) or (in_annex and marker and display_width(text) <= MAX_UNNUMBERED_HEADING * 2):
            # "附件：1.……" and the items under it: a list of attachments.
            in_annex = True
            pending.append((Paragraph(text), None, None))
            continue
        in_annex = False
        if para.line in declared:
            level = declared[para.line]
            rank = marker.family.rank if marker else rank_of_level.get(level, DECLARED_RANK + level)
            heading = Heading(1, text)
            declared_headings.add(id(heading))
            pending.append((heading, rank, marker.number if marker else None))
            continue
        series_lead = match_lead(text)
        if series_lead is not None and series_lead.number is not None:
            if not holds_next_item(text, series_lead):
                leads.append((len(pending), series_lead.family.name, series_lead.number, text))
            pending.append((Paragraph(text), None, None))
            continue
        if marker is not None and marker.family.name == "symbol" and text.rstrip()[-1] == text.lstrip()[0] and para.line not in declared:
            # A symbol on both ends frames a line ("★ 喜欢本文？点个收藏 ★"):
            # decoration, where "■ 小标题" heads a section.
            pending.append((Paragraph(text), None, None))
            continue
        pieces = _heading_from_marker(text) if marker and not holds_next_item(text, marker) else None
        if marker and pieces:
            (lead_text, run_in), *after = pieces
            heading = Heading(1, lead_text, run_in)
            if para.open_end and not run_in:
                open_headings.add(id(heading))
            if id(para) in joined_sentences:
                joined_headings.add(id(heading))
            pending.append((heading, marker.family.rank, marker.number))
            pending.extend((Paragraph(piece), None, None) for piece, _ in after)
            continue
        if marker and marker.number is not None and _long_run_in(text):
            long_leads.append((len(pending), marker.family.rank, marker.number))
        if marker and marker.number is not None and text.rstrip().endswith(LIST_ITEM_ENDS):
            list_items[len(pending)] = (marker.family.rank, marker.number)
        if SALUTATION_RE.fullmatch(text) and text.endswith(("：", ":", "！", "!")) and display_width(text) <= 40:
            # "同志们：" after an opening quotation, opening a second speech, or
            # "各位代表！" between the parts of a report.
            pending.append((Salutation(text), None, None))
            continue
        closing = _ADDRESS_AT_END_RE.search(text)
        if closing and SALUTATION_RE.fullmatch(closing.group(1)) and display_width(closing.group(1)) <= 20:
            # "……的成绩。各位代表！": the address that opens the next part.
            pending.append((Paragraph(text[: closing.start(1)]), None, None))
            pending.append((Salutation(closing.group(1)), None, None))
            continue
        if _BARE_CN_NUMBER_RE.fullmatch(text.strip()) and k + 1 < len(body):
            # "一" alone over a part of the text (Selected Works, old reports).
            pending.append((Heading(1, text.strip()), CN_RANK, chinese_number(text.strip())))
            continue
        if _unnumbered_heading(body, k):
            pending.append((Heading(1, text), -1, None))
            continue
        pending.append((Paragraph(text), None, None))

    pending = _last_list_items(pending, list_items)
    pending = _siblings_as_run_in(pending, long_leads)
    pending = _lead_series(pending, leads)
    close_families: set[int] = set()
    pending = _family_vote(pending, open_headings, close_families)
    pending = _inside_numbered_parts(pending)
    offset = len(blocks)
    blocks.extend(_assign_levels(pending))
    doubts = {offset + k: why for k, why in _doubtful_headings(pending, open_headings, close_families, declared_headings, joined_headings).items()}
    for para in paras[end:]:
        blocks.append(Paragraph(para.text, "date" if is_date(para.text) else "signature"))
    doubts.update(_doubtful_paragraphs(blocks, body, offset, set(doubts)))
    warnings.extend(Warning("uncertain", f"block {k}: {why}", None, k) for k, why in sorted(doubts.items()))
    return Structured(title, blocks, meta, warnings, cut_mid_sentence)


# Past the family threshold by less than this, a family's reading is doubtful.
CLOSE_VOTE = 3


def _doubtful_headings(
    pending: list[tuple[Block, int | None, int | None]], open_headings: set[int], close_families: set[int],
    declared: set[int] = frozenset(), joined: set[int] = frozenset(),  # type: ignore[assignment]
) -> dict[int, str]:
    """Headings the reader is unsure of (by index in pending): one that
    filled its line (perhaps a paragraph's first line), one of a family
    whose lead sentences sit near the limit between headings and prose, an
    unnumbered one outside a series of them or holding a clause, a bare
    number joined to a sentence under it (``joined``, by id), the lone
    member of its family (one marked line is no numbering; ``declared``
    headings aside), one bare where its siblings have words (or the other
    way round), one whose bracket stays open, one whose body is one short
    sentence (perhaps its own), and a series whose level follows a heading
    above it that is itself in doubt (at the series' first point)."""
    out: dict[int, str] = {}
    unnumbered = [k for k, (b, r, _) in enumerate(pending) if isinstance(b, Heading) and r == -1]
    # Unnumbered headings that come three or more apart are the document's parts.
    unnumbered_series = len(unnumbered) >= 3
    members: dict[int, int] = {}
    bare: dict[int, list[bool]] = {}
    for block, rank, _ in pending:
        if isinstance(block, Heading) and rank is not None and 0 <= rank < LEAD_RANK and id(block) not in declared:
            members[rank] = members.get(rank, 0) + 1
            bare.setdefault(rank, []).append(_bare_number(block.text))
    # Of a family with bare numbers and worded headings both, the fewer are in doubt.
    odd_bare = {rank: flags.count(True) < flags.count(False) for rank, flags in bare.items()
                if 0 < flags.count(True) != flags.count(False) > 0}
    enclosing: int | None = None  # the last heading that is no series lead
    series_doubted: set[tuple[int, int | None]] = set()  # (enclosing heading, lead family)
    for k, (block, rank, _) in enumerate(pending):
        if not isinstance(block, Heading):
            continue
        lead = rank is not None and rank >= LEAD_RANK
        family = rank is not None and 0 <= rank < LEAD_RANK and id(block) not in declared
        nxt = pending[k + 1] if k + 1 < len(pending) else None
        if id(block) in open_headings:
            out[k] = f"“{block.text[:20]}” filled its line: it may be the first line of a paragraph, not a heading"
        elif rank in close_families:
            out[k] = f"“{block.text[:20]}” may be numbered prose, not a heading (its family's lead sentences are long)"
        elif rank == -1 and not unnumbered_series:
            out[k] = f"“{block.text[:20]}” has no number: it may be body text or site text, not a heading"
        elif rank == -1 and any(c in block.text for c in "，,；;"):
            out[k] = f"“{block.text[:20]}” has no number and holds a clause: it may be body text or site text, not a heading"
        elif id(block) in joined:
            out[k] = f"“{block.text[:20]}” joins a number alone on its line to a sentence: the number alone may be the heading"
        elif family and members.get(rank) == 1:  # type: ignore[arg-type]
            out[k] = f"“{block.text[:20]}” is the only heading marked so: it may be body text or site text, not a heading"
        elif family and odd_bare.get(rank) is _bare_number(block.text):  # type: ignore[arg-type]
            out[k] = (f"“{block.text[:20]}” is {'a bare number' if _bare_number(block.text) else 'worded'} where its siblings "
                      f"are {'worded' if _bare_number(block.text) else 'bare numbers'}: its words may be lost or not its own")
        elif _open_bracket(block.text):
            out[k] = f"“{block.text[:20]}” leaves a bracket open: it may run on into the next block"
        elif block.run_in and nxt is not None and isinstance(nxt[0], Paragraph) and _short_sentence_after_lead(nxt[0].text):
            out[k] = f"“{block.text[:20]}” is followed by one short sentence only: that sentence may be the heading's own"
        elif lead and enclosing in out and (enclosing, rank) not in series_doubted:
            # (Once for the series, at its first point under that heading:
            # its level is one reading.)
            series_doubted.add((enclosing, rank))
            out[k] = (f"“{block.text[:20]}” opens a series whose level follows “{pending[enclosing][0].text[:20]}” "
                      "above it, itself in doubt: the series may stand a level higher")
        if not lead:
            enclosing = k
    return out


def _bare_number(text: str) -> bool:
    """A heading that is its number alone: "四", "（三）", "第二部分"."""
    text = text.strip()
    if _BARE_CN_NUMBER_RE.fullmatch(text) or BARE_MARKER_RE.fullmatch(text):
        return True
    marker = match_marker(text)
    return marker is not None and not text[len(marker.text):].strip()


_OPENING, _CLOSING = "（(【〔［[《“", "）)】〕］]》”"


def _open_bracket(text: str) -> bool:
    """Does ``text`` leave a bracket open (one it opens and does not close)?"""
    depth = 0
    for ch in text:
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING and depth:
            depth -= 1
    return depth > 0


def _doubtful_paragraphs(blocks: list[Block], body: list[RawParagraph], start: int, doubted_headings: set[int]) -> dict[int, str]:
    """Paragraphs the reader is unsure of (by index in blocks): two may have
    been read as one, one may have been cut in two (a bracket left open
    before it closes in it, it opens with a word's last character or is a
    sentence's last few, it is one short sentence after a run-in heading),
    or it may be a heading (it opens with a marker, or is a short line
    ending no sentence).  A byline that leaves a bracket open for the next
    block to close may be cut off too."""
    out: dict[int, str] = {}
    for k in range(min(start, len(blocks) - 1)):
        block = blocks[k]
        if isinstance(block, Paragraph) and block.role == "byline" and _open_bracket(block.text) \
                and _unopened_close(blocks[k + 1].text):
            out[k] = "it leaves a bracket open that the next block closes: the two may be one, or cut elsewhere"
    raw, pos = 0, 0  # the last block's source paragraph, and where in it that block ended
    for k in range(start, len(blocks)):
        block = blocks[k]
        # Its source paragraph is the last block's, past that block (a run-in
        # heading and its body share one), or one of the next few; a block
        # not found there (a paragraph joined from pieces) keeps the place.
        # (Looked for past the last block only: a short block, "一", is in
        # many a paragraph.)
        found, opens = None, False
        for j in range(raw, min(raw + 4, len(body))):
            at = body[j].text.find(block.text[:8], pos if j == raw else 0)
            if at >= 0:
                found, pos, opens = j, at + len(block.text), at == 0
                break
        source = body[found] if found is not None else None
        raw = found if found is not None else raw
        if not isinstance(block, Paragraph) or block.role is not None:
            continue
        before = blocks[k - 1] if k > start else None
        prior = blocks[k - 1] if k else None  # (a byline too)
        if source is not None and source.doubtful:
            out[k] = "a sentence ended at a full line inside it: it may be two paragraphs"
        elif source is not None and source.open_end and block.text == source.text:
            out[k] = "it ended at a full line mid-sentence: it may go on in the next block"
        elif match_marker(block.text) is not None or match_lead(block.text) is not None or _ORDINAL_START_RE.match(block.text):
            out[k] = "it opens with a heading marker or an ordinal: it may be a run-in heading"
        elif display_width(block.text) <= MAX_UNNUMBERED_HEADING and not _has_final(block.text.rstrip(CLOSERS)[-1:]):
            out[k] = "a short line ending no sentence: it may be a heading or site text"
        elif block.text[:1] in CLOSERS + "，、。；：！？】）〕》" or (
            before is not None and (isinstance(before, Paragraph) or k - 1 in doubted_headings)
            and not _has_final(before.text.rstrip(CLOSERS)[-1:])
        ):
            out[k] = "the block before it ends no sentence: the two may be one paragraph"
        elif not _has_final(block.text.rstrip(CLOSERS)[-1:]) and k + 1 < len(blocks):
            out[k] = "it ends no sentence: it may go on in the next block"
        elif prior is not None and _open_bracket(prior.text) and _unopened_close(block.text):
            out[k] = "the block before it leaves a bracket open that it closes: the two may be one paragraph"
        elif _WORD_END_CLAUSE_RE.match(block.text):
            out[k] = "it opens with a clause of one character: a word may be broken between it and the block before"
        elif prior is not None and not isinstance(prior, Salutation) and display_width(block.text) <= MAX_SENTENCE_TAIL \
                and _one_sentence(block.text) and not _has_final(prior.text.rstrip(CLOSERS)[-1:]):
            out[k] = "it is a sentence's last few words after a block that ends none: the two may be one"
        elif isinstance(prior, Heading) and prior.run_in and _short_sentence_after_lead(block.text):
            out[k] = "it is one short sentence after a run-in heading: it may be the heading's own"
        elif source is not None and source.nearly_full_before and opens:
            out[k] = "the line before it ended a sentence at nearly the full width: the two may be one paragraph"
    return out


# A paragraph opening so ("围，组织培训……") starts with a word's last character.
_WORD_END_CLAUSE_RE = re.compile(r"[\u4e00-\u9fff][，,、]")
# A paragraph of one sentence this short after a block that ends none is its tail ("案。").
MAX_SENTENCE_TAIL = 8


def _one_sentence(text: str) -> bool:
    """A whole sentence and nothing after it."""
    text = text.rstrip()
    return bool(text) and _after_first_sentence(text) == len(text)


def _short_sentence_after_lead(text: str) -> bool:
    """One short sentence, all of a paragraph: after a run-in heading's lead,
    perhaps the heading's second sentence ("一、大机会时代，千万不要机会主义。" +
    "一定要有战略耐性。")."""
    return display_width(text) <= BODY_CLAUSE_WIDTH and _one_sentence(text)


def _unopened_close(text: str) -> bool:
    """Does ``text`` close a bracket it did not open ("读】……", "项）。……")?"""
    depth = 0
    for ch in text:
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            if not depth:
                return True
            depth -= 1
    return False


# "首先，" "其次来说" "第二种：" — ordinals that may open a speech's points.
_ORDINAL_START_RE = _re.compile(r"(?:首先|其次|再次|最后|第[一二三四五六七八九十]{1,3}(?:种|类|条|个|层|步))")


def _last_list_items(
    pending: list[tuple[Block, int | None, int | None]], list_items: dict[int, tuple[int, int]]
) -> list[tuple[Block, int | None, int | None]]:
    """The item that closes a list ("3.……。" after "1.……；" and "2.……；")
    is a list item too, not a heading."""
    out = list(pending)
    for k, (block, rank, number) in enumerate(pending):
        if k - 1 in list_items and isinstance(block, Heading) and not block.run_in \
                and list_items[k - 1] == (rank, (number or 0) - 1):
            out[k] = (Paragraph(block.text), None, None)
            list_items[k] = (rank, number)  # type: ignore[assignment]
    return out


# Declared headings without a marker rank below every marker family, by
# their markup level.
DECLARED_RANK = 100


# A run-in lead this long is a heading only beside numbered siblings that are
# headings: "(二)坚持以……为统领，把……抓紧抓实、抓出成效。正文" between (一)
# and (三).
MAX_SIBLING_RUN_IN_LEAD = 100


def _long_run_in(text: str) -> bool:
    stop = _first_final(text)
    return stop >= 0 and MAX_RUN_IN_LEAD < display_width(text[: stop + 1]) <= MAX_SIBLING_RUN_IN_LEAD \
        and bool(text[stop + 1:].strip())


def _siblings_as_run_in(
    pending: list[tuple[Block, int | None, int | None]], long_leads: list[tuple[int, int, int]]
) -> list[tuple[Block, int | None, int | None]]:
    """A long-lead numbered paragraph whose previous or next number in the
    same family is a heading is a run-in heading too."""
    if not long_leads:
        return pending
    numbers = {(rank, number) for b, rank, number in pending if isinstance(b, Heading) and rank is not None and number is not None}
    # A run of them ((一)…(二)…(三)… each with a long lead) stands for itself.
    candidates = {(rank, number) for _, rank, number in long_leads}
    out = list(pending)
    for index, rank, number in reversed(long_leads):
        neighbours = {(rank, number - 1), (rank, number + 1)}
        if not neighbours & numbers and not neighbours & candidates:
            continue
        text = pending[index][0].text
        end = _after_first_sentence(text)
        out[index:index + 1] = [(Heading(1, text[:end], True), rank, number), (Paragraph(text[end:].strip()), None, None)]
    return out


# A marker alone on its line: "(三)", "（三）", "三、", "3.", "⑶".
_BARE_CN_NUMBER_RE = _re.compile(r"[一二三四五六七八九十]{1,3}")
CN_RANK = 3  # the rank of 一、 (markers.FAMILIES)
_NOTE_NUMBER_RE = _re.compile(r"[〔［\[]\d{1,3}[〕］\]]")
_BARE_NUMBER_RE = _re.compile(r"[（(]\s?[一二三四五六七八九十\d]{1,3}\s?[）)]|[一二三四五六七八九十]{1,3}[、．.]|\d{1,2}[、．.]|0[1-9]|[〔［\[]\d{1,3}[〕］\]]")


def _join_bare_markers(paras: list[RawParagraph], start: int, sentences: set[int] | None = None) -> list[RawParagraph]:
    """"第一部分" or "(三)" on a line of its own, its words on the next: one
    heading.  ``sentences`` collects (by id) the joined paragraphs whose
    words end a sentence or a colon: the reader is unsure of those."""
    out = paras[:start]
    k = start
    while k < len(paras):
        para = paras[k]
        nxt = paras[k + 1] if k + 1 < len(paras) else None
        bare = para.text.strip()
        note_number = _NOTE_NUMBER_RE.fullmatch(bare) is not None  # "〔6〕" over its note
        numeral = _BARE_CN_NUMBER_RE.fullmatch(bare) is not None  # "一" split from "一　中国的特点和革命"
        if nxt is not None and (BARE_MARKER_RE.fullmatch(bare) or _BARE_NUMBER_RE.fullmatch(bare) or numeral) \
                and (note_number or _short_line(nxt.text, MAX_HEADING_WIDTH)) and match_marker(nxt.text) is None:
            # "第一部分 标题" and "一 标题" keep a space; "(三)" and "三、" join their words.
            glue = " " if BARE_MARKER_RE.fullmatch(bare) or bare.isdigit() or numeral else ""
            out.append(RawParagraph(f"{bare}{glue}{nxt.text}", para.line))
            if sentences is not None and (nxt.text.rstrip(CLOSERS)[-1:] or "，") in FINAL + "：:":
                sentences.add(id(out[-1]))
            k += 2
            continue
        out.append(para)
        k += 1
    return out


# Arrows and ornaments a site puts around its own lines ("▼往期推荐▼", "↓↓点击下载↓↓").
_DECORATION = "▼▲▽△◆◇●○※→←↓↑⇩☞✔✅🔥👇👉"


# Words that want an object after them: no heading ends with one.
_OPEN_ENDS = "的和与及并为在对把将之于以至向从被给让"


def _unnumbered_heading(body: list[RawParagraph], k: int) -> bool:
    text = body[k].text
    if not (0 < k < len(body) - 1):
        return False
    if display_width(text) > MAX_UNNUMBERED_HEADING or display_width(text) < 2:
        return False
    last = text.rstrip(CLOSERS)[-1:]
    if not last or last in FINAL + "，,、；;：:" or text.startswith(("—", "-", "－")):
        return False
    if last in _OPEN_ENDS:
        return False  # a clause cut before its object ("……请发送邮件至"), not a title
    if is_date(text) or SALUTATION_RE.match(text):
        return False
    if text.startswith(("（", "(")) and text.endswith(("）", ")")):
        return False  # a stage direction or an aside: "（宣读决定）", "（掌声）"
    if is_furniture(text) or _notice(text) or any(c in text for c in _DECORATION):
        return False  # a site's line between paragraphs: "▼往期推荐▼", "2/4页", "© 2025 …"
    nxt = body[k + 1].text
    # It must introduce body text: the next paragraph is longer and reads as prose
    # (or is a numbered heading); the previous one ended a sentence.
    prev = body[k - 1].text.strip()
    # (A note in brackets or a date ends a part too: "（此件公开发布）" before
    # the title of the regulation a notice issues.)
    prev_ok = _has_final(prev[-2:]) or match_marker(prev) is not None or is_date(prev) \
        or (prev[:1] in "（(" and prev[-1:] in "）)")
    next_ok = match_marker(nxt) is not None or (_has_final(nxt) and display_width(nxt) > display_width(text))
    return prev_ok and next_ok


# A numbered family whose lead sentences run this wide (the median) opens
# paragraphs of prose (a regulation's clauses, numbered arguments), not
# run-in headings; below it, its long-lead members are headings too.
MAX_FAMILY_LEAD = 38
# Past this, a lead is no heading whatever its family does.
MAX_ANY_LEAD = 150


def _after_first_sentence(text: str) -> int:
    """Where the first sentence ends (past its final mark and closing
    quotes), or -1 when it ends none."""
    stop = _first_final(text)
    if stop < 0:
        return -1
    end = stop + 1
    while end < len(text) and text[end] in CLOSERS:
        end += 1
    return end


def _lead_end(text: str) -> int:
    """Where a paragraph's lead sentence ends, or -1 when it has none or
    nothing follows it."""
    end = _after_first_sentence(text)
    return end if end >= 0 and text[end:].strip() else -1


def _family_vote(
    pending: list[tuple[Block, int | None, int | None]], open_headings: set[int] = frozenset(),  # type: ignore[assignment]
    close_families: set[int] | None = None,
) -> list[tuple[Block, int | None, int | None]]:
    """One numbered family, one reading: its run-in members are all headings
    or all paragraphs, by the median width of their lead sentences.  An
    own-line heading that filled its line (``open_headings``) counts with
    the next paragraph's lead, and goes back into it when the family reads
    as prose."""
    members: dict[int, list[tuple[int, float]]] = {}
    for k, (block, rank, _) in enumerate(pending):
        if isinstance(block, Heading) and rank is not None and 0 <= rank < LEAD_RANK and id(block) in open_headings \
                and k + 1 < len(pending) and isinstance(pending[k + 1][0], Paragraph):
            # Read as the first line of a paragraph when it holds a clause,
            # its lead runs into the next one.  (Stored negative: it follows
            # the family's verdict only where the other members are enough.)
            following = pending[k + 1][0].text
            stop = _first_final(following)
            joined = display_width(block.text + (following[: stop + 1] if stop >= 0 else following))
            members.setdefault(rank, []).append((k, -(joined if any(c in block.text for c in "，,；;") else display_width(block.text))))
        elif isinstance(block, Heading) and block.run_in and rank is not None and 0 <= rank < LEAD_RANK:
            members.setdefault(rank, []).append((k, display_width(block.text)))
        elif isinstance(block, Paragraph) and block.role is None:
            marker = match_marker(block.text)
            end = _lead_end(block.text)
            if marker is None or marker.number is None or block.text.rstrip().endswith(LIST_ITEM_ENDS) \
                    or holds_next_item(block.text, marker) or match_lead(block.text) is not None:
                continue
            if end < 0:
                # A numbered paragraph of one sentence votes; it becomes an
                # own-line heading only where body text follows it.
                members.setdefault(marker.family.rank, []).append((k, display_width(block.text) + 0.25))
                continue
            members.setdefault(marker.family.rank, []).append((k, display_width(block.text[:end])))
    demote: set[int] = set()
    promote: dict[int, int] = {}
    for rank, found in members.items():
        if sum(1 for _, w in found if w >= 0) < 2:
            found = [(k, w) for k, w in found if w >= 0]  # too few others: an open heading stays
        voters = [abs(w) for _, w in found]
        if len(voters) < 2:
            continue
        widths = sorted(voters)
        median = widths[len(widths) // 2] if len(widths) % 2 else (widths[len(widths) // 2 - 1] + widths[len(widths) // 2]) / 2
        if close_families is not None and abs(median - MAX_FAMILY_LEAD) <= CLOSE_VOTE:
            close_families.add(rank)
        for k, width in found:
            heading = pending[k][0]
            if median > MAX_FAMILY_LEAD and isinstance(heading, Heading) and (heading.run_in or id(heading) in open_headings):
                demote.add(k)
            elif median <= MAX_FAMILY_LEAD and isinstance(pending[k][0], Paragraph) and abs(width) <= MAX_ANY_LEAD \
                    and (_lead_end(pending[k][0].text) > 0 or _introduces_body(pending, k)):
                promote[k] = rank
    # Own-line sentences that each head body text: a heading family whatever
    # their width, when the family is mostly own-line members and most of
    # those do so.  (Where most members open paragraphs of prose, as a
    # regulation's clauses do, an own-line clause stays one of them.)
    for rank, found in members.items():
        own_line = [k for k, _ in found if _own_line(pending[k][0])]
        heading_body = [k for k in own_line if _introduces_body(pending, k)]
        if len(heading_body) >= 2 and len(heading_body) * 2 > len(own_line) and len(own_line) * 2 >= len(found):
            for k in heading_body:
                if isinstance(pending[k][0], Paragraph) and display_width(pending[k][0].text) <= MAX_ANY_LEAD:
                    promote[k] = rank
    alone = _list_runs(pending, open_headings)
    demote -= alone
    promote = {k: r for k, r in promote.items() if k not in alone}
    # Headings that filled their line and end their sentence in the next block.
    tails = {k for k, (b, _, _) in enumerate(pending[:-1])
             if isinstance(b, Heading) and id(b) in open_headings and _tail_of(b, pending[k + 1][0])}
    if not demote and not promote and not alone and not tails:
        return pending
    out: list[tuple[Block, int | None, int | None]] = []
    k = 0
    while k < len(pending):
        block, rank, number = pending[k]
        if k in alone:
            # A list item: a run-in one goes back into its paragraph.
            body = pending[k + 1][0] if isinstance(block, Heading) and block.run_in and k + 1 < len(pending) else None
            out.append((Paragraph(block.text + (body.text if isinstance(body, Paragraph) else "")), None, None))
            k += 2 if isinstance(body, Paragraph) else 1
            continue
        if k in demote:
            nxt = pending[k + 1][0] if k + 1 < len(pending) else None
            rest = nxt if isinstance(nxt, Paragraph) else None
            glue = " " if rest and block.text[-1:].isascii() and block.text[-1:].isalnum() and rest.text[:1].isascii() and rest.text[:1].isalnum() else ""
            out.append((Paragraph(block.text + glue + (rest.text if rest else "")), None, None))
            k += 2 if rest else 1
            continue
        if k in promote:
            end = _lead_end(block.text)
            marker = match_marker(block.text)
            if end < 0:  # a whole sentence on its own line, body text under it
                out.append((Heading(1, block.text, False), promote[k], marker.number if marker else None))
                k += 1
                continue
            out.append((Heading(1, block.text[:end], True), promote[k], marker.number if marker else None))
            out.append((Paragraph(block.text[end:].strip()), None, None))
            k += 1
            continue
        if k in tails and isinstance(block, Heading):
            # A heading that filled its line and went on to end its sentence
            # on the next: one heading, wrapped ("一、抓紧……继续做好" + "客户服务部……素质。").
            out.append((Heading(block.level, block.text + pending[k + 1][0].text, False), rank, number))
            k += 2
            continue
        out.append((block, rank, number))
        k += 1
    return out


def _own_line(block: Block) -> bool:
    """A numbered paragraph of one sentence, or a heading standing alone."""
    if isinstance(block, Heading):
        return not block.run_in
    return isinstance(block, Paragraph) and _lead_end(block.text) < 0


def _tail_of(heading: Block, following: Block) -> bool:
    """``following`` is the rest of ``heading``'s sentence: one sentence,
    nothing after it, the two together no wider than a lead may be."""
    if not isinstance(following, Paragraph) or following.role is not None or match_marker(following.text) is not None:
        return False
    text = following.text.rstrip()
    end = _after_first_sentence(text)
    return end == len(text) and not _has_final(heading.text[-1:]) \
        and display_width(heading.text + text) <= MAX_ANY_LEAD


def _introduces_body(pending: list[tuple[Block, int | None, int | None]], k: int) -> bool:
    """A numbered one-sentence paragraph with unnumbered prose after it:
    the sentence may head what follows."""
    if k + 1 >= len(pending) or pending[k][0].text.rstrip(CLOSERS)[-1:] in "，,、；;：:—-":
        return False  # (a line broken off inside its sentence is no heading)
    nxt = pending[k + 1][0]
    return isinstance(nxt, Paragraph) and nxt.role is None and match_marker(nxt.text) is None \
        and _has_final(nxt.text.rstrip(CLOSERS)[-1:])


_LABELLED_ITEM_RE = _re.compile(r"\S{1,5}?[^，,。：:；;\s]{2,8}[：:]\s?[^\s：:]")


def _list_runs(pending: list[tuple[Block, int | None, int | None]], open_headings: set[int]) -> set[int]:
    """Items of a numbered list: a run of one family numbered 1, 2, 3… in
    which an item ends with a semicolon ("（1）……；（2）……；（3）……。") is
    a list, all of it, whatever its items' lengths (indices in pending)."""
    runs: list[tuple[int, list[int], bool]] = []  # (rank, indices, holds a "；" item)
    open_run: dict[int, tuple[int, int]] = {}  # rank -> (index in runs, last number)
    for k, (block, rank, number) in enumerate(pending):
        if isinstance(block, Heading) and rank is not None and 0 <= rank < LEAD_RANK and number is not None:
            item_rank, item_number, listed = rank, number, False
        elif isinstance(block, Paragraph) and block.role is None:
            marker = match_marker(block.text)
            if marker is None or marker.number is None:
                continue
            item_rank, item_number, listed = marker.family.rank, marker.number, block.text.rstrip().endswith(LIST_ITEM_ENDS)
        else:
            continue
        at = open_run.get(item_rank)
        if at is not None and item_number == at[1] + 1:
            r, indices, holds = runs[at[0]]
            runs[at[0]] = (r, indices + [k], holds or listed)
            open_run[item_rank] = (at[0], item_number)
        elif item_number == 1:
            runs.append((item_rank, [k], listed))
            open_run[item_rank] = (len(runs) - 1, 1)
    out: set[int] = set()
    for _, indices, holds in runs:
        if len(indices) < 2:
            continue
        # Whole sentences one after another, nothing between: items, not headings.
        sentences = [k for k in indices if _has_final(pending[k][0].text.rstrip(CLOSERS)[-1:]) and _lead_end(pending[k][0].text) < 0]
        adjacent = sum(1 for a, b in zip(indices, indices[1:]) if b == a + 1)
        # "（1）申报时间：常年申请……" "（2）申报材料：……": labelled clauses of a list.
        # (Unlike a lecture's "（一）熔铸忠诚之魂：将过硬作风作为……": a label, then clauses.)
        labelled = sum(1 for k in indices if (m := _LABELLED_ITEM_RE.match(pending[k][0].text)) and (
            _has_final(pending[k][0].text.rstrip(CLOSERS)[-1:]) or pending[k][0].text.rstrip().endswith(LIST_ITEM_ENDS)
            or any(c in pending[k][0].text[m.end():] for c in "，,、；;")))
        if holds or (len(sentences) * 2 >= len(indices) and adjacent * 2 >= len(indices) - 1) or labelled * 2 > len(indices):
            out.update(k for k in indices if isinstance(pending[k][0], Heading))
    return out


# A series' leads are at most this wide in the median, each at most MAX_ANY_LEAD.
MAX_SERIES_LEAD = 60


def _series_lead(text: str) -> list[tuple[str, bool]] | None:
    """A series member split as a heading: its lead sentence (however long,
    up to MAX_ANY_LEAD) and the rest; a short whole paragraph is all lead."""
    end = _lead_end(text)
    if end > 0:
        return [(text[:end], True), (text[end:].strip(), False)] if display_width(text[:end]) <= MAX_ANY_LEAD else None
    if _after_first_sentence(text.rstrip()) == len(text.rstrip()) and display_width(text) <= MAX_ANY_LEAD:
        return [(text, False)]  # one sentence, the whole paragraph
    return _heading_from_marker(text)


def _inside_numbered_parts(pending: list[tuple[Block, int | None, int | None]]) -> list[tuple[Block, int | None, int | None]]:
    """A short unnumbered line inside a numbered part, between "二、" and
    "三、" of the top family, is no heading of the document (an ad between
    paragraphs, "大家都在看"): the parts' own titles stand at their edges,
    before the first, after the last or where the numbering starts again."""
    ranks = sorted({r for b, r, _ in pending if isinstance(b, Heading) and r is not None and 0 <= r < LEAD_RANK})
    if not ranks and not any(isinstance(b, Heading) and r is not None and r >= LEAD_RANK for b, r, _ in pending):
        return pending
    places = {rank: [k for k, (b, r, n) in enumerate(pending) if isinstance(b, Heading) and r == rank and n is not None]
              for rank in ranks}
    out = list(pending)
    lead_ranks = sorted({r for b, r, _ in pending if isinstance(b, Heading) and r is not None and r >= LEAD_RANK})
    lead_places = {rank: [k for k, (b, r, n) in enumerate(pending) if isinstance(b, Heading) and r == rank and n is not None]
                   for rank in lead_ranks}
    for k, (block, rank, _) in enumerate(pending):
        if not (isinstance(block, Heading) and rank == -1):
            continue
        # Between "三是" and "四是" of one series, with no other heading
        # between them: a line inside a point, not a part over it.
        if any(0 < (at := bisect.bisect(found, k)) < len(found)
               and pending[found[at]][2] == (pending[found[at - 1]][2] or 0) + 1
               and not any(isinstance(b, Heading) for b, _, _ in pending[found[at - 1] + 1: k] + pending[k + 1: found[at]])
               for found in lead_places.values()):
            out[k] = (Paragraph(block.text), None, None)
            continue
        # Between "二、" and "三、" of the top family, or between "（八）" and
        # "（九）" of another with no heading of a higher family between them.
        for family in ranks:
            found = places[family]
            at = bisect.bisect(found, k)
            if not (0 < at < len(found) and pending[found[at]][2] == (pending[found[at - 1]][2] or 0) + 1):
                continue
            if family == ranks[0] or not any(isinstance(b, Heading) and r is not None and 0 <= r < family
                                             for b, r, _ in pending[found[at - 1] + 1: found[at]]):
                out[k] = (Paragraph(block.text), None, None)
                break
    return out


# Pending rank of a series lead: its level comes from the heading enclosing it.
LEAD_RANK = 1000


def _lead_series(
    pending: list[tuple[Block, int | None, int | None]], leads: list[tuple[int, str, int, str]]
) -> list[tuple[Block, int | None, int | None]]:
    """Paragraphs opening with 第一，/第二，… (or 一是/二是…, 第一、/第二、…) in a
    series numbered from one are run-in headings, all of them or none: a
    speech's main points.  A lone "第一，" or a series whose leads are long
    sentences stays body text."""
    if not leads:
        return pending
    series: list[list[tuple[int, str, int, str]]] = []
    latest: dict[str, list[tuple[int, str, int, str]]] = {}  # each family's open series
    for item in leads:
        _, family, number, _ = item
        run = latest.get(family)
        if run is not None and number == run[-1][2] + 1:
            run.append(item)
        elif number == 1:
            latest[family] = [item]
            series.append(latest[family])
    replace: dict[int, list[tuple[Block, int | None, int | None]]] = {}
    for run in series:
        if len(run) < 2:
            continue
        split = [_series_lead(text) for _, _, _, text in run]
        if any(pieces is None for pieces in split):
            continue
        widths = sorted(display_width(pieces[0][0]) for pieces in split if pieces)
        if widths[len(widths) // 2] > MAX_SERIES_LEAD:
            continue  # leads that are whole long sentences: numbered prose
        for (index, _, number, _), pieces in zip(run, split):
            assert pieces is not None
            (lead, run_in), *rest = pieces
            rank = LEAD_RANK + sorted(LEAD_FAMILY_NAMES).index(run[0][1])
            replace[index] = [(Heading(1, lead, run_in), rank, number), *((Paragraph(p), None, None) for p, _ in rest)]
    out: list[tuple[Block, int | None, int | None]] = []
    for k, entry in enumerate(pending):
        out.extend(replace.get(k, [entry]))
    return out


def _assign_levels(pending: list[tuple[Block, int | None, int | None]]) -> list[Block]:
    """Heading levels by family rank: a heading's level is the rank of its
    family among the families this document uses, the same everywhere ("1."
    is level 3 under "（一）" and right under "三、" alike, when the document
    uses 一、, （一） and 1.).  Unnumbered headings stand beside the top
    family, or above it when its numbering restarts after one of them (or
    when the top family is a minor one).  Series leads (第一，/一是) are one
    level below the heading that encloses them."""
    ranks = sorted({r for b, r, _ in pending if isinstance(b, Heading) and r is not None and 0 <= r < LEAD_RANK})
    unnumbered_on_top = False
    if ranks and any(r == -1 for _, r, _ in pending):
        top = ranks[0]
        # Over a minor family ("（一）"), unnumbered headings are the parts
        # above it when one comes before it; after all of it ("注释",
        # "结束语"), they stand beside it.
        first_top = next(k for k, (_, r, _) in enumerate(pending) if r == top)
        unnumbered_on_top = top >= MINOR_FAMILY_RANK and any(r == -1 for _, r, _ in pending[:first_top])
        seen_unnumbered, last_number = False, 0
        for block, rank, number in pending:
            if rank == -1:
                seen_unnumbered = True
            elif rank == top and number is not None:
                if seen_unnumbered and number == 1 and last_number >= 1:
                    unnumbered_on_top = True  # (a number written twice, "三、" "三、", restarts nothing)
                last_number = number
    unnumbered_rank = -1 if unnumbered_on_top or not ranks else ranks[0]
    used = sorted(set(ranks) | ({unnumbered_rank} if any(r == -1 for _, r, _ in pending) else set()))
    level_of = {r: k + 1 for k, r in enumerate(used)}
    # The last place of each lead family in each section (between headings
    # that are not leads): a series nests in another only if the other goes
    # on after it ("第二，" … "一是" "二是" … "第三，").
    last_place: dict[tuple[int, int], int] = {}
    section = 0
    for k, (block, rank, _) in enumerate(pending):
        if isinstance(block, Heading) and rank is not None:
            if rank >= LEAD_RANK:
                last_place[(section, rank)] = k
            else:
                section += 1
    out: list[Block] = []
    enclosing = 0  # level of the last heading that is not a series lead
    open_leads: list[int] = []  # lead families open under it, outermost first
    section = 0
    for k, (block, rank, _) in enumerate(pending):
        if isinstance(block, Heading) and rank is not None:
            if rank >= LEAD_RANK:
                if rank in open_leads:
                    del open_leads[open_leads.index(rank) + 1:]
                else:
                    while open_leads and last_place[(section, open_leads[-1])] < k:
                        open_leads.pop()  # that series is over: this one stands beside it
                    open_leads.append(rank)
                level = enclosing + len(open_leads)
            else:
                level = level_of[unnumbered_rank if rank == -1 else rank]
                enclosing, open_leads = level, []
                section += 1
            out.append(Heading(min(level, 6), block.text, block.run_in))
        else:
            out.append(block)
    return out
