"""The reader for raw lecture text: bytes in, an Outline out.

The stages are pure functions, each in its own module and testable alone:
decode -> markup -> clean -> punctuation -> reflow -> structure -> checks.  The reader
never imports a renderer.
"""

from __future__ import annotations

from ..model import Meta, Outline, Warning
from .checks import is_truncated, masked_text, numbering_gaps
from .clean import SourceLine, clean
from .decode import MOJIBAKE_NOTE, decode
from .markup import Unmarked, unmark
from .punct import restore_punctuation
from .reflow import reflow
from .structure import structure

__all__ = ["read_text", "read_bytes", "read_lines"]


def read_bytes(data: bytes, *, encoding: str | None = None, source: str | None = None) -> Outline:
    """Decode ``data`` and read it.  Raises InputError for binary, empty or
    undecodable input."""
    text, used = decode(data, encoding)
    outline = read_text(text, source=source)
    if MOJIBAKE_NOTE in used:
        outline = outline.with_warnings(Warning("mojibake_repaired", f"the text was garbled ({MOJIBAKE_NOTE}); it was restored", None))
    return outline


def read_text(text: str, *, source: str | None = None) -> Outline:
    return _read(unmark(text), source)


def read_lines(lines: list[str], *, source: str | None = None) -> Outline:
    """The stages after markup on text already one paragraph per line (a
    .docx's paragraphs without heading styles, docx_input.py): line N of
    the warnings is ``lines[N - 1]``."""
    return _read(Unmarked("\n".join(lines), one_paragraph_per_line=True), source)


def _read(unmarked: Unmarked, source: str | None) -> Outline:
    cleaned = clean(unmarked.text)
    warnings = unmarked.warnings + list(cleaned.warnings)

    lines: list[SourceLine] = []
    restored = 0
    for line in cleaned.lines:
        fixed, n = restore_punctuation(line.text)
        restored += n
        lines.append(SourceLine(line.number, fixed, line.page_break))

    flowed = reflow(lines, one_paragraph_per_line=unmarked.one_paragraph_per_line)
    warnings.extend(flowed.warnings)
    result = structure(flowed.paragraphs, unmarked.headings)
    warnings.extend(result.warnings)
    blocks = result.blocks
    if result.cut_mid_sentence is not None and not cleaned.cut_off:
        truncated = result.cut_mid_sentence and not cleaned.complete
    else:
        truncated = is_truncated(blocks, cleaned.cut_off, cleaned.complete)
    if truncated:
        last_line = flowed.paragraphs[-1].line if flowed.paragraphs else None
        warnings.append(Warning("truncated", "the text seems incomplete: it stops mid-sentence or the site cut it off", last_line))
    warnings.extend(numbering_gaps(blocks))
    warnings.extend(masked_text(blocks))
    chrome = sum(1 for w in warnings if w.code in ("chrome_removed", "header_removed"))
    summary = (
        f"joined {flowed.wraps_joined} wrapped line(s)"
        + (f" (wrap width {flowed.wrap_width})" if flowed.wrap_width else "")
        + f", restored {restored} punctuation mark(s), removed {chrome} line(s) or segment(s) of site text"
    )
    warnings.append(Warning("summary", summary, None))
    meta = result.meta
    if source is not None:
        meta = Meta(meta.subtitle, meta.speaker, meta.date, source)
    return Outline(result.title, tuple(blocks), meta, tuple(warnings), truncated)
