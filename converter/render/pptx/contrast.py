"""Text that reads on a projector: WCAG 2 contrast of a text colour on the
colours behind it (a band, a gradient's stops), and the nearest colour of
the template's own scheme that reaches the theme's ``deck.min_contrast``
when the template's does not.  Pure: colours in, colours out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# The scheme colours a replacement may be: never a hyperlink colour.
CANDIDATES = ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6")


def hex_of(color: str, scheme: Mapping[str, str]) -> str | None:
    """"RRGGBB" of a scheme name or "#RRGGBB"."""
    if color.startswith("#"):
        return color[1:].upper()
    return scheme.get(color)


def luminance(rgb: str) -> float:
    """WCAG 2 relative luminance of "RRGGBB"."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(rgb[i : i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two "RRGGBB" colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def worst(text: str, behind: Sequence[str], scheme: Mapping[str, str]) -> float:
    """The lowest contrast of ``text`` on any of the colours ``behind`` it."""
    fg = hex_of(text, scheme)
    bgs = [h for h in (hex_of(c, scheme) for c in behind) if h]
    if fg is None or not bgs:
        return 21.0
    return min(ratio(fg, bg) for bg in bgs)


def readable(text: str, behind: Sequence[str], scheme: Mapping[str, str], minimum: float) -> str | None:
    """None when ``text`` reads on ``behind`` at ``minimum``; else the scheme
    colour nearest to it (in RGB) that does, or the best there is."""
    if worst(text, behind, scheme) >= minimum:
        return None
    fg = hex_of(text, scheme) or "000000"

    def distance(name: str) -> float:
        other = scheme[name]
        return sum((int(fg[i : i + 2], 16) - int(other[i : i + 2], 16)) ** 2 for i in (0, 2, 4))

    names = [n for n in CANDIDATES if n in scheme]
    good = [n for n in names if worst(n, behind, scheme) >= minimum]
    if good:
        return min(good, key=distance)
    return max(names, key=lambda n: worst(n, behind, scheme)) if names else None
