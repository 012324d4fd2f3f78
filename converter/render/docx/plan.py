"""Plan a .docx: the outline as paragraphs that name their style, as pure
data (no python-docx here, so the plan can be tested alone).

``plan_document`` turns the outline into paragraphs that name their style
(a theme role, or "date") and carry their text already cut into lines (a
long title is balanced) and the few direct overrides the layout needs (落款
indents, the gap under the title group).  With ``toc`` it also plans 目录:
the entries and their estimated pages (see the table of contents below).
The emitter (emit.py) writes what the plan says.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import assert_never

from ...model import Heading, Outline, Paragraph, Salutation, Warning
from ...theme import Role, Theme
from ..layout import (
    MIN_LAST_PAGE,
    balance_lines,
    count_lines,
    paginate,
    paginate_lines,
    running_header,
    signature_indents,
)


@dataclass(frozen=True, slots=True)
class ParaPlan:
    """One paragraph: its style key (a theme role, or "date"), its text as
    lines joined by manual line breaks, and direct overrides (None: the
    style's own value).  Indents in characters, spacing in lines."""

    style: str
    lines: tuple[str, ...]
    right: float | None = None
    space_before: float | None = None
    space_after: float | None = None
    heading_level: int | None = None  # the outline's level (before capping at 4)
    page_break_before: bool = False
    keep_next: bool = False  # direct w:keepNext (the 落款 and the lines before it; the end of the text)
    keep_lines: bool = False  # direct w:keepLines (a short last paragraph)

    @property
    def text(self) -> str:
        return "".join(self.lines)


@dataclass(frozen=True, slots=True)
class TocEntry:
    level: int  # 1-4
    text: str
    page: int  # estimated (see _plan_toc)


@dataclass(frozen=True, slots=True)
class DocPlan:
    paragraphs: tuple[ParaPlan, ...]
    title: str
    author: str
    subject: str
    header_text: str
    warnings: tuple[Warning, ...] = ()
    toc: tuple[TocEntry, ...] = ()
    toc_at: int = 0  # the table of contents goes before paragraphs[toc_at]


def title_capacity(theme: Theme) -> float:
    """How many title characters fit on a line, in ems."""
    role = theme.title
    width = theme.page.type_width - (role.left + role.right) * theme.char_width
    return width // (role.font.size + theme.char_spacing(role))


def header_capacity(theme: Theme) -> float:
    return theme.page.type_width // theme.header.font.size


def plan_document(outline: Outline, theme: Theme, *, toc: bool = False, note: str | None = None) -> DocPlan:
    """The document's paragraphs; ``note`` (render.base.truncation_note)
    ends a truncated text."""
    paras: list[ParaPlan] = []
    warnings: list[Warning] = []
    if outline.title.strip():
        paras.append(ParaPlan("title", tuple(balance_lines(outline.title, title_capacity(theme)))))
    for block in outline.blocks:
        match block:
            case Heading(level=level, text=text, run_in=run_in):
                paras.append(ParaPlan(f"heading{min(level, 4)}", (text,), heading_level=level))
                if run_in:
                    warnings.append(
                        Warning("docx_run_in_heading", f"run-in heading set on its own line: {text[:20]}")
                    )
            case Paragraph(text=text, role=role):
                paras.append(ParaPlan("body" if role is None else role, (text,)))
            case Salutation(text=text):
                paras.append(ParaPlan("salutation", (text,)))
            case _:
                assert_never(block)
    if note:
        paras.append(ParaPlan(NOTE_STYLE, (note,)))
    paras = _place_title_gap(paras, theme)
    paras = _place_closing(paras, theme)
    paras = _keep_the_end(paras, theme)
    plan = DocPlan(
        paragraphs=tuple(paras),
        title=outline.title,
        author=outline.meta.speaker or "",
        subject=outline.meta.subtitle or "",
        header_text=running_header(theme.header.text.replace("{title}", outline.title), header_capacity(theme)),
        warnings=tuple(warnings),
    )
    if not toc:
        return plan
    if not any(p.heading_level for p in paras):
        return replace(plan, warnings=plan.warnings + (Warning("docx_toc_empty", "no headings: no table of contents"),))
    return _plan_toc(plan, theme)


# ---------------------------------------------------------------------------
# The table of contents.  LibreOffice shows a TOC field's stored result and
# never updates it, so the page numbers are estimated here from the grid
# (every line on the theme's pitch, characters on its advance) and the
# field is marked dirty for Word to refresh on opening.

TOC_TITLE = "目录"


def _role_of(theme: Theme, key: str) -> Role:
    return theme.signature if key == "date" else theme.roles[key]


def _para_lines(theme: Theme, para: ParaPlan) -> int:
    role = _role_of(theme, para.style)
    cw = theme.char_width
    advance = role.font.size + theme.char_spacing(role)
    right = role.right if para.right is None else para.right
    rest = (theme.page.type_width - (role.left + right) * cw) / advance
    first = rest - role.indent * cw / advance
    hanging = role.align != "justify"
    return sum(count_lines(line, first, rest, hanging=hanging) for line in para.lines)


def _block(theme: Theme, para: ParaPlan) -> tuple[int, float, float, float, bool, bool]:
    role = _role_of(theme, para.style)
    grid = theme.grid.line_pitch
    before = role.space_before if para.space_before is None else para.space_before
    if para.style == "date" and para.space_before is None:
        before = 0.0
    after = role.space_after if para.space_after is None else para.space_after
    return (_para_lines(theme, para), theme.line_pitch(role), before * grid, after * grid,
            role.keep_with_next or para.keep_next, para.page_break_before)


def _toc_entry_lines(theme: Theme, level: int, text: str) -> int:
    advance = theme.body.font.size + theme.char_spacing(theme.body)
    cap = theme.page.type_width / advance - toc_indent(level)
    return count_lines(text + "……99", cap, cap - 2)


def toc_indent(level: int) -> float:
    """Left indent of a TOC entry, in characters."""
    return 2.0 * (level - 1)


def _plan_toc(plan: DocPlan, theme: Theme) -> DocPlan:
    paras = list(plan.paragraphs)
    at = 0
    while at < len(paras) and paras[at].style in ("title", "byline"):
        at += 1
    if at < len(paras):
        paras[at] = replace(paras[at], page_break_before=True)
    headings = [(i, min(p.heading_level or 1, 4), p.text) for i, p in enumerate(paras) if p.heading_level]
    grid = theme.grid.line_pitch
    blocks = [_block(theme, p) for p in paras[:at]]
    blocks.append((1, grid, 0.0, grid, True, False))  # 目录
    blocks += [(_toc_entry_lines(theme, lvl, text), grid, 0.0, 0.0, False, False) for _, lvl, text in headings]
    toc_blocks = len(blocks)
    blocks += [_block(theme, p) for p in paras[at:]]
    pages = paginate(blocks, theme.page.type_height)
    entries = tuple(TocEntry(lvl, text, pages[toc_blocks + i - at]) for i, lvl, text in headings)
    return replace(plan, paragraphs=tuple(paras), toc=entries, toc_at=at)


def _replace(p: ParaPlan, **changes: object) -> ParaPlan:
    return replace(p, **changes)  # type: ignore[arg-type]


def _place_title_gap(paras: list[ParaPlan], theme: Theme) -> list[ParaPlan]:
    """Byline lines directly under the title stay with it: the title's
    space_after moves below the last of them."""
    if len(paras) < 2 or paras[0].style != "title" or paras[1].style != "byline":
        return paras
    last = 1
    while last + 1 < len(paras) and paras[last + 1].style == "byline":
        last += 1
    out = list(paras)
    out[0] = _replace(out[0], space_after=0.0)
    out[last] = _replace(out[last], space_after=theme.title.space_after)
    return out


def _place_closing(paras: list[ParaPlan], theme: Theme) -> list[ParaPlan]:
    """落款: in each run of signature/date lines, the date sits
    signature.right characters from the right and each signature line is
    centred over it; only the run's first line keeps the gap above."""
    out = list(paras)
    for i, j in _closing_runs(out):
        run = out[i:j]
        dates = [p.text for p in run if p.style == "date"]
        signatures = [p.text for p in run if p.style == "signature"]
        date_text = dates[0] if dates else ""
        longest = max(signatures, key=len, default="")
        date_right = theme.signature.right
        for k, p in enumerate(run, start=i):
            if p.style == "signature":
                right = signature_indents(p.text, date_text, date_right)[0] if dates else date_right
            else:
                right = signature_indents(longest, p.text, date_right)[1] if signatures else date_right
            before: float | None = None
            if k == i and p.style == "date":
                before = theme.signature.space_before
            elif k != i and p.style == "signature":
                before = 0.0
            out[k] = _replace(p, right=right, space_before=before)
    return out


def _closing_runs(paras: list[ParaPlan]) -> list[tuple[int, int]]:
    """(start, end) of each run of 落款 lines (signature and date), end exclusive."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(paras):
        if paras[i].style not in ("signature", "date"):
            i += 1
            continue
        j = i
        while j < len(paras) and paras[j].style in ("signature", "date"):
            j += 1
        runs.append((i, j))
        i = j
    return runs


# Paragraphs of text (not the title group, headings or the 落款).
_TEXT_STYLES = ("body", "salutation")
NOTE_STYLE = "truncation_note"  # the note that ends a truncated text
SHORT_LAST_PARAGRAPH = 5  # lines: a last paragraph this short never splits


def _keep_the_end(paras: list[ParaPlan], theme: Theme) -> list[ParaPlan]:
    """Word's own properties where widow control (in the styles: two lines
    of a paragraph on each side of a break) and the headings' keepNext are
    not enough (issue 14 item 1):

    * a one-line paragraph under a heading keeps with the next, so that the
      heading keeps two lines of its text;
    * the 落款 keeps with the body's last lines (GB/T 9704 7.3.5: never
      alone on a page): the paragraph before it and each of its lines but
      the last keep with the next;
    * the last page holds at least three lines: when the text ends with a
      paragraph (not a 落款), one of at most SHORT_LAST_PARAGRAPH lines
      keeps its lines together, and the paragraphs before it keep with the
      next until three lines go over together.  (A longer last paragraph
      may still leave two lines on the last page: Word has no property
      for three.)"""
    out = list(paras)
    for i in range(1, len(out) - 1):
        if out[i].style in _TEXT_STYLES and out[i - 1].heading_level and _para_lines(theme, out[i]) < 2:
            out[i] = replace(out[i], keep_next=True)
    for i, end in _closing_runs(out):
        for k in range(max(i - 1, 0), end - 1):  # (the run's last line keeps with nothing)
            if k < i and not _may_keep_next(out, k, theme):
                continue
            out[k] = replace(out[k], keep_next=True)
    # (A 落款 at the end already brings two lines of the body to its page.)
    last = len(out) - 1
    lines = 0
    if last > 0 and out[last].style == NOTE_STYLE:
        # The note keeps with the text's last lines, as the 落款 does (widow
        # control brings two of a longer paragraph), where _may_keep_next
        # allows it.
        lines = _para_lines(theme, out[last])
        if out[last - 1].style not in _TEXT_STYLES or _may_keep_next(out, last - 1, theme):
            out[last - 1] = replace(out[last - 1], keep_next=True)
        last -= 1
    if last < 0 or out[last].style not in _TEXT_STYLES:
        return out
    lines += _para_lines(theme, out[last])
    if lines <= SHORT_LAST_PARAGRAPH:
        out[last] = replace(out[last], keep_lines=True)
    # Paragraphs before it keep with the next until three lines are held
    # (widow control brings two lines of a longer one).
    k = last - 1
    while lines < MIN_LAST_PAGE and k >= 0 and _may_keep_next(out, k, theme):
        out[k] = replace(out[k], keep_next=True)
        lines += min(2, _para_lines(theme, out[k]))
        k -= 1
    if not out[last].keep_lines:
        out[last] = _keep_whole_if_split_short(out, last, theme)
    return out


# A page may end this many lines short to keep a text's last paragraph
# whole (the PDF's pages end at most five short, for a heading; see layout.py).
MAX_LINES_MOVED = 5


def _keep_whole_if_split_short(paras: list[ParaPlan], last: int, theme: Theme) -> ParaPlan:
    """The text's last paragraph, longer than SHORT_LAST_PARAGRAPH, kept
    whole (keepLines) where the grid's page estimate (layout.paginate_lines,
    the estimate the table of contents uses) has it split with fewer than
    MIN_LAST_PAGE lines of the document on the last page, and keeping it
    whole moves at most MAX_LINES_MOVED lines.  Word's widow control holds
    two lines, not three; this is the one property left that moves more."""
    placed = paginate_lines([_block(theme, p) for p in paras], theme.page.type_height)
    final = max((page for _, pages in placed for page in pages), default=1)
    on_final = sum(1 for _, pages in placed for page in pages if page == final)
    mine = placed[last][1]
    moved = sum(1 for page in mine if page != final)
    if on_final < MIN_LAST_PAGE and 0 < moved < len(mine) and moved <= MAX_LINES_MOVED:
        return replace(paras[last], keep_lines=True)
    return paras[last]


def _may_keep_next(paras: list[ParaPlan], i: int, theme: Theme) -> bool:
    """May text paragraph ``i`` keep with the next?  Not a long one right
    under a heading: LibreOffice moves a chain of keep-with-next paragraphs
    (the heading, it, what follows) to the next page whole when the chain
    fits a page, leaving the page before it many lines short."""
    if paras[i].style not in _TEXT_STYLES:
        return False
    under_heading = i > 0 and paras[i - 1].heading_level is not None
    return not under_heading or _para_lines(theme, paras[i]) <= SHORT_LAST_PARAGRAPH
