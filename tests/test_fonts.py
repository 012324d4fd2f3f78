"""Fonts in one place (converter/fonts/): the one chooser, the one policy for
a face this machine has no font file for, and the disk cache of what was
parsed.

The policy, per format: the PDF and the slide deck draw or measure text with
every face, so a missing face stops them (exit 65, HTTP 400) naming it; the
.docx only names its faces, so it is written with a warning naming the face;
--embed-fonts must embed every face, so a missing one stops it too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from converter.errors import EXIT_DATAERR, MissingFontError
from converter.fonts import DECK_ROLES, DOCX_ROLES, PDF_ROLES, Faces, FontMetrics, font_metrics, resolve_face, role_font
from converter.fonts import cache
from converter.model import Meta, Outline, Paragraph
from converter.render import RenderOptions, render
from converter.theme import load_theme

REPO = Path(__file__).resolve().parent.parent
FONT = REPO / "fonts" / "ConverterFangSong.ttf"
EXAMPLE = REPO / "examples" / "lecture.txt"
NO_SUCH_FACE = "没有这个字体"


@pytest.fixture()
def missing_theme(tmp_path: Path) -> Path:
    """The official theme with the body (and the deck's bullets) in a face
    no machine has, without fallbacks."""
    path = tmp_path / "missing.toml"
    path.write_text(f'extends = "official"\nname = "missing"\n\n[body]\nface = "{NO_SUCH_FACE}"\nfallbacks = []\n\n'
                    f'[deck.body]\nface = "{NO_SUCH_FACE}"\nfallbacks = []\n', encoding="utf-8")
    return path


def _outline() -> Outline:
    return Outline("字体测试", (Paragraph("组织工作PM2.5与“作风”建设。"),), Meta())


# ---------------------------------------------------------------------------
# The chooser


def test_every_role_maps_to_the_face_the_theme_names():
    theme = load_theme("official")
    assert role_font(theme, "body") == (theme.body.font.face, theme.body.font.fallbacks)
    assert role_font(theme, "heading2") == (theme.heading(2).font.face, theme.heading(2).font.fallbacks)
    assert role_font(theme, "latin") == (theme.latin.face, theme.latin.fallbacks)
    assert role_font(theme, "page_number")[0] == theme.page_number.font.face
    assert role_font(theme, "deck.quote") == (theme.deck.quote.face, theme.deck.quote.fallbacks)
    with pytest.raises(KeyError):
        role_font(theme, "heading9")
    # The .docx's roles name its font table's faces, in its order.
    assert list(dict.fromkeys(role_font(theme, r)[0] for r in DOCX_ROLES)) == list(theme.faces())


@pytest.mark.parametrize("theme_name", ["official", "handout"])
def test_every_bundled_role_has_a_file_here(theme_name):
    faces = Faces(load_theme(theme_name))
    files = faces.require(PDF_ROLES + DECK_ROLES, "the test needs it")
    assert set(files) == set(PDF_ROLES + DECK_ROLES)
    assert all(p.is_file() for p in files.values())
    assert faces.missing(DOCX_ROLES) == [] or faces.file("latin") is None
    assert faces.warnings == []


def test_a_missing_face_is_named_with_its_roles_and_how_to_get_it(missing_theme):
    faces = Faces(load_theme(missing_theme))
    assert faces.file("body") is None and faces.file("title") is not None
    with pytest.raises(MissingFontError) as caught:
        faces.require(PDF_ROLES, "the PDF draws with it")
    message = str(caught.value)
    assert NO_SUCH_FACE in message and "the body face of theme missing" in message
    assert "install a font of that family" in message and "fonts.conf" in message and "the PDF draws with it" in message
    err = caught.value
    assert err.exit_code == EXIT_DATAERR == 65 and err.http_status == 400 and err.code == "missing_font"
    # The service answers it with 400, its own row of the error table.
    from converter.service.errors import status_for
    assert status_for(err) == 400
    [warning] = faces.warn_missing(DOCX_ROLES)
    assert warning.code == "missing_font" and NO_SUCH_FACE in warning.message and "the .docx names it" in warning.message


def test_several_missing_faces_are_named_in_one_message(tmp_path):
    path = tmp_path / "two.toml"
    path.write_text('extends = "official"\nname = "two"\n[body]\nface = "无此甲"\nfallbacks = []\n'
                    '[heading1]\nface = "无此乙"\nfallbacks = ["无此丙"]\n', encoding="utf-8")
    with pytest.raises(MissingFontError) as caught:
        Faces(load_theme(path)).require(PDF_ROLES, "the PDF draws with it")
    message = str(caught.value)
    assert "faces 无此乙 (the heading1 face of theme two; nor for its fallback 无此丙); 无此甲 (the body face" in message


def test_a_missing_latin_face_sets_latin_text_in_the_roles_face_and_warns(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_text('extends = "official"\nname = "latin"\n[latin]\nface = "No Such Latin"\nfallbacks = []\n',
                    encoding="utf-8")
    theme = load_theme(path)
    for fmt in ("pdf", "pptx"):
        result = render(fmt, _outline(), theme, RenderOptions(source_date_epoch=0))
        [warning] = [w for w in result.warnings if w.code == "missing_font"]
        assert "No Such Latin" in warning.message and "each role's own face" in warning.message, fmt
    docx = render("docx", _outline(), theme, RenderOptions(source_date_epoch=0))
    assert [w.code for w in docx.warnings] == ["missing_font"] and "No Such Latin" in docx.warnings[0].message


# ---------------------------------------------------------------------------
# The policy, per format, in process


def test_the_pdf_and_the_deck_stop_and_the_docx_warns(missing_theme):
    theme = load_theme(missing_theme)
    options = RenderOptions(source_date_epoch=0)
    for fmt in ("pdf", "pptx"):
        with pytest.raises(MissingFontError, match=NO_SUCH_FACE):
            render(fmt, _outline(), theme, options)
    result = render("docx", _outline(), theme, options)
    assert result.data.startswith(b"PK")
    assert [w.code for w in result.warnings] == ["missing_font"] and NO_SUCH_FACE in result.warnings[0].message
    with pytest.raises(MissingFontError, match="--embed-fonts must embed it"):
        render("docx", _outline(), theme, RenderOptions(source_date_epoch=0, embed_fonts=True))


# ---------------------------------------------------------------------------
# The policy through the command line (a fresh process each: the slow tier)


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "converter", *args], capture_output=True, cwd=cwd, env=env)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["pdf", "pptx"])
def test_cli_pdf_and_deck_exit_65_naming_the_face(fmt, missing_theme, tmp_path):
    r = _run("convert", str(EXAMPLE), "--to", fmt, "--theme", str(missing_theme), "-o", str(tmp_path / "out"), "-q",
             cwd=tmp_path)
    stderr = r.stderr.decode()
    assert r.returncode == 65, stderr
    assert stderr.startswith("converter: error: this machine has no font file for the face " + NO_SUCH_FACE), stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert not (tmp_path / "out" / f"lecture.{fmt}").exists()


@pytest.mark.slow
def test_cli_docx_exit_0_with_a_warning_naming_the_face(missing_theme, tmp_path):
    out = tmp_path / "lecture.docx"
    r = _run("convert", str(EXAMPLE), "--to", "docx", "--theme", str(missing_theme), "-o", str(out), cwd=tmp_path)
    stderr = r.stderr.decode()
    assert r.returncode == 0, stderr
    [line] = [l for l in stderr.splitlines() if "[missing_font]" in l]
    assert line.startswith("warning: this machine has no font file for the face " + NO_SUCH_FACE)
    # The .docx names the face all the same: Word on the reader's machine may have it.
    assert NO_SUCH_FACE.encode() in zipfile.ZipFile(out).read("word/styles.xml")
    r = _run("convert", str(EXAMPLE), "--to", "docx", "--embed-fonts", "--theme", str(missing_theme),
             "-o", str(tmp_path / "embedded.docx"), cwd=tmp_path)
    assert r.returncode == 65 and NO_SUCH_FACE in r.stderr.decode() and "--embed-fonts" in r.stderr.decode()
    assert not (tmp_path / "embedded.docx").exists()


@pytest.mark.slow
def test_cli_fonts_lists_the_missing_face_and_check_names_it(missing_theme, tmp_path):
    r = _run("fonts", "--theme", str(missing_theme), cwd=tmp_path)
    assert r.returncode == 0
    assert any(l.startswith("body") and NO_SUCH_FACE in l and "(no font file)" in l for l in r.stdout.decode().splitlines())
    r = _run("fonts", "--theme", str(missing_theme), "--check", str(EXAMPLE), cwd=tmp_path)
    assert r.returncode == 65 and NO_SUCH_FACE in r.stderr.decode()


# ---------------------------------------------------------------------------
# Metrics and the disk cache


def test_metrics_are_data_for_the_line_breaker():
    metrics = FontMetrics(1000, {ord("字"): 1000, ord("a"): 500})
    advance = metrics.advance_fn(16.0, fallback_em=0.5)
    assert advance("字") == 16.0 and advance("a") == 8.0 and advance("？") == 8.0
    assert metrics.has("字") and not metrics.has("？") and metrics.advance_em("a") == 0.5


def _fresh_metrics(path: Path) -> FontMetrics:
    font_metrics.cache_clear()
    try:
        return font_metrics(str(path))
    finally:
        font_metrics.cache_clear()


def test_the_metrics_cache_is_keyed_by_the_files_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_keys", {})
    first = _fresh_metrics(FONT)  # parses the font, writes the entry
    entries = sorted((tmp_path / "cache" / "converter" / "fonts").glob("*.metrics.v*"))
    assert len(entries) == 1
    second = _fresh_metrics(FONT)  # reads the entry
    assert second._advance_units == first._advance_units and second.units_per_em == first.units_per_em
    assert second.has("党") and not second.has("\U0002A6A5")
    # A copy of the font elsewhere shares the entry; a damaged entry is parsed again.
    copy = tmp_path / "copy.ttf"
    shutil.copyfile(FONT, copy)
    assert _fresh_metrics(copy)._advance_units == first._advance_units
    assert sorted((tmp_path / "cache" / "converter" / "fonts").glob("*.metrics.v*")) == entries
    entries[0].write_bytes(b"\x01\x02")
    assert _fresh_metrics(FONT)._advance_units == first._advance_units


def test_a_face_read_from_the_cache_cuts_the_same_subsets(tmp_path, monkeypatch):
    from converter.fonts.subset import FontFace

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_keys", {})
    latin = resolve_face("Liberation Serif")
    for path in [FONT] + ([latin] if latin else []):  # Liberation Serif has hinting tables and composites
        parsed = FontFace(path)  # reportlab parses it, the entry is written
        cached = FontFace(path)  # read from the entry
        for attr in ("ps_name", "char_to_glyph", "units_per_em", "ascent", "descent", "cap_height", "bbox",
                     "italic_angle", "stem_v"):
            assert getattr(cached, attr) == getattr(parsed, attr) and type(getattr(cached, attr)) is type(getattr(parsed, attr)), attr
        gids = [0] + sorted(set(parsed.char_to_glyph.values()))[:300]
        assert cached.program(gids) == parsed.program(gids)


def test_importing_the_fonts_package_loads_no_font_library():
    code = ("import sys, converter.fonts; "
            "print(sorted(m for m in ('fontTools', 'reportlab') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert r.stdout.strip() == "[]", r.stderr


@pytest.mark.slow
def test_a_docx_with_a_warm_cache_parses_no_font(tmp_path):
    """The .docx only looks its faces up: with the disk cache warm, neither
    fontTools nor reportlab is loaded."""
    code = ("import sys\n"
            "from converter.model import Outline, Paragraph\n"
            "from converter.render import RenderOptions, render\n"
            "from converter.theme import load_theme\n"
            "render('docx', Outline('题', (Paragraph('正文。'),)), load_theme('official'), RenderOptions(source_date_epoch=0))\n"
            "print(sorted(m for m in ('fontTools', 'reportlab') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=True)  # fills the cache
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.stdout.strip() == "[]", r.stderr


def test_a_system_face_found_before_is_known_without_fontconfig(tmp_path, monkeypatch):
    """The .docx only needs to know a face is here: a system font found for
    it before, still a file of that family, answers without an fc-match
    process.  Whatever draws with the face asks fontconfig again."""
    from converter.fonts import resolve

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(resolve, "_recalled", {})
    latin = resolve.resolve_face("Times New Roman", ("Liberation Serif",))
    if latin is None:
        pytest.skip("needs fonts-liberation2 (apt-get install fonts-liberation2)")
    asked: list[object] = []

    def no_fontconfig(face=None, char=None):  # type: ignore[no-untyped-def]
        asked.append(face)
        return None

    monkeypatch.setattr(resolve, "system_path", no_fontconfig)
    assert resolve.resolve_face("Times New Roman", ("Liberation Serif",), remembered=True) == latin and not asked
    assert resolve.resolve_face("Times New Roman", ("Liberation Serif",)) is None and asked  # drawing asks again
    # A remembered file that is gone is not trusted.
    [fact] = (tmp_path / "converter" / "fonts" / "system-face").iterdir()
    fact.write_text(str(tmp_path / "gone.ttf"), "utf-8")
    monkeypatch.setattr(resolve, "_recalled", {})  # as in a fresh process
    asked.clear()
    assert resolve.resolve_face("Times New Roman", ("Liberation Serif",), remembered=True) is None and asked


def test_a_broken_file_in_the_fonts_folder_is_no_font(tmp_path, monkeypatch):
    """A damaged bundled font draws nothing: its faces are missing (the PDF
    stops naming them, the .docx warns), and nothing fails inside."""
    from converter.fonts import resolve

    fonts = tmp_path / "fonts"
    shutil.copytree(REPO / "fonts", fonts)
    (fonts / "ConverterHei.ttf").write_bytes(b"this is not a font" * 10)
    monkeypatch.setenv("CONVERTER_FONTS_DIR", str(fonts))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    families = {f.family for f in resolve.bundled_fonts()}
    assert "Converter Hei" not in families and "Converter Kai" in families
    theme = load_theme("official")
    with pytest.raises(MissingFontError, match="黑体"):
        render("pdf", _outline(), theme, RenderOptions(source_date_epoch=0))
    warnings = render("docx", _outline(), theme, RenderOptions(source_date_epoch=0)).warnings
    assert [w.code for w in warnings] == ["missing_font"] and "黑体" in warnings[0].message
