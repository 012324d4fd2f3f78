"""Reading request bodies: raw text (text/plain), JSON, or multipart form
data, into documents and option fields.  Every way a body can be wrong is a
ConverterError with a clear code (400, 413, 415, 422), never a 500.

The OpenAPI descriptions of these bodies live beside the readers (the
``*_BODY`` dicts), so the schema says exactly what is read here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from ..model import Outline
from ..outline_json import from_dict
from ..render import RENDERERS
from ..theme import available_themes
from .errors import BadRequestError, TooLongError, TooManyFilesError, UnsupportedMediaError, ValidationError
from .middleware import BodyTooLarge

TEXT_FIELDS = ("to", "theme", "title", "speaker", "date", "print", "booklet", "truncation_note")


@dataclass(slots=True)
class Document:
    data: bytes | Outline
    name: str | None = None  # the client's file name, untrusted (download_names.py cleans it)
    encoding: str | None = None  # a charset the client declared


@dataclass(slots=True)
class Body:
    documents: list[Document] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


def _media(request: Request) -> tuple[str, dict[str, str]]:
    raw = request.headers.get("content-type", "")
    kind, *params = raw.split(";")
    parsed = {}
    for param in params:
        key, _, value = param.strip().partition("=")
        parsed[key.strip().lower()] = value.strip().strip('"')
    return kind.strip().lower(), parsed


async def read_body(request: Request, *, files_field: str, max_files: int, max_chars: int,
                    accept_json: bool = True, accept_text: bool = True) -> Body:
    kind, params = _media(request)
    if kind == "multipart/form-data" or kind == "application/x-www-form-urlencoded":
        body = await _read_form(request, files_field, max_files, params)
    elif kind == "application/json" and accept_json:
        body = _read_json(await request.body())
    elif kind == "text/plain" and accept_text:
        body = Body([Document(await request.body(), encoding=params.get("charset") or None)])
    else:
        accepted = ", ".join(t for t, ok in (("multipart/form-data", True), ("application/json", accept_json),
                                             ("text/plain", accept_text)) if ok)
        raise UnsupportedMediaError(f"unsupported Content-Type {kind or '(none)'!r}; send {accepted}",
                                    content_type=kind or "（无）", accepted=accepted)
    if not body.documents:
        what = f"one or more files in the field {files_field!r}" if files_field == "files" else \
            "a file (field 'file'), a 'text' field, or a text/plain or JSON body"
        raise BadRequestError(f"no document in the request: send {what}", detail=f"请求里没有文档：{_zh_what(files_field)}")
    if len(body.documents) > max_files:
        raise TooManyFilesError(f"too many files: {len(body.documents)}; at most {max_files} per request",
                                count=len(body.documents), limit=max_files)
    for doc in body.documents:
        # No encoding takes under 1 byte a character; a .docx is compressed
        # (and holds its pictures), so its characters are counted once read.
        if isinstance(doc.data, bytes) and len(doc.data) > 4 * max_chars + 4 and not _docx(doc.data):
            raise TooLongError(f"the document has more than {max_chars} characters; this service takes at most {max_chars}",
                               chars=f"超过 {max_chars}", limit=max_chars)
    return body


def _docx(data: bytes) -> bool:
    from ..reader.docx_input import looks_like_docx  # (the reader loads in the conversion processes)

    return looks_like_docx(data)


def _zh_what(files_field: str) -> str:
    if files_field == "files":
        return "请在 files 字段中上传一个或多个文件"
    return "请上传文件（file 字段）、填写 text 字段，或发送 text/plain 或 JSON 正文"


async def _read_form(request: Request, files_field: str, max_files: int, params: dict[str, str]) -> Body:
    if request.headers.get("content-type", "").lower().startswith("multipart/") and not params.get("boundary"):
        raise BadRequestError("multipart/form-data without a boundary", detail="multipart/form-data 缺少 boundary")
    try:
        form = await request.form(max_files=max_files, max_fields=100, max_part_size=2**31)
    except BodyTooLarge:
        raise
    except HTTPException as err:
        if "Too many files" in str(err.detail):
            raise TooManyFilesError(f"too many files; at most {max_files} per request",
                                    count=f"超过 {max_files}", limit=max_files) from None
        raise BadRequestError(f"the form data cannot be read: {err.detail}", detail=f"表单数据无法读取（{err.detail}）") from None
    except Exception as err:  # noqa: BLE001 - a malformed body is the client's error, whatever the parser raised
        raise BadRequestError(f"the form data cannot be read ({type(err).__name__})",
                              detail=f"表单数据无法读取（{type(err).__name__}）") from None
    body = Body()
    try:
        for key in TEXT_FIELDS:
            value = form.get(key)
            if isinstance(value, str):
                body.fields[key] = value
        for item in form.getlist(files_field):
            if not isinstance(item, UploadFile):  # a plain field: the text belongs in `text`
                raise ValidationError(f"{files_field} must be a file upload (a part with a filename)",
                                      detail=f"{files_field} 必须是上传的文件（带文件名）")
            body.documents.append(Document(await item.read(), item.filename))
        if files_field != "files":
            for item in form.getlist("text"):
                if isinstance(item, str) and item:
                    body.documents.append(Document(item.encode("utf-8")))
    finally:
        await form.close()
    if files_field != "files" and form.get("file") is not None and form.get("text"):
        raise ValidationError("send either a file or a text field, not both", detail="file 和 text 只能给一个")
    return body


def _read_json(raw: bytes) -> Body:
    try:
        data = json.loads(raw)
    except ValueError as err:
        raise BadRequestError(f"the body is not valid JSON: {err}", detail=f"正文不是有效的 JSON（{err}）") from None
    except RecursionError:
        raise BadRequestError("the JSON body is nested too deeply", detail="JSON 正文嵌套过深") from None
    if not isinstance(data, dict):
        raise ValidationError("the JSON body must be an object", detail="JSON 正文必须是一个对象")
    body = Body()
    for key in TEXT_FIELDS:
        value = data.get(key)
        if value is None:
            continue
        if key == "to" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = ",".join(value)
        if key in FLAG_FIELDS and isinstance(value, bool):
            value = "true" if value else "false"
        if not isinstance(value, str):
            raise ValidationError(f"{key} must be a string", detail=f"{key} 必须是字符串")
        body.fields[key] = value
    outline, text = data.get("outline"), data.get("text")
    for key in ("outline", "text"):
        if key in data and data[key] is None:
            raise ValidationError(f"{key} must not be null", detail=f"{key} 不能是 null")
    if outline is not None and text is not None:
        raise ValidationError("give either outline or text, not both", detail="outline 和 text 只能给一个")
    if outline is not None:
        # Validated where every front door reads an outline (OutlineFormatError, 422).
        body.documents.append(Document(from_dict(outline)))
    elif text is not None:
        if not isinstance(text, str):
            raise ValidationError("text must be a string", detail="text 必须是字符串")
        body.documents.append(Document(text.encode("utf-8")))
    return body


FLAG_FIELDS = ("print", "booklet", "truncation_note")  # true/false fields (a JSON body may send booleans)
FLAG_VALUES = {"true": True, "1": True, "yes": True, "on": True, "false": False, "0": False, "no": False,
               "off": False, "": False}


def flag(value: str | None, default: bool = False) -> bool:
    """A form's boolean: true/1/yes/on, or false/0/no/off/empty (exactly
    these, as the schema lists them); ``default`` when not given."""
    if value is None:
        return default
    if value not in FLAG_VALUES:
        raise ValidationError(f"expected true or false, not {value!r}", detail=f"应为 true 或 false，而不是 {value!r}")
    return FLAG_VALUES[value]


# ---------------------------------------------------------------------------
# OpenAPI descriptions of the bodies read above

_STR = {"type": "string"}
# A text that holds something: empty or blank input is refused (422).
_TEXT = {"type": "string", "minLength": 1, "pattern": "\\S"}
_BINARY = {"type": "string", "format": "binary"}
_FORMAT = f"(?:{'|'.join([*RENDERERS, 'all'])})"  # from the registry: a new renderer appears here by itself
_OPTIONS: dict[str, dict[str, Any]] = {
    "to": {"type": "string", "pattern": rf"^\s*(?:{_FORMAT}(?:\s*,\s*{_FORMAT})*)?\s*$",
           "description": f"{', '.join(RENDERERS)} or all; a comma list (default all)", "example": "docx,pdf"},
    "theme": {"type": "string", "enum": available_themes(), "description": "a bundled theme (default official)"},
    "title": {"type": "string", "description": "use this title instead of the one the reader found"},
    "speaker": {"type": "string", "description": "the speaker"},
    "date": {"type": "string", "description": "the date of the lecture"},
    "truncation_note": {"type": "string", "enum": list(FLAG_VALUES), "default": "true",
                        "description": "end a text the reader found cut off with the theme's note "
                                       "(（原文至此不完整）); false leaves it out"},
}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """In a JSON body, null means "not given"."""
    return {"anyOf": [schema, {"type": "null"}]}


def outline_body() -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {
        "text/plain": {"schema": {**_TEXT, "description": "the lecture text; a declared charset is used strictly"}},
        "application/json": {"schema": {"type": "object", "required": ["text"], "properties": {"text": _TEXT}}},
        "multipart/form-data": {"schema": {
            "type": "object",
            "properties": {
                "file": {**_BINARY, "description": "the lecture text (any common Chinese encoding), a Word .docx, or an outline"},
                "text": {**_TEXT, "description": "the lecture text, when no file is sent"}},
            "oneOf": [{"required": ["file"]}, {"required": ["text"]}]}},
    }}}


def convert_body(outline_schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {
        "multipart/form-data": {"schema": {
            "type": "object",
            "properties": {
                "file": {**_BINARY, "description": "the lecture text, a Word .docx, or an outline JSON/Markdown you edited"},
                "text": {**_TEXT, "description": "the lecture text, when no file is sent"},
                **_OPTIONS},
            "oneOf": [{"required": ["file"]}, {"required": ["text"]}]}},
        "application/json": {"schema": {
            "type": "object",
            "properties": {
                "outline": outline_schema, "text": _TEXT,
                "to": {"anyOf": [_OPTIONS["to"], {"type": "array", "items": {"type": "string",
                                                                               "enum": [*RENDERERS, "all"]}},
                                 {"type": "null"}]},
                **{k: _nullable(v) for k, v in _OPTIONS.items() if k not in ("to", "truncation_note")},
                "truncation_note": _nullable({"anyOf": [{"type": "boolean"}, _OPTIONS["truncation_note"]]})},
            "oneOf": [{"required": ["outline"]}, {"required": ["text"]}]}},
    }}}


def jobs_body(max_files: int = 20) -> dict[str, Any]:
    """(app.py puts the configured max_files into the served schema.)"""
    return {"requestBody": {"required": True, "content": {
        "multipart/form-data": {"schema": {"type": "object", "required": ["files"], "properties": {
            "files": {"type": "array", "items": _BINARY, "minItems": 1, "maxItems": max_files,
                      "description": "the lectures: texts, Word .docx files or outlines (repeat the field)"},
            "to": _OPTIONS["to"], "theme": _OPTIONS["theme"], "truncation_note": _OPTIONS["truncation_note"],
            "print": {"type": "string", "enum": list(FLAG_VALUES),
                      "description": "true adds one merged print PDF (implies pdf)"},
            "booklet": {"type": "string", "enum": list(FLAG_VALUES),
                        "description": "with print: impose each document as a folded A3 booklet"}}},
            "encoding": {"files": {"contentType": "application/octet-stream"}}},
    }}}
