"""Configuration: discovery, precedence of CLI flags, --no-config/--config, severity overrides, errors, init."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import PACKS, cli, run_cli, write

pytestmark = pytest.mark.usefixtures("isolated_cwd")

SLIM = "global.weight-loss-claim.slimming"
LOSE = "global.weight-loss-claim.lose-weight"
BEST = "global.absolute-claim.best-ever"

SCRIPT = "Our slimming tea burns belly fat, the best ever!\n"


def report(*args) -> tuple[int, dict, str]:
    code, out, err = cli("check", "-f", "json", *args)
    assert code in (0, 1), err
    return code, json.loads(out), err


def yaml_config(folder: Path, body: str, name: str = ".culture-lint.yaml") -> Path:
    rules = os.path.relpath(PACKS, folder)  # `rules:` is relative to the config file
    return write(folder / name, f"rules: [{rules}]\n{body}")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """tmp/proj with the script in proj/scripts/deep; the test runs from that deep folder."""
    deep = tmp_path / "proj" / "scripts" / "deep"
    write(deep / "show.txt", SCRIPT)
    monkeypatch.chdir(deep)
    return tmp_path / "proj"


def test_yaml_config_is_found_upward_from_cwd(project):
    yaml_config(project, "markets: [zz]\nignore: [absolute-claim]\n")
    code, rep, _ = report("show.txt")
    assert rep["markets"] == ["zz"]
    rules = {(f["rule"], f["market"]) for f in rep["files"][0]["findings"]}
    assert rules == {(SLIM, "zz"), (LOSE, "zz")}
    assert code == 1


def test_pyproject_tool_section(project):
    rules = os.path.relpath(PACKS, project).replace("\\", "/")
    write(project / "pyproject.toml",
          f'[project]\nname = "x"\n\n[tool.culture-lint]\nmarkets = ["zed"]\nrules = ["{rules}"]\n'
          'select = ["absolute-claim"]\nfail-on = "never"\n')
    code, rep, _ = report("show.txt")
    assert rep["markets"] == ["zz"]
    assert [f["rule"] for f in rep["files"][0]["findings"]] == [BEST]
    assert code == 0  # fail-on = "never" (dashes are accepted in keys)


def test_nearest_config_wins(project):
    yaml_config(project, "markets: [zz]\n")
    yaml_config(project / "scripts", "markets: [us]\n")
    _, rep, _ = report("show.txt")
    assert rep["markets"] == ["us"]


def test_pyproject_without_the_section_is_skipped(project):
    write(project / "scripts" / "pyproject.toml", '[project]\nname = "x"\n')
    yaml_config(project, "markets: [zz]\n")
    _, rep, _ = report("show.txt")
    assert rep["markets"] == ["zz"]


# --- CLI flags win ----------------------------------------------------------------------------

def test_flags_win_over_config(project):
    yaml_config(project, "markets: [zz]\nselect: [absolute-claim]\nfail_on: never\nmin_severity: warning\n")
    code, rep, _ = report("show.txt")
    assert (code, rep["markets"], [f["rule"] for f in rep["files"][0]["findings"]]) == (0, ["zz"], [BEST])

    code, rep, _ = report("show.txt", "-m", "us", "--select", "weight-loss-claim", "--fail-on", "error")
    assert rep["markets"] == ["us"]
    assert [f["rule"] for f in rep["files"][0]["findings"]] == [SLIM, LOSE]
    assert code == 1


def test_ignore_flag_replaces_config_ignore(project):
    yaml_config(project, "markets: [us]\nignore: [weight-loss-claim]\n")
    _, rep, _ = report("show.txt")
    assert [f["rule"] for f in rep["files"][0]["findings"]] == [BEST]
    _, rep, _ = report("show.txt", "--ignore", "absolute-claim")
    assert [f["rule"] for f in rep["files"][0]["findings"]] == [SLIM, LOSE]


def test_fail_on_from_config_and_flag(project):
    yaml_config(project, "markets: [us]\nselect: [absolute-claim]\nfail_on: warning\n")
    assert report("show.txt")[0] == 1
    assert report("show.txt", "--fail-on", "error")[0] == 0


def test_no_config_ignores_the_file(project):
    yaml_config(project, "markets: [us]\nignore: [weight-loss-claim]\n")
    _, rep, _ = report("show.txt", "--no-config", "-m", "us", "--rules", PACKS)
    assert [f["rule"] for f in rep["files"][0]["findings"]] == [SLIM, LOSE, BEST]
    # without the config there is no market at all
    code, out, err = cli("check", "show.txt", "--no-config", "--rules", PACKS)
    assert code == 2 and "no market" in err


def test_config_option_names_a_file(project, tmp_path):
    custom = yaml_config(tmp_path / "elsewhere", "markets: [zz]\nselect: [pricing]\n", name="lint.yaml")
    yaml_config(project, "markets: [us]\n")
    write(Path("free.txt"), "totally free slimming")
    _, rep, _ = report("free.txt", "--config", custom)
    assert rep["markets"] == ["zz"]
    assert [f["rule"] for f in rep["files"][0]["findings"]] == ["zz.pricing.totally-free"]


def test_config_file_that_does_not_exist(project):
    code, out, err = cli("check", "show.txt", "--config", "nope.yaml", "-m", "us")
    assert code == 2 and "nope.yaml" in err and "does not exist" in err


def test_severity_overrides_most_specific_wins(project):
    yaml_config(project, "markets: [us]\nseverity:\n  weight-loss-claim: info\n"
                         "  global.weight-loss-claim.slimming: warning\n  global.absolute-claim: error\n")
    code, rep, _ = report("show.txt")
    assert [(f["rule"], f["severity"]) for f in rep["files"][0]["findings"]] == [
        (SLIM, "warning"), (LOSE, "info"), (BEST, "error")]
    assert rep["summary"] == {"files": 1, "errors": 1, "warnings": 1, "infos": 1}
    assert code == 1


def test_severity_override_can_let_ci_pass(project):
    yaml_config(project, "markets: [us]\nseverity: {weight-loss-claim: warning}\n")
    assert report("show.txt")[0] == 0
    assert report("show.txt", "--fail-on", "warning")[0] == 1


def test_metadata_from_config(project):
    yaml_config(project, "markets: [us]\nselect: [ad-disclosure]\nmetadata: {sponsored: true}\n")
    _, rep, _ = report("show.txt")
    assert [(f["rule"], f["line"]) for f in rep["files"][0]["findings"]] == [
        ("global.ad-disclosure.sponsored-show", 1)]
    # --meta wins over the config
    _, rep, _ = report("show.txt", "--meta", "sponsored=false")
    assert rep["files"][0]["findings"] == []


# --- invalid config: exit 2 with file:line:col, never a traceback ------------------------------

@pytest.mark.parametrize("body, where, words", [
    ("markets: [us\nfail_on: error\n", ":2:8:", "invalid YAML"),
    ("markets: [us]\nfial_on: error\n", ":2:1:", "did you mean 'fail_on'"),
    ("markets: [us]\nfail_on: sometimes\n", ":2:10:", "fail_on"),
    ("markets: [us]\nseverity:\n  urgency: loud\n", ":3:12:", "severity"),
    ("markets: [us]\nselect: {a: 1}\n", ":2:9:", "must be a list"),
    ("markets: [us]\nmin_severity: high\n", ":2:15:", "min_severity"),
    ("- just\n- a list\n", ":1:1:", "mapping"),
])
def test_invalid_config_exits_2_with_location(project, body, where, words):
    path = write(project / ".culture-lint.yaml", body)
    code, out, err = cli("check", "show.txt", "--rules", PACKS)
    assert code == 2
    assert f"{path}{where}" in err
    assert words in err
    assert "Traceback" not in out + err


def test_invalid_config_in_a_real_process(project):
    path = write(project / ".culture-lint.yaml", "markets: [us]\nselect: [a\n  b: c\n")
    code, out, err = run_cli("check", "show.txt", "--rules", PACKS, cwd=os.getcwd())
    assert code == 2
    assert f"{path}:" in err and "invalid YAML" in err
    assert "Traceback" not in out + err


def test_invalid_pyproject_toml(project):
    write(project / "pyproject.toml", '[tool.culture-lint]\nmarkets = ["us"\n')
    code, out, err = cli("check", "show.txt", "--rules", PACKS)
    assert code == 2 and "pyproject.toml" in err and "TOML" in err


# --- init -------------------------------------------------------------------------------------

def test_init_writes_a_config_that_loads(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("init", "-m", "zz,us")
    assert code == 0, err
    config = tmp_path / ".culture-lint.yaml"
    assert config.is_file() and "Wrote" in out
    assert "markets: [zz, us]" in config.read_text(encoding="utf-8")

    from culture_lint.config import find_config, load_config

    loaded = load_config(find_config(tmp_path))
    assert loaded.get("markets") == ["zz", "us"] and loaded.get("fail_on") == "error"

    write(tmp_path / "show.txt", "totally free")
    code, rep, _ = report("show.txt", "--rules", PACKS)
    assert rep["markets"] == ["zz", "us"]
    assert [f["rule"] for f in rep["files"][0]["findings"]] == ["zz.pricing.totally-free"]


def test_init_does_not_overwrite_without_force(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".culture-lint.yaml", "markets: [us]\n")
    code, out, err = cli("init", "-m", "zz")
    assert code == 2 and "already exists" in err
    assert (tmp_path / ".culture-lint.yaml").read_text() == "markets: [us]\n"
    code, out, err = cli("init", "-m", "zz", "--force")
    assert code == 0 and "markets: [zz]" in (tmp_path / ".culture-lint.yaml").read_text()


def test_every_commented_setting_in_the_starter_config_is_valid(tmp_path):
    """Uncommenting any example line of `init`'s config gives a config that loads."""
    import re

    from culture_lint.config import KEYS, STARTER, load_config

    text = STARTER.format(markets="us")
    uncommented = re.sub(r"(?m)^# (?=[a-z_]+:)", "", text)
    uncommented = re.sub(r"(?m)^#(   \S)", r"\1", uncommented)  # nested lines of a commented mapping
    keys = set(re.findall(r"(?m)^([a-z_]+):", uncommented))
    assert "columns" in keys and keys <= set(KEYS)
    path = tmp_path / ".culture-lint.yaml"
    path.write_text(uncommented, encoding="utf-8")
    config = load_config(path)
    assert config.get("columns") == ["Title", "Body (HTML)"] and config.get("lang") == "zh"
