"""Run the fixtures (``tests: flag/pass``) of rule packs: used by `rules test` and by the test suite."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .engine import Linter, Options
from .packs.model import Rule
from .packs.registry import Registry
from .readers import read_text
from .select import any_matches


@dataclass
class CaseResult:
    rule: Rule
    expect: str  # flag | pass
    case: dict
    market: str
    found: int
    ok: bool

    def describe(self) -> str:
        text = self.case["text"].strip().replace("\n", "⏎")
        if len(text) > 90:
            text = text[:87] + "…"
        return (f"{self.rule.path}:{self.case.get('line', self.rule.line)}: {self.rule.id} [{self.market}] "
                f"{self.expect}: {text!r} → {self.found} finding(s)")


def pack_ids_in(paths: list[Path]) -> list[str]:
    """Pack ids in the given folders: pack folders, folders of packs, and their ``platforms/`` packs."""
    from .packs.registry import PLATFORMS_DIR

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
                    linter = linters[(market, platform)]
                    ext = str(case.get("ext", "txt")).lstrip(".")
                    doc = read_text(f"case.{ext}", case["text"])
                    meta = dict(case.get("metadata") or {})
                    if case.get("date"):
                        meta["date"] = str(case["date"])
                    doc.metadata.update(meta)
                    found = sum(1 for f in linter.lint(doc) if f.rule == rule.id)
                    if expect == "flag":
                        ok = found == case["count"] if "count" in case else found > 0
                    else:
                        ok = found == 0
                    results.append(CaseResult(rule, expect, case, market, found, ok))
    return results
