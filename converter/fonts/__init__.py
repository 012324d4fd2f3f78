"""Fonts, in one place: every module that opens a font file is here.

- resolve.py  which file draws a face name: the bundled fonts folder (its
              fonts.conf maps the Windows names to them), then fontconfig
- choose.py   the one chooser: theme role -> face -> file, and the one
              policy for a face this machine has no file for
- metrics.py  advance widths (``FontMetrics``), the data the line breaker
              measures with
- subset.py   font programs cut to the glyphs a document uses (the PDF's
              CID-ordered subsets; fontTools' subsetter for the .docx)
- embed.py    what an embedded font carries besides its glyphs (the PDF's
              CIDs, widths and ToUnicode map; the .docx's obfuscation)
- cache.py    what was parsed, on disk, keyed by the font file's hash

Importing this package imports neither fontTools nor reportlab and opens no
font: a font file is read when a renderer first needs it, once per process,
and from the disk cache when it was read before.
"""

from __future__ import annotations

from .choose import DECK_ROLES, DOCX_ROLES, PARAGRAPH_ROLES, PDF_ROLES, Faces, role_font
from .metrics import FontMetrics, font_metrics, gb2312_coverage, gb2312_hanzi, metrics_for
from .resolve import BundledFont, bundled_fonts, bundled_path, family_of, fontconfig_file, fonts_dir, resolve_face, system_path

__all__ = [
    "DECK_ROLES",
    "DOCX_ROLES",
    "PARAGRAPH_ROLES",
    "PDF_ROLES",
    "BundledFont",
    "Faces",
    "FontMetrics",
    "bundled_fonts",
    "bundled_path",
    "family_of",
    "font_metrics",
    "fontconfig_file",
    "fonts_dir",
    "gb2312_coverage",
    "gb2312_hanzi",
    "metrics_for",
    "resolve_face",
    "role_font",
    "system_path",
]
