"""`culture-lint fix`: apply safe fixes (or preview them), repeat until nothing changes, write atomically."""

from __future__ import annotations

import sys

import typer

from ..config import Settings
from ..errors import CultureLintError
from ..fix import MAX_PASSES, Snapshot, apply_edits, describe_conflict, edits_for, encode_like, unified_diff
from ..i18n import _
from .check import exit_code


def _fix_document(linter, doc, unsafe: bool, choose=None):
    """Lint, apply edits, re-read and re-lint until stable. Returns (final doc, findings, edits applied)."""
    from ..readers import read_text

    findings = linter.lint(doc)
    applied = 0
    for _pass in range(MAX_PASSES):
        choices = choose(doc, findings) if choose and _pass == 0 else None
        if choices is False:  # the writer quit
            break
        edits = edits_for(doc, findings, unsafe, choices)
        if not edits:
            break
        new_source, done = apply_edits(doc.source, edits)
        if new_source == doc.source:
            break
        applied += len(done)
        meta = dict(doc.metadata)
        doc = read_text(doc.path, new_source, doc.encoding, fmt=None, columns=linter.options.columns)
        doc.metadata.update({k: v for k, v in meta.items() if k not in doc.metadata})
        findings = linter.lint(doc)
        if choose:
            break
    return doc, findings, applied


def fix_document(linter, doc, unsafe: bool = False):
    """Public: what `culture-lint fix` does to one parsed document (the language server's "fix all").

    Returns (final document, its findings, number of edits applied)."""
    return _fix_document(linter, doc, unsafe)


def write_fixed(path: str, snapshot: Snapshot | None, new_bytes: bytes) -> str | None:
    """Atomically replace ``path`` unless it changed since it was read; returns a problem or None."""
    import contextlib

    with contextlib.ExitStack() as stack:
        try:  # culture-lint runs on one file take turns: check-then-replace is atomic between them
            import fcntl

            lock = stack.enter_context(open(path, "rb"))
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when closed; the next run then sees the new content
        except (ImportError, OSError):
            pass  # no flock (Windows) or the file is gone: the snapshot check below still refuses
        return _write_unchanged(path, snapshot, new_bytes)


def _write_unchanged(path: str, snapshot: Snapshot | None, new_bytes: bytes) -> str | None:
    from ..util.fsutil import atomic_write

    if snapshot is not None and not snapshot.unchanged(path):
        return describe_conflict(path)
    try:
        import os
        import stat

        mode = os.stat(path).st_mode
        if not os.access(path, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            # read-only (even for root, who could replace it): respect it, as editors do
            return _("{path}: cannot write ({reason}); the file is unchanged").format(path=path, reason="read-only")
        atomic_write(path, new_bytes)
    except OSError as exc:
        return _("{path}: cannot write ({reason}); the file is unchanged").format(path=path, reason=exc.strerror or exc)
    return None


class _FixRun:
    """One `fix` run: the linter, the output stream and the tallies of fixes and files left unchanged."""

    def __init__(self, s: Settings, linter):
        self.s = s
        self.linter = linter
        self.out = sys.stdout
        self.chooser = _interactive_chooser() if s.flag("interactive") else None
        self.reports: list = []
        self.fixed = 0
        self.problems = 0
        self.diff = bool(s.flag("diff"))

    def passthrough(self, data: bytes) -> None:
        """Standard input that is not fixed goes to standard output unchanged (a pipe must not lose it)."""
        if self.diff:
            return
        self.out.flush()
        stream = getattr(self.out, "buffer", None)
        if stream is None:
            self.out.write(data.decode("utf-8", errors="replace"))
            return
        stream.write(data)
        while chunk := sys.stdin.buffer.read(1 << 20):
            stream.write(chunk)
        stream.flush()

    def one(self, path: str, limit: int) -> None:
        """Read, fix and write (or show) one file; problems are reported, never raised."""
        from ..models import FileReport
        from ..readers import BinaryFile, read_bytes
        from ..runner.inputs import TOO_LARGE, read_bounded

        stdin = path == "-"
        got = read_bounded(path, limit, self.s.flag("stdin_filename"))
        if not got.ok:
            if got.rule == TOO_LARGE:
                self.reports.append(got.report(self.linter.markets))
                if stdin:
                    typer.echo(f"{got.name}: {got.message}", err=True)
                    self.passthrough(got.data or b"")
            else:
                typer.echo(_("cannot read file: {reason}").format(reason=f"{path}: {got.reason}"), err=True)
                self.problems += 1
            return
        data = got.data
        snapshot = None if stdin else Snapshot.of(path, data)
        try:
            doc = read_bytes(got.name, data, self.s.encoding, self.linter.options.columns)
        except BinaryFile:
            if stdin:
                self.passthrough(data)
            return
        if any(f.rule == "core.input.undecodable" for f in doc.diagnostics):
            self.reports.append(FileReport(got.name, self.linter.lint(doc), document=doc))
            if stdin:
                self.passthrough(data)
            return
        original = doc.source
        doc, findings, applied = _fix_document(self.linter, doc, bool(self.s.flag("unsafe_fixes")), self.chooser)
        self.reports.append(FileReport(got.name, findings, document=doc))
        if doc.source == original:
            if stdin and not self.diff:
                self.out.write(data.decode(doc.encoding if doc.encoding != "unknown" else "utf-8", errors="replace"))
            return
        self.fixed += applied
        if self.diff:
            self.out.write(unified_diff(got.name, original, doc.source))
        elif stdin:
            self.out.write(doc.source)
        else:
            self.write(path, snapshot, original, data, doc)

    def write(self, path: str, snapshot, original: str, data: bytes, doc) -> None:
        try:
            if encode_like(original, data, doc.encoding) != data:  # would change bytes no fix touched
                raise UnicodeEncodeError(doc.encoding, original, 0, len(original), "does not round-trip")
            new_bytes = encode_like(doc.source, data, doc.encoding)
        except (UnicodeEncodeError, LookupError):
            typer.echo(_("{path}: a fix cannot be written in the file's encoding ({encoding}); not changed").format(
                path=path, encoding=doc.encoding), err=True)
            self.problems += 1
            return
        problem = write_fixed(path, snapshot, new_bytes)
        if problem:
            typer.echo(problem, err=True)
            self.problems += 1

    def summary(self, files: list[str]) -> None:
        from ..report import Run, render

        if self.diff or "-" in files:
            return
        rules = {r.id: r for r in self.linter.rules}
        if self.s.format != "text":
            self.out.write(render(self.s.format, Run(self.reports, self.linter.markets, rules)))
        elif not self.s.flag("quiet"):
            self.out.write(render("text", Run(self.reports, self.linter.markets, rules, color=self.out.isatty())))
        typer.echo(_("{verb} {count} problem(s).").format(verb=_("Fixed"), count=self.fixed), err=True)


def run(s: Settings) -> int:
    """`fix`: apply the safe fixes (all with --unsafe-fixes), or show them with --diff."""
    from ..engine import Linter
    from ..packs.registry import Registry
    from ..runner.inputs import size_limit
    from .check import select_files

    registry = Registry(s.rules_dirs)
    if not s.markets:
        raise CultureLintError(_("no market given: use -m MARKET or 'markets:' in the config"))
    for name in s.platforms:
        registry.resolve_platform(name)
    linter = Linter(s.markets, registry, s.options())
    files = select_files(s)
    job = _FixRun(s, linter)
    limit = size_limit(linter.options)
    for path in files:
        job.one(path, limit)
    job.reports.sort(key=lambda r: r.path)
    job.summary(files)
    code = exit_code(job.reports, s.fail_on, None)
    return 1 if job.problems else code


def _interactive_chooser():
    from rich.console import Console
    from rich.prompt import Prompt

    console = Console(highlight=False)

    def choose(doc, findings):
        picked = {}
        for f in findings:
            options = [s for s in f.suggestions if s.edit is not None]
            if not options:
                continue
            console.print(f"[bold]{doc.path}:{f.line}:{f.column}[/bold] {f.rule}: {f.message}")
            console.print("  " + doc.line_text(f.line))
            for i, s in enumerate(options, 1):
                tag = _("safe") if s.safe else _("unsafe")
                console.print(f"  [{i}] {s.edit[2].strip()}  ({tag})")
            answer = Prompt.ask(_("Choose a fix number, s to skip, q to quit"),
                                choices=[str(i) for i in range(1, len(options) + 1)] + ["s", "q"],
                                default="s", console=console)
            if answer == "q":
                return picked or False
            picked[(f.rule, f.start)] = None if answer == "s" else options[int(answer) - 1]
        return picked

    return choose
