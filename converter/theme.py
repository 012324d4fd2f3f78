"""Themes: page, grid, faces and sizes as data (templates/NAME.toml).

Every renderer takes its measurements from a ``Theme``; none hard-codes a
size or a face name.  A theme file is TOML; ``extends = "official"`` (a
bundled name, or a path relative to the extending file) starts from another
theme and overrides only the keys given, table by table.  Every key is
documented at the top of templates/official.toml.

``load_theme`` validates at the boundary: a bad file raises ``ThemeError``
naming the file and the dotted key ("body.size"), never a KeyError.  The
result is a tree of frozen dataclasses with every length in points.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, TypeAlias

from .errors import InputError, os_reason
from .resources import resource_path

DEFAULT_THEME = "official"
# What a truncated text ends with when its theme does not say (issue 14 item 7).
DEFAULT_TRUNCATION_NOTE = "（原文至此不完整）"

# 字号: the traditional Chinese size names, in points.
ZIHAO: dict[str, float] = {
    "初号": 42.0,
    "小初": 36.0,
    "一号": 26.0,
    "小一": 24.0,
    "二号": 22.0,
    "小二": 18.0,
    "三号": 16.0,
    "小三": 15.0,
    "四号": 14.0,
    "小四": 12.0,
    "五号": 10.5,
    "小五": 9.0,
}

Align: TypeAlias = Literal["left", "center", "right", "justify"]
ALIGNS: tuple[str, ...] = ("left", "center", "right", "justify")
NumberPosition: TypeAlias = Literal["outside", "center", "left", "right"]
NUMBER_POSITIONS: tuple[str, ...] = ("outside", "center", "left", "right")

_PT_PER_UNIT = {"pt": 1.0, "mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72.0}
_LENGTH_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in)\s*$")
_COLOR_RE = re.compile(r"^#?([0-9A-Fa-f]{6})$")


class ThemeError(InputError):
    """A theme file that cannot be read or does not follow the theme keys."""

    code = "bad_theme"


# ---------------------------------------------------------------------------
# The result: frozen dataclasses, all lengths in points.


@dataclass(frozen=True, slots=True)
class Font:
    face: str
    fallbacks: tuple[str, ...] = ()
    size: float = 16.0
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Role:
    """How one kind of paragraph looks.  Indents are in characters of the
    body size (GB/T 9704's 字); spacing in lines of the grid pitch."""

    font: Font
    align: Align = "justify"
    indent: float = 0.0  # first line, characters
    left: float = 0.0  # characters
    right: float = 0.0  # characters
    space_before: float = 0.0  # lines
    space_after: float = 0.0  # lines
    line_pitch: float | None = None  # pt; None: the grid pitch
    keep_with_next: bool = False
    char_spacing: float | None = 0.0  # pt; None: fit the grid


@dataclass(frozen=True, slots=True)
class Page:
    width: float
    height: float
    margin_top: float
    margin_bottom: float
    margin_left: float
    margin_right: float

    @property
    def type_width(self) -> float:
        return self.width - self.margin_left - self.margin_right

    @property
    def type_height(self) -> float:
        return self.height - self.margin_top - self.margin_bottom


@dataclass(frozen=True, slots=True)
class Grid:
    line_pitch: float
    lines_per_page: int
    chars_per_line: int
    hanging_punctuation: bool = False  # the PDF lets ，。、 hang past the measure


@dataclass(frozen=True, slots=True)
class Colors:
    text: str
    heading: str
    rule: str


@dataclass(frozen=True, slots=True)
class PageNumber:
    font: Font
    format: str  # "{page}" is replaced by the number
    position: NumberPosition
    inset: float  # characters from the type area's edge
    below_type_area: float  # pt from the type area's bottom to the number's middle


@dataclass(frozen=True, slots=True)
class Header:
    font: Font
    text: str  # "" for none; "{title}" is replaced by the outline's title
    align: Align
    rule: bool


@dataclass(frozen=True, slots=True)
class DeckText:
    """One kind of slide text: its face and the range of sizes the deck's
    fitter may choose from (the largest that fits wins)."""

    face: str
    fallbacks: tuple[str, ...]
    max_size: float
    min_size: float
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Deck:
    template: str  # a bundled deck name (templates/deck-NAME.pptx) or a path to a .pptx
    title: DeckText  # the title slide's title
    heading: DeckText  # slide titles, section titles, the closing words
    subtitle: DeckText  # subtitles, bylines, section leads
    body: DeckText  # bullets, agenda items
    quote: DeckText  # quotation callouts
    # Text on a template's coloured band or background reads at this WCAG
    # contrast ratio at least: a template colour below it is replaced by the
    # nearest of the template's own colours that reaches it.
    min_contrast: float = 4.5


@dataclass(frozen=True, slots=True)
class TruncationNote:
    """The line that ends a text the reader found cut off (issue 14 item
    7), so that a printed or projected copy does not simply stop mid-sentence."""

    role: Role
    text: str


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    description: str
    source: str  # the file it was read from
    page: Page
    grid: Grid
    colors: Colors
    title: Role
    byline: Role
    salutation: Role
    headings: tuple[Role, Role, Role, Role]
    body: Role
    signature: Role
    latin: Font
    page_number: PageNumber
    header: Header
    deck: Deck
    truncation_note: TruncationNote

    def heading(self, level: int) -> Role:
        """The role for a heading of ``level``; levels deeper than 4 look like 4."""
        return self.headings[min(max(level, 1), len(self.headings)) - 1]

    @property
    def char_width(self) -> float:
        """One 字 (the unit of indents and insets): the body size, in points."""
        return self.body.font.size

    def char_spacing(self, role: Role) -> float:
        """The spacing (pt, a multiple of 1/20 pt) added after each character
        of ``role``: its own value, or for ``char_spacing = "grid"`` the
        largest spacing at which chars_per_line characters fit the line."""
        if role.char_spacing is not None:
            return role.char_spacing
        return grid_spacing(self.page.type_width, role.font.size, self.grid.chars_per_line)

    def line_pitch(self, role: Role) -> float:
        return role.line_pitch if role.line_pitch is not None else self.grid.line_pitch

    @property
    def roles(self) -> dict[str, Role]:
        """Every paragraph role by its theme key."""
        return {
            "title": self.title,
            "byline": self.byline,
            "salutation": self.salutation,
            **{f"heading{i}": r for i, r in enumerate(self.headings, 1)},
            "body": self.body,
            "signature": self.signature,
            "truncation_note": self.truncation_note.role,
        }

    def faces(self) -> dict[str, tuple[str, ...]]:
        """Every face the theme names, with its fallbacks, in a stable order."""
        out: dict[str, tuple[str, ...]] = {}
        fonts = [r.font for r in self.roles.values()] + [self.latin, self.page_number.font, self.header.font]
        for font in fonts:
            out.setdefault(font.face, font.fallbacks)
        return out


def grid_spacing(line_width: float, size: float, chars: int) -> float:
    """Spacing per character (pt, floored to 1/20 pt) so that ``chars``
    characters of ``size`` fit ``line_width`` and ``chars + 1`` do not."""
    return math.floor((line_width - chars * size) / chars * 20) / 20


# ---------------------------------------------------------------------------
# Loading


def available_themes() -> list[str]:
    folder = resource_path("templates")
    return sorted(p.stem for p in folder.glob("*.toml"))


def _is_path(spec: str | Path) -> bool:
    if isinstance(spec, Path):
        return True
    return "/" in spec or "\\" in spec or spec.endswith(".toml")


def theme_file(spec: str | Path) -> Path:
    """The file a theme name or path stands for (not yet read)."""
    if _is_path(spec):
        return Path(spec)
    if not re.fullmatch(r"[A-Za-z0-9_-]+", str(spec)):
        raise ThemeError(f"theme name {spec!r} is not a bundled theme name or a .toml path")
    path = resource_path("templates") / f"{spec}.toml"
    if not path.is_file():
        known = ", ".join(available_themes()) or "none"
        raise ThemeError(f"unknown theme {spec!r}; bundled themes: {known}; or pass a path to a .toml file")
    return path


MAX_THEME_BYTES = 1024 * 1024  # a theme is a few KB; /dev/zero is not one


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        if path.exists() and not path.is_file():
            raise ThemeError(f"theme file {path} is not a regular file")
        with path.open("rb") as f:
            raw = f.read(MAX_THEME_BYTES + 1)
        if len(raw) > MAX_THEME_BYTES:
            raise ThemeError(f"theme file {path} is larger than {MAX_THEME_BYTES:,} bytes: not a theme")
    except FileNotFoundError:
        raise ThemeError(f"theme file {path} does not exist") from None
    except OSError as err:
        raise ThemeError(f"theme file {path} cannot be read: {os_reason(err)}") from None
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ThemeError(f"{path}: a theme file must be UTF-8") from None
    except tomllib.TOMLDecodeError as err:
        raise ThemeError(f"{path}: not valid TOML: {err}") from None


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``override``'s keys replacing its own, table by table
    (lists and values are replaced whole)."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _resolve(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    real = path.resolve()
    if real in chain:
        names = " -> ".join(p.name for p in chain + (real,))
        raise ThemeError(f"{path}: extends itself ({names})")
    data = _read_toml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str) or not parent:
        raise ThemeError(f"{path}: extends must be a theme name or a path to a .toml file")
    parent_path = (path.parent / parent) if _is_path(parent) else theme_file(parent)
    base = _resolve(parent_path, chain + (real,))
    base.pop("name", None)
    base.pop("description", None)
    return deep_merge(base, data)


def load_theme(spec: str | Path | None = None) -> Theme:
    """Read a bundled theme by name ("official", "handout") or a user's theme
    file by path, following ``extends``."""
    path = theme_file(DEFAULT_THEME if spec is None else spec)
    data = _resolve(path, ())
    return theme_from_dict(data, source=str(path), default_name=path.stem)


# ---------------------------------------------------------------------------
# Validation: dict -> Theme, every error naming its key.


class _Table:
    """A view of one TOML table that records which keys were read, so that
    unknown keys (usually typos) can be reported by name."""

    def __init__(self, data: Any, where: str, source: str) -> None:
        if not isinstance(data, dict):
            raise ThemeError(f"{source}: {where} must be a table")
        self.data = data
        self.where = where
        self.source = source
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def fail(self, name: str, message: str) -> ThemeError:
        return ThemeError(f"{self.source}: {self.key(name)} {message}")

    def get(self, name: str) -> Any:
        self.used.add(name)
        if name not in self.data:
            raise self.fail(name, "is missing (a theme without `extends` must set every key)")
        return self.data[name]

    def table(self, name: str) -> _Table:
        self.used.add(name)
        if name not in self.data:
            raise self.fail(name, "is missing (a theme without `extends` must set every key)")
        return _Table(self.data[name], self.key(name), self.source)

    def string(self, name: str, *, allow_empty: bool = False) -> str:
        value = self.get(name)
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise self.fail(name, "must be a non-empty string" if not allow_empty else "must be a string")
        return value

    def boolean(self, name: str) -> bool:
        value = self.get(name)
        if not isinstance(value, bool):
            raise self.fail(name, "must be true or false")
        return value

    def choice(self, name: str, choices: tuple[str, ...]) -> str:
        value = self.get(name)
        if value not in choices:
            raise self.fail(name, f"must be one of {', '.join(choices)}, not {value!r}")
        return str(value)

    def number(self, name: str, *, lo: float, hi: float) -> float:
        value = self.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
            raise self.fail(name, f"must be a number from {lo:g} to {hi:g}, not {value!r}")
        return float(value)

    def integer(self, name: str, *, lo: int, hi: int) -> int:
        value = self.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise self.fail(name, f"must be a whole number from {lo} to {hi}, not {value!r}")
        return value

    def length(self, name: str, *, lo: float = 0.0, hi: float = 2000.0) -> float:
        value = self.get(name)
        if isinstance(value, str) and (m := _LENGTH_RE.match(value)):
            pt = float(m.group(1)) * _PT_PER_UNIT[m.group(2)]
            if lo <= pt <= hi:
                return pt
            raise self.fail(name, f"must lie between {lo:g}pt and {hi:g}pt, not {value!r}")
        raise self.fail(name, f"must be a length with a unit, like \"37mm\" or \"28.95pt\", not {value!r}")

    def size(self, name: str) -> float:
        value = self.get(name)
        if isinstance(value, str) and value.strip() in ZIHAO:
            return ZIHAO[value.strip()]
        if isinstance(value, str) and (m := _LENGTH_RE.match(value)) and m.group(2) == "pt":
            pt = float(m.group(1))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            pt = float(value)
        else:
            names = "、".join(ZIHAO)
            raise self.fail(name, f"must be a 字号 name ({names}) or points like \"16pt\", not {value!r}")
        if not 4 <= pt <= 144:
            raise self.fail(name, f"must lie between 4pt and 144pt, not {value!r}")
        return pt

    def names(self, name: str) -> tuple[str, ...]:
        value = self.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(name, "must be a list of face names")
        return tuple(value)

    def color(self, name: str) -> str:
        value = self.get(name)
        if not isinstance(value, str) or not (m := _COLOR_RE.match(value)):
            raise self.fail(name, f"must be a colour like \"#000000\", not {value!r}")
        return m.group(1).upper()

    def check_unknown(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.fail(unknown[0], f"is not a theme key here (known: {', '.join(sorted(self.used))})")


def _font(t: _Table, *, sized: bool = True) -> Font:
    if not sized:
        return Font(t.string("face"), t.names("fallbacks"), 0.0, False)
    return Font(t.string("face"), t.names("fallbacks"), t.size("size"), t.boolean("bold"))


def _role(t: _Table) -> Role:
    pitch_raw = t.get("line_pitch")
    pitch = None if pitch_raw == "grid" else t.length("line_pitch", lo=4, hi=200)
    spacing_raw = t.get("char_spacing")
    spacing = None if spacing_raw == "grid" else t.length("char_spacing", lo=-20, hi=20)
    role = Role(
        font=_font(t),
        align=t.choice("align", ALIGNS),  # type: ignore[arg-type]
        indent=t.number("indent", lo=-10, hi=20),
        left=t.number("left", lo=0, hi=40),
        right=t.number("right", lo=0, hi=40),
        space_before=t.number("space_before", lo=0, hi=10),
        space_after=t.number("space_after", lo=0, hi=10),
        line_pitch=pitch,
        keep_with_next=t.boolean("keep_with_next"),
        char_spacing=spacing,
    )
    t.check_unknown()
    return role


DECK_TEXT_KEYS = ("title", "heading", "subtitle", "body", "quote")


def _deck_text(t: _Table) -> DeckText:
    raw = t.get("sizes")
    if not isinstance(raw, list) or len(raw) != 2:
        raise t.fail("sizes", f"must be a list of two sizes, largest first, like [28, 18], not {raw!r}")
    sizes = _Table({"max": raw[0], "min": raw[1]}, t.key("sizes"), t.source)
    hi, lo = sizes.size("max"), sizes.size("min")
    if lo > hi:
        raise t.fail("sizes", f"must list the largest size first, not {raw!r}")
    text = DeckText(t.string("face"), t.names("fallbacks"), hi, lo, t.boolean("bold"))
    t.check_unknown()
    return text


def theme_from_dict(data: dict[str, Any], *, source: str = "<theme>", default_name: str = "theme") -> Theme:
    root = _Table(data, "", source)
    name = data.get("name", default_name)
    root.used.update({"name", "description"})
    if not isinstance(name, str) or not name:
        raise root.fail("name", "must be a non-empty string")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise root.fail("description", "must be a string")

    p = root.table("page")
    page = Page(
        p.length("width", lo=72, hi=2000),
        p.length("height", lo=72, hi=2000),
        p.length("margin_top", hi=500),
        p.length("margin_bottom", hi=500),
        p.length("margin_left", hi=500),
        p.length("margin_right", hi=500),
    )
    p.check_unknown()
    if page.type_width < 72 or page.type_height < 72:
        raise p.fail("margin_left", "and the other margins leave a type area under 1 inch")

    g = root.table("grid")
    grid = Grid(
        g.length("line_pitch", lo=4, hi=200),
        g.integer("lines_per_page", lo=1, hi=200),
        g.integer("chars_per_line", lo=1, hi=200),
        g.boolean("hanging_punctuation"),
    )
    g.check_unknown()
    if grid.line_pitch * grid.lines_per_page > page.type_height + 0.01:
        raise g.fail(
            "line_pitch",
            f"× lines_per_page ({grid.line_pitch:g}pt × {grid.lines_per_page}) exceeds the type area's "
            f"height ({page.type_height:.2f}pt)",
        )

    c = root.table("colors")
    colors = Colors(c.color("text"), c.color("heading"), c.color("rule"))
    c.check_unknown()

    roles = {key: _role(root.table(key)) for key in (
        "title", "byline", "salutation", "heading1", "heading2", "heading3", "heading4", "body", "signature")}

    lt = root.table("latin")
    latin = _font(lt, sized=False)
    lt.check_unknown()

    pn = root.table("page_number")
    fmt = pn.string("format")
    if "{page}" not in fmt:
        raise pn.fail("format", "must contain {page}")
    page_number = PageNumber(
        _font(pn),
        fmt,
        pn.choice("position", NUMBER_POSITIONS),  # type: ignore[arg-type]
        pn.number("inset", lo=0, hi=20),
        pn.length("below_type_area", hi=500),
    )
    pn.check_unknown()

    h = root.table("header")
    header = Header(_font(h), h.string("text", allow_empty=True), h.choice("align", ALIGNS), h.boolean("rule"))  # type: ignore[arg-type]
    h.check_unknown()

    d = root.table("deck")
    title, heading, subtitle, body, quote = (_deck_text(d.table(key)) for key in DECK_TEXT_KEYS)
    deck = Deck(d.string("template"), title, heading, subtitle, body, quote,
                min_contrast=d.number("min_contrast", lo=1.0, hi=21.0))
    d.check_unknown()
    if "truncation_note" in data:
        n = root.table("truncation_note")
        note_text = n.string("text")
        truncation_note = TruncationNote(_role(n), note_text)
    else:
        # Themes written before the note existed: the body's face, at the right.
        truncation_note = TruncationNote(replace(roles["body"], align="right", indent=0.0), DEFAULT_TRUNCATION_NOTE)
    root.check_unknown()

    theme = Theme(
        name=name,
        description=description,
        source=source,
        page=page,
        grid=grid,
        colors=colors,
        title=roles["title"],
        byline=roles["byline"],
        salutation=roles["salutation"],
        headings=(roles["heading1"], roles["heading2"], roles["heading3"], roles["heading4"]),
        body=roles["body"],
        signature=roles["signature"],
        latin=latin,
        page_number=page_number,
        header=header,
        deck=deck,
        truncation_note=truncation_note,
    )
    for key, role in theme.roles.items():
        spacing = theme.char_spacing(role)
        if spacing <= -role.font.size / 2:
            raise ThemeError(
                f"{source}: {key}.char_spacing: {grid.chars_per_line} characters of {role.font.size:g}pt "
                f"cannot fit a {page.type_width:.1f}pt line; lower grid.chars_per_line or the size"
            )
    return theme
