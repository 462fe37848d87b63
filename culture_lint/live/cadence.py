"""Interaction cadence, live: the last audience prompt per track, and countdowns sent before a limit is reached.

The prompts are the matches of the cadence rules' own patterns (the ``prompts`` linter of
:mod:`.engines`) in each new sentence; the countdowns run on the live clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import _
from ..models import format_timestamp
from .engines import CADENCE_CHECKS

DEFAULTS = {"prompt-gap": 300, "hook": 180, "closing": 120}


@dataclass
class Cadence:
    """One cadence rule as the live session tracks it."""

    rule_index: int  # in the prompts linter
    rule_id: str
    check: str
    seconds: float  # max gap, or the window of the hook / closing
    severity: str
    last: dict[str, float] = field(default_factory=dict)  # track -> show time of the last prompt
    warned: dict[str, float] = field(default_factory=dict)  # track -> the `last` already warned about


def _when_holds(rule, metadata: dict, fmt: str = "srt") -> bool:
    """A cadence rule's ``when:`` for a timed transcript with the show's metadata (format, timed, metadata)."""
    when = rule.when or {}
    if "formats" in when and fmt not in when["formats"]:
        return False
    if "timed" in when and not bool(when["timed"]):
        return False
    for key, allowed in (when.get("metadata") or {}).items():
        have = metadata.get(key)
        allowed = allowed if isinstance(allowed, list) else [allowed]
        if have is None or str(have).lower() not in {str(a).lower() for a in allowed}:
            return False
    return True


def cadence_rules(prompts, metadata: dict) -> list[Cadence]:
    """The cadence rules of the prompts linter that apply to this show."""
    if prompts is None:
        return []
    out = []
    for i, rule in enumerate(prompts.rules):
        check = rule.params.get("check")
        if check not in CADENCE_CHECKS or not _when_holds(rule, metadata):
            continue
        key = "max_gap_seconds" if check == "prompt-gap" else "within_seconds"
        out.append(Cadence(i, rule.id, check, float(rule.params.get(key, DEFAULTS[check])), prompts.severity[i]))
    return out


def prompt_times(prompts, cadence: list[Cadence], units) -> dict[int, float]:
    """{cadence rule index: show time of the latest prompt} among ``units`` (one prepared document)."""
    from ..match.context import prepare
    from ..readers import read_text
    from .assemble import transcript_srt

    doc = read_text("prompts.srt", transcript_srt(units)[0])
    doc.metadata.update(prompts.options.metadata or {})
    prep = prepare(doc, prompts.patterns)
    prompts.composer.apply(prep)
    out: dict[int, float] = {}
    for c in cadence:
        for m in prep.matches.get((c.rule_index, "p"), ()):
            unit = units[prep.token_segment[m.start]]
            out[c.rule_index] = max(out.get(c.rule_index, 0.0), unit.start)
    return out


def _due(c: Cadence, last: float | None, duration: float | None):
    """(base, due) of the next warning for a rule on a track, or None when nothing is due."""
    if c.check == "prompt-gap":
        base = last or 0.0
        return base, base + c.seconds
    if c.check == "hook":
        if last is not None and last < c.seconds:
            return None
        return -1.0, c.seconds
    if duration is None or (last is not None and last >= duration - c.seconds):
        return None  # closing: only when the show's length is known
    return -2.0, duration


def _message(c: Cadence, left: int) -> str:
    if c.check == "prompt-gap":
        return _("Audience prompt due in {seconds} s (limit: one every {minutes} minutes): ask a question, run a poll or invite comments.").format(
            seconds=left, minutes=round(c.seconds / 60, 1))
    if c.check == "hook":
        return _("No hook yet: {seconds} s left of the first {minutes} minutes to open with a question, a reveal or a giveaway.").format(
            seconds=left, minutes=round(c.seconds / 60, 1))
    return _("The show ends in {seconds} s: give the closing call (follow, next show, where to buy).").format(seconds=left)


def countdowns(cadence: list[Cadence], tracks: list[str], now: float, lead: float,
               duration: float | None) -> list[dict]:
    """Countdown records for the limits that come within their lead time (once per gap and track)."""
    out = []
    for c in cadence:
        for track in tracks:
            due = _due(c, c.last.get(track), duration)
            if due is None:
                continue
            base, when = due
            ahead = min(lead, c.seconds / 5) if c.check == "prompt-gap" else min(lead, c.seconds / 3)
            if now < when - ahead or c.warned.get(track) == base or now > when + c.seconds:
                continue
            c.warned[track] = base
            left = max(0, int(round(when - now)))
            out.append({"type": "countdown", "track": track, "rule": c.rule_id, "category": "interaction",
                        "severity": c.severity, "t": round(now, 3), "start": format_timestamp(now),
                        "due": round(when, 3), "seconds_left": left, "message": _message(c, left)})
    return out
