"""Embed the theme's fonts in a .docx (Word's "embed fonts in the file").

Word keeps embedded TrueType fonts as obfuscated parts (word/fonts/*.odttf,
ECMA-376 Part 1, 17.8.1): the font's first 32 bytes are XORed with a key
made from a GUID that the font table records as w:fontKey.  Each face is
subset to the characters of the document (fontTools) and renamed to the face
name the document uses, so Word and LibreOffice on a machine without the
face still draw the handout as intended.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from lxml import etree

from ...fonts import resolve_face
from ...model import Warning
from .. import ooxml_ns as ns

ODTTF = "application/vnd.openxmlformats-officedocument.obfuscatedFont"


def _w(tag: str) -> str:
    return f"{{{ns.W}}}{tag}"


def obfuscate(font: bytes, key: uuid.UUID) -> bytes:
    """XOR the first 32 bytes with the key's bytes taken in reverse order of
    the GUID string's hex pairs (the same operation undoes it)."""
    key_bytes = bytes.fromhex(key.hex)[::-1]
    head = bytes(b ^ key_bytes[i % 16] for i, b in enumerate(font[:32]))
    return head + font[32:]


def subset_font(path: Path, text: str, face: str) -> bytes:
    """The glyphs ``text`` needs, renamed to ``face``."""
    font = TTFont(str(path))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.layout_features = ["*"]
    options.drop_tables += ["FFTM"]  # FontForge's timestamp: nothing to subset, nothing lost
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + " ")
    subsetter.subset(font)
    name = font["name"]
    # The family takes the face's name; the PostScript name stays the bundled
    # font's, which says where the glyphs came from.
    for record_id in (1, 4, 16):
        name.removeNames(nameID=record_id)
        name.setName(face, record_id, 3, 1, 0x409)
        name.setName(face, record_id, 3, 1, 0x804)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def embed_fonts(docx: bytes, faces_text: dict[str, str], fallbacks: dict[str, tuple[str, ...]],
                key_seed: str = "") -> tuple[bytes, tuple[Warning, ...]]:
    """Return ``docx`` with each face of ``faces_text`` (face -> the text set
    in it) embedded.  ``key_seed`` makes the keys, and so the bytes,
    reproducible."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    infos = {info.filename: info for info in src.infolist()}
    warnings: list[Warning] = []

    table = etree.fromstring(parts["word/fontTable.xml"])
    rels = etree.Element(f"{{{ns.PACKAGE_RELATIONSHIPS}}}Relationships", nsmap={None: ns.PACKAGE_RELATIONSHIPS})
    n = 0
    for face, text in faces_text.items():
        path = resolve_face(face, fallbacks.get(face, ()))
        entry = next((f for f in table.findall(_w("font")) if f.get(_w("name")) == face), None)
        if path is None or entry is None:
            warnings.append(Warning("docx_font_not_embedded", f"no font file for {face}; it was not embedded", None))
            continue
        n += 1
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"converter:{key_seed}:{face}")
        part_name = f"fonts/font{n}.odttf"
        parts[f"word/{part_name}"] = obfuscate(subset_font(path, text, face), key)
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
    types = etree.fromstring(parts["[Content_Types].xml"])
    if not any(d.get("Extension") == "odttf" for d in types):
        default = etree.Element(f"{{{ns.CONTENT_TYPES}}}Default")
        default.set("Extension", "odttf")
        default.set("ContentType", ODTTF)
        types.insert(0, default)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings = etree.fromstring(parts["word/settings.xml"])
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
