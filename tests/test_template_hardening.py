"""A deck template is a user's file, so untrusted (issue 15 item 6): a zip
bomb, a part that is not XML and an external entity are refused or inert,
with exit 65 (TemplateError), never a crash or a file of the server's in
the deck."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from converter.model import Outline, Paragraph
from converter.render import RenderOptions
from converter.render.pptx import render_pptx
from converter.render.pptx.template import MAX_TEMPLATE_UNPACKED, TemplateError
from converter.theme import load_theme

REPO = Path(__file__).resolve().parent.parent
DECK = REPO / "templates" / "deck-official.pptx"
OUTLINE = Outline("党课", (Paragraph("同志们，今天我们讲作风建设。"),))


def variant(tmp_path: Path, name: str, change) -> Path:
    """The official deck with its members passed through ``change(name, data)``
    (None drops one), plus whatever it returns for the key "+"."""
    out = tmp_path / name
    with zipfile.ZipFile(DECK) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if data is not None:
                dst.writestr(info, data)
    return out


def render_with(path: Path) -> bytes:
    return render_pptx(OUTLINE, load_theme("official"), RenderOptions(source_date_epoch=0, template=str(path))).data


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = variant(tmp_path, "bomb.pptx", lambda n, d: d)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z, z.open("ppt/media/huge.bin", "w") as f:
        for _ in range(MAX_TEMPLATE_UNPACKED // (1 << 20) + 1):
            f.write(b"\0" * (1 << 20))
    assert path.stat().st_size < 2_000_000  # small on disk, huge unpacked
    with pytest.raises(TemplateError, match="unpacks to"):
        render_with(path)


def test_a_part_that_is_not_xml_is_a_bad_template(tmp_path: Path) -> None:
    path = variant(tmp_path, "badxml.pptx",
                   lambda n, d: b"<p:sldLayout><broken" if n.endswith("slideLayout1.xml") else d)
    with pytest.raises(TemplateError, match="not valid XML") as err:
        render_with(path)
    assert err.value.exit_code == 65


def test_an_external_entity_is_never_read_into_the_deck(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", "utf-8")

    def change(name: str, data: bytes) -> bytes:
        if name.endswith("theme1.xml"):
            doctype = f'<!DOCTYPE a:theme [<!ENTITY e SYSTEM "file://{secret}">]>'.encode()
            data = data.replace(b"?>", b"?>" + doctype, 1).replace(b'typeface="', b'typeface="&e;', 1)
        return data

    path = variant(tmp_path, "entity.pptx", change)
    try:
        deck = render_with(path)
    except TemplateError:
        return  # refused outright: as good
    with zipfile.ZipFile(io.BytesIO(deck)) as z:
        assert not any(b"TOP-SECRET-VALUE" in z.read(n) for n in z.namelist())
