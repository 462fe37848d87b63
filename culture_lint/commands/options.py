"""The command-line options shared by commands: one definition each (name, short form, help text).

Each factory returns a fresh ``typer.Option`` so help texts are translated when the app is built (after
``--lang`` is known). A command lists the options it takes as parameters with these factories as defaults.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from ..i18n import _


def paths() -> Any:
    return typer.Argument(..., help=_("Files or directories; - reads standard input."))


def market() -> Any:
    return typer.Option(None, "-m", "--market", help=_("Markets, comma-separated (us,sa)."))


def fmt(help_text: Optional[str] = None, default: Optional[str] = None) -> Any:
    return typer.Option(default, "--format", "-f", help=help_text or _(
        "Output format: text, json, sarif, github, html, junit, gitlab, concise."))


def select() -> Any:
    return typer.Option(None, "--select", help=_("Only these rule ids, id prefixes or categories."))


def ignore() -> Any:
    return typer.Option(None, "--ignore", help=_("Skip these rule ids, id prefixes or categories."))


def min_severity() -> Any:
    return typer.Option(None, "--min-severity", help=_("Hide findings below: info, warning, error."))


def fail_on(default: Optional[str] = None) -> Any:
    return typer.Option(default, "--fail-on", help=_("Exit 1 on findings at or above: error, warning, info, never."))


def fail_under() -> Any:
    return typer.Option(None, "--fail-under", help=_("Exit 1 when a culture-fit score is below this."))


def output(help_text: Optional[str] = None) -> Any:
    return typer.Option(None, "-o", "--output", help=help_text or _("Write the report to this file."))


def date() -> Any:
    return typer.Option(None, "--date", help=_("Show date, YYYY-MM-DD."))


def meta() -> Any:
    return typer.Option(None, "--meta", help=_("Document metadata KEY=VALUE (wins over front matter)."))


def platform() -> Any:
    return typer.Option(None, "--platform", help=_(
        "Platform packs on top of the markets' (tiktok-shop, shopee, …); repeatable or comma-separated."))


def config() -> Any:
    return typer.Option(None, "--config", help=_("Use this config file."))


def no_config() -> Any:
    return typer.Option(False, "--no-config", help=_("Ignore config files."))


def lang() -> Any:
    return typer.Option(None, "--lang", help=_("Interface language: en or zh."))


def jobs() -> Any:
    return typer.Option(1, "--jobs", "-j", min=1, help=_("Parallel jobs."))


def quiet(help_text: Optional[str] = None) -> Any:
    return typer.Option(False, "--quiet", "-q", help=help_text or _("Print only findings, no summary."))


def stdin_filename() -> Any:
    return typer.Option(None, "--stdin-filename", help=_("Name for text read from stdin."))


def encoding() -> Any:
    return typer.Option(None, "--encoding", help=_("Decode files with this encoding."))


def columns() -> Any:
    return typer.Option(None, "--columns", help=_(
        "Text columns to lint, comma-separated (default: chosen from the header)."))


def max_file_size() -> Any:
    return typer.Option(None, "--max-file-size", metavar="SIZE", help=_(
        "Files larger than this get a core.input.too-large finding (bytes, or 50MB, 10MiB; default 50MiB)."))


def rules() -> Any:
    return typer.Option(None, "--rules", help=_("Extra rule pack folders."))


def include() -> Any:
    return typer.Option(None, "--include", help=_("Globs of files to lint in directories."))


def exclude() -> Any:
    return typer.Option(None, "--exclude", help=_("Globs of files or folders to skip."))


def explain(help_text: Optional[str] = None) -> Any:
    return typer.Option(False, "--explain", help=help_text or _("Show each rule's source with its findings."))


PathList = Optional[list[Path]]
