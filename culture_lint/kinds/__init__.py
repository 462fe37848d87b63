"""Rule kinds: each owns its YAML keys, their parsing, its message placeholders and its check.

``KINDS`` is the one table of kinds: the pack loader, ``rules validate``/``show``, the engine and
docs/rule-packs.md read it. Adding a kind: a module here with a ``Kind`` subclass, one entry below.
"""

from __future__ import annotations

from .base import Hit, Kind, Role
from .cadence import Cadence
from .calendar import Calendar
from .forbid import Forbid
from .limit import Limit
from .localization import Localization
from .require import Require

KINDS: dict[str, Kind] = {k.name: k for k in (Forbid(), Require(), Limit(), Cadence(), Calendar(),
                                                Localization())}

__all__ = ["Hit", "Kind", "KINDS", "Role"]
