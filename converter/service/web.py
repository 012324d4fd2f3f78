"""GET /: the web page (one jinja2 template; its script and style are served
from static/ by this server: no CDN, no build step)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import __version__
from ..resources import resource_path
from ..theme import available_themes
from .context import formats, service

router = APIRouter(tags=["page"])
PAGES = ("index.html",)
UI_FONT = "ConverterHei.ttf"

FORMAT_LABELS = {"docx": "Word 讲义（.docx）", "pdf": "PDF 印刷版（.pdf）", "pptx": "幻灯片（.pptx）"}
THEME_LABELS = {"official": "公文格式（GB/T 9704，三号仿宋）", "handout": "讲义格式（字大行疏，便于阅读记录）"}


def package_dir(name: str) -> Path:
    """templates/ or static/ of this package, as a real folder (it ships in
    the wheel: converter/service is a package directory)."""
    return Path(str(resources.files("converter.service") / name))


def environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(package_dir("templates"))),
                       autoescape=select_autoescape(["html"]), auto_reload=False)


@router.get("/", response_class=HTMLResponse, summary="The web page: paste, fix, download")
async def page(request: Request) -> HTMLResponse:
    svc = service(request)
    s = svc.settings
    template = request.app.state.pages.get_template("index.html")
    themes = sorted(available_themes(), key=lambda t: t != "official")  # the default first
    html = template.render(
        version=__version__,
        formats=[(f, FORMAT_LABELS.get(f, f"{f.upper()}（.{f}）")) for f in formats()],
        themes=[(t, THEME_LABELS.get(t, t)) for t in themes],
        default_theme=themes[0] if themes else "",
        ttl_text=_duration(s.job_ttl),
        max_chars=s.max_chars, max_files=s.max_files, max_mb=max(1, s.max_body_bytes // (1024 * 1024)),
    )
    return HTMLResponse(html)


@router.get("/static/ui-font.ttf", include_in_schema=False)
async def ui_font() -> FileResponse:
    """The page's last-resort Chinese font (the bundled 黑体 stand-in), for a
    desktop without one; app.css asks for the system's own faces first."""
    return FileResponse(resource_path("fonts") / UI_FONT, media_type="font/ttf",
                        headers={"Cache-Control": "public, max-age=86400"})


def _duration(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} 小时"
    if seconds >= 60:
        return f"{seconds / 60:.0f} 分钟"
    return f"{seconds:g} 秒"
