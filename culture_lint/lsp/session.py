"""The language server's work, free of any LSP library: settings, linters, incremental linting, actions.

Positions here are source offsets and 1-based (line, column in code points), as in every culture-lint report;
:mod:`.server` converts them to the client's units (UTF-16 by default).
"""

from __future__ import annotations

import dataclasses
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from ..config import CONFIG_NAMES, find_config
from ..engine import Linter
from ..errors import ConfigError, CultureLintError
from ..i18n import _, pick
from ..incremental import DocCache, Incremental, minimal_edit
from ..models import Document, Finding
from ..select import split_codes

MAX_LINTERS = 8  # compiled linters kept per server (one per distinct set of settings in play)

# How a suppression directive is written in each format: (line before, line after). None: the format has
# no comment syntax culture-lint can add without changing what the file means (JSON).
COMMENTS: dict[str, tuple[str, str] | None] = {
    "text": ("# ", ""), "markdown": ("<!-- ", " -->"), "html": ("<!-- ", " -->"), "srt": ("[", "]"),
    "vtt": ("[", "]"), "yaml": ("# ", ""), "csv": ("# ", ""), "tsv": ("# ", ""), "json": None, "docx": None,
}


def _listish(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return split_codes([value])
    if isinstance(value, (list, tuple)):
        return split_codes([str(v) for v in value if isinstance(v, (str, int)) and not isinstance(v, bool)])
    return []


@dataclass
class ClientSettings:
    """What the editor says (``initializationOptions`` or ``workspace/didChangeConfiguration``)."""

    markets: list[str] = field(default_factory=list)
    lang: str | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    min_severity: str | None = None
    debounce_ms: int = 150
    full_delay_ms: int = 50

    @classmethod
    def from_any(cls, raw: Any, base: "ClientSettings | None" = None) -> "ClientSettings":
        """Settings from whatever the client sent: unknown keys and wrong types are ignored, never fatal."""
        out = dataclasses.replace(base) if base else cls()
        if not isinstance(raw, dict):
            return out
        for key in ("cultureLint", "culture-lint", "culture_lint"):
            if isinstance(raw.get(key), dict):
                raw = raw[key]
                break
        if "markets" in raw or "market" in raw:
            out.markets = _listish(raw.get("markets", raw.get("market")))
        for name in ("select", "ignore", "rules"):
            if name in raw:
                setattr(out, name, _listish(raw[name]))
        if isinstance(raw.get("lang"), str) or raw.get("lang") is None and "lang" in raw:
            out.lang = raw.get("lang") or None
        sev = raw.get("minSeverity", raw.get("min_severity"))
        if sev is None or isinstance(sev, str):
            out.min_severity = sev or None if ("minSeverity" in raw or "min_severity" in raw) else out.min_severity
        for key, attr, low, high in (("debounce", "debounce_ms", 0, 10_000), ("debounceMs", "debounce_ms", 0, 10_000),
                                     ("fullDelayMs", "full_delay_ms", 0, 60_000)):
            value = raw.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                setattr(out, attr, int(min(max(value, low), high)))
        return out


@dataclass
class Resolved:
    """The linter (and settings) one document is linted with."""

    linter: Linter
    config_path: str | None
    columns: list[str]
    key: tuple
    incremental: Incremental


@dataclass
class DocState:
    uri: str
    path: str
    version: int | None
    text: str
    document: Document | None = None
    findings: list[Finding] = field(default_factory=list)
    resolved: Resolved | None = None
    raw_metadata: dict = field(default_factory=dict)  # the document's own metadata, before the linter adds its own
    provisional: bool = False  # findings from an incremental pass; a full pass follows
    scores: dict[str, dict] = field(default_factory=dict)
    problem: CultureLintError | None = None  # why it could not be linted (config, pack, market)
    skipped: str | None = None
    cache: DocCache = field(default_factory=DocCache)  # segments' findings kept between lints (incremental)


def is_config_file(path: str) -> bool:
    return PurePath(path).name in CONFIG_NAMES


def _stat_key(path: Path) -> tuple:
    try:
        st = path.stat()
        return (str(path), st.st_mtime_ns, st.st_size)
    except OSError:
        return (str(path), None, None)


def pack_stamp(dirs: list[Path]) -> tuple:
    """A cheap fingerprint of extra rule pack folders: every YAML file's path, mtime and size."""
    out = []
    for d in dirs:
        base = Path(d)
        if not base.is_dir():
            out.append(_stat_key(base))
            continue
        for root, subdirs, files in os.walk(base):
            subdirs.sort()
            for name in sorted(files):
                if name.endswith((".yaml", ".yml")):
                    out.append(_stat_key(Path(root) / name))
    return tuple(out)


class Session:
    """Open documents and the linters they use; one per server (a workspace, or several folders)."""

    def __init__(self, root: str | None = None):
        self.root = root
        self.client = ClientSettings()
        self.docs: dict[str, DocState] = {}
        self._linters: "OrderedDict[tuple, Incremental]" = OrderedDict()
        self.rule_dirs: set[str] = set()  # extra pack folders in play (edits there reload)

    # -- settings -------------------------------------------------------------------------------------------
    def _config_for(self, path: str) -> Path | None:
        here = Path(path).parent
        if not here.is_dir():
            here = Path(self.root) if self.root and Path(self.root).is_dir() else Path.cwd()
        return find_config(here)

    def resolve(self, path: str, text: str) -> tuple[Resolved, Document]:
        """Settings as the CLI resolves them (config found from the document's folder, client settings as
        flags, the document's front matter), and a linter for them: built once, reused while nothing changed.
        Raises CultureLintError (config, pack or market problems)."""
        from ..commands.check import make_options, settings
        from ..packs.registry import Registry
        from ..readers import read_text

        cfg = self._config_for(path)
        c = self.client
        s = settings({"config": cfg, "no_config": cfg is None, "market": c.markets, "select": c.select,
                      "ignore": c.ignore, "lang": c.lang, "min_severity": c.min_severity,
                      "rules": [self._abs(r) for r in c.rules]})
        doc = read_text(path, text, columns=s["columns"] or None)
        markets = s["markets"] or split_codes(doc.metadata.get("market"))
        if not markets:
            raise CultureLintError(_("no market given for {path}: use -m MARKET, 'markets:' in the config "
                                     "or 'market:' in the file's front matter").format(path=path)
                                   + " " + _("(or 'cultureLint.markets' in the editor's settings)"))
        rules_dirs = [Path(d) for d in s["rules_dirs"]]
        self.rule_dirs.update(str(Path(d).resolve()) for d in rules_dirs)
        from ..i18n import current_lang

        key = (tuple(str(d) for d in rules_dirs), pack_stamp(rules_dirs), tuple(markets), tuple(s["select"]),
               tuple(s["ignore"]), tuple(sorted(s["severity"].items())), s["min_severity"],
               repr(sorted((k, repr(v)) for k, v in s["metadata"].items())), tuple(s["columns"]), current_lang(),
               _stat_key(cfg) if cfg else None)
        inc = self._linters.get(key)
        if inc is None:
            inc = Incremental(Linter(markets, Registry(rules_dirs), make_options(s)))
            self._linters[key] = inc
            import gc

            gc.freeze()  # compiled patterns live as long as the server: kept out of every later collection
            while len(self._linters) > MAX_LINTERS:
                self._linters.popitem(last=False)
        else:
            self._linters.move_to_end(key)
        return Resolved(inc.linter, str(cfg) if cfg else None, list(s["columns"]), key, inc), doc

    def _abs(self, folder: str) -> str:
        p = Path(folder).expanduser()
        if not p.is_absolute() and self.root:
            p = Path(self.root) / p
        return str(p)

    def forget_linters(self) -> None:
        """Config or packs changed: build linters again on the next lint (packs come from the pack cache)."""
        self._linters.clear()

    def touches_settings(self, path: str) -> bool:
        """Does a change to this file change how documents are linted (config file, extra rule packs)?"""
        if is_config_file(path) or PurePath(path).name == "pyproject.toml":
            return True
        try:
            full = str(Path(path).resolve())
        except OSError:
            return False
        return any(full == d or full.startswith(d.rstrip(os.sep) + os.sep) for d in self.rule_dirs)

    # -- linting -------------------------------------------------------------------------------------------
    def open(self, uri: str, path: str, text: str, version: int | None) -> DocState:
        """A newly opened document, linted whole with the linter itself (one pass: the quickest first
        diagnostics); :meth:`warm` fills its incremental cache afterwards."""
        state = DocState(uri, path, version, text)
        self.docs[uri] = state
        return self.lint_full(state, plain=True)

    def warm(self, state: DocState) -> None:
        """Fill a document's segment cache (the result is the one already published: the tiers equal the
        linter), so that the first edit re-lints one segment rather than all of them."""
        if state.resolved is not None and state.document is not None and not state.cache.segments:
            from ..readers import read_text

            doc = read_text(state.path, state.text, columns=state.resolved.columns or None)
            state.resolved.incremental.lint(doc, state.cache)

    def close(self, uri: str) -> None:
        self.docs.pop(uri, None)

    def lint_full(self, state: DocState, plain: bool = False) -> DocState:
        """Lint the whole document exactly as `culture-lint check` does (segments not changed since the last
        lint come from the cache; ``plain``: the linter alone, no cache). :meth:`score` scores it."""
        state.problem = None
        state.provisional = False
        state.skipped = None
        if is_config_file(state.path):
            state.findings, state.document, state.resolved = [], None, None
            return state
        try:
            resolved, doc = self.resolve(state.path, state.text)
            state.raw_metadata = dict(doc.metadata)
            if state.resolved is None or state.resolved.incremental is not resolved.incremental:
                state.cache = DocCache()  # other settings: nothing cached for this document applies
            if plain:
                findings = resolved.linter.lint(doc)
            else:
                findings, _exact = resolved.incremental.lint(doc, state.cache)
        except CultureLintError as exc:
            state.problem, state.findings, state.document, state.resolved, state.scores = exc, [], None, None, {}
            return state
        state.document, state.findings, state.resolved = doc, findings, resolved
        state.scores = {}
        return state

    def score(self, state: DocState) -> dict[str, dict]:
        """The culture-fit score per market of an exactly linted document (after its diagnostics are out)."""
        if state.resolved is not None and state.document is not None and not state.provisional:
            state.scores = self._scores(state.resolved.linter, state.document, state.findings)
        return state.scores

    @staticmethod
    def _scores(linter: Linter, doc: Document, findings: list[Finding]) -> dict[str, dict]:
        from ..score import compute

        out = {}
        for market in linter.markets:
            pack = linter.registry.pack(market)
            score = compute(doc, findings, market, pack.languages, doc.signals.get(market, {}))
            out[market] = {"score": score.score, "band": score.band}
        return out

    def lint_incremental(self, state: DocState, text: str) -> DocState:
        """After an edit: the segment tier re-lints only the segments the edit touched (the others come from
        the document's cache) and the document tier's findings are moved from the last exact lint; the
        result is marked provisional when those may be out of date (the server runs ``lint_full`` soon after,
        which then costs the document tier only). Falls back to a full lint when the front matter changed."""
        resolved = state.resolved
        state.text = text
        if state.document is None or resolved is None:
            return self.lint_full(state)
        from ..readers import read_text

        doc = read_text(state.path, text, columns=resolved.columns or None)
        if dict(doc.metadata) != state.raw_metadata or doc.format != state.document.format:
            return self.lint_full(state)
        findings, exact = resolved.incremental.lint(doc, state.cache, quick=True)
        state.document, state.findings, state.provisional = doc, findings, not exact
        return state

    # -- what the editor asks for --------------------------------------------------------------------------
    def rule(self, state: DocState, rule_id: str):
        if state.resolved is None:
            return None
        linter = state.resolved.linter
        index = linter.__dict__.get("_lsp_rule_index")
        if index is None:
            index = linter.__dict__["_lsp_rule_index"] = {r.id: r for r in linter.rules}
        return index.get(rule_id)

    def findings_at(self, state: DocState, offset: int) -> list[Finding]:
        return [f for f in state.findings if f.start <= offset < max(f.end, f.start + 1)
                or (f.start == f.end == 0 and False)]

    def hover(self, state: DocState, offset: int) -> str | None:
        """Markdown for the findings under the cursor: message, why, the legal source, the suggestions."""
        found = self.findings_at(state, offset)
        if not found:
            return None
        groups: "OrderedDict[str, list[Finding]]" = OrderedDict()
        for f in found:
            groups.setdefault(f.rule, []).append(f)
        parts = []
        for rule_id, fs in groups.items():
            f = fs[0]
            rule = self.rule(state, rule_id)
            markets = ", ".join(x.market for x in fs if x.market)
            severities = {"error": _("error"), "warning": _("warning"), "info": _("info")}
            lines = [f"**{rule_id}** · {severities.get(f.severity, f.severity)} · {markets}", "", f.message]
            why = pick(rule.why) if rule is not None else ""
            if why:
                lines += ["", f"**{_('Why')}:** {why}"]
            source = f.source or (rule.source if rule is not None else None)
            if source:
                lines += ["", f"**{_('Source')}:** {source}"]
            if f.suggestions:
                shown = []
                for s in f.suggestions:
                    tag = _("safe") if s.safe else _("unsafe")
                    shown.append(f"“{s.replacement}” ({tag})")
                lines += ["", f"**{_('Suggestion')}:** " + "; ".join(shown)]
            parts.append("\n".join(lines))
        return "\n\n---\n\n".join(parts)

    def code_actions(self, state: DocState, start: int, end: int) -> list[dict]:
        """Code actions for the findings overlapping [start, end] (source offsets): their fixes (safe ones
        preferred, unsafe ones labelled), suppression comments for the line and the file, and "fix all safe".

        Each action: {"title", "kind", "edits": [(start, end, text)], "preferred", "findings": [Finding]}.
        """
        if state.provisional:
            self.lint_full(state)
        doc = state.document
        if doc is None:
            return []
        actions: list[dict] = []
        seen_fix: set[tuple] = set()
        seen_disable: set[tuple] = set()
        hit = [f for f in state.findings
               if f.category != "input" and f.start <= end and max(f.end, f.start + 1) >= start]
        for f in hit:
            preferred_done = False
            for s in f.suggestions:
                if s.edit is None or doc.source[s.edit[0]:s.edit[1]] == s.edit[2]:
                    continue
                key = (f.rule, s.edit)
                if key in seen_fix:
                    continue
                seen_fix.add(key)
                title = (_("Fix: insert “{text}”") if s.edit[0] == s.edit[1] else
                         _("Fix: replace with “{text}”")).format(text=s.edit[2].strip() or s.replacement)
                if not s.safe:
                    title += " " + _("(unsafe: may change the meaning)")
                preferred = s.safe and not preferred_done
                preferred_done = preferred_done or preferred
                actions.append({"title": title, "kind": "quickfix", "edits": [s.edit], "preferred": preferred,
                                "findings": [f]})
        for f in hit:
            for scope in ("line", "file"):
                key = (f.rule, scope, f.line if scope == "line" else 0)
                if key in seen_disable:
                    continue
                edit = suppression_edit(doc, f, scope)
                if edit is None:
                    continue
                seen_disable.add(key)
                title = (_("Disable {rule} for this line") if scope == "line" else
                         _("Disable {rule} for this file")).format(rule=f.rule)
                actions.append({"title": title, "kind": "quickfix", "edits": [edit], "preferred": False,
                                "findings": [x for x in hit if x.rule == f.rule]})
        fix_all = self.fix_all(state)
        if fix_all is not None:
            actions.append({"title": _("Fix all safe problems in this file (culture-lint)"),
                            "kind": "source.fixAll", "edits": [fix_all], "preferred": False,
                            "findings": []})
        return actions

    def fix_all(self, state: DocState) -> tuple[int, int, str] | None:
        """One edit that turns the document into what `culture-lint fix` would write (None: nothing to fix)."""
        if state.resolved is None or state.document is None:
            return None
        if not any(s.safe and s.edit is not None for f in state.findings for s in f.suggestions):
            return None
        from ..commands.fix import fix_document
        from ..readers import read_text

        fresh = read_text(state.path, state.text, columns=state.resolved.columns or None)
        fixed, _findings, applied = fix_document(state.resolved.linter, fresh, False)
        if not applied or fixed.source == fresh.source:
            return None
        return minimal_edit(state.text, fixed.source)


def _newline(doc: Document) -> str:
    return "\r\n" if "\r\n" in doc.source[:4096] else "\n"


def suppression_edit(doc: Document, f: Finding, scope: str) -> tuple[int, int, str] | None:
    """An inserted comment that silences ``f`` on its line (``line``) or in the whole file (``file``), in the
    comment syntax of the document's format; None where the format has none."""
    syntax = COMMENTS.get(doc.format, ("# ", ""))
    if syntax is None:
        return None
    opening, closing = syntax
    nl = _newline(doc)
    starts = doc.line_starts
    if scope == "line":
        line = max(f.line, 1)
        at = starts[line - 1] if line - 1 < len(starts) else len(doc.source)
        line_text = doc.line_text(line)
        indent = line_text[:len(line_text) - len(line_text.lstrip(" \t"))] if doc.format in ("yaml", "markdown") else ""
        return at, at, f"{indent}{opening}culture-lint: disable-next-line {f.rule}{closing}{nl}"
    directive = f"culture-lint: disable-file {f.rule}"
    if doc.format == "vtt":  # a NOTE block after the WEBVTT header
        first_end = doc.source.find("\n")
        at = len(doc.source) if first_end < 0 else first_end + 1
        return at, at, f"{nl}NOTE {directive}{nl}"
    if doc.format == "srt":  # a stage line inside the first cue, after its timing line
        import re

        m = re.search(r"-->[^\n]*\n", doc.source)
        if m is None:
            return None
        return m.end(), m.end(), f"[{directive}]{nl}"
    at = 0
    if doc.format in ("text", "markdown") and doc.source.startswith("---"):
        import re

        m = re.match(r"---[ \t]*\r?\n.*?\n---[ \t]*(\r?\n|$)", doc.source, re.S)
        if m:
            at = m.end()
    if at == len(doc.source) and doc.source and not doc.source.endswith("\n"):
        return at, at, f"{nl}{opening}{directive}{closing}{nl}"
    return at, at, f"{opening}{directive}{closing}{nl}"


def problem_locations(exc: CultureLintError) -> list[tuple[str, int, int, str]]:
    """(path, line, column, message) for each problem a config or pack error names (path may be '')."""
    errors = getattr(exc, "errors", None) or [exc]
    out = []
    for e in errors:
        msg = e.message if isinstance(e, CultureLintError) else str(e)
        if isinstance(e, CultureLintError) and e.hint:
            msg += f" ({e.hint})"
        out.append((getattr(e, "path", None) or "", getattr(e, "line", None) or 1,
                    getattr(e, "column", None) or 1, msg))
    return out


__all__ = ["ClientSettings", "ConfigError", "DocState", "Session", "suppression_edit", "minimal_edit",
           "problem_locations"]
