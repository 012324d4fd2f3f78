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
from ...regex_cache import ModulePatterns

_re = ModulePatterns(__name__)  # its patterns are compiled once, then read from disk (regex_cache.py)

# A sentence ends after one of these, outside quotation marks.
SENTENCE_END = "。！？；!?;"
# Inside a quotation a sentence-final mark ends the sentence only together
# with the closing mark that ends the quotation (…存亡。”我们…).
_INNER_FINAL = "。！？!?…"
_OPEN = "“‘「『（《〈(【"
_CLOSE = "”’」』）》〉)】"
_PAIR = dict(zip(_OPEN, _CLOSE))
# Clause boundaries a bullet may be cut at (after the mark).  Not 、: it
# separates the members of an enumeration, and a cut there loses the
# object they share (坚决反对一切削弱、歪曲|、否定党的领导的错误言行).
_CLAUSE_MARKS = "，；：,;:"
# A bullet of one clause may be this long when no run of clauses fits the
# usual length: a key point is never cut inside its clause.
MAX_CLAUSE_CHARS = 60
# Items of an enumeration start a new piece even mid-sentence: 一是/二是,
# 第一，/第二、, 首先/其次/再次, 最后，.  Only after punctuation, so 统一是 or
# 第一书记 never count.
ITEM_RE = _re.compile(r"[一二三四五六七八九十]是|第[一二三四五六七八九十]+[，、：,]|首先|其次|再次|最后[，,]")
_ITEM_AFTER = "，：；、。！？,:;!?”’）"
# A leading connective clause a bullet can do without.
_CONNECTIVE = _re.compile(
    r"(?:因此|所以|为此|对此|同时|此外|另外|其中|总之|可见|当前|目前|如今|反之|相反|然而|但是|但|而且|"
    r"另一方面|一方面|与此同时|换言之|也就是说|事实上|实际上|具体而言|具体来说|总的来看|总而言之)[，,]"
)
_ITEM_PREFIX = _re.compile(r"(?:——|[一二三四五六七八九十]是|第[一二三四五六七八九十]+[，、：,]|首先[，,]?|其次[，,]?|再次[，,]?|最后[，,])")
# A window that starts with one of these leans on the clause before it.
_DANGLING = _re.compile(r"(?:是(?!否)|而|并|且|使之|使|从而|进而|以|和|及|与|则|就(?!业)|也|还|又|才|便|即|乃|因而|以便)")
# A whole sentence that opens with one of these has its subject in the one before.
_LEANING = _re.compile(r"(?:是(?!否)|而且|而|并且|从而|进而|因而|则)")
# A sentence that announces the text's own business (现就…提出如下意见,
# 下面，我讲三点意见) is no key point.
_PROCEDURAL = _re.compile(r"现就|提出如下|如下意见|如下[：:]?$|特制定|现将.{0,30}通知|特此|讲几点|谈几点|讲[两三四五六七八九]点|"
                         r"谈[两三四五六]点|从[两三四五六]个方面|下面，我|下面我")
# A sentence opening with a pointer to what comes before it (这些问题，…;
# 以上是…) says nothing on a slide without that.
_POINTING = _re.compile(r"(?:这些|这个|这种|这是|这就|这几|这次|这篇|这一|这|那些|上述|以上|前述|对此|为此|如此|由此)")

# Cue words, weighted: what a listener should take away.
_CUES: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (_re.compile(p), w)
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
_SPEAKER_VERB = _re.compile(
    r"(?:深刻|反复|多次|明确|曾经|曾|一再|郑重|特别|再次|还|也|都)*"
    r"(?:指出|强调|教导我们|告诫我们|要求我们|要求|说过|所说|说|讲过|讲|提出|谈到|寄语|号召|指示)"
    r"(?:我们|大家|的那样|那样)?$"
)
_SETTING = _re.compile(r"(?:在[^，。]{2,30}?(?:上|中|时|期间|之际))$")


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
    series: int = -1  # which parallel series of the paragraphs it is a member of (-1: none)


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
    while a < b and (text[a].isspace() or text[a] in _CLAUSE_MARKS + SENTENCE_END):
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
    quotation mark unpaired, never starting with a word that leans on the
    clause before it.  Without such a run, one whole clause of up to
    MAX_CLAUSE_CHARS; without that, an empty slice (a clause is never cut)."""
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
            if i and _DANGLING.match(window):
                continue  # leans on the clause before it: 是决胜…
            score = cue_score(window) + (2.0 if i == 0 else 0.0) + (e - s) / 20
            if _after_enumeration_comma(part, cuts[j]):
                score -= 2.5  # ends mid-enumeration: 让党放心、|让人民满意
            if best is None or score > best[0]:
                best = (score, s, e)
    if best is not None:
        return a + best[1], a + best[2]
    if max_chars < MAX_CLAUSE_CHARS:
        # No run of clauses is short enough: one whole clause, if one is.
        return shorten(text, a, b, MAX_CLAUSE_CHARS)
    return a, a  # nothing but clauses too long for a slide: no bullet


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


def is_key_sentence(sentence: str) -> bool:
    """Can this sentence stand on a slide as a key point?  Not when it
    announces the text's own business (现就…提出如下意见), introduces what
    follows it (…要把握三点：), opens pointing at what the slide does not
    show (这些问题，必须着力加以解决) or leans on the sentence before (是…)."""
    s = sentence.strip()
    body = s
    m = _ITEM_PREFIX.match(s)
    if m:
        body = s[m.end() :]
    if s.endswith(("：", ":")):
        return False  # introduces what follows (要把握三点：)
    return not (_PROCEDURAL.search(s) or _POINTING.match(body) or _LEANING.match(body))


def _unfinished(text: str) -> bool:
    """Does ``text`` stop without a sentence-final mark (a truncated text's tail)?"""
    tail = text.rstrip().rstrip(_CLOSE)
    return bool(tail) and tail[-1] not in SENTENCE_END + "…"


def series_bullets(paragraphs: Sequence[str], max_chars: int = 40) -> list[tuple[tuple[Span, ...], tuple[Span, ...]]]:
    """Each parallel series (find_series) with its bullets: one per member,
    its lead cut at clause boundaries (the member's first clause, whole,
    when nothing shorter stands)."""
    out = []
    for series in find_series(paragraphs):
        spans = []
        for m in series:
            text = paragraphs[m.para]
            a, b = shorten(text, m.start, m.end, max_chars)
            if b - a < 2:
                lead = _first_clause(text, m.start, m.end)
                a, b = _strip_span(text, m.start, m.start + len(lead))
            spans.append(Span(m.para, a, b, text[a:b]))
        if all(sp.end - sp.start >= 2 for sp in spans):
            out.append((series, tuple(spans)))
    return out


def condense(
    paragraphs: Sequence[str],
    *,
    count: int | None = None,
    max_chars: int = 40,
    exclude: Sequence[Span] = (),
    unfinished: bool = False,
    series: bool = True,
) -> list[Bullet]:
    """The ``count`` best sentences of ``paragraphs`` (default by length, 3-5),
    in their original order, each shortened to ``max_chars`` at clause
    boundaries, and every member of each parallel series (find_series) the
    paragraphs hold, whole.  Sentences overlapping an ``exclude`` span (a
    quotation shown as a callout) are left out, and so are sentences that
    are no key point (is_key_sentence) and, with ``unfinished``, the last
    paragraph's last sentence when it stops mid-way (a truncated text).
    Each bullet is a verbatim slice of its paragraph."""
    sentences: list[Span] = []
    for p, text in enumerate(paragraphs):
        spans = sentence_spans(text)
        for k, (a, b) in enumerate(spans):
            if not text[a:b].strip():
                continue
            if unfinished and p == len(paragraphs) - 1 and k == len(spans) - 1 and _unfinished(text[a:b]):
                continue
            sentences.append(Span(p, a, b, text[a:b]))
    if not sentences:
        return []
    total = sum(len(t) for t in paragraphs)
    want = count if count is not None else bullet_count(total)
    found_series = series_bullets(paragraphs, max_chars) if series else []
    members = [m for _, shown in found_series for m in shown]
    member_spans = [m for whole, _ in found_series for m in whole]

    def overlaps(s: Span, spans: Sequence[Span]) -> bool:
        return any(x.para == s.para and x.start < s.end and s.start < x.end for x in spans)

    scored: list[tuple[float, int, Span]] = []
    for k, s in enumerate(sentences):
        if overlaps(s, exclude) or overlaps(s, member_spans) or not is_key_sentence(s.text):
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
    # only when they carry a cue or sit where key sentences sit.  Beside a
    # series, only sentences with a cue: the series is the slide's point.
    if members:
        room = max(0, want - len(members))
        chosen = [t for t in ranked[: max(room, 1)] if t[0] >= MIN_EXTRA_SCORE]
    else:
        chosen = ranked[:3] + [t for t in ranked[3:want] if t[0] >= MIN_EXTRA_SCORE]
    bullets: list[Bullet] = []
    for score, _, s in chosen:
        text = paragraphs[s.para]
        a, b = shorten(text, s.start, s.end, max_chars)
        if b - a < 2 or any(x.text == text[a:b] for x in bullets):
            continue  # a sentence the speaker repeats is one bullet
        bullets.append(Bullet(text[a:b], Span(s.para, a, b, text[a:b]), score))
    bullets += [Bullet(m.text, m, cue_score(m.text), k) for k, (_, shown) in enumerate(found_series) for m in shown]
    bullets.sort(key=lambda x: (x.span.para, x.span.start))
    if len(bullets) < min(want, 3):
        bullets = _more_from_clauses(paragraphs, bullets, min(want, 3), max_chars, [*exclude, *member_spans],
                                     [s for s in sentences])
    return bullets


def _more_from_clauses(paragraphs: Sequence[str], bullets: list[Bullet], want: int, max_chars: int,
                       exclude: Sequence[Span], sentences: Sequence[Span]) -> list[Bullet]:
    """When a text has too few sentences, cut its long sentences into
    clause runs of at most ``max_chars`` and add those not yet shown."""
    taken = [(b.span.para, b.span.start, b.span.end) for b in bullets]
    extra: list[Bullet] = []
    for s in sentences:
        p, a0, b0 = s.para, s.start, s.end
        text = paragraphs[p]
        if any(x.para == p and x.start < b0 and a0 < x.end for x in exclude) or not is_key_sentence(s.text):
            continue
        cuts = _clause_cuts(text[a0:b0])
        pos = a0
        while pos < b0:
            a, b = shorten(text, pos, b0, max_chars)
            if b <= pos or b - a < 6:
                break
            if not any(tp == p and ta < b and a < tb for tp, ta, tb in taken) and not (
                    a > a0 and _DANGLING.match(text, a)):
                extra.append(Bullet(text[a:b], Span(p, a, b, text[a:b]), cue_score(text[a:b])))
            # Go on from the next clause boundary after the window.
            pos = next((a0 + c for c in cuts if a0 + c >= b), b0)
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


# ---------------------------------------------------------------------------
# Parallel series

_ORDINALS = "一二三四五六七八九十"
_ORDINAL_ITEM = _re.compile(r"([一二三四五六七八九十])是|第([一二三四五六七八九十])[，、：,]|(首先)|(其次)|(再次)|(最后)[，,]")
_SEQUENCE_WORDS = {"首先": 1, "其次": 2, "再次": 3, "最后": 9}
LEAD_CLAUSE = (4, 16)  # a lead clause of a lead-word series: this many characters
_FOOTNOTE = _re.compile(r"[〔\[［(（]?\d")
# A run of sentences opening with a pronoun is a narration, not a series.
_NOT_LEAD = "我你他她它这那其此"


def _ordinal(text: str, a: int) -> int | None:
    """The rank of the enumeration item starting at ``a`` (一是 -> 1, 其次 -> 2)."""
    m = _ORDINAL_ITEM.match(text, a)
    if not m:
        return None
    for g in (1, 2):
        if m.group(g):
            return _ORDINALS.index(m.group(g)) + 1
    word = next(w for w in m.groups()[2:] if w)
    return _SEQUENCE_WORDS[word]


def _first_clause(text: str, a: int, b: int) -> str:
    depth = _depth_changes(text)
    for i in range(a, b):
        if text[i] in "，；：。！？,;:!?" and depth[i] == 0:
            return text[a:i]
    return text[a:b]


def find_series(paragraphs: Sequence[str]) -> list[tuple[Span, ...]]:
    """Parallel series in ``paragraphs``, each as its members' spans, in order:
    enumeration items (一是…二是…三是…, 第一，…第二，…, 首先…其次…), within
    a paragraph or over consecutive ones; consecutive paragraphs opening with
    ——; and runs of sentences (within a paragraph, or opening consecutive
    paragraphs) whose lead clauses open with the same word and have the same
    shape (加力提振消费 / 加力扩大投资 / 加力稳住楼市)."""
    found: list[tuple[Span, ...]] = []
    # Enumeration items.
    run: list[Span] = []
    last = 0
    for p, text in enumerate(paragraphs):
        for a, b in sentence_spans(text):
            s = a + len(text[a:b]) - len(text[a:b].lstrip())
            rank = _ordinal(text, s)
            if rank is None:
                continue
            if run and rank == last + 1 or run and rank == 9 and last >= 2:
                run.append(Span(p, s, b, text[s:b]))
            else:
                if len(run) >= 2:
                    found.append(tuple(run))
                run = [Span(p, s, b, text[s:b])] if rank == 1 else []
            last = rank
    if len(run) >= 2:
        found.append(tuple(run))
    # —— paragraphs.
    dash: list[Span] = []
    for p, text in enumerate([*paragraphs, ""]):
        stripped = text.lstrip()
        if stripped.startswith("——"):
            a = len(text) - len(stripped)
            b = next((e for s, e in sentence_spans(text) if e > a + 2), len(text))
            dash.append(Span(p, a, b, text[a:b]))
            continue
        if len(dash) >= 2:
            found.append(tuple(dash))
        dash = []
    # Lead-word runs: sentences in a paragraph, then first sentences of paragraphs.
    taken = {(s.para, s.start) for series in found for s in series}
    streams: list[list[Span]] = [
        [Span(p, a, b, text[a:b]) for a, b in sentence_spans(text)] for p, text in enumerate(paragraphs)]
    streams.append([Span(p, *sentence_spans(text)[0], text[slice(*sentence_spans(text)[0])])
                    for p, text in enumerate(paragraphs) if text.strip()])
    for stream in streams:
        group: list[Span] = []
        for span in [*stream, None]:
            lead = _first_clause(paragraphs[span.para], span.start, span.end).strip() if span else ""
            ok = (span is not None and (span.para, span.start) not in taken and not _FOOTNOTE.match(lead) and lead[:1] not in _NOT_LEAD
                  and is_key_sentence(span.text) and not span.text.rstrip(_CLOSE + " ").endswith(("？", "?", "吗"))
                  and LEAD_CLAUSE[0] <= len(lead) <= LEAD_CLAUSE[1])
            if ok and group:
                head = _first_clause(paragraphs[group[0].para], group[0].start, group[0].end).strip()
                if lead[:2] == head[:2] and abs(len(lead) - len(head)) <= 4:
                    group.append(span)  # type: ignore[arg-type]
                    continue
            if len(group) >= 3 or len(group) == 2 and all(len(g.text.strip()) <= LEAD_CLAUSE[1] + 1 for g in group):
                found.append(tuple(group))
                taken |= {(s.para, s.start) for s in group}
            group = [span] if ok and span is not None else []
    found.sort(key=lambda s: (s[0].para, s[0].start))
    return found
