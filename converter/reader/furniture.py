"""Page furniture told by its shape, not its words: the menus, breadcrumbs,
info lines and buttons a site puts around a text, which no pattern file can
list for every site.

A furniture line is short pieces split by separators ("首页 | 文档 | 登录",
"首页 > 讲话稿 > 领导讲话"), key-value information with numbers
("浏览：1,234 次　页数：12"), addresses and Latin code, or a run of very short
lines one under another (a menu, an item a line).  clean.py removes what the
pattern file names; this module finds the rest around the title and at the
end of the body, where structure.py asks.
"""

from __future__ import annotations

import re

from ..cjk import display_width
from ..regex_cache import ModulePatterns

_re = ModulePatterns(__name__)  # its patterns are compiled once, then read from disk (regex_cache.py)

# Separators between the items of a menu or a breadcrumb.
_SEPARATOR_RE = _re.compile(r"\s*(?:[|｜丨>»›→＞/／·•]|\s{2,}|\u3000)\s*")
_STRONG_SEPARATORS = "|｜丨>»›→＞"
# "浏览：1234" "发布时间:2024-03-05 10:20" "页数：12页" "大小：1.2MB"
_KEY_VALUE_RE = _re.compile(r"([\u4e00-\u9fffA-Za-z]{1,6})\s*[:：]\s*([^\s:：]{1,40})")
# A count or a machine date ("1,234次" "12页" "2024-03-05 10:20"), not a date
# as a document writes it ("2025年5月16日上午": a 时间： line of the text).
_NUMERIC_VALUE_RE = _re.compile(r"[\d０-９][\d０-９.,:：\-/\s]*(?:[次页人个份条篇KMkmGB分星%％万]|[A-Za-z]{0,3})?")
_ADDRESS_RE = _re.compile(r"(?:https?://|www\.|@|[A-Za-z0-9-]\.(?:com|cn|net|org|top|vip|cc|info|xyz|site|gov|edu)\b)", re.I)
_FINAL = "。！？!?…；;"
# "2023-10-18" "2023/10/18 09:30" "10:20": a site's time stamp, not a document's date.
_MACHINE_DATE_RE = _re.compile(r"(?<!\d)(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}:\d{2}(?::\d{2})?)(?!\d)")
# "所属分类：讲话稿", "责任编辑：综合组", "（责编：张三）": a short label and its
# value on a line of their own (a site's info line, or a document's own
# "时间：…" line: the callers decide what it is where it stands).
LABEL_LINE_RE = _re.compile(r"[（(【]?[\u4e00-\u9fff]{2,6}[：:]\s*[^\s，,。；;：:]{1,12}[）)】]?")
# A line this short, in a run of such lines, is a menu item.
MENU_ITEM_WIDTH = 6
# Furniture lines are short.
MAX_FURNITURE_WIDTH = 80


# A button: a few words in square brackets ("[登录]", "【打印】").
_BUTTON_RE = _re.compile(r"[【\[［〖]\s*[^【】\[\]［］〖〗]{1,8}\s*[】\]］〗]")


def _pieces(text: str) -> list[str]:
    return [p for p in _SEPARATOR_RE.split(text.strip()) if p]


def is_furniture(text: str, *, latin: bool = True) -> bool:
    """Does this one line read as a site's menu, breadcrumb, info line,
    button row or address rather than as words of the document?
    ``latin``: a line mostly in Latin letters counts (not where English
    prose may be wrapped)."""
    text = text.strip()
    if not text or display_width(text) > MAX_FURNITURE_WIDTH:
        return False
    buttons = _BUTTON_RE.findall(text)
    if len(buttons) >= 2 and display_width(text) <= 40 and 3 * sum(map(display_width, buttons)) >= display_width(text):
        return True  # a greeting before a row of buttons: "欢迎您，游客！[登录] [注册]"
    if any(c in _FINAL for c in text):
        return False
    if _ADDRESS_RE.search(text):
        return True
    pieces = _pieces(text)
    strong = any(c in text for c in _STRONG_SEPARATORS)
    if len(pieces) >= 2 and strong and all(display_width(p) <= 16 for p in pieces[:-1]):
        return True  # a breadcrumb's last piece may be the page's title
    if re.fullmatch(r"(?:[【\[［〖]\s*[^【】\[\]［］〖〗]{1,8}\s*[】\]］〗]\s*)+", text):
        return True  # a button or a row of them: "【打印本页】", "[返回顶部]", "【大】【中】【小】"
    if text[-1] in _STRONG_SEPARATORS[3:] and display_width(text) <= 24:
        return True  # a link's arrow ends it: "获取完整版 >>", "阅读全文 ›" (no title ends so)
    words = text.split()
    latin_words = sum(1 for w in words if any(c.isascii() and c.isalpha() for c in w))
    if len(words) >= 3 and all(display_width(w) <= MENU_ITEM_WIDTH + 2 for w in words) and latin_words * 2 < len(words):
        return True  # "分享 收藏 12 在看 35 赞", "首页  文档  登录"
    if len(pieces) >= 3 and all(display_width(p) <= MENU_ITEM_WIDTH + 2 for p in pieces):
        return True
    if re.search(r"\s[-–—]\s", text) and all(display_width(p) <= 20 for p in re.split(r"\s[-–—]\s", text)):
        return True  # "百度文库 - 让每个人平等地提升自我"
    pairs = _KEY_VALUE_RE.findall(text)
    if len(pairs) >= 2:
        return True
    if len(pairs) == 1 and display_width(text) <= 40 and (
        _NUMERIC_VALUE_RE.fullmatch(pairs[0][1]) or not any("\u3400" <= c <= "\u9fff" for c in pairs[0][1])
    ):
        return True  # a count, a time stamp, an ID, a star rating: no words of a text
    if _MACHINE_DATE_RE.search(text):
        return True
    if not latin:
        return False
    letters = sum(1 for c in text if c.isascii() and c.isalpha())
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    if cjk == 0 and letters and display_width(text) <= 20:
        return True  # "=END=", "THE END", "Powered by …"
    return letters > 3 and letters > 2 * cjk and cjk < 4  # ("学习读后感 My Thoughts after Reading" is a title)


def names_a_site(text: str) -> bool:
    """A line that names a site, whatever else it holds: an address, a
    copyright sign, a menu's strong separators ("关于我们｜联系我们")."""
    return bool(_ADDRESS_RE.search(text)) or any(c in text for c in "©®™" + _STRONG_SEPARATORS)


def menu_run(texts: list[str], k: int) -> bool:
    """Is line ``k`` a very short line next to another very short line (a
    menu, an item a line), or furniture itself?"""
    if is_furniture(texts[k]):
        return True
    if display_width(texts[k].strip()) > MENU_ITEM_WIDTH:
        return False
    near = [j for j in (k - 1, k + 1) if 0 <= j < len(texts)]
    return any(display_width(texts[j].strip()) <= MENU_ITEM_WIDTH or is_furniture(texts[j]) for j in near)


def is_info_line(text: str) -> bool:
    """A page's information line about the text, as sites print it right
    under a title: key-value pairs with numbers or a machine time stamp
    ("发布时间：2024-03-15 09:30", "浏览：1,234 次 | 页数：9")."""
    text = text.strip()
    if not is_furniture(text):
        return False
    pairs = _KEY_VALUE_RE.findall(text)
    return len(pairs) >= 2 or bool(_MACHINE_DATE_RE.search(text)) or any(_NUMERIC_VALUE_RE.fullmatch(v) for _, v in pairs)
