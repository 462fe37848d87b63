"""Run the fixtures (``tests: flag/pass``) of rule packs: used by `rules test` and by the test suite.

A ``flag`` case is a text, or a mapping that may also assert what the rule reports (docs/rule-packs.md,
"Fixtures"):

- ``count``: exactly this many findings of the rule;
- ``at``: a finding starts at ``"line:column"`` (quoted) or ``[line, column]`` (1-based, in the case text);
- ``message``: a finding's message (in English) contains this text;
- ``fixed``: the case text once the rule's fixes (safe and unsafe) are applied.

Every finding's message must also be fully rendered: a ``{placeholder}`` left in it is a failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..engine import Linter, Options
from ..models import Document, Finding
from ..readers import read_text
from .messages import fields
from .model import Rule
from .registry import Registry
from .select import any_matches


@dataclass
class CaseResult:
    """One fixture case run: how many findings the rule gave and whether every assertion held."""

    rule: Rule
    expect: str  # flag | pass
    case: dict
    market: str
    found: int
    ok: bool
    problems: list[str] = field(default_factory=list)  # the assertions that failed, described

    def describe(self) -> str:
        text = self.case["text"].strip().replace("\n", "⏎")
        if len(text) > 90:
            text = text[:87] + "…"
        out = (f"{self.rule.path}:{self.case.get('line', self.rule.line)}: {self.rule.id} [{self.market}] "
               f"{self.expect}: {text!r} → {self.found} finding(s)")
        return out + "".join(f"\n    {p}" for p in self.problems)


def pack_ids_in(paths: list[Path]) -> list[str]:
    """Pack ids in the given folders: pack folders, folders of packs, and their ``platforms/`` packs."""
    from .registry import PLATFORMS_DIR

    ids = []
    for path in paths:
        if (path / "pack.yaml").is_file():
            ids.append(path.name)
        elif path.is_dir():
            ids.extend(sorted(p.name for p in path.iterdir() if (p / "pack.yaml").is_file()))
            if (path / PLATFORMS_DIR).is_dir():
                ids.extend(sorted(p.name for p in (path / PLATFORMS_DIR).iterdir() if (p / "pack.yaml").is_file()))
    return ids


def run_cases(registry: Registry, pack_ids: list[str], select: list[str] | None = None) -> list[CaseResult]:
    """Every rule case of the given packs, run through the real reader and engine."""
    linters: dict[tuple, Linter] = {}
    results: list[CaseResult] = []
    for pid in pack_ids:
        pack = registry.pack(pid)
        platform = pid if pack.kind == "platform" else None  # a platform's cases run on its first market
        default_market = (pack.markets[0] if pack.markets else "us") if platform else pid
        for rule in pack.rules:
            if select and not any_matches(select, rule.id, rule.category):
                continue
            for expect in ("flag", "pass"):
                for case in rule.tests.get(expect, []):
                    market = str(case.get("market") or default_market)
                    if (market, platform) not in linters:
                        linters[(market, platform)] = Linter([market], registry, Options(
                            platforms=[platform] if platform else []))
                    results.append(run_case(linters[(market, platform)], rule, expect, case, market))
    return results


def run_case(linter: Linter, rule: Rule, expect: str, case: dict, market: str) -> CaseResult:
    """One case: lint its text (as ``case.<ext>``, with its metadata) and check what the case asserts."""
    from ..i18n import current_lang, set_lang

    ext = str(case.get("ext", "txt")).lstrip(".")
    doc = read_text(f"case.{ext}", case["text"])
    meta = dict(case.get("metadata") or {})
    if case.get("date"):
        meta["date"] = str(case["date"])
    doc.metadata.update(meta)
    lang = current_lang()
    set_lang("en")  # `message:` assertions are written against the English message
    try:
        found = [f for f in linter.lint(doc) if f.rule == rule.id]
    finally:
        set_lang(lang)
    if expect == "pass":
        return CaseResult(rule, expect, case, market, len(found), not found)
    problems = check_flagged(rule, case, doc, found)
    return CaseResult(rule, expect, case, market, len(found), not problems, problems)


def check_flagged(rule: Rule, case: dict, doc: Document, found: list[Finding]) -> list[str]:
    """What a flag case asserts that its findings do not show (empty: the case passes)."""
    from ..i18n import _

    if not found:
        return [] if case.get("count") == 0 else [_("expected a finding, found none")]
    problems = []
    if "count" in case and len(found) != case["count"]:
        problems.append(_("expected {count} finding(s)").format(count=case["count"]))
    if "at" in case:
        line, column = position(case["at"])
        if (line, column) not in [(f.line, f.column) for f in found]:
            problems.append(_("expected a finding at {where}, found at {found}").format(
                where=f"{line}:{column}", found=", ".join(f"{f.line}:{f.column}" for f in found)))
    if "message" in case and not any(str(case["message"]) in f.message for f in found):
        problems.append(_("no message contains {text}; the first is {message}").format(
            text=repr(str(case["message"])), message=repr(found[0].message)))
    if "fixed" in case:
        got = fixed_text(doc, found)
        if got != case["fixed"]:
            problems.append(_("expected the fixed text {expected}, got {got}").format(
                expected=repr(case["fixed"]), got=repr(got)))
    leftover = sorted({n for t in rule.message.values() for n in _fields(t)
                       if any("{" + n + "}" in f.message for f in found)})
    if leftover:
        problems.append(_("placeholders left unfilled in the message: {names}").format(
            names=", ".join("{" + n + "}" for n in leftover)))
    return problems


def fixed_text(doc: Document, found: list[Finding]) -> str:
    """The document's text once the findings' fixes (safe and unsafe) are applied, one pass."""
    from ..fix import apply_edits, edits_for

    return apply_edits(doc.source, edits_for(doc, found, unsafe=True))[0]


def position(value) -> tuple[int, int]:
    """``at:`` as (line, column): ``"3:5"`` or ``[3, 5]``."""
    if isinstance(value, list):
        return int(value[0]), int(value[1])
    line, _sep, column = str(value).partition(":")
    return int(line), int(column)


def _fields(template: str) -> list[str]:
    try:
        return fields(template)
    except ValueError:
        return []
