"""Issue #17, the command-line side: typed Settings, shared options, one input path, packages, small things.

Everything runs the real CLI (Typer's CliRunner through ``conftest.cli``, or a subprocess) on the bundled packs.
"""

from __future__ import annotations

import ast
import csv
import json
import os
import stat
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT, cli, clean_env, run_cli, write

PKG = ROOT / "culture_lint"
CLAIM = "This tea cures diabetes.\n"


# --------------------------------------------------------------------------------------------------------
# Settings: config + flags (+ front matter) merged once


def test_settings_merge_config_flags_and_front_matter(tmp_path):
    from culture_lint.config import Settings

    cfg = write(tmp_path / ".culture-lint.yaml", "markets: [sa]\nselect: [health-claim]\nfail_on: warning\n"
                "metadata: {sponsored: true, platform: shopee, date: 2025-01-01}\nmax_file_size: 1MB\n"
                "interaction: {hook_seconds: 60}\n")
    s = Settings.resolve({"config": cfg, "market": ["us,gb"], "meta": ["ai_host=true"], "date": "2025-11-11"})
    assert s.markets == ["us", "gb"]  # flags win
    assert s.select == ["health-claim"] and s.fail_on == "warning"  # the config fills the rest
    assert s.max_file_size == 1_000_000 and s.interaction == {"hook_seconds": 60}
    assert s.metadata == {"sponsored": True, "platform": "shopee", "date": "2025-11-11", "ai_host": True}
    # front matter sits between the config and the flags
    merged = s.document_metadata({"platform": "lazada", "date": "2024-02-02", "product_category": "tea"})
    assert merged == {"sponsored": True, "platform": "lazada", "date": "2025-11-11", "ai_host": True,
                      "product_category": "tea"}
    options = s.options()
    assert options.select == ["health-claim"] and options.interaction == {"hook_seconds": 60}
    assert s["markets"] == s.markets  # the mapping access older callers use


@pytest.mark.parametrize("args, message, hint", [
    (("--format", "jsn"), "unknown format 'jsn'", "did you mean 'json'?"),
    (("--fail-on", "warnin"), "--fail-on must be one of", "did you mean 'warning'?"),
    (("--min-severity", "eror"), "--min-severity must be one of", "did you mean 'error'?"),
    (("--encoding", "utf8x"), "unknown encoding 'utf8x'", "did you mean"),
])
def test_bad_settings_exit_2_with_one_did_you_mean(tmp_path, args, message, hint):
    path = write(tmp_path / "s.txt", CLAIM)
    code, _out, err = cli("check", path, "-m", "us", "--no-config", *args)
    assert code == 2 and message in err and hint in err, err


def test_did_you_mean_helper():
    from culture_lint.util.suggest import closest, did_you_mean

    assert closest("sarfi", ["text", "json", "sarif"]) == "sarif"
    assert closest("zzzzzz", ["text", "json"]) is None and closest("x", []) is None
    assert did_you_mean("jsno", ["json"]) == "did you mean 'json'?"


def _defined_options(command: str) -> list[str]:
    from typer.main import get_command

    from culture_lint.cli import build_app

    group = get_command(build_app())
    cmd = group.commands[command]
    return [o for p in cmd.params for o in getattr(p, "opts", [])]


@pytest.mark.parametrize("command", ["check", "score", "fix", "batch", "live", "serve"])
def test_every_linting_command_takes_the_shared_options(command):
    opts = _defined_options(command)
    for name in ("--platform", "--market", "--lang", "--rules"):
        assert name in opts, (command, name)


def test_option_help_is_defined_once():
    """--lang, --rules, --market … have one definition (commands/options.py), not one per command."""
    text = "".join(p.read_text(encoding="utf-8") for p in [PKG / "cli.py", *(PKG / "commands").glob("cli_*.py")])
    for flag in ('"--lang"', '"--rules"', '"--market"', '"--select"', '"--config"', '"--max-file-size"'):
        assert f'{flag}, help=' not in text and f'"-m", {flag}' not in text, flag
    shared = (PKG / "commands" / "options.py").read_text(encoding="utf-8")
    assert all(shared.count(flag) == 1 for flag in ('"--lang"', '"--rules"', '"--market"', '"--platform"'))


def _private_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            bad += [f"{node.module}.{a.name}" for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__") and a.name != "_"]  # _: gettext
    return bad


def test_cli_side_imports_no_private_names():
    owned = [PKG / "cli.py", PKG / "config.py", PKG / "api.py", *(PKG / "commands").glob("*.py"),
             *(PKG / "runner").glob("*.py"), *(PKG / "batch").glob("*.py"), *(PKG / "util").glob("*.py"),
             *(PKG / "integrations").glob("*.py")]
    found = {str(p.relative_to(ROOT)): _private_imports(p) for p in owned if p.name != "evaluate.py"}
    assert {k: v for k, v in found.items() if v} == {}


def test_commands_take_settings_not_locals():
    for path in [PKG / "cli.py", *(PKG / "commands").glob("cli_*.py")]:
        assert "locals()" not in path.read_text(encoding="utf-8"), path


# --------------------------------------------------------------------------------------------------------
# --platform on every linting command


def test_platform_flag_reaches_check_score_and_fix(tmp_path):
    path = write(tmp_path / "show.txt", "Message me on WhatsApp to pay, it is cheaper there.\n")
    runs = {}
    for command in ("check", "score"):
        for platform in ((), ("--platform", "tiktok-shop")):
            code, out, err = cli(command, path, "-m", "us", "--no-config", "--format", "json", "--fail-on", "never",
                                 *platform)
            assert code == 0, err
            runs[(command, bool(platform))] = [f for f in json.loads(out)["files"][0]["findings"]
                                               if f.get("platform")]
    assert runs[("check", True)] and not runs[("check", False)]
    assert all(f["platform"] == "tiktok-shop" for f in runs[("check", True)])
    code, _out, err = cli("fix", path, "-m", "us", "--no-config", "--diff", "--platform", "tiktok-shopp")
    assert code == 2 and "tiktok-shop" in err  # unknown platform: exit 2 with a did-you-mean


def test_platform_flag_reaches_batch_workers(tmp_path):
    pytest.importorskip("dask.distributed")
    pytest.importorskip("pyarrow")
    src = tmp_path / "shop.csv"
    src.write_text("sku,title\nA1,Message me on WhatsApp to pay for this mug\n", encoding="utf-8")
    seen = {}
    for platform in ((), ("--platform", "tiktok-shop")):
        out = tmp_path / f"out{len(platform)}"
        code, stdout, err = cli("batch", src, "-m", "us", "--no-config", "-o", out, "--workers", "1",
                                "--fail-on", "never", "--format", "json", "--quiet", *platform)
        assert code == 0, err
        seen[bool(platform)] = json.loads(stdout)["rules"]
    assert any(r.startswith("tiktok-shop.") for r in seen[True]), seen
    assert not any(r.startswith("tiktok-shop.") for r in seen[False]), seen


# --------------------------------------------------------------------------------------------------------
# One input path


def test_read_bounded_too_large_unreadable_and_fine(tmp_path):
    from culture_lint.runner.inputs import MAX_FILE_BYTES, TOO_LARGE, UNREADABLE, read_bounded

    from culture_lint.config import DEFAULT_MAX_FILE_SIZE

    assert MAX_FILE_BYTES == DEFAULT_MAX_FILE_SIZE == 50 * 1024 * 1024  # one constant
    big = write(tmp_path / "big.txt", "x" * 101)
    got = read_bounded(str(big), 100)
    assert not got.ok and got.rule == TOO_LARGE and "101 bytes" in got.message
    missing = read_bounded(str(tmp_path / "gone.txt"), 100)
    assert not missing.ok and missing.rule == UNREADABLE and missing.reason
    fine = read_bounded(str(big), 101)
    assert fine.ok and fine.data == b"x" * 101
    report = got.report(["us", "sa"])
    assert [(f.rule, f.market, f.severity) for f in report.findings] == [(TOO_LARGE, "us", "error"),
                                                                          (TOO_LARGE, "sa", "error")]


@pytest.mark.parametrize("command", ["check", "score", "fix"])
def test_too_large_is_the_same_finding_in_every_command(tmp_path, command):
    big = write(tmp_path / "big.txt", CLAIM * 20)
    extra = ("--fail-on", "never") if command != "fix" else ()
    code, out, err = cli(command, big, "-m", "us", "--no-config", "--format", "json", "--max-file-size", "100",
                         *extra)
    findings = json.loads(out)["files"][0]["findings"]
    assert [f["rule"] for f in findings] == ["core.input.too-large"], (code, err)
    assert "limit 100" in findings[0]["message"]


def test_no_market_parses_each_file_once(tmp_path, monkeypatch):
    import culture_lint.runner.lint as lint_mod

    calls = []
    real = lint_mod.read_bytes

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(lint_mod, "read_bytes", counting)
    a = write(tmp_path / "a.txt", "---\nmarket: us\n---\n" + CLAIM)
    b = write(tmp_path / "b.txt", "---\nmarket: sa\n---\n" + CLAIM)
    code, out, err = cli("check", a, b, "--no-config", "--no-cache", "--format", "json", "--fail-on", "never")
    assert code == 0, err
    assert sorted(calls) == sorted([str(a), str(b)])
    assert json.loads(out)["markets"] == ["us", "sa"]


def test_one_file_filter_for_walks_and_git_diffs(tmp_path):
    from culture_lint.runner.files import FileFilter, collect, select_changed

    for rel in ("a.txt", "b.md", "c.py", "drafts/d.txt", "node_modules/e.txt", "keep/f.srt", "keep/g.txt"):
        write(tmp_path / rel, "x\n")
    include, exclude = ["*.txt", "*.srt"], ["drafts", "g.txt"]
    walked = collect([str(tmp_path)], include, exclude)
    every = [p for p in tmp_path.rglob("*") if p.is_file()]
    from_git = select_changed(every, [str(tmp_path)], include, exclude)
    assert sorted(walked) == sorted(from_git)
    assert sorted(Path(p).relative_to(tmp_path).as_posix() for p in walked) == ["a.txt", "keep/f.srt"]
    keep = FileFilter(include, exclude)
    assert keep.wants("keep/f.srt") and not keep.wants("drafts/x.txt") and not keep.wants("c.py")


# --------------------------------------------------------------------------------------------------------
# Packages and the documented old paths


def test_old_module_paths_still_work():
    import culture_lint.batch.dask as new_dask
    import culture_lint.dask as old_dask
    import culture_lint.records as old_records
    from culture_lint.batch import records
    from culture_lint.integrations import github_action
    import culture_lint.ci as old_ci
    from culture_lint.util import fsutil
    import culture_lint.fsutil as old_fsutil

    assert old_dask is new_dask and old_dask.lint_dataframe
    assert old_records is records and old_ci is github_action and old_fsutil is fsutil


def test_python_m_culture_lint_ci_still_runs(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "culture_lint.ci", "--help"], capture_output=True, text=True,
                          env=clean_env(), cwd=tmp_path, timeout=120)
    assert proc.returncode == 0 and "--base-ref" in proc.stdout, proc.stderr


def test_plain_check_does_not_load_the_batch_package(tmp_path):
    path = write(tmp_path / "s.txt", CLAIM)
    code = ("import sys\nfrom culture_lint.cli import main\ntry:\n    main(['check', sys.argv[1], '-m', 'us', "
            "'--no-config', '--no-cache'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith(('culture_lint.batch', 'dask'))))")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=clean_env(),
                          timeout=300)
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stderr


# --------------------------------------------------------------------------------------------------------
# Small things: file modes, Click's strings in Chinese


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield
    os.umask(old)


def test_report_and_config_files_honour_the_umask(tmp_path, umask_027):
    path = write(tmp_path / "s.txt", CLAIM)
    report = tmp_path / "report.json"
    code, _out, err = cli("check", path, "-m", "us", "--no-config", "--format", "json", "-o", report)
    assert code == 1, err
    assert stat.S_IMODE(report.stat().st_mode) == 0o640  # 0666 less the umask, not 0600
    config = tmp_path / "cfg.yaml"
    code, _out, err = cli("init", "--path", config, "-m", "us")
    assert code == 0, err
    assert stat.S_IMODE(config.stat().st_mode) == 0o640


def test_fix_keeps_the_original_mode(tmp_path):
    path = write(tmp_path / "s.txt", "This tea burns belly fat fast.\n")
    before = path.read_bytes()
    os.chmod(path, 0o664)
    code, _out, err = cli("fix", path, "-m", "us", "--no-config", "--unsafe-fixes", "--fail-on", "never")
    assert code == 0, err
    assert path.read_bytes() != before, "the fixture must be fixed for this test to mean anything"
    assert stat.S_IMODE(path.stat().st_mode) == 0o664


def test_click_help_strings_in_chinese():
    code, out, err = run_cli("--lang", "zh", "check", "--help")
    assert code == 0, err
    assert "用法：" in out and "显示此帮助信息并退出。" in out and "选项" in out
    assert "Usage:" not in out and "Show this message and exit." not in out
    code, out, err = run_cli("--lang", "zh", "check")  # missing argument: Click's error, in Chinese
    assert code == 2 and "缺少参数" in err and "错误：" in err, err
    code, out, err = run_cli("check", "--help")  # and English without --lang
    assert "Usage:" in out and "Show this message and exit." in out


# --------------------------------------------------------------------------------------------------------
# check and batch agree on a catalog


def _catalog(path: Path, rows: int) -> list[dict]:
    lines = ["Like and comment if you want this bag!", "Limited stock, only 3 left, buy now!",
             "This cream cures acne in 3 days.", "Soft cotton shirt in navy and sand.",
             "100% natural and eco-friendly packaging.", "Free gift for the first 100 orders!",
             "Lowest price ever, 50% off today only.", "Waterproof jacket for hiking.", "<p>Heals eczema <b>fast</b>.</p>"]
    data = [{"sku": f"SKU{i:05d}", "title": lines[(i * 7) % len(lines)],
             "description": lines[(i * 5 + i // 11) % len(lines)] + " " + lines[(i * 3) % len(lines)]}
            for i in range(rows)]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["sku", "title", "description"])
        writer.writeheader()
        writer.writerows(data)
    return data


def test_check_and_batch_give_the_same_findings_on_a_catalog(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("dask.distributed")
    pytest.importorskip("pyarrow")
    src = tmp_path / "catalog.csv"
    rows = _catalog(src, 3000)
    code, out, err = cli("check", src, "-m", "us", "--no-config", "--no-cache", "--format", "json",
                         "--fail-on", "never")
    assert code == 0, err
    checked = Counter()
    for f in json.loads(out)["files"][0]["findings"]:
        key = rows[f["line"] - 2]["sku"]  # one line per row: line 1 is the header
        checked[(key, f["rule"], f["market"], f["severity"], f["message"], f["text"])] += 1
    dest = tmp_path / "out"
    code, out, err = cli("batch", src, "-m", "us", "--no-config", "-o", dest, "--workers", "1", "--fail-on", "never",
                         "--format", "json", "--quiet")
    assert code == 0, err
    batched = Counter()
    for r in pd.read_parquet(dest / "findings").to_dict("records"):
        text = None if r["text"] is pd.NA else r["text"]
        batched[(r["key"], r["rule"], r["market"], r["severity"], r["message"], text)] += 1
    assert sum(checked.values()) > 3000
    assert checked == batched
    # read as one script (what `check` did before), the catalog's repeated cells are "stock lines": the
    # rule is live, and only reading rows as records keeps it to the rows that repeat themselves
    from culture_lint.api import make_linter
    from culture_lint.readers import read_bytes

    whole = make_linter(["us"], select=["global.interaction.boilerplate"]).lint(read_bytes(str(src), src.read_bytes()))
    as_script = {rows[f.line - 2]["sku"] for f in whole}
    as_records = {k[0] for k in checked if k[1] == "global.interaction.boilerplate"}
    assert as_script - as_records


def test_live_platform_flag_reaches_the_show(tmp_path):
    alerts = {}
    for platform in ((), ("--platform", "tiktok-shop")):
        code, out, err = run_cli("live", "-m", "us", "--no-config", "--input", "-", "--format", "jsonl", "--no-follow",
                                 "--no-report", "--session-log", tmp_path / f"s{len(platform)}.jsonl", *platform,
                                 input="Message me on WhatsApp to pay.\n")
        assert code in (0, 1), err
        alerts[bool(platform)] = [json.loads(line).get("rule", "") for line in out.splitlines() if line.strip()]
    assert any(r.startswith("tiktok-shop.") for r in alerts[True])
    assert not any(r.startswith("tiktok-shop.") for r in alerts[False])
