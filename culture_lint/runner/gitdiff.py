"""Files changed against a git ref, for ``check --changed-since REF`` and the GitHub Action.

"Changed since REF" means: files that differ between the merge base of REF and HEAD and the working
tree (committed on the branch, staged or not yet staged), plus untracked files that git does not ignore.
Deleted files are left out. So on a pull-request branch ``--changed-since origin/main`` is what the pull
request changes, whatever landed on main meanwhile; with no common history the diff is taken against REF
itself.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..errors import CultureLintError
from ..i18n import _


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
