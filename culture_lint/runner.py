"""Read → lint → (score) for a list of paths, producing one FileReport per file."""

from __future__ import annotations

import sys
from pathlib import Path

from .engine import Linter
from .i18n import _
from .models import FileReport, Finding
from .readers import BinaryFile, read_bytes

MAX_FILE_BYTES = 50 * 1024 * 1024


def read_input(path: str, stdin_filename: str | None = None) -> tuple[str, bytes]:
    if path == "-":
        return stdin_filename or "<stdin>", sys.stdin.buffer.read()
    return path, Path(path).read_bytes()


def lint_file(linter: Linter, path: str, encoding: str | None = None,
              stdin_filename: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> FileReport:
    name = stdin_filename or "<stdin>" if path == "-" else path
    try:
        if path != "-":
            size = Path(path).stat().st_size
            if size > max_bytes:
                return FileReport(name, _input_findings(linter, "core.input.too-large", _(
                    "file is too large to lint ({size} bytes; limit {limit})").format(size=size, limit=max_bytes)))
        name, data = read_input(path, stdin_filename)
    except OSError as exc:
        return FileReport(name, _input_findings(linter, "core.input.unreadable", _(
            "cannot read file: {reason}").format(reason=exc.strerror or exc)))
    try:
        doc = read_bytes(name, data, encoding)
    except BinaryFile:
        return FileReport(name, [], skipped=_("binary file skipped"))
    return FileReport(name, linter.lint(doc), document=doc)


def _input_findings(linter: Linter, rule: str, message: str) -> list[Finding]:
    return [Finding(rule=rule, category="input", severity="error", market=m, message=message,
                    line=1, column=1, end_line=1, end_column=1) for m in linter.markets]


def lint_paths_reports(linter: Linter, files: list[str], encoding: str | None = None,
                       stdin_filename: str | None = None, jobs: int = 1) -> list[FileReport]:
    reports = [lint_file(linter, f, encoding, stdin_filename) for f in files]
    reports.sort(key=lambda r: r.path)
    return reports


def _market_of(doc_markets) -> list[str]:
    from .select import split_codes

    return split_codes(doc_markets)


def lint_many(registry, markets: list[str], options, files: list[str], encoding: str | None = None,
              stdin_filename: str | None = None, jobs: int = 1):
    """Lint files for the given markets, or for each file's own ``market:`` metadata when none are given.

    Returns (reports, markets used, {rule id: Rule}).
    """
    from .errors import CultureLintError
    from .i18n import _

    linters: dict[tuple[str, ...], Linter] = {}

    def linter_for(ms: list[str]) -> Linter:
        key = tuple(ms)
        if key not in linters:
            linters[key] = Linter(ms, registry, options)
        return linters[key]

    if markets:
        linter = linter_for(markets)
        if jobs > 1 and len(files) > 1 and "-" not in files:
            reports = _parallel(registry, markets, options, files, encoding, jobs)
        else:
            reports = lint_paths_reports(linter, files, encoding, stdin_filename)
        used = linter.markets
    else:
        reports = []
        used = []
        for path in files:
            name, data = ("-", None)
            try:
                name, data = read_input(path, stdin_filename)
            except OSError:
                pass
            doc_markets: list[str] = []
            if data is not None:
                try:
                    doc = read_bytes(name, data, encoding)
                    doc_markets = _market_of(doc.metadata.get("market"))
                except BinaryFile:
                    pass
            if not doc_markets:
                raise CultureLintError(_("no market given for {path}: use -m MARKET, 'markets:' in the config "
                                         "or 'market:' in the file's front matter").format(path=name))
            lt = linter_for(doc_markets)
            if data is None:
                reports.append(lint_file(lt, path, encoding, stdin_filename))
            else:
                try:
                    doc = read_bytes(name, data, encoding)
                    reports.append(FileReport(name, lt.lint(doc), document=doc))
                except BinaryFile:
                    reports.append(FileReport(name, [], skipped=_("binary file skipped")))
            used.extend(m for m in lt.markets if m not in used)
        reports.sort(key=lambda r: r.path)
    rules = {r.id: r for lt in linters.values() for r in lt.rules}
    return reports, used, rules


_WORKER: dict = {}


def _init_worker(registry_dirs, markets, options) -> None:
    from .packs.registry import Registry

    _WORKER["linter"] = Linter(markets, Registry(registry_dirs), options)


def _work(args) -> FileReport:
    path, encoding = args
    report = lint_file(_WORKER["linter"], path, encoding)
    return report


def _parallel(registry, markets, options, files, encoding, jobs) -> list[FileReport]:
    from concurrent.futures import ProcessPoolExecutor

    extra = registry.dirs[1:]
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(extra, markets, options)) as pool:
        reports = list(pool.map(_work, [(f, encoding) for f in files], chunksize=max(1, len(files) // (jobs * 4))))
    reports.sort(key=lambda r: r.path)
    return reports


def add_scores(reports: list[FileReport], registry, markets: list[str]) -> dict:
    """Fill ``report.scores`` for every linted file; returns {(path, market): Score} for --explain."""
    from .score import compute

    details = {}
    for report in reports:
        doc = report.document
        if doc is None:
            continue
        for market in markets:
            pack = registry.pack(market)
            score = compute(doc, report.findings, market, pack.languages, doc.signals.get(market, {}))
            report.scores[market] = score.to_dict()
            details[(report.path, market)] = score
    return details
