"""Bench for `culture-lint live` (docs/performance.md, "Live mode"). Not a test: it measures.

1. latency: one WebSocket stream at 10 captions/s into a real `culture-lint live` process; for every alert, the
   time from sending the final caption that completed its sentence to reading the alert on the process's
   standard output (JSON lines). p50/p95/p99/max.
2. concurrency: 20 streams (20 WebSocket clients, one track each) at 10 captions/s each into one process; the
   same latency, split into the first and the last third of the run (falling behind shows as growing latency),
   and events logged vs events sent.
3. memory: a simulated 4-hour show (2 captions/s, about 29,000 captions) through the live session in-process,
   RSS every simulated 15 minutes, then the post-show lint of the whole transcript.

    python bench/live_bench.py [--seconds 60] [--streams 20] [--hours 4] [--update-docs]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from culture_lint.live.simulate import cues_of, fragments  # noqa: E402
from culture_lint.models import format_timestamp  # noqa: E402

EXAMPLES = ["sa-ramadan-beauty-draft.srt", "sa-eid-fragrance-live.srt", "gb-fashion-live.vtt"]


def caption_stream(track: str, rate: float, seconds: float):
    """ASR-like finals (3 words, the cue's end punctuation kept on its last piece) at ``rate`` per second, looping
    over the example scripts; yields (event dict, sentence start time or None when it does not end a sentence)."""
    cues = []
    for name in EXAMPLES:
        for start, end, text in cues_of(str(ROOT / "examples" / name)):
            cues.append(text)
    n = 0
    k = 0
    while n < rate * seconds:
        text = cues[k % len(cues)]
        k += 1
        evs = [e for e in fragments([(0.0, 1.0, text)], track, partials=False, split_words=False)]
        first_t = None
        for i, e in enumerate(evs):
            t = round(n / rate, 3)
            first_t = t if i == 0 else first_t
            d = {"t": t, "t_end": round(t + 1 / rate, 3), "track": track, "text": e.text, "final": True}
            last = i == len(evs) - 1
            if last:
                d["text"] += "."
            yield d, (first_t if last else None)
            n += 1
            if n >= rate * seconds:
                return


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_streams(streams: int, seconds: float, rate: float = 10.0) -> dict:
    from websockets.sync.client import connect
    import psutil

    tmp = Path(tempfile.mkdtemp(prefix="live-bench-"))
    port = _free_port()
    cmd = [sys.executable, "-m", "culture_lint", "live", "-m", "sa", "--date", "2026-03-01", "--no-config",
           "--input", f"ws://127.0.0.1:{port}", "-f", "jsonl", "--session-log", str(tmp / "s.jsonl"), "--no-report"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    line = proc.stderr.readline()
    assert "listening" in line, line
    arrivals: list[tuple[float, dict]] = []

    def reader():
        for raw in proc.stdout:
            arrivals.append((time.monotonic(), json.loads(raw)))

    threading.Thread(target=reader, daemon=True).start()
    sent: dict[tuple[str, str], float] = {}
    counts = [0] * streams
    t0 = time.monotonic() + 0.5
    cpu0 = psutil.Process(proc.pid).cpu_times()

    def client(i: int):
        track = f"host-{i + 1}"
        with connect(f"ws://127.0.0.1:{port}") as ws:
            for d, sentence_start in caption_stream(track, rate, seconds):
                wait = t0 + d["t"] - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                ws.send(json.dumps(d))
                if sentence_start is not None:
                    sent[(track, format_timestamp(sentence_start))] = time.monotonic()
                counts[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(streams)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    time.sleep(2.0)
    cpu1 = psutil.Process(proc.pid).cpu_times()
    rss = psutil.Process(proc.pid).memory_info().rss
    proc.send_signal(2)
    proc.wait(timeout=300)
    lat = []
    for at, rec in arrivals:
        if rec.get("type") == "alert" and rec.get("phase") == "live":
            key = (rec["track"], rec["timestamp"])
            if key in sent:
                lat.append((sent[key] - t0, (at - sent[key]) * 1000))
    logged = sum(1 for x in open(tmp / "s.jsonl", encoding="utf-8") if '"type":"event"' in x)
    lat.sort()
    ms = sorted(x for _, x in lat)

    def pct(values, q):
        return round(values[min(len(values) - 1, int(q * len(values)))], 1) if values else None

    third = seconds / 3
    early = sorted(x for t, x in lat if t < third)
    late = sorted(x for t, x in lat if t >= 2 * third)
    return {"streams": streams, "rate_per_stream": rate, "seconds": seconds, "sent": sum(counts), "logged": logged,
            "alerts": len(ms), "p50_ms": pct(ms, .5), "p95_ms": pct(ms, .95), "p99_ms": pct(ms, .99),
            "max_ms": round(max(ms), 1) if ms else None, "p99_first_third_ms": pct(early, .99),
            "p99_last_third_ms": pct(late, .99),
            "cpu_share": round((cpu1.user + cpu1.system - cpu0.user - cpu0.system) / (seconds + 2.5), 2),
            "rss_mb": round(rss / 2**20, 1)}


def run_memory(hours: float, rate: float = 2.0) -> dict:
    import psutil

    from culture_lint.api import make_linter
    from culture_lint.live.events import Event
    from culture_lint.live.session import LiveSession, SessionLog

    tmp = Path(tempfile.mkdtemp(prefix="live-mem-"))
    linter = make_linter(["sa"], metadata={"date": "2026-03-01"})
    session = LiveSession(linter, log=SessionLog(tmp / "s.jsonl", "mem"), metadata={"date": "2026-03-01"})
    session.warm()
    me = psutil.Process()
    samples = []
    next_sample = 0.0
    t_start = time.monotonic()
    for d, _ in caption_stream("host", rate, hours * 3600):
        session.receive(Event(d["text"], d["t"], d["t_end"], d["track"]))
        if d["t"] >= next_sample:
            samples.append((round(d["t"] / 3600, 2), round(me.memory_info().rss / 2**20, 1)))
            next_sample += 900
    feed_s = time.monotonic() - t_start
    t1 = time.monotonic()
    _alerts, reports = session.finish()
    finish_s = time.monotonic() - t1
    return {"hours": hours, "captions": session.events, "feed_seconds": round(feed_s, 1),
            "rss_mb_by_hour": samples, "rss_mb_after_report": round(me.memory_info().rss / 2**20, 1),
            "post_show_lint_seconds": round(finish_s, 1), "log_mb": round((tmp / "s.jsonl").stat().st_size / 2**20, 1),
            "findings": sum(len(r.findings) for r in reports)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--streams", type=int, default=20)
    ap.add_argument("--hours", type=float, default=4)
    ap.add_argument("--skip-memory", action="store_true")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    results = {"load_average": round(load, 2), "cpus": os.cpu_count()}
    results["one_stream"] = run_streams(1, args.seconds)
    print(json.dumps(results["one_stream"]), flush=True)
    results["many_streams"] = run_streams(args.streams, args.seconds)
    print(json.dumps(results["many_streams"]), flush=True)
    if not args.skip_memory:
        results["memory"] = run_memory(args.hours)
        print(json.dumps(results["memory"]), flush=True)
    out = ROOT / "bench" / "results" / "live.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
