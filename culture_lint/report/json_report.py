"""JSON output, contract version 1."""

from __future__ import annotations

from .. import __version__
from .jsonfast import Mapped, dumps


def _finding_dict(f) -> dict:
    return f.to_dict()


def as_dict(run, lazy: bool = False) -> dict:
    """The report as plain data; ``lazy``: findings as :class:`.jsonfast.Mapped` (for :func:`.jsonfast.dumps`)."""
    return {
        "version": 1,
        "tool": {"name": "culture-lint", "version": __version__},
        "markets": list(run.markets),
        "files": [
            {"path": r.path, "scores": r.scores,
             "findings": Mapped(r.findings, _finding_dict) if lazy else [f.to_dict() for f in r.findings]}
            for r in run.reports
        ],
        "summary": run.summary(),
    }


def render(run) -> str:
    """The report as ``json.dumps(as_dict(run), ensure_ascii=False, indent=2)`` writes it, without building
    every finding's dict at once (see :mod:`.jsonfast`)."""
    data = as_dict(run, lazy=True)
    return dumps(data) + "\n"
