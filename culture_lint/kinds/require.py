"""``require``: when a trigger appears, the required wording must appear within a scope."""

from __future__ import annotations

from ..i18n import _
from .base import Hit, Kind, Role

DEFAULT_OPENING_SEGMENTS = 3
SCOPE_KEYS = {"first_segments", "first_seconds", "window"}


class Require(Kind):
    """When ``trigger`` wording (or metadata) appears, ``required`` wording must appear within ``scope``."""

    name = "require"
    keys = frozenset({"trigger", "required", "scope", "exceptions", "negation", "fix"})
    roles = (Role.TRIGGER, Role.REQUIRED, Role.EXCEPTION)
    negation = True  # a negated trigger triggers nothing
    summary = "when a trigger appears, the required wording must appear within a scope"

    def parse(self, rule, data, col) -> None:
        from ..packs.schema import check_keys, mapping_choice, parse_patterns, plain, quoted
        from ..util.yamlio import LocDict, loc_of

        trigger = data.get("trigger")
        if not isinstance(trigger, LocDict) or not trigger:
            col.error(_("a require rule needs 'trigger' with 'patterns' and/or 'metadata'"), loc_of(data, "trigger"))
        else:
            check_keys(col, trigger, {"patterns", "metadata"}, quoted("trigger"))
            rule.trigger_patterns = parse_patterns(col, trigger.get("patterns"), trigger, "patterns")
            meta = trigger.get("metadata", {})
            if not isinstance(meta, dict):
                col.error(_("'trigger.metadata' must be a mapping"), loc_of(trigger, "metadata"))
            else:
                rule.trigger_metadata = plain(meta)
        required = data.get("required")
        if not isinstance(required, LocDict) or "patterns" not in required:
            # TRANSLATORS: the braces are YAML syntax, not a placeholder: keep them as they are
            col.error(_("a require rule needs 'required: {patterns: …}'"), loc_of(data, "required"))
        else:
            check_keys(col, required, {"patterns"}, quoted("required"))
            rule.required_patterns = parse_patterns(col, required.get("patterns"), required, "patterns")
        rule.scope = mapping_choice(col, data, "scope", SCOPE_KEYS, words=("document", "segment"))
        rule.fix = self._parse_fix(data, col)

    @staticmethod
    def _parse_fix(data, col) -> dict | None:
        from ..packs.schema import check_keys, is_text_map, plain, quoted
        from ..util.yamlio import LocDict, loc_of

        fix = data.get("fix")
        if fix is None:
            return None
        if not isinstance(fix, LocDict) or not is_text_map(fix.get("insert")):
            # TRANSLATORS: the braces are YAML syntax, not placeholders: keep them as they are
            col.error(_("'fix' must be {insert: {en: …, zh: …}, at: start|trigger}"), loc_of(data, "fix"))
            return None
        check_keys(col, fix, {"insert", "at", "safe"}, quoted("fix"))
        if fix.get("at", "start") not in ("start", "trigger"):
            col.error(_("'fix.at' must be start or trigger"), loc_of(fix, "at"))
        return plain(fix)

    def check(self, rule, key, prep, disclaimers) -> list[Hit]:
        doc = prep.doc
        # exceptions always apply; negation only when the rule asks for it (clean() checks rule.negation)
        triggers = self.clean(rule, key, prep, self.matches(prep, key, Role.TRIGGER), disclaimers)
        meta_hit = self._metadata_trigger(rule, doc)
        if not triggers and meta_hit is None:
            return []
        required = self.matches(prep, key, Role.REQUIRED)
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
