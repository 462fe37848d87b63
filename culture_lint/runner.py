"""Read → lint → (score) for a list of paths, producing one FileReport per file."""

from __future__ import annotations

import sys
from pathlib import Path

from .engine import Linter
from .i18n import _
from .models import FileReport, Finding
from .readers import BinaryFile, read_bytes

MAX_FILE_BYTES = 50 * 1024 * 1024


def read_input(path: str, stdin_filename: str | None = None, limit: int | None = None) -> tuple[str, bytes]:
    """A file's (or stdin's) bytes; with ``limit``, at most ``limit + 1`` of them (more means: too large)."""
    if path == "-":
        stream = sys.stdin.buffer
        return stdin_filename or "<stdin>", stream.read() if limit is None else stream.read(limit + 1)
    if limit is None:
        return path, Path(path).read_bytes()
    with open(path, "rb") as fh:  # bounded even when the file grows after stat or has no size (/proc, pipes)
        return path, fh.read(limit + 1)


def size_limit(options) -> int:
    """The largest file linted, in bytes (``max_file_size`` in the options, else the default)."""
    return getattr(options, "max_file_size", None) or MAX_FILE_BYTES


def too_large_message(size: int | None, limit: int) -> str:
    """The core.input.too-large message (``size`` None: more than the limit was read, e.g. from stdin)."""
    return _("file is too large to lint ({size} bytes; limit {limit})").format(
        size=size if size is not None else f">{limit}", limit=limit) + " (--max-file-size)"


def lint_file(linter: Linter, path: str, encoding: str | None = None,
              stdin_filename: str | None = None, max_bytes: int | None = None) -> FileReport:
    name = stdin_filename or "<stdin>" if path == "-" else path
    limit = max_bytes or size_limit(linter.options)
    try:
        if path != "-":
            size = Path(path).stat().st_size
            if size > limit:
                return FileReport(name, _input_findings(linter, "core.input.too-large", too_large_message(size, limit)))
        name, data = read_input(path, stdin_filename, limit)
    except OSError as exc:
        return FileReport(name, _input_findings(linter, "core.input.unreadable", _(
            "cannot read file: {reason}").format(reason=exc.strerror or exc)))
    if len(data) > limit:  # grew since stat, or stdin
        return FileReport(name, _input_findings(linter, "core.input.too-large", too_large_message(None, limit)))
    return lint_data(linter, name, data, encoding)


def lint_data(linter: Linter, name: str, data: bytes, encoding: str | None = None) -> FileReport:
    """Parse and lint a file's bytes, through the results cache when the linter's options name one."""
    from .cache import results_cache

    cache = results_cache(linter)
    if cache is not None:
        hit = cache.get(name, data, encoding)
        if hit is not None:
            return hit
    try:
        doc = read_bytes(name, data, encoding, linter.options.columns)
    except BinaryFile:
        return FileReport(name, [], skipped=_("binary file skipped"))
    findings = linter.lint(doc)
    report = FileReport(name, findings, document=doc)
    if cache is not None:
        cache.put(name, data, encoding, report)
    if getattr(linter.options, "lazy_documents", False):  # `check` keeps only the bytes of each file
        # the parsed document (a source offset for every character) is dropped, so memory stays flat over
        # big repositories; a report that shows source lines (text, html) parses the file again
        from .cache import LazyDocument

        report.document = LazyDocument(name, data, encoding, dict(linter.options.metadata or {}), dict(doc.signals),
                                       columns=linter.options.columns)
    return report


def _input_findings(linter: Linter | None, rule: str, message: str) -> list[Finding]:
    markets = linter.markets if linter is not None else [""]  # no market known: one finding for the file
    return [Finding(rule=rule, category="input", severity="error", market=m, message=message,
                    line=1, column=1, end_line=1, end_column=1) for m in markets]


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
            reports = _parallel(registry, markets, options, files, encoding, jobs, linter)
        else:
            reports = lint_paths_reports(linter, files, encoding, stdin_filename)
        used = linter.markets
    else:
        reports = []
        used = []
        limit = size_limit(options)
        for path in files:
            name, data = (stdin_filename or "<stdin>" if path == "-" else path), None
            try:
                if path != "-" and Path(path).stat().st_size > limit:
                    reports.append(FileReport(name, _input_findings(None, "core.input.too-large", too_large_message(
                        Path(path).stat().st_size, limit))))
                    continue
                name, data = read_input(path, stdin_filename, limit)
            except OSError as exc:  # a file that cannot be read is a finding, not a reason to stop the run
                reports.append(FileReport(name, _input_findings(None, "core.input.unreadable", _(
                    "cannot read file: {reason}").format(reason=exc.strerror or exc))))
                continue
            if len(data) > limit:
                reports.append(FileReport(name, _input_findings(None, "core.input.too-large",
                                                                too_large_message(None, limit))))
                continue
            doc_markets: list[str] = []
            if data is not None:
                try:
                    doc = read_bytes(name, data, encoding, options.columns)
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
                reports.append(lint_data(lt, name, data, encoding))
            used.extend(m for m in lt.markets if m not in used)
        reports.sort(key=lambda r: r.path)
    rules = {r.id: r for lt in linters.values()
             for sub in [lt, *lt._platform_linters.values()] for r in sub.rules}  # + front-matter platforms
    return reports, used, rules


_WORKER: dict = {}


def _init_worker(registry_dirs, markets, options) -> None:
    from .packs.registry import Registry

    _WORKER["linter"] = Linter(markets, Registry(registry_dirs), options)


def _work(args) -> FileReport:
    path, encoding = args
    linter = _WORKER["linter"]
    report = lint_file(linter, path, encoding)
    if report.document is not None:
        # the parent gets the file's bytes, not the parsed document (offsets per character: pickling those
        # cost more than linting); it parses again only if a report shows source lines
        from .cache import LazyDocument

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
