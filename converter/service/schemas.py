"""Response shapes for the OpenAPI schema (pydantic models), and the outline
JSON as a JSON Schema (README "Outline JSON": the same keys, the same
rules that outline_json.from_dict enforces)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from ..model import MAX_HEADING_LEVEL, PARAGRAPH_ROLES, SCHEMA

_TEXT = {"type": "string"}
_OPT_TEXT = {"type": ["string", "null"]}

OUTLINE_SCHEMA: dict[str, Any] = {
    "title": "Outline",
    "type": "object",
    "required": ["schema", "blocks"],
    "properties": {
        "schema": {"type": "string", "enum": [SCHEMA]},
        "title": _TEXT,
        "truncated": {"type": "boolean"},
        "meta": {"type": "object", "properties": {k: _OPT_TEXT for k in ("subtitle", "speaker", "date", "source")}},
        "warnings": {"type": "array", "items": {
            "type": "object", "required": ["code"],
            "properties": {"code": _TEXT, "message": _TEXT, "line": {"type": ["integer", "null"]},
                           "block": {"type": ["integer", "null"], "minimum": 0}}}},
        "blocks": {"type": "array", "items": {"oneOf": [
            {"type": "object", "required": ["type", "level", "text"], "properties": {
                "type": {"type": "string", "enum": ["heading"]},
                "level": {"type": "integer", "minimum": 1, "maximum": MAX_HEADING_LEVEL},
                "text": _TEXT, "run_in": {"type": "boolean"}}},
            {"type": "object", "required": ["type", "text"], "properties": {
                "type": {"type": "string", "enum": ["paragraph"]},
                "text": _TEXT, "role": {"type": ["string", "null"], "enum": [*PARAGRAPH_ROLES, None]}}},
            {"type": "object", "required": ["type", "text"], "properties": {
                "type": {"type": "string", "enum": ["salutation"]}, "text": _TEXT}},
        ]}},
    },
}


class ErrorBody(BaseModel):
    error: str = Field(description="a stable code: bad_input, too_large, busy, …")
    message: str = Field(description="for people: Chinese unless Accept-Language prefers English")


class WarningItem(BaseModel):
    code: str
    message: str
    line: int | None = None
    block: int | None = Field(default=None, description="the index in blocks of the block it is about (an uncertain reading)")


class FileStatus(BaseModel):
    name: str
    state: Literal["queued", "running", "done", "failed"]
    error: str | None = None
    code: str | None = Field(default=None, description="a failed file's error code, as POST /v1/convert would "
                                                       "answer it for that file (bad_input, bad_outline, …)")
    warnings: list[WarningItem] = []


class JobStatus(BaseModel):
    id: str
    state: Literal["queued", "running", "done", "failed"]
    files: list[FileStatus]
    progress: float = Field(ge=0, le=1)
    error: str | None = Field(default=None, description="why a job whose files converted still failed "
                                                        "(its result could not be written)")


class JobCreated(BaseModel):
    id: str


class Version(BaseModel):
    version: str


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    checks: dict[str, str]


class Unhealthy(ErrorBody):
    checks: dict[str, str]


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    described = {
        400: "a malformed request: no document, bad JSON, an unknown format or theme",
        404: "no such job", 409: "the job has not finished", 410: "the job expired: its files were deleted",
        413: "the body, the number of files or a document's length is over its limit",
        415: "a body type this route does not read", 422: "the input is not a lecture text or a valid outline",
        429: "the queue is full (or your share of it); see Retry-After", 500: "an internal error",
        503: "the conversion passed the time limit and was stopped",
        401: "an API token is needed (the server runs with --auth-tokens)",
        403: "a browser request from another site", 507: "the server's disk is full",
    }
    return {s: {"model": ErrorBody, "description": described[s]} for s in statuses}
