"""``culture-lint serve``: a local web page for writers and the live desk, and the HTTP API behind it.

Needs the ``web`` extra (Starlette and uvicorn): ``pip install 'culture-lint[web]'``. See docs/web.md.
"""

from __future__ import annotations

EXTRA_MODULES = ("starlette", "uvicorn")


def missing_modules() -> list[str]:
    """The web extra's modules that cannot be imported (empty when ``serve`` can run)."""
    import importlib.util

    return [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]
