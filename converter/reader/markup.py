"""Stage 1b: markup a "plain text" still carries -> text, with the headings
it marks.

Two kinds arrive as raw text: an HTML export (a CMS's article source, a
saved web page: tags, entities, <br>) and Markdown (a draft copied from an
AI chat page: #-headings, **bold**, "- " items, "> " quotes, "---" rules,
the assistant's preface and closing offer).  Both become plain lines; a
heading the markup declares (<h2>, "## ") is returned by line number with
its markup level, so the structure stage can trust it.  Text with neither
passes through unchanged.  Removed markup is reported in one warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..model import Warning
from ..regex_cache import ModulePatterns
from .clean import chrome_patterns

_re = ModulePatterns(__name__)  # its patterns are compiled once, then read from disk (regex_cache.py)


@dataclass
class Unmarked:
    text: str
    headings: dict[int, int] = field(default_factory=dict)  # 1-based line -> markup level (1 = <h1>, "#")
    warnings: list[Warning] = field(default_factory=list)
    # Markup says where paragraphs are: each line is one (no hard wraps to undo).
    one_paragraph_per_line: bool = False


def unmark(text: str) -> Unmarked:
    if _looks_like_html(text):
        return _from_html(text)
    if _looks_like_markdown(text):
        return _from_markdown(text)
    return Unmarked(text)


# --- HTML ---------------------------------------------------------------------

_HTML_TAG_RE = _re.compile(r"<(?:p|div|br|span|strong|b|em|h[1-6]|li|ul|ol|table|tr|td|section|article|img|font)\b[^<>]*>", re.I)
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "blockquote", "table",
               "ul", "ol", "dd", "dt", "header", "footer", "center", "pre", "title"}
_DROPPED_TAGS = {"script", "style", "head", "noscript", "iframe", "svg"}
# Blocks inside which a <br> is a soft break (the same paragraph or heading).
_SOFT_BREAK_BLOCKS = {"p", "li", "dd", "h1", "h2", "h3", "h4", "h5", "h6"}


def _looks_like_html(text: str) -> bool:
    return len(_HTML_TAG_RE.findall(text[:200_000])) >= 3


class _HtmlText(HTMLParser):
    """Text of an HTML fragment: a line per block, headings noted."""

    def __init__(self, keep_newlines: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_newlines = keep_newlines  # plain text with a few stray tags: its lines are lines
        self.lines: list[str] = [""]
        self.headings: dict[int, int] = {}
        self.dropped = 0  # depth inside script/style
        self.tags: set[str] = set()
        self.in_paragraph = 0

    def _break(self) -> None:
        if self.lines[-1].strip():
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag in _DROPPED_TAGS:
            self.dropped += 1
        elif tag in _BLOCK_TAGS:
            self._break()
            if tag in _SOFT_BREAK_BLOCKS:
                self.in_paragraph += 1
            if re.fullmatch(r"h[1-6]", tag):
                self.headings[len(self.lines)] = int(tag[1])
        elif tag == "br" and not self.in_paragraph:
            self._break()  # <br> between paragraphs; inside a <p> it is a soft break
        elif tag == "td" and self.lines[-1].strip():
            self.lines[-1] += "\t"

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_TAGS:
            self.dropped = max(0, self.dropped - 1)
        elif tag in _BLOCK_TAGS:
            if tag in _SOFT_BREAK_BLOCKS:
                self.in_paragraph = max(0, self.in_paragraph - 1)
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.dropped:
            return
        data = data.replace("\r\n", "\n").replace("\r", "\n")
        if self.keep_newlines:
            first, *rest = data.split("\n")
            self.lines[-1] += first
            self.lines.extend(rest)
        else:
            self.lines[-1] += data.replace("\n", "")


_BLOCK_TAG_RE = _re.compile(r"<(?:p|div|br|li|h[1-6]|tr)\b", re.I)


def _from_html(text: str) -> Unmarked:
    # A page's source breaks lines anywhere and marks blocks with tags; a
    # text with only a few stray tags keeps its own lines.
    line_count = sum(1 for line in text.splitlines() if line.strip())
    stray_tags = len(_BLOCK_TAG_RE.findall(text)) < line_count / 2
    parser = _HtmlText(keep_newlines=stray_tags)
    parser.feed(text)
    parser.close()
    lines = [line.replace("\xa0", " ").strip() for line in parser.lines]
    # One blank line between blocks, as a text export would have them.
    out: list[str] = []
    headings: dict[int, int] = {}
    for index, line in enumerate(lines, start=1):
        if not line:
            continue
        if out:
            out.append("")
        out.append(line)
        if index in parser.headings:
            headings[len(out)] = parser.headings[index]
    tags = " ".join(sorted(f"<{t}>" for t in parser.tags))
    warning = Warning("markup_removed", f"read the input as HTML and removed its markup: {tags}", None)
    return Unmarked("\n".join(out), headings, [warning], one_paragraph_per_line=not stray_tags)


# --- Markdown -----------------------------------------------------------------

_ATX_RE = _re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE_RE = _re.compile(r"^\s{0,3}(?:-{3,}|\*{3,}|_{3,})\s*$")
_BULLET_RE = _re.compile(r"^(\s{0,6})[-*+]\s+(?=\S)")
_QUOTE_RE = _re.compile(r"^\s{0,3}>\s?")
_BOLD_RE = _re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")


def _looks_like_markdown(text: str) -> bool:
    lines = text.splitlines()
    atx = sum(1 for line in lines if _ATX_RE.match(line))
    other = sum(1 for line in lines if _RULE_RE.match(line) or _BULLET_RE.match(line) or _QUOTE_RE.match(line))
    bold = len(_BOLD_RE.findall(text))
    return atx >= 2 or (atx >= 1 and other + bold >= 2)


def _from_markdown(text: str) -> Unmarked:
    lines = text.splitlines()
    headings: dict[int, int] = {}
    removed: set[str] = set()
    warnings: list[Warning] = []
    out: list[str] = []
    for line in lines:
        if _RULE_RE.match(line):
            removed.add(line.strip()[:3])
            out.append("")
            continue
        m = _ATX_RE.match(line)
        if m:
            removed.add(m.group(1))
            headings[len(out) + 1] = len(m.group(1))
            line = m.group(2)
        else:
            quote = _QUOTE_RE.match(line)
            if quote:
                removed.add(">")
                line = line[quote.end():]
            bullet = _BULLET_RE.match(line)
            if bullet:
                removed.add(line[bullet.end() - 2:bullet.end()].strip())
                line = line[: bullet.start()] + bullet.group(1) + line[bullet.end():]
        if _BOLD_RE.search(line):
            removed.add("**")
            line = _BOLD_RE.sub(lambda b: b.group(1) or b.group(2), line)
        out.append(line)
    _drop_chat_page(out, headings, warnings)
    if removed:
        warnings.append(Warning("markup_removed", f"read the input as Markdown and removed its markup: {' '.join(sorted(removed))}", None))
    # In a Markdown draft every line is a paragraph, an item or a heading.
    return Unmarked("\n".join(out), headings, warnings, one_paragraph_per_line=True)


def _drop_chat_page(lines: list[str], headings: dict[int, int], warnings: list[Warning]) -> None:
    """The assistant's preface before the draft and its closing offer and
    the page's buttons after it (Markdown copied from an AI chat page)."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        return
    patterns = chrome_patterns()  # the chat page's words are site chrome: data in chrome.toml
    first = filled[0]
    if first + 1 not in headings and patterns.ai_preface and patterns.ai_preface.fullmatch(lines[first].strip()):
        warnings.append(Warning("chrome_removed", f"removed site text: {lines[first].strip()}", first + 1))
        lines[first] = ""
    # From the end: lines that are all chat-page text.
    tail: list[int] = []
    for i in reversed(filled):
        if patterns.ai_closing and patterns.ai_closing.fullmatch(lines[i].strip()):
            tail.append(i)
        else:
            break
    for i in reversed(tail):
        warnings.append(Warning("chrome_removed", f"removed site text: {lines[i].strip()}", i + 1))
        lines[i] = ""

