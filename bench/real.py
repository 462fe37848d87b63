"""The real-prose part of the benchmark (issue 16): real text, never repeated, and the worst cases.

Called by ``bench/run.py`` (``--real-only`` runs just this part). Measures, each in a fresh child process:

- English real prose (``bench/realcorpus.py``) with ``-m us``, one process, start-up taken out; proselint
  (uncapped: ``max_errors`` raised) on the same file in the same run;
- the same file with every market at once (words/s and peak memory);
- Chinese real prose (Debian's Chinese manual pages) in characters/s;
- ``--jobs 2`` against one process on the English prose split into files;
- the worst cases: one line of flagged wording and an unpunctuated transcript, at 5 MB and 10 MB (time,
  memory, and the ratio of the two: linear means 2×);
- cold start with the pack cache warm, beside ``python -c pass`` and proselint's start-up;
- before/after: the code of ``--baseline`` (a git revision) and this checkout's code, both with the
  baseline's rule packs, on the same corpora in the same run: speed ratio, and the findings must be
  identical (the run fails otherwise).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

BASELINE = "e9956f6"  # main before issue 16's changes
REAL_TARGETS = {
    "english_words_per_s": 300_000,
    "vs_proselint": 10.0,
    "all_markets_words_per_s": 100_000,
    "chinese_chars_per_s": 300_000,
    "jobs2_speedup": 1.8,
    "flagged_5mb_s": 30.0,
    "flagged_5mb_mb": 1024,
    "transcript_5mb_s": 10.0,
    "doubling_max": 2.4,  # doubling the input at most doubles the time (±20 %)
    "cold_start_s": 0.5,
    "all_markets_peak_mb": 300,
}


def _findings(path: Path) -> list:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(f["path"], sorted(json.dumps(x, sort_keys=True) for x in f["findings"])) for f in data["files"]]


def _tree(work: Path, name: str, code: Path | None, rev: str) -> Path:
    """A source tree: ``rev``'s files, with ``code`` (this checkout's culture_lint) in place of its code."""
    tree = work / name
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    if code is not None:
        shutil.rmtree(tree / "culture_lint")
        shutil.copytree(code, tree / "culture_lint", ignore=shutil.ignore_patterns("__pycache__"))
    return tree


def measure(run, repeat, work: Path, env: dict, cl: list[str], tools: dict, quick: bool, baseline: str | None,
            markets: list[str]) -> dict:
    """Every real-prose measurement; ``run``/``repeat`` are bench/run.py's child runners."""
    sys.path.insert(0, str(ROOT))
    from bench.corpus import count_words
    from bench.realcorpus import english, write_all

    mb = 0.5 if quick else 5
    corp = write_all(work / "real", transcript_mb=mb, flagged_mb=mb)
    en, zh = corp["english.txt"], corp["chinese.txt"]
    en_text = en.read_text(encoding="utf-8")
    res: dict = {"english": {"path": str(en), "words": count_words(en_text), "bytes": en.stat().st_size}}
    zh_text = zh.read_text(encoding="utf-8")
    res["chinese"] = {"chars": sum(1 for ch in zh_text if "\u3400" <= ch <= "\u9fff"), "bytes": zh.stat().st_size,
                      "words": count_words(zh_text)}
    out = str(work / "real-out.json")
    json_out = ["--no-cache", "-f", "json", "-o", out]

    # start-up: one small file, pack cache warm
    small = work / "real-small.txt"
    small.write_text("This tea cures diabetes.\n", encoding="utf-8")
    reps = 3 if quick else 9
    run(cl + [str(small), "-m", "us"] + json_out, env=env)  # fills the pack cache
    cold = repeat(cl + [str(small), "-m", "us"] + json_out, reps, env=env)
    floor = repeat([sys.executable, "-c", "pass"], reps)
    res["startup"] = {"cold": cold["median"], "cold_min": cold["min"], "python": floor["median"]}
    cl_all = cl + [str(small), "-m", ",".join(markets)] + json_out
    run(cl_all, env=env)
    res["startup"]["all_markets"] = repeat(cl_all, 3, env=env)["median"]

    # English, one market, one process; all markets
    r = run(cl + [str(en), "-m", "us"] + json_out, env=env)
    net = max(1e-9, r["wall"] - cold["median"])
    res["english"].update(wall=r["wall"], cpu=r["cpu"], rss_mb=r["rss_mb"], words_per_s=res["english"]["words"] / net,
                          findings=sum(len(f) for _p, f in _findings(Path(out))))
    r = run(cl + [str(en), "-m", ",".join(markets)] + json_out, env=env)
    net = max(1e-9, r["wall"] - res["startup"]["all_markets"])
    res["english_all"] = {"wall": r["wall"], "cpu": r["cpu"], "rss_mb": r["rss_mb"],
                          "words_per_s": res["english"]["words"] / net, "markets": len(markets)}

    # proselint, uncapped, same file
    if tools.get("proselint"):
        cfg = work / "proselintrc.json"
        cfg.write_text(json.dumps({"max_errors": 100_000_000}), encoding="utf-8")
        cmd = [tools["proselint"][0], "--config", str(cfg), "check"]
        p_start = repeat(cmd + [str(small)], 3, env=env, ok=tuple(range(256)))
        p = run(cmd + [str(en)], env=env, ok=tuple(range(256)))
        res["proselint"] = {"wall": p["wall"], "rss_mb": p["rss_mb"], "startup": p_start["median"],
                            "words_per_s": res["english"]["words"] / max(1e-9, p["wall"] - p_start["median"])}

    # Chinese
    r = run(cl + [str(zh), "-m", "us"] + json_out, env=env)
    net = max(1e-9, r["wall"] - cold["median"])
    res["chinese"].update(wall=r["wall"], cpu=r["cpu"], rss_mb=r["rss_mb"], chars_per_s=res["chinese"]["chars"] / net)

    # --jobs 2 on the English prose split into files
    split = work / "real-english-files"
    if not split.exists():
        split.mkdir()
        lines = en_text.splitlines(keepends=True)
        size = max(1, len(lines) // 40)
        for i in range(0, len(lines), size):
            (split / f"part-{i // size:03d}.txt").write_text("".join(lines[i:i + size]), encoding="utf-8")
    one = run(cl + [str(split), "-m", "us"] + json_out, env=env)
    two = run(cl + [str(split), "-m", "us", "--jobs", "2"] + json_out, env=env)
    res["jobs2"] = {"one": one["wall"], "two": two["wall"],
                    "speedup": max(1e-9, one["wall"] - cold["median"]) / max(1e-9, two["wall"] - cold["median"])}

    # worst cases, at two sizes
    worst = {}
    for name, market in (("flagged", "gb"), ("transcript", "us")):
        for mult in (1, 2):
            path = corp[f"{name}-{mb * mult:g}mb"]
            r = run(cl + [str(path), "-m", market] + json_out, env=env)
            worst[f"{name}-{mult}"] = {"mb": mb * mult, "wall": r["wall"], "cpu": r["cpu"], "rss_mb": r["rss_mb"],
                                       "findings": sum(len(f) for _p, f in _findings(Path(out)))}
    res["worst"] = worst

    # before/after: the baseline's code against this checkout's, both with the baseline's packs
    if baseline:
        res["before_after"] = before_after(run, work, env, baseline, corp, count_words, english)
    return res


def before_after(run, work: Path, env: dict, baseline: str, corp: dict, count_words, english) -> dict:
    from bench.realcorpus import flagged_line, transcript

    before = _tree(work, "before", None, baseline)
    after = _tree(work, "after", ROOT / "culture_lint", baseline)
    small = work / "real" / "identity"
    small.mkdir(parents=True, exist_ok=True)
    files = {"english": corp["english.txt"], "chinese": corp["chinese.txt"]}
    for name, make in (("transcript-1mb", lambda: transcript(1_000_000)), ("flagged-200kb", lambda: flagged_line(200_000))):
        path = small / f"{name}.txt"
        if not path.exists():
            path.write_text(make(), encoding="utf-8")
        files[name] = path
    gen = work / "corpus-1x"
    out: dict = {"baseline": baseline, "runs": {}}
    identical = True
    sides = {}
    for side, tree in (("before", before), ("after", after)):
        sides[side] = dict(env, PYTHONPATH=str(tree), CULTURE_LINT_CACHE_DIR=str(work / f"cache-{side}"))
        warm = small / "warm.txt"
        warm.write_text("This tea cures diabetes.\n", encoding="utf-8")
        run([sys.executable, "-m", "culture_lint", "check", "--no-config", str(warm), "-m", "us", "--no-cache",
             "-f", "json", "-o", str(work / "ba-warm.json")], env=sides[side], cwd=work)  # each side's pack cache
    for name, path in list(files.items()) + ([("generated-1x", gen)] if gen.exists() else []):
        row = {}
        results = {}
        for side in ("before", "after"):
            side_env = sides[side]
            target = work / f"ba-{side}.json"
            cmd = [sys.executable, "-m", "culture_lint", "check", "--no-config", str(path), "-m", "us", "--no-cache",
                   "-f", "json", "-o", str(target)]
            if path.is_dir():
                cmd += ["--include", "*.txt", "--include", "*.md", "--include", "*.srt", "--include", "*.csv"]
            r = run(cmd, env=side_env, cwd=work)
            row[side] = {"wall": r["wall"], "cpu": r["cpu"], "rss_mb": r["rss_mb"]}
            results[side] = _findings(target)
        row["findings"] = sum(len(f) for _p, f in results["after"])
        row["identical"] = results["before"] == results["after"]
        identical &= row["identical"]
        row["speedup"] = row["before"]["wall"] / max(1e-9, row["after"]["wall"])
        row["cpu_speedup"] = row["before"]["cpu"] / max(1e-9, row["after"]["cpu"])
        out["runs"][name] = row
    out["identical"] = identical
    return out


def _ok(value: float, target: float, lower_is_better: bool = True) -> str:
    met = value <= target if lower_is_better else value >= target
    return "met" if met else "**missed**"


def render(res: dict, load: float) -> str:
    t = REAL_TARGETS
    en, zh, st = res["english"], res["chinese"], res["startup"]
    lines = ["#### Real prose (issue 16)", "",
             f"English: {en['words']:,} words ({en['bytes'] / 1e6:.1f} MB) of the Python documentation topics, "
             f"Debian's licence texts and the standard library's docstrings, nothing repeated, a livestream line with "
             f"claims every 20 lines. Chinese: {zh['chars']:,} Chinese characters ({zh['bytes'] / 1e6:.1f} MB) of "
             f"Debian's Chinese manual pages (`manpages-zh`). Load average {load:.1f} when the run started; "
             f"CPU seconds are shown beside wall seconds because other jobs share the two cores.", "",
             "| measure | result | target | |", "|---|---|---|---|"]
    lines.append(f"| English, `-m us`, one process, start-up excluded | {en['words_per_s']:,.0f} words/s "
                 f"({en['wall']:.2f} s wall, {en['cpu']:.2f} s CPU, {en['rss_mb']:.0f} MB, {en['findings']:,} findings) | "
                 f"≥ {t['english_words_per_s']:,} | {_ok(en['words_per_s'], t['english_words_per_s'], False)} |")
    p = res.get("proselint")
    if p:
        ratio = en["words_per_s"] / p["words_per_s"]
        lines.append(f"| … proselint 0.16 uncapped, same file, start-up excluded | {p['words_per_s']:,.0f} words/s "
                     f"({p['wall']:.2f} s, {p['rss_mb']:.0f} MB); culture-lint is {ratio:.1f}× | ≥ {t['vs_proselint']:g}× | "
                     f"{_ok(ratio, t['vs_proselint'], False)} |")
    ea = res["english_all"]
    lines.append(f"| English, all {ea['markets']} markets at once, start-up excluded | {ea['words_per_s']:,.0f} words/s "
                 f"({ea['wall']:.2f} s wall, {ea['cpu']:.2f} s CPU) | ≥ {t['all_markets_words_per_s']:,} | "
                 f"{_ok(ea['words_per_s'], t['all_markets_words_per_s'], False)} |")
    lines.append(f"| … peak memory, all markets | {ea['rss_mb']:.0f} MB | ≤ {t['all_markets_peak_mb']} MB | "
                 f"{_ok(ea['rss_mb'], t['all_markets_peak_mb'])} |")
    lines.append(f"| Chinese, `-m us`, start-up excluded | {zh['chars_per_s']:,.0f} characters/s ({zh['wall']:.2f} s wall, "
                 f"{zh['cpu']:.2f} s CPU) | ≥ {t['chinese_chars_per_s']:,} | "
                 f"{_ok(zh['chars_per_s'], t['chinese_chars_per_s'], False)} |")
    j = res["jobs2"]
    lines.append(f"| `--jobs 2` on the English prose in 40 files, start-up excluded | {j['speedup']:.2f}× "
                 f"({j['one']:.2f} s → {j['two']:.2f} s) | ≥ {t['jobs2_speedup']}× | "
                 f"{_ok(j['speedup'], t['jobs2_speedup'], False)} |")
    for name, label, target in (("flagged", "one line of flagged wording (`slimming tea` repeated), `-m gb`",
                                 t["flagged_5mb_s"]),
                                ("transcript", "an unpunctuated transcript, `-m us`", t["transcript_5mb_s"])):
        a, b = res["worst"][f"{name}-1"], res["worst"][f"{name}-2"]
        ratio = b["wall"] / max(1e-9, a["wall"])
        lines.append(f"| {a['mb']:g} MB, {label} | {a['wall']:.2f} s wall, {a['cpu']:.2f} s CPU, {a['rss_mb']:.0f} MB, "
                     f"{a['findings']:,} findings | < {target:g} s | {_ok(a['wall'], target)} |")
        lines.append(f"| … {b['mb']:g} MB (doubled) | {b['wall']:.2f} s ({ratio:.2f}× the time, "
                     f"{b['cpu'] / max(1e-9, a['cpu']):.2f}× the CPU), {b['rss_mb']:.0f} MB | ≤ {t['doubling_max']}× | "
                     f"{_ok(ratio, t['doubling_max'])} |")
    lines.append(f"| cold start, one small file, pack cache warm (median) | {st['cold']:.2f} s (min {st['cold_min']:.2f}) | "
                 f"≤ {t['cold_start_s']} s | {_ok(st['cold'], t['cold_start_s'])} |")
    lines.append(f"| … `python -c pass` | {st['python']:.2f} s | | |")
    if p:
        lines.append(f"| … proselint's start-up | {p['startup']:.2f} s | | |")
    lines.append(f"| … all markets | {st['all_markets']:.2f} s | | |")
    ba = res.get("before_after")
    if ba:
        lines += ["", f"Before and after, in the same run: the code of `{ba['baseline']}` (before) and of this checkout "
                      f"(after), both with `{ba['baseline']}`'s rule packs, `-m us`, one process each:", "",
                  "| corpus | before | after | speed-up (wall, CPU) | findings | identical |", "|---|---|---|---|---|---|"]
        for name, row in ba["runs"].items():
            lines.append(f"| {name} | {row['before']['wall']:.2f} s | {row['after']['wall']:.2f} s | "
                         f"{row['speedup']:.2f}×, {row['cpu_speedup']:.2f}× | {row['findings']:,} | "
                         f"{'yes' if row['identical'] else '**no**'} |")
    return "\n".join(lines) + "\n"
