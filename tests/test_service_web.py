"""The web page in a real browser (Debian's chromium through Playwright), as
a person would use it: keyboard only, a 360 px wide window.  Paste the
example lecture, see its 2 sections and 6 subsections, change one heading's
level, convert, download the .docx and the zip, open them; axe-core finds no
serious or critical accessibility problem."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from service_server import EXAMPLE, Server

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("service_web")]  # (one server and browser: one xdist worker)

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip)")

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def axe_script() -> Path:
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed, so axe-core cannot be (apt-get install npm)")
        subprocess.run([npm, "ci" if (HERE / "package-lock.json").exists() else "install", "--no-audit", "--no-fund"],
                       cwd=HERE, check=True, capture_output=True, timeout=300)
    return AXE


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    srv = Server(tmp_path_factory.mktemp("web"), max_chars=5000)  # the example has 4 128
    yield srv
    srv.stop()


@pytest.fixture()
def page(server: Server, tmp_path: Path):
    if not CHROMIUM.exists():
        pytest.skip(f"chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        # The page's Content-Security-Policy (its own scripts only) would
        # refuse axe-core and Playwright's string predicates, which the
        # tests inject; test_the_page_works_under_its_own_policy runs the
        # page with the policy enforced.
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN",
                                      accept_downloads=True, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(server.url + "/")
        yield page
        context.close()
        browser.close()


def focused(page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.getAttribute('data-testid')")


def tab_to(page, testid: str, *, backwards: bool = False, limit: int = 300) -> None:
    """Press Tab (or Shift+Tab) until the element with ``testid`` has focus."""
    for _ in range(limit):
        if focused(page) == testid:
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"Tab never reached {testid}; focus is on {focused(page)}")


def download_by_keyboard(page, tmp_path: Path) -> Path:
    assert focused(page) == "download-link"  # the page moved focus to the new link
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    return target


def axe_problems(page) -> list[str]:
    page.add_script_tag(path=str(axe_script()))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_paste_fix_convert_and_download_by_keyboard_at_360px(page, tmp_path):
    text = EXAMPLE.decode("utf-8")
    assert axe_problems(page) == []

    # 1. paste the lecture and ask for its structure
    tab_to(page, "input-text")
    page.keyboard.insert_text(text)
    tab_to(page, "detect-button")
    page.keyboard.press("Enter")
    summary = page.get_by_test_id("tree-summary")
    summary.wait_for()
    page.wait_for_function("document.querySelector('[data-testid=tree-summary]').textContent.includes('一级标题')")
    assert "一级标题 2 个" in summary.inner_text() and "二级标题 6 个" in summary.inner_text()
    assert page.locator('[data-testid="heading-item"][data-level="1"]').count() == 2
    assert page.locator('[data-testid="heading-item"][data-level="2"]').count() == 6
    assert "正文似乎不完整" in page.get_by_test_id("warnings").inner_text()
    assert page.get_by_test_id("meta-title").input_value().startswith("党课：淬炼作风之剑")

    # 2. the third subsection of part one becomes a part of its own
    third = page.locator('[data-testid="heading-item"][data-level="2"]').nth(2)
    index = third.get_attribute("data-index")
    heading_text = page.get_by_test_id(f"block-text-{index}").input_value()
    assert heading_text.startswith("（三）稳固事业之锚")
    tab_to(page, f"block-level-{index}")
    page.keyboard.press("ArrowUp")  # 二级标题 -> 一级标题
    page.wait_for_function(
        "document.querySelector('[data-testid=tree-summary]').textContent.includes('一级标题 3 个')")
    assert "二级标题 5 个" in summary.inner_text()
    assert focused(page) == f"block-level-{index}"  # focus stays where the person was
    assert page.locator('[data-testid="heading-item"][data-level="1"]').count() == 3

    # and the speaker, typed in
    tab_to(page, "meta-speaker", backwards=True)
    page.keyboard.type("张三")

    # 3. Word only: untick PDF (and any other format ticked), convert, download
    for box in page.locator('input[name="format"]').all():
        testid = box.get_attribute("data-testid")
        if testid != "format-docx" and box.is_checked():
            tab_to(page, testid)
            page.keyboard.press("Space")
    assert page.get_by_test_id("format-docx").is_checked()
    tab_to(page, "convert-button")
    page.keyboard.press("Enter")
    page.get_by_test_id("download-link").first.wait_for()
    saved = download_by_keyboard(page, tmp_path)
    assert saved.suffix == ".docx" and saved.stem.startswith("党课：淬炼作风之剑")
    document = docx.Document(str(saved))
    heads = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [s for s, _ in heads].count("Heading 1") == 3 and [s for s, _ in heads].count("Heading 2") == 5
    assert ("Heading 1", heading_text) in heads
    assert document.core_properties.author == "张三"
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[-1] == "（原文至此不完整）"  # the lecture is cut off: the note ends it, by default

    # 4. Word and PDF, without the note: a zip
    tab_to(page, "format-pdf", backwards=True)
    page.keyboard.press("Space")
    tab_to(page, "truncation-note-option")
    page.keyboard.press("Space")
    assert not page.get_by_test_id("truncation-note-option").is_checked()
    tab_to(page, "convert-button")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('[data-testid=download-link]').length === 2")
    saved_zip = download_by_keyboard(page, tmp_path)
    assert saved_zip.suffix == ".zip"
    archive = zipfile.ZipFile(saved_zip)
    names = sorted(archive.namelist())
    assert [n.rsplit(".", 1)[1] for n in names] == ["docx", "pdf"]
    without = docx.Document(io.BytesIO(archive.read(names[0])))
    assert [p.text for p in without.paragraphs if p.text.strip()] == texts[:-1]
    assert len(pypdf.PdfReader(io.BytesIO(archive.read(names[1]))).pages) > 3

    # 5. the page fits 360 px and has no serious accessibility problems
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=str(tmp_path / "web.png"), full_page=True)
    assert axe_problems(page) == []


def test_a_bad_paste_shows_the_servers_chinese_message(page):
    tab_to(page, "input-text")
    page.keyboard.insert_text(EXAMPLE.decode("utf-8") * 2)  # over this server's 5 000 characters
    tab_to(page, "detect-button")
    page.keyboard.press("Enter")
    error = page.get_by_test_id("error")
    error.wait_for()
    assert error.inner_text().startswith("文档太长：有 ") and error.inner_text().endswith("上限是 5000 个")
    assert page.get_by_test_id("outline-tree").is_hidden()


def test_an_empty_paste_is_refused_without_a_request(page):
    tab_to(page, "detect-button")
    page.keyboard.press("Enter")
    assert "请先把讲稿粘贴" in page.get_by_test_id("error").inner_text()
    assert focused(page) == "input-text"


def test_a_heading_that_skips_a_level_converts_as_everywhere(page, tmp_path):
    """Levels rank a heading's family, the same throughout a document, so a
    "1." right under "一、" is level 3 where the document also uses "（一）"
    (README, "Outline JSON"): the reader writes such outlines itself, and
    the page converts them as the CLI, the batch runner and the API do."""
    tab_to(page, "input-text")
    page.keyboard.insert_text(EXAMPLE.decode("utf-8"))
    tab_to(page, "detect-button")
    page.keyboard.press("Enter")
    page.get_by_test_id("tree-summary").wait_for()
    first = page.locator('[data-testid="heading-item"][data-level="2"]').first.get_attribute("data-index")
    tab_to(page, f"block-level-{first}")
    page.keyboard.press("ArrowDown")  # 二级 -> 三级 right under a 一级 heading
    page.wait_for_function("document.querySelector('[data-testid=tree-summary]').textContent.includes('三级标题')")
    for box in page.locator('input[name="format"]').all():
        testid = box.get_attribute("data-testid")
        if (testid == "format-docx") != box.is_checked():
            tab_to(page, testid)
            page.keyboard.press("Space")
    tab_to(page, "convert-button")
    page.keyboard.press("Enter")
    page.get_by_test_id("download-link").first.wait_for()
    assert page.get_by_test_id("error").inner_text().strip() == ""
    saved = download_by_keyboard(page, tmp_path)
    styles = [p.style.name for p in docx.Document(str(saved)).paragraphs if p.style.name.startswith("Heading")]
    assert styles[:2] == ["Heading 1", "Heading 3"]


def test_the_page_works_under_its_own_policy(server: Server, tmp_path: Path):
    """The security headers reach the browser, the page runs with its
    Content-Security-Policy enforced (no violation while a lecture is read
    and converted), and the policy refuses an injected inline script."""
    if not CHROMIUM.exists():
        pytest.skip(f"chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        context = browser.new_context(locale="zh-CN", accept_downloads=True)
        page = context.new_page()
        violations: list[str] = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        response = page.goto(server.url + "/")
        headers = response.headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        page.get_by_test_id("input-text").fill(EXAMPLE.decode("utf-8"))
        page.get_by_test_id("detect-button").click()
        page.locator('[data-testid="heading-item"][data-level="1"]').first.wait_for()
        for box in page.locator('input[name="format"]').all():
            if box.get_attribute("data-testid") != "format-docx" and box.is_checked():
                box.uncheck()
        page.get_by_test_id("convert-button").click()
        page.get_by_test_id("download-link").first.wait_for()
        assert violations == []
        with pytest.raises(playwright_api.Error, match="Content Security Policy"):
            page.add_script_tag(content="window.injected = 1")
        context.close()
        browser.close()


def test_the_page_signs_in_with_a_token(tmp_path: Path):
    """With --auth-tokens the page asks for a token on the first 401, keeps
    it for the tab, and then works, by keyboard."""
    if not CHROMIUM.exists():
        pytest.skip(f"chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    token = "office-token-0123456789abcdef"
    tokens = tmp_path / "tokens.txt"
    tokens.write_text(token + "\n", "utf-8")
    srv = Server(tmp_path, auth_tokens=tokens, max_chars=5000)
    try:
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
            context = browser.new_context(locale="zh-CN")
            page = context.new_page()
            page.goto(srv.url + "/")
            assert page.get_by_test_id("token-input").is_hidden()
            page.get_by_test_id("input-text").fill(EXAMPLE.decode("utf-8"))
            page.get_by_test_id("detect-button").click()
            page.get_by_test_id("token-input").wait_for(state="visible")
            assert focused(page) == "token-input"
            assert "令牌" in page.get_by_test_id("error").inner_text()
            page.keyboard.type(token)
            page.keyboard.press("Enter")
            assert page.get_by_test_id("token-input").is_hidden()
            page.get_by_test_id("detect-button").click()
            page.locator('[data-testid="heading-item"][data-level="1"]').first.wait_for()
            assert page.evaluate("sessionStorage.getItem('converter_token')") == token
            context.close()
            browser.close()
    finally:
        srv.stop()
