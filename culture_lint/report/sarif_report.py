"""SARIF 2.1.0 for code-scanning dashboards."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..i18n import pick
from .jsonfast import dumps

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> str:
    if path.startswith("<"):
        return quote(path.strip("<>"))
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    return quote(p.as_posix())


def _artifact(uri: str) -> dict:
    if uri.startswith("file:"):
        return {"uri": uri}
    return {"uri": uri, "uriBaseId": "SRCROOT"}


def _rule_descriptor(rule_id: str, rule, category: str) -> dict:
    desc: dict = {"id": rule_id, "name": rule_id.replace(".", "/")}
    if rule is not None:
        desc["shortDescription"] = {"text": pick(rule.message).replace("{text}", "…")}
        why = pick(rule.why)
        if why:
            desc["fullDescription"] = {"text": why}
        if rule.source and rule.source.split()[-1].startswith("http"):
            desc["helpUri"] = rule.source.split()[-1]
        if rule.source:
            desc["help"] = {"text": f"{why} Source: {rule.source}".strip()}
        desc["defaultConfiguration"] = {"level": LEVELS[rule.severity]}
        desc["properties"] = {"category": rule.category, "tags": [rule.category, rule.pack]}
    else:
        desc["shortDescription"] = {"text": rule_id}
        desc["properties"] = {"category": category}
    return desc


def as_dict(run) -> dict:
    rule_index: dict[str, int] = {}
    rules: list[dict] = []
    results: list[dict] = []
    for report in run.reports:
        uri = _uri(report.path)
        for f in report.findings:
            if f.rule not in rule_index:
                rule_index[f.rule] = len(rules)
                rules.append(_rule_descriptor(f.rule, run.rules.get(f.rule), f.category))
            region = {"startLine": f.line, "startColumn": f.column,
                      "endLine": f.end_line, "endColumn": f.end_column}
            if f.text:
                region["snippet"] = {"text": f.text}
            result = {
                "ruleId": f.rule,
                "ruleIndex": rule_index[f.rule],
                "level": LEVELS[f.severity],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {"artifactLocation": _artifact(uri), "region": region}}],
                "properties": {"market": f.market, "category": f.category},
            }
            if f.platform:
                result["properties"]["platform"] = f.platform
            if f.timestamp:
                result["properties"]["timestamp"] = f.timestamp
            if f.suggestions:
                result["properties"]["suggestions"] = [s.replacement for s in f.suggestions]
            results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "culture-lint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": "https://pypi.org/project/culture-lint/",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"SRCROOT": {"uri": Path(os.getcwd()).as_uri() + "/"}},
            "results": results,
        }],
    }


def render(run) -> str:
    return dumps(as_dict(run)) + "\n"  # json.dumps(…, ensure_ascii=False, indent=2), faster
