"""The linting commands' command lines: ``check``, ``score``, ``fix``, ``batch``.

Each takes the shared options (:mod:`culture_lint.commands.options`) and hands its parameters to
:func:`culture_lint.commands.base.settled`, which merges them with the config into ``Settings``.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..i18n import _
from . import options as O
from .base import settled


def register(app: typer.Typer) -> None:
    """Add check, score, fix and batch to ``app``."""
    _check(app)
    _score(app)
    _fix(app)
    _batch(app)


def _check(app: typer.Typer) -> None:
    @app.command(help=_("Lint files for one or more markets."))
    def check(
        ctx: typer.Context,
        paths: List[str] = O.paths(), market: Optional[List[str]] = O.market(), fmt: Optional[str] = O.fmt(),
        select: Optional[List[str]] = O.select(), ignore: Optional[List[str]] = O.ignore(),
        min_severity: Optional[str] = O.min_severity(), fail_on: Optional[str] = O.fail_on(),
        fail_under: Optional[float] = O.fail_under(), output: Optional[Path] = O.output(),
        date: Optional[str] = O.date(), meta: Optional[List[str]] = O.meta(),
        platform: Optional[List[str]] = O.platform(), config: Optional[Path] = O.config(),
        no_config: bool = O.no_config(), lang: Optional[str] = O.lang(), jobs: int = O.jobs(),
        quiet: bool = O.quiet(), stdin_filename: Optional[str] = O.stdin_filename(),
        encoding: Optional[str] = O.encoding(), columns: Optional[List[str]] = O.columns(),
        max_file_size: Optional[str] = O.max_file_size(), rules: Optional[List[Path]] = O.rules(),
        include: Optional[List[str]] = O.include(), exclude: Optional[List[str]] = O.exclude(),
        explain: bool = O.explain(),
        changed_since: Optional[str] = typer.Option(None, "--changed-since", metavar="REF", help=_(
            "Only files changed since this git ref (from its merge base with HEAD), staged, unstaged or untracked.")),
        no_cache: bool = typer.Option(False, "--no-cache", help=_(
            "Do not read or write the results cache (.culture-lint-cache/).")),
    ) -> None:
        from ..report import FORMATS
        from .check import run

        settled(run, ctx.params, FORMATS)


def _score(app: typer.Typer) -> None:
    @app.command(help=_("Culture-fit score per file and market, with sub-scores."))
    def score(
        ctx: typer.Context,
        paths: List[str] = O.paths(), market: Optional[List[str]] = O.market(),
        fmt: Optional[str] = O.fmt(_("Output format: text, json, sarif, github.")),
        explain: bool = O.explain(_("List every contribution to each score.")),
        fail_under: Optional[float] = O.fail_under(), fail_on: Optional[str] = O.fail_on("never"),
        select: Optional[List[str]] = O.select(), ignore: Optional[List[str]] = O.ignore(),
        output: Optional[Path] = O.output(), date: Optional[str] = O.date(), meta: Optional[List[str]] = O.meta(),
        platform: Optional[List[str]] = O.platform(), config: Optional[Path] = O.config(),
        no_config: bool = O.no_config(), lang: Optional[str] = O.lang(), jobs: int = O.jobs(),
        quiet: bool = O.quiet(), stdin_filename: Optional[str] = O.stdin_filename(),
        encoding: Optional[str] = O.encoding(), columns: Optional[List[str]] = O.columns(),
        max_file_size: Optional[str] = O.max_file_size(), rules: Optional[List[Path]] = O.rules(),
        include: Optional[List[str]] = O.include(), exclude: Optional[List[str]] = O.exclude(),
    ) -> None:
        from ..report import FORMATS
        from .check import run

        settled(run, ctx.params, FORMATS, scores=True, min_severity=None)


def _fix(app: typer.Typer) -> None:
    @app.command(help=_("Apply safe fixes; --diff previews them, --unsafe-fixes opts in to the rest."))
    def fix(
        ctx: typer.Context,
        paths: List[str] = O.paths(), market: Optional[List[str]] = O.market(),
        diff: bool = typer.Option(False, "--diff", help=_("Print a unified diff instead of writing files.")),
        unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help=_("Also apply fixes that may change meaning.")),
        interactive: bool = typer.Option(False, "--interactive", "-i", help=_("Choose a fix for each finding.")),
        fmt: Optional[str] = O.fmt(_("Output format: text, json, sarif, github.")),
        select: Optional[List[str]] = O.select(), ignore: Optional[List[str]] = O.ignore(),
        fail_on: Optional[str] = O.fail_on(), min_severity: Optional[str] = O.min_severity(),
        date: Optional[str] = O.date(), meta: Optional[List[str]] = O.meta(),
        platform: Optional[List[str]] = O.platform(), config: Optional[Path] = O.config(),
        no_config: bool = O.no_config(), lang: Optional[str] = O.lang(), quiet: bool = O.quiet(),
        stdin_filename: Optional[str] = O.stdin_filename(), encoding: Optional[str] = O.encoding(),
        columns: Optional[List[str]] = O.columns(), max_file_size: Optional[str] = O.max_file_size(),
        rules: Optional[List[Path]] = O.rules(), include: Optional[List[str]] = O.include(),
        exclude: Optional[List[str]] = O.exclude(),
    ) -> None:
        from ..report import FORMATS
        from .fix import run

        settled(run, ctx.params, FORMATS)


def _batch(app: typer.Typer) -> None:
    @app.command(help=_("Lint a catalog (Parquet, CSV, JSON Lines) or a folder of scripts on a Dask cluster."))
    def batch(
        ctx: typer.Context,
        input: str = typer.Argument(..., help=_(
            "A table file, a folder of Parquet/JSONL parts, or a folder of scripts.")),
        market: Optional[List[str]] = O.market(),
        output: Path = typer.Option(..., "-o", "--output", help=_("Folder for findings/, scores/ and summary.json.")),
        columns: Optional[List[str]] = O.columns(),
        key: Optional[str] = typer.Option(None, "--key", help=_(
            "Column that identifies a row (default: the first id/sku/handle column, else the row number).")),
        workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, help=_(
            "Worker processes of the local Dask cluster (default: one per CPU).")),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", help=_(
            "Address of an existing Dask scheduler (tcp://host:8786).")),
        partition_size: Optional[int] = typer.Option(None, "--partition-size", min=1, help=_(
            "Rows (or script files) per partition.")),
        resume: bool = typer.Option(False, "--resume", help=_("Skip partitions an earlier run already wrote.")),
        overwrite: bool = typer.Option(False, "--overwrite", help=_("Replace the batch output already in the folder.")),
        no_scores: bool = typer.Option(False, "--no-scores", help=_("Do not write the per-row score table.")),
        kind: str = typer.Option("auto", "--kind", help=_("Input kind: auto, table or scripts.")),
        fmt: Optional[str] = O.fmt(_("Summary format: text or json."), "text"),
        select: Optional[List[str]] = O.select(), ignore: Optional[List[str]] = O.ignore(),
        min_severity: Optional[str] = O.min_severity(), fail_on: Optional[str] = O.fail_on(),
        date: Optional[str] = O.date(), meta: Optional[List[str]] = O.meta(),
        platform: Optional[List[str]] = O.platform(), config: Optional[Path] = O.config(),
        no_config: bool = O.no_config(), lang: Optional[str] = O.lang(),
        quiet: bool = O.quiet(_("No progress and no summary.")), encoding: Optional[str] = O.encoding(),
        rules: Optional[List[Path]] = O.rules(), include: Optional[List[str]] = O.include(),
        exclude: Optional[List[str]] = O.exclude(),
    ) -> None:
        from .batch import run

        settled(run, ctx.params)  # the summary formats are checked by batch itself
