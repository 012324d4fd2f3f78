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
from functools import lru_cache
from typing import Any, Mapping, Sequence

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_THEME_ATTRS = tuple(qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"))
_FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")

# Order of children in CT_RPr and CT_PPr (ECMA-376 §17.3.2.28, §17.3.1.26);
# Word refuses files whose children are out of order.
_RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()
_PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
    "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()


def _element(obj: Any) -> Any:
    """The lxml element behind a python-docx proxy (or the element itself)."""
    return getattr(obj, "_element", obj)


def _child(parent: Any, tag: str, order: Sequence[str]) -> Any:
    """``parent``'s w:tag child, created in schema order when missing."""
    found = parent.find(qn(f"w:{tag}"))
    if found is not None:
        return found
    new = parent.makeelement(qn(f"w:{tag}"), {})
    rank = order.index(tag)
    for i, existing in enumerate(parent):
        name = etree.QName(existing).localname
        if name in order and order.index(name) > rank:
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


def set_paragraph_flags(obj: Any, *, widow_control: bool = False, autospace: bool = False, snap_to_grid: bool | None = None) -> None:
    """Widow/orphan control (off: it leaves 21-line pages), autospace between
    CJK and Latin text (off: it breaks the character grid), snap-to-grid."""
    _set_ppr_value(obj, "widowControl", val="1" if widow_control else "0")
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
        # CT_Settings order: updateFields sits after w:zoom ... w:defaultTabStop;
        # Word accepts it right after w:zoom.
        el = root.makeelement(qn("w:updateFields"), {qn("w:val"): "true"})
        zoom = root.find(qn("w:zoom"))
        if zoom is not None:
            zoom.addnext(el)
        else:
            root.insert(0, el)


# ---------------------------------------------------------------------------
# Fields


def _run(style_id: str | None) -> Any:
    r = parse_xml(f"<w:r {nsdecls('w')}/>")
    if style_id:
        rpr = etree.SubElement(r, qn("w:rPr"))
        etree.SubElement(rpr, qn("w:rStyle")).set(qn("w:val"), style_id)
    return r


def add_field(paragraph: Any, instruction: str, placeholder: str, *, style_id: str | None = None, dirty: bool = False) -> None:
    """Append a complex field (begin / instrText / separate / result / end)
    with ``placeholder`` as its current result."""
    p = _element(paragraph)
    begin = _run(style_id)
    fld = etree.SubElement(begin, qn("w:fldChar"))
    fld.set(qn("w:fldCharType"), "begin")
    if dirty:
        fld.set(qn("w:dirty"), "true")
    instr = _run(style_id)
    text = etree.SubElement(instr, qn("w:instrText"))
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = f" {instruction} "
    sep = _run(style_id)
    etree.SubElement(sep, qn("w:fldChar")).set(qn("w:fldCharType"), "separate")
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


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""

_PKG_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""

_DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
</Relationships>"""

_DOCUMENT = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<w:body><w:sectPr><w:pgSz w:w="11906" w:h="16838"/>
<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/>
</w:sectPr></w:body></w:document>"""

_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}">
<w:docDefaults><w:rPrDefault><w:rPr/></w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
</w:styles>"""

_SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W_NS}">
<w:zoom w:percent="100"/>
<w:defaultTabStop w:val="420"/>
<w:characterSpacingControl w:val="doNotCompress"/>
<w:compat><w:useFELayout/>
<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>
</w:compat>
<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>
</w:settings>"""

_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
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
