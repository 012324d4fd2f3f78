"""Serve a real text the way a web site serves it: the page's own chrome
around the body (a menu, a breadcrumb, the page title, info lines, buttons,
footers, inline ads, running headers at page breaks), the body hard-wrapped
and joined as a copy from the site's viewer joins it, and, for some texts,
cut off mid-sentence where the free preview stops.

The chrome comes from a vocabulary file (tests/data/real/chrome/*.toml):
``known.toml`` holds chrome that converter/data/chrome.toml names,
``heldout.toml`` chrome that no pattern names, written only for measuring.
A damaged case is (gold, raw bytes): the gold is the text's gold outline,
cut like the raw text when the case is a truncated one.
"""

from __future__ import annotations

import copy
import hashlib
import random
import tomllib
from dataclasses import dataclass
from pathlib import Path

from variants import _FW_TO_ASCII, _physical_paragraphs, wrap

ROOT = Path(__file__).resolve().parent
REAL = ROOT / "data" / "real"
CHROME = REAL / "chrome"
SENTENCE_END = "。！？!?…"


def load_chrome(name: str) -> dict[str, list[list[str]]]:
    """Each category as a list of blocks, a block a list of lines."""
    data = tomllib.loads((CHROME / f"{name}.toml").read_text("utf-8"))
    return {k: [[e] if isinstance(e, str) else list(e) for e in v] for k, v in data.items() if isinstance(v, list)}


def split_of(stem: str) -> str:
    """A fixed half of the corpus by name: 'tune' or 'heldout'."""
    return "heldout" if hashlib.sha1(stem.encode()).digest()[0] % 2 else "tune"


def real_golds(split: str = "all") -> list[Path]:
    paths = sorted((REAL / "gold").glob("*.json"))
    return [p for p in paths if split == "all" or split_of(p.stem) == split]


@dataclass(frozen=True)
class SiteCase:
    name: str
    gold: dict
    raw: bytes


def _cut(gold: dict, rng: random.Random) -> dict | None:
    """The gold cut inside a body paragraph past its middle, not at a sentence end."""
    blocks = gold["blocks"]
    body = [i for i, b in enumerate(blocks) if b["type"] == "paragraph" and not b.get("role") and len(b["text"]) >= 40]
    late = [i for i in body if i >= len(blocks) // 2 and i < len(blocks) - 1]
    if not late:
        return None
    i = rng.choice(late)
    text = blocks[i]["text"]
    spots = [k for k in range(12, len(text) - 8) if text[k - 1] not in SENTENCE_END + "，、；：,;:”’）)" and text[k - 1].strip()]
    if not spots:
        return None
    cut = copy.deepcopy(gold)
    cut["blocks"] = cut["blocks"][: i + 1]
    cut["blocks"][i]["text"] = text[: rng.choice(spots)]
    cut["truncated"] = True
    return cut


def _pick(rng: random.Random, chrome: dict, key: str) -> list[str]:
    items = chrome.get(key) or [[]]
    return list(rng.choice(items))


def make_case(gold_path: Path, chrome: dict, seed: int) -> SiteCase:
    """One damaged case: the seed chooses the site's layout and the copy's damage."""
    rng = random.Random(f"{gold_path.stem}:{seed}")
    gold = __import__("json").loads(gold_path.read_text("utf-8"))
    gold = {k: gold[k] for k in ("title", "truncated", "blocks")}
    if not gold["truncated"] and rng.random() < 0.35:
        gold = _cut(gold, rng) or gold
    title = gold["title"]
    width = rng.randint(24, 40)
    joiner = rng.choice([" ", " ", "\n", "\r\n", "  ", "mix"])
    page_lines = rng.choice([0, 18, 20, 22, 25, 30])

    # Above the body: menu, breadcrumb, page title, info lines, buttons.
    head: list[str] = []
    if rng.random() < 0.85:
        head += _pick(rng, chrome, "menus")
    if rng.random() < 0.6:
        crumb = _pick(rng, chrome, "breadcrumbs")
        if crumb and rng.random() < 0.3:
            crumb[-1] = f"{crumb[-1]} > {title}"
        head += crumb
    if title and rng.random() < 0.9:
        head.append(title)  # the page's own title
    for _ in range(rng.choice([0, 1, 1, 2])):
        head += _pick(rng, chrome, "info_lines")
    if rng.random() < 0.6:
        head += _pick(rng, chrome, "buttons")

    paras = _physical_paragraphs(gold)
    if title and (rng.random() < 0.7 or title not in head):
        paras = [title] + paras  # the document's first line repeats the title
    # Inline ads between paragraphs, now and then.
    if chrome.get("inline_ads") and len(paras) > 6 and rng.random() < 0.4:
        for _ in range(rng.randint(1, 2)):
            k = rng.randrange(3, len(paras) - 1)
            paras[k:k] = _pick(rng, chrome, "inline_ads")
    body_lines: list[str] = []
    clean = rng.random() < 0.15
    if clean:
        joiner = rng.choice(["\n", "\r\n"])  # a paragraph a line: joined by spaces, nothing could tell them apart
    for p in paras:
        body_lines += [p] if clean else wrap(p, width, rng.choice([0, 1, 2]), hang=rng.random() < 0.2)
    # Running headers (site name or title with page numbers) at page breaks.
    if page_lines and not clean:
        header = rng.choice(chrome.get("running_headers") or [[title]])
        pages = [body_lines[k:k + page_lines] for k in range(0, len(body_lines), page_lines)]
        body_lines = []
        for n, page in enumerate(pages, start=1):
            body_lines += page
            if n < len(pages):
                body_lines += [h.replace("{n}", str(n)).replace("{total}", str(len(pages))) for h in header]

    tail: list[str] = []
    if gold["truncated"]:
        tail += _pick(rng, chrome, "cut_notices")
        if rng.random() < 0.5:
            tail += _pick(rng, chrome, "buttons")
    elif rng.random() < 0.5:
        tail += _pick(rng, chrome, "end_notices")
    if rng.random() < 0.7:
        tail += _pick(rng, chrome, "footers")

    if joiner in ("\n", "\r\n"):
        body = joiner.join(body_lines)
    else:
        body = ""
        for line in body_lines:
            glue = joiner if joiner != "mix" else rng.choice([" ", "\n", "  "])
            body = f"{body}{glue}{line}" if body else line
    eol = "\r\n" if joiner == "\r\n" else "\n"
    sep = eol * rng.choice([1, 2])
    text = sep.join([*head, body, *tail]) + eol
    if rng.random() < 0.5:
        text = text.translate(_FW_TO_ASCII)
    encoding = "gb18030" if rng.random() < 0.25 else "utf-8"
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        raw = text.encode("utf-8")
    return SiteCase(f"{gold_path.stem}#{seed}", gold, raw)


def cases(split: str = "all", chrome_name: str = "heldout", seeds: int = 3) -> list[SiteCase]:
    chrome = load_chrome(chrome_name)
    return [make_case(p, chrome, s) for p in real_golds(split) for s in range(seeds)]
