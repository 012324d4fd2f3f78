"""Font programs cut down to the glyphs a document uses.

Two cutters, one per kind of embedding:

- ``FontFace.program(gids)`` (the PDF): a TrueType font holding exactly
  ``gids`` in that order, so glyph n of the subset is CID n of the PDF's
  CID-keyed font (CIDToGIDMap /Identity).  A face is parsed once per process
  (``face_for``): from the disk cache (cache.py) when it holds the face,
  else with reportlab's TrueType parser (cmap, loca, hmtx, metrics), and
  its bytes stay in memory; a document only slices glyphs out of them.
- ``subset_font(path, text, face)`` (--embed-fonts .docx): fontTools'
  subsetter keeps the glyphs ``text`` needs and renames the font to the
  face the document names, so Word finds it under that name.
"""

from __future__ import annotations

import io
import json
import struct
import sys
import threading
from array import array
from pathlib import Path
from typing import Any

from . import cache

# Tables the PDF needs of a TrueType font program (ISO 32000-1, 9.9); the
# hinting tables are copied when a face has them.  No cmap: the CIDs reach
# the glyphs directly.
_TABLES = ("head", "hhea", "maxp", "OS/2")
_HINTING_TABLES = ("cvt ", "fpgm", "prep")
# The array type code of an unsigned 32-bit number on this platform.
_U32 = "L" if array("L").itemsize == 4 else "I"
_ARG_WORDS, _HAS_SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO = 0x0001, 0x0008, 0x0020, 0x0040, 0x0080


class FontFace:
    """One TrueType file, parsed once: what a subset is cut from."""

    path: Path
    ps_name: str
    char_to_glyph: dict[int, int]
    units_per_em: int
    ascent: float
    descent: float
    cap_height: float
    bbox: list[float]
    italic_angle: float
    stem_v: float

    def __init__(self, path: Path) -> None:
        self.path = path
        data = path.read_bytes()
        if not self._load(cache.load(path, "face"), data):
            stored = self._parse(data)
            cache.store(path, "face", stored)
        self._data = memoryview(data)

    def _parse(self, data: bytes) -> bytes:
        """Read the face with reportlab's parser; answer its cache entry."""
        from reportlab.pdfbase.ttfonts import TTFontFile  # only on a cache miss

        parsed = TTFontFile(str(self.path), charInfo=1, validate=0)
        self.ps_name = parsed.name.decode("latin-1") if isinstance(parsed.name, bytes) else str(parsed.name)
        self.char_to_glyph = parsed.charToGlyph
        self.units_per_em = parsed.unitsPerEm
        self.ascent, self.descent, self.cap_height = parsed.ascent, parsed.descent, parsed.capHeight
        self.bbox = list(parsed.bbox)
        self.italic_angle, self.stem_v = parsed.italicAngle, parsed.stemV
        self._glyf_start, _ = parsed.get_table_pos("glyf")
        # Arrays, not lists of ints: compact, and reading them in a process
        # forked from a warm one (the service) copies no pages.
        self._glyph_pos = array(_U32, parsed.glyphPos)
        self._advances, self._bearings = _hmetrics(parsed)
        self._tables = {tag: bytes(parsed.get_table(tag)) for tag in _TABLES}
        self._hinting = {}
        for tag in _HINTING_TABLES:
            try:
                self._hinting[tag] = bytes(parsed.get_table(tag))
            except KeyError:
                pass
        return self._pack(len(data))

    # -- the disk cache entry: a JSON header, then the arrays and tables --

    def _pack(self, size: int) -> bytes:
        codes = array(_U32, self.char_to_glyph.keys())
        gids = array(_U32, self.char_to_glyph.values())
        blobs = [codes.tobytes(), gids.tobytes(), self._glyph_pos.tobytes(), self._advances.tobytes(),
                 self._bearings.tobytes(), *self._tables.values(), *self._hinting.values()]
        header = {
            "size": size, "byteorder": sys.byteorder, "u32": _U32,
            "ps_name": self.ps_name, "units_per_em": self.units_per_em, "ascent": self.ascent,
            "descent": self.descent, "cap_height": self.cap_height, "bbox": self.bbox,
            "italic_angle": self.italic_angle, "stem_v": self.stem_v, "glyf_start": self._glyf_start,
            "tables": list(self._tables), "hinting": list(self._hinting), "lengths": [len(b) for b in blobs],
        }
        head = json.dumps(header).encode("utf-8")
        return struct.pack("<I", len(head)) + head + b"".join(blobs)

    def _load(self, raw: bytes | None, data: bytes) -> bool:
        """Take the face from a cache entry; False when there is none or it
        does not fit this file."""
        if not raw:
            return False
        try:
            (n,) = struct.unpack_from("<I", raw)
            header: dict[str, Any] = json.loads(raw[4:4 + n])
            if header["size"] != len(data) or header["byteorder"] != sys.byteorder or header["u32"] != _U32:
                return False
            at = 4 + n
            blobs = []
            for length in header["lengths"]:
                blobs.append(raw[at:at + length])
                at += length
            if at != len(raw):
                return False
            codes, gids, glyph_pos = array(_U32, blobs[0]), array(_U32, blobs[1]), array(_U32, blobs[2])
            advances, bearings = array("H", blobs[3]), array("h", blobs[4])
            tags = header["tables"] + header["hinting"]
            tables = dict(zip(tags, blobs[5:]))
            self.ps_name = header["ps_name"]
            self.units_per_em = header["units_per_em"]
            self.ascent, self.descent, self.cap_height = header["ascent"], header["descent"], header["cap_height"]
            self.bbox = header["bbox"]
            self.italic_angle, self.stem_v = header["italic_angle"], header["stem_v"]
            self._glyf_start = header["glyf_start"]
        except (struct.error, ValueError, KeyError, TypeError):
            return False
        if len(codes) != len(gids) or len(advances) != len(bearings) or len(glyph_pos) != len(advances) + 1:
            return False
        self.char_to_glyph = dict(zip(codes, gids))
        self._glyph_pos, self._advances, self._bearings = glyph_pos, advances, bearings
        self._tables = {tag: tables[tag] for tag in header["tables"]}
        self._hinting = {tag: tables[tag] for tag in header["hinting"]}
        return True

    # -- cutting --

    def advance(self, gid: int) -> int:
        """The glyph's advance in font units."""
        return self._advances[gid]

    def glyph_bytes(self, gid: int) -> memoryview:
        start = self._glyph_pos[gid]
        return self._data[self._glyf_start + start:self._glyf_start + self._glyph_pos[gid + 1]]

    def program(self, gids: list[int]) -> bytes:
        """A TrueType font holding ``gids`` in that order (new glyph n is
        gids[n]), plus the components of composite glyphs after them."""
        order = list(gids)
        index = {g: n for n, g in enumerate(order)}
        glyphs: list[bytes | memoryview] = []
        offsets = [0]
        pos = 0
        n = 0
        while n < len(order):
            data: bytes | memoryview = self.glyph_bytes(order[n])
            if len(data) >= 2 and data[0] & 0x80:  # numberOfContours < 0: a composite
                data = self._renumber_components(bytes(data), order, index)
            glyphs.append(data)
            pos += len(data)
            if pos % 4:
                glyphs.append(b"\0" * (4 - pos % 4))
                pos += 4 - pos % 4
            offsets.append(pos)
            n += 1
        count = len(order)
        long_loca = pos > 0x1FFFE
        loca = struct.pack(f">{count + 1}{'L' if long_loca else 'H'}", *(offsets if long_loca else [o >> 1 for o in offsets]))
        advances, bearings = self._advances, self._bearings
        hmtx = b"".join([struct.pack(">Hh", advances[g], bearings[g]) for g in order])
        tables = {
            "head": self._tables["head"][:50] + struct.pack(">h", 1 if long_loca else 0) + self._tables["head"][52:],
            "hhea": self._tables["hhea"][:34] + struct.pack(">H", count),
            "maxp": self._tables["maxp"][:4] + struct.pack(">H", count) + self._tables["maxp"][6:],
            "OS/2": self._tables["OS/2"],
            "post": b"\x00\x03\x00\x00" + bytes(28),
            "hmtx": hmtx,
            "loca": loca,
            "glyf": b"".join(glyphs),
            **self._hinting,
        }
        return _sfnt(tables)

    def _renumber_components(self, data: bytes, order: list[int], index: dict[int, int]) -> bytes:
        """A composite glyph with its component ids mapped into the subset
        (components not yet in it are appended to ``order``)."""
        out = bytearray(data)
        at = 10
        flags = _MORE
        while flags & _MORE:
            flags, component = struct.unpack_from(">HH", out, at)
            if component not in index:
                index[component] = len(order)
                order.append(component)
            struct.pack_into(">H", out, at + 2, index[component])
            at += 4 + (4 if flags & _ARG_WORDS else 2)
            at += 2 if flags & _HAS_SCALE else 4 if flags & _XY_SCALE else 8 if flags & _TWO_BY_TWO else 0
        return bytes(out)


def _hmetrics(parsed: Any) -> tuple[array, array]:
    """The advance and the left side bearing of every glyph, in font units,
    read from hmtx (reportlab's own list scales some advances and reads the
    bearings unsigned)."""
    count = len(parsed.glyphPos) - 1
    long_metrics = struct.unpack_from(">H", parsed.get_table("hhea"), 34)[0]
    hmtx = parsed.get_table("hmtx")
    pairs = struct.unpack_from(f">{2 * long_metrics}h", hmtx)
    advances = array("H", (a & 0xFFFF for a in pairs[0::2]))
    bearings = array("h", pairs[1::2])
    tail = count - long_metrics
    if tail > 0:
        advances.extend([advances[-1]] * tail)
        bearings.extend(struct.unpack_from(f">{tail}h", hmtx, 4 * long_metrics))
    return advances, bearings


def _sfnt(tables: dict[str, bytes]) -> bytes:
    """Tables assembled into a TrueType file (sorted directory, checksums,
    head.checkSumAdjustment)."""
    tags = sorted(tables)
    count = len(tags)
    entry_selector = count.bit_length() - 1
    search_range = 16 << entry_selector
    header = struct.pack(">LHHHH", 0x00010000, count, search_range, entry_selector, count * 16 - search_range)
    offset = 12 + 16 * count
    directory, bodies, sums = [], [], []
    head_at = 0
    for tag in tags:
        body = tables[tag]
        if tag == "head":
            body = body[:8] + b"\0\0\0\0" + body[12:]  # checkSumAdjustment counts as 0
            head_at = offset
        padded = body + b"\0" * (-len(body) % 4)
        sums.append(_checksum(padded))
        directory.append(struct.pack(">4sLLL", tag.encode("latin-1"), sums[-1], offset, len(body)))
        bodies.append(padded)
        offset += len(padded)
    front = header + b"".join(directory)
    # The whole file's checksum is the sum of its parts' (each 4-aligned).
    total = (_checksum(front) + sum(sums)) & 0xFFFFFFFF
    font = bytearray(front + b"".join(bodies))
    struct.pack_into(">L", font, head_at + 8, (0xB1B0AFBA - total) & 0xFFFFFFFF)
    return bytes(font)


def _checksum(data: bytes) -> int:
    """The sum of the big-endian 32-bit words of ``data`` (4-aligned)."""
    words = array(_U32, data)
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


_faces: dict[Path, FontFace] = {}
_lock = threading.Lock()


def face_for(path: Path) -> FontFace:
    """The parsed face of a font file: parsed once per process, shared by
    every document (and thread)."""
    face = _faces.get(path)
    if face is None:
        with _lock:
            face = _faces.get(path)
            if face is None:
                face = _faces[path] = FontFace(path)
    return face


def subset_font(path: Path, text: str, face: str) -> bytes:
    """The glyphs ``text`` needs of the font at ``path``, as a TrueType font
    whose family is ``face`` (fontTools' subsetter)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

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
    _add_fallback_glyphs(font, path, text)
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


def _add_fallback_glyphs(font: Any, path: Path, text: str) -> None:
    """Copy into ``font`` (a TrueType subset of ``path``) the glyphs of the
    characters of ``text`` it lacks, each from the nearest-style font that
    has it (resolve.py's ``fallback_file``: the one the PDF draws it with),
    so an embedded face draws every character of the document and none
    shows as an empty box where the reader lacks the fallback font."""
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    from .resolve import fallback_file

    if "glyf" not in font:
        return
    from .metrics import font_metrics

    if not font_metrics(str(path)).has("中"):  # a Latin face: Word sets no Chinese text in it
        return
    cmap = font.getBestCmap() or {}
    # Chinese characters only (CJK radicals onwards): Latin text takes the
    # document's Latin face in Word, whatever this face lacks of it.
    wanted = sorted({ch for ch in text if ord(ch) >= 0x2E80 and ord(ch) not in cmap and ch.isprintable()})
    by_file: dict[Path, list[str]] = {}
    for ch in wanted:
        other = fallback_file(ch, path)
        if other is not None:
            by_file.setdefault(other, []).append(ch)
    if not by_file:
        return
    upm = font["head"].unitsPerEm
    order = list(font.getGlyphOrder())
    glyf, hmtx = font["glyf"], font["hmtx"]
    vmtx = font["vmtx"] if "vmtx" in font else None
    added: dict[int, str] = {}
    for other, chars in by_file.items():
        source = TTFont(str(other), lazy=True)
        try:
            scale = upm / source["head"].unitsPerEm
            source_cmap = source.getBestCmap()
            glyph_set = source.getGlyphSet()
            source_vmtx = source["vmtx"] if "vmtx" in source else None
            for ch in chars:
                source_name = source_cmap[ord(ch)]
                pen = TTGlyphPen(None)
                glyph_set[source_name].draw(TransformPen(pen, (scale, 0, 0, scale, 0, 0)))
                glyph = pen.glyph()
                name = f"fallback{ord(ch):05X}"
                order.append(name)
                glyf.glyphs[name] = glyph
                glyph.recalcBounds(glyf)
                advance = round(source["hmtx"][source_name][0] * scale)
                hmtx.metrics[name] = (advance, glyph.xMin if glyph.numberOfContours else 0)
                if vmtx is not None:
                    height = round(source_vmtx[source_name][0] * scale) if source_vmtx is not None else upm
                    top = round(font["hhea"].ascent)
                    vmtx.metrics[name] = (height, top - glyph.yMax if glyph.numberOfContours else 0)
                added[ord(ch)] = name
        finally:
            source.close()
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    if "post" in font:
        post = font["post"]
        if post.formatType == 2.0:
            post.extraNames = []
            post.mapping = {}
        post.glyphOrder = order
    for table in font["cmap"].tables:
        if table.isUnicode() and table.format != 14:
            table.cmap.update({cp: n for cp, n in added.items() if table.format != 4 or cp <= 0xFFFF})
