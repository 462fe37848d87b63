"""Every bundled rule's own fixtures (tests: flag/pass), through the same runner as `culture-lint rules test`."""

from __future__ import annotations

import subprocess
import sys
from functools import lru_cache

import pytest

from culture_lint.packs.registry import Registry
from culture_lint.resources import rules_dir
from culture_lint.testing import pack_ids_in, run_cases


@lru_cache(maxsize=1)
def _registry() -> Registry:
    registry = Registry()
    registry.load_all()  # raises with file:line:col on any invalid pack
    return registry


def _rule_ids() -> list[str]:
    reg = _registry()
    return sorted(r.id for pid in reg.pack_ids for r in reg.pack(pid).rules)


@lru_cache(maxsize=1)
def _results():
    reg = _registry()
    by_rule: dict[str, list] = {}
    for result in run_cases(reg, pack_ids_in([rules_dir()])):
        by_rule.setdefault(result.rule.id, []).append(result)
    return by_rule


@pytest.mark.parametrize("rule_id", _rule_ids())
def test_rule_fixtures(rule_id):
    results = _results()[rule_id]
    assert any(r.expect == "flag" for r in results), f"{rule_id} has no text it must flag"
    assert any(r.expect == "pass" for r in results), f"{rule_id} has no text it must pass"
    failed = [r.describe() for r in results if not r.ok]
    assert not failed, "\n".join(failed)


def test_rules_validate_and_test_commands_pass_on_bundled_packs():
    for command in ("validate", "test"):
        res = subprocess.run([sys.executable, "-m", "culture_lint", "rules", command, str(rules_dir()), "-q"]
                             if command == "test" else
                             [sys.executable, "-m", "culture_lint", "rules", command, str(rules_dir())],
                             capture_output=True, text=True)
        assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
