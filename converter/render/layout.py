"""Pure layout decisions shared by the renderers: which characters take the
Latin face, how wide text is, where a long title breaks.

No document library is imported here, so the plan can be tested alone.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from ..cjk import NO_LINE_END, NO_LINE_START
from ..regex_cache import ModulePatterns

_re = ModulePatterns(__name__)  # its patterns are compiled once, then read from disk (regex_cache.py)

# Breaking a title after one of these costs nothing.
_GOOD_BREAK_AFTER = "，、：；。？！”’）》」』】〕—…,:;?!)"
MIN_LAST_LINE = 4  # no last line of 1-3 characters


# Latin: ASCII, and letters or combining marks below U+2000 (é, pinyin ǎ).
_LATIN_CLASS = "\\x20-\\x7e" + "".join(
    chr(o) for o in range(0xA0, 0x2000) if unicodedata.category(chr(o))[0] in "LM"
)
_LATIN_RUN = _re.compile(f"[{_LATIN_CLASS}]+")
_LATIN_CHAR = _re.compile(f"[{_LATIN_CLASS}]")


def is_latin(ch: str) -> bool:
    """True for characters set in the Latin face: ASCII, and letters (with
    their combining marks) below U+2000 such as é or pinyin ǎ.  Everything
    else, including curly quotes, dashes, ellipses and the middle dot, goes
    to the Chinese face: a Latin face draws those half-width."""
    return _LATIN_CHAR.fullmatch(ch) is not None


def segments(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into maximal runs of (text, is_latin)."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _LATIN_RUN.finditer(text):
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        out.append((m.group(), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def em_width(text: str) -> float:
    """Width in ems: Latin characters count half."""
    return sum(0.5 if is_latin(ch) else 1.0 for ch in text)


def _can_break(text: str, i: int) -> bool:
    """May a line end before ``text[i]``?"""
    before, after = text[i - 1], text[i]
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    # never inside a Latin word or number
    return not (is_latin(before) and is_latin(after) and not before.isspace() and not after.isspace())


# Break costs, added to the squared imbalance (in ems) of the lines.  After
# punctuation or a space costs nothing; before an opening mark or a word that
# opens a phrase (关于, 在, 和 …) a little; between two other words more;
# inside a word (jieba's dictionary says where words end) or after a
# function word (为, 的, 和, 与 …: the line would end mid-phrase) only when
# nothing else fits.
_PHRASE_START_COST = 3.0
_WORD_COST = 6.0
_IN_WORD_COST = 400.0
_FUNCTION_END_COST = 300.0
_PARTICLE_START_COST = 200.0
# Words no title line ends with: prepositions, conjunctions, structural particles.
FUNCTION_WORDS = frozenset(
    "为 的 之 和 与 及 或 暨 并 而 同 跟 对 在 把 被 将 向 从 以 于 由 给 让 及其 以及 对于 并且 或者 而且 因为 为了 通过".split()
)
# Words no title line starts with: particles that close what precedes them.
_PARTICLE_WORDS = frozenset("的 地 得 之 了 着 过 等 们 者".split())
# Words that open a phrase: breaking before them keeps the phrase whole.
_PHRASE_WORDS = frozenset("关于 在 为 为了 和 与 及 以及 暨 对 对于 并 把 向 从 以 由 通过 坚持 推动 加快 全面".split())
# Titles longer than this many lines are broken greedily (at the best break
# within each line), not balanced: balancing costs lines × characters × capacity.
MAX_BALANCED_LINES = 4


def _break_costs(text: str, segment: bool) -> list[float]:
    """Cost of ending a line before ``text[i]``, for i in 1..len-1 (index 0
    and len unused); inf where clreq forbids it.  Without ``segment`` only
    breaks after punctuation or a space are priced (the others are inf)."""
    inf = float("inf")
    n = len(text)
    cost = [inf] * (n + 1)
    cost[0] = cost[n] = 0.0
    starts: dict[int, str] = {}
    ends: dict[int, str] = {}
    if segment:
        from ..words import word_spans

        for a, b in word_spans(text):
            starts[a] = ends[b] = text[a:b]
    for i in range(1, n):
        if text[i].isspace() or not _can_break(text, i):
            continue
        before = text[i - 1]
        if before in _GOOD_BREAK_AFTER or before.isspace():
            cost[i] = 0.0
            continue
        if not segment:
            continue
        word_before, word_after = ends.get(i), starts.get(i)
        if word_before is None or word_after is None or (before.isalnum() and is_latin(before) and not is_latin(text[i])):
            # inside a word, or between a number or Latin run and the
            # character after it (2021年度, AA级: one unit, as linebreak.py glues it)
            c = _IN_WORD_COST
        elif text[i] in NO_LINE_END or word_after in _PHRASE_WORDS:
            c = _PHRASE_START_COST
        else:
            c = _WORD_COST
        if word_before in FUNCTION_WORDS:
            c += _FUNCTION_END_COST
        if word_after in _PARTICLE_WORDS:
            c += _PARTICLE_START_COST
        cost[i] = c
    return cost


def _title_lines(text: str, points: list[int]) -> list[str]:
    return [s for s in (text[a:b].strip() for a, b in zip(points, points[1:])) if s]


def _balanced(text: str, widths: list[float], cost: list[float], capacity: float, lines: int) -> tuple[float, list[int]] | None:
    """The cheapest ``lines`` lines: (cost, break offsets), or None."""
    inf = float("inf")
    n = len(text)
    points = [i for i in range(n + 1) if cost[i] < inf]
    target = widths[n] / lines
    best = [[inf] * len(points) for _ in range(lines + 1)]
    back = [[-1] * len(points) for _ in range(lines + 1)]
    best[0][0] = 0.0
    for k in range(1, lines + 1):
        last = k == lines
        for j in range(len(points) - 1, 0, -1) if not last else (len(points) - 1,):
            end = points[j]
            # Only starts within one capacity of the end: near-linear work.
            for i in range(j - 1, -1, -1):
                start = points[i]
                width = widths[end] - widths[start]
                if width > capacity + 1e-9:
                    break
                if best[k - 1][i] == inf or (last and end - start < MIN_LAST_LINE):
                    continue
                c = best[k - 1][i] + (width - target) ** 2 + (cost[end] if not last else 0.0)
                if c < best[k][j]:
                    best[k][j], back[k][j] = c, i
    if best[lines][-1] == inf:
        return None
    cuts, j = [n], len(points) - 1
    for k in range(lines, 0, -1):
        j = back[k][j]
        cuts.append(points[j])
    return best[lines][-1], cuts[::-1]


def _greedy(text: str, widths: list[float], cost: list[float], capacity: float) -> list[int]:
    """Each line as full as fits, ending at the break that costs least with
    the square of the room it leaves (a long title, not balanced)."""
    inf = float("inf")
    n = len(text)
    cuts, start = [0], 0
    while widths[n] - widths[start] > capacity + 1e-9:
        far = start + 1
        while far < n and widths[far + 1] - widths[start] <= capacity + 1e-9:
            far += 1
        best, best_cost = None, inf
        for p in range(far, start, -1):
            slack = capacity - (widths[p] - widths[start])
            c = cost[p] + slack * slack
            if c < best_cost:
                best, best_cost = p, c
        if best is None:  # nothing breakable near the end: the first allowed break, else by width
            best = next((p for p in range(far, start, -1) if cost[p] < inf), far)
        cuts.append(best)
        start = best
    cuts.append(n)
    return cuts


def balance_lines(text: str, capacity: float) -> list[str]:
    """Break a title into the fewest lines of at most ``capacity`` ems, as
    even as possible, between words and phrases (after punctuation first,
    then before a phrase, then between words, by jieba's dictionary), never
    after a function word (为, 的, 和, 与) nor inside a word unless nothing
    else fits, never leaving a last line of fewer than MIN_LAST_LINE
    characters (GB/T 9704 7.3.1: 回行时词意完整、排列对称、长短适宜).
    Falls back to more lines when no break fits; a title of more than
    MAX_BALANCED_LINES lines is broken greedily.  The work is bounded by
    characters × capacity × MAX_BALANCED_LINES."""
    text = text.strip()
    total = em_width(text)
    if total <= capacity or len(text) < 2 * MIN_LAST_LINE:
        return [text]
    widths = [0.0]
    for ch in text:
        widths.append(widths[-1] + (0.5 if is_latin(ch) else 1.0))
    first = max(2, math.ceil(total / capacity))
    if first > MAX_BALANCED_LINES:
        return _title_lines(text, _greedy(text, widths, _break_costs(text, segment=True), capacity))
    # Punctuation alone first: a balance cheaper than any break between
    # words needs no segmenter (and does not load it).
    found = _balanced(text, widths, _break_costs(text, segment=False), capacity, first)
    if found is None or found[0] >= _PHRASE_START_COST:
        # Between words: the fewest lines unless they must split a word or
        # end on a function word, and a line more would not.
        cost = _break_costs(text, segment=True)
        found = None
        for lines in range(first, first + 4):
            more = _balanced(text, widths, cost, capacity, lines)
            if more is not None and (found is None or more[0] < found[0]):
                found = more
            if found is not None and (found[0] < _PARTICLE_START_COST or lines > first):
                break
    if found is None:
        # Unbreakable (one long Latin word): let the renderer wrap it.
        return [text]
    return _title_lines(text, found[1])


def signature_indents(signature: str, date: str, date_right: float) -> tuple[float, float]:
    """Right indents (in characters) for a 落款 signature line and its date
    line, as GB/T 9704-2012 7.3.5.1 places them: the date ``date_right``
    (四) characters from the right margin, the signature centred over the
    date.  A signature so long that centring would push it past the margin
    ends at the margin, and the date moves left to stay centred under it."""
    s, d = em_width(signature), em_width(date)
    sig_right = date_right + (d - s) / 2
    if sig_right >= 0:
        return sig_right, date_right
    return 0.0, (s - d) / 2


# ---------------------------------------------------------------------------
# Estimating where lines and pages break (for a table of contents, whose
# page numbers must be written before any application lays the text out).

_UNIT = _re.compile(r"[A-Za-z0-9][A-Za-z0-9.%]*|.", re.DOTALL)


def count_lines(text: str, first: float, rest: float, *, hanging: bool = True, autospace: float = 0.25) -> int:
    """Lines ``text`` takes when the first line holds ``first`` ems and the
    others ``rest``: Latin characters count half, a Latin word or number
    never splits, ``autospace`` ems separate Latin from Chinese text (as
    LibreOffice sets it), one closing mark may hang past the end of a line
    when ``hanging``, otherwise closing marks pull the character before them
    down, and an opening mark never ends a line (clreq)."""
    units = _UNIT.findall(text)
    if not units:
        return 1
    widths = []
    for k, u in enumerate(units):
        w = em_width(u)
        if k and is_latin(u[0]) != is_latin(units[k - 1][-1]) and not u.isspace():
            w += autospace
        widths.append(w)
    lines, cap, used, i, start = 1, first, 0.0, 0, 0
    while i < len(units):
        if used + widths[i] <= cap + 1e-6:
            used += widths[i]
            i += 1
            continue
        u = units[i]
        if u in NO_LINE_START and hanging and i > start and (i + 1 == len(units) or units[i + 1] not in NO_LINE_START):
            i += 1  # hangs in the margin
        else:
            j = i
            while j > start + 1 and units[j] in NO_LINE_START:
                j -= 1
            while j > start + 1 and units[j - 1] in NO_LINE_END:
                j -= 1
            i = j if j > start else i + 1
        if i >= len(units):
            break
        lines += 1
        cap, used, start = rest, 0.0, i
    return lines


def paginate(blocks: list[tuple[int, float, float, float, bool, bool]], height: float) -> list[int]:
    """The page (1-based) each block starts on.  A block is (lines, pitch,
    space before, space after, keep with next, page break before), lengths
    in points, on pages ``height`` points tall.  Widow control is on (as
    the .docx sets it): a paragraph breaks only with two lines on each side,
    so one that cannot moves whole; a keep-with-next block moves to the
    next page unless the first two lines of the block after it fit too."""
    return [start for start, _ in paginate_lines(blocks, height)]


def paginate_lines(blocks: list[tuple[int, float, float, float, bool, bool]],
                   height: float) -> list[tuple[int, tuple[int, ...]]]:
    """For each block (as ``paginate`` takes them): the page it starts on
    and the page of each of its lines."""
    out: list[tuple[int, tuple[int, ...]]] = []
    page, y = 1, 0.0
    for n, (lines, pitch, before, after, keep, brk) in enumerate(blocks):
        if brk and y > 0:
            page, y = page + 1, 0.0
        if y > 0:
            y += before
        need = lines * pitch
        if keep and n + 1 < len(blocks):
            # widow control keeps the first two lines of what follows together
            need += blocks[n + 1][1] * min(2, max(1, blocks[n + 1][0])) + (blocks[n + 1][2] if lines else 0)
        if y > 0 and y + min(need, height) > height + 0.01 and (keep or y + pitch > height + 0.01):
            page, y = page + 1, 0.0
        fit = int((height + 0.01 - y) // pitch) if pitch > 0 else lines
        split_at = -1
        if y > 0 and 0 < fit < lines and min(fit, lines - 2) < 2:
            page, y = page + 1, 0.0  # widow control: the paragraph moves whole
        elif 0 < fit < lines and lines - fit < 2:
            split_at = lines - 2  # widow control: two lines go over, not one
        start = page
        line_pages = []
        for i in range(lines):
            if y + pitch > height + 0.01 or i == split_at:
                page, y = page + 1, 0.0
            line_pages.append(page)
            y += pitch
        out.append((start, tuple(line_pages)))
        y += after
        if y > height + 0.01:
            page, y = page + 1, 0.0
    return out


# ---------------------------------------------------------------------------
# Breaking pages on the line grid (the PDF's pagination; issue 14 item 1).

MIN_LINES_UNDER_HEADING = 2  # a heading keeps with at least this many lines of its text
MIN_LAST_PAGE = 3  # a last page holds at least this many lines (unless the text is shorter)


@dataclass(frozen=True, slots=True)
class FlowBlock:
    """A block on the grid: the rows each of its lines takes, the blank rows
    above it (dropped at the top of a page) and below it; ``keep`` for a
    heading (it keeps with the text under it), ``closing`` for a 落款 line
    (it never starts a page: it stays with the end of the body)."""

    rows: tuple[int, ...]
    before: int = 0
    after: int = 0
    keep: bool = False
    closing: bool = False


def _allowed_breaks(blocks: list[FlowBlock]) -> list[bool]:
    """For each line (flattened, in order): may a page start with it?  No
    widow or orphan (a block breaks only with two lines on each side), no
    heading with fewer than MIN_LINES_UNDER_HEADING lines of text under it,
    no 落款 starting a page."""
    allowed: list[bool] = []
    text_since_heading: int | None = None  # lines of text since the last heading (None: none pending)
    for block in blocks:
        n = len(block.rows)
        for k in range(n):
            if k == 0:
                ok = not block.closing and (text_since_heading is None or text_since_heading >= MIN_LINES_UNDER_HEADING)
            else:
                ok = k >= 2 and n - k >= 2 and not block.keep
            allowed.append(ok)
        if block.keep:
            text_since_heading = 0
        elif text_since_heading is not None:
            text_since_heading += n
            if text_since_heading >= MIN_LINES_UNDER_HEADING:
                text_since_heading = None
    if allowed:
        allowed[0] = True
    return allowed


def _fits(blocks: list[FlowBlock], where: list[tuple[int, int]], start: int, end: int, capacity: int) -> bool:
    """Do lines start..end-1 fit on one page?"""
    row = 0
    for i in range(start, end):
        b, k = where[i]
        block = blocks[b]
        if k == 0 and row > 0:
            row += block.before
        row += block.rows[k]
        if row > capacity:
            return False
        if k == len(block.rows) - 1:
            row += block.after
    return True


def page_starts(blocks: list[FlowBlock], capacity: int) -> list[int]:
    """The index (among all lines, in order) of the first line of each page.
    Pages are filled as full as the rules allow: a page ends early (a line
    or a few short) rather than strand a heading, a widow or an orphan, or
    the 落款; where no break obeys the rules, the page is filled."""
    where = [(b, k) for b, block in enumerate(blocks) for k in range(len(block.rows))]
    total = len(where)
    if not total:
        return [0]
    allowed = _allowed_breaks(blocks)
    starts = [0]
    start = 0
    while True:
        end = start + 1
        while end < total and _fits(blocks, where, start, end + 1, capacity):
            end += 1
        if end >= total:
            break
        nxt = next((i for i in range(end, start, -1) if allowed[i]), end)
        starts.append(nxt)
        start = nxt
    # A last page of one or two lines takes lines from the page before.
    if len(starts) > 1 and total - starts[-1] < MIN_LAST_PAGE <= total:
        prev = starts[-2]
        for i in range(starts[-1] - 1, prev, -1):
            if not _fits(blocks, where, i, total, capacity):
                break
            if allowed[i] and total - i >= MIN_LAST_PAGE:
                starts[-1] = i
                break
    return starts


# ---------------------------------------------------------------------------
# The running header (issue 14 item 8): the same text in the PDF and the .docx.

_HEADER_TRIM = "，、：；。！？—…　 ,:;.!?"


def running_header(text: str, capacity: float) -> str:
    """``text`` (the theme's header with the title filled in) fitted to one
    line of ``capacity`` ems: whole when it fits; else its main title (before
    a "——" subtitle) when that fits; else the first of its balanced lines
    (``balance_lines``: whole words, broken at a phrase), with the next ones
    while they fit and end at a punctuation mark, ending in "……"."""
    text = text.strip()
    if em_width(text) <= capacity or capacity < 4:
        return text
    main = text.split("——", 1)[0].strip()
    if main and main != text and em_width(main) <= capacity:
        return main
    room = capacity - 2  # for the "……"
    lines = balance_lines(text, room)
    out = lines[0]
    # A phrase ending at a mark in the line's second half reads better than
    # a word that leaves its phrase unfinished.
    marks = [i + 1 for i, ch in enumerate(out[:-1]) if ch in _GOOD_BREAK_AFTER and i + 1 >= len(out) / 2]
    if marks and out[-1] not in _GOOD_BREAK_AFTER:
        out = out[: marks[-1]]
    joined = lines[0]
    for line in lines[1:]:
        joined += line
        if em_width(joined) > room:
            break
        if joined[-1] in _GOOD_BREAK_AFTER:
            out = joined
    out = out.rstrip(_HEADER_TRIM)
    while em_width(out) > room:  # one unbreakable run longer than the line
        out = out[:-1]
    return out + "……"
