"""Plan a slide deck as data: which slides, their texts, fitted sizes and
boxes, and their speaker notes.  No python-pptx here: the emitter (emit.py)
only writes what the plan says, and the plan is tested without it.

The deck follows the outline: a title slide; an agenda of the level-1
sections (over several slides when it does not fit); opening remarks before
the first heading on a 开篇 slide; for every level-1 section a divider (with
its lead condensed to one or two lines when it has one), then one content
slide per level-2 subsection (or per level-1 section that has none; with no
headings at all, one per group of paragraphs); a closing slide.  Content
slides carry 3-5 extractive bullets (text.py) and at most one quotation
callout; a long part is condensed by paragraph groups and its parallel
series shown whole, over "（续）" slides that break between series.  Bullets
take one size over the deck (two at most, see plan_deck).  Every block of
the outline is in some slide's notes, verbatim.

Box sizes come from the template's layouts (``Geometry``, read by the
emitter); every text box is fitted by fit.py on the fonts' real metrics.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, TypeVar, assert_never

from ...fonts import DECK_ROLES, Faces, FontMetrics, metrics_for
from ...linebreak import Advance
from ...model import (
    Block,
    Heading,
    Outline,
    Paragraph,
    Salutation,
    Section,
    Warning,
    section_tree,
)
from ...markers import match_marker
from ...theme import Align, DeckText, Theme
from .fit import (
    Box,
    Fit,
    Insets,
    Measure,
    ParaSpec,
    box_height_for,
    fit,
    fit_or_shrink,
    sizes,
    split_fit,
    usable_height,
)
from .text import (
    Quotation,
    Span,
    bullet_count,
    condense,
    find_series,
    lead_phrase,
    quotations,
    shorten,
    split_title,
    strip_marker,
)
from ..layout import is_latin

T = TypeVar("T")
SlideKind = Literal["title", "agenda", "section", "opening", "content", "closing"]
LayoutKey = Literal["title", "section", "content", "closing"]
TextKind = Literal["title", "heading", "subtitle", "body", "quote"]
# Where a text box goes: the layout's title placeholder, its second
# placeholder (subtitle / body), a new text box, or a new callout shape.
Slot = Literal["title", "body", "text", "callout"]
Anchor = Literal["top", "middle", "bottom"]

LAYOUT_KEYS: tuple[LayoutKey, ...] = ("title", "section", "content", "closing")
AGENDA_TITLE = "目录"
OPENING_TITLE = "开篇"
CLOSING_WORDS = "谢谢！"
CONTINUED = "（续）"
ATTRIBUTION_DASH = "——"

INSETS = Insets(7.2, 3.6, 7.2, 3.6)
# A callout: an accent bar on the left, the text well inside the fill.
CALLOUT_BAR = 6.0
CALLOUT_INSETS = Insets(CALLOUT_BAR + 14.0, 9.0, 14.0, 9.0)
STACK_GAP = 10.0  # pt between boxes stacked in a layout's body area
BULLET_INDENT = 1.2  # ems: hanging indent of a bulleted paragraph
BULLET_GAP = 0.6  # ems before each bullet but the first
MAX_BULLET_GAP = 1.2
AGENDA_GAP = 0.8
MAX_BULLETS = 5
MAX_BULLET_CHARS = 40
CALLOUT_SHARE = 0.42  # of the body area a callout may take
SUBTITLE_SHARE = 0.3
TITLE_NICE_STEPS = 3
TITLE_SPLIT_LENGTH = 22  # a title longer than this splits at its first ， too
# A deck's second body size, for a slide whose bullets would otherwise
# continue: this much below the first (and no smaller than the theme allows).
SECOND_SIZE_DROP = 4.0
GROUP_CHARS = 600  # no headings: paragraphs per content slide, in characters
LONG_PART_CHARS = 900  # a part longer than this is condensed by paragraph groups


@dataclass(frozen=True, slots=True)
class LayoutFrames:
    """A layout's placeholders: the title and the second one (subtitle, body
    or section lead), in points."""

    title: Box
    body: Box | None


@dataclass(frozen=True, slots=True)
class Geometry:
    width: float
    height: float
    layouts: Mapping[str, LayoutFrames]  # by LayoutKey


@dataclass(frozen=True, slots=True)
class PlacedPara:
    """One paragraph as fitted: its text, the lines the fitter expects, its
    size, and how it is set.  ``indent`` and ``gap`` are in points."""

    text: str
    lines: tuple[str, ...]
    kind: TextKind
    size: float
    bullet: bool = False
    indent: float = 0.0
    gap: float = 0.0
    align: Align | None = None  # None: the template's
    color: str | None = None  # a theme colour name (accent1, tx1); None: the template's
    breaks: bool = False  # write ``lines`` with line breaks (balanced titles)


@dataclass(frozen=True, slots=True)
class TextBox:
    slot: Slot
    box: Box
    insets: Insets
    paras: tuple[PlacedPara, ...]
    anchor: Anchor | None = None  # None: the template's

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.paras)


@dataclass(frozen=True, slots=True)
class SlidePlan:
    kind: SlideKind
    layout: LayoutKey
    boxes: tuple[TextBox, ...]
    notes: tuple[str, ...]  # paragraphs, verbatim block texts
    covers: tuple[int, ...]  # indices of outline.blocks the notes hold
    numbered: bool = True
    continued: bool = False

    def box(self, slot: Slot) -> TextBox | None:
        return next((b for b in self.boxes if b.slot == slot), None)


@dataclass(frozen=True, slots=True)
class DeckPlan:
    width: float
    height: float
    slides: tuple[SlidePlan, ...]
    warnings: tuple[Warning, ...] = ()


# ---------------------------------------------------------------------------
# Fonts: one Measure per text kind, Latin characters in the Latin face.



def deck_text(theme: Theme, kind: TextKind) -> DeckText:
    """The theme's settings for one kind of deck text."""
    deck = theme.deck
    match kind:
        case "title":
            return deck.title
        case "heading":
            return deck.heading
        case "subtitle":
            return deck.subtitle
        case "body":
            return deck.body
        case "quote":
            return deck.quote
        case _:
            assert_never(kind)


class TextMeasures:
    """One Measure per text kind, on the real widths of the kind's face, its
    Latin characters on the Latin face's.  The faces come from the fonts
    chooser; one this machine has no file for stops the deck (the fitting
    cannot measure without it), a missing Latin face only warns (Latin text
    is then measured on the kind's own face)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        faces = Faces(theme)
        self._files = faces.require(DECK_ROLES, "the slide deck fits its text on its widths")
        latin = faces.latin("the slide deck measures")
        self.warnings = faces.warnings
        self._latin: FontMetrics | None = metrics_for(latin) if latin else None
        self._cache: dict[tuple[TextKind, float], Advance] = {}
        self._measures: dict[TextKind, Measure] = {}

    def text(self, kind: TextKind) -> DeckText:
        return deck_text(self.theme, kind)

    def sizes(self, kind: TextKind) -> list[float]:
        t = self.text(kind)
        return sizes(t.max_size, t.min_size)

    def measure(self, kind: TextKind) -> Measure:
        found = self._measures.get(kind)
        if found is None:
            found = self._measures[kind] = Measure(lambda size: self._advance(kind, size))
        return found

    def _advance(self, kind: TextKind, size: float) -> Advance:
        key = (kind, size)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        cjk = metrics_for(self._files[f"deck.{kind}"]).advance_fn(size)
        latin = self._latin.advance_fn(size, fallback_em=0.5) if self._latin else cjk
        widths: dict[str, float] = {}

        def advance(ch: str) -> float:
            w = widths.get(ch)
            if w is None:
                w = widths[ch] = latin(ch) if is_latin(ch) else cjk(ch)
            return w

        self._cache[key] = advance
        return advance


# ---------------------------------------------------------------------------
# The planner


def plan_deck(outline: Outline, theme: Theme, geometry: Geometry, note: str | None = None) -> DeckPlan:
    """The whole deck for ``outline``: slides as data with fitted text.

    Bullets take one size over the deck, two at most: planned once with
    the theme's range, then again at the largest size at which most bullet
    slides fit as they are (deck_body_size).  A slide's bullets that do not
    fit at it are set SECOND_SIZE_DROP smaller when that holds them on the
    one slide, else continue on "（续）" slides at the deck's size.
    ``note`` (render.base.truncation_note) ends a truncated text: the
    closing slide shows it under the 落款, if any."""
    first = _Planner(outline, theme, geometry, note=note)
    plan = first.plan()
    size = deck_body_size(first.first_fits)
    if size is None or all(f == size for f in first.first_fits):
        return plan
    second = _Planner(outline, theme, geometry, body_size=size, note=note)
    return second.plan()


def deck_body_size(fits: Sequence[float]) -> float | None:
    """The largest size at which at least half the bullet slides fit."""
    if not fits:
        return None
    ranked = sorted(fits, reverse=True)
    return ranked[(len(ranked) - 1) // 2]


@dataclass(slots=True)
class _Part:
    """A stretch of the outline one or more slides cover: its blocks (index,
    block) in reading order."""

    blocks: list[tuple[int, Block]] = field(default_factory=list)

    def subheadings(self) -> list[tuple[int, Heading]]:
        """The headings one level below the part's own (its first block)."""
        heads = [(i, b) for i, b in self.blocks if isinstance(b, Heading)]
        if not heads:
            return []
        top = heads[0][1].level if self.blocks and self.blocks[0][1] is heads[0][1] else 0
        below = [(i, h) for i, h in heads if h.level > top]
        level = min((h.level for _, h in below), default=0)
        return [(i, h) for i, h in below if h.level == level]

    def paragraphs(self) -> list[tuple[int, str]]:
        out = []
        for i, b in self.blocks:
            match b:
                case Paragraph(role=None):
                    out.append((i, b.text))
                case Paragraph() | Heading() | Salutation():
                    pass
                case _:
                    assert_never(b)
        return out


class _Planner:
    def __init__(self, outline: Outline, theme: Theme, geometry: Geometry, body_size: float | None = None,
                 note: str | None = None) -> None:
        self.outline = outline
        self.note = note
        self.geometry = geometry
        self.fonts = TextMeasures(theme)
        self.warnings: list[Warning] = []
        self.slides: list[SlidePlan] = []
        self.index = {id(b): i for i, b in enumerate(outline.blocks)}
        self.last_para = max((i for i, b in enumerate(outline.blocks) if isinstance(b, Paragraph)), default=-1)
        # Bullets take one size over the whole deck (plan() chooses it).
        self.body_sizes = [body_size] if body_size is not None else self.fonts.sizes("body")
        self.second_size = None if body_size is None else max(body_size - SECOND_SIZE_DROP, self.fonts.text("body").min_size)
        self.first_fits: list[float] = []

    # -- helpers -----------------------------------------------------------

    def frames(self, layout: LayoutKey) -> LayoutFrames:
        return self.geometry.layouts[layout]

    def indexed(self, blocks: Sequence[Block]) -> list[tuple[int, Block]]:
        return [(self.index[id(b)], b) for b in blocks]

    def fit_one(self, text: str, kind: TextKind, box: Box, *, slot: Slot, balanced: bool = True,
                align: Align | None = None, anchor: Anchor | None = None, what: str = "") -> TextBox:
        """A box that must hold ``text`` whole (a title): below the range
        with a warning when it must."""
        # A title is worth a few points to break after punctuation.
        found, shrunk = fit_or_shrink([ParaSpec(text, balanced=balanced)], box, INSETS,
                                      self.fonts.sizes(kind), self.fonts.measure(kind), nice_steps=TITLE_NICE_STEPS)
        if shrunk:
            self.warnings.append(Warning(
                "deck_text_small", f"{what or kind} “{text[:20]}…” is set at {found.size:g} pt, below the theme's "
                f"smallest {kind} size, to fit its box"))
        return TextBox(slot, box, INSETS, _placed([ParaSpec(text, balanced=balanced)], found, kind, align=align), anchor)

    def lines_box(self, texts: Sequence[str], kind: TextKind, box: Box, *, slot: Slot,
                  align: Align | None = None, color: str | None = None, anchor: Anchor | None = None) -> TextBox:
        """Short lines (bylines, 落款) in one box."""
        specs = [ParaSpec(t, gap=0.2 if k else 0.0) for k, t in enumerate(texts)]
        found, shrunk = fit_or_shrink(specs, box, INSETS, self.fonts.sizes(kind), self.fonts.measure(kind))
        if shrunk:
            self.warnings.append(Warning("deck_text_small", f"{kind} lines are set at {found.size:g} pt to fit"))
        return TextBox(slot, box, INSETS, _placed(specs, found, kind, align=align, color=color), anchor)

    def add(self, slide: SlidePlan) -> None:
        self.slides.append(slide)

    # -- the deck ------------------------------------------------------------

    def plan(self) -> DeckPlan:
        tree = section_tree(self.outline)
        closing = [b for b in self.outline.blocks if isinstance(b, Paragraph) and b.role in ("signature", "date")]
        skip = {id(b) for b in closing}
        front = [b for b in tree.front if id(b) not in skip]
        bylines = [b for b in front if isinstance(b, Paragraph) and b.role == "byline"]
        opening = [b for b in front if not (isinstance(b, Paragraph) and b.role == "byline")]
        has_words = any(isinstance(b, Paragraph) for b in opening)

        self.title_slide(bylines, [] if has_words else opening)
        if len(tree.sections) >= 2:
            self.agenda(tree.sections)
        if not tree.sections:
            if has_words:
                self.groups(opening)
        elif has_words:
            self.content(OPENING_TITLE, None, _Part(self.indexed(opening)), kind="opening")
        for section in tree.sections:
            self.section(section, skip)
        self.closing(closing)
        return DeckPlan(self.geometry.width, self.geometry.height, tuple(self.slides),
                        tuple(self.fonts.warnings + self.warnings))

    def title_slide(self, bylines: Sequence[Block], extra_notes: Sequence[Block]) -> None:
        frames = self.frames("title")
        title = self.outline.title.strip()
        boxes = []
        if title:
            boxes.append(self.fit_one(title, "title", frames.title, slot="title", what="the title"))
        meta = self.outline.meta
        lines = [b.text for b in bylines] or [t for t in (meta.subtitle, meta.speaker, meta.date) if t]
        if lines:  # (a template whose closing layout has no body: under the title)
            boxes.append(self.lines_box(lines, "subtitle", frames.body or _below(frames.title, self.geometry), slot="body"))
        blocks = self.indexed([*bylines, *extra_notes])
        notes = ([title] if title else []) + [b.text for _, b in blocks]
        self.add(SlidePlan("title", "title", tuple(boxes), tuple(notes), tuple(i for i, _ in blocks), numbered=False))

    def agenda(self, sections: list[Section]) -> None:
        frames = self.frames("content")
        body = frames.body or _below(frames.title, self.geometry)
        specs = [ParaSpec(s.heading.text, indent=0.0 if match_marker(s.heading.text) else BULLET_INDENT,
                          gap=AGENDA_GAP if k else 0.0) for k, s in enumerate(sections)]
        # The sections' headings in the heading face, no larger than bullets.
        heading, bullets = self.fonts.text("heading"), self.fonts.text("body")
        candidates = sizes(min(heading.max_size, bullets.max_size), min(heading.min_size, bullets.min_size))
        groups = split_fit(specs, body, INSETS, candidates, self.fonts.measure("heading"))
        start = 0
        for n, (group, found) in enumerate(groups):
            title = AGENDA_TITLE + (CONTINUED if n else "")
            paras = _placed(_spread(group, found, body), found, "heading", bullet=bool(group[0].indent))
            heads = [s.heading for s in sections[start : start + len(group)]]
            start += len(group)
            boxes = (self.fit_one(title, "heading", frames.title, slot="title", balanced=False),
                     TextBox("body", body, INSETS, paras, "middle"))
            self.add(SlidePlan("agenda", "content", boxes, tuple(h.text for h in heads),
                               tuple(self.index[id(h)] for h in heads), continued=n > 0))

    def section(self, section: Section, skip: set[int]) -> None:
        """Every level-1 section alike: its divider, then its content."""
        if not section.children:
            body = [b for b in section.body if id(b) not in skip]
            self.divider(section.heading, [])
            if any(isinstance(b, Paragraph) for b in body):
                title, subtitle = _title_parts(section.heading.text)
                self.content(title, subtitle, _Part(self.indexed(body)))
            elif body:  # no words to show: the blocks go to the divider's notes
                last = self.slides.pop()
                blocks = self.indexed([section.heading, *body])
                self.add(replace(last, notes=tuple(b.text for _, b in blocks), covers=tuple(i for i, _ in blocks)))
            return
        lead = [b for b in section.body if id(b) not in skip]
        self.divider(section.heading, lead)
        for child in section.children:
            title, subtitle = _title_parts(child.heading.text)
            self.content(title, subtitle, _Part(self.indexed([b for b in child.all_blocks() if id(b) not in skip])))

    def divider(self, heading: Heading, lead: list[Block]) -> None:
        frames = self.frames("section")
        boxes = [self.fit_one(heading.text, "heading", frames.title, slot="title", what="a section title")]
        part = _Part(self.indexed(lead))
        paras = [t for _, t in part.paragraphs()]
        if paras and frames.body is not None:
            box = self.condensed_lead(paras, frames.body)
            if box is not None:
                boxes.append(box)
        blocks = self.indexed([heading, *lead])
        self.add(SlidePlan("section", "section", tuple(boxes), tuple(b.text for _, b in blocks),
                           tuple(i for i, _ in blocks)))

    def condensed_lead(self, paras: list[str], box: Box) -> TextBox | None:
        """The lead's key sentence, cut to what fits on two lines."""
        measure = self.fonts.measure("subtitle")
        for limit in (60, 48, 40, 32, 24):
            bullets = condense(paras, count=1, max_chars=limit, series=False)
            if not bullets:
                return None
            spec = [ParaSpec(bullets[0].text)]
            found = fit(spec, box, INSETS, self.fonts.sizes("subtitle"), measure)
            if found is not None and found.line_count <= 2:
                return TextBox("body", box, INSETS, _placed(spec, found, "subtitle"), "top")
        return None

    def groups(self, blocks: list[Block]) -> None:
        """No headings: one content slide per group of paragraphs of about
        GROUP_CHARS characters (a paragraph is never split)."""
        groups: list[list[Block]] = [[]]
        size = 0
        for b in blocks:
            if isinstance(b, Paragraph) and size >= GROUP_CHARS * 0.5 and size + len(b.text) > GROUP_CHARS:
                groups.append([])
                size = 0
            groups[-1].append(b)
            size += len(b.text) if isinstance(b, Paragraph) else 0
        used: set[str] = set()
        for n, group in enumerate(g for g in groups if g):
            part = _Part(self.indexed(group))
            paras = [t for _, t in part.paragraphs()]
            # Titled by the opening phrase of its best sentence, distinct from the others'.
            ranked = sorted(condense(paras), key=lambda b: -b.score) if paras else []
            phrases = (lead_phrase(b.text) for b in ranked)
            title = next((p for p in phrases if p and p not in used), None) or f"要点{_chinese(n + 1)}"
            used.add(title)
            self.content(title, None, part)

    def content(self, title: str, subtitle: str | None, part: _Part, *, kind: SlideKind = "content") -> None:
        frames = self.frames("content")
        area = frames.body or _below(frames.title, self.geometry)
        top, bottom = area.y, area.bottom
        title_box = self.fit_one(title, "heading", frames.title, slot="title", what="a slide title")
        first: list[TextBox] = [title_box]
        if subtitle:
            sub = self.stacked(subtitle, "subtitle", Box(area.x, top, area.w, area.h * SUBTITLE_SHARE), "accent1",
                               largest=self.fonts.text("heading").min_size)
            if sub is not None:
                first.append(sub)
                top = sub.box.bottom + STACK_GAP / 2
        paras = part.paragraphs()
        texts = [t for _, t in paras]
        room = Box(area.x, top, area.w, (bottom - top) * CALLOUT_SHARE)
        quote, callout = None, None
        for q in quotations(texts):
            callout = self.callout(q.quote, q.speaker, room)
            if callout is not None:
                quote = q
                break
        # With a callout on the slide, four bullets at most: the slide stays readable.
        count = min(bullet_count(sum(map(len, texts))), 4) if quote else None
        items = self.bullets(part, texts, paras, count, quote)
        groups = self.fit_bullets(items, area, top, bottom - (callout.box.h + STACK_GAP if callout else 0.0))
        if callout is not None and quote is not None and groups and callout.paras[0].size > groups[0][1].size:
            # A quotation never outshouts the bullets: set it at their size
            # at most, and give the bullets the room that frees.
            smaller = self.callout(quote.quote, quote.speaker, room, largest=groups[0][1].size)
            if smaller is not None:
                callout = smaller
                groups = self.fit_bullets(items, area, top, bottom - callout.box.h - STACK_GAP)
        if callout is not None:
            callout = TextBox("callout", Box(area.x, bottom - callout.box.h, area.w, callout.box.h),
                              callout.insets, callout.paras, "middle")
            first.append(callout)
            bottom = callout.box.y - STACK_GAP
        body = Box(area.x, top, area.w, bottom - top)
        notes = _split_notes(part, [i for _, i, _ in items], [len(g) for g, _ in groups])
        if not groups:
            self.add(SlidePlan(kind, "content", tuple(first), *notes[0]))
            return
        for n, (group, found) in enumerate(groups):
            paras_placed = _placed(_spread(group, found, body), found, "body", bullet=True)
            boxes = list(first) if n == 0 else [
                self.fit_one(title + CONTINUED, "heading", frames.title, slot="title", what="a slide title")]
            boxes.append(TextBox("body", body, INSETS, paras_placed, "top"))
            self.add(SlidePlan(kind, "content", tuple(boxes), *notes[n], continued=n > 0))

    def fit_bullets(self, items: list[tuple[str, int, int]], area: Box, top: float,
                    bottom: float) -> list[tuple[list[ParaSpec], Fit]]:
        """Bullets in runs of at most MAX_BULLETS, each fitted to the body
        box between ``top`` and ``bottom`` (split further when it must)."""
        body = Box(area.x, top, area.w, bottom - top)
        measure = self.fonts.measure("body")
        specs = [ParaSpec(text, indent=BULLET_INDENT, gap=BULLET_GAP if k else 0.0) for k, (text, _, _) in enumerate(items)]
        if len(self.body_sizes) > 1:
            # The first pass: runs of at most MAX_BULLETS, each at the largest size that fits.
            groups: list[tuple[list[ParaSpec], Fit]] = []
            for chunk in _chunks(specs, MAX_BULLETS):
                found = split_fit(_restart(chunk), body, INSETS, self.body_sizes, measure)
                self.first_fits += [f.size for _, f in found]
                groups += found
            return groups
        # At the deck's one size: as few slides as hold the bullets (each at
        # most MAX_BULLETS), breaking between parallel series rather than
        # inside one, as even as can be.
        out: list[tuple[list[ParaSpec], Fit]] = []
        whole = fit(specs, body, INSETS, self.body_sizes, measure) if len(specs) <= MAX_BULLETS else None
        if whole is not None:
            return [(specs, whole)]
        if len(specs) <= MAX_BULLETS and self.second_size is not None:
            # Two slides at the deck's size, or one at its second size.
            smaller = fit(specs, body, INSETS, [self.second_size], measure)
            if smaller is not None:
                return [(specs, smaller)]
        packed = _pack(specs, [k for _, _, k in items], lambda group: fit(group, body, INSETS, self.body_sizes, measure))
        if packed is not None:
            return packed
        groups_ = split_fit(specs, body, INSETS, self.body_sizes, measure)
        for group, _ in groups_:
            for chunk in _chunks(group, MAX_BULLETS):
                whole = fit(_restart(chunk), body, INSETS, self.body_sizes, measure)
                if whole is not None:
                    out.append((_restart(chunk), whole))
                else:
                    out += split_fit(_restart(chunk), body, INSETS, self.body_sizes, measure)
        return out

    def bullets(self, part: _Part, texts: list[str], paras: list[tuple[int, str]], count: int | None,
                quote: Quotation | None) -> list[tuple[str, int, int]]:
        """(text, block index, series or -1) of each bullet: the subsection's own
        subheadings when it has two or more (its structure is its summary),
        else its key sentences."""
        heads = part.subheadings()
        out: list[tuple[str, int, int]] = []
        if len(heads) >= 2:
            for i, heading in heads:
                words = strip_marker(heading.text)
                a, b = shorten(words, 0, len(words), MAX_BULLET_CHARS)
                out.append((words[a:b] if b > a else words, i, -1))  # a heading too long to shorten: whole
            return out
        offset = series = 0
        for group in _paragraph_groups(texts):
            found = condense(group, count=count, exclude=[_shift(quote.sentence, -offset)] if quote else [],
                             unfinished=self.outline.truncated and paras[offset + len(group) - 1][0] == self.last_para)
            out += [(b.text, paras[offset + b.span.para][0], series + b.series if b.series >= 0 else -1) for b in found]
            series += 1 + max((b.series for b in found), default=0)
            offset += len(group)
        return out

    def stacked(self, text: str, kind: TextKind, room: Box, color: str | None, largest: float) -> TextBox | None:
        """A box as tall as ``text`` needs at the top of ``room``, its size
        no larger than ``largest`` (a subtitle stays below its title)."""
        spec = [ParaSpec(text)]
        t = self.fonts.text(kind)
        candidates = sizes(min(t.max_size, max(largest, t.min_size)), t.min_size)
        found, _ = fit_or_shrink(spec, room, INSETS, candidates, self.fonts.measure(kind))
        h = min(room.h, box_height_for(found.height, INSETS))
        return TextBox("text", Box(room.x, room.y, room.w, h), INSETS, _placed(spec, found, kind, color=color), "top")

    def callout(self, quote: str, speaker: str, room: Box, largest: float | None = None) -> TextBox | None:
        """The quotation and its attribution in a box as tall as they need,
        or None when they do not fit ``room`` at the smallest quote size."""
        specs = [ParaSpec(quote), ParaSpec(ATTRIBUTION_DASH + speaker, gap=0.15)]
        t = self.fonts.text("quote")
        candidates = sizes(min(t.max_size, max(largest or t.max_size, t.min_size)), t.min_size)
        found = fit(specs, room, CALLOUT_INSETS, candidates, self.fonts.measure("quote"))
        if found is None:
            return None
        placed = _placed(specs, found, "quote", color="tx1")
        placed = (placed[0], _restyle(placed[1], align="right", color="accent1"))
        h = box_height_for(found.height, CALLOUT_INSETS)
        return TextBox("callout", Box(room.x, room.y, room.w, h), CALLOUT_INSETS, placed, "middle")

    def closing(self, closing: list[Paragraph]) -> None:
        frames = self.frames("closing")
        boxes = [self.fit_one(CLOSING_WORDS, "title", frames.title, slot="title", balanced=False)]
        lines = [b.text for b in closing] + ([self.note] if self.note else [])
        if lines:  # (a template whose closing layout has no body: under the title)
            boxes.append(self.lines_box(lines, "subtitle", frames.body or _below(frames.title, self.geometry), slot="body"))
        blocks = self.indexed(closing)
        self.add(SlidePlan("closing", "closing", tuple(boxes), tuple(b.text for _, b in blocks),
                           tuple(i for i, _ in blocks)))


# ---------------------------------------------------------------------------


def _placed(specs: Sequence[ParaSpec], found: Fit, kind: TextKind, *, align: Align | None = None,
            color: str | None = None, bullet: bool = False) -> tuple[PlacedPara, ...]:
    return tuple(
        PlacedPara(s.text, lines, kind, found.size, bullet=bullet, indent=s.indent * found.size,
                   gap=s.gap * found.size, align=align, color=color, breaks=s.balanced and len(lines) > 1)
        for s, lines in zip(specs, found.lines)
    )


def _spread(specs: list[ParaSpec], found: Fit, box: Box) -> list[ParaSpec]:
    """Bullets with room to spare get more space between them (up to
    MAX_BULLET_GAP ems), using half the spare height, so a short list does
    not huddle at the top of an empty box."""
    if len(specs) < 2:
        return specs
    spare = usable_height(box.h, INSETS) - found.height
    extra = min(spare / 2 / (len(specs) - 1) / found.size, MAX_BULLET_GAP - BULLET_GAP)
    if extra <= 0:
        return specs
    return [s if k == 0 else replace(s, gap=s.gap + extra) for k, s in enumerate(specs)]


def _restyle(p: PlacedPara, *, align: Align | None, color: str | None) -> PlacedPara:
    return PlacedPara(p.text, p.lines, p.kind, p.size, p.bullet, p.indent, p.gap, align, color, p.breaks)


def _below(title: Box, geometry: Geometry) -> Box:
    """A body area for a layout without a body placeholder."""
    y = title.bottom + STACK_GAP
    return Box(title.x, y, title.w, geometry.height * 0.9 - y)


def _title_parts(heading: str) -> tuple[str, str | None]:
    """Title and subtitle of a heading: split at its first ：, or for a long
    heading without one at its first ， when what precedes it can stand as
    a title (校准政治定盘星，铸就作风之魂，… -> 校准政治定盘星)."""
    title, subtitle = split_title(heading)
    if subtitle is None and len(title) > TITLE_SPLIT_LENGTH:
        head, sep, rest = title.partition("，")
        if sep and 4 <= len(head) <= 16 and rest:
            return head, rest
    return title, subtitle


def _paragraph_groups(texts: list[str]) -> list[list[str]]:
    """A long part's paragraphs in groups of about GROUP_CHARS characters
    (a paragraph is never split, nor a parallel series: its paragraphs stay
    in one group), each condensed on its own so a long section without
    subsections gets the key points of all its paragraphs."""
    if sum(map(len, texts)) <= LONG_PART_CHARS:
        return [texts] if texts else []
    together = {s.para for series in find_series(texts) for s in series[1:]}
    groups: list[list[str]] = [[]]
    size = 0
    for k, t in enumerate(texts):
        if groups[-1] and k not in together and size >= GROUP_CHARS * 0.5 and size + len(t) > GROUP_CHARS:
            groups.append([])
            size = 0
        groups[-1].append(t)
        size += len(t)
    return groups


def _shift(span: Span, by: int) -> Span:
    return Span(span.para + by, span.start, span.end, span.text)


def _split_notes(part: _Part, firsts: list[int], group_sizes: list[int]) -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
    """Notes for each slide of a part: the blocks from the block of the
    slide's first bullet (``firsts``: each bullet's block index) up to the
    next slide's (all of them with one slide), so a continued slide's notes
    go on where the previous one stopped."""
    blocks = part.blocks
    if len(group_sizes) <= 1:
        return [(tuple(b.text for _, b in blocks), tuple(i for i, _ in blocks))]
    starts = [0]
    k = 0
    for size in group_sizes[:-1]:
        k += size
        block_index = firsts[min(k, len(firsts) - 1)]
        if k and firsts[k - 1] == block_index:
            block_index += 1  # a paragraph whose bullets go on: its notes stay with its first slide
        pos = next((n for n, (i, _) in enumerate(blocks) if i >= block_index), len(blocks))
        starts.append(max(pos, starts[-1]))
    starts.append(len(blocks))
    return [
        (tuple(b.text for _, b in blocks[a:z]), tuple(i for i, _ in blocks[a:z]))
        for a, z in itertools.pairwise(starts)
    ]


SLIDE_COST = 1000.0  # packing bullets: a slide more costs more than anything below
SERIES_CUT_COST = 10.0  # a parallel series broken over two slides
THIN_COST = {1: 20.0, 2: 4.0}  # a slide of one or two bullets


def _pack(specs: list[ParaSpec], series: list[int],
          fits: Callable[[list[ParaSpec]], Fit | None]) -> list[tuple[list[ParaSpec], Fit]] | None:
    """Bullets over as few slides as hold them (at most MAX_BULLETS a slide),
    breaking between parallel series (``series``: each bullet's, -1 for
    none) rather than inside one, and leaving no slide thin where another
    split avoids it; None when some bullet fits no slide on its own."""
    n = len(specs)
    inf = float("inf")
    best = [0.0] + [inf] * n
    back = [0] * (n + 1)
    found: dict[tuple[int, int], Fit] = {}
    for j in range(1, n + 1):
        for i in range(max(0, j - MAX_BULLETS), j):
            if best[i] == inf:
                continue
            got = fits(_restart(specs[i:j]))
            if got is None:
                continue
            found[(i, j)] = got
            cost = best[i] + SLIDE_COST + THIN_COST.get(j - i, 0.0)
            if j < n and series[j - 1] >= 0 and series[j - 1] == series[j]:
                cost += SERIES_CUT_COST
            if cost < best[j]:
                best[j], back[j] = cost, i
    if best[n] == inf:
        return None
    cuts, j = [], n
    while j:
        cuts.append((back[j], j))
        j = back[j]
    return [(_restart(specs[i:j]), found[(i, j)]) for i, j in reversed(cuts)]


def _restart(specs: list[ParaSpec]) -> list[ParaSpec]:
    """Bullets opening a box: no space before the first."""
    return [replace(p, gap=0.0) if k == 0 else p for k, p in enumerate(specs)]


def _chunks(items: list[T], most: int) -> list[list[T]]:
    """``items`` in as few even runs of at most ``most`` as can be."""
    if not items:
        return []
    count = -(-len(items) // most)
    per = -(-len(items) // count)
    return [items[k : k + per] for k in range(0, len(items), per)]


def _chinese(n: int) -> str:
    """一 … 九十九 for 1-99, Arabic digits beyond (要点100: a slide title)."""
    digits = "零一二三四五六七八九"
    if not 0 <= n < 100:
        return str(n)
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
