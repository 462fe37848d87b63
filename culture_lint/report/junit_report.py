"""JUnit XML for CI test dashboards (GitLab, Jenkins, Azure): one testsuite per file.

Each finding is a failing testcase named after its rule and position; a clean file is one passing
testcase, and a file that was skipped (binary) is one skipped testcase.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

# characters XML 1.0 cannot carry, even escaped
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str | None) -> str:
    return _INVALID.sub("\ufffd", text or "")


def render(run) -> str:
    root = ET.Element("testsuites", name="culture-lint")
    total = failures = skipped = 0
    for report in run.reports:
        path = _clean(report.path)
        suite = ET.SubElement(root, "testsuite", name=path)
        cases = fails = skips = 0
        if report.skipped:
            case = ET.SubElement(suite, "testcase", name="culture-lint", classname=path, file=path, time="0")
            ET.SubElement(case, "skipped", message=_clean(report.skipped))
            cases, skips = 1, 1
        elif not report.findings:
            ET.SubElement(suite, "testcase", name="culture-lint", classname=path, file=path, time="0")
            cases = 1
        for f in report.findings:
            case = ET.SubElement(suite, "testcase", name=f"{f.rule} [{f.where}] {f.line}:{f.column}",
                                 classname=path, file=path, line=str(f.line), time="0")
            failure = ET.SubElement(case, "failure", message=_clean(f.message), type=f.severity)
            body = [f"{path}:{f.line}:{f.column}: {f.severity} {f.rule} [{f.where}] {_clean(f.message)}"]
            if f.text:
                body.append(f"text: {_clean(f.text)}")
            if f.timestamp:
                body.append(f"timestamp: {f.timestamp}")
            for s in f.suggestions:
                body.append(f"{'safe fix' if s.safe else 'suggestion'}: {_clean(s.replacement)}")
            if f.source:
                body.append(f"source: {_clean(f.source)}")
            failure.text = "\n".join(body)
            cases += 1
            fails += 1
        suite.set("tests", str(cases))
        suite.set("failures", str(fails))
        suite.set("errors", "0")
        suite.set("skipped", str(skips))
        suite.set("time", "0")
        total += cases
        failures += fails
        skipped += skips
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("skipped", str(skipped))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
