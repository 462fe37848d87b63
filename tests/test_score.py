"""Culture-fit score: the properties promised in docs/scoring.md."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from culture_lint.models import Finding
from culture_lint.readers import read_text
from culture_lint.score import SUBSCORES, band, compute

BLOCK = ("HOST: Welcome back! Tonight we try a light serum with hyaluronic acid.\n"
         "HOST: Tell me in the comments what your skin needs most right now.\n\n")
CATEGORIES = ["health-claim", "religious", "holiday", "localization", "interaction", "urgency"]


def _finding(doc, seg_no: int, severity: str, category: str, market: str = "us") -> Finding:
    seg = doc.segments[seg_no % len(doc.segments)]
    line, col = doc.position(seg.offsets[0])
    return Finding(rule=f"us.{category}.x", category=category, severity=severity, market=market,
                   message="m", line=line, column=col, end_line=line, end_column=col + 1, confidence=0.7)


def _score(doc, findings, signals=None):
    return compute(doc, findings, "us", ["en"], signals or {"local-currency": True, "local-time": False})


finding_specs = st.lists(st.tuples(st.integers(0, 50), st.sampled_from(["warning", "info"]),
                                   st.sampled_from(CATEGORIES)), max_size=12)


@settings(max_examples=60, deadline=None)
@given(specs=finding_specs, blocks=st.integers(1, 4))
def test_bounded_and_deterministic(specs, blocks):
    doc = read_text("s.txt", BLOCK * blocks)
    findings = [_finding(doc, *s) for s in specs]
    first, second = _score(doc, findings), _score(doc, findings)
    assert first.to_dict() == second.to_dict()
    assert 0 <= first.score <= 100
    assert set(first.subscores) == set(SUBSCORES)
    assert all(0 <= v <= 100 for v in first.subscores.values())
    assert first.band == band(first.score)


@settings(max_examples=60, deadline=None)
@given(specs=finding_specs, extra=st.tuples(st.integers(0, 50), st.sampled_from(["error", "warning", "info"]),
                                           st.sampled_from(CATEGORIES)))
def test_adding_a_violation_never_raises_the_score(specs, extra):
    doc = read_text("s.txt", BLOCK * 3)
    findings = [_finding(doc, *s) for s in specs]
    before = _score(doc, findings)
    after = _score(doc, findings + [_finding(doc, *extra)])
    assert after.score <= before.score
    for name in SUBSCORES:
        assert after.subscores[name] <= before.subscores[name]


@settings(max_examples=40, deadline=None)
@given(specs=finding_specs, where=st.integers(0, 20))
def test_any_error_is_a_fail(specs, where):
    doc = read_text("s.txt", BLOCK * 2)
    findings = [_finding(doc, *s) for s in specs] + [_finding(doc, where, "error", "health-claim")]
    assert _score(doc, findings).band == "fail"


@settings(max_examples=30, deadline=None)
@given(per_block=st.lists(st.tuples(st.integers(0, 1), st.sampled_from(["warning", "info"]),
                                    st.sampled_from(CATEGORIES)), max_size=3),
       copies=st.integers(2, 6))
def test_same_density_same_score_whatever_the_length(per_block, copies):
    """A file of N identical blocks scores like one block: splitting or repeating changes nothing."""
    one = read_text("a.txt", BLOCK)
    many = read_text("b.txt", BLOCK * copies)
    one_f = [_finding(one, seg, sev, cat) for seg, sev, cat in per_block]
    many_f = [_finding(many, seg + 2 * k, sev, cat) for k in range(copies) for seg, sev, cat in per_block]
    assert abs(_score(one, one_f).score - _score(many, many_f).score) <= 0.1


def test_findings_of_other_markets_do_not_count():
    doc = read_text("s.txt", BLOCK)
    other = [_finding(doc, 0, "error", "religious", market="sa")]
    assert _score(doc, other).band != "fail"


def test_worked_example_from_the_docs():
    words = " ".join(["word"] * 190) + " the and of to in a is that it for"
    doc = read_text("w.txt", words)
    f1 = _finding(doc, 0, "warning", "absolute-claim")
    f1.confidence = 0.9
    f2 = _finding(doc, 0, "info", "interaction")
    f2.confidence = 0.7
    result = compute(doc, [f1, f2], "us", ["en"], {"a": True, "b": True, "c": False})
    assert result.words == 200
    assert result.subscores["compliance"] == 63.8
    assert result.subscores["interaction"] == 91.6
    assert result.subscores["embedding"] == 86.7


def test_calendar_and_localization_findings_feed_calendar_and_embedding():
    doc = read_text("s.txt", BLOCK * 2)
    clean = _score(doc, [])
    holiday = _score(doc, [_finding(doc, 0, "warning", "holiday")])
    local = _score(doc, [_finding(doc, 0, "warning", "localization")])
    assert holiday.subscores["calendar"] < clean.subscores["calendar"]
    assert local.subscores["embedding"] < clean.subscores["embedding"]
    for name in SUBSCORES:
        if name != "calendar":
            assert holiday.subscores[name] == clean.subscores[name]
        if name != "embedding":
            assert local.subscores[name] == clean.subscores[name]


def test_every_market_scores_its_own_localization_and_calendar_findings():
    """Through the real engine, for each of the 22 markets: a Beijing-time show and a yuan price lower
    `embedding`, not compliance, taboo, calendar or interaction (same number of words: same density)."""
    from culture_lint import lint_text, make_linter
    from culture_lint.packs.registry import Registry

    registry = Registry()
    base = "Welcome back everyone, tonight we try a light serum with hyaluronic acid for dry skin.\n"
    good_local = base + "Join us live tomorrow at the studio garden, only tonight!\n"  # ten words, no time
    bad_local = base + "Join us live tomorrow at 8pm Beijing time, only 199元!\n"  # ten words too
    for market in "ae au br ca de es fr gb id in it jp kr mx my nl ph sa sg th us vn".split():
        linter = make_linter([market], metadata={"date": "2027-03-15"})
        languages = registry.pack(market).languages

        def score(text):
            doc = read_text("s.txt", text)
            doc.metadata["date"] = "2027-03-15"
            return compute(doc, lint_text(text, filename="s.txt", linter=linter), market, languages, {})

        clean, local = score(good_local), score(bad_local)
        assert clean.words == local.words
        assert local.subscores["embedding"] < clean.subscores["embedding"], market
        for name in ("compliance", "taboo", "calendar", "interaction"):  # language: the share of stop words moves
            assert local.subscores[name] == clean.subscores[name], (market, name)
