"""``forbid``: the wording must not appear."""

from __future__ import annotations

from .base import Hit, Kind, Role


class Forbid(Kind):
    """Every match of ``patterns`` not excused by an exception or a negation is a finding."""

    name = "forbid"
    keys = frozenset({"patterns", "exceptions", "negation"})
    roles = (Role.PATTERN, Role.EXCEPTION)
    negation = True
    summary = "the wording must not appear"

    def parse(self, rule, data, col) -> None:
        from ..i18n import _
        from ..packs.schema import parse_patterns

        if "patterns" not in data:
            col.error(_("a {kind} rule needs 'patterns'").format(kind=self.name), data.loc)
        rule.patterns = parse_patterns(col, data.get("patterns"), data, "patterns")

    def check(self, rule, key, prep, disclaimers) -> list[Hit]:
        found = self.clean(rule, key, prep, self.matches(prep, key, Role.PATTERN), disclaimers)
        return [self.hit(prep, m) for m in found]
