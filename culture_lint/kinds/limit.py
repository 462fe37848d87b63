"""``limit``: at most N occurrences per document, per N segments or per N minutes."""

from __future__ import annotations

import bisect

from ..i18n import _
from .base import Hit, Kind, Role

PER_KEYS = {"segments", "minutes"}


class Limit(Kind):
    """More than ``max`` matches of ``patterns`` within ``per`` (document, N segments or N minutes)."""

    name = "limit"
    keys = frozenset({"patterns", "max", "per", "exceptions", "negation"})
    roles = (Role.PATTERN, Role.EXCEPTION)
    summary = "at most `max` occurrences per document, per N segments or per N minutes"

    def parse(self, rule, data, col) -> None:
        from ..packs.schema import mapping_choice, parse_patterns
        from ..util.yamlio import loc_of

        if "patterns" not in data:
            col.error(_("a {kind} rule needs 'patterns'").format(kind=self.name), data.loc)
        rule.patterns = parse_patterns(col, data.get("patterns"), data, "patterns")
        rule.max = data.get("max", -1)
        if not isinstance(rule.max, int) or isinstance(rule.max, bool) or rule.max < 1:
            col.error(_("a limit rule needs 'max': a whole number of at least 1"), loc_of(data, "max"))
        rule.per = mapping_choice(col, data, "per", PER_KEYS)

    def placeholders(self, rule) -> dict[str, str]:
        return {**super().placeholders(rule), "count": _("how many times the words were found"),
                "max": _("the most the rule allows ('max')")}

    def check(self, rule, key, prep, disclaimers) -> list[Hit]:
        found = self.clean(rule, key, prep, self.matches(prep, key, Role.PATTERN), disclaimers)
        if len(found) <= rule.max:
            return []
        span, where = self._positions(rule, prep, found)
        hits: list[Hit] = []
        ordered = all(a <= b for a, b in zip(where, where[1:]))
        blocked_until = float("-inf")
        for i, m in enumerate(found):
            if where[i] < blocked_until:
                continue
            if ordered:  # the window's ends by bisection: scanning per match was quadratic on big files
                first = bisect.bisect_right(where, where[i] - span, 0, i) if span != float("inf") else 0
            else:
                first = i
                while first > 0 and where[i] - where[first - 1] < span:
                    first -= 1
            count = i - first + 1
            if count > rule.max:
                if ordered:
                    total = bisect.bisect_left(where, where[first] + span) - bisect.bisect_left(where, where[first])
                else:
                    total = sum(1 for w in where if where[first] <= w < where[first] + span)
                hits.append(self.hit(prep, m, count=total, max=rule.max))
                blocked_until = where[first] + span
        return hits

    @staticmethod
    def _positions(rule, prep, found) -> tuple[float, list[float]]:
        """The window width and each match's place in the same unit (segments or seconds)."""
        per = rule.per or {"document": True}
        segments = prep.doc.segments
        if "segments" in per:
            return float(per["segments"]), [float(prep.token_segment[m.start]) for m in found]
        if "minutes" in per and prep.doc.timed:
            return float(per["minutes"]) * 60, [segments[prep.token_segment[m.start]].start or 0.0 for m in found]
        if "minutes" in per:  # untimed script: estimate show time from the words spoken before
            return float(per["minutes"]) * 60, [prep.spoken_seconds(m.start) for m in found]
        return float("inf"), [0.0] * len(found)
