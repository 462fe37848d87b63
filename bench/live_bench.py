"""Bench for `culture-lint live` (docs/performance.md, "Live mode"). Not a test: it measures.

1. latency: one WebSocket stream at 10 captions/s into a real `culture-lint live` process; for every alert, the
   time from sending the final caption that completed its sentence to reading the alert on the process's
   standard output (JSON lines). p50/p95/p99/max.
2. concurrency: 20 streams (20 WebSocket clients, one track each) at 10 captions/s each into one process; the
   same latency per 10-second slice of the run (falling behind shows as a latency that grows slice after
   slice), events logged vs events sent, lint batches, the process's CPU share.
3. memory: a simulated 4-hour show (2 captions/s, about 29,000 captions, compressed time) through the live
   session in-process, RSS every simulated 15 minutes, then the post-show lint of the whole transcript.

The clients and the reader of the live process's output run as tasks of one asyncio loop in the bench process.

    python bench/live_bench.py [--seconds 60] [--streams 20] [--hours 4] [--update-docs | --docs-only]
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


def _pct(values, q):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 1) if values else None


def run_streams(streams: int, seconds: float, rate: float = 10.0) -> dict:
    """``streams`` WebSocket clients at ``rate`` captions/s each into one real `culture-lint live` process.

    The clients and the reader of the process's output are tasks of one asyncio loop in one thread (no threads
    contending for the bench's GIL), so the times taken are when the bytes were sent and read."""
    import asyncio

    return asyncio.run(_streams(streams, seconds, rate))


async def _streams(streams: int, seconds: float, rate: float) -> dict:
    import asyncio

    import psutil
    from websockets.asyncio.client import connect

    tmp = Path(tempfile.mkdtemp(prefix="live-bench-"))
    port = _free_port()
    cmd = [sys.executable, "-m", "culture_lint", "live", "-m", "sa", "--date", "2026-03-01", "--no-config",
           "--input", f"ws://127.0.0.1:{port}", "-f", "jsonl", "--session-log", str(tmp / "s.jsonl"), "--no-report"]
    proc = await asyncio.create_subprocess_exec(*cmd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                                                env=dict(os.environ, PYTHONUNBUFFERED="1"), limit=2**22)
    line = (await proc.stderr.readline()).decode()
    assert "listening" in line, line
    arrivals: list[tuple[float, dict]] = []

    async def reader():
        while True:
            raw = await proc.stdout.readline()
            if not raw:
                return
            arrivals.append((time.monotonic(), json.loads(raw)))

    read_task = asyncio.create_task(reader())
    sent: dict[tuple[str, str], float] = {}
    counts = [0] * streams
    pinfo = psutil.Process(proc.pid)
    cpu0 = pinfo.cpu_times()
    load0 = os.getloadavg()[0]
    t0 = time.monotonic() + 1.0

    async def client(i: int):
        track = f"host-{i + 1}"
        async with connect(f"ws://127.0.0.1:{port}") as ws:
            for d, sentence_start in caption_stream(track, rate, seconds):
                wait = t0 + d["t"] - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                await ws.send(json.dumps(d))
                if sentence_start is not None:
                    sent[(track, format_timestamp(sentence_start))] = time.monotonic()
                counts[i] += 1

    await asyncio.gather(*(client(i) for i in range(streams)))
    await asyncio.sleep(2.0)
    cpu1 = pinfo.cpu_times()
    rss = pinfo.memory_info().rss
    load1 = os.getloadavg()[0]
    proc.send_signal(2)
    await asyncio.wait_for(proc.wait(), 300)
    await read_task
    return _stream_results(tmp, arrivals, sent, counts, streams, seconds, rate,
                           (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / (seconds + 2.0), rss, (load0, load1))


def _stream_results(tmp, arrivals, sent, counts, streams, seconds, rate, cpu, rss, load) -> dict:
    lat = []
    for at, rec in arrivals:
        if rec.get("type") == "alert" and rec.get("phase") == "live":
            key = (rec["track"], rec["timestamp"])
            if key in sent:
                lat.append((sent[key] - (min(sent.values()) if sent else 0), (at - sent[key]) * 1000))
    logged = batches = batched_units = 0
    turns = set()  # the batches of one turn (the same "after") go through one engine call
    for x in open(tmp / "s.jsonl", encoding="utf-8"):
        if '"type":"event"' in x:
            logged += 1
        elif '"type":"batch"' in x:
            batches += 1
            rec = json.loads(x)
            batched_units += len(rec["seqs"])
            turns.add(rec["after"])
    ms = [x for _, x in lat]
    step = 10.0
    buckets = []
    for k in range(int(seconds // step) + 1):
        part = [x for t, x in lat if k * step <= t < (k + 1) * step]
        if part:
            buckets.append({"from_s": k * step, "alerts": len(part), "p50_ms": _pct(part, .5), "p99_ms": _pct(part, .99),
                            "max_ms": round(max(part), 1)})
    return {"streams": streams, "rate_per_stream": rate, "seconds": seconds, "sent": sum(counts), "logged": logged,
            "batches": batches, "sentences_per_batch": round(batched_units / batches, 2) if batches else None,
            "engine_calls": len(turns), "alerts": len(ms), "p50_ms": _pct(ms, .5), "p95_ms": _pct(ms, .95), "p99_ms": _pct(ms, .99),
            "max_ms": round(max(ms), 1) if ms else None, "lag_by_10s": buckets, "cpu_share": round(cpu, 2),
            "rss_mb": round(rss / 2**20, 1), "load_average": [round(load[0], 2), round(load[1], 2)]}


def run_memory(hours: float, rate: float = 2.0) -> dict:
    """A simulated show of ``hours`` (compressed time: as fast as the session lints) in-process; RSS every
    simulated 15 minutes, the live clock ticked every 5 simulated seconds, then the post-show lint."""
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
    next_sample = next_tick = 0.0
    t_start = time.monotonic()
    cpu0 = me.cpu_times()
    for d, _ in caption_stream("host", rate, hours * 3600):
        session.receive(Event(d["text"], d["t"], d["t_end"], d["track"]))
        if d["t"] >= next_tick:
            session.tick(d["t"])
            next_tick += 5.0
        if d["t"] >= next_sample:
            samples.append((round(d["t"] / 3600, 2), round(me.memory_info().rss / 2**20, 1)))
            next_sample += 900
    feed_s = time.monotonic() - t_start
    cpu1 = me.cpu_times()
    samples.append((hours, round(me.memory_info().rss / 2**20, 1)))
    t1 = time.monotonic()
    _alerts, reports = session.finish()
    finish_s = time.monotonic() - t1
    after_1h = [mb for h, mb in samples if h >= 1]
    slope = round((after_1h[-1] - after_1h[0]) / (hours - 1), 2) if len(after_1h) > 1 and hours > 1 else None
    return {"hours": hours, "captions": session.events, "sentences": session.assembler.seq,
            "batches": session.batches, "feed_seconds": round(feed_s, 1),
            "ms_per_caption": round(1000 * feed_s / max(1, session.events), 2),
            "cpu_ms_per_caption": round(1000 * (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / max(1, session.events), 2),
            "rss_mb_by_hour": samples, "rss_mb_per_hour_after_1h": slope,
            "rss_mb_after_report": round(me.memory_info().rss / 2**20, 1),
            "post_show_lint_seconds": round(finish_s, 1), "log_mb": round((tmp / "s.jsonl").stat().st_size / 2**20, 1),
            "findings": sum(len(r.findings) for r in reports)}


START, END = "<!-- live-bench:start -->", "<!-- live-bench:end -->"


def render(results: dict) -> str:
    """The results as the Markdown of docs/performance.md's live section (written by --update-docs)."""
    rows = [f"Run {results['when']} on {results['cpus']} cores shared with other engineers' jobs; load average "
            f"{results['load_average']} at the start (the 1-minute figure; 2.0 means both cores busy).", "",
            "| measurement | result |", "|---|---|"]
    for key, label in (("one_stream", "one stream"), ("many_streams", "{n} streams")):
        r = results.get(key)
        if not r:
            continue
        worst = max((b["p99_ms"] for b in r["lag_by_10s"]), default=None)
        first, last = (r["lag_by_10s"][0], r["lag_by_10s"][-1]) if r["lag_by_10s"] else ({}, {})
        rows.append(f"| {label.format(n=r['streams'])} × {r['rate_per_stream']:g} captions/s, {r['seconds']:g} s "
                    f"(load {r['load_average'][0]} → {r['load_average'][1]}) | p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
                    f"**p99 {r['p99_ms']} ms**, max {r['max_ms']} ms over {r['alerts']} alerts; p99 per 10 s from "
                    f"{first.get('p99_ms')} ms (first) to {last.get('p99_ms')} ms (last), worst {worst} ms; "
                    f"{r['logged']}/{r['sent']} events logged; {r['batches']} track batches of "
                    f"{r['sentences_per_batch']} sentences in {r.get('engine_calls', '?')} engine calls; the process used {r['cpu_share']} of a core, "
                    f"RSS {r['rss_mb']} MB |")
    m = results.get("memory")
    if m:
        by = ", ".join(f"{h:g} h {mb:g} MB" for h, mb in m["rss_mb_by_hour"] if float(h).is_integer())
        rows.append(f"| memory, simulated {m['hours']:g}-hour show ({m['captions']} captions, {m['sentences']} "
                    f"sentences, {m['log_mb']} MB session log) | RSS {by}: **{m['rss_mb_per_hour_after_1h']} MB/hour "
                    f"after the first hour**; {m['rss_mb_after_report']} MB after the post-show lint "
                    f"({m['post_show_lint_seconds']} s, {m['findings']} findings) |")
        rows.append(f"| cost per caption in-process ({m['hours']:g}-hour run) | {m['ms_per_caption']} ms wall, "
                    f"{m['cpu_ms_per_caption']} ms CPU ({m['captions']} captions in {m['feed_seconds']} s) |")
    return "\n".join(rows) + "\n"


def update_docs(results: dict) -> None:
    path = ROOT / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{path}: no {START} … {END} block in the live section")
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text(head + START + "\n" + render(results) + END + tail, encoding="utf-8")
    os.replace(tmp, path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--streams", type=int, default=20)
    ap.add_argument("--hours", type=float, default=4)
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--update-docs", action="store_true", help="write the results into docs/performance.md")
    ap.add_argument("--docs-only", action="store_true",
                    help="write the last results (bench/results/live.json) into docs/performance.md, measure nothing")
    args = ap.parse_args()
    if args.docs_only:
        update_docs(json.loads((ROOT / "bench" / "results" / "live.json").read_text(encoding="utf-8")))
        return
    results = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load_average": round(os.getloadavg()[0], 2),
               "cpus": os.cpu_count()}
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
    print(render(results))
    if args.update_docs:
        update_docs(results)


if __name__ == "__main__":
    main()
