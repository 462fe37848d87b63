"""Catalog text columns: `--columns` on check/score/fix, the `columns:` config key, template header rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from culture_lint.api import make_linter
from culture_lint.cli import build_app
from culture_lint.readers import read_text

ROOT = Path(__file__).resolve().parent.parent
PACKS = ROOT / "tests" / "packs" / "inputs"
SLIM, CURE = "us.weight-loss-claim.slimming", "us.health-claim.cure"

# "notes" is not a text column by its name; "Body (HTML)" is, and holds HTML
CATALOG = (
    "Handle,Title,Body (HTML),Internal notes\n"
    'tea-1,Slimming tea,"<p>It cures diabetes.</p>",slimming stock for the cures diabetes campaign\n'
)
# an Amazon flat-file style template: a version row and a label row above the attribute names
AMAZON = (
    "TemplateType=fptcustom,Version=2024.0101,The top 3 rows are for Amazon use only. Do not modify or delete them.\n"
    "Seller SKU,Product Name,Product Description\n"
    "item_sku,item_name,product_description\n"
    "SKU-1,Slimming tea,It cures diabetes.\n"
)


@pytest.fixture(scope="module")
def linter():
    return make_linter(["us"], rules_dirs=[PACKS], select=["us", "core"])


def hits(linter, text: str, columns=None, name: str = "catalog.csv"):
    doc = read_text(name, text, columns=columns)
    return [(f.rule, f.line, f.column, f.severity) for f in linter.lint(doc)]


def test_header_words_choose_the_columns(linter):
    assert hits(linter, CATALOG) == [(SLIM, 2, 7, "warning"), (CURE, 2, 27, "error")]


def test_columns_by_name_and_by_index(linter):
    notes = [(SLIM, 2, 48, "warning"), (CURE, 2, 71, "error")]
    assert hits(linter, CATALOG, ["internal notes"]) == notes  # names match case and punctuation insensitively
    assert hits(linter, CATALOG, ["4"]) == notes  # 1-based index
    assert hits(linter, CATALOG, ["Title", "Internal Notes"]) == [(SLIM, 2, 7, "warning")] + notes
    assert hits(linter, CATALOG.replace(",", "\t"), ["Body (HTML)"], name="catalog.tsv") == [(CURE, 2, 27, "error")]


def test_a_missing_column_is_reported_with_a_guess(linter):
    doc = read_text("catalog.csv", CATALOG, columns=["Titel", "Body (HTML)"])
    found = linter.lint(doc)
    diag = [f for f in found if f.rule == "core.input.columns"]
    assert [(f.severity, f.line, f.column) for f in diag] == [("warning", 1, 1)]
    assert "'Titel'" in diag[0].message and "did you mean 'Title'?" in diag[0].message
    assert [f.rule for f in found if f.rule != "core.input.columns"] == [CURE]  # the found column is linted


def test_no_column_found_is_an_error_naming_the_header(linter):
    doc = read_text("catalog.csv", CATALOG, columns=["description"])
    found = linter.lint(doc)
    assert [(f.rule, f.severity) for f in found] == [("core.input.columns", "error")]
    assert "Handle, Title, Body (HTML), Internal notes" in found[0].message


def test_template_rows_above_the_header_are_skipped(linter):
    got = hits(linter, AMAZON)
    assert got == [(SLIM, 4, 7, "warning"), (CURE, 4, 23, "error")]
    # the instructions row is never read as the header, so nothing above the real header is linted
    assert hits(linter, AMAZON, ["product_description"]) == [(CURE, 4, 23, "error")]


def test_a_data_row_never_outranks_the_header(linter):
    text = "SKU,Title\nA1,Name tag text title\nA2,Slimming tea\n"
    assert hits(linter, text) == [(SLIM, 3, 4, "warning")]


# -- the CLI: check, score, fix, config ----------------------------------------------------------------------

def _cli(*args: str, cwd: Path):
    import os

    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def _rules(data: dict) -> list[tuple[str, int, int]]:
    return [(f["rule"], f["line"], f["column"]) for fl in data["files"] for f in fl["findings"]]


@pytest.fixture()
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.csv"
    path.write_bytes(CATALOG.encode())
    return path


BASE = ("-m", "us", "--rules", str(PACKS), "--select", "us,core", "-f", "json", "--no-config")


def test_check_columns_flag(catalog: Path):
    res = _cli("check", "catalog.csv", *BASE, "--columns", "Internal notes", cwd=catalog.parent)
    assert res.exit_code == 1, res.output
    assert _rules(json.loads(res.stdout)) == [(SLIM, 2, 48), (CURE, 2, 71)]
    # the results cache keys on the columns: the default run after it is not served the notes' findings
    res = _cli("check", "catalog.csv", *BASE, cwd=catalog.parent)
    assert _rules(json.loads(res.stdout)) == [(SLIM, 2, 7), (CURE, 2, 27)]
    res = _cli("check", "catalog.csv", *BASE, "--columns", "handle", cwd=catalog.parent)
    assert _rules(json.loads(res.stdout)) == []  # only the handle: nothing to flag, and no diagnostic
    assert res.exit_code == 0


def test_check_columns_from_the_config(catalog: Path):
    (catalog.parent / ".culture-lint.yaml").write_text(
        "markets: [us]\nselect: [us, core]\nrules: ['%s']\ncolumns: ['Internal notes']\n" % PACKS.as_posix())
    res = _cli("check", "catalog.csv", "-f", "json", cwd=catalog.parent)
    assert _rules(json.loads(res.stdout)) == [(SLIM, 2, 48), (CURE, 2, 71)]
    res = _cli("check", "catalog.csv", "-f", "json", "--columns", "title", cwd=catalog.parent)  # the flag wins
    assert _rules(json.loads(res.stdout)) == [(SLIM, 2, 7)]


def test_score_columns_flag(catalog: Path):
    clean = _cli("score", "catalog.csv", *BASE, "--columns", "handle", cwd=catalog.parent)
    dirty = _cli("score", "catalog.csv", *BASE, "--columns", "4", cwd=catalog.parent)
    score = lambda res: json.loads(res.stdout)["files"][0]["scores"]["us"]["score"]  # noqa: E731
    assert score(clean) > score(dirty)


def test_fix_touches_only_the_chosen_columns(catalog: Path):
    before = catalog.read_text()
    res = _cli("fix", "catalog.csv", "-m", "us", "--rules", str(PACKS), "--select", "us", "--no-config",
               "--unsafe-fixes", "--columns", "Internal notes", cwd=catalog.parent)
    assert res.exit_code in (0, 1), res.output
    assert catalog.read_text() == before.replace(",slimming stock", ",smoothing stock")  # Title untouched
