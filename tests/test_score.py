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
