"""culture-lint's performance benchmark: start-up, throughput, memory and scaling, against proselint and alex.

    python bench/run.py                  # the full run (a few minutes), tables on stdout
    python bench/run.py --update-docs    # … and write them into docs/performance.md
    python bench/run.py --quick          # small corpora, for a smoke test

Every measurement is a fresh child process (``culture-lint`` as users run it), timed on the wall clock;
peak memory is the child's ``ru_maxrss`` (``os.wait4``). The corpus comes from ``bench/corpus.py``
(English and Chinese livestream scripts and catalog rows, seeded). proselint (PyPI) and alex (npm) lint
the same files in the same run, so their numbers are ratios on this machine, today.

Setup is part of the run: proselint is pip-installed into this interpreter and alex npm-installed into
``bench/node_modules`` when missing (``--no-setup`` skips that; a missing tool is then left out).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import count_words, generate  # noqa: E402

TARGETS = {
    "cold_start_s": 1.3,           # median wall, one small file, one market
    "cold_start_over_floor_s": 0.3,
    "words_per_s": 300_000,        # one process, all rules of one market
    "jobs2_speedup": 1.7,
    "peak_mb_all_markets": 350,
}
INCLUDE = ["--include", "*.txt", "--include", "*.md", "--include", "*.srt", "--include", "*.csv"]


# -- running children ----------------------------------------------------------------------------------

def run(cmd: list[str], env: dict | None = None, cwd: Path | None = None, ok=(0, 1)) -> dict:
    """Run a child; wall seconds, peak RSS (MB) and exit code. Output goes to a temporary file."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        tail = out.read()[-2000:].decode("utf-8", "replace")
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n{tail}")
    rss_kb = usage.ru_maxrss  # kilobytes on Linux
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": rss_kb / 1024, "code": proc.returncode}


def repeat(cmd: list[str], n: int, env: dict | None = None, **kw) -> dict:
    runs = [run(cmd, env=env, **kw) for _ in range(n)]
    walls = sorted(r["wall"] for r in runs)
    return {"median": statistics.median(walls), "min": walls[0], "max": walls[-1], "n": n,
            "cpu": statistics.median(r["cpu"] for r in runs), "rss_mb": max(r["rss_mb"] for r in runs)}


# -- setup ---------------------------------------------------------------------------------------------

def tool_paths(setup: bool) -> dict[str, list[str] | None]:
    tools: dict[str, list[str] | None] = {}
    proselint = shutil.which("proselint", path=str(Path(sys.executable).parent)) or shutil.which("proselint")
    if proselint is None and setup:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "proselint"], check=False)
        proselint = shutil.which("proselint", path=str(Path(sys.executable).parent))
    tools["proselint"] = [proselint, "check"] if proselint else None
    alex = HERE / "node_modules" / ".bin" / "alex"
    if not alex.exists() and setup and shutil.which("npm"):
        subprocess.run(["npm", "install", "--prefix", str(HERE), "--no-audit", "--no-fund", "--silent"],
                       check=False)
    tools["alex"] = [str(alex)] if alex.exists() and shutil.which("node") else None
    return tools


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    versions = {}
    for name in ("spacy", "proselint"):
        try:
            from importlib.metadata import version

            versions[name] = version(name)
        except Exception:
            pass
    return {"date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "cpu": cpu, "cores": os.cpu_count(),
            "memory": mem, "os": platform.platform(), "python": platform.python_version(),
            "load_before": load, **versions}


# -- the benchmark ---------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small corpora and fewer repeats")
    ap.add_argument("--market", default="us", help="the one market of the throughput runs")
    ap.add_argument("--update-docs", action="store_true", help="write the results into docs/performance.md")
    ap.add_argument("--no-setup", action="store_true", help="do not install proselint and alex")
    ap.add_argument("--workdir", type=Path, help="keep corpora and outputs here (default: a temp folder)")
    ap.add_argument("--real-only", action="store_true", help="only the real-prose part (bench/real.py)")
    ap.add_argument("--baseline", default=None, help="git revision for before/after (default: bench/real.py BASELINE; "
                    "'none' skips it)")
    args = ap.parse_args(argv)

    base_words = 20_000 if args.quick else 100_000
    reps = 3 if args.quick else 9
    work = args.workdir or Path(tempfile.mkdtemp(prefix="culture-lint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    cache = work / "cache"
    env = dict(os.environ, CULTURE_LINT_CACHE_DIR=str(cache), LANG="C.UTF-8", PYTHONUTF8="1")
    env.pop("CULTURE_LINT_NO_CACHE", None)
    exe = shutil.which("culture-lint", path=str(Path(sys.executable).parent)) or "culture-lint"
    cl = [exe, "check", "--no-config"]
    res: dict = {"machine": machine(), "targets": TARGETS, "market": args.market}
    tools = tool_paths(not args.no_setup)
    print(f"# culture-lint benchmark ({res['machine']['date']}, {res['machine']['cpu']}, "
          f"{res['machine']['cores']} cores) in {work}", flush=True)

    # corpora
    corpora = {}
    for name, mult in (("1x", 1), ("10x", 10), ("100x", 100)):
        if args.real_only and name != "1x":
            continue
        folder = work / f"corpus-{name}"
        if not folder.exists():
            generate(folder, base_words * mult, seed=11)
        files = sorted(p for p in folder.iterdir())
        corpora[name] = {"dir": folder, "files": len(files),
                         "words": sum(count_words(p.read_text(encoding="utf-8")) for p in files),
                         "bytes": sum(p.stat().st_size for p in files)}
    big = work / "one-big-file"
    if not big.exists():
        big.mkdir()
        import random

        from bench.corpus import script_txt

        for mult in (1, 10):  # one long show script: 10% and 100% of the 1x corpus
            text = script_txt(random.Random(5), base_words * mult // 10, 1 / 12)
            (big / f"one-file-{base_words * mult // 10 // 1000}k-words.txt").write_text(text, encoding="utf-8")
    small = work / "small.txt"
    small.write_text("Hey everyone, welcome back! This serum is clinically proven and cures acne overnight.\n"
                     "家人们，这款面霜可以治愈湿疹。\n", encoding="utf-8")
    res["corpora"] = {k: {kk: vv for kk, vv in v.items() if kk != "dir"} for k, v in corpora.items()}

    # every market the bundled packs know
    out = subprocess.run([exe, "markets", "--format", "json"], capture_output=True, text=True, env=env)
    markets = [m.get("market") or m.get("id") if isinstance(m, dict) else m for m in _market_list(out.stdout)]
    res["markets"] = markets

    # real prose (issue 16): English, Chinese, worst cases, before/after
    from bench import real

    print("real prose …", flush=True)
    baseline = None if args.baseline == "none" else (args.baseline or real.BASELINE)
    res["real"] = real.measure(run, repeat, work, env, cl, tools, args.quick, baseline, markets)
    if args.real_only:
        return _finish(res, None, args, work)

    # 1. start-up
    print("start-up …", flush=True)
    floor = repeat([sys.executable, "-c", "import spacy; spacy.blank('en')('x')"], reps)
    shutil.rmtree(cache, ignore_errors=True)
    first = run(cl + [str(small), "-m", args.market, "--no-cache"], env=env)  # compiles the packs
    cold = repeat(cl + [str(small), "-m", args.market, "--no-cache"], reps, env=env)
    version = repeat([exe, "--version"], reps, env=env)
    res["startup"] = {"floor": floor, "first_run_s": first["wall"], "cold": cold, "version": version,
                      "over_floor_s": cold["median"] - floor["median"]}

    # 2. throughput, one market, one process and --jobs 2
    print("throughput …", flush=True)
    thr = {}
    for name in ("1x", "10x"):
        c = corpora[name]
        r = run(cl + [str(c["dir"]), "-m", args.market, "--no-cache", "-f", "json", "-o", str(work / "out.json")]
                + INCLUDE, env=env)
        r2 = run(cl + [str(c["dir"]), "-m", args.market, "--no-cache", "-f", "json", "-o", str(work / "out.json"),
                       "--jobs", "2"] + INCLUDE, env=env)
        thr[name] = {"wall": r["wall"], "cpu": r["cpu"], "rss_mb": r["rss_mb"], "jobs2_wall": r2["wall"],
                     "cpu_words_per_s": c["words"] / max(1e-9, r["cpu"] - cold["cpu"]),
                     "words_per_s": c["words"] / r["wall"],
                     "steady_words_per_s": c["words"] / max(1e-9, r["wall"] - cold["median"]),
                     "jobs2_words_per_s": c["words"] / r2["wall"],
                     "jobs2_steady_words_per_s": c["words"] / max(1e-9, r2["wall"] - cold["median"])}
    res["throughput"] = thr

    # 3. linear in input size (files) and in one file's size
    print("scaling …", flush=True)
    scale = {}
    for name in ("1x", "10x", "100x"):
        c = corpora[name]
        if name in thr:
            wall = thr[name]["wall"]
        else:
            wall = run(cl + [str(c["dir"]), "-m", args.market, "--no-cache", "-f", "json", "-o",
                             str(work / "out.json")] + INCLUDE, env=env)["wall"]
        scale[name] = {"words": c["words"], "wall": wall,
                       "s_per_million_words": (wall - cold["median"]) / c["words"] * 1e6}
    for f in sorted(big.iterdir()):
        words = count_words(f.read_text(encoding="utf-8"))
        wall = run(cl + [str(f), "-m", args.market, "--no-cache", "-f", "json", "-o", str(work / "out.json")],
                   env=env)["wall"]
        scale[f.name] = {"words": words, "wall": wall, "s_per_million_words": (wall - cold["median"]) / words * 1e6}
    res["scaling"] = scale

    # 4. markets: cost by number of markets, and peak memory with every market loaded
    print("markets …", flush=True)
    by_markets = {}
    c = corpora["1x"]
    picks = [markets[:1], markets[:2], markets[:4], markets]
    for ms in picks:
        key = str(len(ms))
        if key in by_markets or not ms:
            continue
        r = run(cl + [str(c["dir"]), "-m", ",".join(ms), "--no-cache", "-f", "json", "-o", str(work / "out.json")]
                + INCLUDE, env=env)
        by_markets[key] = {"markets": ms, "wall": r["wall"], "rss_mb": r["rss_mb"]}
    res["markets_scaling"] = by_markets
    res["peak_mb_all_markets"] = by_markets[str(len(markets))]["rss_mb"] if markets else None

    # 5. results cache: the same corpus again, unchanged
    print("results cache …", flush=True)
    cache_cwd = work / "cache-run"
    cache_cwd.mkdir(exist_ok=True)
    cmd = cl + [str(c["dir"]), "-m", args.market, "-f", "json", "-o", str(work / "out.json")] + INCLUDE
    fill = run(cmd, env=env, cwd=cache_cwd)
    hit = repeat(cmd, 3, env=env, cwd=cache_cwd)
    res["results_cache"] = {"first_wall": fill["wall"], "unchanged_wall": hit["median"]}

    # 6. the same files through proselint and alex
    print("comparisons …", flush=True)
    comp = {}
    files = sorted(str(p) for p in c["dir"].iterdir())
    words = c["words"]
    comp["culture-lint"] = {"wall": thr["1x"]["wall"], "rss_mb": thr["1x"]["rss_mb"],
                            "words_per_s": words / thr["1x"]["wall"]}
    for name, cmd in tools.items():
        if cmd is None:
            comp[name] = None
            continue
        start_cmd = cmd + [str(small)]
        startup = repeat(start_cmd, 3, env=env)
        r = run(cmd + files, env=env, ok=tuple(range(0, 256)))
        comp[name] = {"wall": r["wall"], "rss_mb": r["rss_mb"], "words_per_s": words / r["wall"],
                      "startup": startup["median"]}
    res["comparisons"] = comp

    return _finish(res, render(res), args, work)


def _finish(res: dict, report: str | None, args, work: Path) -> int:
    from bench import real

    real_report = real.render(res["real"], res["machine"]["load_before"]) if "real" in res else None
    print("\n".join(r for r in (report, real_report) if r))
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / ("latest-real.json" if args.real_only else "latest.json")).write_text(json.dumps(res, indent=2, default=str) + "\n")
    if args.update_docs:
        if report:
            update_docs(report)
        if real_report:
            update_docs(real_report, "<!-- bench-real:begin -->", "<!-- bench-real:end -->")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    ba = res.get("real", {}).get("before_after")
    if ba and not ba["identical"]:
        print("FINDINGS DIFFER between before and after: " + ", ".join(
            name for name, row in ba["runs"].items() if not row["identical"]), file=sys.stderr)
        return 1
    return 0


def _market_list(text: str) -> list:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    if isinstance(data, dict):
        data = data.get("markets", [])
    return [m for m in data if not (isinstance(m, dict) and m.get("kind") == "global")]


# -- report ----------------------------------------------------------------------------------------------

def _ok(value: float, target: float, lower_is_better: bool = True) -> str:
    met = value <= target if lower_is_better else value >= target
    return "met" if met else "**missed**"


def render(res: dict) -> str:
    m, st, thr = res["machine"], res["startup"], res["throughput"]
    lines = [f"### Results: {m['date']}", "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, {m['os']}, Python {m['python']}, "
             f"spaCy {m.get('spacy', '?')}; load average {m['load_before']:.1f} when the run started. "
             f"Corpus 1×: {res['corpora']['1x']['words']:,} words in {res['corpora']['1x']['files']} files "
             f"({res['corpora']['1x']['bytes'] / 1e6:.1f} MB); rules of `{res['market']}` for one "
             f"market, markets known: {', '.join(res['markets'])}.", ""]
    t = res["targets"]
    peak = res.get("peak_mb_all_markets") or 0.0
    t1 = thr["10x"]
    speedup = t1["jobs2_steady_words_per_s"] / t1["steady_words_per_s"]
    lines += ["| measure | result | target | |", "|---|---|---|---|",
              f"| cold start, one small file, one market (median of {st['cold']['n']}) | {st['cold']['median']:.2f} s "
              f"(min {st['cold']['min']:.2f}) | ≤ {t['cold_start_s']} s | {_ok(st['cold']['median'], t['cold_start_s'])} |",
              f"| floor: `import spacy; spacy.blank('en')('x')` | {st['floor']['median']:.2f} s | | |",
              f"| cold start above the floor | {st['over_floor_s']:+.2f} s | ≤ {t['cold_start_over_floor_s']} s | "
              f"{_ok(st['over_floor_s'], t['cold_start_over_floor_s'])} |",
              f"| first run ever (compiles the packs into the cache) | {st['first_run_s']:.2f} s | | |",
              f"| `culture-lint --version` | {st['version']['median']:.2f} s | | |",
              f"| throughput, one process, 10× corpus, start-up excluded | {t1['steady_words_per_s']:,.0f} words/s | "
              f"≥ {t['words_per_s']:,} | {_ok(t1['steady_words_per_s'], t['words_per_s'], False)} |",
              f"| … start-up included ({res['corpora']['10x']['words']:,} words in {t1['wall']:.2f} s) | "
              f"{t1['words_per_s']:,.0f} words/s | | |",
              f"| … by CPU time instead of wall time, start-up excluded (less sensitive to other load) | "
              f"{t1['cpu_words_per_s']:,.0f} words/s | | |",
              f"| `--jobs 2` speed-up, start-up excluded | {speedup:.2f}× ({t1['jobs2_steady_words_per_s']:,.0f} words/s) | "
              f"≥ {t['jobs2_speedup']}× | {_ok(speedup, t['jobs2_speedup'], False)} |",
              f"| peak memory, every market loaded ({len(res['markets'])}) | {peak:.0f} MB | ≤ {t['peak_mb_all_markets']} MB | "
              f"{_ok(peak, t['peak_mb_all_markets'])} |", ""]
    lines += ["Scaling with input size (one market; time per million words, start-up excluded):", "",
              "| input | words | wall | s per million words |", "|---|---|---|---|"]
    for name, s in res["scaling"].items():
        lines.append(f"| {name} | {s['words']:,} | {s['wall']:.2f} s | {s['s_per_million_words']:.2f} |")
    lines += ["", "Scaling with the number of markets (1× corpus):", "", "| markets | wall | peak memory |",
              "|---|---|---|"]
    for key, s in res["markets_scaling"].items():
        lines.append(f"| {key} ({', '.join(s['markets'])}) | {s['wall']:.2f} s | {s['rss_mb']:.0f} MB |")
    rc = res["results_cache"]
    lines += ["", f"Results cache: the 1× corpus took {rc['first_wall']:.2f} s with an empty cache and "
                  f"{rc['unchanged_wall']:.2f} s unchanged (nothing re-linted).", "",
              "The same 1× corpus through other prose linters (ratios are culture-lint ÷ tool):", "",
              "| tool | wall | words/s | peak memory | start-up | culture-lint is |", "|---|---|---|---|---|---|"]
    ours = res["comparisons"]["culture-lint"]
    for name, s in res["comparisons"].items():
        if s is None:
            lines.append(f"| {name} | not installed | | | | |")
            continue
        ratio = "" if name == "culture-lint" else f"{ours['words_per_s'] / s['words_per_s']:.1f}× the throughput"
        start = f"{s['startup']:.2f} s" if "startup" in s else f"{st['cold']['median']:.2f} s"
        lines.append(f"| {name} | {s['wall']:.2f} s | {s['words_per_s']:,.0f} | {s['rss_mb']:.0f} MB | {start} | {ratio} |")
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def update_docs(report: str, BEGIN: str = BEGIN, END: str = END) -> None:
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text(encoding="utf-8") if doc.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    doc.write_text(f"{head}{BEGIN}\n{report}{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
