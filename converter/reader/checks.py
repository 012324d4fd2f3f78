"""Stage 6: checks that become warnings: truncation, numbering gaps, masked
text, and a summary of what the reader changed."""

from __future__ import annotations

import re

from ..cjk import CLOSERS
from ..model import Block, Heading, Paragraph, Warning
from ..markers import match_marker
from ..regex_cache import ModulePatterns
from .reflow import FINAL

_re = ModulePatterns(__name__)  # its patterns are compiled once, then read from disk (regex_cache.py)

# Masked names: *区, XX市, ××同志, ○○, ＊＊ (kept in the text, listed for people to fill in).
MASK_RE = _re.compile(r"[*＊]+|[Xx×]{2,}|[○〇]{2,}|某某")


# The list of annexes after a document's 落款: "附件：1.…表", "附件1：…", "附件".
ANNEX_RE = _re.compile(r"附\s?件\s?(?:\d{1,2}|[一二三四五六七八九十]{1,3})?\s?(?:[:：]|(?=\d)|$)")
# An item of that list on a line of its own: "2.2025年高标准农田建设任务分解表", "（3）…".
ANNEX_ITEM_RE = _re.compile(r"(?:\d{1,2}\s?[.．、]|[（(]\d{1,2}[）)])\s?\S")
# An annex is named in one line.
MAX_ANNEX_LINE = 100


def ends_with_annex_list(blocks: list[Block]) -> bool:
    """The last blocks are the list of annexes ("附件：1.…" and the numbered
    items under it): the document ended before them."""
    i = len(blocks) - 1
    while i >= 0 and len(blocks[i].text) <= MAX_ANNEX_LINE:
        text = blocks[i].text.strip()
        if ANNEX_RE.match(text):
            return True
        if not ANNEX_ITEM_RE.match(text):
            return False
        i -= 1
    return False


# A note in brackets after the text: "（作者系市委党校教授）", "（根据录音整理）".
NOTE_RE = _re.compile(r"[（(][^（）()]{2,100}[）)]")

# A 公文's 版记 and 附注 (GB/T 9704), printed after its 落款: "抄送：市委组织部，县委办公室。",
# "中共临江县委组织部办公室　　2025年6月3日印发", "（此件公开发布）", "（共印50份）".
# The document ended there, whatever the line ends with.
BANJI_RE = _re.compile(
    r"(?:抄\s?送|抄\s?报|分\s?送|主\s?送)\s?[:：].{1,300}"
    r"|[^，,。；;：:]{0,40}\d{4}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日\s?印\s?发"
    r"|(?:.{0,60}\d{4}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日\s*)?[（(]\s?(?:此件|本件|此页无正文|共印\s?\d+\s?份)[^（）()]{0,30}[）)]",
    re.S,
)


def ends_with_banji(blocks: list[Block]) -> bool:
    """The last block is a line of a 公文's 版记 (抄送, 印发) or its 附注
    ("（此件公开发布）"): the document ended there."""
    return bool(blocks) and BANJI_RE.fullmatch(blocks[-1].text.strip()) is not None


def is_truncated(blocks: list[Block], cut_off: bool, complete: bool = False) -> bool:
    """The text stops mid-sentence, or the site said it cut the text off.
    A text that ends in a date or signature line is complete, and so is one
    that ends in its list of annexes (附件：1.… 2.…) or in a 公文's 版记
    (抄送：…, …印发, "（此件公开发布）"), and one the site said it showed
    whole ("全文阅读已结束"), unless it also said it cut it off.
    Notes in brackets after the text ("（作者系…）") are passed over."""
    if cut_off:
        return True
    if complete or not blocks:
        return False
    if ends_with_annex_list(blocks) or ends_with_banji(blocks):
        return False
    while len(blocks) > 1 and isinstance(blocks[-1], Paragraph) and NOTE_RE.fullmatch(blocks[-1].text.strip()):
        blocks = blocks[:-1]
    last = blocks[-1]
    if isinstance(last, Paragraph) and last.role in ("date", "signature"):
        return False
    text = last.text.rstrip()
    if isinstance(last, Heading):
        return True
    stripped = text.rstrip(CLOSERS)
    return not stripped or stripped[-1] not in FINAL


def numbering_gaps(blocks: list[Block]) -> list[Warning]:
    """一、二、四、: a number skipped (or repeated) within one marker family at one level."""
    warnings: list[Warning] = []
    last: dict[tuple[str, int], int] = {}
    for block in blocks:
        if not isinstance(block, Heading):
            continue
        marker = match_marker(block.text)
        if marker is None or marker.number is None:
            continue
        # A deeper family restarts under each new heading of a higher level.
        for key in [k for k in last if k[1] > block.level]:
            del last[key]
        key = (marker.family.name, block.level)
        expected = last.get(key, 0) + 1
        if marker.number != expected:
            warnings.append(
                Warning(
                    "numbering_gap",
                    f"heading numbering jumps: expected {expected} but found {marker.text} in “{block.text}”",
                    None,
                )
            )
        last[key] = marker.number
    return warnings


def masked_text(blocks: list[Block]) -> list[Warning]:
    found: dict[str, int] = {}
    for block in blocks:
        for m in MASK_RE.finditer(block.text):
            context = block.text[max(0, m.start() - 4): m.end() + 4]
            found.setdefault(context, 0)
            found[context] += 1
    return [Warning("masked_text", f"masked text to fill in: …{c}…", None) for c in found]
