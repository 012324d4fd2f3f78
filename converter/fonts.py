"""Which font file draws a theme's face, and which characters no font has.

The bundled faces and the Windows names they stand in for are declared once,
in fonts/fonts.conf (fontconfig aliases, which LibreOffice reads too); this
module reads the same file, so the PDF renderer and LibreOffice agree.  A face
that is not bundled, or a character no bundled face has, is looked up through
the system's fontconfig (fc-match), and the caller warns about it.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .linebreak import FontMetrics, font_metrics
from .resources import resource_path


@dataclass(frozen=True, slots=True)
class BundledFont:
    family: str  # e.g. "Converter FangSong"
    path: Path
    aliases: tuple[str, ...]  # the face names it stands in for


def fonts_dir() -> Path:
    return resource_path("fonts")


def fontconfig_file() -> Path:
    """fonts/fonts.conf: pass as FONTCONFIG_FILE to LibreOffice and fc-match."""
    return fonts_dir() / "fonts.conf"


def _family_of(path: Path) -> str:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    try:
        return font["name"].getBestFamilyName() or path.stem
    finally:
        font.close()


@lru_cache(maxsize=1)
def bundled_fonts() -> tuple[BundledFont, ...]:
    folder = fonts_dir()
    families = {_family_of(p): p for p in sorted(folder.glob("*.ttf"))}
    aliases: dict[str, list[str]] = {family: [] for family in families}
    conf = folder / "fonts.conf"
    if conf.is_file():
        for alias in ET.parse(conf).getroot().iter("alias"):
            name = alias.findtext("family")
            target = alias.findtext("prefer/family")
            if name and target in aliases:
                aliases[target].append(name)
    return tuple(BundledFont(f, p, tuple(aliases[f])) for f, p in families.items())


@lru_cache(maxsize=None)
def bundled_path(face: str) -> Path | None:
    """The bundled file for a face name (its family or an alias), or None."""
    for font in bundled_fonts():
        if face == font.family or face in font.aliases:
            return font.path
    return None


@lru_cache(maxsize=None)
def system_path(face: str | None = None, char: str | None = None) -> Path | None:
    """A TrueType file fontconfig offers for a face name and/or a character,
    or None (no fc-match, no match, or not a .ttf reportlab can embed)."""
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    pattern = face or ""
    if char is not None:
        pattern += f":charset={ord(char):x}"
    try:
        out = subprocess.run(
            [fc_match, "-f", "%{file}\n%{charset}", pattern or ":"],
            capture_output=True, text=True, timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(out.split("\n", 1)[0].strip())
    if path.suffix.lower() != ".ttf" or not path.is_file():
        return None
    if char is not None and not font_metrics(str(path)).has(char):
        return None
    return path


def resolve_face(face: str, fallbacks: tuple[str, ...] = ()) -> Path | None:
    """The file to draw ``face`` with: bundled first (the face, then each
    fallback), then the system's match for the face itself."""
    for name in (face, *fallbacks):
        path = bundled_path(name)
        if path is not None:
            return path
    for name in (face, *fallbacks):
        path = system_path(name)
        if path is not None and _family_of(path).lower() in {n.lower() for n in (face, *fallbacks)}:
            return path
    return None


def metrics_for(path: Path) -> FontMetrics:
    return font_metrics(str(path))


def gb2312_coverage(path: Path) -> tuple[int, int]:
    """(hanzi of GB2312 the font has, 6763)."""
    metrics = metrics_for(path)
    hanzi = [ch for ch in gb2312_hanzi()]
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
