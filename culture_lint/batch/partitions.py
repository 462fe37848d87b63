"""Inputs, partitions and outputs of `culture-lint batch` (pyarrow; no Dask needed here).

Tables are read as Parquet row groups: a Parquet input directly, CSV/TSV/JSON Lines after a one-off
streaming conversion into ``OUT/_staged/`` (CSV cells may hold line breaks, so CSV cannot be split at
arbitrary byte offsets the way Dask's ``read_csv`` splits it). A partition is a list of row-group slices,
so a partition is the same rows on every run and a run can be resumed partition by partition.

Each partition task (:func:`process_part`) runs on a worker: it reads its rows, lints them with the
worker's cached linter, writes ``findings/part-NNNNN.parquet`` and ``scores/part-NNNNN.parquet`` and,
last, ``_parts/part-NNNNN.json`` (its summary). A partition with a summary file is done.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import CultureLintError
from ..i18n import _
from .records import BUILDS, FINDING_COLUMNS, SCORE_COLUMNS, LinterSpec, get_linter

TABLE_EXTENSIONS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".tsv": "tsv",
                    ".jsonl": "jsonl", ".ndjson": "jsonl"}
MAX_TABLE_PARTITION = 10_000  # rows: the default partition size of large tables
MIN_TABLE_PARTITION = 1_000  # smaller tables get smaller partitions (at least ~32 of them) to use every worker
DEFAULT_SCRIPT_PARTITION = 50  # files
STAGE_ROWS = 50_000  # rows per staged Parquet file (CSV/JSONL inputs)
STAGE_ROW_GROUP = 2_000  # rows per row group of a staged file: partitions are cut along row groups
MANIFEST = "_batch.json"
OUTPUT_NAMES = ("findings", "scores", "_parts", "_staged", MANIFEST, "summary.json")


@dataclass(frozen=True)
class Part:
    """One partition: slices of Parquet row groups (tables) or a list of files (scripts)."""

    index: int
    rows: int
    row_offset: int = 0  # 0-based number of the partition's first row in the whole input
    pieces: tuple[tuple[str, int, int, int], ...] = ()  # (parquet file, row group, start, stop)
    files: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: dict) -> "Part":
        return cls(index=d["index"], rows=d["rows"], row_offset=d.get("row_offset", 0),
                   pieces=tuple(tuple(p) for p in d.get("pieces", ())), files=tuple(d.get("files", ())))


@dataclass(frozen=True)
class Job:
    """What every partition task needs besides its Part (small: pickled with every task)."""

    out: str
    kind: str  # table | scripts
    text_columns: tuple[str, ...] = ()
    key: str | None = None
    scores: bool = True
    base: str = ""  # scripts: keys are paths relative to this folder
    encoding: str | None = None


@dataclass
class Plan:
    """What a batch run will lint: the input kind, its text and key columns, and the partitions."""

    kind: str
    input: str
    header: list[str] = field(default_factory=list)
    text_columns: list[str] = field(default_factory=list)
    key: str | None = None
    parts: list[Part] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(p.rows for p in self.parts)


# --------------------------------------------------------------------------------------------------------
# Finding the input


def detect(input_path: str, kind: str = "auto") -> tuple[str, str | None, list[str]]:
    """(kind, table format, files): a table file or folder of table files, or scripts."""
    path = Path(input_path)
    if not path.exists():
        raise CultureLintError(_("input does not exist: {path}").format(path=input_path))
    if kind not in ("auto", "table", "scripts"):
        raise CultureLintError(_("--kind must be one of auto, table, scripts"))
    if path.is_file():
        fmt = TABLE_EXTENSIONS.get(path.suffix.lower())
        if kind == "scripts" or (fmt is None and kind == "auto"):
            return "scripts", None, [str(path)]
        if fmt is None:
            raise CultureLintError(_("{path}: not a table: use .parquet, .csv, .tsv or .jsonl").format(path=input_path))
        return "table", fmt, [str(path)]
    if kind == "scripts":
        return "scripts", None, []
    files = sorted(str(p) for p in path.rglob("*") if p.is_file()
                   and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts))
    fmts = {TABLE_EXTENSIONS.get(Path(f).suffix.lower()) for f in files}
    if files and len(fmts) == 1 and None not in fmts and (fmts != {"csv"} or kind == "table"):
        return "table", fmts.pop(), files  # a folder of Parquet/JSONL parts is a table; CSV folders only on request
    if kind == "table":
        raise CultureLintError(_("{path}: no table files (.parquet, .csv, .tsv, .jsonl) of one kind in this folder")
                               .format(path=input_path))
    return "scripts", None, []


def fingerprint(files: Iterable[str]) -> str:
    """Size and modification time of every input file: a resumed run must read the same input."""
    import hashlib

    h = hashlib.sha1()
    for f in sorted(files):
        st = os.stat(f)
        h.update(f"{os.path.abspath(f)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


# --------------------------------------------------------------------------------------------------------
# Staging CSV / JSON Lines as Parquet


def auto_partition_size(rows: int) -> int:
    """10,000 rows, or fewer for small tables so that there are about 32 partitions (at least 1,000 rows)."""
    return max(MIN_TABLE_PARTITION, min(MAX_TABLE_PARTITION, -(-rows // 32)))


def stage(fmt: str, files: list[str], staged_dir: Path, encoding: str | None = None) -> list[str]:
    """Convert CSV/TSV/JSONL files into Parquet files of ``STAGE_ROWS`` rows, streaming (flat memory)."""
    staged_dir.mkdir(parents=True, exist_ok=True)
    out: list[str] = []
    for f in files:
        if fmt in ("csv", "tsv"):
            chunks = _csv_chunks(f, "\t" if fmt == "tsv" else ",", STAGE_ROWS, encoding)
        else:
            chunks = _jsonl_chunks(f, STAGE_ROWS, encoding)
        for table in chunks:
            dest = staged_dir / f"{len(out):05d}.parquet"
            _write_parquet(table, dest, STAGE_ROW_GROUP)
            out.append(str(dest))
    return out


def _csv_chunks(path: str, delimiter: str, size: int, encoding: str | None):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    read = pacsv.ReadOptions(block_size=1 << 22, encoding=encoding or "utf8")
    parse = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True)
    try:
        with pacsv.open_csv(path, read_options=read, parse_options=parse) as probe:
            names = probe.schema.names
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise CultureLintError(_("{path}: duplicate column names: {names}").format(path=path, names=", ".join(dup)))
        convert = pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                                       quoted_strings_can_be_null=False)
        reader = pacsv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert)
        yield from _rechunk(iter(reader), size)
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError) as exc:
        raise CultureLintError(_("{path}: cannot read as CSV: {reason}").format(
            path=path, reason=str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)) from None


def _jsonl_chunks(path: str, size: int, encoding: str | None):
    rows: list[dict] = []
    with open(path, encoding=encoding or "utf-8-sig", errors="strict", newline="") as fh:
        try:
            for line_no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise CultureLintError(_("not valid JSON: {reason}").format(reason=exc.msg), path, line_no,
                                           exc.colno) from None
                if not isinstance(obj, dict):
                    raise CultureLintError(_("each line must be a JSON object"), path, line_no, 1)
                rows.append({str(k): _json_cell(v) for k, v in obj.items()})
                if len(rows) >= size:
                    yield _strings_table(rows)
                    rows = []
        except UnicodeDecodeError as exc:
            raise CultureLintError(_("{path}: not valid {encoding}: {reason}").format(
                path=path, encoding=encoding or "utf-8", reason=exc.reason)) from None
    if rows:
        yield _strings_table(rows)


def _json_cell(v: Any) -> str | None:
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, list) and all(isinstance(i, str) for i in v):
        return "\n".join(v)  # tags, bullet points
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return json.dumps(v) if isinstance(v, bool) else str(v)


def _strings_table(rows: list[dict]):
    import pyarrow as pa

    names: dict[str, None] = {}
    for r in rows:
        for k in r:
            names.setdefault(k, None)
    return pa.table({n: pa.array([r.get(n) for r in rows], type=pa.string()) for n in names})


def _rechunk(batches, size: int):
    import pyarrow as pa

    pending: list = []
    count = 0
    for batch in batches:
        pending.append(batch)
        count += batch.num_rows
        while count >= size:
            table = pa.Table.from_batches(pending)
            yield table.slice(0, size)
            rest = table.slice(size)
            pending = rest.to_batches()
            count = rest.num_rows
    if count:
        yield pa.Table.from_batches(pending)


def _write_parquet(table, dest: Path, row_group_size: int | None = None) -> None:
    import pyarrow.parquet as pq

    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    pq.write_table(table, tmp, row_group_size=row_group_size or max(table.num_rows, 1))
    os.replace(tmp, dest)


# --------------------------------------------------------------------------------------------------------
# Planning


def parquet_header(files: list[str]) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    names: dict[str, None] = {}
    for f in files:
        try:
            schema = pq.read_schema(f)
        except (pa.ArrowInvalid, OSError) as exc:
            raise CultureLintError(_("{path}: not a Parquet file: {reason}").format(path=f, reason=exc)) from None
        for n in schema.names:
            if not n.startswith("__index_level_"):
                names.setdefault(n, None)
    return list(names)


def count_rows(files: list[str]) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(f).metadata.num_rows for f in files)


def plan_table(files: list[str], partition_size: int) -> list[Part]:
    """Partitions of ``partition_size`` rows (the last one may be smaller) made of row-group slices."""
    import pyarrow.parquet as pq

    parts: list[Part] = []
    pieces: list[tuple[str, int, int, int]] = []
    count = 0
    offset = 0

    def flush() -> None:
        nonlocal pieces, count, offset
        if count:
            parts.append(Part(index=len(parts), rows=count, row_offset=offset, pieces=tuple(pieces)))
            offset += count
        pieces, count = [], 0

    for f in files:
        meta = pq.ParquetFile(f).metadata
        for rg in range(meta.num_row_groups):
            n = meta.row_group(rg).num_rows
            start = 0
            while start < n:
                take = min(n - start, partition_size - count)
                pieces.append((f, rg, start, start + take))
                count += take
                start += take
                if count >= partition_size:
                    flush()
    flush()
    return parts


def plan_scripts(files: list[str], partition_size: int) -> list[Part]:
    return [Part(index=i, rows=len(chunk), files=tuple(chunk))
            for i, chunk in enumerate(files[s:s + partition_size] for s in range(0, len(files), partition_size))]


# --------------------------------------------------------------------------------------------------------
# Worker side


def read_part(part: Part, columns: list[str]):
    """The partition's rows as a pandas DataFrame indexed by 1-based row number."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = []
    for path, rg, start, stop in part.pieces:
        pf = pq.ParquetFile(path)
        have = [c for c in columns if c in pf.schema_arrow.names]
        got = []
        seen = 0
        for batch in pf.iter_batches(batch_size=min(65_536, max(stop, 1)), row_groups=[rg], columns=have):
            lo, hi = max(start - seen, 0), min(stop - seen, batch.num_rows)
            if hi > lo:
                got.append(batch.slice(lo, hi - lo))
            seen += batch.num_rows
            if seen >= stop:
                break
        table = pa.Table.from_batches(got, schema=pf.schema_arrow.empty_table().select(have).schema) \
            if got else pf.schema_arrow.empty_table().select(have)
        for c in columns:
            if c not in have:
                table = table.append_column(c, pa.nulls(table.num_rows, pa.string()))
        tables.append(table.select(columns))
    table = pa.concat_tables(tables, promote_options="permissive") if len(tables) > 1 else tables[0]
    df = table.to_pandas()
    df.index = range(part.row_offset + 1, part.row_offset + 1 + len(df))
    return df


def process_part(part: Part, spec: LinterSpec, job: Job) -> dict[str, Any]:
    """Lint one partition on a worker, write its outputs, return its summary."""
    started = time.perf_counter()
    if job.kind == "table":
        from .records import lint_frame

        cols = list(dict.fromkeys(list(job.text_columns) + ([job.key] if job.key else [])))
        df = read_part(part, cols)
        findings, scores = lint_frame(df, spec, job.text_columns, job.key, job.scores)
    else:
        findings, scores = _lint_scripts(part, spec, job)
    out = Path(job.out)
    name = f"part-{part.index:05d}"
    write_frame(findings, out / "findings" / f"{name}.parquet", FINDINGS_SCHEMA())
    if job.scores:
        write_frame(scores, out / "scores" / f"{name}.parquet", SCORES_SCHEMA())
    summary = part_summary(part, findings, scores, time.perf_counter() - started)
    write_text(out / "_parts" / f"{name}.json", json.dumps(summary, sort_keys=True))
    return summary


def _lint_scripts(part: Part, spec: LinterSpec, job: Job):
    import pandas as pd

    from .records import (FINDING_COLUMNS as FC, INT_FINDING_COLUMNS, INT_SCORE_COLUMNS, FLOAT_SCORE_COLUMNS,
                          Record, typed_frame, empty_findings, empty_scores, finding_row, score_rows)
    from ..runner import lint_file
    from ..score import compute

    linter = get_linter(spec)
    f_rows, s_rows = [], []
    for path in part.files:
        key = Path(os.path.relpath(path, job.base)).as_posix() if job.base else Path(path).name
        report = lint_file(linter, path, job.encoding)
        f_rows.extend(finding_row(key, None, f) for f in report.findings)
        if job.scores and report.document is not None:
            doc = report.document
            record = Record(key=key, doc=doc, columns=[], starts=[], texts=[],
                            findings=[(None, f) for f in report.findings])
            scores = {m: compute(doc, report.findings, m, linter.registry.pack(m).languages, doc.signals.get(m, {}))
                      for m in linter.markets}
            s_rows.extend(score_rows(key, record, scores))
    findings = typed_frame(pd.DataFrame(f_rows, columns=list(FC)), INT_FINDING_COLUMNS, ()) if f_rows else empty_findings()
    scores_df = (typed_frame(pd.DataFrame(s_rows, columns=list(SCORE_COLUMNS)), INT_SCORE_COLUMNS, FLOAT_SCORE_COLUMNS)
                 if s_rows else empty_scores())
    return findings, scores_df


def part_summary(part: Part, findings, scores, seconds: float) -> dict[str, Any]:
    bands: dict[str, dict[str, int]] = {}
    score_sum: dict[str, float] = {}
    score_count: dict[str, int] = {}
    for market, band, score in zip(scores["market"].tolist(), scores["band"].tolist(), scores["score"].tolist()):
        bands.setdefault(market, {})
        bands[market][band] = bands[market].get(band, 0) + 1
        score_sum[market] = score_sum.get(market, 0.0) + float(score)
        score_count[market] = score_count.get(market, 0) + 1
    return {
        "index": part.index, "rows": part.rows, "findings": int(len(findings)), "seconds": round(seconds, 3),
        "severity": {str(k): int(v) for k, v in Counter(findings["severity"].tolist()).items()},
        "category": {str(k): int(v) for k, v in Counter(findings["category"].tolist()).items()},
        "rule": {str(k): int(v) for k, v in Counter(findings["rule"].tolist()).items()},
        "rows_with_findings": int(findings["key"].nunique()) if len(findings) else 0,
        "bands": bands, "score_sum": score_sum, "score_count": score_count, "pid": os.getpid(), "builds": BUILDS["count"],
    }


def FINDINGS_SCHEMA():
    import pyarrow as pa

    ints = {"line", "column", "end_line", "end_column"}
    return pa.schema([(c, pa.int64() if c in ints else pa.string()) for c in FINDING_COLUMNS])


def SCORES_SCHEMA():
    import pyarrow as pa

    ints = {"words", "errors", "warnings", "infos"}
    return pa.schema([(c, pa.int64() if c in ints else pa.string() if c in ("key", "market", "band")
                       else pa.float64()) for c in SCORE_COLUMNS])


def write_frame(df, dest: Path, schema) -> None:
    import pyarrow as pa

    dest.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df, schema=schema, preserve_index=False)
    _write_parquet(table, dest)


def write_text(dest: Path, text: str) -> None:
    """Write a small JSON/text file of the batch output atomically (its folder made when missing)."""
    from ..util.fsutil import atomic_write

    dest.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(dest, text.encode("utf-8"), durable=False)


def warm(spec: LinterSpec) -> dict[str, Any]:
    """Run on every worker before the tasks: compile the packs once, report what was compiled."""
    from .. import __version__
    from .records import rules_fingerprint

    started = time.perf_counter()
    linter = get_linter(spec)
    # one tiny row through the whole partition path: pandas, pyarrow, spaCy stop words and the writers' schema
    # conversions load now, not inside the first partition
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet  # noqa: F401
    from .records import lint_frame

    findings, scores = lint_frame(pd.DataFrame({"text": ["Warm-up row."]}), spec, ["text"], None, True)
    pa.Table.from_pandas(findings, schema=FINDINGS_SCHEMA(), preserve_index=False)
    pa.Table.from_pandas(scores, schema=SCORES_SCHEMA(), preserve_index=False)
    return {"fingerprint": rules_fingerprint(linter), "version": __version__, "pid": os.getpid(),
            "seconds": round(time.perf_counter() - started, 3)}


def done_parts(out: Path) -> dict[int, dict]:
    """Summaries of the partitions already written (their summary file is written last)."""
    done = {}
    folder = out / "_parts"
    if folder.is_dir():
        for f in folder.glob("part-*.json"):
            try:
                data = json.loads(f.read_text(encoding="utf-8"))
                done[int(data["index"])] = data
            except (OSError, ValueError, KeyError):
                continue  # a damaged summary: the partition runs again
    return done


def plan_to_dict(plan: Plan) -> dict:
    return {"kind": plan.kind, "input": plan.input, "header": plan.header, "text_columns": plan.text_columns,
            "key": plan.key, "parts": [asdict(p) for p in plan.parts]}


def plan_from_dict(d: dict) -> Plan:
    return Plan(kind=d["kind"], input=d["input"], header=list(d.get("header", [])),
                text_columns=list(d.get("text_columns", [])), key=d.get("key"),
                parts=[Part.from_dict(p) for p in d.get("parts", [])])
