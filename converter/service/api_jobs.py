"""The job routes: POST /v1/jobs, GET /v1/jobs/{id}, GET /v1/jobs/{id}/result,
DELETE /v1/jobs/{id}.  They only translate HTTP to the JobRunner."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from ..convert import parse_formats
from . import download_names
from .request_bodies import flag, jobs_body, read_body
from .context import check_theme, lang, service
from .errors import JobNotFoundError
from .job_files import JobOptions
from .security import owner_of
from .schemas import JobCreated, JobStatus, error_responses

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])
_ID = re.compile(r"^[0-9a-f]{32}$")


def _job_id(job_id: str) -> str:
    if not _ID.match(job_id):
        raise JobNotFoundError(f"no job {job_id}", id=job_id[:64])
    return job_id


@router.post(
    "",
    status_code=202,
    summary="Start a job converting many files",
    description="Multipart: `files` (repeated), `to`, `theme`, `print` (true adds the merged print PDF, and "
                "implies pdf), `booklet` (with print: A3 booklets), `truncation_note` (false: no note ending a "
                "truncated text). Answers 202 {\"id\": …} at once; poll "
                "GET /v1/jobs/{id}.",
    openapi_extra=jobs_body(),
    operation_id="submit_job",
    response_model=JobCreated,
    responses={202: {"description": "the job was accepted", "links": {
        name: {"operationId": op, "parameters": {"job_id": "$response.body#/id"}}
        for name, op in (("status", "job_status"), ("result", "job_result"), ("delete", "delete_job"))}},
        **error_responses(400, 413, 415, 422, 429, 401, 403)},
)
async def submit(request: Request) -> JSONResponse:
    svc = service(request)
    s = svc.settings
    body = await read_body(request, files_field="files", max_files=s.max_files, max_chars=s.max_chars,
                           accept_json=False, accept_text=False)
    fields = body.fields
    wanted = parse_formats([fields.get("to") or "all"])
    printing, booklet = flag(fields.get("print")), flag(fields.get("booklet"))
    if (printing or booklet) and "pdf" not in wanted:
        wanted.append("pdf")  # the print file is made from the PDFs, as `converter batch --print` does
    options = JobOptions(tuple(wanted), check_theme(fields.get("theme")), printing or booklet, booklet, s.max_chars,
                         truncation_note=flag(fields.get("truncation_note"), default=True))
    job_id = await svc.runner.submit(body.documents, options, owner_of(request.scope))
    return JSONResponse({"id": job_id}, status_code=202, headers={"Location": f"/v1/jobs/{job_id}"})


@router.get("/{job_id}", summary="A job's state and each file's", response_model=JobStatus, operation_id="job_status",
            responses=error_responses(404, 410, 401, 403))
async def status(job_id: str, request: Request) -> JSONResponse:
    return JSONResponse(service(request).runner.status(_job_id(job_id), lang(request), owner_of(request.scope)))


@router.get("/{job_id}/result", summary="A finished job's outputs as a zip (with manifest.json)",
            response_class=FileResponse, operation_id="job_result",
            responses={200: {"description": "the zip", "content": {"application/zip": {
                "schema": {"type": "string", "format": "binary"}}}}, **error_responses(404, 409, 410, 401, 403, 507)})
async def result(job_id: str, request: Request) -> FileResponse:
    path = service(request).runner.result(_job_id(job_id), owner_of(request.scope))
    return FileResponse(path, media_type="application/zip",
                        headers={"Content-Disposition": download_names.content_disposition(f"转换结果-{job_id[:8]}.zip")})


@router.delete("/{job_id}", status_code=204, summary="Cancel a job and delete its files",
               response_class=Response, responses=error_responses(404, 410, 401, 403), operation_id="delete_job")
async def delete(job_id: str, request: Request) -> Response:
    await service(request).runner.delete(_job_id(job_id), owner_of(request.scope))
    return Response(status_code=204)
