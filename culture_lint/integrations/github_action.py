"""The GitHub Action's logic (``action.yml``): lint what a pull request changes, write SARIF, annotate.

    python -m culture_lint.ci [--markets us,sa] [--paths "scripts docs"] [--base-ref REF] [--args "..."]

Every option also reads its ``INPUT_*`` environment variable (``INPUT_MARKETS``, ``INPUT_PATHS``,
``INPUT_BASE_REF``, ``INPUT_FAIL_ON``, ``INPUT_ARGS``, ``INPUT_SARIF_FILE``), which is how ``action.yml``
passes the action's inputs: they never go through a shell.

What is linted:
* ``--base-ref REF``: the files changed since REF (``check --changed-since``; see ``culture_lint.gitdiff``);
  ``none`` lints every file under the paths.
* otherwise, on a ``pull_request`` event: the files changed since the pull request's base branch
  (``origin/$GITHUB_BASE_REF``, fetched when the checkout lacks it);
* on a ``push`` event: the files changed since the commit before the push;
* any other event: every file under the paths.

It always writes the SARIF file (empty when nothing changed), prints the findings as workflow
annotations, adds a summary to the job page, and writes ``exit-code``, ``files``, ``errors``,
``warnings`` and ``sarif-file`` to ``$GITHUB_OUTPUT``. It exits 0 with ``--no-fail`` (the action fails in a
later step, after the SARIF upload), else with culture-lint's exit code.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

LEVELS = {"error": "error", "warning": "warning", "note": "notice"}


def _env(name: str, default: str = "") -> str:
    return os.environ.get(f"INPUT_{name}", default).strip()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m culture_lint.ci", description="culture-lint for pull requests.")
    ap.add_argument("--markets", default=_env("MARKETS"), help="markets, comma-separated; empty: from the config")
    ap.add_argument("--paths", default=_env("PATHS", ".") or ".", help="files or folders, space-separated")
    ap.add_argument("--base-ref", default=_env("BASE_REF"), help="git ref to diff against; 'none': every file")
    ap.add_argument("--fail-on", default=_env("FAIL_ON", "error") or "error")
    ap.add_argument("--args", default=_env("ARGS"), help="more `culture-lint check` arguments")
    ap.add_argument("--sarif-file", default=_env("SARIF_FILE", "culture-lint.sarif") or "culture-lint.sarif")
    ap.add_argument("--no-fail", action="store_true", help="exit 0 whatever is found (the action fails later)")
    return ap.parse_args(argv)


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False)


def _resolves(ref: str) -> bool:
    return _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode == 0


def pull_request_base(branch: str) -> str | None:
    """A ref for the pull request's base branch, fetching it when the checkout does not have it."""
    for ref in (f"origin/{branch}", branch):
        if _resolves(ref):
            return ref
    fetched = _git("fetch", "--no-tags", "--quiet", "origin",
                   f"+refs/heads/{branch}:refs/remotes/origin/{branch}")
    if fetched.returncode == 0 and _resolves(f"origin/{branch}"):
        return f"origin/{branch}"
    return None


def push_base(event_path: str | None) -> str | None:
    if not event_path:
        return None
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    before = str(event.get("before") or "")
    if before and set(before) != {"0"}:
        if _resolves(before):
            return before
        if _git("fetch", "--no-tags", "--quiet", "--depth=1", "origin", before).returncode == 0 and _resolves(before):
            return before
    return None


def choose_base(explicit: str, environ: dict[str, str] | None = None) -> str | None:
    """The ref to diff against, or None to lint every file."""
    env = os.environ if environ is None else environ
    if explicit:
        return None if explicit.lower() == "none" else explicit
    event = env.get("GITHUB_EVENT_NAME", "")
    if event.startswith("pull_request") and env.get("GITHUB_BASE_REF"):
        base = pull_request_base(env["GITHUB_BASE_REF"])
        if base is None:
            print(f"::warning::culture-lint: cannot find the base branch {env['GITHUB_BASE_REF']}; "
                  "linting every file", flush=True)
        return base
    if event == "push":
        return push_base(env.get("GITHUB_EVENT_PATH"))
    return None


def check_argv(opts: argparse.Namespace, base: str | None) -> list[str]:
    argv = ["check", *shlex.split(opts.paths), "--format", "sarif", "--output", opts.sarif_file,
            "--fail-on", opts.fail_on]
    if opts.markets:
        argv += ["--market", opts.markets]
    if base:
        argv += ["--changed-since", base]
    return argv + shlex.split(opts.args)


def run_check(argv: list[str]) -> int:
    from ..cli import main

    try:
        main(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return 0


def _escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def sarif_findings(sarif: dict) -> list[dict]:
    out = []
    for run in sarif.get("runs", []):
        for res in run.get("results", []):
            loc = res["locations"][0]["physicalLocation"]
            region = loc.get("region", {})
            uri = loc["artifactLocation"]["uri"]
            out.append({
                "path": unquote(uri[7:] if uri.startswith("file://") else uri),
                "line": region.get("startLine", 1), "column": region.get("startColumn", 1),
                "end_line": region.get("endLine"), "end_column": region.get("endColumn"),
                "level": res.get("level", "warning"), "rule": res.get("ruleId", ""),
                "market": res.get("properties", {}).get("market", ""),
                "message": res.get("message", {}).get("text", ""),
            })
    return out


def annotations(findings: list[dict]) -> list[str]:
    lines = []
    for f in findings:
        props = f"file={_escape(f['path'], True)},line={f['line']},col={f['column']}"
        if f.get("end_line"):
            props += f",endLine={f['end_line']},endColumn={f['end_column']}"
        props += f",title={_escape(f['rule'] + ' [' + f['market'] + ']', True)}"
        lines.append(f"::{LEVELS.get(f['level'], 'warning')} {props}::{_escape(f['message'])}")
    return lines


def summary_markdown(findings: list[dict], files: int | None, base: str | None, code: int) -> str:
    counts = {k: sum(1 for f in findings if f["level"] == k) for k in ("error", "warning", "note")}
    scope = f"files changed since `{base}`" if base else "all files"
    head = (f"### culture-lint\n\n{counts['error']} error(s), {counts['warning']} warning(s), "
            f"{counts['note']} info(s) in {scope}.\n")
    if code == 2:
        head += "\nThe run failed (exit code 2): see the job log.\n"
    if not findings:
        return head
    rows = ["", "| where | severity | rule | market | message |", "|---|---|---|---|---|"]
    for f in findings[:200]:
        msg = f["message"].replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `{f['path']}:{f['line']}:{f['column']}` | {f['level']} | `{f['rule']}` | {f['market']} | {msg} |")
    if len(findings) > 200:
        rows.append(f"\n… and {len(findings) - 200} more in the SARIF file.")
    return head + "\n".join(rows) + "\n"


EMPTY_SARIF = {
    "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
    "version": "2.1.0",
    "runs": [{"tool": {"driver": {"name": "culture-lint", "rules": []}}, "results": []}],
}


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    base = choose_base(opts.base_ref)
    print(f"culture-lint: linting {'files changed since ' + base if base else 'every file'} in {opts.paths}",
          flush=True)
    sarif_path = Path(opts.sarif_file)
    if sarif_path.exists():
        sarif_path.unlink()
    code = run_check(check_argv(opts, base))
    findings: list[dict] = []
    if sarif_path.is_file():
        sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
        findings = sarif_findings(sarif)
    else:  # the run failed before writing a report: keep the upload step working
        sarif_path.parent.mkdir(parents=True, exist_ok=True)
        sarif_path.write_text(json.dumps(EMPTY_SARIF, indent=2) + "\n", encoding="utf-8")
    for line in annotations(findings):
        print(line)
    n_files = len({f["path"] for f in findings})
    outputs = {
        "exit-code": str(code),
        "sarif-file": str(sarif_path),
        "findings": str(len(findings)),
        "files-with-findings": str(n_files),
        "errors": str(sum(1 for f in findings if f["level"] == "error")),
        "warnings": str(sum(1 for f in findings if f["level"] == "warning")),
    }
    if os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as fh:
            fh.writelines(f"{k}={v}\n" for k, v in outputs.items())
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as fh:
            fh.write(summary_markdown(findings, n_files, base, code))
    print(f"culture-lint: exit code {code}; {outputs['errors']} error(s), {outputs['warnings']} warning(s)",
          flush=True)
    return 0 if opts.no_fail else code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
