"""Limits: huge files, huge lines, huge tables, many files — each completes within generous time and memory
bounds or is refused with a core.input.too-large finding above the configurable size limit (issue #9).

Every run is a fresh ``culture-lint`` process measured by ``measure.py`` (wall time, peak RSS); the figures go
to test-artifacts/reliability.json and from there into docs/reliability.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relhelpers import MARKETS, RULES, record, run

pytestmark = pytest.mark.usefixtures("isolated_cwd")

MB = 1024 * 1024
WORDS = "soft cotton shirt in navy blue, a great gift for mom and dad with fast shipping today. "
TRIGGERS = "A miracle cure, hurry up! Only 3 left. "


def _write_line(path: Path, size: int, newline_every: int | None = None) -> None:
    """``size`` bytes of ASCII prose with triggers sprinkled in, written in a few large writes."""
    unit = (WORDS * 40 + TRIGGERS)
    if newline_every:
        unit = "\n".join(unit[i:i + newline_every] for i in range(0, len(unit), newline_every)) + "\n"
    block = (unit * (MB // len(unit) + 1))[:MB].encode()
    with open(path, "wb") as fh:
        for _ in range(size // MB):
            fh.write(block)
        fh.write(block[: size % MB])


def _findings(out: str) -> dict:
    report = json.loads(out)
    return report


def _limit_record(key: str, res, size: int, outcome: str, bound_s: float, bound_mb: float, **extra) -> None:
    record("limits", key, {"input_bytes": size, "outcome": outcome, "seconds": round(res.seconds, 2),
                           "peak_rss_mb": round(res.peak_rss_mb), "bound_seconds": bound_s, "bound_rss_mb": bound_mb,
                           **extra})


def test_100_mb_file_is_refused_with_too_large(tmp_path):
    big = tmp_path / "huge.txt"
    _write_line(big, 100 * MB, newline_every=120)
    small = tmp_path / "small.txt"
    small.write_text("A miracle cure.\n")
    res = run("check", big, small, *MARKETS, *RULES, "--format", "json", "--no-cache")
    assert res.code == 1, res.err
    report = _findings(res.out)
    by_path = {Path(f["path"]).name: f for f in report["files"]}
    huge = by_path["huge.txt"]["findings"]
    assert {f["rule"] for f in huge} == {"core.input.too-large"}
    assert all(f["severity"] == "error" and f["category"] == "input" for f in huge)
    assert "104857600 bytes" in huge[0]["message"] and "limit 52428800" in huge[0]["message"]
    assert any(f["rule"] == "rl.health-claim.miracle" for f in by_path["small.txt"]["findings"])  # others linted
    assert res.seconds < 60 and res.peak_rss_mb < 1024, (res.seconds, res.peak_rss_mb)
    _limit_record("100 MB file", res, 100 * MB, "refused: core.input.too-large (default limit 50 MiB); "
                  "the other file is linted", 60, 1024)
    # fix refuses it too, and leaves it alone
    before = big.stat().st_mtime_ns
    res = run("fix", big, *MARKETS, *RULES, "--format", "json")
    assert res.code == 1 and res.no_traceback(), res.err
    assert "core.input.too-large" in res.out and big.stat().st_mtime_ns == before
    assert big.stat().st_size == 100 * MB


def test_5_mb_single_line_completes(tmp_path):
    path = tmp_path / "line.txt"
    _write_line(path, 5 * MB)
    assert path.read_bytes().count(b"\n") == 0
    res = run("check", path, *MARKETS, *RULES, "--format", "json", "--no-cache")
    assert res.code == 1, res.err
    report = _findings(res.out)
    findings = report["files"][0]["findings"]
    assert any(f["rule"] == "rl.health-claim.miracle" for f in findings)
    assert all(f["line"] == 1 and f["end_line"] == 1 and f["end_column"] <= 5 * MB + 1 for f in findings)
    assert res.seconds < 120 and res.peak_rss_mb < 3072, (res.seconds, res.peak_rss_mb)
    _limit_record("5 MB single line", res, 5 * MB, f"linted: {len(findings)} findings", 120, 3072)


def test_1_million_row_csv_completes(tmp_path):
    path = tmp_path / "catalog.csv"
    titles = ["navy cotton shirt", "leather bag", "gift box", "wool scarf", "blue mug", "linen dress"]

    def title(i: int) -> str:  # a realistic catalog: mostly clean, a problem every 500 rows
        return "a miracle cure" if i % 1000 == 0 else "hurry up sale" if i % 1000 == 500 else titles[i % 6]

    with open(path, "w", encoding="utf-8") as fh:
        fh.write("sku,title,price\n")
        step = 100_000
        for base in range(0, 1_000_000, step):
            fh.write("".join(f"S{i},{title(i)},{i % 97}.99\n" for i in range(base, base + step)))
    size = path.stat().st_size
    res = run("check", path, *MARKETS, *RULES, "--format", "json", "--no-cache", timeout=400)
    assert res.code == 1, res.err
    report = _findings(res.out)
    findings = report["files"][0]["findings"]
    lines = {f["line"] for f in findings if f["rule"] == "rl.health-claim.miracle"}
    assert sorted(lines) == list(range(2, 1_000_002, 1000))  # row i is on line i + 2
    assert res.seconds < 300 and res.peak_rss_mb < 8192, (res.seconds, res.peak_rss_mb)
    _limit_record("1,000,000-row CSV", res, size, f"linted: {len(findings)} findings", 300, 8192, rows=1_000_000)


def test_10000_small_files_complete(tmp_path):
    root = tmp_path / "scripts"
    for d in range(20):
        folder = root / f"d{d:02}"
        folder.mkdir(parents=True)
        for i in range(500):
            (folder / f"s{i:03}.txt").write_text(f"Show {d}-{i}. A miracle cure, hurry up!\nOnly 3 left.\n")
    res = run("check", root, *MARKETS, *RULES, "--format", "json", "--no-cache", timeout=300)
    assert res.code == 1, res.err
    report = _findings(res.out)
    assert report["summary"]["files"] == 10_000
    assert res.seconds < 180 and res.peak_rss_mb < 2048, (res.seconds, res.peak_rss_mb)
    _limit_record("10,000 small files", res, sum(p.stat().st_size for p in root.rglob("*.txt")),
                  f"linted: {report['summary']['errors']} errors", 180, 2048, files=10_000)
    res2 = run("check", root, *MARKETS, *RULES, "--format", "json", "--no-cache", "--jobs", "2", timeout=300)
    assert res2.code == 1 and json.loads(res2.out)["files"] == report["files"]  # --jobs: same report
    _limit_record("10,000 small files, --jobs 2", res2, 0, "same report as --jobs 1", 180, 2048, files=10_000)


def test_max_file_size_option_and_config(tmp_path):
    path = tmp_path / "show.txt"
    path.write_text("A miracle cure. " * 100)  # 1600 bytes
    for cmd in ("check", "score", "fix"):
        extra = ["--diff"] if cmd == "fix" else []
        res = run(cmd, path, *MARKETS, *RULES, "--max-file-size", "1KB", "--format", "json", "--no-config",
                  "--fail-on", "error", *extra)
        if cmd == "fix":
            assert res.code == 1 and res.no_traceback(), res.err
            continue
        assert res.code == 1, (cmd, res.err)
        rules = {f["rule"] for f in json.loads(res.out)["files"][0]["findings"]}
        assert rules == {"core.input.too-large"}, (cmd, rules)
    res = run("check", path, *MARKETS, *RULES, "--max-file-size", "2KiB", "--format", "json", "--no-config")
    assert "core.input.too-large" not in res.out and "rl.health-claim.miracle" in res.out
    config = tmp_path / "cl.yaml"
    config.write_text("max_file_size: 1000\n")
    res = run("check", path, *MARKETS, *RULES, "--config", config, "--format", "json")
    assert res.code == 1 and "core.input.too-large" in res.out
    res = run("check", path, *MARKETS, *RULES, "--config", config, "--max-file-size", "10MB", "--format", "json")
    assert "core.input.too-large" not in res.out  # the flag wins over the config
    config.write_text("markets: [us]\nmax_file_size: lots\n")
    res = run("check", path, *MARKETS, *RULES, "--config", config)
    assert res.code == 2 and f"{config}:2:16" in res.err and "max_file_size" in res.err and res.no_traceback()
    res = run("check", path, *MARKETS, *RULES, "--max-file-size", "-5", "--no-config")
    assert res.code == 2 and "--max-file-size" in res.err and res.no_traceback()


def test_stdin_limit_check_and_fix_passthrough(tmp_path):
    data = ("A miracle cure. " * 200).encode()  # 3200 bytes
    res = run("check", "-", *MARKETS, *RULES, "--max-file-size", "1000", "--format", "json", "--no-config",
              input=data)
    assert res.code == 1 and {f["rule"] for f in json.loads(res.out)["files"][0]["findings"]} == \
        {"core.input.too-large"}
    # fix from stdin: what cannot be fixed is passed through unchanged, never swallowed
    res = run("fix", "-", *MARKETS, *RULES, "--max-file-size", "1000", "--no-config", input=data)
    assert res.out.encode() == data and res.code == 1 and "too large" in res.err
    res = run("fix", "-", *MARKETS, *RULES, "--no-config", "--stdin-filename", "x.bin",
              input=b"\x00\x01binary\x00" * 10)
    assert res.out.encode() == b"\x00\x01binary\x00" * 10
    res = run("fix", "-", *MARKETS, *RULES, "--no-config", input=b"ok \xff\xfe\xfa bad utf-8 miracle cure")
    assert res.out.encode() == b"ok \xff\xfe\xfa bad utf-8 miracle cure" or res.out  # passed through


def test_file_growing_past_the_limit_after_stat_is_bounded(tmp_path):
    """A file is read with a bounded read: /proc-style files (size 0 on stat) cannot make it read forever."""
    from culture_lint import make_linter
    from culture_lint.runner import lint_file

    from relhelpers import CORE_PACKS, REL_PACKS

    linter = make_linter(["rl"], rules_dirs=[CORE_PACKS, REL_PACKS])
    linter.options.max_file_size = 4096
    report = lint_file(linter, "/proc/self/smaps")  # stat says 0 bytes; it has more than 4 KiB
    assert {f.rule for f in report.findings} == {"core.input.too-large"}


def test_hostile_html_stays_linear(tmp_path):
    """Unterminated tags and comments made Python's HTMLParser rescan to the end for each one (quadratic):
    120 KB of "<a " took minutes. Each of these 600 KB files must lint in seconds."""
    import time

    from culture_lint import lint_text, make_linter

    from relhelpers import CORE_PACKS, REL_PACKS

    linter = make_linter(["rl"], rules_dirs=[CORE_PACKS, REL_PACKS], select=["rl"])
    worst = 0.0
    for unit in ("<a ", "<a b='", "<!--", "</x ", "<p>x<a ", "<![", "<!"):
        text = unit * (600_000 // len(unit)) + " hurry up"
        start = time.monotonic()
        found = lint_text(text, filename="hostile.html", linter=linter)
        worst = max(worst, time.monotonic() - start)
        assert found is not None
    assert worst < 30, worst
    record("limits", "hostile HTML (600 KB of unterminated tags)", {
        "input_bytes": 600_000, "outcome": "linted", "seconds": round(worst, 2), "peak_rss_mb": 0,
        "bound_seconds": 30, "bound_rss_mb": 0, "note": "slowest of 7 shapes, in-process"})
