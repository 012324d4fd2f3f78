"""Stage 4: numbered lines -> paragraphs, undoing the hard wraps of a PDF.

Scraped lectures come as the lines of the site's PDF, joined by spaces,
newlines or both.  We measure every line in ems (as the PDF set it), infer the
wrap width from the commonest full line, and then decide at each wrap whether a
paragraph ends there, from all the cues together: the line's length, its last
character, whether the next line opens with a heading marker, whether we are
inside a heading, indentation and blank lines.  Text that is not hard-wrapped
(one paragraph per line) passes through with one paragraph per line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..cjk import CLOSERS, display_width, is_cjk_ideograph, is_latin_alnum
from ..linebreak import leading_unit_width
from ..model import Warning
from .clean import SourceLine
from .furniture import LABEL_LINE_RE, is_furniture
from ..markers import Marker, holds_next_item, match_lead, match_marker
from ..regex_cache import ModulePatterns

_re = ModulePatterns(__name__)  # its patterns are compiled once, then read from disk (regex_cache.py)

# How many ems short of the wrap width a line may be and still be a full line
# inside a paragraph: line breakers move up to a few characters to keep
# punctuation off a line start (the example has a 24-em line at width 27).
KINSOKU_SLACK = 3
# Narrowest wrap width we infer: a PDF column narrower than this is not a
# lecture page, and short lines of clean text must not look wrapped.
MIN_WRAP_WIDTH = 16
# Further ems allowed for a paragraph's first line (indented in the PDF) or a
# line whose shortness the next line's punctuation explains.
EXTRA_SLACK = 3
# Ems a paragraph's first line may be indented by in the site's PDF.
FIRST_LINE_INDENT = 2
# How far (in ems) a run-in heading's lead sentence may run onto the next line.
RUN_IN_SPILL = 10
# Longest heading (in ems) that the reflow will build over a wrap.
MAX_HEADING_WIDTH = 64
FINAL = "。！？!?…"
# Marks after which a new heading may start on the next line.
BEFORE_HEADING = FINAL + "；;：:"

_SPACE_RUN = _re.compile(r"[ \u3000\u00a0]+")
_PUNCTUATED = _re.compile("[，。、；！？,;!?]")
_SENTENCE_MARKS = _re.compile("[。；！？;!?]")
# A chapter marker standing alone ("第二部分", "第一讲"): its words follow.
BARE_MARKER_RE = _re.compile(r"第[一二三四五六七八九十百零〇两\d]+(?:部分|讲|章|节|篇|编|专题|单元)")
# A subtitle line under the title ends its own paragraph.
_SUBTITLE_LINE_RE = _re.compile(r"(?:——|—|－－|--).{2,60}(?:讲话|发言|报告|致辞|党课|讲稿|辅导)[）)]?")
# A date after a space starts a line of its own (a byline or the 落款 date).
_DATE_START_RE = _re.compile(r"[（(]?\d{4}年\d{1,2}月(?:\d{1,2}日)?[）)]?$")


@dataclass(frozen=True, slots=True)
class Segment:
    """One line of the site's PDF."""

    text: str
    line: int  # 1-based input line it came from
    blank_before: bool  # a blank line (or removed chrome) stood before it
    indented: bool  # its physical line began with indentation
    page_break_before: bool = False  # the gap held only page furniture
    furniture: bool = False  # a site's info line or menu (furniture.py), told once per line


@dataclass(frozen=True, slots=True)
class RawParagraph:
    text: str
    line: int
    # The paragraph was ended at a full line that ends no sentence: a guess
    # (a heading filling the line, or a numbered paragraph going on) that
    # structure may take back when the paragraph's family says otherwise.
    open_end: bool = False
    # A line inside it ended a sentence at the full width: two paragraphs may
    # have been read as one (nothing tells a paragraph's last full line).
    doubtful: bool = False
    # The line before it ended a sentence within KINSOKU_SLACK of the wrap
    # width: a paragraph's last line or a line inside one (nothing tells),
    # the break a guess.
    nearly_full_before: bool = False


@dataclass(frozen=True, slots=True)
class Reflowed:
    paragraphs: list[RawParagraph]
    wrap_width: int | None  # None: the text was not hard-wrapped
    wraps_joined: int
    warnings: list[Warning] = field(default_factory=list)


def _hard_split(text: str) -> list[str]:
    """Split at spaces that no author would type.  Authors put spaces between
    Latin words and numbers and between them and Chinese characters ("PM2.5
    浓度", "GDP 增长"); any other space (between two Chinese characters, after
    Chinese punctuation) is a wrap."""
    parts: list[str] = []
    start = 0
    for m in _SPACE_RUN.finditer(text):
        a, b = m.start(), m.end()
        if a == 0 or b == len(text):
            continue
        left, right = text[a - 1], text[b]
        authored = (is_latin_alnum(left) and (is_latin_alnum(right) or is_cjk_ideograph(right))) or (
            is_latin_alnum(right) and is_cjk_ideograph(left)
        )
        if not authored:
            parts.append(text[start:a])
            start = b
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def estimate_wrap_width(widths: list[float]) -> int | None:
    """The wrap width of hard-wrapped text, or None if the text is not wrapped."""
    usable = [w for w in widths if w >= 6]
    if len(usable) < 4:
        return None
    counts = Counter(int(w) for w in usable)
    # The commonest line width is the wrap width; lines one em wider are
    # punctuation hung past it, unless they are as common (the width then
    # falls between two whole ems).
    best = max(range(MIN_WRAP_WIDTH, 121), key=lambda w: (counts[w], w))
    if counts[best + 1] >= 0.5 * counts[best]:
        best += 1
    near = sum(1 for w in usable if best - KINSOKU_SLACK <= w <= best + 1)
    wider = sum(1 for w in usable if w > best + 2)
    if near >= 3 and near >= 0.4 * len(usable) and near >= 2 * wider:
        return best
    return None


def _ends_with(text: str, marks: str) -> bool:
    stripped = text.rstrip(CLOSERS + "\"'")
    return bool(stripped) and (stripped[-1] in marks)


def _first_final(text: str) -> int:
    """Index of the first sentence-final mark outside quotation marks, or -1."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "“「『":
            depth += 1
        elif ch in "”」』" and depth:
            depth -= 1
        elif ch in FINAL and depth == 0:
            return i
    return -1


def _shortness_explained(prev_w: float, nxt: str, width: int) -> bool:
    """A line is short because the next line's first unit did not fit on it."""
    return prev_w + leading_unit_width(nxt[:24], display_width) > width + 0.5


def _continues_inline_list(para: str, prev: str, marker: Marker) -> bool:
    """Does the paragraph already hold, after its start, the item before
    ``marker`` of the same family ((一) before (二), 1. before 2.)?  Then the
    marker continues a list inside the paragraph and starts no heading."""
    if marker.number is None or marker.number < 2:
        return False
    for text in (para[1:], prev[1:]):
        for i, ch in enumerate(text):
            if ch in _MARKER_STARTS:
                found = match_marker(text[i:])
                if found and found.family is marker.family and found.number == marker.number - 1:
                    return True
    return False


_MARKER_STARTS = set("（(0123456789一二三四五六七八九十①②③④⑤⑥⑦⑧⑨⑩")


def _glue(a: str, b: str, head: str) -> str:
    """What goes between two joined lines: a space next to Latin words (and
    after a bare 第二部分), nothing between Chinese characters."""
    if not a or not b:
        return ""
    if BARE_MARKER_RE.fullmatch(head):
        return " "
    if _ONE_TOKEN_RE.match(a[-2:] + "|" + b[:2]):
        return ""  # a number or a hyphenated word cut by the wrap: 1,2|16件, PM2|.5, Wi|-Fi
    if is_latin_alnum(a[-1]) and is_latin_alnum(b[0]):
        return " "  # two Latin words: the wrap stood for a space
    return ""  # Chinese on one side: 2025|年, 实现|GDP


# The two characters before a wrap and the two after it, when they belong to
# one number or one hyphenated word.
_ONE_TOKEN_RE = _re.compile(r".?\d\|\d|.?\d\|[.,%]\d?|\d[.,]\|\d|.?\w\|-\w|.?\w-\|\w")


_HEAD_CHARS = 4 * MAX_HEADING_WIDTH


class _Decider:
    def __init__(self, width: int, indentation_marks_paragraphs: bool) -> None:
        self.width = width
        self.full_from = width - KINSOKU_SLACK
        self.indentation = indentation_marks_paragraphs
        # The series lead ("第一，" "一是") that last opened a paragraph.
        self.last_lead: Marker | None = None

    def wide(self, seg: Segment) -> bool:
        return display_width(seg.text) > self.width + 2

    def breaks(self, para: str, first_line: bool, prev: Segment, nxt: Segment, *, at_start: bool = False, first_segment: bool = True) -> bool:
        """Does a paragraph end between ``prev`` (the last line of the paragraph
        that starts with ``para``) and ``nxt``?"""
        if self.wide(prev) or self.wide(nxt):
            return True
        if prev.furniture or nxt.furniture or LABEL_LINE_RE.fullmatch(nxt.text):
            return True  # a site's info line or menu, a "（责编：张三）" line, runs on into nothing
        if self.indentation and nxt.indented:
            return True
        prev_w = display_width(prev.text)
        prev_full = prev_w >= self.full_from
        nxt_found = match_marker(nxt.text)
        # ①② usually number items inside a paragraph, so they start no heading here.
        nxt_marker = nxt_found is not None and nxt_found.family.name != "circled"
        if nxt_found is not None and nxt_marker and _continues_inline_list(para, prev.text, nxt_found):
            nxt_marker = False  # "……包括：（一）……；（二）……" wrapped before （二）
        if nxt_marker and holds_next_item(nxt.text, nxt_found):  # type: ignore[arg-type]
            nxt_marker = False  # "……从重处理：" then "1.搞……的；2.对党……" wrapped
        if BARE_MARKER_RE.fullmatch(para):
            return False  # "第二部分" split from its words at a space
        title_like = not _PUNCTUATED.search(prev.text) or (
            not _SENTENCE_MARKS.search(prev.text) and not _ends_with(prev.text, "，,、：:") and prev_w < self.width - 1
        )
        # (Past the first line, a full line before prose may be the first
        # line of a paragraph with no comma in it yet.)
        prose_after = _PUNCTUATED.search(nxt.text) and (first_segment or prev_w < self.full_from - 1)
        if at_start and title_like and (
            prose_after or nxt.text.startswith(("—", "-", "（", "(")) or _DATE_START_RE.match(nxt.text)
            or nxt.blank_before  # the first line of the document cannot run over a page break
        ):
            # The document's first line, ending no sentence or phrase, before a
            # line of prose, a subtitle or a date: a title, however long.
            return True
        if _SUBTITLE_LINE_RE.fullmatch(prev.text):
            return True
        if nxt_marker and nxt_found is not None and nxt_found.number == 1 and not _PUNCTUATED.search(para):
            # Words with no punctuation yet (a title, a heading) before the
            # first item of a series ("……述职报告" + "1.孙洪亮（党委书记）"):
            # never one paragraph.
            return True
        # A first line (indented in the PDF) or one that lost characters to
        # punctuation rules or an unbreakable run can be a few ems shorter.
        nearly_full = prev_full or (
            prev_w >= self.full_from - EXTRA_SLACK and not _ends_with(prev.text, FINAL)
            and (first_line or _shortness_explained(prev_w, nxt.text, self.width))
        )
        if nxt.blank_before:
            # A blank line ends a paragraph, except a page break in mid-sentence:
            # page furniture stood there, or the paragraph already ran over
            # several full lines and this one stops mid-sentence.
            # (A first line's slack does not count here: a title or heading
            # above a blank line is as short as that.)
            mid_sentence = (prev_full or (nearly_full and not first_line)
                            or _shortness_explained(prev_w, nxt.text, self.width)) and not _ends_with(prev.text, FINAL)
            if not (mid_sentence and (nxt.page_break_before or not first_line)):
                return True
        if len(para) <= 2 * MAX_HEADING_WIDTH and match_marker(para) is not None and _first_final(para) < 0:
            # Inside a heading: it goes on only over its last, short line, or
            # as a run-in heading whose lead sentence ends soon.
            if not prev_full or nxt_marker:
                return True
            para_w = display_width(para)
            if display_width(nxt.text) < self.full_from:
                return para_w + display_width(nxt.text) > MAX_HEADING_WIDTH
            # A run-in heading's lead sentence ends early on the next line; a
            # whole line of prose after a full heading line is the body.
            stop = _first_final(nxt.text)
            lead_rest = display_width(nxt.text[: stop + 1]) if stop >= 0 else float("inf")
            return lead_rest > RUN_IN_SPILL or para_w + lead_rest > MAX_HEADING_WIDTH
        if not nearly_full:
            return True
        if nxt_marker and _ends_with(prev.text, BEFORE_HEADING):
            return True
        if _ends_with(prev.text, BEFORE_HEADING) and self._next_lead(para, nxt.text, self.last_lead):
            return True
        if _ends_with(prev.text, FINAL):
            nxt_w = display_width(nxt.text)
            if nxt_w < self.full_from and not _ends_with(nxt.text, FINAL + "，,、；;：:"):
                # A short line that ends no sentence after a sentence end is a
                # line of its own (an unnumbered heading), not a last line.
                return True
            full_width = self.width - 0.5 - (FIRST_LINE_INDENT if first_line else 0)
            if prev_w < full_width and not _shortness_explained(prev_w, nxt.text, self.width):
                return True
        return False


    @staticmethod
    def _next_lead(para: str, nxt: str, last_lead: Marker | None = None) -> bool:
        """Does ``nxt`` open the next point of a series: "二是" after a
        paragraph opening with "一是" (this one, or the last paragraph that
        opened with a lead: a point may run over several paragraphs), or
        "一是" after a line ending with a colon?  (Not an inline list:
        "一是……；二是……".)"""
        found = match_lead(nxt)
        if found is None or found.number is None or holds_next_item(nxt, found):
            return False
        opened = match_lead(para) or last_lead
        if opened is not None and opened.family is found.family and opened.number is not None:
            return found.number == opened.number + 1
        return found.number == 1 and para.rstrip(CLOSERS).endswith(("：", ":"))


def _physical_segments(lines: list[SourceLine]) -> list[tuple[SourceLine, bool, bool, bool]]:
    """Non-empty lines with (blank line before, indented, page break before)."""
    out = []
    blank = page = False
    for line in lines:
        if not line.text.strip():
            blank = True
            page = page or line.page_break
            continue
        # Typed indentation: a full-width or no-break space, or two spaces
        # (one half-width space at a line start is an OCR or copy speck).
        indented = line.text[:1] in ("\u3000", "\u00a0") or line.text[:2] == "  "
        out.append((SourceLine(line.number, _unspaced(line.text), line.page_break), blank, indented, page))
        blank = page = False
    return out


def _unspaced(text: str) -> str:
    """A line a PDF copy spread out with a space after every character
    ("党 的 二 十 届 三 中 全 会", from justified text) as it was written:
    the single spaces go; a wider gap stays one space."""
    pieces = text.strip().split(" ")
    singles = sum(1 for p in pieces if len(p) == 1)
    if len(pieces) < 8 or singles < 0.7 * len(pieces):
        return text
    lead = text[: len(text) - len(text.lstrip())]
    words = re.split(r" {2,}", text.strip())
    return lead + " ".join(w.replace(" ", "") for w in words)


def reflow(lines: list[SourceLine], *, one_paragraph_per_line: bool = False) -> Reflowed:
    """Paragraphs from lines.  ``one_paragraph_per_line``: the input's markup
    already says each line is a paragraph (HTML blocks, a Markdown draft)."""
    physical = _physical_segments(lines)
    widths = [display_width(part) for line, *_ in physical for part in _hard_split(line.text.strip())]
    width = None if one_paragraph_per_line else estimate_wrap_width(widths)
    if width is None:
        # One paragraph per line (a Word copy).  A line that ends with a
        # comma was broken by hand (Shift+Enter inside a heading): it goes on.
        lines_as_paragraphs: list[RawParagraph] = []
        joined = 0
        for line, blank, _, page in physical:
            text = _SPACE_RUN.sub(" ", line.text.strip())
            # (A gap that held only removed page text, an app's 展开全文, is no gap.)
            if lines_as_paragraphs and (not blank or page) and _ends_with(lines_as_paragraphs[-1].text, "，,、") and match_marker(text) is None:
                lines_as_paragraphs[-1] = RawParagraph(lines_as_paragraphs[-1].text + text, lines_as_paragraphs[-1].line)
                joined += 1
            else:
                lines_as_paragraphs.append(RawParagraph(text, line.number))
        return Reflowed(lines_as_paragraphs, None, joined)

    segments: list[Segment] = []
    for line, blank, indented, page in physical:
        text = line.text.strip()
        parts = [text] if display_width(text) <= width + 2 else _split_wraps(text, width)
        for i, part in enumerate(parts):
            first = i == 0
            segments.append(Segment(part, line.number, blank and first, indented and first, page and first,
                                    is_furniture(part, latin=False)))

    segments, warnings = _drop_page_overlaps(segments)
    indented_count = sum(1 for s in segments if s.indented)
    decider = _Decider(width, 0 < indented_count < 0.5 * len(segments))
    paragraphs: list[RawParagraph] = []
    joined = 0
    # The paragraph is built as a list of parts (joining strings one by one is
    # quadratic); ``head`` keeps its first ems, all the rules look at.
    parts, head, start, prev = [segments[0].text], segments[0].text, segments[0].line, segments[0]
    doubtful = False
    nearly_full = False  # (of the paragraph being built: see RawParagraph.nearly_full_before)
    in_head = True  # no line has ended a sentence or a clause yet: the page's head, the title
    for seg in segments[1:]:
        # (After the first line, only a line shorter than the wrap width: a
        # full one may be the first line of a paragraph with no comma in it yet.)
        in_head = in_head and not _PUNCTUATED.search(prev.text)
        at_start = prev is segments[0] or (in_head and len(parts) == 1)
        if decider.breaks(head, len(parts) == 1, prev, seg, at_start=at_start, first_segment=prev is segments[0]):
            open_end = (display_width(prev.text) >= decider.full_from and not _ends_with(prev.text, BEFORE_HEADING + "，,、")
                        and not seg.blank_before and not seg.indented)
            paragraphs.append(RawParagraph("".join(parts), start, open_end, doubtful, nearly_full))
            decider.last_lead = match_lead(head) or decider.last_lead
            nearly_full = (display_width(prev.text) >= decider.full_from and _ends_with(prev.text, FINAL)
                           and not seg.blank_before and not seg.indented)
            parts, head, start, doubtful = [seg.text], seg.text, seg.line, False
        else:
            doubtful = doubtful or _ends_with(prev.text, FINAL)
            glue = _glue(parts[-1], seg.text, head)
            parts += [glue, seg.text] if glue else [seg.text]
            if len(head) < _HEAD_CHARS:
                head = head + glue + seg.text
            joined += 1
        prev = seg
    paragraphs.append(RawParagraph("".join(parts), start, False, doubtful, nearly_full))
    return Reflowed(paragraphs, width, joined, warnings)


# A repeated line this wide is a page overlap, not an author's repetition.
MIN_OVERLAP_WIDTH = 8


def _drop_page_overlaps(segments: list[Segment]) -> tuple[list[Segment], list[Warning]]:
    """Some sites repeat a page's last line at the top of the next page
    (豆丁 previews).  Two identical wrapped lines in a row are that: the
    second goes, with a warning."""
    out: list[Segment] = []
    warnings: list[Warning] = []
    for seg in segments:
        # (The title shown by the site and repeated at the top of the text is
        # the structure stage's business: it reports it as a repeated title.)
        if out and seg.text == out[-1].text and display_width(seg.text) >= MIN_OVERLAP_WIDTH \
                and seg.text != segments[0].text:
            warnings.append(Warning("overlap_removed", f"removed a line repeated at a page break: {seg.text}", seg.line))
            continue
        out.append(seg)
    return out, warnings


def _punctuated_marker(text: str) -> bool:
    """Does ``text`` open with a heading marker that carries its own mark
    ("1." "一、" "（一）"), not one a space ends ("一 关于")?"""
    found = match_marker(text)
    return found is not None and found.text.rstrip()[-1:] in "、.．）)"


def _split_wraps(text: str, width: int) -> list[str]:
    """Split a line that holds many wrapped lines joined by spaces.  Spaces
    next to Latin words count as wraps only where the line so far is full."""
    out: list[str] = []
    parts = _hard_split(text)
    for k in range(len(parts) - 2, -1, -1):
        if BARE_MARKER_RE.fullmatch(parts[k]):
            parts[k:k + 2] = [f"{parts[k]} {parts[k + 1]}"]  # "第二部分 清醒认识……"
    for part in parts:
        pieces = _SPACE_RUN.split(part)
        current = pieces[0]
        for piece in pieces[1:]:
            # A full line ends at this space, or a heading does (authored
            # spaces inside headings are rare, paragraphs after them common).
            # An authored space sits inside one line: both sides together fit
            # the width.  Otherwise this space is where a line wrapped.
            if (
                display_width(current) >= width - KINSOKU_SLACK
                or display_width(current) + 0.5 + display_width(piece) > width + 1
                or match_marker(current) is not None
                or _DATE_START_RE.match(piece)
                or _punctuated_marker(piece)  # ("……述职报告 1.孙洪亮（党委书记）": the rules below decide)
            ):
                out.append(current)
                current = piece
            else:
                current = f"{current} {piece}"
        out.append(current)
    return out
