"""A text the reader found cut off says so at its end (issue 14 item 7): the
theme's note, after the last block, in the .docx, the PDF and the deck; on
by default, off with ``--no-truncation-note`` (RenderOptions.truncation_note,
BatchOptions.truncation_note, the API's ``truncation_note`` field)."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from docx import Document
from pptx import Presentation

from converter.cli import cli
from converter.model import Heading, Outline, Paragraph
from converter.render import RenderOptions
from converter.render.docx import render_docx
from converter.render.pdf import render_pdf
from converter.render.pdf.plan import plan_pdf
from converter.render.pptx import render_pptx
from converter.theme import DEFAULT_TRUNCATION_NOTE, load_theme, theme_from_dict

REPO = Path(__file__).resolve().parent.parent
NOTE = "（原文至此不完整）"
ON = RenderOptions(source_date_epoch=0)
OFF = RenderOptions(source_date_epoch=0, truncation_note=False)
SENTENCE = "各级党组织要把作风建设摆在突出位置，坚持严的基调不动摇，推动全面从严治党向纵深发展。"


def lecture(paragraphs: int = 3, *, truncated: bool = True, last: str = "基层调研的“下沉式”伪装，掩盖不了") -> Outline:
    blocks = [Heading(1, "一、提高认识"), *(Paragraph(SENTENCE * 3) for _ in range(paragraphs)), Paragraph(last)]
    return Outline("关于加强作风建设的党课", tuple(blocks), truncated=truncated)


def docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in Document(io.BytesIO(data)).paragraphs if p.text.strip()]


def pdf_lines(data: bytes) -> list[tuple[int, str, set[str]]]:
    """(page, text, fonts) of every line of the body (page numbers left out)."""
    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for line in page.extract_text_lines():
                if line["text"].strip().strip("—").strip().isdigit():
                    continue
                fonts = {c["fontname"].split("+", 1)[-1] for c in line["chars"] if c["text"].strip()}
                out.append((number, line["text"].replace(" ", ""), fonts))
    return out


def deck_texts(data: bytes) -> list[list[str]]:
    prs = Presentation(io.BytesIO(data))
    return [[shape.text_frame.text for shape in slide.shapes if shape.has_text_frame] for slide in prs.slides]


# -- the theme ---------------------------------------------------------------


def test_bundled_themes_set_the_note_as_a_fuzhu() -> None:
    for name in ("official", "handout"):
        theme = load_theme(name)
        note = theme.truncation_note
        assert note.text == NOTE
        assert note.role.font.face == "楷体_GB2312" and note.role.indent == 2  # 附注: 居左空二字
        assert note.role.font.size == theme.body.font.size
        assert theme.roles["truncation_note"] is note.role  # a paragraph role like the others (a .docx style)


def test_a_theme_written_before_the_note_gets_the_default() -> None:
    data = tomllib.loads((REPO / "templates" / "official.toml").read_text("utf-8"))
    del data["truncation_note"]
    theme = theme_from_dict(data)
    assert theme.truncation_note.text == DEFAULT_TRUNCATION_NOTE
    assert theme.truncation_note.role.font == theme.body.font and theme.truncation_note.role.align == "right"


def test_a_theme_may_word_the_note_and_must_spell_its_keys(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('extends = "official"\n[truncation_note]\ntext = "（以下缺失）"\n', "utf-8")
    assert load_theme(str(path)).truncation_note.text == "（以下缺失）"
    path.write_text('extends = "official"\n[truncation_note]\ntxt = "（以下缺失）"\n', "utf-8")
    with pytest.raises(Exception, match="truncation_note.txt"):
        load_theme(str(path))


# -- the three outputs -------------------------------------------------------


@pytest.mark.parametrize("theme_name", ["official", "handout"])
def test_docx_ends_with_the_note_in_its_own_style(theme_name: str) -> None:
    theme = load_theme(theme_name)
    paras = docx_paragraphs(render_docx(lecture(), theme, ON).data)
    assert paras[-1] == ("Truncation Note", NOTE)
    assert paras[-2][1] == lecture().blocks[-1].text  # right after the text's last words, nothing lost
    doc = Document(io.BytesIO(render_docx(lecture(), theme, ON).data))
    body = [p for p in doc.paragraphs if p.text.strip()]
    assert body[-2].paragraph_format.keep_with_next  # never alone on the last page


def test_docx_without_the_note() -> None:
    theme = load_theme("official")
    for outline, options in ((lecture(), OFF), (lecture(truncated=False), ON)):
        paras = docx_paragraphs(render_docx(outline, theme, options).data)
        assert NOTE not in "".join(t for _, t in paras) and "Truncation Note" not in {s for s, _ in paras}


def test_pdf_ends_with_the_note_in_the_note_face() -> None:
    theme = load_theme("official")
    lines = pdf_lines(render_pdf(lecture(), theme, ON).data)
    page, text, fonts = lines[-1]
    assert text == NOTE
    assert all("Kai" in f for f in fonts), fonts  # 楷体, not the body's 仿宋
    assert lines[-2][1].endswith("掩盖不了")
    assert sum(1 for p, _, _ in lines if p == page) >= 3


def test_pdf_without_the_note() -> None:
    theme = load_theme("official")
    for outline, options in ((lecture(), OFF), (lecture(truncated=False), ON)):
        assert NOTE not in "".join(t for _, t, _ in pdf_lines(render_pdf(outline, theme, options).data))


def test_the_note_never_starts_a_page() -> None:
    """Whatever the text's length, the note's page holds lines of the text
    (it keeps with them as the 落款 does)."""
    theme = load_theme("official")
    for n in range(1, 40):
        outline = lecture(n // 3, last=SENTENCE[: 1 + (n * 7) % len(SENTENCE)] * (1 + n % 3))
        plan = plan_pdf(outline, theme, NOTE)
        last = plan.pages[-1].lines
        assert last[-1].text == NOTE
        assert len(last) >= 3, (n, [ln.text for ln in last])


@pytest.mark.parametrize("theme_name", ["official", "handout"])
def test_deck_closing_slide_shows_the_note(theme_name: str) -> None:
    theme = load_theme(theme_name)
    slides = deck_texts(render_pptx(lecture(), theme, ON).data)
    closing = "".join(slides[-1])
    assert NOTE in closing
    assert sum(NOTE in "".join(s) for s in slides) == 1  # once, at the end
    for outline, options in ((lecture(), OFF), (lecture(truncated=False), ON)):
        assert not any(NOTE in "".join(s) for s in deck_texts(render_pptx(outline, theme, options).data))


def test_deck_note_follows_the_luokuan() -> None:
    blocks = lecture().blocks + (Paragraph("中共某区委组织部", "signature"), Paragraph("2024年3月15日", "date"))
    slides = deck_texts(render_pptx(Outline("党课", blocks, truncated=True), load_theme("official"), ON).data)
    body = [t for t in slides[-1] if "组织部" in t]
    assert body and body[0].index("组织部") < body[0].index(NOTE)


# -- the front doors ---------------------------------------------------------


def test_cli_flag_turns_the_note_off(tmp_path: Path) -> None:
    raw = REPO / "examples" / "lecture.txt"  # the example lecture is cut off as the site served it
    runner = CliRunner()
    with_note = runner.invoke(cli, ["convert", str(raw), "--to", "docx", "-o", str(tmp_path / "a.docx"), "-q"])
    without = runner.invoke(cli, ["convert", str(raw), "--to", "docx", "-o", str(tmp_path / "b.docx"), "-q",
                                  "--no-truncation-note"])
    assert with_note.exit_code == 0 and without.exit_code == 0, (with_note.output, without.output)
    a = docx_paragraphs((tmp_path / "a.docx").read_bytes())
    b = docx_paragraphs((tmp_path / "b.docx").read_bytes())
    assert a[-1] == ("Truncation Note", NOTE) and a[:-1] == b


def test_batch_flag_turns_the_note_off_and_is_part_of_the_key(tmp_path: Path) -> None:
    from converter.batch import BatchOptions

    assert BatchOptions(("docx",)).key_fields() != BatchOptions(("docx",), truncation_note=False).key_fields()
    src = tmp_path / "in"
    src.mkdir()
    (src / "lecture.txt").write_bytes((REPO / "examples" / "lecture.txt").read_bytes())
    runner = CliRunner()
    for folder, extra in (("on", []), ("off", ["--no-truncation-note"])):
        r = runner.invoke(cli, ["batch", str(src), "-o", str(tmp_path / folder), "--to", "docx", "--jobs", "1", "-q",
                                *extra])
        assert r.exit_code == 0, r.output
    on = docx_paragraphs((tmp_path / "on" / "lecture.docx").read_bytes())
    off = docx_paragraphs((tmp_path / "off" / "lecture.docx").read_bytes())
    assert on[-1] == ("Truncation Note", NOTE) and on[:-1] == off
