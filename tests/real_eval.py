#!/usr/bin/env python3
"""The reader on the real corpus (tests/data/real/), served as web sites serve
it (tests/site_damage.py), scored as ../shared/eval/score.py scores.

  .venv/bin/python tests/real_eval.py                       # held-out half, held-out chrome
  .venv/bin/python tests/real_eval.py --split tune --chrome known
  .venv/bin/python tests/real_eval.py --split all --seeds 5 -v   # a line per case
  .venv/bin/python tests/real_eval.py --split tune --chrome known --no-patterns   # develop on this

Prints one line per text (worst seed) with -v, then the overall figures and
the flag figures: how many of the remaining errors sit in blocks that an
``uncertain`` warning names (``flag_recall``), and what share of predicted
headings is flagged (``headings_flagged``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import score  # noqa: E402
import site_damage  # noqa: E402
from converter import outline_json  # noqa: E402
from converter.load import load_outline  # noqa: E402


def block_errors(gold: dict, pred: dict) -> tuple[set[int], bool]:
    """Indices of predicted blocks that hold an error (a wrong or missed
    heading, a wrong or missed block boundary), and whether the title is wrong."""
    g, p = score.canon(gold), score.canon(pred)
    errors: set[int] = set()
    gtext, gstarts = score.concat(g["blocks"])
    ptext, pstarts = score.concat(p["blocks"])
    m, _ = score.align_map(gtext, ptext)
    pstarts_g = [m[s] if s < len(m) else len(gtext) for s in pstarts]

    def block_at(goff: int) -> int:
        k = 0
        for i, s in enumerate(pstarts_g):
            if s <= goff:
                k = i
        return k

    gold_heads = {}
    for i, b in enumerate(g["blocks"]):
        if b["type"] == "heading":
            gold_heads.setdefault((score.head_key(b["text"]), b["level"]), []).append(gstarts[i])
    pred_heads = {(score.head_key(b["text"]), b["level"]) for b in p["blocks"] if b["type"] == "heading"}
    for i, b in enumerate(p["blocks"]):
        if b["type"] == "heading" and (score.head_key(b["text"]), b["level"]) not in gold_heads:
            errors.add(i)
    for key, offsets in gold_heads.items():
        if key not in pred_heads:
            errors.update(block_at(o) for o in offsets)
    after_run_in = {gstarts[i] for i in range(1, len(gstarts)) if g["blocks"][i - 1]["type"] == "heading" and g["blocks"][i - 1]["run_in"]}
    gb = {gstarts[i] for i in range(1, len(gstarts))} - after_run_in  # (the break after a run-in heading is optional)
    pb = set(pstarts_g[1:])
    for i, s in enumerate(pstarts_g):
        if i and s not in gb and 0 < s < len(gtext) and s not in after_run_in:
            errors.add(i)
    for s in gb:
        if s not in pb and 0 < s < len(gtext):
            errors.add(block_at(s))
    title_wrong = score.norm(g["title"]) != score.norm(p["title"])
    return errors, title_wrong


@contextlib.contextmanager
def _one_alignment_per_case():
    """score.score_case and block_errors align the same two texts: the
    second asks score.align_map (difflib, most of the run's time) for the
    answer the first got, not for it again."""
    align_map = score.align_map
    last: dict[tuple[str, str], tuple] = {}

    def cached(gold_text: str, pred_text: str) -> tuple:
        key = (gold_text, pred_text)
        if key not in last:
            last.clear()
            last[key] = align_map(gold_text, pred_text)
        return last[key]

    score.align_map = cached
    try:
        yield
    finally:
        score.align_map = align_map


def evaluate(split: str, chrome: str, seeds: int, verbose: bool) -> dict:
    with _one_alignment_per_case():
        return _evaluate(split, chrome, seeds, verbose)


def _evaluate(split: str, chrome: str, seeds: int, verbose: bool) -> dict:
    results, worst = [], {}
    errors_total = errors_flagged = heads = heads_flagged = 0
    for case in site_damage.cases(split, chrome, seeds):
        outline = load_outline(case.raw)
        pred = json.loads(outline_json.dumps(outline))
        r = score.score_case(score.canon(case.gold), score.canon(pred))
        results.append(r)
        flagged = {w["block"] for w in pred["warnings"] if w["code"] == "uncertain" and w.get("block") is not None}
        title_flagged = any(w["code"] == "uncertain" and w.get("block") is None and "title" in w["message"] for w in pred["warnings"])
        errs, title_wrong = block_errors(case.gold, pred)
        errors_total += len(errs) + title_wrong
        errors_flagged += len(errs & flagged) + (title_wrong and title_flagged)
        heads += sum(1 for b in pred["blocks"] if b["type"] == "heading")
        heads_flagged += sum(1 for i in flagged if i < len(pred["blocks"]) and pred["blocks"][i]["type"] == "heading")
        stem = case.name.split("#")[0]
        key = (r["head_f1"] + r["para_f1"] + r["title_ok"] + r["sal_ok"] + r["trunc_ok"] - (r["lost"] > 0))
        if stem not in worst or key < worst[stem][0]:
            worst[stem] = (key, case.name, r)
    if verbose:
        for _, name, r in sorted(worst.values(), key=lambda t: t[1]):
            print(score.line(name, r))
    o = score.overall(results)
    o["flag_recall"] = errors_flagged / errors_total if errors_total else 1.0
    o["headings_flagged"] = heads_flagged / heads if heads else 0.0
    o["errors"] = errors_total
    return o


def _without_word_patterns() -> None:
    """Develop the structural rules honestly: the pattern file's site words
    are switched off (page numbers and tables of contents stay), so the
    known chrome is chrome the reader has no words for."""
    import dataclasses
    import importlib
    import re

    clean = importlib.import_module("converter.reader.clean")

    never = re.compile(r"(?!x)x")
    full = clean.chrome_patterns()
    # Page numbers are no site words: they stay ("— 3 —", "第3页 共9页", "3 / 9", "· 3 ·").
    number = r"[—–\-－]\s?\d{1,4}\s?[—–\-－]|第\s?\d{1,4}\s?页(?:\s?[,，/]?\s?共\s?\d{1,4}\s?页)?|\d{1,4}\s?/\s?\d{1,4}|[·•]\s?\d{1,4}\s?[·•]"
    blank = dataclasses.replace(
        full, segment=re.compile(rf"(?:{number})(?=\s|$)"), line=re.compile(rf"(?:{number}|\d{{1,4}})"),
        truncation=never, complete=never, tail=never, suffix=never,
        account=(), list_title=None, note=None, caption=None, ad_label=None, ad_button=None,
        ai_preface=None, ai_closing=None,
    )
    clean.chrome_patterns = lambda: blank  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("heldout", "tune", "all"), default="heldout")
    ap.add_argument("--chrome", choices=("heldout", "known"), default="heldout")
    ap.add_argument("--seeds", type=int, default=3, help="damaged copies per text")
    ap.add_argument("--no-patterns", action="store_true", help="switch the pattern file's site words off (for developing structural rules)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.no_patterns:
        _without_word_patterns()
    o = evaluate(args.split, args.chrome, args.seeds, args.verbose)
    print(f"split={args.split} chrome={args.chrome} seeds={args.seeds} texts={o['n'] // max(args.seeds, 1)}")
    print(score.overall_line(o))
    print("flags: flag_recall=%.3f (%d errors left) headings_flagged=%.3f" % (o["flag_recall"], o["errors"], o["headings_flagged"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
