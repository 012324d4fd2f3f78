"""Pure layout decisions shared by the renderers: which characters take the
Latin face, how wide text is, where a long title breaks.

No document library is imported here, so the plan can be tested alone.
"""

from __future__ import annotations

import math
import re
import unicodedata

from ..cjk import NO_LINE_END, NO_LINE_START

# Breaking a title after one of these costs nothing; elsewhere it may split
# a word, which costs as much as about two and a half characters of imbalance.
_GOOD_BREAK_AFTER = "，、：；。？！”’）》」』】〕—…,:;?!)"
_MID_PHRASE_PENALTY = 6.0
MIN_LAST_LINE = 4  # no last line of 1-3 characters


# Latin: ASCII, and letters or combining marks below U+2000 (é, pinyin ǎ).
_LATIN_CLASS = "\\x20-\\x7e" + "".join(
    chr(o) for o in range(0xA0, 0x2000) if unicodedata.category(chr(o))[0] in "LM"
)
_LATIN_RUN = re.compile(f"[{_LATIN_CLASS}]+")
_LATIN_CHAR = re.compile(f"[{_LATIN_CLASS}]")


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


def balance_lines(text: str, capacity: float) -> list[str]:
    """Break a title into the fewest lines of at most ``capacity`` ems, as
    even as possible, preferring breaks after punctuation, never leaving a
    last line of fewer than MIN_LAST_LINE characters (GB/T 9704: 回行时词意
    完整、排列对称、长短适宜).  Falls back to more lines when no break fits."""
    text = text.strip()
    total = em_width(text)
    if total <= capacity or len(text) < 2 * MIN_LAST_LINE:
        return [text]
    widths = [0.0]
    for ch in text:
        widths.append(widths[-1] + (0.5 if is_latin(ch) else 1.0))
    breaks = [i for i in range(1, len(text)) if _can_break(text, i)]
    points = [0] + breaks + [len(text)]
    first = max(2, math.ceil(total / capacity))
    for lines in range(first, first + 4):
        target = total / lines
        # best[k][j]: cheapest way to set text[:points[j]] in k lines.
        inf = float("inf")
        best = [[inf] * len(points) for _ in range(lines + 1)]
        back = [[-1] * len(points) for _ in range(lines + 1)]
        best[0][0] = 0.0
        for k in range(1, lines + 1):
            for j in range(1, len(points)):
                end = points[j]
                last = k == lines
                if last and j != len(points) - 1:
                    continue
                for i in range(j):
                    if best[k - 1][i] == inf:
                        continue
                    start = points[i]
                    width = widths[end] - widths[start]
                    if width > capacity:
                        continue
                    if last and end - start < MIN_LAST_LINE:
                        continue
                    cost = best[k - 1][i] + (width - target) ** 2
                    if not last and text[end - 1] not in _GOOD_BREAK_AFTER:
                        cost += _MID_PHRASE_PENALTY
                    if cost < best[k][j]:
                        best[k][j], back[k][j] = cost, i
        if best[lines][-1] < inf:
            out: list[str] = []
            j = len(points) - 1
            for k in range(lines, 0, -1):
                i = back[k][j]
                out.append(text[points[i] : points[j]])
                j = i
            return out[::-1]
    # Unbreakable (one long Latin word): let the renderer wrap it.
    return [text]


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

_UNIT = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%]*|.", re.DOTALL)


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
    in points, on pages ``height`` points tall.  Lines never split from
    their paragraph's start less than fully: widow control is off, so a
    paragraph breaks after any line; a keep-with-next block moves to the
    next page unless the first line of the block after it fits too."""
    pages: list[int] = []
    page, y = 1, 0.0
    for n, (lines, pitch, before, after, keep, brk) in enumerate(blocks):
        if brk and y > 0:
            page, y = page + 1, 0.0
        if y > 0:
            y += before
        need = lines * pitch
        if keep and n + 1 < len(blocks):
            need += blocks[n + 1][1] + (blocks[n + 1][2] if lines else 0)
        if y > 0 and y + min(need, height) > height + 0.01 and (keep or y + pitch > height + 0.01):
            page, y = page + 1, 0.0
        pages.append(page)
        for _ in range(lines):
            if y + pitch > height + 0.01:
                page, y = page + 1, 0.0
            y += pitch
        y += after
        if y > height + 0.01:
            page, y = page + 1, 0.0
    return pages
