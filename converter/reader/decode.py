"""Stage 1: bytes -> text.

Order: a byte-order mark, then strict UTF-8, then strict GB18030 (which also
covers GBK and GB2312), then charset-normalizer's guess.  Binary files and
empty input are refused with a message that names the problem.
"""

from __future__ import annotations

import codecs

from ..errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of files people upload by mistake instead of text.
_MAGIC = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .pptx or .xlsx is one)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc/.xls/.ppt)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


def sniff_binary(data: bytes) -> str | None:
    """Name the kind of binary file ``data`` is, or None if it may be text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if b"\x00" in data[:65536]:
        return "a binary file (it contains NUL bytes)"
    return None


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used).  Raises InputError for binary, empty or
    undecodable input."""
    if encoding:
        try:
            info = codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        if not getattr(info, "_is_text_encoding", True):  # rot13, base64, zlib: codecs, not character sets
            raise InputError(f"{encoding!r} is not a character encoding; give one such as utf-8 or gb18030")
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as err:
            cut = _cut_inside_last_character(data, err)
            if cut is not None:
                return _check_text(data[:cut].decode(encoding).lstrip("\ufeff")), encoding
            raise InputError(
                f"the input is not valid {encoding}: byte {err.start} ({data[err.start:err.start + 1]!r}) cannot be decoded"
            ) from None
        return _check_text(text.lstrip("\ufeff")), encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom):].decode(name)), name
            except UnicodeDecodeError:
                raise InputError(f"the input starts with a {name} byte-order mark but is not valid {name}") from None
    found = _utf16_without_bom(data)
    if found is not None:
        return found
    kind = sniff_binary(data)
    if kind:
        raise InputError(f"the input is {kind}, not text; save it as plain text (.txt) first")
    for name in ("utf-8", "gb18030"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError as err:
            cut = _cut_inside_last_character(data, err)
            if cut is None:
                continue
            text = data[:cut].decode(name)
        repaired = undo_mojibake(text)
        if repaired is not None:
            return _check_text(repaired.lstrip("\ufeff")), f"{name} ({MOJIBAKE_NOTE})"
        return _check_text(text), name
    from charset_normalizer import from_bytes  # slow import, needed only for odd encodings

    best = from_bytes(data).best()
    if best is None:
        raise InputError("the input's encoding could not be recognised; pass --encoding")
    return _check_text(str(best)), best.encoding


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without a byte-order mark (some Windows tools):
    its line breaks and ASCII characters hold NUL bytes, which sniff_binary
    would call binary.  Taken as UTF-16 (little- or big-endian, whichever
    reads as more text) when the bytes decode strictly and nearly every
    character of the first 32K is one a Chinese text is made of: CJK
    ideographs and punctuation, full-width forms, general punctuation,
    printable ASCII, tab and line breaks.  Binary data read as UTF-16 gives
    code points spread over the whole plane instead.  Else None."""
    if len(data) % 2 or b"\x00" not in data[:65536]:
        return None
    best: tuple[float, str, str] | None = None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        sample = text[:32768]
        share = sum(1 for ch in sample if _text_like(ch)) / len(sample)
        if best is None or share > best[0]:
            best = (share, name, text)
    if best is None or best[0] < 0.95:
        return None
    _, name, text = best
    return _check_text(text), f"{name} (no byte-order mark)"


def _text_like(ch: str) -> bool:
    return (" " <= ch <= "~" or ch in "\t\n\r" or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
            or "\u2000" <= ch <= "\u206f" or "\u00a0" <= ch <= "\u00ff")


MOJIBAKE_NOTE = "repaired: UTF-8 once read as Windows-1252"
# Windows-1252's characters for the bytes 0x80-0x9F (the rest of them map to
# U+0080-U+009F, as Windows and browsers leave them).
_CP1252_HIGH = {bytes([b]).decode("cp1252", errors="ignore"): b for b in range(0x80, 0xA0)}
_CP1252_HIGH.pop("", None)


def undo_mojibake(text: str) -> str | None:
    """Text that was UTF-8, read once as Windows-1252 (or Latin-1) and saved
    again ("å¾®å…šè¯¾" for "微党课"), as it was; None when ``text`` is not
    that.  The round trip is exact, so the repair is only taken when the
    bytes it gives back are valid UTF-8 and mostly Chinese."""
    sample = text[:20_000]
    latin = sum(1 for ch in sample if "\u00c0" <= ch <= "\u00ff")
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    if latin < 20 or cjk > latin:
        return None
    out = bytearray()
    for ch in text:
        code = ord(ch)
        if code < 0x100:
            out.append(code)
        elif ch in _CP1252_HIGH:
            out.append(_CP1252_HIGH[ch])
        else:
            return None  # a character Windows-1252 cannot have produced
    try:
        repaired = out.decode("utf-8")
    except UnicodeDecodeError as err:
        cut = _cut_inside_last_character(bytes(out), err)
        if cut is None:
            return None
        repaired = bytes(out[:cut]).decode("utf-8")
    if sum(1 for ch in repaired[:20_000] if "\u4e00" <= ch <= "\u9fff") < latin / 4:
        return None
    return repaired


def _cut_inside_last_character(data: bytes, err: UnicodeDecodeError) -> int | None:
    """Where to cut ``data`` when its only fault is a last character cut in
    half (a download or a site truncated by bytes), else None.  UTF-8 says
    "unexpected end of data", GB18030 "incomplete multibyte sequence"."""
    reason = str(err.reason)
    if err.start >= len(data) - 3 and ("end of data" in reason or "incomplete" in reason):
        return err.start
    return None


def _check_text(text: str) -> str:
    if not text.strip():
        raise InputError("the input is empty (it holds no text)")
    return text
