"""Output formats: JSON (contract schema, ordering), SARIF 2.1.0 (schema + Microsoft's validator),
GitHub annotations, text, and -o FILE."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys

import jsonschema
import pytest

from conftest import OUTPUT_SCHEMA, PACKS, SARIF_PACKAGE, clean_env, cli, write

pytestmark = pytest.mark.usefixtures("isolated_cwd")

SLIM = "global.weight-loss-claim.slimming"
LOSE = "global.weight-loss-claim.lose-weight"
BEST = "global.absolute-claim.best-ever"
GREET = "global.interaction.greeting"
FREE = "zz.pricing.totally-free"

SRT = "1\n00:00:01,000 --> 00:00:03,000\nHey guys! Best ever.\n\n2\n00:01:05,500 --> 00:01:09,000\n这款减肥茶 burns fat\n"


@pytest.fixture
def corpus(tmp_path):
    """A small folder of scripts with findings of every severity, CJK, timestamps and an undecodable file."""
    d = tmp_path / "scripts"
    write(d / "b_show.srt", SRT)
    write(d / "a_draft.md", "# Slimming 减肥 guide\n\nIt's totally free, the best ever.\n\n"
                            "<!-- culture-lint: disable-next-line urgency -->\nHello.\n")
    write(d / "c notes 笔记.txt", "slimming 😀 slimming\r\nTotally free!\r\n")
    write(d / "d_latin1.txt", "café slimming\n".encode("latin-1"))
    write(d / "e_clean.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHello there.\n")
    return d


def all_files(corpus):
    return sorted(str(p) for p in corpus.iterdir())


def json_run(*args):
    code, out, err = cli("check", "--rules", PACKS, "--format", "json", *args)
    assert code in (0, 1), err
    return code, out


# --- JSON ---------------------------------------------------------------------------------------

def test_json_matches_the_contract_schema(corpus):
    code, out = json_run(*all_files(corpus), "-m", "zz,us", "--encoding", "utf-8")
    report = json.loads(out)
    schema = json.loads(OUTPUT_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(report)
    assert report["version"] == 1 and report["tool"]["name"] == "culture-lint"
    assert report["markets"] == ["zz", "us"]
    # the latin-1 file cannot be read as UTF-8: an error finding, and the others are still there
    latin = next(f for f in report["files"] if f["path"].endswith("d_latin1.txt"))
    assert {(f["rule"], f["line"], f["column"]) for f in latin["findings"]} == {("core.input.undecodable", 1, 4)}
    assert code == 1


def test_schema_copy_is_the_contract_one():
    shared = "/work/shared/schemas/culture-lint-output-v1.schema.json"
    if not os.path.exists(shared):
        pytest.skip("the shared contract folder is not present outside the build workspace")
    assert json.loads(OUTPUT_SCHEMA.read_text()) == json.loads(open(shared, encoding="utf-8").read())


def test_schema_rejects_a_broken_report():
    schema = json.loads(OUTPUT_SCHEMA.read_text(encoding="utf-8"))
    bad = {"version": 1, "tool": {"name": "culture-lint", "version": "0"}, "markets": ["us"],
           "files": [{"path": "a", "findings": [{"rule": "X", "category": "urgency"}]}],
           "summary": {"files": 1, "errors": 0, "warnings": 0, "infos": 0}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validators.validator_for(schema)(schema).validate(bad)


def test_json_is_deterministic_and_sorted(corpus):
    files = all_files(corpus)
    _, out1 = json_run(*reversed(files), "-m", "zz,us")
    _, out2 = json_run(*files, "-m", "zz,us")
    assert out1 == out2
    report = json.loads(out1)
    paths = [f["path"] for f in report["files"]]
    assert paths == sorted(paths)
    for f in report["files"]:
        keys = [(x["line"], x["column"], x["rule"]) for x in f["findings"]]
        assert keys == sorted(keys)


def test_json_content_of_a_subtitle_file(corpus):
    _, out = json_run(str(corpus / "b_show.srt"), "-m", "zz,us")
    findings = json.loads(out)["files"][0]["findings"]
    got = [(f["rule"], f["market"], f["line"], f["column"], f["end_column"], f["timestamp"], f["severity"])
           for f in findings]
    assert got == [
        (GREET, "us", 3, 1, 9, "00:00:01.000", "info"),
        (GREET, "zz", 3, 1, 9, "00:00:01.000", "info"),
        (BEST, "us", 3, 11, 20, "00:00:01.000", "warning"),
        (BEST, "zz", 3, 11, 20, "00:00:01.000", "warning"),
        (SLIM, "us", 7, 3, 5, "00:01:05.500", "error"),
        (SLIM, "zz", 7, 3, 5, "00:01:05.500", "error"),
        (LOSE, "us", 7, 7, 16, "00:01:05.500", "error"),
        (LOSE, "zz", 7, 7, 16, "00:01:05.500", "error"),
    ]
    best = findings[2]
    assert best["text"] == "Best ever"
    assert [(s["replacement"], s["safe"]) for s in best["suggestions"]] == [("one of our favourites", True)]
    assert best["source"] is None
    assert best["category"] == "absolute-claim"


def test_json_markets_tag_each_finding(corpus):
    _, out = json_run(str(corpus / "c notes 笔记.txt"), "-m", "zz,us")
    findings = json.loads(out)["files"][0]["findings"]
    assert [(f["rule"], f["market"], f["line"], f["column"]) for f in findings] == [
        (SLIM, "us", 1, 1), (SLIM, "zz", 1, 1), (SLIM, "us", 1, 12), (SLIM, "zz", 1, 12),
        (FREE, "zz", 2, 1)]  # the zz rule only for zz


def test_json_summary_counts(corpus):
    _, out = json_run(*all_files(corpus), "-m", "us")
    report = json.loads(out)
    sev = [f["severity"] for file in report["files"] for f in file["findings"]]
    assert report["summary"] == {"files": 5, "errors": sev.count("error"), "warnings": sev.count("warning"),
                                 "infos": sev.count("info")}
    assert report["summary"]["errors"] >= 3 and report["summary"]["infos"] >= 2


def test_output_file(corpus, tmp_path):
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    code, out, err = cli("check", str(corpus / "b_show.srt"), "-m", "us", "--rules", PACKS, "-f", "json",
                         "-o", target)
    assert code == 1 and out == ""
    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["summary"]["files"] == 1 and len(report["files"][0]["findings"]) == 4


# --- SARIF --------------------------------------------------------------------------------------

def sarif_schema_path():
    found = sorted(SARIF_PACKAGE.rglob("sarif-2.1.0.json")) if SARIF_PACKAGE.is_dir() else []
    return found[0] if found else None


def multitool_path():
    if not SARIF_PACKAGE.is_dir():
        return None
    for name in ("Sarif.Multitool",):
        for path in sorted(SARIF_PACKAGE.rglob(name)):
            if path.is_file():
                return path
    return None


needs_sarif_package = pytest.mark.skipif(
    not SARIF_PACKAGE.is_dir(),
    reason="node_modules/@microsoft/sarif-multitool-linux is missing: run `npm install` (CI does)")


@pytest.fixture
def sarif_file(corpus, tmp_path, monkeypatch):
    """A SARIF report of the corpus, run from the corpus' parent (relative uris) plus an absolute path."""
    monkeypatch.chdir(corpus.parent)
    outside = write(tmp_path.parent / f"{tmp_path.name}-outside" / "x y.txt", "slimming")
    target = tmp_path / "report.sarif"
    code, out, err = cli("check", "scripts", str(outside), "-m", "zz,us", "--rules", PACKS, "-f", "sarif",
                         "-o", target)
    assert code == 1, err
    return target


def test_sarif_shape(sarif_file):
    sarif = json.loads(sarif_file.read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["tool"]["driver"]["name"] == "culture-lint"
    results = run["results"]
    levels = {r["level"] for r in results}
    assert levels == {"error", "warning", "note"}
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    srt = [r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
           == "scripts/b_show.srt" and r["ruleId"] == SLIM]
    assert [(r["properties"]["market"], r["properties"]["timestamp"]) for r in srt] == [
        ("us", "00:01:05.500"), ("zz", "00:01:05.500")]
    region = srt[0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (7, 3, 7, 5)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "scripts/c%20notes%20%E7%AC%94%E8%AE%B0.txt" in uris
    assert any(u.startswith("file:///") and u.endswith("/x%20y.txt") for u in uris)


@needs_sarif_package
def test_sarif_validates_against_the_sarif_schema(sarif_file):
    schema_path = sarif_schema_path()
    assert schema_path is not None, f"sarif-2.1.0.json not found under {SARIF_PACKAGE}"
    schema = json.loads(schema_path.read_text(encoding="utf-8-sig"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(json.loads(sarif_file.read_text(encoding="utf-8"))), key=str)
    assert errors == [], "\n".join(e.message for e in errors[:5])


@needs_sarif_package
def test_sarif_passes_microsofts_validator(sarif_file, tmp_path):
    tool = multitool_path()
    assert tool is not None, f"Sarif.Multitool not found under {SARIF_PACKAGE}"
    if not os.access(tool, os.X_OK):  # npm may skip the package's chmod postinstall script
        copy = tmp_path / "multitool"
        shutil.copytree(tool.parent, copy, symlinks=True)
        tool = copy / tool.name
        tool.chmod(0o755)
    log = tmp_path / "validation.sarif"
    env = clean_env(DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="1", DOTNET_CLI_TELEMETRY_OPTOUT="1")
    proc = subprocess.run([str(tool), "validate", str(sarif_file), "--output", str(log)], capture_output=True,
                          text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads(log.read_text(encoding="utf-8-sig"))["runs"][0].get("results", [])
    errors = [r for r in results if r.get("level", "warning") == "error"]
    assert errors == [], proc.stdout
    assert " error " not in proc.stdout, proc.stdout


# --- GitHub annotations -------------------------------------------------------------------------

def test_github_annotations(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "show.txt", "Hey guys, slimming tea!\nBest ever, 100%: yes\n")
    code, out, err = cli("check", "show.txt", "-m", "us", "--rules", PACKS, "-f", "github")
    assert code == 1
    assert out.splitlines() == [
        f"::notice file=show.txt,line=1,col=1,endLine=1,endColumn=9,title={GREET} [us]::"
        "“Hey guys”: greet the audience by name where you can.",
        f"::error file=show.txt,line=1,col=11,endLine=1,endColumn=19,title={SLIM} [us]::"
        "“slimming” is a weight-loss claim.",
        f"::warning file=show.txt,line=2,col=1,endLine=2,endColumn=10,title={BEST} [us]::"
        "“Best ever” is an absolute claim.",
    ]


def test_github_escapes_properties(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a,b:c.txt", "slimming\n")
    code, out, err = cli("check", "a,b:c.txt", "-m", "us", "--rules", PACKS, "-f", "github")
    assert out.startswith("::error file=a%2Cb%3Ac.txt,line=1,col=1,")


# --- text ---------------------------------------------------------------------------------------

def test_text_output_shows_location_rule_source_line_and_caret(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "show.txt", "主播：这款减肥茶，slimming!\n")
    code, out, err = cli("check", "show.txt", "-m", "us", "--rules", PACKS)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"show.txt:1:6: error {SLIM} [us] “减肥” is a weight-loss claim."
    assert lines[1] == "    1 | 主播：这款减肥茶，slimming!"
    # the caret counts terminal cells: CJK characters are two cells wide
    assert lines[2] == "      |           ^^^^"
    assert lines[3] == "      = suggestion: 日常均衡搭配"  # in the language of the match
    assert lines[4] == f"show.txt:1:10: error {SLIM} [us] “slimming” is a weight-loss claim."
    assert lines[6] == "      | " + " " * 18 + "^" * 8
    assert lines[-1] == "Found 2 error(s), 0 warning(s), 0 info(s) in 1 file(s) for us."
    assert "\x1b[" not in out


def test_text_output_shows_timestamps_and_explain_source(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "s.srt", SRT)
    code, out, err = cli("check", "s.srt", "-m", "us", "--rules", PACKS, "--explain", "--select", SLIM)
    assert out.splitlines()[0] == f"s.srt:7:3: error {SLIM} [us] @00:01:05.500 “减肥” is a weight-loss claim."
    assert "      = source: Test source: FTC Health Products Compliance Guidance (2022)" in out


def test_quiet_prints_only_findings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "show.txt", "slimming\n")
    code, out, err = cli("check", "show.txt", "-m", "us", "--rules", PACKS, "--quiet")
    assert code == 1
    assert out.splitlines() == [f"show.txt:1:1: error {SLIM} [us] “slimming” is a weight-loss claim."]


def _run_in_pty(args, env):
    """Run the CLI with stdout on a pseudo-terminal; returns everything it printed."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "culture_lint", *args], stdout=slave,
                                stderr=subprocess.PIPE, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=120)
    finally:
        os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_text_output_colour_only_on_a_terminal_without_no_color(tmp_path):
    path = write(tmp_path / "show.txt", "slimming\n")
    args = ["check", str(path), "-m", "us", "--rules", str(PACKS)]
    code, out = _run_in_pty(args, clean_env(TERM="xterm-256color"))
    assert code == 1 and "\x1b[" in out  # a terminal gets colour
    code, out = _run_in_pty(args, clean_env(TERM="xterm-256color", NO_COLOR="1"))
    assert code == 1 and "\x1b[" not in out and "global.weight-loss-claim.slimming" in out


def test_parallel_jobs_give_the_same_report(corpus, tmp_path):
    from conftest import run_cli

    config = write(tmp_path / "c.yaml", "severity: {absolute-claim: error}\nignore: [interaction]\n")
    args = ["check", str(corpus), "-m", "zz,us", "--rules", str(PACKS), "-f", "json", "--config", str(config)]
    code1, out1, err1 = run_cli(*args, "--jobs", "1")
    code2, out2, err2 = run_cli(*args, "--jobs", "2")
    assert (code1, code2) == (1, 1), err1 + err2
    assert out1 == out2
    findings = [f for file in json.loads(out2)["files"] for f in file["findings"]]
    assert {f["severity"] for f in findings if f["rule"] == BEST} == {"error"}
    assert not [f for f in findings if f["rule"] == GREET]
