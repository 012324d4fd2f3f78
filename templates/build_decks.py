#!/usr/bin/env python3
"""Build the bundled slide-deck templates: templates/deck-official.pptx (党政
red title band, gold accents) and templates/deck-neutral.pptx (white, slate
and blue).

    python3 templates/build_decks.py          # rewrites both .pptx beside this file

Both are 16:9 (13.333 × 7.5 in).  python-pptx's default template switched to
16:9 keeps its placeholders at 4:3 positions, so every master and layout
placeholder is placed here explicitly.  The layouts carry the contract names
the slide renderer looks up ("Title Slide", "Section Header", "Title and
Content", "Closing"); each has a title placeholder, a second text
placeholder (idx 1: subtitle, section lead or body) and a slide-number
placeholder whose position and colour the renderer copies to its slide-number
text box.  Decoration is plain shapes in theme colours, so a theme colour
change restyles it.  Output is reproducible: fixed part timestamps and zip
dates.
"""

from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.oxml import parse_xml
from pptx.util import Emu

HERE = Path(__file__).resolve().parent
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
NSDECL = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
EMU_PER_IN = 914400
SLIDE_W, SLIDE_H = 13.333, 7.5
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_FIXED = datetime(2025, 1, 1, tzinfo=UTC)


def emu(inches: float) -> int:
    return round(inches * EMU_PER_IN)


# ---------------------------------------------------------------------------
# Designs


@dataclass(frozen=True)
class Design:
    name: str
    theme_name: str
    colors: dict[str, str]  # dk1 lt1 dk2 lt2 accent1..6 hlink folHlink
    major: tuple[str, str]  # (latin, east asian) for titles
    minor: tuple[str, str]  # for body text
    title_color: str  # scheme colour of slide titles on Title and Content
    body_color: str
    bullet: str
    bullet_color: str


OFFICIAL = Design(
    name="official",
    theme_name="党政红",
    colors={
        "dk1": "262626", "lt1": "FFFFFF", "dk2": "7A0A0E", "lt2": "FBF4E6",
        "accent1": "C0161D", "accent2": "D9A934", "accent3": "8E1016", "accent4": "F3DDA6",
        "accent5": "595959", "accent6": "A6A6A6", "hlink": "C0161D", "folHlink": "7A0A0E",
    },
    major=("Arial", "黑体"),
    minor=("Times New Roman", "仿宋_GB2312"),
    title_color="bg1",
    body_color="tx1",
    bullet="■",
    bullet_color="accent1",
)

NEUTRAL = Design(
    name="neutral",
    theme_name="简洁",
    colors={
        "dk1": "1F2933", "lt1": "FFFFFF", "dk2": "1B3A5C", "lt2": "EEF2F7",
        "accent1": "2A6496", "accent2": "E0A43A", "accent3": "5B7F9E", "accent4": "C9D6E3",
        "accent5": "6B7785", "accent6": "A7B1BC", "hlink": "2A6496", "folHlink": "1B3A5C",
    },
    major=("Arial", "黑体"),
    minor=("Arial", "微软雅黑"),
    title_color="tx2",
    body_color="tx1",
    bullet="●",
    bullet_color="accent1",
)


# ---------------------------------------------------------------------------
# XML pieces


def _fill(color: str | None) -> str:
    if color is None:
        return "<a:noFill/>"
    if color.startswith("#"):
        return f'<a:solidFill><a:srgbClr val="{color[1:]}"/></a:solidFill>'
    return f'<a:solidFill><a:schemeClr val="{color}"/></a:solidFill>'


def _gradient(top: str, bottom: str) -> str:
    return (
        '<a:gradFill rotWithShape="1"><a:gsLst>'
        f'<a:gs pos="0"><a:srgbClr val="{top}"/></a:gs>'
        f'<a:gs pos="100000"><a:srgbClr val="{bottom}"/></a:gs>'
        '</a:gsLst><a:lin ang="5400000" scaled="0"/></a:gradFill>'
    )


class _Ids:
    def __init__(self) -> None:
        self.n = 1

    def __call__(self) -> int:
        self.n += 1
        return self.n


def rect(ids: _Ids, name: str, x: float, y: float, w: float, h: float, fill: str, geom: str = "rect") -> str:
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{ids()}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'
        f'<a:prstGeom prst="{geom}"><a:avLst/></a:prstGeom>{_fill(fill)}<a:ln><a:noFill/></a:ln></p:spPr>'
        '<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:endParaRPr lang="zh-CN"/></a:p></p:txBody>'
        "</p:sp>"
    )


def placeholder(ids: _Ids, name: str, ph: str, x: float, y: float, w: float, h: float, *, anchor: str = "t",
                align: str = "l", size: float | None = None, color: str | None = None, font: str | None = None,
                prompt: str = "", bullet: bool | None = None) -> str:
    """A placeholder with its position and a level-1 style: ``ph`` is the
    p:ph element's attributes."""
    rpr = ""
    if size is not None:
        rpr += f' sz="{int(size * 100)}"'
    inner = _fill(color) if color else ""
    if font:
        inner += f'<a:latin typeface="+{font}-lt"/><a:ea typeface="+{font}-ea"/>'
    bu = "" if bullet is None else ("<a:buNone/>" if not bullet else "")
    margins = ' marL="0" indent="0"' if bullet is False else ""
    lvl1 = f'<a:lvl1pPr algn="{align}"{margins}>{bu}<a:defRPr{rpr}>{inner}</a:defRPr></a:lvl1pPr>'
    body = f'<a:p><a:r><a:rPr lang="zh-CN" altLang="en-US"/><a:t>{prompt}</a:t></a:r></a:p>' if prompt else (
        '<a:p><a:endParaRPr lang="zh-CN"/></a:p>')
    if "sldNum" in ph:
        body = ('<a:p><a:fld id="{6A1E2B4C-3D5F-4A6B-8C7D-9E0F1A2B3C4D}" type="slidenum">'
                '<a:rPr lang="zh-CN" altLang="en-US"/><a:t>‹#›</a:t></a:fld><a:endParaRPr lang="zh-CN"/></a:p>')
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{ids()}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f"<p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr>"
        f'<p:spPr><a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>'
        f'<p:txBody><a:bodyPr vert="horz" lIns="91440" tIns="45720" rIns="91440" bIns="45720" rtlCol="0" '
        f'anchor="{anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle>{lvl1}</a:lstStyle>{body}</p:txBody></p:sp>'
    )


def sp_tree(shapes: list[str]) -> str:
    return (
        '<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
        '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
        '<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>' + "".join(shapes) + "</p:spTree>"
    )


def c_sld(name: str, bg: str | None, shapes: list[str]) -> str:
    background = f"<p:bg><p:bgPr>{bg}<a:effectLst/></p:bgPr></p:bg>" if bg else ""
    return f'<p:cSld {NSDECL} name="{name}">{background}{sp_tree(shapes)}</p:cSld>'


# ---------------------------------------------------------------------------
# Layouts per design.  Positions in inches on the 13.333 × 7.5 in slide.

SLD_NUM = 'type="sldNum" sz="quarter" idx="12"'


def official_layouts(d: Design) -> dict[str, tuple[str | None, list]]:
    red = _gradient("A10E14", "CC1C22")
    W = SLIDE_W
    gold_stripes = lambda ids: [
        rect(ids, "Gold Rule", 0, 6.86, W, 0.04, "accent2"),
        rect(ids, "Gold Band", 0, 6.96, W, 0.16, "accent2"),
    ]

    def title(ids: _Ids) -> list[str]:
        return [
            rect(ids, "Gold Top Rule", 0, 0.38, W, 0.03, "accent2"),
            *gold_stripes(ids),
            rect(ids, "Gold Divider", 4.67, 4.22, 4.0, 0.05, "accent2"),
            placeholder(ids, "Title 1", 'type="ctrTitle"', 0.9, 1.35, 11.53, 2.7, anchor="b", align="ctr",
                        size=40, color="bg1", font="mj", prompt="单击此处编辑标题"),
            placeholder(ids, "Subtitle 2", 'type="subTitle" idx="1"', 0.9, 4.5, 11.53, 1.9, anchor="t",
                        align="ctr", size=24, color="accent4", font="mn", prompt="讲话人　日期", bullet=False),
            placeholder(ids, "Slide Number 3", SLD_NUM, 11.6, 7.12, 1.2, 0.34, anchor="ctr", align="r",
                        size=12, color="accent4"),
        ]

    def section(ids: _Ids) -> list[str]:
        return [
            rect(ids, "Gold Top Rule", 0, 0.38, W, 0.03, "accent2"),
            *gold_stripes(ids),
            rect(ids, "Gold Accent", 0.9, 1.72, 1.1, 0.09, "accent2"),
            placeholder(ids, "Title 1", 'type="title"', 0.9, 1.92, 11.53, 2.13, anchor="b", align="l",
                        size=36, color="bg1", font="mj", prompt="单击此处编辑章节标题"),
            rect(ids, "Gold Line", 0.9, 4.17, 11.53, 0.02, "accent2"),
            placeholder(ids, "Text 2", 'type="body" idx="1"', 0.9, 4.32, 11.53, 1.9, anchor="t", align="l",
                        size=24, color="accent4", font="mn", prompt="本部分要旨", bullet=False),
            placeholder(ids, "Slide Number 3", SLD_NUM, 11.6, 6.42, 1.2, 0.34, anchor="ctr", align="r",
                        size=12, color="accent4"),
        ]

    def content(ids: _Ids) -> list[str]:
        return [
            rect(ids, "Title Band", 0, 0, W, 1.12, "accent1"),
            rect(ids, "Gold Rule", 0, 1.12, W, 0.06, "accent2"),
            rect(ids, "Title Mark", 0.45, 0.36, 0.1, 0.42, "accent2"),
            placeholder(ids, "Title 1", 'type="title"', 0.68, 0.1, 12.1, 0.92, anchor="ctr", align="l",
                        size=32, color="bg1", font="mj", prompt="单击此处编辑标题"),
            placeholder(ids, "Content 2", 'idx="1"', 0.75, 1.42, 11.83, 5.43, anchor="t", align="l",
                        prompt="单击此处编辑文本"),
            rect(ids, "Footer Rule", 0.75, 6.98, 11.83, 0.015, "accent1"),
            placeholder(ids, "Slide Number 3", SLD_NUM, 11.38, 7.03, 1.2, 0.36, anchor="ctr", align="r",
                        size=12, color="accent1"),
        ]

    def closing(ids: _Ids) -> list[str]:
        return [
            rect(ids, "Gold Top Rule", 0, 0.38, W, 0.03, "accent2"),
            *gold_stripes(ids),
            placeholder(ids, "Title 1", 'type="title"', 0.9, 1.9, 11.53, 2.1, anchor="b", align="ctr",
                        size=54, color="bg1", font="mj", prompt="谢谢！"),
            rect(ids, "Gold Divider", 5.67, 4.2, 2.0, 0.05, "accent2"),
            placeholder(ids, "Text 2", 'type="body" idx="1"', 0.9, 4.45, 11.53, 1.8, anchor="t", align="ctr",
                        size=24, color="accent4", font="mn", prompt="落款", bullet=False),
            placeholder(ids, "Slide Number 3", SLD_NUM, 11.6, 6.42, 1.2, 0.34, anchor="ctr", align="r",
                        size=12, color="accent4"),
        ]

    return {"Title Slide": (red, [title]), "Section Header": (red, [section]),
            "Title and Content": (None, [content]), "Closing": (red, [closing])}


def neutral_layouts(d: Design) -> dict[str, tuple[str | None, list]]:
    navy = _gradient("1B3A5C", "22486F")
    W = SLIDE_W

    def title(ids: _Ids) -> list[str]:
        return [
            rect(ids, "Accent Bar", 0.9, 1.95, 0.1, 3.55, "accent1"),
            rect(ids, "Bottom Band", 0, 7.1, W, 0.4, "tx2"),
            rect(ids, "Bottom Accent", 0, 7.04, W, 0.06, "accent2"),
            placeholder(ids, "Title 1", 'type="ctrTitle"', 1.25, 1.9, 11.2, 2.3, anchor="b", align="l",
                        size=40, color="tx2", font="mj", prompt="单击此处编辑标题"),
            placeholder(ids, "Subtitle 2", 'type="subTitle" idx="1"', 1.25, 4.35, 11.2, 1.25, anchor="t",
                        align="l", size=22, color="accent5", font="mn", prompt="讲话人　日期", bullet=False),
            placeholder(ids, "Slide Number 3", SLD_NUM, 11.6, 7.12, 1.2, 0.34, anchor="ctr", align="r",
                        size=12, color="bg1"),
        ]

    def section(ids: _Ids) -> list[str]:
        return [
            rect(ids, "Accent", 0.9, 1.75, 1.1, 0.08, "accent2"),
            placeholder(ids, "Title 1", 'type="title"', 0.9, 1.92, 11.53, 2.13, anchor="b", align="l",
                        size=36, color="bg1", font="mj", prompt="单击此处编辑章节标题"),
            rect(ids, "Rule", 0.9, 4.17, 11.53, 0.015, "accent4"),
            placeholder(ids, "Text 2", 'type="body" idx="1"', 0.9, 4.32, 11.53, 1.9, anchor="t", align="l",
                        size=24, color="accent4", font="mn", prompt="本部分要旨", bullet=False),
            placeholder(ids, "Slide Number 3", SLD_NUM, 11.6, 6.9, 1.2, 0.34, anchor="ctr", align="r",
                        size=12, color="accent4"),
        ]

    def content(ids: _Ids) -> list[str]:
        return [
            rect(ids, "Accent Bar", 0.75, 1.2, 1.0, 0.07, "accent1"),
            rect(ids, "Hairline", 1.75, 1.225, 10.83, 0.02, "accent4"),
            placeholder(ids, "Title 1", 'type="title"', 0.68, 0.25, 11.9, 0.9, anchor="b", align="l",
                        size=32, color="tx2", font="mj", prompt="单击此处编辑标题"),
            placeholder(ids, "Content 2", 'idx="1"', 0.75, 1.45, 11.83, 5.4, anchor="t", align="l",
                        prompt="单击此处编辑文本"),
            rect(ids, "Footer Rule", 0.75, 6.98, 11.83, 0.012, "accent4"),
            placeholder(ids, "Slide Number 3", SLD_NUM, 11.38, 7.03, 1.2, 0.36, anchor="ctr", align="r",
                        size=12, color="accent5"),
        ]

    def closing(ids: _Ids) -> list[str]:
        return [
            placeholder(ids, "Title 1", 'type="title"', 0.9, 1.9, 11.53, 2.1, anchor="b", align="ctr",
                        size=54, color="bg1", font="mj", prompt="谢谢！"),
            rect(ids, "Accent", 6.17, 4.2, 1.0, 0.07, "accent2"),
            placeholder(ids, "Text 2", 'type="body" idx="1"', 0.9, 4.45, 11.53, 1.8, anchor="t", align="ctr",
                        size=24, color="accent4", font="mn", prompt="落款", bullet=False),
            placeholder(ids, "Slide Number 3", SLD_NUM, 11.6, 6.9, 1.2, 0.34, anchor="ctr", align="r",
                        size=12, color="accent4"),
        ]

    return {"Title Slide": (None, [title]), "Section Header": (navy, [section]),
            "Title and Content": (None, [content]), "Closing": (navy, [closing])}


# ---------------------------------------------------------------------------
# Master, theme, text styles


def tx_styles(d: Design) -> str:
    def level(n: int, size: int, indent_in: float) -> str:
        mar = emu(0.38 + indent_in)
        return (
            f'<a:lvl{n}pPr marL="{mar}" indent="-{emu(0.38)}" algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" '
            f'latinLnBrk="0" hangingPunct="0"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{int(size * 0.5 * 100)}"/></a:spcBef>'
            f'<a:buClr><a:schemeClr val="{d.bullet_color}"/></a:buClr><a:buSzPct val="70000"/>'
            f'<a:buFontTx/><a:buChar char="{d.bullet}"/>'
            f'<a:defRPr sz="{size * 100}" kern="1200"><a:solidFill><a:schemeClr val="{d.body_color}"/></a:solidFill>'
            '<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl'
            f"{n}pPr>"
        )

    body = "".join(level(n, s, i) for n, s, i in ((1, 28, 0), (2, 24, 0.5), (3, 20, 1.0), (4, 18, 1.5), (5, 18, 2.0)))
    other = (
        '<a:defPPr><a:defRPr lang="zh-CN"/></a:defPPr>'
        '<a:lvl1pPr marL="0" algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="0">'
        '<a:defRPr sz="1800" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill>'
        '<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl1pPr>'
    )
    return (
        f"<p:txStyles {NSDECL}>"
        '<p:titleStyle><a:lvl1pPr algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="0">'
        '<a:lnSpc><a:spcPct val="100000"/></a:lnSpc><a:spcBef><a:spcPct val="0"/></a:spcBef><a:buNone/>'
        f'<a:defRPr sz="3200" kern="1200"><a:solidFill><a:schemeClr val="{d.title_color}"/></a:solidFill>'
        '<a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/></a:defRPr></a:lvl1pPr>'
        "</p:titleStyle>"
        f"<p:bodyStyle>{body}</p:bodyStyle>"
        f"<p:otherStyle>{other}</p:otherStyle>"
        "</p:txStyles>"
    )


def master_shapes(d: Design) -> list[str]:
    ids = _Ids()
    return [
        placeholder(ids, "Title Placeholder 1", 'type="title"', 0.68, 0.1, 12.1, 0.92, anchor="ctr",
                    prompt="单击此处编辑母版标题样式"),
        placeholder(ids, "Text Placeholder 2", 'type="body" idx="1"', 0.75, 1.42, 11.83, 5.43,
                    prompt="单击此处编辑母版文本样式"),
        placeholder(ids, "Slide Number Placeholder 3", 'type="sldNum" sz="quarter" idx="4"', 11.38, 7.03, 1.2, 0.36,
                    anchor="ctr", align="r", size=12, color="accent5"),
    ]


def set_theme(prs: Presentation, d: Design) -> None:
    theme_part = next(r.target_part for r in prs.slide_master.part.rels.values() if r.reltype.endswith("/theme"))
    root = etree.fromstring(theme_part.blob)
    root.set("name", d.theme_name)
    a = "{{{}}}".format(NS["a"])
    scheme = root.find(f".//{a}clrScheme")
    scheme.set("name", d.theme_name)
    for child in scheme:
        tag = etree.QName(child).localname
        for old in list(child):
            child.remove(old)
        etree.SubElement(child, f"{a}srgbClr", val=d.colors[tag])
    fonts = root.find(f".//{a}fontScheme")
    fonts.set("name", d.theme_name)
    for which, (latin, ea) in (("majorFont", d.major), ("minorFont", d.minor)):
        el = fonts.find(f"{a}{which}")
        el.find(f"{a}latin").set("typeface", latin)
        el.find(f"{a}ea").set("typeface", ea)
        for script in el.findall(f"{a}font"):
            if script.get("script") == "Hans":
                script.set("typeface", ea)
    theme_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _replace(parent: etree._Element, tag: str, xml: str) -> None:
    """Put the parsed ``xml`` where ``parent``'s child ``tag`` is."""
    old = parent.find(tag, NS)
    new = parse_xml(xml)
    old.addprevious(new)
    parent.remove(old)


def build(d: Design, layouts: dict[str, tuple[str | None, list]]) -> bytes:
    prs = Presentation()
    prs.slide_width = Emu(12192000)  # PowerPoint's 16:9, exactly 13.333… in
    prs.slide_height = Emu(emu(SLIDE_H))
    master = prs.slide_master
    set_theme(prs, d)
    _replace(master.element, "p:cSld", c_sld("", "<a:solidFill><a:schemeClr val=\"bg1\"/></a:solidFill>",
                                             master_shapes(d)))
    _replace(master.element, "p:txStyles", tx_styles(d))

    keep = {"Title Slide": "Title Slide", "Title and Content": "Title and Content",
            "Section Header": "Section Header", "Title Only": "Closing"}
    for layout in list(prs.slide_layouts):
        if layout.name not in keep:
            prs.slide_layouts.remove(layout)
    for layout in prs.slide_layouts:
        name = keep[layout.name]
        bg, builders = layouts[name]
        ids = _Ids()
        shapes = [s for b in builders for s in b(ids)]
        _replace(layout.element, "p:cSld", c_sld(name, bg, shapes))
        layout.element.set("preserve", "1")
        if name == "Closing":
            layout.element.set("type", "title")
    _ = prs.notes_master  # created now, so rendering never has to make one
    for r_id, rel in list(prs.part.rels.items()):
        if rel.reltype.endswith("/printerSettings"):  # python-pptx's default carries a Mac printer's
            prs.part.drop_rel(r_id)
    package_rels = prs.part.package._rels
    for r_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):  # a 4:3 picture of an empty slide
            package_rels.pop(r_id)
    props = prs.core_properties
    props.title = f"converter deck template: {d.name}"
    props.author = props.last_modified_by = "converter"
    props.created = props.modified = _FIXED.replace(tzinfo=None)
    props.revision = 1
    raw = io.BytesIO()
    prs.save(raw)
    return _rezip(raw.getvalue())


def _rezip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, _ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def main() -> int:
    for design, layouts in ((OFFICIAL, official_layouts(OFFICIAL)), (NEUTRAL, neutral_layouts(NEUTRAL))):
        path = HERE / f"deck-{design.name}.pptx"
        path.write_bytes(build(design, layouts))
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
