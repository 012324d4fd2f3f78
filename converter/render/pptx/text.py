"""Condensing lecture text for slides, extractively: sentences, items,
quotations, bullets.  Pure text work, no document library.

Every string this module hands out is a verbatim slice of its input (a
bullet is ``text[start:end]`` of its paragraph), so the deck never says
anything the lecturer did not write.  The scoring is deliberately simple and
explainable: cue words of the genre (必须, 要, 坚持, 关键在于 …) and the
position of a sentence in its section.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ...markers import match_marker

# A sentence ends after one of these, outside quotation marks.
SENTENCE_END = "。！？；!?;"
# Inside a quotation a sentence-final mark ends the sentence only together
# with the closing mark that ends the quotation (…存亡。”我们…).
_INNER_FINAL = "。！？!?…"
_OPEN = "“‘「『（《〈(【"
_CLOSE = "”’」』）》〉)】"
_PAIR = dict(zip(_OPEN, _CLOSE))
# Clause boundaries a bullet may be cut at (after the mark).
_CLAUSE_MARKS = "，；：、,;:"
# Items of an enumeration start a new piece even mid-sentence: 一是/二是,
# 第一，/第二、, 首先/其次/再次, 最后，.  Only after punctuation, so 统一是 or
# 第一书记 never count.
ITEM_RE = re.compile(r"[一二三四五六七八九十]是|第[一二三四五六七八九十]+[，、：,]|首先|其次|再次|最后[，,]")
_ITEM_AFTER = "，：；、。！？,:;!?”’）"
# A leading connective clause a bullet can do without.
_CONNECTIVE = re.compile(
    r"(?:因此|所以|为此|对此|同时|此外|另外|其中|总之|可见|当前|目前|如今|反之|相反|然而|但是|但|而且|"
    r"另一方面|一方面|与此同时|换言之|也就是说|事实上|实际上|具体而言|具体来说|总的来看|总而言之)[，,]"
)
_ITEM_PREFIX = re.compile(r"(?:[一二三四五六七八九十]是|第[一二三四五六七八九十]+[，、：,]|首先[，,]?|其次[，,]?|再次[，,]?|最后[，,])")
# A window that starts with one of these leans on the clause before it.
_DANGLING = re.compile(r"(?:而|并|且|使之|使|从而|进而|以|和|及|与|则|就|也|还|又|才|便|即)")

# Cue words, weighted: what a listener should take away.
_CUES: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (re.compile(p), w)
    for p, w in (
        (r"关键在于|根本在于|核心在于|重点在于|关键是|根本是", 4.0),
        (r"必须|务必|一定要|决不能|绝不能|坚决", 3.0),
        (r"唯有|只有", 2.0),
        (r"坚持|始终|切实|确保|着力|着眼|持之以恒|久久为功", 1.5),
        # 要 as a verb of obligation, not inside 重要/主要/需要/要求/要素…
        (r"(?<![重主需只纲摘提概紧将想])要(?![求素点件害闻])", 1.5),
        (r"必然要求|根本保障|重要基石|首要|根本前提|生命线|压舱石", 1.0),
        (r"总之|因此|由此可见|归根结底", 1.0),
    )
)
_SPEAKER_VERB = re.compile(
    r"(?:深刻|反复|多次|明确|曾经|曾|一再|郑重|特别|再次|还|也|都)*"
    r"(?:指出|强调|教导我们|告诫我们|要求我们|要求|说过|所说|说|讲过|讲|提出|谈到|寄语|号召|指示)"
    r"(?:我们|大家|的那样|那样)?$"
)
_SETTING = re.compile(r"(?:在[^，。]{2,30}?(?:上|中|时|期间|之际))$")


@dataclass(frozen=True, slots=True)
class Span:
    """``text[start:end]`` of paragraph ``para``."""

    para: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Quotation:
    """A quotation introduced by its speaker: 习近平总书记深刻指出，“……”.
    ``quote`` is the quoted words with their marks, verbatim; ``speaker`` the
    words naming who said it (习近平总书记), also verbatim; ``sentence`` the
    span of the sentence that carries it."""

    quote: str
    speaker: str
    sentence: Span


@dataclass(frozen=True, slots=True)
class Bullet:
    text: str
    span: Span  # where the bullet's words are: span.text == text
    score: float


# ---------------------------------------------------------------------------
# Sentences


@lru_cache(maxsize=4096)
def _depth_changes(text: str) -> tuple[int, ...]:
    """Quotation/bracket depth after each character (ASCII " toggles).
    Cached: the same paragraph is scanned for sentences, quotations and cuts."""
    out: list[int] = []
    stack: list[str] = []
    for ch in text:
        if ch in _OPEN:
            stack.append(_PAIR[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
        elif ch in _CLOSE and ch in stack:
            while stack and stack.pop() != ch:
                pass
        elif ch == '"':
            if stack and stack[-1] == '"':
                stack.pop()
            else:
                stack.append('"')
        out.append(len(stack))
    return tuple(out)


@lru_cache(maxsize=4096)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence of ``text``; together they cover it.

    A sentence ends after 。！？； at quotation depth 0 (with any closing marks
    and repeated marks that follow), or after a quotation that itself ends
    with a sentence-final mark.  An enumeration item (一是, 第二，, 首先)
    after punctuation starts a new piece."""
    depth = _depth_changes(text)
    cuts: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        end = -1
        if ch in SENTENCE_END and depth[i] == 0 or ch in _CLOSE and depth[i] == 0 and i > 0 and text[i - 1] in _INNER_FINAL:
            end = i + 1
        if end > 0:
            while end < n and (text[end] in SENTENCE_END or (text[end] in _CLOSE and depth[end] < depth[end - 1])):
                end += 1
            cuts.append(end)
            i = end
            continue
        item = i > 0 and depth[i - 1] == 0 and text[i - 1] in _ITEM_AFTER and ITEM_RE.match(text, i)
        if item and text[i - 1] not in SENTENCE_END:
            cuts.append(i)
        i += 1
    bounds = [0] + [c for c in cuts if 0 < c < n] + [n]
    spans = tuple((a, b) for a, b in itertools.pairwise(bounds) if a < b)
    return spans or ((0, n),)


def split_sentences(text: str) -> list[str]:
    """The sentences (and enumeration items) of ``text``, verbatim; joined
    they give ``text`` back."""
    return [text[a:b] for a, b in sentence_spans(text)]


def _clause_cuts(text: str) -> list[int]:
    """Offsets after each clause mark at depth 0, plus the ends."""
    depth = _depth_changes(text)
    cuts = [0]
    for i, ch in enumerate(text):
        if ch in _CLAUSE_MARKS + SENTENCE_END and depth[i] == 0 and 0 < i + 1 < len(text):
            cuts.append(i + 1)
    cuts.append(len(text))
    return cuts


def _after_enumeration_comma(text: str, cut: int) -> bool:
    """Is ``cut`` just after a 、 (inside an enumeration: a poor place to start
    or end a bullet)?"""
    return 0 < cut < len(text) and text[cut - 1] == "、"


# ---------------------------------------------------------------------------
# Quotations


def find_quotations(text: str) -> list[tuple[int, int, str]]:
    """Attributed quotations in ``text``: (start, end, speaker) where
    ``text[start:end]`` is the quotation with its marks “…”."""
    out = []
    depth = _depth_changes(text)
    for i, ch in enumerate(text):
        if ch != "“" or (i and depth[i - 1] != 0):
            continue
        j = next((k for k in range(i, len(text)) if depth[k] == 0), -1)
        if j < 0 or text[j] != "”":
            continue
        head = text[:i].rstrip("，：,: ")
        clause_start = max(head.rfind(c) for c in "，。；：！？”\n,;:") + 1
        clause = head[clause_start:]
        m = _SPEAKER_VERB.search(clause)
        if not m or m.start() == 0:
            continue
        who = clause[: m.start()]
        who = _SETTING.sub("", who)
        who = re.sub(r"^(?:正如|就像|诚如|如)", "", who)
        if not 2 <= len(who) <= 16 or "我们" in who:
            continue
        out.append((i, j + 1, who))
    return out


def quotations(paragraphs: Sequence[str], *, max_chars: int = 90) -> list[Quotation]:
    """Attributed quotations of up to ``max_chars`` characters (a callout is
    meant to be read at a glance), with the sentences that carry them."""
    found = []
    for p, text in enumerate(paragraphs):
        spans = sentence_spans(text)
        for start, end, who in find_quotations(text):
            if end - start - 2 < 6 or end - start > max_chars:
                continue
            s0, s1 = next(((a, b) for a, b in spans if a <= start < b), (start, end))
            s1 = max(s1, next((b for a, b in spans if a < end <= b), end))
            found.append(Quotation(text[start:end], who, Span(p, s0, s1, text[s0:s1])))
    return found


# ---------------------------------------------------------------------------
# Bullets


def cue_score(text: str) -> float:
    return sum(w for pattern, w in _CUES if pattern.search(text))


def _score(sentence: str, first_in_section: bool, last_in_section: bool, first_in_para: bool) -> float:
    s = sentence.strip()
    score = cue_score(s)
    if first_in_section:
        score += 2.5  # the topic sentence
    elif first_in_para:
        score += 1.0
    if last_in_section:
        score += 1.5  # the conclusion
    if ITEM_RE.match(s):
        score += 1.5
    if s.rstrip("”’）)").endswith(("？", "?")):
        score -= 4.0  # rhetorical questions make poor bullets
    if re.search(r"倘若|假如|如果|若是", s):
        score -= 1.0
    if len(s) < 10:
        score -= 2.0
    return score


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    """Narrow [a, b) past spaces, an item marker or a connective clause at the
    start and sentence punctuation at the end, keeping quotes balanced."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    for pattern in (_ITEM_PREFIX, _CONNECTIVE):
        m = pattern.match(text, a, b)
        if m and b - m.end() >= 6:
            a = m.end()
    while b > a and text[b - 1] in SENTENCE_END + _CLAUSE_MARKS + "…—":
        b -= 1
    return a, b


def shorten(text: str, a: int, b: int, max_chars: int) -> tuple[int, int]:
    """The best slice of ``text[a:b]`` of at most ``max_chars`` characters,
    cut at clause boundaries: the longest run of whole clauses, preferring
    the sentence's start and clauses with cue words, never leaving a
    quotation mark unpaired.  A clause longer than ``max_chars`` on its own
    is cut at a character boundary outside quotation marks."""
    a, b = _strip_span(text, a, b)
    if b - a <= max_chars:
        return a, b
    part = text[a:b]
    cuts = _clause_cuts(part)
    best: tuple[float, int, int] | None = None
    for i in range(len(cuts) - 1):
        if _after_enumeration_comma(part, cuts[i]):
            continue  # never start inside an enumeration
        for j in range(i + 1, len(cuts)):
            s, e = _strip_span(part, cuts[i], cuts[j])
            if e - s > max_chars:
                break
            window = part[s:e]
            if e - s < 6 or not _is_balanced(window):
                continue
            score = cue_score(window) + (2.0 if i == 0 else 0.0) + (e - s) / 20
            if _DANGLING.match(window):
                score -= 1.5
            if _after_enumeration_comma(part, cuts[j]):
                score -= 2.5  # ends mid-enumeration: 让党放心、|让人民满意
            if best is None or score > best[0]:
                best = (score, s, e)
    if best is not None:
        return a + best[1], a + best[2]
    # One long clause: cut at max_chars, outside quotation marks.
    depth = _depth_changes(part)
    end = max_chars
    while end > 6 and (depth[end - 1] != 0 or part[end - 1] in "“‘（《"):
        end -= 1
    s, e = _strip_span(part, 0, end)
    return a + s, a + e


def _is_balanced(text: str) -> bool:
    stack: list[str] = []
    for ch in text:
        if ch in _OPEN:
            stack.append(_PAIR[ch])
        elif ch in _CLOSE and (not stack or stack.pop() != ch):
            return False
    return not stack


MIN_EXTRA_SCORE = 2.0


def bullet_count(total_chars: int) -> int:
    """3 bullets for a short section, 4 for a middling one, 5 for a long one."""
    return 3 if total_chars < 180 else 4 if total_chars < 380 else 5


def condense(
    paragraphs: Sequence[str],
    *,
    count: int | None = None,
    max_chars: int = 40,
    exclude: Sequence[Span] = (),
) -> list[Bullet]:
    """The ``count`` best sentences of ``paragraphs`` (default by length, 3-5),
    in their original order, each shortened to ``max_chars`` at a clause
    boundary.  Sentences overlapping an ``exclude`` span (a quotation shown
    as a callout) are left out.  Each bullet is a verbatim slice of its
    paragraph."""
    sentences: list[Span] = []
    for p, text in enumerate(paragraphs):
        for a, b in sentence_spans(text):
            if text[a:b].strip():
                sentences.append(Span(p, a, b, text[a:b]))
    if not sentences:
        return []
    total = sum(len(t) for t in paragraphs)
    want = count if count is not None else bullet_count(total)
    scored: list[tuple[float, int, Span]] = []
    for k, s in enumerate(sentences):
        if any(x.para == s.para and x.start < s.end and s.start < x.end for x in exclude):
            continue
        first_in_para = k == 0 or sentences[k - 1].para != s.para
        score = _score(s.text, k == 0, k == len(sentences) - 1, first_in_para)
        scored.append((score, k, s))
    ranked, seen = [], set()
    for item in sorted(scored, key=lambda t: (-t[0], t[1])):
        key = item[2].text.strip()
        if key not in seen:
            seen.add(key)
            ranked.append(item)
    # Three bullets always (when there are sentences); a fourth and fifth
    # only when they carry a cue or sit where key sentences sit.
    chosen = ranked[:3] + [t for t in ranked[3:want] if t[0] >= MIN_EXTRA_SCORE]
    chosen.sort(key=lambda t: t[1])
    bullets: list[Bullet] = []
    for score, _, s in chosen:
        text = paragraphs[s.para]
        a, b = shorten(text, s.start, s.end, max_chars)
        if b - a < 2 or any(x.text == text[a:b] for x in bullets):
            continue  # a sentence the speaker repeats is one bullet
        bullets.append(Bullet(text[a:b], Span(s.para, a, b, text[a:b]), score))
    if len(bullets) < min(want, 3):
        bullets = _more_from_clauses(paragraphs, bullets, min(want, 3), max_chars, exclude)
    return bullets


def _more_from_clauses(paragraphs: Sequence[str], bullets: list[Bullet], want: int, max_chars: int,
                       exclude: Sequence[Span]) -> list[Bullet]:
    """When a text has too few sentences, cut its long sentences into
    clause runs of at most ``max_chars`` and add those not yet shown."""
    taken = [(b.span.para, b.span.start, b.span.end) for b in bullets]
    extra: list[Bullet] = []
    for p, text in enumerate(paragraphs):
        for a0, b0 in sentence_spans(text):
            if any(x.para == p and x.start < b0 and a0 < x.end for x in exclude):
                continue
            pos = a0
            while pos < b0:
                a, b = shorten(text, pos, b0, max_chars)
                if b <= pos or b - a < 6:
                    break
                if not any(tp == p and ta < b and a < tb for tp, ta, tb in taken):
                    extra.append(Bullet(text[a:b], Span(p, a, b, text[a:b]), cue_score(text[a:b])))
                pos = b + 1
    extra.sort(key=lambda x: -x.score)
    merged = bullets + extra[: max(0, want - len(bullets))]
    merged.sort(key=lambda x: (x.span.para, x.span.start))
    return merged


# ---------------------------------------------------------------------------
# Titles


def strip_marker(heading: str) -> str:
    """A heading's words without its numbering (一、, （一）, 1., 第一部分) or a
    run-in heading's final full stop."""
    text = heading.strip()
    marker = match_marker(text)
    if marker is not None and marker.end < len(text):
        text = text[marker.end :].strip()
    return text.rstrip("。.") or heading.strip()


def split_title(heading: str) -> tuple[str, str | None]:
    """(title, subtitle): "熔铸忠诚之魂：将过硬作风作为……的最直接检验" ->
    ("熔铸忠诚之魂", "将过硬作风作为……的最直接检验"), at the first ： outside
    quotation marks, when both parts have words."""
    text = strip_marker(heading)
    depth = _depth_changes(text)
    for i, ch in enumerate(text):
        if ch in "：:" and depth[i] == 0:
            head, rest = text[:i].strip(), text[i + 1 :].strip()
            if 2 <= len(head) and rest:
                return head, rest
            break
    return text, None


def lead_phrase(text: str, max_chars: int = 16) -> str | None:
    """The first clause of ``text`` when it is short enough for a title."""
    cuts = _clause_cuts(text)
    a, b = _strip_span(text, 0, cuts[1] if len(cuts) > 1 else len(text))
    phrase = text[a:b]
    return phrase if 4 <= len(phrase) <= max_chars and _is_balanced(phrase) else None
