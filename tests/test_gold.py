"""The reader against hand-checked gold outlines, on the example as the site
served it and on damaged variants of every gold text (tests/variants.py)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

import score
from converter import outline_json
from converter.load import load_outline
from variants import VARIANTS, Variant, make_raw

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_RAW = ROOT / "examples" / "lecture.txt"
EXAMPLE_GOLD = ROOT / "examples" / "lecture.gold.json"
GOLDS = [EXAMPLE_GOLD, *sorted((ROOT / "tests" / "data" / "gold").glob("*.json"))]

pytestmark = pytest.mark.xdist_group("gold")  # (the variants read once for both their tests: one xdist worker)


def _score(gold: dict, raw: bytes) -> dict:
    outline = load_outline(raw)
    pred = score.canon(json.loads(outline_json.dumps(outline)))
    return score.score_case(score.canon(gold), pred)


def test_example_matches_gold_exactly():
    gold = json.loads(EXAMPLE_GOLD.read_text("utf-8"))
    r = _score(gold, EXAMPLE_RAW.read_bytes())
    assert (r["head_f1"], r["para_f1"], r["title_ok"], r["lost"], r["extra"]) == (1.0, 1.0, True, 0, 0)
    assert r["trunc_ok"] and r["sal_ok"]


@functools.cache
def _variant_score(gold_path: Path, variant: Variant) -> dict:
    """One variant of one gold text, read and scored once in a process:
    test_variant_reads_back and test_variants_overall ask for the same ones."""
    gold = json.loads(gold_path.read_text("utf-8"))
    return _score(gold, make_raw(gold, variant))


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_variant_reads_back(gold_path: Path, variant):
    r = _variant_score(gold_path, variant)
    # Every variant: the title, every character, the salutation; structure nearly exact.
    assert r["title_ok"], "title"
    assert r["lost"] == 0 and r["extra"] == 0, "characters lost or added"
    assert r["sal_ok"]
    assert r["head_f1"] >= 0.9 and r["para_f1"] >= 0.85, score.line(variant.name, r)


def test_variants_overall():
    """Micro-averaged over all variants of all gold texts (the acceptance bar)."""
    results = [_variant_score(p, v) for p in GOLDS for v in VARIANTS]
    o = score.overall(results)
    assert o["heading_f1"] >= 0.97 and o["para_f1"] >= 0.96, score.overall_line(o)
    assert o["title"] == o["n"] and o["lost_chars"] == 0
    assert o["trunc_ok"] >= o["n"] - 1


SCRAPED = sorted((ROOT / "tests" / "data" / "scraped" / "gold").glob("*.json"))


@pytest.mark.parametrize("gold_path", SCRAPED, ids=lambda p: p.stem)
def test_scraped_text_reads_back(gold_path: Path):
    """Texts as real sites and copies damage them, each in its own way (see
    each gold's "notes"): site chrome of several sites, a table of contents,
    spaced-out PDF lines, Word numbering characters, page overlaps, headings
    wrapped over lines, portal pages, GB18030 cut inside a character, an
    HTML export, a Markdown draft from an AI chat, a WeChat article, a Word
    report with a table and an annex list, a 主持词, an indented 心得体会,
    an OCR'd booklet, a theory article with notes, a 公文 通知 from its PDF,
    a portal page in traditional characters, a 360doc page, a report with
    a viewer's line numbers, UTF-8 garbled through Windows-1252, labels
    above a title, a news-app copy cut off, a subtitle above its title."""
    gold = json.loads(gold_path.read_text("utf-8"))
    raw = (gold_path.parent.parent / "raw" / f"{gold_path.stem}.txt").read_bytes()
    r = _score(gold, raw)
    assert r["title_ok"] and r["sal_ok"] and r["trunc_ok"], score.line(gold_path.stem, r)
    assert r["lost"] == 0 and r["extra"] <= 20, score.line(gold_path.stem, r)
    assert r["head_f1"] >= 0.95 and r["para_f1"] >= 0.95, score.line(gold_path.stem, r)
