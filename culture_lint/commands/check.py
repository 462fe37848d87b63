"""`culture-lint check`: settings from config + flags, lint, report, exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ..config import Config, find_config, load_config
from ..errors import CultureLintError
from ..i18n import _, choose_lang, set_lang
from ..models import SEVERITY_RANK, SEVERITIES
from ..select import split_codes

FAIL_ON = ("error", "warning", "info", "never")


def _did_you_mean(value: str, choices) -> str | None:
    from rapidfuzz import process

    guess = process.extractOne(value, list(choices), score_cutoff=50)
    return _("did you mean '{choice}'?").format(choice=guess[0]) if guess else None


def choose(value: Any, config: Config, key: str, default: Any = None) -> Any:
    return value if value not in (None, [], "") else config.get(key, default)


def settings(p: dict) -> dict:
    """Merge flags over config; validate everything that could make the run impossible."""
    if p.get("no_config"):
        config = Config()
    else:
        config = load_config(p["config"] if p.get("config") else find_config())
    set_lang(choose_lang(p.get("lang"), config.get("lang")))
    fmt = choose(p.get("fmt"), config, "format", "text")
    from ..report import FORMATS

    if fmt not in FORMATS:
        raise CultureLintError(_("unknown format '{fmt}'").format(fmt=fmt), hint=_did_you_mean(fmt, FORMATS))
    fail_on = choose(p.get("fail_on"), config, "fail_on", "error")
    if fail_on not in FAIL_ON:
        raise CultureLintError(_("--fail-on must be one of {choices}").format(choices=", ".join(FAIL_ON)),
                               hint=_did_you_mean(fail_on, FAIL_ON))
    min_sev = choose(p.get("min_severity"), config, "min_severity", "info")
    if min_sev not in SEVERITIES:
        raise CultureLintError(_("--min-severity must be one of {choices}").format(choices=", ".join(SEVERITIES)),
                               hint=_did_you_mean(min_sev, SEVERITIES))
    encoding = p.get("encoding") or config.get("encoding")
    if encoding:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise CultureLintError(_("unknown encoding '{encoding}'").format(encoding=encoding),
                                   hint=_did_you_mean(encoding, ["utf-8", "utf-16", "gb18030", "gbk", "big5",
                                                                 "shift_jis", "euc-kr", "latin-1"])) from None
    metadata = dict(config.get("metadata", {}) or {})
    from ..cli import _parse_meta

    metadata.update(_parse_meta(p.get("meta")))
    if p.get("date"):
        import datetime as dt

        try:
            dt.date.fromisoformat(p["date"])
        except ValueError:
            raise CultureLintError(_("--date must be YYYY-MM-DD, got '{value}'").format(value=p["date"])) from None
        metadata["date"] = p["date"]
    from ..config import DEFAULT_MAX_FILE_SIZE, parse_size

    max_file_size = config.get("max_file_size", DEFAULT_MAX_FILE_SIZE)
    if p.get("max_file_size"):
        try:
            max_file_size = parse_size(p["max_file_size"])
        except ValueError:
            raise CultureLintError(_("--max-file-size must be a size in bytes, or with a unit (50MB, 10MiB), "
                                     "got '{value}'").format(value=p["max_file_size"])) from None
    columns = split_codes(p.get("columns")) or split_codes(config.get("columns"))
    return {
        "config": config,
        "markets": split_codes(p.get("market")) or split_codes(config.get("markets")),
        "format": fmt,
        "fail_on": fail_on,
        "fail_under": choose(p.get("fail_under"), config, "fail_under"),
        "min_severity": min_sev,
        "select": split_codes(p.get("select")) or split_codes(config.get("select")),
        "ignore": split_codes(p.get("ignore")) or split_codes(config.get("ignore")),
        "severity": dict(config.get("severity", {}) or {}),
        "rules_dirs": config.rules_dirs() + [Path(r) for r in p.get("rules") or []],
        "include": p.get("include") or config.get("include"),
        "exclude": p.get("exclude") or config.get("exclude"),
        "encoding": p.get("encoding") or config.get("encoding"),
        "metadata": metadata,
        "max_file_size": max_file_size,
        "columns": columns,
        "platforms": split_codes(p.get("platform")) or split_codes(config.get("platforms")),
    }


def make_options(s: dict):
    """The engine's options from merged settings (`check`, `score` and `fix` share them)."""
    from ..engine import Options

    return Options(select=s["select"], ignore=s["ignore"], severity=s["severity"], min_severity=s["min_severity"],
                   metadata=s["metadata"], max_file_size=s["max_file_size"], columns=s["columns"],
                   platforms=s.get("platforms", []))


def exit_code(reports, fail_on: str, fail_under: float | None) -> int:
    if fail_on != "never":
        floor = SEVERITY_RANK[fail_on]
        if any(SEVERITY_RANK[f.severity] >= floor for r in reports for f in r.findings):
            return 1
    if fail_under is not None:
        if any(s["score"] < fail_under for r in reports for s in r.scores.values()):
            return 1
    return 0


def run(p: dict) -> int:
    s = settings(p)
    from ..files import collect
    from ..packs.registry import Registry
    from ..report import Run, render
    from ..runner import lint_many

    registry = Registry(s["rules_dirs"])
    for m in s["markets"]:
        registry.resolve_market(m)  # unknown market: exit 2 before reading anything
    for name in s["platforms"]:
        registry.resolve_platform(name)  # unknown platform: the same
    options = make_options(s)
    options.lazy_documents = True
    if not p.get("no_cache"):
        from ..cache import results_dir

        options.cache_dir = str(results_dir(s["config"].path))
    if p.get("changed_since"):
        from ..gitdiff import changed_paths

        files = changed_paths(p["changed_since"], p["paths"], s["include"], s["exclude"])
    else:
        files = collect(p["paths"], s["include"], s["exclude"])
    reports, markets, rules = lint_many(registry, s["markets"], options, files, encoding=s["encoding"],
                                        stdin_filename=p.get("stdin_filename"), jobs=p.get("jobs") or 1)
    details = {}
    if p.get("scores") or s["fail_under"] is not None or s["format"] == "html":
        from ..runner import add_scores

        details = add_scores(reports, registry, markets)
    out = render(s["format"], Run(reports, markets, rules, color=_color(p), explain=p.get("explain", False),
                                  show_scores=bool(p.get("scores") or s["fail_under"] is not None),
                                  score_details=details))
    if p.get("quiet") and s["format"] == "text":
        out = "\n".join(line for line in out.splitlines() if ":" in line.split(" ")[0]) + "\n"
    if p.get("output"):
        from ..fsutil import atomic_write

        try:
            atomic_write(p["output"], out.encode("utf-8"))
        except OSError as exc:  # disk full, read-only folder: a clear exit 2, the old report left as it was
            raise CultureLintError(_("{path}: cannot write ({reason}); the file is unchanged").format(
                path=p["output"], reason=exc.strerror or exc)) from None
    else:
        sys.stdout.write(out)
        sys.stdout.flush()
    return exit_code(reports, s["fail_on"], s["fail_under"])


def _color(p: dict) -> bool:
    import os

    if p.get("output") or "NO_COLOR" in os.environ:
        return False
    return sys.stdout.isatty()
