"""A title, speaker or subtitle longer than OOXML's 255-character core
property (a user can type one in the page's title box) still converts: the
document shows it whole and only the property is cut (issue 15, item 3)."""

from __future__ import annotations

import io

import docx
import pptx

from converter.model import Heading, Meta, Outline, Paragraph
from converter.render import RenderOptions, render
from converter.render.core_properties import MAX_CORE_PROPERTY, core_property
from converter.theme import load_theme

LONG = "关于进一步加强和改进新时代基层党组织建设工作的若干意见" * 12  # 324 characters


def test_a_long_text_is_cut_to_the_limit_and_a_short_one_kept():
    assert core_property("讲话") == "讲话"
    cut = core_property(LONG)
    assert len(cut) == MAX_CORE_PROPERTY and cut.endswith("…") and LONG.startswith(cut[:-1])


def test_docx_and_pptx_take_a_title_and_speaker_over_255_characters():
    outline = Outline(LONG, [Heading(1, "一、总体要求"), Paragraph("全面贯彻党的二十大精神。")],
                      meta=Meta(speaker=LONG, subtitle=LONG))
    theme = load_theme("official")
    document = docx.Document(io.BytesIO(render("docx", outline, theme, RenderOptions()).data))
    assert len(document.core_properties.title) == MAX_CORE_PROPERTY
    assert LONG in "".join(p.text for p in document.paragraphs).replace("\n", "")  # the page shows it whole
    deck = pptx.Presentation(io.BytesIO(render("pptx", outline, theme, RenderOptions()).data))
    assert len(deck.core_properties.title) == MAX_CORE_PROPERTY
    assert len(deck.core_properties.author) == MAX_CORE_PROPERTY
