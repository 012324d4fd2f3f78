"""Error messages in Chinese or English.

The project's errors carry English messages (the CLI's language).  The
service answers in Chinese unless the client's Accept-Language prefers
English, so the messages a user of the service can meet are translated here
by pattern; one without a pattern falls back to its kind's Chinese text
followed by the English detail.  A few English messages mention CLI flags
that mean nothing over HTTP; ``english`` rewrites those.
"""

from __future__ import annotations

import re

_KINDS = {
    "a PDF file": "PDF 文件",
    "a ZIP archive (a .docx, .pptx or .xlsx is one)": "ZIP 压缩包（.docx、.pptx、.xlsx 文件都是）",
    "an old Office document (.doc/.xls/.ppt)": "旧版 Office 文档（.doc/.xls/.ppt）",
    "a PNG image": "PNG 图片",
    "a JPEG image": "JPEG 图片",
    "a GIF image": "GIF 图片",
    "an RTF document": "RTF 文档",
    "a gzip archive": "gzip 压缩包",
    "a RAR archive": "RAR 压缩包",
    "a 7-Zip archive": "7-Zip 压缩包",
    "a binary file (it contains NUL bytes)": "二进制文件（含有 NUL 字节）",
}

_ZIP_KINDS = {
    " (it is a PowerPoint presentation, .pptx)": "，它是 PowerPoint 演示文稿（.pptx）",
    " (it is an Excel workbook, .xlsx)": "，它是 Excel 工作簿（.xlsx）",
    " (it is an OpenDocument file, .odt/.ods/.odp)": "，它是 OpenDocument 文件（.odt/.ods/.odp）",
}
_DOCX_KINDS = {
    "a macro-enabled document (.docm)": "启用宏的 Word 文档（.docm）",
    "a template (.dotx)": " Word 模板（.dotx）",
    "a template (.dotm)": " Word 模板（.dotm）",
    "not a Word document": "其他类型的文件",
}

_MUST_BE = {
    "a string": "字符串",
    "an object": "对象",
    "a list": "列表",
    "true or false": " true 或 false",
    "an integer or null": "整数或 null",
}

# (English pattern, Chinese template with {1}, {2}… for the groups)
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"the input is empty \(it holds no text\)"), "输入是空的（没有文字）"),
    (re.compile(r"the input is (.+), not text; save it as plain text \(\.txt\) first"),
     "输入是{kind}，不是文本；请先另存为纯文本（.txt）"),
    (re.compile(r"the input's encoding could not be recognised.*"),
     "无法识别输入的字符编码；请另存为 UTF-8，或在 Content-Type 中注明 charset"),
    (re.compile(r"the input is not valid (\S+): byte (\d+) \((.*)\) cannot be decoded"),
     "输入不是有效的 {1} 编码：第 {2} 个字节（{3}）无法解码"),
    (re.compile(r"the input starts with a (\S+) byte-order mark but is not valid \S+"),
     "输入以 {1} 的字节顺序标记开头，内容却不是有效的 {1}"),
    (re.compile(r"unknown encoding '(.*)'"), "未知的字符编码 {1}"),
    # A Word document (.docx) that cannot be read (converter/reader/docx_input.py).
    (re.compile(r"the input is a password-protected \(encrypted\) Office document; .*"),
     "输入是设了密码（加密）的 Office 文档；请在 Word 或 WPS 中打开，取消密码后重新保存"),
    (re.compile(r"the \.docx holds encrypted files; .*"),
     "这个 .docx 里有加密的文件；请在 Word 或 WPS 中打开，取消密码后重新保存"),
    (re.compile(r"the input is a damaged ZIP archive or \.docx \((.*)\); .*", re.S),
     "输入是损坏的 ZIP 压缩包或 .docx 文件（{1}）；请在 Word 或 WPS 中打开，重新另存为 .docx"),
    (re.compile(r"the \.docx is damaged \((.*)\); .*", re.S),
     "这个 .docx 文件已损坏（{1}）；请在 Word 或 WPS 中打开，重新另存为 .docx"),
    (re.compile(r"the \.docx holds ([\d,]+) files, more than the ([\d,]+) a document may"),
     "这个 .docx 里有 {1} 个文件，超过一个文档允许的 {2} 个"),
    (re.compile(r"the \.docx \(a ZIP archive\) would unpack to ([\d,]+) bytes, more than the (\d+) MB a document may .*"),
     "这个 .docx（ZIP 压缩包）解压后有 {1} 字节，超过一个文档允许的 {2} MB（可能是“压缩炸弹”），没有解压"),
    (re.compile(r"the input is a ZIP archive but not a Word document: it holds no word/document\.xml(.*); .*"),
     "输入是 ZIP 压缩包，但不是 Word 文档（里面没有 word/document.xml）{zip_kind}；请把讲稿存为 .docx 或纯文本（.txt）"),
    (re.compile(r"the input is an old Office document \(\.doc/\.xls/\.ppt\), not a \.docx; .*"),
     "输入是旧版 Office 文档（.doc/.xls/.ppt），不是 .docx；请在 Word 或 WPS 中打开，另存为 .docx"),
    (re.compile(r"the input is not a \.docx \(.*\)"), "输入不是 .docx 文件（Word 文档是 ZIP 压缩包，它不是）"),
    (re.compile(r"the input is (a macro-enabled document \(\.docm\)|a template \(\.dot[xm]\)|not a Word document), "
                r"not a \.docx; .*"),
     "输入是{docx_kind}，不是 .docx；请在 Word 或 WPS 中打开，另存为 .docx"),
    (re.compile(r"an outline (\w+) file must be UTF-8"), "大纲 {1} 文件必须是 UTF-8 编码"),
    (re.compile(r"outline JSON is not valid JSON: (.*)"), "大纲 JSON 不是有效的 JSON：{1}"),
    (re.compile(r"an outline must be a JSON object"), "大纲必须是一个 JSON 对象"),
    (re.compile(r"unsupported outline schema (.*); this version reads (.*)"),
     "不支持的大纲版本 schema={1}；本版本读取 {2}"),
    (re.compile(r"(\S+) must be (a string|an object|a list|true or false|an integer or null)(?:, not (\w+))?"),
     "{1} 必须是{must}"),
    (re.compile(r"(\S+)\.level must be an integer 1\.\.(\d+)"), "{1}.level 必须是 1 到 {2} 的整数"),
    (re.compile(r"(\S+) is missing"), "缺少 {1}"),
    (re.compile(r"this machine has no font file for the faces? (\S+) \(the (.+?) faces? of theme ([^;)]+)[;)].*", re.S),
     "本机没有字体 {1} 的字体文件（主题 {3} 的 {2} 用它），PDF 和幻灯片需要它来排版：请安装这个字体，"
     "或把它的 .ttf 文件放进字体文件夹，或在主题里改用本机有的字体"),
    (re.compile(r"(\S+) contains the character (U\+[0-9A-F]+), which no document can hold"),
     "{1} 含有字符 {2}，文档里不能有这个字符"),
    (re.compile(r"Markdown line (\d+) contains the character (U\+[0-9A-F]+), which no document can hold"),
     "Markdown 第 {1} 行含有字符 {2}，文档里不能有这个字符"),
    (re.compile(r"(\S+)\.role must be one of (.+) or absent"), "{1}.role 必须是 {2} 之一，或者省略"),
    (re.compile(r"(\S+)\.type must be heading, paragraph or salutation, not (.*)"),
     "{1}.type 必须是 heading、paragraph 或 salutation，而不是 {2}"),
    (re.compile(r"an outline in Markdown starts with YAML front matter.*"), "Markdown 大纲必须以 YAML 前言（一行 ---）开头"),
    (re.compile(r"the Markdown front matter is not closed.*"), "Markdown 大纲的 YAML 前言没有以一行 --- 结束"),
    (re.compile(r"Markdown line (\d+): (.*)"), "Markdown 第 {1} 行有误：{2}"),
    (re.compile(r"unknown output format '(.*)'; (?:choose from|known:) (.*?)(?: or all)?"),
     "未知的输出格式 {1}；可选：{2}"),
]

_ENGLISH = [
    (re.compile(r"the input's encoding could not be recognised.*"),
     ("the input's encoding could not be recognised; save it as UTF-8 or declare it "
      "(Content-Type: text/plain; charset=…)")),
]


def chinese(message: str, fallback: str) -> str:
    for pattern, template in _PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            groups = {str(i): _tidy(g or "") for i, g in enumerate(match.groups(), 1)}
            kind = _KINDS.get(match.group(1), match.group(1)) if match.groups() else ""
            kind = f" {kind}" if kind[:1].isascii() else kind  # a space between Chinese and Latin
            must = _MUST_BE.get(match.group(2), "") if len(match.groups()) >= 2 and match.group(2) else ""
            first = match.group(1) if match.groups() else ""
            return template.format(*[""] + list(groups.values()), kind=kind, must=must,
                                   zip_kind=_ZIP_KINDS.get(first or "", ""), docx_kind=_DOCX_KINDS.get(first or "", first))
    return f"{fallback}：{message}"


_BYTE = re.compile(r"^b'\\x([0-9a-fA-F]{2})'$")
_CODEC = re.compile(r"^(utf|gb|big|iso|ascii|latin|shift|euc|cp)[\w-]*$", re.IGNORECASE)


def _tidy(value: str) -> str:
    """b'\\xff' -> 0xFF; utf-8 -> UTF-8 (as people write them)."""
    byte = _BYTE.match(value)
    if byte:
        return f"0x{byte.group(1).upper()}"
    return value.upper() if _CODEC.match(value) else value


def english(message: str) -> str:
    for pattern, replacement in _ENGLISH:
        if pattern.fullmatch(message):
            return replacement
    return message


def prefers_english(accept_language: str | None) -> bool:
    """True when Accept-Language ranks English above Chinese (a language
    not listed counts as q=0; no header means Chinese)."""
    if not accept_language:
        return False
    best = {"en": 0.0, "zh": 0.0}
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower().split("-")[0]
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if lang in best:
            best[lang] = max(best[lang], q)
        elif lang == "*":
            best = {k: max(v, 0.0) for k, v in best.items()}
    return best["en"] > best["zh"]


def language(accept_language: str | None) -> str:
    return "en" if prefers_english(accept_language) else "zh"
