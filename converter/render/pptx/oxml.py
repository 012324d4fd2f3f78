"""All DrawingML/PresentationML work python-pptx has no API for, in one place.

Like python-pptx's own oxml layer: the functions here take lxml elements
(a shape's p:sp, its p:txBody) or a part's bytes and edit them; nothing
outside this module calls lxml or ``qn()``.  Each fixes one known trap:

* runs: python-pptx writes neither a:ea nor lang, so a Chinese run falls to
  whatever East Asian face the application picks.  ``paragraph`` writes
  every run with lang zh-CN and explicit a:latin/a:ea/a:cs faces, Latin runs
  split out to the Latin face.
* autofit: a template's normAutofit makes LibreOffice shrink text silently at
  conversion (hiding overflow) and PowerPoint shrink it on edit; the deck sets
  its sizes itself, so ``body_pr`` writes a:noAutofit.
* line pitch: exact (a:spcPts), so the planner knows each line's height.
* the theme part's East Asian fonts (``set_theme_fonts``).
* the slide-number field in a plain text box (``slide_number``): python-pptx
  does not copy footer placeholders to slides.
* slides and notes pages written directly as XML text (see below).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from functools import cache
from typing import Any

from lxml import etree
from pptx.oxml.ns import qn as _pptx_qn

from .. import ooxml_ns as ns
from ..xml_parse import parse_xml


@cache
def qn(tag: str) -> str:
    """Clark name of a prefixed tag ("a:p"), cached: a deck makes thousands."""
    return _pptx_qn(tag)


EMU_PER_PT = 12700
LANG = "zh-CN"
ALT_LANG = "en-US"
_ALIGN = {"left": "l", "center": "ctr", "right": "r", "justify": "just"}
_ANCHOR = {"top": "t", "middle": "ctr", "bottom": "b"}
_AUTOFIT = {qn("a:noAutofit"), qn("a:normAutofit"), qn("a:spAutoFit")}
# A fixed id: the field's id only has to be a GUID; the same one keeps output reproducible.
SLIDE_NUMBER_FIELD_ID = "{3F4A5B6C-7D8E-4F90-A1B2-C3D4E5F60718}"


def emu(pt: float) -> int:
    return round(pt * EMU_PER_PT)


def _sub(parent: Any, tag: str, **attrs: str) -> Any:
    return etree.SubElement(parent, qn(tag), attrs)


# ---------------------------------------------------------------------------
# Slides, shapes and text, written as XML text: python-pptx's proxies clone
# placeholders through XPath queries and lxml builds element by element; a
# deck must build in milliseconds, and string templates are ~10× faster.
# Every value is escaped (_esc, _attr); the package writer takes the bytes.

Emus = tuple[int, int, int, int]  # x, y, cx, cy
_NSDECL = f'xmlns:a="{ns.A}" xmlns:p="{ns.P}" xmlns:r="{ns.R}"'
_GROUP = (
    '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
    '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
    '<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return _esc(value).replace('"', "&quot;")


def body_pr(insets: tuple[float, float, float, float], anchor: str | None) -> str:
    """a:bodyPr: insets (pt: left, top, right, bottom), wrapping, the anchor
    ("top", "middle", "bottom"; None: the template's) and autofit off (a
    template's normAutofit would let LibreOffice shrink text silently)."""
    left, top, right, bottom = (emu(v) for v in insets)
    anchor_attr = f' anchor="{_ANCHOR[anchor]}"' if anchor is not None else ""
    return (f'<a:bodyPr wrap="square" lIns="{left}" tIns="{top}" rIns="{right}" bIns="{bottom}" rtlCol="0"'
            f"{anchor_attr}><a:noAutofit/></a:bodyPr>")


def tx_body(body: str, paragraphs: Sequence[str], list_style: str = "<a:lstStyle/>") -> str:
    return f"<p:txBody>{body}{list_style}{''.join(paragraphs) or '<a:p/>'}</p:txBody>"


def _rpr(tag: str, size: float | None, face: str, latin_face: str, latin: bool, bold: bool | None,
         color: str | None) -> str:
    attrs = f'lang="{LANG}" altLang="{ALT_LANG}"'
    if size is not None:
        attrs += f' sz="{round(size * 100)}"'
    if bold is not None:
        attrs += f' b="{1 if bold else 0}"'
    fill = f'<a:solidFill><a:schemeClr val="{_attr(color)}"/></a:solidFill>' if color else ""
    # A Chinese run takes the Chinese face in every slot, so quotation marks,
    # dashes and ellipses (which applications may give the Latin slot) are
    # drawn full-width; a Latin run takes the Latin face.
    lat = _attr(latin_face if latin else face)
    return (f'<{tag} {attrs} dirty="0">{fill}<a:latin typeface="{lat}"/><a:ea typeface="{_attr(face)}"/>'
            f'<a:cs typeface="{lat}"/></{tag}>')


def paragraph(
    lines: Sequence[Sequence[tuple[str, bool]]],
    *,
    face: str,
    latin_face: str,
    size: float | None,
    bold: bool | None = None,
    color: str | None = None,
    align: str | None = None,
    indent: float = 0.0,
    gap: float = 0.0,
    line_pitch: float | None = None,
    bullet: bool | None = None,
) -> str:
    """An a:p.  ``lines`` are its lines (joined by line breaks), each a list
    of (text, is_latin) runs; every run gets lang zh-CN and explicit
    a:latin/a:ea/a:cs faces.  ``indent`` (pt) hangs a bulleted paragraph;
    ``bullet`` False suppresses the template's bullet, True keeps it, None
    leaves the template's indents too.  ``line_pitch`` (exact) and ``gap``
    (space before) in pt."""
    ppr = ""
    if bullet is not None:
        ppr += f' marL="{emu(indent)}" indent="{-emu(indent)}"'
    if align is not None:
        ppr += f' algn="{_ALIGN[align]}"'
    # Chinese line breaking (kinsoku), no breaking inside Latin words, and no
    # punctuation hanging past the box's edge.
    ppr += ' eaLnBrk="1" latinLnBrk="0" hangingPunct="0"'
    inner = f'<a:lnSpc><a:spcPts val="{round(line_pitch * 100)}"/></a:lnSpc>' if line_pitch else ""
    inner += f'<a:spcBef><a:spcPts val="{round(gap * 100)}"/></a:spcBef>'
    if bullet is False:
        inner += "<a:buNone/>"
    out = [f"<a:p><a:pPr{ppr}>{inner}</a:pPr>"]
    for k, runs in enumerate(lines):
        if k:
            out.append(f"<a:br>{_rpr('a:rPr', size, face, latin_face, False, bold, color)}</a:br>")
        for text, latin in runs:
            out.append(f"<a:r>{_rpr('a:rPr', size, face, latin_face, latin, bold, color)}<a:t>{_esc(text)}</a:t></a:r>")
    size_attr = f' sz="{round(size * 100)}"' if size is not None else ""
    out.append(f'<a:endParaRPr lang="{LANG}" altLang="{ALT_LANG}"{size_attr} dirty="0"/></a:p>')
    return "".join(out)


def _xfrm(box: Emus) -> str:
    return f'<a:xfrm><a:off x="{box[0]}" y="{box[1]}"/><a:ext cx="{box[2]}" cy="{box[3]}"/></a:xfrm>'


def placeholder(shape_id: int, name: str, ph: dict[str, str], box: Emus | None, body: str) -> str:
    """A placeholder shape inheriting from the layout's (the same ``ph``
    attributes), at ``box`` (None: where the layout puts it)."""
    ph_attrs = "".join(f' {k}="{_attr(v)}"' for k, v in ph.items())
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{_attr(name)}"/><p:cNvSpPr><a:spLocks noGrp="1"/>'
            f"</p:cNvSpPr><p:nvPr><p:ph{ph_attrs}/></p:nvPr></p:nvSpPr>"
            f"<p:spPr>{_xfrm(box) if box else ''}</p:spPr>{body}</p:sp>")


def shape(shape_id: int, name: str, box: Emus, body: str | None, *, fill: str | None = None,
          text_box: bool = False) -> str:
    """A rectangle (a text box when ``text_box``) with a flat theme-colour
    ``fill`` (None: none), no outline and no style reference."""
    fill_xml = "<a:noFill/>" if fill is None else f'<a:solidFill><a:schemeClr val="{_attr(fill)}"/></a:solidFill>'
    tx = ' txBox="1"' if text_box else ""
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{_attr(name)}"/><p:cNvSpPr{tx}/><p:nvPr/></p:nvSpPr>'
            f'<p:spPr>{_xfrm(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{fill_xml}<a:ln><a:noFill/></a:ln>'
            f"</p:spPr>{body or ''}</p:sp>")


def slide_number(shape_id: int, box: Emus, number: int, list_style: str | None, body: str | None,
                 *, color: str | None = None) -> str:
    """A text box holding a slide-number field (showing ``number`` until the
    application updates it), styled by the template placeholder's
    a:lstStyle and a:bodyPr (as XML text, see ``number_style``); ``color``
    (a scheme colour name) overrides the style's."""
    fill = f'<a:solidFill><a:schemeClr val="{_attr(color)}"/></a:solidFill>' if color else ""
    para = (f'<a:p><a:fld id="{SLIDE_NUMBER_FIELD_ID}" type="slidenum"><a:rPr lang="{LANG}" altLang="{ALT_LANG}" '
            f'dirty="0">{fill}</a:rPr><a:t>{number}</a:t></a:fld>'
            f'<a:endParaRPr lang="{LANG}" altLang="{ALT_LANG}" dirty="0"/></a:p>')
    tx = tx_body(body or '<a:bodyPr wrap="square"><a:noAutofit/></a:bodyPr>', [para], list_style or "<a:lstStyle/>")
    return shape(shape_id, "Slide Number", box, tx, text_box=True)


def number_style(list_style: Any | None, body: Any | None) -> tuple[str | None, str | None]:
    """A slide-number placeholder's a:lstStyle and a:bodyPr as XML text for
    ``slide_number``, autofit removed."""
    list_xml = etree.tostring(list_style, encoding="unicode") if list_style is not None else None
    body_xml = None
    if body is not None:
        copy_ = copy.deepcopy(body)
        for child in list(copy_):
            if child.tag in _AUTOFIT:
                copy_.remove(child)
        no_autofit = etree.Element(qn("a:noAutofit"))
        warp = copy_.find(qn("a:prstTxWarp"))
        (warp.addnext(no_autofit) if warp is not None else copy_.insert(0, no_autofit))
        body_xml = etree.tostring(copy_, encoding="unicode")
    return list_xml, body_xml


def slide(shapes: Sequence[str]) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sld {_NSDECL}><p:cSld><p:spTree>'
            f"{_GROUP}{''.join(shapes)}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>"
            "</p:sld>").encode()


def notes(slide_image: dict[str, str] | None, body_ph: dict[str, str], body: str) -> bytes:
    """A notes page: the slide image and the notes body placeholders (their
    p:ph attributes, from the notes master), the body holding ``body``."""
    shapes = []
    if slide_image is not None:
        ph_attrs = "".join(f' {k}="{_attr(v)}"' for k, v in slide_image.items())
        shapes.append('<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr>'
                      '<a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr>'
                      f"<p:nvPr><p:ph{ph_attrs}/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>")
    shapes.append(placeholder(3, "Notes Placeholder 2", body_ph, None, body))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:notes {_NSDECL}><p:cSld><p:spTree>'
            f"{_GROUP}{''.join(shapes)}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>"
            "</p:notes>").encode()


def placeholders(slide_like: Any) -> list[tuple[Any, str, int, Emus | None]]:
    """(p:sp, type, idx, box or None) of each placeholder in a slide, layout
    or master element; ``type`` defaults to "obj" as the schema says."""
    out = []
    tree = slide_like.find(f"{qn('p:cSld')}/{qn('p:spTree')}")
    for sp in tree.iter(qn("p:sp")):
        ph = sp.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
        if ph is None:
            continue
        box = None
        off = sp.find(f"{qn('p:spPr')}/{qn('a:xfrm')}/{qn('a:off')}")
        ext = sp.find(f"{qn('p:spPr')}/{qn('a:xfrm')}/{qn('a:ext')}")
        if off is not None and ext is not None:
            box = (int(off.get("x", 0)), int(off.get("y", 0)), int(ext.get("cx", 0)), int(ext.get("cy", 0)))
        out.append((sp, ph.get("type", "obj"), int(ph.get("idx", "0")), box))
    return out


def ph_attributes(sp: Any) -> dict[str, str]:
    """The p:ph attributes of a (layout or master) placeholder shape."""
    ph = sp.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
    return dict(ph.attrib) if ph is not None else {}


def add_slide_id(presentation: Any, r_id: str, slide_id: int) -> None:
    """List a slide in p:sldIdLst (after p:sldMasterIdLst and p:notesMasterIdLst)."""
    lst = presentation.find(qn("p:sldIdLst"))
    if lst is None:
        lst = etree.Element(qn("p:sldIdLst"))
        anchor = presentation.find(qn("p:notesMasterIdLst"))
        if anchor is None:
            anchor = presentation.find(qn("p:sldMasterIdLst"))
        anchor.addnext(lst)
    _sub(lst, "p:sldId", id=str(slide_id)).set(qn("r:id"), r_id)


def placeholder_text_style(sp: Any) -> tuple[Any | None, Any | None]:
    """A placeholder's a:lstStyle and a:bodyPr (either may be None)."""
    tx = sp.find(qn("p:txBody"))
    if tx is None:
        return None, None
    return tx.find(qn("a:lstStyle")), tx.find(qn("a:bodyPr"))


def has_level_style(list_style: Any | None) -> bool:
    """Does an a:lstStyle style its first level?"""
    return list_style is not None and list_style.find(qn("a:lvl1pPr")) is not None


# ---------------------------------------------------------------------------
# Parts


def set_theme_fonts(theme_xml: bytes, major_ea: str, minor_ea: str) -> bytes:
    """The theme part with the East Asian faces (a:ea and the Hans script
    font) of its major (headings) and minor (body) fonts set."""
    root = parse_xml(theme_xml)
    for which, face in (("a:majorFont", major_ea), ("a:minorFont", minor_ea)):
        for font in root.iter(qn(which)):
            ea = font.find(qn("a:ea"))
            if ea is None:
                ea = etree.Element(qn("a:ea"))
                latin = font.find(qn("a:latin"))
                (latin.addnext(ea) if latin is not None else font.insert(0, ea))
            ea.set("typeface", face)
            hans = next((f for f in font.findall(qn("a:font")) if f.get("script") == "Hans"), None)
            if hans is None:
                hans = etree.Element(qn("a:font"), script="Hans")
                cs = font.find(qn("a:cs"))
                (cs.addnext(hans) if cs is not None else ea.addnext(hans))
            hans.set("typeface", face)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_layout_id(master: Any, r_id: str, layout_id: int) -> None:
    """List a slide layout in a master's p:sldLayoutIdLst."""
    lst = master.find(qn("p:sldLayoutIdLst"))
    if lst is None:
        lst = etree.Element(qn("p:sldLayoutIdLst"))
        master.find(qn("p:clrMap")).addnext(lst)
    _sub(lst, "p:sldLayoutId", id=str(layout_id)).set(qn("r:id"), r_id)


def used_ids(presentation: Any, masters: Sequence[Any]) -> list[int]:
    """Master and layout ids in use (they share one id space)."""
    ids = [int(e.get("id")) for e in presentation.iter(qn("p:sldMasterId"))]
    for m in masters:
        ids += [int(e.get("id")) for e in m.iter(qn("p:sldLayoutId"))]
    return ids


def remove_slide_ids(presentation: Any) -> list[str]:
    """Empty p:sldIdLst; the relationship ids of the slides it listed."""
    lst = presentation.find(qn("p:sldIdLst"))
    if lst is None:
        return []
    r_ids = [e.get(qn("r:id")) for e in lst]
    for e in list(lst):
        lst.remove(e)
    return r_ids


# ---------------------------------------------------------------------------
# Colours: what a template draws behind its text, for the contrast check


def scheme_colors(theme_xml: bytes) -> dict[str, str]:
    """The theme part's colour scheme, name -> "RRGGBB", with the mapped
    names slides use (bg1 = lt1, tx1 = dk1, bg2 = lt2, tx2 = dk2)."""
    root = parse_xml(theme_xml)
    scheme = root.find(f".//{qn('a:clrScheme')}")
    out: dict[str, str] = {}
    for child in scheme if scheme is not None else ():
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        srgb = child.find(qn("a:srgbClr"))
        sys_ = child.find(qn("a:sysClr"))
        value = srgb.get("val") if srgb is not None else sys_.get("lastClr") if sys_ is not None else None
        if value:
            out[name] = value.upper()
    for alias, name in (("bg1", "lt1"), ("tx1", "dk1"), ("bg2", "lt2"), ("tx2", "dk2")):
        if name in out:
            out[alias] = out[name]
    return out


def _fill_colors(fill_parent: Any) -> list[str] | None:
    """The colours of a solid or gradient fill under ``fill_parent`` (scheme
    names or "#RRGGBB"), [] for no fill, None when there is none to read."""
    if fill_parent is None:
        return None
    if fill_parent.find(qn("a:noFill")) is not None:
        return []
    for tag in ("a:solidFill", "a:gradFill"):
        fill = fill_parent.find(qn(tag))
        if fill is None:
            continue
        out = []
        for el in fill.iter(qn("a:schemeClr"), qn("a:srgbClr")):
            val = el.get("val", "")
            out.append(val if el.tag == qn("a:schemeClr") else "#" + val.upper())
        return out
    return None


def background(slide_like: Any) -> list[str] | None:
    """The colours of a layout's or master's own background, or None."""
    bg = slide_like.find(f"{qn('p:cSld')}/{qn('p:bg')}/{qn('p:bgPr')}")
    return _fill_colors(bg) or None


def filled_shapes(slide_like: Any) -> list[tuple[Emus, list[str], bool]]:
    """(box, fill colours, is a placeholder) of each shape in z-order."""
    out = []
    tree = slide_like.find(f"{qn('p:cSld')}/{qn('p:spTree')}")
    for sp in tree.iter(qn("p:sp")):
        sppr = sp.find(qn("p:spPr"))
        off = sp.find(f"{qn('p:spPr')}/{qn('a:xfrm')}/{qn('a:off')}")
        ext = sp.find(f"{qn('p:spPr')}/{qn('a:xfrm')}/{qn('a:ext')}")
        ph = sp.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
        if off is None or ext is None:
            continue
        box = (int(off.get("x", 0)), int(off.get("y", 0)), int(ext.get("cx", 0)), int(ext.get("cy", 0)))
        out.append((box, _fill_colors(sppr) or [], ph is not None))
    return out


def text_color(sp: Any) -> str | None:
    """The colour a placeholder's first level sets for its text (a scheme
    name or "#RRGGBB"), or None."""
    fill = sp.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
    colors = _fill_colors(fill)
    return colors[0] if colors else None


def master_text_color(master: Any, style: str) -> str | None:
    """The colour of a master's title or body text style ("titleStyle", "bodyStyle")."""
    fill = master.find(f"{qn('p:txStyles')}/{qn('p:' + style)}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
    colors = _fill_colors(fill)
    return colors[0] if colors else None
