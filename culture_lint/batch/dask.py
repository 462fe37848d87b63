"""Catalog-scale linting on Dask: a Python API for data engineers and the runner of `culture-lint batch`.

Needs the ``batch`` extra (``pip install 'culture-lint[batch]'``: Dask with dask.distributed, pandas,
pyarrow). Nothing else in culture-lint imports this module, so the ordinary CLI never loads Dask.

Python API::

    import dask.dataframe as dd
    from culture_lint.dask import lint_dataframe

    listings = dd.read_parquet("s3://bucket/listings/")
    findings = lint_dataframe(listings, text_columns=["title", "description"], markets=["us", "sa"], key="sku")
    findings.to_parquet("s3://bucket/culture-lint/findings/")

Each partition is linted by :func:`culture_lint.records.lint_frame`; the linter travels to the workers as a
small :class:`~culture_lint.records.LinterSpec` and is compiled once per worker process.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from .. import __version__
from .partitions import (DEFAULT_SCRIPT_PARTITION, MANIFEST, OUTPUT_NAMES, Job, Plan, auto_partition_size,
                       count_rows, detect, done_parts, fingerprint, parquet_header, plan_from_dict, plan_scripts,
                       plan_table, plan_to_dict, process_part, stage, warm)
from ..errors import CultureLintError
from ..i18n import _
from .records import (LinterSpec, choose_key_column, choose_text_columns, empty_findings, empty_scores,
                      get_linter, lint_frame, rules_fingerprint)

__all__ = ["lint_dataframe", "score_dataframe", "local_client", "run_batch", "LinterSpec"]


# --------------------------------------------------------------------------------------------------------
# Python API


def _spec(markets, spec: LinterSpec | None, **kw) -> LinterSpec:
    spec = spec or LinterSpec.create(markets, **kw)
    get_linter(spec)  # unknown market, bad pack: raise here on the client, not later on every worker
    return spec


def _resolve_columns(header: Sequence[str], text_columns: Sequence[str] | str | None, key: str | None,
                     where: str) -> tuple[list[str], str | None]:
    header = [str(h) for h in header]
    if isinstance(text_columns, str):
        text_columns = [c.strip() for c in text_columns.split(",") if c.strip()]
    if text_columns:
        missing = [c for c in text_columns if c not in header and not (c.isdigit() and 0 < int(c) <= len(header))]
        if missing:
            raise CultureLintError(_("column '{name}' is not in {where}").format(name=missing[0], where=where),
                                   hint=_hint(missing[0], header))
        cols = [header[int(c) - 1] if c not in header else c for c in text_columns]
    else:
        cols = choose_text_columns(header)
    if not cols:
        raise CultureLintError(_("no text columns found in {where} (columns: {columns}); name them with --columns")
                               .format(where=where, columns=", ".join(header) or "-"))
    if key is not None and key not in header:
        raise CultureLintError(_("key column '{name}' is not in {where}").format(name=key, where=where),
                               hint=_hint(key, header))
    return list(dict.fromkeys(cols)), key


def _hint(value: str, choices: Sequence[str]) -> str:
    from ..util.suggest import did_you_mean

    return did_you_mean(value, choices) or _("columns: {columns}").format(columns=", ".join(choices))


def _findings_partition(df, spec: LinterSpec, text_columns: list[str], key: str | None):
    return lint_frame(df, spec, text_columns, key, scores=False)[0]


def _scores_partition(df, spec: LinterSpec, text_columns: list[str], key: str | None):
    return lint_frame(df, spec, text_columns, key, scores=True)[1]


def lint_dataframe(ddf, text_columns: Sequence[str] | str | None = None, markets: Sequence[str] | str = ("us",),
                   key: str | None = None, *, rules_dirs: Iterable[str | Path] = (), select: Iterable[str] = (),
                   ignore: Iterable[str] = (), severity: Mapping[str, str] | None = None,
                   min_severity: str = "info", metadata: Mapping[str, Any] | None = None,
                   spec: LinterSpec | None = None):
    """Findings of every row of a Dask DataFrame, as a lazy Dask DataFrame (one row per finding).

    ``text_columns``: the columns to lint (default: chosen from the column names as for a CSV catalog);
    ``key``: the column that identifies a row (default: the dataframe's index). The result has the
    contract's finding fields plus ``key`` and ``text_column``; ``line``/``column`` are positions inside the
    cell, ``suggestions`` is a JSON list. Its meta is declared (:func:`culture_lint.records.empty_findings`).
    """
    spec = _spec(markets, spec, rules_dirs=rules_dirs, select=select, ignore=ignore, severity=severity,
                 min_severity=min_severity, metadata=metadata)
    cols, key = _resolve_columns(list(ddf.columns), text_columns, key, _("the dataframe"))
    return ddf.map_partitions(_findings_partition, spec, cols, key, meta=empty_findings(),
                              enforce_metadata=False, align_dataframes=False)


def score_dataframe(ddf, text_columns: Sequence[str] | str | None = None, markets: Sequence[str] | str = ("us",),
                    key: str | None = None, *, rules_dirs: Iterable[str | Path] = (), select: Iterable[str] = (),
                    ignore: Iterable[str] = (), severity: Mapping[str, str] | None = None,
                    min_severity: str = "info", metadata: Mapping[str, Any] | None = None,
                    spec: LinterSpec | None = None):
    """Culture-fit scores of every row and market (``key``, ``market``, ``score``, ``band``, sub-scores,
    ``words`` and finding counts), as a lazy Dask DataFrame."""
    spec = _spec(markets, spec, rules_dirs=rules_dirs, select=select, ignore=ignore, severity=severity,
                 min_severity=min_severity, metadata=metadata)
    cols, key = _resolve_columns(list(ddf.columns), text_columns, key, _("the dataframe"))
    return ddf.map_partitions(_scores_partition, spec, cols, key, meta=empty_scores(),
                              enforce_metadata=False, align_dataframes=False)


# --------------------------------------------------------------------------------------------------------
# Clusters


def default_workers() -> int:
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def local_client(workers: int | None = None, scheduler: str | None = None, memory_limit: str | None = "auto"):
    """(client, cluster): a LocalCluster of worker processes (one thread each: the linter is pure Python
    and holds the GIL), or a client of an existing scheduler (cluster is then None)."""
    import logging

    from dask.distributed import Client, LocalCluster

    if scheduler:
        check_scheduler(scheduler)
        try:
            return Client(scheduler, timeout="30s"), None
        except (OSError, TimeoutError) as exc:
            raise CultureLintError(_("cannot reach the Dask scheduler at {address}: {reason}").format(
                address=scheduler, reason=exc)) from None
    # no dashboard; the scheduler's small HTTP server takes a free loopback port (never a clash on :8787)
    cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                           dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                           silence_logs=logging.CRITICAL, memory_limit=memory_limit)
    return Client(cluster), cluster


def check_scheduler(address: str) -> None:
    """Fail at once when nothing listens at a tcp:// address (the client would retry for its whole timeout)."""
    import socket
    from urllib.parse import urlsplit

    if "://" in address and not address.startswith("tcp://"):
        return  # tls://, ucx://, inproc://: leave it to Dask
    try:
        parts = urlsplit(address if "://" in address else f"tcp://{address}")
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if not host or not port:
        raise CultureLintError(_("--scheduler takes an address like tcp://host:8786, got '{address}'").format(
            address=address))
    try:
        with socket.create_connection((host, port), timeout=10):
            pass
    except OSError as exc:
        raise CultureLintError(_("cannot reach the Dask scheduler at {address}: {reason}").format(
            address=address, reason=exc.strerror or exc)) from None


def _prepare_workers(client, spec: LinterSpec, expected: str, wait_seconds: float = 30.0) -> int:
    """Compile the packs on every worker up front and check that they run the client's rules."""
    try:
        client.wait_for_workers(1, timeout=wait_seconds)
    except TimeoutError:
        raise CultureLintError(_("the Dask scheduler has no workers")) from None
    try:
        info = client.run(warm, spec)
    except CultureLintError:
        raise
    except Exception as exc:  # a worker without culture-lint, or without the rule folders
        raise CultureLintError(_("a worker cannot load the rule packs: {reason}").format(
            reason=f"{type(exc).__name__}: {exc}")) from None
    for address, got in info.items():
        if got["fingerprint"] != expected:
            raise CultureLintError(_("worker {address} runs different rules than this machine "
                                     "(culture-lint {version} there): install the same version and rule folders "
                                     "on every worker").format(address=address, version=got["version"]))
    return len(info)


# --------------------------------------------------------------------------------------------------------
# The batch runner


def run_batch(input: str, output: str, spec: LinterSpec, *, columns: Sequence[str] | None = None,
              key: str | None = None, kind: str = "auto", partition_size: int | None = None,
              scores: bool = True, resume: bool = False, overwrite: bool = False, workers: int | None = None,
              scheduler: str | None = None, client=None, include: Sequence[str] | None = None,
              exclude: Sequence[str] | None = None, encoding: str | None = None,
              progress: Callable[[int, int], None] | None = None,
              on_start: Callable[[dict], None] | None = None) -> dict[str, Any]:
    """Lint a catalog or a folder of scripts partition by partition; returns the run's summary.

    Writes ``OUTPUT/findings/part-*.parquet``, ``OUTPUT/scores/part-*.parquet`` and ``OUTPUT/summary.json``.
    ``progress(rows_done, rows_total)`` is called as partitions finish.
    """
    started = time.perf_counter()
    linter = get_linter(spec)
    expected = rules_fingerprint(linter)
    out = Path(output)
    if out.exists() and not out.is_dir():
        raise CultureLintError(_("--output must be a folder: {path} is a file").format(path=output))
    kind_found, fmt, files = detect(input, kind)
    if partition_size is not None and partition_size < 1:
        raise CultureLintError(_("--partition-size must be at least 1"))
    if kind_found == "scripts":
        from ..runner.files import collect

        files = collect([input], include, exclude)
        if not files:
            raise CultureLintError(_("no scripts to lint in {path}").format(path=input))
    settings = {
        "tool": __version__, "kind": kind_found, "format": fmt, "input": str(Path(input).resolve()),
        "input_fingerprint": fingerprint(files), "spec": json.loads(json.dumps(spec.__dict__)),
        "columns": list(columns or []), "key": key, "partition_size": partition_size, "scores": scores,
        "include": list(include or []), "exclude": list(exclude or []), "encoding": encoding,
    }
    if scheduler and client is None:
        check_scheduler(scheduler)  # before anything is written
    plan = _prepare_output(out, output, settings, resume, overwrite, kind_found, fmt, files, input, partition_size,
                           columns, key, encoding)
    job = Job(out=str(out.resolve()), kind=plan.kind, text_columns=tuple(plan.text_columns), key=plan.key,
              scores=scores, base=str(Path(input).resolve()) if Path(input).is_dir() else "", encoding=encoding)
    done = done_parts(out)
    todo = [p for p in plan.parts if p.index not in done]
    run_rows, n_workers, lint_started = _execute(plan, done, todo, spec, job, expected, client, workers, scheduler,
                                                 progress, on_start)
    summary = aggregate(plan, done, out, spec, linter.markets, run_rows, len(todo),
                        time.perf_counter() - started, time.perf_counter() - lint_started, n_workers)
    _write_json(out / "summary.json", summary)
    return summary


def _prepare_output(out: Path, output: str, settings: dict, resume: bool, overwrite: bool, kind: str,
                    fmt: str | None, files: list[str], input: str, partition_size: int | None,
                    columns: Sequence[str] | None, key: str | None, encoding: str | None) -> Plan:
    """The plan: the one an earlier run wrote (--resume, same settings), else a new one in a cleared folder."""
    manifest_path = out / MANIFEST
    if manifest_path.is_file() and resume:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("settings") != settings:
            changed = sorted(k for k in settings if manifest.get("settings", {}).get(k) != settings[k])
            raise CultureLintError(_("cannot resume: {path} was written with other settings ({what}); "
                                     "use another --output or --overwrite").format(path=output, what=", ".join(changed)))
        plan = plan_from_dict(manifest["plan"])
        staged = {piece[0] for part in plan.parts for piece in part.pieces}
        if fmt not in (None, "parquet") and not all(Path(f).is_file() for f in staged):
            shutil.rmtree(out / "_staged", ignore_errors=True)  # staging is deterministic: the same files again
            stage(fmt, files, out / "_staged", encoding)
        return plan
    taken = [n for n in OUTPUT_NAMES if (out / n).exists()]
    if taken and not overwrite and done_parts(out):  # a run that wrote no partition is not worth keeping
        raise CultureLintError(_("{path} already holds batch output ({names}): pass --resume to continue "
                                 "that run or --overwrite to start again").format(path=output, names=", ".join(taken)))
    for n in taken:
        target = out / n
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    out.mkdir(parents=True, exist_ok=True)
    plan = _plan(kind, fmt, files, input, out, partition_size, columns, key, encoding)
    _write_json(manifest_path, {"version": 1, "settings": settings, "plan": plan_to_dict(plan)})
    return plan


def _execute(plan: Plan, done: dict, todo: list, spec: LinterSpec, job: Job, expected: str, client, workers,
             scheduler, progress, on_start) -> tuple[int, int, float]:
    """Run the partitions left to do on the cluster; returns (rows run, workers, when linting started)."""
    total = plan.rows
    rows_done = sum(p.rows for p in plan.parts if p.index in done)
    run_rows, n_workers = 0, 0
    lint_started = time.perf_counter()
    if not todo:
        if on_start:
            on_start({"rows": total, "done": rows_done, "partitions": len(plan.parts), "todo": 0, "workers": 0,
                      "text_columns": plan.text_columns, "key": plan.key})
        return run_rows, n_workers, lint_started
    own, cluster = client is None, None
    if own:
        client, cluster = local_client(workers, scheduler)
    try:
        n_workers = _prepare_workers(client, spec, expected)
        if on_start:
            on_start({"rows": total, "done": rows_done, "partitions": len(plan.parts), "todo": len(todo),
                      "workers": n_workers, "text_columns": plan.text_columns, "key": plan.key})
        if progress:
            progress(rows_done, total)
        lint_started = time.perf_counter()
        for summary in _run_parts(client, todo, spec, job):
            done[summary["index"]] = summary
            rows_done += summary["rows"]
            run_rows += summary["rows"]
            if progress:
                progress(rows_done, total)
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
    return run_rows, n_workers, lint_started


def _plan(kind: str, fmt: str | None, files: list[str], input: str, out: Path, size: int | None,
          columns: Sequence[str] | None, key: str | None, encoding: str | None) -> Plan:
    if kind == "scripts":
        return Plan(kind="scripts", input=input, parts=plan_scripts(files, size or DEFAULT_SCRIPT_PARTITION))
    if fmt != "parquet":
        staged = out / "_staged"
        if staged.exists():
            shutil.rmtree(staged)
        files = stage(fmt, files, staged, encoding)
        if not files:
            raise CultureLintError(_("{path} has no rows").format(path=input))
    header = parquet_header(files)
    text_columns, key = _resolve_columns(header, columns, key, input)
    if key is None:
        key = choose_key_column(header)
    parts = plan_table(files, size or auto_partition_size(count_rows(files)))
    if not parts:
        raise CultureLintError(_("{path} has no rows").format(path=input))
    return Plan(kind="table", input=input, header=header, text_columns=text_columns, key=key, parts=parts)


def _run_parts(client, parts, spec: LinterSpec, job: Job):
    """Submit the partitions; yield their summaries as they finish. A failed partition stops the run."""
    from dask.distributed import as_completed

    stamp = time.time_ns()
    futures = client.map(process_part, parts, spec=spec, job=job, pure=False,
                         key=[f"culture-lint-part-{p.index:05d}-{stamp}" for p in parts])
    index = {fut.key: part.index for fut, part in zip(futures, parts)}
    try:
        for fut in as_completed(futures):
            if fut.status == "error":
                exc = fut.exception()
                if isinstance(exc, CultureLintError):
                    raise exc
                raise CultureLintError(_("partition {index} failed: {reason}").format(
                    index=index[fut.key], reason=f"{type(exc).__name__}: {exc}"),
                    hint=_("the partitions written so far are kept: fix the cause and run again with --resume"))
            result = fut.result()
            fut.release()
            yield result
    finally:
        for fut in futures:
            if not fut.done():
                fut.cancel()


def aggregate(plan: Plan, done: dict[int, dict], out: Path, spec: LinterSpec, markets: list[str], run_rows: int,
              run_parts: int, seconds: float, lint_seconds: float, workers: int) -> dict[str, Any]:
    from collections import Counter

    severity: Counter = Counter()
    category: Counter = Counter()
    rules: Counter = Counter()
    bands: dict[str, Counter] = {}
    score_sum: Counter = Counter()
    score_count: Counter = Counter()
    findings = rows_with = 0
    for s in done.values():
        findings += s["findings"]
        rows_with += s.get("rows_with_findings", 0)
        severity.update(s["severity"])
        category.update(s["category"])
        rules.update(s.get("rule", {}))
        for m, b in s.get("bands", {}).items():
            bands.setdefault(m, Counter()).update(b)
        score_sum.update(s.get("score_sum", {}))
        score_count.update(s.get("score_count", {}))
    rows = plan.rows
    return {
        "version": 1, "tool": {"name": "culture-lint", "version": __version__},
        "input": plan.input, "output": str(out), "kind": plan.kind, "markets": markets,
        "text_columns": plan.text_columns, "key": plan.key,
        "rows": rows, "partitions": len(plan.parts), "partitions_run": run_parts,
        "partitions_resumed": len(plan.parts) - run_parts, "rows_run": run_rows,
        "findings": findings, "rows_with_findings": rows_with,
        "severity": {k: severity.get(k, 0) for k in ("error", "warning", "info")},
        "category": dict(sorted(category.items(), key=lambda kv: (-kv[1], kv[0]))),
        "rules": dict(sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))),
        "scores": {m: {"mean": round(score_sum[m] / score_count[m], 1) if score_count[m] else None,
                       "bands": {b: bands.get(m, Counter()).get(b, 0) for b in ("good", "review", "fail")}}
                   for m in markets if m in bands},
        "workers": workers, "seconds": round(seconds, 3),
        "rows_per_second": round(run_rows / lint_seconds, 1) if run_rows and lint_seconds > 0 else None,
    }


def _write_json(path: Path, data: dict) -> None:
    from .partitions import write_text

    write_text(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
