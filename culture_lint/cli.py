"""Command-line interface: parses options, calls the library, picks a reporter, sets the exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .errors import CultureLintError
from .i18n import _, choose_lang, set_lang

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _pre_lang(argv: list[str]) -> str:
    """The interface language before Typer builds help texts: --lang, then the environment."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return choose_lang(argv[i + 1])
        if arg.startswith("--lang="):
            return choose_lang(arg.split("=", 1)[1])
    return choose_lang(None)


def _fail(exc: CultureLintError) -> None:
    msg = str(exc)
    if getattr(exc, "errors", None):
        msg = "\n".join(str(e) for e in exc.errors)
    typer.echo(f"culture-lint: {_('error')}: {msg}", err=True)
    raise typer.Exit(EXIT_USAGE)


def _split(values: Optional[List[str]]) -> list[str]:
    from .select import split_codes

    return split_codes(values)


def _parse_meta(items: Optional[List[str]]) -> dict:
    from .yamlio import load_yaml

    out = {}
    for item in items or []:
        if "=" not in item:
            raise CultureLintError(_("--meta takes KEY=VALUE, got '{item}'").format(item=item))
        key, value = item.split("=", 1)
        try:
            out[key.strip()] = load_yaml(value, "--meta") if value.strip() else ""
        except CultureLintError:
            out[key.strip()] = value
    return out


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="culture-lint", add_completion=False, no_args_is_help=True,
        help=_("Lint livestream scripts and product copy for the markets they go to."),
        context_settings={"help_option_names": ["-h", "--help"]},
        rich_markup_mode=None, pretty_exceptions_enable=False,
    )
    rules_app = typer.Typer(help=_("Browse, validate and test rule packs."), no_args_is_help=True)
    app.add_typer(rules_app, name="rules")

    def version_cb(value: bool) -> None:
        if value:
            typer.echo(f"culture-lint {__version__}")
            raise typer.Exit()

    @app.callback()
    def root(version: bool = typer.Option(False, "--version", callback=version_cb, is_eager=True,
                                          help=_("Show the version and exit.")),
             lang: Optional[str] = typer.Option(None, "--lang", help=_("Interface language: en or zh."))) -> None:
        # --lang here is read before the app is built (see main); accepting it keeps `culture-lint --lang zh …` valid
        pass

    @app.command(help=_("Lint files for one or more markets."))
    def check(
        paths: List[str] = typer.Argument(..., help=_("Files or directories; - reads standard input.")),
        market: Optional[List[str]] = typer.Option(None, "-m", "--market", help=_("Markets, comma-separated (us,sa).")),
        fmt: Optional[str] = typer.Option(None, "--format", "-f", help=_("Output format: text, json, sarif, github, html, junit, gitlab, concise.")),
        select: Optional[List[str]] = typer.Option(None, "--select", help=_("Only these rule ids, id prefixes or categories.")),
        ignore: Optional[List[str]] = typer.Option(None, "--ignore", help=_("Skip these rule ids, id prefixes or categories.")),
        min_severity: Optional[str] = typer.Option(None, "--min-severity", help=_("Hide findings below: info, warning, error.")),
        fail_on: Optional[str] = typer.Option(None, "--fail-on", help=_("Exit 1 on findings at or above: error, warning, info, never.")),
        fail_under: Optional[float] = typer.Option(None, "--fail-under", help=_("Exit 1 when a culture-fit score is below this.")),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help=_("Write the report to this file.")),
        date: Optional[str] = typer.Option(None, "--date", help=_("Show date, YYYY-MM-DD.")),
        meta: Optional[List[str]] = typer.Option(None, "--meta", help=_("Document metadata KEY=VALUE (wins over front matter).")),
        platform: Optional[List[str]] = typer.Option(None, "--platform", help=_("Platform packs on top of the markets' (tiktok-shop, shopee, …); repeatable or comma-separated.")),
        config: Optional[Path] = typer.Option(None, "--config", help=_("Use this config file.")),
        no_config: bool = typer.Option(False, "--no-config", help=_("Ignore config files.")),
        lang: Optional[str] = typer.Option(None, "--lang", help=_("Interface language: en or zh.")),
        jobs: int = typer.Option(1, "--jobs", "-j", min=1, help=_("Parallel jobs.")),
        quiet: bool = typer.Option(False, "--quiet", "-q", help=_("Print only findings, no summary.")),
        stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help=_("Name for text read from stdin.")),
        encoding: Optional[str] = typer.Option(None, "--encoding", help=_("Decode files with this encoding.")),
        columns: Optional[List[str]] = typer.Option(None, "--columns", help=_("Text columns to lint, comma-separated (default: chosen from the header).")),
        max_file_size: Optional[str] = typer.Option(None, "--max-file-size", metavar="SIZE", help=_("Files larger than this get a core.input.too-large finding (bytes, or 50MB, 10MiB; default 50MiB).")),
        rules: Optional[List[Path]] = typer.Option(None, "--rules", help=_("Extra rule pack folders.")),
        include: Optional[List[str]] = typer.Option(None, "--include", help=_("Globs of files to lint in directories.")),
        exclude: Optional[List[str]] = typer.Option(None, "--exclude", help=_("Globs of files or folders to skip.")),
        explain: bool = typer.Option(False, "--explain", help=_("Show each rule's source with its findings.")),
        changed_since: Optional[str] = typer.Option(None, "--changed-since", metavar="REF", help=_("Only files changed since this git ref (from its merge base with HEAD), staged, unstaged or untracked.")),
        no_cache: bool = typer.Option(False, "--no-cache", help=_("Do not read or write the results cache (.culture-lint-cache/).")),
    ) -> None:
        from .commands import check as run_check

        try:
            code = run_check.run(locals())
        except CultureLintError as exc:
            _fail(exc)
        raise typer.Exit(code)

    @app.command(help=_("Culture-fit score per file and market, with sub-scores."))
    def score(
        paths: List[str] = typer.Argument(..., help=_("Files or directories; - reads standard input.")),
        market: Optional[List[str]] = typer.Option(None, "-m", "--market", help=_("Markets, comma-separated (us,sa).")),
        fmt: Optional[str] = typer.Option(None, "--format", "-f", help=_("Output format: text, json, sarif, github.")),
        explain: bool = typer.Option(False, "--explain", help=_("List every contribution to each score.")),
        fail_under: Optional[float] = typer.Option(None, "--fail-under", help=_("Exit 1 when a culture-fit score is below this.")),
        fail_on: Optional[str] = typer.Option("never", "--fail-on", help=_("Exit 1 on findings at or above: error, warning, info, never.")),
        select: Optional[List[str]] = typer.Option(None, "--select", help=_("Only these rule ids, id prefixes or categories.")),
        ignore: Optional[List[str]] = typer.Option(None, "--ignore", help=_("Skip these rule ids, id prefixes or categories.")),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help=_("Write the report to this file.")),
        date: Optional[str] = typer.Option(None, "--date", help=_("Show date, YYYY-MM-DD.")),
        meta: Optional[List[str]] = typer.Option(None, "--meta", help=_("Document metadata KEY=VALUE (wins over front matter).")),
        platform: Optional[List[str]] = typer.Option(None, "--platform", help=_("Platform packs on top of the markets' (tiktok-shop, shopee, …); repeatable or comma-separated.")),
        config: Optional[Path] = typer.Option(None, "--config", help=_("Use this config file.")),
        no_config: bool = typer.Option(False, "--no-config", help=_("Ignore config files.")),
        lang: Optional[str] = typer.Option(None, "--lang", help=_("Interface language: en or zh.")),
        jobs: int = typer.Option(1, "--jobs", "-j", min=1, help=_("Parallel jobs.")),
        quiet: bool = typer.Option(False, "--quiet", "-q", help=_("Print only findings, no summary.")),
        stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help=_("Name for text read from stdin.")),
        encoding: Optional[str] = typer.Option(None, "--encoding", help=_("Decode files with this encoding.")),
        columns: Optional[List[str]] = typer.Option(None, "--columns", help=_("Text columns to lint, comma-separated (default: chosen from the header).")),
        max_file_size: Optional[str] = typer.Option(None, "--max-file-size", metavar="SIZE", help=_("Files larger than this get a core.input.too-large finding (bytes, or 50MB, 10MiB; default 50MiB).")),
        rules: Optional[List[Path]] = typer.Option(None, "--rules", help=_("Extra rule pack folders.")),
        include: Optional[List[str]] = typer.Option(None, "--include", help=_("Globs of files to lint in directories.")),
        exclude: Optional[List[str]] = typer.Option(None, "--exclude", help=_("Globs of files or folders to skip.")),
    ) -> None:
        from .commands import check as run_check

        params = dict(locals(), scores=True, min_severity=None)
        try:
            code = run_check.run(params)
        except CultureLintError as exc:
            _fail(exc)
        raise typer.Exit(code)

    @app.command(help=_("Apply safe fixes; --diff previews them, --unsafe-fixes opts in to the rest."))
    def fix(
        paths: List[str] = typer.Argument(..., help=_("Files or directories; - reads standard input.")),
        market: Optional[List[str]] = typer.Option(None, "-m", "--market", help=_("Markets, comma-separated (us,sa).")),
        diff: bool = typer.Option(False, "--diff", help=_("Print a unified diff instead of writing files.")),
        unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help=_("Also apply fixes that may change meaning.")),
        interactive: bool = typer.Option(False, "--interactive", "-i", help=_("Choose a fix for each finding.")),
        fmt: Optional[str] = typer.Option(None, "--format", "-f", help=_("Output format: text, json, sarif, github.")),
        select: Optional[List[str]] = typer.Option(None, "--select", help=_("Only these rule ids, id prefixes or categories.")),
        ignore: Optional[List[str]] = typer.Option(None, "--ignore", help=_("Skip these rule ids, id prefixes or categories.")),
        fail_on: Optional[str] = typer.Option(None, "--fail-on", help=_("Exit 1 on findings at or above: error, warning, info, never.")),
        min_severity: Optional[str] = typer.Option(None, "--min-severity", help=_("Hide findings below: info, warning, error.")),
        date: Optional[str] = typer.Option(None, "--date", help=_("Show date, YYYY-MM-DD.")),
        meta: Optional[List[str]] = typer.Option(None, "--meta", help=_("Document metadata KEY=VALUE (wins over front matter).")),
        platform: Optional[List[str]] = typer.Option(None, "--platform", help=_("Platform packs on top of the markets' (tiktok-shop, shopee, …); repeatable or comma-separated.")),
        config: Optional[Path] = typer.Option(None, "--config", help=_("Use this config file.")),
        no_config: bool = typer.Option(False, "--no-config", help=_("Ignore config files.")),
        lang: Optional[str] = typer.Option(None, "--lang", help=_("Interface language: en or zh.")),
        quiet: bool = typer.Option(False, "--quiet", "-q", help=_("Print only findings, no summary.")),
        stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help=_("Name for text read from stdin.")),
        encoding: Optional[str] = typer.Option(None, "--encoding", help=_("Decode files with this encoding.")),
        columns: Optional[List[str]] = typer.Option(None, "--columns", help=_("Text columns to lint, comma-separated (default: chosen from the header).")),
        max_file_size: Optional[str] = typer.Option(None, "--max-file-size", metavar="SIZE", help=_("Files larger than this get a core.input.too-large finding (bytes, or 50MB, 10MiB; default 50MiB).")),
        rules: Optional[List[Path]] = typer.Option(None, "--rules", help=_("Extra rule pack folders.")),
        include: Optional[List[str]] = typer.Option(None, "--include", help=_("Globs of files to lint in directories.")),
        exclude: Optional[List[str]] = typer.Option(None, "--exclude", help=_("Globs of files or folders to skip.")),
    ) -> None:
        from .commands import fix as run_fix

        try:
            code = run_fix.run(locals())
        except CultureLintError as exc:
            _fail(exc)
        raise typer.Exit(code)

    @app.command(help=_("List markets, their languages, currency, time zones and parent packs."))
    def markets(
        fmt: Optional[str] = typer.Option("text", "--format", "-f", help=_("Output format: text or json.")),
        rules: Optional[List[Path]] = typer.Option(None, "--rules", help=_("Extra rule pack folders.")),
        lang: Optional[str] = typer.Option(None, "--lang", help=_("Interface language: en or zh.")),
    ) -> None:
        from .commands import packs as cmd

        try:
            cmd.markets(fmt or "text", rules or [], lang)
        except CultureLintError as exc:
            _fail(exc)

    @app.command(help=_("List platform packs with their markets, market variants and policy sources."))
    def platforms(
        fmt: Optional[str] = typer.Option("text", "--format", "-f", help=_("Output format: text or json.")),
        rules: Optional[List[Path]] = typer.Option(None, "--rules", help=_("Extra rule pack folders.")),
        lang: Optional[str] = typer.Option(None, "--lang", help=_("Interface language: en or zh.")),
    ) -> None:
        from .commands import platforms as cmd

        try:
            cmd.platforms(fmt or "text", rules or [], lang)
        except CultureLintError as exc:
            _fail(exc)

    @app.command(help=_("Write a commented starter config (.culture-lint.yaml)."))
    def init(
        market: Optional[List[str]] = typer.Option(None, "-m", "--market", help=_("Markets, comma-separated (us,sa).")),
        path: Path = typer.Option(Path(".culture-lint.yaml"), "--path", help=_("Where to write the config.")),
        force: bool = typer.Option(False, "--force", help=_("Overwrite an existing file.")),
    ) -> None:
        from .config import STARTER

        if path.exists() and not force:
            typer.echo(_("{path} already exists (use --force to overwrite)").format(path=path), err=True)
            raise typer.Exit(EXIT_USAGE)
        markets_list = _split(market) or ["us"]
        from .fsutil import atomic_write

        atomic_write(path, STARTER.format(markets=", ".join(markets_list)).encode("utf-8"))
        typer.echo(_("Wrote {path}").format(path=path))

    @rules_app.command("list", help=_("List rules, filtered by market or category."))
    def rules_list(
        market: Optional[List[str]] = typer.Option(None, "-m", "--market", help=_("Markets, comma-separated (us,sa).")),
        category: Optional[List[str]] = typer.Option(None, "--category", help=_("Only these categories.")),
        platform: Optional[List[str]] = typer.Option(None, "--platform", help=_("Also the rules of these platform packs (with -m: those that apply in the markets).")),
        fmt: Optional[str] = typer.Option("text", "--format", "-f", help=_("Output format: text or json.")),
        rules: Optional[List[Path]] = typer.Option(None, "--rules", help=_("Extra rule pack folders.")),
        lang: Optional[str] = typer.Option(None, "--lang", help=_("Interface language: en or zh.")),
    ) -> None:
        from .commands import packs as cmd

        try:
            cmd.rules_list(_split(market), _split(category), fmt or "text", rules or [], lang, _split(platform))
        except CultureLintError as exc:
            _fail(exc)

    @rules_app.command("show", help=_("Show a rule: why, examples, what to use instead, source."))
    def rules_show(
        rule_id: str = typer.Argument(..., help=_("Rule id.")),
        rules: Optional[List[Path]] = typer.Option(None, "--rules", help=_("Extra rule pack folders.")),
        lang: Optional[str] = typer.Option(None, "--lang", help=_("Interface language: en or zh.")),
    ) -> None:
        from .commands import packs as cmd

        try:
            cmd.rules_show(rule_id, rules or [], lang)
        except CultureLintError as exc:
            _fail(exc)

    @rules_app.command("validate", help=_("Validate rule packs (file:line:col for every problem)."))
    def rules_validate(
        paths: List[Path] = typer.Argument(..., help=_("Pack folders or a folder of packs.")),
        lang: Optional[str] = typer.Option(None, "--lang", help=_("Interface language: en or zh.")),
    ) -> None:
        from .commands import packs as cmd

        try:
            code = cmd.rules_validate(paths, lang)
        except CultureLintError as exc:
            _fail(exc)
        raise typer.Exit(code)

    @rules_app.command("test", help=_("Run the fixtures (tests: flag/pass) of rule packs."))
    def rules_test(
        paths: List[Path] = typer.Argument(..., help=_("Pack folders or a folder of packs.")),
        select: Optional[List[str]] = typer.Option(None, "--select", help=_("Only these rule ids, id prefixes or categories.")),
        quiet: bool = typer.Option(False, "--quiet", "-q", help=_("Print only failures.")),
        lang: Optional[str] = typer.Option(None, "--lang", help=_("Interface language: en or zh.")),
    ) -> None:
        from .commands import packs as cmd

        try:
            code = cmd.rules_test(paths, _split(select), quiet, lang)
        except CultureLintError as exc:
            _fail(exc)
        raise typer.Exit(code)

    @rules_app.command("eval", help=_("Measure the rule packs on the real-world corpus: recall and clean-pass per split, category, language and market."))
    def rules_eval(
        corpus: Optional[Path] = typer.Argument(None, help=_("Corpus folder (default: tests/corpus/real).")),
        split: str = typer.Option("both", "--split", help=_("dev, held-out or both.")),
        misses: bool = typer.Option(False, "--misses", help=_("List missed categories and false alarms.")),
        fmt: str = typer.Option("text", "--format", "-f", help=_("Output format: text, markdown or json.")),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help=_("Write the report to this file.")),
        rules: Optional[List[Path]] = typer.Option(None, "--rules", help=_("Extra rule pack folders.")),
        lang: Optional[str] = typer.Option(None, "--lang", help=_("Interface language: en or zh.")),
    ) -> None:
        from .commands import evaluate as cmd

        try:
            code = cmd.run(corpus, split, misses, fmt, output, rules or [], lang)
        except CultureLintError as exc:
            _fail(exc)
        raise typer.Exit(code)

    @app.command(help=_("Lint a catalog (Parquet, CSV, JSON Lines) or a folder of scripts on a Dask cluster."))
    def batch(
        input: str = typer.Argument(..., help=_("A table file, a folder of Parquet/JSONL parts, or a folder of scripts.")),
        market: Optional[List[str]] = typer.Option(None, "-m", "--market", help=_("Markets, comma-separated (us,sa).")),
        output: Path = typer.Option(..., "-o", "--output", help=_("Folder for findings/, scores/ and summary.json.")),
        columns: Optional[List[str]] = typer.Option(None, "--columns", help=_("Text columns to lint, comma-separated (default: chosen from the header).")),
        key: Optional[str] = typer.Option(None, "--key", help=_("Column that identifies a row (default: the first id/sku/handle column, else the row number).")),
        workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, help=_("Worker processes of the local Dask cluster (default: one per CPU).")),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", help=_("Address of an existing Dask scheduler (tcp://host:8786).")),
        partition_size: Optional[int] = typer.Option(None, "--partition-size", min=1, help=_("Rows (or script files) per partition.")),
        resume: bool = typer.Option(False, "--resume", help=_("Skip partitions an earlier run already wrote.")),
        overwrite: bool = typer.Option(False, "--overwrite", help=_("Replace the batch output already in the folder.")),
        no_scores: bool = typer.Option(False, "--no-scores", help=_("Do not write the per-row score table.")),
        kind: str = typer.Option("auto", "--kind", help=_("Input kind: auto, table or scripts.")),
        fmt: Optional[str] = typer.Option(None, "--format", "-f", help=_("Summary format: text or json.")),
        select: Optional[List[str]] = typer.Option(None, "--select", help=_("Only these rule ids, id prefixes or categories.")),
        ignore: Optional[List[str]] = typer.Option(None, "--ignore", help=_("Skip these rule ids, id prefixes or categories.")),
        min_severity: Optional[str] = typer.Option(None, "--min-severity", help=_("Hide findings below: info, warning, error.")),
        fail_on: Optional[str] = typer.Option(None, "--fail-on", help=_("Exit 1 on findings at or above: error, warning, info, never.")),
        date: Optional[str] = typer.Option(None, "--date", help=_("Show date, YYYY-MM-DD.")),
        meta: Optional[List[str]] = typer.Option(None, "--meta", help=_("Document metadata KEY=VALUE (wins over front matter).")),
        config: Optional[Path] = typer.Option(None, "--config", help=_("Use this config file.")),
        no_config: bool = typer.Option(False, "--no-config", help=_("Ignore config files.")),
        lang: Optional[str] = typer.Option(None, "--lang", help=_("Interface language: en or zh.")),
        quiet: bool = typer.Option(False, "--quiet", "-q", help=_("No progress and no summary.")),
        encoding: Optional[str] = typer.Option(None, "--encoding", help=_("Decode files with this encoding.")),
        rules: Optional[List[Path]] = typer.Option(None, "--rules", help=_("Extra rule pack folders.")),
        include: Optional[List[str]] = typer.Option(None, "--include", help=_("Globs of files to lint in directories.")),
        exclude: Optional[List[str]] = typer.Option(None, "--exclude", help=_("Globs of files or folders to skip.")),
    ) -> None:
        from .commands import batch as run_batch

        try:
            code = run_batch.run(locals())
        except CultureLintError as exc:
            _fail(exc)
        raise typer.Exit(code)

    @app.command(help=_("Sensitive periods and shopping festivals ahead, with script guidance."))
    def calendar(
        market: Optional[List[str]] = typer.Option(None, "-m", "--market", help=_("Markets, comma-separated (us,sa).")),
        start: Optional[str] = typer.Option(None, "--from", help=_("First day, YYYY-MM-DD (default: today).")),
        days: int = typer.Option(90, "--days", help=_("Number of days to show.")),
        fmt: Optional[str] = typer.Option("text", "--format", "-f", help=_("Output format: text, json or ics.")),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help=_("Write the report to this file.")),
        rules: Optional[List[Path]] = typer.Option(None, "--rules", help=_("Extra rule pack folders.")),
        config: Optional[Path] = typer.Option(None, "--config", help=_("Use this config file.")),
        no_config: bool = typer.Option(False, "--no-config", help=_("Ignore config files.")),
        lang: Optional[str] = typer.Option(None, "--lang", help=_("Interface language: en or zh.")),
    ) -> None:
        from .commands import calendar as run_calendar

        try:
            code = run_calendar.run(locals())
        except CultureLintError as exc:
            _fail(exc)
        raise typer.Exit(code)

    @app.command(help=_("Language server on stdio for editors (extra: lsp)."))
    def lsp(
        debounce: Optional[int] = typer.Option(None, "--debounce", min=0, help=_("Milliseconds to wait after an edit before linting (default 150).")),
        stdio: bool = typer.Option(True, "--stdio/--no-stdio", hidden=True),
    ) -> None:
        from .lsp import INSTALL_HINT, missing_dependency

        missing = missing_dependency()
        if missing:
            typer.echo(f"culture-lint: {_('error')}: " + _("the language server needs {package}; install it with: {command}").format(
                package=missing, command=INSTALL_HINT), err=True)
            raise typer.Exit(EXIT_USAGE)
        from .lsp import main as run_lsp

        run_lsp(debounce)

    @app.command(help=_("Local web page: paste or open a script and see findings as you type (extra 'web')."))
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help=_("Address to listen on (default: this machine only).")),
        port: int = typer.Option(8765, "--port", "-p", min=0, max=65535, help=_("Port (0: any free port).")),
        open_browser: bool = typer.Option(False, "--open", help=_("Open the page in the browser.")),
        market: Optional[List[str]] = typer.Option(None, "-m", "--market", help=_("Markets, comma-separated (us,sa).")),
        allow_host: Optional[List[str]] = typer.Option(None, "--allow-host", help=_("Another name this server may be reached by (Host header).")),
        max_body: Optional[str] = typer.Option(None, "--max-body", metavar="SIZE", help=_("Largest request body (default 8MiB).")),
        rules: Optional[List[Path]] = typer.Option(None, "--rules", help=_("Extra rule pack folders.")),
        config: Optional[Path] = typer.Option(None, "--config", help=_("Use this config file.")),
        no_config: bool = typer.Option(False, "--no-config", help=_("Ignore config files.")),
        lang: Optional[str] = typer.Option(None, "--lang", help=_("Interface language: en or zh.")),
    ) -> None:
        from .web.cli import run as run_serve

        try:
            code = run_serve(locals())
        except CultureLintError as exc:
            _fail(exc)
        raise typer.Exit(code)

    @app.command(help=_("Lint a show while it airs, from its caption events; --replay replays a session log."))
    def live(
        input: Optional[List[str]] = typer.Option(None, "--input", "-i", metavar="[TRACK=]SRC", help=_("Caption source: - (stdin), a growing .srt/.vtt/.txt file, ws://127.0.0.1:PORT or http://127.0.0.1:PORT; repeatable; TRACK= names the track (host, subtitles-en, chat).")),
        market: Optional[List[str]] = typer.Option(None, "-m", "--market", help=_("Markets, comma-separated (us,sa).")),
        fmt: Optional[str] = typer.Option("text", "--format", "-f", help=_("Output format: text (a dashboard on a terminal) or jsonl.")),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help=_("Write the alerts to this file.")),
        session_log: Optional[Path] = typer.Option(None, "--session-log", help=_("Append every event and alert to this JSON lines file (default: ~/.local/state/culture-lint/live/).")),
        replay: Optional[Path] = typer.Option(None, "--replay", help=_("Replay a session log and print its alerts again.")),
        speed: Optional[float] = typer.Option(None, "--speed", help=_("Play timed captions at this many times real speed (10: ten times faster).")),
        duration: Optional[float] = typer.Option(None, "--duration", help=_("End the session after this many seconds of show time.")),
        follow: bool = typer.Option(True, "--follow/--no-follow", help=_("Keep reading files as they grow (like tail -F), or stop at their end.")),
        post: Optional[str] = typer.Option(None, "--post", metavar="URL", help=_("POST each alert as JSON to this URL.")),
        report: Optional[Path] = typer.Option(None, "--report", help=_("Folder for the post-show report (default: next to the session log).")),
        no_report: bool = typer.Option(False, "--no-report", help=_("Do not write the post-show report.")),
        no_dashboard: bool = typer.Option(False, "--no-dashboard", help=_("Print alerts as lines, not a dashboard.")),
        pause: Optional[float] = typer.Option(None, "--pause", help=_("Seconds of silence that end a sentence (default 1.0).")),
        window: Optional[int] = typer.Option(None, "--window", min=1, help=_("Sentences linted together with each new one (default 4); the post-show lint sees the whole show.")),
        show: Optional[Path] = typer.Option(None, "--show", help=_("Show context from a front-matter file: market, date, start, timezone, platform.")),
        platform: Optional[List[str]] = typer.Option(None, "--platform", help=_("Platform of the show (tiktok-shop, shopee, …).")),
        date: Optional[str] = typer.Option(None, "--date", help=_("Show date, YYYY-MM-DD.")),
        start: Optional[str] = typer.Option(None, "--start", help=_("Local start time of the show, HH:MM.")),
        timezone: Optional[str] = typer.Option(None, "--timezone", help=_("Time zone of the show (IANA name, e.g. Asia/Riyadh).")),
        meta: Optional[List[str]] = typer.Option(None, "--meta", help=_("Document metadata KEY=VALUE (wins over front matter).")),
        select: Optional[List[str]] = typer.Option(None, "--select", help=_("Only these rule ids, id prefixes or categories.")),
        ignore: Optional[List[str]] = typer.Option(None, "--ignore", help=_("Skip these rule ids, id prefixes or categories.")),
        min_severity: Optional[str] = typer.Option(None, "--min-severity", help=_("Hide findings below: info, warning, error.")),
        config: Optional[Path] = typer.Option(None, "--config", help=_("Use this config file.")),
        no_config: bool = typer.Option(False, "--no-config", help=_("Ignore config files.")),
        rules: Optional[List[Path]] = typer.Option(None, "--rules", help=_("Extra rule pack folders.")),
        lang: Optional[str] = typer.Option(None, "--lang", help=_("Interface language: en or zh.")),
        quiet: bool = typer.Option(False, "--quiet", "-q", help=_("Print only findings, no summary.")),
    ) -> None:
        from .live.run import run as run_live

        try:
            code = run_live(locals())
        except CultureLintError as exc:
            _fail(exc)
        raise typer.Exit(code)

    return app


def main(argv: Optional[list[str]] = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    set_lang(_pre_lang(args))
    app = build_app()
    try:
        app(args=args, prog_name="culture-lint")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        typer.echo(_("interrupted"), err=True)
        sys.exit(130)
    except Exception as exc:  # last resort: a clear message, never a traceback
        typer.echo(f"culture-lint: {_('internal error')}: {type(exc).__name__}: {exc}", err=True)
        if os.environ.get("CULTURE_LINT_DEBUG"):
            raise
        sys.exit(EXIT_USAGE)


if __name__ == "__main__":  # pragma: no cover
    main()
