"""`culture-lint fix`: apply safe fixes (or preview them), repeat until nothing changes, write atomically."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..errors import CultureLintError
from ..fix import MAX_PASSES, Snapshot, apply_edits, describe_conflict, edits_for, encode_like, unified_diff
from ..i18n import _
from .check import exit_code, make_options, settings


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
    from ..fsutil import atomic_write

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


def run(p: dict) -> int:
    s = settings(p)
    from ..engine import Linter
    from ..files import collect
    from ..packs.registry import Registry
    from ..readers import BinaryFile, read_bytes
    from ..report import Run, render
    from ..models import FileReport

    registry = Registry(s["rules_dirs"])
    if not s["markets"]:
        raise CultureLintError(_("no market given: use -m MARKET or 'markets:' in the config"))
    options = make_options(s)
    linter = Linter(s["markets"], registry, options)
    files = collect(p["paths"], s["include"], s["exclude"])
    chooser = _interactive_chooser() if p.get("interactive") else None
    reports = []
    fixed_total = 0
    conflicts = 0
    out = sys.stdout
    from ..runner import _input_findings, read_input, size_limit, too_large_message

    limit = size_limit(options)

    def passthrough(data: bytes) -> None:
        """Standard input that is not fixed goes to standard output unchanged (a pipe must not lose it)."""
        if not p.get("diff"):
            out.flush()
            stream = getattr(out, "buffer", None)
            if stream is None:
                out.write(data.decode("utf-8", errors="replace"))
                return
            stream.write(data)
            while chunk := sys.stdin.buffer.read(1 << 20):
                stream.write(chunk)
            stream.flush()

    for path in files:
        snapshot = None
        if path == "-":
            data = sys.stdin.buffer.read(limit + 1)
            name = p.get("stdin_filename") or "<stdin>"
        else:
            name = path
            try:
                size = Path(path).stat().st_size
                if size > limit:
                    reports.append(FileReport(name, _input_findings(linter, "core.input.too-large",
                                                                    too_large_message(size, limit))))
                    continue
                _name, data = read_input(path, None, limit)
                snapshot = Snapshot.of(path, data)
            except OSError as exc:
                typer.echo(_("cannot read file: {reason}").format(reason=f"{path}: {exc.strerror}"), err=True)
                conflicts += 1
                continue
        if len(data) > limit:
            reports.append(FileReport(name, _input_findings(linter, "core.input.too-large",
                                                            too_large_message(None, limit))))
            if path == "-":
                typer.echo(f"{name}: {too_large_message(None, limit)}", err=True)
                passthrough(data)
            continue
        try:
            doc = read_bytes(name, data, s["encoding"], options.columns)
        except BinaryFile:
            if path == "-":
                passthrough(data)
            continue
        if any(f.rule == "core.input.undecodable" for f in doc.diagnostics):
            reports.append(FileReport(name, linter.lint(doc), document=doc))
            if path == "-":
                passthrough(data)
            continue
        original = doc.source
        doc, findings, applied = _fix_document(linter, doc, p.get("unsafe_fixes", False), chooser)
        reports.append(FileReport(name, findings, document=doc))
        if doc.source == original:
            if path == "-" and not p.get("diff"):
                out.write(data.decode(doc.encoding if doc.encoding != "unknown" else "utf-8", errors="replace"))
            continue
        fixed_total += applied
        if p.get("diff"):
            out.write(unified_diff(name, original, doc.source))
            continue
        if path == "-":
            out.write(doc.source)
            continue
        try:
            if encode_like(original, data, doc.encoding) != data:  # would change bytes no fix touched
                raise UnicodeEncodeError(doc.encoding, original, 0, len(original), "does not round-trip")
            new_bytes = encode_like(doc.source, data, doc.encoding)
        except (UnicodeEncodeError, LookupError):
            typer.echo(_("{path}: a fix cannot be written in the file's encoding ({encoding}); not changed").format(
                path=path, encoding=doc.encoding), err=True)
            conflicts += 1
            continue
        problem = write_fixed(path, snapshot, new_bytes)
        if problem:
            typer.echo(problem, err=True)
            conflicts += 1
    reports.sort(key=lambda r: r.path)
    if not p.get("diff") and "-" not in files:
        if s["format"] == "text":
            if not p.get("quiet"):
                out.write(render("text", Run(reports, linter.markets, {r.id: r for r in linter.rules},
                                             color=out.isatty())))
        else:
            out.write(render(s["format"], Run(reports, linter.markets, {r.id: r for r in linter.rules})))
        verb = _("Would fix") if p.get("diff") else _("Fixed")
        typer.echo(_("{verb} {count} problem(s).").format(verb=verb, count=fixed_total), err=True)
    code = exit_code(reports, s["fail_on"], None)
    return 1 if conflicts else code


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
