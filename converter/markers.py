"""Heading marker families and their conventional rank, shared by the reader
(which finds headings) and the renderers (which set a heading's marker apart).

第一部分/第一讲 > 一、 > （一） > 1. > （1） > ①.  A document's levels are these
ranks compressed to the families it uses (structure.py does that).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .regex_cache import ModulePatterns

_re = ModulePatterns(__name__)  # its patterns are compiled once, then read from disk (regex_cache.py)

_CN_NUM = "一二三四五六七八九十百零〇两"


_ARTICLE = rf"第(?:[{_CN_NUM}]+|\d+)[条款项]"


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    rank: int
    pattern: re.Pattern[str]


# Order matters only for overlapping prefixes; each pattern is anchored at the
# start of a paragraph and captures the marker itself (group "m") and the
# number (group "n").
FAMILIES: tuple[Family, ...] = (
    # "第二章第十五条规定……" cites a law's article: no heading.
    Family("part", 0, _re.compile(rf"(?P<m>第(?P<n>[{_CN_NUM}]+|\d+)(?:编|篇))[\s:：、]*(?=\S)(?!{_ARTICLE})")),
    Family("chapter", 1, _re.compile(rf"(?P<m>第(?P<n>[{_CN_NUM}]+|\d+)(?:部分|讲|章|专题|单元|课))[\s:：、]*(?=\S)(?!{_ARTICLE})")),
    Family("section", 2, _re.compile(rf"(?P<m>第(?P<n>[{_CN_NUM}]+|\d+)节)[\s:：、]*(?=\S)(?!{_ARTICLE})")),
    Family("cn", 3, _re.compile(rf"(?P<m>(?P<n>[{_CN_NUM}]{{1,3}})[、．])\s*(?=\S)")),
    # "一　中国的特点和革命", "二 关于今年的工作": a space where 、 would stand (one family with 一、).
    Family("cn", 3, _re.compile(r"(?P<m>(?P<n>[一二三四五六七八九十]{1,3}))[ \u3000]+(?=[\u4e00-\u9fff“《])")),
    Family("di_cn", 4, _re.compile(rf"(?P<m>第(?P<n>[{_CN_NUM}]{{1,3}})、)\s*(?=\S)")),
    Family("cn_paren", 5, _re.compile(rf"(?P<m>[（(]\s?(?P<n>[{_CN_NUM}]{{1,3}})\s?[）)])\s*(?=\S)")),
    Family("num", 6, _re.compile(r"(?P<m>(?P<n>\d{1,2})(?:[、．]|\.(?!\d)))\s*(?=[^\s\d])")),
    Family("num_paren", 7, _re.compile(r"(?P<m>[（(]\s?(?P<n>\d{1,2})\s?[）)])\s*(?=\S)")),
    # "1）" with only its closing bracket: used as （1） is.
    Family("num_half_paren", 7, _re.compile(r"(?P<m>(?P<n>\d{1,2})[）)])\s*(?=[^\s\d）)])")),
    Family("circled", 8, _re.compile(r"(?P<m>(?P<n>[①-⑳]))\s*(?=\S)")),
    # Ⅰ、Ⅱ、 parts (Roman numeral characters).
    Family("roman", 2, _re.compile(r"(?P<m>(?P<n>[Ⅰ-Ⅻ])\s?[、.．])\s*(?=\S)")),
    # "A." "B、" under a Roman or Chinese numbered part.
    Family("letter", 8, _re.compile(r"(?P<m>(?P<n>[A-H])[.．、])\s*(?=[\u3400-\u9fff“（《])")),
    # WeChat articles: "01" over a section's title, "■ 小标题" under it.
    Family("padded", 1, _re.compile(r"(?P<m>(?P<n>0[1-9]))\s+(?=[^\s\d])")),
    Family("symbol", 9, _re.compile(r"(?P<m>[■□◆◇★☆▶►◎])(?P<n>)\s*(?=\S)")),
)

# The characters each family's pattern can start with (after _plain): a
# line is tried only against the families its first character allows, in
# FAMILIES order (tests/test_reader_stages.py checks this against trying
# them all).
_FAMILY_STARTS = {
    "part": "第", "chapter": "第", "section": "第", "di_cn": "第",
    "cn": _CN_NUM, "cn_paren": "（(", "num_paren": "（(",
    "num": "0123456789", "num_half_paren": "0123456789", "padded": "0",
    "circled": "".join(chr(c) for c in range(ord("①"), ord("⑳") + 1)),
    "roman": "".join(chr(c) for c in range(ord("Ⅰ"), ord("Ⅻ") + 1)),
    "letter": "ABCDEFGH", "symbol": "■□◆◇★☆▶►◎",
}
_FAMILIES_BY_FIRST: dict[str, tuple[Family, ...]] = {
    ch: tuple(f for f in FAMILIES if ch in _FAMILY_STARTS[f.name])
    for ch in set("".join(_FAMILY_STARTS.values()))
}

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True, slots=True)
class Marker:
    family: Family
    text: str  # the marker as written, e.g. "（一）"
    number: int | None
    end: int  # offset in the paragraph where the heading's words start


def chinese_number(s: str) -> int | None:
    """一 -> 1, 十二 -> 12, 二十 -> 20, 一百零五 -> 105; None if not a number."""
    if not s:
        return None
    if len(s) == 1 and "①" <= s <= "⑳":
        return ord(s) - ord("①") + 1
    if s.isdigit():
        return int(unicodedata.normalize("NFKC", s))
    if len(s) == 1 and "Ⅰ" <= s <= "Ⅻ":
        return ord(s) - ord("Ⅰ") + 1
    if len(s) == 1 and "A" <= s <= "H":
        return ord(s) - ord("A") + 1
    total, current = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


# Word's and Unicode's one-character forms of markers, and full-width digits
# and brackets, as the families are written: ㈠ -> (一), ⑴ -> (1), ⒈ -> 1.,
# １． -> 1.  (NFKC, except for ①…⑳, a family of their own.)
def _plain(ch: str) -> str:
    if "①" <= ch <= "⑳":
        return ch
    if "\u3220" <= ch <= "\u3229" or "\u2474" <= ch <= "\u249b" or "\uff01" <= ch <= "\uff5e":
        plain = unicodedata.normalize("NFKC", ch)
        # Keep the full-width forms the families already name (、 （ ） ．).
        return ch if ch in "（）．" else plain
    return ch


_SPECIAL_FORMS_RE = _re.compile("[\u3220-\u3229\u2474-\u249b\uff01-\uff5e]")


def match_marker(text: str) -> Marker | None:
    """The heading marker at the start of ``text``, if any."""
    if not text:
        return None
    families = _FAMILIES_BY_FIRST.get(_plain(text[0])[0])
    return _match_in(text, families) if families else None


def _match_in(text: str, families: tuple[Family, ...]) -> Marker | None:
    """The first of ``families`` whose marker starts ``text`` (non-empty)."""
    # Match on the plain form of the opening characters, then map the end
    # back to the text as written.
    if _SPECIAL_FORMS_RE.search(text, 0, 16):
        plain, ends = "", []
        for ch in text[:16]:
            plain += _plain(ch)
            ends.append(len(plain))
        plain += text[16:]
    else:
        plain, ends = text, list(range(1, min(len(text), 16) + 1))
    for family in families:
        m = family.pattern.match(plain)
        if m:
            end = m.end()
            written = next((i + 1 for i, e in enumerate(ends) if e >= end), end - len(plain) + len(text))
            marker_end = next((i + 1 for i, e in enumerate(ends) if e >= m.end("m")), written)
            return Marker(family, text[:marker_end], chinese_number(m.group("n")), written)
    return None


# Leads that open the paragraphs of a speech's main points: "第一，" "第二点，"
# "一是" "第一、".  They are headings only as a series (structure.py), and rank
# by what encloses them, so they are matched apart from the families above
# (reflow never breaks a line before one: "；二是" wraps inside paragraphs).
LEAD_FAMILIES: tuple[Family, ...] = (
    Family("di_comma", 4, _re.compile(rf"(?P<m>第(?P<n>[{_CN_NUM}]{{1,3}})(?:点|个方面|方面)?[，,：:])\s*(?=\S)")),
    Family("shi", 4, _re.compile(rf"(?P<m>(?P<n>[{_CN_NUM}]{{1,3}})是)(?=[^\s，,。；;是])")),
)
LEAD_FAMILY_NAMES = frozenset({"di_cn", "di_comma", "shi"})


def match_lead(text: str) -> Marker | None:
    """A series lead at the start of ``text`` ("第一，" "一是" "第一、"), if any."""
    if not text or text[0] not in "第" + _CN_NUM:
        return None
    found = match_marker(text)
    if found is not None:
        return found if found.family.name in LEAD_FAMILY_NAMES else None
    for family in LEAD_FAMILIES:
        m = family.pattern.match(text)
        if m:
            return Marker(family, m.group("m"), chinese_number(m.group("n")), m.end())
    return None


def holds_next_item(text: str, marker: Marker) -> bool:
    """Does ``text`` (which opens with ``marker``) go on, after a semicolon,
    with the next item of the same family: "1.搞……的；2.对党……"?  Then it is
    an inline list, not a heading."""
    if marker.number is None:
        return False
    for m in re.finditer(r"[；;]\s*", text):
        found = match_marker(text[m.end():])
        if found is not None and found.family is marker.family and found.number == marker.number + 1:
            return True
    return False

