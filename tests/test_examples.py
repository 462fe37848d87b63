"""The bundled examples: clean scripts pass and score `good`; drafts with problems score lower, explained."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from culture_lint.cli import build_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
MANIFEST = yaml.safe_load((EXAMPLES / "manifest.yaml").read_text(encoding="utf-8"))["examples"]


def _market(m: str) -> str:
    from culture_lint.packs.registry import Registry

    reg = Registry()
    return m if m in reg.pack_ids else "eu"  # until a country pack lands, its region stands in


def run(*args):
    res = CliRunner().invoke(build_app(), list(args), env={"NO_COLOR": "1"})
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res


def test_every_example_is_in_the_manifest():
    files = {p.name for p in EXAMPLES.iterdir() if p.suffix in (".md", ".txt", ".srt", ".vtt", ".yaml", ".csv")
             and p.name != "manifest.yaml"}
    assert files == set(MANIFEST)


@pytest.mark.parametrize("name", sorted(n for n, e in MANIFEST.items() if e["kind"] == "clean"))
def test_clean_examples_pass_and_score_good(name):
    market = _market(MANIFEST[name]["market"])
    res = run("score", str(EXAMPLES / name), "-m", market, "--format", "json")
    data = json.loads(res.stdout)
    f = data["files"][0]
    assert [x for x in f["findings"] if x["severity"] == "error"] == []
    assert f["scores"][market]["band"] == "good", f
    assert run("check", str(EXAMPLES / name), "-m", market).exit_code == 0


@pytest.mark.parametrize("name", sorted(n for n, e in MANIFEST.items() if e["kind"] == "problem"))
def test_problem_examples_score_lower_and_are_explained(name):
    market = _market(MANIFEST[name]["market"])
    data = json.loads(run("score", str(EXAMPLES / name), "-m", market, "--format", "json").stdout)
    f = data["files"][0]
    assert f["scores"][market]["score"] < 75 and f["findings"]
    explained = run("score", str(EXAMPLES / name), "-m", market, "--explain").stdout
    for rule in {x["rule"] for x in f["findings"]}:
        assert rule in explained
    assert run("check", str(EXAMPLES / name), "-m", market).exit_code == 1
