"""Where the words of a Chinese text end, for breaking titles between words
(GB/T 9704 7.3.1: 回行时词意完整).

The segmenter is jieba's dictionary and model, through rjieba (the jieba-rs
binding: the dictionary is compiled in, so it loads in about 0.1 s where
jieba's Python loader takes 0.7 s). It is imported on first use only: a
title that fits one line, or balances at its punctuation, never loads it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

_cut: Callable[[str], list[str]] | None = None


def _segmenter() -> Callable[[str], list[str]]:
    global _cut
    if _cut is None:
        try:
            import rjieba

            def cut(text: str) -> list[str]:
                return list(rjieba.cut(text, True))  # with jieba's HMM, as jieba.lcut
        except ImportError:  # pragma: no cover - rjieba is a dependency; jieba reads the same dictionary
            import jieba

            jieba.setLogLevel(60)

            def cut(text: str) -> list[str]:
                return list(jieba.lcut(text))

        _cut = cut
    return _cut


@lru_cache(maxsize=256)
def words(text: str) -> tuple[str, ...]:
    """``text`` cut into words (their concatenation is ``text``)."""
    return tuple(_segmenter()(text))


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every word of ``text``."""
    out, pos = [], 0
    for w in words(text):
        out.append((pos, pos + len(w)))
        pos += len(w)
    return out
