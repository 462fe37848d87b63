"""Fix safety under faults (issue #9): disk full, read-only file or folder, the file changed or deleted between
read and write, the process killed mid-write. In every case the original file is never truncated or
corrupted: after the fault it holds either its old bytes or the complete fixed bytes, nothing in between.
"""

from __future__ import annotations

import contextlib
import os
import random
import resource
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from relhelpers import CORE_PACKS, REL_PACKS, bump, cli_cmd, env, record

pytestmark = pytest.mark.usefixtures("isolated_cwd")

RULES = ["-m", "rl", "--rules", str(CORE_PACKS), "--rules", str(REL_PACKS), "--no-config"]
ORIGINAL = "A miracle cure! Hurry up.\nOnly 3 left.\n"
FIXED = "A gentle formula! Take your time.\nOnly 3 left.\n"


def fix_cmd(*paths, extra=()):
    return cli_cmd("fix", *paths, *RULES, *extra)


def run_fix(*paths, preexec=None, extra_env=None, timeout=120, extra=()):
    proc = subprocess.run(fix_cmd(*paths, extra=extra), capture_output=True, text=True, timeout=timeout,
                          preexec_fn=preexec, env=env(CULTURE_LINT_NO_CACHE="1", **(extra_env or {})))
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    return proc


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def big_text(lines: int) -> str:
    return "".join(f"Line {i}: a miracle cure for everyone, hurry up now.\n" if i % 50 == 0 else
                   f"Line {i}: soft cotton shirt in navy, a gift for mom.\n" for i in range(lines))


# -- disk full ---------------------------------------------------------------------------------------------

@contextlib.contextmanager
def tiny_tmpfs(folder: Path, size_kb: int):
    """A tmpfs of ``size_kb`` mounted on ``folder`` (root only); skips the test when mounting is not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; the RLIMIT_FSIZE test covers the write failure")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_disk_full_on_a_tiny_tmpfs(tmp_path):
    """The fixed copy does not fit beside the original: the write fails with ENOSPC, the original is intact."""
    with tiny_tmpfs(tmp_path / "disk", 512) as disk:
        path = disk / "show.txt"
        text = big_text(3000)  # about 155 KB: two copies do not fit with the filler below
        path.write_text(text)
        filler = disk / "filler.bin"
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        filler.write_bytes(b"\0" * max(0, free - len(text) // 2))
        proc = run_fix(path)
        assert proc.returncode == 1, proc.stderr
        assert "No space left on device" in proc.stderr and "unchanged" in proc.stderr
        assert path.read_text() == text
        assert leftovers(disk) == []  # the partial temporary copy is removed
        filler.unlink()
        proc = run_fix(path)  # with room again, the same fix goes through
        assert proc.returncode in (0, 1) and "gentle formula" in path.read_text()
    bump("faults", "disk full (tmpfs)", 1)
    record("faults", "disk full (tmpfs)", {"injected": "ENOSPC: 512 KB tmpfs, the fixed copy does not fit",
                                           "outcome": "exit 1, clear message, original intact, no temp file left",
                                           "data lost": "none"})


def test_disk_full_via_rlimit_fsize(tmp_path):
    """RLIMIT_FSIZE below the file size: writing the fixed copy fails with EFBIG in the child."""
    path = tmp_path / "show.txt"
    text = big_text(2000)
    path.write_text(text)
    limit = len(text) // 2

    def preexec():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed by SIGXFSZ
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = run_fix(path, preexec=preexec)
    assert proc.returncode == 1, proc.stderr
    assert "File too large" in proc.stderr and "unchanged" in proc.stderr
    assert path.read_text() == text and leftovers(tmp_path) == []
    # the report file of `check -o` too: exit 2 with a message, the old report kept
    report = tmp_path / "report.json"
    report.write_text("old report\n")
    doc = tmp_path / "doc.txt"
    doc.write_text(text)
    proc = subprocess.run(cli_cmd("check", doc, *RULES, "--format", "json", "-o", report), capture_output=True,
                          text=True, preexec_fn=preexec, env=env(CULTURE_LINT_NO_CACHE="1"), timeout=120)
    assert proc.returncode == 2 and "cannot write" in proc.stderr and "Traceback" not in proc.stderr
    assert report.read_text() == "old report\n"
    bump("faults", "write limit (RLIMIT_FSIZE)", 2)
    record("faults", "file size limit (RLIMIT_FSIZE)", {"injected": "EFBIG while writing the fixed copy / report",
                                                        "outcome": "fix exit 1, check -o exit 2; originals intact",
                                                        "data lost": "none"})


# -- read-only ---------------------------------------------------------------------------------------------

def test_read_only_file_is_not_replaced(tmp_path):
    path = tmp_path / "show.txt"
    path.write_text(ORIGINAL)
    path.chmod(0o444)
    proc = run_fix(path)
    assert proc.returncode == 1 and "read-only" in proc.stderr
    assert path.read_text() == ORIGINAL and (path.stat().st_mode & 0o777) == 0o444
    bump("faults", "read-only file", 1)


@contextlib.contextmanager
def read_only_folder(folder: Path):
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    # root ignores permission bits: make the folder a read-only bind mount instead
    ok = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True).returncode == 0
    if not ok:
        pytest.skip("cannot bind-mount here (root ignores folder permissions)")
    try:
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only here")
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "show.txt"
    path.write_text(ORIGINAL)
    with read_only_folder(folder):
        proc = run_fix(path)
        assert proc.returncode == 1, proc.stderr
        assert "cannot write" in proc.stderr and "unchanged" in proc.stderr
        assert path.read_text() == ORIGINAL and leftovers(folder) == []
    bump("faults", "read-only folder", 1)
    record("faults", "read-only file and folder", {"injected": "chmod 444 file; read-only folder (bind mount as root)",
                                                   "outcome": "exit 1, 'cannot write', file unchanged",
                                                   "data lost": "none"})


# -- the file changes or disappears between read and write ------------------------------------------------

@pytest.mark.parametrize("change", ["edited", "deleted", "replaced-by-dir"])
def test_file_changed_between_read_and_write(tmp_path, monkeypatch, change):
    """Another program edits (or deletes) the file while fix works on it: fix does not overwrite it."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from conftest import cli

    import culture_lint.commands.fix as fixmod

    path = tmp_path / "show.txt"
    path.write_text(ORIGINAL)
    real = fixmod._fix_document

    def meddle(*args, **kwargs):
        out = real(*args, **kwargs)  # the fix is computed from what was read; now the file changes
        if change == "edited":
            path.write_text(ORIGINAL + "A line someone just typed.\n")
        elif change == "deleted":
            path.unlink()
        else:
            path.unlink()
            path.mkdir()
        return out

    monkeypatch.setattr(fixmod, "_fix_document", meddle)
    code, out, err = cli("fix", path, *RULES)
    assert code == 1
    assert "changed on disk since it was read" in err
    if change == "edited":
        assert path.read_text() == ORIGINAL + "A line someone just typed.\n"  # their edit is kept
    elif change == "deleted":
        assert not path.exists()  # not resurrected
    else:
        assert path.is_dir()
    assert leftovers(tmp_path) == []
    bump("faults", f"file {change} between read and write", 1)


def test_file_deleted_before_it_is_read(tmp_path):
    """A file named on the command line that vanishes before it is read: a message, exit 1, no traceback."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from conftest import cli

    import culture_lint.files as files

    path = tmp_path / "show.txt"
    path.write_text(ORIGINAL)
    real = files.collect

    def collect_then_delete(*args, **kwargs):
        out = real(*args, **kwargs)
        path.unlink()
        return out

    import culture_lint.commands.fix as fixmod
    import culture_lint.commands.check as checkmod
    from unittest import mock

    with mock.patch.object(files, "collect", collect_then_delete):
        code, out, err = cli("fix", path, *RULES)
        assert code == 1 and "cannot read file" in err
        path.write_text(ORIGINAL)
        code, out, err = cli("check", path, *RULES, "--format", "json", "--no-cache")
        assert code == 1 and "core.input.unreadable" in out
    bump("faults", "file deleted before read", 2)
    del fixmod, checkmod


# -- killed mid-write ------------------------------------------------------------------------------------

SLOW_WRITES = '''
"""Installed by test_rel_faults.py: writes to the fix's temporary file go slowly, in chunks, so a SIGKILL
lands in the middle of one. A marker file says when the first chunk is on disk."""
import os

_target = os.environ.get("CL_SLOW_TARGET")
if _target:
    _fdopen = os.fdopen
    _folder, _name = os.path.split(_target)

    class _Slow:
        def __init__(self, fh):
            self._fh = fh

        def write(self, data):
            import time
            view = memoryview(data)
            for i in range(0, len(view), 16384):
                self._fh.write(view[i:i + 16384])
                self._fh.flush()
                if i == 0:
                    open(os.environ["CL_SLOW_MARKER"], "w").close()
                time.sleep(0.02)
            return len(data)

        def __getattr__(self, name):
            return getattr(self._fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self._fh.__exit__(*exc)

    def fdopen(fd, *args, **kwargs):
        fh = _fdopen(fd, *args, **kwargs)
        try:
            path = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            return fh
        base = os.path.basename(path)
        if os.path.dirname(path) == _folder and base.startswith("." + _name + ".") and base.endswith(".tmp"):
            return _Slow(fh)
        return fh

    os.fdopen = fdopen
'''


def test_sigkill_mid_write_never_leaves_a_partial_file(tmp_path):
    """`culture-lint fix` on a 300 KB file is SIGKILLed at random moments while it writes the fixed copy: the
    file is always either the original or the complete fix (the rename is the only step that changes it)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SLOW_WRITES)
    folder = tmp_path / "work"
    folder.mkdir()
    path = folder / "show.txt"
    original = big_text(6_000).encode()  # about 310 KB; the slowed write takes about 0.4 s
    path.write_bytes(original)
    # the expected fixed bytes, from an unhindered run on a copy
    reference = folder / "reference.txt"
    reference.write_bytes(original)
    assert run_fix(reference).returncode in (0, 1)
    fixed = reference.read_bytes()
    reference.unlink()
    assert fixed != original

    rnd = random.Random(11)
    outcomes = {"original": 0, "fixed": 0}
    kills_mid_write = 0
    delays = [0.02, *(rnd.uniform(0.0, 0.4) for _ in range(4)), 3.0]  # the last one comes after the rename
    for attempt, delay in enumerate(delays):
        path.write_bytes(original)
        marker = tmp_path / f"marker{attempt}"
        proc = subprocess.Popen(fix_cmd(path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=env(PYTHONPATH=str(site), CL_SLOW_TARGET=str(path), CL_SLOW_MARKER=str(marker),
                                        CULTURE_LINT_NO_CACHE="1"))
        deadline = time.monotonic() + 120
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(delay)
        mid = proc.poll() is None and any(leftovers(folder))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills_mid_write += mid
        data = path.read_bytes()
        assert data in (original, fixed), f"attempt {attempt}: {len(data)} bytes, neither old nor new"
        outcomes["original" if data == original else "fixed"] += 1
        for name in leftovers(folder):  # a killed run leaves its temporary copy: never the file itself
            (folder / name).unlink()
    assert kills_mid_write >= 3 and outcomes["fixed"] >= 1, (kills_mid_write, outcomes)
    bump("faults", "SIGKILL during fix", 6)
    record("faults", "SIGKILL mid-write", {
        "injected": f"{len(delays)} SIGKILLs of `fix` on a {len(original) // 1024} KB file, {kills_mid_write} while the "
                    "fixed copy was half written",
        "outcome": f"file afterwards: {outcomes['original']}× original, {outcomes['fixed']}× complete fix, "
                   "0× partial", "data lost": "none"})


def test_atomic_write_killed_at_random_points(tmp_path):
    """The primitive under every write (fsutil.atomic_write), killed 20 times while writing 64 MB."""
    path = tmp_path / "target.bin"
    old = b"old content\n" * 1000
    path.write_bytes(old)
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from culture_lint.fsutil import atomic_write
        print("ready", flush=True)
        atomic_write({str(path)!r}, b"N" * (64 << 20))
        print("done", flush=True)
    """)
    rnd = random.Random(5)
    seen = {"old": 0, "new": 0}
    for _ in range(20):
        path.write_bytes(old)
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(rnd.uniform(0, 0.15))
        proc.kill()
        proc.wait()
        size = path.stat().st_size
        assert size in (len(old), 64 << 20), size
        seen["old" if size == len(old) else "new"] += 1
        if size == 64 << 20:
            with open(path, "rb") as fh:
                assert fh.read(1 << 20) == b"N" * (1 << 20)
        for name in leftovers(tmp_path):
            (tmp_path / name).unlink()
    bump("faults", "SIGKILL during atomic_write", 20)
    record("faults", "SIGKILL of atomic_write (64 MB)", {
        "injected": "20 SIGKILLs at random points of a 64 MB atomic write",
        "outcome": f"{seen['old']}× old file, {seen['new']}× complete new file, 0× partial", "data lost": "none"})


def test_symlinked_file_is_fixed_through_the_link(tmp_path):
    """Fixing a link writes the target (the link stays a link); owner and mode are kept."""
    real = tmp_path / "real.txt"
    real.write_text(ORIGINAL)
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    proc = run_fix(link)
    assert proc.returncode in (0, 1), proc.stderr
    assert link.is_symlink() and real.read_text() == FIXED
    assert (real.stat().st_mode & 0o777) == 0o640
