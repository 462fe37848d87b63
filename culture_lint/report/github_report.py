"""GitHub Actions workflow commands (annotations on the pull request diff)."""

from __future__ import annotations

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def render(run) -> str:
    lines = []
    for report in run.reports:
        for f in report.findings:
            props = (f"file={_prop(report.path)},line={f.line},col={f.column},"
                     f"endLine={f.end_line},endColumn={f.end_column},title={_prop(f.rule + ' [' + f.where + ']')}")
            lines.append(f"::{LEVELS[f.severity]} {props}::{_data(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
