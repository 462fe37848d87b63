"""The interface every rule kind implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..match.compiler import Match
from ..match.context import Prepared
from ..packs.model import Rule


@dataclass
class Hit:
    """Where a rule fired: a source span, the segment, the pattern language and message values."""

    start: int
    end: int
    segment: int | None
    lang: str = "en"
    values: dict[str, Any] = field(default_factory=dict)


class Kind:
    name = ""

    def check(self, rule: Rule, key: int, prep: Prepared, disclaimers: list[Match]) -> list[Hit]:
        raise NotImplementedError

    # helpers shared by the kinds

    @staticmethod
    def matches(prep: Prepared, key: int, role: str) -> list[Match]:
        return prep.matches.get((key, role), [])

    @staticmethod
    def hit(prep: Prepared, m: Match, **values: Any) -> Hit:
        start, end = prep.source_span(m.start, m.end)
        values.setdefault("text", prep.doc.source[start:end])
        if m.disguised:
            values["disguised"] = True
        return Hit(start, end, prep.token_segment[m.start], m.lang, values)

    def clean(self, rule: Rule, key: int, prep: Prepared, found: list[Match],
              disclaimers: list[Match]) -> list[Match]:
        """Drop matches cancelled by an exception in the same sentence or by a preceding negation."""
        exceptions = self.matches(prep, key, "x") + disclaimers
        if exceptions and found:
            # a negated exception excuses nothing: "不含税" is not the "含税" (tax included) the rule accepts
            exceptions = [x for x in exceptions if not prep.is_negated(x, strict=True)]
        excused = {prep.sentence[x.start] for x in exceptions}  # same_sentence, as one set look-up per match
        out = []
        for m in found:
            if excused and prep.sentence[m.start] in excused:
                continue
            if rule.negation and prep.is_negated(m):
                continue
            out.append(m)
        return _non_overlapping(out)


def _non_overlapping(found: list[Match]) -> list[Match]:
    """Several patterns of one rule may hit the same words: keep the longest of overlapping matches."""
    found = sorted(found, key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Match] = []
    for m in found:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out
