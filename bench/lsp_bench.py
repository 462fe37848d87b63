"""Language-server latency and memory: `culture-lint lsp` driven over stdio by a raw JSON-RPC client.

    python bench/lsp_bench.py                 # about 4 minutes; prints the table for docs/performance.md
    python bench/lsp_bench.py --edits 50 --memory-edits 500   # a quick run
    python bench/lsp_bench.py --table result.json             # the docs/performance.md table of a saved run

Measured (docs/performance.md, "Language server"):
* first diagnostics for a newly opened file: a fresh server (compiled-pack cache on disk warm), didOpen → the
  first publishDiagnostics; and a second new file in the same server (linter already built);
* after a one-line edit in a 10,000-word script: didChange → the first publishDiagnostics for that version,
  minus the debounce (150 ms), over many edits (median, p95, max); the full pass that follows, too;
* memory: the server's resident set size (VmRSS) every 1,000 edits over 10,000 edits sent back to back.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402


FULL_DELAY_MS = 50  # the server's default wait before the exact pass that follows an edit


class Server:
    def __init__(self, debounce_ms: int, full_delay_ms: int):
        self.proc = subprocess.Popen([sys.executable, "-m", "culture_lint", "lsp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.cond = threading.Condition()
        self.events: list[tuple[float, dict]] = []
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {"capabilities": {}, "initializationOptions": {
            "cultureLint": {"debounceMs": debounce_ms, "fullDelayMs": full_delay_ms}}})
        self.notify("initialized", {})

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                elif line in (b"\r\n", b"\n") and length is not None:
                    break
            msg = json.loads(out.read(length))
            with self.cond:
                self.events.append((time.perf_counter(), msg))
                self.cond.notify_all()

    def send(self, msg: dict) -> float:
        body = json.dumps(msg).encode()
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        self.proc.stdin.flush()
        return time.perf_counter()

    def notify(self, method: str, params: dict) -> float:
        return self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: dict) -> dict:
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m)[1]

    def wait(self, pred, timeout: float = 120.0) -> tuple[float, dict]:
        deadline = time.perf_counter() + timeout
        with self.cond:
            while True:
                for i, (t, m) in enumerate(self.events):
                    if pred(m):
                        del self.events[:i + 1]
                        return t, m
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError("no answer from the server")
                self.cond.wait(left)

    def diagnostics(self, uri: str, version: int):
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri and m["params"].get("version") == version)

    def full(self, uri: str, version: int):
        return self.wait(lambda m: m.get("method") == "cultureLint/score" and m["params"]["uri"] == uri
                         and m["params"].get("version") == version)

    def cpu_ms(self) -> float:
        """CPU time the server process has used (user + system), from /proc: what the work costs, whatever
        the machine's load (the wall-clock latency also holds the time spent waiting for a core)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def close(self):
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.proc.wait(10)
        except Exception:
            self.proc.kill()


def open_doc(server: Server, path: Path, text: str) -> tuple[str, float]:
    uri = path.as_uri()
    sent = server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "plaintext",
                                                                   "version": 1, "text": text}})
    t, _msg = server.diagnostics(uri, 1)
    return uri, (t - sent) * 1000


def edit(server: Server, uri: str, version: int, lines: list[str], rng: random.Random) -> float:
    i = rng.randrange(4, len(lines) - 1)
    new = lines[i].rstrip() + rng.choice([" Really.", " 真的。", " It burns belly fat!", " 😀"])
    old_len = len(lines[i].encode("utf-16-le")) // 2
    lines[i] = new
    return server.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": {"start": {"line": i, "character": 0}, "end": {"line": i, "character": old_len}},
                            "text": new}]})


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def table(result: dict) -> str:
    """The docs/performance.md table for a saved result (``--table result.json``): numbers copied, not typed."""
    inc, full, cpu = result["incremental_ms"], result["full_pass_ms"], result.get("server_cpu_ms_per_edit", {})
    start, end, peak = result.get("rss_mib_start_end_peak", [result["rss_mib"][0], result["rss_mib"][-1],
                                                             max(result["rss_mib"])])
    loads = f"{result['load_average']}" + (f" → {result['load_average_end']}" if "load_average_end" in result else "")
    rows = [
        ("diagnostics after a one-line edit (quick pass), after the debounce, wall clock", "≤ 30 ms p95",
         f"median {inc['median']} ms, p95 {inc['p95']} ms, max {inc['max']} ms"),
        ("server CPU time per edit: quick pass / exact pass that follows", "—",
         f"{cpu.get('incremental', '–')} ms / {cpu.get('exact_pass', '–')} ms"),
        (f"exact pass ({FULL_DELAY_MS} ms after the quick one; document-tier rules, segments from the cache), wall clock",
         "—", f"median {full['median']} ms, p95 {full['p95']} ms"),
        ("first diagnostics for a newly opened file, server running, compiled packs cached", "≤ 300 ms",
         f"{result['second_open_ms']} ms"),
        ("first diagnostics in a freshly started server (Python, spaCy, packs and both tiers built then)", "—",
         f"{result['first_open_ms']} ms"),
        (f"server memory (VmRSS) over {result['memory_edits']:,} edits sent back to back", "flat",
         f"start {start} MiB, end {end} MiB, peak {peak} MiB; every 1,000 edits: "
         + ", ".join(str(x) for x in result["rss_mib"])),
    ]
    out = [f"{result['words']:,}-word script, {result['edits']} timed edits, load average {loads} (2 cores)", "",
           "| measurement | target | result |", "|---|---|---|"]
    out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(out)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--table":
        print(table(json.loads(Path(sys.argv[2]).read_text())))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--edits", type=int, default=200, help="one-line edits timed (default 200)")
    ap.add_argument("--memory-edits", type=int, default=10_000, help="edits for the memory run (default 10,000)")
    ap.add_argument("--words", type=int, default=10_000)
    ap.add_argument("--debounce", type=int, default=150)
    args = ap.parse_args()
    rng = random.Random(7)
    text = "---\nmarket: us\n---\n" + corpus.script_txt(random.Random(3), args.words, 1 / 12)
    words = corpus.count_words(text)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        path, other = Path(tmp) / "show.txt", Path(tmp) / "other.txt"
        warm = Server(args.debounce, 400)  # fills the compiled-pack cache on disk if it is cold
        open_doc(warm, other, text)
        warm.close()

        server = Server(args.debounce, FULL_DELAY_MS)
        uri, first_open = open_doc(server, path, text)
        _uri2, second_open = open_doc(server, other, text)
        lines = text.split("\n")
        incremental, full, cpu_quick, cpu_full = [], [], 0.0, 0.0
        for k in range(args.edits):
            version = k + 2
            c0 = server.cpu_ms()
            sent = edit(server, uri, version, lines, rng)
            t, _ = server.diagnostics(uri, version)
            c1 = server.cpu_ms()
            incremental.append((t - sent) * 1000 - args.debounce)
            t2, _ = server.full(uri, version)
            full.append((t2 - t) * 1000 - FULL_DELAY_MS)
            cpu_quick += c1 - c0
            cpu_full += server.cpu_ms() - c1
        server.close()
        print(json.dumps({"first_open_ms": round(first_open, 1), "second_open_ms": round(second_open, 1),
                          "incremental_ms": sorted(round(x, 1) for x in incremental)}), file=sys.stderr, flush=True)

        server = Server(0, 20)
        uri, _ = open_doc(server, path, text)
        lines = text.split("\n")
        rss = [server.rss_kib()]
        peak = rss[0]
        for k in range(args.memory_edits):
            version = k + 2
            edit(server, uri, version, lines, rng)
            server.diagnostics(uri, version)
            if (k + 1) % 100 == 0:
                peak = max(peak, server.rss_kib())
            if (k + 1) % 1000 == 0 or k + 1 == args.memory_edits:
                rss.append(server.rss_kib())
        server.close()
    result = {
        "words": words, "load_average": round(load, 2), "load_average_end": round(os.getloadavg()[0], 2), "edits": args.edits, "debounce_ms": args.debounce,
        "first_open_ms": round(first_open, 1), "second_open_ms": round(second_open, 1),
        "incremental_ms": {"median": round(statistics.median(incremental), 1), "p95": round(pct(incremental, 95), 1),
                           "max": round(max(incremental), 1)},
        "full_pass_ms": {"median": round(statistics.median(full), 1), "p95": round(pct(full, 95), 1)},
        "server_cpu_ms_per_edit": {"incremental": round(cpu_quick / args.edits, 1),
                                   "exact_pass": round(cpu_full / args.edits, 1)},
        "memory_edits": args.memory_edits, "rss_mib": [round(r / 1024, 1) for r in rss],
        "rss_mib_start_end_peak": [round(rss[0] / 1024, 1), round(rss[-1] / 1024, 1), round(max(peak, *rss) / 1024, 1)],
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
