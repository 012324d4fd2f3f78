"""Issue 14 item 13: slide text reads on a projector.  Every text colour of
the bundled deck templates, as the slides use it (the template's own, or the
replacement the emitter writes where the template's reads too faintly), has
a WCAG 2 contrast of at least the theme's deck.min_contrast (4.5, AA) on
every colour drawn behind it: the layout's background (each stop of a
gradient) or the band under the text.  Measured here from the template's
XML with the WCAG formula written out, independently of the renderer's
contrast.py; and the slide bodies use a sans face."""

from __future__ import annotations

import re
import zipfile

import pytest
from lxml import etree

from converter.render.pptx.emit import CALLOUT_FILL
from converter.render.pptx.template import choose_layouts, open_template, readable_colors, template_for
from converter.theme import load_theme

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS = {"a": A, "p": P}


def luminance(rgb: str) -> float:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(int(rgb[i : i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_formula() -> None:
    assert contrast("000000", "FFFFFF") == pytest.approx(21.0)
    assert contrast("777777", "FFFFFF") == pytest.approx(4.48, abs=0.01)  # WCAG's own borderline grey


def fills(el) -> list[str]:
    return [("#" + c.get("val")) if c.tag == f"{{{A}}}srgbClr" else c.get("val")
            for c in el.iter(f"{{{A}}}srgbClr", f"{{{A}}}schemeClr")]


def template_pairs(path) -> tuple[dict[str, str], dict[str, list[tuple[str, str, list[str]]]]]:
    """The scheme, and per layout name the (placeholder type, text colour, colours behind) of its texts."""
    z = zipfile.ZipFile(path)
    theme = etree.fromstring(z.read("ppt/theme/theme1.xml"))
    scheme = {etree.QName(c).localname: c[0].get("val") for c in theme.find(".//a:clrScheme", NS)}
    scheme.update(bg1=scheme["lt1"], tx1=scheme["dk1"], bg2=scheme["lt2"], tx2=scheme["dk2"])
    master = etree.fromstring(z.read("ppt/slideMasters/slideMaster1.xml"))
    master_bg = master.find("p:cSld/p:bg", NS)
    layouts = {}
    for name in z.namelist():
        if not re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", name):
            continue
        root = etree.fromstring(z.read(name))
        bg = root.find("p:cSld/p:bg", NS)
        page = fills(bg if bg is not None else master_bg) or ["bg1"]
        rects, texts = [], []
        for sp in root.iter(f"{{{P}}}sp"):
            off, ext = sp.find("p:spPr/a:xfrm/a:off", NS), sp.find("p:spPr/a:xfrm/a:ext", NS)
            box = (int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))
            ph = sp.find("p:nvSpPr/p:nvPr/p:ph", NS)
            if ph is None:
                fill = sp.find("p:spPr/a:solidFill", NS)
                if fill is not None:
                    rects.append((box, fills(fill)))
                continue
            color = sp.find("p:txBody/a:lstStyle/a:lvl1pPr/a:defRPr/a:solidFill", NS)
            kind = ph.get("type", "obj")
            style = "titleStyle" if kind in ("title", "ctrTitle") else "bodyStyle"
            if color is None:
                color = master.find(f"p:txStyles/p:{style}/a:lvl1pPr/a:defRPr/a:solidFill", NS)
            cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
            under = [f for (x, y, w, h), f in rects if x <= cx <= x + w and y <= cy <= y + h]
            texts.append((kind, fills(color)[0], under[-1] if under else page))
        layouts[root.find("p:cSld", NS).get("name")] = texts
    return scheme, layouts


SLOT = {"title": "title", "ctrTitle": "title", "sldNum": "number"}


@pytest.mark.parametrize("theme_name", ["official", "handout"])
def test_every_text_colour_reads_on_its_band(theme_name: str) -> None:
    theme = load_theme(theme_name)
    template = template_for(theme, None)
    prs = open_template(template)
    layouts, _ = choose_layouts(prs, template)
    replaced = readable_colors(layouts, theme.deck.min_contrast)
    scheme, pairs = template_pairs(template.path)
    checked = 0
    for key, parts in layouts.items():
        for kind, color, behind in pairs[parts.layout.name]:
            slot = SLOT.get(kind, "body")
            color = replaced[key].get(slot, color)
            fg = scheme.get(color, color.lstrip("#"))
            for bg in behind:
                ratio = contrast(fg, scheme.get(bg, bg.lstrip("#")))
                assert ratio >= 4.5, (theme_name, key, kind, color, bg, round(ratio, 2))
                checked += 1
    # The colours the plan and emitter set themselves, on the content slide:
    # the subtitle (accent1) on the page, a quotation (tx1) and its
    # attribution (accent1) on the callout panel.
    page = scheme["lt1"]
    for fg, bg in (("accent1", page), ("tx1", scheme[CALLOUT_FILL]), ("accent1", scheme[CALLOUT_FILL])):
        assert contrast(scheme[fg], bg) >= 4.5, (theme_name, fg, bg)
    assert checked >= 12


def test_the_official_gold_lead_is_replaced() -> None:
    # The official template's gold (accent4) on the red band's lighter end is
    # 4.18:1: the section lead, bylines, 落款 and slide numbers there take the
    # template's cream (lt2) instead.
    theme = load_theme("official")
    template = template_for(theme, None)
    layouts, _ = choose_layouts(open_template(template), template)
    replaced = readable_colors(layouts, theme.deck.min_contrast)
    assert replaced["section"] == {"body": "lt2", "number": "lt2"}
    assert replaced["content"] == {}
    assert contrast("F3DDA6", "CC1C22") < 4.5 <= contrast("FBF4E6", "CC1C22")


@pytest.mark.parametrize("theme_name", ["official", "handout"])
def test_slide_bodies_are_set_in_a_sans_face(theme_name: str) -> None:
    deck = load_theme(theme_name).deck
    assert deck.body.face in ("黑体", "微软雅黑") and deck.heading.face == "黑体"


def test_min_contrast_is_a_theme_key(tmp_path) -> None:
    from converter.theme import ThemeError

    assert load_theme("official").deck.min_contrast == 4.5 == load_theme("handout").deck.min_contrast
    good = tmp_path / "aaa.toml"
    good.write_text('extends = "official"\n[deck]\nmin_contrast = 7\n', encoding="utf-8")
    assert load_theme(good).deck.min_contrast == 7.0
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "official"\n[deck]\nmin_contrast = 30\n', encoding="utf-8")
    with pytest.raises(ThemeError, match="min_contrast"):
        load_theme(bad)
