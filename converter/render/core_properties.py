"""The document properties a .docx and a .pptx carry (title, author,
subject): OOXML's core properties, which python-docx and python-pptx refuse
past 255 characters.  A title may be longer (a user can type one); the
document shows it whole, and only its property is cut."""

from __future__ import annotations

# The limit python-docx and python-pptx enforce on a core property.
MAX_CORE_PROPERTY = 255


def core_property(text: str) -> str:
    """``text`` as a core property: whole when it fits, else cut to the limit
    with an ellipsis."""
    return text if len(text) <= MAX_CORE_PROPERTY else text[: MAX_CORE_PROPERTY - 1] + "…"
