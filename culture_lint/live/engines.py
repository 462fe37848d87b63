"""The linters a live session needs, derived once from the session's linter and shared by every stream of the
process (a WeakKeyDictionary keyed by the linter: sessions that share a linter share these too).

- ``local``: the rules whose finding on a sentence depends on that sentence (the segment rules of
  :mod:`culture_lint.incremental`; and ``require`` rules with a ``window`` scope, on the few before it): linted on the new sentences only, as they end;
- ``opening``: ``require`` rules about the start of the show (``first_seconds``/``first_segments``): linted once
  per track, on the cached opening, when the opening is over;
- ``prompts``: only the patterns of the interaction-cadence rules, to see audience prompts as they are said;
- everything else (a whole-document ``require``, ``limit`` over minutes, a missed festival, the cadence
  findings) needs the whole show: it is linted at the end, and cadence runs live from the session's own state.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace

from ..engine import Linter
from ..incremental import is_segment_rule

CADENCE_CHECKS = ("prompt-gap", "hook", "closing")


def _scope_keys(rule) -> set:
    if rule.kind == "require":
        return set(rule.scope or {"document": True})
    if rule.kind == "limit":
        return set(rule.per or {"document": True})
    return set()


def is_local(rule) -> bool:
    """Can a sentence's findings for this rule be known from the sentence (and a few before it)? The segment
    rules of :mod:`culture_lint.incremental` (the language server's tiers), and ``require`` rules whose scope
    is the segment or a window of segments."""
    if rule.kind == "require":
        return _scope_keys(rule) <= {"segment", "window"}
    return is_segment_rule(rule)


def is_opening(rule) -> bool:
    return rule.kind == "require" and bool(_scope_keys(rule) & {"first_seconds", "first_segments"})


def window_of(rule) -> int:
    """Sentences before a new one that a local rule looks at."""
    if rule.kind == "require" and "window" in (rule.scope or {}):
        return int(rule.scope["window"])
    return 0


@dataclass
class LiveEngines:
    """The derived linters of one session linter (see the module docstring)."""

    full: Linter
    local: Linter
    opening: Linter | None
    opening_seconds: float
    prompts: Linter | None
    context: int  # previous sentences of the track linted with the new ones (the widest ``window`` scope)


_CACHE: "weakref.WeakKeyDictionary[Linter, LiveEngines]" = weakref.WeakKeyDictionary()


def _subset(linter: Linter, ids: list[str]) -> Linter | None:
    if not ids:
        return None
    others = [r.id for r in linter.rules if r.id not in ids]
    options = replace(linter.options, ignore=list(linter.options.ignore) + others)
    return Linter(linter.markets, linter.registry, options)


def engines_for(linter: Linter) -> LiveEngines:
    """The live linters of ``linter``, built on first use and cached for the life of ``linter``."""
    cached = _CACHE.get(linter)
    if cached is not None:
        return cached
    rules = linter.rules
    local_ids = [r.id for r in rules if is_local(r)]
    opening_rules = [r for r in rules if is_opening(r)]
    prompt_ids = [r.id for r in rules if r.kind == "cadence" and r.params.get("check") in CADENCE_CHECKS]
    seconds = max((float((r.scope or {}).get("first_seconds", 30)) for r in opening_rules), default=0.0)
    engines = LiveEngines(
        full=linter,
        local=_subset(linter, local_ids) or linter,
        opening=_subset(linter, [r.id for r in opening_rules]),
        opening_seconds=seconds,
        prompts=_subset(linter, prompt_ids),
        context=max((window_of(r) for r in rules if is_local(r)), default=0),
    )
    _CACHE[linter] = engines
    return engines
