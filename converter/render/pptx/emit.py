"""Emit a planned deck into its template (``render_pptx`` in __init__.py calls
``render``).

python-pptx opens the template and holds the package; each slide and its
notes page are written as XML text by oxml.py and added as parts
(python-pptx's slide proxies clone placeholders through XPath queries, far
too slowly for a deck that must build in milliseconds).  Colours and decoration come from the
template; faces and sizes from the theme and the plan.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any, assert_never

from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI

from ... import __version__
from ...model import Outline
from ...theme import Theme
from ..base import RenderOptions, RenderResult, truncation_note
from ..core_properties import core_property
from ..layout import segments
from . import oxml as ox
from .fit import LINE_HEIGHT, Box
from .plan import (
    CALLOUT_BAR,
    DeckPlan,
    LayoutKey,
    PlacedPara,
    SlidePlan,
    TextBox,
    TextKind,
    deck_text,
    plan_deck,
)
from .template import (
    LayoutParts,
    choose_layouts,
    geometry,
    open_template,
    readable_colors,
    template_for,
)

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
CALLOUT_FILL = "bg2"  # the template's light background colour
CALLOUT_BAR_FILL = "accent1"
NOTES_KIND: TextKind = "body"
NOTES_INSETS = (7.2, 3.6, 7.2, 3.6)
FIRST_SLIDE_ID = 256


def render(outline: Outline, theme: Theme, options: RenderOptions) -> RenderResult:
    """Render ``outline`` as a 16:9 slide deck (bytes)."""
    template = template_for(theme, options.template)
    prs = open_template(template)
    layouts, warnings = choose_layouts(prs, template)
    plan = plan_deck(outline, theme, geometry(prs, layouts), truncation_note(outline, theme, options))
    _Emitter(prs, layouts, theme, readable_colors(layouts, theme.deck.min_contrast)).emit(plan)
    _properties(prs, outline, options)
    return RenderResult(_save(prs), tuple(warnings) + plan.warnings, len(plan.slides))


def _relate_new(source: Any, target: Any, reltype: str) -> str:
    """Relate ``source`` to a part made just now (so related to nothing
    yet), and return the rId.  python-pptx's relate_to first looks through
    every relationship of the source for one to reuse (python-pptx issue
    644): from the presentation to each of n slides that is n²/2 lookups, 24 s
    for a deck of 2,000 slides."""
    add = getattr(source.rels, "_add_relationship", None)
    return str(add(reltype, target)) if add is not None else str(source.relate_to(target, reltype))


class _Emitter:
    def __init__(self, prs: Any, layouts: dict[LayoutKey, LayoutParts], theme: Theme,
                 colors: dict[LayoutKey, dict[str, str]] | None = None) -> None:
        self.prs = prs
        # Text colours replacing the template's where they read too faintly.
        self.colors = colors or {}
        self.theme = theme
        self.package = prs.part.package
        self.layouts = layouts
        self.numbers = {key: ox.number_style(*parts.number_style) for key, parts in layouts.items()}
        self.notes_master = prs.part.notes_master_part
        self.notes_ph = self._notes_placeholders(self.notes_master._element)

    @staticmethod
    def _notes_placeholders(master: Any) -> tuple[dict[str, str] | None, dict[str, str]]:
        image, body = None, {"type": "body", "idx": "1"}
        for sp, kind, _, _ in ox.placeholders(master):
            if kind == "sldImg":
                image = ox.ph_attributes(sp)
            elif kind == "body":
                body = ox.ph_attributes(sp)
        return image, body

    def _theme_parts(self) -> list[Any]:
        """The slide masters' and the notes master's theme parts."""
        owners = [m.part for m in self.prs.slide_masters] + [self.notes_master]
        found = {id(r.target_part): r.target_part for o in owners for r in o.rels.values() if r.reltype == RT.THEME}
        return list(found.values())

    def emit(self, plan: DeckPlan) -> None:
        for part in self._theme_parts():
            part._blob = ox.set_theme_fonts(part.blob, self.theme.deck.heading.face, self.theme.deck.body.face)
        for n, slide in enumerate(plan.slides, start=1):
            self.add(n, slide, plan)

    def add(self, n: int, plan: SlidePlan, deck: DeckPlan) -> None:
        info = self.layouts[plan.layout]
        shapes: list[str] = []
        for box in plan.boxes:
            shapes += self.box(len(shapes) + 2, box, info, self.colors.get(plan.layout, {}))
        if plan.numbered:
            where = info.number_box or Box(deck.width - 90.0, deck.height - 34.0, 72.0, 24.0)
            shapes.append(ox.slide_number(len(shapes) + 2, _emus(where), n, *self.numbers[plan.layout],
                                          color=self.colors.get(plan.layout, {}).get("number")))
        part = Part(PackURI(f"/ppt/slides/slide{n}.xml"), CT.PML_SLIDE, self.package, ox.slide(shapes))
        part.relate_to(info.layout.part, RT.SLIDE_LAYOUT)
        ox.add_slide_id(self.prs.part._element, _relate_new(self.prs.part, part, RT.SLIDE), FIRST_SLIDE_ID + n)
        if plan.notes:
            self.notes(n, part, plan)

    def box(self, shape_id: int, box: TextBox, info: LayoutParts, colors: dict[str, str]) -> list[str]:
        where = _emus(box.box)
        i = box.insets
        default = colors.get(box.slot) if box.slot in ("title", "body") else None
        body = ox.tx_body(ox.body_pr((i.left, i.top, i.right, i.bottom), box.anchor),
                          [self.paragraph(p, default) for p in box.paras])
        match box.slot:
            case "title":
                return [ox.placeholder(shape_id, "Title", info.title_ph, where, body)]
            case "body":
                if info.body_ph is not None:
                    return [ox.placeholder(shape_id, "Text", info.body_ph, where, body)]
                return [ox.shape(shape_id, "Text", where, body, text_box=True)]
            case "text":
                return [ox.shape(shape_id, "Subtitle", where, body, text_box=True)]
            case "callout":
                # A flat panel in the template's light colour holds the text;
                # an accent bar marks its left edge.
                bar = _emus(Box(box.box.x, box.box.y, CALLOUT_BAR, box.box.h))
                return [ox.shape(shape_id, "Quotation", where, body, fill=CALLOUT_FILL),
                        ox.shape(shape_id + 1, "Quotation Bar", bar, None, fill=CALLOUT_BAR_FILL)]
            case _:
                assert_never(box.slot)

    def paragraph(self, para: PlacedPara, default_color: str | None = None) -> str:
        text = deck_text(self.theme, para.kind)
        lines = para.lines if para.breaks else (para.text,)
        return ox.paragraph(
            [segments(line) for line in lines],
            face=text.face,
            latin_face=self.theme.latin.face,
            size=para.size,
            bold=text.bold,
            color=para.color or default_color,
            align=para.align,
            indent=para.indent,
            gap=para.gap,
            line_pitch=LINE_HEIGHT * para.size,
            bullet=para.bullet,
        )

    def notes(self, n: int, slide_part: Any, plan: SlidePlan) -> None:
        image, body_ph = self.notes_ph
        face = deck_text(self.theme, NOTES_KIND).face
        paras = [ox.paragraph([segments(text)], face=face, latin_face=self.theme.latin.face, size=None)
                 for text in plan.notes]
        body = ox.tx_body(ox.body_pr(NOTES_INSETS, None), paras)
        part = Part(PackURI(f"/ppt/notesSlides/notesSlide{n}.xml"), CT.PML_NOTES_SLIDE, self.package,
                    ox.notes(image, body_ph, body))
        part.relate_to(self.notes_master, RT.NOTES_MASTER)
        part.relate_to(slide_part, RT.SLIDE)
        slide_part.relate_to(part, RT.NOTES_SLIDE)


def _emus(box: Box) -> ox.Emus:
    return ox.emu(box.x), ox.emu(box.y), ox.emu(box.w), ox.emu(box.h)




def _properties(prs: Any, outline: Outline, options: RenderOptions) -> None:
    props = prs.core_properties
    stamp = options.timestamp().replace(tzinfo=None)
    props.title = core_property(outline.title or "")
    props.author = core_property(outline.meta.speaker or "")
    props.subject = core_property(outline.meta.subtitle or "讲稿")
    props.last_modified_by = f"converter {__version__}"
    props.created = props.modified = stamp
    props.revision = 1
    props.language = "zh-CN"


def _save(prs: Any) -> bytes:
    """The .pptx bytes, every zip member dated 1980-01-01 so the same input
    gives the same bytes (SOURCE_DATE_EPOCH fixes the document's own dates).
    Written directly from the package's parts: python-pptx's save stamps
    the current time, and saving twice to fix it doubles the cost."""
    out = io.BytesIO()
    try:
        from pptx.opc.oxml import serialize_part_xml
        from pptx.opc.serialized import _ContentTypesItem

        package = prs.part.package
        parts = list(package.iter_parts())
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            def put(name: str, blob: bytes) -> None:
                info = zipfile.ZipInfo(name, _ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, blob)

            put("[Content_Types].xml", serialize_part_xml(_ContentTypesItem.xml_for(parts)))
            put("_rels/.rels", package._rels.xml)
            for part in parts:
                put(part.partname.membername, part.blob)
                if part._rels:
                    put(part.partname.rels_uri.membername, part.rels.xml)
        return out.getvalue()
    except (ImportError, AttributeError):  # another python-pptx: save, then re-date
        raw = io.BytesIO()
        prs.save(raw)
        out = io.BytesIO()
        with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                member = zipfile.ZipInfo(info.filename, _ZIP_DATE)
                member.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(member, src.read(info.filename))
        return out.getvalue()
