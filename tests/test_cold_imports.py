"""A command loads what it needs and nothing else: `converter convert --to
docx` never imports reportlab, python-pptx, the service or Celery (most of a
cold start is loading libraries; benchmarks/cold_start.py measures it).

Each case runs the command in a fresh interpreter, in-process through
click's ``main(standalone_mode=False)``, and lists ``sys.modules`` after it.
A behaviour test, not a timing test: timings belong in benchmarks/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "lecture.txt"

RUN = """\
import json, sys
from converter.cli import cli
cli.main(sys.argv[1:], prog_name="converter", standalone_mode=False)
print(json.dumps(sorted(sys.modules)))
"""

# What no conversion loads: the front doors that are not `convert`, and what
# only they, the tests or the outline's Markdown form need.
NEVER = ("converter.service", "converter.distributed", "converter.batch", "celery", "kombu", "redis", "uvicorn",
         "starlette", "fastapi", "multipart", "prometheus_client", "rich", "pypdf", "hypothesis", "yaml")
PDF = ("reportlab", "zlib_ng", "converter.render.pdf")
PPTX = ("pptx", "converter.render.pptx")
DOCX = ("docx", "converter.render.docx")
# The word segmenter (0.1 s to load): only for a title that must break
# between words.  The example's fit their lines, or break at punctuation,
# in the .docx and the PDF; its deck's title slide needs it.
SEGMENTER = ("rjieba", "jieba")


def _modules_after(args: list[str]) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    return set(json.loads(run.stdout.splitlines()[-1]))


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """The modules of ``names`` (packages and their submodules) in ``modules``."""
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_convert_to_docx_loads_no_other_renderer_and_no_front_door(tmp_path: Path) -> None:
    modules = _modules_after(["convert", str(EXAMPLE), "--to", "docx", "-q", "-o", str(tmp_path)])
    assert (tmp_path / "lecture.docx").stat().st_size > 0
    assert _loaded(modules, DOCX)  # the listing sees what the command did load
    assert _loaded(modules, (*PDF, *PPTX, *NEVER, *SEGMENTER)) == []


@pytest.mark.parametrize(("fmt", "unwanted"), [("pdf", (*DOCX, *PPTX, *SEGMENTER)), ("pptx", (*DOCX, *PDF))])
def test_convert_to_one_format_loads_only_its_renderer(tmp_path: Path, fmt: str, unwanted: tuple[str, ...]) -> None:
    modules = _modules_after(["convert", str(EXAMPLE), "--to", fmt, "-q", "-o", str(tmp_path)])
    assert (tmp_path / f"lecture.{fmt}").stat().st_size > 0
    assert _loaded(modules, (*unwanted, *NEVER)) == []


def test_outline_loads_no_renderer(tmp_path: Path) -> None:
    modules = _modules_after(["outline", str(EXAMPLE), "-q", "-o", str(tmp_path / "lecture.json")])
    assert json.loads((tmp_path / "lecture.json").read_text("utf-8"))["title"]
    assert "converter.reader" in modules
    assert _loaded(modules, ("converter.render", "lxml", *DOCX, *PDF, *PPTX, *NEVER, *SEGMENTER)) == []


def test_help_lists_serve_without_loading_the_reader() -> None:
    """`serve` is built on first lookup (its flags come from the service's
    settings): the group's help lists it, and loads neither the reader nor
    the service's server."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run([sys.executable, "-c", RUN, "--help"], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    *help_text, listing = run.stdout.splitlines()
    assert any(line.split()[:1] == ["serve"] for line in help_text)
    assert any(line.split()[:1] == ["convert"] for line in help_text)
    modules = set(json.loads(listing))
    assert _loaded(modules, ("converter.reader", "converter.render", "converter.service.server", "uvicorn")) == []
