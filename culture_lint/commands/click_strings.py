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
CLICK_MODULES = ("click.core", "click.formatting", "click.exceptions", "click.parser", "click.types",
                 "click.decorators", "click.termui", "typer.core", "typer.rich_utils")


def translate_click() -> None:
    """Make Click (and Typer's Click layer) translate its strings through culture-lint's catalog."""
    for name in CLICK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - an older Click or Typer without that module
            continue
        if callable(getattr(module, "_", None)):
            module._ = _
