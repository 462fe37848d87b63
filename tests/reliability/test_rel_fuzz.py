"""Property and fuzz tests: every reader on arbitrary Unicode and bytes (issue #9).

The targets live in ``fuzz/targets.py`` (the same ones ``fuzz/run.py`` runs for hours); here Hypothesis
drives each for a few hundred hostile inputs. A target fails on any exception, a finding whose span is not
inside the file, a JSON report that breaks the output schema, or a SARIF report that breaks SARIF 2.1.0.
``RELIABILITY_FUZZ_SCALE=20`` multiplies the number of inputs.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from relhelpers import ROOT, bump, record, scale

sys.path.insert(0, str(ROOT / "fuzz"))

import relstrategies as strategies  # noqa: E402  (tests/reliability/relstrategies.py)
import fuzz_targets as targets  # noqa: E402  (fuzz/fuzz_targets.py)

EXAMPLES = {"txt": 400, "md": 300, "srt": 300, "vtt": 300, "yaml": 300, "json": 250, "csv": 300, "tsv": 200,
            "html": 300, "docx": 200, "fix": 300}


@pytest.mark.parametrize("name", sorted(targets.TARGETS))
def test_fuzz_target(name):
    target = targets.TARGETS[name]
    for seed in targets.seeds(name):
        target(seed)
    count = scale(EXAMPLES[name])
    tried = [0]

    @settings(max_examples=count, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(strategies.for_target(name))
    def run(data: bytes) -> None:
        tried[0] += 1
        target(data)

    run()
    bump("fuzz", name, tried[0])


def test_every_reader_has_a_target():
    from culture_lint.readers import READERS

    exts = {ext.lstrip(".") for ext in READERS} | {"docx"}
    covered = {Path(f).suffix.lstrip(".") for f in targets.READERS.values()}
    aliases = {"text": "txt", "markdown": "md", "yml": "yaml", "htm": "html"}
    assert {aliases.get(e, e) for e in exts} <= covered


@settings(max_examples=scale(60), deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(sorted(targets.READERS)), st.binary(max_size=200)), min_size=2,
                max_size=5))
def test_many_files_one_report(files):
    """Reports over several hostile files at once stay valid (sorting, rule table, summary)."""
    from culture_lint.runner import lint_data

    reports = [lint_data(targets.linter(), f"f{i}.{name}", data) for i, (name, data) in enumerate(files)]
    for report, (_name, data) in zip(reports, files):
        targets.check_spans(report, data)
    targets.check_outputs(sorted(reports, key=lambda r: r.path))
    bump("fuzz", "multi-file reports", 1)


def test_hostile_fixed_cases():
    """Inputs that broke readers before (kept as regression cases)."""
    cases = {
        "fuzz.yaml": [b"\x1f", b' "\x85', b"a: !!python/name:os.system x\n",
                      b"show:\n  market: !!python/object/apply:os.system ['true']\nsegments:\n  - say: hi\n    at: !!int abc\n",
                      b"show: {date: !!binary '@@@'}\nsegments: [{say: A miracle cure}]\n", b"", b"\n\n", b"- " * 60 + b"x",
                      b"show: {[a]: b, {c: d}: e}\nsegments:\n  - {[x]: 1, say: hurry up}\n  - ? [y]\n    : z\n"],
        "fuzz.json": [b'{"segments": [{"say": "x", "at": "1e999"}]}', b"\x01", b"[" * 100,
                      b'{"show": {"market": "us"}, "segments": [{ {"market": "us"},x\x8ciracle c\x91re"}]}'],
        "fuzz.txt": [b"---\n\n[\n---\nA miracle cure\n", b"\n" + "\ufffd".encode() * 30, b"\x01\x01\x80"],
        "fuzz.srt": [b"1\n00:00:01,000 --> 00:00:00,000\nhurry up\n"],
        "fuzz.html": [b"<![\x01", b"<p>a</p><![\x01 hurry up", b"<p>x\n<![ \n hurry up", b"<b>a</b> tail \xee\x80\x80 <x"],
        "fuzz.docx": [b"PK\x03\x04" + b"\x00" * 40, targets.docx_with_body("<w:p><w:r><w:t>hurry up</w:t></w:r>")],
    }
    for name, items in cases.items():
        for data in items:
            targets.lint_bytes(name, data)


def _zip_bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        with z.open("word/document.xml", "w") as fh:
            chunk = b" " * (1 << 20)
            for _ in range(size >> 20):
                fh.write(chunk)
    return out.getvalue()


def test_docx_zip_bomb_is_refused_quickly():
    """A .docx that inflates to 300 MB (from a few hundred KB) gets core.input.too-large, not 300 MB of RAM."""
    import time

    bomb = _zip_bomb(300 << 20)
    start = time.monotonic()
    report = targets.lint_bytes("bomb.docx", bomb)
    seconds = time.monotonic() - start
    rules = {f.rule for f in report.findings}
    assert rules == {"core.input.too-large"}, rules
    assert seconds < 5
    record("limits", ".docx zip bomb (inflates to 300 MB)", {
        "input_bytes": len(bomb), "outcome": "refused before inflating: core.input.too-large",
        "seconds": round(seconds, 2), "bound_seconds": 5, "bound_rss_mb": 0})


def test_json_and_sarif_of_real_cli_on_hostile_files(tmp_path):
    """The CLI itself (not just the library) writes schema-valid JSON and SARIF for a folder of hostile files."""
    import random

    from relhelpers import MARKETS, RULES, check_sarif_structure, output_validator, run, sarif_validator

    rnd = random.Random(9)
    for name in targets.READERS.values():
        ext = Path(name).suffix
        for i in range(3):
            seed = rnd.choice(targets.seeds(ext.lstrip(".")))
            data = bytearray(seed)
            for _ in range(rnd.randint(0, 5)):
                if data:
                    data[rnd.randrange(len(data))] = rnd.randrange(256)
            (tmp_path / f"h{i}{ext}").write_bytes(bytes(data))
    include = [a for ext in targets.READERS.values() for a in ("--include", f"*{Path(ext).suffix}")]
    res = run("check", tmp_path, *MARKETS, *RULES, "--format", "json", "--no-cache", *include)
    assert res.code in (0, 1), res.err
    assert res.no_traceback()
    report = json.loads(res.out)
    errors = list(output_validator().iter_errors(report))
    assert not errors, errors[0].message
    assert len(report["files"]) == 3 * len(targets.READERS)
    res = run("check", tmp_path, *MARKETS, *RULES, "--format", "sarif", "--no-cache", *include)
    assert res.code in (0, 1), res.err
    sarif = json.loads(res.out)
    check_sarif_structure(sarif)
    validator = sarif_validator()
    if validator is not None:
        errors = list(validator.iter_errors(sarif))
        assert not errors, errors[0].message
    bump("fuzz", "CLI runs on hostile folders", 2)
