"""Embed the theme's fonts in a .docx (Word's "embed fonts in the file"):
the package parts.

Word keeps embedded TrueType fonts as obfuscated parts (word/fonts/*.odttf,
ECMA-376 Part 1, 17.8.1), each related to the font table, whose w:font entry
records the part (w:embedRegular) and the GUID its obfuscation key comes
from (w:fontKey); settings.xml says the file embeds TrueType fonts.  The font
programs themselves (each face subset to the document's characters and
renamed to the face name the document uses) come from converter/fonts/.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path

from lxml import etree

from ...fonts.embed import obfuscated_subset
from ...model import Warning
from .. import ooxml_ns as ns
from ..xml_parse import parse_xml

ODTTF = "application/vnd.openxmlformats-officedocument.obfuscatedFont"


def _w(tag: str) -> str:
    return f"{{{ns.W}}}{tag}"


def embed_fonts(docx: bytes, files: dict[str, Path], text: str, key_seed: str = "") -> tuple[bytes, tuple[Warning, ...]]:
    """Return ``docx`` with each face of ``files`` (face name -> its font
    file, in font-table order) embedded, subset to ``text``.  ``key_seed``
    makes the keys, and so the bytes, reproducible."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    infos = {info.filename: info for info in src.infolist()}
    warnings: list[Warning] = []

    table = parse_xml(parts["word/fontTable.xml"])
    rels = etree.Element(f"{{{ns.PACKAGE_RELATIONSHIPS}}}Relationships", nsmap={None: ns.PACKAGE_RELATIONSHIPS})
    n = 0
    for face, path in files.items():
        entry = next((f for f in table.findall(_w("font")) if f.get(_w("name")) == face), None)
        if entry is None:
            warnings.append(Warning("docx_font_not_embedded", f"the font table names no {face}; it was not embedded", None))
            continue
        n += 1
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"converter:{key_seed}:{face}")
        part_name = f"fonts/font{n}.odttf"
        parts[f"word/{part_name}"] = obfuscated_subset(path, text, face, key)
        rel = etree.SubElement(rels, f"{{{ns.PACKAGE_RELATIONSHIPS}}}Relationship")
        rel.set("Id", f"rIdFont{n}")
        rel.set("Type", ns.REL_FONT)
        rel.set("Target", part_name)
        embed = etree.SubElement(entry, _w("embedRegular"))
        embed.set(f"{{{ns.R}}}id", f"rIdFont{n}")
        embed.set(_w("fontKey"), "{" + str(key).upper() + "}")
    if not n:
        return docx, tuple(warnings)
    parts["word/fontTable.xml"] = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts["word/_rels/fontTable.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                                            standalone=True)
    types = parse_xml(parts["[Content_Types].xml"])
    if not any(d.get("Extension") == "odttf" for d in types):
        default = etree.Element(f"{{{ns.CONTENT_TYPES}}}Default")
        default.set("Extension", "odttf")
        default.set("ContentType", ODTTF)
        types.insert(0, default)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings = parse_xml(parts["word/settings.xml"])
    if settings.find(_w("embedTrueTypeFonts")) is None:
        zoom = settings.find(_w("zoom"))
        at = list(settings).index(zoom) + 1 if zoom is not None else 0
        settings.insert(at, etree.Element(_w("saveSubsetFonts")))
        settings.insert(at, etree.Element(_w("embedTrueTypeFonts")))
    parts["word/settings.xml"] = etree.tostring(settings, xml_declaration=True, encoding="UTF-8", standalone=True)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        first = next(iter(infos.values()))
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, first.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)
    return out.getvalue(), tuple(warnings)
