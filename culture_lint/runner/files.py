"""Which files get linted: explicit paths, directories walked with include/exclude globs, or the files a git
diff names (``--changed-since``) put through the same filter (:class:`FileFilter`)."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from ..errors import CultureLintError
from ..i18n import _

DEFAULT_INCLUDE = ("*.txt", "*.md", "*.markdown", "*.srt", "*.vtt")
DEFAULT_EXCLUDE = (".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox",
                   ".culture-lint-cache", "dist", "build")


def _matches(rel: str, patterns) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def _inside(real: str, top: str) -> bool:
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


class FileFilter:
    """The include/exclude decision for files found under a folder argument (walked or named by git).

    Paths are relative to that folder, with ``/`` separators. Explicit file arguments are never filtered.
    """

    def __init__(self, include: list[str] | None = None, exclude: list[str] | None = None):
        self.include = list(include or DEFAULT_INCLUDE)
        self.exclude = list(DEFAULT_EXCLUDE) + list(exclude or [])

    def skips_folder(self, rel: str) -> bool:
        """Whether a folder (and everything in it) is left out."""
        return _matches(rel.replace(os.sep, "/"), self.exclude)

    def keeps_file(self, rel: str) -> bool:
        """Whether a file (its folders already kept) is linted: an include glob and no exclude glob match it."""
        rel = rel.replace(os.sep, "/")
        return not _matches(rel, self.exclude) and _matches(rel, self.include)

    def wants(self, rel: str) -> bool:
        """Whether a file is linted: :meth:`keeps_file`, and it sits in no excluded folder."""
        parts = rel.replace(os.sep, "/").split("/")
        if any(self.skips_folder("/".join(parts[: i + 1])) for i in range(len(parts) - 1)):
            return False
        return self.keeps_file(rel)


def collect(paths: list[str], include: list[str] | None = None, exclude: list[str] | None = None) -> list[str]:
    """Explicit files are always linted; directories contribute files matching ``include``."""
    keep = FileFilter(include, exclude)
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
            dirs[:] = sorted(d for d in dirs if not keep.skips_folder(os.path.normpath(os.path.join(rel_root, d)))
                             and _inside(os.path.realpath(os.path.join(root, d)), top))
            for name in sorted(files):
                rel = os.path.normpath(os.path.join(rel_root, name))
                if not keep.keeps_file(rel):
                    continue
                full = os.path.join(root, name)
                key = os.path.realpath(full)
                if key not in seen and os.path.isfile(full) and _inside(key, top):
                    seen.add(key)
                    out.append(full)
    return out


def select_changed(changed: list[Path], paths: list[str], include: list[str] | None,
                   exclude: list[str] | None) -> list[str]:
    """The changed files that ``collect(paths, include, exclude)`` would lint, without walking the tree.

    An explicit file argument counts when it changed; a directory argument contributes the changed files
    under it that :class:`FileFilter` keeps. Paths come out relative to the current folder when they are
    under it, as the walk would print them.
    """
    keep = FileFilter(include, exclude)
    real = {Path(os.path.realpath(p)): p for p in changed}
    out: list[str] = []
    seen: set[str] = set()
    for raw in paths:
        if raw == "-":
            out.append("-")
            continue
        arg = Path(raw)
        if not arg.exists():
            raise CultureLintError(_("path does not exist: {path}").format(path=raw))
        arg_real = Path(os.path.realpath(arg))
        if arg.is_file():
            if arg_real in real and str(arg_real) not in seen:
                seen.add(str(arg_real))
                out.append(str(arg))
            continue
        for file_real in sorted(real):
            try:
                rel = file_real.relative_to(arg_real)
            except ValueError:
                continue
            if str(file_real) in seen or not keep.wants(rel.as_posix()):
                continue
            seen.add(str(file_real))
            out.append(os.path.join(raw, *rel.parts))
    return out


def changed_paths(ref: str, paths: list[str], include: list[str] | None = None,
                  exclude: list[str] | None = None) -> list[str]:
    """``collect`` restricted to the files changed since the git ref ``ref`` (``check --changed-since``)."""
    from .gitdiff import changed_files

    return select_changed(changed_files(ref), paths, include, exclude)
