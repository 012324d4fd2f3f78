"""The one chooser: which face a theme role is set in, which font file draws
it on this machine, and what happens when this machine has none.

Roles are named as the theme names them: the paragraph roles (``title``,
``byline``, ``salutation``, ``heading1``-``heading4``, ``body``,
``signature``), the page furniture (``page_number``, ``header``), ``latin``
(Latin letters and digits in every role), and the slide deck's text kinds
(``deck.title``, ``deck.heading``, ``deck.subtitle``, ``deck.body``,
``deck.quote``).  A role's face is found as resolve.py finds any face: the
bundled fonts (the face, then each of its fallbacks), then fontconfig.

One policy for a face this machine has no font file for (neither the face
nor any of its fallbacks):

- a format that draws or measures text with it stops (``require``): the PDF
  draws every role's face, the slide deck fits its text on the widths of
  its faces, and --embed-fonts must embed each face the .docx names.  The
  ``MissingFontError`` names the face, its roles, and how to get it (exit
  65, HTTP 400);
- the .docx only names its faces, and Word on the reader's machine may have
  one this machine lacks, so it writes the name and warns
  (``missing_font``, ``warn_missing``);
- the Latin face stands apart: GB/T 9704 leaves Latin text to the role's
  own face, and every Chinese face has Latin glyphs, so when the Latin face
  is missing the PDF and the deck set Latin text in each role's own face,
  and warn (``latin``).

Choosing opens no font file: only ``glyph_file`` (which face draws a
character the role's face lacks) reads the faces' metrics.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import MissingFontError
from ..model import Warning
from .metrics import metrics_for
from .resolve import fallback_file, family_of, fonts_dir, resolve_face, system_path

if TYPE_CHECKING:
    from ..theme import Theme

PARAGRAPH_ROLES = ("title", "byline", "salutation", "heading1", "heading2", "heading3", "heading4", "body", "signature",
                   "truncation_note")
DECK_ROLES = ("deck.title", "deck.heading", "deck.subtitle", "deck.body", "deck.quote")
# What each format sets text in.  The PDF draws the running header only when
# the theme has one; the .docx names every face of the theme, in the order
# of its font table (Theme.faces()).
PDF_ROLES = (*PARAGRAPH_ROLES, "page_number")
DOCX_ROLES = (*PARAGRAPH_ROLES, "latin", "page_number", "header")

MISSING_FONT = "missing_font"
MISSING_GLYPH = "missing_glyph"


def role_font(theme: Theme, role: str) -> tuple[str, tuple[str, ...]]:
    """The face the theme names for ``role``, and its fallbacks."""
    match role:
        case "latin":
            font = theme.latin
        case "page_number":
            font = theme.page_number.font
        case "header":
            font = theme.header.font
        case "deck.title":
            return theme.deck.title.face, theme.deck.title.fallbacks
        case "deck.heading":
            return theme.deck.heading.face, theme.deck.heading.fallbacks
        case "deck.subtitle":
            return theme.deck.subtitle.face, theme.deck.subtitle.fallbacks
        case "deck.body":
            return theme.deck.body.face, theme.deck.body.fallbacks
        case "deck.quote":
            return theme.deck.quote.face, theme.deck.quote.fallbacks
        case _:
            roles = theme.roles
            if role not in roles:
                raise KeyError(f"no theme role {role!r}")
            font = roles[role].font
    return font.face, font.fallbacks


class Faces:
    """The faces of one theme, the files that draw them here, and the
    warnings about them (collected in ``warnings`` for one document)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self.warnings: list[Warning] = []
        self._files: dict[tuple[str, tuple[str, ...]], Path | None] = {}
        self._latin: Path | None = None
        self._latin_checked = False
        self._reported: set[str] = set()

    def face(self, role: str) -> str:
        """The face name the document writes for ``role``."""
        return role_font(self.theme, role)[0]

    def file(self, role: str) -> Path | None:
        """The font file that draws ``role``'s face here, or None."""
        key = role_font(self.theme, role)
        if key not in self._files:
            self._files[key] = resolve_face(*key)
        return self._files[key]

    def missing(self, roles: Iterable[str], *, named_only: bool = False) -> list[tuple[str, tuple[str, ...], list[str]]]:
        """(face, fallbacks, the roles set in it) for each face of ``roles``
        this machine has no file for, in the order of the roles.
        ``named_only``: the faces are only named, not drawn with, so a
        system font found for them before will do (no fc-match)."""
        out: dict[str, tuple[str, tuple[str, ...], list[str]]] = {}
        for role in roles:
            key = role_font(self.theme, role)
            found = resolve_face(*key, remembered=True) if named_only and key not in self._files else self.file(role)
            if found is None:
                face, fallbacks = key
                out.setdefault(face, (face, fallbacks, []))[2].append(role)
        return list(out.values())

    def require(self, roles: Iterable[str], needs: str) -> dict[str, Path]:
        """The file of each role; ``MissingFontError`` naming every face
        without one.  ``needs`` says what the format does with the face
        ("the PDF draws with it")."""
        roles = tuple(roles)
        missing = self.missing(roles)
        if missing:
            faces = "; ".join(self._describe(*m) for m in missing)
            many = len(missing) > 1
            raise MissingFontError(
                f"this machine has no font file for the face{'s' if many else ''} {faces}, and {needs}: "
                f"install {'fonts of those families' if many else 'a font of that family'}, or add "
                f"{'their .ttf files' if many else 'its .ttf file'} to the fonts folder {fonts_dir()} "
                f"(CONVERTER_FONTS_DIR names another) with an alias for the name in its fonts.conf, "
                f"or name another face in the theme")
        return {role: path for role in roles if (path := self.file(role)) is not None}

    def require_by_face(self, roles: Iterable[str], needs: str) -> dict[str, Path]:
        """As ``require``, keyed by face name, in the order the roles first
        name each face (a face set in several roles comes once)."""
        out: dict[str, Path] = {}
        for role, path in self.require(roles, needs).items():
            out.setdefault(self.face(role), path)
        return out

    def warn_missing(self, roles: Iterable[str]) -> list[Warning]:
        """A ``missing_font`` warning for each face of ``roles`` this machine
        has no file for, for a document that only names its faces (the
        .docx: Word on the reader's machine finds the face or substitutes)."""
        return [
            Warning(MISSING_FONT, f"this machine has no font file for the face {self._describe(face, fallbacks, roles)}: "
                                  f"the .docx names it all the same, and Word uses it where the reader's machine "
                                  f"has it, another face where not", None)
            for face, fallbacks, roles in self.missing(roles, named_only=True)
        ]

    def latin(self, sets: str) -> Path | None:
        """The Latin face's file, or None: then ``sets`` ("the PDF draws")
        Latin text in each role's own face, and a warning says so."""
        if not self._latin_checked:
            self._latin_checked = True
            self._latin = self.file("latin")
            if self._latin is None:
                face, fallbacks = role_font(self.theme, "latin")
                self.warnings.append(Warning(
                    MISSING_FONT, f"this machine has no font file for the Latin face {self._describe(face, fallbacks, [])}: "
                                  f"{sets} Latin letters and digits in each role's own face", None))
        return self._latin

    def glyph_file(self, ch: str, primary: Path, where: str, *, latin: bool) -> Path:
        """The file that draws ``ch`` of a role set in ``primary``: a Latin
        character (``latin``) takes the Latin face; a character the
        primary face lacks takes the face of the nearest style that has it
        (仿宋 -> 宋 -> 楷 -> 黑, then the last-resort faces: resolve.py's
        ``fallback_files``), then any font fontconfig offers; each such
        character is reported once (``missing_glyph``)."""
        latin_file = self._latin if self._latin_checked else self.latin("the PDF draws")
        if latin and latin_file is not None and metrics_for(latin_file).has(ch):
            return latin_file
        if metrics_for(primary).has(ch) or ch in " \u3000":
            return primary
        other = fallback_file(ch, primary)
        if other is not None:
            self._report(ch, where, f"drawn with {family_of(other)}")
            return other
        found = system_path(char=ch)
        if found is not None:
            self._report(ch, where, f"drawn with the system font {found.name}")
            return found
        self._report(ch, where, "no font has it; it will show as an empty box")
        return primary

    def _report(self, ch: str, where: str, what: str) -> None:
        if ch in self._reported:
            return
        self._reported.add(ch)
        self.warnings.append(Warning(MISSING_GLYPH, f"“{ch}” (U+{ord(ch):04X}) in {where}: the theme's face lacks it, {what}", None))

    def _describe(self, face: str, fallbacks: tuple[str, ...], roles: list[str]) -> str:
        """楷体_GB2312 (the byline and heading2 face of theme official; nor
        for its fallbacks 楷体, KaiTi)"""
        parts = []
        if roles:
            parts.append(f"the {_and(roles)} face of theme {self.theme.name}")
        if fallbacks:
            parts.append(f"nor for its fallback{'s' if len(fallbacks) > 1 else ''} {', '.join(fallbacks)}")
        return f"{face} ({'; '.join(parts)})" if parts else face


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"

