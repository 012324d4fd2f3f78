"""The outline's JSON form (schema "converter.outline/1"), both directions.

The keys are a contract (README, section "Outline JSON"): scripts and the
scorer read them.  Decoding validates at the boundary and raises
``OutlineFormatError`` naming the offending key, never a KeyError: a key
missing or of the wrong type, and a text holding a character no document
can hold (``check_writable``).  Every front door reads outlines through
``from_dict`` (outline_md too), so each refuses the same outline with the
same message.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import OutlineFormatError
from .model import (
    MAX_HEADING_LEVEL,
    PARAGRAPH_ROLES,
    SCHEMA,
    Block,
    Heading,
    Meta,
    Outline,
    Paragraph,
    Salutation,
    Warning,
    written_texts,
    UNWRITABLE_RE,
)

META_KEYS = ("subtitle", "speaker", "date", "source")


def block_to_dict(block: Block) -> dict[str, Any]:
    match block:
        case Heading(level=level, text=text, run_in=run_in):
            return {"type": "heading", "level": level, "text": text, "run_in": run_in}
        case Paragraph(text=text, role=role):
            d: dict[str, Any] = {"type": "paragraph", "text": text}
            if role is not None:
                d["role"] = role
            return d
        case Salutation(text=text):
            return {"type": "salutation", "text": text}
    raise TypeError(f"not a block: {block!r}")  # unreachable for well-typed callers


def _warning_to_dict(w: Warning) -> dict[str, Any]:
    out: dict[str, Any] = {"code": w.code, "message": w.message, "line": w.line}
    if w.block is not None:
        out["block"] = w.block
    return out


def to_dict(outline: Outline) -> dict[str, Any]:
    meta = {k: getattr(outline.meta, k) for k in META_KEYS if getattr(outline.meta, k) is not None}
    return {
        "schema": SCHEMA,
        "title": outline.title,
        "truncated": outline.truncated,
        "meta": meta,
        "warnings": [_warning_to_dict(w) for w in outline.warnings],
        "blocks": [block_to_dict(b) for b in outline.blocks],
    }


def dumps(outline: Outline) -> str:
    """UTF-8 friendly (not ASCII-escaped), indented JSON, ending in a newline."""
    return json.dumps(to_dict(outline), ensure_ascii=False, indent=2) + "\n"


def looks_like_outline_json(text: str) -> bool:
    """True when ``text`` is a JSON object carrying the schema key."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith("{"):
        return False
    try:
        data = json.loads(stripped)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and "schema" in data


def loads(text: str) -> Outline:
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except ValueError as err:
        raise OutlineFormatError(f"outline JSON is not valid JSON: {err}") from None
    except RecursionError:
        raise OutlineFormatError("outline JSON is nested too deeply to be an outline") from None
    return from_dict(data)


_MISSING = object()


def _str(value: Any, where: str, *, optional: bool = False) -> str | None:
    if value is _MISSING:
        if optional:
            return None
        raise OutlineFormatError(f"{where} is missing")
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise OutlineFormatError(f"{where} must be a string, not {type(value).__name__}")
    return value


def _block_from_dict(item: Any, index: int) -> Block:
    where = f"blocks[{index}]"
    if not isinstance(item, dict):
        raise OutlineFormatError(f"{where} must be an object")
    if "type" not in item:
        raise OutlineFormatError(f"{where}.type is missing")
    kind = item["type"]
    if kind not in ("heading", "paragraph", "salutation"):
        raise OutlineFormatError(f"{where}.type must be heading, paragraph or salutation, not {kind!r}")
    text = _str(item.get("text", _MISSING), f"{where}.text")
    assert text is not None
    if kind == "heading":
        if "level" not in item:
            raise OutlineFormatError(f"{where}.level is missing")
        level = item["level"]
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= MAX_HEADING_LEVEL:
            raise OutlineFormatError(f"{where}.level must be an integer 1..{MAX_HEADING_LEVEL}")
        run_in = item.get("run_in", False)
        if not isinstance(run_in, bool):
            raise OutlineFormatError(f"{where}.run_in must be true or false")
        return Heading(level, text, run_in)
    if kind == "paragraph":
        role = item.get("role")
        if role is not None and role not in PARAGRAPH_ROLES:
            raise OutlineFormatError(f"{where}.role must be one of {', '.join(PARAGRAPH_ROLES)} or absent")
        return Paragraph(text, role)
    return Salutation(text)


def check_writable(outline: Outline) -> Outline:
    """``outline`` itself, when every text a document shows can be written
    (model.UNWRITABLE_RE); else OutlineFormatError naming the first text
    that cannot and its character."""
    for where, text in written_texts(outline):
        bad = UNWRITABLE_RE.search(text)
        if bad:
            raise OutlineFormatError(f"{where} contains the character U+{ord(bad.group()):04X}, "
                                     "which no document can hold")
    return outline


def from_dict(data: Any) -> Outline:
    """The outline a JSON object describes, validated (see the module's
    docstring); ``meta`` and ``warnings`` may be absent or null."""
    if not isinstance(data, dict):
        raise OutlineFormatError("an outline must be a JSON object")
    schema = data.get("schema")
    if schema != SCHEMA:
        raise OutlineFormatError(f"unsupported outline schema {schema!r}; this version reads {SCHEMA!r}")
    title = _str(data.get("title", ""), "title")
    truncated = data.get("truncated", False)
    if not isinstance(truncated, bool):
        raise OutlineFormatError("truncated must be true or false")
    meta_in = data.get("meta")
    meta_in = {} if meta_in is None else meta_in  # (absent and null alike: nothing known)
    if not isinstance(meta_in, dict):
        raise OutlineFormatError("meta must be an object")
    meta = Meta(**{k: _str(meta_in.get(k), f"meta.{k}", optional=True) for k in META_KEYS})
    warnings_in = data.get("warnings")
    warnings_in = [] if warnings_in is None else warnings_in
    if not isinstance(warnings_in, list):
        raise OutlineFormatError("warnings must be a list")
    warnings = []
    for i, w in enumerate(warnings_in):
        if not isinstance(w, dict):
            raise OutlineFormatError(f"warnings[{i}] must be an object")
        line = w.get("line")
        if line is not None and (isinstance(line, bool) or not isinstance(line, int)):
            raise OutlineFormatError(f"warnings[{i}].line must be an integer or null")
        block = w.get("block")
        if block is not None and (isinstance(block, bool) or not isinstance(block, int) or block < 0):
            raise OutlineFormatError(f"warnings[{i}].block must be a block index or null")
        warnings.append(
            Warning(
                _str(w.get("code", _MISSING), f"warnings[{i}].code") or "",
                _str(w.get("message", ""), f"warnings[{i}].message") or "",
                line,
                block,
            )
        )
    if "blocks" not in data:
        raise OutlineFormatError("blocks is missing")
    blocks_in = data["blocks"]
    if not isinstance(blocks_in, list):
        raise OutlineFormatError("blocks must be a list")
    blocks = tuple(_block_from_dict(b, i) for i, b in enumerate(blocks_in))
    return check_writable(Outline(title or "", blocks, meta, tuple(warnings), truncated))
