"""The outline's Markdown form, both directions, for fixing an outline by hand.

Pandoc-flavoured, so the file also reads sensibly in pandoc:

- YAML front matter holds schema, title, truncated, meta and warnings;
- ``#`` .. ``######`` headings, level = number of ``#``; a run-in heading
  ends with the attribute `` {.run-in}``;
- a plain paragraph is one block of text separated by blank lines;
- a salutation and paragraphs with a role are fenced divs named after it::

      ::: byline
      ——在全市组织工作会议上的讲话
      :::

- a line of text that would read as syntax (``#``, ``:::``, ``---``, ``\\``)
  is escaped with a leading backslash; a line break inside a text is a
  backslash at the end of the line.

Reading validates as outline_json does (the blocks and the front matter go
through ``outline_json.from_dict``); a character no document can hold is
refused naming its Markdown line, before YAML or the body parser sees it.
"""

from __future__ import annotations

from typing import Any

import yaml

from .cjk import is_latin_alnum
from .errors import OutlineFormatError
from .model import UNWRITABLE_RE, Block, Heading, Outline, Paragraph, Salutation
from .outline_json import block_to_dict, from_dict, to_dict

RUN_IN_ATTR = " {.run-in}"
EMPTY_ATTR = " {}"
_DIV_NAMES = ("salutation", "byline", "signature", "date")


def _escape(text: str) -> list[str]:
    lines = text.split("\n")
    out = []
    for line in lines:
        if line.startswith(("#", ":::", "---", "\\")) or not line.strip():
            line = "\\" + line
        out.append(line)
    return [line + "\\" for line in out[:-1]] + out[-1:]


def _block_lines(block: Block) -> list[str]:
    match block:
        case Heading(level=level, text=text, run_in=run_in):
            suffix = RUN_IN_ATTR if run_in else (EMPTY_ATTR if text.endswith("}") else "")
            return ["#" * level + " " + text.replace("\n", " ") + suffix]
        case Paragraph(text=text, role=None):
            return _escape(text)
        case Paragraph(text=text, role=role):
            return [f"::: {role}", *_escape(text), ":::"]
        case Salutation(text=text):
            return ["::: salutation", *_escape(text), ":::"]
    raise TypeError(f"not a block: {block!r}")


class _FrontMatterDumper(yaml.SafeDumper):
    """Plain YAML for ordinary text; double quotes (with escapes) for a string
    holding a character YAML would otherwise read back as a line break."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(not c.isprintable() or c in "\x85\u2028\u2029\ufeff" for c in value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_FrontMatterDumper.add_representer(str, _represent_str)


def dumps(outline: Outline) -> str:
    head = to_dict(outline)
    del head["blocks"]
    front = yaml.dump(head, Dumper=_FrontMatterDumper, allow_unicode=True, sort_keys=False, width=1000)
    parts = ["---\n" + front + "---"]
    for block in outline.blocks:
        parts.append("\n".join(_block_lines(block)))
    return "\n\n".join(parts) + "\n"


def looks_like_outline_md(text: str) -> bool:
    head = text.lstrip("\ufeff")
    return head.startswith("---\n") and "schema: converter.outline/" in head[:2000]


def _unescape(lines: list[str]) -> str:
    out = ""
    hard_break = False
    for i, line in enumerate(lines):
        breaks_after = line.endswith("\\") and i < len(lines) - 1
        if breaks_after:
            line = line[:-1]
        if line.startswith("\\"):
            line = line[1:]
        if i == 0:
            out = line
        elif hard_break:
            out += "\n" + line
        elif out and line and (is_latin_alnum(out[-1]) or is_latin_alnum(line[0])):
            out += " " + line  # a hand-wrapped line between Latin words
        else:
            out += line
        hard_break = breaks_after
    return out


def _check_writable(text: str) -> None:
    bad = UNWRITABLE_RE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise OutlineFormatError(f"Markdown line {line} contains the character U+{ord(bad.group()):04X}, "
                                 "which no document can hold")


def loads(text: str) -> Outline:
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    _check_writable(text)
    if not text.startswith("---\n"):
        raise OutlineFormatError("an outline in Markdown starts with YAML front matter (a line ---)")
    end = text.find("\n---\n", 3)
    if end < 0:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise OutlineFormatError("the Markdown front matter is not closed by a line ---")
    try:
        head: Any = yaml.safe_load(text[4:end + 1]) or {}
    except yaml.YAMLError as err:
        raise OutlineFormatError(f"the Markdown front matter is not valid YAML: {err}") from None
    except RecursionError:
        raise OutlineFormatError("the Markdown front matter is nested too deeply to be an outline's") from None
    if not isinstance(head, dict):
        raise OutlineFormatError("the Markdown front matter must be a mapping")
    head["blocks"] = [block_to_dict(b) for b in _parse_body(text[end + 5:].split("\n"))]
    return from_dict(head)


def _parse_body(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            text = line[level:].strip()
            run_in = text.endswith(RUN_IN_ATTR.strip())
            if run_in:
                text = text[: -len(RUN_IN_ATTR.strip())].rstrip()
            elif text.endswith(EMPTY_ATTR.strip()):
                text = text[:-2].rstrip()
            if not 1 <= level <= 6:
                raise OutlineFormatError(f"Markdown line {i + 1}: a heading has 1 to 6 #")
            blocks.append(Heading(level, text, run_in))
            i += 1
            continue
        if line.startswith(":::") and line[3:].strip():
            name = line[3:].strip().strip("{}.").strip()
            if name not in _DIV_NAMES:
                raise OutlineFormatError(f"Markdown line {i + 1}: unknown block ::: {name} (use {', '.join(_DIV_NAMES)})")
            j = i + 1
            while j < len(lines) and lines[j].strip() != ":::":
                j += 1
            if j >= len(lines):
                raise OutlineFormatError(f"Markdown line {i + 1}: ::: {name} is not closed by :::")
            text = _unescape(lines[i + 1:j])
            blocks.append(Salutation(text) if name == "salutation" else Paragraph(text, name))  # type: ignore[arg-type]
            i = j + 1
            continue
        j = i
        while j < len(lines) and lines[j].strip() and not (j > i and (lines[j].startswith("#") or lines[j].startswith(":::"))):
            j += 1
        blocks.append(Paragraph(_unescape(lines[i:j])))
        i = j
    return blocks
