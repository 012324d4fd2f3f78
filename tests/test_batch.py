"""Batch conversion as an organiser runs it: a folder of lectures, bad files
among them, reruns, a killed worker, and the merged print file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest

from converter.printing import booklet_order

pytestmark = [pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = (REPO / "examples" / "lecture.txt").read_bytes()


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "converter", *args], capture_output=True, env=env, timeout=600)


@pytest.fixture()
def lectures(tmp_path: Path) -> Path:
    root = tmp_path / "lectures"
    (root / "一组").mkdir(parents=True)
    (root / "二组").mkdir()
    (root / "一组" / "第2讲.txt").write_bytes(EXAMPLE)
    (root / "一组" / "第10讲.txt").write_bytes(EXAMPLE.replace("作风".encode(), "纪律".encode()))
    (root / "二组" / "第2讲.txt").write_bytes(EXAMPLE.decode("utf-8").encode("gb18030"))  # same name, other folder
    (root / "二组" / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n....")
    (root / "二组" / "empty.txt").write_bytes(b"")
    (root / "二组" / "notes.json").write_text('{"not": "an outline"}', encoding="utf-8")  # not an input
    return root


def manifest(out: Path) -> dict[str, dict]:
    data = json.loads((out / "manifest.json").read_text("utf-8"))
    return {d["input"]: d for d in data["documents"]}


def test_batch_converts_good_files_and_reports_bad_ones(lectures, tmp_path):
    out = tmp_path / "out"
    r = run("batch", str(lectures), "-o", str(out), "--to", "docx,pdf", "--jobs", "2")
    assert r.returncode == 1, r.stderr.decode()
    err = r.stderr.decode()
    assert "二组/binary.txt: the input is a PNG image" in err and "二组/empty.txt: the input is empty" in err
    assert "Traceback" not in err
    docs = manifest(out)
    assert sorted(docs) == ["一组/第10讲.txt", "一组/第2讲.txt", "二组/binary.txt", "二组/empty.txt", "二组/第2讲.txt"]
    for name in ("一组/第2讲.txt", "一组/第10讲.txt", "二组/第2讲.txt"):
        assert docs[name]["state"] == "done" and set(docs[name]["outputs"]) == {"docx", "pdf"}
        assert docs[name]["outputs"]["pdf"]["pages"] == 7
        # paths relative to OUTDIR: the folder can be moved with its manifest
        assert docs[name]["outputs"]["pdf"]["path"] == name.removesuffix(".txt") + ".pdf"
    assert (out / "一组" / "第2讲.pdf").is_file() and (out / "二组" / "第2讲.pdf").is_file()
    assert docs["二组/binary.txt"]["state"] == "failed" and not (out / "二组" / "binary.pdf").exists()
    # natural order: 第2讲 before 第10讲
    order = [d["input"] for d in json.loads((out / "manifest.json").read_text("utf-8"))["documents"]]
    assert order.index("一组/第2讲.txt") < order.index("一组/第10讲.txt")

    # A rerun skips everything that is up to date.
    before = (out / "一组" / "第2讲.pdf").stat().st_mtime_ns
    r = run("batch", str(lectures), "-o", str(out), "--to", "docx,pdf")
    assert r.returncode == 1
    docs = manifest(out)
    assert [docs[n]["state"] for n in ("一组/第2讲.txt", "一组/第10讲.txt", "二组/第2讲.txt")] == ["skipped"] * 3
    assert (out / "一组" / "第2讲.pdf").stat().st_mtime_ns == before

    # A deleted output is redone, and only that document.
    (out / "一组" / "第10讲.docx").unlink()
    r = run("batch", str(lectures), "-o", str(out), "--to", "docx,pdf")
    docs = manifest(out)
    assert docs["一组/第10讲.txt"]["state"] == "done" and (out / "一组" / "第10讲.docx").is_file()
    assert docs["一组/第2讲.txt"]["state"] == "skipped"

    # A changed output is redone too.
    (out / "一组" / "第2讲.pdf").write_bytes(b"%PDF-1.4 edited by hand")
    run("batch", str(lectures), "-o", str(out), "--to", "docx,pdf")
    assert manifest(out)["一组/第2讲.txt"]["state"] == "done"

    # A moved output folder is still up to date (its manifest names no absolute path).
    moved = tmp_path / "moved"
    out.rename(moved)
    run("batch", str(lectures), "-o", str(moved), "--to", "docx,pdf")
    assert manifest(moved)["一组/第2讲.txt"]["state"] == "skipped"
    out = moved

    # --force redoes everything.
    run("batch", str(lectures), "-o", str(out), "--to", "docx,pdf", "--force")
    assert all(d["state"] in ("done", "failed") for d in manifest(out).values())


def test_print_file_each_document_on_an_odd_page(lectures, tmp_path):
    out, printed = tmp_path / "out", tmp_path / "print.pdf"
    r = run("batch", str(lectures / "一组"), str(lectures / "二组" / "第2讲.txt"), "-o", str(out), "--to", "docx",
            "--print", str(printed))
    assert r.returncode == 0, r.stderr.decode()
    reader = pypdf.PdfReader(printed)
    assert len(reader.pages) == 3 * 8  # three 7-page documents, each padded to an even count
    tops = [item for item in reader.outline if not isinstance(item, list)]
    assert len(tops) == 3
    starts = [reader.get_destination_page_number(t) for t in tops]
    assert starts == [0, 8, 16] and all(s % 2 == 0 for s in starts)  # 0-based even = odd page number
    children = [item for item in reader.outline if isinstance(item, list)]
    # each document's own headings under it: 一、 and 二、, each with its subsections
    assert [[i.title[:2] for i in c if not isinstance(i, list)] for c in children] == [["一、", "二、"]] * 3
    assert "— 1 —" in reader.pages[8].extract_text()  # page numbers restart per document


def test_booklet_is_a3_landscape_in_booklet_order(lectures, tmp_path):
    printed = tmp_path / "booklet.pdf"
    r = run("batch", str(lectures / "一组" / "第2讲.txt"), "-o", str(tmp_path / "out"), "--to", "pdf",
            "--print", str(printed), "--booklet")
    assert r.returncode == 0, r.stderr.decode()
    reader = pypdf.PdfReader(printed)
    assert len(reader.pages) == 4  # 7 pages padded to 8: two sheets, two sides each
    for page in reader.pages:
        assert round(float(page.mediabox.width)) == 1191 and round(float(page.mediabox.height)) == 842
    numbers = []
    for page in reader.pages:
        text = page.extract_text()
        numbers.append(sorted(int(n) for n in __import__("re").findall(r"— (\d) —", text)))
    assert numbers == [[1], [2, 7], [3, 6], [4, 5]]  # 8 is blank, then folded order


def test_booklet_order_pads_to_four():
    assert booklet_order(1) == [(None, 0), (None, None)]
    assert booklet_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    assert booklet_order(5)[:2] == [(None, 0), (1, None)]


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _cpu_seconds(pid: int) -> float:
    """CPU time a process has used (user + system), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_killed_worker_fails_only_its_document_which_is_retried(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    big = EXAMPLE.decode("utf-8")
    paragraphs = [line for line in big.splitlines() if len(line) > 60]
    # A lecture of about a thousand pages: the worker is busy for seconds.
    big = big + "\n" + "\n".join(paragraphs * 100)
    (src / "long.txt").write_text(big, encoding="utf-8")
    (src / "short.txt").write_bytes(EXAMPLE)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "converter", "batch", str(src), "-o", str(out), "--to", "pdf",
                             "--jobs", "1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    killed = None
    deadline = time.time() + 60
    while time.time() < deadline and killed is None:
        workers = _children(proc.pid)
        if workers and _cpu_seconds(workers[0]) >= 1.5:
            # Past its start-up (imports, fonts: well under a second of CPU)
            # and into the long lecture, however fast or busy the machine is.
            os.kill(workers[0], signal.SIGKILL)
            killed = workers[0]
        time.sleep(0.05)
    _, err = proc.communicate(timeout=300)
    assert killed is not None, "no worker process seen"
    assert proc.returncode == 0, err.decode()
    docs = manifest(out)
    assert {d["state"] for d in docs.values()} == {"done"}
    assert docs["long.txt"]["attempts"] == 2
    leftovers = [p.name for p in out.rglob("*") if p.name.endswith(".converter-tmp")]
    assert leftovers == []
    assert pypdf.PdfReader(out / "long.pdf").pages  # a whole file


def test_batch_usage_errors(tmp_path):
    r = run("batch", str(tmp_path / "missing"), "-o", str(tmp_path / "out"))
    assert r.returncode == 66 and b"no such file or folder" in r.stderr
    r = run("batch", str(REPO / "examples" / "lecture.txt"), "-o", str(tmp_path / "out"), "--booklet")
    assert r.returncode == 2 and b"--print" in r.stderr


def test_folder_order_reads_numbers_in_digits_and_chinese_numerals(tmp_path):
    """The print file follows the lectures' numbers: 第二讲 before 第十讲,
    第2讲 before 第10讲, 二〇二四年 before 二〇二五年."""
    from converter.batch import discover

    names = ["第十讲.txt", "第二讲.txt", "第一讲.txt", "第十一讲.txt", "第10讲.txt", "第2讲.txt",
             "二〇二五年总结.txt", "二〇二四年总结.txt"]
    for name in names:
        (tmp_path / name).write_bytes(EXAMPLE)
    found = [item.rel.name for item in discover([str(tmp_path)], tmp_path / "out")]
    assert found == ["二〇二四年总结.txt", "二〇二五年总结.txt", "第一讲.txt", "第2讲.txt", "第二讲.txt",
                     "第10讲.txt", "第十讲.txt", "第十一讲.txt"]


def test_sigterm_stops_a_batch_like_ctrl_c(tmp_path):
    """systemd, docker stop, timeout: the batch exits 143 within seconds,
    kills its workers (nothing left in its session), leaves no half-written
    file, and a rerun finishes the work (issue 15 item 4)."""
    src = tmp_path / "in"
    src.mkdir()
    for i in range(8):
        (src / f"l{i}.txt").write_bytes(EXAMPLE)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "converter", "batch", str(src), "-o", str(out), "--jobs", "2", "-q"],
                            env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(out.glob("*.pdf")) and time.monotonic() < deadline:  # the workers are busy
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    stopped = time.monotonic()
    proc.wait(timeout=15)
    assert proc.returncode == 143 and b"Traceback" not in proc.stderr.read()
    assert time.monotonic() - stopped < 15  # seconds, not a conversion's whole length
    time.sleep(0.3)
    left = subprocess.run(["ps", "-o", "pid=", "-s", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert left == [], f"processes left behind: {left}"
    assert [p.name for p in out.rglob("*") if ".tmp" in p.name] == []
    r = run("batch", str(src), "-o", str(out), "--jobs", "2", "-q")
    assert r.returncode == 0
    assert all(d["state"] in ("done", "skipped") for d in manifest(out).values()) and len(manifest(out)) == 8
