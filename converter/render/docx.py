"""The Word (.docx) renderer: ``render_docx(outline, theme, options)``.

Plan, then emit.  ``plan_document`` turns the outline into paragraphs that
name their style and carry their text already cut into lines (a long title
is balanced) and the few direct overrides the layout needs (落款 indents,
the gap under the title group).  ``render_docx`` then defines one named
style per theme role and writes the paragraphs with python-docx; the XML
python-docx has no API for lives in ``docx_oxml``.

Everything is set through named styles (Title, Byline, Salutation,
Heading 1-4, Body, Signature, Date, and the character styles Latin and
Page Number), so restyling Body in Word restyles every body paragraph.
Each paragraph style carries the role's Chinese face in all four rFonts
slots; ASCII text sits in runs of the Latin character style.  Curly quotes,
dashes and ellipses therefore always get the Chinese face.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import assert_never

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import Pt, RGBColor, Twips

from ..model import Heading, Outline, Paragraph, Salutation, Warning
from ..theme import Role, Theme
from . import RenderOptions, RenderResult
from . import docx_oxml as ox
from .layout import balance_lines, segments, signature_indents

# Theme role -> the style's name in the document.
STYLE_NAMES: dict[str, str] = {
    "title": "Title",
    "byline": "Byline",
    "salutation": "Salutation",
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "heading3": "Heading 3",
    "heading4": "Heading 4",
    "body": "Body",
    "signature": "Signature",
    "date": "Date",
}
LATIN_STYLE = "Latin"
PAGE_NUMBER_STYLE = "Page Number"
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


# ---------------------------------------------------------------------------
# The plan: pure data, no python-docx.


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

    @property
    def text(self) -> str:
        return "".join(self.lines)


@dataclass(frozen=True, slots=True)
class DocPlan:
    paragraphs: tuple[ParaPlan, ...]
    title: str
    author: str
    subject: str
    header_text: str
    warnings: tuple[Warning, ...] = ()


def title_capacity(theme: Theme) -> float:
    """How many title characters fit on a line, in ems."""
    role = theme.title
    width = theme.page.type_width - (role.left + role.right) * theme.char_width
    return width // (role.font.size + theme.char_spacing(role))


def plan_document(outline: Outline, theme: Theme) -> DocPlan:
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
    paras = _place_title_gap(paras, theme)
    paras = _place_closing(paras, theme)
    return DocPlan(
        paragraphs=tuple(paras),
        title=outline.title,
        author=outline.meta.speaker or "",
        subject=outline.meta.subtitle or "",
        header_text=theme.header.text.replace("{title}", outline.title),
        warnings=tuple(warnings),
    )


def _replace(p: ParaPlan, **changes: object) -> ParaPlan:
    from dataclasses import replace

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
    i = 0
    while i < len(out):
        if out[i].style not in ("signature", "date"):
            i += 1
            continue
        j = i
        while j < len(out) and out[j].style in ("signature", "date"):
            j += 1
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
        i = j
    return out


# ---------------------------------------------------------------------------
# Emitting


def _twips(pt: float) -> int:
    return round(pt * 20)


class _Styles:
    """The document's named styles, defined from the theme."""

    def __init__(self, doc: "Document", theme: Theme) -> None:  # type: ignore[valid-type]
        self.theme = theme
        self.doc = doc
        styles = doc.styles
        body = theme.body
        pitch = _twips(theme.grid.line_pitch)
        ox.set_doc_defaults(
            styles.element,
            face=body.font.face,
            latin=theme.latin.face,
            half_points=round(body.font.size * 2),
            pitch_twips=pitch,
        )
        normal = styles["Normal"]
        self._font(normal, body, theme.colors.text)
        ox.set_line(normal, pitch_twips=pitch)
        ox.set_paragraph_flags(normal)

        self.latin = styles.add_style(LATIN_STYLE, WD_STYLE_TYPE.CHARACTER)
        self.latin.hidden = False
        ox.set_latin_fonts(self.latin.element, theme.latin.face)

        self.by_key = {}
        # Body first: the other styles name it as their next style.
        for key in ("body", "title", "byline", "salutation", "heading1", "heading2", "heading3", "heading4", "signature"):
            self.by_key[key] = self._paragraph_style(key, getattr(theme, key) if not key.startswith("heading") else theme.heading(int(key[-1])))
        self.by_key["date"] = self._paragraph_style("date", theme.signature)

        pn = theme.page_number.font
        self.page_number = styles.add_style(PAGE_NUMBER_STYLE, WD_STYLE_TYPE.CHARACTER)
        self.page_number.hidden = False
        ox.set_fonts(self.page_number.element, pn.face)
        ox.set_size(self.page_number.element, round(pn.size * 2))
        self.page_number.font.bold = pn.bold
        self.page_number.font.color.rgb = RGBColor.from_string(theme.colors.text)

        self.footer = self._hf_style("Footer", pn.size)
        self.header = self._hf_style("Header", theme.header.font.size)
        hf = theme.header.font
        ox.set_fonts(self.header.element, hf.face)
        ox.set_size(self.header.element, round(hf.size * 2))
        self.header.font.bold = hf.bold
        self.header.paragraph_format.alignment = _ALIGN[theme.header.align]
        if theme.header.rule:
            ox.set_bottom_rule(self.header.element, theme.colors.rule)

    def _font(self, style, role: Role, color: str) -> None:  # type: ignore[no-untyped-def]
        ox.set_fonts(style.element, role.font.face)
        ox.set_size(style.element, round(role.font.size * 2))
        style.font.bold = role.font.bold
        style.font.color.rgb = RGBColor.from_string(color)
        spacing = _twips(self.theme.char_spacing(role))
        if spacing:
            ox.set_char_spacing(style.element, spacing)

    def _paragraph_style(self, key: str, role: Role):  # type: ignore[no-untyped-def]
        theme = self.theme
        style = self.doc.styles.add_style(STYLE_NAMES[key], WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.doc.styles["Normal"]
        style.quick_style = True
        style.hidden = False
        if key != "body":
            style.next_paragraph_style = self.by_key["body"]
        is_heading = key.startswith("heading")
        self._font(style, role, theme.colors.heading if is_heading else theme.colors.text)
        pf = style.paragraph_format
        pf.alignment = _ALIGN[role.align]
        pf.keep_with_next = role.keep_with_next
        pitch = _twips(theme.line_pitch(role))
        grid = _twips(theme.grid.line_pitch)
        before = 0.0 if key == "date" else role.space_before
        ox.set_line(style, pitch_twips=pitch, before_twips=round(before * grid), after_twips=round(role.space_after * grid))
        self._indent(style, role, right=role.right)
        ox.set_outline_level(style, int(key[-1]) - 1 if is_heading else None)
        return style

    def _indent(self, target, role: Role, *, right: float) -> None:  # type: ignore[no-untyped-def]
        """Indents in twips, plus the Chars form when the role is set at the
        body size (Word measures Chars in the paragraph's own size)."""
        cw = self.theme.char_width
        same = abs(role.font.size - cw) < 0.01

        def both(chars: float) -> tuple[int, int | None]:
            return (_twips(chars * cw), round(chars * 100) if same else None)

        ox.set_indent(
            target,
            first_line=both(role.indent) if role.indent else None,
            left=both(role.left) if role.left else None,
            right=both(right) if right else None,
        )

    def _hf_style(self, name: str, size: float):  # type: ignore[no-untyped-def]
        style = self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.doc.styles["Normal"]
        ox.set_line(style, pitch_twips=_twips(size * 1.25))
        ox.set_paragraph_flags(style, snap_to_grid=False)
        ox.set_indent(style)
        ox.set_outline_level(style, None)
        return style


def _add_runs(paragraph, lines: tuple[str, ...], latin_style) -> None:  # type: ignore[no-untyped-def]
    for n, line in enumerate(lines):
        if n:
            paragraph.add_run().add_break()
        for text, latin in segments(line):
            paragraph.add_run(text, latin_style if latin else None)


def _emit_paragraph(doc, styles: _Styles, para: ParaPlan) -> None:  # type: ignore[no-untyped-def]
    theme = styles.theme
    p = doc.add_paragraph(style=styles.by_key[para.style])
    _add_runs(p, para.lines, styles.latin)
    role = theme.signature if para.style == "date" else theme.roles[para.style]
    grid = theme.grid.line_pitch
    if para.space_before is not None or para.space_after is not None:
        before = role.space_before if para.space_before is None else para.space_before
        after = role.space_after if para.space_after is None else para.space_after
        if para.style == "date" and para.space_before is None:
            before = 0.0
        ox.set_line(p, pitch_twips=_twips(theme.line_pitch(role)), before_twips=_twips(before * grid),
                    after_twips=_twips(after * grid))
    if para.right is not None and para.right != role.right:
        styles._indent(p, role, right=para.right)


def _page_number_paragraph(container, styles: _Styles, align: str, inset_left: float, inset_right: float) -> None:  # type: ignore[no-untyped-def]
    theme = styles.theme
    p = container.paragraphs[0] if container.paragraphs else container.add_paragraph()
    p.style = styles.footer
    p.paragraph_format.alignment = _ALIGN[align]
    cw = theme.char_width
    ox.set_indent(
        p,
        left=(_twips(inset_left * cw), None) if inset_left else None,
        right=(_twips(inset_right * cw), None) if inset_right else None,
    )
    before, _, after = theme.page_number.format.partition("{page}")
    if before:
        p.add_run(before, styles.page_number)
    ox.add_field(p, "PAGE", "1", style_id=styles.page_number.style_id)
    if after:
        p.add_run(after, styles.page_number)


def _header_paragraph(container, styles: _Styles, text: str) -> None:  # type: ignore[no-untyped-def]
    p = container.paragraphs[0] if container.paragraphs else container.add_paragraph()
    p.style = styles.header
    _add_runs(p, (text,), styles.latin)


def _setup_section(doc, styles: _Styles, plan: DocPlan) -> None:  # type: ignore[no-untyped-def]
    theme = styles.theme
    page = theme.page
    section = doc.sections[0]
    section.page_width = Twips(_twips(page.width))
    section.page_height = Twips(_twips(page.height))
    section.top_margin = Twips(_twips(page.margin_top))
    section.bottom_margin = Twips(_twips(page.margin_bottom))
    section.left_margin = Twips(_twips(page.margin_left))
    section.right_margin = Twips(_twips(page.margin_right))
    section.gutter = Twips(0)
    ox.set_doc_grid(section, _twips(theme.grid.line_pitch))

    pn = theme.page_number
    line = pn.font.size * 1.25  # the Footer style's exact pitch
    # Footer distance is measured from the paper's edge to the footer's
    # bottom; place the middle of the number line below_type_area under the
    # type area.
    footer_distance = page.margin_bottom - pn.below_type_area - line / 2
    section.footer_distance = Twips(_twips(max(footer_distance, 18.0)))
    header_line = theme.header.font.size * 1.25
    section.header_distance = Twips(_twips(max(page.margin_top - header_line - 0.5 * theme.grid.line_pitch, 18.0)))

    outside = pn.position == "outside"
    if outside:
        doc.settings.odd_and_even_pages_header_footer = True
        section.footer.is_linked_to_previous = False
        _page_number_paragraph(section.footer, styles, "right", 0, pn.inset)
        _page_number_paragraph(section.even_page_footer, styles, "left", pn.inset, 0)
    else:
        left = pn.inset if pn.position == "left" else 0
        right = pn.inset if pn.position == "right" else 0
        _page_number_paragraph(section.footer, styles, pn.position, left, right)
    if plan.header_text:
        _header_paragraph(section.header, styles, plan.header_text)
        if outside:
            _header_paragraph(section.even_page_header, styles, plan.header_text)


def _font_table(doc, theme: Theme) -> None:  # type: ignore[no-untyped-def]
    faces = theme.faces()
    east_asian = [f for f in faces if f != theme.latin.face]
    blob = ox.font_table_xml(faces, east_asian)
    part = Part(
        PackURI("/word/fontTable.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
        blob,
        doc.part.package,
    )
    doc.part.relate_to(part, RT.FONT_TABLE)


def _reproducible_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps (python-docx stamps
    each member with the current time)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, _ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(info.filename), compresslevel=6)
    return out.getvalue()


def render_docx(outline: Outline, theme: Theme, options: RenderOptions) -> RenderResult:
    """Render ``outline`` as a .docx file (bytes) laid out by ``theme``."""
    plan = plan_document(outline, theme)
    doc = Document(io.BytesIO(ox.base_package()))
    styles = _Styles(doc, theme)
    ox.set_settings(doc.settings, update_fields=options.toc)
    _setup_section(doc, styles, plan)
    for para in plan.paragraphs:
        _emit_paragraph(doc, styles, para)
    _font_table(doc, theme)

    props = doc.core_properties
    stamp = options.timestamp().replace(tzinfo=None)
    props.title = plan.title
    props.author = plan.author
    props.subject = plan.subject
    props.last_modified_by = plan.author
    props.language = "zh-CN"
    props.revision = 1
    props.created = stamp
    props.modified = stamp

    buf = io.BytesIO()
    doc.save(buf)
    return RenderResult(_reproducible_zip(buf.getvalue()), plan.warnings, None)
