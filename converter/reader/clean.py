"""Stage 2: text -> numbered lines, without site chrome and invisible junk.

Chrome patterns are data (converter/data/chrome.toml).  A pattern removes a
whole line or a whole space-separated segment, never part of a word, and
every removal becomes a warning that quotes what went.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..cjk import SENTENCE_FINAL, display_width
from ..model import Warning


@dataclass(frozen=True, slots=True)
class SourceLine:
    number: int  # 1-based line of the decoded input
    text: str
    page_break: bool = False  # page furniture (a page number) stood here


# Running headers are at most this wide (in ems): titles, not body lines.
MAX_HEADER_WIDTH = 60
# A cut-off notice glued to the last line is at most this long (characters).
MAX_SUFFIX = 80


@dataclass(slots=True)
class Cleaned:
    lines: list[SourceLine]
    warnings: list[Warning] = field(default_factory=list)
    cut_off: bool = False  # a "剩余N页未读" style notice was removed
    complete: bool = False  # a "全文阅读已结束" style notice was removed


# C0/C1 controls other than tab and newline, XML-invalid code points, and
# zero-width characters that only confuse matching.
_INVALID_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff\u200b-\u200d\u2060\ufeff]")
_LINE_BREAKS_RE = re.compile("\r\n|[\r\x0c\x85\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class ChromePatterns:
    segment: re.Pattern[str]
    line: re.Pattern[str]
    truncation: re.Pattern[str]
    complete: re.Pattern[str]
    tail: re.Pattern[str]  # site text only in the run of site text that ends the page
    suffix: re.Pattern[str]  # a notice glued to the end of the text's last line
    page: re.Pattern[str]  # removed text that marks a page break
    toc_title: re.Pattern[str]
    toc_entry: re.Pattern[str]
    toc_entry_under_title: re.Pattern[str]


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@lru_cache(maxsize=1)
def chrome_patterns() -> ChromePatterns:
    data = tomllib.loads(resources.files("converter").joinpath("data/chrome.toml").read_text("utf-8"))
    flags = re.IGNORECASE
    return ChromePatterns(
        # Anchored at a segment start by the caller; must end at a segment end.
        segment=re.compile(rf"(?:{_alternation(data['segment'])})(?=\s|$)", flags),
        line=re.compile(_alternation(data["line"] + data["segment"]), flags),
        truncation=re.compile(_alternation(data["truncation"]), flags),
        complete=re.compile(_alternation(data["complete"]), flags),
        tail=re.compile(_alternation(data["tail"]), flags),
        # Searched for at the end of the last line; the leftmost start wins.
        suffix=re.compile(rf"(?:{_alternation(data['suffix'])})\s*$", flags),
        page=re.compile(_alternation(data["page"]), flags),
        toc_title=re.compile(_alternation(data["toc_title"]), flags),
        toc_entry=re.compile(_alternation(data["toc_entry"]), flags),
        toc_entry_under_title=re.compile(_alternation(data["toc_entry"] + data["toc_entry_under_title"]), flags),
    )


def split_lines(text: str) -> list[SourceLine]:
    text = _LINE_BREAKS_RE.sub("\n", text)
    return [SourceLine(i, line) for i, line in enumerate(text.split("\n"), start=1)]


def remove_invalid(lines: list[SourceLine]) -> tuple[list[SourceLine], list[Warning]]:
    out, warnings = [], []
    for line in lines:
        found = _INVALID_RE.findall(line.text)
        text = line.text
        if found:
            text = _INVALID_RE.sub("", text)
            codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in found}))
            warnings.append(
                Warning("invalid_char_removed", f"removed {len(found)} control or invisible character(s): {codes}", line.number)
            )
        out.append(SourceLine(line.number, text.replace("\t", " ")))
    return out, warnings


_DANGLING_SEPARATOR_RE = re.compile(r"\s[-_|｜–·•/]{1,2}$")
_LEADING_SEPARATOR_RE = re.compile(r"^[-_|｜–·•/]{1,2}\s")
_ONLY_SEPARATORS_RE = re.compile(r"[-_|｜丨–—·•/\s]+")


def _segment_starts(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?:^|(?<=\s))\S", text)]


def remove_chrome(lines: list[SourceLine], patterns: ChromePatterns | None = None) -> Cleaned:
    patterns = patterns or chrome_patterns()
    out: list[SourceLine] = []
    warnings: list[Warning] = []
    cut_off = complete = False
    touched: set[int] = set()  # indexes into ``out`` of lines that lost site text other than page furniture

    def report(removed: str, number: int) -> None:
        nonlocal cut_off, complete
        removed = removed.strip()
        if patterns.truncation.search(removed):
            cut_off = True
        elif patterns.complete.search(removed):
            complete = True
        warnings.append(Warning("chrome_removed", f"removed site text: {removed}", number))

    for line in lines:
        stripped = line.text.strip()
        if stripped and patterns.line.fullmatch(stripped):
            report(stripped, line.number)
            page = patterns.page.fullmatch(stripped) is not None
            if not page:
                touched.add(len(out))
            out.append(SourceLine(line.number, "", line.page_break or page))
            continue
        pieces: list[str] = []
        keep_from = 0
        skip_until = -1
        for start in _segment_starts(line.text):
            if start < skip_until:
                continue
            m = patterns.segment.match(line.text, start)
            if m:
                pieces.append(line.text[keep_from:start])
                report(m.group(), line.number)
                if not patterns.page.fullmatch(m.group().strip()):
                    touched.add(len(out))
                keep_from = skip_until = m.end()
        if keep_from:
            pieces.append(line.text[keep_from:])
            text = re.sub(r"[ \u3000\u00a0]{2,}", " ", "".join(pieces)).strip()
            # "标题 - 道客巴巴": the separator left behind by a removed site name;
            # "格式：DOCX | 页数：5 | 浏览：120": nothing but separators.
            dangling = (_ONLY_SEPARATORS_RE.fullmatch(text) or _DANGLING_SEPARATOR_RE.search(text)
                        or _LEADING_SEPARATOR_RE.match(text))
            if dangling:
                report(dangling.group(), line.number)
                text = (text[: dangling.start()] + text[dangling.end():]).strip()
            out.append(SourceLine(line.number, text, line.page_break))
        else:
            out.append(line)

    # The run of site text that ends the page: after the first line of it that
    # lost site text (not a mere page number), the portal's host and contact
    # lines go too.
    run: list[int] = []
    for i in range(len(out) - 1, -1, -1):
        text = out[i].text.strip()
        if text and not patterns.tail.fullmatch(text):
            break
        run.append(i)
    footer = False
    for i in reversed(run):
        footer = footer or i in touched
        text = out[i].text.strip()
        if footer and text:
            report(text, out[i].number)
            out[i] = SourceLine(out[i].number, "", out[i].page_break)

    # A cut-off notice glued to the end of the text: "……（未完，下载后查看全文）".
    last = next((i for i in range(len(out) - 1, -1, -1) if out[i].text.strip()), None)
    if last is not None:
        text = out[last].text
        m = patterns.suffix.search(text, max(0, len(text) - MAX_SUFFIX))
        if m:
            report(m.group(), out[last].number)
            out[last] = SourceLine(out[last].number, out[last].text[: m.start()].rstrip(), out[last].page_break)
    return Cleaned(out, warnings, cut_off, complete)


def remove_toc(lines: list[SourceLine], patterns: ChromePatterns | None = None) -> tuple[list[SourceLine], list[Warning]]:
    """A table of contents: a 目录 line and the entries under it (ending in
    leaders and a page number, in a page number after a space, or standing
    again later in the text), or a run of entries with leaders alone."""
    patterns = patterns or chrome_patterns()
    out = list(lines)
    warnings: list[Warning] = []
    texts = [line.text.strip() for line in lines]
    # The text without spaces, and where each line starts in it.
    keys = ["".join(t.split()) for t in texts]
    starts = [0]
    for key in keys:
        starts.append(starts[-1] + len(key))
    whole = "".join(keys)

    def drop(indexes: list[int]) -> None:
        for k in indexes:
            warnings.append(Warning("chrome_removed", f"removed table of contents: {texts[k]}", lines[k].number))
            out[k] = SourceLine(lines[k].number, "", lines[k].page_break)

    def entries_from(i: int, entry: re.Pattern[str], recurs: bool) -> list[int]:
        """Indexes of the entries from line ``i`` on (blank lines between them
        are passed over, an entry wrapped over two lines is joined)."""
        found: list[int] = []
        k = i
        while k < len(texts):
            text = texts[k]
            if not text:
                k += 1
                continue
            if entry.fullmatch(text):
                found.append(k)
                k += 1
                continue
            nxt = k + 1
            if nxt < len(texts) and texts[nxt] and not text.endswith(tuple(SENTENCE_FINAL)) \
                    and display_width(text) <= MAX_HEADER_WIDTH and patterns.toc_entry.fullmatch(text + texts[nxt]):
                found += [k, nxt]
                k += 2
                continue
            if recurs and display_width(text) <= MAX_HEADER_WIDTH and text[-1] not in SENTENCE_FINAL and len(text) >= 4:
                # Right under 目录: an entry without a page number is a heading
                # that stands again further on.
                if whole.find(keys[k], starts[k + 1]) >= 0:
                    found.append(k)
                    k += 1
                    continue
            break
        return found

    i = 0
    while i < len(texts):
        text = texts[i]
        if text and patterns.toc_title.fullmatch(text):
            found = entries_from(i + 1, patterns.toc_entry_under_title, True)
            if found:
                drop([i, *found])
                i = found[-1] + 1
                continue
        elif text and patterns.toc_entry.fullmatch(text):
            found = entries_from(i, patterns.toc_entry, False)
            drop(found)
            i = found[-1] + 1
            continue
        i += 1
    return out, warnings


def remove_running_headers(lines: list[SourceLine]) -> tuple[list[SourceLine], list[Warning]]:
    """Drop short lines that repeat three or more times (page headers), keeping
    a first occurrence that stands before the body (it is then the title)."""
    counts: dict[str, int] = {}
    for line in lines:
        key = "".join(line.text.split())
        if key:
            counts[key] = counts.get(key, 0) + 1
    repeated = {
        k for k, n in counts.items()
        if n >= 3 and display_width(k) <= MAX_HEADER_WIDTH and k[-1] not in SENTENCE_FINAL and not k.isdigit()
    }
    if not repeated:
        return lines, []
    out, warnings, seen_body, kept = [], [], False, set()
    for line in lines:
        key = "".join(line.text.split())
        if key in repeated and (seen_body or key in kept):
            warnings.append(Warning("header_removed", f"removed repeated page header: {line.text.strip()}", line.number))
            out.append(SourceLine(line.number, "", page_break=True))  # a page ended here
            continue
        if key in repeated:
            kept.add(key)  # the first occurrence before the body is the title
        elif key:
            seen_body = True
        out.append(line)
    return out, warnings


def remove_title_headers(lines: list[SourceLine]) -> tuple[list[SourceLine], list[Warning]]:
    """The title printed at the top of every page of a text whose lines were
    joined by spaces: the first line's text, standing as whole
    space-separated segments two or more times further on, goes there."""
    first = next((i for i, line in enumerate(lines) if line.text.strip()), None)
    if first is None:
        return lines, []
    title = lines[first].text.strip()
    if len(title) < 4 or display_width(title) > MAX_HEADER_WIDTH or title[-1] in SENTENCE_FINAL:
        return lines, []
    pattern = re.compile(r"(?:(?<=\s)|^)" + re.escape(title) + r"(?=\s|$)")
    later = lines[first + 1:]
    if sum(len(pattern.findall(line.text)) for line in later) < 2:
        return lines, []
    out, warnings = lines[: first + 1], []
    for line in later:
        if not pattern.search(line.text):
            out.append(line)
            continue
        text = pattern.sub(" ", line.text)
        warnings += [Warning("header_removed", f"removed repeated page header: {title}", line.number)
                     for _ in pattern.findall(line.text)]
        out.append(SourceLine(line.number, re.sub(r"[ \u3000]{2,}", " ", text).strip(), page_break=not text.strip()))
    return out, warnings


def clean(text: str) -> Cleaned:
    lines, warnings = remove_invalid(split_lines(text))
    lines, toc_warnings = remove_toc(lines)
    warnings += toc_warnings
    result = remove_chrome(lines)
    lines, header_warnings = remove_running_headers(result.lines)
    lines, title_warnings = remove_title_headers(lines)
    warnings = sorted(warnings + result.warnings + header_warnings + title_warnings, key=lambda w: w.line or 0)
    return Cleaned(lines, warnings, result.cut_off, result.complete)
