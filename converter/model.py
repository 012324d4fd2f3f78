"""The outline model: one small, closed, typed AST shared by every reader and renderer.

Like pandoc's ``Pandoc Meta [Block]``: a document is its meta data plus a flat
list of blocks in reading order.  Blocks are frozen dataclasses with no I/O;
readers build them, renderers consume them, and nothing else sits in between.
Adding a block type is meant to touch every renderer (they dispatch with
``match`` and ``assert_never``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterator, Literal, TypeAlias

SCHEMA = "converter.outline/1"

ParagraphRole = Literal["byline", "signature", "date"]
PARAGRAPH_ROLES: tuple[str, ...] = ("byline", "signature", "date")
MAX_HEADING_LEVEL = 6


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading.  ``text`` keeps its marker (一、, （一）, 1., （1）).

    ``run_in`` marks a heading that shared its physical paragraph with the body
    that follows it ("（一）加强学习。正文……"): the heading holds the marker and
    the lead sentence, and the next block is a paragraph with the rest.
    """

    level: int
    text: str
    run_in: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.level, int) or not 1 <= self.level <= MAX_HEADING_LEVEL:
            raise ValueError(f"heading level must be 1..{MAX_HEADING_LEVEL}, not {self.level!r}")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Body text.  ``role`` is None for ordinary body paragraphs; "byline" for
    subtitle/speaker/date lines under the title; "signature" and "date" for a
    closing 落款."""

    text: str
    role: ParagraphRole | None = None

    def __post_init__(self) -> None:
        if self.role is not None and self.role not in PARAGRAPH_ROLES:
            raise ValueError(f"paragraph role must be one of {PARAGRAPH_ROLES}, not {self.role!r}")


@dataclass(frozen=True, slots=True)
class Salutation:
    """The form of address that opens a speech: 同志们：, 各位代表：."""

    text: str


Block: TypeAlias = Heading | Paragraph | Salutation


@dataclass(frozen=True, slots=True)
class Meta:
    """What is known about the document besides its body.  Fields may repeat
    what byline blocks say; renderers use them for document properties."""

    subtitle: str | None = None
    speaker: str | None = None
    date: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Warning:
    """Something the reader changed, removed or doubts.  ``line`` is the 1-based
    line of the decoded input, or None when no single line is meant; ``block``
    is the index in ``Outline.blocks`` of the block it is about (an
    ``uncertain`` reading), or None."""

    code: str
    message: str
    line: int | None = None
    block: int | None = None


@dataclass(frozen=True, slots=True)
class Outline:
    title: str
    blocks: tuple[Block, ...] = ()
    meta: Meta = field(default_factory=Meta)
    warnings: tuple[Warning, ...] = ()
    truncated: bool = False

    def with_warnings(self, *extra: Warning) -> "Outline":
        return replace(self, warnings=self.warnings + tuple(extra))

    def body_text(self) -> str:
        """All block texts in reading order, one per line (the text every
        renderer must reproduce)."""
        return "\n".join(b.text for b in self.blocks)


# ---------------------------------------------------------------------------
# What a document can hold

# Characters no XML 1.0 document (.docx, .pptx) can hold: the C0 controls
# other than tab, newline and carriage return, lone surrogates, U+FFFE and
# U+FFFF.  The reader removes them from raw text (with a warning); an outline
# read from JSON or Markdown that holds one is refused where it is read
# (outline_json.check_writable), so no front door writes a file that will
# not open again.
UNWRITABLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def written_texts(outline: Outline) -> Iterator[tuple[str, str]]:
    """Every text of the outline that goes into a document, with where it
    sits, named as the outline JSON names it ("title", "meta.speaker",
    "blocks[3].text").  ``meta.source`` and the warnings are not written."""
    yield "title", outline.title
    for key in ("subtitle", "speaker", "date"):
        value = getattr(outline.meta, key)
        if value:
            yield f"meta.{key}", value
    for i, block in enumerate(outline.blocks):
        yield f"blocks[{i}].text", block.text


# ---------------------------------------------------------------------------
# The section tree, derived on demand for renderers that need nesting
# (bookmarks, slides).  The flat block list stays the source of truth.


@dataclass(slots=True)
class Section:
    """A heading with the blocks up to the next heading of the same or a
    higher rank (``body``), and its subsections (``children``)."""

    heading: Heading
    body: list[Block] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)

    @property
    def level(self) -> int:
        return self.heading.level

    def walk(self) -> Iterator["Section"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def all_blocks(self) -> Iterator[Block]:
        """The heading, its body and every descendant's blocks, in reading order."""
        yield self.heading
        yield from self.body
        for child in self.children:
            yield from child.all_blocks()


@dataclass(slots=True)
class SectionTree:
    """``front``: blocks before the first heading (salutation, bylines,
    opening remarks); ``sections``: the top-level sections."""

    front: list[Block]
    sections: list[Section]

    def walk(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()


def section_tree(outline: Outline) -> SectionTree:
    front: list[Block] = []
    roots: list[Section] = []
    stack: list[Section] = []
    for block in outline.blocks:
        if isinstance(block, Heading):
            node = Section(block)
            while stack and stack[-1].level >= block.level:
                stack.pop()
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
        elif stack:
            stack[-1].body.append(block)
        else:
            front.append(block)
    return SectionTree(front, roots)


def headings(outline: Outline) -> list[Heading]:
    return [b for b in outline.blocks if isinstance(b, Heading)]
