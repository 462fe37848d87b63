"""JSON output, contract version 1."""

from __future__ import annotations

import json

from .. import __version__


def as_dict(run) -> dict:
    return {
        "version": 1,
        "tool": {"name": "culture-lint", "version": __version__},
        "markets": list(run.markets),
        "files": [
            {"path": r.path, "scores": r.scores, "findings": [f.to_dict() for f in r.findings]}
            for r in run.reports
        ],
        "summary": run.summary(),
    }


def render(run) -> str:
    return json.dumps(as_dict(run), ensure_ascii=False, indent=2) + "\n"
