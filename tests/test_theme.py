"""Themes: loading, `extends`, units, and errors that name the key."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from converter.errors import EXIT_DATAERR, InputError
from converter.resources import resource_path
from converter.theme import (
    ZIHAO,
    ThemeError,
    available_themes,
    grid_spacing,
    load_theme,
    theme_from_dict,
)

MM = 72 / 25.4


def test_bundled_themes_are_found_through_resources() -> None:
    templates = resource_path("templates")
    assert (templates / "official.toml").is_file()
    assert {"official", "handout"} <= set(available_themes())
    assert (resource_path("fonts")).is_dir()
    with pytest.raises(ValueError):
        resource_path("nonsense")


def test_official_is_gb_t_9704() -> None:
    t = load_theme()  # the default
    assert t.name == "official"
    assert t.page.width == pytest.approx(210 * MM) and t.page.height == pytest.approx(297 * MM)
    assert t.page.margin_top == pytest.approx(37 * MM)
    assert t.page.margin_bottom == pytest.approx(35 * MM)
    assert t.page.margin_left == pytest.approx(28 * MM)
    assert t.page.margin_right == pytest.approx(26 * MM)
    assert t.page.type_width == pytest.approx(156 * MM) and t.page.type_height == pytest.approx(225 * MM)
    assert (t.grid.lines_per_page, t.grid.chars_per_line) == (22, 28)
    assert t.grid.line_pitch == pytest.approx(28.95)
    assert (t.body.font.face, t.body.font.size) == ("仿宋_GB2312", 16.0)
    assert t.body.font.fallbacks == ("仿宋", "FangSong")
    assert (t.title.font.face, t.title.font.size, t.title.align) == ("方正小标宋简体", 22.0, "center")
    assert [t.heading(n).font.face for n in (1, 2, 3, 4)] == ["黑体", "楷体_GB2312", "仿宋_GB2312", "仿宋_GB2312"]
    assert all(t.heading(n).indent == 2 for n in (1, 2, 3, 4))
    assert t.byline.font.face == "楷体_GB2312" and t.byline.align == "center"
    assert t.salutation.align == "left" and t.salutation.indent == 0
    assert t.latin.face == "Times New Roman"
    pn = t.page_number
    assert (pn.font.face, pn.font.size, pn.format, pn.position, pn.inset) == ("宋体", 14.0, "— {page} —", "outside", 1)
    assert pn.below_type_area == pytest.approx(7 * MM)
    assert t.header.text == ""
    # 28 characters of 16 pt need 448 pt; the line is 442.2 pt.
    assert t.char_spacing(t.body) == pytest.approx(-0.25)
    assert t.char_spacing(t.title) == 0


def test_levels_deeper_than_four_look_like_four() -> None:
    t = load_theme("official")
    assert t.heading(5) is t.heading(4) and t.heading(6) is t.heading(4)


def test_handout_extends_official_and_overrides_only_some_keys() -> None:
    o, h = load_theme("official"), load_theme("handout")
    assert h.name == "handout" and h.description != o.description
    assert h.body.font.size == ZIHAO["小三"] == 15.0
    assert h.body.font.face == o.body.font.face  # inherited
    assert h.body.indent == o.body.indent
    assert h.title == o.title
    assert h.page.width == o.page.width and h.page.margin_left == pytest.approx(35 * MM)
    assert h.header.text == "{title}" and h.header.rule
    assert h.header.font.face == "楷体_GB2312"
    assert h.page_number.position == "center"
    assert h.grid.line_pitch * h.grid.lines_per_page <= h.page.type_height
    # 26 characters of 15 pt fill the line, 27 do not.
    advance = h.body.font.size + h.char_spacing(h.body)
    assert 26 * advance <= h.page.type_width < 27 * advance


def test_zihao_table() -> None:
    assert ZIHAO == {
        "初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18,
        "三号": 16, "小三": 15, "四号": 14, "小四": 12, "五号": 10.5, "小五": 9,
    }


def test_grid_spacing_is_floored_to_twentieths() -> None:
    assert grid_spacing(156 * MM, 16, 28) == -0.25
    assert grid_spacing(448, 16, 28) == 0


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_theme_extends_by_name_and_changes_faces_and_sizes(tmp_path: Path) -> None:
    path = write(tmp_path, "mine.toml", 'extends = "official"\n[body]\nface = "宋体"\nsize = "小四"\n'
                                       '[heading1]\nsize = "18pt"\nbold = true\n[page]\nmargin_left = "2.5cm"\n')
    t = load_theme(str(path))
    assert t.name == "mine" and t.source == str(path)
    assert (t.body.font.face, t.body.font.size) == ("宋体", 12.0)
    assert t.body.font.fallbacks == ("仿宋", "FangSong")  # untouched keys stay
    assert (t.heading(1).font.size, t.heading(1).font.bold) == (18.0, True)
    assert t.page.margin_left == pytest.approx(25 * MM)


def test_extends_a_relative_path_and_chains(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", 'extends = "handout"\n[body]\nface = "黑体"\n')
    (tmp_path / "sub").mkdir()
    path = write(tmp_path / "sub", "top.toml", 'extends = "../base.toml"\nname = "top"\n[title]\nsize = 26\n')
    t = load_theme(path)
    assert t.name == "top"
    assert t.body.font.face == "黑体" and t.body.font.size == 15.0 and t.title.font.size == 26.0


def test_extends_cycle_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", 'extends = "b.toml"\n')
    write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    with pytest.raises(ThemeError, match="extends itself"):
        load_theme(tmp_path / "a.toml")


@pytest.mark.parametrize(
    "body, message",
    [
        ('[body]\nsise = "三号"\n', r"body\.sise is not a theme key"),
        ('[body]\nsize = "大号"\n', r"body\.size must be a 字号 name"),
        ('[body]\nsize = 200\n', r"body\.size must lie between"),
        ('[page]\nmargin_top = 37\n', r"page\.margin_top must be a length with a unit"),
        ('[page]\nmargin_top = "37 furlongs"\n', r"page\.margin_top must be a length"),
        ('[body]\nalign = "middle"\n', r"body\.align must be one of left, center, right, justify"),
        ('[body]\nbold = "yes"\n', r"body\.bold must be true or false"),
        ('[body]\nfallbacks = "仿宋"\n', r"body\.fallbacks must be a list of face names"),
        ('[colors]\ntext = "black"\n', r"colors\.text must be a colour"),
        ('[grid]\nlines_per_page = 30\n', r"grid\.line_pitch × lines_per_page"),
        ('[grid]\nchars_per_line = 60\n', r"\w+\.char_spacing: 60 characters of 16pt cannot fit"),
        ('[page_number]\nformat = "第页"\n', r"page_number\.format must contain \{page\}"),
        ('[page_number]\nposition = "top"\n', r"page_number\.position must be one of"),
        ('[latin]\nsize = "三号"\n', r"latin\.size is not a theme key"),
        ('color = "red"\n', r"color is not a theme key"),
        ('[body]\nline_pitch = "tight"\n', r"body\.line_pitch must be a length"),
    ],
)
def test_bad_keys_are_named(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, "bad.toml", 'extends = "official"\n' + body)
    with pytest.raises(ThemeError, match=message) as info:
        load_theme(path)
    assert str(path) in str(info.value)


def test_a_theme_without_extends_must_be_complete(tmp_path: Path) -> None:
    path = write(tmp_path, "lonely.toml", '[body]\nface = "宋体"\n')
    with pytest.raises(ThemeError, match=r"page is missing"):
        load_theme(path)


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ThemeError, match="unknown theme 'fancy'; bundled themes: .*official"):
        load_theme("fancy")
    with pytest.raises(ThemeError, match="does not exist"):
        load_theme(tmp_path / "nope.toml")
    bad = write(tmp_path, "broken.toml", "[body\n")
    with pytest.raises(ThemeError, match="not valid TOML"):
        load_theme(bad)
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('description = "é"'.encode("latin-1"))
    with pytest.raises(ThemeError, match="must be UTF-8"):
        load_theme(latin1)


def test_theme_error_is_an_input_error() -> None:
    err = ThemeError("x")
    assert isinstance(err, InputError) and err.exit_code == EXIT_DATAERR and err.code == "bad_theme"


def test_theme_from_dict_rejects_non_tables() -> None:
    with pytest.raises(ThemeError, match="page must be a table"):
        theme_from_dict({"page": 3})


def test_every_key_is_documented_in_official_toml() -> None:
    path = resource_path("templates") / "official.toml"
    text = path.read_text(encoding="utf-8")
    docs = text.split("# ====", 2)[1]  # the block between the two rules
    data = tomllib.loads(text)
    documented = set(re.findall(r"[a-z_0-9]+", docs))
    for table, value in data.items():
        assert table in documented, f"{table} is not documented"
        if isinstance(value, dict):
            for key in value:
                assert key in documented, f"{table}.{key} is not documented"
    assert "extends" in documented


def test_themes_are_hashable_values() -> None:
    # The renderer caches per theme; equal files give equal themes.
    assert load_theme("official") == load_theme("official")
    assert hash(load_theme("handout")) == hash(load_theme("handout"))
