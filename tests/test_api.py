"""The library API returns the same findings as the CLI's JSON for the same input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import culture_lint
from conftest import PACKS, cli, clean_env, write
from culture_lint.errors import CultureLintError, MarketError

pytestmark = pytest.mark.usefixtures("isolated_cwd")

SCRIPT = """\
---
sponsored: true
---
HOST: Hey guys! This slimming tea burns belly fat, the best ever.
主播：这款減肥茶完全免费！
HOST: Use my code SAVE. Last chance! Last chance! Last chance!
# culture-lint: disable-next-line urgency
HOST: Only 3 left! Only 2 left!
"""


def cli_findings(path, *args) -> list[dict]:
    code, out, err = cli("check", path, "--rules", PACKS, "-f", "json", *args)
    assert code in (0, 1), err
    return json.loads(out)["files"][0]["findings"]


@pytest.mark.parametrize("name", ["show.txt", "show.md", "show.srt"])
def test_lint_text_equals_cli_json(tmp_path, zz_us_linter, name):
    text = SCRIPT if not name.endswith(".srt") else (
        "1\n00:00:01,000 --> 00:00:02,000\nHey guys! Slimming tea.\n\n"
        "2\n00:00:40,000 --> 00:00:44,000\nA brand deal, paid promotion.\n")
    path = write(tmp_path / name, text)
    api = culture_lint.lint_text(text, filename=name, linter=zz_us_linter)
    expected = cli_findings(path, "-m", "zz,us")
    assert [f.to_dict() for f in api] == expected
    assert len(expected) >= 4


def test_lint_text_builds_its_own_linter():
    found = culture_lint.lint_text("It's totally free, slimming!", ["zed"], rules_dirs=[PACKS])
    assert [(f.rule, f.market, f.column) for f in found] == [
        ("zz.pricing.totally-free", "zz", 6), ("global.weight-loss-claim.slimming", "zz", 20)]


def test_lint_paths_equals_cli_json(tmp_path):
    folder = tmp_path / "scripts"
    write(folder / "b.txt", SCRIPT)
    write(folder / "a.srt", "1\n00:00:05,000 --> 00:00:06,000\nslimming hurry hurry\n")
    write(folder / "c.txt", "café slimming\n".encode("latin-1"))
    write(folder / "d.md", "All good here.\n")
    reports = culture_lint.lint_paths([str(folder)], ["us"], rules_dirs=[PACKS], encoding="utf-8")
    code, out, err = cli("check", folder, "-m", "us", "--rules", PACKS, "-f", "json", "--encoding", "utf-8")
    cli_files = json.loads(out)["files"]
    assert [r.path for r in reports] == [f["path"] for f in cli_files]
    assert [[f.to_dict() for f in r.findings] for r in reports] == [f["findings"] for f in cli_files]
    assert [len(f["findings"]) > 0 for f in cli_files] == [True, True, True, False]
    assert reports[2].findings[0].rule == "core.input.undecodable"


def test_make_linter_options_match_cli_flags(tmp_path):
    path = write(tmp_path / "s.txt", SCRIPT)
    linter = culture_lint.make_linter(["us"], rules_dirs=[PACKS], select=["global"], ignore=["urgency"],
                                      severity={"weight-loss-claim": "warning"}, min_severity="warning")
    api = [f.to_dict() for f in culture_lint.lint_text(SCRIPT, filename="s.txt", linter=linter)]
    config = write(tmp_path / "c.yaml", "severity: {weight-loss-claim: warning}\n")
    expected = cli_findings(path, "-m", "us", "--select", "global", "--ignore", "urgency",
                            "--min-severity", "warning", "--config", config)
    assert api == expected
    assert {f["severity"] for f in api} == {"warning", "error"}
    assert not any(f["rule"].startswith(("us.", "global.urgency")) for f in api)


def test_make_linter_metadata_like_meta_flag(tmp_path):
    text = "HOST: welcome!\n"
    path = write(tmp_path / "s.txt", text)
    linter = culture_lint.make_linter(["us"], rules_dirs=[PACKS], metadata={"sponsored": True})
    api = [f.to_dict() for f in culture_lint.lint_text(text, filename="s.txt", linter=linter)]
    assert api == cli_findings(path, "-m", "us", "--meta", "sponsored=true")
    assert [f["rule"] for f in api] == ["global.ad-disclosure.sponsored-show"]


def test_unknown_market_raises_with_a_hint():
    with pytest.raises(MarketError) as info:
        culture_lint.make_linter(["uss"], rules_dirs=[PACKS])
    assert "unknown market 'uss'" in str(info.value) and "did you mean 'us'" in str(info.value)


def test_missing_path_raises(tmp_path):
    with pytest.raises(CultureLintError, match="does not exist"):
        culture_lint.lint_paths([str(tmp_path / "nope.txt")], ["us"], rules_dirs=[PACKS])


def test_findings_carry_source_offsets(us_linter):
    text = "Hello 😀 slimming"
    (f,) = culture_lint.lint_text(text, linter=us_linter)
    assert text[f.start:f.end] == "slimming" == f.text


def test_import_is_cheap():
    code = "import sys, culture_lint; print('spacy' in sys.modules, culture_lint.__version__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=clean_env(),
                         check=True).stdout.split()
    assert out[0] == "False"
    assert out[1] == culture_lint.__version__


def test_pack_fixtures_through_the_library():
    """The same runner as `culture-lint rules test`, over the test packs: every fixture holds."""
    from culture_lint.packs.registry import Registry
    from culture_lint.testing import pack_ids_in, run_cases

    registry = Registry([PACKS])
    results = run_cases(registry, pack_ids_in([PACKS]))
    failed = [r.describe() for r in results if not r.ok]
    assert failed == []
    assert {r.rule.id for r in results} >= {"zz.pricing.totally-free", "us.urgency.hurry"}
    assert {r.expect for r in results} == {"flag", "pass"}
