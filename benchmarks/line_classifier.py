#!/usr/bin/env python3
"""Experiment (issue 12): does a learned paragraph classifier beat the
reader's rules at telling headings from body text, on the held-out half?

  .venv/bin/python benchmarks/line_classifier.py                  # everything (about 5 minutes, one core)
  .venv/bin/python benchmarks/line_classifier.py --only '^[a-f]'  # the first 42 texts (the corpus issue 12's figures were taken on)
  .venv/bin/python benchmarks/line_classifier.py --no-cv --models crf   # about a minute and a half
  .venv/bin/python benchmarks/line_classifier.py --examples 20    # print where the classifier wins and loses

Results and the judgement drawn from them: benchmarks/line_classifier.md.

Needs scikit-learn and python-crfsuite (not project dependencies; this is a
measurement, nothing in converter/ uses it).

Unit of decision: a paragraph as the reflow hands it to structure()
(converter.reader.reflow.RawParagraph).  Each paragraph gets a gold class by
aligning the damaged text with the gold outline:

  HEAD   the paragraph is (the start of) a gold heading and holds nothing else
  RUNIN  it opens with a gold heading and body text follows (run-in, or a
         heading the reflow joined with its paragraph)
  BODY   it starts a gold body paragraph, or starts inside a gold block
  OTHER  chrome, the title, bylines, salutation, 落款 (no body block starts there)

The rules' class is read off the reader's own blocks (which paragraph
started a heading block, and whether that heading held all of it).  The
classifier sees features of the paragraph and its neighbours, computed with
the reader's helpers (markers.match_marker/match_lead, structure's sentence
splitting, furniture.is_furniture, ...), and per-document family statistics.

Besides paragraph-level figures, the script rebuilds an outline from each
decision set (the reader's blocks where the decision agrees with the rules,
a heading/body split as structure() makes it where it does not, levels by
structure._assign_levels) and scores it with ../shared/eval/score.py, so the
heading F1 figures are comparable with tests/real_eval.py.
"""

from __future__ import annotations

import os

# One thread for numpy/scikit-learn: the machine is shared, and on two cores
# OpenMP threads fighting other jobs made training ten times slower.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import difflib  # noqa: E402
import pickle  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import score  # noqa: E402  (tests/score.py, a copy of ../shared/eval/score.py)
import site_damage  # noqa: E402
from converter.cjk import CLOSERS, display_width  # noqa: E402
from converter.markers import LEAD_FAMILY_NAMES, holds_next_item, match_lead, match_marker  # noqa: E402
from converter.model import Heading, Paragraph, Salutation  # noqa: E402
import importlib  # noqa: E402

st = importlib.import_module("converter.reader.structure")  # (the package exports a function of that name)
from converter.reader.clean import SourceLine, clean  # noqa: E402
from converter.reader.decode import decode  # noqa: E402
from converter.reader.furniture import is_furniture  # noqa: E402
from converter.reader.markup import unmark  # noqa: E402
from converter.reader.punct import restore_punctuation  # noqa: E402
from converter.reader.reflow import FINAL, RawParagraph, reflow  # noqa: E402

CLASSES = ("HEAD", "RUNIN", "BODY", "OTHER")
norm = score.norm


# --------------------------------------------------------------------------
# 1. Cases: the reader's paragraphs, the rules' decisions, the gold labels
# --------------------------------------------------------------------------


@dataclass
class Doc:
    name: str  # stem#seed@chrome
    stem: str
    gold: dict
    paras: list[RawParagraph]
    wrap_width: int | None
    blocks: list  # structure()'s blocks
    title: str
    flagged: set[int]  # block indices an `uncertain` warning names
    block_para: list[int | None]  # paragraph index where each block starts (None: not at a paragraph start)
    rule: list[str] = field(default_factory=list)  # rule class per paragraph
    gold_label: list[str] = field(default_factory=list)
    para_flagged: list[bool] = field(default_factory=list)  # a block starting in it is flagged


def read_stages(raw: bytes):
    """The reader's stages as converter/reader/__init__.py runs them, up to structure()."""
    text, _ = decode(raw)
    unmarked = unmark(text)
    cleaned = clean(unmarked.text)
    lines = [SourceLine(line.number, restore_punctuation(line.text)[0], line.page_break) for line in cleaned.lines]
    flowed = reflow(lines, one_paragraph_per_line=unmarked.one_paragraph_per_line)
    result = st.structure(flowed.paragraphs, unmarked.headings)
    return flowed, result


def _concat(texts: list[str]) -> tuple[str, list[int]]:
    starts, pos, parts = [], 0, []
    for t in texts:
        n = norm(t)
        starts.append(pos)
        parts.append(n)
        pos += len(n)
    return "".join(parts), starts


def map_blocks(paras: list[RawParagraph], blocks: list) -> tuple[list[int | None], list[tuple[int, int]]]:
    """Where each block starts and ends in the paragraphs' normalised
    concatenation (greedy, in order: blocks are pieces of paragraphs)."""
    ptext, pstarts = _concat([p.text for p in paras])
    cursor = 0
    spans: list[tuple[int, int]] = []
    for b in blocks:
        t = norm(b.text)
        if not t:
            spans.append((-1, -1))
            continue
        at = ptext.find(t[:24], cursor)
        if at < 0 or at - cursor > 4000:
            spans.append((-1, -1))
            continue
        spans.append((at, at + len(t)))
        cursor = at + min(len(t), 1)
    start_of = {s: k for k, s in enumerate(pstarts)}
    return [start_of.get(s) for s, _ in spans], spans


def rule_classes(paras: list[RawParagraph], blocks: list, spans: list[tuple[int, int]]) -> list[str]:
    """HEAD/RUNIN/BODY/OTHER per paragraph, as the reader decided."""
    _, pstarts = _concat([p.text for p in paras])
    ends = pstarts[1:] + [10**9]
    by_start = {}
    for b, (s, e) in zip(blocks, spans):
        if s >= 0:
            by_start.setdefault(s, (b, e))
    covered = sorted((s, e) for s, e in spans if s >= 0)
    out = []
    for k, s in enumerate(pstarts):
        hit = by_start.get(s)
        if hit is not None:
            b, e = hit
            if isinstance(b, Heading):
                out.append("HEAD" if e >= ends[k] or not norm(paras[k].text)[e - s:] else "RUNIN")
            elif isinstance(b, Paragraph) and b.role is None:
                out.append("BODY")
            else:
                out.append("OTHER")
        elif any(a < s < z for a, z in covered):
            out.append("BODY")  # inside a block (a joined heading's tail, a paragraph the rules joined)
        else:
            out.append("OTHER")  # dropped: the title, chrome
    return out


def gold_classes(paras: list[RawParagraph], gold: dict) -> list[str]:
    g = score.canon(gold)
    gtext, gstarts = _concat([b["text"] for b in g["blocks"]])
    ptext, pstarts = _concat([p.text for p in paras])
    sm = difflib.SequenceMatcher(None, gtext, ptext, autojunk=False)
    m: list[int | None] = [None] * len(ptext)
    for a, b, size in sm.get_matching_blocks():
        for i in range(size):
            m[b + i] = a + i
    block_at = {s: i for i, s in enumerate(gstarts)}
    out = []
    for k, s in enumerate(pstarts):
        e = pstarts[k + 1] if k + 1 < len(pstarts) else len(ptext)
        if e <= s:
            out.append("OTHER")
            continue
        matched = sum(1 for j in range(s, e) if m[j] is not None)
        if matched < 0.5 * (e - s):
            out.append("OTHER")  # chrome, the title, a line the damage added
            continue
        # The gold offset of the paragraph's start (first matched character within its first few).
        g0 = None
        for j in range(s, min(e, s + 4)):
            if m[j] is not None:
                g0 = m[j] - (j - s)
                break
        if g0 is None:
            out.append("BODY")
            continue
        i = block_at.get(g0)
        if i is None:
            # starts inside a gold block: a continuation (or a block the title/chrome covered)
            out.append("BODY")
            continue
        b = g["blocks"][i]
        if b["type"] == "heading":
            hlen = len(norm(b["text"]))
            out.append("RUNIN" if (e - s) > hlen + 1 else "HEAD")
        elif b["type"] == "salutation" or (gold["blocks"][i].get("role") if i < len(gold["blocks"]) else None):
            out.append("OTHER")
        else:
            out.append("BODY")
    return out


def build_doc(case, chrome: str) -> Doc:
    flowed, result = read_stages(case.raw)
    paras = flowed.paragraphs
    blocks = result.blocks
    flagged = {w.block for w in result.warnings if w.code == "uncertain" and w.block is not None}
    block_para, spans = map_blocks(paras, blocks)
    stem = case.name.split("#")[0]
    doc = Doc(f"{case.name}@{chrome}", stem, case.gold, paras, flowed.wrap_width, blocks, result.title, flagged, block_para)
    doc.rule = rule_classes(paras, blocks, spans)
    doc.gold_label = gold_classes(paras, case.gold)
    pf = [False] * len(paras)
    _, pstarts = _concat([p.text for p in paras])
    for bi, (s, e) in enumerate(spans):
        if bi in flagged and s >= 0:
            # the paragraph the block starts in
            k = max(j for j, ps in enumerate(pstarts) if ps <= s)
            pf[k] = True
    doc.para_flagged = pf
    return doc


def hashlib_short(items: list[str]) -> str:
    import hashlib

    return hashlib.sha1("\n".join(items).encode()).hexdigest()[:8]


def reader_fingerprint() -> str:
    """A hash of the reader's source, the damage and the gold (a cache of read cases is only good for these)."""
    import hashlib

    h = hashlib.sha1()
    files = sorted((ROOT / "converter").rglob("*.py")) + sorted((ROOT / "converter" / "data").glob("*")) \
        + [ROOT / "tests" / "site_damage.py", ROOT / "tests" / "variants.py"] + sorted((ROOT / "tests" / "data" / "real").rglob("*.*"))
    for f in files:
        if f.is_file():
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


ONLY: set[str] | None = None  # restrict the corpus to these stems (--only)


def load_docs(split: str, chromes: tuple[str, ...], seeds: range, cache: Path | None) -> list[Doc]:
    only = "" if ONLY is None else f"-only{hashlib_short(sorted(ONLY))}"
    key = f"{split}-{'+'.join(chromes)}-{seeds.start}-{seeds.stop}{only}-{reader_fingerprint()}"
    path = cache / f"line_classifier_{key}.pkl" if cache else None
    if path and path.exists():
        try:
            return [Doc(**d) for d in pickle.loads(path.read_bytes())]
        except Exception:  # noqa: BLE001 - a stale cache is rebuilt
            pass
    docs = []
    for chrome in chromes:
        vocab = site_damage.load_chrome(chrome)
        for p in site_damage.real_golds(split):
            if ONLY is not None and p.stem not in ONLY:
                continue
            for seed in seeds:
                docs.append(build_doc(site_damage.make_case(p, vocab, seed), chrome))
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps([dict(d.__dict__) for d in docs]))
    return docs


# --------------------------------------------------------------------------
# 2. Features (the reader's own helpers)
# --------------------------------------------------------------------------

_LEAD_INDEX = {name: i for i, name in enumerate(sorted(LEAD_FAMILY_NAMES))}


def _ending(text: str) -> str:
    t = text.rstrip()
    core = t.rstrip(CLOSERS + "\"'")
    last = core[-1:] if core else ""
    if not last:
        return "none"
    if last in FINAL:
        return "final"
    if last in "，,、":
        return "comma"
    if last in "；;":
        return "semi"
    if last in "：:":
        return "colon"
    if last in "—-－…":
        return "dash"
    if last.isdigit():
        return "digit"
    return "word"


def family_of(text: str) -> tuple[str | None, int | None, int | None]:
    """(family name, rank, number) as structure() would file the paragraph:
    a series lead (第一，/一是/第一、) first, else a heading marker."""
    lead = match_lead(text)
    if lead is not None and lead.number is not None:
        return lead.family.name, st.LEAD_RANK + _LEAD_INDEX.get(lead.family.name, 0), lead.number
    m = match_marker(text)
    if m is not None:
        return m.family.name, m.family.rank, m.number
    if st._BARE_CN_NUMBER_RE.fullmatch(text.strip()):
        return "bare_cn", st.CN_RANK, None
    return None, None, None


def _bin(x: float, edges: tuple[float, ...]) -> str:
    for e in edges:
        if x <= e:
            return f"<={e:g}"
    return f">{edges[-1]:g}"


W_EDGES = (4, 8, 12, 16, 20, 25, 30, 38, 50, 64, 80, 120, 200)


def para_basics(doc: Doc) -> list[dict]:
    """Per-paragraph facts, before neighbours and family statistics."""
    out = []
    title_n = norm(doc.title)
    for k, p in enumerate(doc.paras):
        t = p.text
        w = display_width(t)
        fam, rank, number = family_of(t)
        marker = match_marker(t)
        end = st._after_first_sentence(t)
        lead = t[:end] if end >= 0 else t
        rest = t[end:].strip() if end >= 0 else ""
        fs_w = display_width(lead)
        out.append(dict(
            w=w, fam=fam or "none", rank=rank if rank is not None else -9, number=number if number is not None else -1,
            numbered=number is not None, fs_w=fs_w, rest_w=display_width(rest), has_rest=bool(rest),
            n_sent=sum(1 for c in t if c in "。！？!?"), n_comma_lead=sum(1 for c in lead if c in "，,、"),
            end=_ending(t), lead_end=_ending(lead), open_end=p.open_end, doubtful=p.doubtful,
            furniture=is_furniture(t), notice=st._notice(t), date=st.is_date(t),
            salutation=bool(st.SALUTATION_RE.match(t)), title_like=st._title_like(t), is_title=bool(title_n) and norm(t) == title_n,
            holds_next=bool(marker and holds_next_item(t, marker)) or bool(fam and match_lead(t) and holds_next_item(t, match_lead(t))),
            from_marker=bool(marker and st._heading_from_marker(t) is not None),
            long_run_in=st._long_run_in(t), unnumbered_rule=st._unnumbered_heading(doc.paras, k),
            ordinal=bool(st._ORDINAL_START_RE.match(t)), bracketed=t[:1] in "（(" and t.rstrip()[-1:] in "）)",
            first_char=("cjk" if "\u4e00" <= t[:1] <= "\u9fff" else "digit" if t[:1].isdigit() else "punct" if t[:1] in "（(“《【" else "other"),
            wrap_ratio=(w / doc.wrap_width) if doc.wrap_width else -1.0,
        ))
    return out


def family_stats(doc: Doc, base: list[dict]) -> dict[str, dict]:
    """Per family in the document: how many members, their lead widths,
    how many stand alone, end with ；, sit next to a sibling."""
    members: dict[str, list[int]] = defaultdict(list)
    for k, b in enumerate(base):
        if b["fam"] != "none":
            members[b["fam"]].append(k)
    stats = {}
    for fam, ks in members.items():
        fs = sorted(base[k]["fs_w"] for k in ks)
        numbers = [base[k]["number"] for k in ks]
        stats[fam] = dict(
            n=len(ks), med_fs=statistics.median(fs), own_line=sum(1 for k in ks if not base[k]["has_rest"]) / len(ks),
            semi=sum(1 for k in ks if base[k]["end"] == "semi") / len(ks),
            adjacent=sum(1 for a, b in zip(ks, ks[1:]) if b == a + 1) / max(1, len(ks) - 1),
            counts_up=sum(1 for a, b in zip(numbers, numbers[1:]) if b == a + 1) / max(1, len(ks) - 1),
            rank_order=sorted({base[k]["rank"] for kk in members.values() for k in kk}).index(base[ks[0]]["rank"]),
        )
    return stats


def doc_features(doc: Doc) -> list[dict]:
    base = para_basics(doc)
    fams = family_stats(doc, base)
    n = len(base)
    body_start = st._body_start(doc.paras)
    positions: dict[str, list[int]] = defaultdict(list)
    for k, b in enumerate(base):
        positions[b["fam"]].append(k)
    feats = []
    for k, b in enumerate(base):
        f: dict = {}
        for key, v in b.items():
            if key in ("number",):
                continue
            f[key] = v
        f["pos"] = k / max(1, n - 1)
        f["before_body"] = k < body_start
        f["from_end"] = min(n - 1 - k, 10)
        f["doc_wrapped"] = doc.wrap_width is not None
        fam = b["fam"]
        if fam != "none":
            s = fams[fam]
            for key, v in s.items():
                f[f"fam_{key}"] = v
            ks = positions[fam]
            i = ks.index(k)
            prev_n = base[ks[i - 1]]["number"] if i else None
            next_n = base[ks[i + 1]]["number"] if i + 1 < len(ks) else None
            f["seq_prev"] = prev_n is not None and b["number"] == prev_n + 1
            f["seq_next"] = next_n is not None and next_n == b["number"] + 1
            f["seq_start"] = b["number"] == 1
            f["fs_vs_med"] = b["fs_w"] - s["med_fs"]
        else:
            f["fam_n"] = 0
        for d, tag in ((-2, "p2"), (-1, "p1"), (1, "n1"), (2, "n2")):
            j = k + d
            if 0 <= j < n:
                o = base[j]
                f[f"{tag}_w"] = o["w"]
                f[f"{tag}_fs_w"] = o["fs_w"]
                f[f"{tag}_end"] = o["end"]
                f[f"{tag}_fam"] = o["fam"]
                f[f"{tag}_same_fam"] = o["fam"] == fam and fam != "none"
                f[f"{tag}_higher"] = o["rank"] != -9 and b["rank"] != -9 and o["rank"] < b["rank"]
                f[f"{tag}_lower"] = o["rank"] != -9 and b["rank"] != -9 and o["rank"] > b["rank"]
                f[f"{tag}_has_rest"] = o["has_rest"]
                f[f"{tag}_furniture"] = o["furniture"]
            else:
                f[f"{tag}_none"] = True
        feats.append(f)
    return feats


def add_rule_features(doc: Doc, feats: list[dict]) -> list[dict]:
    """The stacked variant: the rules' own decision and doubt as inputs."""
    out = []
    for k, f in enumerate(feats):
        g = dict(f)
        g["rule"] = doc.rule[k]
        g["rule_flagged"] = doc.para_flagged[k]
        g["rule_p1"] = doc.rule[k - 1] if k else "none"
        g["rule_n1"] = doc.rule[k + 1] if k + 1 < len(doc.rule) else "none"
        out.append(g)
    return out


def crf_items(feats: list[dict]) -> list[dict]:
    """The same features for CRFsuite: numbers binned, categories as strings."""
    items = []
    for f in feats:
        d = {"bias": 1.0}
        for key, v in f.items():
            if isinstance(v, bool):
                if v:
                    d[key] = 1.0
            elif isinstance(v, (int, float)):
                if key.endswith("w") or key.endswith("_w") or key in ("fs_vs_med", "fam_med_fs"):
                    d[f"{key}={_bin(v, W_EDGES if key != 'fs_vs_med' else (-30, -10, -3, 0, 3, 10, 30))}"] = 1.0
                elif key in ("pos", "wrap_ratio", "fam_own_line", "fam_semi", "fam_adjacent", "fam_counts_up"):
                    d[f"{key}={_bin(v, (-0.5, 0.1, 0.3, 0.5, 0.7, 0.9, 1.05))}"] = 1.0
                else:
                    d[f"{key}={min(int(v), 12)}"] = 1.0
            else:
                d[f"{key}={v}"] = 1.0
        items.append(d)
    return items


# --------------------------------------------------------------------------
# 3. Models
# --------------------------------------------------------------------------


class GBM:
    """Gradient boosting over the features (neighbours as features)."""

    name = "gbm"

    def __init__(self, seed: int = 0):
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.feature_extraction import DictVectorizer

        self.vec = DictVectorizer(sparse=False)
        # Heavily regularised (depth-2 trees, big leaves): chosen by the tune
        # half's cross-validation over texts (deeper trees learn the 21 texts).
        self.model = HistGradientBoostingClassifier(max_iter=150, learning_rate=0.05, max_depth=2, min_samples_leaf=400,
                                                    l2_regularization=10.0, early_stopping=False, random_state=seed)

    def fit(self, feats: list[list[dict]], labels: list[list[str]]):
        import numpy as np

        X = self.vec.fit_transform([f for doc in feats for f in doc])
        y = [l for doc in labels for l in doc]
        # Each damaged case weighs the same, however many paragraphs it has.
        w = np.array([100.0 / len(doc) for doc in feats for _ in doc])
        if isinstance(self, LR):
            self.model.fit(X, y, logisticregression__sample_weight=w)
        else:
            self.model.fit(X, y, sample_weight=w)
        return self

    def proba(self, feats: list[list[dict]]) -> list[list[dict[str, float]]]:
        flat = [f for doc in feats for f in doc]
        if not flat:
            return [[] for _ in feats]
        P = self.model.predict_proba(self.vec.transform(flat))
        classes = list(self.model.classes_)
        out, i = [], 0
        for doc in feats:
            out.append([{c: float(P[i + j][classes.index(c)]) if c in classes else 0.0 for c in CLASSES} for j in range(len(doc))])
            i += len(doc)
        return out


class LR(GBM):
    """Logistic regression over the same features (scaled), the simplest baseline."""

    name = "lr"

    def __init__(self, seed: int = 0):
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        self.vec = DictVectorizer(sparse=False)
        self.model = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000))

    @property
    def classes_(self):
        return self.model.classes_


class CRF:
    """A linear-chain CRF over each document's paragraphs (GROBID's approach)."""

    name = "crf"

    def __init__(self, seed: int = 0, path: str | None = None):
        self.path = path or f"/tmp/line_classifier_{os.getpid()}_{id(self)}.crfsuite"

    def fit(self, feats: list[list[dict]], labels: list[list[str]]):
        import pycrfsuite

        trainer = pycrfsuite.Trainer(verbose=False)
        for f, y in zip(feats, labels):
            trainer.append(crf_items(f), y)
        trainer.set_params({"c1": 0.1, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True})
        trainer.train(self.path)
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(self.path)
        return self

    def proba(self, feats: list[list[dict]]) -> list[list[dict[str, float]]]:
        out = []
        labels = set(self.tagger.labels())
        for f in feats:
            if not f:
                out.append([])
                continue
            self.tagger.set(crf_items(f))
            out.append([{c: (self.tagger.marginal(c, i) if c in labels else 0.0) for c in CLASSES} for i in range(len(f))])
        return out

    def top_features(self, n: int = 25) -> list[tuple[str, str, float]]:
        info = self.tagger.info()
        items = sorted(info.state_features.items(), key=lambda kv: -abs(kv[1]))
        return [(attr, label, w) for (attr, label), w in items if label in ("HEAD", "RUNIN")][:n]

    def close(self):
        try:
            self.tagger.close()
        finally:
            if os.path.exists(self.path):
                os.remove(self.path)


# --------------------------------------------------------------------------
# 4. Decisions, outlines rebuilt from them, figures
# --------------------------------------------------------------------------

BODY3 = ("HEAD", "RUNIN", "BODY")


def argmax(p: dict[str, float], among=CLASSES) -> str:
    return max(among, key=lambda c: p[c])


def decide(doc: Doc, probs: list[dict[str, float]], how: str) -> list[str]:
    """alone: the classifier everywhere; cascade: the classifier inside the
    body the rules found (their title/bylines/salutation/落款/chrome stay);
    hybrid: the rules, the classifier only where the reader flags a block
    `uncertain`."""
    out = []
    for k, r in enumerate(doc.rule):
        c = argmax(probs[k])
        if how == "alone":
            out.append(c)
        elif how == "cascade":
            # (OTHER inside the rules' body: not a heading, the text stays)
            out.append(r if r == "OTHER" else "BODY" if c == "OTHER" else c)
        elif how == "hybrid":
            out.append(("BODY" if c == "OTHER" else c) if r != "OTHER" and doc.para_flagged[k] else r)
        else:
            raise ValueError(how)
    return out


def rebuild(doc: Doc, decision: list[str]) -> list[dict]:
    """An outline's blocks from per-paragraph decisions: the reader's blocks
    where the decision is the rules' own, a heading or a body paragraph made
    as structure() makes them where it is not; levels by structure's own
    _assign_levels over the resulting headings."""
    _, pstarts = _concat([p.text for p in doc.paras])
    _, spans = map_blocks(doc.paras, doc.blocks)
    groups: dict[int, list] = defaultdict(list)
    last = 0
    for b, (s, _) in zip(doc.blocks, spans):
        if s >= 0:
            last = max(j for j, ps in enumerate(pstarts) if ps <= s) if pstarts else 0
        groups[last].append(b)
    pending = []
    for k, para in enumerate(doc.paras):
        group = groups.get(k, [])
        d = decision[k]
        if d == doc.rule[k] or d == "OTHER":
            new = group
        else:
            text = "".join(b.text for b in group if not isinstance(b, Salutation)) if group else para.text
            if d == "BODY":
                new = [Paragraph(text)]
            elif d == "HEAD":
                new = [Heading(1, text, False)]
            else:
                end = st._after_first_sentence(text)
                if 0 < end < len(text.rstrip()):
                    new = [Heading(1, text[:end], True), Paragraph(text[end:].strip())]
                else:
                    new = [Heading(1, text, False)]
        for b in new:
            if isinstance(b, Heading):
                _, rank, number = family_of(b.text)
                pending.append((b, -1 if rank is None else rank, number))
            else:
                pending.append((b, None, None))
    blocks = st._assign_levels(pending)
    out = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append({"type": "heading", "level": b.level, "text": b.text, "run_in": b.run_in})
        elif isinstance(b, Salutation):
            out.append({"type": "salutation", "text": b.text})
        else:
            out.append({"type": "paragraph", "text": b.text})
    return out


def heading_counts(gold: dict, blocks: list[dict]) -> tuple[int, int, int, int]:
    """(gold, predicted, matched at level, matched any level), as score.py counts."""
    gh = [(score.head_key(b["text"]), b.get("level")) for b in gold["blocks"] if b["type"] == "heading"]
    ph = [(score.head_key(b["text"]), b.get("level")) for b in blocks if b["type"] == "heading"]
    tp = sum((Counter(gh) & Counter(ph)).values())
    tp_any = sum((Counter(k for k, _ in gh) & Counter(k for k, _ in ph)).values())
    return len(gh), len(ph), tp, tp_any


def f1(tp: int, npred: int, ngold: int) -> float:
    return score.prf(tp, npred, ngold)[2]


@dataclass
class Figures:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    kind_ok: int = 0  # among true positives, HEAD vs RUNIN right
    acc_n: int = 0
    acc_ok: int = 0
    g: int = 0
    p: int = 0
    t: int = 0
    ta: int = 0

    def merge(self, other: "Figures") -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def add_paras(self, gold: list[str], pred: list[str]):
        for g, p in zip(gold, pred):
            gh, ph = g in ("HEAD", "RUNIN"), p in ("HEAD", "RUNIN")
            self.tp += gh and ph
            self.fp += ph and not gh
            self.fn += gh and not ph
            self.kind_ok += gh and ph and g == p
            if g != "OTHER":
                self.acc_n += 1
                self.acc_ok += (p if p != "OTHER" else "BODY") == g

    def add_outline(self, gold: dict, blocks: list[dict]):
        g, p, t, ta = heading_counts(gold, blocks)
        self.g += g
        self.p += p
        self.t += t
        self.ta += ta

    def row(self) -> dict[str, float]:
        pp, pr, pf = score.prf(self.tp, self.tp + self.fp, self.tp + self.fn)
        return dict(para_P=pp, para_R=pr, para_F1=pf, errors=self.fp + self.fn, acc3=self.acc_ok / max(1, self.acc_n),
                    head_F1=f1(self.t, self.p, self.g), head_F1_any=f1(self.ta, self.p, self.g))


def evaluate(docs: list[Doc], decisions: list[list[str]], per_text: dict[str, Figures] | None = None) -> Figures:
    fig = Figures()
    for doc, dec in zip(docs, decisions):
        one = Figures()
        one.add_paras(doc.gold_label, dec)
        one.add_outline(doc.gold, rebuild(doc, dec))
        fig.merge(one)
        if per_text is not None:
            per_text.setdefault(doc.stem, Figures()).merge(one)
    return fig


def bootstrap(a: dict[str, Figures], b: dict[str, Figures], key: str, n: int = 2000, seed: int = 0) -> tuple[float, float, float]:
    """The difference b - a in a pooled figure, and its 95% interval when
    the texts are resampled (the texts, not the damaged copies, are the
    independent units)."""
    import random

    rng = random.Random(seed)
    stems = sorted(a)

    def pooled(fs: dict[str, Figures], pick: list[str]) -> float:
        tot = Figures()
        for s in pick:
            tot.merge(fs[s])
        return tot.row()[key]

    diffs = []
    for _ in range(n):
        pick = [rng.choice(stems) for _ in stems]
        diffs.append(pooled(b, pick) - pooled(a, pick))
    diffs.sort()
    return pooled(b, stems) - pooled(a, stems), diffs[int(0.025 * n)], diffs[int(0.975 * n) - 1]


def reader_figures(docs: list[Doc]) -> Figures:
    """The reader's own outline (structure()'s blocks as they are), for checking the rebuild."""
    fig = Figures()
    for doc in docs:
        fig.add_paras(doc.gold_label, doc.rule)
        blocks = [{"type": "heading", "level": b.level, "text": b.text} if isinstance(b, Heading) else {"type": "paragraph", "text": b.text}
                  for b in doc.blocks]
        fig.add_outline(doc.gold, blocks)
    return fig


# --------------------------------------------------------------------------
# 5. The experiment
# --------------------------------------------------------------------------


def group_folds(docs: list[Doc], k: int) -> list[list[int]]:
    """k folds of document indices, whole texts (all seeds, both chromes) per fold."""
    stems = sorted({d.stem for d in docs})
    fold_of = {s: i % k for i, s in enumerate(stems)}
    return [[i for i, d in enumerate(docs) if fold_of[d.stem] == f] for f in range(k)]


def fit_predict(kind: str, train: list[Doc], test: list[Doc], feats: dict[int, list[dict]], stacked: bool, seed: int = 0):
    def fx(d: Doc):
        f = feats[id(d)]
        return add_rule_features(d, f) if stacked else f

    model = {"gbm": GBM, "lr": LR, "crf": CRF}[kind](seed)
    t0 = time.perf_counter()
    model.fit([fx(d) for d in train], [d.gold_label for d in train])
    t1 = time.perf_counter()
    probs = model.proba([fx(d) for d in test])
    t2 = time.perf_counter()
    return model, probs, t1 - t0, t2 - t1


def fmt_row(name: str, r: dict[str, float]) -> str:
    return (f"| {name:<34} | {r['para_P']:.3f} | {r['para_R']:.3f} | {r['para_F1']:.3f} | {r['errors']:>5} | {r['acc3']:.3f} "
            f"| {r['head_F1']:.3f} | {r['head_F1_any']:.3f} |")


HEADER = ("| decision | para P | para R | para F1 | errors | acc3 | heading F1 | any level |\n"
          "|---|---|---|---|---|---|---|---|")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tune-seeds", type=int, default=10, help="damaged copies per tune text and chrome set")
    ap.add_argument("--heldout-seeds", type=int, default=3)
    ap.add_argument("--folds", type=int, default=3, help="cross-validation folds over the tune texts")
    ap.add_argument("--models", default="gbm,crf,lr")
    ap.add_argument("--cache", default="/tmp/line_classifier_cache", help="where to keep the read cases ('' for none)")
    ap.add_argument("--examples", type=int, default=12, help="paragraphs to print where the classifier wins and loses")
    ap.add_argument("--no-cv", action="store_true")
    ap.add_argument("--only", metavar="REGEX", help="only the gold texts whose name matches (e.g. '^[a-f]': the first 42 texts)")
    args = ap.parse_args(argv)
    global ONLY
    if args.only:
        import re

        ONLY = {p.stem for p in site_damage.real_golds("all") if re.search(args.only, p.stem)}
    cache = Path(args.cache) if args.cache else None
    models = [m for m in args.models.split(",") if m]

    t0 = time.perf_counter()
    tune = load_docs("tune", ("known", "heldout"), range(args.tune_seeds), cache)
    held = load_docs("heldout", ("heldout",), range(args.heldout_seeds), cache)
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    feats = {id(d): doc_features(d) for d in tune + held}
    t_feat = time.perf_counter() - t0
    n_paras = sum(len(d.paras) for d in tune + held)
    print(f"cases: tune {len(tune)} ({len({d.stem for d in tune})} texts), held-out {len(held)} ({len({d.stem for d in held})} texts); "
          f"{n_paras} paragraphs; reading+labelling {t_read:.0f}s, features {t_feat:.1f}s "
          f"({1000 * t_feat / max(1, n_paras):.2f} ms/paragraph)")
    import subprocess

    head = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "converter"], capture_output=True, text=True).stdout.strip()
    print(f"reader: commit {head}{' + uncommitted changes under converter/' if dirty else ''}, source fingerprint {reader_fingerprint()}")
    for name, docs in (("tune", tune), ("held-out", held)):
        c = Counter(l for d in docs for l in d.gold_label)
        print(f"  {name} gold classes: " + ", ".join(f"{k} {c[k]}" for k in CLASSES))
    body = [(g, r, f) for d in held for g, r, f in zip(d.gold_label, d.rule, d.para_flagged) if r != "OTHER"]
    wrong = [f for g, r, f in body if (g in ("HEAD", "RUNIN")) != (r in ("HEAD", "RUNIN"))]
    print(f"  held-out: {sum(f for _, _, f in body)} of {len(body)} paragraphs in the rules' body are flagged `uncertain`; "
          f"{sum(wrong)} of the rules' {len(wrong)} heading/body errors there are flagged (the hybrid's reach)")

    results: dict[str, list[str]] = {}
    timings: list[str] = []
    per_text: dict[str, dict[str, dict[str, Figures]]] = {}

    def report(title: str, docs: list[Doc], probs_by: dict[str, list[list[dict]]], rules_note: str = ""):
        print(f"\n### {title}\n")
        print(HEADER)
        r = reader_figures(docs).row()
        print(fmt_row("reader as is (structure's blocks)", r))
        texts: dict[str, dict[str, Figures]] = {}
        per_text[title] = texts
        print(fmt_row("rules (rebuilt)" + rules_note, evaluate(docs, [d.rule for d in docs], texts.setdefault("rules", {})).row()))
        print(fmt_row("oracle (gold classes, rebuilt)", evaluate(docs, [d.gold_label for d in docs]).row()))
        for mname, probs in probs_by.items():
            for how in ("alone", "cascade", "hybrid"):
                decs = [decide(d, p, how) for d, p in zip(docs, probs)]
                results[f"{title}|{mname}|{how}"] = decs
                print(fmt_row(f"{mname} {how}", evaluate(docs, decs, texts.setdefault(f"{mname} {how}", {})).row()))
        print("\nagainst the rules, 95% interval over texts (bootstrap):")
        for name, fs in texts.items():
            if name == "rules":
                continue
            parts = []
            for key in ("para_F1", "head_F1", "head_F1_any"):
                d, lo, hi = bootstrap(texts["rules"], fs, key)
                parts.append(f"{key} {d:+.3f} [{lo:+.3f}, {hi:+.3f}]")
            print(f"  {name:<20} " + "  ".join(parts))

    # Held-out: train on all of tune.
    held_probs: dict[str, list[list[dict]]] = {}
    fitted = {}
    for kind in models:
        for stacked in (False, True):
            mname = kind + ("+rules" if stacked else "")
            model, probs, tf, tp = fit_predict(kind, tune, held, feats, stacked)
            held_probs[mname] = probs
            fitted[mname] = model
            timings.append(f"{mname}: train {tf:.1f}s on {sum(len(d.paras) for d in tune)} paragraphs, "
                           f"predict {1000 * tp / max(1, sum(len(d.paras) for d in held)):.3f} ms/paragraph")
    report(f"held-out half, held-out chrome, seeds 0..{args.heldout_seeds - 1} (trained on all of tune)", held, held_probs)

    # In-sample on tune (for contrast only).
    if not args.no_cv:
        ins = {}
        for mname, model in fitted.items():
            stacked = mname.endswith("+rules")
            ins[mname] = model.proba([add_rule_features(d, feats[id(d)]) if stacked else feats[id(d)] for d in tune])
        report("tune half, IN-SAMPLE (trained and tested on the same texts: not generalisation)", tune, ins,
               " (tuned on this half)")

        # Cross-validation over tune texts.
        cv_probs: dict[str, list] = {}
        folds = group_folds(tune, args.folds)
        for kind in models:
            for stacked in (False, True):
                mname = kind + ("+rules" if stacked else "")
                pooled: list = [None] * len(tune)
                for f, test_idx in enumerate(folds):
                    test_set = set(test_idx)
                    train = [d for i, d in enumerate(tune) if i not in test_set]
                    model, probs, _, _ = fit_predict(kind, train, [tune[i] for i in test_idx], feats, stacked)
                    if isinstance(model, CRF):
                        model.close()
                    for i, p in zip(test_idx, probs):
                        pooled[i] = p
                cv_probs[mname] = pooled
        report(f"tune half, {args.folds}-fold cross-validation by text (both chrome sets, seeds 0..{args.tune_seeds - 1})", tune, cv_probs,
               " (tuned on this half)")

    print("\ntimings: " + "; ".join(timings))

    # Per text on the held-out half: heading F1 (at level) pooled over seeds.
    texts = next(v for k, v in per_text.items() if k.startswith("held-out"))
    cols = ["rules"] + [c for c in ("gbm alone", "gbm+rules cascade", "crf alone", "crf+rules alone", "lr alone") if c in texts]
    print("\nheld-out, per text: paragraph-level heading F1 / outline heading F1 at level (pooled over seeds)")
    print("| text | gold heads | " + " | ".join(cols) + " |")
    print("|---|---|" + "---|" * len(cols))
    for stem in sorted(texts["rules"]):
        g = texts["rules"][stem].g
        cells = []
        for c in cols:
            r = texts[c][stem].row()
            cells.append(f"{r['para_F1']:.2f} / {r['head_F1']:.2f}")
        print(f"| {stem[:34]} | {g} | " + " | ".join(cells) + " |")

    # Top features.
    if "crf" in fitted:
        print("\nCRF (plain) heaviest state features for HEAD/RUNIN:")
        for attr, label, w in fitted["crf"].top_features(25):
            print(f"  {w:+.2f} {label:<5} {attr}")
    if "gbm" in fitted:
        print("\nGBM (plain) permutation importance on held-out (drop in paragraph heading F1, feature groups):")
        for name, drop in gbm_importance(fitted["gbm"], held, feats)[:20]:
            print(f"  {drop:+.4f} {name}")

    # Where the classifier wins and loses against the rules.
    if args.examples:
        for mname in [m for m in ("gbm", "crf", "lr") if m in held_probs]:
            key = next(k for k in results if k.startswith("held-out") and k.endswith(f"|{mname}|cascade"))
            show_examples(held, results[key], mname, args.examples)
    for m in fitted.values():
        if isinstance(m, CRF):
            m.close()
    return 0


def gbm_importance(model: GBM, docs: list[Doc], feats: dict[int, list[dict]], seed: int = 0) -> list[tuple[str, float]]:
    import numpy as np

    rows = [f for d in docs for f in feats[id(d)]]
    gold = [l for d in docs for l in d.gold_label]
    X = model.vec.transform(rows)
    names = model.vec.get_feature_names_out()
    groups: dict[str, list[int]] = defaultdict(list)
    for j, n in enumerate(names):
        groups[n.split("=")[0]].append(j)

    def score_of(M) -> float:
        pred = model.model.predict(M)
        fig = Figures()
        fig.add_paras(gold, list(pred))
        return fig.row()["para_F1"]

    base = score_of(X)
    rng = np.random.default_rng(seed)
    out = []
    for g, cols in groups.items():
        # Shuffle the group's values among the paragraphs that have it (a
        # feature absent from a paragraph is 0, not a value to hand it).
        rows_with = np.flatnonzero(np.any(X[:, cols] != 0, axis=1))
        if len(rows_with) < 2:
            continue
        M = X.copy()
        M[np.ix_(rows_with, cols)] = X[np.ix_(rng.permutation(rows_with), cols)]
        out.append((g, base - score_of(M)))
    return sorted(out, key=lambda t: -t[1])


def show_examples(docs: list[Doc], decisions: list[list[str]], mname: str, n: int) -> None:
    wins, losses = [], []
    for d, dec in zip(docs, decisions):
        for k, (g, r, c) in enumerate(zip(d.gold_label, d.rule, dec)):
            if r == c:
                continue
            hg = g in ("HEAD", "RUNIN")
            right = lambda x: (x in ("HEAD", "RUNIN")) == hg  # noqa: E731
            line = f"  {d.name:<46} gold={g:<5} rules={r:<5} {mname}={c:<5} {d.paras[k].text[:56]}"
            if right(c) and not right(r):
                wins.append(line)
            elif right(r) and not right(c):
                losses.append(line)
    rng = __import__("random").Random(0)
    print(f"\n{mname} cascade on held-out: heading/body decisions it gets right and the rules wrong: {len(wins)}; "
          f"the reverse: {len(losses)} (each seed counts)")
    print("wins (sample):")
    for line in sorted(rng.sample(wins, min(n, len(wins)))):
        print(line)
    print("losses (sample):")
    for line in sorted(rng.sample(losses, min(n, len(losses)))):
        print(line)


if __name__ == "__main__":
    sys.exit(main())
