"""The service's small parts alone: settings from flags and the environment,
file names and Content-Disposition, error messages in two languages, the
error table.  No server."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import unquote

import pytest
from service_server import REPO

from converter.errors import ConverterError, InputError, OutlineFormatError, UsageError
from converter.render import UnknownFormatError
from converter.service import download_names, errors, i18n
from converter.service.settings import FIELDS, Settings, parse_size

# ---------------------------------------------------------------------------
# Settings


def test_defaults_admit_40_conversions_and_keep_jobs_an_hour():
    s = Settings.from_env({})
    assert (s.queue_size, s.job_ttl, s.host, s.port) == (40, 3600.0, "127.0.0.1", 8000)
    assert s.owner_share == 20  # one owner: half the queue, at least one job of max_files
    assert s.worker_count >= 1


def test_environment_then_flags_override_defaults():
    env = {"CONVERTER_MAX_BODY_BYTES": "5M", "CONVERTER_TIME_LIMIT": "2.5", "CONVERTER_QUEUE_SIZE": "7",
           "CONVERTER_FONTS_DIR": "/x/fonts"}
    s = Settings.from_env(env, queue_size=9, max_files=9, workers=None, max_body_bytes="512k")
    assert (s.max_body_bytes, s.time_limit, s.queue_size, s.fonts_dir) == (512 * 1024, 2.5, 9, "/x/fonts")


@pytest.mark.parametrize("env, words", [
    ({"CONVERTER_PORT": "eighty"}, "CONVERTER_PORT"),
    ({"CONVERTER_MAX_BODY_BYTES": "lots"}, "CONVERTER_MAX_BODY_BYTES"),
    ({"CONVERTER_QUEUE_SIZE": "0"}, "queue_size"),
    ({"CONVERTER_TIME_LIMIT": "-1"}, "time_limit"),
    ({"CONVERTER_QUEUE_SIZE": "5"}, "max_files .20. cannot exceed queue_size .5."),
])
def test_a_bad_setting_is_refused_naming_it(env, words):
    with pytest.raises(ValueError, match=words):
        Settings.from_env(env)


def test_every_setting_has_an_environment_variable_and_a_flag():
    assert all(f.env.startswith("CONVERTER_") and f.flag for f in FIELDS)
    assert parse_size("20MB") == parse_size("20M") == 20 * 1024 * 1024 and parse_size("100") == 100


def test_converter_serve_lists_its_flags_and_refuses_a_bad_one():
    run = lambda *a: subprocess.run([sys.executable, "-m", "converter", "serve", *a], capture_output=True,
                                    text=True, cwd=REPO, timeout=60, check=False)
    helped = run("--help")
    assert helped.returncode == 0
    for f in FIELDS:
        assert f"--{f.flag}" in helped.stdout and f.env in helped.stdout
    bad = run("--max-body-bytes", "huge")
    assert bad.returncode == 2 and "--max-body-bytes" in bad.stderr and "Traceback" not in bad.stderr


# ---------------------------------------------------------------------------
# Names


@pytest.mark.parametrize("given, stem", [
    ("讲稿.txt", "讲稿"), ("../../x.txt", "x"), ("C:\\x.txt", "x"), ("a/b/第2讲.md", "第2讲"),
    ("\x00\x1f.txt", None), ("...", None), ("", None), (None, None), ("NUL.txt", "_NUL"), ("a:b*?.txt", "ab"),
    ("  空格  .txt", "空格"),
])
def test_upload_stems_keep_chinese_and_drop_paths_and_controls(given, stem):
    assert download_names.upload_stem(given) == stem


def test_duplicate_names_in_a_zip_are_numbered_ignoring_case():
    assert download_names.unique(["a.docx", "a.docx", "A.docx", "b", "b"]) == ["a.docx", "a (2).docx", "A (3).docx", "b",
                                                                     "b (2)"]


def test_content_disposition_carries_utf8_and_an_ascii_fallback():
    value = download_names.content_disposition("党课 第2讲.docx")
    assert value.startswith('attachment; filename="2.docx"; filename*=UTF-8\'\'')
    assert unquote(value.split("''", 1)[1]) == "党课 第2讲.docx"
    assert value.isascii() and '"' not in value.split("filename*=")[1]
    assert download_names.content_disposition("讲稿.pdf").split(";")[1].strip() == 'filename="lecture.pdf"'


# ---------------------------------------------------------------------------
# Errors and languages


@pytest.mark.parametrize("header, lang", [
    (None, "zh"), ("", "zh"), ("zh-CN,zh;q=0.9", "zh"), ("en-US,en;q=0.9", "en"), ("zh;q=0.5,en;q=0.6", "en"),
    ("en;q=0.5,zh;q=0.6", "zh"), ("fr,de", "zh"), ("fr,en;q=0.1", "en"), ("en;q=bad", "zh"),
])
def test_chinese_unless_english_is_preferred(header, lang):
    assert i18n.language(header) == lang


def test_the_error_table_agrees_with_each_class():
    for cls, (status, message) in errors.ERROR_TABLE.items():
        assert getattr(cls, "http_status", status) == status, cls
        assert message and not message.isascii()


@pytest.mark.parametrize("err, status, code, zh", [
    (InputError("the input is empty (it holds no text)"), 422, "bad_input", "输入是空的（没有文字）"),
    (OutlineFormatError("blocks[2].text must be a string, not int"), 422, "bad_outline", "blocks[2].text 必须是字符串"),
    (UsageError("unknown output format 'odt'; choose from docx, pdf or all"), 400, "usage",
     "未知的输出格式 odt；可选：docx, pdf"),
    (UnknownFormatError("unknown output format 'x'; known: docx"), 400, "unknown_format", "未知的输出格式 x；可选：docx"),
    (errors.TooLongError("x", chars=9, limit=5), 413, "too_long", "文档太长：有 9 个字符，上限是 5 个"),
    (errors.TimeLimitError("x", limit="1.5"), 503, "time_limit", "转换超过了 1.5 秒的时间限制，已中止；请缩短文档或稍后再试"),
    (InputError("something new"), 422, "bad_input", "输入无法作为讲稿读取：something new"),
    (ValueError("boom"), 500, "internal", "服务器内部错误"),
])
def test_each_error_answers_its_status_code_and_chinese_message(err, status, code, zh):
    assert errors.status_for(err) == status
    body = errors.error_body(err, "zh")
    assert body == {"error": code, "message": zh}
    english = errors.error_body(err, "en")["message"]
    assert english == (str(err) if isinstance(err, ConverterError) else "internal server error")


def test_service_errors_cross_the_process_boundary_with_their_details():
    import pickle

    err = errors.BusyError("busy", headers={"Retry-After": "3"}, admitted=20, retry_after=3)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is errors.BusyError and back.headers == {"Retry-After": "3"} and back.params["admitted"] == 20


# ---------------------------------------------------------------------------
# The job runner with another file converter (service/job_files.py): what
# `converter serve --broker` plugs in, here a fake, no pool process started


def test_a_job_runner_takes_any_job_file_converter(tmp_path):
    import asyncio
    import threading
    from pathlib import Path

    from converter.model import Warning
    from converter.service.job_files import ConvertedFile, FileToConvert, JobOptions
    from converter.service.jobs import InProcessRunner
    from converter.service.metrics import Metrics
    from converter.service.pool import ConversionPool
    from converter.service.request_bodies import Document

    class Fake:
        def __init__(self) -> None:
            self.seen: list[FileToConvert] = []

        async def convert_file(self, file: FileToConvert, *, started, cancel: threading.Event) -> ConvertedFile:
            self.seen.append(file)
            started()
            data = file.upload.read_bytes()
            if data.startswith(b"bad"):
                raise OutlineFormatError("blocks[0].level is missing")
            target = file.out_dir / f"{file.stem}.docx"
            target.write_bytes(b"docx:" + data)
            return ConvertedFile("题目", {"docx": str(target)}, [Warning("truncated", "cut", 3)])

    async def scenario() -> tuple[dict, int, Path]:
        pool = ConversionPool(1, 5, 10.0)
        fake = Fake()
        runner = InProcessRunner(pool, Metrics(), str(tmp_path / "jobs"), 60.0, converter=fake)
        await runner.start()
        try:
            job_id = await runner.submit([Document(b"good", "一.txt"), Document(b"bad", "二.json")],
                                         JobOptions(("docx",)))
            for _ in range(200):
                status = runner.status(job_id, "en")
                if status["state"] in ("done", "failed"):
                    break
                await asyncio.sleep(0.01)
            assert [f.name for f in fake.seen] == ["一.txt", "二.json"]
            return status, pool.admitted, runner.result(job_id)
        finally:
            await runner.close()
            pool.close()

    status, admitted, _ = asyncio.run(scenario())
    assert status["state"] == "done" and admitted == 0  # each file's room in the queue is given back
    assert status["files"] == [
        {"name": "一.txt", "state": "done", "error": None, "code": None,
         "warnings": [{"code": "truncated", "message": "cut", "line": 3, "block": None}]},
        {"name": "二.json", "state": "failed", "error": "blocks[0].level is missing", "code": "bad_outline",
         "warnings": []},
    ]
    assert status["error"] is None


def test_a_job_whose_result_cannot_be_written_fails_and_says_why(tmp_path, monkeypatch):
    """A full disk while the zip is written: the job is failed (not done),
    its status says why, its result answers 507, and no temporary zip is
    left behind (issue 15 item 5)."""
    import asyncio
    import errno
    import threading
    import zipfile

    from converter.service.errors import InsufficientStorageError
    from converter.service.job_files import ConvertedFile, FileToConvert, JobOptions
    from converter.service.jobs import InProcessRunner
    from converter.service.metrics import Metrics
    from converter.service.pool import ConversionPool
    from converter.service.request_bodies import Document

    class Fake:
        async def convert_file(self, file: FileToConvert, *, started, cancel: threading.Event) -> ConvertedFile:
            started()
            target = file.out_dir / f"{file.stem}.docx"
            target.write_bytes(b"docx")
            return ConvertedFile("题目", {"docx": str(target)})

    def full_disk(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", full_disk)

    async def scenario():
        pool = ConversionPool(1, 5, 10.0)
        runner = InProcessRunner(pool, Metrics(), str(tmp_path / "jobs"), 60.0, converter=Fake())
        await runner.start()
        try:
            job_id = await runner.submit([Document(b"good", "一.txt")], JobOptions(("docx",)))
            for _ in range(200):
                status = runner.status(job_id, "zh")
                if status["state"] in ("done", "failed"):
                    break
                await asyncio.sleep(0.01)
            with pytest.raises(InsufficientStorageError) as err:
                runner.result(job_id)
            leftovers = [p.name for p in (tmp_path / "jobs").rglob("*") if p.name.endswith(".tmp")]
            return status, err.value, leftovers
        finally:
            await runner.close()
            pool.close()

    status, err, leftovers = asyncio.run(scenario())
    assert status["state"] == "failed" and "磁盘已满" in status["error"]
    assert err.http_status == 507 and leftovers == []


def test_retry_after_is_the_time_until_there_is_room():
    """Retry-After counts the conversions that must finish before there is
    room, at the measured rate: not the time to empty the queue (it said
    6 s when the queue had room again in 1.3 s)."""
    from converter.service.pool import ConversionPool

    pool = ConversionPool(2, 10, 60.0)
    try:
        pool._avg_seconds = 0.6  # measured: 2 workers finish 3.3 conversions a second
        tickets = [pool.admit() for _ in range(10)]
        assert pool.retry_after(1) == 1  # one must finish: 0.3 s
        assert pool.retry_after(5) == 2  # five must finish: 1.5 s
        pool._avg_seconds = 6.0
        assert pool.retry_after(1) == 3 and pool.retry_after(4) == 12
        for t in tickets:
            t.release_all()
    finally:
        pool.close()
