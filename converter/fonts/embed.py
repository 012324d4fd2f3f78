"""What an embedded font carries besides its glyphs, as data.

- The PDF (ISO 32000-1, 9.7): each face a document uses is one CID-keyed
  font.  ``FontUse`` numbers the characters drawn with a face in order of
  first use (CID 1, 2, …; CID 0 is .notdef) and encodes text as two-byte
  CIDs; its subset program holds exactly those glyphs in that order
  (``FontFace.program``), its W array the widths that are not 1000, and its
  ToUnicode CMap maps every CID back to its character so text copies and
  extracts exactly.  The PDF objects themselves are written by the PDF
  renderer (render/pdf/emit.py), with reportlab's pdfdoc.
- The .docx (ECMA-376 Part 1, 17.8.1): Word keeps an embedded TrueType font
  as an obfuscated part whose first 32 bytes are XORed with a key made from
  a GUID the font table records as w:fontKey (``obfuscated_subset``).  The
  package parts are written by the .docx renderer (render/docx/font_parts.py).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .subset import FontFace, subset_font


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

    @property
    def chars(self) -> list[str]:
        """The characters in CID order (CID 1 first)."""
        return list(self.hexes)

    @property
    def gids(self) -> list[int]:
        """The glyph of each CID, from CID 0 (.notdef)."""
        return [0] + [self.face.char_to_glyph.get(ord(ch), 0) for ch in self.hexes]

    @property
    def base_font(self) -> str:
        """The subset's name: a tag derived from its contents, then the
        face's PostScript name (ISO 32000-1, 9.6.4)."""
        return f"{subset_tag(self.face.ps_name, self.chars)}+{self.face.ps_name}"

    def widths(self, gids: list[int]) -> list[int]:
        """The width of each CID in thousandths of an em."""
        scale = 1000 / self.face.units_per_em
        return [round(self.face.advance(g) * scale) for g in gids]


def subset_tag(name: str, chars: list[str]) -> str:
    """Six capital letters naming the subset, derived from its contents so
    the same document gives the same file."""
    digest = hashlib.sha1((name + "\0" + "".join(chars)).encode("utf-8")).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


def w_array(widths: list[int], default: int) -> list[int | list[int]]:
    """The CIDFont W array: runs of consecutive CIDs whose width is not the
    default, as ``first [w w …]``."""
    out: list[int | list[int]] = []
    cid = 0
    while cid < len(widths):
        if widths[cid] == default:
            cid += 1
            continue
        start = cid
        while cid < len(widths) and widths[cid] != default:
            cid += 1
        out += [start, widths[start:cid]]
    return out


def to_unicode(name: str, chars: list[str]) -> bytes:
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


# ---------------------------------------------------------------------------
# The .docx


def obfuscate(font: bytes, key: uuid.UUID) -> bytes:
    """XOR the first 32 bytes with the key's bytes taken in reverse order of
    the GUID string's hex pairs (the same operation undoes it)."""
    key_bytes = bytes.fromhex(key.hex)[::-1]
    head = bytes(b ^ key_bytes[i % 16] for i, b in enumerate(font[:32]))
    return head + font[32:]


def obfuscated_subset(path: Path, text: str, face: str, key: uuid.UUID) -> bytes:
    """The font part Word embeds: the glyphs of ``text``, the family named
    ``face``, obfuscated with ``key``."""
    return obfuscate(subset_font(path, text, face), key)
