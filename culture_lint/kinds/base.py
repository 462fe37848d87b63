"""The interface every rule kind implements: its YAML keys, how it parses them, the message placeholders it
fills and the check that turns a rule's matches in a prepared document into hits.

Adding a kind is adding one module in ``kinds/`` with a ``Kind`` subclass and one line in ``kinds/__init__.py``;
the loader, ``rules validate``, ``rules show`` and docs/rule-packs.md (checked by tests/test_kinds.py) all read
the kind from there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from ..i18n import _
from ..models import Hit
from ..packs.model import Role, Rule

if TYPE_CHECKING:  # types only: importing a kind stays light (the pack loader imports every kind)
    from ..match.compiler import Match
    from ..match.context import Prepared
    from ..packs.schema import Collector
    from ..util.yamlio import LocDict

__all__ = ["Hit", "Kind", "Role"]


class Kind:
    """One rule kind. Subclasses set the class attributes and implement ``check`` (and ``parse`` for keys).

    - ``name``: the value of ``kind:`` in a rule;
    - ``keys``: the YAML keys the kind reads besides the common ones (id, category, message, …);
    - ``checks``: the values ``check:`` may take, for kinds that hold several checks;
    - ``roles``: the pattern lists the kind reads (``Role.PATTERN`` is ``patterns:``);
    - ``negation``: whether a negated match is ignored unless the rule says ``negation:``;
    - ``per_market``: hits depend on the market (the engine calls ``check_market`` once per market);
    - ``summary``: one line for docs/rule-packs.md.
    """

    name: ClassVar[str] = ""
    keys: ClassVar[frozenset[str]] = frozenset()
    checks: ClassVar[tuple[str, ...]] = ()
    roles: ClassVar[tuple[Role, ...]] = (Role.EXCEPTION,)
    negation: ClassVar[bool] = False
    per_market: ClassVar[bool] = False
    summary: ClassVar[str] = ""

    # ------------------------------------------------------------------ schema

    def parse(self, rule: Rule, data: LocDict, col: Collector) -> None:
        """Read the kind's own keys of ``data`` into ``rule`` (patterns, params, …), reporting problems."""

    def placeholders(self, rule: Rule) -> dict[str, str]:
        """The message placeholders this kind fills for ``rule``: name → what it holds (interface language).

        ``rules validate`` rejects any other name in a message; every hit of ``check`` carries these values.
        """
        return {"text": _("the words that fired the rule")}

    # ------------------------------------------------------------------ check

    def check(self, rule: Rule, key: int, prep: Prepared, disclaimers: list[Match]) -> list[Hit]:
        """The rule's hits in a prepared document (``key`` is the rule's index in the linter)."""
        raise NotImplementedError

    def check_market(self, rule: Rule, key: int, prep: Prepared, disclaimers: list[Match], registry: Any,
                     market: str) -> list[Hit]:
        """Hits for one market (kinds with ``per_market``); by default the same as ``check``."""
        return self.check(rule, key, prep, disclaimers)

    # ------------------------------------------------------------------ helpers shared by the kinds

    @staticmethod
    def matches(prep: Prepared, key: int, role: Role) -> list[Match]:
        """The matches of one of the rule's pattern lists."""
        return prep.matches.get((key, role), [])

    @staticmethod
    def hit(prep: Prepared, m: Match, **values: Any) -> Hit:
        """A hit on a match's source span; ``text`` is the matched source text."""
        start, end = prep.source_span(m.start, m.end)
        values.setdefault("text", prep.doc.source[start:end])
        if m.disguised:
            values["disguised"] = True
        return Hit(start, end, prep.token_segment[m.start], m.lang, values)

    def clean(self, rule: Rule, key: int, prep: Prepared, found: list[Match],
              disclaimers: list[Match]) -> list[Match]:
        """Drop matches cancelled by an exception in the same sentence or by a preceding negation."""
        exceptions = self.matches(prep, key, Role.EXCEPTION) + disclaimers
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
