"""The PDF renderer: ``render_pdf(outline, theme, options)``.

Plan, then emit: plan.py sets every block on the theme's line grid with the
line breaker and decides the pages (pure data, no reportlab); emit.py draws
the plan with reportlab, each face embedded as one CID-keyed subset that
converter/fonts/ cuts.
"""

from __future__ import annotations

from .emit import render_pdf

__all__ = ["render_pdf"]
