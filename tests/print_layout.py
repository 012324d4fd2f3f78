"""Pagination and justification, measured from rendered PDFs (issue 14,
items 1, 2 and 8): headings with fewer than two lines of their text under
them on their page, widow and orphan lines, last pages under three lines,
a 落款 alone on its page, ragged non-final lines of body paragraphs, and a
running header on page 1.

Lines come from ``docx_helpers.measure`` (pdfplumber, matched to the
outline's blocks by their text), so the same counts hold for our PDF and for
the PDF LibreOffice makes of our .docx.

    python tests/print_layout.py [--to pdf,docx] [--theme official] [--limit N] [--list]

measures the example and every text of the real corpus
(tests/data/real/gold/*.json) and prints the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from docx_helpers import Measurement, docx_to_pdf, load_gold, measure  # noqa: E402

from converter import outline_json  # noqa: E402
from converter.model import SCHEMA, Outline  # noqa: E402
from converter.render import RenderOptions  # noqa: E402
from converter.theme import Theme, load_theme  # noqa: E402

CORPUS = HERE / "data" / "real" / "gold"
GAP_LINES = 3  # a page ending this many lines short (or more) is counted
RAGGED_PT = 0.5  # a non-final body line ending further than this short of the margin is ragged
CLOSING = ("signature", "date", "truncation_note")  # the lines that end a text: never alone on a page
OPTIONS = RenderOptions(source_date_epoch=0)


@dataclass
class Strands:
    headings: list[str] = field(default_factory=list)  # headings with < 2 lines of text under them
    widows: list[str] = field(default_factory=list)  # a paragraph's last line alone atop a page
    orphans: list[str] = field(default_factory=list)  # a paragraph's first line alone at a page's foot
    short_last_page: int = 0  # lines on the last page, when under three (and the text is longer)
    closing_alone: bool = False  # the 落款 or the truncation note on a page with nothing of the body
    ragged: list[str] = field(default_factory=list)  # non-final body lines short of the margin
    mid_lines: int = 0  # non-final body lines (what `ragged` is out of)
    header_on_first_page: bool = False
    gaps: list[str] = field(default_factory=list)  # pages (not the first or last) ending 3+ lines short
    pages: int = 0
    problems: list[str] = field(default_factory=list)  # text not matched: the rest is unreliable

    def counts(self) -> dict[str, int]:
        return {
            "headings": len(self.headings), "widows": len(self.widows), "orphans": len(self.orphans),
            "short_last": int(self.short_last_page > 0), "closing_alone": int(self.closing_alone),
            "ragged": len(self.ragged), "mid_lines": self.mid_lines,
            "header_p1": int(self.header_on_first_page), "gaps": len(self.gaps), "problems": len(self.problems),
        }


def strands(m: Measurement, theme: Theme) -> Strands:
    out = Strands(pages=m.pages, problems=list(m.problems))
    if m.problems:
        return out
    lines = m.body
    kinds = m.kinds
    right = theme.page.width - theme.page.margin_right
    text_kind = lambda k: not k.startswith("heading") and k != "title"  # noqa: E731
    for i, ln in enumerate(lines):
        kind = kinds[ln.block]
        first = i == 0 or lines[i - 1].block != ln.block
        last = ln.last_of_block
        if kind.startswith("heading") and last:
            under = sum(1 for x in lines[i + 1:] if x.page == ln.page and text_kind(kinds[x.block]))
            remaining = sum(1 for x in lines[i + 1:] if text_kind(kinds[x.block]))
            if under < min(2, remaining):
                out.headings.append(f"p{ln.page}: {m.texts[ln.block][:20]} ({under} line{'s' * (under != 1)} under it)")
        if not (first and last):
            if first and i + 1 < len(lines) and lines[i + 1].page != ln.page:
                out.orphans.append(f"p{ln.page}: {ln.text[:20]}")
            if last and lines[i - 1].page != ln.page:
                out.widows.append(f"p{ln.page}: {ln.text[:20]}")
        if kind == "body" and not last:
            out.mid_lines += 1
            if right - ln.x1 > RAGGED_PT:
                out.ragged.append(f"p{ln.page} {right - ln.x1:.1f} pt short: {ln.text[:20]}")
    if lines:
        on_last = sum(1 for ln in lines if ln.page == lines[-1].page)
        if on_last < 3 <= len(lines):
            out.short_last_page = on_last
        closing = [ln for ln in lines if kinds[ln.block] in CLOSING]
        if closing:
            page = closing[0].page
            out.closing_alone = all(kinds[ln.block] in CLOSING for ln in lines if ln.page == page)
    out.header_on_first_page = 1 in m.header
    for page in m.full_pages():
        deficit = theme.grid.lines_per_page - len(m.lines_on(page))
        if deficit >= GAP_LINES:
            out.gaps.append(f"p{page}: {deficit} lines short")
    return out


def load_outline(path: Path) -> Outline:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("schema", SCHEMA)
    return outline_json.from_dict(data)


def corpus(limit: int | None = None, longest: bool = False) -> list[tuple[str, Outline]]:
    """The example and the real texts (``longest``: the ``limit`` longest)."""
    texts = [(p.stem, load_outline(p)) for p in sorted(CORPUS.glob("*.json"))]
    if longest:
        texts.sort(key=lambda t: -sum(len(b.text) for b in t[1].blocks))
    if limit is not None:
        texts = texts[:limit]
    return [("example", load_gold())] + texts


def render_pdfs(items: list[tuple[str, Outline]], theme: Theme, fmt: str, folder: Path) -> list[Path]:
    """Our PDF of each outline, or LibreOffice's PDF of our .docx."""
    if fmt == "pdf":
        from converter.render.pdf import render_pdf

        paths = []
        for name, outline in items:
            path = folder / f"{name}.pdf"
            path.write_bytes(render_pdf(outline, theme, OPTIONS).data)
            paths.append(path)
        return paths
    from converter.render.docx import render_docx

    docs = []
    for name, outline in items:
        path = folder / f"{name}.docx"
        path.write_bytes(render_docx(outline, theme, OPTIONS).data)
        docs.append(path)
    return docx_to_pdf(docs, folder)


def measure_all(items: list[tuple[str, Outline]], theme: Theme, fmt: str) -> dict[str, Strands]:
    with tempfile.TemporaryDirectory(prefix=f"print-layout-{fmt}-") as tmp:
        pdfs = render_pdfs(items, theme, fmt, Path(tmp))
        return {name: strands(measure(pdf, outline, theme), theme) for (name, outline), pdf in zip(items, pdfs)}


def main(argv: list[str] | None = None) -> int:
    global RAGGED_PT
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--to", default="pdf,docx")
    ap.add_argument("--theme", default="official")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--list", action="store_true", help="list every strand found")
    ap.add_argument("--ragged-pt", type=float, default=RAGGED_PT, help="how short of the margin a line is ragged")
    args = ap.parse_args(argv)
    RAGGED_PT = args.ragged_pt
    theme = load_theme(args.theme)
    items = corpus(args.limit)
    for fmt in args.to.split(","):
        start = time.perf_counter()
        results = measure_all(items, theme, fmt)
        total: dict[str, int] = {}
        for name, s in results.items():
            for key, value in s.counts().items():
                total[key] = total.get(key, 0) + value
            if args.list and any(v for k, v in s.counts().items() if k not in ("mid_lines",)):
                print(f"  {fmt} {name}: {s.counts()}")
                for what in (s.headings, s.widows, s.orphans, s.ragged[:5], s.gaps, s.problems):
                    for item in what:
                        print(f"      {item}")
        pages = sum(s.pages for s in results.values())
        print(f"{fmt} ({args.theme}, {len(results)} texts, {pages} pages, {time.perf_counter() - start:.0f} s): "
              f"headings stranded {total['headings']}, widows {total['widows']}, orphans {total['orphans']}, "
              f"last pages < 3 lines {total['short_last']}, 落款 alone {total['closing_alone']}, "
              f"ragged {total['ragged']} of {total['mid_lines']} non-final body lines, "
              f"header on page 1 {total['header_p1']}, pages {GAP_LINES}+ lines short {total['gaps']}, "
              f"unmatched texts {total['problems']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
