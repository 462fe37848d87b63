"""Command-line interface: builds the Typer app (commands in ``commands/cli_*.py``) and runs it."""

from __future__ import annotations

import os
import sys
from typing import Optional

import typer

from . import __version__
from .commands import options as O
from .commands.base import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, fail  # noqa: F401 (public names)
from .i18n import _, choose_lang, set_lang


def _pre_lang(argv: list[str]) -> str:
    """The interface language before Typer builds help texts: --lang, then the environment."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return choose_lang(argv[i + 1])
        if arg.startswith("--lang="):
            return choose_lang(arg.split("=", 1)[1])
    return choose_lang(None)


def build_app() -> typer.Typer:
    """The Typer app with every command; help texts (Click's own too) in the interface language chosen before."""
    from .commands import cli_lint, cli_more
    from .commands.click_strings import translate_click

    translate_click()
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
             lang: Optional[str] = O.lang()) -> None:
        # --lang here is read before the app is built (see main); accepting it keeps `culture-lint --lang zh …` valid
        pass

    cli_lint.register(app)
    cli_more.register(app, rules_app)
    return app


def main(argv: Optional[list[str]] = None) -> None:
    """The console script: choose the interface language, build the app, run it; never a traceback."""
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
