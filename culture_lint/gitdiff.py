"""Files changed against a git ref, for ``check --changed-since REF`` and the GitHub Action.

"Changed since REF" means: files that differ between the merge base of REF and HEAD and the working
tree (committed on the branch, staged or not yet staged), plus untracked files that git does not ignore.
Deleted files are left out. So on a pull-request branch ``--changed-since origin/main`` is what the pull
request changes, whatever landed on main meanwhile; with no common history the diff is taken against REF
itself.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .errors import CultureLintError
from .i18n import _


def _git(args: list[str], cwd: str | Path) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise CultureLintError(_("--changed-since needs git, and git is not installed")) from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(msg[-1] if msg else f"git {' '.join(args)} failed")
    return proc.stdout.decode("utf-8", "surrogateescape")


class GitError(CultureLintError):
    """A git command failed."""


def toplevel(cwd: str | Path = ".") -> Path:
    try:
        return Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    except GitError:
        raise CultureLintError(_("--changed-since works inside a git repository, and {path} is not in one")
                               .format(path=Path(cwd).resolve())) from None


def merge_base(ref: str, cwd: str | Path = ".") -> str:
    """The commit to diff against: the merge base of REF and HEAD, else REF itself."""
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    except GitError:
        raise CultureLintError(_("unknown git ref '{ref}'").format(ref=ref),
                               hint=_("fetch it first, e.g. git fetch origin main")) from None
    try:
        return _git(["merge-base", ref, "HEAD"], cwd).strip()
    except GitError:  # no common history (shallow clone, unrelated branch): diff against REF itself
        return _git(["rev-parse", f"{ref}^{{commit}}"], cwd).strip()


def changed_files(ref: str, cwd: str | Path = ".", untracked: bool = True) -> list[Path]:
    """Absolute paths of existing files changed since REF (see the module docstring)."""
    top = toplevel(cwd)
    base = merge_base(ref, cwd)
    names = _git(["-c", "core.quotePath=false", "diff", "--name-only", "-z", "--no-renames",
                  "--diff-filter=d", base, "--"], top).split("\0")
    if untracked:
        names += _git(["ls-files", "-z", "--others", "--exclude-standard"], top).split("\0")
    out: list[Path] = []
    seen: set[Path] = set()
    for name in names:
        if not name:
            continue
        path = top / name
        if path not in seen and path.is_file():
            seen.add(path)
            out.append(path)
    return sorted(out)


def select_changed(changed: list[Path], paths: list[str], include: list[str] | None,
                   exclude: list[str] | None) -> list[str]:
    """The changed files that ``collect(paths, include, exclude)`` would lint, without walking the tree.

    An explicit file argument counts when it changed; a directory argument contributes the changed files
    under it that match ``include`` and no ``exclude`` (checked on each folder on the way, as the walk does).
    Paths come out relative to the current folder when they are under it, as the walk would print them.
    """
    from .files import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, _matches

    inc = list(include or DEFAULT_INCLUDE)
    exc = list(DEFAULT_EXCLUDE) + list(exclude or [])
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
            parts = rel.parts
            folders = [os.path.join(*parts[: i + 1]) for i in range(len(parts) - 1)]
            rel_s = rel.as_posix()
            if any(_matches(f.replace(os.sep, "/"), exc) for f in folders):
                continue
            if _matches(rel_s, exc) or not _matches(rel_s, inc):
                continue
            if str(file_real) in seen:
                continue
            seen.add(str(file_real))
            out.append(os.path.join(raw, *parts))
    return out


def changed_paths(ref: str, paths: list[str], include: list[str] | None = None,
                  exclude: list[str] | None = None) -> list[str]:
    return select_changed(changed_files(ref), paths, include, exclude)
