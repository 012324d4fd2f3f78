"""Character classes for Chinese text, shared by the reader and the line breaker.

Sets follow W3C "Requirements for Chinese Text Layout" (clreq) where it names
them; ASCII counterparts are listed because scraped text often carries them.
"""

from __future__ import annotations

import re

from .regex_cache import ModulePatterns

_re = ModulePatterns(__name__)  # its patterns are compiled once, then read from disk (regex_cache.py)

# Sentence-final marks: a paragraph normally ends with one of these (possibly
# followed by closing quotes or brackets).
SENTENCE_FINAL = "。！？!?…"
# Closing quotes and brackets that may follow a sentence-final mark.
CLOSERS = "”’）》〉」』】〕］｝)]"
# clreq: characters that must not start a line.
NO_LINE_START = "，。、；：？！”’）》〉」』】〕］｝…‥·・％‰,.;:?!)]%" + "—"
# clreq: characters that must not end a line.
NO_LINE_END = "“‘（《〈「『【〔［｛(["

# ASCII punctuation that scraped text uses in place of full-width Chinese
# punctuation, and the full-width form it stands for.
ASCII_TO_FULLWIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}

_CJK_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FFFF),
    (0x30000, 0x3134F),
)


def is_cjk_ideograph(ch: str) -> bool:
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in _CJK_RANGES)


def is_wide(ch: str) -> bool:
    """True for characters set on a full em in Chinese text: ideographs, kana,
    CJK and full-width punctuation, curly quotes, dashes and ellipses."""
    if not ch:
        return False
    o = ord(ch)
    if o < 0x2000:
        return False
    if 0x2010 <= o <= 0x2027:  # dashes, curly quotes, ellipsis
        return True
    if 0x2460 <= o <= 0x24FF or 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF:
        return True
    if 0xFE30 <= o <= 0xFE4F or 0xFF01 <= o <= 0xFF60 or 0xFFE0 <= o <= 0xFFE6:
        return True
    return o >= 0x20000


# ASCII characters that count as half an em when measuring a scraped line;
# the ASCII stand-ins for Chinese punctuation count as a full em because the
# site's PDF set them full-width.
_HALF_RE = _re.compile(
    "["
    + re.escape("".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in ASCII_TO_FULLWIDTH))
    + "\u00a0-\u1fff]"
)


def display_width(text: str) -> float:
    """Width of ``text`` in ems as a Chinese PDF would have set it."""
    return len(text) - 0.5 * len(_HALF_RE.findall(text))


def is_latin_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
