"""Shared helpers for the .docx tests: sample outlines, LibreOffice
conversion, and measuring the PDF LibreOffice makes.

Measurements follow the issue's definitions: a *full line* is a body line
that is not the last line of its paragraph; a *full page* is a page other
than the first and the last.  Lines of the PDF are matched to the outline's
blocks by their text, so a lost or doubled character fails loudly.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from converter import outline_json
from converter.model import SCHEMA, Heading, Meta, Outline, Paragraph, Salutation
from converter.render.layout import is_latin
from converter.resources import resource_path
from converter.theme import Theme

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "examples" / "lecture.gold.json"
LO_REASON = "needs LibreOffice (apt-get install libreoffice-writer-nogui)"
POPPLER_REASON = "needs poppler-utils (apt-get install poppler-utils)"
# PDF export with one bookmark per outline-level paragraph.
PDF_FILTER = 'pdf:writer_pdf_Export:{"ExportBookmarks":{"type":"boolean","value":"true"}}'
JAPANESE_OR_KOREAN = re.compile(r"JP|KR|Japan|Korea|Gothic|Mincho|Takao|IPA|Batang|Gulim|Dotum|Nanum|Baekmuk|VL-", re.IGNORECASE)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def load_gold() -> Outline:
    """The example's gold outline (the file lacks the schema key and carries
    extra keys)."""
    data = json.loads(GOLD.read_text(encoding="utf-8"))
    data["schema"] = SCHEMA
    for key in ("id", "source", "notes"):
        data.pop(key, None)
    return outline_json.from_dict(data)


_SENTENCES = (
    "学习贯彻党的二十大精神，要在全面把握上下功夫，在融会贯通上下功夫，在落实落地上下功夫。",
    "2023年全区GDP增长5.2%，新增市场主体1.8万户，这些成绩来之不易。",
    "正如古人所说：“知之愈明，则行之愈笃；行之愈笃，则知之益明。”",
    "我们要坚持问题导向——发现问题、正视问题、解决问题……决不能讳疾忌医。",
    "各级党组织要把‘第一议题’制度落实好，做到学思用贯通、知信行统一。",
    "调研中发现，个别单位存在“材料多、落实少”的现象，必须坚决纠正。",
    "一分部署，九分落实。抓落实要有钉钉子精神，一锤接着一锤敲，久久为功。",
    "基层是党的执政之基、力量之源，基层党组织是贯彻落实党的决策部署的最后一公里。",
    "过去一年，全区新建党群服务中心46个，整顿软弱涣散村党组织12个。",
    "干部队伍建设是组织工作的重中之重，必须坚持好干部标准，突出政治标准。",
    "要树立重实干重实绩的用人导向，让能干事者有机会、干成事者有舞台。",
    "人才是第一资源，要完善人才引进、培养、使用、评价、激励机制。",
    "我们既要做好“引”的文章，也要做好“留”的文章，让各类人才近悦远来。",
    "组织部门是管党治党的重要职能部门，自身建设必须走在前、作表率。",
    "要坚持刀刃向内，以严的基调强化监督，以实的作风推动工作。",
    "对照上级要求和群众期盼，我们的工作还存在一些短板和不足。",
    "有的同志满足于完成任务，缺乏创新意识；有的同志习惯于按部就班，主动作为不够。",
    "这些问题必须引起高度重视，采取有力措施切实加以解决。",
    "新时代新征程，组织工作使命光荣、责任重大、任务艰巨。",
    "要以钉钉子的韧劲抓好各项任务落实，确保年初定下的目标如期实现。",
    "要加强对年轻干部的教育管理监督，引导他们扣好廉洁从政的“第一粒扣子”。",
    "要健全完善知事识人体系，把功夫下在平时，全方位、多角度、近距离考察识别干部。",
    "今年以来，全区共选派第一书记和驻村工作队员300余名，覆盖所有重点村。",
    "要持续深化抓党建促乡村振兴，推动基层党组织全面进步、全面过硬。",
    "党员教育管理要从严从实，严格落实“三会一课”、组织生活会等制度。",
    "要注重发挥党员先锋模范作用，让党旗在基层一线高高飘扬。",
    "组织工作是一项政治性、政策性很强的工作，容不得半点马虎。",
    "每一位组工干部都要自觉做到讲政治、重公道、业务精、作风好。",
    "我们要把学习作为一种政治责任、一种精神追求、一种生活方式。",
    "面对新形势新任务，唯有不断学习，才能跟上时代步伐，才能胜任本职工作。",
    "会后，各单位要认真传达学习本次会议精神，结合实际抓好贯彻落实。",
    "同志们，使命呼唤担当，实干铸就辉煌。让我们更加紧密地团结起来，奋力开创新局面！",
)


def unseen_outline() -> Outline:
    """A lecture the renderer has never seen: bylines, all heading levels
    (5 renders as 4), Latin text and digits, curly quotes, dashes and
    ellipses, a long title and a closing 落款."""
    def para(n: int, count: int) -> Paragraph:
        return Paragraph("".join(_SENTENCES[(n * 5 + i) % len(_SENTENCES)] for i in range(count)))

    blocks = [
        Paragraph("——在全区组织工作会议上的讲话", "byline"),
        Paragraph("张  明", "byline"),
        Salutation("各位领导、同志们："),
        para(0, 9),
        Heading(1, "一、提高政治站位，切实增强做好新时代组织工作的责任感使命感"),
        para(1, 8),
        Heading(2, "（一）深刻把握“两个确立”的决定性意义"),
        para(2, 10),
        Heading(3, "1.坚持用党的创新理论武装头脑"),
        para(3, 7),
        Heading(4, "（1）抓好集中学习"),
        para(4, 9),
        Heading(5, "①突出学习重点"),
        para(5, 8),
        Heading(1, "二、突出工作重点，推动组织工作高质量发展"),
        para(6, 11),
        Heading(2, "（一）建强基层战斗堡垒"),
        para(0, 12),
        Heading(2, "（二）锻造高素质干部队伍"),
        para(1, 10),
        Paragraph("中共某区委组织部", "signature"),
        Paragraph("2024年3月15日", "date"),
    ]
    return Outline(
        title="凝心聚力抓落实，担当作为开新局，奋力谱写新时代组织工作高质量发展新篇章",
        blocks=tuple(blocks),
        meta=Meta(speaker="张明", subtitle="在全区组织工作会议上的讲话"),
    )


# ---------------------------------------------------------------------------
# LibreOffice


def fontconfig_env() -> dict[str, str]:
    env = dict(os.environ)
    conf = resource_path("fonts") / "fonts.conf"
    if conf.is_file():
        env["FONTCONFIG_FILE"] = str(conf)
    return env


def docx_to_pdf(docx_files: list[Path], outdir: Path) -> list[Path]:
    """Convert with one LibreOffice run, under the bundled fonts.conf and a
    throw-away profile."""
    exe = soffice()
    assert exe, LO_REASON
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", PDF_FILTER,
             "--outdir", str(outdir), *map(str, docx_files)],
            check=True, capture_output=True, timeout=300, env=fontconfig_env(),
        )
    pdfs = [outdir / (f.stem + ".pdf") for f in docx_files]
    missing = [p for p in pdfs if not p.is_file()]
    assert not missing, f"LibreOffice made no PDF for {missing}"
    return pdfs


def face_postscript_name(face: str) -> str:
    """The PostScript name fontconfig (with fonts.conf) picks for ``face``."""
    out = subprocess.run(["fc-match", "-f", "%{postscriptname}", face], capture_output=True, text=True,
                         env=fontconfig_env(), check=True)
    return out.stdout.strip()


def bundled_postscript_names() -> set[str]:
    names = set()
    for ttf in sorted(resource_path("fonts").glob("*.ttf")):
        out = subprocess.run(["fc-scan", "--format", "%{postscriptname}\n", str(ttf)], capture_output=True,
                             text=True, check=True)
        names.update(n for n in out.stdout.split() if n)
    return names


def pdffonts(pdf: Path) -> list[str]:
    """Base font names (subset prefix removed) that ``pdffonts`` lists."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    names = []
    for line in out.splitlines()[2:]:
        if line.strip():
            names.append(line.split()[0].split("+", 1)[-1])
    return names


# ---------------------------------------------------------------------------
# Measuring


@dataclass
class Line:
    page: int  # 1-based
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    fonts: set[str]
    size: float
    cells: float = 0.0  # characters inside the type area, Latin by width
    hanging: str = ""  # punctuation hung past the right edge
    inner_x1: float = 0.0  # where the last character inside the type area ends
    block: int = -1  # index into the expected blocks
    last_of_block: bool = False


@dataclass
class Measurement:
    pages: int
    body: list[Line]  # lines in the type area, in reading order
    footer: dict[int, Line]  # page -> page-number line
    header: dict[int, Line]
    bookmarks: list[tuple[int, str]]
    kinds: list[str]  # expected block kinds: "title", "heading1".., "body", ...
    texts: list[str]
    problems: list[str] = field(default_factory=list)

    def lines_on(self, page: int) -> list[Line]:
        return [ln for ln in self.body if ln.page == page]

    def full_lines(self) -> list[Line]:
        return [ln for ln in self.body if self.kinds[ln.block] == "body" and not ln.last_of_block]

    def full_pages(self) -> list[int]:
        pages = sorted({ln.page for ln in self.body})
        return pages[1:-1]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def expected_blocks(outline: Outline, theme: Theme | None = None, *, note: bool = True) -> tuple[list[str], list[str]]:
    """The kind and text of every block an output shows, in order: the
    title, the outline's blocks, and (with ``note``, as renderers do by
    default) the theme's truncation note when the outline is truncated."""
    kinds, texts = [], []
    if outline.title.strip():
        kinds.append("title")
        texts.append(outline.title)
    for b in outline.blocks:
        if isinstance(b, Heading):
            kinds.append(f"heading{min(b.level, 4)}")
        elif isinstance(b, Salutation):
            kinds.append("salutation")
        else:
            kinds.append("body" if b.role is None else b.role)
        texts.append(b.text)
    if note and outline.truncated and theme is not None:
        kinds.append("truncation_note")
        texts.append(theme.truncation_note.text)
    return kinds, texts


def page_chars(page) -> list[dict]:
    """pdfplumber's ``page.chars`` with the keys the measurements read (text,
    x0, x1, top, bottom, size, fontname, matrix), in a third of the time.
    The same pdfminer layout that pdfplumber reads (``page.layout``), walked
    in its order (a container's characters in its place), each value computed
    as ``pdfplumber.page.Page.process_object`` computes it; that method also
    resolves a score of other attributes of each character, its colours
    among them, which were most of a measurement's time.
    test_pdf.py checks that the two agree on a rendered PDF."""
    from unicodedata import normalize as normalize_unicode

    from pdfminer.layout import LTChar, LTContainer
    from pdfplumber.page import fix_fontname_bytes

    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    unicode_norm = page.pdf.unicode_norm
    chars: list[dict] = []

    def walk(objs) -> None:
        for obj in objs:
            if isinstance(obj, LTContainer):
                walk(obj._objs)
            elif isinstance(obj, LTChar):
                text = obj.get_text()
                fontname = obj.fontname
                chars.append({
                    "text": normalize_unicode(unicode_norm, text) if unicode_norm is not None else text,
                    "x0": obj.x0 + mb_x0 if mb_x0 != 0 else obj.x0,
                    "x1": obj.x1 + mb_x0 if mb_x0 != 0 else obj.x1,
                    "top": (height - obj.y1) + mb_top,
                    "bottom": (height - obj.y0) + mb_top,
                    "size": obj.size,
                    "fontname": fix_fontname_bytes(fontname) if isinstance(fontname, bytes) else fontname,
                    "matrix": obj.matrix,
                })

    walk(page.layout._objs)
    return chars


def page_chars_agree(pdf) -> int:
    """Assert that ``page_chars`` gives, page by page and char by char, what
    pdfplumber's ``page.chars`` gives for its keys; the number of chars."""
    import pdfplumber

    keys = ("text", "x0", "x1", "top", "bottom", "size", "fontname", "matrix")
    count = 0
    with pdfplumber.open(pdf) as ours, pdfplumber.open(pdf) as theirs:
        for page, same in zip(ours.pages, theirs.pages):
            want = [{key: c[key] for key in keys} for c in same.chars]
            assert page_chars(page) == want, f"page {page.page_number}"
            count += len(want)
    return count


def measure(pdf_path: Path, outline: Outline, theme: Theme, *, note: bool = True) -> Measurement:
    import pdfplumber

    top_edge = theme.page.margin_top
    bottom_edge = theme.page.height - theme.page.margin_bottom
    body: list[Line] = []
    footer: dict[int, Line] = {}
    header: dict[int, Line] = {}
    with pdfplumber.open(pdf_path) as pdf:
        npages = len(pdf.pages)
        for pno, page in enumerate(pdf.pages, start=1):
            rows: dict[float, list[dict]] = {}
            for ch in sorted(page_chars(page), key=lambda c: page.height - c["matrix"][5]):
                baseline = page.height - ch["matrix"][5]
                key = next((k for k in rows if abs(k - baseline) < 3), baseline)
                rows.setdefault(key, []).append(ch)
            for key in sorted(rows):
                chars = sorted(rows[key], key=lambda c: c["x0"])
                text = "".join(c["text"] for c in chars)
                if not text.strip():
                    continue
                line = Line(
                    pno, min(c["top"] for c in chars), max(c["bottom"] for c in chars),
                    chars[0]["x0"], chars[-1]["x1"], text,
                    {c["fontname"].split("+", 1)[-1] for c in chars if c["text"].strip()},
                    max(c["size"] for c in chars),
                )
                right = theme.page.width - theme.page.margin_right
                for c in chars:
                    if c["x0"] >= right - 1:
                        line.hanging += c["text"]
                    elif c["text"].strip():
                        line.cells += (c["x1"] - c["x0"]) / c["size"] if is_latin(c["text"]) else 1
                        line.inner_x1 = c["x1"]
                mid = (line.top + line.bottom) / 2
                if mid > bottom_edge + 2:
                    footer[pno] = line
                elif mid < top_edge - 2:
                    header[pno] = line
                else:
                    body.append(line)
        from pdfminer.pdfdocument import PDFNoOutlines

        try:
            outlines = [(level, title) for level, title, *_ in pdf.doc.get_outlines()]
        except PDFNoOutlines:
            outlines = []

    kinds, texts = expected_blocks(outline, theme, note=note)
    m = Measurement(npages, body, footer, header, outlines, kinds, texts)
    _assign(m)
    return m


def _assign(m: Measurement) -> None:
    """Match lines to blocks in order by their text."""
    i = 0
    for bi, text in enumerate(m.texts):
        want = _squash(text)
        got = ""
        while i < len(m.body) and len(got) < len(want):
            line = m.body[i]
            got += _squash(line.text)
            line.block = bi
            i += 1
            if not want.startswith(got):
                m.problems.append(
                    f"block {bi} ({m.kinds[bi]}): PDF text {got[-30:]!r} on page {line.page} "
                    f"does not continue {want[max(0, len(got) - 30):len(got) + 5]!r}"
                )
                return
        if got != want:
            m.problems.append(f"block {bi} ({m.kinds[bi]}): PDF has {got[-20:]!r}, expected {want[-20:]!r}")
            return
        m.body[i - 1].last_of_block = True
    if i < len(m.body):
        m.problems.append(f"extra text after the last block: {m.body[i].text!r}")


def line_chars(line: Line, theme: Theme) -> int:
    """Grid cells a line fills: its indent, its characters inside the type
    area (Latin ones by their width); punctuation hung in the margin (行末
    标点悬挂) is outside the grid and not counted."""
    indent = (line.x0 - theme.page.margin_left) / (theme.char_width + theme.char_spacing(theme.body))
    return round(line.cells + max(indent, 0))


def dash_depth(pdf_path: Path, line: Line, theme: Theme) -> float:
    """How far below the type area's bottom edge the ink of the page
    number's first dash lies (its middle, in points)."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[line.page - 1]
        top, bottom = line.top - 6, line.bottom + 6
        box = (line.x0 + 1, top, line.x0 + line.size - 1, bottom)
        image = page.crop(box).to_image(resolution=600).original.convert("L")
    width, height = image.size
    pixels = image.load()
    rows = [y for y in range(height) if any(pixels[x, y] < 128 for x in range(width))]
    assert rows, "no ink where the dash should be"
    middle = top + (rows[0] + rows[-1]) / 2 * 72 / 600
    return middle - (theme.page.height - theme.page.margin_bottom)
