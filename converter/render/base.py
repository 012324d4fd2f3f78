"""What every renderer shares: its options, its result, its signature, and
the error for a format no renderer is registered for.

Each renderer is ``render(outline, theme, options) -> RenderResult``: the
bytes of the output file in memory (the caller writes them atomically),
warnings as values, and the page count when the renderer knows it.  The
registry (``converter.render``) imports each renderer when its format is
first asked for; the renderers import these types from here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeAlias

from ..errors import EXIT_USAGE, ConverterError
from ..model import Outline, Warning
from ..theme import Theme


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What a caller may choose beyond the theme.

    ``source_date_epoch`` (seconds since 1970, UTC) fixes every timestamp the
    output carries, so the same input gives the same bytes; ``from_env``
    reads it from SOURCE_DATE_EPOCH.  Without it the output is stamped with
    the current time.
    """

    toc: bool = False
    embed_fonts: bool = False
    source_date_epoch: int | None = None
    template: str | None = None  # slide decks: a .pptx to take layouts from
    truncation_note: bool = True  # end a truncated text with the theme's note (issue 14 item 7)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **kwargs: object) -> RenderOptions:
        env = os.environ if environ is None else environ
        raw = env.get("SOURCE_DATE_EPOCH", "").strip()
        epoch = int(raw) if raw.isdigit() else None
        return cls(source_date_epoch=epoch, **kwargs)  # type: ignore[arg-type]

    def timestamp(self) -> datetime:
        """The creation time to write: SOURCE_DATE_EPOCH when given, else now
        (UTC, whole seconds)."""
        if self.source_date_epoch is not None:
            return datetime.fromtimestamp(self.source_date_epoch, UTC)
        return datetime.now(UTC).replace(microsecond=0)


def truncation_note(outline: Outline, theme: Theme, options: RenderOptions) -> str | None:
    """The note every output ends with when the reader found the text cut
    off (and the caller did not turn it off), or None."""
    if outline.truncated and options.truncation_note and theme.truncation_note.text.strip():
        return theme.truncation_note.text
    return None


@dataclass(frozen=True, slots=True)
class RenderResult:
    data: bytes
    warnings: tuple[Warning, ...] = ()
    pages: int | None = None


Renderer: TypeAlias = Callable[[Outline, Theme, RenderOptions], RenderResult]


class UnknownFormatError(ConverterError):
    """An output format no renderer is registered for."""

    exit_code = EXIT_USAGE
    http_status = 400
    code = "unknown_format"
