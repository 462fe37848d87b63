"""The one input path: read a file (or standard input) within the size limit, or say why it cannot be linted.

``check``, ``score``, ``fix`` and ``batch`` read files through :func:`read_bounded`; a file that is too large or
cannot be read becomes a ``core.input.*`` finding (:func:`input_findings`), never a reason to stop the run.
The language server and live mode can use the same functions for what they read from disk.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from ..config import DEFAULT_MAX_FILE_SIZE
from ..i18n import _
from ..models import FileReport, Finding

MAX_FILE_BYTES = DEFAULT_MAX_FILE_SIZE  # the one default limit (50 MiB); --max-file-size / max_file_size change it
TOO_LARGE, UNREADABLE = "core.input.too-large", "core.input.unreadable"


@dataclass
class Input:
    """What reading one path gave: its bytes, or the input rule and message that say why there are none."""

    name: str
    data: bytes | None = None
    rule: str | None = None
    message: str | None = None
    reason: str | None = None  # the system's words for an unreadable file (No such file or directory, …)

    @property
    def ok(self) -> bool:
        return self.rule is None

    def report(self, markets: list[str] | None = None) -> FileReport:
        """The FileReport of an input that could not be read: one error finding per market."""
        return FileReport(self.name, input_findings(self.rule or UNREADABLE, self.message or "", markets))


def size_limit(options=None) -> int:
    """The largest file linted, in bytes (``max_file_size`` in the options, else the default)."""
    return getattr(options, "max_file_size", None) or MAX_FILE_BYTES


def too_large_message(size: int | None, limit: int) -> str:
    """The core.input.too-large message (``size`` None: more than the limit was read, e.g. from stdin)."""
    return _("file is too large to lint ({size} bytes; limit {limit})").format(
        size=size if size is not None else f">{limit}", limit=limit) + " (--max-file-size)"


def unreadable_message(exc: OSError) -> str:
    return _("cannot read file: {reason}").format(reason=exc.strerror or exc)


def read_input(path: str, stdin_filename: str | None = None, limit: int | None = None) -> tuple[str, bytes]:
    """A file's (or stdin's) bytes; with ``limit``, at most ``limit + 1`` of them (more means: too large)."""
    if path == "-":
        stream = sys.stdin.buffer
        return stdin_filename or "<stdin>", stream.read() if limit is None else stream.read(limit + 1)
    if limit is None:
        return path, Path(path).read_bytes()
    with open(path, "rb") as fh:  # bounded even when the file grows after stat or has no size (/proc, pipes)
        return path, fh.read(limit + 1)


def read_bounded(path: str, limit: int, stdin_filename: str | None = None) -> Input:
    """Read ``path`` ("-": standard input) if it is at most ``limit`` bytes; else say it is too large or unreadable."""
    name = (stdin_filename or "<stdin>") if path == "-" else path
    try:
        if path != "-":
            size = Path(path).stat().st_size
            if size > limit:
                return Input(name, rule=TOO_LARGE, message=too_large_message(size, limit))
        name, data = read_input(path, stdin_filename, limit)
    except OSError as exc:
        return Input(name, rule=UNREADABLE, message=unreadable_message(exc), reason=str(exc.strerror or exc))
    if len(data) > limit:  # grew since stat, or stdin
        return Input(name, data=data, rule=TOO_LARGE, message=too_large_message(None, limit))  # data: for pipes
    return Input(name, data=data)


def input_findings(rule: str, message: str, markets: list[str] | None = None) -> list[Finding]:
    """One error finding per market for a file that could not be linted (no market known: one for the file)."""
    return [Finding(rule=rule, category="input", severity="error", market=m, message=message,
                    line=1, column=1, end_line=1, end_column=1) for m in (markets or [""])]
