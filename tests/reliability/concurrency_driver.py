"""Concurrency experiments for test_rel_concurrency.py, in a process of their own.

The driver imports culture-lint once, warms it up, then forks runs of the real CLI entry point
(``culture_lint.cli.main``) that start together on a barrier — many runs in a few seconds, without paying the
interpreter start-up each time, and from a single-threaded process (forking a pytest worker with threads
would not be safe). It prints one JSON object with what it saw.

    python concurrency_driver.py fix-pairs WORKDIR PAIRS RULES...
    python concurrency_driver.py cache WORKDIR RUNS RULES...
"""

from __future__ import annotations

import io
import json
import os
import random
import sys
from pathlib import Path

TEXT = "".join(
    f"Line {i}: " + ("A miracle cure, hurry up!" if i % 7 == 0 else "Soft cotton, a gift for mom.") + "\n"
    for i in range(300))


def run_cli(argv: list[str], stdout_path: str | None = None) -> int:
    """``culture-lint ARGV`` in this process; returns the exit code (output to a file or nowhere)."""
    from culture_lint.cli import main

    out = open(stdout_path or os.devnull, "w", encoding="utf-8")
    err = open(os.devnull, "w", encoding="utf-8")
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        sys.stdout, sys.stderr = old
        out.close()
        err.close()
    return code


def forked(jobs: list[tuple[list[str], str | None]]) -> list[int]:
    """Run the jobs in forked children that all start when the parent releases them; their exit codes."""
    release_r, release_w = os.pipe()
    pids = []
    for argv, stdout_path in jobs:
        pid = os.fork()
        if pid == 0:
            os.close(release_w)
            os.read(release_r, 1)  # wait for the start signal
            code = 3
            try:
                code = run_cli(argv, stdout_path)
            finally:
                os._exit(code)
        pids.append(pid)
    os.close(release_r)
    os.write(release_w, b"x" * len(pids))
    os.close(release_w)
    codes = []
    for pid in pids:
        _pid, status = os.waitpid(pid, 0)
        codes.append(os.waitstatus_to_exitcode(status))
    return codes


def fix_pairs(work: Path, pairs: int, rules: list[str]) -> dict:
    path = work / "show.txt"
    a = ["fix", str(path), *rules, "--select", "rl.health-claim"]  # miracle cure -> gentle formula
    b = ["fix", str(path), *rules, "--select", "rl.urgency"]  # hurry up -> take your time

    def sequential(*argvs) -> str:
        path.write_text(TEXT)
        for argv in argvs:
            run_cli(argv)
        return path.read_text()

    outcomes = {"original": TEXT, "A": sequential(a), "B": sequential(b), "A then B": sequential(a, b),
                "B then A": sequential(b, a)}
    assert outcomes["A"] != TEXT and outcomes["B"] != TEXT and outcomes["A then B"] == outcomes["B then A"]
    valid = {text: name for name, text in outcomes.items()}
    seen: dict[str, int] = {}
    codes: dict[str, int] = {}
    bad = []
    silent = 0  # different fixes, one missing from the file, and neither run said so
    rnd = random.Random(4)
    for i in range(pairs):
        path.write_text(TEXT)
        jobs = [(a, None), (b, None)] if i % 3 else [(a, None), (a, None)]  # every third pair: the same fix twice
        rnd.shuffle(jobs)
        pair_codes = forked(jobs)
        for code in pair_codes:
            codes[str(code)] = codes.get(str(code), 0) + 1
        final = path.read_text()
        name = valid.get(final)
        if i % 3 and name in ("A", "B") and pair_codes == [0, 0]:
            silent += 1
        if name is None:
            bad.append(final[:200])
            name = "INVALID"
        seen[name] = seen.get(name, 0) + 1
        leftover = [p.name for p in work.iterdir() if p.name.endswith(".tmp")]
        if leftover:
            bad.append(f"temporary files left: {leftover}")
    return {"pairs": pairs, "outcomes": seen, "exit_codes": codes, "invalid": bad, "silent_lost_fixes": silent}


def cache_runs(work: Path, runs: int, rules: list[str]) -> dict:
    import shutil

    docs = work / "docs"
    docs.mkdir(exist_ok=True)
    for i in range(40):
        (docs / f"s{i:02}.txt").write_text(TEXT[: 200 + 97 * i] + f"Show {i}.\n")
    cache_dir = work / "cache"
    os.environ["CULTURE_LINT_CACHE_DIR"] = str(cache_dir)
    base = ["check", str(docs), *rules, "--format", "json", "--fail-on", "never"]
    baseline_file = work / "baseline.json"
    run_cli([*base, "--no-cache"], str(baseline_file))
    baseline = json.loads(baseline_file.read_text())
    mismatches = []
    rounds = {}
    rnd = random.Random(2)

    def round_(name: str) -> None:
        outs = [str(work / f"{name}-{k}.json") for k in range(runs)]
        codes = forked([(base, out) for out in outs])
        same = 0
        for out, code in zip(outs, codes):
            try:
                report = json.loads(Path(out).read_text())
            except ValueError:
                report = None
            if code == 0 and report == baseline:
                same += 1
            else:
                mismatches.append(f"{name}: exit {code}, report {'differs' if report else 'unreadable'}")
        rounds[name] = f"{same}/{runs} identical to the uncached report"

    round_("cold cache, concurrent writers")
    round_("warm cache, concurrent readers")
    entries = sorted(p for p in (cache_dir / "results").rglob("*.json"))
    damaged = 0
    for p in entries:
        if rnd.random() < 0.5:
            damaged += 1
            kind = rnd.choice(["truncate", "garbage", "empty", "wrong-json", "dir"])
            if kind == "truncate":
                p.write_bytes(p.read_bytes()[: max(1, p.stat().st_size // 2)])
            elif kind == "garbage":
                p.write_bytes(os.urandom(64))
            elif kind == "empty":
                p.write_bytes(b"")
            elif kind == "wrong-json":
                p.write_text('{"path": "x", "findings": [{"rule": 5}]}')
            else:
                p.unlink()
                p.mkdir()
    round_("damaged entries, concurrent runs")
    shutil.rmtree(cache_dir / "results", ignore_errors=True)
    (cache_dir / "results").write_text("not a folder")  # the cache folder cannot even be created
    round_("cache folder unusable")
    leftovers = [str(p) for p in cache_dir.rglob("*.tmp")] if cache_dir.is_dir() else []
    return {"runs_per_round": runs, "rounds": rounds, "entries": len(entries), "damaged": damaged,
            "mismatches": mismatches, "leftover_tmp": leftovers}


def main() -> None:
    mode, work, count, *rules = sys.argv[1:]
    work_path = Path(work)
    os.chdir(work_path)
    from culture_lint.i18n import set_lang

    set_lang("en")
    warm = work_path / "warm.txt"
    warm.write_text(TEXT)
    run_cli(["check", str(warm), *rules, "--no-cache"])  # load spaCy, packs, vocab once, before forking
    if mode == "fix-pairs":
        result = fix_pairs(work_path, int(count), rules)
    else:
        result = cache_runs(work_path, int(count), rules)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8")
    main()
