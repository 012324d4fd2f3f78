"""``converter serve``: run the app under uvicorn with JSON logs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .settings import Settings

if TYPE_CHECKING:
    from .app import RunnerFactory


def serve(make_runner: "RunnerFactory | None" = None, **flags: Any) -> None:
    """Settings from flags over the environment over the defaults; then run
    until interrupted.  ``make_runner``: the job runner to use (see
    app.create_app); the in-process one when None."""
    import uvicorn

    from . import log
    from .app import create_app

    settings = Settings.from_env(**flags)
    log.setup(settings.log_level)
    app = create_app(settings, make_runner)
    pool = app.state.service.pool
    grace = settings.shutdown_grace

    class DrainingServer(uvicorn.Server):
        """On SIGTERM or Ctrl-C: admit nothing more (503), give what is
        running ``grace`` seconds, then stop it with a 503 and exit; uvicorn's
        own limit is a backstop beyond that."""

        def handle_exit(self, sig: int, frame: Any) -> None:
            log.event("draining", grace=grace, running=pool.running, waiting=pool.waiting)
            pool.drain(grace)
            super().handle_exit(sig, frame)

    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_config=None, access_log=False,
                            log_level=settings.log_level, timeout_graceful_shutdown=int(grace) + 5,
                            server_header=False)
    DrainingServer(config).run()
