"""Where the bundled rule packs and translation catalogs live (source checkout or installed)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent.parent  # the culture_lint package


@lru_cache(maxsize=None)
def _data_dir(package: str, repo_name: str) -> Path:
    repo = _HERE.parent / repo_name
    if (_HERE.parent / "pyproject.toml").is_file() and repo.is_dir():
        return repo
    # installed: a data-only package (no __init__.py), so ask the import system where it lives
    import importlib.util

    try:
        spec = importlib.util.find_spec(package)
    except (ModuleNotFoundError, ValueError):  # pragma: no cover - broken install
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return repo


def rules_dir() -> Path:
    return _data_dir("culture_lint._rules", "rules")


def locales_dir() -> Path:
    return _data_dir("culture_lint._locales", "locales")
