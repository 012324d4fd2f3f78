"""GET /healthz, /version, /metrics: for whoever runs the service."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from .. import __version__
from .context import lang, service
from .errors import UnhealthyError, error_body
from .health import DEGRADING
from .schemas import Health, Unhealthy, Version

router = APIRouter(tags=["operations"])

_CHECK_NAMES = {"fonts": "字体", "templates": "模板", "pool": "转换进程池", "load": "负载", "disk": "磁盘"}


@router.get("/healthz", summary="200 when fonts and templates load and the pool answers (status degraded when "
                                "every worker has been busy for long or the disk is nearly full); else 503 "
                                "naming what failed",
            response_model=Health, responses={503: {"model": Unhealthy, "description": "what failed"}})
async def healthz(request: Request) -> JSONResponse:
    checks = await service(request).health.check()
    failed = {name: result for name, result in checks.items() if result != "ok" and name not in DEGRADING}
    if not failed:
        degraded = any(checks[name] != "ok" for name in DEGRADING if name in checks)
        return JSONResponse({"status": "degraded" if degraded else "ok", "checks": checks})
    err = UnhealthyError("unhealthy: " + "; ".join(f"{n}: {r}" for n, r in failed.items()),
                         failed="；".join(f"{_CHECK_NAMES.get(n, n)}：{r}" for n, r in failed.items()))
    return JSONResponse(error_body(err, lang(request), checks=checks), status_code=503)


@router.get("/version", response_model=Version, summary="The converter's version")
async def version() -> dict[str, str]:
    return {"version": __version__}


@router.get("/metrics", summary="Prometheus metrics", response_class=Response,
            responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}})
async def metrics(request: Request) -> Response:
    data, content_type = service(request).metrics.exposition()
    return Response(data, media_type=content_type)
