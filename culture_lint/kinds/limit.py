"""``limit``: at most N occurrences per document, per N segments or per N minutes."""

from __future__ import annotations

import bisect

from .base import Hit, Kind


class Limit(Kind):
    name = "limit"

    def check(self, rule, key, prep, disclaimers) -> list[Hit]:
        found = self.clean(rule, key, prep, self.matches(prep, key, "p"), disclaimers)
        if len(found) <= rule.max:
            return []
        per = rule.per or {"document": True}
        segments = prep.doc.segments
        if "segments" in per:
            span = float(per["segments"])
            where = [float(prep.token_segment[m.start]) for m in found]
        elif "minutes" in per and prep.doc.timed:
            span = float(per["minutes"]) * 60
            where = [segments[prep.token_segment[m.start]].start or 0.0 for m in found]
        elif "minutes" in per:  # untimed script: estimate show time from the words spoken before
            span = float(per["minutes"]) * 60
            where = [prep.spoken_seconds(m.start) for m in found]
        else:
            span = float("inf")
            where = [0.0] * len(found)
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
