"""``converter serve``: run the app under uvicorn with JSON logs."""

from __future__ import annotations

from typing import Any

from .settings import Settings


def serve(**flags: Any) -> None:
    """Settings from flags over the environment over the defaults; then run
    until interrupted."""
    import uvicorn

    from . import log
    from .app import create_app

    settings = Settings.from_env(**flags)
    log.setup(settings.log_level)
    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False,
                log_level=settings.log_level, timeout_graceful_shutdown=10, server_header=False)
