"""What every command shares: exit codes, the exit-2 message, and running a command on its Settings."""

from __future__ import annotations

from typing import Any, Callable, NoReturn, Optional

import typer

from ..errors import CultureLintError
from ..i18n import _

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def fail(exc: CultureLintError) -> NoReturn:
    """Print a run-stopping problem (what and where, with a hint) and exit 2."""
    msg = str(exc)
    if getattr(exc, "errors", None):
        msg = "\n".join(str(e) for e in exc.errors)
    typer.echo(f"culture-lint: {_('error')}: {msg}", err=True)
    raise typer.Exit(EXIT_USAGE)


def settled(run: Callable[[Any], Optional[int]], params: dict[str, Any], formats: Optional[tuple] = None,
            **fixed: Any) -> NoReturn:
    """Merge config, flags (and ``fixed`` values) into Settings, run the command, exit with its code."""
    from ..config import Settings

    try:
        code = run(Settings.resolve({**params, **fixed}, formats))
    except CultureLintError as exc:
        fail(exc)
    raise typer.Exit(code or 0)


def with_mapping(run: Callable[[dict], Optional[int]], params: dict[str, Any]) -> NoReturn:
    """Run a command whose module takes its flags as a mapping (live, serve, rules eval)."""
    try:
        code = run(dict(params))
    except CultureLintError as exc:
        fail(exc)
    raise typer.Exit(code or 0)


def guarded(call: Callable[[], Optional[int]]) -> NoReturn:
    """Run ``call``; a CultureLintError becomes the exit-2 message."""
    try:
        code = call()
    except CultureLintError as exc:
        fail(exc)
    raise typer.Exit(code or 0)
