"""`culture-lint lsp`: a language server on stdio (extra ``lsp``: pygls and lsprotocol).

:mod:`.session` holds the editor-independent work (settings as the CLI resolves them, linters cached per
workspace, incremental re-linting, code actions, hover, score); :mod:`.server` wires it to pygls.
"""

from __future__ import annotations

INSTALL_HINT = 'pip install "culture-lint[lsp]"'


def missing_dependency() -> str | None:
    """The name of the first missing server dependency, or None when the extra is installed."""
    import importlib.util

    for name in ("pygls", "lsprotocol"):
        if importlib.util.find_spec(name) is None:
            return name
    return None


def main(debounce_ms: int | None = None) -> None:
    from .server import serve

    serve(debounce_ms=debounce_ms)
