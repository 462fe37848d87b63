"""Rule kinds: each turns a rule's pattern matches in a prepared document into hits."""

from __future__ import annotations

from .base import Hit, Kind
from .cadence import Cadence
from .calendar import Calendar
from .forbid import Forbid
from .limit import Limit
from .localization import Localization
from .require import Require

KINDS: dict[str, Kind] = {k.name: k for k in (Forbid(), Require(), Limit(), Cadence(), Calendar(),
                                                Localization())}

__all__ = ["Hit", "Kind", "KINDS"]
