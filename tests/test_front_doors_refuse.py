"""Every front door refuses the same bad outline the same way (issue 13).

An edited outline is read where every front door reads outlines
(outline_json, outline_md, through convert.read_outline), so `converter
convert`, `converter batch`, the service (POST /v1/convert and /v1/jobs) and
a Celery worker (through `converter batch --broker` and `converter serve
--broker`) all refuse it with one error: the same class
(OutlineFormatError), so the same exit code (65; a batch says 1 and lists
the file), HTTP status (422) and code (bad_outline), and the same message.
Three bad outlines: JSON with U+0001 in a block (before, `converter convert`
wrote a .pptx python-pptx could not open again), Markdown with it, and JSON
missing a required key.  Nothing is left behind: no output file, no temp
file.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from service_server import Server
from test_distributed import cluster, redis_url  # noqa: F401  (fixtures: a Redis and `converter worker`s)

from converter import outline_json, outline_md
from converter.convert import Overrides, read_outline
from converter.errors import EXIT_DATAERR, EXIT_SOME_FAILED, OutlineFormatError
from converter.model import Heading, Outline, Paragraph, Salutation
from converter.service.errors import code_for, message_for, status_for

REPO = Path(__file__).resolve().parent.parent

GOOD = Outline("关于加强学习的讲话", (Salutation("同志们："), Heading(1, "一、提高认识"), Paragraph("学习是立身之本。")))
GOOD_DICT = outline_json.to_dict(GOOD)


def _json(blocks: list[dict]) -> dict:
    return {**GOOD_DICT, "blocks": blocks}


CONTROL_JSON = _json([*GOOD_DICT["blocks"][:2], {"type": "paragraph", "text": "学习是\u0001立身之本。"}])
MISSING_KEY_JSON = _json([*GOOD_DICT["blocks"][:1], {"type": "heading", "text": "一、提高认识"},
                          *GOOD_DICT["blocks"][2:]])
CONTROL_MD = outline_md.dumps(GOOD).replace("学习是立身之本。", "学习是\u0001立身之本。")
MD_LINE = CONTROL_MD.split("\n").index("学习是\u0001立身之本。") + 1


# name -> (file name, bytes, the outline as a JSON body or None, the one message)
CASES: dict[str, tuple[str, bytes, dict | None, str]] = {
    "json with U+0001": ("control.json", json.dumps(CONTROL_JSON, ensure_ascii=False).encode(), CONTROL_JSON,
                         "blocks[2].text contains the character U+0001, which no document can hold"),
    "markdown with U+0001": ("control.md", CONTROL_MD.encode(), None,
                             f"Markdown line {MD_LINE} contains the character U+0001, which no document can hold"),
    "json missing a key": ("missing.json", json.dumps(MISSING_KEY_JSON, ensure_ascii=False).encode(),
                           MISSING_KEY_JSON, "blocks[1].level is missing"),
}
ERROR = OutlineFormatError("x")
EXIT, STATUS, CODE = ERROR.exit_code, status_for(ERROR), code_for(ERROR)


def test_the_error_table_says_65_422_bad_outline():
    assert (EXIT, STATUS, CODE) == (EXIT_DATAERR, 422, "bad_outline")


def run(*args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "converter", *args], capture_output=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(REPO), **env})


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def write_inputs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data, _, _ in CASES.values():
        (folder / name).write_bytes(data)
    return folder


# ---------------------------------------------------------------------------
# The boundary itself (the everyday tier)


@pytest.mark.parametrize("case", CASES)
def test_the_boundary_refuses_each_with_its_message(case):
    name, data, body, message = CASES[case]
    with pytest.raises(OutlineFormatError) as caught:
        read_outline(data, source=name)
    assert str(caught.value) == message
    if body is not None:  # the service's JSON body goes through the same reader
        with pytest.raises(OutlineFormatError) as caught:
            outline_json.from_dict(body)
        assert str(caught.value) == message


def test_overrides_are_checked_as_outline_texts_are():
    good = outline_json.dumps(GOOD).encode()
    for overrides, where in ((Overrides(title="题\x01目"), "title"), (Overrides(speaker="张\x0b三"), "meta.speaker"),
                             (Overrides(date="2025\ufffe"), "meta.date")):
        with pytest.raises(OutlineFormatError, match=rf"^{where.replace('.', '[.]')} contains the character U\+"):
            read_outline(good, overrides=overrides)


def test_a_workers_error_crosses_the_queue_as_its_own_class():
    """Celery's JSON keeps an exception's type and arguments; BadInput's are
    the message and the ConverterError's class, rebuilt on the client."""
    from converter.distributed.tasks import BadInput
    from converter.errors import InputError
    from converter.theme import ThemeError

    for err in (OutlineFormatError("blocks[1].level is missing"), ThemeError("no theme named 'x'")):
        crossed = BadInput(*BadInput.of(err).args)  # what the result backend rebuilds
        assert str(crossed) == str(err)
        back = crossed.error()
        assert type(back) is type(err) and str(back) == str(err)
    for foreign in ("os:system", "builtins:ValueError", "converter.model:Heading", "converter.nothing:X"):
        back = BadInput("m", foreign).error()
        assert type(back) is InputError and str(back) == "m"


# ---------------------------------------------------------------------------
# converter convert, converter batch


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_converter_convert_refuses_with_65_and_the_message_and_writes_nothing(case, tmp_path):
    name, data, _, message = CASES[case]
    (tmp_path / name).write_bytes(data)
    out = tmp_path / "out"
    r = run("convert", str(tmp_path / name), "-o", str(out), "-q")
    assert r.returncode == EXIT
    assert r.stderr.decode() == f"converter: error: {message}\n"
    assert files_under(out) == [] and files_under(tmp_path) == [name]


@pytest.mark.slow
def test_converter_batch_lists_each_with_the_message_and_writes_nothing(tmp_path):
    inputs = write_inputs(tmp_path / "in")
    out = tmp_path / "out"
    r = run("batch", str(inputs), "-o", str(out), "--to", "docx,pptx", "--jobs", "1", "-q")
    assert r.returncode == EXIT_SOME_FAILED
    assert sorted(r.stderr.decode().splitlines()) == sorted(
        f"converter: error: {name}: {message}" for name, _, _, message in CASES.values())
    docs = {d["input"]: d for d in json.loads((out / "manifest.json").read_text("utf-8"))["documents"]}
    assert {name: (d["state"], d["error"], d["outputs"]) for name, d in docs.items()} == {
        name: ("failed", message, {}) for name, _, _, message in CASES.values()}
    assert files_under(out) == ["manifest.json"]


# ---------------------------------------------------------------------------
# The service: POST /v1/convert answers 422 bad_outline; in a job the file
# fails with the same code and message (the job itself is accepted: one bad
# file never stops a job, as in a batch)


def assert_refused(r, message: str) -> None:
    assert r.status_code == STATUS, r.text[:300]
    assert r.json() == {"error": CODE, "message": message}


def job_files(client, files: list[tuple[str, bytes]], lang: str) -> tuple[list[dict], list[str]]:
    r = client.post("/v1/jobs", files=[("files", f) for f in files], data={"to": "docx,pptx"})
    assert r.status_code == 202, r.text
    job = r.json()["id"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = client.get(f"/v1/jobs/{job}", headers={"Accept-Language": lang}).json()
        if status["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert status["state"] == "failed", status
    result = client.get(f"/v1/jobs/{job}/result")
    assert result.status_code == 200
    return status["files"], zipfile.ZipFile(io.BytesIO(result.content)).namelist()


def assert_job_refused_each(client) -> None:
    uploads = [(name, data) for name, data, _, _ in CASES.values()]
    for lang in ("en", "zh"):
        files, names = job_files(client, uploads, lang)
        assert [(f["name"], f["state"], f["code"], f["error"]) for f in files] == [
            (name, "failed", CODE, message_for(OutlineFormatError(message), lang))
            for name, _, _, message in CASES.values()]
        assert names == ["manifest.json"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    srv = Server(tmp_path_factory.mktemp("refuse"))
    yield srv
    srv.stop()


on_one_server = pytest.mark.xdist_group("front_doors_refuse_server")  # (the module's server started once: one xdist worker)


@pytest.mark.slow
@on_one_server
@pytest.mark.parametrize("case", CASES)
def test_the_service_answers_422_bad_outline_with_the_message(client, case):
    name, data, body, message = CASES[case]
    english = {"Accept-Language": "en"}
    assert_refused(client.post("/v1/convert", files={"file": (name, data)}, data={"to": "pptx"}, headers=english),
                   message)
    assert_refused(client.post("/v1/convert", files={"file": (name, data)}, data={"to": "pptx"}),
                   message_for(OutlineFormatError(message), "zh"))
    assert_refused(client.post("/v1/outline", files={"file": (name, data)}, headers=english), message)
    if body is not None:
        assert_refused(client.post("/v1/convert", json={"outline": body, "to": "pptx"}, headers=english), message)


@pytest.mark.slow
@on_one_server
def test_a_service_job_fails_each_file_with_the_code_and_the_message(client):
    assert_job_refused_each(client)


# ---------------------------------------------------------------------------
# A Celery worker: the same refusal comes back through the queue


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server (apt-get install redis-server)")
def test_a_celery_worker_refuses_each_the_same_way(cluster, tmp_path):  # noqa: F811 (the fixture)
    url, store, start = cluster
    worker = start()
    inputs = write_inputs(tmp_path / "in")
    out = tmp_path / "out"
    r = run("batch", str(inputs), "-o", str(out), "--to", "docx,pptx", "--broker", url, "--results-dir", str(store),
            "-q")
    assert r.returncode == EXIT_SOME_FAILED
    assert sorted(r.stderr.decode().splitlines()) == sorted(
        f"converter: error: {name}: {message}" for name, _, _, message in CASES.values())
    docs = {d["input"]: d for d in json.loads((out / "manifest.json").read_text("utf-8"))["documents"]}
    assert {name: (d["state"], d["error"]) for name, d in docs.items()} == {
        name: ("failed", message) for name, _, _, message in CASES.values()}
    assert files_under(out) == ["manifest.json"]
    log = worker.log.read_bytes()
    assert log.count(b"raised unexpected: BadInput") == len(CASES) and b"] retry:" not in log

    queued = Server(tmp_path, broker_url=url, results_dir=store)
    try:
        with queued.client() as client:
            assert_job_refused_each(client)
    finally:
        queued.stop()
    assert worker.log.read_bytes().count(b"raised unexpected: BadInput") == 3 * len(CASES)
