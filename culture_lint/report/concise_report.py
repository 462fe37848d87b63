"""One line per finding, ``path:line:col: severity rule [market] message``: for grep, editors and CI logs."""

from __future__ import annotations


def render(run) -> str:
    lines = []
    for report in run.reports:
        for f in report.findings:
            message = " ".join(f.message.split())  # one line, whatever the message holds
            lines.append(f"{report.path}:{f.line}:{f.column}: {f.severity} {f.rule} [{f.where}] {message}")
    return "\n".join(lines) + ("\n" if lines else "")
