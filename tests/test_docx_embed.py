"""--embed-fonts: the .docx carries its faces, so a machine without them
still draws the handout in the right fonts."""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import uuid
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from converter.reader import read_bytes
from converter.render import RenderOptions, render
from converter.fonts.embed import obfuscate
from converter.theme import load_theme
from docx_helpers import LO_REASON, soffice

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice, pytest.mark.xdist_group("docx_embed")]  # (the embedded .docx made once: one xdist worker)

REPO = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def embedded() -> bytes:
    outline = read_bytes((REPO / "examples" / "lecture.txt").read_bytes())
    return render("docx", outline, load_theme("official"), RenderOptions(embed_fonts=True, source_date_epoch=0)).data


def test_obfuscation_is_its_own_inverse():
    key = uuid.UUID("{5F2A5A4B-6E8D-4D43-9C2E-0A1B2C3D4E5F}")
    data = bytes(range(64))
    scrambled = obfuscate(data, key)
    assert scrambled[32:] == data[32:] and scrambled[:32] != data[:32]
    assert obfuscate(scrambled, key) == data
    # ECMA-376: the key's bytes are the GUID's hex pairs read from the end.
    assert scrambled[0] == data[0] ^ 0x5F and scrambled[1] == data[1] ^ 0x4E


def test_every_face_embedded_and_named(embedded):
    z = zipfile.ZipFile(io.BytesIO(embedded))
    table = etree.fromstring(z.read("word/fontTable.xml"))
    rels = etree.fromstring(z.read("word/_rels/fontTable.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    faces = load_theme("official").faces()
    seen = {}
    for font in table.findall(f"{W}font"):
        embed = font.find(f"{W}embedRegular")
        assert embed is not None, font.get(f"{W}name")
        key = uuid.UUID(embed.get(f"{W}fontKey"))
        part = targets[embed.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]
        ttf = TTFont(io.BytesIO(obfuscate(z.read(f"word/{part}"), key)))
        seen[font.get(f"{W}name")] = ttf["name"].getBestFamilyName()
        wanted = "19" if font.get(f"{W}name") == load_theme("official").latin.face else "党课1"
        assert all(ord(c) in ttf.getBestCmap() for c in wanted)  # the document's characters are in the subset
    assert seen == {face: face for face in faces}
    assert b"embedTrueTypeFonts" in z.read("word/settings.xml")
    assert b'Extension="odttf"' in z.read("[Content_Types].xml")


@pytest.mark.skipif(soffice() is None, reason=LO_REASON)
def test_libreoffice_without_the_faces_uses_the_embedded_ones(embedded, tmp_path):
    docx = tmp_path / "embedded.docx"
    docx.write_bytes(embedded)
    # The system configuration only: no bundled faces, so only the embedded
    # fonts can draw the Chinese text.
    env = {**os.environ, "FONTCONFIG_FILE": "/etc/fonts/fonts.conf"}
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True, env=env, timeout=300)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "embedded.pdf")], capture_output=True, text=True).stdout
    names = [line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()]
    assert any(n.startswith("ConverterFangSong") for n in names), names
    assert any(n.startswith("ConverterXiaobiaosong") for n in names), names
    assert not any("DejaVu" in n for n in names), names
