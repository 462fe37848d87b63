#!/usr/bin/env python
"""Benchmark `culture-lint batch`: rows/s at 10k, 100k and 1M rows with 1 and 2 Dask worker processes.

    python bench/batch_bench.py                                   # 10k and 100k rows, 1 and 2 workers
    python bench/batch_bench.py --sizes 10000,100000,1000000 --write-doc docs/scale.md

Each size is a generated Parquet catalog of product listings (title, description, a few clean and a few
flagged). Each (size, workers) pair runs on a fresh LocalCluster through the same code as the CLI
(:func:`culture_lint.dask.run_batch`), writing findings and scores. Reported:

- ``rows/s``: rows divided by the time from the first partition submitted to the last one written
  (the steady rate: cluster start-up and pack compilation excluded);
- ``wall s``: the whole run including starting the cluster and compiling the packs on every worker;
- ``peak RSS``: the largest peak resident memory of a worker process.

Not part of the test suite (the 1M-row runs take about ten minutes on an idle 2-core machine).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- batch-bench:begin -->", "<!-- batch-bench:end -->"

PRODUCTS = ["cotton tee", "hoodie", "ceramic mug", "face serum", "wool socks", "blender", "yoga mat", "desk lamp",
            "vitamin gummies", "green tea", "running shoes", "phone case", "lip balm", "backpack", "water bottle"]
ADJECTIVES = ["Organic", "Soft", "Classic", "Everyday", "Premium", "Lightweight", "Handmade", "Recycled"]
CLEAN = ["Machine washable.", "Ships in two days.", "Available in five colours.", "Made with care in small batches.",
         "Fits most sizes.", "Dishwasher safe.", "Comes in a gift box.", "Read the label before use."]
FLAGGED = ["Clinically proven to reduce wrinkles.", "The #1 serum in America!", "This tea cures diabetes.",
           "Only 2 left, grab yours!", "Was $99, now just $49!", "Buy to enter our iPhone giveaway!",
           "Relax with our CBD gummies before bed.", "Just $19.99 + fees at checkout.",
           "It helps prevent cancer and reverses arthritis."]


def make_catalog(rows: int, path: Path, seed: int = 7) -> None:
    """A Parquet catalog: about 1 row in 4 has a flagged sentence; descriptions of 2–4 sentences."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = random.Random(seed)
    writer = None
    chunk = 100_000
    for start in range(0, rows, chunk):
        n = min(chunk, rows - start)
        sku, title, desc = [], [], []
        for i in range(start, start + n):
            sku.append(f"SKU-{i:08d}")
            title.append(f"{rng.choice(ADJECTIVES)} {rng.choice(PRODUCTS)}")
            sentences = rng.sample(CLEAN, rng.randint(2, 3))
            if rng.random() < 0.25:
                sentences.insert(rng.randint(0, len(sentences)), rng.choice(FLAGGED))
            desc.append(" ".join(sentences))
        table = pa.table({"sku": sku, "title": title, "description": desc,
                          "price": [f"{(i % 97) + 0.99:.2f}" for i in range(start, start + n)]})
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table, row_group_size=50_000)
    writer.close()


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _cpu_seconds() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run_one(catalog: Path, out: Path, workers: int, spec) -> dict:
    from culture_lint.batch_io import warm
    from culture_lint.dask import local_client, run_batch

    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    client, cluster = local_client(workers)
    try:
        client.run(warm, spec)  # compile first, so the CPU time below is the linting's own
        cpu_before = client.run(_cpu_seconds)
        summary = run_batch(str(catalog), str(out), spec, client=client, overwrite=True)
        cpu_after = client.run(_cpu_seconds)
        rss = client.run(_peak_rss_mb)
    finally:
        client.close()
        cluster.close()
    cpu = sum(cpu_after[w] - cpu_before.get(w, 0.0) for w in cpu_after)
    return {"rows": summary["rows"], "workers": workers, "partitions": summary["partitions"],
            "rows_per_second": summary["rows_per_second"], "wall_seconds": round(time.perf_counter() - started, 1),
            "findings": summary["findings"], "peak_worker_rss_mb": round(max(rss.values()), 0),
            "rows_per_cpu_second": round(summary["rows"] / cpu, 1) if cpu else None,
            "worker_cpu_share": round(cpu / (workers * summary["seconds"]), 2) if summary["seconds"] else None,
            "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2)}


def table(results: list[dict]) -> str:
    base: dict[int, float] = {}
    for r in results:
        if r["workers"] == 1:
            base[r["rows"]] = max(base.get(r["rows"], 0.0), r["rows_per_second"])
    lines = ["| rows | workers | partitions | rows/s | speed-up | wall s | workers' CPU share | rows per worker "
             "CPU-second | findings | peak worker RSS |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        speed = r["rows_per_second"] / base[r["rows"]] if base.get(r["rows"]) else None
        lines.append(f"| {r['rows']:,} | {r['workers']} | {r['partitions']} | {r['rows_per_second']:,.0f} | "
                     f"{f'{speed:.2f}×' if speed else '—'} | {r['wall_seconds']:,.1f} | "
                     f"{r.get('worker_cpu_share') or 0:.2f} | {r['rows_per_cpu_second'] or 0:,.0f} | "
                     f"{r['findings']:,} | {r['peak_worker_rss_mb']:.0f} MB |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated row counts (add 1000000 for the doc)")
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("-m", "--market", default="us", help="markets (default: the bundled us pack)")
    ap.add_argument("--rules", action="append", default=[], help="extra rule pack folders")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per (size, workers), interleaved; the best rate is kept (a shared machine is noisy)")
    ap.add_argument("--repeat-max-rows", type=int, default=100_000,
                    help="repeat only sizes up to this many rows (the 1M run is done once)")
    ap.add_argument("--json", help="also write the results as JSON to this file")
    ap.add_argument("--write-doc", help="replace the measured table in this Markdown file (docs/scale.md)")
    ap.add_argument("--from-json", help="do not measure: render every run saved earlier with --json "
                                         "(comma-separated files)")
    args = ap.parse_args()
    if args.from_json:
        runs, abouts = [], []
        for f in args.from_json.split(","):
            saved = json.loads(Path(f).read_text())
            abouts.append(saved["about"])
            runs.extend(saved.get("runs") or saved["results"])
        runs.sort(key=lambda r: (r["rows"], r["workers"], -r["rows_per_second"]))
        write_out(table(runs) + "\n\n" + "\n".join(f"- {a}" for a in abouts) + "\n", args.write_doc)
        return

    from culture_lint import __version__
    from culture_lint.records import LinterSpec, get_linter

    spec = LinterSpec.create([m for m in args.market.split(",") if m], rules_dirs=args.rules, lang="en")
    n_rules = len(get_linter(spec).rules)
    sizes = [int(s) for s in args.sizes.split(",")]
    worker_counts = [int(w) for w in args.workers.split(",")]
    results, runs = [], []
    with tempfile.TemporaryDirectory(prefix="culture-lint-bench-") as tmp:
        for size in sizes:
            catalog = Path(tmp) / f"catalog-{size}.parquet"
            make_catalog(size, catalog)
            best: dict[int, dict] = {}
            for _ in range(max(1, args.repeat) if size <= args.repeat_max_rows else 1):
                for w in worker_counts:
                    r = run_one(catalog, Path(tmp) / f"out-{size}-{w}", w, spec)
                    runs.append(r)
                    print(json.dumps(r), file=sys.stderr, flush=True)
                    if w not in best or r["rows_per_second"] > best[w]["rows_per_second"]:
                        best[w] = r
            results.extend(best[w] for w in worker_counts)
            catalog.unlink()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    about = (f"culture-lint {__version__}, market `{args.market}` ({n_rules} rules), Python "
             f"{platform.python_version()}, {os.cpu_count()} CPUs, best of {max(1, args.repeat)} run(s) per line "
             f"up to {args.repeat_max_rows:,} rows (larger: one run), "
             f"load average {load:.1f} at the end, {time.strftime('%Y-%m-%d')}")
    text = table(results) + "\n\n" + about + "\n"
    if args.json:
        Path(args.json).write_text(json.dumps({"about": about, "results": results, "runs": runs}, indent=2) + "\n")
    write_out(text, args.write_doc)


def write_out(text: str, doc_path: str | None) -> None:
    print(text)
    if doc_path:
        doc = Path(doc_path)
        body = doc.read_text(encoding="utf-8")
        block = f"{BEGIN}\n{text}{END}"
        if BEGIN in body and END in body:
            body = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda m: block, body, flags=re.S)
        else:
            body += "\n" + block + "\n"
        doc.write_text(body, encoding="utf-8")


if __name__ == "__main__":
    main()
