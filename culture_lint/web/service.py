"""What the web app does, without the web: requests (plain dicts) in, contract JSON and files out.

Everything here reuses the library: the engine's ``Linter`` through ``incremental.Incremental`` (the same
read → lint path as ``culture-lint check``, re-linting only the paragraphs that changed since the last request
for the draft), ``runner.add_scores``, the ``fix`` command's fix loop and the reporters. The HTTP layer
(:mod:`culture_lint.web.app`) only parses bodies and maps :class:`WebError` to a 4xx response.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from ..errors import CultureLintError
from ..i18n import _, normalize_lang, pick, set_lang

MAX_BODY_BYTES = 8 * 1024 * 1024  # a request body larger than this is refused with 413
MAX_FILENAME = 200
LINTER_CACHE = 8  # compiled linters kept (one per market set and show metadata)
META_KEYS = ("date", "start", "timezone", "platform", "sponsored", "ai_host", "product_category", "lang")
REPORT_FORMATS = {"json": "application/json", "sarif": "application/sarif+json", "html": "text/html",
                  "text": "text/plain", "junit": "application/xml", "gitlab": "application/json",
                  "concise": "text/plain", "github": "text/plain"}
REPORT_SUFFIX = {"json": "json", "sarif": "sarif", "html": "html", "text": "txt", "junit": "xml",
                 "gitlab": "json", "concise": "txt", "github": "txt"}


class WebError(Exception):
    """A request the server refuses: an HTTP status and a message for the person at the page."""

    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field

    def to_dict(self) -> dict:
        out = {"error": {"status": self.status, "message": self.message}}
        if self.field:
            out["error"]["field"] = self.field
        return out


@dataclass
class Request:
    """A validated /api/check, /api/fix, /api/score or /api/report body."""

    filename: str
    data: bytes
    markets: list[str]
    lang: str
    metadata: dict[str, Any] = field(default_factory=dict)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    encoding: str | None = None
    scores: bool = False
    details: bool = False
    unsafe: bool = False
    fmt: str = "json"
    quick: bool = False  # whole-document rules may keep their last findings (see incremental.py)


def safe_filename(value: Any) -> str:
    """A bare file name (its extension picks the reader); paths, traversal and control characters are refused."""
    if value is None or value == "":
        return "draft.txt"
    if not isinstance(value, str):
        raise WebError(400, _("'filename' must be a string"), "filename")
    if (len(value) > MAX_FILENAME or "/" in value or "\\" in value or value in (".", "..")
            or any(ord(ch) < 32 or ord(ch) == 127 for ch in value) or ":" in value
            or PurePosixPath(value).name != value or PureWindowsPath(value).name != value):
        raise WebError(400, _("'filename' must be a bare file name such as draft.srt, not a path"), "filename")
    return value


def _string_list(value: Any, name: str) -> list[str]:
    from ..select import split_codes

    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WebError(400, _("'{field}' must be a list of strings").format(field=name), name)
    return split_codes(value)


def parse_request(body: Any, *, need_text: bool = True) -> Request:
    """Validate a JSON body; every problem is a :class:`WebError` with a message that says which field."""
    if not isinstance(body, dict):
        raise WebError(400, _("the request body must be a JSON object"))
    filename = safe_filename(body.get("filename"))
    text, b64 = body.get("text"), body.get("data")
    encoding = body.get("encoding")
    if encoding is not None:
        import codecs

        if not isinstance(encoding, str):
            raise WebError(400, _("unknown encoding '{encoding}'").format(encoding=encoding), "encoding")
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise WebError(400, _("unknown encoding '{encoding}'").format(encoding=encoding), "encoding") from None
    if text is not None and b64 is not None:
        raise WebError(400, _("send either 'text' or 'data', not both"))
    if text is not None:
        if not isinstance(text, str):
            raise WebError(400, _("'text' must be a string"), "text")
        try:
            data = text.encode(encoding or "utf-8")
        except (UnicodeEncodeError, LookupError):
            raise WebError(400, _("the text cannot be written in the encoding {encoding}").format(
                encoding=encoding), "encoding") from None
        except ValueError:
            raise WebError(400, _("'text' is not valid Unicode"), "text") from None
    elif b64 is not None:
        if not isinstance(b64, str):
            raise WebError(400, _("'data' must be the file's bytes in base64"), "data")
        try:
            data = base64.b64decode(b64, validate=True)
        except (binascii.Error, ValueError):
            raise WebError(400, _("'data' must be the file's bytes in base64"), "data") from None
    elif need_text:
        raise WebError(400, _("send the draft as 'text' (or a file's bytes as base64 'data')"), "text")
    else:
        data = b""
    lang = body.get("lang") or "en"
    if not isinstance(lang, str) or normalize_lang(lang) is None:
        raise WebError(400, _("'lang' must be en or zh"), "lang")
    metadata: dict[str, Any] = {}
    meta = body.get("meta") or {}
    if not isinstance(meta, dict):
        raise WebError(400, _("'meta' must be an object"), "meta")
    for key in META_KEYS:
        value = body.get(key, meta.get(key))
        if value in (None, "", []):
            continue
        if key in ("sponsored", "ai_host"):
            if not isinstance(value, bool):
                raise WebError(400, _("'{field}' must be true or false").format(field=key), key)
        elif key == "platform":
            value = _string_list(value, key)
            value = value[0] if len(value) == 1 else value
        elif not isinstance(value, str):
            raise WebError(400, _("'{field}' must be a string").format(field=key), key)
        if key == "date":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise WebError(400, _("'date' must be YYYY-MM-DD, got '{value}'").format(value=value), key) from None
        if key == "start" and not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", value):
            raise WebError(400, _("'start' must be HH:MM, got '{value}'").format(value=value), key)
        if key == "lang" and key not in meta:
            continue  # top-level 'lang' is the interface language; the document's language goes in meta
        metadata[key] = value
    fmt = body.get("format") or "json"
    if fmt not in REPORT_FORMATS:
        raise WebError(400, _("unknown format '{fmt}'").format(fmt=fmt), "format")
    return Request(filename=filename, data=data, markets=_string_list(body.get("markets"), "markets"),
                   lang=normalize_lang(lang) or "en", metadata=metadata,
                   select=_string_list(body.get("select"), "select"), ignore=_string_list(body.get("ignore"), "ignore"),
                   encoding=encoding, scores=bool(body.get("scores")), details=bool(body.get("details")),
                   unsafe=bool(body.get("unsafe_fixes")), fmt=fmt, quick=body.get("quick") is True)


def decode_json(raw: bytes) -> Any:
    """A request body as JSON: UTF-8 only, with a clear message for anything else."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WebError(400, _("the request body is not UTF-8 (byte {offset}); send JSON in UTF-8").format(
            offset=exc.start)) from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise WebError(400, _("the request body is not valid JSON: {reason}").format(reason=str(exc)[:200])) from None


class Service:
    """One registry, a small cache of compiled linters and a lock: linting and the interface language are
    process-wide, so requests take turns (the server is local, one writer at a time)."""

    def __init__(self, rules_dirs: list[Path] | None = None, defaults: dict | None = None):
        from ..packs.registry import Registry

        self.rules_dirs = [Path(d) for d in rules_dirs or []]
        self.registry = Registry(self.rules_dirs)
        self.defaults = dict(defaults or {})  # from the config: markets, select, ignore, severity, metadata
        self.lock = threading.RLock()
        self._linters: OrderedDict[tuple, Any] = OrderedDict()
        self._drafts: dict[tuple, tuple] = {}  # (linter id, file name) -> (Incremental, DocCache)

    # -- helpers -----------------------------------------------------------------------------------------
    def markets(self, names: list[str]) -> list[str]:
        out: list[str] = []
        for name in names:
            try:
                pid = self.registry.resolve_market(name)
            except CultureLintError as exc:
                raise WebError(400, str(exc), "markets") from None
            if pid not in out:
                out.append(pid)
        return out

    def linter(self, markets: list[str], req: Request):
        from ..engine import Linter, Options

        metadata = dict(self.defaults.get("metadata") or {})
        metadata.update(req.metadata)
        select = req.select or list(self.defaults.get("select") or [])
        ignore = req.ignore or list(self.defaults.get("ignore") or [])
        key = (tuple(markets), json.dumps(metadata, sort_keys=True, default=str), tuple(select), tuple(ignore))
        linter = self._linters.get(key)
        if linter is None:
            options = Options(select=select, ignore=ignore, severity=dict(self.defaults.get("severity") or {}),
                              metadata=metadata)
            linter = Linter(markets, self.registry, options)
            self._linters[key] = linter
            while len(self._linters) > LINTER_CACHE:
                self._linters.popitem(last=False)
        else:
            self._linters.move_to_end(key)
        return linter

    def _document_markets(self, req: Request) -> list[str]:
        """Markets of the request, else the config's, else the file's own ``market:`` front matter."""
        from ..readers import BinaryFile, read_bytes
        from ..select import split_codes

        if req.markets:
            return self.markets(req.markets)
        if self.defaults.get("markets"):
            return self.markets(list(self.defaults["markets"]))
        try:
            doc = read_bytes(req.filename, req.data, req.encoding)
            found = split_codes(doc.metadata.get("market"))
        except BinaryFile:
            found = []
        except Exception:  # noqa: BLE001 - an unreadable file gets its finding from lint; no market here
            found = []
        if not found:
            raise WebError(400, _("no market given: choose one (or put 'market:' in the front matter)"), "markets")
        return self.markets(found)

    def call(self, endpoint: str, raw: bytes, lang: str | None = None):
        """Decode a raw JSON body and run an endpoint, with messages in the request's interface language."""
        with self.lock:
            set_lang(normalize_lang(lang) or "en")
            body = decode_json(raw)
            if isinstance(body, dict) and isinstance(body.get("lang"), str) and normalize_lang(body["lang"]):
                set_lang(normalize_lang(body["lang"]))
            req = parse_request(body)
            return getattr(self, endpoint)(req)

    # -- endpoints ---------------------------------------------------------------------------------------
    def check(self, req: Request) -> dict:
        """The contract-v1 JSON of ``culture-lint check --format json`` (``scores`` as ``score`` when asked)."""
        with self.lock:
            set_lang(req.lang)
            run, report, linter, exact = self._lint(req)
            from ..report.json_report import as_dict

            out = as_dict(run)
            if req.details:
                out["details"] = self._details(report, linter)
                out["details"]["exact"] = exact
            return out

    def _lint(self, req: Request):
        from ..report import Run
        from ..runner import add_scores

        markets = self._document_markets(req)
        linter = self.linter(markets, req)
        report, exact = self._incremental_report(linter, req)
        if req.scores or req.fmt == "html":
            add_scores([report], self.registry, linter.markets)
        run = Run([report], list(linter.markets), {r.id: r for r in linter.rules},
                  show_scores=req.scores)
        return run, report, linter, exact

    def _incremental_report(self, linter, req: Request):
        """``runner.lint_data`` for a draft being typed: the segments that did not change since the last
        request for this file come from the cache (culture_lint/incremental.py); the findings are the same."""
        from ..incremental import DocCache
        from ..models import FileReport
        from ..readers import BinaryFile, read_bytes

        try:
            doc = read_bytes(req.filename, req.data, req.encoding, linter.options.columns)
        except BinaryFile:
            return FileReport(req.filename, [], skipped=_("binary file skipped")), True
        live = {id(x) for x in self._linters.values()}
        for key in [k for k, (inc, _c) in self._drafts.items() if k[0] not in live or inc.linter is not linter
                    and k[0] == id(linter)]:  # the linter was dropped (its id may be reused): so is its cache
            del self._drafts[key]
        key = (id(linter), req.filename)
        inc, cache = self._drafts.get(key) or (self._tiers_for(linter), DocCache())
        self._drafts[key] = (inc, cache)
        while len(self._drafts) > 4 * LINTER_CACHE:
            self._drafts.pop(next(iter(self._drafts)))
        findings, exact = inc.lint(doc, cache, quick=req.quick)
        return FileReport(req.filename, findings, document=doc), exact

    def _tiers_for(self, linter):
        from ..incremental import Incremental

        for (lid, _name), (inc, _cache) in self._drafts.items():
            if lid == id(linter):
                return inc
        return Incremental(linter)

    def report(self, req: Request) -> tuple[str, str, str]:
        """(body, media type, file name) of a report in any ``--format`` for the draft."""
        from ..report import render

        with self.lock:
            set_lang(req.lang)
            run, _report, _linter, _exact = self._lint(req)
            body = render(req.fmt, run)
        stem = PurePosixPath(req.filename).stem or "draft"
        return body, REPORT_FORMATS[req.fmt], f"{stem}.culture-lint.{REPORT_SUFFIX[req.fmt]}"

    def fix(self, req: Request) -> dict:
        """What ``culture-lint fix`` writes for these bytes: the fixed file, in the file's own encoding."""
        from ..commands.fix import fix_document
        from ..fix import encode_like
        from ..readers import BinaryFile, read_bytes
        from ..report import Run
        from ..report.json_report import as_dict
        from ..models import FileReport

        with self.lock:
            set_lang(req.lang)
            markets = self._document_markets(req)
            linter = self.linter(markets, req)
            try:
                doc = read_bytes(req.filename, req.data, req.encoding, linter.options.columns)
            except BinaryFile:
                raise WebError(415, _("binary file: nothing to fix")) from None
            if any(f.rule == "core.input.undecodable" for f in doc.diagnostics):
                raise WebError(422, _("the file cannot be decoded; nothing was fixed"))
            original = doc.source
            doc, findings, applied = fix_document(linter, doc, req.unsafe)
            warning = None
            new_bytes = req.data
            if doc.source != original:
                try:
                    if encode_like(original, req.data, doc.encoding) != req.data:
                        raise UnicodeEncodeError(doc.encoding, original, 0, len(original), "does not round-trip")
                    new_bytes = encode_like(doc.source, req.data, doc.encoding)
                except (UnicodeEncodeError, LookupError):
                    warning = _("{path}: a fix cannot be written in the file's encoding ({encoding}); not changed"
                                ).format(path=req.filename, encoding=doc.encoding)
                    applied = 0
                    doc = read_bytes(req.filename, req.data, req.encoding, linter.options.columns)
                    findings = linter.lint(doc)
            report = FileReport(req.filename, findings, document=doc)
            if req.scores:
                from ..runner import add_scores

                add_scores([report], self.registry, linter.markets)
            out = as_dict(Run([report], list(linter.markets)))
            out["fix"] = {"applied": applied, "changed": new_bytes != req.data, "encoding": doc.encoding,
                          "text": doc.source, "data": base64.b64encode(new_bytes).decode("ascii"),
                          "filename": req.filename, "warning": warning}
            if req.details:
                out["details"] = self._details(report, linter)
            return out

    def score(self, req: Request) -> dict:
        req.scores = True
        return self.check(req)

    def _details(self, report, linter) -> dict:
        """What the page shows beside the contract JSON: metadata, segments' times, the rules' why."""
        doc = report.document
        rules = {r.id: r for r in linter.rules}
        fired = {}
        for f in report.findings:
            rule = rules.get(f.rule)
            if rule is not None and f.rule not in fired:
                fired[f.rule] = {"why": pick(rule.why), "legal": rule.legal, "kind": rule.kind,
                                 "confidence": rule.confidence}
        out: dict[str, Any] = {"rules": fired, "skipped": report.skipped, "exact": True}
        if doc is not None:
            meta = {k: (v.isoformat() if isinstance(v, (dt.date, dt.time)) else v)
                    for k, v in doc.metadata.items() if isinstance(v, (str, int, float, bool, list, dt.date, dt.time))}
            out.update({
                "format": doc.format, "encoding": doc.encoding, "timed": doc.timed, "metadata": meta,
                "source": doc.source, "fixable": sum(1 for f in report.findings
                                                     if any(s.safe and s.edit is not None for s in f.suggestions)),
            })
            if doc.timed:
                out["segments"] = [{"line": doc.position(s.offsets[0])[0] if len(s.offsets) else 1,
                                    "start": s.start, "end": s.end, "text": s.text[:200]}
                                   for s in doc.segments if s.start is not None]
                out["gaps"] = self._gap_limits(linter)
        return out

    def _gap_limits(self, linter) -> list[dict]:
        """Interaction cadence limits of the markets' packs (prompt gap, hook, closing), for the timeline."""
        out = []
        for market in linter.markets:
            for i in sorted(linter.market_rules.get(market, ())):
                rule = linter.rules[i]
                if rule.kind == "cadence" and rule.params.get("check") in ("prompt-gap", "hook", "closing"):
                    params = rule.params
                    seconds = params.get("max_gap_seconds", params.get("within_seconds"))
                    out.append({"market": market, "rule": rule.id, "check": params["check"],
                                "seconds": float(seconds) if seconds is not None else None,
                                "message": pick(rule.message)})
        return out

    def rules(self, query: dict) -> dict:
        """Rules of the markets (all packs when none), filtered by category, language and words."""
        with self.lock:
            set_lang(normalize_lang(query.get("lang") or "en") or "en")
            markets = self.markets(_string_list(query.get("market") or query.get("markets"), "market"))
            categories = _string_list(query.get("category"), "category")
            languages = _string_list(query.get("language"), "language")
            words = (query.get("q") or "").strip().lower()
            try:
                limit = max(1, min(int(query.get("limit") or 200), 2000))
            except ValueError:
                raise WebError(400, _("'limit' must be a number"), "limit") from None
            if markets:
                chosen: dict[str, Any] = {}
                for m in markets:
                    for rule in self.registry.market_rules(m):
                        chosen.setdefault(rule.id, rule)
                rules = list(chosen.values())
            else:
                rules = [r for pid in self.registry.pack_ids for r in self.registry.pack(pid).rules]
            if categories:
                rules = [r for r in rules if r.category in categories]
            if languages:
                rules = [r for r in rules if any(lang in r.languages for lang in languages)]
            rows = []
            for rule in sorted(rules, key=lambda r: r.id):
                row = rule_row(rule)
                if words and words not in json.dumps(row, ensure_ascii=False).lower():
                    continue
                rows.append(row)
            return {"total": len(rows), "rules": rows[:limit],
                    "categories": sorted({r.category for r in rules})}

    def calendar(self, query: dict) -> dict:
        """The ``culture-lint calendar --format json`` document for the markets around a date."""
        from ..commands.calendar import MAX_DAYS, collect, render_json

        with self.lock:
            set_lang(normalize_lang(query.get("lang") or "en") or "en")
            markets = self.markets(_string_list(query.get("market") or query.get("markets"), "market"))
            if not markets:
                raise WebError(400, _("name at least one market"), "market")
            try:
                start = dt.date.fromisoformat(query.get("from") or dt.date.today().isoformat())
            except ValueError:
                raise WebError(400, _("'from' must be YYYY-MM-DD"), "from") from None
            try:
                days = int(query.get("days") or 30)
            except ValueError:
                raise WebError(400, _("'days' must be from 1 to {max}").format(max=MAX_DAYS), "days") from None
            if not 1 <= days <= MAX_DAYS:
                raise WebError(400, _("'days' must be from 1 to {max}").format(max=MAX_DAYS), "days")
            end = start + dt.timedelta(days=days - 1)
            rows, announced = collect(self.registry, markets, start, end)
            return json.loads(render_json(markets, start, end, rows, announced))

    def market_list(self) -> list[dict]:
        with self.lock:
            out = []
            for pid in self.registry.pack_ids:
                pack = self.registry.pack(pid)
                out.append({"market": pid, "name": pick(pack.name), "kind": pack.kind, "languages": pack.languages,
                            "aliases": pack.aliases})
            return out


def rule_row(rule) -> dict:
    """A rule for the rules browser: what ``culture-lint rules show`` prints, as data."""
    suggestions = []
    for s in rule.suggestions:
        text = pick({k: v for k, v in s.items() if k != "safe"})
        if text:
            suggestions.append({"text": text, "safe": bool(s.get("safe", False))})
    return {
        "id": rule.id, "pack": rule.pack, "category": rule.category, "severity": rule.severity, "kind": rule.kind,
        "languages": rule.languages, "legal": rule.legal, "confidence": rule.confidence,
        "message": pick(rule.message).replace("{text}", "…"), "why": pick(rule.why), "source": rule.source,
        "suggestions": suggestions,
        "examples": {"flag": [c["text"].strip() for c in rule.tests.get("flag", [])[:5] if isinstance(c, dict)],
                     "pass": [c["text"].strip() for c in rule.tests.get("pass", [])[:5] if isinstance(c, dict)]},
        "fixtures": {"flag": len(rule.tests.get("flag", [])), "pass": len(rule.tests.get("pass", []))},
    }
