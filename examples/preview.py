#!/usr/bin/env python3
"""Render the example lecture and turn every page into a PNG, so a person can
look at the layout before calling a renderer done.

    python3 examples/preview.py OUTDIR [--theme official|handout|FILE.toml]
                                [--input LECTURE.txt|OUTLINE.json] [--to docx,pdf,pptx]
                                [--template DECK.pptx] [--dpi 80]

docx and pptx: written, converted to PDF by LibreOffice (with fonts/fonts.conf,
so the bundled faces are used), then to PNG pages (one per slide) by
pdftoppm.  pdf: written by our renderer, then to PNG pages.  Files:
OUTDIR/<stem>-<theme>-<format>[-<page>].png.  Needs LibreOffice (apt-get
install libreoffice-writer-nogui, and libreoffice-impress-nogui for pptx) and
poppler-utils.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from converter.fonts import fontconfig_file  # noqa: E402
from converter.load import load_outline  # noqa: E402
from converter.render import RenderOptions, render  # noqa: E402
from converter.theme import load_theme  # noqa: E402


def to_pdf_with_libreoffice(docx: Path, outdir: Path) -> Path:
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file())}
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(outdir), str(docx)],
            check=True, capture_output=True, env=env, timeout=300,
        )
    return outdir / f"{docx.stem}.pdf"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--theme", default="official")
    ap.add_argument("--input", type=Path, default=HERE / "lecture.txt")
    ap.add_argument("--to", default="docx,pdf")
    ap.add_argument("--template", help="pptx: a template deck instead of the theme's")
    ap.add_argument("--dpi", type=int, default=80)
    args = ap.parse_args()

    outline = load_outline(args.input.read_bytes(), source=args.input.name)
    theme = load_theme(args.theme)
    args.outdir.mkdir(parents=True, exist_ok=True)
    for fmt in args.to.split(","):
        stem = f"{args.input.stem.split('.')[0]}-{theme.name}-{fmt}"
        out = args.outdir / f"{stem}.{fmt}"
        out.write_bytes(render(fmt, outline, theme, RenderOptions.from_env(template=args.template)).data)
        pdf = out if fmt == "pdf" else to_pdf_with_libreoffice(out, args.outdir)
        for old in args.outdir.glob(f"{stem}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", str(args.dpi), "-png", str(pdf), str(args.outdir / stem)], check=True)
        for png in sorted(args.outdir.glob(f"{stem}-*.png")):
            print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
