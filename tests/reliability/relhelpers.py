"""Helpers for the reliability suite (issue #9): CLI runs with measured time and memory, the measurement log.

Every measurement a test makes goes through ``record()`` into ``test-artifacts/reliability.json`` (merged
under a file lock, so ``pytest -n 2`` workers can write at once). ``tests/reliability/render_report.py``
turns that file into ``docs/reliability.md``.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
ROOT = TESTS.parent
CORE_PACKS = TESTS / "packs" / "core"  # the core suite's stable packs: global, us, zz
REL_PACKS = HERE / "packs"  # this suite's own pack: rl
OUTPUT_SCHEMA = TESTS / "schemas" / "culture-lint-output-v1.schema.json"
SARIF_SCHEMA = ROOT / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "sarif-2.1.0.json"
ARTIFACTS = Path(os.environ.get("RELIABILITY_ARTIFACTS", ROOT / "test-artifacts"))
RESULTS = ARTIFACTS / "reliability.json"
MEASURE = HERE / "measure.py"

# The rule set every CLI run of this suite uses: the core test packs plus the reliability pack.
RULES = ["--rules", str(CORE_PACKS), "--rules", str(REL_PACKS)]
MARKETS = ["-m", "us,rl"]

_LANG_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR", "FORCE_COLOR", "CULTURE_LINT_DEBUG")


def env(**extra: str) -> dict[str, str]:
    """A clean environment for CLI runs: English, UTF-8, the results cache off unless a test turns it on."""
    out = {k: v for k, v in os.environ.items() if k not in _LANG_VARS and not k.startswith("PYTEST_")}
    out.update({"LANG": "C.UTF-8", "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8", "COLUMNS": "120"})
    out.update(extra)
    return out


def cli_cmd(*args: object) -> list[str]:
    return [sys.executable, "-m", "culture_lint", *map(str, args)]


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    peak_rss_mb: float

    def no_traceback(self) -> bool:
        return "Traceback" not in self.err and "internal error" not in self.err


def run(*args: object, cwd: str | Path | None = None, input: bytes | str | None = None,
        extra_env: dict[str, str] | None = None, timeout: float = 240) -> Run:
    """``culture-lint ARGS`` in a fresh process, measured: wall time and the peak RSS of that process alone.

    A small wrapper process (``measure.py``) runs the CLI as its only child and reports
    ``getrusage(RUSAGE_CHILDREN).ru_maxrss``, so the figure is not the maximum over earlier test runs.
    """
    data = input.encode("utf-8") if isinstance(input, str) else input
    report = Path(os.environ.get("TMPDIR", "/tmp")) / f"rl-measure-{os.getpid()}-{time.monotonic_ns()}.json"
    cmd = [sys.executable, str(MEASURE), str(report), "--", *cli_cmd(*args)]
    start = time.monotonic()
    proc = subprocess.run(cmd, input=data, capture_output=True, cwd=cwd, env=env(**(extra_env or {})),
                          timeout=timeout)
    wall = time.monotonic() - start
    try:
        stats = json.loads(report.read_text())
        report.unlink()
    except (OSError, ValueError):
        stats = {"seconds": wall, "peak_rss_kb": 0, "returncode": proc.returncode}
    return Run(stats["returncode"], proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"),
               stats["seconds"], stats["peak_rss_kb"] / 1024)


def _run_id() -> str:
    return os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid-{os.getpid()}"


def _update(change) -> None:
    """Apply ``change(data)`` to test-artifacts/reliability.json under a file lock (pytest -n 2 workers)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lock = ARTIFACTS / ".reliability.lock"
    with open(lock, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            data = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        except ValueError:
            data = {}
        now = time.time()
        run = data.get("run") if isinstance(data.get("run"), dict) else {}
        if run.get("id") != _run_id():
            run = {"id": _run_id(), "started": now}
        run["finished"] = now
        run["seconds"] = round(now - run["started"], 1)
        data["run"] = run
        change(data)
        tmp = RESULTS.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, RESULTS)


def _stamp() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def record(section: str, key: str, value) -> None:
    """Store one measurement in test-artifacts/reliability.json (safe with several pytest workers)."""
    entry = value if isinstance(value, dict) else {"value": value}

    def change(data):
        data.setdefault(section, {})[key] = {**entry, "measured_at": _stamp(), "run": _run_id()}

    _update(change)


def bump(section: str, key: str, count: int) -> None:
    """Add ``count`` to a running total of this pytest run (inputs tried, faults injected)."""
    def change(data):
        entry = data.setdefault(section, {}).get(key)
        if not isinstance(entry, dict) or entry.get("run") != _run_id():
            entry = {"value": 0, "run": _run_id()}  # a new pytest run starts the count again
        entry["value"] += count
        entry["measured_at"] = _stamp()
        data[section][key] = entry

    _update(change)


def mark_run() -> None:
    """Note that a pytest run of the suite is under way (called when the suite is collected)."""
    _update(lambda data: None)


def scale(default: int) -> int:
    """Example counts scale with RELIABILITY_FUZZ_SCALE (1 in CI; e.g. 20 for a longer local run)."""
    return max(1, int(default * float(os.environ.get("RELIABILITY_FUZZ_SCALE", "1"))))


def output_validator():
    import jsonschema

    schema = json.loads(OUTPUT_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def sarif_validator():
    """A validator for the SARIF 2.1.0 schema when the npm package is installed, else None."""
    if not SARIF_SCHEMA.exists():
        return None
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8-sig"))
    return jsonschema.Draft7Validator(schema)


def check_sarif_structure(doc: dict, text_by_uri: dict[str, str] | None = None) -> None:
    """The parts of SARIF 2.1.0 culture-lint promises, checked by hand (works without the schema too)."""
    assert doc["version"] == "2.1.0"
    assert isinstance(doc["runs"], list) and len(doc["runs"]) == 1
    run_ = doc["runs"][0]
    assert run_["tool"]["driver"]["name"] == "culture-lint"
    assert run_.get("columnKind") == "unicodeCodePoints"
    rule_ids = {r["id"] for r in run_["tool"]["driver"].get("rules", [])}
    for result in run_.get("results", []):
        assert result["ruleId"]
        assert result["level"] in ("error", "warning", "note", "none")
        assert result["message"]["text"]
        if "ruleIndex" in result:
            assert run_["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        elif rule_ids:
            assert result["ruleId"] in rule_ids or result["ruleId"].startswith("core.")
        for loc in result.get("locations", []):
            region = loc["physicalLocation"].get("region", {})
            assert region.get("startLine", 1) >= 1 and region.get("startColumn", 1) >= 1
            if "endLine" in region:
                assert (region["endLine"], region.get("endColumn", 1)) >= (region["startLine"],
                                                                          region.get("startColumn", 1))


if "pytest" in sys.modules:  # collection of the suite: the run's clock starts here
    try:
        mark_run()
    except OSError:
        pass
