"""One "did you mean" for every message that names a choice the user almost typed (rapidfuzz)."""

from __future__ import annotations

from typing import Iterable

from ..i18n import _

DEFAULT_CUTOFF = 50  # rapidfuzz WRatio, 0-100: below this a guess misleads more than it helps


def closest(value: object, choices: Iterable[object], cutoff: int = DEFAULT_CUTOFF) -> str | None:
    """The choice nearest to ``value``, or None when nothing is near enough (or there is nothing to choose)."""
    options = [str(c) for c in choices]
    if not options or value in (None, ""):
        return None
    from rapidfuzz import process

    guess = process.extractOne(str(value), options, score_cutoff=cutoff)
    return guess[0] if guess else None


def did_you_mean(value: object, choices: Iterable[object], cutoff: int = DEFAULT_CUTOFF) -> str | None:
    """The translated hint "did you mean 'x'?" for the nearest choice, or None."""
    guess = closest(value, choices, cutoff)
    return _("did you mean '{choice}'?").format(choice=guess) if guess else None
