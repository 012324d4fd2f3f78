"""What the routes share, kept on ``app.state.service``: settings, the
pool, the job runner, metrics and the health checker."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from ..render import RENDERERS
from ..theme import available_themes
from .errors import UnknownThemeError
from .health import HealthChecker
from .i18n import language
from .jobs import JobRunner
from .metrics import Metrics
from .pool import ConversionPool
from .settings import Settings


@dataclass(slots=True)
class Service:
    settings: Settings
    pool: ConversionPool
    runner: JobRunner
    metrics: Metrics
    health: HealthChecker


def service(request: Request) -> Service:
    return request.app.state.service  # type: ignore[no-any-return]


def lang(request: Request) -> str:
    return language(request.headers.get("accept-language"))


def formats() -> list[str]:
    """The registered formats, in the registry's order (pptx appears when its
    renderer is registered; nothing here names it)."""
    return list(RENDERERS)


def check_theme(name: str | None) -> str:
    """A bundled theme's name.  Never a path: a client must not make the
    server read a file of its choosing."""
    name = (name or "").strip() or "official"
    known = available_themes()
    if name not in known:
        raise UnknownThemeError(f"no theme named {name!r}; bundled themes: {', '.join(known)}",
                                theme=name, known="、".join(known))
    return name
