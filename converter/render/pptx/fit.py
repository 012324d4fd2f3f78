"""Fitting text into slide boxes by measuring it: no autofit, no guessing.

A box's paragraphs are broken into lines by converter/linebreak.py on the
fonts' real advance widths at a candidate size; the box takes the largest
size of its range whose lines fit.  Every paragraph is set with an exact
line pitch of LINE_HEIGHT × size (the emitter writes it), so the height of
``n`` lines is known before any application lays the text out; SPARE of the
box's height stays free for what differs between PowerPoint and LibreOffice.
Text that fits at no size of the range is split over several boxes (the
caller makes "（续）" slides of them); it is never cut.

Pure: no document library.  Fonts come in as ``Measure`` functions.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ...cjk import NO_LINE_START
from ...linebreak import Advance, break_lines
from ..layout import MAX_BALANCED_LINES, balance_lines


class Measure:
    """One face's advance widths at any size (``measure(size)`` is an
    Advance), remembering what it has measured: a deck fits the same text at
    several sizes, and widths scale with the size, so a paragraph's natural
    width and its lines for a given measure-to-size ratio are worked out once."""

    def __init__(self, at: Callable[[float], Advance]) -> None:
        self._at = at
        self._natural: dict[str, float] = {}
        self._lines: dict[tuple[str, float, float, bool], tuple[tuple[str, ...], bool]] = {}

    def __call__(self, size: float) -> Advance:
        return self._at(size)

    def natural(self, text: str) -> float:
        """Width of ``text`` at 1 pt."""
        width = self._natural.get(text)
        if width is None:
            advance = self._at(1.0)
            width = self._natural[text] = sum(advance(c) for c in text)
        return width

LINE_HEIGHT = 1.2  # line pitch in ems of the size, set exactly on every paragraph
SPARE = 0.10  # part of a box's height left free
# Lines are broken on a measure this much narrower than the box: LibreOffice
# and PowerPoint neither squeeze punctuation nor justify quite as we do.
WIDTH_SAFETY = 0.97
SIZE_STEP = 2.0  # pt between candidate sizes


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on the slide, in points from the top left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True, slots=True)
class Insets:
    left: float = 7.2
    top: float = 3.6
    right: float = 7.2
    bottom: float = 3.6


@dataclass(frozen=True, slots=True)
class ParaSpec:
    """A paragraph to fit: its text, a hanging indent (bullets) and the space
    before it (not before a box's first paragraph), both in ems of the size."""

    text: str
    indent: float = 0.0
    gap: float = 0.0
    # Break into even lines, after punctuation where possible
    # (layout.balance_lines); the emitter then writes the breaks.
    balanced: bool = True


@dataclass(frozen=True, slots=True)
class Fit:
    size: float
    lines: tuple[tuple[str, ...], ...]  # per paragraph
    height: float  # pt the text takes

    @property
    def line_count(self) -> int:
        return sum(len(p) for p in self.lines)


def sizes(largest: float, smallest: float, step: float = SIZE_STEP) -> list[float]:
    """Candidate sizes, largest first, ``step`` apart, always ending at ``smallest``."""
    out, size = [], largest
    while size > smallest + 1e-6:
        out.append(size)
        size -= step
    out.append(smallest)
    return out


def text_height(line_counts: Sequence[int], gaps: Sequence[float], size: float) -> float:
    """Height of paragraphs with these line counts and gaps (ems) at ``size``."""
    lines = sum(line_counts) * LINE_HEIGHT * size
    return lines + sum(gaps[1:]) * size


def usable_height(box_h: float, insets: Insets) -> float:
    return (box_h - insets.top - insets.bottom) * (1 - SPARE)


def box_height_for(text_h: float, insets: Insets) -> float:
    """The box height that holds ``text_h`` with SPARE to spare."""
    return text_h / (1 - SPARE) + insets.top + insets.bottom


def line_width(box_w: float, insets: Insets) -> float:
    return (box_w - insets.left - insets.right) * WIDTH_SAFETY


def set_paragraph(para: ParaSpec, measure: Measure, width: float, size: float) -> tuple[str, ...]:
    """The lines of one paragraph at ``size`` on a ``width`` pt measure.

    A balanced paragraph keeps the line count the breaker needs but moves
    the breaks: after punctuation when lines of similar length result (the
    only word boundaries we know without a dictionary), else to even
    lengths (layout.balance_lines), each line checked on real widths."""
    return _set(para, measure, width, size)[0]


def _set(para: ParaSpec, measure: Measure, width: float, size: float) -> tuple[tuple[str, ...], bool]:
    """set_paragraph, and whether every break falls after punctuation."""
    key = (para.text, round(width / size, 6), para.indent, para.balanced)
    found = measure._lines.get(key)
    if found is None:
        found = measure._lines[key] = _set_lines(para, measure(size), width, size)
    return found


def _set_lines(para: ParaSpec, advance: Advance, width: float, size: float) -> tuple[tuple[str, ...], bool]:
    width -= para.indent * size
    greedy = tuple(line.text for line in break_lines(para.text, advance, width))
    if not para.balanced or len(greedy) < 2:
        return greedy, len(greedy) < 2
    # Balancing is for titles and short paragraphs: past a few lines its
    # cost grows with lines × breaks², so a longer one is left to balance_lines
    # (which breaks it greedily, between words).
    phrases = _phrase_lines(para.text, advance, width, len(greedy)) if len(greedy) <= MAX_BALANCED_LINES else None
    if phrases:
        return phrases, True
    # Even lines between words; a line more rather than a word split.
    even = _even_lines(para.text, advance, width, size, len(greedy)) or _even_lines(para.text, advance, width, size, len(greedy) + 1)
    return even or greedy, False


# Breaking after these splits no word; a line may not start with NO_LINE_START.
_PHRASE_END = "，、：；。？！”’）》」』】〕…—,:;?!)"
MIN_LINE_SHARE = 0.25  # no line shorter than this part of the longest
MIN_LAST_CHARS = 4


def _phrase_lines(text: str, advance: Advance, width: float, count: int) -> tuple[str, ...] | None:
    """``count`` lines broken only after punctuation, as even as possible,
    each within ``width``; None when there is no such set."""
    text = text.strip()
    ends = [i + 1 for i, ch in enumerate(text[:-1]) if ch in _PHRASE_END and text[i + 1] not in NO_LINE_START]
    points = [0] + ends + [len(text)]
    if len(points) < count + 1:
        return None
    prefix = [0.0]
    for ch in text:
        prefix.append(prefix[-1] + advance(ch))
    target = prefix[-1] / count
    inf = float("inf")
    best = [[inf] * len(points) for _ in range(count + 1)]
    back = [[-1] * len(points) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        for j in range(1, len(points)):
            if (k == count) != (j == len(points) - 1):
                continue
            for i in range(j):
                if best[k - 1][i] == inf:
                    continue
                w = prefix[points[j]] - prefix[points[i]]
                if w > width + 1e-6:
                    continue
                cost = best[k - 1][i] + (w - target) ** 2
                if cost < best[k][j]:
                    best[k][j], back[k][j] = cost, i
    if best[count][-1] == inf:
        return None
    cuts, j = [], len(points) - 1
    for k in range(count, 0, -1):
        cuts.append(points[j])
        j = back[k][j]
    cuts.append(0)
    cuts.reverse()
    lines = tuple(text[a:b] for a, b in itertools.pairwise(cuts))
    longest = max(prefix[b] - prefix[a] for a, b in itertools.pairwise(cuts))
    if any(prefix[b] - prefix[a] < MIN_LINE_SHARE * longest for a, b in itertools.pairwise(cuts)):
        return None
    if len(lines[-1]) < MIN_LAST_CHARS:
        return None
    return lines


def _even_lines(text: str, advance: Advance, width: float, size: float, count: int) -> tuple[str, ...] | None:
    """Even lines (layout.balance_lines), checked on real widths; None when
    they need more than ``count`` lines or do not fit."""
    capacity = width / size
    for _ in range(8):
        if capacity < 2:
            return None
        lines = balance_lines(text, capacity)
        if len(lines) > count:
            return None
        widest = max(sum(advance(c) for c in line) for line in lines)
        if widest <= width + 1e-6:
            return tuple(lines)
        capacity -= max(0.5, (widest - width) / size)
    return None


def fit(paras: Sequence[ParaSpec], box: Box, insets: Insets, candidates: Sequence[float],
        measure: Measure, *, nice_steps: int = 1) -> Fit | None:
    """The largest candidate size at which ``paras`` fit ``box``, or None.

    When some balanced paragraph must break inside a phrase at that size, up
    to ``nice_steps`` smaller sizes are tried for breaks after punctuation."""
    if not candidates:
        return None
    width = line_width(box.w, insets)
    room = usable_height(box.h, insets)
    gaps = [p.gap for p in paras]
    # Advance widths scale with the size, so each paragraph's natural width
    # at one size bounds its line count at every size: sizes that cannot fit
    # are skipped without breaking any lines.
    natural = [measure.natural(p.text) for p in paras]

    def attempt(size: float) -> tuple[Fit, int] | None:
        least = [max(1, math.ceil(n * size / max(width - p.indent * size, 1.0) - 1e-9)) for n, p in zip(natural, paras)]
        if text_height(least, gaps, size) > room + 1e-6:
            return None
        # A paragraph narrower than the measure is one line: no breaking needed.
        set_ = [((p.text.strip(),), True) if n * size <= width - p.indent * size else _set(p, measure, width, size)
                for n, p in zip(natural, paras)]
        lines = tuple(x[0] for x in set_)
        height = text_height([len(x) for x in lines], gaps, size)
        if height > room + 1e-6:
            return None
        return Fit(size, lines, height), sum(1 for x in set_ if x[1])

    # Most boxes fit at their largest size; otherwise, as smaller text never
    # takes more room, the largest size that fits is found by bisection.
    best = attempt(candidates[0])
    lo, hi = (0, 0) if best is not None else (1, len(candidates))
    while lo < hi:
        mid = (lo + hi) // 2
        got = attempt(candidates[mid])
        if got is None:
            lo = mid + 1
        else:
            best, hi = got, mid
    if best is None:
        return None
    found, found_nice = best
    for size in candidates[lo + 1 : lo + 1 + nice_steps]:
        if found_nice == len(paras):
            break
        got = attempt(size)
        if got is not None and got[1] > found_nice:
            found, found_nice = got
    return found


def fit_or_shrink(paras: Sequence[ParaSpec], box: Box, insets: Insets, candidates: Sequence[float],
                  measure: Measure, floor: float = 8.0, *, nice_steps: int = 1) -> tuple[Fit, bool]:
    """Like ``fit``, but text that must stay in one box (a title) goes below
    the range, 1 pt at a time down to ``floor``; the flag says it did."""
    found = fit(paras, box, insets, candidates, measure, nice_steps=nice_steps)
    if found is not None:
        return found, False
    smallest = candidates[-1]
    below = [smallest - k for k in range(1, int(smallest - floor) + 1)] or [floor]
    found = fit(paras, box, insets, below, measure)
    if found is None:  # nothing fits at all: set at the floor
        width = line_width(box.w, insets)
        lines = tuple(set_paragraph(p, measure, width, floor) for p in paras)
        found = Fit(floor, lines, text_height([len(x) for x in lines], [p.gap for p in paras], floor))
    return found, True


def split_fit(paras: Sequence[ParaSpec], box: Box, insets: Insets, candidates: Sequence[float],
              measure: Measure) -> list[tuple[list[ParaSpec], Fit]]:
    """``paras`` in as few consecutive groups as fit ``box`` at the range's
    smallest size, as even as possible, each group with one common size (the
    largest at which every group fits, so continuation slides match).  A
    paragraph too tall for the box on its own is cut between lines."""
    whole = fit(paras, box, insets, candidates, measure)
    if whole is not None or not paras:
        return [(list(paras), whole)] if whole is not None else []
    smallest = candidates[-1]
    items = _cut_tall(list(paras), box, insets, smallest, measure)
    groups = _fewest_groups(items, box, insets, smallest, measure)
    fits = []
    for size in candidates:
        fits = [fit(g, box, insets, [size], measure) for g in groups]
        if all(f is not None for f in fits):
            break
    return [(g, f) for g, f in zip(groups, fits) if f is not None]


def _fits_at(paras: Sequence[ParaSpec], box: Box, insets: Insets, size: float, measure: Measure) -> bool:
    return fit(paras, box, insets, [size], measure) is not None


def _fewest_groups(items: list[ParaSpec], box: Box, insets: Insets, size: float,
                   measure: Measure) -> list[list[ParaSpec]]:
    """Greedy packing gives the fewest groups; then try to even them out."""
    greedy: list[list[ParaSpec]] = [[]]
    for item in items:
        trial = greedy[-1] + [_first(item) if not greedy[-1] else item]
        if greedy[-1] and not _fits_at(trial, box, insets, size, measure):
            greedy.append([_first(item)])
        else:
            greedy[-1] = trial
    count = len(greedy)
    per = -(-len(items) // count)
    even = [items[k : k + per] for k in range(0, len(items), per)]
    even = [[_first(g[0])] + g[1:] for g in even]
    if len(even) == count and all(_fits_at(g, box, insets, size, measure) for g in even):
        return even
    return greedy


def _first(para: ParaSpec) -> ParaSpec:
    """A paragraph opening a box has no space before it."""
    return ParaSpec(para.text, para.indent, 0.0, para.balanced)


def _cut_tall(items: list[ParaSpec], box: Box, insets: Insets, size: float, measure: Measure) -> list[ParaSpec]:
    """Paragraphs too tall for the box alone, cut into runs of whole lines
    that fit (the text is kept whole: the pieces join back to it)."""
    out: list[ParaSpec] = []
    width = line_width(box.w, insets)
    per_box = max(1, int(usable_height(box.h, insets) // (LINE_HEIGHT * size)))
    for item in items:
        if _fits_at([_first(item)], box, insets, size, measure):
            out.append(item)
            continue
        lines = set_paragraph(item, measure, width, size)
        starts = _line_starts(item.text, lines)[::per_box] + [len(item.text)]
        for k, (a, b) in enumerate(itertools.pairwise(starts)):
            out.append(ParaSpec(item.text[a:b], item.indent, item.gap if k == 0 else 0.0, False))
    return out


def _line_starts(text: str, lines: Sequence[str]) -> list[int]:
    """Where each line starts in ``text`` (the breaker drops spaces at breaks)."""
    starts, pos = [], 0
    for line in lines:
        head = line.lstrip()[:1]
        found = text.find(head, pos) if head else pos
        pos = found if found >= 0 else pos
        starts.append(pos)
        pos += len(line.strip()) if line.strip() else 0
    starts[0] = 0
    return starts
