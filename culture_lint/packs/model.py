"""Rule packs and rules as loaded from YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

CONFIDENCE = {"high": 0.9, "medium": 0.7, "low": 0.5}


class Role(str, Enum):
    """What a rule's pattern list does; match keys are ``(rule index, Role)``.

    A ``str`` enum: a role equals (and hashes like) its one-letter value, so keys stay small and cheap.
    """

    PATTERN = "p"  # the wording a forbid/limit/cadence rule looks for
    EXCEPTION = "x"  # wording that excuses a match in the same sentence
    TRIGGER = "t"  # a require rule's trigger
    REQUIRED = "r"  # a require rule's required wording

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value

    @property
    def attr(self) -> str:
        """The Rule attribute holding this role's patterns."""
        return ROLE_ATTRS[self]


ROLE_ATTRS = {Role.PATTERN: "patterns", Role.EXCEPTION: "exceptions", Role.TRIGGER: "trigger_patterns",
              Role.REQUIRED: "required_patterns"}


@dataclass
class Pattern:
    """One pattern in one language: a phrase, an exact phrase or a spaCy token pattern."""

    lang: str
    text: str
    kind: str = "phrase"  # phrase | exact | tokens | concepts (a composition of concept lexicons)
    tokens: list[dict] | None = None
    compose: Any = None  # packs.concepts.Composition when kind == "concepts"
    path: str = ""
    line: int = 1
    column: int = 1


@dataclass
class Rule:
    """One rule as loaded: common keys, its patterns by role and its kind's settings (``params``)."""

    id: str
    pack: str
    category: str
    severity: str
    kind: str
    message: dict[str, str]
    why: dict[str, str]
    source: str | None = None
    legal: bool = False
    confidence: str = "medium"
    patterns: list[Pattern] = field(default_factory=list)
    exceptions: list[Pattern] = field(default_factory=list)
    negation: bool = True
    suggestions: list[dict[str, Any]] = field(default_factory=list)
    when: dict[str, Any] = field(default_factory=dict)
    tests: dict[str, list] = field(default_factory=dict)
    trigger_patterns: list[Pattern] = field(default_factory=list)
    trigger_metadata: dict[str, Any] = field(default_factory=dict)
    required_patterns: list[Pattern] = field(default_factory=list)
    scope: dict[str, Any] = field(default_factory=dict)
    fix: dict[str, Any] | None = None
    max: int = 0
    per: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)  # kind-specific settings (cadence thresholds)
    path: str = ""
    line: int = 1

    @property
    def languages(self) -> list[str]:
        langs: list[str] = []
        for pat in self.patterns + self.trigger_patterns:
            if pat.kind != "concepts" and pat.lang not in langs:
                langs.append(pat.lang)
        return langs

    @property
    def confidence_value(self) -> float:
        return CONFIDENCE.get(self.confidence, 0.7)


@dataclass
class Pack:
    """One rule pack folder: pack.yaml's settings and the rules of its rule files."""

    id: str
    kind: str
    name: dict[str, str]
    languages: list[str]
    extends: list[str]
    aliases: list[str] = field(default_factory=list)
    locale: str | None = None
    currency: str | None = None
    timezones: list[str] = field(default_factory=list)
    markets: list[str] = field(default_factory=list)  # platform packs: the markets the platform sells in
    disclaimers: list[Pattern] = field(default_factory=list)
    signals: dict[str, list[Pattern]] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    path: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
