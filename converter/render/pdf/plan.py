"""Plan a PDF: pages of placed lines, as pure data (no reportlab here).

The planner sets every block of the outline on the theme's line grid with the
line breaker (converter/linebreak.py) on the fonts' real advance widths, and
decides page breaks (a heading stays with the first line after it).  The
emitter (emit.py) only draws what the plan says, so the plan can be tested
without reportlab.

Which file draws each role and each character is the fonts chooser's
decision (converter/fonts/choose.py); a face this machine has no file for
stops the plan with a MissingFontError naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, assert_never

from ...fonts import PDF_ROLES, Faces, metrics_for
from ...linebreak import ADJACENT_MARKS, HANGING_MARKS, Line, break_lines
from ...model import Block, Heading, Outline, Paragraph, Salutation, Warning
from ...theme import Font, Role, Theme
from ..layout import FlowBlock, balance_lines, is_latin, page_starts, running_header, signature_indents

# Where the baseline sits in a CJK em box, from its top (ideographic em box:
# ascender 0.88 em, descender 0.12 em in the bundled faces).
EM_BOX_ASCENT = 0.88
# Distance from the type area's top edge up to a running header's rule.
HEADER_RULE_GAP = 4 * 72 / 25.4


@dataclass(frozen=True, slots=True)
class Run:
    """Characters drawn with one font: start x (pt from the page's left edge),
    the text, and the spacing to add after each character but the last."""

    font: Path
    size: float
    x: float
    text: str
    char_space: float


@dataclass(frozen=True, slots=True)
class PlacedLine:
    baseline: float  # pt from the page's bottom edge
    runs: tuple[Run, ...]
    text: str
    left: float  # x of the first character
    right: float  # x where the line's last advance ends
    justified: bool


@dataclass(frozen=True, slots=True)
class Bookmark:
    title: str
    level: int  # heading level, 1-based
    top: float  # pt from the page's bottom edge


@dataclass(slots=True)
class PagePlan:
    number: int
    lines: list[PlacedLine] = field(default_factory=list)
    bookmarks: list[Bookmark] = field(default_factory=list)
    # Page number and running header: outside the body, not part of its text.
    furniture: list[PlacedLine] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # x0, x1, y


@dataclass(slots=True)
class PdfPlan:
    width: float
    height: float
    pages: list[PagePlan]
    warnings: list[Warning]
    fonts: set[Path]


def _role_for(block: Block, theme: Theme) -> tuple[str, Role]:
    match block:
        case Heading(level=level):
            return f"heading{min(level, 4)}", theme.heading(level)
        case Paragraph(role="byline"):
            return "byline", theme.byline
        case Paragraph(role="signature") | Paragraph(role="date"):
            return "signature", theme.signature
        case Paragraph():
            return "body", theme.body
        case Salutation():
            return "salutation", theme.salutation
        case _:
            assert_never(block)


_ASCII = re.compile(r"[\x00-\x7f]")
# Character -> (advance with letter spacing, font file, glyph width), per
# face, size and spacing.
_Measured = dict[str, tuple[float, Path, float]]


class _Setter:
    """Turns text of one role into placed lines (without their baselines)."""

    def __init__(self, theme: Theme, faces: Faces, files: dict[str, Path]) -> None:
        self.theme = theme
        self.faces = faces
        self.files = files  # role -> the file that draws its face
        self.used: set[Path] = set()
        self.left_edge = theme.page.margin_left
        self.type_width = theme.page.type_width
        # (face, size, letter spacing) -> character -> (advance, font file, glyph width)
        self._measured: dict[tuple[Path, float, float], _Measured] = {}
        self.furniture: dict[tuple[object, ...], PlacedLine] = {}  # page furniture already set

    def advance_fn(self, role: Role, primary: Path, where: str) -> tuple[Callable[[str], float], Callable[[str], Path], _Measured]:
        """The advance (glyph plus the role's letter spacing) and the font file
        of each character, for the role's face and size.  Measured once per
        character per plan: the first paragraph of a role measures most of
        what the rest use."""
        size = role.font.size
        spacing = self.theme.char_spacing(role)
        key = (primary, size, spacing)
        cache = self._measured.get(key)
        if cache is None:
            cache = self._measured[key] = {}
        faces = self.faces

        def lookup(ch: str) -> tuple[float, Path, float]:
            path = faces.glyph_file(ch, primary, where, latin=is_latin(ch))
            em = metrics_for(path).advance_em(ch)
            glyph = (em if em is not None else 1.0) * size
            hit = cache[ch] = (glyph + spacing, path, glyph)
            return hit

        def advance(ch: str) -> float:
            hit = cache.get(ch)
            return (hit or lookup(ch))[0]

        def font_of(ch: str) -> Path:
            hit = cache.get(ch)
            return (hit or lookup(ch))[1]

        return advance, font_of, cache

    def set_text(
        self, text: str, role: Role, name: str, where: str, *, right_chars: float | None = None, balanced: bool = False
    ) -> list[tuple[Line, float, tuple[Run, ...]]]:
        """Lines of ``text`` set as ``role`` (the theme's role ``name``), as
        (line, x of its start, its runs)."""
        char = self.theme.char_width
        primary = self.files[name]
        advance, font_of, measured = self.advance_fn(role, primary, where)
        left = role.left * char
        right = (role.right if right_chars is None else right_chars) * char
        measure = self.type_width - left - right
        indent = role.indent * char
        if balanced:
            capacity = measure / role.font.size
            lines = [break_lines(part, advance, measure * 10)[0] for part in balance_lines(text, capacity)]
        else:
            justify = role.align in ("left", "justify")
            lines = break_lines(
                text, advance, measure, first_indent=indent if indent > 0 else 0.0,
                hanging=HANGING_MARKS if justify and self.theme.grid.hanging_punctuation else "",
            )
            if not justify:
                lines = [break_lines(l.text, advance, measure * 10)[0] for l in lines]
        out = []
        for i, line in enumerate(lines):
            start = self.left_edge + left + (indent if i == 0 and indent > 0 and not balanced else 0.0)
            if role.align == "center" or balanced:
                start = self.left_edge + left + (measure - line.width) / 2
            elif role.align == "right":
                start = self.left_edge + left + measure - line.width
            out.append((line, start, self._runs(line, start, font_of, measured, role.font.size)))
        return out

    def _runs(self, line: Line, start: float, font_of: Callable[[str], Path], measured: _Measured, size: float) -> tuple[Run, ...]:
        """Cut a line into runs of one font; a run's spacing is its (uniform)
        gap minus the glyphs' own advances."""
        runs: list[Run] = []
        i = 0
        text = line.text
        fonts = list(map(font_of, text))
        squeezed = ADJACENT_MARKS.search(text) is not None
        if len(text) > 1 and fonts.count(fonts[0]) == len(fonts) and not _ASCII.search(text) and not squeezed:
            # The common line: one font, all gaps alike.
            glyphs = sum([measured[c][2] for c in text[:-1]])
            space = (line.xs[-1] - line.xs[0] - glyphs) / (len(text) - 1)
            self.used.add(fonts[0])
            return (Run(fonts[0], size, start + line.xs[0], text, space),)
        # Gaps differ (inside a Latin word, at adjacent punctuation set
        # closer, clreq 3.1.4): a run goes on while its gaps stay alike.
        xs = line.xs
        gaps = [xs[k + 1] - xs[k] - measured[text[k]][2] for k in range(len(text) - 1)]
        while i < len(text):
            path = font_of(text[i])
            j = i + 1
            while j < len(text) and font_of(text[j]) is path and (j - i < 2 or abs(gaps[j - 1] - gaps[i]) < 1e-6):
                j += 1
            chunk = text[i:j]
            if len(chunk) > 1:
                glyphs = sum(measured[c][2] for c in chunk[:-1])
                space = (line.xs[j - 1] - line.xs[i] - glyphs) / (len(chunk) - 1)
            else:
                space = 0.0
            runs.append(Run(path, size, start + line.xs[i], chunk, space))
            self.used.add(path)
            i = j
        return tuple(runs)


def plan_pdf(outline: Outline, theme: Theme, note: str | None = None) -> PdfPlan:
    """The pages of ``outline``; ``note`` (render.base.truncation_note) ends
    a truncated text, on the page of the text's last lines."""
    faces = Faces(theme)
    roles = PDF_ROLES + (("header",) if theme.header.text else ())
    files = faces.require(roles, "the PDF draws with it")
    faces.latin("the PDF draws")
    setter = _Setter(theme, faces, files)
    page_h = theme.page.height
    pitch = theme.grid.line_pitch
    capacity = theme.grid.lines_per_page
    top = page_h - theme.page.margin_top

    # Each item: a block's lines, its role, and the heading it bookmarks.
    placed_items: list[tuple[list[tuple[Line, float, tuple[Run, ...]]], Role, Heading | None]] = []

    closing: set[int] = set()  # indices of the 落款's items

    def add(lines: list[tuple[Line, float, tuple[Run, ...]]], role: Role, heading: Heading | None = None) -> None:
        placed_items.append((lines, role, heading))

    blocks = list(outline.blocks)
    bylines = 0
    while bylines < len(blocks) and isinstance(blocks[bylines], Paragraph) and blocks[bylines].role == "byline":  # type: ignore[union-attr]
        bylines += 1
    if outline.title:
        # The blank line under the title goes below the bylines when there are some.
        title_role = replace(theme.title, space_after=0.0) if bylines else theme.title
        add(setter.set_text(outline.title, theme.title, "title", "the title", balanced=True), title_role)
    k = 0
    while k < len(blocks):
        block = blocks[k]
        name, role = _role_for(block, theme)
        where = f"“{block.text[:12]}…”" if len(block.text) > 12 else f"“{block.text}”"
        if isinstance(block, Paragraph) and block.role in ("signature", "date"):
            # 落款: the date 右空四字, the signature centred over it.
            group = [block]
            while k + 1 < len(blocks) and isinstance(nxt := blocks[k + 1], Paragraph) and nxt.role in ("signature", "date"):
                k += 1
                group.append(blocks[k])  # type: ignore[arg-type]
            sig = next((b.text for b in group if b.role == "signature"), "")
            date = next((b.text for b in group if b.role == "date"), "")
            sig_right, date_right = signature_indents(sig, date, role.right) if sig and date else (role.right, role.right)
            for i, b in enumerate(group):
                right = date_right if b.role == "date" else sig_right
                closing.add(len(placed_items))
                add(setter.set_text(b.text, role, name, where, right_chars=right), role if i == 0 else _no_space_before(role))
            k += 1
            continue
        if k == bylines - 1 and outline.title:
            role = replace(role, space_after=theme.title.space_after)
        add(setter.set_text(block.text, role, name, where), role, block if isinstance(block, Heading) else None)
        k += 1
    if note:
        closing.add(len(placed_items))  # like the 落款, it never starts a page
        note_role = theme.truncation_note.role
        add(setter.set_text(note, note_role, "truncation_note", "the truncation note"), note_role)

    # Page breaking on the grid (layout.page_starts: no stranded heading,
    # widow, orphan, 落款 or short last page).
    flow = [
        FlowBlock(
            rows=(max(1, round((role.line_pitch or pitch) / pitch)),) * len(lines),
            before=int(round(role.space_before)), after=int(round(role.space_after)),
            keep=role.keep_with_next and index + 1 < len(placed_items), closing=index in closing,
        )
        for index, (lines, role, _) in enumerate(placed_items)
    ]
    starts = set(page_starts(flow, capacity))
    pages: list[PagePlan] = [PagePlan(1)]
    row = 0
    number = 0  # the line's index among all lines
    for lines, role, heading in placed_items:
        for n, (line, x, runs) in enumerate(lines):
            if number in starts and number:
                pages.append(PagePlan(len(pages) + 1))
                row = 0
            elif n == 0 and row > 0:
                row += int(round(role.space_before))
            number += 1
            line_top = top - row * pitch
            size = role.font.size
            role_pitch = role.line_pitch or pitch
            baseline = line_top - (role_pitch - size) / 2 - EM_BOX_ASCENT * size
            if n == 0 and heading is not None:
                pages[-1].bookmarks.append(Bookmark(heading.text, heading.level, line_top))
            pages[-1].lines.append(
                PlacedLine(baseline, runs, line.text, x, x + line.width, line.justified)
            )
            row += max(1, round(role_pitch / pitch))
        row += int(round(role.space_after))
    for page in pages:
        _add_furniture(page, outline, theme, setter)
    return PdfPlan(theme.page.width, page_h, pages, faces.warnings, setter.used)


def _furniture_line(text: str, name: str, font: Font, align: str, x_left: float, width: float, baseline: float,
                    setter: _Setter) -> PlacedLine:
    # The running header is the same on every page: set it once.
    key = (text, name, font, align, x_left, width, baseline)
    placed = setter.furniture.get(key)
    if placed is None:
        placed = setter.furniture[key] = _set_furniture_line(text, name, font, align, x_left, width, baseline, setter)
    return placed


def _set_furniture_line(text: str, name: str, font: Font, align: str, x_left: float, width: float, baseline: float,
                        setter: _Setter) -> PlacedLine:
    role = Role(font, align="left", char_spacing=0.0)  # type: ignore[arg-type]
    lines = setter.set_text(text, role, name, "the page furniture")
    while len(lines) > 1 and len(text) > 1:
        # A running header longer than the line is shortened, not wrapped.
        text = text[: max(1, len(text) - len(lines[-1][0].text) - 1)].rstrip("，、：；") + "…"
        lines = setter.set_text(text, role, name, "the page furniture")
    (line, _, runs), *_ = lines
    if align == "center":
        x = x_left + (width - line.width) / 2
    elif align == "right":
        x = x_left + width - line.width
    else:
        x = x_left
    shifted = tuple(replace(r, x=r.x - runs[0].x + x) for r in runs)
    return PlacedLine(baseline, shifted, line.text, x, x + line.width, False)


def _add_furniture(page: PagePlan, outline: Outline, theme: Theme, setter: _Setter) -> None:
    pn = theme.page_number
    text = pn.format.replace("{page}", str(page.number))
    inset = pn.inset * theme.char_width
    left = theme.page.margin_left
    width = theme.page.type_width
    baseline = theme.page.margin_bottom - pn.below_type_area - 0.45 * pn.font.size
    if pn.position == "outside":
        align = "right" if page.number % 2 else "left"
    else:
        align = pn.position
    x_left, span = left + inset, width - 2 * inset
    page.furniture.append(_furniture_line(text, "page_number", pn.font, align, x_left, span, baseline, setter))
    header = theme.header
    if header.text and page.number > 1:
        # Not on page 1, which opens with the title itself; fitted to one line
        # as the .docx fits it (layout.running_header).
        head_text = running_header(header.text.replace("{title}", outline.title),
                                   theme.page.type_width // header.font.size)
        if head_text.strip():
            # The header sits in the top margin, its rule 4 mm above the type area.
            rule_y = theme.page.height - theme.page.margin_top + HEADER_RULE_GAP
            head_base = rule_y + 0.35 * header.font.size
            page.furniture.append(_furniture_line(head_text, "header", header.font, header.align, left, width, head_base, setter))
            if header.rule:
                page.rules.append((left, left + width, rule_y))


def _no_space_before(role: Role) -> Role:
    return replace(role, space_before=0.0)

