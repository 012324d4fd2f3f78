"""A Word document (.docx) as an input: bytes in, an Outline out.

Told by its content (load.guess_format: a ZIP archive, or an encrypted
Office file, which is refused here with its reason), never by its name.

1. **Open** (``_open``): the ZIP directory is checked before anything is
   unpacked (at most MAX_UNPACKED bytes and MAX_MEMBERS members: a zip bomb
   is refused unread; no encrypted member); it must hold word/document.xml
   (a .pptx, .xlsx or plain ZIP is refused, named). python-docx then opens
   the package; its parser resolves no entity.  Every failure is an
   InputError naming the problem (exit 65, HTTP 422).
2. **Paragraphs** (``_Walker``): the body in reading order, each paragraph
   with its text as Word shows it (tracked changes accepted: insertions
   kept, deletions dropped; Word's automatic numbering written out as the
   marker a reader sees, docx_numbering.py; field results kept, their codes
   dropped; hidden text dropped), its role and heading level from its style
   (``_Styles``: English "Heading N" and Chinese "标题 N" names, styles based
   on them through w:basedOn, w:outlineLvl on the paragraph or a style; our
   own renderer's Title, Byline, Salutation, Body, Signature, Date and
   Truncation Note), and its alignment.  A table's row is one paragraph,
   its cells joined by a full-width space (a one-cell row gives its
   paragraphs as they are: a table used for layout).  Comments, images and
   drawings, text boxes, footnotes and endnotes, headers and footers,
   embedded documents and a table of contents are left out, each kind
   named in one ``docx_dropped`` warning.
3. **Blocks**: a document with heading styles (or one our renderer wrote)
   is read by its styles (``_by_styles``), so a .docx this converter made
   reads back into the outline it was made from (the title from the Title
   paragraph, or the core title; meta.speaker from the core author,
   meta.subtitle from the subject).  Another's styled document has its
   levels ranked (Heading 2 as its top level is level 1), and what its
   styles do not say is told by place and alignment (``_front_and_closing``):
   a centred first line is the title when no Title style is used, centred
   lines under it are bylines, 同志们： opening the body the salutation,
   right-aligned short lines at the end the 落款.  A document without
   heading styles (direct formatting only, as WPS users write; a heading
   style on the title alone does not count) goes, one paragraph a line,
   through the raw reader's stages after markup (``read_lines``), whose
   heading rules find its 一、 and （一）.

The reader never imports a renderer: our renderer's style names are
written here again (tests/test_docx_input.py holds them to
converter/render/docx/emit.py's STYLE_NAMES).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace
from typing import Any, Iterator

from ..cjk import display_width, is_latin_alnum
from ..errors import InputError
from ..markers import match_marker
from ..model import MAX_HEADING_LEVEL, Block, Heading, Meta, Outline, Paragraph, Salutation, Warning
from .checks import masked_text, numbering_gaps
from .docx_numbering import W, Numbering, join_marker
from .structure import SALUTATION_RE, is_date, norm

# ---------------------------------------------------------------------------
# Telling and opening a .docx

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An Office file saved with a password is an OLE compound file holding the
# encrypted package in a stream of this name (MS-OFFCRYPTO).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# What a .docx may unpack to (a lecture with photos is a few MB) and how many
# members it may have: read from the ZIP directory before anything is unpacked.
MAX_UNPACKED = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
MAIN_PART = "word/document.xml"
_SAVE_AGAIN = "open it in Word or WPS and save it again as .docx"


def is_encrypted_office(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC) and _ENCRYPTED_STREAM in data


def looks_like_docx(data: bytes) -> bool:
    """Should the .docx reader read ``data``?  A ZIP archive (it says what
    else it is when it holds no Word document) or a password-protected
    Office file (refused with that reason)."""
    return data.startswith(ZIP_MAGIC) or is_encrypted_office(data)


def _zip_kind(names: set[str]) -> str:
    if "ppt/presentation.xml" in names:
        return " (it is a PowerPoint presentation, .pptx)"
    if "xl/workbook.xml" in names:
        return " (it is an Excel workbook, .xlsx)"
    if "content.xml" in names and "mimetype" in names:
        return " (it is an OpenDocument file, .odt/.ods/.odp)"
    return ""


def check_package(data: bytes) -> None:
    """Refuse what is no readable .docx, from the ZIP directory alone."""
    if is_encrypted_office(data):
        raise InputError("the input is a password-protected (encrypted) Office document; "
                         "open it in Word or WPS, remove the password and save it again")
    if data.startswith(OLE_MAGIC):
        raise InputError("the input is an old Office document (.doc/.xls/.ppt), not a .docx; "
                         "open it in Word or WPS and save it as .docx")
    if not data.startswith(ZIP_MAGIC):
        raise InputError("the input is not a .docx (a Word document is a ZIP archive; this is not one)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError) as err:
        raise InputError(f"the input is a damaged ZIP archive or .docx ({err}); {_SAVE_AGAIN}") from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"the .docx holds {len(infos):,} files, more than the {MAX_MEMBERS:,} a document may")
    unpacked = sum(max(i.file_size, 0) for i in infos)
    if unpacked > MAX_UNPACKED:
        raise InputError(f"the .docx (a ZIP archive) would unpack to {unpacked:,} bytes, more than the "
                         f"{MAX_UNPACKED // 2**20} MB a document may (a zip bomb?); it was not unpacked")
    names = {i.filename for i in infos}
    if MAIN_PART not in names:
        raise InputError(f"the input is a ZIP archive but not a Word document: it holds no {MAIN_PART}"
                         f"{_zip_kind(names)}; save the lecture as .docx or as plain text (.txt)")
    if any(i.flag_bits & 0x1 for i in infos):
        raise InputError("the .docx holds encrypted files; open it in Word or WPS, remove the password and save it again")


def _open(data: bytes) -> Any:
    """The python-docx Document of ``data`` (check_package first)."""
    check_package(data)
    import docx  # python-docx: only when a .docx is read

    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as err:
        if "not a Word file" in str(err):
            kind = re.search(r"content type is '([^']*)'", str(err))
            what = {"application/vnd.ms-word.document.macroEnabled.main+xml": "a macro-enabled document (.docm)",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "a template (.dotx)",
                    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "a template (.dotm)"}.get(
                        kind.group(1) if kind else "", "not a Word document")
            raise InputError(f"the input is {what}, not a .docx; {_SAVE_AGAIN}") from None
        raise InputError(f"the .docx is damaged ({err}); {_SAVE_AGAIN}") from None
    except Exception as err:  # noqa: BLE001 - any failure to open the package is the input's fault
        reason = str(err).splitlines()[0][:200] if str(err) else type(err).__name__
        raise InputError(f"the .docx is damaged ({reason}); {_SAVE_AGAIN}") from None


# ---------------------------------------------------------------------------
# Names of the XML we read

def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
P, R, T, TBL, TR, TC, SDT, SDT_CONTENT = (_w(t) for t in ("p", "r", "t", "tbl", "tr", "tc", "sdt", "sdtContent"))
PPR, RPR, PSTYLE = _w("pPr"), _w("rPr"), _w("pStyle")
_VAL = _w("val")
# Inline containers whose runs are text as shown.
_INLINE_CONTAINERS = {_w(t) for t in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "dir", "bdo", "fldSimple")}
_DELETED = {_w("del"), _w("moveFrom")}
_OBJECTS = {_w("drawing"), _w("pict"), _w("object"), f"{{{_MC}}}AlternateContent"}
_TEXT_BOX = _w("txbxContent")


def _on(el: Any) -> bool:
    """A toggle property (w:vanish, w:del …) that is set."""
    return el is not None and el.get(_VAL, "true") not in ("0", "false", "off")


# ---------------------------------------------------------------------------
# Styles: role and heading level

# Our renderer's paragraph styles (converter/render/docx/emit.py STYLE_NAMES),
# by the name Word shows, and what each is in the outline.
OWN_STYLES: dict[str, str] = {
    "Title": "title",
    "Byline": "byline",
    "Salutation": "salutation",
    "Heading 1": "heading",
    "Heading 2": "heading",
    "Heading 3": "heading",
    "Heading 4": "heading",
    "Body": "body",
    "Signature": "signature",
    "Date": "date",
    "Truncation Note": "note",
}
# Style names (lower case, no spaces) -> role; Word's English names and the
# Chinese names WPS and a Chinese Word write.
_ROLE_OF_NAME = {
    "title": "title", "标题": "title",
    "subtitle": "byline", "副标题": "byline", "byline": "byline",
    "salutation": "salutation", "称呼": "salutation",
    "body": "body",
    "signature": "signature", "签名": "signature",
    "date": "date", "日期": "date",
    "truncationnote": "note",
    "tocheading": "toc", "toc标题": "toc", "目录标题": "toc",
}
_HEADING_NAME_RE = re.compile(r"(?:heading|标题)(\d)")
_TOC_NAME_RE = re.compile(r"(?:toc|目录)(\d)")


def _name_key(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).lower()


@dataclass(frozen=True, slots=True)
class StyleInfo:
    role: str | None = None  # title, byline, salutation, body, signature, date, note, toc; None: body text
    level: int | None = None  # heading level, 1-based
    num: tuple[str, int | None] | None = None  # (numId, ilvl) of its w:numPr
    align: str | None = None


class _Styles:
    """A document's paragraph styles, each resolved through w:basedOn."""

    def __init__(self, root: Any) -> None:
        self._raw: dict[str, Any] = {}
        self.default: str | None = None
        self.names: set[str] = set()
        for el in root.findall(_w("style")) if root is not None else ():
            if el.get(_w("type"), "paragraph") != "paragraph":
                continue
            sid = el.get(_w("styleId"), "")
            self._raw[sid] = el
            name = el.find(_w("name"))
            self.names.add(name.get(_VAL, "") if name is not None else sid)
            if el.get(_w("default")) in ("1", "true", "on"):
                self.default = sid
        self._resolved: dict[str, StyleInfo] = {}

    def num_ids(self) -> dict[str, str]:
        """style id -> the numId of its own w:numPr (for w:numStyleLink)."""
        out = {}
        for sid, el in self._raw.items():
            num = el.find(f"{PPR}/{_w('numPr')}/{_w('numId')}")
            if num is not None:
                out[sid] = num.get(_VAL, "")
        return out

    def _chain(self, sid: str) -> Iterator[tuple[str, Any]]:
        seen: set[str] = set()
        while sid in self._raw and sid not in seen:
            seen.add(sid)
            el = self._raw[sid]
            yield sid, el
            based = el.find(_w("basedOn"))
            sid = based.get(_VAL, "") if based is not None else ""

    def info(self, sid: str | None) -> StyleInfo:
        sid = sid if sid in self._raw else self.default
        if sid is None:
            return StyleInfo()
        if sid in self._resolved:
            return self._resolved[sid]
        role: str | None = None
        level: int | None = None
        decided = False
        num: tuple[str, int | None] | None = None
        align: str | None = None
        for style_id, el in self._chain(sid):
            ppr = el.find(PPR)
            if num is None and ppr is not None and (num_pr := ppr.find(_w("numPr"))) is not None:
                num_id = num_pr.find(_w("numId"))
                ilvl = num_pr.find(_w("ilvl"))
                if num_id is not None:
                    num = (num_id.get(_VAL, ""), _level_value(ilvl))
            if align is None and ppr is not None and (jc := ppr.find(_w("jc"))) is not None:
                align = jc.get(_VAL)
            if decided:
                continue
            name_el = el.find(_w("name"))
            key = _name_key(name_el.get(_VAL, "") if name_el is not None else style_id)
            named_role = _ROLE_OF_NAME.get(key) or ("toc" if _TOC_NAME_RE.fullmatch(key) else None)
            outline = _level_value(ppr.find(_w("outlineLvl")) if ppr is not None else None)
            heading = _HEADING_NAME_RE.fullmatch(key)
            if named_role is not None and named_role != "body":
                role, decided = named_role, True
            elif outline is not None:
                level, decided = (outline + 1 if outline < 9 else None), True
            elif heading is not None:
                level, decided = max(int(heading.group(1)), 1), True
            elif named_role == "body":
                role, decided = "body", True
        info = StyleInfo(role, level, num, align)
        self._resolved[sid] = info
        return info


def _level_value(el: Any) -> int | None:
    if el is None:
        return None
    try:
        return int(el.get(_VAL, ""))
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# The body, paragraph by paragraph


@dataclass(slots=True)
class Found:
    """What the walk left out or changed, by kind."""

    deletions: int = 0
    insertions: int = 0
    comments: int = 0
    images: int = 0
    text_boxes: int = 0
    footnotes: int = 0
    endnotes: int = 0
    hidden: int = 0
    embedded: int = 0
    toc: int = 0
    tables: int = 0
    table_rows: int = 0


@dataclass(frozen=True, slots=True)
class DocxParagraph:
    text: str  # as shown, a manual line break as "\n"
    number: int  # 1-based, in reading order (a table row counts one)
    style: StyleInfo = field(default_factory=StyleInfo)
    level: int | None = None  # heading level (paragraph w:outlineLvl, else the style's)
    align: str | None = None
    table: bool = False  # a table row's cells


class _Walker:
    def __init__(self, styles: _Styles, numbering: Numbering, found: Found) -> None:
        self.styles = styles
        self.numbering = numbering
        self.found = found
        self.out: list[DocxParagraph] = []
        self._carry = ""  # a paragraph whose mark was deleted runs on into the next

    # -- blocks --------------------------------------------------------------

    def body(self, container: Any) -> list[DocxParagraph]:
        for kind, el in self._blocks(container):
            if kind == "p":
                self._paragraph(el)
            else:
                self._table(el)
        if self._carry:
            self.out.append(DocxParagraph(self._carry, len(self.out) + 1))
        return self.out

    def _blocks(self, container: Any) -> Iterator[tuple[str, Any]]:
        for child in container:
            tag = child.tag
            if tag == P:
                yield "p", child
            elif tag == TBL:
                yield "tbl", child
            elif tag == SDT:
                gallery = child.find(f"{_w('sdtPr')}/{_w('docPartObj')}/{_w('docPartGallery')}")
                if gallery is not None and "contents" in gallery.get(_VAL, "").lower():
                    self.found.toc += 1  # a table of contents: Word makes it again from the headings
                    continue
                content = child.find(SDT_CONTENT)
                if content is not None:
                    yield from self._blocks(content)
            elif tag in (_w("customXml"), _w("ins"), _w("moveTo")):
                yield from self._blocks(child)
            elif tag in _DELETED:
                self.found.deletions += 1
            elif tag == _w("altChunk"):
                self.found.embedded += 1

    def _paragraph(self, p: Any) -> None:
        ppr = p.find(PPR)
        style_el = ppr.find(PSTYLE) if ppr is not None else None
        style = self.styles.info(style_el.get(_VAL) if style_el is not None else None)
        text = self._carry + self._text(p)
        self._carry = ""
        if ppr is not None and _on(ppr.find(f"{RPR}/{_w('del')}")):
            # Its paragraph mark was deleted: accepted, it joins the next one.
            self.found.deletions += 1
            self._carry = text
            return
        level = style.level
        own_level = _level_value(ppr.find(_w("outlineLvl")) if ppr is not None else None)
        if own_level is not None:
            level = own_level + 1 if own_level < 9 else None
        align = style.align
        jc = ppr.find(_w("jc")) if ppr is not None else None
        if jc is not None:
            align = jc.get(_VAL)
        marker = self._marker(ppr, style, style_el.get(_VAL) if style_el is not None else None)
        if marker is not None and text.strip():
            text = join_marker(marker[0], marker[1], text.lstrip())
        self.out.append(DocxParagraph(text, len(self.out) + 1, style, level, align))

    def _marker(self, ppr: Any, style: StyleInfo, style_id: str | None) -> tuple[str, str] | None:
        num_pr = ppr.find(_w("numPr")) if ppr is not None else None
        if num_pr is not None:
            num_id = num_pr.find(_w("numId"))
            ilvl = _level_value(num_pr.find(_w("ilvl")))
            if num_id is not None:
                return self.numbering.marker(num_id.get(_VAL, ""), ilvl or 0)
            if ilvl is not None and style.num is not None:
                return self.numbering.marker(style.num[0], ilvl)
        if style.num is not None:
            num_id, ilvl = style.num
            if ilvl is None:
                ilvl = self.numbering.level_for_style(num_id, style_id or "")
            return self.numbering.marker(num_id, ilvl)
        return None

    def _table(self, tbl: Any) -> None:
        flattened = False
        for row in self._rows(tbl, TR):
            texts: list[list[DocxParagraph]] = []
            for cell in self._rows(row, TC):
                inner = _Walker(self.styles, self.numbering, self.found)
                inner.body(cell)
                texts.append([p for p in inner.out if p.text.strip()])
            full = [ps for ps in texts if ps]
            if len(full) == 1:
                # One cell holding text: a table used for layout, or a boxed
                # paragraph: its paragraphs are the document's own.
                for para in full[0]:
                    self.out.append(replace(para, number=len(self.out) + 1))
                continue
            if not full:
                continue
            flattened = True
            self.found.table_rows += 1
            row_text = "\u3000".join("\u3000".join(_one_line(p.text) for p in ps) for ps in full)
            self.out.append(DocxParagraph(row_text, len(self.out) + 1, table=True))
        self.found.tables += flattened

    def _rows(self, parent: Any, tag: str) -> Iterator[Any]:
        """``parent``'s children of ``tag`` (rows of a table, cells of a
        row), also inside content controls and custom XML."""
        for child in parent:
            if child.tag == tag:
                yield child
            elif child.tag in (SDT, _w("customXml")):
                content = child.find(SDT_CONTENT) if child.tag == SDT else child
                if content is not None:
                    yield from self._rows(content, tag)

    # -- text ----------------------------------------------------------------

    def _text(self, p: Any) -> str:
        parts: list[str] = []
        fields: list[bool] = []  # per open complex field: past its separator (showing its result)
        self._inline(p, parts, fields)
        return "".join(parts)

    def _inline(self, el: Any, parts: list[str], fields: list[bool]) -> None:
        for child in el:
            tag = child.tag
            if tag == R:
                self._run(child, parts, fields)
            elif tag in _INLINE_CONTAINERS:
                if tag == _w("ins"):
                    self.found.insertions += 1
                self._inline(child, parts, fields)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self._inline(content, parts, fields)
            elif tag in _DELETED:
                self.found.deletions += 1
            elif tag == _w("commentRangeStart"):
                self.found.comments += 1
            elif tag in (f"{{{_M}}}oMath", f"{{{_M}}}oMathPara"):
                parts.extend(t.text or "" for t in child.iter(f"{{{_M}}}t"))
            elif tag in _OBJECTS:
                self._object(child)

    def _object(self, el: Any) -> None:
        if next(el.iter(_TEXT_BOX), None) is not None:
            self.found.text_boxes += 1
        else:
            self.found.images += 1

    def _run(self, r: Any, parts: list[str], fields: list[bool]) -> None:
        rpr = r.find(RPR)
        hidden = rpr is not None and (_on(rpr.find(_w("vanish"))) or _on(rpr.find(_w("specVanish"))))
        if hidden and any(c.tag == T and c.text for c in r):
            self.found.hidden += 1
        for c in r:
            tag = c.tag
            if tag == _w("fldChar"):
                kind = c.get(_w("fldCharType"))
                if kind == "begin":
                    fields.append(False)
                elif kind == "separate" and fields:
                    fields[-1] = True
                elif kind == "end" and fields:
                    fields.pop()
                continue
            if hidden or (fields and not fields[-1]):
                continue  # hidden text, or a field's code
            if tag == T:
                parts.append(c.text or "")
            elif tag in (_w("tab"), _w("ptab")):
                parts.append("\t")
            elif tag in (_w("br"), _w("cr")):
                parts.append("\n")
            elif tag == _w("noBreakHyphen"):
                parts.append("-")
            elif tag == _w("sym"):
                parts.append(_symbol(c))
            elif tag in _OBJECTS:
                self._object(c)
            elif tag == _w("footnoteReference"):
                self.found.footnotes += 1
            elif tag == _w("endnoteReference"):
                self.found.endnotes += 1
            elif tag == _w("commentReference"):
                pass  # counted at its range
            elif tag == _w("ruby"):
                base = c.find(_w("rubyBase"))
                if base is not None:
                    self._inline(base, parts, fields)


def _symbol(el: Any) -> str:
    """A w:sym character, when it is a Unicode character (not a glyph of a
    symbol font's private area)."""
    try:
        code = int(el.get(_w("char"), ""), 16)
    except ValueError:
        return ""
    if 0xE000 <= code <= 0xF8FF or code < 0x20:
        return ""
    return chr(code)


def _one_line(text: str, keep_tabs: bool = False) -> str:
    """A paragraph's lines joined: nothing between Chinese characters, a
    space between Latin words; tabs read as spaces (unless ``keep_tabs``:
    an outline's text may hold one, and ours writes it as it is)."""
    if not keep_tabs:
        text = re.sub(r" *\t[\t ]*", " ", text)
    lines = [line.strip(" \u3000\r\n") if keep_tabs else line.strip() for line in text.split("\n")]
    out = ""
    for line in lines:
        if not line:
            continue
        if out and is_latin_alnum(out[-1]) and is_latin_alnum(line[0]):
            out += " "
        out += line
    return out


# ---------------------------------------------------------------------------
# Parts beside the body


def _related(doc: Any, suffix: str) -> list[Any]:
    """The XML parts the main document relates to with a relationship type
    ending in ``suffix`` (header, footer, numbering, comments)."""
    out = []
    for rel in doc.part.rels.values():
        if rel.is_external or not rel.reltype.endswith(f"/{suffix}"):
            continue
        element = getattr(rel.target_part, "element", None)
        if element is not None:
            out.append(element)
    return out


_PAGE_FURNITURE_RE = re.compile(r"[\s\d\-—–·•/|第页共頁]|page|of", re.I)


def _header_footer_text(doc: Any, kind: str, title: str, styles: _Styles, numbering: Numbering) -> bool:
    """Do the headers (or footers) hold text besides page numbers and the
    title (our handout's running header)?"""
    walker = _Walker(styles, numbering, Found())
    for root in _related(doc, kind):
        walker.body(root)
    title_key = _PAGE_FURNITURE_RE.sub("", norm(title))
    for para in walker.out:
        rest = _PAGE_FURNITURE_RE.sub("", norm(para.text)).rstrip("….")  # (NFKC makes … three dots)
        if rest and not (title_key and rest in title_key):
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Core:
    title: str = ""
    author: str = ""
    subject: str = ""


def _core(doc: Any) -> _Core:
    """The core properties, when the package has them (python-docx makes up
    defaults for a package without: "Word Document", "python-docx")."""
    package = doc.part.package
    if not any(rel.reltype.endswith("/core-properties") for rel in package.rels.values()):
        return _Core()
    props = doc.core_properties
    return _Core(props.title or "", props.author or "", props.subject or "")


# Authors a program writes, not a speaker.
_PLACEHOLDER_AUTHORS = {"微软用户", "微软中国", "用户", "作者", "管理员", "未知", "佚名", "windows用户", "microsoftoffice用户"}


def _speaker(author: str, ours: bool) -> str | None:
    """The core author as the speaker: ours wrote meta.speaker there; in
    another document it is often the computer's account (Administrator,
    Lenovo, 微软用户), so only a Chinese name is taken."""
    if not author.strip():
        return None
    if ours:
        return author
    author = author.strip()
    if not re.search(r"[\u4e00-\u9fff]", author) or _name_key(author) in _PLACEHOLDER_AUTHORS:
        return None
    return author


# ---------------------------------------------------------------------------
# Reading


def read_docx(data: bytes, *, source: str | None = None) -> Outline:
    """The outline of a .docx (module docstring).  Raises InputError for
    what is not a readable .docx."""
    doc = _open(data)
    found = Found()
    styles = _Styles(doc.styles.element)
    numbering_roots = _related(doc, "numbering")
    numbering = Numbering(numbering_roots[0] if numbering_roots else None, styles.num_ids())
    paras = _Walker(styles, numbering, found).body(doc.element.body)
    core = _core(doc)
    # A document our renderer wrote: it defines our Truncation Note style and
    # sets its text in our Body style.
    ours = "Truncation Note" in styles.names or any(p.style.role == "body" for p in paras)
    styled = ours or _has_heading_styles(paras)
    if styled:
        outline = _by_styles(paras, core, ours, found, source)
    else:
        outline = _by_rules(paras, core, found, source)
    dropped = _dropped(found, doc, outline.title, styles, numbering)
    summary = tuple(w for w in outline.warnings if w.code == "summary")  # (the summary stays last)
    rest = tuple(w for w in outline.warnings if w.code != "summary")
    return replace(outline, warnings=rest + tuple(dropped) + summary)


def _has_heading_styles(paras: list[DocxParagraph]) -> bool:
    """Does the document mark its headings with styles?  Not when its only
    heading-styled paragraphs stand before its body text and open with no
    heading marker: the title set in Heading 1 over a body formatted by
    hand."""
    first_body = next((i for i, p in enumerate(paras) if p.text.strip() and p.level is None
                       and p.style.role not in ("title", "byline", "toc", "note")), len(paras))
    return any(p.level is not None and (i > first_body or match_marker(p.text.strip()) is not None)
               for i, p in enumerate(paras))


def _dropped(found: Found, doc: Any, title: str, styles: _Styles, numbering: Numbering) -> list[Warning]:
    warnings = []
    if found.deletions or found.insertions:
        warnings.append(Warning("docx_dropped", f"tracked changes read as accepted: {found.deletions} deletion(s) "
                                                f"dropped, {found.insertions} insertion(s) kept"))
    comments = found.comments or _comments(doc)
    if comments:
        warnings.append(Warning("docx_dropped", f"{comments} comment(s) left out"))
    kinds = [
        (found.images, "image(s) or drawing(s) left out"),
        (found.text_boxes, "text box(es) left out, with their text"),
        (found.footnotes, "footnote(s) left out (the note numbers and texts)"),
        (found.endnotes, "endnote(s) left out (the note numbers and texts)"),
        (found.hidden, "run(s) of hidden text left out"),
        (found.embedded, "embedded document(s) left out"),
        (found.toc and 1, "table of contents left out (Word makes it again from the headings)"),
    ]
    for count, what in kinds:
        if count:
            warnings.append(Warning("docx_dropped", f"{count} {what}"))
    for kind in ("header", "footer"):
        if _header_footer_text(doc, kind, title, styles, numbering):
            warnings.append(Warning("docx_dropped", f"the page {kind}s left out (their text is not the lecture's)"))
    if found.tables:
        warnings.append(Warning("docx_table", f"{found.tables} table(s) read as text: {found.table_rows} row(s) "
                                              "as paragraphs, their cells separated by a full-width space"))
    return warnings


def _comments(doc: Any) -> int:
    return sum(1 for root in _related(doc, "comments") for _ in root.iter(_w("comment")))


def _clean(text: str, keep_tabs: bool) -> str:
    return _one_line(text, keep_tabs).strip(" \u3000\r\n" if keep_tabs else None)


_SENTENCE_END = "。！？!?；;…"


def _by_styles(paras: list[DocxParagraph], core: _Core, ours: bool, found: Found, source: str | None) -> Outline:
    title_parts: list[str] = []
    title_done = False
    truncated = False
    blocks: list[Block] = []
    aligns: list[str | None] = []  # each block's alignment (another document's front and 落款)
    warnings: list[Warning] = []
    for para in paras:
        role = para.style.role
        if role == "toc":
            found.toc += 1
            continue
        if role == "note":
            truncated = True
            warnings.append(Warning("truncated", "the .docx ends with the note that the text is incomplete", para.number))
            continue
        text = _clean(para.text, ours)
        if not text:
            continue
        if role == "title" and para.level is None and not title_done:
            title_parts.append(text)
            continue
        title_done = title_done or bool(title_parts)
        if para.level is not None and not para.table:
            blocks.append(Heading(min(para.level, MAX_HEADING_LEVEL), text))
        elif role == "salutation":
            blocks.append(Salutation(text))
        elif role in ("byline", "signature", "date"):
            blocks.append(Paragraph(text, role))  # type: ignore[arg-type]
        else:
            blocks.append(Paragraph(text))
        aligns.append(para.align)
    title = _one_line("\n".join(title_parts))
    # The core title is the outline's title whole when ours wrote it: it
    # keeps a space the title's line breaks took.
    if core.title and title and re.sub(r"\s", "", core.title) == re.sub(r"\s", "", title):
        title = core.title
    if not ours:
        title, blocks, aligns = _front_and_closing(title, blocks, aligns, core, warnings)
        # Levels by rank among those used (the outline's contract): a
        # document whose top headings are Heading 2 has them at level 1.
        used = sorted({b.level for b in blocks if isinstance(b, Heading)})
        rank = {level: i + 1 for i, level in enumerate(used)}
        blocks = [replace(b, level=rank[b.level]) if isinstance(b, Heading) else b for b in blocks]
    meta = Meta(
        subtitle=core.subject if core.subject.strip() else None,
        speaker=_speaker(core.author, ours),
        date=next((b.text.strip("（）() ") for b in blocks if isinstance(b, Paragraph) and b.role == "byline"
                   and is_date(b.text)), None),
        source=source,
    )
    headings = sum(1 for b in blocks if isinstance(b, Heading))
    warnings.extend(numbering_gaps(blocks))
    warnings.extend(masked_text(blocks))
    warnings.append(Warning("summary", f"read {len(paras)} paragraph(s) of a Word document by their styles: "
                                       f"{headings} heading(s), {len(blocks) - headings} other block(s)"))
    return Outline(title, tuple(blocks), meta, tuple(warnings), truncated)


def _front_and_closing(title: str, blocks: list[Block], aligns: list[str | None], core: _Core,
                       warnings: list[Warning]) -> tuple[str, list[Block], list[str | None]]:
    """Another document's title, bylines, salutation and 落款, told by
    where they stand and how they are aligned (its headings came from its
    styles)."""
    first_heading = next((i for i, b in enumerate(blocks) if isinstance(b, Heading)), len(blocks))
    i = 0
    if not title and blocks and isinstance(blocks[0], Paragraph) and blocks[0].role is None and first_heading > 0:
        text = blocks[0].text
        if aligns[0] == "center" or (display_width(text) <= 60 and text[-1] not in _SENTENCE_END):
            title = text
            blocks, aligns = blocks[1:], aligns[1:]
            first_heading -= 1
    if not title and core.title.strip():
        title = core.title.strip()
    if title and blocks and norm(blocks[0].text) == norm(title):
        warnings.append(Warning("title_repeated", f"removed the title repeated in the body: {blocks[0].text}"))
        blocks, aligns = blocks[1:], aligns[1:]
        first_heading -= 1
    # Centred lines under the title: bylines (——在……上的讲话, the speaker, the date).
    while i < first_heading and (para := _plain(blocks[i])) is not None \
            and (aligns[i] == "center" or para.text.startswith(("——", "--"))) \
            and display_width(para.text) <= 60 and para.text[-1] not in "。！？!?":
        blocks[i] = Paragraph(para.text, "byline")
        i += 1
    while i < first_heading and isinstance(blocks[i], Paragraph) and blocks[i].role == "byline":  # type: ignore[union-attr]
        i += 1
    if i < first_heading and (para := _plain(blocks[i])) is not None:
        m = SALUTATION_RE.match(para.text)
        if m and display_width(m.group()) <= 40:
            rest = para.text[m.end():].strip()
            blocks[i:i + 1] = [Salutation(m.group())] + ([Paragraph(rest)] if rest else [])
            aligns[i:i + 1] = [aligns[i]] * (2 if rest else 1)
    # Right-aligned short lines at the end: the 落款.
    k = len(blocks)
    while k > 0 and len(blocks) - k < 4 and isinstance(blocks[k - 1], Paragraph) and aligns[k - 1] in ("right", "end") \
            and display_width(blocks[k - 1].text) <= 40:
        k -= 1
    if k > 0:
        for j in range(k, len(blocks)):
            text = blocks[j].text
            blocks[j] = Paragraph(text, "date" if is_date(text) else "signature")
    return title, blocks, aligns


def _plain(block: Block) -> Paragraph | None:
    """``block`` when it is a paragraph of body text."""
    return block if isinstance(block, Paragraph) and block.role is None else None


def _by_rules(paras: list[DocxParagraph], core: _Core, found: Found, source: str | None) -> Outline:
    """A document without heading styles: its paragraphs, a line each,
    through the raw reader's rules."""
    from . import read_lines

    lines: list[str] = []
    truncated = False
    for para in paras:
        if para.style.role == "toc":
            found.toc += 1
            continue
        if para.style.role == "note":
            truncated = True
            continue
        text = _LINE_BREAKS_RE.sub(" ", para.text.replace("\t", " "))
        if para.style.role == "title":
            text = _one_line(text)  # its lines are one title
        lines.extend(line.strip() for line in text.split("\n"))
    outline = read_lines(lines, source=source)
    meta = outline.meta
    if meta.speaker is None and (speaker := _speaker(core.author, False)):
        meta = replace(meta, speaker=speaker)
    if meta.subtitle is None and core.subject.strip():
        meta = replace(meta, subtitle=core.subject.strip())
    title = outline.title or core.title.strip()
    if truncated and not outline.truncated:
        warnings = outline.warnings + (Warning("truncated", "the .docx ends with the note that the text is incomplete"),)
        return replace(outline, title=title, meta=meta, truncated=True, warnings=warnings)
    return replace(outline, title=title, meta=meta)


# Characters clean.py would take for line breaks: inside a paragraph they are spaces.
_LINE_BREAKS_RE = re.compile("[\r\x0c\x85\u2028\u2029]")
