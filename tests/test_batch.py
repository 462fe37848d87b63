"""`culture-lint batch` and culture_lint.dask: catalog-scale runs on Dask (issue #10).

The tests use their own small packs (tests/packs/batch: `global` and the market `bx`), so they do not change
when the bundled packs do. Most tests share one LocalCluster of two worker processes (``--scheduler``);
the 100,000-row acceptance test starts its own (``--workers 2``), as a user's run would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TESTS, cli, clean_env, write

pd = pytest.importorskip("pandas")
pytest.importorskip("dask.distributed")
pytest.importorskip("pyarrow")

PACKS = TESTS / "packs" / "batch"
BASE = ("-m", "bx", "--rules", str(PACKS), "--fail-on", "never")

TITLES = ["Organic cotton tee", "Hoodie, totally free gift", "Ceramic mug", "Best in the world mug", "Face serum",
          "Wool socks", "Number one blender", "Yoga mat", "Use my code SAVE10 on this lamp"]
DESCRIPTIONS = ["Soft and warm.", "This serum cures acne.", "Last chance! Last chance!", "Use my code SAVE10 today.",
                "Use my code SAVE10 #ad", "<p>Heals eczema fast.</p>\n<p>It is the <b>best</b> in the world.</p>",
                "Nothing special.", "", None, "这款精华能治愈痘痘", "Totally free shipping.\nLast chance!",
                "It does not cure acne. Results may vary.", "Line one\r\nnumber one in town"]


def catalog(n: int, start: int = 0) -> "pd.DataFrame":
    """A deterministic catalog of short rows: clean ones, flagged ones, HTML, CJK, empty cells."""
    idx = range(start, start + n)
    return pd.DataFrame({
        "sku": [f"SKU-{i:07d}" for i in idx],
        "title": [TITLES[(i * 7) % len(TITLES)] for i in idx],
        "description": [DESCRIPTIONS[(i * 5 + i // 11) % len(DESCRIPTIONS)] for i in idx],
        "price": [f"{(i % 97) + 0.99:.2f}" for i in idx],
    })


# --------------------------------------------------------------------------------------------------------
# helpers


@pytest.fixture(scope="module")
def scheduler():
    """One LocalCluster of two worker processes for the module (address for --scheduler)."""
    import logging

    from dask.distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}, silence_logs=logging.ERROR)
    yield cluster.scheduler_address
    cluster.close()


@pytest.fixture(scope="module")
def linter():
    from culture_lint import make_linter

    return make_linter(["bx"], rules_dirs=[PACKS])


def batch(*args, scheduler: str | None = None) -> tuple[int, dict | None, str]:
    """Run `culture-lint batch ... --format json`; returns (exit code, summary, stderr)."""
    extra = ("--scheduler", scheduler) if scheduler else ()
    code, out, err = cli("batch", *args, *extra, "--format", "json")
    return code, (json.loads(out) if code in (0, 1) else None), err


def findings_of(out: Path) -> list[tuple]:
    df = pd.read_parquet(out / "findings")
    rows = []
    for r in df.to_dict("records"):
        r = {k: (None if v is pd.NA or (isinstance(v, float) and v != v) else v) for k, v in r.items()}
        r["suggestions"] = json.dumps(json.loads(r["suggestions"]), sort_keys=True)
        rows.append(tuple(r[c] for c in COLUMNS))
    return sorted(rows, key=_order)


COLUMNS = ("key", "text_column", "rule", "category", "severity", "market", "message", "line", "column",
           "end_line", "end_column", "text", "timestamp", "suggestions", "source")


def _order(t: tuple) -> tuple:
    return tuple("" if v is None else v for v in t)


def reference(rows: list[dict], text_columns: list[str], key: str | None, linter) -> list[tuple]:
    """Single-process library API over the same rows: lint_record per row, Finding.to_dict()."""
    from culture_lint.batch.records import lint_record

    out = []
    for n, row in enumerate(rows, start=1):
        k = str(row[key]) if key else str(n)
        cells = [(c, None if row.get(c) is None or (isinstance(row[c], float) and row[c] != row[c]) else str(row[c]))
                 for c in text_columns]
        record = lint_record(linter, cells, k)
        for column, f in record.findings:
            d = f.to_dict()
            d.update(key=k, text_column=column, suggestions=json.dumps(d["suggestions"], sort_keys=True))
            out.append(tuple(d[c] for c in COLUMNS))
    return sorted(out, key=_order)


# --------------------------------------------------------------------------------------------------------
# one record (no Dask)


def test_record_findings_point_into_their_cell(linter):
    """A row's findings carry their column and the position inside the cell, as the CSV reader gives them."""
    from culture_lint import lint_text
    from culture_lint.batch.records import lint_record

    cells = [("title", "Hoodie, totally free gift"),
             ("body", "Line one.\nThis serum cures acne.\n<p>It is the <b>best</b> in the world.</p> number one")]
    record = lint_record(linter, cells, "k")
    got = [(c, f.rule, f.line, f.column, f.end_line, f.end_column, f.text) for c, f in record.findings]
    assert got == [
        ("title", "bx.pricing.totally-free", 1, 9, 1, 21, "totally free"),
        ("body", "global.health-claim.cure", 2, 12, 2, 22, "cures acne"),
        ("body", "global.absolute-claim.best", 3, 17, 3, 38, "best</b> in the world"),
        ("body", "global.absolute-claim.best", 3, 44, 3, 54, "number one"),
    ]
    # the same cell alone in a one-column CSV: same findings, shifted by the header line and `1,"`
    for column, text in cells:
        csv = f'n,{column}\n1,"{text}"\n'
        alone = [(f.rule, f.line - 1, f.column - (3 if f.line == 2 else 0), f.text)
                 for f in lint_text(csv, filename="one.csv", linter=linter)]
        assert alone == [(r, ln, col, t) for c, r, ln, col, _, _, t in got if c == column]
    fix = record.findings[0][1].suggestions[0].to_dict()["fix"]
    assert (fix["line"], fix["column"], fix["end_column"]) == (1, 9, 21)


def test_row_document_rules_see_the_whole_row(linter):
    """A document-scope rule (a code needs #ad somewhere in the listing) sees every column of the row."""
    from culture_lint.batch.records import lint_record

    assert [f.rule for _, f in lint_record(linter, [("title", "Use my code SAVE10"), ("d", "Soft.")]).findings] == \
        ["bx.ad-disclosure.code"]
    assert lint_record(linter, [("title", "Use my code SAVE10"), ("d", "#ad Soft.")]).findings == []
    assert lint_record(linter, [("title", None), ("d", "  ")]).findings == []


def test_columns_and_key_are_chosen_like_the_csv_reader():
    from culture_lint.batch.records import choose_key_column, choose_text_columns

    header = ["Handle", "Title", "Body (HTML)", "Vendor", "Variant SKU", "Variant Price", "Image Src", "SEO Description"]
    assert choose_text_columns(header) == ["Title", "Body (HTML)", "SEO Description"]
    assert choose_text_columns(header, ["title", "3"]) == ["Title", "Body (HTML)"]
    assert choose_key_column(header) == "Handle"
    assert choose_key_column(["product_id", "title"]) == "product_id"
    assert choose_key_column(["video", "paid", "title"]) is None


def test_linter_spec_is_small_and_rebuilds_the_same_linter(linter):
    import pickle

    from culture_lint.batch.records import LinterSpec, get_linter, rules_fingerprint

    spec = LinterSpec.create(["bx"], rules_dirs=[PACKS], metadata={"sponsored": True})
    assert len(pickle.dumps(spec)) < 1000
    assert get_linter(spec) is get_linter(pickle.loads(pickle.dumps(spec)))
    assert rules_fingerprint(get_linter(spec)) == rules_fingerprint(linter)


def test_plain_cli_does_not_import_dask(tmp_path):
    code = ("import sys\nfrom culture_lint.cli import main\n"
            "try:\n    main(['check', sys.argv[1], '-m', 'bx', '--rules', sys.argv[2], '--no-config'])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'pyarrow')))")
    f = write(tmp_path / "a.txt", "This serum cures acne.\n")
    proc = subprocess.run([sys.executable, "-c", code, str(f), str(PACKS)], capture_output=True, text=True,
                          env=clean_env(), timeout=120)
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stderr


# --------------------------------------------------------------------------------------------------------
# acceptance: 100,000 rows on a LocalCluster of two workers equal the single-process library


def test_100k_catalog_on_two_workers_equals_library(tmp_path, linter):
    df = catalog(100_000)
    src = tmp_path / "catalog.parquet"
    df.to_parquet(src, row_group_size=30_000, index=False)  # 32 partitions of 3,125 rows cut across row groups
    out = tmp_path / "out"
    code, summary, err = batch(src, *BASE, "-o", out, "--workers", "2")
    assert code == 0, err
    assert summary["rows"] == 100_000 and summary["partitions"] == 32 and summary["workers"] == 2
    assert summary["text_columns"] == ["title", "description"] and summary["key"] == "sku"

    got = findings_of(out)
    want = reference(df.to_dict("records"), ["title", "description"], "sku", linter)
    assert len(got) == summary["findings"] > 50_000
    assert got == want
    assert summary["severity"] == {s: sum(1 for t in want if t[4] == s) for s in ("error", "warning", "info")}

    scores = pd.read_parquet(out / "scores")
    assert len(scores) == 100_000 and scores["key"].is_unique
    parts = [json.loads(p.read_text()) for p in (out / "_parts").glob("*.json")]
    assert len({p["pid"] for p in parts}) == 2  # both worker processes did work
    assert all(p["builds"] == 1 for p in parts)  # packs compiled once per worker process


# --------------------------------------------------------------------------------------------------------
# inputs


def test_csv_with_html_and_line_breaks_in_cells(tmp_path, scheduler, linter):
    df = catalog(300)
    src = tmp_path / "shop.csv"
    df.rename(columns={"sku": "Variant SKU", "description": "Body (HTML)"}).to_csv(src, index=False)
    src.write_bytes(b"\xef\xbb\xbf" + src.read_bytes())  # Excel's BOM
    out = tmp_path / "out"
    code, summary, err = batch(src, *BASE, "-o", out, "--partition-size", "64", scheduler=scheduler)
    assert code == 0, err
    assert summary["partitions"] == 5 and summary["key"] == "Variant SKU"
    assert summary["text_columns"] == ["title", "Body (HTML)"]
    rows = pd.read_csv(src, dtype=str, keep_default_na=False, encoding="utf-8-sig").to_dict("records")
    assert findings_of(out) == reference(rows, ["title", "Body (HTML)"], "Variant SKU", linter)


def test_tsv_input_with_columns_option(tmp_path, scheduler, linter):
    df = catalog(120)
    src = tmp_path / "shop.tsv"
    df.to_csv(src, index=False, sep="\t")
    out = tmp_path / "out"
    code, summary, err = batch(src, *BASE, "-o", out, "--columns", "description", scheduler=scheduler)
    assert code == 0, err
    assert summary["text_columns"] == ["description"]
    rows = pd.read_csv(src, sep="\t", dtype=str, keep_default_na=False).to_dict("records")
    assert findings_of(out) == reference(rows, ["description"], "sku", linter)


def test_jsonl_input_keys_numbers_and_lists(tmp_path, scheduler, linter):
    lines = []
    for i, r in enumerate(catalog(200).to_dict("records")):
        item = {"handle": f"h-{i}", "title": r["title"], "tags": ["gift", "totally free"] if i % 3 == 0 else [],
                "description": r["description"], "stock": i}
        if i % 50 == 7:
            item["subtitle"] = "Best in the world"  # a column only some records have
        lines.append(json.dumps(item, ensure_ascii=False))
    src = write(tmp_path / "items.jsonl", "\n".join(lines[:100]) + "\n\n" + "\n".join(lines[100:]) + "\n")
    out = tmp_path / "out"
    code, summary, err = batch(src, *BASE, "-o", out, "--partition-size", "70", scheduler=scheduler)
    assert code == 0, err
    assert summary["key"] == "handle" and summary["rows"] == 200
    assert summary["text_columns"] == ["title", "tags", "description", "subtitle"]
    rows = []
    for line in lines:
        d = json.loads(line)
        d["tags"] = "\n".join(d["tags"])
        rows.append(d)
    got = findings_of(out)
    assert got == reference(rows, ["title", "tags", "description", "subtitle"], "handle", linter)
    assert {t[1] for t in got} >= {"tags", "subtitle"}


def test_parquet_folder_without_key_uses_row_numbers(tmp_path, scheduler, linter):
    folder = tmp_path / "listings"
    folder.mkdir()
    first, second = catalog(150).drop(columns=["sku"]), catalog(90, start=150).drop(columns=["sku"])
    first.to_parquet(folder / "part-0.parquet", row_group_size=40, index=False)
    second.to_parquet(folder / "part-1.parquet", index=False)
    (folder / "_SUCCESS").write_text("")
    out = tmp_path / "out"
    code, summary, err = batch(folder, *BASE, "-o", out, "--partition-size", "100", scheduler=scheduler)
    assert code == 0, err
    assert summary["rows"] == 240 and summary["partitions"] == 3 and summary["key"] is None
    rows = pd.concat([first, second]).to_dict("records")
    got = findings_of(out)
    assert got == reference(rows, ["title", "description"], None, linter)
    scores = pd.read_parquet(out / "scores")
    assert sorted(scores["key"].astype(int)) == list(range(1, 241))


def test_folder_of_scripts_equals_lint_paths(tmp_path, scheduler):
    from culture_lint import lint_paths

    shows = tmp_path / "shows"
    write(shows / "day1" / "opening.txt", "HOST: Welcome! This serum cures acne.\nGUEST: Last chance! Last chance!\n")
    write(shows / "day1" / "clip.srt", "1\n00:00:01,000 --> 00:00:03,000\nUse my code SAVE10 today\n\n"
                                       "2\n00:00:04,000 --> 00:00:06,000\nIt is totally free!\n")
    write(shows / "day2.md", "# Day two\n\nThe best in the world, number one.\n")
    write(shows / "notes.bin", b"\x00\x01binary")
    out = tmp_path / "out"
    code, summary, err = batch(shows, *BASE, "-o", out, "--partition-size", "2", scheduler=scheduler)
    assert code == 0, err
    assert summary["kind"] == "scripts" and summary["rows"] == 3 and summary["partitions"] == 2
    df = pd.read_parquet(out / "findings")
    got = sorted((k, r, ln, c, ts if ts is not pd.NA else None)
                 for k, r, ln, c, ts in df[["key", "rule", "line", "column", "timestamp"]].itertuples(index=False))
    want = sorted((Path(os.path.relpath(rep.path, shows)).as_posix(), f.rule, f.line, f.column, f.timestamp)
                  for rep in lint_paths([str(shows)], ["bx"], rules_dirs=[PACKS]) for f in rep.findings)
    assert got == want and ("day1/clip.srt", "bx.pricing.totally-free", 7, 7, "00:00:04.000") in got
    assert df["text_column"].isna().all()
    assert sorted(pd.read_parquet(out / "scores")["key"]) == ["day1/clip.srt", "day1/opening.txt", "day2.md"]


def test_exit_code_and_text_summary(tmp_path, scheduler):
    src = tmp_path / "c.csv"
    catalog(40).to_csv(src, index=False)
    code, out, err = cli("batch", src, "-m", "bx", "--rules", PACKS, "-o", tmp_path / "out", "--scheduler", scheduler)
    assert code == 1, err  # error findings, --fail-on error by default
    assert "Linted 40 rows, 1 partition in " in out
    assert "errors" in out and "By category:" in out and "Scores bx: mean" in out
    assert "text columns: title, description; key: sku" in err
    assert (tmp_path / "out" / "summary.json").is_file()


# --------------------------------------------------------------------------------------------------------
# resume


def test_resume_runs_only_missing_partitions(tmp_path, scheduler):
    src = tmp_path / "c.csv"
    catalog(500).to_csv(src, index=False)
    out = tmp_path / "out"
    args = (src, *BASE, "-o", out, "--partition-size", "50")
    code, first, err = batch(*args, scheduler=scheduler)
    assert code == 0 and first["partitions"] == 10 and first["partitions_run"] == 10, err
    full = findings_of(out)

    # an interrupted run: partitions 3 and 7 never finished (their summary is written last)
    for name in ("_parts/part-00003.json", "_parts/part-00007.json", "findings/part-00007.parquet",
                 "scores/part-00003.parquet"):
        (out / name).unlink()
    kept = (out / "findings" / "part-00001.parquet").stat().st_mtime_ns

    code, again, err = batch(*args, "--resume", scheduler=scheduler)
    assert code == 0, err
    assert (again["partitions_run"], again["partitions_resumed"], again["rows_run"]) == (2, 8, 100)
    assert again["findings"] == first["findings"] and again["rows"] == 500
    assert findings_of(out) == full
    assert (out / "findings" / "part-00001.parquet").stat().st_mtime_ns == kept
    assert len(pd.read_parquet(out / "scores")) == 500

    code, done, err = batch(*args, "--resume", scheduler=scheduler)  # nothing left: no cluster needed
    assert code == 0 and done["partitions_run"] == 0 and done["findings"] == first["findings"]

    code, _, err = batch(*args, scheduler=scheduler)
    assert code == 2 and "--resume" in err and "--overwrite" in err
    code, _, err = batch(src, "-m", "bx,us", "--rules", PACKS, "-o", out, "--partition-size", "50", "--resume",
                         scheduler=scheduler)
    assert code == 2 and "cannot resume" in err and "spec" in err
    code, over, err = batch(*args, "--overwrite", scheduler=scheduler)
    assert code == 0 and over["partitions_run"] == 10 and findings_of(out) == full


def test_failed_partition_stops_the_run_and_resume_finishes_it(tmp_path, scheduler):
    import shutil

    from culture_lint.dask import run_batch
    from culture_lint.errors import CultureLintError
    from culture_lint.batch.records import LinterSpec

    src = tmp_path / "c.csv"
    catalog(300).to_csv(src, index=False)
    out = tmp_path / "out"
    spec = LinterSpec.create(["bx"], rules_dirs=[PACKS])
    with pytest.raises(CultureLintError, match="partition [0-9]+ failed: .*--resume"):
        run_batch(str(src), str(out), spec, scheduler=scheduler, partition_size=100,
                  on_start=lambda info: shutil.rmtree(out / "_staged"))
    summary = run_batch(str(src), str(out), spec, scheduler=scheduler, partition_size=100, resume=True)
    assert summary["rows"] == 300 and summary["partitions_resumed"] + summary["partitions_run"] == 3
    assert len(pd.read_parquet(out / "scores")) == 300

    src.write_text(src.read_text() + "SKU-9,Mug,Soft.,1.00\n")  # the input changed: no resuming
    with pytest.raises(CultureLintError, match="cannot resume.*input_fingerprint"):
        run_batch(str(src), str(out), spec, scheduler=scheduler, partition_size=100, resume=True)


# --------------------------------------------------------------------------------------------------------
# the Python API


def test_lint_dataframe_api(scheduler, linter):
    import dask.dataframe as dd
    from dask.distributed import Client

    from culture_lint.dask import lint_dataframe, score_dataframe
    from culture_lint.batch.records import empty_findings

    df = catalog(400)
    ddf = dd.from_pandas(df, npartitions=4)
    with Client(scheduler):
        findings = lint_dataframe(ddf, text_columns=["title", "description"], markets=["bx"], key="sku",
                                  rules_dirs=[PACKS])
        assert list(findings.columns) == list(empty_findings().columns)
        assert dict(findings.dtypes) == dict(empty_findings().dtypes)
        result = findings.compute()
        scores = score_dataframe(ddf, markets="bx", key="sku", rules_dirs=[PACKS]).compute()
    result["suggestions"] = [json.dumps(json.loads(s), sort_keys=True) for s in result["suggestions"]]
    got = sorted((tuple(None if v is pd.NA else v for v in r) for r in result[list(COLUMNS)].itertuples(index=False)),
                 key=_order)
    assert got == reference(df.to_dict("records"), ["title", "description"], "sku", linter)
    assert len(scores) == 400 and set(scores["band"]) <= {"good", "review", "fail"}


def test_lint_dataframe_errors_are_raised_on_the_client():
    import dask.dataframe as dd

    from culture_lint.dask import lint_dataframe
    from culture_lint.errors import CultureLintError

    ddf = dd.from_pandas(catalog(10), npartitions=1)
    with pytest.raises(CultureLintError, match="unknown market"):
        lint_dataframe(ddf, markets=["nowhere"], rules_dirs=[PACKS])
    with pytest.raises(CultureLintError, match="column 'titel'.*did you mean 'title'"):
        lint_dataframe(ddf, text_columns=["titel"], markets=["bx"], rules_dirs=[PACKS])
    with pytest.raises(CultureLintError, match="key column 'id'"):
        lint_dataframe(ddf, markets=["bx"], key="id", rules_dirs=[PACKS])


# --------------------------------------------------------------------------------------------------------
# bad input: exit 2, a clear message, no traceback, no cluster started


@pytest.mark.parametrize("name, content, args, message", [
    ("missing.csv", None, (), "input does not exist"),
    ("bad.jsonl", '{"title": "ok"}\n{"title": oops}\n', (), "bad.jsonl:2:11: not valid JSON"),
    ("list.jsonl", '["a", "b"]\n', (), "list.jsonl:1:1: each line must be a JSON object"),
    ("c.csv", "sku,title\n1,hat\n", ("--columns", "titel"), "column 'titel' is not in"),
    ("c.csv", "sku,title\n1,hat\n", ("--key", "skuu"), "did you mean 'sku'"),
    ("c.csv", "sku,price\n1,2\n", (), "no text columns found"),
    ("c.csv", "title\n", (), "has no rows"),
    ("c.csv", b"title\n\xff\xfe bad\n", (), "cannot read as CSV"),
    ("c.parquet", b"PAR1 not really", (), "not a Parquet file"),
    ("c.csv", "sku,title\n1,hat\n", ("-m", "nowhere"), "unknown market 'nowhere'"),
    ("c.csv", "sku,title\n1,hat\n", ("--format", "sarif"), "batch --format must be one of text, json"),
    ("c.csv", "sku,title\n1,hat\n", ("--resume", "--overwrite"), "cannot be used together"),
    ("c.csv", "sku,title\n1,hat\n", ("--kind", "tables"), "--kind must be one of"),
    ("empty", "", (), "no scripts to lint"),
])
def test_bad_input_exits_2(tmp_path, name, content, args, message):
    src = tmp_path / name
    if name == "empty":
        src.mkdir()
    elif content is not None:
        write(src, content)
    market = () if "-m" in args else ("-m", "bx")
    code, out, err = cli("batch", src, *market, "--rules", PACKS, "-o", tmp_path / "out", *args)
    assert code == 2, (out, err)
    assert message in err and "Traceback" not in err


def test_output_that_is_a_file_or_unreachable_scheduler(tmp_path):
    src = write(tmp_path / "c.csv", "sku,title\n1,hat\n")
    code, _, err = cli("batch", src, "-m", "bx", "--rules", PACKS, "-o", src)
    assert code == 2 and "must be a folder" in err
    code, _, err = cli("batch", src, "-m", "bx", "--rules", PACKS, "-o", tmp_path / "o",
                       "--scheduler", "tcp://127.0.0.1:9")
    assert code == 2 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    code, _, err = cli("batch", src, "-m", "bx", "--rules", PACKS, "-o", tmp_path / "o", "--scheduler", "nonsense")
    assert code == 2 and "--scheduler takes an address like tcp://host:8786" in err
