"""Chinese line breaking and justification on real advance widths.

Follows W3C "Requirements for Chinese Text Layout" (clreq): no line starts
with a closing mark (，。、；：？！”’）》…%) and none ends with an opening one
(“‘（《); Latin words and number runs never split (PM2.5, 2025年, 3.5%); the
two-em dash and ellipsis never split; every line but a paragraph's last is
justified exactly to the measure by spreading the gaps between characters.
When the character after a full line may not start a line, the marks are
squeezed so it fits ("push in") or the last character moves down with it
("push out"), and the shorter line is spread.  Hanging punctuation (行末点号
悬挂: a comma or full stop past the measure, as Word and LibreOffice set it)
is off unless the caller names the marks that may hang.

The module knows nothing of any renderer or font file: it takes an
advance-width function (``Advance``; converter/fonts/metrics.py makes one
from a font's widths) and answers lines with the x position of every
character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Callable, NamedTuple, Sequence

from .cjk import NO_LINE_END, NO_LINE_START
from .regex_cache import ModulePatterns

_re = ModulePatterns(__name__)  # its patterns are compiled once, then read from disk (regex_cache.py)

Advance = Callable[[str], float]

# The dash may start a line; its two halves never part (see _UNIT_RE).
_NO_START = set(NO_LINE_START) - {"—"}
_NO_END = set(NO_LINE_END)
# Units that never split: Latin words and number runs (with their inner
# punctuation), paired dashes and ellipses, one character otherwise.
_UNIT_RE = _re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:/+\-_'%@#&]*[A-Za-z0-9%]|[A-Za-z0-9]|——|……|\s+|.", re.S)


@dataclass(frozen=True, slots=True)
class Line:
    """One line: its text, the x offset of every character from the line
    start (the same length as text), and its width once set (the measure for a
    justified line, the natural width for a paragraph's last line)."""

    text: str
    xs: tuple[float, ...]
    width: float
    justified: bool


class _Box(NamedTuple):
    # A NamedTuple, not a frozen dataclass: a lecture makes thousands of
    # boxes, and a frozen dataclass's __init__ costs three times as much.
    text: str
    width: float
    breakable_after: bool  # a space follows: the line may end here, the space dropped


def _units(text: str) -> list[str]:
    units = _UNIT_RE.findall(text)
    out: list[str] = []
    for unit in units:
        # 2025年, 3.5万: a number run glues to the unit character after it.
        if out and not unit.isspace() and not unit.isascii() and out[-1][-1:].isdigit():
            out[-1] += unit
        else:
            out.append(unit)
    return out


def _boxes(text: str, advance: Advance) -> list[_Box]:
    """Units glued into boxes that may not be separated: a closing mark sticks
    to what precedes it, an opening mark to what follows it."""
    boxes: list[list[str]] = []
    space_after: list[bool] = []
    for unit in _units(text):
        if unit.isspace():
            if boxes:
                space_after[-1] = True
            continue
        glue = bool(boxes) and not space_after[-1] and (
            unit[0] in _NO_START or boxes[-1][-1][-1] in _NO_END
        )
        if glue:
            boxes[-1].append(unit)
        else:
            boxes.append([unit])
            space_after.append(False)
    out = []
    for parts, space in zip(boxes, space_after):
        text = parts[0] if len(parts) == 1 else "".join(parts)
        out.append(_Box(text, sum(map(advance, text)), space))
    return out


def leading_unit_width(text: str, advance: Advance) -> float:
    """Width of the first piece of ``text`` that no line break may split:
    a character with the punctuation glued to it, a Latin word, a number
    run with its unit."""
    boxes = _boxes(text, advance)
    return boxes[0].width if boxes else 0.0


# The marks that may hang past the measure when hanging is on: the pause and
# stop marks clreq lets hang (3.1.6 行末点号悬挂), as Word and LibreOffice do.
HANGING_MARKS = "，。、．"


def break_lines(
    text: str, advance: Advance, width: float, *, first_indent: float = 0.0, hanging: str = ""
) -> list[Line]:
    """Break ``text`` into lines no wider than ``width`` (in the units
    ``advance`` returns, normally points).  The first line starts
    ``first_indent`` in and is that much shorter.  A character of
    ``hanging`` that would start a line instead hangs past the end of the
    previous one (at most one per line); by default nothing hangs."""
    if width <= 0:
        raise ValueError("line width must be positive")
    boxes = _boxes(text, advance)
    space = advance(" ")
    lines: list[list[_Box]] = []
    current: list[_Box] = []
    used = 0.0
    limit = width - first_indent
    eps = 1e-6
    for box in boxes:
        gap = space if current and current[-1].breakable_after else 0.0
        if current and used + gap + box.width > limit + eps:
            overflow = used + gap + box.width - limit
            if box.text[-1] in hanging and overflow <= advance(box.text[-1]) + eps:
                # All but the closing mark fits: the mark hangs in the margin.
                current.append(box)
                lines.append(current)
                current, used, limit = [], 0.0, width
                continue
            head_fits = used + gap + advance(box.text[0]) <= limit + eps
            if head_fits and len(box.text) > 1 and overflow <= _squeezable(current + [box], advance) + eps:
                # The box's first character fits; the marks glued to it do
                # not.  Push in: squeeze punctuation so they fit too (clreq
                # prefers this to pushing a character out when it suffices).
                current.append(box)
                used += gap + box.width
                continue
            lines.append(current)
            current, used, limit = [], 0.0, width
            gap = 0.0
        if not current and box.width > limit + eps:
            # A unit wider than the line (a long URL): split it by characters.
            for piece in _split_wide(box, advance, limit):
                if current:
                    lines.append(current)
                    limit = width
                current, used = [piece], piece.width
            continue
        current.append(box)
        used += gap + box.width
    if current or not lines:
        lines.append(current)
    out = []
    for i, line_boxes in enumerate(lines):
        last = i == len(lines) - 1
        measure = width - (first_indent if i == 0 else 0.0)
        out.append(_set_line(line_boxes, advance, space, measure, justify=not last, hanging=hanging))
    return out


# Full-width punctuation whose glyph fills half its em: it may be set half
# width (标点挤压).  Closing marks give up their right half, opening marks
# their left half.
SQUEEZE_CLOSING = set("，。、；：”’）》〉」』】〕")
SQUEEZE_OPENING = set("“‘（《〈「『【〔")


_CLOSING_CLASS = re.escape("".join(sorted(SQUEEZE_CLOSING)))
_OPENING_CLASS = re.escape("".join(sorted(SQUEEZE_OPENING)))
# Where two marks meet (found at every position: "。”）" is two pairs).
ADJACENT_MARKS = _re.compile(f"(?=[{_CLOSING_CLASS}][{_CLOSING_CLASS}{_OPENING_CLASS}]|[{_OPENING_CLASS}][{_OPENING_CLASS}])")


def _squeeze_points(text: str) -> list[int]:
    """Indices of characters that may be squeezed: never the last one, whose
    right edge must stay on the measure."""
    return [i for i, ch in enumerate(text[:-1]) if ch in SQUEEZE_CLOSING or ch in SQUEEZE_OPENING]


def _squeezable(boxes: Sequence[_Box], advance: Advance) -> float:
    text = "".join(b.text for b in boxes)
    return sum(advance(text[i]) / 2 for i in _squeeze_points(text))


def _split_wide(box: _Box, advance: Advance, limit: float) -> list[_Box]:
    pieces, current, used = [], "", 0.0
    for ch in box.text:
        w = advance(ch)
        if current and used + w > limit:
            pieces.append(_Box(current, used, False))
            current, used = "", 0.0
        current += ch
        used += w
    pieces.append(_Box(current, used, box.breakable_after))
    return pieces


def _set_line(
    boxes: Sequence[_Box], advance: Advance, space: float, measure: float, justify: bool, hanging: str = ""
) -> Line:
    """Place every character; spread a justified line's slack evenly over the
    gaps where Chinese text may stretch (between characters, not inside a
    Latin word).  A hanging mark starts at the measure and ends past it."""
    chars: list[str] = []
    widths: list[float] = []
    stretch: list[bool] = []  # may the gap after this character grow?
    for b_index, box in enumerate(boxes):
        text = box.text
        chars.extend(text)
        widths.extend(map(advance, text))
        if text.isascii() and len(text) > 1:
            # A Latin word: its inner gaps do not stretch.
            stretch.extend([False] * (len(text) - 1) + [True])
        elif len(text) == 1 or not any(ch.isascii() for ch in text):
            stretch.extend([True] * len(text))
        else:
            stretch.extend(
                not (k + 1 < len(text) and ch.isascii() and text[k + 1].isascii()) for k, ch in enumerate(text)
            )
        if box.breakable_after and b_index + 1 < len(boxes):
            chars.append(" ")
            widths.append(space)
            stretch.append(True)
    if not chars:
        return Line("", (), 0.0, False)
    # Adjacent punctuation (clreq 3.1.4 标点挤压): where a closing mark meets
    # another closing mark or an opening one, the first gives up its blank
    # right half; where two opening marks meet, the second gives up its blank
    # left half.  The pair takes 1.5 em, and its gap does not stretch.
    squeeze = [0.0] * len(chars)
    paired = False
    for m in ADJACENT_MARKS.finditer("".join(chars)):
        i = m.start()
        k = i if chars[i] in SQUEEZE_CLOSING else i + 1
        squeeze[k] = widths[k] / 2
        stretch[i] = False
        paired = True
    natural = sum(widths) - (sum(squeeze) if paired else 0.0)
    natural_before_squeeze = natural + (sum(squeeze) if paired else 0.0)
    if chars[-1] in hanging and natural > measure + 1e-9 and natural - widths[-1] <= measure + 1e-9:
        # The last mark hangs: the line up to it fills the measure, and the
        # gap before the mark does not stretch.
        measure += widths[-1]
        if len(stretch) > 1:
            stretch[-2] = False
    # Squeeze punctuation from the line's end backwards until it fits.
    over = natural - measure
    if over > 1e-9:
        for i in reversed(_squeeze_points("".join(chars))):
            take = min(widths[i] / 2 - squeeze[i], over)
            squeeze[i] += take
            natural -= take
            over -= take
            if over <= 1e-9:
                break
    stretch[-1] = False  # no gap after the last character
    gaps = sum(stretch)
    extra = (measure - natural) / gaps if justify and gaps and natural < measure - 1e-9 else 0.0
    if natural_before_squeeze != natural:
        xs, x = [], 0.0
        for i, w in enumerate(widths):
            if chars[i] in SQUEEZE_OPENING:
                x -= squeeze[i]  # an opening mark gives up its left half
            xs.append(x)
            x += w + (extra if stretch[i] else 0.0)
            if chars[i] not in SQUEEZE_OPENING:
                x -= squeeze[i]
    else:
        # Nothing squeezed: each x is the sum of the advances (and stretched
        # gaps) before it.
        steps = [w + extra for w in widths] if all(stretch[:-1]) else [
            w + (extra if grows else 0.0) for w, grows in zip(widths, stretch)
        ]
        xs = [0.0, *accumulate(steps[:-1])]
    set_width = measure if (extra or justify) else natural
    return Line("".join(chars), tuple(xs), set_width, justify)
