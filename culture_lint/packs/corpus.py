"""Accuracy on real wording: load the real-world corpus (tests/corpus/real/) and score the rule packs on it.

A case is a real text with the markets it was published in and the categories its source says it breaks
(``expect: []`` for compliant text). A case's expected category is *caught* when a finding of that category at
``warning`` or ``error`` comes out for any of its markets; a compliant case *passes clean* when no ``error``
comes out. Numbers are kept per split (``dev``, ``held-out``), category, language and market.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CultureLintError
from ..i18n import _

SPLITS = ("dev", "held-out")
COUNTED = ("warning", "error")  # an info finding is advice: it does not count as catching a violation


@dataclass
class Case:
    """One real text of the corpus: what it says, where it was published and what the source says it breaks."""

    text: str
    url: str
    markets: list[str]
    lang: str
    expect: list[str]
    split: str
    source: str
    path: str
    index: int
    note: str = ""

    @property
    def compliant(self) -> bool:
        return not self.expect


@dataclass
class Outcome:
    """What the linter found on one case: categories found, expected ones caught and missed, errors."""

    case: Case
    found: dict[str, str]  # category -> highest severity found
    caught: list[str]
    missed: list[str]
    errors: list[str] = field(default_factory=list)  # "rule: text" of error findings (for compliant cases)


def load_corpus(folder: Path) -> list[Case]:
    """Every case of every ``*.yaml`` file of the folder; a malformed file or case is a CultureLintError."""
    import yaml

    from ..models import CATEGORIES

    if not folder.is_dir():
        raise CultureLintError(_("corpus folder does not exist: {path}").format(path=folder))
    cases: list[Case] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise CultureLintError(_("{path}: cannot read the corpus file: {error}").format(
                path=path, error=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)) from None
        if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
            raise CultureLintError(_("{path}: a corpus file has 'source', 'split' and 'cases'").format(path=path))
        split = data.get("split")
        if split not in SPLITS:
            raise CultureLintError(_("{path}: 'split' must be dev or held-out").format(path=path))
        source = str((data.get("source") or {}).get("id") or path.stem)
        for i, item in enumerate(data["cases"]):
            where = f"{path}: case {i + 1}"
            if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
                raise CultureLintError(_("{where}: a case needs 'text'").format(where=where))
            markets = item.get("markets") or ([item["market"]] if item.get("market") else [])
            expect = item.get("expect")
            if not markets or not isinstance(markets, list) or not isinstance(expect, list):
                raise CultureLintError(_("{where}: a case needs 'markets' and 'expect' lists").format(where=where))
            bad = [c for c in expect if c not in CATEGORIES or c == "input"]
            if bad:
                raise CultureLintError(_("{where}: unknown category '{category}'").format(where=where, category=bad[0]))
            cases.append(Case(
                text=item["text"], url=str(item.get("url") or ""), markets=[str(m).lower() for m in markets],
                lang=str(item.get("lang") or "und"), expect=list(dict.fromkeys(expect)), split=split,
                source=source, path=str(path), index=i + 1, note=str(item.get("note") or "")))
    return cases


def evaluate(cases: list[Case], registry=None) -> list[Outcome]:
    """Lint every case for its markets (one linter per market set, built once)."""
    from ..engine import Linter
    from ..packs.registry import Registry
    from ..readers import read_text

    registry = registry or Registry()
    linters: dict[tuple[str, ...], Any] = {}
    outcomes = []
    for case in cases:
        key = tuple(case.markets)
        if key not in linters:
            linters[key] = Linter(list(key), registry)
        findings = linters[key].lint(read_text("case.txt", case.text))
        found: dict[str, str] = {}
        errors = []
        for f in findings:
            if f.severity not in COUNTED or f.category == "input":
                continue
            if found.get(f.category) != "error":
                found[f.category] = f.severity
            if f.severity == "error":
                errors.append(f"{f.rule}: {f.text or ''}")
        caught = [c for c in case.expect if c in found]
        missed = [c for c in case.expect if c not in found]
        outcomes.append(Outcome(case, found, caught, missed, sorted(set(errors))))
    return outcomes


class Tally:
    """Recall (caught / expected categories) and clean-pass (compliant cases with no error) per group."""

    def __init__(self) -> None:
        self.expected: dict[str, int] = defaultdict(int)
        self.caught: dict[str, int] = defaultdict(int)
        self.clean: dict[str, int] = defaultdict(int)
        self.compliant: dict[str, int] = defaultdict(int)
        self.texts: dict[str, int] = defaultdict(int)

    def add(self, group: str, outcome: Outcome, only: str | None = None) -> None:
        """Count a case (``only``: just that one of its expected categories)."""
        self.texts[group] += 1
        if outcome.case.compliant:
            self.compliant[group] += 1
            self.clean[group] += not outcome.errors
        elif only is not None:
            self.expected[group] += 1
            self.caught[group] += only in outcome.caught
        else:
            self.expected[group] += len(outcome.case.expect)
            self.caught[group] += len(outcome.caught)

    def groups(self) -> list[str]:
        return sorted(set(self.expected) | set(self.compliant))

    def recall(self, group: str) -> float | None:
        return self.caught[group] / self.expected[group] if self.expected[group] else None

    def clean_pass(self, group: str) -> float | None:
        return self.clean[group] / self.compliant[group] if self.compliant[group] else None


def tallies(outcomes: list[Outcome]) -> dict[str, dict[str, Tally]]:
    """split -> dimension ("all", "category", "language", "market") -> Tally."""
    out: dict[str, dict[str, Tally]] = {}
    for o in outcomes:
        dims = out.setdefault(o.case.split, {d: Tally() for d in ("all", "category", "language", "market")})
        dims["all"].add("all", o)
        dims["language"].add(o.case.lang, o)
        for m in o.case.markets:
            dims["market"].add(m, o)
        if o.case.compliant:
            dims["category"].add("(compliant)", o)
        for cat in o.case.expect:  # per category: only that category's catch counts
            dims["category"].add(cat, o, only=cat)
    return out
