"""The HTTP API against a real `converter serve` on 127.0.0.1: every route,
the files it hands out (opened with python-docx, pypdf, python-pptx), names
in Content-Disposition, the job lifecycle, errors as JSON in Chinese or
English, metrics and the request log."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote

import docx
import pypdf
import pytest
from service_server import EXAMPLE, Server

from converter import __version__
from converter.render import RENDERERS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("service_api")]  # (one server for the module: one xdist worker)

TITLE = "党课：淬炼作风之剑，锻造组工精兵，为新时代组织工作高质量发展注入澎湃动能"
MARKER = "独一无二的测试标记文字"  # must never reach the log


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("service")
    srv = Server(work, job_ttl=3, results_dir=work / "results")
    yield srv
    srv.stop()


def filename_of(response) -> tuple[str, str]:
    """(the UTF-8 filename*, the ASCII fallback) of a Content-Disposition."""
    value = response.headers["content-disposition"]
    assert value.startswith("attachment;")
    star = value.split("filename*=UTF-8''", 1)[1].split(";")[0]
    plain = value.split('filename="', 1)[1].split('"')[0]
    assert plain.isascii() and "/" not in plain and "\\" not in plain
    return unquote(star), plain


def open_file(fmt: str, data: bytes):
    if fmt == "docx":
        return docx.Document(io.BytesIO(data))
    if fmt == "pdf":
        reader = pypdf.PdfReader(io.BytesIO(data))
        assert len(reader.pages) >= 1
        return reader
    if fmt == "pptx":
        import pptx

        deck = pptx.Presentation(io.BytesIO(data))
        assert len(deck.slides) >= 1
        return deck
    raise AssertionError(f"no opener for {fmt}")


def headings_of(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]


# ---------------------------------------------------------------------------
# Operations


def test_version(client):
    r = client.get("/version")
    assert r.status_code == 200 and r.json() == {"version": __version__}


def test_healthz_names_each_check(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "checks": {"fonts": "ok", "templates": "ok", "pool": "ok", "load": "ok",
                                                   "disk": "ok"}}


def test_every_answer_carries_a_request_id_and_echoes_a_given_one(client):
    assert len(client.get("/version").headers["x-request-id"]) >= 16
    assert client.get("/version", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
    # A header that is not a sane token is replaced, not echoed.
    assert client.get("/version", headers={"X-Request-ID": "x" * 300}).headers["x-request-id"] != "x" * 300


def test_openapi_schema_lists_every_route_and_body(client):
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    assert set(paths) >= {"/v1/outline", "/v1/convert", "/v1/jobs", "/v1/jobs/{job_id}", "/v1/jobs/{job_id}/result",
                          "/healthz", "/version", "/metrics", "/"}
    assert set(paths["/v1/outline"]["post"]["requestBody"]["content"]) == {
        "text/plain", "application/json", "multipart/form-data"}
    assert set(paths["/v1/convert"]["post"]["requestBody"]["content"]) == {"multipart/form-data", "application/json"}
    jobs = paths["/v1/jobs"]["post"]
    assert jobs["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["files"]["type"] == "array"
    assert "202" in jobs["responses"] and "429" in jobs["responses"]
    assert {"get", "delete"} <= set(paths["/v1/jobs/{job_id}"])
    for code in ("404", "410"):
        assert code in paths["/v1/jobs/{job_id}"]["get"]["responses"]


def test_metrics_count_requests_conversions_durations_and_queue(client):
    client.post("/v1/convert", files={"file": ("m.txt", EXAMPLE)}, data={"to": "docx"})
    client.post("/v1/outline", content=b"", headers={"Content-Type": "text/plain"})
    text = client.get("/metrics").text
    assert 'converter_http_requests_total{method="POST",route="/v1/convert",status="200"}' in text
    assert 'converter_conversions_total{format="docx",outcome="ok"}' in text
    assert 'converter_conversions_total{format="outline",outcome="bad_input"}' in text
    assert 'converter_conversion_duration_seconds_bucket{format="docx"' in text
    assert "converter_queue_depth " in text and "converter_conversions_running " in text
    assert 'converter_http_request_duration_seconds_bucket{le="0.3",route="/v1/convert"}' in text


# ---------------------------------------------------------------------------
# POST /v1/outline


def check_example_outline(outline: dict) -> None:
    assert outline["schema"] == "converter.outline/1"
    assert outline["title"] == TITLE and outline["truncated"] is True
    levels = [b["level"] for b in outline["blocks"] if b["type"] == "heading"]
    assert levels.count(1) == 2 and levels.count(2) == 6
    assert any(w["code"] == "truncated" for w in outline["warnings"])


def test_outline_from_text_plain(client):
    r = client.post("/v1/outline", content=EXAMPLE, headers={"Content-Type": "text/plain; charset=utf-8"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    check_example_outline(r.json())


def test_outline_from_json_text(client):
    r = client.post("/v1/outline", json={"text": EXAMPLE.decode("utf-8")})
    assert r.status_code == 200
    check_example_outline(r.json())


def test_outline_from_a_gb18030_file_keeps_its_name_as_source(client):
    data = EXAMPLE.decode("utf-8").encode("gb18030")
    r = client.post("/v1/outline", files={"file": ("../上级/党课讲稿.txt", data, "text/plain")})
    assert r.status_code == 200
    outline = r.json()
    check_example_outline(outline)
    assert outline["meta"]["source"] == "党课讲稿.txt"


def test_outline_from_a_multipart_text_field(client):
    r = client.post("/v1/outline", data={"text": EXAMPLE.decode("utf-8")})
    assert r.status_code == 200
    check_example_outline(r.json())


# ---------------------------------------------------------------------------
# POST /v1/convert


def test_one_format_answers_that_file_named_after_the_upload(client):
    r = client.post("/v1/convert", files={"file": ("党课讲稿.txt", EXAMPLE)}, data={"to": "docx"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    name, fallback = filename_of(r)
    assert name == "党课讲稿.docx" and fallback.endswith(".docx")
    document = open_file("docx", r.content)
    assert [level for level, _ in headings_of(document)].count("Heading 1") == 2


def test_utf16_without_a_byte_order_mark_is_read(client):
    r = client.post("/v1/outline", content=EXAMPLE.decode("utf-8").encode("utf-16-le"),
                    headers={"Content-Type": "text/plain"})
    assert r.status_code == 200, r.text
    check_example_outline(r.json())


def test_pasted_text_is_named_after_its_title(client):
    r = client.post("/v1/convert", data={"text": EXAMPLE.decode("utf-8"), "to": "pdf"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    name, fallback = filename_of(r)
    assert name == f"{TITLE}.pdf"
    assert fallback == "lecture.pdf"  # nothing ASCII in the title
    reader = open_file("pdf", r.content)
    assert len(reader.pages) > 3


def test_all_formats_answer_a_zip_whose_files_open(client):
    r = client.post("/v1/convert", files={"file": ("讲稿.txt", EXAMPLE)})  # `to` defaults to all
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert filename_of(r)[0] == "讲稿.zip"
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    assert sorted(archive.namelist()) == sorted(f"讲稿.{fmt}" for fmt in RENDERERS)
    assert {"docx", "pdf"} <= set(RENDERERS)
    for fmt in RENDERERS:
        open_file(fmt, archive.read(f"讲稿.{fmt}"))


def test_a_comma_list_answers_a_zip_of_those_formats(client):
    r = client.post("/v1/convert", files={"file": ("讲稿.txt", EXAMPLE)}, data={"to": "pdf, docx"})
    assert r.status_code == 200
    assert sorted(zipfile.ZipFile(io.BytesIO(r.content)).namelist()) == ["讲稿.docx", "讲稿.pdf"]


@pytest.mark.parametrize("name, stem", [
    ("../../x.txt", "x"), ("C:\\x.txt", "x"), ("C:\\Users\\王\\第2讲.txt", "第2讲"),
    ("a\x00b\x1f.txt", "ab"), ("con.txt", "_con"), ("..txt", "txt"), ("/", None), ("...", None),
    ("讲稿\u202excod.exe.txt", "讲稿xcod.exe"), ("讲\u200b稿\u2066.txt", "讲稿"),  # bidi overrides and zero-width marks
])
def test_path_like_and_odd_upload_names_are_sanitised(client, name, stem):
    # Built by hand: httpx would percent-encode the control characters.
    boundary = "b0undary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="to"\r\n\r\ndocx\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/plain\r\n\r\n").encode() + EXAMPLE + f"\r\n--{boundary}--\r\n".encode()
    r = client.post("/v1/convert", content=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 200
    got, _ = filename_of(r)
    assert got == f"{stem or TITLE}.docx"
    assert "/" not in got and "\\" not in got and not any(ord(c) < 32 for c in got)


def test_overrides_title_speaker_and_date(client):
    r = client.post("/v1/convert", files={"file": ("a.txt", EXAMPLE)},
                    data={"to": "docx", "title": "新的标题", "speaker": "张三", "date": "2024年7月1日"})
    assert r.status_code == 200
    document = open_file("docx", r.content)
    assert document.core_properties.title == "新的标题" and document.core_properties.author == "张三"
    assert document.paragraphs[0].text.replace("\n", "") == "新的标题"


def test_an_edited_outline_posted_as_json_is_converted_as_edited(client):
    outline = client.post("/v1/outline", content=EXAMPLE, headers={"Content-Type": "text/plain"}).json()
    subsections = [i for i, b in enumerate(outline["blocks"]) if b["type"] == "heading" and b["level"] == 2]
    outline["blocks"][subsections[2]]["level"] = 1  # （三） becomes a part of its own
    outline["title"] = "改过的标题"
    r = client.post("/v1/convert", json={"outline": outline, "to": ["docx"], "theme": "handout"})
    assert r.status_code == 200, r.text
    assert filename_of(r)[0] == "改过的标题.docx"
    heads = headings_of(open_file("docx", r.content))
    assert [h for h, _ in heads].count("Heading 1") == 3 and [h for h, _ in heads].count("Heading 2") == 5
    assert heads[3] == ("Heading 1", outline["blocks"][subsections[2]]["text"])


NOTE = "（原文至此不完整）"  # the theme's note ending a truncated text (the example is cut off)


def last_paragraph(data: bytes) -> str:
    return [p.text for p in open_file("docx", data).paragraphs if p.text.strip()][-1]


def test_truncation_note_on_by_default_and_off_on_request(client):
    on = client.post("/v1/convert", files={"file": ("a.txt", EXAMPLE)}, data={"to": "docx"})
    off = client.post("/v1/convert", files={"file": ("a.txt", EXAMPLE)}, data={"to": "docx", "truncation_note": "false"})
    assert on.status_code == 200 and off.status_code == 200
    assert last_paragraph(on.content) == NOTE and NOTE not in last_paragraph(off.content)
    outline = client.post("/v1/outline", content=EXAMPLE, headers={"Content-Type": "text/plain"}).json()
    for value, want in ((False, False), ("false", False), (True, True), (None, True)):
        r = client.post("/v1/convert", json={"outline": outline, "to": "docx", "truncation_note": value})
        assert r.status_code == 200, r.text
        assert (last_paragraph(r.content) == NOTE) is want, value
    bad = client.post("/v1/convert", files={"file": ("a.txt", EXAMPLE)}, data={"to": "docx", "truncation_note": "maybe"})
    assert bad.status_code == 422 and bad.json()["error"] == "validation", bad.json()


def test_a_job_passes_the_truncation_note_choice_on(client):
    r = client.post("/v1/jobs", files=[("files", ("a.txt", EXAMPLE))], data={"to": "docx", "truncation_note": "false"})
    job_id = r.json()["id"]
    assert wait_for(client, job_id)["state"] == "done"
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/v1/jobs/{job_id}/result").content))
    assert NOTE not in last_paragraph(archive.read("a.docx"))


def test_an_outline_file_is_converted_and_named_after_it(client):
    outline = client.post("/v1/outline", content=EXAMPLE, headers={"Content-Type": "text/plain"}).json()
    data = json.dumps(outline, ensure_ascii=False).encode("utf-8")
    r = client.post("/v1/convert", files={"file": ("第3讲.outline.json", data)}, data={"to": "docx"})
    assert r.status_code == 200
    assert filename_of(r)[0] == "第3讲.outline.docx"


# ---------------------------------------------------------------------------
# Errors: JSON, a stable code, Chinese unless English is preferred


def test_errors_are_json_in_chinese_by_default_and_english_on_request(client):
    r = client.post("/v1/outline", content=b"   \n", headers={"Content-Type": "text/plain"})
    assert r.status_code == 422
    assert r.json() == {"error": "bad_input", "message": "输入是空的（没有文字）"}
    r = client.post("/v1/outline", content=b"   \n",
                    headers={"Content-Type": "text/plain", "Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"})
    assert r.json() == {"error": "bad_input", "message": "the input is empty (it holds no text)"}


@pytest.mark.parametrize("method, path, kwargs, status, code", [
    ("post", "/v1/convert", {"files": {"file": ("a.txt", EXAMPLE)}, "data": {"to": "odt"}}, 400, "usage"),
    ("post", "/v1/convert", {"files": {"file": ("a.txt", EXAMPLE)}, "data": {"theme": "../../etc/passwd"}}, 400,
     "unknown_theme"),
    ("post", "/v1/convert", {"data": {"to": "docx"}}, 400, "bad_request"),
    ("post", "/v1/convert", {"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 400,
     "bad_request"),
    ("post", "/v1/convert", {"content": b"x", "headers": {"Content-Type": "multipart/form-data"}}, 400, "bad_request"),
    ("get", "/v1/jobs/0123456789abcdef0123456789abcdef", {}, 404, "not_found"),
    ("get", "/v1/jobs/..%2F..%2Fetc", {}, 404, "not_found"),
    ("delete", "/v1/jobs/nope", {}, 404, "not_found"),
    ("get", "/no/such/page", {}, 404, "not_found"),
    ("get", "/v1/convert", {}, 405, "method_not_allowed"),
    ("post", "/v1/convert", {"content": EXAMPLE, "headers": {"Content-Type": "text/plain"}}, 415,
     "unsupported_media_type"),
    ("post", "/v1/outline", {"content": EXAMPLE, "headers": {"Content-Type": "application/pdf"}}, 415,
     "unsupported_media_type"),
    ("post", "/v1/outline", {"content": b"\x89PNG\r\n\x1a\n\x00\x00", "headers": {"Content-Type": "text/plain"}}, 422,
     "bad_input"),
    ("post", "/v1/convert", {"json": {"outline": {"schema": "converter.outline/1", "blocks": "x"}}}, 422,
     "bad_outline"),
    ("post", "/v1/jobs", {"data": {"to": "docx"}}, 400, "bad_request"),
    ("post", "/v1/jobs", {"files": {"files": ("a.txt", EXAMPLE)}, "data": {"print": "perhaps"}}, 422, "validation"),
    # Inputs a user can type that used to answer 500 (issue 15 item 3).
    ("post", "/v1/convert", {"content": b'{"outline": ' + b"[" * 10000 + b"]" * 10000 + b"}",
                             "headers": {"Content-Type": "application/json"}}, 400, "bad_request"),
    ("post", "/v1/convert", {"files": {"file": ("a.md", b"---\nschema: converter.outline/1\nmeta: " + b"[" * 10000
                                                 + b"]" * 10000 + b"\n---\n\xe6\xad\xa3\xe6\x96\x87\n")}}, 422, "bad_outline"),
    ("post", "/v1/outline", {"content": EXAMPLE, "headers": {"Content-Type": "text/plain; charset=rot13"}}, 422,
     "bad_input"),
    ("post", "/v1/outline", {"content": EXAMPLE, "headers": {"Content-Type": "text/plain; charset=base64"}}, 422,
     "bad_input"),
])
def test_each_error_has_its_status_and_code(client, method, path, kwargs, status, code):
    r = getattr(client, method)(path, **kwargs)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"] == code and isinstance(body["message"], str) and body["message"]
    assert set(body) == {"error", "message"}


# ---------------------------------------------------------------------------
# Jobs


def wait_for(client, job_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(f"/v1/jobs/{job_id}").json()
        assert 0 <= status["progress"] <= 1
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def test_job_lifecycle_with_a_bad_file_duplicate_names_and_a_print_file(client, server):
    files = [("files", ("讲稿.txt", EXAMPLE)), ("files", ("一组/讲稿.txt", EXAMPLE)),
             ("files", ("../../x.txt", EXAMPLE)), ("files", ("图片.txt", b"\x89PNG\r\n\x1a\nxxxx"))]
    r = client.post("/v1/jobs", files=files, data={"to": "docx", "print": "true"})
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    assert r.json() == {"id": job_id} and r.headers["location"] == f"/v1/jobs/{job_id}"
    status = wait_for(client, job_id)
    assert status["state"] == "done" and status["progress"] == 1 and status["id"] == job_id
    assert [f["name"] for f in status["files"]] == ["讲稿.txt", "讲稿.txt", "x.txt", "图片.txt"]
    assert [f["state"] for f in status["files"]] == ["done", "done", "done", "failed"]
    assert "PNG 图片" in status["files"][3]["error"]
    assert any(w["code"] == "truncated" for w in status["files"][0]["warnings"])

    result = client.get(f"/v1/jobs/{job_id}/result")
    assert result.status_code == 200 and result.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(result.content))
    names = archive.namelist()
    # print implies pdf; names are unique inside the zip
    assert sorted(names) == sorted(["讲稿.docx", "讲稿.pdf", "讲稿 (2).docx", "讲稿 (2).pdf", "x.docx", "x.pdf",
                                    "print.pdf", "manifest.json"])
    for name in names:
        if not name.endswith(".json"):
            open_file(name.rsplit(".", 1)[1], archive.read(name))
    printed = pypdf.PdfReader(io.BytesIO(archive.read("print.pdf")))
    single = len(pypdf.PdfReader(io.BytesIO(archive.read("x.pdf"))).pages)
    assert len(printed.pages) == 3 * (single + single % 2)  # each document starts on an odd page
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["files"][3]["state"] == "failed" and manifest["print"] == "print.pdf"

    assert client.delete(f"/v1/jobs/{job_id}").status_code == 204
    assert client.get(f"/v1/jobs/{job_id}").status_code == 404
    assert not any(p.name.endswith(job_id) for p in (Path(server.log_path).parent / "results").iterdir())


def test_a_booklet_job_imposes_on_a3(client):
    r = client.post("/v1/jobs", files=[("files", ("a.txt", EXAMPLE))], data={"to": "docx", "booklet": "true"})
    job_id = r.json()["id"]
    assert wait_for(client, job_id)["state"] == "done"
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/v1/jobs/{job_id}/result").content))
    sheet = pypdf.PdfReader(io.BytesIO(archive.read("booklet.pdf"))).pages[0]
    assert round(float(sheet.mediabox.width)) == 1191 and round(float(sheet.mediabox.height)) == 842


def test_a_job_result_before_it_finishes_is_409(client):
    big = EXAMPLE * 8
    r = client.post("/v1/jobs", files=[("files", ("big.txt", big))], data={"to": "pdf"})
    job_id = r.json()["id"]
    early = client.get(f"/v1/jobs/{job_id}/result")
    assert early.status_code == 409 and early.json()["error"] == "not_ready"
    assert int(early.headers["retry-after"]) >= 1
    client.delete(f"/v1/jobs/{job_id}")  # cancels the running conversion


def test_an_expired_job_is_410_and_its_files_are_gone(client, server):
    r = client.post("/v1/jobs", files=[("files", ("a.txt", EXAMPLE))], data={"to": "docx"})
    job_id = r.json()["id"]
    assert wait_for(client, job_id)["state"] == "done"
    folder = Path(server.log_path).parent / "results" / f"job-{job_id}"
    assert (folder / "result.zip").is_file() and any((folder / "uploads").iterdir())
    time.sleep(3.6)  # job_ttl is 3 s for this server
    for path in (f"/v1/jobs/{job_id}", f"/v1/jobs/{job_id}/result"):
        gone = client.get(path)
        assert gone.status_code == 410 and gone.json()["error"] == "expired"
    assert client.delete(f"/v1/jobs/{job_id}").status_code == 410
    assert not folder.exists()


def test_a_failed_job_says_failed(client):
    r = client.post("/v1/jobs", files=[("files", ("空.txt", b""))], data={"to": "docx"})
    status = wait_for(client, r.json()["id"])
    assert status["state"] == "failed" and status["files"][0]["error"] == "输入是空的（没有文字）"


# ---------------------------------------------------------------------------
# The page and its assets


def test_the_page_and_its_assets_are_served_locally(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert 'lang="zh-CN"' in html and "识别结构" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html  # no CDN
    for fmt in RENDERERS:
        assert f'data-testid="format-{fmt}"' in html
    for asset in ("/static/app.js", "/static/app.css"):
        r = client.get(asset)
        assert r.status_code == 200
        assert "https://" not in r.text and "http://" not in r.text  # nothing fetched from elsewhere


# ---------------------------------------------------------------------------
# The log: one JSON line per request, never the document's text


def test_one_json_log_line_per_request_without_document_text(client, server):
    text = (MARKER + "\n\n" + EXAMPLE.decode("utf-8")).encode("utf-8")
    client.post("/v1/convert", files={"file": (f"{MARKER}.txt", text)}, data={"to": "docx", "title": MARKER},
                headers={"X-Request-ID": "log-test-1"})
    client.post("/v1/outline", content=MARKER.encode() * 3, headers={"Content-Type": "text/plain",
                                                                    "X-Request-ID": "log-test-2"})
    time.sleep(0.2)
    log = server.log()
    assert MARKER not in log
    entries = [json.loads(line) for line in log.splitlines() if line.strip()]
    requests = [e for e in entries if e.get("event") == "request"]
    mine = [e for e in requests if e["request_id"] in ("log-test-1", "log-test-2")]
    assert len(mine) == 2
    first = next(e for e in mine if e["request_id"] == "log-test-1")
    assert first["route"] == "/v1/convert" and first["status"] == 200 and first["method"] == "POST"
    assert first["bytes_in"] > len(text) and first["ms"] > 0


def test_a_jobs_files_are_the_servers_users_alone(client, server):
    r = client.post("/v1/jobs", files=[("files", ("a.txt", EXAMPLE))], data={"to": "docx"})
    job_id = r.json()["id"]
    assert wait_for(client, job_id)["state"] == "done"
    folder = next(p for p in (Path(server.log_path).parent / "results").iterdir() if p.name.endswith(job_id))
    assert folder.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o077 == 0 for p in folder.iterdir() if p.is_dir())
