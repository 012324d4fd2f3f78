#!/usr/bin/env python3
"""Deck quality on the real corpus (issue 14 items 9-13): every deck of
tests/data/real/gold/*.json and the example lecture, planned in-process
(no python-pptx), measured by tests/deck_quality.py.

  .venv/bin/python benchmarks/deck_quality.py            # corpus-wide figures
  .venv/bin/python benchmarks/deck_quality.py -v         # and every offending bullet / series
  .venv/bin/python benchmarks/deck_quality.py --theme handout
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from converter.load import load_outline  # noqa: E402
from converter.render.pptx.plan import plan_deck  # noqa: E402
from converter.theme import load_theme  # noqa: E402
from deck_quality import measure  # noqa: E402
from test_deck_plan import GEOMETRY  # noqa: E402


def corpus() -> list[Path]:
    return [*sorted((REPO / "tests/data/real/gold").glob("*.json")), REPO / "examples/lecture.txt"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--theme", default="official")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    theme = load_theme(args.theme)
    totals: Counter[str] = Counter()
    sizes_per_deck: Counter[int] = Counter()
    start = time.perf_counter()
    for path in corpus():
        outline = load_outline(path.read_bytes(), source=path.name)
        plan = plan_deck(outline, theme, GEOMETRY)
        f = measure(plan, outline)
        totals["decks"] += 1
        totals["slides"] += len(plan.slides)
        totals["bullets"] += f.bullets
        for key in ("not_verbatim", "off_boundary", "leaning", "pointing", "procedural", "series_split", "series_over_slides",
                    "sections_without_divider"):
            got = getattr(f, key)
            totals[key] += len(got)
            if args.verbose:
                for item in got:
                    print(f"{path.stem[:28]:28} {key:24} {item}")
        for s in plan.slides:
            body = s.box("body")
            if s.kind in ("content", "opening") and body is not None:
                totals["bullet_slides"] += 1
                totals["one_bullet_slides"] += len(body.paras) == 1
                totals["continued"] += s.continued
        totals["series"] += f.series
        totals["sections"] += f.sections
        sizes_per_deck[len(f.body_sizes)] += 1
    took = time.perf_counter() - start
    print(f"{totals['decks']} decks, {totals['slides']} slides, {totals['bullets']} bullets ({took:.1f} s)")
    print(f"bullet slides: {totals['bullet_slides']} ({totals['continued']} continued), "
          f"{totals['bullets'] / max(1, totals['bullet_slides']):.1f} bullets a slide, "
          f"{totals['one_bullet_slides']} with one bullet")
    print(f"bullets not verbatim:            {totals['not_verbatim']}")
    print(f"bullets not at clause boundaries: {totals['off_boundary']}")
    print(f"bullets leaning on a clause before (是/而/并…): {totals['leaning']}")
    print(f"bullets pointing off the slide (这些…): {totals['pointing']}")
    print(f"procedural bullets (现就…如下):   {totals['procedural']}")
    print(f"series split: {totals['series_split']} of {totals['series']} "
          f"(shown whole over a slide and its continuation: {totals['series_over_slides']})")
    print(f"level-1 sections without divider: {totals['sections_without_divider']} of {totals['sections']}")
    print("decks by number of body sizes:   " + ", ".join(f"{k}: {v}" for k, v in sorted(sizes_per_deck.items())))


if __name__ == "__main__":
    main()
