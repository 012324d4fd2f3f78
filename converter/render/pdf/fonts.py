"""TrueType fonts embedded in a PDF as CID-keyed subsets (Type0, Identity-H).

reportlab embeds a TrueType font as single-byte subsets of at most 256
glyphs: a lecture's 仿宋 comes out as four font programs, each with its own
tables, and every string has to be cut where the subsets change.  Here each
face a document uses becomes one font: the characters are numbered in order
of first use (CID 1, 2, …; CID 0 is .notdef), the font program holds exactly
those glyphs in that order (CIDToGIDMap /Identity), and a ToUnicode CMap maps
every CID back to its character so text copies and extracts exactly.

A face is parsed once per process (reportlab's TrueType parser: cmap, loca,
hmtx, metrics) and its bytes stay in memory; a document only slices glyphs
out of them.  The PDF objects are reportlab's (pdfdoc), written through the
canvas's document, so reportlab still owns the file's syntax.
"""

from __future__ import annotations

import hashlib
import struct
import sys
from array import array
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFile

# Tables the PDF needs of a TrueType font program (ISO 32000-1, 9.9); the
# hinting tables are copied when a face has them.  No cmap: the CIDs reach
# the glyphs directly.
_HINTING_TABLES = ("cvt ", "fpgm", "prep")
# The array type code of an unsigned 32-bit number on this platform.
_U32 = "L" if array("L").itemsize == 4 else "I"
_ARG_WORDS, _HAS_SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO = 0x0001, 0x0008, 0x0020, 0x0040, 0x0080


class FontFace:
    """One TrueType file, parsed once: what a subset is cut from."""

    def __init__(self, path: Path) -> None:
        parsed = TTFontFile(str(path), charInfo=1, validate=0)
        self.path = path
        self.ps_name = parsed.name.decode("latin-1") if isinstance(parsed.name, bytes) else str(parsed.name)
        self.char_to_glyph: dict[int, int] = parsed.charToGlyph
        self.units_per_em: int = parsed.unitsPerEm
        self.ascent, self.descent, self.cap_height = parsed.ascent, parsed.descent, parsed.capHeight
        self.bbox = list(parsed.bbox)
        self.italic_angle, self.stem_v = parsed.italicAngle, parsed.stemV
        self._data = memoryview(parsed._ttf_data)
        glyf_start, _ = parsed.get_table_pos("glyf")
        self._glyf_start = glyf_start
        # Arrays, not lists of ints: compact, and reading them in a process
        # forked from a warm one (the service) copies no pages.
        self._glyph_pos = array(_U32, parsed.glyphPos)
        self._advances, self._bearings = _hmetrics(parsed)
        self._tables = {tag: bytes(parsed.get_table(tag)) for tag in ("head", "hhea", "maxp", "OS/2")}
        self._hinting = {}
        for tag in _HINTING_TABLES:
            try:
                self._hinting[tag] = bytes(parsed.get_table(tag))
            except KeyError:
                pass

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


def _hmetrics(parsed: TTFontFile) -> tuple[array, array]:
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


class CanvasStartFont:
    """The font reportlab's canvas is told it starts in.  It is never drawn
    with; being "dynamic" (as reportlab's own TrueType fonts are) keeps the
    canvas from writing its default Helvetica into every page's preamble."""

    _dynamicFont = True
    _multiByte = False
    fontName = "converter-cid"

    class face:  # noqa: N801 - the attribute reportlab's registry reads
        name = b"converter-cid"


def canvas_start_font() -> str:
    """The name to pass as the canvas's initialFontName."""
    if CanvasStartFont.fontName not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(CanvasStartFont())
    return CanvasStartFont.fontName


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


@dataclass
class FontUse:
    """One face in one document: the characters drawn with it, numbered as
    CIDs in order of first use."""

    face: FontFace
    resource: str  # the name pages use for it (/C1, …)
    # Character -> its CID as four hex digits, in order of first use (CID 1, 2, …).
    hexes: dict[str, str] = field(default_factory=dict)

    @property
    def cids(self) -> dict[str, int]:
        """Character -> CID, in CID order."""
        return {ch: int(code, 16) for ch, code in self.hexes.items()}

    def encode(self, text: str) -> str:
        """``text`` as a PDF hex string of two-byte CIDs."""
        hexes = self.hexes
        try:
            return "<" + "".join([hexes[ch] for ch in text]) + ">"
        except KeyError:
            for ch in text:
                if ch not in hexes:
                    hexes[ch] = f"{len(hexes) + 1:04X}"
            return "<" + "".join([hexes[ch] for ch in text]) + ">"

    def add_to(self, doc: pdfdoc.PDFDocument) -> None:
        """Write the font's objects into ``doc`` and list it in the font
        resources every page shares."""
        face = self.face
        chars = list(self.hexes)  # in CID order
        gids = [0] + [face.char_to_glyph.get(ord(ch), 0) for ch in chars]
        tag = _subset_tag(face.ps_name, chars)
        base_font = f"{tag}+{face.ps_name}"
        program = pdfdoc.PDFStream(content=face.program(gids), filters=[pdfdoc.PDFZCompress] if doc.compression else None)
        program.dictionary["Length1"] = len(program.content)
        descriptor = pdfdoc.PDFDictionary({
            "Type": pdfdoc.PDFName("FontDescriptor"),
            "FontName": pdfdoc.PDFName(base_font),
            "Flags": 4,  # symbolic: the glyphs are reached by CID, not by a standard encoding
            "FontBBox": pdfdoc.PDFArray(face.bbox),
            "ItalicAngle": face.italic_angle,
            "Ascent": face.ascent,
            "Descent": face.descent,
            "CapHeight": face.cap_height,
            "StemV": face.stem_v,
            "FontFile2": doc.Reference(program),
        })
        scale = 1000 / face.units_per_em
        widths = [round(face.advance(g) * scale) for g in gids]
        cid_font = pdfdoc.PDFDictionary({
            "Type": pdfdoc.PDFName("Font"),
            "Subtype": pdfdoc.PDFName("CIDFontType2"),
            "BaseFont": pdfdoc.PDFName(base_font),
            "CIDSystemInfo": pdfdoc.PDFDictionary({
                "Registry": pdfdoc.PDFString("Adobe"),
                "Ordering": pdfdoc.PDFString("Identity"),
                "Supplement": 0,
            }),
            "FontDescriptor": doc.Reference(descriptor),
            "DW": 1000,
            "W": pdfdoc.PDFArray(_w_array(widths, 1000)),
            "CIDToGIDMap": pdfdoc.PDFName("Identity"),
        })
        to_unicode = pdfdoc.PDFStream(content=_to_unicode(base_font, chars), filters=[pdfdoc.PDFZCompress] if doc.compression else None)
        font = pdfdoc.PDFDictionary({
            "Type": pdfdoc.PDFName("Font"),
            "Subtype": pdfdoc.PDFName("Type0"),
            "BaseFont": pdfdoc.PDFName(base_font),
            "Encoding": pdfdoc.PDFName("Identity-H"),
            "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid_font)]),
            "ToUnicode": doc.Reference(to_unicode),
        })
        doc.idToObject["BasicFonts"].dict[self.resource] = doc.Reference(font, f"CIDFont:{self.resource}")


def _subset_tag(name: str, chars: list[str]) -> str:
    """Six capital letters naming the subset (ISO 32000-1, 9.6.4), derived
    from its contents so the same document gives the same file."""
    digest = hashlib.sha1((name + "\0" + "".join(chars)).encode("utf-8")).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


def _w_array(widths: list[int], default: int) -> list[object]:
    """The CIDFont W array: runs of consecutive CIDs whose width is not the
    default, as ``first [w w …]``."""
    out: list[object] = []
    cid = 0
    while cid < len(widths):
        if widths[cid] == default:
            cid += 1
            continue
        start = cid
        while cid < len(widths) and widths[cid] != default:
            cid += 1
        out += [start, pdfdoc.PDFArray(widths[start:cid])]
    return out


def _to_unicode(name: str, chars: list[str]) -> bytes:
    """A ToUnicode CMap: CID n (from 1) is chars[n - 1]."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        f"/CMapName /{name}-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    pairs = [f"<{cid:04X}> <{_utf16_hex(ch)}>" for cid, ch in enumerate(chars, start=1)]
    for start in range(0, len(pairs), 100):  # at most 100 entries per block
        block = pairs[start:start + 100]
        lines += [f"{len(block)} beginbfchar", *block, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


@lru_cache(maxsize=None)
def _utf16_hex(ch: str) -> str:
    return ch.encode("utf-16-be").hex().upper()
