"""Advance widths of a font, as data the line breaker measures with.

``FontMetrics`` is a font's units per em and the advance of every character
it maps; ``advance_fn(size)`` turns it into the ``Advance`` function
converter/linebreak.py takes.  ``font_metrics(path)`` reads them once per
process, from the disk cache (cache.py) when it holds them, else with
fontTools (imported only then).
"""

from __future__ import annotations

import struct
from array import array
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache

if TYPE_CHECKING:
    from ..linebreak import Advance


class FontMetrics:
    """Advance widths of a TrueType font: ``advances`` maps a code point to
    its advance in font units."""

    def __init__(self, units_per_em: int, advances: dict[int, int], path: str = "") -> None:
        self.path = path
        self.units_per_em = units_per_em
        self._advance_units = advances

    def has(self, ch: str) -> bool:
        return ord(ch) in self._advance_units

    def advance_em(self, ch: str) -> float | None:
        units = self._advance_units.get(ord(ch))
        return None if units is None else units / self.units_per_em

    def advance_fn(self, size: float, fallback_em: float = 1.0) -> Advance:
        """An Advance for this font at ``size`` points; characters the font
        lacks measure ``fallback_em`` (the renderer warns about them)."""

        table = self._advance_units
        scale = size / self.units_per_em
        fallback = fallback_em * size

        def advance(ch: str) -> float:
            units = table.get(ord(ch))
            return fallback if units is None else units * scale

        return advance


@lru_cache(maxsize=None)
def font_metrics(path: str) -> FontMetrics:
    """The metrics of the font at ``path``: read once per process and shared
    by every document."""
    found = _from_cache(Path(path))
    if found is None:
        found = _read(path)
        cache.store(Path(path), "metrics", _pack(*found))
    return FontMetrics(*found, path=path)


def metrics_for(path: Path) -> FontMetrics:
    return font_metrics(str(path))


def _read(path: str) -> tuple[int, dict[int, int]]:
    from fontTools.ttLib import TTFont  # only on a cache miss

    font = TTFont(path, lazy=True, fontNumber=0)
    try:
        hmtx = font["hmtx"]
        advances = {cp: hmtx[name][0] for cp, name in font.getBestCmap().items()}
        return font["head"].unitsPerEm, advances
    finally:
        font.close()


def _pack(units_per_em: int, advances: dict[int, int]) -> bytes:
    codes, widths = array("I", advances.keys()), array("H", advances.values())
    return struct.pack("<II", units_per_em, len(codes)) + codes.tobytes() + widths.tobytes()


def _from_cache(path: Path) -> tuple[int, dict[int, int]] | None:
    raw = cache.load(path, "metrics")
    if raw is None:
        return None
    try:
        upm, count = struct.unpack_from("<II", raw)
        codes, widths = array("I"), array("H")
        codes.frombytes(raw[8:8 + 4 * count])
        widths.frombytes(raw[8 + 4 * count:8 + 6 * count])
    except (struct.error, ValueError):
        return None
    if len(codes) != count or len(widths) != count or not upm:
        return None
    return upm, dict(zip(codes, widths))


def gb2312_coverage(path: Path) -> tuple[int, int]:
    """(hanzi of GB2312 the font has, 6763)."""
    metrics = metrics_for(path)
    hanzi = gb2312_hanzi()
    return sum(1 for ch in hanzi if metrics.has(ch)), len(hanzi)


@lru_cache(maxsize=1)
def gb2312_hanzi() -> str:
    """The 6763 hanzi of GB2312 (rows 16-87)."""
    out = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                out.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(out)
