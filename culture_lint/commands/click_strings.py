"""Click's own interface strings ("Usage:", "Options", "Show this message and exit." …) in the interface language.

Click looks its strings up with :func:`gettext.gettext`; :func:`translate_click` points those look-ups at
culture-lint's catalog, which carries the strings below (``N_`` marks them for extraction).
"""

from __future__ import annotations

import importlib

from ..i18n import _


def N_(message: str) -> str:
    """Mark a string for the catalog without translating it here."""
    return message


CLICK_STRINGS = (
    N_("Usage:"), N_("Options"), N_("Arguments"), N_("Commands"), N_("Positional arguments"),
    N_("Show this message and exit."), N_("Show the version and exit."),
    N_("Missing argument"), N_("Missing option"), N_("Missing parameter"), N_("Missing parameter: {param_name}"),
    N_("Missing command."), N_("Missing {param_type}"), N_("No such option {name!r}."),
    N_("No such command {name!r}."), N_("Try '{command} {option}' for help."), N_("Error: {message}"),
    N_("Invalid value for {param_hint}: {message}"), N_("Invalid value: {message}"),
    N_("Option {name!r} does not take a value."), N_("Aborted!"), N_("default: {default}"), N_("required"),
    N_("env var: {var}"), N_("deprecated"), N_("(dynamic)"), N_("unknown error"),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
)
_CLICK_PARTS = ("core", "formatting", "exceptions", "parser", "types", "decorators", "termui")
# Typer 0.2x carries its own copy of Click (typer._click); older Typer releases use click itself
CLICK_MODULES = (*(f"typer._click.{m}" for m in _CLICK_PARTS), *(f"click.{m}" for m in _CLICK_PARTS),
                 "typer.core", "typer.rich_utils")


_PATCHED: set[str] = set()


def translate_click() -> None:
    """Make Click (and Typer's Click layer) translate its strings through culture-lint's catalog."""
    for name in CLICK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - an older Click or Typer without that module
            continue
        if callable(getattr(module, "_", None)):
            module._ = _
    try:
        from typer._click import core, exceptions, formatting
    except ImportError:  # pragma: no cover - Typer that uses click itself (translated through gettext above)
        return
    if "typer._click" not in _PATCHED:  # its strings are written in, not looked up: wrap where they are used
        _PATCHED.add("typer._click")
        _wrap_vendored(core, exceptions, formatting)


def _wrap_vendored(core, exceptions, formatting) -> None:
    write_usage = formatting.HelpFormatter.write_usage
    get_help_option = core.Command.get_help_option
    missing_message = exceptions.MissingParameter.format_message

    def usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, _("Usage:") + " " if prefix is None else prefix)

    def help_option(self, ctx):
        option = get_help_option(self, ctx)
        if option is not None and option.help == "Show this message and exit.":
            option.help = _("Show this message and exit.")
        return option

    def missing(self) -> str:
        text = missing_message(self)
        heads = {"Missing argument": _("Missing argument"), "Missing option": _("Missing option"),
                 "Missing parameter": _("Missing parameter")}
        for head, translated in heads.items():
            if text.startswith(head):
                return translated + text[len(head):]
        return text

    def show(self, file=None) -> None:
        from typer._click.utils import echo

        hint = ""
        if self.ctx is not None and self.ctx.command.get_help_option(self.ctx) is not None:
            hint = _("Try '{command} {option}' for help.").format(
                command=self.ctx.command_path, option=self.ctx.help_option_names[0]) + "\n"
        if self.ctx is not None:
            echo(f"{self.ctx.get_usage()}\n{hint}", file=file, err=file is None, color=self.ctx.color)
        echo(_("Error: {message}").format(message=self.format_message()), file=file, err=file is None,
             color=self.ctx.color if self.ctx is not None else None)

    formatting.HelpFormatter.write_usage = usage
    core.Command.get_help_option = help_option
    exceptions.MissingParameter.format_message = missing
    exceptions.UsageError.show = show
