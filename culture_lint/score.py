"""Culture-fit score: findings and positive signals → a 0–100 score per market with six sub-scores.

See docs/scoring.md for the formula and a worked example. Properties (tested): deterministic, bounded,
adding a violation never raises a score, any `error` puts the file in the `fail` band, and the score
depends on the density of problems, not on file length or on how a file is split.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

from .models import Document, Finding

SUBSCORES = ("compliance", "taboo", "language", "calendar", "embedding", "interaction")
WEIGHTS = {"compliance": 0.30, "taboo": 0.20, "language": 0.15, "calendar": 0.10, "embedding": 0.10,
           "interaction": 0.15}
CATEGORY_SUBSCORE = {
    "religious": "taboo", "cultural-symbol": "taboo", "politics-sensitive": "taboo",
    # calendar: festival dates, missed festivals, period-scoped rules (holiday packs); embedding: the viewer's
    # clock, money, date order, units and sizes (localization packs), next to the market's signals
    "holiday": "calendar", "localization": "embedding", "interaction": "interaction",
}
SEVERITY_POINTS = {"error": 25.0, "warning": 8.0, "info": 2.0}
SCALE = 8.0          # penalty points per 100 words that take a sub-score to 100·e⁻¹ ≈ 37
WORDS_UNIT = 100.0
GOOD, REVIEW = 75, 60
ERROR_CAP = 59.0   # a legal problem is a gate, not a deduction
LANGUAGE_FLOOR = 0.6  # share of the language sub-score kept when none of the text is in a market language
EMBEDDING_BASE = 60.0

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SCRIPT = {  # languages recognised by their script alone
    "zh": re.compile(r"[\u4e00-\u9fff]"), "ja": re.compile(r"[\u3040-\u30ff]"),
    "ko": re.compile(r"[\uac00-\ud7af]"), "th": re.compile(r"[\u0e00-\u0e7f]"),
    "ar": re.compile(r"[\u0600-\u06ff]"), "hi": re.compile(r"[\u0900-\u097f]"),
}


def band(score: float) -> str:
    return "good" if score >= GOOD else "review" if score >= REVIEW else "fail"


@dataclass
class Contribution:
    """One line of a score's explanation: a finding's penalty or a signal's credit to a sub-score."""

    subscore: str
    what: str          # rule id or signal name
    points: float      # penalty points (findings) or signal credit
    detail: str = ""


@dataclass
class Score:
    """A file's culture-fit score for one market: total, band, sub-scores and how they were reached."""

    score: float
    band: str
    subscores: dict[str, float]
    contributions: list[Contribution] = field(default_factory=list)
    words: int = 0

    def to_dict(self) -> dict:
        return {"score": self.score, "band": self.band, "subscores": dict(self.subscores)}


def count_words(doc: Document) -> int:
    """Latin-script words plus one word per two CJK/Thai characters (no spaces to count by)."""
    words = 0
    for seg in doc.segments:
        text = seg.text
        latin = _WORD.findall(text)
        for w in latin:
            cjk = sum(1 for ch in w if ord(ch) >= 0x2E80)
            words += (cjk + 1) // 2 if cjk else 1
    return max(words, 1)


@functools.lru_cache(maxsize=None)
def _stop_words(lang: str):
    """spaCy's stop words for a language, or None (looked up once: get_lang_class scans entry points)."""
    import spacy.util

    try:
        return spacy.util.get_lang_class(lang).Defaults.stop_words
    except Exception:  # a language without a spaCy class: fall back to "Latin script"
        return None


def language_share(doc: Document, languages: list[str]) -> float:
    """Share of the text written in one of the market's languages (script, then stop words)."""
    tokens = [w.lower() for seg in doc.segments for w in _WORD.findall(seg.text)]
    if not tokens:
        return 1.0
    total = len(tokens)
    hits = 0
    stop_sets = []
    for lang in languages:
        if lang in _SCRIPT:
            hits += sum(1 for t in tokens if _SCRIPT[lang].search(t))
            continue
        stop_sets.append(_stop_words(lang))
    if stop_sets:
        latin = [t for t in tokens if t.isascii() or not any(p.search(t) for p in _SCRIPT.values())]
        if latin:
            # a Latin-script text is in a language when its stop words are (≈ 40 % of running words)
            best = 0.0
            for stops in stop_sets:
                if stops is None:
                    best = 1.0
                    break
                best = max(best, min(1.0, sum(1 for t in latin if t in stops) / (0.4 * len(latin))))
            hits += best * len(latin)
    return max(0.0, min(1.0, hits / total))


def compute(doc: Document, findings: list[Finding], market: str, pack_languages: list[str],
            signals: dict[str, bool]) -> Score:
    words = count_words(doc)
    per_sub: dict[str, float] = {name: 0.0 for name in SUBSCORES}
    contributions: list[Contribution] = []
    has_error = False
    for f in findings:
        if f.market != market:
            continue
        if f.severity == "error":
            has_error = True
        # a platform's rule is its terms of service whatever the category: compliance
        sub = "compliance" if getattr(f, "platform", None) else CATEGORY_SUBSCORE.get(f.category, "compliance")
        points = SEVERITY_POINTS[f.severity] * (f.confidence if f.confidence is not None else 1.0)
        per_sub[sub] += points
        contributions.append(Contribution(sub, f.rule, points, f"{f.line}:{f.column} {f.severity}"))
    density = {k: v / (words / WORDS_UNIT) for k, v in per_sub.items()}
    subscores = {k: 100.0 * math.exp(-density[k] / SCALE) for k in SUBSCORES}

    share = language_share(doc, pack_languages) if pack_languages else 1.0
    subscores["language"] *= LANGUAGE_FLOOR + (1 - LANGUAGE_FLOOR) * share
    contributions.append(Contribution("language", "signal:market-language", round(share, 3),
                                      f"share of text in {', '.join(pack_languages)}"))

    applicable = {k: v for k, v in signals.items()}
    if applicable:
        present = sum(1 for v in applicable.values() if v)
        credit = EMBEDDING_BASE + (100 - EMBEDDING_BASE) * present / len(applicable)
    else:
        credit = 100.0
    subscores["embedding"] *= credit / 100.0
    for name, ok in sorted(applicable.items()):
        contributions.append(Contribution("embedding", f"signal:{name}", 1.0 if ok else 0.0,
                                          "present" if ok else "absent"))

    subscores = {k: round(max(0.0, min(100.0, v)), 1) for k, v in subscores.items()}
    total = sum(WEIGHTS[k] * subscores[k] for k in SUBSCORES)
    if has_error:
        total = min(total, ERROR_CAP)
    total = round(max(0.0, min(100.0, total)), 1)
    return Score(total, band(total), subscores, contributions, words)
