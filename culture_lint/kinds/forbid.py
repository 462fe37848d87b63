"""``forbid``: the wording must not appear."""

from __future__ import annotations

from .base import Hit, Kind


class Forbid(Kind):
    name = "forbid"

    def check(self, rule, key, prep, disclaimers) -> list[Hit]:
        found = self.clean(rule, key, prep, self.matches(prep, key, "p"), disclaimers)
        return [self.hit(prep, m) for m in found]
