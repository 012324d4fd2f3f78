"""Make damaged raw texts from a gold outline, the way document-sharing sites
damage them: the body hard-wrapped at a fixed width by a line breaker that
keeps punctuation off line starts, the lines joined by spaces or newlines,
page furniture between pages, ASCII stand-ins for Chinese punctuation,
site chrome around it, another encoding.  Each variant must read back to the
gold outline."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from converter.cjk import NO_LINE_END, NO_LINE_START, display_width

_UNBREAKABLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%,:/+\-]*[A-Za-z0-9%]|[A-Za-z0-9]|——|……|.", re.S)
# Characters of a number run glue to a following unit character (2025年 never splits).
_FW_TO_ASCII = str.maketrans({"，": ",", "：": ":", "；": ";", "？": "?", "！": "!", "（": "(", "）": ")"})


@dataclass(frozen=True)
class Variant:
    name: str
    width: int = 27
    joiner: str = " "  # " ", "  ", "\n", "\r\n" or "mix"
    ascii_punct: bool = True
    encoding: str = "utf-8"
    page_lines: int = 0  # insert page furniture every N lines (0: never)
    chrome: bool = True
    title_in_body: bool = True
    first_indent: int = 1  # ems the first line of a paragraph is shorter
    clean: bool = False  # one paragraph per line, no wrapping
    blank_pages: bool = False  # pages separated by a bare blank line, no page number
    hang: bool = False  # closing punctuation hangs past the width instead of pushing a character down
    indent: str = ""  # typed before each paragraph's first line (full-width spaces from a Word copy)
    running_header: bool = False  # the title printed at the top of every page


def _tokens(text: str) -> list[str]:
    out = []
    for m in _UNBREAKABLE.finditer(text):
        tok = m.group()
        # glue a number run to the unit after it (2025年, 5.2%)
        if out and tok and not tok.isascii() and out[-1][-1:].isdigit() and len(out[-1]) > 1:
            out[-1] += tok
            continue
        out.append(tok)
    return out


def wrap(text: str, width: int, first_indent: int = 0, hang: bool = False) -> list[str]:
    """Greedy fill by display width; a line never starts with a NO_LINE_START
    character nor ends with a NO_LINE_END one: characters move to the next
    line instead (so lines come out a little short, as sites do)."""
    tokens = _tokens(text)
    lines: list[str] = []
    current: list[str] = []
    limit = width - first_indent
    for tok in tokens:
        if current and display_width("".join(current) + tok) > limit:
            if hang and tok[0] in NO_LINE_START and display_width("".join(current) + tok) <= limit + 1:
                current.append(tok)  # hung in the margin, as some sites' PDFs do
                continue
            carry: list[str] = []
            if tok[0] in NO_LINE_START:
                # keep punctuation off the next line start: move characters down
                while current:
                    carry.insert(0, current.pop())
                    if carry[0][0] not in NO_LINE_START:
                        break
            while current and current[-1][-1] in NO_LINE_END:
                carry.insert(0, current.pop())
            if not current:  # nothing left to break before: keep the line long
                current, carry = carry, []
            lines.append("".join(current))
            current = carry
            limit = width
        current.append(tok)
    if current:
        lines.append("".join(current))
    return lines


def _physical_paragraphs(gold: dict) -> list[str]:
    """The gold blocks as the paragraphs of the original document (a run-in
    heading shares its paragraph with the text after it)."""
    out: list[str] = []
    blocks = gold["blocks"]
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b["type"] == "heading" and b.get("run_in") and i + 1 < len(blocks):
            out.append(b["text"] + blocks[i + 1]["text"])
            i += 2
            continue
        out.append(b["text"])
        i += 1
    return out


def make_raw(gold: dict, v: Variant, seed: int = 0) -> bytes:
    rng = random.Random(seed)
    title = gold["title"]
    head: list[str] = []
    if v.chrome:
        head += ["购物车", "我的足迹", ""]
    head += [title, ""]
    if v.chrome:
        head += ["加入VIP免费下载 立即下载"]
    paras = _physical_paragraphs(gold)
    if v.title_in_body:
        paras = [title] + paras
    if v.clean:
        body_lines = paras
        text = "\n".join(head + body_lines) + "\n"
    else:
        lines: list[str] = []
        for p in paras:
            wrapped = wrap(p, v.width, v.first_indent, v.hang)
            lines += [v.indent + wrapped[0], *wrapped[1:]] if wrapped else []
        pages: list[list[str]] = []
        step = v.page_lines or len(lines)
        for k in range(0, len(lines), step):
            pages.append(lines[k:k + step])
        chunks: list[str] = []
        for n, page in enumerate(pages, start=1):
            joiner = v.joiner if v.joiner != "mix" else rng.choice([" ", "\n", "  ", "\r\n"])
            chunk = joiner.join(page)
            if v.page_lines and n < len(pages):
                sep = "\n" if "\n" in joiner else " "
                furniture = "" if v.blank_pages else rng.choice([f"— {n} —", f"第{n}页 共{len(pages)}页", f"- {n} -"])
                if v.running_header:
                    furniture = (furniture + sep + title).strip() if furniture else title
                sep = "\n" if "\n" in joiner else " "
                chunk = chunk + sep + furniture + sep
            chunks.append(chunk)
        body = "".join(chunks) if v.page_lines else chunks[0]
        eol = "\r\n" if "\r\n" in v.joiner else "\n"
        text = eol.join(head) + eol + body + eol
    if v.ascii_punct:
        text = text.translate(_FW_TO_ASCII)
    return text.encode(v.encoding)


VARIANTS: list[Variant] = [
    Variant("w24-space", width=24),
    Variant("w27-space", width=27),
    Variant("w30-double", width=30, joiner="  "),
    Variant("w33-newline", width=33, joiner="\n", first_indent=2),
    Variant("w36-crlf-gb18030", width=36, joiner="\r\n", encoding="gb18030"),
    Variant("w40-space-fullwidth", width=40, ascii_punct=False, first_indent=0),
    Variant("w28-pages-space", width=28, page_lines=22),
    Variant("w32-pages-newline", width=32, joiner="\n", page_lines=20),
    Variant("w26-mix", width=26, joiner="mix", page_lines=18),
    Variant("w25-nochrome", width=25, chrome=False, title_in_body=False),
    Variant("w34-blank-pages", width=34, joiner="\n", page_lines=21, blank_pages=True),
    Variant("w29-hanging", width=29, hang=True, first_indent=2),
    Variant("w38-hanging-newline", width=38, joiner="\n", hang=True, ascii_punct=False),
    Variant("w31-indented-newline", width=31, joiner="\n", first_indent=2, indent="\u3000\u3000"),
    Variant("w30-running-header-newline", width=30, joiner="\n", page_lines=20, running_header=True),
    Variant("w27-running-header-space", width=27, page_lines=22, running_header=True),
    Variant("clean", clean=True, ascii_punct=False),
    Variant("clean-ascii-gb18030", clean=True, encoding="gb18030"),
]
