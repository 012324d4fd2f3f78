"""What a lecturer checks in a deck, measured on its plan (no python-pptx):
used by tests/test_deck_corpus.py and benchmarks/deck_quality.py.

* every bullet is a verbatim slice of one block that starts and ends at a
  clause boundary (，；：。！？ outside quotation marks, or the block's ends,
  past an item marker 一是/第一，/首先), never after 、 (inside an
  enumeration), and does not lean on the clause before it (是…, 而…) or
  point at what is not on the slide (这些问题…), and is no procedural
  sentence (现就…提出如下意见);
* every parallel series (text.find_series) of the blocks a run of slides
  covers is shown whole or not at all;
* every level-1 section has a divider slide;
* the body sizes a deck uses.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from converter.markers import match_marker
from converter.model import Heading, Outline, section_tree
from converter.render.pptx.plan import DeckPlan

# A bullet may start after these (outside quotation marks) and end before them.
BOUNDARY = "，；：。！？,;:!?"
_PREFIX = re.compile(r"(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[，、：,]?|首先|其次|再次|最后|——)$")
LEANING = re.compile(r"(?:是|而|并且|并|从而|进而|则|即|便|也是|还|又|才|乃|因而|以便|使之|使得)")
POINTING = re.compile(r"(?:这些|这个|这种|这是|这就|此外|上述|以上|前述|对此|为此|这)")
PROCEDURAL = re.compile(r"现就|提出如下|如下意见|特制定|现将.{0,30}通知|特此|讲几点|谈几点|讲[两三四五六]点|"
                        r"从[两三四五六]个方面|谈[两三四五]点|下面，我")


def _depth(text: str) -> list[int]:
    opens, closes = "“‘「『（《〈(【", "”’」』）》〉)】"
    out, d = [], 0
    for ch in text:
        if ch in opens:
            d += 1
        elif ch in closes:
            d = max(0, d - 1)
        out.append(d)
    return out


def at_boundaries(text: str, a: int, b: int) -> bool:
    depth = _depth(text)
    left = text[:a].rstrip()
    m = _PREFIX.search(left)
    if m:
        left = left[: m.start()].rstrip()
    closed = left.rstrip("”’」』）)")
    if closed != left and closed[-1:] in "。！？!?…":
        left = ""  # after a quotation that ends its sentence: …存亡。”
    marker = match_marker(text)
    if marker is not None and marker.end >= len(left):
        left = ""  # a heading's numbering (一、, （一）, 1.)
    start_ok = not left or (left[-1] in BOUNDARY and depth[len(left) - 1] == 0)
    right = text[b:].lstrip()
    inner = text[b - 1 : b] in "。！？!?…" and right[:1] in "”’」』"  # a quotation's own sentence ends it
    inner = inner or (text[b - 1 : b] in "”’」』" and text[b - 2 : b - 1] in "。！？!?…")
    end_ok = not right or inner or (right[0] in BOUNDARY + "…—" and depth[b - 1] == 0)
    return start_ok and end_ok


@dataclass
class DeckFigures:
    bullets: int = 0
    not_verbatim: list[str] = field(default_factory=list)
    off_boundary: list[str] = field(default_factory=list)
    leaning: list[str] = field(default_factory=list)
    pointing: list[str] = field(default_factory=list)
    procedural: list[str] = field(default_factory=list)
    series: int = 0
    series_split: list[str] = field(default_factory=list)
    series_over_slides: list[str] = field(default_factory=list)  # whole, on a slide and its continuation
    sections: int = 0
    sections_without_divider: list[str] = field(default_factory=list)
    body_sizes: Counter[float] = field(default_factory=Counter)


def measure(plan: DeckPlan, outline: Outline) -> DeckFigures:
    from converter.render.pptx.text import find_series

    f = DeckFigures()
    blocks = outline.blocks
    # Bullets, by the blocks each slide covers (its notes).
    for s in plan.slides:
        if s.kind not in ("content", "opening"):
            continue
        body = s.box("body")
        if body is None:
            continue
        texts = [blocks[i].text for i in s.covers] or [b.text for b in blocks]
        for p in body.paras:
            f.bullets += 1
            f.body_sizes[p.size] += 1
            spots = [(t, k) for t in texts for k in _find_all(t, p.text)]
            if not spots:
                spots = [(b.text, k) for b in blocks for k in _find_all(b.text, p.text)]
            if not spots:
                f.not_verbatim.append(p.text)
                continue
            if not any(at_boundaries(t, k, k + len(p.text)) for t, k in spots):
                f.off_boundary.append(p.text)
            if LEANING.match(p.text):
                f.leaning.append(p.text)
            if POINTING.match(p.text):
                f.pointing.append(p.text)
            if PROCEDURAL.search(p.text):
                f.procedural.append(p.text)
    # Series: a run of slides with the same title stem covers a part; a
    # series with some members among its bullets must have all of them.
    runs: list[list[int]] = []
    for n, s in enumerate(plan.slides):
        if s.kind in ("content", "opening"):
            if s.continued and runs:
                runs[-1].append(n)
            else:
                runs.append([n])
    for run in runs:
        covered = sorted({i for n in run for i in plan.slides[n].covers})
        shown = [p.text for n in run for b in (plan.slides[n].box("body"),) if b for p in b.paras]
        paras = [blocks[i].text for i in covered if not isinstance(blocks[i], Heading)]
        for series in find_series(paras):
            f.series += 1
            hit = [any(b in paras[m.para][m.start:m.end] or paras[m.para][m.start:m.end] in b for b in shown)
                   for m in series]
            if any(hit) and not all(hit):
                f.series_split.append(" / ".join(paras[m.para][m.start:m.end][:12] for m in series))
            elif all(hit):
                where = {n for m in series for n in run for b in (plan.slides[n].box("body"),) if b
                         for p in b.paras if p.text in paras[m.para][m.start:m.end]}
                if len(where) > 1:
                    f.series_over_slides.append(" / ".join(paras[m.para][m.start:m.end][:12] for m in series))
    # Dividers.
    dividers = {i for s in plan.slides if s.kind == "section" for i in s.covers}
    for section in section_tree(outline).sections:
        f.sections += 1
        if blocks.index(section.heading) not in dividers:
            f.sections_without_divider.append(section.heading.text)
    return f


def _find_all(text: str, sub: str) -> list[int]:
    out, k = [], text.find(sub)
    while k >= 0:
        out.append(k)
        k = text.find(sub, k + 1)
    return out
