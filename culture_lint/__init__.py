"""culture-lint: lint livestream scripts and product copy for the markets they go to."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__", "lint_text", "lint_paths", "make_linter"]


def __getattr__(name: str):
    # keep `import culture_lint` cheap: spaCy loads only when linting starts
    if name in ("lint_text", "lint_paths", "make_linter"):
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
