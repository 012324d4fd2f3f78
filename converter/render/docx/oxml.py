"""All WordprocessingML work python-docx has no API for, in one place.

Like python-docx's own oxml layer: the functions here take python-docx proxy
objects (styles, paragraphs, sections, settings) or a styles root and edit
their XML; nothing outside this module calls lxml or ``qn()``.  Each fixes
one known trap:

* rFonts: python-docx sets only the Latin slots, and theme-font attributes
  (w:asciiTheme, ...) override explicit names: ``set_fonts`` writes all four
  slots and removes the theme attributes.
* character spacing (w:spacing), the Chars forms of indents, outline levels,
  widow control, autospace and snap-to-grid on styles and defaults.
* the section's line grid (w:docGrid type="lines").
* the PAGE field (a complex field built by hand) and a header rule.
* docDefaults (A4-era defaults are en-US Letter; we set zh-CN), the font
  table with w:altName fallbacks, and a minimal base package.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, TypeAlias

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from .. import ooxml_ns as ns

_THEME_ATTRS = tuple(qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"))
_FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")

# Order of children in CT_RPr and CT_PPr (ECMA-376 §17.3.2.28, §17.3.1.26);
# Word refuses files whose children are out of order.
_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"]
_PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"]


def _element(obj: Any) -> Any:
    """The lxml element behind a python-docx proxy (or the element itself)."""
    return getattr(obj, "_element", obj)


_RANKS: dict[int, dict[str, int]] = {}


def _child(parent: Any, tag: str, order: Sequence[str]) -> Any:
    """``parent``'s w:tag child, created in schema order when missing."""
    found = parent.find(qn(f"w:{tag}"))
    if found is not None:
        return found
    ranks = _RANKS.get(id(order))
    if ranks is None:
        ranks = _RANKS[id(order)] = {qn(f"w:{name}"): i for i, name in enumerate(order)}
    new = parent.makeelement(qn(f"w:{tag}"), {})
    rank = ranks[new.tag]
    for existing in parent:
        if ranks.get(existing.tag, -1) > rank:
            existing.addprevious(new)
            return new
    parent.append(new)
    return new


def _rpr(obj: Any) -> Any:
    el = _element(obj)
    if el.tag == qn("w:rPr"):
        return el
    return el.get_or_add_rPr()


def _ppr(obj: Any) -> Any:
    el = _element(obj)
    if el.tag == qn("w:pPr"):
        return el
    return el.get_or_add_pPr()


def _set_rpr_value(obj: Any, tag: str, **attrs: str) -> Any:
    el = _child(_rpr(obj), tag, _RPR_ORDER)
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), value)
    return el


def _set_ppr_value(obj: Any, tag: str, **attrs: str) -> Any:
    el = _child(_ppr(obj), tag, _PPR_ORDER)
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), value)
    return el


# ---------------------------------------------------------------------------
# Run properties (styles, runs, docDefaults' w:rPr)


def set_fonts(obj: Any, face: str, *, latin: str | None = None, hint_east_asia: bool = False) -> None:
    """Write ``face`` into all four rFonts slots (``latin``, when given, into
    ascii/hAnsi/cs instead) and drop the theme-font attributes that would
    override them."""
    rfonts = _set_rpr_value(obj, "rFonts")
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(attr, None)
    for slot in _FONT_SLOTS:
        rfonts.set(qn(f"w:{slot}"), latin if latin is not None and slot != "eastAsia" else face)
    if hint_east_asia:
        rfonts.set(qn("w:hint"), "eastAsia")


def set_latin_fonts(obj: Any, face: str) -> None:
    """Write ``face`` into the ascii/hAnsi/cs slots only (a Latin character
    style: the East Asian slot stays with the paragraph)."""
    rfonts = _set_rpr_value(obj, "rFonts")
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(attr, None)
    for slot in ("ascii", "hAnsi", "cs"):
        rfonts.set(qn(f"w:{slot}"), face)


def strip_theme_fonts(root: Any) -> None:
    """Remove every theme-font attribute below ``root`` (a styles part)."""
    for rfonts in _element(root).iter(qn("w:rFonts")):
        for attr in _THEME_ATTRS:
            rfonts.attrib.pop(attr, None)


def set_char_spacing(obj: Any, twips: int) -> None:
    """Spacing added after each character, in twentieths of a point (w:spacing)."""
    _set_rpr_value(obj, "spacing", val=str(twips))


def set_size(obj: Any, half_points: int) -> None:
    """w:sz and w:szCs (python-docx sets only w:sz)."""
    _set_rpr_value(obj, "sz", val=str(half_points))
    _set_rpr_value(obj, "szCs", val=str(half_points))


def set_language(obj: Any, latin: str, east_asia: str) -> None:
    _set_rpr_value(obj, "lang", val=latin, eastAsia=east_asia, bidi="ar-SA")


# ---------------------------------------------------------------------------
# Paragraph properties


def set_indent(
    obj: Any,
    *,
    first_line: tuple[int, int | None] | None = None,
    left: tuple[int, int | None] | None = None,
    right: tuple[int, int | None] | None = None,
) -> None:
    """Indents as (twips, hundredths of a character or None).  Both forms are
    written: Word prefers the Chars form, LibreOffice reads only twips.  A
    negative first line is written as a hanging indent."""
    ind = _set_ppr_value(obj, "ind")
    for attr in list(ind.attrib):
        del ind.attrib[attr]
    if left is not None:
        ind.set(qn("w:left"), str(left[0]))
        if left[1] is not None:
            ind.set(qn("w:leftChars"), str(left[1]))
    if right is not None:
        ind.set(qn("w:right"), str(right[0]))
        if right[1] is not None:
            ind.set(qn("w:rightChars"), str(right[1]))
    if first_line is not None:
        twips, chars = first_line
        kind = "firstLine" if twips >= 0 else "hanging"
        ind.set(qn(f"w:{kind}"), str(abs(twips)))
        if chars is not None:
            ind.set(qn(f"w:{kind}Chars"), str(abs(chars)))
    if not len(ind.attrib):
        ind.getparent().remove(ind)


def set_line(obj: Any, *, pitch_twips: int, before_twips: int = 0, after_twips: int = 0) -> None:
    """Exact line pitch and space before/after (w:spacing with lineRule exact)."""
    sp = _set_ppr_value(obj, "spacing")
    for attr in list(sp.attrib):
        del sp.attrib[attr]
    sp.set(qn("w:before"), str(before_twips))
    sp.set(qn("w:after"), str(after_twips))
    sp.set(qn("w:line"), str(pitch_twips))
    sp.set(qn("w:lineRule"), "exact")


def set_outline_level(obj: Any, level: int | None) -> None:
    """w:outlineLvl: 0 for Heading 1 ... ; None writes 9 (body text), so that
    no other style turns into a bookmark."""
    _set_ppr_value(obj, "outlineLvl", val=str(9 if level is None else level))


def set_paragraph_flags(
    obj: Any,
    *,
    widow_control: bool = False,
    autospace: bool = False,
    snap_to_grid: bool | None = None,
    hanging_punctuation: bool | None = None,
) -> None:
    """Widow/orphan control (off by default, for furniture and the document
    defaults; on in the text styles, where a page may then end a line short
    rather than strand one); autospace
    between CJK and Latin text (off: it breaks the character grid);
    snap-to-grid; hanging punctuation.

    Hanging punctuation: both Word and LibreOffice hang a comma or full stop
    past the right margin by default, and that is what keeps 28 characters
    on a line.  LibreOffice imports w:overflowPunct inverted (val="1" turns
    hanging *off*), and in a justified line it drops a comma it hangs: it is
    neither drawn nor in the PDF's text.  So ``hanging_punctuation=False``
    (for justified roles) writes val="1": Word still hangs, LibreOffice moves
    the last character down instead (a 27-character line, nothing lost);
    None writes nothing and leaves both applications hanging."""
    _set_ppr_value(obj, "widowControl", val="1" if widow_control else "0")
    if hanging_punctuation is False:
        _set_ppr_value(obj, "overflowPunct", val="1")
    _set_ppr_value(obj, "autoSpaceDE", val="1" if autospace else "0")
    _set_ppr_value(obj, "autoSpaceDN", val="1" if autospace else "0")
    if snap_to_grid is not None:
        _set_ppr_value(obj, "snapToGrid", val="1" if snap_to_grid else "0")


def set_bottom_rule(obj: Any, color: str, *, eighths: int = 6, space_pt: int = 2) -> None:
    """A single line under the paragraph (w:pBdr/w:bottom)."""
    pbdr = _child(_ppr(obj), "pBdr", _PPR_ORDER)
    bottom = pbdr.find(qn("w:bottom"))
    if bottom is None:
        bottom = etree.SubElement(pbdr, qn("w:bottom"))
    for name, value in (("val", "single"), ("sz", str(eighths)), ("space", str(space_pt)), ("color", color)):
        bottom.set(qn(f"w:{name}"), value)


# ---------------------------------------------------------------------------
# Document defaults, sections, settings


def set_doc_defaults(
    styles: Any,
    *,
    face: str,
    latin: str,
    half_points: int,
    pitch_twips: int,
    lang: str = "en-US",
    east_asia_lang: str = "zh-CN",
) -> None:
    """docDefaults: body face in the East Asian slot, the Latin face in the
    others, zh-CN East Asian language, exact pitch, widow control off."""
    root = _element(styles)
    strip_theme_fonts(root)
    defaults = root.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = root.makeelement(qn("w:docDefaults"), {})
        root.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = etree.SubElement(defaults, qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = etree.SubElement(rpr_default, qn("w:rPr"))
    set_fonts(rpr, face, latin=latin)
    set_size(rpr, half_points)
    set_language(rpr, lang, east_asia_lang)
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = etree.SubElement(defaults, qn("w:pPrDefault"))
    ppr = ppr_default.find(qn("w:pPr"))
    if ppr is None:
        ppr = etree.SubElement(ppr_default, qn("w:pPr"))
    set_paragraph_flags(ppr)
    set_line(ppr, pitch_twips=pitch_twips)


def set_doc_grid(section: Any, pitch_twips: int) -> None:
    """w:docGrid type="lines" (not linesAndChars: that also snaps characters
    and fights the character spacing)."""
    sect_pr = getattr(section, "_sectPr", section)
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = etree.SubElement(sect_pr, qn("w:docGrid"))
    for attr in list(grid.attrib):
        del grid.attrib[attr]
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(pitch_twips))


def set_settings(settings: Any, *, east_asia_lang: str = "zh-CN", update_fields: bool = False) -> None:
    """themeFontLang zh-CN, no punctuation compression (it changes the number
    of characters on a line), and optionally ask Word to update fields (the
    TOC) when the file is opened."""
    root = getattr(settings, "_settings", None)
    root = root if root is not None else _element(settings)
    for tag, attrs in (
        ("characterSpacingControl", {"val": "doNotCompress"}),
        ("themeFontLang", {"val": "en-US", "eastAsia": east_asia_lang}),
    ):
        el = root.find(qn(f"w:{tag}"))
        if el is None:
            el = etree.SubElement(root, qn(f"w:{tag}"))
        for name, value in attrs.items():
            el.set(qn(f"w:{name}"), value)
    if update_fields and root.find(qn("w:updateFields")) is None:
        # CT_Settings order: w:updateFields comes right before w:compat.
        el = root.makeelement(qn("w:updateFields"), {qn("w:val"): "true"})
        compat = root.find(qn("w:compat"))
        if compat is not None:
            compat.addprevious(el)
        else:
            root.append(el)


# ---------------------------------------------------------------------------
# Styles and paragraphs, built straight in XML (python-docx's style proxies
# cost about a millisecond per style; a lecture needs fourteen).


@dataclass(frozen=True, slots=True)
class StyleSpec:
    """One w:style.  Lengths in twips; indents as (twips, hundredths of a
    character or None); ``face`` goes to all four rFonts slots, ``latin``
    (character styles) to ascii/hAnsi/cs only."""

    style_id: str
    name: str  # the w:name: Word's built-in names are lower case ("heading 1")
    kind: Literal["paragraph", "character"] = "paragraph"
    custom: bool = True
    based_on: str | None = None
    next: str | None = None
    face: str | None = None
    latin: str | None = None
    half_points: int | None = None
    bold: bool | None = None
    color: str | None = None
    char_spacing: int = 0
    align: str | None = None  # w:jc value: left, center, right, both
    pitch: int | None = None
    before: int = 0
    after: int = 0
    first_line: tuple[int, int | None] | None = None
    left: tuple[int, int | None] | None = None
    right: tuple[int, int | None] | None = None
    keep_next: bool = False
    keep_lines: bool = False  # never split the paragraph across pages
    widow_control: bool = False  # no single first or last line of it alone on a page
    outline_level: int | None = None
    snap_to_grid: bool | None = None
    hanging_punctuation: bool | None = None
    bottom_rule: str | None = None
    ui_priority: int | None = None
    default: bool = False  # the default style of its kind (Normal)
    dot_tab: int | None = None  # a right-aligned tab stop with a dot leader at this position


def add_style(styles: Any, spec: StyleSpec) -> None:
    """Append the w:style ``spec`` describes to a styles root."""
    root = _element(styles)
    el = etree.SubElement(root, qn("w:style"))
    el.set(qn("w:type"), spec.kind)
    el.set(qn("w:styleId"), spec.style_id)
    if spec.default:
        el.set(qn("w:default"), "1")
    if spec.custom:
        el.set(qn("w:customStyle"), "1")
    etree.SubElement(el, qn("w:name")).set(qn("w:val"), spec.name)
    if spec.based_on:
        etree.SubElement(el, qn("w:basedOn")).set(qn("w:val"), spec.based_on)
    if spec.next:
        etree.SubElement(el, qn("w:next")).set(qn("w:val"), spec.next)
    if spec.ui_priority is not None:
        etree.SubElement(el, qn("w:uiPriority")).set(qn("w:val"), str(spec.ui_priority))
    etree.SubElement(el, qn("w:qFormat"))
    if spec.kind == "paragraph":
        ppr = etree.SubElement(el, qn("w:pPr"))
        if spec.keep_next:
            _set_ppr_value(ppr, "keepNext")
        if spec.keep_lines:
            _set_ppr_value(ppr, "keepLines")
        set_paragraph_flags(ppr, widow_control=spec.widow_control, snap_to_grid=spec.snap_to_grid,
                            hanging_punctuation=spec.hanging_punctuation)
        if spec.bottom_rule:
            set_bottom_rule(ppr, spec.bottom_rule)
        if spec.dot_tab is not None:
            tab = etree.SubElement(_child(ppr, "tabs", _PPR_ORDER), qn("w:tab"))
            for name, value in (("val", "right"), ("leader", "dot"), ("pos", str(spec.dot_tab))):
                tab.set(qn(f"w:{name}"), value)
        if spec.pitch is not None:
            set_line(ppr, pitch_twips=spec.pitch, before_twips=spec.before, after_twips=spec.after)
        set_indent(ppr, first_line=spec.first_line, left=spec.left, right=spec.right)
        if spec.align:
            _set_ppr_value(ppr, "jc", val=spec.align)
        set_outline_level(ppr, spec.outline_level)
    rpr = etree.SubElement(el, qn("w:rPr"))
    if spec.face:
        set_fonts(rpr, spec.face)
    elif spec.latin:
        set_latin_fonts(rpr, spec.latin)
    if spec.bold is not None:
        _set_rpr_value(rpr, "b", val="1" if spec.bold else "0")
        _set_rpr_value(rpr, "bCs", val="1" if spec.bold else "0")
    if spec.color:
        _set_rpr_value(rpr, "color", val=spec.color)
    if spec.char_spacing:
        set_char_spacing(rpr, spec.char_spacing)
    if spec.half_points:
        set_size(rpr, spec.half_points)


Runs: TypeAlias = Sequence[Sequence[tuple[str, "str | None"]]]
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CONTROL = dict.fromkeys(c for c in range(0x20) if c not in (9, 10))


def _append_text(r: Any, text: str) -> None:
    """w:t elements for ``text``; a newline becomes w:br, a tab w:tab."""
    for n, line in enumerate(text.translate(_CONTROL).split("\n")):
        if n:
            etree.SubElement(r, qn("w:br"))
        for m, part in enumerate(line.split("\t")):
            if m:
                etree.SubElement(r, qn("w:tab"))
            if part:
                t = etree.SubElement(r, qn("w:t"))
                if part[0] == " " or part[-1] == " ":
                    t.set(_XML_SPACE, "preserve")
                t.text = part


def make_paragraph(style_id: str | None, lines: Runs) -> Any:
    """A w:p in style ``style_id``: ``lines`` are joined by line breaks
    (w:br); each line is runs of (text, character style id or None)."""
    p = OxmlElement("w:p")
    if style_id:
        ppr = etree.SubElement(p, qn("w:pPr"))
        etree.SubElement(ppr, qn("w:pStyle")).set(qn("w:val"), style_id)
    for n, runs in enumerate(lines):
        if n:
            etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:br"))
        for text, char_style in runs:
            r = etree.SubElement(p, qn("w:r"))
            if char_style:
                rpr = etree.SubElement(r, qn("w:rPr"))
                etree.SubElement(rpr, qn("w:rStyle")).set(qn("w:val"), char_style)
            _append_text(r, text)
    return p


def append_paragraph(container: Any, paragraph: Any) -> Any:
    """Add a w:p made by ``make_paragraph`` to a document body, header or
    footer (before the body's final w:sectPr); returns it."""
    root = _element(container)
    body = getattr(root, "body", None)
    parent = body if body is not None else root
    # The body's w:sectPr is its last child (the schema puts it there):
    # looking only there keeps a document of n paragraphs linear, where
    # find() (and lxml's len()) would walk every paragraph for each one added.
    try:
        last = parent[-1]  # lxml walks from the end: one step
    except IndexError:
        last = None
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(paragraph)
    else:
        parent.append(paragraph)
    return paragraph


def append_runs(paragraph: Any, runs: Sequence[tuple[str, str | None]]) -> None:
    """Append runs of (text, character style id or None) to a paragraph."""
    tmp = make_paragraph(None, [runs])
    p = _element(paragraph)
    for r in list(tmp):
        p.append(r)


def set_keep(paragraph: Any, *, next: bool = False, lines: bool = False) -> None:
    """Direct w:keepNext (keep with the next paragraph) and w:keepLines
    (keep the paragraph's lines together) on one paragraph."""
    if next:
        _set_ppr_value(paragraph, "keepNext")
    if lines:
        _set_ppr_value(paragraph, "keepLines")


def set_page_break_before(paragraph: Any) -> None:
    _set_ppr_value(paragraph, "pageBreakBefore")


def wrap_in_field(first: Any, last: Any, instruction: str, *, dirty: bool = True) -> None:
    """Make the paragraphs from ``first`` to ``last`` the stored result of a
    complex field (a TOC): begin / instrText / separate go before the first
    paragraph's runs, end after the last paragraph's.  ``dirty`` asks Word
    to recompute the result."""
    p = _element(first)
    begin, instr, sep = _field_start(instruction, None, dirty)
    ppr = p.find(qn("w:pPr"))
    anchor = ppr if ppr is not None else None
    for r in (begin, instr, sep):
        if anchor is None:
            p.insert(0, r)
        else:
            anchor.addnext(r)
        anchor = r
    end = _run(None)
    etree.SubElement(end, qn("w:fldChar")).set(qn("w:fldCharType"), "end")
    _element(last).append(end)


def set_alignment(paragraph: Any, jc: str) -> None:
    _set_ppr_value(paragraph, "jc", val=jc)


def replace_content(container: Any, paragraphs: Sequence[Any]) -> None:
    """Make ``paragraphs`` the whole content of a header or footer."""
    root = _element(container)
    for child in list(root):
        root.remove(child)
    for p in paragraphs:
        root.append(p)


# ---------------------------------------------------------------------------
# Fields


def _run(style_id: str | None) -> Any:
    r = parse_xml(f"<w:r {nsdecls('w')}/>")
    if style_id:
        rpr = etree.SubElement(r, qn("w:rPr"))
        etree.SubElement(rpr, qn("w:rStyle")).set(qn("w:val"), style_id)
    return r


def _field_start(instruction: str, style_id: str | None, dirty: bool) -> tuple[Any, Any, Any]:
    """The begin, instrText and separate runs that open a complex field."""
    begin = _run(style_id)
    fld = etree.SubElement(begin, qn("w:fldChar"))
    fld.set(qn("w:fldCharType"), "begin")
    if dirty:
        fld.set(qn("w:dirty"), "true")
    instr = _run(style_id)
    text = etree.SubElement(instr, qn("w:instrText"))
    text.set(_XML_SPACE, "preserve")
    text.text = f" {instruction} "
    sep = _run(style_id)
    etree.SubElement(sep, qn("w:fldChar")).set(qn("w:fldCharType"), "separate")
    return begin, instr, sep


def add_field(paragraph: Any, instruction: str, placeholder: str, *, style_id: str | None = None, dirty: bool = False) -> None:
    """Append a complex field (begin / instrText / separate / result / end)
    with ``placeholder`` as its current result."""
    p = _element(paragraph)
    begin, instr, sep = _field_start(instruction, style_id, dirty)
    result = _run(style_id)
    t = etree.SubElement(result, qn("w:t"))
    t.text = placeholder
    end = _run(style_id)
    etree.SubElement(end, qn("w:fldChar")).set(qn("w:fldCharType"), "end")
    for r in (begin, instr, sep, result, end):
        p.append(r)


# ---------------------------------------------------------------------------
# Parts


def font_table_xml(faces: Mapping[str, Sequence[str]], east_asian: Sequence[str]) -> bytes:
    """word/fontTable.xml: one w:font per face, its first fallback as
    w:altName (Word reads a single alternative name), charset 86 (GB2312)
    for East Asian faces."""
    root = parse_xml(f"<w:fonts {nsdecls('w')}/>")
    for name, fallbacks in faces.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        if fallbacks:
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), fallbacks[0])
        cjk = name in east_asian
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86" if cjk else "00")
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), "modern" if cjk else "roman")
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "variable")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="{ns.CONTENT_TYPES}">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""

_PKG_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{ns.PACKAGE_RELATIONSHIPS}">
<Relationship Id="rId1" Type="{ns.REL_OFFICE_DOCUMENT}" Target="word/document.xml"/>
<Relationship Id="rId2" Type="{ns.REL_CORE_PROPERTIES}" Target="docProps/core.xml"/>
</Relationships>"""

_DOC_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{ns.PACKAGE_RELATIONSHIPS}">
<Relationship Id="rId1" Type="{ns.REL_STYLES}" Target="styles.xml"/>
<Relationship Id="rId2" Type="{ns.REL_SETTINGS}" Target="settings.xml"/>
</Relationships>"""

_DOCUMENT = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{ns.W}" xmlns:r="{ns.R}">
<w:body><w:sectPr><w:pgSz w:w="11906" w:h="16838"/>
<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/>
</w:sectPr></w:body></w:document>"""

_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{ns.W}">
<w:docDefaults><w:rPrDefault><w:rPr/></w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
</w:styles>"""

_SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{ns.W}">
<w:zoom w:percent="100"/>
<w:defaultTabStop w:val="420"/>
<w:characterSpacingControl w:val="doNotCompress"/>
<w:compat><w:useFELayout/>
<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>
</w:compat>
<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>
</w:settings>"""

_CORE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="{ns.CORE_PROPERTIES}" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title/><dc:creator/><cp:lastModifiedBy/><cp:revision>1</cp:revision>
<dcterms:created xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:modified>
</cp:coreProperties>"""


@lru_cache(maxsize=1)
def base_package() -> bytes:
    """A minimal .docx (document, styles, settings, core properties) for
    python-docx to open: python-docx's own default template carries 400 KB
    of styles with theme fonts, a Japanese font table and Letter paper, and
    parsing it alone takes longer than rendering a lecture."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _PKG_RELS),
            ("word/document.xml", _DOCUMENT),
            ("word/_rels/document.xml.rels", _DOC_RELS),
            ("word/styles.xml", _STYLES),
            ("word/settings.xml", _SETTINGS),
            ("docProps/core.xml", _CORE),
        ):
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text.encode("utf-8"))
    return buf.getvalue()
