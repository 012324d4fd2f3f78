"""Word's automatic numbering (numbering.xml) as the text a reader sees.

A .docx paragraph numbered by Word holds no "一、" in its text: the number
comes from ``w:numPr`` (on the paragraph or its style) pointing into
numbering.xml, where a level says its format (chineseCounting, decimal, …)
and its text ("%1、", "（%1）").  ``Numbering.marker`` counts the paragraphs
as Word does and returns the marker ("一、", "（二）", "1.") that the raw
reader's heading rules and the outline's heading text expect, so a
numbered .docx reads as the same text copied out of Word would.

Counting follows Word: lists that share an abstract definition share their
counters (a ``w:startOverride`` restarts its list where it is first used); a
level restarts when a higher level is numbered; a level with ``w:isLgl``
shows every number in decimal.  Bullets and ``none`` give no marker.

The input is lxml elements (python-docx parsed them without resolving any
entity); nothing here reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _val(el: Any, tag: str) -> str | None:
    """The w:val of ``el``'s child ``tag``, or None."""
    if el is None:
        return None
    child = el.find(_w(tag))
    return None if child is None else child.get(_w("val"))


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass(frozen=True, slots=True)
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = "tab"  # tab, space or nothing: what follows the marker
    restart: int | None = None  # w:lvlRestart: restart after this level (1-based); 0: never
    legal: bool = False  # w:isLgl
    style: str | None = None  # w:pStyle: the paragraph style this level belongs to


def _level(el: Any) -> Level:
    text_el = el.find(_w("lvlText"))
    return Level(
        fmt=_val(el, "numFmt") or "decimal",
        text=text_el.get(_w("val"), "") if text_el is not None else "",
        start=_int(_val(el, "start"), 1) or 0,
        suffix=_val(el, "suff") or "tab",
        restart=_int(_val(el, "lvlRestart")),
        legal=el.find(_w("isLgl")) is not None and _val(el, "isLgl") not in ("0", "false", "off"),
        style=_val(el, "pStyle"),
    )


@dataclass(slots=True)
class _Abstract:
    levels: dict[int, Level] = field(default_factory=dict)
    style_link: str | None = None  # w:numStyleLink: the definition lives with a numbering style


@dataclass(slots=True)
class _Num:
    abstract: str
    levels: dict[int, Level] = field(default_factory=dict)  # w:lvlOverride/w:lvl
    starts: dict[int, int] = field(default_factory=dict)  # w:lvlOverride/w:startOverride


MAX_LEVELS = 9


class Numbering:
    """The numbering definitions of one document, and the counters as its
    paragraphs are read in order."""

    def __init__(self, root: Any | None, style_num_ids: dict[str, str] | None = None) -> None:
        """``root``: numbering.xml's w:numbering element (None: the document
        has no numbering part).  ``style_num_ids``: paragraph style id ->
        the numId its w:numPr names (for w:numStyleLink)."""
        self._abstracts: dict[str, _Abstract] = {}
        self._nums: dict[str, _Num] = {}
        self._style_num_ids = style_num_ids or {}
        self._counters: dict[str, list[int | None]] = {}
        self._started: set[tuple[str, int]] = set()
        if root is None:
            return
        for el in root.findall(_w("abstractNum")):
            abstract = _Abstract(style_link=_val(el, "numStyleLink"))
            for lvl in el.findall(_w("lvl")):
                ilvl = _int(lvl.get(_w("ilvl")))
                if ilvl is not None and 0 <= ilvl < MAX_LEVELS:
                    abstract.levels[ilvl] = _level(lvl)
            self._abstracts[el.get(_w("abstractNumId"), "")] = abstract
        for el in root.findall(_w("num")):
            num = _Num(_val(el, "abstractNumId") or "")
            for override in el.findall(_w("lvlOverride")):
                ilvl = _int(override.get(_w("ilvl")))
                if ilvl is None or not 0 <= ilvl < MAX_LEVELS:
                    continue
                start = _int(_val(override, "startOverride"))
                if start is not None:
                    num.starts[ilvl] = start
                lvl = override.find(_w("lvl"))
                if lvl is not None:
                    num.levels[ilvl] = _level(lvl)
            self._nums[el.get(_w("numId"), "")] = num

    def _abstract_id(self, num_id: str) -> str | None:
        """The abstract definition a numId uses, following w:numStyleLink
        (a few steps at most: a loop in a damaged file ends here)."""
        seen: set[str] = set()
        while num_id in self._nums and num_id not in seen:
            seen.add(num_id)
            abstract_id = self._nums[num_id].abstract
            abstract = self._abstracts.get(abstract_id)
            if abstract is None:
                return None
            if abstract.style_link and not abstract.levels:
                linked = self._style_num_ids.get(abstract.style_link)
                if linked is None:
                    return None
                num_id = linked
                continue
            return abstract_id
        return None

    def level_for_style(self, num_id: str, style_id: str) -> int:
        """The level a style's numbering uses when the style names no
        w:ilvl: the level whose w:pStyle is the style, else 0."""
        abstract_id = self._abstract_id(num_id)
        if abstract_id is not None:
            for ilvl, lvl in self._abstracts[abstract_id].levels.items():
                if lvl.style == style_id:
                    return ilvl
        return 0

    def _lvl(self, num: _Num, abstract_id: str, ilvl: int) -> Level | None:
        return num.levels.get(ilvl) or self._abstracts[abstract_id].levels.get(ilvl)

    def marker(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        """Count one paragraph numbered (num_id, ilvl) and return (marker,
        suffix), or None when it shows no number (numId 0, an unknown
        list, a bullet)."""
        if num_id in ("", "0") or num_id not in self._nums:
            return None
        ilvl = min(max(ilvl, 0), MAX_LEVELS - 1)
        num = self._nums[num_id]
        abstract_id = self._abstract_id(num_id)
        if abstract_id is None:
            return None
        lvl = self._lvl(num, abstract_id, ilvl)
        if lvl is None:
            return None
        counters = self._counters.setdefault(abstract_id, [None] * MAX_LEVELS)
        if ilvl in num.starts and (num_id, ilvl) not in self._started:
            self._started.add((num_id, ilvl))
            counters[ilvl] = None
            start = num.starts[ilvl]
        else:
            start = lvl.start
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1  # type: ignore[operator]
        for deeper in range(ilvl + 1, MAX_LEVELS):
            below = self._lvl(num, abstract_id, deeper)
            restart = below.restart if below is not None else None
            if restart is None or (restart != 0 and restart <= ilvl + 1):
                counters[deeper] = None
        if lvl.fmt in ("bullet", "none"):
            return None
        text = lvl.text
        for k in range(MAX_LEVELS, 0, -1):
            placeholder = f"%{k}"
            if placeholder not in text:
                continue
            shown = self._lvl(num, abstract_id, k - 1)
            value = counters[k - 1]
            if value is None:
                value = shown.start if shown is not None else 1
            fmt = "decimal" if lvl.legal or shown is None else shown.fmt
            text = text.replace(placeholder, format_number(value, fmt))
        return (text, lvl.suffix) if text.strip() else None


# ---------------------------------------------------------------------------
# Number formats (ST_NumberFormat) as Word shows them

_CN = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_CN_TRAD_LEGAL = "零壹貳參肆伍陸柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = [chr(0x2460 + i) for i in range(20)]  # ① … ⑳
_PAREN = [chr(0x2474 + i) for i in range(20)]  # ⑴ … ⒇
_FULLSTOP = [chr(0x2488 + i) for i in range(20)]  # ⒈ … ⒛
_IDEOGRAPH_CIRCLED = [chr(0x3280 + i) for i in range(10)]  # ㊀ … ㊉


def chinese_counting(n: int, digits: str = _CN, ten: str = "十", hundred: str = "百", thousand: str = "千",
                     bare_ten: bool = True) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (as Word
    counts; 1-9999, beyond that digit by digit).  ``bare_ten``: 十二, not
    一十二 (the legal forms write 壹拾贰)."""
    if n <= 0 or n > 9999:
        return "".join(digits[int(d)] for d in str(max(n, 0)))
    zero = digits[0] if digits is not _CN else "零"
    units = ((1000, thousand), (100, hundred), (10, ten), (1, ""))
    out = ""
    gap = False
    for value, name in units:
        d = n // value % 10
        if d == 0:
            gap = bool(out)
            continue
        if gap:
            out += zero
            gap = False
        if not (bare_ten and value == 10 and d == 1 and not out):  # 十二, not 一十二
            out += digits[d]
        out += name
    return out


def _letters(n: int, upper: bool) -> str:
    """Word's letters: A … Z, then AA … ZZ (the letter repeated)."""
    if n <= 0:
        return str(n)
    letter = chr((ord("A") if upper else ord("a")) + (n - 1) % 26)
    return letter * ((n - 1) // 26 + 1)


def _roman(n: int, upper: bool) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out if upper else out.lower()


def _table(n: int, table: list[str] | str) -> str:
    return table[n - 1] if 0 < n <= len(table) else str(n)


def format_number(n: int, fmt: str) -> str:
    """``n`` in the number format ``fmt``; an unknown format in decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
               "japaneseCounting"):
        return chinese_counting(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN[int(d)] for d in str(max(n, 0)))
    if fmt == "chineseLegalSimplified":
        return chinese_counting(n, _CN_LEGAL, "拾", "佰", "仟", bare_ten=False)
    if fmt in ("ideographLegalTraditional", "japaneseLegal"):
        return chinese_counting(n, _CN_TRAD_LEGAL, "拾", "佰", "仟", bare_ten=False)
    if fmt == "ideographTraditional":
        return _table(n, _TIANGAN)
    if fmt == "ideographZodiac":
        return _table(n, _DIZHI)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _table(n, _CIRCLED)
    if fmt == "decimalEnclosedParen":
        return _table(n, _PAREN)
    if fmt == "decimalEnclosedFullstop":
        return _table(n, _FULLSTOP)
    if fmt == "ideographEnclosedCircle":
        return _table(n, _IDEOGRAPH_CIRCLED)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(max(n, 0)))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        return _letters(n, fmt == "upperLetter")
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n, fmt == "upperRoman")
    return str(n)


# What may follow a marker directly, without the tab or space Word puts after it.
_CLOSED = "、.．。，,:：)）]］】〕》」』"


def join_marker(marker: str, suffix: str, text: str) -> str:
    """The paragraph's text as a reader sees it: "一、" + "加强学习";
    "第一章" + " " + "总则" (a tab is read as a space)."""
    if suffix == "nothing" or not text or marker[-1] in _CLOSED or "\u2460" <= marker[-1] <= "\u249b":
        return marker + text
    return f"{marker} {text}"
