"""Errors that end a run with exit code 2: they always say what is wrong and where."""

from __future__ import annotations


class CultureLintError(Exception):
    """A problem with the run itself (bad option, pack, config, market)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 column: int | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.hint = hint

    def location(self) -> str:
        if not self.path:
            return ""
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}:{self.column or 1}"

    def __str__(self) -> str:
        loc = self.location()
        text = f"{loc}: {self.message}" if loc else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class PackError(CultureLintError):
    """An invalid rule pack."""


class ConfigError(CultureLintError):
    """An invalid configuration file."""


class MarketError(CultureLintError):
    """An unknown market."""


class PackErrors(PackError):
    """Several pack problems found in one validation pass."""

    def __init__(self, errors: list[CultureLintError]):
        super().__init__(str(errors[0]) if errors else "invalid rule pack")
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
