"""A non-editable install works from any folder: the data the package needs
(chrome patterns, templates, fonts) ships inside it and is found through the
installed package, not the source tree."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent


def test_built_wheel_installs_and_runs_elsewhere(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = dist.glob("*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir)
    py = env_dir / "bin" / "python"
    # The wheel and its dependencies into that bare venv, by this pip (--python; a pip of
    # its own would cost ensurepip and, under PYTHONDONTWRITEBYTECODE, pip compiling
    # itself at start); --no-compile: Python compiles on import what runs.
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-compile", str(wheel)],
                   check=True, capture_output=True)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    lecture = elsewhere / "讲稿.txt"
    lecture.write_bytes((ROOT / "examples" / "lecture.txt").read_bytes())
    r = subprocess.run([str(env_dir / "bin" / "converter"), "outline", lecture.name, "-q"],
                       cwd=elsewhere, capture_output=True)
    assert r.returncode == 0, r.stderr.decode()
    data = json.loads(r.stdout)
    assert data["title"].startswith("党课：淬炼作风之剑") and len(data["blocks"]) == 18
    # The package imports from site-packages, not from the source tree.
    where = subprocess.run([str(py), "-c", "import converter; print(converter.__file__)"],
                           cwd=elsewhere, capture_output=True, text=True).stdout
    assert str(ROOT) not in where and "site-packages" in where
    # Data files ship inside the package.
    listing = subprocess.run([str(py), "-c",
                              "from importlib.resources import files; p = files('converter');"
                              "print((p / 'data' / 'chrome.toml').is_file(), (p / 'templates').is_dir(), (p / 'fonts' / 'bundled' / 'fonts.conf').is_file(),"
                              "(p / 'service' / 'templates' / 'index.html').is_file(), (p / 'service' / 'static' / 'app.js').is_file())"],
                             cwd=elsewhere, capture_output=True, text=True).stdout
    assert listing.split() == ["True"] * 5
    # The fonts are found there (beside converter/fonts/, the code that reads them): a PDF draws with them.
    r = subprocess.run([str(env_dir / "bin" / "converter"), "convert", lecture.name, "--to", "pdf", "-q"],
                       cwd=elsewhere, capture_output=True)
    assert r.returncode == 0, r.stderr.decode()
    assert (elsewhere / "讲稿.pdf").read_bytes().startswith(b"%PDF")
    where = subprocess.run([str(py), "-c", "from converter.fonts import fonts_dir; print(fonts_dir())"],
                           cwd=elsewhere, capture_output=True, text=True).stdout
    assert "site-packages" in where and where.strip().endswith("fonts/bundled")
