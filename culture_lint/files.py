"""Collect the files to lint: explicit paths, directories walked with include/exclude globs."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from .errors import CultureLintError
from .i18n import _

DEFAULT_INCLUDE = ("*.txt", "*.md", "*.markdown", "*.srt", "*.vtt")
DEFAULT_EXCLUDE = (".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox",
                   ".culture-lint-cache", "dist", "build")


def _matches(rel: str, patterns) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def _inside(real: str, top: str) -> bool:
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def collect(paths: list[str], include: list[str] | None = None, exclude: list[str] | None = None) -> list[str]:
    """Explicit files are always linted; directories contribute files matching ``include``."""
    include = list(include or DEFAULT_INCLUDE)
    exclude = list(DEFAULT_EXCLUDE) + list(exclude or [])
    out: list[str] = []
    seen: set[str] = set()
    for raw in paths:
        if raw == "-":
            out.append("-")
            continue
        path = Path(raw)
        if path.is_file():
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                out.append(str(path))
            continue
        if not path.exists():
            raise CultureLintError(_("path does not exist: {path}").format(path=raw))
        visited: set[tuple[int, int]] = set()
        top = os.path.realpath(path)
        for root, dirs, files in os.walk(path, followlinks=True):
            try:
                st = os.stat(root)
            except OSError:  # vanished or unreadable while walking
                dirs[:] = []
                continue
            if (st.st_dev, st.st_ino) in visited:  # symlink loop
                dirs[:] = []
                continue
            visited.add((st.st_dev, st.st_ino))
            rel_root = os.path.relpath(root, path)
            # links are followed only while they stay inside the folder given (a link to / must not walk the disk)
            dirs[:] = sorted(d for d in dirs if not _matches(os.path.normpath(os.path.join(rel_root, d)), exclude)
                             and _inside(os.path.realpath(os.path.join(root, d)), top))
            for name in sorted(files):
                rel = os.path.normpath(os.path.join(rel_root, name))
                if _matches(rel, exclude) or not _matches(rel, include):
                    continue
                full = os.path.join(root, name)
                key = os.path.realpath(full)
                if key not in seen and os.path.isfile(full) and _inside(key, top):
                    seen.add(key)
                    out.append(full)
    return out
