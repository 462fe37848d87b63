"""The pygls language server: diagnostics on open, change (debounced) and save; code actions; hover; score.

Every handler is guarded: a bad request gets an error reply or nothing, never a dead server. Linting runs on
the server's event loop, so requests are answered in order and a document is never linted twice at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..i18n import _
from ..models import Finding
from .session import ClientSettings, DocState, Session, is_config_file, problem_locations

log = logging.getLogger("culture_lint.lsp")

SOURCE = "culture-lint"
SCORE_NOTIFICATION = "cultureLint/score"
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}
LANGUAGE_EXT = {"markdown": ".md", "plaintext": ".txt", "yaml": ".yaml", "json": ".json", "html": ".html",
                "csv": ".csv", "tsv": ".tsv", "srt": ".srt", "subtitles": ".srt", "vtt": ".vtt", "webvtt": ".vtt"}
WATCH_GLOBS = ("**/.culture-lint.yaml", "**/.culture-lint.yml", "**/pyproject.toml", "**/*.yaml", "**/*.yml")


class CultureLintServer(LanguageServer):
    def __init__(self, debounce_ms: int | None = None) -> None:
        super().__init__("culture-lint", __version__)
        self.session = Session()
        if debounce_ms is not None:
            self.session.client.debounce_ms = debounce_ms
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._full_timers: dict[str, asyncio.TimerHandle] = {}
        self._problem_uris: set[str] = set()  # config/pack files we published problems on
        self.changed_at: dict[str, float] = {}
        self._converted: dict[str, dict[tuple, types.Diagnostic]] = {}  # per document: last publish's diagnostics

    def report_server_error(self, error: Exception, source) -> None:
        """Garbage from the client is logged in its output panel (not a pop-up on every bad message)."""
        try:
            self.window_log_message(types.LogMessageParams(
                types.MessageType.Error, f"culture-lint: {type(error).__name__}: {error}"))
        except Exception:  # the client may be gone
            pass

    def warm_up(self) -> None:
        """Build the workspace's linter before the first document arrives (imports spaCy, loads the compiled
        packs): the first diagnostics then cost a lint, not a start-up. Problems are reported when a document
        is opened."""
        root = self.session.root or "."
        try:
            self.session.resolve(str(Path(root) / "culture-lint-warm-up.txt"), "")
        except Exception:  # no markets yet, a broken config: the first lint says so
            try:
                from ..match import compiler  # noqa: F401  (spaCy and the matchers, at least)
            except Exception:
                pass
        import gc

        # the compiled packs and spaCy are long-lived: out of the collector's way, so that a full collection
        # during an edit walks only what the edits allocate (it walked every compiled pattern before)
        gc.collect()
        gc.freeze()

    # -- conversions ------------------------------------------------------------------------------------------
    def text_document(self, uri: str):
        return self.workspace.get_text_document(uri)

    def to_client_range(self, uri: str, line: int, col: int, end_line: int, end_col: int,
                        lines: list[str] | None = None) -> types.Range:
        """1-based lines, 1-based code-point columns (end exclusive) → the client's units (UTF-16 by default)."""
        doc = self.text_document(uri)
        rng = types.Range(types.Position(max(line - 1, 0), max(col - 1, 0)),
                          types.Position(max(end_line - 1, 0), max(end_col - 1, 0)))
        return doc.position_codec.range_to_client_units(lines if lines is not None else doc.lines, rng)

    def offset_of(self, uri: str, state: DocState, position: types.Position) -> int:
        doc = self.text_document(uri)
        server = doc.position_codec.position_from_client_units(doc.lines, position)
        starts = state.document.line_starts if state.document is not None else [0]
        if server.line >= len(starts):
            return len(state.text)
        return min(starts[server.line] + server.character, len(state.text))

    def diagnostic(self, uri: str, f: Finding, state: DocState, lines: list[str] | None = None) -> types.Diagnostic:
        rule = self.session.rule(state, f.rule)
        href = None
        if rule is not None and rule.path:
            href = f"{Path(rule.path).resolve().as_uri()}#L{rule.line}"
        elif f.source and f.source.split()[-1].startswith("http"):
            href = f.source.split()[-1]
        message = f"[{f.market}] {f.message}" if f.market else f.message
        return types.Diagnostic(
            range=self.to_client_range(uri, f.line, f.column, f.end_line, f.end_column, lines),
            message=message, severity=SEVERITY.get(f.severity, types.DiagnosticSeverity.Warning), code=f.rule,
            code_description=types.CodeDescription(href=href) if href else None, source=SOURCE,
            data={"rule": f.rule, "market": f.market})

    def diagnostics_for(self, uri: str, state: DocState, lines: list[str]) -> list[types.Diagnostic]:
        """The findings as LSP diagnostics; one unchanged since the last publish (same rule, place, message and
        line text) reuses its converted diagnostic: after a one-line edit most of them are."""
        old = self._converted.get(uri, {})
        new: dict[tuple, types.Diagnostic] = {}
        out = []
        n = len(lines)
        for f in state.findings:
            key = (f.rule, f.market, f.severity, f.message, f.line, f.column, f.end_line, f.end_column,
                   lines[f.line - 1] if 0 < f.line <= n else None,
                   lines[f.end_line - 1] if f.end_line != f.line and 0 < f.end_line <= n else None)
            diag = old.get(key) or new.get(key)
            if diag is None:
                diag = self.diagnostic(uri, f, state, lines)
            new[key] = diag
            out.append(diag)
        self._converted[uri] = new  # only this version's: memory stays flat
        return out

    # -- publishing -----------------------------------------------------------------------------------------
    def publish(self, state: DocState) -> None:
        uri = state.uri
        if state.problem is not None:
            self.publish_problem(state)
            return
        lines = self.text_document(uri).lines  # split once per publish, not once per finding
        diagnostics = self.diagnostics_for(uri, state, lines)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=diagnostics, version=state.version))
        if not state.provisional:
            self.clear_problems()
            try:  # after the diagnostics are out: the score reads the whole text
                self.session.score(state)
            except Exception:  # a score is never worth a dead server
                log.exception("score failed")
            self.protocol.notify(SCORE_NOTIFICATION, {"uri": uri, "version": state.version, "scores": state.scores})

    def publish_problem(self, state: DocState) -> None:
        """A broken config or pack: diagnostics on the file at fault, and one line on the document saying why
        it is not linted."""
        exc = state.problem
        by_file: dict[str, list[types.Diagnostic]] = {}
        first_where = ""
        for path, line, col, msg in problem_locations(exc):
            if not path or not Path(path).is_file():
                continue
            uri = from_fs_path(str(Path(path).resolve())) or path
            lines = _file_lines(path)
            line_text = lines[line - 1] if 0 < line <= len(lines) else ""
            end_col = max(col + 1, len(line_text.rstrip("\r\n")) + 1)
            rng = types.Range(types.Position(line - 1, col - 1), types.Position(line - 1, end_col - 1))
            if lines:
                try:
                    rng = self.text_document(uri).position_codec.range_to_client_units(lines, rng)
                except Exception:  # a line past the end of the file: keep the code-point range
                    pass
            by_file.setdefault(uri, []).append(types.Diagnostic(
                range=rng, message=msg, severity=types.DiagnosticSeverity.Error, source=SOURCE))
            first_where = first_where or f"{path}:{line}:{col}"
        for uri in self._problem_uris - set(by_file):  # problems fixed since: cleared
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        self._problem_uris = set(by_file)
        for uri, diags in by_file.items():
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diags))
        if state.uri not in by_file:
            text = _("culture-lint cannot lint this file: {problem}").format(problem=str(exc))
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=state.uri, version=state.version, diagnostics=[types.Diagnostic(
                    range=types.Range(types.Position(0, 0), types.Position(0, 0)), message=text,
                    severity=types.DiagnosticSeverity.Warning, source=SOURCE)]))

    def clear_problems(self) -> None:
        if any(d.problem is not None for d in self.session.docs.values()):
            return
        for uri in list(self._problem_uris):
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        self._problem_uris.clear()

    # -- linting --------------------------------------------------------------------------------------------
    def lint_open(self, uri: str, version: int | None = None) -> None:
        doc = self.text_document(uri)
        path = _path_of(uri, getattr(doc, "language_id", None))
        try:
            state = self.session.open(uri, path, doc.source, version if version is not None else doc.version)
        except Exception as exc:  # never let one document take the server down
            log.exception("lint failed")
            self.window_log_message(types.LogMessageParams(types.MessageType.Error, f"culture-lint: {exc}"))
            return
        if not is_config_file(path):
            self.publish(state)
            asyncio.get_running_loop().call_soon(self.warm, uri)

    def warm(self, uri: str) -> None:
        state = self.session.docs.get(uri)
        if state is None or state.text != self.text_document(uri).source:
            return  # closed, or edited already: the edit's lint fills the cache
        try:
            self.session.warm(state)
        except Exception:
            log.exception("warm-up failed")

    def lint_now(self, uri: str, full: bool) -> None:
        state = self.session.docs.get(uri)
        if state is None:
            return
        doc = self.text_document(uri)
        state.version = doc.version
        try:
            if full:
                state.text = doc.source
                self.session.lint_full(state)
            else:
                self.session.lint_incremental(state, doc.source)
        except Exception as exc:
            log.exception("lint failed")
            self.window_log_message(types.LogMessageParams(types.MessageType.Error, f"culture-lint: {exc}"))
            return
        if not is_config_file(state.path):
            self.publish(state)
        if state.provisional:
            self.schedule(uri, full=True)

    def schedule(self, uri: str, full: bool = False) -> None:
        timers = self._full_timers if full else self._timers
        old = timers.pop(uri, None)
        if old is not None:
            old.cancel()
        if not full:  # a new edit also postpones the full pass
            pending = self._full_timers.pop(uri, None)
            if pending is not None:
                pending.cancel()
        delay = (self.session.client.full_delay_ms if full else self.session.client.debounce_ms) / 1000
        loop = asyncio.get_running_loop()

        def fire() -> None:
            timers.pop(uri, None)
            self.lint_now(uri, full)

        timers[uri] = loop.call_later(delay, fire)

    def relint_all(self) -> None:
        self.session.forget_linters()
        self._converted.clear()  # rule links may have moved with the packs
        for uri in list(self.session.docs):
            self.lint_now(uri, full=True)

    def sync(self, uri: str) -> DocState | None:
        """The document's state, brought up to date with the editor's text (for requests after an edit)."""
        state = self.session.docs.get(uri)
        if state is None:
            return None
        source = self.text_document(uri).source
        if source != state.text or state.provisional:
            timer = self._timers.pop(uri, None)
            if timer is not None:
                timer.cancel()
            state.text = source
            state.version = self.text_document(uri).version
            self.session.lint_full(state)
            self.publish(state)
        return state


def _file_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").splitlines(True)
    except OSError:
        return []


def _path_of(uri: str, language_id: str | None) -> str:
    path = to_fs_path(uri) if uri.startswith("file:") else None
    if path:
        return path
    ext = LANGUAGE_EXT.get((language_id or "").lower(), ".txt")
    name = uri.rsplit("/", 1)[-1].rsplit(":", 1)[-1] or "untitled"
    return f"<{name}>{'' if name.endswith(ext) else ext}"


def build_server(debounce_ms: int | None = None) -> CultureLintServer:
    server = CultureLintServer(debounce_ms)

    @server.feature(types.INITIALIZE)
    def initialize(ls: CultureLintServer, params: types.InitializeParams) -> None:
        root = None
        if params.workspace_folders:
            root = to_fs_path(params.workspace_folders[0].uri)
        elif params.root_uri:
            root = to_fs_path(params.root_uri)
        elif params.root_path:
            root = params.root_path
        ls.session.root = root
        ls.session.client = ClientSettings.from_any(params.initialization_options, ls.session.client)

    @server.feature(types.INITIALIZED)
    def initialized(ls: CultureLintServer, params: types.InitializedParams) -> None:
        ls.warm_up()
        caps = ls.client_capabilities
        watch = caps.workspace and caps.workspace.did_change_watched_files
        if watch and watch.dynamic_registration:
            try:
                ls.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
                    id="culture-lint-watch", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=types.DidChangeWatchedFilesRegistrationOptions(
                        watchers=[types.FileSystemWatcher(glob_pattern=g) for g in WATCH_GLOBS]))]))
            except Exception:  # the client may refuse; config changes are still seen on save and on the next lint
                log.exception("watch registration failed")

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CultureLintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.lint_open(params.text_document.uri, params.text_document.version)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CultureLintServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri not in ls.session.docs:
            return
        ls.changed_at[uri] = time.perf_counter()
        ls.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: CultureLintServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path and ls.session.touches_settings(path):
            ls.relint_all()
            return
        for timers in (ls._timers, ls._full_timers):
            timer = timers.pop(uri, None)
            if timer is not None:
                timer.cancel()
        ls.lint_now(uri, full=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CultureLintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        for timers in (ls._timers, ls._full_timers):
            timer = timers.pop(uri, None)
            if timer is not None:
                timer.cancel()
        ls.session.close(uri)
        ls.changed_at.pop(uri, None)
        ls._converted.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(ls: CultureLintServer, params: types.DidChangeConfigurationParams) -> None:
        ls.session.client = ClientSettings.from_any(params.settings, ls.session.client)
        ls.relint_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: CultureLintServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(ls.session.touches_settings(to_fs_path(c.uri) or "") for c in params.changes):
            ls.relint_all()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: CultureLintServer, params: types.HoverParams) -> types.Hover | None:
        state = ls.sync(params.text_document.uri)
        if state is None or state.document is None:
            return None
        text = ls.session.hover(state, ls.offset_of(params.text_document.uri, state, params.position))
        if not text:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]))
    def code_action(ls: CultureLintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        state = ls.sync(uri)
        if state is None or state.document is None:
            return []
        start = ls.offset_of(uri, state, params.range.start)
        end = ls.offset_of(uri, state, params.range.end)
        wanted = params.context.only if params.context else None
        out = []
        for action in ls.session.code_actions(state, start, end):
            if wanted and not any(action["kind"] == k or action["kind"].startswith(f"{k}.") for k in wanted):
                continue
            edits = []
            for a, b, text in action["edits"]:
                la, ca = state.document.position(a)
                lb, cb = state.document.position(b)
                edits.append(types.TextEdit(range=ls.to_client_range(uri, la, ca, lb, cb), new_text=text))
            out.append(types.CodeAction(
                title=action["title"], kind=action["kind"], is_preferred=action["preferred"] or None,
                diagnostics=[ls.diagnostic(uri, f, state) for f in action["findings"]] or None,
                edit=types.WorkspaceEdit(changes={uri: edits})))
        return out

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS)
    def code_lens(ls: CultureLintServer, params: types.CodeLensParams) -> list[types.CodeLens]:
        state = ls.session.docs.get(params.text_document.uri)
        if state is None or not state.scores:
            return []
        bands = {"good": _("good"), "review": _("review"), "fail": _("fail")}
        title = _("Culture-fit score") + ": " + " · ".join(
            f"{m} {s['score']:g} ({bands.get(s['band'], s['band'])})" for m, s in state.scores.items())
        return [types.CodeLens(range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                               command=types.Command(title=title, command="culture-lint.score",
                                                     arguments=[params.text_document.uri]))]

    @server.command("culture-lint.score")
    def score_command(ls: CultureLintServer, *args: Any) -> dict:
        uri = args[0] if args and isinstance(args[0], str) else None
        state = ls.session.docs.get(uri) if uri else None
        return {"uri": uri, "scores": state.scores if state else {}}

    return server


class OneLineFormatter(logging.Formatter):
    """Log lines without tracebacks (``CULTURE_LINT_DEBUG=1`` shows them): the reason on one line."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"culture-lint lsp: {record.levelname.lower()}: {record.getMessage().splitlines()[0]}"
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text += f": {type(exc).__name__}: {exc}"
        return text


def serve(debounce_ms: int | None = None) -> None:
    import os

    handler = logging.StreamHandler()
    if not os.environ.get("CULTURE_LINT_DEBUG"):
        handler.setFormatter(OneLineFormatter())
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    server = build_server(debounce_ms)
    server.start_io()
