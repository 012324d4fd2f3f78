"""The command line as people use it: exit codes, stdin, files, formats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_gold import EXAMPLE_RAW

pytestmark = [pytest.mark.slow]


REPO = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # importable from any working folder
    return subprocess.run([sys.executable, "-m", "converter", *args], input=stdin, capture_output=True, cwd=cwd, env=env)


def test_outline_json_to_stdout():
    r = run("outline", str(EXAMPLE_RAW))
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert data["title"].startswith("党课：淬炼作风之剑") and data["truncated"] is True
    assert b"chrome_removed" in r.stderr and b"Traceback" not in r.stderr


def test_outline_from_stdin_to_markdown_file(tmp_path):
    out = tmp_path / "o.md"
    r = run("outline", "-", "--to", "md", "-o", str(out), "-q", stdin=EXAMPLE_RAW.read_bytes())
    assert r.returncode == 0 and r.stderr == b""
    assert out.read_text("utf-8").startswith("---\nschema: converter.outline/1")
    # The Markdown reads back into the same outline.
    again = json.loads(run("outline", str(out), "-q").stdout)
    direct = json.loads(run("outline", str(EXAMPLE_RAW), "-q").stdout)
    assert direct["meta"].pop("source") == "lecture.txt" and "source" not in again["meta"]  # stdin has no name
    assert again == direct


def test_encoding_override(tmp_path):
    f = tmp_path / "big5.txt"
    f.write_bytes("講話\n同志們：\n今天開會。".encode("big5"))
    r = run("outline", str(f), "--encoding", "big5", "-q")
    assert r.returncode == 0 and json.loads(r.stdout)["title"] == "講話"


@pytest.mark.parametrize(
    "content, code, words",
    [
        (b"", 65, "empty"),
        (b"   \n\n", 65, "empty"),
        (b"%PDF-1.4 binary", 65, "PDF"),
        (b"PK\x03\x04zip", 65, "ZIP"),
        (b"abc\x00\x01", 65, "NUL"),
        (b'{"schema": "converter.outline/1", "blocks": 3}', 65, "blocks must be a list"),
    ],
)
def test_bad_input_exit_codes(tmp_path, content, code, words):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    r = run("outline", str(f))
    assert r.returncode == code
    assert words.encode() in r.stderr and b"Traceback" not in r.stderr
    assert r.stdout == b""


def test_missing_input_and_unwritable_output(tmp_path):
    r = run("outline", str(tmp_path / "nope.txt"))
    assert r.returncode == 66 and b"no such file" in r.stderr
    r = run("outline", str(EXAMPLE_RAW), "-o", str(tmp_path / "no" / "dir" / "o.json"))
    assert r.returncode == 73 and b"does not exist" in r.stderr


def test_usage_error_and_help():
    assert run("outline").returncode == 2
    r = run("--help")
    assert r.returncode == 0 and b"Exit codes" in r.stdout and b"converter outline" in r.stdout
    assert run("--version").stdout.startswith(b"converter, version")


def test_atomic_write_leaves_no_temp(tmp_path):
    out = tmp_path / "o.json"
    assert run("outline", str(EXAMPLE_RAW), "-o", str(out), "-q").returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["o.json"]


def test_convert_docx_and_pdf_beside_and_into_folder(tmp_path):
    src = tmp_path / "讲稿.txt"
    src.write_bytes(EXAMPLE_RAW.read_bytes())
    r = run("convert", str(src), "--to", "docx,pdf", "-q")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "讲稿.docx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "讲稿.pdf").read_bytes()[:5] == b"%PDF-"
    r = run("convert", str(src), "--to", "pdf", "-q")  # the PDF is there: refused, untouched
    assert r.returncode == 73 and b"--force" in r.stderr
    r = run("convert", str(src), "--to", "pdf", "-q", "--force")
    assert r.returncode == 0
    out = tmp_path / "out"
    r = run("convert", str(src), "--to", "pdf", "--to", "docx", "-o", str(out), "--name", "title", "-q")
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["党课：淬炼作风之剑，锻造组工精兵，为新时代组织工作高质量发展注入澎湃动能.docx",
                     "党课：淬炼作风之剑，锻造组工精兵，为新时代组织工作高质量发展注入澎湃动能.pdf"]


def test_convert_one_file_name_and_overrides(tmp_path):
    target = tmp_path / "handout.pdf"
    r = run("convert", str(EXAMPLE_RAW), "--to", "pdf", "-o", str(target), "--theme", "handout",
            "--title", "作风建设专题党课", "--speaker", "张明", "-q")
    assert r.returncode == 0, r.stderr
    import pdfplumber

    with pdfplumber.open(target) as pdf:
        assert pdf.metadata["Title"] == "作风建设专题党课" and pdf.metadata["Author"] == "张明"
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["--to", "odt"], 2, "unknown output format"),
        (["--to", "docx,pdf", "-o", "x.pdf"], 2, "one input and one format"),
        (["--theme", "nope"], 65, "nope"),
    ],
)
def test_convert_usage_errors(tmp_path, args, code, words):
    r = run("convert", str(EXAMPLE_RAW), *args, cwd=tmp_path)
    assert r.returncode == code, r.stderr
    assert words.encode() in r.stderr and b"Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_convert_bad_input_writes_nothing(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"%PDF-1.4 not text")
    r = run("convert", str(bad), "--to", "pdf")
    assert r.returncode == 65 and b"PDF" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt"]


def test_fonts_lists_roles_with_full_gb2312_coverage(tmp_path):
    r = run("fonts")
    assert r.returncode == 0
    lines = r.stdout.decode().splitlines()
    roles = [l for l in lines if "GB2312" in l]
    # Every paragraph role of the theme (the truncation note's too) and the page number.
    assert len(roles) == 11 and all("6763/6763 (100%)" in l for l in roles)
    odd = tmp_path / "odd.txt"
    odd.write_text("题目\n生僻字𪚥要写出来。\n", encoding="utf-8")
    r = run("fonts", "--check", str(odd))
    assert r.returncode == 0 and "𪚥" in r.stdout.decode()


def test_stale_temp_of_a_dead_writer_is_removed(tmp_path):
    from converter.atomic import TEMP_SUFFIX

    dead = tmp_path / f".讲稿.pdf.999999.abc{TEMP_SUFFIX}"  # no such process
    live = tmp_path / f".讲稿.docx.{os.getpid()}.abc{TEMP_SUFFIX}"
    dead.write_bytes(b"half")
    live.write_bytes(b"in progress")
    r = run("convert", str(EXAMPLE_RAW), "--to", "pdf", "-o", str(tmp_path / "讲稿.pdf"), "-q")
    assert r.returncode == 0
    assert not dead.exists() and live.exists()


# ---------------------------------------------------------------------------
# Hostile or mistaken inputs and outputs (issue 15 item 6): a clear error and
# the right exit code, never a traceback or a read until memory runs out.


def test_an_output_folder_through_a_file_is_cannot_write(tmp_path):
    (tmp_path / "afile").write_text("x")
    r = run("convert", str(EXAMPLE_RAW), "--to", "docx", "-o", str(tmp_path / "afile" / "out") + "/", "-q")
    assert r.returncode == 73 and b"cannot make the output folder" in r.stderr and b"Traceback" not in r.stderr
    r = run("batch", str(EXAMPLE_RAW), "-o", str(tmp_path / "afile" / "out"), "--to", "docx", "-q")
    assert r.returncode == 73 and b"Traceback" not in r.stderr


def test_endless_inputs_are_refused_not_read(tmp_path):
    r = run("convert", "/dev/zero", "--to", "docx", "-o", str(tmp_path / "z.docx"))
    assert r.returncode == 65 and b"more than 16,777,216 bytes" in r.stderr
    theme = tmp_path / "th.toml"
    theme.write_text('extends = "/dev/zero"\n', "utf-8")
    r = run("convert", str(EXAMPLE_RAW), "--theme", str(theme), "--to", "docx", "-o", str(tmp_path / "y.docx"), "-q")
    assert r.returncode == 65 and b"not a regular file" in r.stderr
    assert not (tmp_path / "z.docx").exists() and not (tmp_path / "y.docx").exists()


def test_the_input_limit_is_a_flag_and_a_variable(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO), "CONVERTER_MAX_BYTES": "1000"}
    r = subprocess.run([sys.executable, "-m", "converter", "outline", str(EXAMPLE_RAW), "-q"], capture_output=True, env=env)
    assert r.returncode == 65 and b"more than 1,000 bytes" in r.stderr
    assert run("outline", str(EXAMPLE_RAW), "-q", "--max-bytes", "1000").returncode == 65
    assert run("outline", str(EXAMPLE_RAW), "-q", "--max-bytes", "1000000").returncode == 0


def test_a_damaged_manifest_is_started_over(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(EXAMPLE_RAW.read_bytes())
    out = tmp_path / "out"
    assert run("batch", str(src), "-o", str(out), "--to", "docx", "-q").returncode == 0
    for damage in ("[1, 2]", "[" * 5000 + "]" * 5000, "not json"):
        (out / "manifest.json").write_text(damage, "utf-8")
        r = run("batch", str(src), "-o", str(out), "--to", "docx", "-q")
        assert r.returncode == 0, r.stderr
        assert json.loads((out / "manifest.json").read_text("utf-8"))["documents"][0]["state"] == "done"


def test_a_format_that_fails_leaves_no_other_output_behind(tmp_path):
    """docx is made, then the deck's template is refused: nothing is written."""
    bad = tmp_path / "bad.pptx"
    bad.write_bytes(b"not a deck")
    r = run("convert", str(EXAMPLE_RAW), "--to", "docx,pptx", "--template", str(bad), "-o", str(tmp_path / "out"), "-q")
    assert r.returncode == 65 and b"not a PowerPoint deck" in r.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
