"""/healthz: the service is healthy when its fonts and templates load and
its conversion pool answers.  Each check names what failed.

Font files are parsed for real (a truncated or overwritten file fails), but
only again when their size or modification time changes, so a probe every
few seconds costs little.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from jinja2 import Environment

from ..errors import os_reason
from ..resources import resource_path
from ..theme import Theme
from .pool import ConversionPool
from .process_tasks import ping

PROBE_TIMEOUT = 10.0  # seconds the pool has to answer a probe
# Checks that make the service degraded (it answers, slowly or not for long),
# not unhealthy: /healthz stays 200 and says which.
DEGRADING = ("load", "disk")


class HealthChecker:
    def __init__(self, pool: ConversionPool, pages: Environment, page_names: tuple[str, ...],
                 static_dir: Path, storage_dir: Path | None = None, min_free_bytes: int = 0,
                 busy_after: float = 10.0) -> None:
        self.pool = pool
        self.busy_after = busy_after
        self.storage_dir = storage_dir
        self.min_free_bytes = min_free_bytes
        self.pages = pages
        self.page_names = page_names
        self.static_dir = static_dir
        self._fonts_seen: dict[Path, tuple[tuple[int, int], str | None]] = {}

    async def check(self) -> dict[str, str]:
        """{"fonts": "ok" | what failed, "templates": …, "pool": …, "load": …, "disk": …}"""
        fonts, templates = await asyncio.gather(asyncio.to_thread(self.fonts), asyncio.to_thread(self.templates))
        return {"fonts": fonts, "templates": templates, "pool": await self.probe(), "load": self.load(),
                "disk": self.disk()}

    def load(self) -> str:
        """Saturated: every worker busy for longer than busy_after seconds (a
        hostile input holding them, or more work than the server can do)."""
        busy = self.pool.saturated_for()
        if busy > self.busy_after:
            return (f"saturated: all {self.pool.workers} workers busy for {busy:.0f} s, "
                    f"{self.pool.waiting} conversions waiting")
        heavy = self.pool.heavy_saturated_for()
        if heavy > self.busy_after and self.pool.heavy_waiting:
            return (f"saturated: long documents have held their {self.pool.heavy_capacity} of "
                    f"{self.pool.workers} workers for {heavy:.0f} s, {self.pool.heavy_waiting} more waiting")
        return "ok"

    def disk(self) -> str:
        """The results folder keeps min_free_bytes free (jobs are refused below it)."""
        if self.storage_dir is None:
            return "ok"
        try:
            free = shutil.disk_usage(self.storage_dir).free
        except OSError as err:
            return f"the results folder cannot be read ({os_reason(err)})"
        if free < self.min_free_bytes:
            return f"low: {free // (1024 * 1024)} MB free in the results folder (jobs need {self.min_free_bytes // (1024 * 1024)} MB)"
        return "ok"

    def fonts(self) -> str:
        folder = resource_path("fonts")
        if not folder.is_dir():
            return f"the fonts folder {folder} does not exist"
        files = sorted(folder.glob("*.ttf"))
        if not files:
            return f"no .ttf files in {folder}"
        problems = [f"{p.name}: {err}" for p in files if (err := self._font_error(p))]
        if not (folder / "fonts.conf").is_file():
            problems.append("fonts.conf is missing")
        if not problems:
            problems += self._faces_missing()
        return "; ".join(problems) or "ok"

    def _font_error(self, path: Path) -> str | None:
        try:
            stat = path.stat()
        except OSError as err:
            return f"cannot be read ({os_reason(err)})"
        key = (stat.st_size, stat.st_mtime_ns)
        seen = self._fonts_seen.get(path)
        if seen and seen[0] == key:
            return seen[1]
        error = _parse_font(path)
        self._fonts_seen[path] = (key, error)
        return error

    @staticmethod
    def _faces_missing() -> list[str]:
        """Every face of every bundled theme has a font file."""
        from ..fonts import resolve_face
        from ..theme import available_themes, load_theme

        missing = []
        for name in available_themes():
            try:
                theme = load_theme(name)
            except Exception:  # noqa: BLE001 - reported by templates()
                continue
            for role in theme.roles.values():
                if resolve_face(role.font.face, role.font.fallbacks) is None:
                    missing.append(f"theme {name}: no font file for {role.font.face}")
        return sorted(set(missing))

    def templates(self) -> str:
        from ..theme import available_themes, load_theme

        problems = []
        themes = available_themes()
        if not themes:
            problems.append("no bundled themes")
        for name in themes:
            try:
                theme = load_theme(name)
            except Exception as err:  # noqa: BLE001 - a health check reports, never raises
                problems.append(f"theme {name}: {err}")
                continue
            problems += _deck_problems(theme)
        for page in self.page_names:
            try:
                self.pages.get_template(page)
            except Exception as err:  # noqa: BLE001
                problems.append(f"page {page}: {type(err).__name__}: {err}")
        for asset in ("app.js", "app.css"):
            if not (self.static_dir / asset).is_file():
                problems.append(f"static/{asset} is missing")
        return "; ".join(problems) or "ok"

    async def probe(self) -> str:
        try:
            answer = await self.pool.probe(ping, PROBE_TIMEOUT)
        except Exception as err:  # noqa: BLE001
            return f"the conversion pool did not answer: {err}"
        if answer.get("warm_errors"):
            return "the conversion processes could not load: " + "; ".join(answer["warm_errors"])
        return "ok"


def _deck_problems(theme: Theme) -> list[str]:
    """The theme's slide template opens, when the deck renderer is registered."""
    from ..render import RENDERERS

    if "pptx" not in RENDERERS:
        return []
    try:
        from ..render.pptx.template import open_template, template_for

        open_template(template_for(theme, None))
    except Exception as err:  # noqa: BLE001
        return [f"theme {theme.name}: deck template: {err}"]
    return []


def _parse_font(path: Path) -> str | None:
    """None when fontTools reads the tables a renderer needs, else why not."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(str(path), lazy=True)
        try:
            font["head"]
            font["maxp"]
            font["hmtx"]
            if not font["name"].getBestFamilyName():
                return "the font has no family name"
            if not font.getBestCmap():
                return "the font maps no characters"
        finally:
            font.close()
    except Exception as err:  # noqa: BLE001 - any failure means this file cannot be used
        return f"not a readable TrueType font ({type(err).__name__})"
    return None
