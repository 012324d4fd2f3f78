"""Pure layout decisions shared by the renderers: which characters take the
Latin face, how wide text is, where a long title breaks.

No document library is imported here, so the plan can be tested alone.
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache

from ..cjk import NO_LINE_END, NO_LINE_START

# Breaking a title after one of these costs nothing; elsewhere it may split
# a word, which costs as much as about two and a half characters of imbalance.
_GOOD_BREAK_AFTER = "，、：；。？！”’）》」』】〕—…,:;?!)"
_MID_PHRASE_PENALTY = 6.0
MIN_LAST_LINE = 4  # no last line of 1-3 characters


@lru_cache(maxsize=4096)
def is_latin(ch: str) -> bool:
    """True for characters set in the Latin face: ASCII, and letters (with
    their combining marks) below U+2000 such as é or pinyin ǎ.  Everything
    else, including curly quotes, dashes, ellipses and the middle dot, goes
    to the Chinese face: a Latin face draws those half-width."""
    o = ord(ch)
    if 0x20 <= o < 0x7F:
        return True
    if o >= 0x2000 or o < 0x20:
        return False
    return unicodedata.category(ch)[0] in "LM"


def segments(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into maximal runs of (text, is_latin)."""
    out: list[tuple[str, bool]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or is_latin(text[i]) != is_latin(text[start]):
            out.append((text[start:i], is_latin(text[start])))
            start = i
    return out


def em_width(text: str) -> float:
    """Width in ems: Latin characters count half."""
    return sum(0.5 if is_latin(ch) else 1.0 for ch in text)


def _can_break(text: str, i: int) -> bool:
    """May a line end before ``text[i]``?"""
    before, after = text[i - 1], text[i]
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if is_latin(before) and is_latin(after) and not before.isspace() and not after.isspace():
        return False
    return True


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
    line (GB/T 9704 7.3.5.1): the date ``date_right`` characters from the
    right, the signature centred over it; a signature longer than the date
    sits 2 characters from the right with the date centred under it."""
    s, d = em_width(signature), em_width(date)
    if s <= d:
        return date_right + (d - s) / 2, date_right
    return 2.0, 2.0 + (s - d) / 2
