"""Which font file draws a face name: the bundled fonts, then the system's.

The bundled faces and the Windows names they stand in for are declared once,
in fonts/fonts.conf (fontconfig aliases, which LibreOffice reads too); this
module reads the same file, so the PDF renderer and LibreOffice agree.  A face
that is not bundled, or a character no bundled face has, is looked up through
the system's fontconfig (fc-match).  Nothing here parses a font unless its
family name is not in the disk cache (cache.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..resources import resource_path
from . import cache
from .metrics import font_metrics


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


def family_of(path: Path) -> str:
    """The font's family name (its name table's best), cached on disk."""
    stored = cache.load(path, "family")
    if stored:
        try:
            return stored.decode("utf-8")
        except UnicodeDecodeError:
            pass
    from fontTools.ttLib import TTFont  # only on a cache miss

    font = TTFont(str(path), lazy=True)
    try:
        family = font["name"].getBestFamilyName() or path.stem
    finally:
        font.close()
    cache.store(path, "family", family.encode("utf-8"))
    return family


def bundled_fonts() -> tuple[BundledFont, ...]:
    """The fonts of the fonts folder (CONVERTER_FONTS_DIR may name another)."""
    return _bundled(fonts_dir())


@lru_cache(maxsize=4)
def _bundled(folder: Path) -> tuple[BundledFont, ...]:
    import xml.etree.ElementTree as ET

    families: dict[str, Path] = {}
    for path in sorted(folder.glob("*.ttf")):
        try:
            families[family_of(path)] = path
        except Exception:  # noqa: BLE001 - a file that is no font draws nothing (the service's health check names it)
            continue
    aliases: dict[str, list[str]] = {family: [] for family in families}
    conf = folder / "fonts.conf"
    if conf.is_file():
        for alias in ET.parse(conf).getroot().iter("alias"):
            name = alias.findtext("family")
            target = alias.findtext("prefer/family")
            if name and target in aliases:
                aliases[target].append(name)
    return tuple(BundledFont(f, p, tuple(aliases[f])) for f, p in families.items())


def bundled_path(face: str) -> Path | None:
    """The bundled file for a face name (its family or an alias), or None."""
    return _bundled_path(fonts_dir(), face)


@lru_cache(maxsize=None)
def _bundled_path(folder: Path, face: str) -> Path | None:
    for font in _bundled(folder):
        if face == font.family or face in font.aliases:
            return font.path
    return None


@lru_cache(maxsize=None)
def system_path(face: str | None = None, char: str | None = None) -> Path | None:
    """A TrueType file fontconfig offers for a face name and/or a character,
    or None (no fc-match, no match, or not a .ttf the renderers can embed)."""
    import shutil
    import subprocess

    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    pattern = face or ""
    if char is not None:
        pattern += f":charset={ord(char):x}"
    try:
        out = subprocess.run(
            [fc_match, "-f", "%{file}", pattern or ":"],
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


# Styles of Chinese type, for falling back to the nearest one when a face
# lacks a character (issue 14): 仿宋 -> 宋 -> 楷 -> 黑, the serif styles
# before the sans one, and a bold title Song (小标宋) after the text faces.
# "song+" and "hei+" are the last-resort faces (fonts/README.md), which hold
# the GB 18030 hanzi the style faces lack, in the design of the 宋 and 黑
# faces; "last" holds what both lack (a Ming face, after the 宋 one).
SERIF_STYLES = ("fangsong", "song", "kai", "xiaobiaosong")
_STYLE_WORDS = (
    ("song+", ("song extra",)),
    ("last", ("last resort",)),
    ("hei+", ("hei extra",)),
    ("xiaobiaosong", ("xiaobiaosong", "小标宋", "zhongsong", "中宋")),
    ("fangsong", ("fangsong", "fang song", "仿宋", "fandolfang")),
    ("kai", ("kai", "楷")),
    ("hei", ("hei", "黑", "sans", "gothic", "yahei", "雅黑")),
)


def style_of(family: str) -> str:
    """The style of a face by its family name: fangsong, song, kai,
    xiaobiaosong, hei, or song+/hei+/last (a last-resort face).  A name that says
    nothing is taken for a Song/Ming face (宋, 明, serif)."""
    name = family.lower()
    for style, words in _STYLE_WORDS:
        if any(w in name for w in words):
            return style
    return "song"


def fallback_styles(style: str) -> tuple[str, ...]:
    """The styles to look in, nearest first, for a character a face of
    ``style`` lacks: the serif styles (仿宋 -> 宋 -> 楷 -> 小标宋, its own
    first), then the 宋 last-resort faces, then 黑 and its last-resort face;
    a 黑 face looks in 黑 first, then the serif styles."""
    style = {"song+": "song", "last": "song", "hei+": "hei"}.get(style, style)
    serif = [style] if style in SERIF_STYLES else []
    if style == "xiaobiaosong":  # a title Song falls back to the text Song first
        serif.append("song")
    serif += [s for s in SERIF_STYLES if s not in serif]
    serif_group = (*serif, "song+", "last")
    sans_group = ("hei", "hei+")
    return (*sans_group, *serif_group) if style == "hei" else (*serif_group, *sans_group)


def system_cjk_fonts() -> tuple[tuple[str, Path], ...]:
    """(style, file) of each Chinese TrueType font fontconfig lists on this
    machine (``fc-list :lang=zh``) other than the bundled ones, asked once
    per process."""
    return _system_cjk(fonts_dir())


@lru_cache(maxsize=4)
def _system_cjk(folder: Path) -> tuple[tuple[str, Path], ...]:
    import shutil
    import subprocess

    fc_list = shutil.which("fc-list")
    if not fc_list:
        return ()
    try:
        out = subprocess.run([fc_list, ":lang=zh", "family", "file"], capture_output=True, text=True,
                             timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    bundled = {font.path.resolve() for font in _bundled(folder)}
    found: dict[Path, str] = {}
    for line in sorted(out.splitlines()):
        file, _, family = line.partition(":")
        path = Path(file.strip())
        if path.suffix.lower() != ".ttf" or not path.is_file() or path.resolve() in bundled:
            continue
        found.setdefault(path, style_of(family.strip()))
    return tuple((style, path) for path, style in found.items())


def fallback_files(primary: Path) -> tuple[Path, ...]:
    """The font files to draw a character ``primary`` lacks, nearest style
    first (``fallback_styles``): in each style the bundled faces, then the
    system's (a system 仿宋 is nearer a 仿宋 line than the bundled 宋)."""
    return _fallback_files(fonts_dir(), primary)


@lru_cache(maxsize=64)
def _fallback_files(folder: Path, primary: Path) -> tuple[Path, ...]:
    try:
        style = style_of(family_of(primary))
    except Exception:  # noqa: BLE001 - a file that is no font: take it for a Song face
        style = "song"
    bundled = [(style_of(font.family), font.path) for font in _bundled(folder)]
    system = list(_system_cjk(folder))
    out: list[Path] = []
    for wanted in fallback_styles(style):
        for kind, path in (*bundled, *system):
            if kind == wanted and path != primary and path not in out:
                out.append(path)
    for _, path in (*bundled, *system):  # a style no rule names: last
        if path != primary and path not in out:
            out.append(path)
    return tuple(out)


def fallback_file(ch: str, primary: Path) -> Path | None:
    """The nearest-style file that has ``ch``, which ``primary`` lacks, or
    None (no bundled or listed system font has it)."""
    for path in fallback_files(primary):
        if font_metrics(str(path)).has(ch):
            return path
    return None


_recalled: dict[str, Path] = {}  # remembered system faces, trusted once per process


def resolve_face(face: str, fallbacks: tuple[str, ...] = (), *, remembered: bool = False) -> Path | None:
    """The file to draw ``face`` with: bundled first (the face, then each
    fallback), then the system's match for any of those names whose family
    is one of them (fc-match answers every name with some font).

    ``remembered``: a system font found for these names before (kept on
    disk) that is still a file of one of their families is taken without
    asking fontconfig again.  That shows the face is on this machine (all the
    .docx needs to know) but not that fontconfig would pick that file now,
    so whatever draws with the face asks again."""
    names = (face, *fallbacks)
    for name in names:
        path = bundled_path(name)
        if path is not None:
            return path
    wanted = {n.lower() for n in names}
    lookup = "\0".join(names)
    if remembered:
        if lookup in _recalled:
            return _recalled[lookup]
        known = cache.recall("system-face", lookup)
        if known and (found := Path(known)).is_file() and family_of(found).lower() in wanted:
            _recalled[lookup] = found
            return found
    for name in names:
        offered = system_path(name)
        if offered is not None and family_of(offered).lower() in wanted:
            cache.remember("system-face", lookup, str(offered))
            return offered
    return None
