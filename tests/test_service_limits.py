"""Limits and bad inputs, against real servers: each answered with a clear
4xx (or 429/503 with the reason), and the server healthy afterwards.

- the default server: 50 MB bodies, too many files, too many characters,
  20 concurrent conversions, bad inputs of every kind;
- a tight server (one worker, a queue of 3, a 1.5 s time limit): 429 with
  Retry-After, a conversion over the limit answered 503 and the next served;
- a server on a copy of the fonts folder: a corrupted font makes /healthz
  answer 503 naming the file; without one of the faces the theme names, a
  PDF or a deck is refused with 400 naming the face, and a .docx is made
  with a warning naming it.
"""

from __future__ import annotations

import concurrent.futures
import functools
import io
import shutil
import time
import zipfile

import httpx
import pytest
from service_server import EXAMPLE, Server

from converter.resources import resource_path

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("service_limits")]  # (its servers started once: one xdist worker)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    srv = Server(tmp_path_factory.mktemp("limits"))
    yield srv
    srv.stop()


def assert_error(r: httpx.Response, status: int, code: str, *words: str) -> None:
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["error"] == code, body
    for word in words:
        assert word in body["message"], body["message"]


def assert_healthy(server: Server) -> None:
    r = httpx.get(f"{server.url}/healthz", timeout=30)
    assert r.status_code == 200, r.text


# ---------------------------------------------------------------------------
# Sizes: body, files, characters


def test_a_50_mb_body_is_413_before_it_is_read(client, server):
    started = time.monotonic()
    r = client.post("/v1/outline", content=b"a" * (50 * 1024 * 1024), headers={"Content-Type": "text/plain"})
    assert_error(r, 413, "too_large", "20 MB")
    assert time.monotonic() - started < 10
    assert_healthy(server)


def test_a_streamed_body_without_length_is_stopped_at_the_limit(client, server):
    def chunks():
        for _ in range(25):
            yield b"a" * (1024 * 1024)

    r = client.post("/v1/outline", content=chunks(), headers={"Content-Type": "text/plain"})
    assert_error(r, 413, "too_large")
    assert_healthy(server)


def test_more_files_than_allowed_is_413(client):
    files = [("files", (f"{i}.txt", EXAMPLE)) for i in range(21)]
    assert_error(client.post("/v1/jobs", files=files), 413, "too_many_files", "20")


def test_two_files_for_one_document_is_413(client):
    files = [("file", ("a.txt", EXAMPLE)), ("file", ("b.txt", EXAMPLE))]
    assert_error(client.post("/v1/convert", files=files, data={"to": "docx"}), 413, "too_many_files")


def test_more_characters_than_allowed_is_413(client):
    long_text = "这是一句用来测试字数上限的话。" * 40_000  # 600 000 characters, 1.8 MB
    r = client.post("/v1/outline", content=long_text.encode(), headers={"Content-Type": "text/plain"})
    assert_error(r, 413, "too_long", "600000", "500000")
    r = client.post("/v1/outline", content=long_text.encode(),
                    headers={"Content-Type": "text/plain", "Accept-Language": "en"})
    assert "600000 characters" in r.json()["message"]


# ---------------------------------------------------------------------------
# Bad inputs


@functools.cache
def zip_bomb() -> bytes:
    """A .docx-looking zip whose one member inflates to 200 MB (made when a
    test first sends it: 0.9 s, not at every collection)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(200):
                member.write(block)
    return buffer.getvalue()


def made(value: object) -> object:
    """The parameters with the zip bomb (named by its maker, ``zip_bomb``) made."""
    if value is zip_bomb:
        return zip_bomb()
    if isinstance(value, dict):
        return {key: made(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(made(item) for item in value)
    return value


@pytest.mark.parametrize("label, kwargs, status, code, words", [
    ("empty text", {"content": b"", "headers": {"Content-Type": "text/plain"}}, 422, "bad_input", ["空"]),
    ("blank text", {"content": "  \n\u3000\n".encode(), "headers": {"Content-Type": "text/plain"}}, 422,
     "bad_input", ["空"]),
    ("empty file", {"files": {"file": ("a.txt", b"")}}, 422, "bad_input", ["空"]),
    ("empty json text", {"json": {"text": ""}}, 422, "bad_input", ["空"]),
    ("no body", {}, 415, "unsupported_media_type", []),
    ("binary", {"content": bytes(range(256)) * 10, "headers": {"Content-Type": "text/plain"}}, 422, "bad_input",
     ["二进制"]),
    ("pdf file", {"files": {"file": ("a.txt", b"%PDF-1.7\n...")}}, 422, "bad_input", ["PDF 文件"]),
    ("invalid utf-8", {"content": "讲稿".encode() + b"\xff\xfe\xc3\x28" + "正文".encode(),
                       "headers": {"Content-Type": "text/plain; charset=utf-8"}}, 422, "bad_input", ["UTF-8"]),
    ("unknown charset", {"content": b"abc", "headers": {"Content-Type": "text/plain; charset=klingon"}}, 422,
     "bad_input", ["klingon"]),
    ("zip bomb as text", {"content": zip_bomb, "headers": {"Content-Type": "text/plain"}}, 422, "bad_input", ["ZIP"]),
    ("zip bomb as a file", {"files": {"file": ("讲稿.docx", zip_bomb)}}, 422, "bad_input", ["ZIP"]),
    ("json not an object", {"json": ["text"]}, 422, "validation", []),
    ("json text not a string", {"json": {"text": 12}}, 422, "validation", ["text"]),
    ("invalid json", {"content": b'{"text": "\xff"}', "headers": {"Content-Type": "application/json"}}, 400,
     "bad_request", ["JSON"]),
])
def test_bad_inputs_to_outline_are_clear_4xx(client, server, label, kwargs, status, code, words):
    assert_error(client.post("/v1/outline", **made(kwargs)), status, code, *words)


def outline_with(**changes: object) -> dict:
    outline = {"schema": "converter.outline/1", "title": "题目", "meta": {}, "warnings": [],
               "blocks": [{"type": "heading", "level": 1, "text": "一、标题"}, {"type": "paragraph", "text": "正文。"}]}
    outline.update(changes)
    return outline


@pytest.mark.parametrize("outline, where", [
    (outline_with(blocks=[{"type": "heading", "level": "1", "text": "x"}]), "blocks[0].level"),
    (outline_with(blocks=[{"type": "heading", "level": 9, "text": "x"}]), "blocks[0].level"),
    (outline_with(blocks=[{"type": "paragraph", "text": ["x"]}]), "blocks[0].text"),
    (outline_with(blocks=[{"type": "paragraph", "text": "x", "role": "boss"}]), "blocks[0].role"),
    (outline_with(blocks=[{"type": "table", "text": "x"}]), "blocks[0].type"),
    (outline_with(blocks="x"), "blocks"),
    (outline_with(title=3), "title"),
    (outline_with(truncated="yes"), "truncated"),
    (outline_with(meta="x"), "meta"),
    (outline_with(meta={"speaker": 5}), "meta.speaker"),
    (outline_with(warnings=[{"code": "x", "line": "2"}]), "warnings[0].line"),
    (outline_with(schema="converter.outline/2"), "schema"),
    (outline_with(blocks=[{"type": "paragraph", "text": "a\u0001b"}]), "blocks[0].text"),
    ("not an object", "对象"),
])
def test_outline_json_with_wrong_types_is_422_naming_the_key(client, outline, where):
    r = client.post("/v1/convert", json={"outline": outline, "to": "docx"})
    assert_error(r, 422, "bad_outline", where)


def test_an_outline_file_with_wrong_types_is_422(client):
    data = b'{"schema": "converter.outline/1", "title": "t", "blocks": [{"type": "heading", "level": true, "text": "x"}]}'
    assert_error(client.post("/v1/convert", files={"file": ("o.json", data)}, data={"to": "docx"}), 422,
                 "bad_outline", "blocks[0].level")


def test_the_server_is_healthy_after_the_bad_inputs(server):
    assert_healthy(server)


# ---------------------------------------------------------------------------
# Concurrency


def test_20_concurrent_conversions_all_succeed_and_the_server_stays_healthy(server):
    def convert(i: int) -> httpx.Response:
        with server.client(timeout=120) as c:
            return c.post("/v1/convert", files={"file": (f"{i}.txt", EXAMPLE)}, data={"to": "docx,pdf"})

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(convert, range(20)))
    assert [r.status_code for r in answers] == [200] * 20, [r.text for r in answers if r.status_code != 200]
    for i, r in enumerate(answers):
        assert sorted(zipfile.ZipFile(io.BytesIO(r.content)).namelist()) == [f"{i}.docx", f"{i}.pdf"]
    assert_healthy(server)
    metrics = httpx.get(f"{server.url}/metrics").text
    assert "converter_queue_depth 0.0" in metrics and "converter_conversions_running 0.0" in metrics


# ---------------------------------------------------------------------------
# A tight server: the queue and the time limit


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory):
    srv = Server(tmp_path_factory.mktemp("tight"), workers=1, queue_size=3, max_files=3, time_limit=1.5)
    yield srv
    srv.stop()


def test_a_full_queue_is_429_with_retry_after(tight):
    def convert(_: int) -> httpx.Response:
        with tight.client(timeout=60) as c:
            return c.post("/v1/convert", files={"file": ("a.txt", EXAMPLE)}, data={"to": "pdf"})

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(convert, range(8)))
    statuses = sorted(r.status_code for r in answers)
    assert 200 in statuses and 429 in statuses and set(statuses) <= {200, 429}, statuses
    busy = next(r for r in answers if r.status_code == 429)
    assert_error(busy, 429, "busy", "秒后再试")
    assert int(busy.headers["retry-after"]) >= 1
    assert_healthy(tight)


def test_a_conversion_over_the_time_limit_is_503_and_the_next_is_served_at_once(tight):
    huge = EXAMPLE * 100  # 390 000 characters: its PDF (700 pages) takes several seconds
    with tight.client(timeout=60) as c:
        started = time.monotonic()
        r = c.post("/v1/convert", files={"file": ("huge.txt", huge)}, data={"to": "pdf"})
        assert_error(r, 503, "time_limit", "1.5 秒")
        assert time.monotonic() - started < 4
        started = time.monotonic()
        nxt = c.post("/v1/convert", files={"file": ("small.txt", EXAMPLE)}, data={"to": "docx"})
        assert nxt.status_code == 200
        assert time.monotonic() - started < 1.0  # the killed process freed its slot at once
        english = c.post("/v1/convert", files={"file": ("huge.txt", huge)}, data={"to": "pdf"},
                         headers={"Accept-Language": "en"})
        assert_error(english, 503, "time_limit", "time limit of 1.5 s")
    metrics = httpx.get(f"{tight.url}/metrics").text
    assert 'converter_conversions_total{format="pdf",outcome="time_limit"} 2.0' in metrics
    assert "converter_conversions_running 0.0" in metrics
    assert_healthy(tight)


# ---------------------------------------------------------------------------
# Health: a font that cannot be read


def test_an_unreadable_font_makes_healthz_503_naming_it(tmp_path):
    fonts = tmp_path / "fonts"
    shutil.copytree(resource_path("fonts"), fonts)
    srv = Server(tmp_path, fonts_dir=fonts)
    try:
        assert_healthy(srv)
        victim = fonts / "ConverterHei.ttf"
        good = victim.read_bytes()
        victim.write_bytes(b"this is not a font" * 100)
        r = httpx.get(f"{srv.url}/healthz", timeout=30)
        assert_error(r, 503, "unhealthy", "ConverterHei.ttf", "字体")
        assert "ConverterHei.ttf" in r.json()["checks"]["fonts"]
        assert r.json()["checks"]["pool"] == "ok" and r.json()["checks"]["templates"] == "ok"
        r = httpx.get(f"{srv.url}/healthz", headers={"Accept-Language": "en"}, timeout=30)
        assert "fonts: ConverterHei.ttf: not a readable TrueType font" in r.json()["message"]
        victim.write_bytes(good)
        assert_healthy(srv)
    finally:
        srv.stop()


def test_a_server_started_with_a_broken_font_reports_it(tmp_path):
    fonts = tmp_path / "fonts"
    shutil.copytree(resource_path("fonts"), fonts)
    (fonts / "ConverterKai.ttf").write_bytes(b"")
    srv = Server(tmp_path, healthy=False, fonts_dir=fonts)
    try:
        r = httpx.get(f"{srv.url}/healthz", timeout=30)
        assert_error(r, 503, "unhealthy", "ConverterKai.ttf")
    finally:
        srv.stop()


def test_a_face_the_server_lacks_is_400_for_pdf_and_pptx_and_a_warning_for_docx(tmp_path):
    fonts = tmp_path / "fonts"
    shutil.copytree(resource_path("fonts"), fonts)
    (fonts / "ConverterKai.ttf").unlink()  # the official theme's 楷体_GB2312 (bylines, heading 2, the deck's quotes)
    srv = Server(tmp_path, healthy=False, fonts_dir=fonts)
    try:
        with srv.client() as client:
            for fmt in ("pdf", "pptx"):
                r = client.post("/v1/convert", files={"file": ("讲稿.txt", EXAMPLE)}, data={"to": fmt})
                assert_error(r, 400, "missing_font", "楷体_GB2312")
                assert r.json()["message"].startswith("本机没有字体 楷体_GB2312 的字体文件（主题 official 的 ")
                english = client.post("/v1/convert", files={"file": ("讲稿.txt", EXAMPLE)}, data={"to": fmt},
                                      headers={"Accept-Language": "en"})
                assert_error(english, 400, "missing_font", "no font file for the face", "楷体_GB2312", "install")
            r = client.post("/v1/convert", files={"file": ("讲稿.txt", EXAMPLE)}, data={"to": "docx"})
            assert r.status_code == 200 and r.content.startswith(b"PK")
            outline = client.post("/v1/outline", content=EXAMPLE, headers={"Content-Type": "text/plain; charset=utf-8"})
            assert int(r.headers["x-converter-warnings"]) == len(outline.json()["warnings"]) + 1
            # A job lists the warning, naming the face.
            job = client.post("/v1/jobs", files=[("files", ("讲稿.txt", EXAMPLE))], data={"to": "docx"}).json()["id"]
            deadline = time.monotonic() + 60
            while (status := client.get(f"/v1/jobs/{job}").json())["state"] not in ("done", "failed"):
                assert time.monotonic() < deadline
                time.sleep(0.1)
            [warning] = [w for w in status["files"][0]["warnings"] if w["code"] == "missing_font"]
            assert "楷体_GB2312" in warning["message"]
            health = httpx.get(f"{srv.url}/healthz", timeout=30)
            assert health.status_code == 503 and "楷体_GB2312" in health.json()["checks"]["fonts"]
    finally:
        srv.stop()
