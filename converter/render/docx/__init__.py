"""The Word (.docx) renderer: ``render_docx(outline, theme, options)``.

Plan, then emit.  plan.py turns the outline into paragraphs that name their
style and carry their text already cut into lines (pure, no python-docx);
emit.py defines one named style per theme role and writes the paragraphs
with python-docx; oxml.py holds the XML python-docx has no API for;
font_parts.py embeds the theme's faces when asked (``--embed-fonts``).

``options.toc`` adds 目录 after the title group and starts the body on a new
page.  LibreOffice never updates a TOC field (it shows the stored result),
so the plan estimates each heading's page from the theme's grid and writes
the entries as the field's result; the field is marked dirty and
settings.xml asks Word to update fields on opening.
"""

from __future__ import annotations

from .emit import render_docx

__all__ = ["render_docx"]
