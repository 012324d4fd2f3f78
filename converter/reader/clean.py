"""Stage 2: text -> numbered lines, without site chrome and invisible junk.

Chrome patterns are data (converter/data/chrome.toml).  A pattern removes a
whole line or a whole space-separated segment, never part of a word, and
every removal becomes a warning that quotes what went.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from ..cjk import CLOSERS, SENTENCE_FINAL, display_width
from ..model import Warning
from ..markers import match_marker
from ..regex_cache import ModulePatterns, compile_all

_re = ModulePatterns(__name__)  # its patterns are compiled once, then read from disk (regex_cache.py)


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
    paged: frozenset[int] = frozenset()  # numbers of lines that lost a page number and kept other text


# C0/C1 controls other than tab and newline, XML-invalid code points, and
# zero-width characters that only confuse matching.
_INVALID_RE = _re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\xad\ufffe\uffff\ud800-\udfff\u200b-\u200d\u2060\ufeff]")
_LINE_BREAKS_RE = _re.compile("\r\n|[\r\x0c\x85\u2028\u2029]")


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
    account: tuple[re.Pattern[str], ...] = ()  # an account's header line; group "names" names the account
    list_title: re.Pattern[str] | None = None  # heads a list of other articles
    note: re.Pattern[str] | None = None  # opens an editor's note
    caption: re.Pattern[str] | None = None  # a photo caption
    section_number: re.Pattern[str] | None = None  # "01" over a heading: no page number
    ad_label: re.Pattern[str] | None = None  # an app's ad: label, short lines, button
    ad_button: re.Pattern[str] | None = None
    ai_preface: re.Pattern[str] | None = None  # an AI chat page around a Markdown draft
    ai_closing: re.Pattern[str] | None = None


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@lru_cache(maxsize=1)
def chrome_patterns() -> ChromePatterns:
    data = tomllib.loads(resources.files("converter").joinpath("data/chrome.toml").read_text("utf-8"))
    flags = int(re.IGNORECASE)
    specs: dict[str, str] = {
        # Anchored at a segment start by the caller; must end at a segment end.
        "segment": rf"(?:{_alternation(data['segment'])})(?=\s|$)",
        "line": _alternation(data["line"] + data["segment"]),
        "truncation": _alternation(data["truncation"]),
        "complete": _alternation(data["complete"]),
        "tail": _alternation(data["tail"]),
        # Searched for at the end of the last line; the leftmost start wins.
        "suffix": rf"(?:{_alternation(data['suffix'])})\s*$",
        "page": _alternation(data["page"]),
        "toc_title": _alternation(data["toc_title"]),
        "toc_entry": _alternation(data["toc_entry"]),
        "toc_entry_under_title": _alternation(data["toc_entry"] + data["toc_entry_under_title"]),
    }
    optional = {"list_title": "list", "note": "note", "caption": "caption", "section_number": "section_number",
                "ad_label": "ad_label", "ad_button": "ad_button", "ai_preface": "ai_preface", "ai_closing": "ai_closing"}
    specs.update({name: _alternation(data[key]) for name, key in optional.items() if data.get(key)})
    # Each its own pattern: they share the group name "names".
    accounts = list(data.get("account", []))
    # Compiling them all takes 85 ms: a fresh process reads them from the disk cache.
    compiled = compile_all([(source, flags) for source in [*specs.values(), *accounts]])
    fields: dict[str, Any] = dict(zip(specs, compiled))
    return ChromePatterns(**fields, account=tuple(compiled[len(specs):]))


# Paragraphs a copy ran together on one line, each still opening with the
# two full-width spaces Word indented it with.
_INDENT_RUN_RE = _re.compile("(?<=\\S)\u3000\u3000(?=\\S)")


def split_lines(text: str) -> list[SourceLine]:
    text = _LINE_BREAKS_RE.sub("\n", text)
    if text.count("\n") < 5 and len(_INDENT_RUN_RE.findall(text)) >= 5:
        text = _INDENT_RUN_RE.sub("\n\u3000\u3000", text)
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


_DANGLING_SEPARATOR_RE = _re.compile(r"\s[-_|｜–·•/]{1,2}$")
_LEADING_SEPARATOR_RE = _re.compile(r"^[-_|｜–·•/]{1,2}\s")
_ONLY_SEPARATORS_RE = _re.compile(r"[-_|｜丨–—·•/\s]+")


def _segment_starts(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?:^|(?<=\s))\S", text)]


# A section number ("01") stands over a heading at most this wide (in ems).
MAX_SECTION_HEADING = 30
# Marks that end a clause but not a sentence: a line ending in one goes on.
_CLAUSE_END = "，,、；;：:"


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_FINAL


def _typical_width(lines: list[SourceLine]) -> float:
    """The width most lines reach (the 90th percentile): the wrap width of a
    hard-wrapped text, a long paragraph's width in a text set one per line."""
    widths = sorted(display_width(line.text.strip()) for line in lines if line.text.strip())
    return widths[int(len(widths) * 0.9)] if widths else 0


def _listed_article(text: str) -> bool:
    """A line under 往期推荐: the title of another article."""
    return display_width(text) <= MAX_HEADER_WIDTH and not text.endswith(("。", "：", ":"))


def _list_marks(lines: list[SourceLine], caption: re.Pattern[str] | None) -> set[str]:
    """Marks (▲) that open captions but that the text uses for a list: two
    lines with the mark stand together, or one of them ends a sentence."""
    marks: set[str] = set()
    if caption is None:
        return marks
    prev = ""
    for line in lines:
        text = line.text.strip()
        if text and not text[0].isalnum() and caption.fullmatch(text):
            if _ends_sentence(text) or prev[:1] == text[0]:
                marks.add(text[0])
        prev = text
    return marks


def _ad_lines(lines: list[SourceLine], patterns: ChromePatterns) -> set[int]:
    """Indexes of the lines between an ad's label and its button (at most
    three short lines that end no sentence); the label and the button
    themselves are chrome patterns."""
    found: set[int] = set()
    if patterns.ad_label is None or patterns.ad_button is None:
        return found
    for k, line in enumerate(lines):
        if not patterns.ad_label.fullmatch(line.text.strip()):
            continue
        ahead = [i for i in range(k + 1, min(len(lines), k + 8)) if lines[i].text.strip()][:4]
        for j, i in enumerate(ahead):
            if patterns.ad_button.fullmatch(lines[i].text.strip()):
                inner = ahead[:j]
                if inner and all(not _ends_sentence(lines[x].text) and display_width(lines[x].text.strip()) <= 40 for x in inner):
                    found.update(inner)
                break
    return found


def remove_chrome(lines: list[SourceLine], patterns: ChromePatterns | None = None) -> Cleaned:
    patterns = patterns or chrome_patterns()
    out: list[SourceLine] = []
    warnings: list[Warning] = []
    cut_off = complete = False
    touched: set[int] = set()  # indexes into ``out`` of lines that lost site text other than page furniture
    paged: set[int] = set()  # numbers of lines that lost a page number and kept other text
    lists: set[int] = set()  # indexes into ``out`` of removed lines that head a list of other articles
    accounts: list[int] = []  # indexes into ``out`` of removed account header lines
    names: set[str] = set()  # the account's and author's names those lines gave
    typical: float | None = None

    def report(removed: str, number: int, notice: bool = True) -> None:
        """``notice``: the removed text is the site's own notice, which may
        say the text was cut off or shown whole (not an article title or an
        editor's note that merely uses those words)."""
        nonlocal cut_off, complete
        removed = removed.strip()
        if notice and patterns.truncation.search(removed):
            cut_off = True
        elif notice and patterns.complete.search(removed):
            complete = True
        warnings.append(Warning("chrome_removed", f"removed site text: {removed}", number))

    def drop(line: SourceLine, notice: bool = True, page: bool = False) -> None:
        report(line.text, line.number, notice)
        if not page:
            touched.add(len(out))
        out.append(SourceLine(line.number, "", line.page_break or page))

    def over_heading(k: int) -> bool:
        """Line ``k`` stands between the end of a sentence and a short line
        that ends none: a section number over a heading, not a page number."""
        nxt = next((line.text.strip() for line in lines[k + 1:] if line.text.strip()), "")
        if not nxt or display_width(nxt) > MAX_SECTION_HEADING or nxt[-1] in SENTENCE_FINAL + _CLAUSE_END:
            return False
        if patterns.line.fullmatch(nxt) or (patterns.section_number and patterns.section_number.fullmatch(nxt)):
            return False
        prev = next((line.text.strip() for line in reversed(out) if line.text.strip()), "")
        return not prev or _ends_sentence(prev) or prev[-1] in "：:"

    def note_goes_on(text: str) -> bool:
        """An editor's note hard-wrapped at this full line goes on to the next."""
        nonlocal typical
        if _ends_sentence(text):
            return False
        if typical is None:
            typical = _typical_width(lines)
        return display_width(text) >= 0.9 * typical

    list_marks = _list_marks(lines, patterns.caption)
    ad_lines = _ad_lines(lines, patterns)
    note_open = False
    for k, line in enumerate(lines):
        stripped = line.text.strip()
        if k in ad_lines:
            drop(line, notice=False)
            continue
        if note_open:
            note_open = False
            # The rest of a hard-wrapped editor's note (not a salutation under it).
            if stripped and not (display_width(stripped) <= 12 and stripped[-1] in "：:"):
                drop(line, notice=False)
                note_open = note_goes_on(stripped)
                continue
        if not stripped:
            out.append(line)
            continue
        if patterns.section_number and patterns.section_number.fullmatch(stripped) and over_heading(k):
            out.append(line)
            continue
        account = next((m for p in patterns.account if (m := p.fullmatch(stripped))), None)
        if account is not None:
            if "names" in account.re.groupindex and account.group("names"):
                names.update(n for n in account.group("names").split() if len(n) >= 2)
            accounts.append(len(out))
            drop(line)
            continue
        if patterns.list_title and patterns.list_title.fullmatch(stripped):
            lists.add(len(out))
            drop(line)
            continue
        if patterns.note and patterns.note.fullmatch(stripped):
            drop(line, notice=False)
            note_open = note_goes_on(stripped)
            continue
        if patterns.caption and patterns.caption.fullmatch(stripped) and stripped[0] not in list_marks:
            drop(line, notice=False)
            continue
        if patterns.line.fullmatch(stripped):
            drop(line, page=patterns.page.fullmatch(stripped) is not None)
            continue
        pieces: list[str] = []
        keep_from = 0
        skip_until = -1
        page_number = False
        for start in _segment_starts(line.text):
            if start < skip_until:
                continue
            m = patterns.segment.match(line.text, start)
            if m and set(m.group().strip()) <= list_marks:
                continue  # "▲ 坚持问题导向": the text's list marker, no arrow of the site
            if m:
                pieces.append(line.text[keep_from:start])
                report(m.group(), line.number)
                if patterns.page.fullmatch(m.group().strip()):
                    page_number = True
                else:
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
            if page_number and text:
                paged.add(line.number)
            out.append(SourceLine(line.number, text, line.page_break))
        else:
            out.append(line)

    # The account's name on a line of its own above its header line or right
    # under it: no title, and no running header.
    for a in accounts:
        for i in [*range(a), *range(a + 1, len(out))]:
            text = out[i].text.strip()
            if text in names:
                report(text, out[i].number, notice=False)
                out[i] = SourceLine(out[i].number, "", out[i].page_break)
            elif text and i > a:
                break

    # The run of site text that ends the page: after the first line of it that
    # lost site text (not a mere page number), the portal's host and contact
    # lines go too, the account's name, and the titles of other articles under
    # a 往期推荐 line.
    run_start: int | None = None
    in_list = False
    for i, line in enumerate(out):
        text = line.text.strip()
        in_list = in_list or i in lists
        if not text or patterns.tail.fullmatch(text) or text in names or (in_list and _listed_article(text)):
            if run_start is None:
                run_start = i
        else:
            run_start, in_list = None, False
    footer = False
    for i in range(len(out) if run_start is None else run_start, len(out)):
        footer = footer or i in touched
        text = out[i].text.strip()
        if footer and text:
            listed = not patterns.tail.fullmatch(text)  # a name or another article's title
            report(text, out[i].number, notice=not listed)
            out[i] = SourceLine(out[i].number, "", out[i].page_break)

    # A cut-off notice glued to the end of the text: "……（未完，下载后查看全文）".
    last = next((i for i in range(len(out) - 1, -1, -1) if out[i].text.strip()), None)
    if last is not None:
        text = out[last].text
        m = patterns.suffix.search(text, max(0, len(text) - MAX_SUFFIX))
        if m:
            report(m.group(), out[last].number)
            out[last] = SourceLine(out[last].number, out[last].text[: m.start()].rstrip(), out[last].page_break)
    return Cleaned(out, warnings, cut_off, complete, frozenset(paged))


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


def remove_running_headers(lines: list[SourceLine], paged: frozenset[int] = frozenset()) -> tuple[list[SourceLine], list[Warning]]:
    """Drop short lines that repeat three or more times (page headers), keeping
    a first occurrence that stands before the body (it is then the title).
    A line that carried a page number ("专题党课讲稿选编 ·17·", numbers in
    ``paged``) and repeats so on another page is a running header wherever
    it stands, the first page too."""
    counts: dict[str, int] = {}
    paged_counts: dict[str, int] = {}
    keys = ["".join(line.text.split()) for line in lines]
    for line, key in zip(lines, keys):
        if key:
            counts[key] = counts.get(key, 0) + 1
            if line.number in paged:
                paged_counts[key] = paged_counts.get(key, 0) + 1

    def header_like(k: str) -> bool:
        # A numbered heading ("1.申报对象") repeats in every section of a
        # document; a page header does not open with a heading marker.
        # Nor does it end with a colon: "纠正的方法：" introduces what follows it.
        return display_width(k) <= MAX_HEADER_WIDTH and k[-1] not in SENTENCE_FINAL + "：:" and not k.isdigit() \
            and match_marker(k) is None

    repeated = {k for k, n in counts.items() if n >= 3 and header_like(k)}
    if repeated:
        # A passage the text repeats (a photo caption under each photo) comes
        # with the same line after it each time; a page header does not.
        # the next line's key after each line, passing over empty lines and
        # the other repeated lines (a header of two lines, "学习好资料" over "欢迎下载")
        following = [""] * len(keys)
        nxt = ""
        for i in range(len(keys) - 1, -1, -1):
            following[i] = nxt
            nxt = keys[i] if keys[i] and keys[i] not in repeated else nxt
        after: dict[str, set[str]] = {}
        for i, key in enumerate(keys):
            if key in repeated:
                after.setdefault(key, set()).add(following[i])
        repeated = {k for k in repeated if len(after.get(k, ())) > 1 or after.get(k) == {""}}
        # A full line of the wrapped text with a clause in it is the start of
        # a repeated passage (captions that open alike), not a header.
        typical = _typical_width(lines)
        repeated = {k for k in repeated if not (display_width(k) >= typical - 3 and any(c in k for c in "，,、；;"))}
    with_number = {k for k, n in paged_counts.items() if n >= 2 and header_like(k)}
    counting = _counting_lines(lines, keys, header_like)
    if not repeated and not with_number and not counting:
        return lines, []
    out, warnings, seen_body, kept = [], [], False, set()
    for i, (line, key) in enumerate(zip(lines, keys)):
        if (key in with_number and line.number in paged) or (key in repeated and (seen_body or key in kept)) or i in counting:
            warnings.append(Warning("header_removed", f"removed repeated page header: {line.text.strip()}", line.number))
            out.append(SourceLine(line.number, "", page_break=True))  # a page ended here
            continue
        if key in repeated:
            kept.add(key)  # the first occurrence before the body is the title
        elif key:
            seen_body = True
        out.append(line)
    return out, warnings


def _counting_lines(lines: list[SourceLine], keys: list[str], header_like: Callable[[str], bool]) -> set[int]:
    """Lines alike but for a number that counts up one by one, a page's
    worth of text apart ("·1/3·" … "·2/3·", "页码 4" … "页码 5"): page
    numbers, however few and whatever their words (indices in ``lines``)."""
    places: dict[str, list[tuple[int, int, int]]] = {}  # digit-free key -> (index, number, offset)
    offset = 0
    for i, key in enumerate(keys):
        m = re.search(r"\d+", key)
        if m and header_like(key):
            places.setdefault(re.sub(r"\d+", "#", key), []).append((i, int(m.group()), offset))
        offset += len(key)
    out: set[int] = set()
    for found in places.values():
        if len(found) >= 2 and all(b[1] == a[1] + 1 and b[2] - a[2] >= MIN_PAGE_CHARS for a, b in zip(found, found[1:])):
            out.update(i for i, _, _ in found)
    return out


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


_LINE_NUMBER_RE = _re.compile(r"(\d{1,5})[ \t\u3000]+(?=\S)")


def remove_line_numbers(lines: list[SourceLine]) -> tuple[list[SourceLine], list[Warning]]:
    """Numbers a viewer or editor printed before every line ("1 政府工作报告",
    "2 ——在……", …): at least nine lines in ten start with a number and the
    numbers count up one by one (blank lines may skip numbers or not)."""
    filled = [line for line in lines if line.text.strip()]
    numbers = [_LINE_NUMBER_RE.match(line.text.lstrip()) for line in filled]
    if len(filled) < 8 or sum(1 for m in numbers if m) < 0.9 * len(filled):
        return lines, []
    values = [int(m.group(1)) for m in numbers if m]
    steps = sum(1 for a, b in zip(values, values[1:]) if 1 <= b - a <= 2)
    if steps < 0.9 * (len(values) - 1):
        return lines, []
    out = []
    for line in lines:
        m = _LINE_NUMBER_RE.match(line.text.lstrip())
        out.append(SourceLine(line.number, line.text.lstrip()[m.end():] if m else line.text, line.page_break))
    warning = Warning("chrome_removed", f"removed line numbers: {values[0]}–{values[-1]}", None)
    return out, [warning]


# A page header glued into a space-joined text recurs at least this often,
# this many characters apart at the least (a page's worth of text).
MIN_HEADER_REPEATS = 3
MIN_PAGE_CHARS = 150
# Pages hold about the same text: the steps between a header's places differ
# by at most this factor.
MAX_PAGE_SPREAD = 2.5
_TOKEN_RE = _re.compile(r"\S+")
_CLAUSE_MARKS = "，。；！？、,;!?"


def _page_number_chains(lines: list[SourceLine]) -> list[list[tuple[int, int, int, int]]]:
    """Bare numbers glued in between a space-joined text's lines that count
    up one by one at page-sized steps ("… 3 … 4 … 5 …"): page numbers."""
    numbers: list[tuple[int, int, int, int, int]] = []  # (value, offset, line, start, end)
    offset = 0
    for i, line in enumerate(lines):
        if len(line.text) > MAX_HEADER_WIDTH:  # (a line of its own is the pattern file's affair)
            for m in re.finditer(r"(?:(?<=\s)|^)(\d{1,3})(?=\s|$)", line.text):
                numbers.append((int(m.group(1)), offset + m.start(), i, m.start(1), m.end(1)))
        offset += len(line.text) + 1
    chains: list[list[tuple[int, int, int, int, int]]] = []
    open_chain: dict[int, list[tuple[int, int, int, int, int]]] = {}  # next value expected -> chain
    for item in numbers:
        chain = open_chain.pop(item[0], None)
        if chain is not None and item[1] - chain[-1][1] >= MIN_PAGE_CHARS:
            chain.append(item)
        else:
            chain = [item]
            chains.append(chain)
        open_chain[item[0] + 1] = chain
    out = []
    for chain in chains:
        if len(chain) < MIN_HEADER_REPEATS:
            continue
        gaps = [b[1] - a[1] for a, b in zip(chain, chain[1:])]
        if max(gaps) <= MAX_PAGE_SPREAD * min(gaps):
            out.append([(c[1], c[2], c[3], c[4]) for c in chain])
    return out


def remove_glued_headers(lines: list[SourceLine]) -> tuple[list[SourceLine], list[Warning]]:
    """Page headers and footers a copy glued into its space-joined lines
    ("…的骨 学习好资料 欢迎下载 干到…", "… 第3页 共9页 …"): a short
    space-separated piece with no clause in it (its digits aside) that
    recurs at page-like intervals, never nearer than a page's worth of
    text, is page furniture, whatever its words."""
    where: dict[str, list[tuple[int, int, int, int]]] = {}  # key -> (offset, line index, start, end)
    offset = 0
    for i, line in enumerate(lines):
        for m in _TOKEN_RE.finditer(line.text):
            token = m.group()
            if 2 <= display_width(token) <= MAX_HEADER_WIDTH / 2 and not any(c in token for c in _CLAUSE_MARKS) \
                    and match_marker(token) is None and token[-1] not in "：:":  # ("纠正的方法：" introduces its text)
                key = re.sub(r"\d+", "#", token)
                where.setdefault(key, []).append((offset + m.start(), i, m.start(), m.end()))
        offset += len(line.text) + 1
    doomed: dict[int, list[tuple[int, int]]] = {}
    for places in _page_number_chains(lines):
        for _, i, start, end in places:
            doomed.setdefault(i, []).append((start, end))
    for key, places in where.items():
        if len(places) < MIN_HEADER_REPEATS or not re.search(r"\D", key):
            continue
        gaps = [b[0] - a[0] for a, b in zip(places, places[1:])]
        if min(gaps) < MIN_PAGE_CHARS or max(gaps) > MAX_PAGE_SPREAD * min(gaps):
            continue  # too near, or not at the even steps of pages (credits under photos)
        for _, i, start, end in places:
            doomed.setdefault(i, []).append((start, end))
    if not doomed:
        return lines, []
    out, warnings = [], []
    for i, line in enumerate(lines):
        spans = sorted(doomed.get(i, []))
        if not spans:
            out.append(line)
            continue
        text, last = "", 0
        for start, end in spans:
            warnings.append(Warning("header_removed", f"removed repeated page header: {line.text[start:end]}", line.number))
            text += line.text[last:start]
            last = end
        text = re.sub(r"[ \u3000]{2,}", " ", text + line.text[last:]).strip()
        out.append(SourceLine(line.number, text, page_break=line.page_break or not text))
    return out, warnings


def clean(text: str) -> Cleaned:
    lines, warnings = remove_invalid(split_lines(text))
    lines, number_warnings = remove_line_numbers(lines)
    warnings += number_warnings
    lines, toc_warnings = remove_toc(lines)
    warnings += toc_warnings
    result = remove_chrome(lines)
    lines, header_warnings = remove_running_headers(result.lines, result.paged)
    lines, title_warnings = remove_title_headers(lines)
    lines, glued_warnings = remove_glued_headers(lines)
    warnings = sorted(warnings + result.warnings + header_warnings + title_warnings + glued_warnings, key=lambda w: w.line or 0)
    return Cleaned(lines, warnings, result.cut_off, result.complete)
