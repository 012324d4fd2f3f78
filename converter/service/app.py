"""The FastAPI application factory: ``create_app(settings)``.

It wires the pieces (pool, job runner, metrics, health, pages), installs the
error handlers that give every error the same JSON, and mounts the static
assets.  Swagger UI and ReDoc are off (they load from a CDN, and the
intranet may have none); the schema itself is served at /openapi.json.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from .. import __version__
from ..errors import ConverterError
from . import api_convert, api_jobs, api_ops, log, web
from .context import Service, lang
from .errors import (
    MethodNotAllowedError,
    RouteNotFoundError,
    ValidationError,
    error_body,
    headers_for,
    status_for,
)
from .health import HealthChecker
from .jobs import InProcessRunner, JobRunner
from .metrics import Metrics
from .middleware import RequestMiddleware
from .security import SecurityMiddleware, load_tokens
from .pool import ConversionPool
from .settings import Settings
from .process_tasks import ping

STARTUP_PROBE = 120.0  # seconds to start and warm the conversion processes' template


# Builds the job runner from the app's pool, metrics and settings; the front
# door that starts the service passes one in (the Celery runner when a broker
# is named), so this package never imports converter.distributed.
RunnerFactory = Callable[[ConversionPool, Metrics, Settings], JobRunner]


def create_app(settings: Settings | None = None, make_runner: RunnerFactory | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    if settings.fonts_dir:
        # resources.py reads it, here and in every conversion process forked later.
        os.environ["CONVERTER_FONTS_DIR"] = settings.fonts_dir
    metrics = Metrics()
    pool = ConversionPool(settings.worker_count, settings.queue_size, settings.time_limit, metrics.pool_changed,
                          heavy_bytes=settings.heavy_bytes)
    runner: JobRunner = (make_runner(pool, metrics, settings) if make_runner is not None
                         else InProcessRunner(pool, metrics, settings.results_dir, settings.job_ttl,
                                           owner_share=settings.owner_share, min_free_bytes=settings.min_free_bytes))
    pages = web.environment()
    health = HealthChecker(pool, pages, web.PAGES, web.package_dir("static"),
                           storage_dir=getattr(runner, "root", None), min_free_bytes=settings.min_free_bytes,
                           busy_after=settings.busy_after)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        log.event("starting", version=__version__, workers=settings.worker_count, queue_size=settings.queue_size,
                  time_limit=settings.time_limit, job_ttl=settings.job_ttl)
        try:
            await pool.probe(ping, STARTUP_PROBE)  # warm the template before the first request, not during it
        except Exception as err:  # noqa: BLE001 - /healthz reports it; the server still starts
            log.event("pool_not_ready", 40, exc_type=type(err).__name__)
        await runner.start()
        yield
        await runner.close()
        pool.close()
        log.event("stopped")

    app = FastAPI(
        title="讲稿转换服务 (lecture converter)",
        version=__version__,
        description="Raw Chinese lecture texts to outlines, Word handouts, slide decks and print-ready PDFs. "
                    "Every error is JSON {\"error\": code, \"message\": …}; the message is Chinese unless "
                    "Accept-Language prefers English.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = Service(settings, pool, runner, metrics, health)
    app.state.pages = pages
    # Security inside the request layer, so a refused request is logged and counted too.
    app.add_middleware(SecurityMiddleware, tokens=load_tokens(settings.auth_tokens) if settings.auth_tokens else ())
    app.add_middleware(RequestMiddleware, max_body_bytes=settings.max_body_bytes, metrics=metrics)
    _install_error_handlers(app)
    for module in (api_convert, api_jobs, api_ops, web):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=web.package_dir("static")), name="static")
    _schema_with_limits(app, settings)
    return app


def _schema_with_limits(app: FastAPI, settings: Settings) -> None:
    """The served schema states this server's limits (files per job)."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = plain()
            body = schema["paths"]["/v1/jobs"]["post"]["requestBody"]["content"]["multipart/form-data"]
            body["schema"]["properties"]["files"]["maxItems"] = settings.max_files
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _answer(request: Request, err: BaseException) -> JSONResponse:
    if isinstance(err, ConverterError):
        request.state.error_code = err.code  # for the request's log line
    return JSONResponse(error_body(err, lang(request)), status_code=status_for(err), headers=headers_for(err))


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ConverterError)
    async def converter_error(request: Request, err: ConverterError) -> JSONResponse:
        return _answer(request, err)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, err: HTTPException) -> JSONResponse:
        if err.status_code == 404:
            return _answer(request, RouteNotFoundError(f"no such path: {request.url.path}",
                                                       path=request.url.path[:200]))
        if err.status_code == 405:
            allow = ", ".join(_allowed_methods(request))
            return _answer(request, MethodNotAllowedError(f"{request.method} is not allowed here",
                                                          method=request.method, headers={"Allow": allow}))
        return JSONResponse({"error": f"http_{err.status_code}", "message": str(err.detail)},
                            status_code=err.status_code, headers=err.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, err: RequestValidationError) -> JSONResponse:
        detail = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in err.errors())
        return _answer(request, ValidationError(f"invalid request: {detail}", detail=detail))


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at this path (GET and DELETE on a job
    are two routes; Starlette's Allow names only the first)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, APIRoute) and route.path_regex.match(request.url.path):
            methods |= route.methods or set()
    return sorted(methods)
