"""Atomic file writes: a temporary file in the same folder, fsync, then rename over the target.

A new file gets the mode any program would give it (0666 less the umask), not the 0600 of the temporary
file; a file that is replaced keeps its own mode and owner, as editors do.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path


def atomic_write(path: Path | str, data: bytes, mode: int | None = None, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` all at once; ``durable=False`` skips fsync (caches may lose an entry).

    ``mode``: the new file's permissions (default: the existing file's, else 0666 less the umask)."""
    path = Path(path)
    if path.is_symlink():  # write through the link: replacing the link itself would leave the target stale
        path = Path(os.path.realpath(path))
    folder = path.parent if str(path.parent) else Path(".")
    owner = None
    if path.exists():
        st = path.stat()
        owner = (st.st_uid, st.st_gid)
        if mode is None:
            mode = st.st_mode & 0o7777
    if mode is None:
        mode = 0o666 & ~current_umask()
    _remove_stale_temporaries(folder, path.name)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if owner is not None and hasattr(os, "chown"):
            try:
                os.chown(tmp, *owner)  # keep the owner when root fixes someone else's file
            except OSError:
                pass
        os.replace(tmp, path)
        if durable:
            _fsync_dir(folder)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process umask (read by setting it and putting it back, under a lock)."""
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


STALE_TEMPORARY_SECONDS = 600  # a write takes well under this; an older temporary was left by a killed run


def _remove_stale_temporaries(folder: Path, name: str) -> None:
    """Delete ``.NAME.*.tmp`` files a killed earlier write left next to ``name`` (best effort).

    Only our own pattern, only regular files, only when older than ten minutes: a concurrent writer's
    temporary file is seconds old.
    """
    import glob
    import time

    now = time.time()
    try:
        candidates = list(folder.glob(f".{glob.escape(name)}.*.tmp"))
    except OSError:
        return
    for tmp in candidates:
        try:
            st = tmp.lstat()
            if tmp.is_file() and not tmp.is_symlink() and now - st.st_mtime > STALE_TEMPORARY_SECONDS:
                tmp.unlink()
        except OSError:
            pass


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
