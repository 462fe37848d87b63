"""``require``: when a trigger appears, the required wording must appear within a scope."""

from __future__ import annotations

from .base import Hit, Kind

DEFAULT_OPENING_SEGMENTS = 3


class Require(Kind):
    name = "require"

    def check(self, rule, key, prep, disclaimers) -> list[Hit]:
        doc = prep.doc
        # exceptions always apply; negation only when the rule asks for it (clean() checks rule.negation)
        triggers = self.clean(rule, key, prep, self.matches(prep, key, "t"), disclaimers)
        meta_hit = self._metadata_trigger(rule, doc)
        if not triggers and meta_hit is None:
            return []
        required = self.matches(prep, key, "r")
        if rule.negation:  # a denied label is no label: "not sponsored", "kein Sponsoring", "hindi ito sponsored"
            required = [r for r in required if not prep.is_negated(r, after=False)]
        req_segments = sorted({prep.token_segment[m.start] for m in required})
        scope = rule.scope or {"document": True}

        if "segment" in scope or "window" in scope:
            width = 0 if "segment" in scope else int(scope["window"])
            hits = []
            for m in triggers:
                seg = prep.token_segment[m.start]
                if not any(abs(r - seg) <= width for r in req_segments):
                    hits.append(self.hit(prep, m))
            if meta_hit is not None and not req_segments:
                hits.insert(0, meta_hit)
            return hits

        allowed = self._allowed_segments(scope, doc)
        if any(allowed(r) for r in req_segments):
            return []
        if meta_hit is not None:
            return [meta_hit]
        return [self.hit(prep, triggers[0])]

    @staticmethod
    def _allowed_segments(scope, doc):
        if "first_seconds" in scope and doc.timed:
            limit = float(scope["first_seconds"])
            return lambda i: (doc.segments[i].start or 0.0) < limit
        if "first_seconds" in scope or "first_segments" in scope:
            count = int(scope.get("first_segments", DEFAULT_OPENING_SEGMENTS))
            return lambda i: i < count
        return lambda i: True

    @staticmethod
    def _metadata_trigger(rule, doc) -> Hit | None:
        if not rule.trigger_metadata:
            return None
        for name, want in rule.trigger_metadata.items():
            have = doc.metadata.get(name)
            wanted = want if isinstance(want, list) else [want]
            if have is None or not any(_same(have, w) for w in wanted):
                continue
            line = doc.metadata_lines.get(name, 1)
            start = doc.line_starts[line - 1] if line <= len(doc.line_starts) else 0
            text = doc.line_text(line) if doc.source else ""
            return Hit(start, start + len(text), None, "en", {"text": text or f"{name}: {have}"})
        return None


def _same(have, want) -> bool:
    if isinstance(want, bool) or isinstance(have, bool):
        truthy = {"true", "yes", "1", "on"}
        return (str(have).lower() in truthy) == (str(want).lower() in truthy)
    return str(have).strip().lower() == str(want).strip().lower()
