#!/usr/bin/env python3
"""Rebuild the bundled Chinese fonts in this folder from Debian packages.

The theme names Windows faces (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312,
宋体) that Linux lacks.  This script makes open-licensed stand-ins for them:

* downloads the source packages with ``apt-get download`` into a temp dir
  and unpacks them with ``dpkg-deb -x`` (nothing is installed);
* subsets each source face to the declared character set (``charset.txt``);
* converts the CFF outlines to TrueType ``glyf`` outlines, because
  reportlab refuses CFF ("postscript outlines are not supported");
* renames the faces ("Converter Song", ...), so they never clash with the
  real Noto/Fandol fonts a system may have installed;
* writes ``charset.txt``, ``fonts.conf``, the licence texts and ``README.md``.

Run by hand (not part of the tests), from any directory::

    python3 fonts/build.py [--workdir DIR]

Needs Debian's apt sources (``apt-get update`` done), ``dpkg-deb`` and
fontTools (``pip install fonttools``).  Takes a few minutes; the downloads
are about 110 MB.
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from fontTools import subset
from fontTools.pens.areaPen import AreaPen
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = Path(__file__).resolve().parent

# Debian packages the sources come from.  unicode-data carries Unihan, whose
# kTGH field lists the 8105 characters of 通用规范汉字表 (2013).
NOTO_PKG = "fonts-noto-cjk"
FANDOL_PKG = "texlive-lang-chinese"
UNICODE_PKG = "unicode-data"
BABELSTONE_PKG = "fonts-babelstone-han"
PACKAGES = (NOTO_PKG, FANDOL_PKG, UNICODE_PKG, BABELSTONE_PKG)

NOTO_DIR = "usr/share/fonts/opentype/noto"
FANDOL_DIR = "usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
UNIHAN_MAPPINGS = "usr/share/unicode/Unihan_OtherMappings.txt.bz2"
NOTO_COPYRIGHT = f"usr/share/doc/{NOTO_PKG}/copyright"
FANDOL_COPYING = "usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz"

BABELSTONE_DIR = "usr/share/fonts/truetype/babelstone"
BABELSTONE_COPYRIGHT = f"usr/share/doc/{BABELSTONE_PKG}/copyright"

OFL_FILE = "OFL.txt"
ARPHIC_LICENCE_FILE = "ARPHIC-PUBLIC-LICENSE.txt"
FANDOL_LICENCE_FILE = "Fandol-GPL-3-font-exception.txt"

# cu2qu tolerance in font units (all sources have 1000 units per em).
MAX_ERR = 1.0


@dataclass(frozen=True)
class Face:
    """One bundled font: where it comes from and which names map to it."""

    file: str  # output file name in this folder
    family: str  # family name the output font carries
    ps_name: str  # PostScript name the output font carries
    package: str  # Debian package holding the source
    source: str  # source file inside the unpacked package
    source_ps_name: str  # selects the member of a .ttc collection
    source_label: str  # human-readable source face, for the README
    licence: str  # licence file in this folder
    aliases: tuple[str, ...]  # Windows/vendor names fonts.conf maps here


FACES: tuple[Face, ...] = (
    Face(
        file="ConverterFangSong.ttf",
        family="Converter FangSong",
        ps_name="ConverterFangSong-Regular",
        package=FANDOL_PKG,
        source=f"{FANDOL_DIR}/FandolFang-Regular.otf",
        source_ps_name="FandolFang-Regular",
        source_label="FandolFang Regular",
        licence=FANDOL_LICENCE_FILE,
        aliases=("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong",
                 "方正仿宋简体", "方正仿宋_GBK", "华文仿宋", "STFangsong"),
    ),
    Face(
        file="ConverterKai.ttf",
        family="Converter Kai",
        ps_name="ConverterKai-Regular",
        package=FANDOL_PKG,
        source=f"{FANDOL_DIR}/FandolKai-Regular.otf",
        source_ps_name="FandolKai-Regular",
        source_label="FandolKai Regular",
        licence=FANDOL_LICENCE_FILE,
        aliases=("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi",
                 "方正楷体简体", "方正楷体_GBK", "华文楷体", "STKaiti"),
    ),
    Face(
        file="ConverterHei.ttf",
        family="Converter Hei",
        ps_name="ConverterHei-Regular",
        package=NOTO_PKG,
        source=f"{NOTO_DIR}/NotoSansCJK-Regular.ttc",
        source_ps_name="NotoSansCJKsc-Regular",
        source_label="Noto Sans CJK SC Regular",
        licence=OFL_FILE,
        aliases=("黑体", "SimHei", "方正黑体简体", "方正黑体_GBK",
                 "华文黑体", "STHeiti", "微软雅黑", "Microsoft YaHei"),
    ),
    Face(
        file="ConverterSong.ttf",
        family="Converter Song",
        ps_name="ConverterSong-Regular",
        package=NOTO_PKG,
        source=f"{NOTO_DIR}/NotoSerifCJK-Regular.ttc",
        source_ps_name="NotoSerifCJKsc-Regular",
        source_label="Noto Serif CJK SC Regular",
        licence=OFL_FILE,
        aliases=("宋体", "SimSun", "新宋体", "NSimSun", "方正书宋简体",
                 "方正书宋_GBK", "华文宋体", "STSong"),
    ),
    # 方正小标宋 is one heavy "Regular" face; Noto Serif CJK SC Bold is the
    # closest open weight (Black is heavier than 小标宋 and lives only in the
    # 134 MB fonts-noto-cjk-extra).  The output is labelled Regular/400, as
    # the Windows face is, so applications do not treat it as a bold variant.
    Face(
        file="ConverterXiaobiaosong.ttf",
        family="Converter Xiaobiaosong",
        ps_name="ConverterXiaobiaosong-Regular",
        package=NOTO_PKG,
        source=f"{NOTO_DIR}/NotoSerifCJK-Bold.ttc",
        source_ps_name="NotoSerifCJKsc-Bold",
        source_label="Noto Serif CJK SC Bold",
        licence=OFL_FILE,
        aliases=("方正小标宋简体", "方正小标宋_GBK", "方正小标宋", "小标宋",
                 "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05", "华文中宋",
                 "STZhongsong"),
    ),
)

# Every CJK Unified Ideograph of GB 18030: the BMP block and Extension A.
# The style faces above hold GB2312 and the 8105 通用规范 hanzi; the
# last-resort faces below hold the rest of these blocks, so that no
# character of them prints as an empty box.
GB18030_HANZI: tuple[tuple[int, int], ...] = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF))


@dataclass(frozen=True)
class LastResort:
    """A face holding the GB 18030 hanzi that ``covers`` (bundled files) lack."""

    face: Face
    covers: tuple[str, ...]  # files whose characters it leaves out
    style: str  # the style it stands for: "song" or "hei"


LAST_RESORT: tuple[LastResort, ...] = (
    # Noto Serif CJK SC, the source of Converter Song: the same design, so a
    # rare character in a 宋/仿宋/楷 line is drawn in the closest style.
    LastResort(Face(
        file="ConverterSongExtra.ttf",
        family="Converter Song Extra",
        ps_name="ConverterSongExtra-Regular",
        package=NOTO_PKG,
        source=f"{NOTO_DIR}/NotoSerifCJK-Regular.ttc",
        source_ps_name="NotoSerifCJKsc-Regular",
        source_label="Noto Serif CJK SC Regular",
        licence=OFL_FILE,
        aliases=(),
    ), covers=("ConverterSong.ttf",), style="song"),
    # Noto Sans CJK SC, the source of Converter Hei, for 黑 lines.
    LastResort(Face(
        file="ConverterHeiExtra.ttf",
        family="Converter Hei Extra",
        ps_name="ConverterHeiExtra-Regular",
        package=NOTO_PKG,
        source=f"{NOTO_DIR}/NotoSansCJK-Regular.ttc",
        source_ps_name="NotoSansCJKsc-Regular",
        source_label="Noto Sans CJK SC Regular",
        licence=OFL_FILE,
        aliases=(),
    ), covers=("ConverterHei.ttf",), style="hei"),
    # Noto CJK 2.00x predates Unicode 13/14: U+4DB6-4DBF and U+9FEB-9FFF
    # (31 characters) are not in Noto Serif CJK, 26 of them not in Noto Sans
    # CJK.  BabelStone Han (a Ming/宋 face after Arphic's) has them; it
    # stands in for both styles (only the 宋 faces' gaps are taken, so a
    # serif line never falls back to 黑 for U+9FEB-9FEF).
    LastResort(Face(
        file="ConverterHanLastResort.ttf",
        family="Converter Han Last Resort",
        ps_name="ConverterHanLastResort-Regular",
        package=BABELSTONE_PKG,
        source=f"{BABELSTONE_DIR}/BabelStoneHan.ttf",
        source_ps_name="BabelStoneHan",
        source_label="BabelStone Han",
        licence=ARPHIC_LICENCE_FILE,
        aliases=(),
    ), covers=("ConverterSong.ttf", "ConverterSongExtra.ttf"), style="song"),
)


# Declared non-hanzi repertoire on top of GB2312 and 通用规范汉字表:
# (first, last, label).  What a source lacks is simply not in its output;
# README.md reports the real coverage.
EXTRA_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0020, 0x007E, "ASCII"),
    (0x00A0, 0x00FF, "Latin-1"),
    (0x0100, 0x017F, "Latin Extended-A (pinyin)"),
    (0x01CD, 0x01DC, "pinyin with caron"),
    (0x01F8, 0x01F9, "pinyin ǹ"),
    (0x0251, 0x0251, "pinyin ɑ"),
    (0x0261, 0x0261, "pinyin ɡ"),
    (0x02C6, 0x02DD, "spacing modifiers (tone marks)"),
    (0x1E3E, 0x1E3F, "pinyin ḿ"),
    (0x2010, 0x2027, "general punctuation"),
    (0x2030, 0x205E, "general punctuation"),
    (0x20AC, 0x20AC, "euro sign"),
    (0x2100, 0x2122, "letterlike symbols (℃ № ™)"),
    (0x2160, 0x217F, "Roman numerals"),
    (0x2190, 0x21FF, "arrows"),
    (0x2200, 0x22FF, "mathematical operators"),
    (0x2460, 0x24FF, "enclosed alphanumerics (①-⑳ ⑴ ⒈ Ⓐ)"),
    (0x2500, 0x257F, "box drawing"),
    (0x25A0, 0x25FF, "geometric shapes"),
    (0x2605, 0x2606, "stars ★☆"),
    (0x2610, 0x2612, "ballot boxes"),
    (0x2713, 0x2718, "check marks"),
    (0x2776, 0x2793, "dingbat circled digits (❶-❿)"),
    (0x3000, 0x303F, "CJK symbols and punctuation"),
    (0x3200, 0x32FF, "enclosed CJK letters (㈠ ㊀ ㉑)"),
    (0xFE10, 0xFE1F, "vertical forms"),
    (0xFE30, 0xFE4F, "CJK compatibility forms"),
    (0xFF00, 0xFFEF, "halfwidth and fullwidth forms"),
)


# Non-hanzi characters common in lecture texts; README.md names each font's
# gaps among them (dashes, quotes, ※, CJK brackets, fullwidth forms,
# ①-⑳ ⑴-⒇ ⒈-⒛ ❶-❿ ㈠-㈩ Ⅰ-Ⅻ).
KEY_RANGES: tuple[tuple[int, int], ...] = (
    (0x2010, 0x2027), (0x2030, 0x203B), (0x3000, 0x3017), (0x301D, 0x301F),
    (0xFF01, 0xFF5E), (0x2460, 0x249B), (0x2776, 0x277F), (0x3220, 0x3229),
    (0x2160, 0x216B),
)


# --------------------------------------------------------------- sources


def run(cmd: list[str], cwd: Path | None = None) -> str:
    """Run a command, fail loudly, return its stdout."""
    return subprocess.run(cmd, cwd=cwd, check=True, text=True,
                          capture_output=True).stdout


def fetch_packages(workdir: Path) -> dict[str, tuple[Path, str]]:
    """Download and unpack PACKAGES; return {package: (root, version)}."""
    result: dict[str, tuple[Path, str]] = {}
    for pkg in PACKAGES:
        debs = sorted(workdir.glob(f"{pkg}_*.deb"))
        if not debs:  # reuse a download from an earlier --workdir run
            print(f"apt-get download {pkg}", flush=True)
            run(["apt-get", "download", pkg], cwd=workdir)
            debs = sorted(workdir.glob(f"{pkg}_*.deb"))
        deb = debs[-1]
        root = workdir / pkg
        if not root.is_dir():
            run(["dpkg-deb", "-x", str(deb), str(root)])
        version = run(["dpkg-deb", "-f", str(deb), "Version"]).strip()
        result[pkg] = (root, version)
    return result


def load_source(path: Path, ps_name: str) -> TTFont:
    """Open a face by PostScript name from an .otf or a .ttc collection."""
    if path.suffix == ".ttc":
        candidates = TTCollection(str(path)).fonts
    else:
        candidates = [TTFont(str(path))]
    for font in candidates:
        if font["name"].getDebugName(6) == ps_name:
            return font
    raise SystemExit(f"{ps_name} not found in {path}")


# --------------------------------------------------------------- charset


def gb2312_chars() -> list[str]:
    """Every character of GB2312: each 2-byte code Python's codec decodes."""
    chars = []
    for b1 in range(0xA1, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                chars.append(bytes((b1, b2)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def gb2312_hanzi() -> list[str]:
    """The 6763 hanzi of GB2312 (rows 16-87)."""
    return [c for c in gb2312_chars() if bytes(c, "gb2312")[0] >= 0xB0]


def tgh_chars(unicode_root: Path) -> list[str]:
    """The 8105 characters of 通用规范汉字表, from Unihan's kTGH field."""
    chars = []
    with bz2.open(unicode_root / UNIHAN_MAPPINGS, "rt", encoding="utf-8") as f:
        for line in f:
            if "\tkTGH\t" in line:
                code = line.split("\t")[0].removeprefix("U+")
                chars.append(chr(int(code, 16)))
    if len(chars) != 8105:
        raise SystemExit(f"expected 8105 kTGH characters, found {len(chars)}")
    return chars


def declared_charset(unicode_root: Path) -> dict[int, list[str]]:
    """{code point: [groups it was declared by]} for the whole charset."""
    groups: dict[int, list[str]] = {}
    for c in gb2312_chars():
        groups.setdefault(ord(c), []).append("GB2312")
    for c in tgh_chars(unicode_root):
        groups.setdefault(ord(c), []).append("TGH")
    for first, last, label in EXTRA_RANGES:
        for cp in range(first, last + 1):
            groups.setdefault(cp, []).append(label)
    return dict(sorted(groups.items()))


def write_charset(charset: dict[int, list[str]], path: Path) -> None:
    lines = [
        "# Declared character set of the bundled fonts (generated by build.py).",
        "# GB2312 = all 7445 characters of GB 2312 (Python's gb2312 codec);",
        "# TGH = the 8105 characters of 通用规范汉字表 (Unihan kTGH);",
        "# other labels are the extra ranges in build.py's EXTRA_RANGES.",
        "# A font holds the characters here that its source has; README.md",
        "# gives each font's real coverage.",
        "# code point<TAB>character<TAB>declared by",
    ]
    for cp, labels in charset.items():
        shown = chr(cp) if chr(cp).isprintable() else ""
        lines.append(f"U+{cp:04X}\t{shown}\t{', '.join(labels)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------- fonts


def subset_font(font: TTFont, codepoints: set[int]) -> None:
    """Subset in place, on the CFF outlines (cheaper than after conversion)."""
    options = subset.Options()
    options.hinting = False  # hints are large and useless for PDF/print
    options.desubroutinize = True  # the outlines are redrawn anyway
    options.notdef_outline = True
    options.glyph_names = False  # post format 3: no glyph-name table
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    # Only vertical forms, kerning and mark/ligature basics: the default
    # list keeps locl, whose Japanese/Korean/Traditional variants nearly
    # double the Noto glyph count (6.7 MB instead of 3.8 MB per face).
    options.layout_features = ["vert", "vrt2", "kern", "vkrn", "ccmp",
                               "liga", "mark", "mkmk"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)


def cff_to_glyf(font: TTFont) -> None:
    """Replace the CFF outlines with quadratic TrueType ones (otf2ttf recipe).

    Outer contours should run counter-clockwise in CFF and clockwise in
    TrueType, so the recipe reverses every contour.  But many Fandol glyphs
    (and a few Noto ones) are drawn clockwise already, so a glyph is
    reversed only when its net area is positive (counter-clockwise); the
    contours of one glyph always turn together, which keeps its fill.
    """
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        area = AreaPen(glyph_set)
        glyph_set[name].draw(area)
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR,
                                      reverse_direction=area.value > 0))
        glyphs[name] = pen.glyph()

    # Vertical origins: CFF fonts keep them in VORG; TrueType derives them
    # from vmtx as topSideBearing + yMax, so recompute the side bearings.
    vorg = font.get("VORG")

    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    if vorg is not None:
        del font["VORG"]
    for name in glyph_order:
        glyphs[name].recalcBounds(glyf)

    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        advance, _ = hmtx[name]
        hmtx[name] = (advance, glyph.xMin if glyph.numberOfContours else 0)
    if "vmtx" in font and vorg is not None:
        vmtx = font["vmtx"]
        for name, glyph in glyphs.items():
            advance, tsb = vmtx[name]
            origin = vorg.VOriginRecords.get(name, vorg.defaultVertOriginY)
            if glyph.numberOfContours:
                tsb = origin - glyph.yMax
            vmtx[name] = (advance, tsb)

    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(glyph_order)
    for field in ("maxZones", "maxTwilightPoints", "maxStorage",
                  "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.maxComponentElements = 0
    maxp.maxComponentDepth = 0

    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order

    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont, face: Face, charset_label: str) -> None:
    """Give the face its own names; keep copyright, credits and licence."""
    name = font["name"]
    source_version = name.getDebugName(5) or ""
    match = re.search(r"Version\s+([0-9.]+)", source_version)
    version = match.group(1) if match else "1.0"
    # Keep: 0 copyright, 8-12 vendor/designer/credits, 13-14 licence.
    # Drop family/style/ids, trademark (7) and typographic names (16-21).
    name.names = [r for r in name.names
                  if r.nameID in (0, 8, 9, 10, 11, 12, 13, 14)
                  and r.platformID == 3]
    new = {
        1: face.family,
        2: "Regular",
        3: f"{version};{face.ps_name}",
        4: face.family,
        5: f"Version {version}; {face.source_label} subset to "
           f"{charset_label}, TrueType outlines",
        6: face.ps_name,
    }
    if face.licence == FANDOL_LICENCE_FILE:
        new[13] = ("GNU GPL version 3 with the GPL font exception; "
                   "see Fandol-GPL-3-font-exception.txt.")
    if face.licence == ARPHIC_LICENCE_FILE:
        new[13] = f"ARPHIC PUBLIC LICENSE; see {ARPHIC_LICENCE_FILE}."
    for name_id, text in new.items():
        name.setName(text, name_id, 3, 1, 0x409)

    # All bundled faces are single Regular faces (see the 小标宋 note).
    os2 = font["OS/2"]
    os2.usWeightClass = 400
    os2.fsSelection = (os2.fsSelection & ~0b1100001) | 0b1000000  # REGULAR
    font["head"].macStyle = 0


def build_face(face: Face, roots: dict[str, tuple[Path, str]],
               codepoints: set[int], charset_label: str) -> TTFont:
    root, _ = roots[face.package]
    font = load_source(root / face.source, face.source_ps_name)
    subset_font(font, codepoints)
    if "CFF " in font:
        cff_to_glyf(font)
    rename(font, face, charset_label)
    out = HERE / face.file
    # Keep the source's head.modified so a rebuild from the same packages
    # gives byte-identical files (no churn in git).
    font.recalcTimestamp = False
    font.save(str(out))
    return TTFont(str(out))  # reload: check what was actually written


# --------------------------------------------------------------- texts


def write_licences(roots: dict[str, tuple[Path, str]],
                   noto_notices: list[str]) -> None:
    """OFL.txt from Debian's copyright file; Fandol's COPYING verbatim."""
    noto_root, _ = roots[NOTO_PKG]
    text = (noto_root / NOTO_COPYRIGHT).read_text(encoding="utf-8")
    # The licence paragraph is "License: SIL-1.1" followed by lines indented
    # one space, with " ." for blank lines (Debian copyright format).
    body = text.split("\n\nLicense: SIL-1.1\n", 1)[1].split("\n\n", 1)[0]
    ofl = "\n".join("" if line == " ." else line[1:]
                    for line in body.splitlines())
    header = (
        "Converter Hei, Converter Song and Converter Xiaobiaosong are subsets of\n"
        "Noto Sans CJK SC and Noto Serif CJK SC, converted to TrueType outlines\n"
        "and renamed (Modified Versions under the licence below).\n\n"
        "Copyright notices in the fonts:\n"
        + "".join(f"  {n}\n" for n in noto_notices)
        + "\nDebian's fonts-noto-cjk package licenses them as follows.\n\n"
    )
    (HERE / OFL_FILE).write_text(header + ofl.strip() + "\n", encoding="utf-8")

    fandol_root, _ = roots[FANDOL_PKG]
    with gzip.open(fandol_root / FANDOL_COPYING, "rt", encoding="utf-8") as f:
        copying = f.read()
    header = (
        "Converter FangSong and Converter Kai are subsets of FandolFang Regular\n"
        "and FandolKai Regular (Copyright © 2012-2013, the Fandol team: Clerk Ma,\n"
        "Jie Su), converted to TrueType outlines and renamed.  The Fandol fonts are\n"
        "licensed under the GNU GPL version 3 with the font exception at the end\n"
        "of the text below; the exception is extended to these modified versions.\n"
        "Source: texlive-lang-chinese, texmf-dist/fonts/opentype/public/fandol;\n"
        "this text is doc/fonts/fandol/COPYING from the same package.\n\n"
    )
    (HERE / FANDOL_LICENCE_FILE).write_text(header + copying, encoding="utf-8")


def write_arphic_licence(roots: dict[str, tuple[Path, str]]) -> None:
    """The BabelStone Han package's copyright file, verbatim."""
    root, version = roots[BABELSTONE_PKG]
    text = (root / BABELSTONE_COPYRIGHT).read_text(encoding="utf-8")
    header = (
        "Converter Han Last Resort is a subset of BabelStone Han (Andrew West,\n"
        "after Arphic Technology's AR PL Mingti), renamed; its CJK ideographs are\n"
        "under the ARPHIC PUBLIC LICENSE below.  Source: Debian's\n"
        f"{BABELSTONE_PKG} {version}; this text is its copyright file.\n\n"
    )
    (HERE / ARPHIC_LICENCE_FILE).write_text(header + text, encoding="utf-8")


def gb18030_hanzi() -> list[str]:
    return [chr(cp) for first, last in GB18030_HANZI
            for cp in range(first, last + 1)]


def build_last_resort(roots: dict[str, tuple[Path, str]]) -> list[dict[str, str]]:
    """The last-resort faces: each holds the GB 18030 hanzi its ``covers``
    lack (and its source has).  Returns README rows."""
    hanzi = gb18030_hanzi()
    rows = []
    for lr in LAST_RESORT:
        held: set[int] = set()
        for name in lr.covers:
            held |= set(TTFont(str(HERE / name), lazy=True).getBestCmap())
        wanted = {ord(c) for c in hanzi} - held
        print(f"building {lr.face.file} from {lr.face.source_label}: "
              f"{len(wanted)} wanted", flush=True)
        font = build_face(lr.face, roots, wanted,
                          "the GB 18030 hanzi the style faces lack")
        have = set(font.getBestCmap())
        size = (HERE / lr.face.file).stat().st_size
        rows.append({
            "file": lr.face.file, "family": lr.face.family,
            "style": lr.style, "covers": ", ".join(lr.covers),
            "source": f"{lr.face.source_label} "
                      f"{font['name'].getDebugName(3).split(';')[0]}",
            "licence": lr.face.licence,
            "glyphs": str(len(font.getGlyphOrder())),
            "hanzi": str(len(have & wanted)), "wanted": str(len(wanted)),
            "size": f"{size / 1e6:.2f} MB", "bytes": str(size),
        })
        print(f"  {rows[-1]['hanzi']}/{len(wanted)} hanzi, {size} bytes",
              flush=True)
    return rows


def write_fonts_conf() -> None:
    """fontconfig file: system config + this folder + the name mappings."""
    out = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        "<!-- Generated by build.py.  Use with FONTCONFIG_FILE=<this file>.",
        "     Adds the bundled fonts and maps the Windows face names the",
        "     theme uses to them; everything else is the system config. -->",
        "<fontconfig>",
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
        '  <dir prefix="relative">.</dir>',
        '  <cachedir prefix="xdg">fontconfig</cachedir>',
    ]
    for face in FACES:
        out.append(f"  <!-- {face.file}: {face.source_label} -->")
        for alias in face.aliases:
            out += [
                '  <alias binding="same">',
                f"    <family>{escape(alias)}</family>",
                f"    <prefer><family>{escape(face.family)}</family></prefer>",
                "  </alias>",
            ]
    out.append("</fontconfig>")
    (HERE / "fonts.conf").write_text("\n".join(out) + "\n", encoding="utf-8")


def coverage(font: TTFont, chars: list[str]) -> tuple[int, list[str]]:
    cmap = font.getBestCmap()
    missing = [c for c in chars if ord(c) not in cmap]
    return len(chars) - len(missing), missing


def write_readme(rows: list[dict[str, str]], versions: dict[str, str],
                 charset_size: int, notes: list[str],
                 extra_rows: list[dict[str, str]]) -> None:
    extra = [
        "| File | Style | Holds what these lack | Source face | Licence | "
        "Glyphs | Hanzi held / wanted | Size (bytes) |",
        "| --- | --- | --- | --- | --- | ---: | ---: | ---: |",
    ]
    for r in extra_rows:
        extra.append(
            f"| `{r['file']}` ({r['family']}) | {r['style']} | {r['covers']} | "
            f"{r['source']} | {r['licence']} | {r['glyphs']} | "
            f"{r['hanzi']}/{r['wanted']} | {r['size']} ({r['bytes']}) |")
    extra_bytes = sum(int(r['bytes']) for r in extra_rows)
    table = [
        ("| File | Stands in for | Source face | Licence | Glyphs | "
         "GB2312 hanzi | GB2312 all | 通用规范 8105 | charset.txt | Size |"),
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        table.append(
            f"| `{r['file']}` ({r['family']}) | {r['aliases']} | "
            f"{r['source']} | {r['licence']} | {r['glyphs']} | {r['gb_hanzi']} | "
            f"{r['gb_all']} | {r['tgh']} | {r['declared']} | {r['size']} |")
    text = f"""# Bundled Chinese fonts

Open-licensed stand-ins for the Windows faces the theme names, which Linux
lacks.  All are TrueType (`glyf`) outlines, because reportlab refuses CFF
("postscript outlines are not supported").  Generated by `build.py`; do not
edit by hand.  Rebuild with `python3 fonts/build.py` (needs apt sources,
`dpkg-deb` and fontTools).

{chr(10).join(table)}

Total size of the font files: {sum(int(r['bytes']) for r in rows) / 1e6:.1f} MB.

## Last-resort faces

So that no character prints as an empty box, three more files hold every
CJK Unified Ideograph of GB 18030 (the BMP block U+4E00–U+9FFF and
Extension A U+3400–U+4DBF, 27584 characters) that the style faces lack.
They carry no Windows names (no alias in `fonts.conf`); the chooser
(`converter/fonts/choose.py`) takes them for a character no style face has:
the 宋 one for a 仿宋/宋/楷/小标宋 line, the 黑 one for a 黑 line.  Each is
cut from the source of the matching style face (Noto Serif/Sans CJK SC), so
a rare character matches its neighbours' design; the 31 characters of
Unicode 13/14 that Noto CJK 2.00x predates come from BabelStone Han (a Ming,
i.e. 宋, face).

{chr(10).join(extra)}

They add {extra_bytes} bytes ({extra_bytes / 1e6:.1f} MB).

Family names are `Converter …`, so they never clash with a system's own Noto
or Fandol fonts.  `fonts.conf` maps the Windows/vendor names in the table to
them (`<alias binding="same">`); use it with
`FONTCONFIG_FILE=…/fonts/fonts.conf`.  It includes the system configuration
and adds this folder by a relative path, so it works wherever the folder is.

Converter Xiaobiaosong (方正小标宋简体) is made from Noto Serif CJK SC **Bold**,
the closest open weight to that heavy title Song; it is labelled
Regular/400, like the Windows face, so applications treat it as a family of
its own and not as a bold variant.

## Sources

| Debian package | Version | Used for |
| --- | --- | --- |
| {NOTO_PKG} | {versions[NOTO_PKG]} | Noto Sans CJK SC Regular, Noto Serif CJK SC Regular and Bold (CFF, in .ttc) |
| {FANDOL_PKG} | {versions[FANDOL_PKG]} | FandolFang Regular, FandolKai Regular (CFF .otf) |
| {UNICODE_PKG} | {versions[UNICODE_PKG]} | Unihan kTGH: the list of 通用规范汉字表 |
| {BABELSTONE_PKG} | {versions[BABELSTONE_PKG]} | BabelStone Han (TrueType): the 31 hanzi of Unicode 13/14 in the last-resort face |

## Licences

* Noto Sans/Serif CJK: SIL Open Font License 1.1, `{OFL_FILE}`.
* Fandol: GNU GPL 3 with the GPL font exception (documents that embed the
  fonts are not covered by the GPL), `{FANDOL_LICENCE_FILE}`.
* BabelStone Han: ARPHIC PUBLIC LICENSE (free: copy, modify and
  redistribute, also embedded in documents), `{ARPHIC_LICENCE_FILE}`.

## Character set

Declared in `charset.txt` ({charset_size} code points): all of GB2312 (7445
characters, 6763 hanzi), the 8105 hanzi of 通用规范汉字表 (2013), ASCII,
Latin-1, pinyin letters, general and CJK punctuation (U+2010–2027,
U+2030–205E, U+3000–303F, U+FF00–FFEF, vertical forms), enclosed numbers
(U+2460–24FF ①–⑳ ⑴ ⒈, ❶–❿, ㈠, ㊀), Roman numerals, arrows, maths
operators, box drawing, geometric shapes and a few symbols (※ ★ ✓ ℃ № €).
Each font holds what its source has of it.  Outlines: cu2qu with a maximum
error of {MAX_ERR:g} unit (1000 units per em), hinting dropped; of the OpenType
layout features only vert/vrt2, kern/vkrn, ccmp, liga, mark and mkmk are kept
(no locl: its Japanese/Korean/Traditional forms would double the Noto size).

## Gaps

{chr(10).join(f"* {n}" for n in notes) or "* none"}
"""
    (HERE / "README.md").write_text(text, encoding="utf-8")


# --------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", type=Path,
                        help="keep downloads here (reused if present); "
                             "default: a temporary directory")
    args = parser.parse_args()
    started = time.monotonic()

    with tempfile.TemporaryDirectory(prefix="fontbuild-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        roots = fetch_packages(workdir.resolve())
        versions = {pkg: v for pkg, (_, v) in roots.items()}

        charset = declared_charset(roots[UNICODE_PKG][0])
        write_charset(charset, HERE / "charset.txt")
        codepoints = set(charset)
        label = "GB2312 + TGH 8105 + punctuation (charset.txt)"
        key_chars = [chr(cp) for first, last in KEY_RANGES
                     for cp in range(first, last + 1)]
        noto_notices: list[str] = []

        gb_all = gb2312_chars()
        gb_hanzi = gb2312_hanzi()
        tgh = tgh_chars(roots[UNICODE_PKG][0])
        rows: list[dict[str, str]] = []
        notes: list[str] = []
        for face in FACES:
            print(f"building {face.file} from {face.source_label}", flush=True)
            font = build_face(face, roots, codepoints, label)
            assert "glyf" in font and "CFF " not in font
            n_hz, _ = coverage(font, gb_hanzi)
            n_gb, miss_gb = coverage(font, gb_all)
            n_tgh, miss_tgh = coverage(font, tgh)
            n_cs, _ = coverage(font, [chr(cp) for cp in charset])
            _, miss_key = coverage(font, key_chars)
            size = (HERE / face.file).stat().st_size
            notice = font["name"].getDebugName(0) or ""
            if face.licence == OFL_FILE and notice not in noto_notices:
                noto_notices.append(notice)
            rows.append({
                "file": face.file, "family": face.family,
                "aliases": ", ".join(face.aliases),
                "source": f"{face.source_label} "
                          f"{font['name'].getDebugName(3).split(';')[0]}",
                "licence": face.licence,
                "glyphs": str(len(font.getGlyphOrder())),
                "gb_hanzi": f"{n_hz}/{len(gb_hanzi)}",
                "gb_all": f"{n_gb}/{len(gb_all)}",
                "tgh": f"{n_tgh}/{len(tgh)}",
                "declared": f"{n_cs}/{len(charset)}",
                "size": f"{size / 1e6:.1f} MB", "bytes": str(size),
            })
            if miss_gb:
                shown = " ".join(f"{c} U+{ord(c):04X}" for c in miss_gb)
                why = ""
                if miss_gb == ["\u2015"] and 0x2014 in font.getBestCmap():
                    why = (" (GB2312 0xA1AA: Python's codec reads it as"
                           " U+2015, the font maps it to — U+2014)")
                notes.append(f"{face.file} lacks {len(miss_gb)} GB2312 "
                             f"character(s): {shown}{why}.")
            if miss_tgh:
                notes.append(
                    f"{face.file} lacks {len(miss_tgh)} of the 8105 通用规范 "
                    f"hanzi (all outside GB2312), e.g. "
                    f"{''.join(miss_tgh[:12])}; the PDF draws them with the "
                    f"nearest style that has them (宋, then the last-resort "
                    f"faces), fontconfig with a font it chooses.")
            if miss_key:
                notes.append(f"{face.file} lacks these common symbols: "
                             f"{' '.join(miss_key)}")
            print(f"  {rows[-1]['glyphs']} glyphs, GB2312 hanzi "
                  f"{rows[-1]['gb_hanzi']}, GB2312 {rows[-1]['gb_all']}, "
                  f"TGH {rows[-1]['tgh']}, {rows[-1]['size']}", flush=True)

        extra_rows = build_last_resort(roots)
        write_licences(roots, noto_notices)
        write_arphic_licence(roots)
        write_fonts_conf()
        write_readme(rows, versions, len(charset), notes, extra_rows)

    total = sum(p.stat().st_size for p in HERE.iterdir() if p.is_file())
    print(f"fonts/ total {total / 1e6:.1f} MB; "
          f"built in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
