"""Incremental linting (culture_lint/incremental.py) gives exactly what a whole-file lint gives.

Random edits (seeded) over real example scripts in several formats — lines with CJK and emoji, suppression
comments, timed subtitles — and after every edit the incremental result is compared with ``Linter.lint`` on
the whole re-read file, finding by finding (rule, market, position, message, suggestions).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from culture_lint.engine import Linter, Options
from culture_lint.incremental import DocCache, Incremental, is_segment_rule, shift_findings
from culture_lint.packs.registry import Registry
from culture_lint.readers import read_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
INSERTS = [
    " This cream cures acne in 3 days, guaranteed!", " 这款产品能治疗糖尿病，百分之百有效。", " 😀👍 Only today!",
    " Lose 10 kg in a week 🔥", "\n", " Black Friday, Nov 30 at 8 pm EST for $19.99.", " s-l-i-m fast",
    " # culture-lint: disable-next-line all\n", " Sponsored by Acme.", " Link in bio, DM me!", " 限时抢购，最后一天！",
    " Like and follow! Like and follow! Like and follow!", " المنتج يعالج السكري", "",
]


def dump(findings):
    return [f.to_dict() | {"start": f.start, "end": f.end} for f in findings]


@pytest.fixture(scope="module")
def registry():
    return Registry()


def edit(rng: random.Random, text: str) -> str:
    """Insert, delete or replace a random stretch (never cutting into the front matter's first lines)."""
    lo = text.find("\n", text.find("\n") + 1) + 1 if text.startswith("---") else 0
    lo = min(lo, len(text))
    at = rng.randint(lo, len(text))
    what = rng.random()
    if what < 0.6:
        return text[:at] + rng.choice(INSERTS) + text[at:]
    end = min(len(text), at + rng.randint(1, 40))
    if what < 0.8:
        return text[:at] + text[end:]
    return text[:at] + rng.choice(INSERTS) + text[end:]


CASES = [
    ("us-supplement-draft.txt", ["us"], None),
    ("us-skincare-live.md", ["us", "jp"], None),
    ("sa-ramadan-beauty-draft.srt", ["sa", "us"], None),
    ("gb-fashion-live.vtt", ["gb", "th"], None),
    ("eu-shapewear-draft.md", ["de", "fr"], "2026-11-20"),
]


@pytest.mark.parametrize("name,markets,date", CASES)
def test_incremental_equals_whole_file_after_random_edits(registry, name, markets, date):
    path = EXAMPLES / name
    text = path.read_text(encoding="utf-8")
    text += "\n仅限今天！这款面霜三天治好痘痘 😀\nLimited time only — 100% guaranteed 🎉\n"
    options = Options(metadata={"date": date} if date else {})
    linter = Linter(markets, registry, options)
    inc = Incremental(linter)
    assert inc.enabled
    cache = DocCache()
    rng = random.Random(hash(name) % 1000)
    compared = 0
    for step in range(25):
        if step:
            text = edit(rng, text)
        doc = read_text(str(path), text)
        got, exact = inc.lint(doc, cache)
        want = linter.lint(read_text(str(path), text))
        assert exact
        assert dump(got) == dump(want), f"step {step}"
        compared += len(want)
    assert compared > 0  # the scripts do have findings
    assert cache.stats["reused"] > cache.stats["relinted"]  # most segments came from the cache


def test_quick_pass_moves_document_findings_and_marks_them_provisional(registry):
    text = (EXAMPLES / "us-supplement-draft.txt").read_text(encoding="utf-8")
    linter = Linter(["us"], registry)
    inc = Incremental(linter)
    cache = DocCache()
    inc.lint(read_text("a.txt", text), cache)
    new = text + "\nHello 😀 there. Lose 10 kg in a week!\n"
    got, exact = inc.lint(read_text("a.txt", new), cache, quick=True)
    assert not exact
    full, exact2 = inc.lint(read_text("a.txt", new), cache)  # the exact pass that follows: document tier only
    assert exact2
    assert inc.lint(read_text("a.txt", new), cache, quick=True)[1]  # the same text again: exact from the cache
    assert dump(full) == dump(linter.lint(read_text("a.txt", new)))
    # segment-tier findings were exact already; only document-tier findings may differ in the quick result
    local = {r.id for r in linter.rules if is_segment_rule(r)}
    assert [f for f in dump(got) if f["rule"] in local] == [f for f in dump(full) if f["rule"] in local]


def test_shift_findings_moves_past_the_edit_only(registry):
    linter = Linter(["us"], registry)
    old = "Intro line.\nThis cures acne fast.\n"
    doc_old = read_text("a.txt", old)
    before = linter.lint(doc_old)
    assert before
    new = "Intro line 😀😀.\nThis cures acne fast.\n"
    moved = shift_findings(before, old, read_text("a.txt", new))
    after = linter.lint(read_text("a.txt", new))
    assert [(f.rule, f.line, f.column, f.start, f.end) for f in moved] == \
        [(f.rule, f.line, f.column, f.start, f.end) for f in after]


def test_a_rule_split_keeps_every_rule_once(registry):
    linter = Linter(["us", "sa"], registry)
    inc = Incremental(linter)
    ids = {r.id for r in linter.rules}
    seg = {r.id for r in inc.segment_linter.rules}
    whole = {r.id for r in inc.document_linter.rules}
    assert seg | whole == ids and not seg & whole
    assert {"require", "cadence"} <= {r.kind for r in inc.document_linter.rules}
    assert {r.kind for r in inc.segment_linter.rules} <= {"forbid", "localization", "calendar"}


def test_front_matter_changes_are_not_served_from_the_cache(registry):
    """Festival dates and show times read the front matter: a new date re-lints every segment."""
    linter = Linter(["us"], registry)
    inc = Incremental(linter)
    cache = DocCache()
    body = "Black Friday, Nov 27 at 8 pm EST! Only $19.99.\nCyber Monday, Nov 30.\n"
    for date in ("2026-11-20", "2027-11-20", "2026-11-20"):
        text = f"---\nmarket: us\ndate: {date}\n---\n{body}"
        got, exact = inc.lint(read_text("a.md", text), cache)
        assert exact and dump(got) == dump(linter.lint(read_text("a.md", text)))
    assert cache.stats["reused"] == 0
