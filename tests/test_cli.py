"""The command line: exit codes, run errors (exit 2), `rules list/show/validate/test` and `markets`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import PACKS, cli, run_cli, write

pytestmark = pytest.mark.usefixtures("isolated_cwd")

SLIM = "global.weight-loss-claim.slimming"


def check(*args, **kw):
    return cli("check", "--rules", PACKS, *args, **kw)


@pytest.fixture
def files(tmp_path):
    return {
        "clean": write(tmp_path / "clean.txt", "Hello everyone, welcome to the show.\n"),
        "error": write(tmp_path / "error.txt", "Our slimming tea.\n"),
        "warning": write(tmp_path / "warning.txt", "The best ever tea.\n"),
        "info": write(tmp_path / "info.txt", "Hey guys!\n"),
    }


# --- exit codes -------------------------------------------------------------------------------

@pytest.mark.parametrize("name, fail_on, expected", [
    ("clean", None, 0),
    ("error", None, 1),
    ("warning", None, 0),
    ("info", None, 0),
    ("warning", "warning", 1),
    ("info", "warning", 0),
    ("error", "warning", 1),
    ("info", "info", 1),
    ("error", "never", 0),
    ("error", "error", 1),
])
def test_exit_code_follows_fail_on(files, name, fail_on, expected):
    args = ["--fail-on", fail_on] if fail_on else []
    code, out, err = check(files[name], "-m", "us", *args)
    assert code == expected, out + err


def test_clean_run_says_so(files):
    code, out, err = check(files["clean"], "-m", "us")
    assert code == 0
    assert "No problems found in 1 file(s) for us." in out


def test_exit_1_in_a_real_process(files):
    code, out, err = run_cli("check", files["error"], "-m", "us", "--rules", PACKS)
    assert code == 1
    assert f"{files['error']}:1:5: error {SLIM} [us]" in out


def test_min_severity_hides_findings_and_their_exit_code(files):
    code, out, _ = check(files["info"], "-m", "us", "--min-severity", "warning", "--fail-on", "info")
    assert code == 0 and "global.interaction.greeting" not in out


@pytest.mark.parametrize("selector, expected", [
    (["--select", SLIM], [SLIM]),
    (["--select", "global.weight-loss-claim"], [SLIM, "global.weight-loss-claim.lose-weight"]),
    (["--select", "absolute-claim,interaction"], ["global.interaction.greeting", "global.absolute-claim.best-ever"]),
    (["--ignore", "global"], ["zz.pricing.totally-free"]),
    (["--ignore", "weight-loss-claim", "--ignore", "zz.pricing.totally-free"],
     ["global.interaction.greeting", "global.absolute-claim.best-ever"]),
])
def test_select_and_ignore(tmp_path, selector, expected):
    path = write(tmp_path / "a.txt", "Hey guys! Slimming tea burns fat, best ever, totally free.\n")
    code, out, err = check(path, "-m", "zz", "-f", "json", *selector)
    assert [f["rule"] for f in json.loads(out)["files"][0]["findings"]] == expected, err


def test_market_from_front_matter(tmp_path):
    path = write(tmp_path / "a.txt", "---\nmarket: zed\n---\nslimming\n")
    code, out, err = check(path, "-f", "json")
    rep = json.loads(out)
    assert rep["markets"] == ["zz"] and [f["market"] for f in rep["files"][0]["findings"]] == ["zz"]


def test_market_alias(files):
    code, out, err = check(files["error"], "-m", "usa", "-f", "json")
    assert json.loads(out)["markets"] == ["us"]


# --- exit 2: the run cannot be done -----------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["-m", "uss"], ["unknown market 'uss'", "did you mean 'us'"]),
    (["-m", "us,zx"], ["unknown market 'zx'", "did you mean"]),
    (["-m", "us", "--format", "jsn"], ["unknown format 'jsn'", "did you mean 'json'"]),
    (["-m", "us", "--fail-on", "warnings"], ["--fail-on", "did you mean 'warning'"]),
    (["-m", "us", "--min-severity", "loud"], ["--min-severity"]),
    (["-m", "us", "--date", "2024-13-01"], ["--date", "YYYY-MM-DD"]),
    (["-m", "us", "--meta", "sponsored"], ["KEY=VALUE"]),
    (["-m", "us", "--bogus"], ["No such option", "--bogus"]),
])
def test_bad_runs_exit_2(files, args, words):
    code, out, err = check(files["error"], *args)
    assert code == 2
    for word in words:
        assert word in err
    assert "Traceback" not in out + err


def test_missing_path_exits_2_before_linting(files, tmp_path):
    missing = tmp_path / "nope" / "show.txt"
    code, out, err = check(files["error"], missing, "-m", "us")
    assert code == 2
    assert str(missing) in err and "does not exist" in err
    assert out == ""  # nothing was linted or printed


def test_no_market_anywhere_exits_2(files):
    code, out, err = check(files["error"])
    assert code == 2 and "no market given" in err


def test_run_errors_in_a_real_process(files):
    code, out, err = run_cli("check", files["error"], "-m", "usx", "--rules", PACKS)
    assert code == 2
    assert "culture-lint: error: unknown market 'usx' (did you mean 'us'?)" in err
    assert "Traceback" not in out + err
    code, out, err = run_cli("check", files["error"], "-m", "us", "--rules", PACKS, "--frobnicate")
    assert code == 2 and "Traceback" not in out + err


def make_pack(root: Path, rules_yaml: str, pack_id: str = "qq", extra: str = "") -> Path:
    folder = root / pack_id
    write(folder / "pack.yaml", f"pack: {pack_id}\nkind: market\nlanguages: [en]\n{extra}")
    write(folder / "rules.yaml", rules_yaml)
    return root


def test_malformed_pack_exits_2_with_location(tmp_path, files):
    packs = make_pack(tmp_path / "packs", "rules:\n  - id: qq.urgency.x\n    kind: [forbid\n")
    code, out, err = run_cli("check", files["error"], "-m", "qq", "--rules", PACKS, "--rules", packs)
    assert code == 2
    assert f"{packs / 'qq' / 'rules.yaml'}:4:1: invalid YAML" in err
    assert "Traceback" not in out + err


# --- rules validate ---------------------------------------------------------------------------

RULE = """\
rules:
  - id: qq.urgency.hurry-up
    category: urgency
    severity: warning
    kind: forbid
    message: {en: "“{text}” rushes viewers.", zh: "“{text}”催促观众。"}
    why: {en: "Pressure erodes trust.", zh: "催促会损害信任。"}
    patterns:
      en: [hurry up]
    tests:
      flag: ["Hurry up!"]
      pass: ["Take your time."]
"""


def rule_yaml(*replacements: tuple[str, str], extra: str = "") -> str:
    """RULE with some lines changed (each replacement must apply) and extra keys appended."""
    text = RULE
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    return text + extra


def test_validate_test_packs_is_clean():
    code, out, err = cli("rules", "validate", PACKS)
    assert code == 0, err
    assert "rule(s): valid." in out


def test_validate_a_good_tmp_pack(tmp_path):
    packs = make_pack(tmp_path, rule_yaml())
    code, out, err = cli("rules", "validate", packs)
    assert code == 0, err
    assert not [ln for ln in err.splitlines() if ln.startswith(str(packs))]  # no warnings either


@pytest.mark.parametrize("replace, extra, line, column, words", [
    ([], "    colour: red\n", 13, 5, "unknown key 'colour' in a forbid rule"),
    ([("category: urgency", "category: urgancy")], "", 3, 15, "did you mean 'urgency'"),
    ([("category: urgency", "category: input")], "", 3, 15, "unknown category 'input'"),
    ([("severity: warning", "severity: error")], "", 2, 5, "a legal rule needs a 'source'"),
    ([("en: [hurry up]", 'en:\n        - {tokens: [{LOWER: hurry, OP: "%"}]}')], "", 10, 11, "cannot compile"),
    ([("id: qq.", "id: zz.")], "", 2, 9, "must start with its pack name 'qq.'"),
    ([("kind: forbid", "kind: forbids")], "", 5, 11, "rule kind must be one of"),
    ([('      pass: ["Take your time."]\n', "")], "", 11, 7, "'tests.pass' needs at least one example"),
    ([("message: {en:", "message: {de:")], "", 6, 14, "'message' has no 'en' text"),
])
def test_validate_reports_problems_with_file_line_col(tmp_path, replace, extra, line, column, words):
    packs = make_pack(tmp_path, rule_yaml(*replace, extra=extra))
    code, out, err = cli("rules", "validate", packs)
    assert code == 2
    where = f"{packs / 'qq' / 'rules.yaml'}:{line}:{column}: "
    problems = [ln for ln in err.splitlines() if ln.startswith(where)]
    assert len(problems) == 1 and words in problems[0], err
    assert "Traceback" not in out + err


def test_validate_reports_duplicate_ids_across_files(tmp_path):
    packs = make_pack(tmp_path, rule_yaml())
    write(packs / "qq" / "more.yaml", rule_yaml())
    code, out, err = cli("rules", "validate", packs)
    assert code == 2
    # files load in name order: more.yaml first, then rules.yaml has the duplicate
    assert f"{packs / 'qq' / 'rules.yaml'}:2:9: duplicate rule id 'qq.urgency.hurry-up'" in err
    assert f"first defined at {packs / 'qq' / 'more.yaml'}:2:5" in err


def test_validate_reports_every_problem_at_once(tmp_path):
    second = rule_yaml(("id: qq.urgency.hurry-up", "id: qq.urgency.b"), ("category: urgency", "category: nope"))
    packs = make_pack(tmp_path, rule_yaml(extra="    colour: red\n") + second.replace("rules:\n", ""))
    code, out, err = cli("rules", "validate", packs)
    assert code == 2
    assert "unknown key 'colour'" in err and "unknown category 'nope'" in err
    assert "2 problem(s) found." in err


def test_validate_missing_zh_is_only_a_warning(tmp_path):
    packs = make_pack(tmp_path, rule_yaml(('why: {en: "Pressure erodes trust.", zh: "催促会损害信任。"}',
                                           'why: {en: "Pressure erodes trust."}')))
    code, out, err = cli("rules", "validate", packs)
    assert code == 0
    assert "'why' has no 'zh' text" in err and "[warning]" in err


def test_validate_missing_folder(tmp_path):
    code, out, err = cli("rules", "validate", tmp_path / "nope")
    assert code == 2 and "does not exist" in err


# --- rules test -------------------------------------------------------------------------------

def test_rules_test_on_the_test_packs_passes():
    code, out, err = cli("rules", "test", PACKS)
    assert code == 0, out + err
    m = re.search(r"(\d+) passed, 0 failed \(16 rules\)", out)
    assert m and int(m.group(1)) >= 60


def test_rules_test_reports_a_failing_fixture(tmp_path):
    packs = make_pack(tmp_path, rule_yaml(('flag: ["Hurry up!"]', 'flag: ["Hurry up!", "Quick, buy now!"]'),
                                          ('pass: ["Take your time."]', 'pass: ["Hurry up, friends."]')))
    code, out, err = cli("rules", "test", packs)
    assert code == 1
    fails = [line for line in out.splitlines() if line.startswith("FAIL")]
    assert len(fails) == 2
    assert f"{packs / 'qq' / 'rules.yaml'}:" in fails[0]
    assert "flag: 'Quick, buy now!' → 0 finding(s)" in fails[0]
    assert "pass: 'Hurry up, friends.' → 1 finding(s)" in fails[1]
    assert "1 passed, 2 failed" in out


def test_rules_test_select(tmp_path):
    code, out, err = cli("rules", "test", PACKS, "--select", "us.urgency")
    assert code == 0
    assert "(2 rules)" in out
    code, out, err = cli("rules", "test", PACKS, "--select", "urgency")  # a category selects too
    assert code == 0
    assert "(3 rules)" in out


def test_rules_test_on_an_invalid_pack_exits_2(tmp_path):
    packs = make_pack(tmp_path, rule_yaml(extra="    colour: red\n"))
    code, out, err = cli("rules", "test", packs)
    assert code == 2 and "unknown key 'colour'" in err


# --- rules list / show ------------------------------------------------------------------------

def pack_rule_ids(*packs: str) -> set[str]:
    ids = set()
    for pack in packs:
        for path in (PACKS / pack).glob("*.yaml"):
            if path.name != "pack.yaml":
                ids.update(r["id"] for r in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"])
    return ids


def rules_list(*args) -> list[dict]:
    code, out, err = cli("rules", "list", "--rules", PACKS, "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


def test_rules_list_by_market_follows_extends():
    rows = rules_list("-m", "zz")
    ids = [r["id"] for r in rows]
    assert ids == sorted(ids)
    assert set(ids) == pack_rule_ids("global", "us", "zz")
    assert set(r["id"] for r in rules_list("-m", "us")) == pack_rule_ids("global", "us")


def test_rules_list_row_contents():
    row = next(r for r in rules_list("-m", "us") if r["id"] == "us.health-claim.fda-approved")
    assert row == {
        "id": "us.health-claim.fda-approved", "pack": "us", "category": "health-claim", "severity": "error",
        "kind": "forbid", "languages": ["en"], "confidence": "medium", "legal": True,
        "message": "“{text}”: supplements and cosmetics are not FDA approved.",
        "source": "Test source: FDA, Is It Really FDA Approved? "
                  "https://www.fda.gov/consumers/consumer-updates/it-really-fda-approved",
    }


def test_rules_list_by_category():
    rows = rules_list("-m", "zz", "--category", "urgency,pricing")
    assert [r["id"] for r in rows] == ["global.urgency.last-chance", "us.urgency.hurry",
                                      "us.urgency.stock-count", "zz.pricing.totally-free"]
    assert all(r["category"] in ("urgency", "pricing") for r in rows)


def test_rules_list_without_market_lists_every_pack():
    assert pack_rule_ids("global", "us", "zz") <= {r["id"] for r in rules_list()}


def test_rules_list_text_table():
    code, out, err = cli("rules", "list", "--rules", PACKS, "-m", "zz", "--category", "pricing")
    assert code == 0 and "zz.pricing.totally-free" in out and "1 rules" in out


def test_rules_show():
    code, out, err = cli("rules", "show", "global.health-claim.cure", "--rules", PACKS)
    assert code == 0, err
    for part in ("global.health-claim.cure", "Why", "Cure claims make a cosmetic or food an unapproved drug.",
                 "Source", "https://www.ecfr.gov/current/title-21/section-101.93", "This serum cures acne."):
        assert part in out
    markets = out.split("Markets\n", 1)[1].split()
    assert {"global,", "us,"} <= set(markets) and markets[-1].rstrip(",") == "zz"  # every market using it


def test_rules_show_unknown_id():
    code, out, err = cli("rules", "show", "global.health-claim.cur", "--rules", PACKS)
    assert code == 2
    assert "unknown rule 'global.health-claim.cur'" in err
    assert "did you mean 'global.health-claim.cure'" in err


# --- markets ----------------------------------------------------------------------------------

def test_markets_json_lists_packs_with_lineage():
    code, out, err = cli("markets", "--rules", PACKS, "--format", "json")
    assert code == 0, err
    rows = {r["market"]: r for r in json.loads(out)}
    assert rows["zz"]["extends"] == ["us", "global"]
    assert rows["zz"]["aliases"] == ["zed"]
    assert rows["zz"]["rules"] == len(pack_rule_ids("global", "us", "zz"))
    assert rows["us"]["extends"] == ["global"]
    assert rows["us"]["currency"] == "USD"
    assert rows["us"]["timezones"] == ["America/New_York", "America/Los_Angeles"]
    assert rows["global"]["extends"] == [] and rows["global"]["kind"] == "global"
    assert rows["zz"]["name"] == "Zedland (test)" and rows["zz"]["languages"] == ["en", "zh"]


def test_markets_text_table():
    code, out, err = cli("markets", "--rules", PACKS)
    assert code == 0 and "Zedland" in out and "us→global" in out


def test_markets_lang_zh_uses_chinese_names():
    code, out, err = cli("markets", "--rules", PACKS, "--format", "json", "--lang", "zh")
    assert {r["market"]: r["name"] for r in json.loads(out)}["zz"] == "泽德兰（测试）"


def test_version_and_help():
    code, out, _ = cli("--version")
    assert code == 0 and re.fullmatch(r"culture-lint \d+\.\d+\.\d+\s*", out)
    code, out, _ = cli("check", "--help")
    assert code == 0 and "--fail-on" in out and "--stdin-filename" in out
