"""GitLab Code Quality report (a JSON array of issues) for merge-request widgets.

Severities map to GitLab's scale as info → ``info``, warning → ``major``, error → ``critical``.
The fingerprint hashes the path, rule, market and matched text (plus an occurrence number), not the
line, so an issue keeps its identity when lines above it move.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

SEVERITIES = {"info": "info", "warning": "major", "error": "critical"}


def _path(path: str) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_posix()
    return p.as_posix()


def as_list(run) -> list[dict]:
    issues = []
    for report in run.reports:
        path = _path(report.path)
        seen: dict[tuple, int] = {}
        for f in report.findings:
            key = (path, f.rule, f.where, f.text or f.message)
            seen[key] = seen.get(key, 0) + 1
            digest = hashlib.md5("\0".join(map(str, key + (seen[key],))).encode("utf-8"),
                                 usedforsecurity=False).hexdigest()
            issues.append({
                "type": "issue",
                "engine_name": "culture-lint",
                "check_name": f.rule,
                "description": f"{f.message} [{f.where}]",
                "categories": ["Bug Risk" if f.severity == "error" else "Style"],
                "fingerprint": digest,
                "severity": SEVERITIES[f.severity],
                "location": {"path": path, "lines": {"begin": f.line, "end": f.end_line}},
            })
    return issues


def render(run) -> str:
    return json.dumps(as_list(run), ensure_ascii=False, indent=2) + "\n"
