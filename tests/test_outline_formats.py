"""The outline's JSON and Markdown forms: round trips and clear errors."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converter import outline_json, outline_md
from converter.errors import OutlineFormatError
from converter.load import guess_format
from converter.model import (
    UNWRITABLE_RE, Heading, Meta, Outline, Paragraph, Salutation, Warning, section_tree, written_texts,
)
from converter.reader import read_bytes

from test_gold import EXAMPLE_RAW


@pytest.fixture(scope="module")
def example() -> Outline:
    return read_bytes(EXAMPLE_RAW.read_bytes(), source="lecture.txt")


def test_json_shape(example):
    data = json.loads(outline_json.dumps(example))
    assert list(data) == ["schema", "title", "truncated", "meta", "warnings", "blocks"]
    assert data["schema"] == "converter.outline/1"
    assert data["blocks"][0] == {"type": "salutation", "text": "同志们："}
    assert data["blocks"][2]["type"] == "heading" and data["blocks"][2]["run_in"] is False
    assert "同志们" in outline_json.dumps(example)  # UTF-8, not \\u escapes


def test_round_trips(example):
    assert outline_json.loads(outline_json.dumps(example)) == example
    assert outline_md.loads(outline_md.dumps(example)) == example


def test_markdown_encoding_is_readable():
    o = Outline(
        "题目",
        (Paragraph("——在会议上的讲话", "byline"), Salutation("同志们："), Heading(1, "一、总体要求"),
         Heading(2, "（一）加强学习。", True), Paragraph("# 不是标题"), Paragraph("中共某某委员会", "signature"),
         Paragraph("2025年6月30日", "date")),
        Meta(speaker="张三"), (Warning("x", "y", 3),), True,
    )
    md = outline_md.dumps(o)
    assert "::: byline\n——在会议上的讲话\n:::" in md
    assert "## （一）加强学习。 {.run-in}" in md
    assert "\\# 不是标题" in md
    assert outline_md.loads(md) == o
    assert guess_format(md.encode()) == "md" and guess_format(outline_json.dumps(o).encode()) == "json"


text_st = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=30).map(str.strip).filter(bool)
block_st = st.one_of(
    st.builds(Heading, st.integers(1, 6), text_st, st.booleans()),
    st.builds(Paragraph, text_st, st.sampled_from([None, "byline", "signature", "date"])),
    st.builds(Salutation, text_st),
)
outline_st = st.builds(
    Outline, st.text(max_size=20), st.lists(block_st, max_size=8).map(tuple),
    st.builds(Meta, st.none() | text_st, st.none() | text_st), st.just(()), st.booleans(),
)


def first_unwritable(outline: Outline) -> str | None:
    """Where the first character no document can hold sits, or None."""
    return next((where for where, text in written_texts(outline) if UNWRITABLE_RE.search(text)), None)


@settings(max_examples=200, deadline=None)
@given(outline_st)
def test_round_trip_property(outline):
    """Every outline a document can hold reads back as it was written; one
    holding a character no document can (the title may be any text here)
    is refused by both readers, JSON naming the text, never read back."""
    where = first_unwritable(outline)
    if where is None:
        assert outline_json.loads(outline_json.dumps(outline)) == outline
        assert outline_md.loads(outline_md.dumps(outline)) == outline
        return
    with pytest.raises(OutlineFormatError, match=re.escape(f"{where} contains the character U+")):
        outline_json.loads(outline_json.dumps(outline))
    with pytest.raises(OutlineFormatError, match="contains the character U+"):
        outline_md.loads(outline_md.dumps(outline))


@pytest.mark.parametrize(
    "doc, words",
    [
        ("not json", "not valid JSON"),
        ('{"schema": "other/9", "blocks": []}', "unsupported outline schema"),
        ('{"schema": "converter.outline/1", "blocks": {}}', "blocks must be a list"),
        ('{"schema": "converter.outline/1", "blocks": [{"type": "heading", "level": "1", "text": "x"}]}', r"blocks\[0\].level"),
        ('{"schema": "converter.outline/1", "blocks": [{"type": "paragraph", "text": 5}]}', r"blocks\[0\].text"),
        ('{"schema": "converter.outline/1", "blocks": [{"type": "table", "text": "x"}]}', r"blocks\[0\].type"),
        ('{"schema": "converter.outline/1", "blocks": [], "truncated": "yes"}', "truncated"),
        ('{"schema": "converter.outline/1", "blocks": [{"type": "paragraph", "text": "x", "role": "boss"}]}', "role"),
    ],
)
def test_bad_json_is_a_clear_error(doc, words):
    with pytest.raises(OutlineFormatError, match=words):
        outline_json.loads(doc)


def test_bad_markdown_is_a_clear_error():
    with pytest.raises(OutlineFormatError, match="front matter"):
        outline_md.loads("# no front matter")
    with pytest.raises(OutlineFormatError, match="unknown block"):
        outline_md.loads("---\nschema: converter.outline/1\n---\n\n::: boss\nx\n:::\n")


def test_section_tree(example):
    tree = section_tree(example)
    assert [type(b).__name__ for b in tree.front] == ["Salutation", "Paragraph"]
    assert [len(s.children) for s in tree.sections] == [3, 3]
    assert sum(1 for _ in tree.walk()) == 8
    blocks = list(tree.front) + [b for s in tree.sections for b in s.all_blocks()]
    assert tuple(blocks) == example.blocks


@pytest.mark.parametrize("key, value", [("meta", []), ("meta", "x"), ("warnings", {}), ("warnings", "x")])
def test_meta_and_warnings_of_the_wrong_type_are_refused(key, value):
    doc = {"schema": "converter.outline/1", "blocks": [], key: value}
    with pytest.raises(OutlineFormatError, match=key):
        outline_json.from_dict(doc)


def _outline_doc(**changes: object) -> dict:
    doc = {"schema": "converter.outline/1", "title": "题目", "meta": {}, "warnings": [],
           "blocks": [{"type": "heading", "level": 1, "text": "一、标题"}, {"type": "paragraph", "text": "正文。"}]}
    doc.update(changes)
    return doc


@pytest.mark.parametrize("changes, message", [
    ({"blocks": [{"type": "paragraph", "text": "a\u0001b"}]},
     "blocks[0].text contains the character U+0001, which no document can hold"),
    ({"blocks": [{"type": "salutation", "text": "同志们\ufffe"}]},
     "blocks[0].text contains the character U+FFFE, which no document can hold"),
    ({"blocks": [{"type": "paragraph", "text": "\ud800"}]},
     "blocks[0].text contains the character U+D800, which no document can hold"),
    ({"title": "题\x0b目"}, "title contains the character U+000B, which no document can hold"),
    ({"meta": {"speaker": "张\x1f三"}}, "meta.speaker contains the character U+001F, which no document can hold"),
    ({"blocks": [{"type": "heading", "text": "一、标题"}]}, "blocks[0].level is missing"),
    ({"blocks": [{"type": "paragraph"}]}, "blocks[0].text is missing"),
    ({"blocks": [{"text": "x"}]}, "blocks[0].type is missing"),
    ({"warnings": [{"message": "m"}]}, "warnings[0].code is missing"),
    ({"meta": []}, "meta must be an object"),
    ({"warnings": {}}, "warnings must be a list"),
])
def test_what_no_document_can_hold_and_missing_keys_are_refused_naming_them(changes, message):
    with pytest.raises(OutlineFormatError) as caught:
        outline_json.from_dict(_outline_doc(**changes))
    assert str(caught.value) == message


def test_null_meta_and_warnings_read_as_absent():
    # (Scripts that write null for "nothing" keep working, at every front door.)
    outline = outline_json.from_dict(_outline_doc(meta=None, warnings=None))
    assert outline.meta.speaker is None and outline.warnings == ()


def test_a_missing_blocks_key_is_named():
    doc = _outline_doc()
    del doc["blocks"]
    with pytest.raises(OutlineFormatError, match="^blocks is missing$"):
        outline_json.from_dict(doc)


def test_what_xml_holds_is_kept():
    """Tab, newline and carriage return, DEL and C1 controls are XML 1.0
    characters: an outline may carry them (the reader removes the controls
    from raw text; an edited outline is taken as written)."""
    doc = _outline_doc(blocks=[{"type": "paragraph", "text": "a\tb\nc\rd\x7fe\x85f"}])
    assert outline_json.from_dict(doc).blocks[0].text == "a\tb\nc\rd\x7fe\x85f"


def test_markdown_names_the_line_of_a_character_no_document_can_hold():
    md = outline_md.dumps(Outline("题目", (Heading(1, "一、标题"), Paragraph("正文。"))))
    lines = md.split("\n")
    at = lines.index("正文。")
    lines[at] = "正\x01文。"
    with pytest.raises(OutlineFormatError) as caught:
        outline_md.loads("\n".join(lines))
    assert str(caught.value) == f"Markdown line {at + 1} contains the character U+0001, which no document can hold"
