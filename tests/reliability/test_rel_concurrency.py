"""Concurrency (issue #9): two `fix` runs on the same file at once never corrupt it, and the results cache
(culture_lint/cache.py) tolerates concurrent runs, damaged entries and an unusable cache folder.

The experiments run in ``concurrency_driver.py`` (a single-threaded process that forks real CLI runs started
together on a barrier); this module checks what it reports and records the counts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from relhelpers import CORE_PACKS, REL_PACKS, bump, env, record, scale

pytestmark = pytest.mark.usefixtures("isolated_cwd")

DRIVER = Path(__file__).resolve().parent / "concurrency_driver.py"
RULES = ["-m", "rl", "--rules", str(CORE_PACKS), "--rules", str(REL_PACKS), "--no-config"]


def drive(mode: str, work: Path, count: int) -> dict:
    proc = subprocess.run([sys.executable, str(DRIVER), mode, str(work), str(count), *RULES], capture_output=True,
                          text=True, timeout=240, env=env())
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_concurrent_fix_pairs_never_corrupt_the_file(tmp_path):
    pairs = scale(40)
    result = drive("fix-pairs", tmp_path, pairs)
    assert result["invalid"] == [], result["invalid"][:3]
    assert sum(result["outcomes"].values()) == pairs
    assert set(result["exit_codes"]) <= {"0", "1"}, result["exit_codes"]  # 1: a conflict reported, never a crash
    assert result["silent_lost_fixes"] == 0  # a run whose fix did not land says so (exit 1, "changed on disk")
    bump("concurrency", "fix pairs run at once", pairs)
    record("concurrency", "two fix runs on one file", {
        "runs": f"{pairs} pairs started together (two different fixes, or the same fix twice)",
        "final file": ", ".join(f"{n}× {k}" for k, n in sorted(result["outcomes"].items())),
        "exit codes": result["exit_codes"], "corrupted": 0, "fixes lost without a message": 0})


def test_results_cache_tolerates_concurrent_runs_and_damage(tmp_path):
    runs = scale(6)
    result = drive("cache", tmp_path, runs)
    assert result["mismatches"] == [], result["mismatches"][:5]
    assert result["leftover_tmp"] == []
    assert result["entries"] >= 40 and result["damaged"] >= 1
    bump("concurrency", "cached check runs at once", runs * len(result["rounds"]))
    record("concurrency", "results cache", {
        "runs": f"{len(result['rounds'])} rounds of {runs} concurrent `check` runs sharing one cache "
                f"({result['entries']} entries, {result['damaged']} damaged on purpose)",
        "rounds": result["rounds"], "wrong reports": 0})
