"""Read → lint → (score) for a list of paths, producing one FileReport per file."""

from __future__ import annotations

import sys
from pathlib import Path

from ..engine import Linter
from ..i18n import _
from ..models import FileReport
from ..readers import BinaryFile, read_bytes
from ..select import split_codes
from .catalog import is_catalog, lint_catalog
from .inputs import read_bounded, size_limit

def lint_file(linter: Linter, path: str, encoding: str | None = None,
              stdin_filename: str | None = None, max_bytes: int | None = None) -> FileReport:
    """Read (within the size limit) and lint one file; a file that cannot be read is a ``core.input`` finding."""
    got = read_bounded(path, max_bytes or size_limit(linter.options), stdin_filename)
    if not got.ok:
        return got.report(linter.markets)
    return lint_data(linter, got.name, got.data, encoding)


def lint_data(linter: Linter, name: str, data: bytes, encoding: str | None = None, doc=None) -> FileReport:
    """Parse (unless ``doc`` is the parsed file already) and lint a file's bytes, through the results cache
    when the linter's options name one. A catalog (CSV/TSV) is linted as records, one per row, as ``batch`` does."""
    from ..cache import results_cache

    cache = results_cache(linter)
    if cache is not None:
        hit = cache.get(name, data, encoding)
        if hit is not None:
            return hit
    if doc is None:
        try:
            doc = read_bytes(name, data, encoding, linter.options.columns)
        except BinaryFile:
            return FileReport(name, [], skipped=_("binary file skipped"))
    if is_catalog(doc):
        findings = lint_catalog(linter, doc)
    else:
        findings = linter.lint(doc)
    report = FileReport(name, findings, document=doc)
    if cache is not None:
        cache.put(name, data, encoding, report)
    if getattr(linter.options, "lazy_documents", False):  # `check` keeps only the bytes of each file
        # the parsed document (a source offset for every character) is dropped, so memory stays flat over
        # big repositories; a report that shows source lines (text, html) parses the file again
        from ..cache import LazyDocument

        report.document = LazyDocument(name, data, encoding, dict(linter.options.metadata or {}), dict(doc.signals),
                                       columns=linter.options.columns)
    return report


def lint_paths_reports(linter: Linter, files: list[str], encoding: str | None = None,
                       stdin_filename: str | None = None, jobs: int = 1) -> list[FileReport]:
    reports = [lint_file(linter, f, encoding, stdin_filename) for f in files]
    reports.sort(key=lambda r: r.path)
    return reports


def lint_many(registry, markets: list[str], options, files: list[str], encoding: str | None = None,
              stdin_filename: str | None = None, jobs: int = 1):
    """Lint files for the given markets, or for each file's own ``market:`` metadata when none are given.

    Returns (reports, markets used, {rule id: Rule}).
    """
    linters: dict[tuple[str, ...], Linter] = {}

    def linter_for(ms: list[str]) -> Linter:
        key = tuple(ms)
        if key not in linters:
            linters[key] = Linter(ms, registry, options)
        return linters[key]

    if markets:
        linter = linter_for(markets)
        if jobs > 1 and len(files) > 1 and "-" not in files:
            reports = _parallel(registry, markets, options, files, encoding, jobs, linter)
        else:
            reports = lint_paths_reports(linter, files, encoding, stdin_filename)
        used = linter.markets
    else:
        reports, used = _lint_by_document_market(linter_for, options, files, encoding, stdin_filename)
        reports.sort(key=lambda r: r.path)
    rules = {r.id: r for lt in linters.values()
             for sub in [lt, *lt._platform_linters.values()] for r in sub.rules}  # + front-matter platforms
    return reports, used, rules


def _lint_by_document_market(linter_for, options, files: list[str], encoding: str | None,
                             stdin_filename: str | None) -> tuple[list[FileReport], list[str]]:
    """No market given: each file is linted for the ``market:`` of its own metadata (parsed once)."""
    from ..errors import CultureLintError

    reports: list[FileReport] = []
    used: list[str] = []
    limit = size_limit(options)
    for path in files:
        got = read_bounded(path, limit, stdin_filename)
        if not got.ok:  # a file that cannot be read is a finding, not a reason to stop the run
            reports.append(got.report())
            continue
        try:
            doc = read_bytes(got.name, got.data, encoding, options.columns)
        except BinaryFile:
            reports.append(FileReport(got.name, [], skipped=_("binary file skipped")))
            continue
        doc_markets = split_codes(doc.metadata.get("market"))
        if not doc_markets:
            raise CultureLintError(_("no market given for {path}: use -m MARKET, 'markets:' in the config "
                                     "or 'market:' in the file's front matter").format(path=got.name))
        lt = linter_for(doc_markets)
        reports.append(lint_data(lt, got.name, got.data, encoding, doc=doc))
        used.extend(m for m in lt.markets if m not in used)
    reports.sort(key=lambda r: r.path)
    return reports, used


_WORKER: dict = {}


def _init_worker(registry_dirs, markets, options) -> None:
    from ..packs.registry import Registry

    _WORKER["linter"] = Linter(markets, Registry(registry_dirs), options)


def _work(args) -> FileReport:
    path, encoding = args
    linter = _WORKER["linter"]
    report = lint_file(linter, path, encoding)
    if report.document is not None:
        # the parent gets the file's bytes, not the parsed document (offsets per character: pickling those
        # cost more than linting); it parses again only if a report shows source lines
        from ..cache import LazyDocument

        doc = report.document
        if not isinstance(doc, LazyDocument):
            try:
                data = Path(path).read_bytes()
            except OSError:
                data = None
            if data is not None:
                report.document = LazyDocument(report.path, data, encoding, dict(linter.options.metadata or {}),
                                               dict(doc.signals), columns=linter.options.columns)
    return report


def _parallel(registry, markets, options, files, encoding, jobs, linter: Linter | None = None) -> list[FileReport]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    extra = registry.dirs[1:]
    initializer, initargs = _init_worker, (extra, markets, options)
    if linter is not None and multiprocessing.get_start_method() == "fork":
        # forked workers inherit the compiled linter (and spaCy, loaded here once) instead of building their own
        linter.patterns.warm()
        _WORKER["linter"] = linter
        initializer, initargs = None, ()
    with ProcessPoolExecutor(max_workers=jobs, initializer=initializer, initargs=initargs) as pool:
        reports = list(pool.map(_work, [(f, encoding) for f in files], chunksize=max(1, len(files) // (jobs * 4))))
    reports.sort(key=lambda r: r.path)
    return reports


def add_scores(reports: list[FileReport], registry, markets: list[str]) -> dict:
    """Fill ``report.scores`` for every linted file; returns {(path, market): Score} for --explain."""
    from ..score import compute

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
