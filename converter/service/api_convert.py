"""POST /v1/outline and POST /v1/convert: one document, answered at once."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ..convert import Overrides, parse_formats
from . import download_names
from .request_bodies import convert_body, flag, outline_body, read_body
from .context import check_theme, service
from .counted_conversion import convert
from .schemas import OUTLINE_SCHEMA, error_responses
from .process_tasks import ConvertTask

router = APIRouter(prefix="/v1", tags=["convert"])


@router.post(
    "/outline",
    summary="Read a lecture text into its outline",
    description="The body is the raw text (text/plain, any common Chinese encoding; a declared charset is "
                "used strictly), JSON {\"text\": …}, or multipart with a `file` (or a `text` field). "
                "The answer is the outline JSON (schema converter.outline/1) with the reader's warnings.",
    openapi_extra=outline_body(),
    operation_id="read_outline",
    responses={200: {"description": "the outline", "content": {"application/json": {"schema": OUTLINE_SCHEMA}}},
               **error_responses(400, 413, 415, 422, 429, 503, 401, 403)},
    response_class=JSONResponse,
)
async def outline(request: Request) -> JSONResponse:
    svc = service(request)
    s = svc.settings
    body = await read_body(request, files_field="file", max_files=1, max_chars=s.max_chars)
    doc = body.documents[0]
    result = await convert(svc.pool, svc.metrics,
                           ConvertTask(doc.data, name=download_names.source_name(doc.name), encoding=doc.encoding,
                                       max_chars=s.max_chars))
    return JSONResponse(result.outline)


@router.post(
    "/convert",
    summary="Convert a lecture text or an edited outline",
    description="Multipart with a `file` (raw text, or an outline JSON/Markdown) or a `text` field, plus "
                "`to` (docx, pdf, pptx or all; a comma list; default all), `theme`, `title`, `speaker`, "
                "`date`, `truncation_note` (false: no note ending a truncated text); or a JSON body {\"outline\": {…}, \"to\": …}. One format answers that file; "
                "several answer a zip. Content-Disposition carries the name in UTF-8 (RFC 5987) and an "
                "ASCII fallback.",
    openapi_extra=convert_body(OUTLINE_SCHEMA),
    operation_id="convert",
    responses={200: {"description": "the file, or a zip of the files",
                     "content": {download_names.media_type(m): {"schema": {"type": "string", "format": "binary"}}
                                 for m in ("zip", "docx", "pdf", "pptx")}},
               **error_responses(400, 413, 415, 422, 429, 503, 401, 403)},
    response_class=Response,
)
async def convert_route(request: Request) -> Response:
    svc = service(request)
    s = svc.settings
    body = await read_body(request, files_field="file", max_files=1, max_chars=s.max_chars, accept_text=False)
    fields = body.fields
    wanted = parse_formats([fields.get("to") or "all"])  # UsageError (400) names an unknown format
    theme = check_theme(fields.get("theme"))
    overrides = Overrides(*(fields.get(k) or None for k in ("title", "speaker", "date")))
    note = flag(fields.get("truncation_note"), default=True)
    doc = body.documents[0]
    result = await convert(svc.pool, svc.metrics,
                           ConvertTask(doc.data, name=download_names.source_name(doc.name), encoding=doc.encoding,
                                       formats=tuple(wanted), theme=theme, overrides=overrides, max_chars=s.max_chars,
                                       truncation_note=note))
    # Named after the upload (as the CLI names outputs after the input), or the
    # file an outline was read from (meta.source), or else the lecture's title.
    stem = download_names.output_stem(doc.name or result.outline.get("meta", {}).get("source"), result.title)
    headers = {"X-Converter-Warnings": str(len(result.warnings))}
    if len(wanted) == 1:
        fmt = wanted[0]
        filename = f"{stem}.{fmt}"
        return Response(result.files[fmt], media_type=download_names.media_type(fmt),
                        headers={**headers, "Content-Disposition": download_names.content_disposition(filename)})
    archive = download_names.zip_files([(f"{stem}.{fmt}", result.files[fmt]) for fmt in wanted])
    return Response(archive, media_type=download_names.media_type("zip"),
                    headers={**headers, "Content-Disposition": download_names.content_disposition(f"{stem}.zip")})

