"""The deck template: which .pptx, its layouts by name, and their geometry.

Layouts are found by name, never by index: "Title Slide", "Section Header",
"Title and Content", "Closing", or the names Chinese PowerPoint gives the
first three (标题幻灯片, 节标题, 标题和内容).  A layout the template lacks
gets a warning and is copied in from the bundled template (a missing Closing
first borrows the template's own Title Slide, which matches its look).
Slides already in the template are dropped, as pandoc does with a reference
deck.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.exc import PythonPptxError
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.parts.slide import SlideLayoutPart
from pptx.slide import SlideLayout

from ...errors import InputError, InputNotFoundError
from ...model import Warning
from ...resources import resource_path
from ...theme import Theme
from ..xml_parse import parse_xml
from . import oxml as ox
from .contrast import readable
from .fit import Box
from .plan import LAYOUT_KEYS, Geometry, LayoutFrames, LayoutKey

LAYOUT_NAMES: dict[LayoutKey, tuple[str, ...]] = {
    "title": ("Title Slide", "标题幻灯片"),
    "section": ("Section Header", "节标题"),
    "content": ("Title and Content", "标题和内容"),
    "closing": ("Closing", "结束页"),
}
DEFAULT_DECK = "official"
EMU_PER_PT = 12700


class TemplateError(InputError):
    """A deck template that cannot be read."""

    code = "bad_template"


@dataclass(frozen=True, slots=True)
class Template:
    path: Path
    bundled: bool


def bundled_deck(name: str) -> Path:
    return resource_path("templates") / f"deck-{name}.pptx"


def template_for(theme: Theme, override: str | None) -> Template:
    """``--template`` when given, else the theme's ``deck.template``: a
    bundled name or a path (relative to the theme file)."""
    if override:
        path = Path(override)
        if not path.is_file():
            raise InputNotFoundError(f"{override}: no such template deck")
        return Template(path, False)
    spec = theme.deck.template
    if "/" in spec or "\\" in spec or spec.endswith(".pptx"):
        path = Path(spec)
        if not path.is_absolute():
            path = Path(theme.source).parent / path
        if not path.is_file():
            raise TemplateError(f"{theme.source}: deck.template {spec!r}: no such file")
        return Template(path, False)
    path = bundled_deck(spec)
    if not path.is_file():
        known = ", ".join(sorted(p.stem[5:] for p in resource_path("templates").glob("deck-*.pptx")))
        raise TemplateError(f"{theme.source}: deck.template {spec!r} is not a bundled deck ({known}) or a .pptx path")
    return Template(path, True)


@lru_cache(maxsize=8)
def _read(path: str, stamp: tuple[int, int]) -> bytes:
    return Path(path).read_bytes()


# What a template deck may hold: a real one is tens or hundreds of KB
# (pictures included); more is a mistake or a zip bomb (1 MB that unpacks
# to 1 GiB), which python-pptx would unpack into memory whole.
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024
MAX_TEMPLATE_UNPACKED = 200 * 1024 * 1024


def open_template(template: Template) -> Any:
    """A fresh Presentation of the template, without its slides."""
    stat = template.path.stat()
    if stat.st_size > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"{template.path}: a template deck of {stat.st_size:,} bytes is too large "
                            f"(at most {MAX_TEMPLATE_BYTES:,})")
    data = _read(str(template.path), (stat.st_mtime_ns, stat.st_size))
    try:
        _check_unpacked_size(data)
        prs = Presentation(io.BytesIO(data))
        for part in prs.part.package.iter_parts():
            # python-pptx parses the parts it models; the theme parts, which
            # we read ourselves (fonts, colours), are checked here, once.
            if part.content_type.endswith("+xml") and not hasattr(part, "_element"):
                parse_xml(part.blob)
    except TemplateError as err:
        raise TemplateError(f"{template.path}: {err}") from None
    except (zipfile.BadZipFile, KeyError, ValueError, PythonPptxError) as err:
        raise TemplateError(f"{template.path}: not a PowerPoint deck (.pptx): {err}") from None
    except etree.XMLSyntaxError as err:  # a part that is not XML
        raise TemplateError(f"{template.path}: not a PowerPoint deck (.pptx): a part is not valid XML ({err})") from None
    _drop_slides(prs)
    return prs


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a zip whose members would unpack to more than
    MAX_TEMPLATE_UNPACKED, from the sizes its directory states (zipfile
    stops reading a member at its stated size, so they cannot lie)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(info.file_size for info in z.infolist())
    except zipfile.BadZipFile:
        return  # python-pptx names the problem
    if total > MAX_TEMPLATE_UNPACKED:
        raise TemplateError(f"it unpacks to {total:,} bytes (at most {MAX_TEMPLATE_UNPACKED:,}): not a template deck")


def _drop_slides(prs: Any) -> None:
    for r_id in ox.remove_slide_ids(prs.part._element):
        prs.part.drop_rel(r_id)


# ---------------------------------------------------------------------------
# Layouts

_TITLE_TYPES = ("title", "ctrTitle")
_NOT_BODY = _TITLE_TYPES + ("dt", "ftr", "sldNum", "hdr", "pic", "sldImg", "chart", "tbl", "clipArt", "dgm", "media")
# A layout placeholder without a position takes the master's of this type.
_MASTER_TYPE = {"ctrTitle": "title", "title": "title", "subTitle": "body", "obj": "body", "body": "body",
                "sldNum": "sldNum"}


@dataclass(frozen=True, slots=True)
class LayoutParts:
    """What slides need from a layout, read once: the p:ph attributes and
    boxes (pt) of its title and body placeholders, and its slide number's
    box and style (a:lstStyle, a:bodyPr elements, or None)."""

    layout: SlideLayout
    title_ph: dict[str, str]
    title_box: Box | None
    body_ph: dict[str, str] | None
    body_box: Box | None
    number_box: Box | None
    number_style: tuple[Any, Any]


def _pt_box(box: ox.Emus | None) -> Box | None:
    if box is None:
        return None
    return Box(box[0] / EMU_PER_PT, box[1] / EMU_PER_PT, box[2] / EMU_PER_PT, box[3] / EMU_PER_PT)


def layout_parts(layout: SlideLayout) -> LayoutParts | None:
    """The layout's placeholders, or None when it has no title placeholder."""
    own = ox.placeholders(layout._element)
    master = ox.placeholders(layout.slide_master._element)

    def box_of(entry: tuple[Any, str, int, ox.Emus | None]) -> Box | None:
        if entry[3] is not None:
            return _pt_box(entry[3])
        kind = _MASTER_TYPE.get(entry[1])
        return next((_pt_box(m[3]) for m in master if _MASTER_TYPE.get(m[1]) == kind and m[3] is not None), None)

    title = next((e for e in own if e[1] in _TITLE_TYPES), None)
    if title is None:
        return None
    bodies = [e for e in own if e[1] not in _NOT_BODY]
    body = next((e for e in bodies if e[2] == 1), bodies[0] if bodies else None)
    number = next((e for e in own if e[1] == "sldNum"), None)
    master_number = next((e for e in master if e[1] == "sldNum"), None)
    number_box = (box_of(number) if number is not None else None) or (
        _pt_box(master_number[3]) if master_number is not None else None)
    # The layout's own text style when it styles the number, else the master's.
    styles = [ox.placeholder_text_style(e[0]) for e in (number, master_number) if e is not None]
    style = next((st for st in styles if ox.has_level_style(st[0])), styles[0] if styles else (None, None))
    return LayoutParts(
        layout, ox.ph_attributes(title[0]), box_of(title),
        ox.ph_attributes(body[0]) if body is not None else None, box_of(body) if body is not None else None,
        number_box, style,
    )


def _all_layouts(prs: Any) -> list[SlideLayout]:
    return [layout for master in prs.slide_masters for layout in master.slide_layouts]


def _by_name(prs: Any, names: tuple[str, ...]) -> LayoutParts | None:
    layouts = _all_layouts(prs)
    for name in names:
        for layout in layouts:
            if layout.name.strip().lower() == name.lower():
                parts = layout_parts(layout)
                if parts is not None:
                    return parts
    return None


def choose_layouts(prs: Any, template: Template) -> tuple[dict[LayoutKey, LayoutParts], list[Warning]]:
    """The layout for each key, importing bundled ones the template lacks."""
    chosen: dict[LayoutKey, LayoutParts] = {}
    warnings: list[Warning] = []
    bundled: Any = None
    for key in LAYOUT_KEYS:
        found = _by_name(prs, LAYOUT_NAMES[key])
        if found is not None:
            chosen[key] = found
            continue
        wanted = " or ".join(f"“{n}”" for n in LAYOUT_NAMES[key])
        if key == "closing" and "title" in chosen and not template.bundled:
            chosen[key] = chosen["title"]
            warnings.append(Warning("pptx_layout_missing",
                                    f"{template.path.name} has no layout named {wanted}; the closing slide uses its "
                                    f"“{chosen['title'].layout.name}” layout"))
            continue
        if bundled is None:
            bundled = Presentation(io.BytesIO(bundled_deck(DEFAULT_DECK).read_bytes()))
        source = _by_name(bundled, LAYOUT_NAMES[key])
        assert source is not None, f"the bundled deck lacks its {key} layout"
        imported = layout_parts(import_layout(prs, source.layout))
        assert imported is not None
        chosen[key] = imported
        warnings.append(Warning("pptx_layout_missing",
                                f"{template.path.name} has no layout named {wanted}; used the bundled one"))
    return chosen, warnings


def import_layout(prs: Any, source: SlideLayout) -> SlideLayout:
    """Copy a layout (shapes only: the bundled layouts hold no pictures)
    from another deck into ``prs``'s first master."""
    package = prs.part.package
    partname = package.next_partname("/ppt/slideLayouts/slideLayout%d.xml")
    part = SlideLayoutPart.load(partname, source.part.content_type, package, source.part.blob)
    master = prs.slide_masters[0]
    part.relate_to(master.part, RT.SLIDE_MASTER)
    r_id = master.part.relate_to(part, RT.SLIDE_LAYOUT)
    new_id = max([2147483648, *ox.used_ids(prs.part._element, [m._element for m in prs.slide_masters])]) + 1
    ox.add_layout_id(master._element, r_id, new_id)
    return part.slide_layout


# ---------------------------------------------------------------------------
# Geometry


def geometry(prs: Any, layouts: dict[LayoutKey, LayoutParts]) -> Geometry:
    width, height = prs.slide_width / EMU_PER_PT, prs.slide_height / EMU_PER_PT
    frames: dict[str, LayoutFrames] = {}
    for key, parts in layouts.items():
        title = parts.title_box or Box(width * 0.06, height * 0.04, width * 0.88, height * 0.15)
        frames[key] = LayoutFrames(title, parts.body_box)
    return Geometry(width, height, frames)


# ---------------------------------------------------------------------------
# Contrast

TextSlot = str  # "title", "body" or "number"


def _theme_xml(layout: SlideLayout) -> bytes | None:
    master = layout.slide_master.part
    return next((r.target_part.blob for r in master.rels.values() if r.reltype == RT.THEME), None)


def text_backdrops(parts: LayoutParts) -> tuple[dict[str, str], dict[TextSlot, tuple[str, list[str]]]]:
    """The layout's scheme colours, and for its title, body and slide-number
    placeholders the text colour and the colours drawn behind the
    placeholder (a filled shape under its centre, else the background)."""
    layout = parts.layout._element
    master = parts.layout.slide_master._element
    blob = _theme_xml(parts.layout)
    scheme = ox.scheme_colors(blob) if blob else {}
    page = ox.background(layout) or ox.background(master) or ["bg1"]
    shapes = [s for s in ox.filled_shapes(master) + ox.filled_shapes(layout) if not s[2] and s[1]]
    out: dict[TextSlot, tuple[str, list[str]]] = {}
    for sp, kind, idx, box in ox.placeholders(layout):
        if kind in _TITLE_TYPES:
            slot, style = "title", "titleStyle"
        elif kind == "sldNum":
            slot, style = "number", "otherStyle"
        elif parts.body_ph is not None and ox.ph_attributes(sp) == parts.body_ph:
            slot, style = "body", "bodyStyle"
        else:
            continue
        color = ox.text_color(sp) or ox.master_text_color(master, style) or "tx1"
        behind = page
        if box is not None:
            cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
            under = [fills for (x, y, w, h), fills, _ in shapes if x <= cx <= x + w and y <= cy <= y + h]
            if under:
                behind = under[-1]
        out[slot] = (color, list(behind))
    return scheme, out


def readable_colors(layouts: dict[LayoutKey, LayoutParts], minimum: float) -> dict[LayoutKey, dict[TextSlot, str]]:
    """Per layout, the text colours to write instead of the template's where
    the template's fall below ``minimum`` contrast on what is behind them."""
    out: dict[LayoutKey, dict[TextSlot, str]] = {}
    for key, parts in layouts.items():
        scheme, slots = text_backdrops(parts)
        found = {slot: new for slot, (color, behind) in slots.items()
                 if (new := readable(color, behind, scheme, minimum)) is not None}
        out[key] = found
    return out
