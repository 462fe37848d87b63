"""The festival record and the names shared by the calendar modules (festivals.py validates, dates.py computes).

A neutral module: ``festivals`` and ``dates`` both import it and never each other's internals the other way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

FESTIVAL_KINDS = ("shopping", "religious", "cultural", "civic", "remembrance", "silence", "mourning",
                  "sale_period")
RULE_TYPES = ("fixed", "monthly", "nth_weekday", "hijri", "lunisolar", "easter_offset", "announced", "named")
ENTRY_KEYS = {"id", "names", "match", "markets", "kind", "major", "rule", "days", "also", "guidance", "avoid",
              "legal", "source", "verified", "sev", "sources"}
PACK_CALENDAR_KEYS = {"hijri", "public_holidays", "exclude", "festivals", "dates"}
HIJRI_METHODS = ("umm_al_qura", "mabims")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LUNISOLAR_CALENDARS = ("chinese", "korean", "vietnamese", "thai", "balinese_saka", "hindu_amanta")
NAMED_CALENDARS = ("chinese", "korean", "vietnamese", "thai", "hindu", "balinese_saka")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
MMDD_RE = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
DATE_RANGE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s*\.\.\s*(\d{4}-\d{2}-\d{2}))?$")


@dataclass
class Festival:
    """One festival or period: names, markets, date rule and guidance (bundled data or a pack's calendar)."""

    id: str
    names: dict[str, str]
    markets: list[str]
    kind: str
    rule: dict[str, Any]
    days: int | None = None
    match: list[str] = field(default_factory=list)
    also: dict[str, str] = field(default_factory=dict)
    guidance: dict[str, str] = field(default_factory=dict)
    avoid: list[str] = field(default_factory=list)
    major: bool = False
    legal: bool = False
    source: str | None = None

    @property
    def rule_type(self) -> str:
        return next(iter(self.rule))

    @property
    def computable(self) -> bool:
        return self.rule_type != "announced"

    def triggers(self) -> list[str]:
        """Wordings that name the festival in a script: its names and `match` list."""
        out: list[str] = []
        for text in list(self.match) + [v for k, v in self.names.items()]:
            for part in str(text).split(" / "):
                part = re.sub(r"\s*\([^)]*\)\s*$", "", part).strip()
                if len(part) >= 2 and part not in out:
                    out.append(part)
        return out
