"""Fuzz targets for culture-lint: one per reader, plus the fix pipeline.

Each target is ``TARGETS[name](data: bytes) -> None``: it lints ``data`` as a file of that format and checks
the invariants the reliability contract promises (docs/reliability.md):

* no exception escapes (an AssertionError means a broken invariant, anything else a crash);
* every finding's span lies inside the file: 1-based line and column within the decoded text, end ≥ start;
* the JSON report validates against ``tests/schemas/culture-lint-output-v1.schema.json``; the SARIF report
  has the promised structure (and validates against the SARIF 2.1.0 schema when the npm package is there);
* the text, github and html reporters render.

The targets are driven two ways: by Hypothesis inside the test suite (``tests/reliability/test_rel_fuzz.py``,
a few hundred inputs per target) and by ``fuzz/run.py`` for long runs (atheris when installed, else
Hypothesis). See docs/reliability.md.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CORE_PACKS = ROOT / "tests" / "packs" / "core"
REL_PACKS = ROOT / "tests" / "reliability" / "packs"
OUTPUT_SCHEMA = ROOT / "tests" / "schemas" / "culture-lint-output-v1.schema.json"
SARIF_SCHEMA = ROOT / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "sarif-2.1.0.json"

READERS = {  # target name -> file name the bytes are linted as (the extension picks the reader)
    "txt": "fuzz.txt", "md": "fuzz.md", "srt": "fuzz.srt", "vtt": "fuzz.vtt", "yaml": "fuzz.yaml",
    "json": "fuzz.json", "csv": "fuzz.csv", "tsv": "fuzz.tsv", "html": "fuzz.html", "docx": "fuzz.docx",
}


@lru_cache(maxsize=1)
def linter():
    from culture_lint import make_linter

    return make_linter(["us", "rl"], rules_dirs=[CORE_PACKS, REL_PACKS])


@lru_cache(maxsize=1)
def _validators():
    import jsonschema

    out = jsonschema.Draft202012Validator(json.loads(OUTPUT_SCHEMA.read_text(encoding="utf-8")))
    sarif = None
    if SARIF_SCHEMA.exists():
        sarif = jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8-sig")))
    return out, sarif


def _line_lengths(text: str) -> list[int]:
    """Length of every line (``\\n``-separated, a trailing ``\\r`` counted) of the decoded text."""
    return [len(line) for line in text.split("\n")]


def check_spans(report, data: bytes) -> None:
    doc = report.document
    for f in report.findings:
        where = f"{f.rule} {f.line}:{f.column}-{f.end_line}:{f.end_column}"
        assert f.line >= 1 and f.column >= 1, where
        assert (f.end_line, f.end_column) >= (f.line, f.column), where
        if f.rule == "core.input.undecodable":  # points at the bad byte in the raw file
            assert f.line <= data.count(b"\n") + 1 or b"\x00\n" in data or b"\n\x00" in data, where
            continue
        if doc is None or f.rule in ("core.input.too-large", "core.input.unreadable"):
            assert (f.line, f.column) == (1, 1), where
            continue
        lengths = _line_lengths(doc.source)
        assert f.end_line <= len(lengths), f"{where}: the file has {len(lengths)} line(s)"
        assert f.column <= lengths[f.line - 1] + 1, f"{where}: line {f.line} has {lengths[f.line - 1]} chars"
        assert f.end_column <= lengths[f.end_line - 1] + 1, \
            f"{where}: line {f.end_line} has {lengths[f.end_line - 1]} chars"
        if f.text is not None and f.line == f.end_line and not f.rule.startswith("core."):
            assert len(f.text) >= 0
        for s in f.suggestions:
            if s.edit is not None:
                start, end, _text = s.edit
                assert 0 <= start <= end <= len(doc.source), f"{where}: fix {start}-{end}"


def check_outputs(reports) -> None:
    from culture_lint.report import Run, render

    lt = linter()
    rules = {r.id: r for r in lt.rules}
    run = Run(reports, list(lt.markets), rules)
    out_validator, sarif_validator = _validators()
    report = json.loads(render("json", run))
    errors = sorted(out_validator.iter_errors(report), key=str)
    assert not errors, f"JSON output invalid: {errors[0].message} at {list(errors[0].absolute_path)}"
    sarif = json.loads(render("sarif", run))
    check_sarif(sarif)
    if sarif_validator is not None:
        errors = sorted(sarif_validator.iter_errors(sarif), key=str)
        assert not errors, f"SARIF invalid: {errors[0].message} at {list(errors[0].absolute_path)}"
    for fmt in ("text", "github", "html"):
        assert isinstance(render(fmt, Run(reports, list(lt.markets), rules, color=False)), str)


def check_sarif(doc: dict) -> None:
    assert doc["version"] == "2.1.0"
    assert len(doc["runs"]) == 1
    run = doc["runs"][0]
    assert run["tool"]["driver"]["name"] == "culture-lint"
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])


def lint_bytes(name: str, data: bytes):
    from culture_lint.runner import lint_data

    report = lint_data(linter(), name, data)
    check_spans(report, data)
    check_outputs([report])
    return report


def _reader_target(name: str):
    filename = READERS[name]

    def target(data: bytes) -> None:
        lint_bytes(filename, data)

    target.__name__ = f"fuzz_{name}"
    target.__doc__ = f"Lint the bytes as {filename}; check spans and outputs."
    return target


def fix_target(data: bytes) -> None:
    """Fix the bytes as a .txt/.md/.srt file (chosen by the first byte): fixes apply and re-encode losslessly."""
    from culture_lint.commands.fix import _fix_document
    from culture_lint.fix import encode_like
    from culture_lint.readers import BinaryFile, read_bytes

    name = ("fix.txt", "fix.md", "fix.srt", "fix.vtt", "fix.html", "fix.csv")[data[0] % 6] if data else "fix.txt"
    try:
        doc = read_bytes(name, data[1:])
    except BinaryFile:
        return
    if any(f.rule == "core.input.undecodable" for f in doc.diagnostics):
        return
    original = doc.source
    fixed, findings, applied = _fix_document(linter(), doc, unsafe=bool(data[:1] and data[0] & 1))
    if fixed.source == original:
        assert applied == 0 or fixed.source == original
        return
    try:
        new = encode_like(fixed.source, data[1:], doc.encoding)
    except UnicodeEncodeError:
        return  # the command reports this and leaves the file alone
    from culture_lint.readers.base import decode

    assert decode(new, None if doc.encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-32") else doc.encoding)[0] \
        .lstrip("\ufeff") == fixed.source, "fixed bytes do not decode to the fixed text"
    # text before the first change is kept byte for byte
    prefix = next((i for i, (a, b) in enumerate(zip(original, fixed.source)) if a != b),
                  min(len(original), len(fixed.source)))
    assert fixed.source[:prefix] == original[:prefix]


TARGETS = {name: _reader_target(name) for name in READERS}
TARGETS["fix"] = fix_target


# -- inputs: a minimal valid .docx to mutate -------------------------------------------------------------

@lru_cache(maxsize=1)
def docx_template() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("A miracle cure, hurry up!")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Only 3 left"
    table.rows[0].cells[1].text = "FDA approved"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def docx_with_body(body_xml: str, extra: dict[str, bytes] | None = None) -> bytes:
    """The template .docx with word/document.xml's body replaced (and extra or replaced members)."""
    src = zipfile.ZipFile(io.BytesIO(docx_template()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if extra and info.filename in extra:
                data = extra.pop(info.filename)
            elif info.filename == "word/document.xml":
                text = data.decode("utf-8")
                head, _, rest = text.partition("<w:body>")
                _, _, tail = rest.partition("</w:body>")
                data = (head + "<w:body>" + body_xml + "</w:body>" + tail).encode("utf-8", "surrogatepass")
            dst.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def seeds(name: str) -> list[bytes]:
    """A few valid inputs per target, to start a corpus from."""
    text = "A miracle cure! Hurry up.\nOnly 3 left. Only 2 left.\nClick the blue link. Use code SAVE 10.\n"
    if name in ("txt", "fix"):
        return [text.encode(), b"\x00" + ("---\nmarket: us\n---\n" + text).encode()]
    if name == "md":
        return [("# Title\n\n* " + text + "\n<!-- culture-lint: disable-next-line rl -->\nhurry up\n").encode()]
    if name == "srt":
        return [b"1\n00:00:01,000 --> 00:00:02,000\nA miracle cure!\n\n2\n00:00:03,000 --> 00:00:04,000\nHurry up\n"]
    if name == "vtt":
        return [b"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Host>A miracle cure!\n\nNOTE x\n\n00:03.000 --> 00:04.000\nhurry up\n"]
    if name == "yaml":
        return [b"show: {market: us}\nsegments:\n  - at: '00:01'\n    say: A miracle cure\n  - say: [hurry up]\n"]
    if name == "json":
        return [b'{"show": {"market": "us"}, "segments": [{"at": 1, "say": "A miracle cure"}]}']
    if name == "csv":
        return [b'id,title,description\n1,"A ""miracle"" cure","<p>hurry up</p>"\n2,x,Only 3 left\n']
    if name == "tsv":
        return [b"id\ttitle\tdescription\n1\tA miracle cure\thurry up\n"]
    if name == "html":
        return [b"<html><head><title>t</title><script>miracle cure</script></head><body><p>A miracle cure &amp; "
                b"more</p><img alt='hurry up'></body></html>"]
    if name == "docx":
        return [docx_template()]
    return [text.encode()]
