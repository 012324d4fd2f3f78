"""Stage 3: restore full-width Chinese punctuation that a site turned into ASCII.

Only , : ; ? ! ( ) next to Chinese text change, and a full stop typed as
"." after a Chinese character.  Inside numbers, times, Latin
phrases and URLs they stay as written (3.5%, 10:30, 1,120亿元, (1) in an
English phrase, http://a.b/?q=1).
"""

from __future__ import annotations

import re

from ..cjk import ASCII_TO_FULLWIDTH, is_wide
from ..regex_cache import ModulePatterns

_re = ModulePatterns(__name__)  # its patterns are compiled once, then read from disk (regex_cache.py)

_SIMPLE = {",", ":", ";", "?", "!"}


def _neighbour(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] == " ":
        j += step
    return text[j] if 0 <= j < len(text) else ""


def restore_punctuation(text: str) -> tuple[str, int]:
    """Return the text with ASCII stand-ins restored, and how many changed."""
    text, stops = _restore_stops(text)
    if not any(c in ASCII_TO_FULLWIDTH for c in text):
        return text, stops
    text, changed = _restore_simple(text)
    return text, changed + stops


# A full stop typed as "." after a Chinese character (not in 3.5, 1. or
# Latin text), with the space a typist put after it.
_STOP_RE = _re.compile(r"(?<=[\u3400-\u9fff\uff09\u201d\u300b]) ?\.(?!\.)(?: (?=[\u3400-\u9fff\u201c\uff08\u300a])|(?=[\u3400-\u9fff\u201c\uff08\u300a])|$)")


def _restore_stops(text: str) -> tuple[str, int]:
    changed = 0
    if "." in text:
        restored = 0

        def stop(m: re.Match[str]) -> str:
            nonlocal restored
            # "一." opening a line is a heading marker, not a sentence end.
            head = text[: m.start()].strip()
            if head and len(head) <= 3 and all(c in "一二三四五六七八九十" for c in head):
                return m.group()
            restored += 1
            return "。"

        text = _STOP_RE.sub(stop, text)
        changed = restored
    # (Straight double quotes stay as typed: which one opens cannot be told
    # once a quotation runs over a wrapped line.)
    return text, changed


def _restore_simple(text: str) -> tuple[str, int]:
    chars = list(text)
    changed = 0
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, c in enumerate(chars):
        if c == "(":
            stack.append(i)
        elif c == ")" and stack:
            pairs[stack.pop()] = i
    closing = {close: open_ for open_, close in pairs.items()}
    for i, c in enumerate(chars):
        if c not in ASCII_TO_FULLWIDTH:
            continue
        before, after = _neighbour(text, i, -1), _neighbour(text, i, 1)
        if c in _SIMPLE:
            if before.isdigit() and after.isdigit():
                continue  # 1,120 and 10:30
            convert = is_wide(before) or is_wide(after) or (after == "" and before != "" and not before.isascii())
        elif c == "(" and i in pairs:
            convert = _pair_is_chinese(text, i, pairs[i])
        elif c == ")" and i in closing:
            convert = _pair_is_chinese(text, closing[i], i)
        else:
            convert = is_wide(before) or is_wide(after)
        if convert:
            chars[i] = ASCII_TO_FULLWIDTH[c]
            changed += 1
    return "".join(chars), changed


def _pair_is_chinese(text: str, open_at: int, close_at: int) -> bool:
    inside = text[open_at + 1:close_at]
    return (
        any(is_wide(ch) for ch in inside)
        or is_wide(_neighbour(text, open_at, -1))
        or is_wide(_neighbour(text, close_at, 1))
    )
