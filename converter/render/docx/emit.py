"""Write a planned .docx with python-docx: ``render_docx(outline, theme, options)``.

``render_docx`` defines one named style per theme role and writes the
paragraphs of the plan (plan.py) with python-docx; the XML python-docx has no
API for lives in oxml.py.

Everything is set through named styles (Title, Byline, Salutation,
Heading 1-4, Body, Signature, Date, and the character styles Latin and
Page Number), so restyling Body in Word restyles every body paragraph.
Each paragraph style carries the role's Chinese face in all four rFonts
slots; ASCII text sits in runs of the Latin character style.  Curly quotes,
dashes and ellipses therefore always get the Chinese face.

``options.toc`` writes the planned 目录 as a TOC field's stored result; the
field is marked dirty and settings.xml asks Word to update fields on
opening.

The .docx names its faces and draws nothing, so a face this machine has no
font file for is written all the same (Word on the reader's machine may
have it) with a ``missing_font`` warning naming it; ``options.embed_fonts``
embeds each face (font_parts.py), and there a missing face is an error
(converter/fonts/choose.py holds the policy).
"""

from __future__ import annotations

import hashlib
import io
import math
import zipfile
from functools import lru_cache

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import Twips

from ...fonts import DOCX_ROLES, Faces
from ...model import Outline
from ...theme import Role, Theme
from ..base import RenderOptions, RenderResult, truncation_note
from ..core_properties import core_property
from ..layout import segments
from . import oxml as ox
from .plan import TOC_TITLE, ParaPlan, TocEntry, plan_document, toc_indent

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
    "truncation_note": "Truncation Note",
}
LATIN_STYLE = "Latin"
PAGE_NUMBER_STYLE = "Page Number"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


# ---------------------------------------------------------------------------
# Styles: theme roles -> named styles (pure data, then XML in oxml.py)


def _twips(pt: float) -> int:
    return round(pt * 20)


_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}
# Word's built-in styles are matched by their lower-case w:name.
_BUILTIN_NAMES = {
    "Title": "Title",
    "Heading 1": "heading 1",
    "Heading 2": "heading 2",
    "Heading 3": "heading 3",
    "Heading 4": "heading 4",
    "Salutation": "Salutation",
    "Signature": "Signature",
    "Date": "Date",
    "Header": "header",
    "Footer": "footer",
    "Page Number": "page number",
    "TOC Heading": "TOC Heading",
    "TOC 1": "toc 1",
    "TOC 2": "toc 2",
    "TOC 3": "toc 3",
    "TOC 4": "toc 4",
}


def style_id(name: str) -> str:
    return name.replace(" ", "")


def _indent(theme: Theme, role: Role, chars: float) -> tuple[int, int | None] | None:
    """An indent of ``chars`` body characters as (twips, Chars form); the
    Chars form only when the role is set at the body size, because Word
    measures it in the paragraph's own size."""
    if not chars:
        return None
    same = abs(role.font.size - theme.char_width) < 0.01
    return _twips(chars * theme.char_width), (round(chars * 100) if same else None)


def justified_grid(theme: Theme, role: Role) -> tuple[int, int]:
    """Character spacing and right indent (twips) for a justified role on the
    character grid.  The theme's grid spacing is the largest multiple of
    1/20 pt at which chars_per_line characters fit (-0.25 pt: 28 × 15.75 =
    441 of 442.2 pt), and LibreOffice leaves that remainder at the end of a
    full Chinese line instead of spreading it (it spreads a whole
    character's width, not a point).  So a justified grid role takes the next
    spacing up (-0.2 pt) and a right indent just negative enough (a fraction
    of a point) for a full line, and a first line after its indent, to hold
    chars_per_line characters: full lines then end on the margin."""
    spacing = theme.char_spacing(role)
    right = role.right * theme.char_width
    if role.align != "justify" or role.char_spacing is not None:
        return _twips(spacing), _twips(right)
    n = theme.grid.chars_per_line
    size = role.font.size
    measure = theme.page.type_width - (role.left + role.right) * theme.char_width
    twips = math.ceil((measure / n - size) * 20)
    if twips == _twips(spacing):  # the grid spacing already fills the line
        return twips, _twips(right)
    advance = size + twips / 20
    indent = max(role.indent, 0.0)
    width = max(n * advance, indent * theme.char_width + (n - indent) * advance)
    return twips, _twips(right) - math.ceil((width - measure) * 20 + 10)


def _paragraph_spec(theme: Theme, key: str, role: Role) -> ox.StyleSpec:
    name = STYLE_NAMES[key]
    heading = key.startswith("heading")
    grid = _twips(theme.grid.line_pitch)
    spacing, right = justified_grid(theme, role)
    return ox.StyleSpec(
        style_id=style_id(name),
        name=_BUILTIN_NAMES.get(name, name),
        custom=name not in _BUILTIN_NAMES,
        based_on="Normal",
        next=None if key == "body" else "Body",
        face=role.font.face,
        half_points=round(role.font.size * 2),
        bold=role.font.bold,
        color=theme.colors.heading if heading else theme.colors.text,
        char_spacing=spacing,
        align=_JC[role.align],
        pitch=_twips(theme.line_pitch(role)),
        before=0 if key == "date" else round(role.space_before * grid),
        after=round(role.space_after * grid),
        first_line=_indent(theme, role, role.indent),
        left=_indent(theme, role, role.left),
        right=_indent(theme, role, role.right) if right == _twips(role.right * theme.char_width) else (right, None),
        keep_next=role.keep_with_next,
        # A heading or the title never splits; text keeps two lines on each
        # side of a page break (GB/T 9704 pages may end a line short for it).
        keep_lines=heading or key in ("title", "byline"),
        widow_control=True,
        # Text larger than the body, or on its own pitch, would snap to two
        # grid lines per line.
        snap_to_grid=False if role.font.size > theme.char_width or role.line_pitch is not None else None,
        # LibreOffice drops punctuation it hangs in a justified line.
        hanging_punctuation=False if role.align == "justify" else None,
        outline_level=int(key[-1]) - 1 if heading else None,
        ui_priority=9 if heading else None,
    )


def style_specs(theme: Theme) -> tuple[ox.StyleSpec, ...]:
    """Every style the document defines, from the theme alone."""
    specs = [
        ox.StyleSpec("Normal", "Normal", custom=False, default=True, face=theme.body.font.face,
                     half_points=round(theme.body.font.size * 2), color=theme.colors.text,
                     pitch=_twips(theme.grid.line_pitch)),
        ox.StyleSpec(style_id(LATIN_STYLE), LATIN_STYLE, kind="character", latin=theme.latin.face),
    ]
    for key in STYLE_NAMES:
        role = theme.signature if key == "date" else theme.roles[key]
        specs.append(_paragraph_spec(theme, key, role))
    pn, hd = theme.page_number, theme.header
    specs.append(ox.StyleSpec(style_id(PAGE_NUMBER_STYLE), _BUILTIN_NAMES[PAGE_NUMBER_STYLE], kind="character",
                              custom=False, face=pn.font.face, half_points=round(pn.font.size * 2),
                              bold=pn.font.bold, color=theme.colors.text))
    # The footer's line is exactly the number's size, so that the number's
    # em box (and the dashes in its middle) sit where _setup_section puts it.
    specs.append(ox.StyleSpec("Footer", "footer", custom=False, based_on="Normal",
                              pitch=_twips(pn.font.size), snap_to_grid=False))
    specs.append(ox.StyleSpec("Header", "header", custom=False, based_on="Normal", face=hd.font.face,
                              half_points=round(hd.font.size * 2), bold=hd.font.bold, color=theme.colors.text,
                              align=_JC[hd.align], pitch=_twips(hd.font.size * _HF_LINE), snap_to_grid=False,
                              bottom_rule=theme.colors.rule if hd.rule else None))
    h1, body = theme.heading(1), theme.body
    grid = _twips(theme.grid.line_pitch)
    specs.append(ox.StyleSpec("TOCHeading", "TOC Heading", custom=False, based_on="Normal", next="TOC1",
                              face=h1.font.face, half_points=round(h1.font.size * 2), bold=h1.font.bold,
                              color=theme.colors.heading, align="center", pitch=grid, after=grid, keep_next=True))
    for level in (1, 2, 3, 4):
        specs.append(ox.StyleSpec(f"TOC{level}", f"toc {level}", custom=False, based_on="Normal",
                                  next="Body", face=body.font.face, half_points=round(body.font.size * 2),
                                  color=theme.colors.text, char_spacing=_twips(theme.char_spacing(body)),
                                  align="left", pitch=grid,
                                  # Wrapped lines indent 2 more characters.  No
                                  # right indent: LibreOffice hides a tab stop
                                  # (and the number after it) beyond one.
                                  left=_indent(theme, body, toc_indent(level) + 2),
                                  first_line=(-_twips(2 * theme.char_width), -200),
                                  dot_tab=_twips(theme.page.type_width), ui_priority=39))
    return tuple(specs)


_HF_LINE = 1.25  # header/footer line pitch, in multiples of their size


# ---------------------------------------------------------------------------
# The reference document: everything but the text, built once per theme.


def _runs(text: str) -> list[tuple[str, str | None]]:
    latin = style_id(LATIN_STYLE)
    return [(t, latin if is_latin else None) for t, is_latin in segments(text)]


def _page_number(container, theme: Theme, align: str, inset_left: float, inset_right: float) -> None:  # type: ignore[no-untyped-def]
    cw = theme.char_width
    p = ox.make_paragraph("Footer", [])
    ox.set_indent(
        p,
        left=(_twips(inset_left * cw), None) if inset_left else None,
        right=(_twips(inset_right * cw), None) if inset_right else None,
    )
    ox.set_alignment(p, _JC[align])
    before, _, after = theme.page_number.format.partition("{page}")
    sid = style_id(PAGE_NUMBER_STYLE)
    if before:
        ox.append_runs(p, [(before, sid)])
    ox.add_field(p, "PAGE", "1", style_id=sid)
    if after:
        ox.append_runs(p, [(after, sid)])
    ox.replace_content(container, [p])


def _setup_section(doc, theme: Theme) -> None:  # type: ignore[no-untyped-def]
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
    # The footer distance runs from the paper's edge to the footer's bottom;
    # put the middle of the number line below_type_area under the type area.
    section.footer_distance = Twips(_twips(max(page.margin_bottom - pn.below_type_area - pn.font.size / 2, 18.0)))
    # The header (when there is one) sits half a grid line above the type area.
    header_line = theme.header.font.size * _HF_LINE
    section.header_distance = Twips(
        _twips(max(page.margin_top - header_line - theme.grid.line_pitch / 2, 18.0))
    )

    outside = pn.position == "outside"
    if outside:
        doc.settings.odd_and_even_pages_header_footer = True
        section.footer.is_linked_to_previous = False
        _page_number(section.footer, theme, "right", 0, pn.inset)
        _page_number(section.even_page_footer, theme, "left", pn.inset, 0)
    else:
        left = pn.inset if pn.position == "left" else 0
        right = pn.inset if pn.position == "right" else 0
        _page_number(section.footer, theme, pn.position, left, right)
    if theme.header.text:
        for header in (section.header, section.even_page_header) if outside else (section.header,):
            ox.replace_content(header, [ox.make_paragraph("Header", [])])
        # Page 1 opens with the title: no running header there (w:titlePg),
        # and its footer carries the number as an odd page's does.
        section.different_first_page_header_footer = True
        blank = ox.make_paragraph(None, [])
        ox.set_line(blank, pitch_twips=_twips(header_line))
        ox.replace_content(section.first_page_header, [blank])
        if outside:
            _page_number(section.first_page_footer, theme, "right", 0, pn.inset)
        else:
            _page_number(section.first_page_footer, theme, pn.position, left, right)


def _font_table(doc, theme: Theme) -> None:  # type: ignore[no-untyped-def]
    faces = theme.faces()
    east_asian = [f for f in faces if f != theme.latin.face]
    part = Part(
        PackURI("/word/fontTable.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
        ox.font_table_xml(faces, east_asian),
        doc.part.package,
    )
    doc.part.relate_to(part, RT.FONT_TABLE)


@lru_cache(maxsize=8)
def reference_docx(theme: Theme, toc: bool = False) -> bytes:
    """The theme's reference document: styles, page, grid, footers, font
    table and settings, with an empty body."""
    doc = Document(io.BytesIO(ox.base_package()))
    ox.set_doc_defaults(
        doc.styles.element,
        face=theme.body.font.face,
        latin=theme.latin.face,
        half_points=round(theme.body.font.size * 2),
        pitch_twips=_twips(theme.grid.line_pitch),
    )
    for spec in style_specs(theme):
        ox.add_style(doc.styles.element, spec)
    ox.set_settings(doc.settings, update_fields=toc)
    _setup_section(doc, theme)
    _font_table(doc, theme)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# Emitting


def _emit_paragraph(body, theme: Theme, para: ParaPlan) -> None:  # type: ignore[no-untyped-def]
    name = STYLE_NAMES[para.style]
    p = ox.make_paragraph(style_id(name), [_runs(line) for line in para.lines])
    role = theme.signature if para.style == "date" else theme.roles[para.style]
    if para.space_before is not None or para.space_after is not None:
        grid = theme.grid.line_pitch
        before = para.space_before if para.space_before is not None else (0.0 if para.style == "date" else role.space_before)
        after = role.space_after if para.space_after is None else para.space_after
        ox.set_line(p, pitch_twips=_twips(theme.line_pitch(role)), before_twips=_twips(before * grid),
                    after_twips=_twips(after * grid))
    if para.right is not None and para.right != role.right:
        ox.set_indent(
            p,
            first_line=_indent(theme, role, role.indent),
            left=_indent(theme, role, role.left),
            right=_indent(theme, role, para.right) or (0, 0),
        )
    if para.page_break_before:
        ox.set_page_break_before(p)
    if para.keep_next or para.keep_lines:
        ox.set_keep(p, next=para.keep_next, lines=para.keep_lines)
    ox.append_paragraph(body, p)


def _emit_toc(body, entries: tuple[TocEntry, ...]) -> None:  # type: ignore[no-untyped-def]
    """目录 and one paragraph per heading, the entries being the stored
    result of a TOC field over outline levels 1-4."""
    ox.append_paragraph(body, ox.make_paragraph("TOCHeading", [[(TOC_TITLE, None)]]))
    latin = style_id(LATIN_STYLE)
    paras = [
        ox.append_paragraph(body, ox.make_paragraph(f"TOC{e.level}", [_runs(e.text) + [("\t", None), (str(e.page), latin)]]))
        for e in entries
    ]
    ox.wrap_in_field(paras[0], paras[-1], 'TOC \\o "1-4" \\u')


def _reproducible_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps (python-docx stamps
    each member with the current time)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, _ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def render_docx(outline: Outline, theme: Theme, options: RenderOptions) -> RenderResult:
    """Render ``outline`` as a .docx file (bytes) laid out by ``theme``."""
    faces = Faces(theme)
    # Embedding needs every face's file: refuse before any work when one is missing.
    files = faces.require_by_face(DOCX_ROLES, "--embed-fonts must embed it") if options.embed_fonts else {}
    plan = plan_document(outline, theme, toc=options.toc, note=truncation_note(outline, theme, options))
    doc = Document(io.BytesIO(reference_docx(theme, bool(plan.toc))))
    body = doc.element.body
    for n, para in enumerate(plan.paragraphs):
        if plan.toc and n == plan.toc_at:
            _emit_toc(body, plan.toc)
        _emit_paragraph(body, theme, para)
    if plan.toc and plan.toc_at == len(plan.paragraphs):
        _emit_toc(body, plan.toc)
    if plan.header_text:
        section = doc.sections[0]
        headers = [section.header]
        if theme.page_number.position == "outside":
            headers.append(section.even_page_header)
        for header in headers:
            ox.append_runs(header.paragraphs[0], _runs(plan.header_text))

    props = doc.core_properties
    stamp = options.timestamp().replace(tzinfo=None)
    props.title = core_property(plan.title)
    props.author = core_property(plan.author)
    props.subject = core_property(plan.subject)
    props.last_modified_by = core_property(plan.author)
    props.language = "zh-CN"
    props.revision = 1
    props.created = stamp
    props.modified = stamp

    buf = io.BytesIO()
    doc.save(buf)
    data = _reproducible_zip(buf.getvalue())
    warnings = plan.warnings
    if options.embed_fonts:
        from .font_parts import embed_fonts  # fontTools subsetting: only when asked

        text = "".join(p.text for p in plan.paragraphs) + plan.title + (plan.header_text or "") \
            + theme.page_number.format + "0123456789"
        data, embed_warnings = embed_fonts(data, files, text, key_seed=hashlib.sha256(text.encode()).hexdigest())
        warnings += embed_warnings
    else:
        warnings += tuple(faces.warn_missing(DOCX_ROLES))
    return RenderResult(data, warnings, None)
