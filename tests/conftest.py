"""Shared helpers for the core-engine tests.

The tests use their own rule packs (``tests/packs/core``: ``global``, ``us`` and ``zz`` which extends ``us``)
instead of the bundled ``rules/``, so they do not change when the bundled packs do. An extra folder given
with ``--rules`` (or ``rules_dirs=`` in the API) replaces bundled packs of the same id.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
PACKS = TESTS / "packs" / "core"
SCHEMAS = TESTS / "schemas"
OUTPUT_SCHEMA = SCHEMAS / "culture-lint-output-v1.schema.json"
SARIF_PACKAGE = ROOT / "node_modules" / "@microsoft" / "sarif-multitool-linux"

_LANG_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR", "FORCE_COLOR", "CULTURE_LINT_DEBUG")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a CLI run: English interface, UTF-8 I/O, no colour overrides."""
    env = {k: v for k, v in os.environ.items() if k not in _LANG_VARS}
    env.update({"LANG": "C.UTF-8", "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8", "COLUMNS": "120"})
    env.update(extra)
    return env


def cli(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run the CLI in-process (Typer's CliRunner on ``build_app()``); returns (exit code, stdout, stderr).

    An exception that escapes the app is re-raised: the contract says the CLI never shows a traceback,
    so any such exception is a bug the test should report.
    """
    from typer.testing import CliRunner

    from culture_lint.cli import build_app
    from culture_lint.i18n import set_lang

    set_lang("en")
    runner = CliRunner()
    overrides = {k: None for k in _LANG_VARS}
    overrides.update({"LANG": "C.UTF-8", "COLUMNS": "120"})
    overrides.update(env or {})
    try:
        result = runner.invoke(build_app(), [str(a) for a in args], input=input, env=overrides,
                               catch_exceptions=True)
    finally:
        set_lang("en")  # --lang zh must not leak into later tests
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def run_cli(*args: str, input: str | bytes | None = None, cwd: str | Path | None = None,
            env: dict[str, str] | None = None, timeout: float = 120) -> tuple[int, str, str]:
    """Run ``python -m culture_lint`` in a subprocess; returns (exit code, stdout, stderr)."""
    data = input.encode("utf-8") if isinstance(input, str) else input
    proc = subprocess.run([sys.executable, "-m", "culture_lint", *map(str, args)], input=data,
                          capture_output=True, cwd=cwd, env=env or clean_env(), timeout=timeout)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def check_json(*args: str, **kw) -> tuple[int, dict]:
    """``culture-lint check --format json --rules tests/packs/core ARGS``: (exit code, parsed report)."""
    code, out, err = cli("check", "--format", "json", "--rules", PACKS, *args, **kw)
    assert code in (0, 1), f"exit {code}: {err}"
    return code, json.loads(out)


def write(path: Path, text: str | bytes, newline: str = "\n") -> Path:
    """Write a file exactly (bytes as given; text as UTF-8 with the chosen line endings)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.replace("\n", newline).encode("utf-8")
    path.write_bytes(text)
    return path


def spans(findings, rule: str | None = None) -> list[tuple]:
    """(rule, line, column, end_line, end_column) of findings (Finding objects or JSON dicts)."""
    out = []
    for f in findings:
        d = f if isinstance(f, dict) else f.to_dict()
        if rule is None or d["rule"] == rule or d["rule"].startswith(rule + "."):
            out.append((d["rule"], d["line"], d["column"], d["end_line"], d["end_column"]))
    return out


def rules_of(findings) -> list[str]:
    return [f["rule"] if isinstance(f, dict) else f.rule for f in findings]


@pytest.fixture
def isolated_cwd(tmp_path_factory, monkeypatch):
    """Run the test in an empty folder, so no config file of the checkout is picked up.

    Modules opt in with ``pytestmark = pytest.mark.usefixtures("isolated_cwd")``.
    """
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(scope="session")
def us_linter():
    from culture_lint import make_linter

    return make_linter(["us"], rules_dirs=[PACKS])


@pytest.fixture(scope="session")
def zz_us_linter():
    from culture_lint import make_linter

    return make_linter(["zz", "us"], rules_dirs=[PACKS])


@pytest.fixture(scope="session")
def lint(us_linter):
    """``lint(text, filename="t.txt", linter=us_linter)`` → findings from the real reader and engine."""
    from culture_lint import lint_text

    def run(text: str, filename: str = "t.txt", linter=None):
        return lint_text(text, filename=filename, linter=linter or us_linter)

    return run
