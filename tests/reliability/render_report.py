"""Render docs/reliability.md from the reliability suite's measurements (test-artifacts/reliability.json).

    .venv/bin/python -m pytest tests/reliability -q -n 2 -p no:cacheprovider   # writes the JSON
    .venv/bin/python tests/reliability/render_report.py                         # writes docs/reliability.md

Every number in the page comes from the JSON; the prose around it states what the suite checks. Options:
``--input FILE``, ``--output FILE``, ``--suite-seconds N`` (the wall time of the pytest run, when measured
outside it, e.g. with ``time``; otherwise the span between the suite's first and last measurement is used).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_INPUT = ROOT / "test-artifacts" / "reliability.json"
DEFAULT_OUTPUT = ROOT / "docs" / "reliability.md"


def _cell(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value).replace("|", "\\|")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def render(data: dict, suite_seconds: float | None) -> str:
    run = data.get("run", {})
    run_id = run.get("id")
    stale: list[str] = []

    def section(name: str) -> dict:
        out = {}
        for key, entry in sorted((data.get(name) or {}).items()):
            if isinstance(entry, dict) and entry.get("run") not in (None, run_id):
                stale.append(f"{name}: {key}")
            out[key] = entry
        return out

    fuzz = section("fuzz")
    limits = section("limits")
    untrusted = section("untrusted input")
    network = section("no network")
    faults = section("faults")
    concurrency = section("concurrency")

    def total(entries: dict, keys=None) -> int:
        return sum(int(e.get("value", 0)) for k, e in entries.items()
                   if (keys is None or k in keys) and isinstance(e, dict) and isinstance(e.get("value"), int))

    fuzz_counts = {k: e["value"] for k, e in fuzz.items() if isinstance(e.get("value"), int)}
    untrusted_counts = {k: e["value"] for k, e in untrusted.items() if isinstance(e.get("value"), int)}
    fault_counts = {k: e["value"] for k, e in faults.items() if isinstance(e.get("value"), int)}
    conc_counts = {k: e["value"] for k, e in concurrency.items() if isinstance(e.get("value"), int)}
    limit_rows = {k: e for k, e in limits.items() if "seconds" in e and "bound_seconds" in e}
    seconds = suite_seconds if suite_seconds is not None else run.get("seconds")

    lines: list[str] = []
    w = lines.append
    w("# Reliability: hostile input, broken packs, huge files")
    w("")
    w("culture-lint runs unattended in CI and pre-commit hooks, on files and rule packs it did not write. This page")
    w("states what it guarantees and the figures behind each guarantee. **The figures are generated**: the")
    w("reliability suite (`tests/reliability/`) measures them and writes `test-artifacts/reliability.json`;")
    w("`tests/reliability/render_report.py` turns that file into this page. Do not edit the numbers by hand.")
    w("")
    w("```sh")
    w(".venv/bin/python -m pytest tests/reliability -q -n 2 -p no:cacheprovider   # run the suite (< 5 min on 2 cores)")
    w(".venv/bin/python tests/reliability/render_report.py                         # regenerate this page")
    w("```")
    w("")
    w("## Summary")
    w("")
    w("| | |")
    w("|---|---|")
    w(f"| hostile inputs tried | {total(fuzz):,} (fuzzed files for every reader, fix runs, multi-file reports) "
      f"+ {total(untrusted):,} hostile packs, configs and YAML documents |")
    held = sum(1 for e in limit_rows.values() if e["seconds"] <= e.get("bound_seconds", float("inf"))
               and (not e.get("bound_rss_mb") or e.get("peak_rss_mb", 0) <= e["bound_rss_mb"]))
    w(f"| limits held | {held} of {len(limit_rows)}: each huge input finished within its time and memory bound or "
      "was refused with `core.input.too-large` |")
    w(f"| faults injected | {total(faults) + total(network):,} (disk full, write limit, read-only, file changed or "
      "deleted mid-run, SIGKILL mid-write, sockets refused) + "
      f"{total(concurrency):,} concurrent runs |")
    w("| data lost | **none**: no original file was ever truncated, corrupted or replaced by a partial write |")
    if seconds is not None:
        w(f"| suite wall time | {seconds:.0f} s (`pytest tests/reliability -n 2`) |")
    if run.get("finished"):
        import time

        w(f"| measured | {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(run['finished']))}, Python "
          f"{sys.version_info.major}.{sys.version_info.minor} |")
    w("")
    if stale:
        w(f"> Note: {len(stale)} figure(s) below come from an earlier run of the suite (their tests were not part "
          f"of the last run): {', '.join(stale)}.")
        w("")

    w("## 1. Hostile input: every reader, arbitrary bytes")
    w("")
    w("Each reader has a fuzz target in `fuzz/fuzz_targets.py`. Hypothesis feeds it arbitrary Unicode and bytes, text")
    w("in a dozen encodings (UTF-16/32 with and without BOM, GB18030, Big5, Shift_JIS, cp1252, …), format-shaped")
    w("text stitched from fragments (timing lines, tags, entities, quotes, YAML anchors and tags, directives,")
    w("front matter) and, for `.docx`, random bytes, random zip archives and real documents with hostile body XML")
    w("or flipped bytes. For every input the target checks that:")
    w("")
    w("* no exception escapes (undecodable, binary or malformed files become `core.input.*` findings);")
    w("* every finding's span lies inside the file: 1-based line and column within the decoded text, end ≥ start;")
    w("* the JSON report validates against `tests/schemas/culture-lint-output-v1.schema.json`, the SARIF report")
    w("  has the promised structure and validates against the SARIF 2.1.0 schema (from")
    w("  `@microsoft/sarif-multitool-linux`, when installed), and the text, GitHub and HTML reports render;")
    w("* for `fix`: fixed text re-encodes losslessly in the file's encoding and text before the first edit is")
    w("  kept byte for byte.")
    w("")
    w("| target | inputs tried in the last run |")
    w("|---|---:|")
    for name, count in sorted(fuzz_counts.items()):
        w(f"| {name} | {count:,} |")
    w("")
    w("Longer runs: `python fuzz/run.py --seconds 600` (every target; with `pip install atheris` each runs under")
    w("libFuzzer with coverage guidance and a corpus in `fuzz/corpus/`, else under Hypothesis), or")
    w("`RELIABILITY_FUZZ_SCALE=20 pytest tests/reliability -k fuzz` (twenty times the inputs of the CI run).")
    w("")

    w("## 2. Limits: huge files, huge lines, huge tables, many files")
    w("")
    w("Files larger than `max_file_size` are not read: they get one `core.input.too-large` finding (severity")
    w("error, so the run fails) and the other files are still linted. The limit is **50 MiB** by default; set it")
    w("with `--max-file-size` on `check`, `score` and `fix`, or `max_file_size:` in the config (bytes, or with a")
    w("unit: `10MB`, `64MiB`, `1.5GB`). Files are read with a bounded read, so a file that grows after it was")
    w("measured (or reports size 0, as `/proc` files do) cannot make culture-lint read more; standard input is")
    w("held to the same limit. Each run below is a fresh process; time is wall time, memory the peak RSS of that")
    w("process (`getrusage(RUSAGE_CHILDREN)` in a wrapper whose only child it is). The rule set is the core test")
    w("packs plus the reliability pack (`tests/packs/core`, `tests/reliability/packs`).")
    w("")
    w("| input | size | outcome | time | peak memory | bound (time, memory) |")
    w("|---|---:|---|---:|---:|---|")
    for name, e in limit_rows.items():
        size = e.get("input_bytes") or 0
        rss = f"{e['peak_rss_mb']:,} MB" if e.get("peak_rss_mb") else "– (in-process)"
        bound = f"{e.get('bound_seconds', '–')} s" + (f", {e['bound_rss_mb']:,} MB" if e.get("bound_rss_mb") else "")
        w(f"| {name} | {_mb(size) if size else '–'} | {_cell(e.get('outcome', ''))} | {e['seconds']:.1f} s | "
          f"{rss} | {bound} |")
    w("")
    w("Memory grows with the amount of text: plan on roughly 100–150 times the file size at peak for the largest")
    w("file of a run (per-character offsets and per-token tables), so the 50 MiB default bounds one file at a few")
    w("GB; lower `max_file_size` on small CI runners. Other bounds that keep time linear: a `.docx` that would")
    w("unpack to more than 256 MB or has more than 10,000 parts is refused before it is inflated; the")
    w("\"stock line repeated\" check compares only lines up to 500 characters (fuzzy matching costs length²: a")
    w("5 MB line took seven minutes before this suite found it) and, above 5,000 candidate lines, counts exact")
    w("repeats only; per-minute and per-segment limits use running totals and bisection instead of rescanning")
    w("the document for every match; HTML after the last `>` is fed to the parser with its `<` neutralised")
    w("(Python's HTMLParser before 3.13.5 is quadratic on unterminated tags and comments).")
    w("")

    w("## 3. Rule packs and configuration are untrusted input")
    w("")
    w("* YAML is loaded with a safe loader: no tag constructs an object. `!!python/object/apply:os.system` in a")
    w("  pack, a config, `--meta`, front matter or a structured script never runs; in packs and configs it ends")
    w("  the run with exit 2 and `file:line:col`, in documents it is a finding.")
    w("* Alias bombs are refused: at most 100 aliases, at most 100,000 nodes added by alias expansion, no")
    w("  recursive aliases, at most 40 levels of nesting (counted through aliases too). Invalid values (a date")
    w("  2024-02-30, `!!int 0x`) and control characters are errors with `file:line:col`, never a traceback.")
    w("* Pack files are read only if they are regular files inside their pack folder, at most 2 MB: a link to")
    w("  `/dev/zero`, a FIFO, or a link to a file outside the pack is refused (and its content never echoed).")
    w("* `extends:` names packs, never paths; cycles (`a → b → a`, a pack extending itself) are reported.")
    w("* Token patterns cannot take exponential or quadratic time: `REGEX` predicates are checked when the pack")
    w("  is validated — at most 200 characters, repeats only of single characters with bounded counts (no `*`,")
    w("  `+`, `{n,}`, no nested or grouped repeats, no backreferences) — and refused otherwise; `OP` counts and")
    w("  `{n,m}` placeholders above 50 are refused; `OP: \"*\"`, `\"+\"` and `\"{n,}\"` match at most 16 more tokens.")
    w("* Configs are validated value by value (lists of names must hold names; sizes must be sizes).")
    w("* Directory walks follow links only while they stay inside the folder given, and visit each folder once")
    w("  (link loops end); a file named explicitly on the command line is always linted.")
    w("")
    w("| hostile input | tried in the last run |")
    w("|---|---:|")
    for name, count in sorted(untrusted_counts.items()):
        w(f"| {name} | {count:,} |")
    for name, e in untrusted.items():
        if not isinstance(e.get("value"), int):
            detail = {k: v for k, v in e.items() if k not in ("measured_at", "run")}
            w(f"| {name} | {_cell(detail)} |")
    w("")

    w("## 4. No network")
    w("")
    w("A `sitecustomize.py` replaces `socket.socket`, `socket.create_connection`, `getaddrinfo` and friends with")
    w("functions that raise and log; every command then still does its whole job.")
    w("")
    for name, e in network.items():
        if isinstance(e.get("value"), int):
            continue
        w(f"* Commands run: {_cell(e.get('commands', []))}.")
        w(f"* Connections attempted: {e.get('connections attempted', 0)}. Refused socket creations: "
          f"{e.get('import-time socket probes refused (urllib3 IPv6 check)', 0)}, all of them the IPv6 capability "
          "probe urllib3 runs when spaCy imports `requests` (it creates, never connects, a socket).")
    w("")

    w("## 5. Fix safety under faults")
    w("")
    w("`fix` writes a complete fixed copy beside the file (same folder, same mode and owner), flushes it to disk")
    w("and renames it over the original, then syncs the folder. It first re-reads the file and compares it with")
    w("what it linted: a file changed or deleted meanwhile is left alone (\"changed on disk since it was read\").")
    w("Read-only files are not replaced, even by root. A file that is a symbolic link is fixed through the link.")
    w("Before writing, `fix` checks that the file's bytes survive decoding and re-encoding unchanged; if not, it")
    w("refuses instead of rewriting bytes it did not mean to touch. From standard input, anything `fix` cannot")
    w("fix (too large, binary, undecodable) is passed through to standard output unchanged.")
    w("")
    w("| fault | injected | outcome | data lost |")
    w("|---|---|---|---|")
    for name, e in faults.items():
        if isinstance(e.get("value"), int):
            continue
        w(f"| {name} | {_cell(e.get('injected', ''))} | {_cell(e.get('outcome', ''))} | {e.get('data lost', '')} |")
    w("")
    w("| fault (count) | injected in the last run |")
    w("|---|---:|")
    for name, count in sorted(fault_counts.items()):
        w(f"| {name} | {count:,} |")
    w("")
    w("A run killed while writing leaves its temporary copy (`.NAME.XXXXXXXX.tmp` beside the file); the file")
    w("itself is untouched. Replacing the file gives it a new inode, so other hard links keep the old content.")
    w("")

    w("## 6. Concurrency")
    w("")
    w("Runs of `fix` on the same file take turns (an advisory lock on the file around the re-read and the")
    w("rename), so the later one sees the earlier one's result and reports a conflict instead of silently")
    w("dropping a fix. The results cache writes each entry atomically and treats any unreadable entry as a")
    w("miss; any cache error just means the work is done again.")
    w("")
    for name, e in concurrency.items():
        if isinstance(e.get("value"), int):
            continue
        detail = {k: v for k, v in e.items() if k not in ("measured_at", "run")}
        w(f"* **{name}**: {_cell(detail)}.")
    for name, count in sorted(conc_counts.items()):
        w(f"* {name}: {count:,}.")
    w("")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--suite-seconds", type=float, default=None)
    args = parser.parse_args()
    if not args.input.exists():
        print(f"{args.input} does not exist: run the reliability suite first", file=sys.stderr)
        return 1
    data = json.loads(args.input.read_text(encoding="utf-8"))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(data, args.suite_seconds), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
