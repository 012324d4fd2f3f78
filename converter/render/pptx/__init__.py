"""The slide-deck (.pptx) renderer: ``render_pptx(outline, theme, options)``.

Plan, then emit: plan.py plans every slide as data (pure, no
python-pptx; its text work is in text.py, its fitting in fit.py);
emit.py writes the plan with python-pptx into the template deck that
template.py opens; oxml.py holds the XML python-pptx has no API
for.  python-pptx is imported only when a deck is rendered, so the registry
(and the planner's tests) load without it.
"""

from __future__ import annotations

from ...model import Outline
from ...theme import Theme
from ..base import RenderOptions, RenderResult


def render_pptx(outline: Outline, theme: Theme, options: RenderOptions) -> RenderResult:
    """Render ``outline`` as a 16:9 slide deck (bytes), one slide per
    subsection, with the full text in the speaker notes."""
    from .emit import render

    return render(outline, theme, options)
