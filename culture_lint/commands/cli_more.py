"""The other commands' command lines: markets, platforms, init, rules, calendar, lsp, serve, live."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..i18n import _
from . import options as O
from .base import EXIT_USAGE, guarded, settled, with_mapping

LIST_FORMATS = ("text", "json")


def register(app: typer.Typer, rules_app: typer.Typer) -> None:
    """Add the browsing, calendar, editor, web and live commands."""
    _listings(app)
    _init(app)
    _rules(rules_app)
    _rules_eval(rules_app)
    _calendar(app)
    _lsp(app)
    _serve(app)
    _live(app)


def _listings(app: typer.Typer) -> None:
    @app.command(help=_("List markets, their languages, currency, time zones and parent packs."))
    def markets(ctx: typer.Context, fmt: Optional[str] = O.fmt(_("Output format: text or json."), "text"),
                rules: Optional[List[Path]] = O.rules(), lang: Optional[str] = O.lang()) -> None:
        from .packs import markets as run

        settled(run, ctx.params, LIST_FORMATS, no_config=True)

    @app.command(help=_("List platform packs with their markets, market variants and policy sources."))
    def platforms(ctx: typer.Context, fmt: Optional[str] = O.fmt(_("Output format: text or json."), "text"),
                  rules: Optional[List[Path]] = O.rules(), lang: Optional[str] = O.lang()) -> None:
        from .platforms import platforms as run

        settled(run, ctx.params, LIST_FORMATS, no_config=True)


def _init(app: typer.Typer) -> None:
    @app.command(help=_("Write a commented starter config (.culture-lint.yaml)."))
    def init(
        market: Optional[List[str]] = O.market(),
        path: Path = typer.Option(Path(".culture-lint.yaml"), "--path", help=_("Where to write the config.")),
        force: bool = typer.Option(False, "--force", help=_("Overwrite an existing file.")),
    ) -> None:
        from ..config import STARTER, split_list
        from ..util.fsutil import atomic_write

        if path.exists() and not force:
            typer.echo(_("{path} already exists (use --force to overwrite)").format(path=path), err=True)
            raise typer.Exit(EXIT_USAGE)
        markets_list = split_list(market) or ["us"]
        atomic_write(path, STARTER.format(markets=", ".join(markets_list)).encode("utf-8"))
        typer.echo(_("Wrote {path}").format(path=path))


def _rules(rules_app: typer.Typer) -> None:
    @rules_app.command("list", help=_("List rules, filtered by market or category."))
    def rules_list(
        ctx: typer.Context, market: Optional[List[str]] = O.market(),
        category: Optional[List[str]] = typer.Option(None, "--category", help=_("Only these categories.")),
        platform: Optional[List[str]] = typer.Option(None, "--platform", help=_(
            "Also the rules of these platform packs (with -m: those that apply in the markets).")),
        fmt: Optional[str] = O.fmt(_("Output format: text or json."), "text"),
        rules: Optional[List[Path]] = O.rules(), lang: Optional[str] = O.lang(),
    ) -> None:
        from .packs import rules_list as run

        settled(run, ctx.params, LIST_FORMATS, no_config=True)

    @rules_app.command("show", help=_("Show a rule: why, examples, what to use instead, source."))
    def rules_show(ctx: typer.Context, rule_id: str = typer.Argument(..., help=_("Rule id.")),
                   rules: Optional[List[Path]] = O.rules(), lang: Optional[str] = O.lang()) -> None:
        from .packs import rules_show as run

        settled(run, ctx.params, no_config=True)

    @rules_app.command("validate", help=_("Validate rule packs (file:line:col for every problem)."))
    def rules_validate(ctx: typer.Context,
                       paths: List[Path] = typer.Argument(..., help=_("Pack folders or a folder of packs.")),
                       lang: Optional[str] = O.lang()) -> None:
        from .packs import rules_validate as run

        settled(run, ctx.params, no_config=True)

    @rules_app.command("test", help=_("Run the fixtures (tests: flag/pass) of rule packs."))
    def rules_test(ctx: typer.Context,
                   paths: List[Path] = typer.Argument(..., help=_("Pack folders or a folder of packs.")),
                   select: Optional[List[str]] = O.select(),
                   quiet: bool = O.quiet(_("Print only failures.")), lang: Optional[str] = O.lang()) -> None:
        from .packs import rules_test as run

        settled(run, ctx.params, no_config=True)


def _rules_eval(rules_app: typer.Typer) -> None:
    @rules_app.command("eval", help=_("Measure the rule packs on the real-world corpus: recall and clean-pass per "
                                      "split, category, language and market."))
    def rules_eval(
        corpus: Optional[Path] = typer.Argument(None, help=_("Corpus folder (default: tests/corpus/real).")),
        split: str = typer.Option("both", "--split", help=_("dev, held-out or both.")),
        misses: bool = typer.Option(False, "--misses", help=_("List missed categories and false alarms.")),
        fmt: str = O.fmt(_("Output format: text, markdown or json."), "text"),
        output: Optional[Path] = O.output(), rules: Optional[List[Path]] = O.rules(), lang: Optional[str] = O.lang(),
    ) -> None:
        from .evaluate import run

        guarded(lambda: run(corpus, split, misses, fmt, output, rules or [], lang))


def _calendar(app: typer.Typer) -> None:
    @app.command(help=_("Sensitive periods and shopping festivals ahead, with script guidance."))
    def calendar(
        ctx: typer.Context, market: Optional[List[str]] = O.market(),
        start: Optional[str] = typer.Option(None, "--from", help=_("First day, YYYY-MM-DD (default: today).")),
        days: int = typer.Option(90, "--days", help=_("Number of days to show.")),
        fmt: Optional[str] = O.fmt(_("Output format: text, json or ics."), "text"),
        output: Optional[Path] = O.output(), rules: Optional[List[Path]] = O.rules(),
        config: Optional[Path] = O.config(), no_config: bool = O.no_config(), lang: Optional[str] = O.lang(),
    ) -> None:
        from .calendar import FORMATS, run

        settled(run, ctx.params, FORMATS)


def _lsp(app: typer.Typer) -> None:
    @app.command(help=_("Language server on stdio for editors (extra: lsp)."))
    def lsp(
        debounce: Optional[int] = typer.Option(None, "--debounce", min=0, help=_(
            "Milliseconds to wait after an edit before linting (default 150).")),
        stdio: bool = typer.Option(True, "--stdio/--no-stdio", hidden=True),
    ) -> None:
        from ..lsp import INSTALL_HINT, missing_dependency

        missing = missing_dependency()
        if missing:
            typer.echo(f"culture-lint: {_('error')}: " + _(
                "the language server needs {package}; install it with: {command}").format(
                package=missing, command=INSTALL_HINT), err=True)
            raise typer.Exit(EXIT_USAGE)
        from ..lsp import main as run_lsp

        run_lsp(debounce)


def _serve(app: typer.Typer) -> None:
    @app.command(help=_("Local web page: paste or open a script and see findings as you type (extra 'web')."))
    def serve(
        ctx: typer.Context,
        host: str = typer.Option("127.0.0.1", "--host", help=_("Address to listen on (default: this machine only).")),
        port: int = typer.Option(8765, "--port", "-p", min=0, max=65535, help=_("Port (0: any free port).")),
        open_browser: bool = typer.Option(False, "--open", help=_("Open the page in the browser.")),
        market: Optional[List[str]] = O.market(),
        allow_host: Optional[List[str]] = typer.Option(None, "--allow-host", help=_(
            "Another name this server may be reached by (Host header).")),
        max_body: Optional[str] = typer.Option(None, "--max-body", metavar="SIZE", help=_(
            "Largest request body (default 8MiB).")),
        platform: Optional[List[str]] = O.platform(), rules: Optional[List[Path]] = O.rules(),
        config: Optional[Path] = O.config(), no_config: bool = O.no_config(), lang: Optional[str] = O.lang(),
    ) -> None:
        from ..web.cli import run

        with_mapping(run, ctx.params)


def _live(app: typer.Typer) -> None:
    @app.command(help=_("Lint a show while it airs, from its caption events; --replay replays a session log."))
    def live(
        ctx: typer.Context,
        input: Optional[List[str]] = typer.Option(None, "--input", "-i", metavar="[TRACK=]SRC", help=_(
            "Caption source: - (stdin), a growing .srt/.vtt/.txt file, ws://127.0.0.1:PORT or http://127.0.0.1:PORT; "
            "repeatable; TRACK= names the track (host, subtitles-en, chat).")),
        market: Optional[List[str]] = O.market(),
        fmt: Optional[str] = O.fmt(_("Output format: text (a dashboard on a terminal) or jsonl."), "text"),
        output: Optional[Path] = O.output(_("Write the alerts to this file.")),
        session_log: Optional[Path] = typer.Option(None, "--session-log", help=_(
            "Append every event and alert to this JSON lines file (default: ~/.local/state/culture-lint/live/).")),
        replay: Optional[Path] = typer.Option(None, "--replay", help=_("Replay a session log and print its alerts again.")),
        speed: Optional[float] = typer.Option(None, "--speed", help=_(
            "Play timed captions at this many times real speed (10: ten times faster).")),
        duration: Optional[float] = typer.Option(None, "--duration", help=_(
            "End the session after this many seconds of show time.")),
        follow: bool = typer.Option(True, "--follow/--no-follow", help=_(
            "Keep reading files as they grow (like tail -F), or stop at their end.")),
        post: Optional[str] = typer.Option(None, "--post", metavar="URL", help=_("POST each alert as JSON to this URL.")),
        report: Optional[Path] = typer.Option(None, "--report", help=_(
            "Folder for the post-show report (default: next to the session log).")),
        no_report: bool = typer.Option(False, "--no-report", help=_("Do not write the post-show report.")),
        no_dashboard: bool = typer.Option(False, "--no-dashboard", help=_("Print alerts as lines, not a dashboard.")),
        pause: Optional[float] = typer.Option(None, "--pause", help=_(
            "Seconds of silence that end a sentence (default 1.0).")),
        window: Optional[int] = typer.Option(None, "--window", min=1, help=_(
            "Sentences linted together with each new one (default 1: the new ones only); the post-show lint sees the whole show.")),
        show: Optional[Path] = typer.Option(None, "--show", help=_(
            "Show context from a front-matter file: market, date, start, timezone, platform.")),
        platform: Optional[List[str]] = O.platform(), date: Optional[str] = O.date(),
        start: Optional[str] = typer.Option(None, "--start", help=_("Local start time of the show, HH:MM.")),
        timezone: Optional[str] = typer.Option(None, "--timezone", help=_(
            "Time zone of the show (IANA name, e.g. Asia/Riyadh).")),
        meta: Optional[List[str]] = O.meta(), select: Optional[List[str]] = O.select(),
        ignore: Optional[List[str]] = O.ignore(), min_severity: Optional[str] = O.min_severity(),
        config: Optional[Path] = O.config(), no_config: bool = O.no_config(),
        rules: Optional[List[Path]] = O.rules(), lang: Optional[str] = O.lang(), quiet: bool = O.quiet(),
        serve: Optional[int] = typer.Option(None, "--serve", metavar="PORT", min=0, max=65535, help=_("Also serve the live desk (web page) on 127.0.0.1:PORT, 0 for a free port (extra web).")),
    ) -> None:
        from ..live.run import run

        with_mapping(run, ctx.params)
