"""`culture-lint batch`: a catalog or a folder of scripts, linted on a Dask cluster (local by default)."""

from __future__ import annotations

import json
import sys

from ..config import Settings
from ..errors import CultureLintError
from ..i18n import _
from ..util.suggest import did_you_mean

SUMMARY_FORMATS = ("text", "json")


def _need_extra() -> None:
    missing = []
    for module in ("dask", "distributed", "pandas", "pyarrow"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise CultureLintError(_("culture-lint batch needs {modules}: pip install 'culture-lint[batch]'")
                               .format(modules=", ".join(missing)))


def run(s: Settings) -> int:
    """`batch`: lint a catalog or a folder of scripts on a Dask cluster; summary and exit code."""
    fmt = s.format or "text"
    if fmt not in SUMMARY_FORMATS:
        raise CultureLintError(_("batch --format must be one of {choices}").format(choices=", ".join(SUMMARY_FORMATS)),
                               hint=did_you_mean(fmt, SUMMARY_FORMATS))
    if not s.markets:
        raise CultureLintError(_("no market given: use -m MARKET or 'markets:' in the config"))
    if s.flag("workers") is not None and s.flag("scheduler"):
        raise CultureLintError(_("--workers starts a local cluster; it cannot be used with --scheduler"))
    if s.flag("resume") and s.flag("overwrite"):
        raise CultureLintError(_("--resume and --overwrite cannot be used together"))
    _need_extra()
    spec = linter_spec(s)
    from ..batch.dask import run_batch

    quiet = bool(s.flag("quiet"))
    bar = _Bar(quiet)
    try:
        summary = run_batch(
            s.flag("input"), str(s.output), spec, columns=s.columns or None, key=s.flag("key"),
            kind=s.flag("kind", "auto"), partition_size=s.flag("partition_size"), scores=not s.flag("no_scores"),
            resume=bool(s.flag("resume")), overwrite=bool(s.flag("overwrite")), workers=s.flag("workers"),
            scheduler=s.flag("scheduler"), include=s.include, exclude=s.exclude, encoding=s.encoding,
            progress=bar.update, on_start=bar.start)
    finally:
        bar.stop()
    if fmt == "json":
        sys.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    elif not quiet:
        sys.stdout.write(render_summary(summary))
    sys.stdout.flush()
    if s.fail_on == "never":
        return 0
    from ..models import SEVERITY_RANK

    floor = SEVERITY_RANK[s.fail_on]
    return 1 if any(n and SEVERITY_RANK[sev] >= floor for sev, n in summary["severity"].items()) else 0


def linter_spec(s: Settings):
    """The workers' linter description from the settings (markets and platforms checked here: exit 2 early)."""
    from ..batch.records import LinterSpec
    from ..i18n import current_lang
    from ..packs.registry import Registry

    registry = Registry(s.rules_dirs)
    for m in s.markets:
        registry.resolve_market(m)  # unknown market: exit 2 before reading anything
    for name in s.platforms:
        registry.resolve_platform(name)
    return LinterSpec.create(s.markets, rules_dirs=s.rules_dirs, select=s.select, ignore=s.ignore,
                             severity=s.severity, min_severity=s.min_severity, metadata=s.metadata,
                             lang=current_lang(), platforms=s.platforms, columns=s.columns,
                             max_file_size=s.max_file_size)


class _Bar:
    """A rich progress bar on stderr (only on a terminal), plus one line saying what is being run."""

    def __init__(self, quiet: bool):
        from rich.console import Console

        self.quiet = quiet
        self.console = Console(stderr=True)
        self.progress = None
        self.task = None

    def start(self, info: dict) -> None:
        if self.quiet:
            return
        scripts = not info.get("text_columns")
        if not info["todo"]:
            self.console.print(_("Nothing left to run: all {parts} are already written.").format(
                parts=_partitions(info["partitions"])), highlight=False)
            return
        what = _("Linting {items} in {parts} on {workers}").format(
            items=_count(info["rows"], scripts), parts=_partitions(info["partitions"]),
            workers=(_("1 Dask worker") if info["workers"] == 1 else _("{n} Dask workers")).format(n=info["workers"]))
        if info["todo"] != info["partitions"]:
            what += " " + _("({todo} left to run)").format(todo=info["todo"])
        if not scripts:
            what += "; " + _("text columns: {columns}; key: {key}").format(
                columns=", ".join(info["text_columns"]), key=info.get("key") or _("row number"))
        self.console.print(what, highlight=False, soft_wrap=True)
        if not self.console.is_terminal or not info["todo"]:
            return
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        self.progress = Progress(TextColumn(_("linting")), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                 TimeRemainingColumn(), console=self.console, transient=True)
        self.progress.start()
        self.task = self.progress.add_task("batch", total=info["rows"], completed=info["done"])

    def update(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.update(self.task, completed=done, total=total)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def _count(n: int, scripts: bool) -> str:
    # two msgids rather than ngettext: the catalog tooling (scripts/i18n.py) handles singular msgids only
    if scripts:
        return _("1 file") if n == 1 else _("{n:,} files").format(n=n)
    return _("1 row") if n == 1 else _("{n:,} rows").format(n=n)


def _partitions(n: int) -> str:
    return _("1 partition") if n == 1 else _("{n:,} partitions").format(n=n)


def render_summary(s: dict) -> str:
    """The end-of-run summary: rows, time, findings by severity and category, scores, where the output is."""
    scripts = s["kind"] == "scripts"
    lines = []
    head = _count(s["rows"], scripts) + ", " + _partitions(s["partitions"])
    if s["partitions_resumed"]:
        head += " " + _("({resumed} already written, {run} run now)").format(
            resumed=s["partitions_resumed"], run=s["partitions_run"])
    time_part = _("{seconds:.1f} s").format(seconds=s["seconds"])
    if s.get("rows_per_second"):
        rate = (_("{rate:,.0f} files/s") if scripts else _("{rate:,.0f} rows/s")).format(rate=s["rows_per_second"])
        time_part += ", " + _("{rate} on {workers}").format(
            rate=rate, workers=_("1 worker") if s["workers"] == 1 else _("{n} workers").format(n=s["workers"]))
    lines.append(_("Linted {what} in {time}.").format(what=head, time=time_part))
    sev = s["severity"]
    lines.append(_("Findings: {total:,} in {items} — {errors:,} errors, {warnings:,} warnings, {infos:,} infos")
                 .format(total=s["findings"], items=_count(s["rows_with_findings"], scripts),
                         errors=sev.get("error", 0), warnings=sev.get("warning", 0), infos=sev.get("info", 0)))
    if s["category"]:
        lines.append(_("By category: {items}").format(
            items=", ".join(f"{k} {v:,}" for k, v in s["category"].items())))
    if s["rules"]:
        top = list(s["rules"].items())[:5]
        lines.append(_("Top rules: {items}").format(items=", ".join(f"{k} {v:,}" for k, v in top)))
    for market, sc in s.get("scores", {}).items():
        b = sc["bands"]
        lines.append(_("Scores {market}: mean {mean} — good {good:,}, review {review:,}, fail {fail:,}").format(
            market=market, mean=sc["mean"], good=b["good"], review=b["review"], fail=b["fail"]))
    out = s["output"].rstrip("/")
    table = _("one row per file and market") if scripts else _("one row per row and market")
    lines.append(_("Output: {findings} (one row per finding), {scores} ({table}), {summary}")
                 .format(findings=f"{out}/findings/", scores=f"{out}/scores/", table=table,
                         summary=f"{out}/summary.json"))
    return "\n".join(lines) + "\n"
