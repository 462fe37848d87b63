"""`culture-lint fix`: round trips on every reader's fixture, encodings kept, --diff, idempotence, safety."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "inputs"
PACKS = ROOT / "tests" / "packs" / "inputs"
ENV = {**os.environ, "NO_COLOR": "1"}

# fixture -> (codec, BOM bytes): an oracle independent of culture-lint's own decoder
FIXTURES = {
    "script.utf8.txt": ("utf-8", b""), "script.utf8-bom.txt": ("utf-8", codecs.BOM_UTF8),
    "script.utf16le.txt": ("utf-16-le", codecs.BOM_UTF16_LE), "script.utf16be.txt": ("utf-16-be", codecs.BOM_UTF16_BE),
    "script.gb18030.txt": ("gb18030", b""), "script.big5.txt": ("big5", b""), "script.crlf.txt": ("utf-8", b""),
    "chat-paste.txt": ("utf-8", b""), "script.md": ("utf-8", b""), "script.srt": ("utf-8", b""),
    "script.vtt": ("utf-8", b""), "script.yaml": ("utf-8", b""), "script.json": ("utf-8", b""),
    "catalog.csv": ("utf-8", b""), "catalog.tsv": ("utf-8", b""), "product.html": ("utf-8", b""),
}


class _Result:
    def __init__(self, code, stdout: bytes, stderr: bytes):
        self.returncode, self.stdout, self.stderr = code, stdout, stderr


def cli(*args, cwd=None, stdin=None):
    """The real CLI, in process (Typer's runner) to keep the suite fast; cwd is honoured."""
    from typer.testing import CliRunner

    from culture_lint.cli import build_app

    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        res = CliRunner().invoke(build_app(), list(args), input=stdin, env={"NO_COLOR": "1"})
    finally:
        os.chdir(old)
    if res.exception and not isinstance(res.exception, SystemExit):
        raise res.exception
    return _Result(res.exit_code, res.stdout_bytes, res.stderr_bytes if res.stderr_bytes is not None else b"")


def decode(name: str, data: bytes) -> str:
    codec, bom = FIXTURES[name]
    assert data.startswith(bom)
    return data[len(bom):].decode(codec)


def encode(name: str, text: str) -> bytes:
    codec, bom = FIXTURES[name]
    return bom + text.encode(codec)


def offset(text: str, line: int, col: int) -> int:
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return starts[line - 1] + col - 1


def expected_after_one_pass(text: str, report: dict, unsafe: bool) -> str:
    """Apply, by hand, the first applicable fix of each finding listed in `check --format json`."""
    edits = []
    for f in report["files"][0]["findings"]:
        for s in f["suggestions"]:
            if s["fix"] and (s["safe"] or unsafe):
                fx = s["fix"]
                edits.append((offset(text, fx["line"], fx["column"]), offset(text, fx["end_line"], fx["end_column"]),
                              fx["text"]))
                break
    edits = sorted(set(edits), key=lambda e: (e[0], -(e[1] - e[0])))
    out, pos = [], 0
    for start, end, new in edits:
        if start < pos:
            continue
        out += [text[pos:start], new]
        pos = end
    return "".join(out) + text[pos:]


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_round_trip(tmp_path, name, unsafe):
    path = tmp_path / name
    shutil.copy(FIX / name, path)
    os.chmod(path, 0o640)
    original = path.read_bytes()
    flags = ["-m", "us", "--rules", str(PACKS), "--select", "us"]
    report = json.loads(cli("check", str(path), *flags, "--format", "json").stdout)
    res = cli("fix", str(path), *flags, *(["--unsafe-fixes"] if unsafe else []))
    assert res.returncode in (0, 1), res.stderr
    assert b"Traceback" not in res.stderr
    fixed = path.read_bytes()
    # same encoding, BOM and newline style; only the fixed spans changed
    assert fixed == encode(name, expected_after_one_pass(decode(name, original), report, unsafe))
    assert (path.stat().st_mode & 0o777) == 0o640
    # nothing fixable is left, and a second run changes nothing
    after = json.loads(cli("check", str(path), *flags, "--format", "json").stdout)
    left = [s for f in after["files"][0]["findings"] for s in f["suggestions"] if s["fix"] and (s["safe"] or unsafe)]
    assert left == []
    cli("fix", str(path), *flags, *(["--unsafe-fixes"] if unsafe else []))
    assert path.read_bytes() == fixed


def test_fixes_preserve_case():
    from culture_lint.fix import match_case

    assert match_case("smoothing", "SLIMMING") == "SMOOTHING"
    assert match_case("smoothing", "Slimming") == "Smoothing"
    assert match_case("smoothing", "slimming") == "smoothing"


def test_check_json_carries_the_exact_fix(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("HOST: This SLIMMING tea.\n", encoding="utf-8")
    data = json.loads(cli("check", str(path), "-m", "us", "--rules", str(PACKS), "--select", "us",
                          "--format", "json").stdout)
    (finding,) = data["files"][0]["findings"]
    assert finding["suggestions"] == [{"replacement": "smoothing", "safe": True, "fix": {
        "line": 1, "column": 12, "end_line": 1, "end_column": 20, "text": "SMOOTHING"}}]


@pytest.mark.parametrize("name", ["script.utf8.txt", "script.crlf.txt", "script.md", "script.srt", "chat-paste.txt"])
def test_diff_applies_with_patch_and_equals_fix(tmp_path, name):
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(FIX / name, work / name)
    flags = ["-m", "us", "--rules", str(PACKS), "--select", "us", "--unsafe-fixes"]
    diff = cli("fix", name, *flags, "--diff", cwd=work)
    assert diff.returncode in (0, 1) and diff.stdout.startswith(b"--- " + name.encode())
    assert (work / name).read_bytes() == (FIX / name).read_bytes()  # --diff writes nothing
    patched = tmp_path / "patched"
    patched.mkdir()
    shutil.copy(FIX / name, patched / name)
    res = subprocess.run(["patch", "-p0", "--binary", "--no-backup-if-mismatch"], cwd=patched, input=diff.stdout,
                         capture_output=True)
    assert res.returncode == 0, res.stdout + res.stderr
    cli("fix", name, *flags, cwd=work)
    assert (patched / name).read_bytes() == (work / name).read_bytes()


def test_stdin_fix_prints_the_fixed_text():
    res = cli("fix", "-", "--stdin-filename", "a.txt", "-m", "us", "--rules", str(PACKS), "--select", "us",
              stdin="HOST: Slimming tea.\n".encode())
    assert res.stdout.decode() == "HOST: Smoothing tea.\n"


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path):
    from culture_lint.commands.fix import write_fixed
    from culture_lint.fix import Snapshot

    path = tmp_path / "a.txt"
    path.write_bytes(b"slimming tea\n")
    snap = Snapshot.of(str(path), path.read_bytes())
    path.write_bytes(b"slimming tea, edited by someone else\n")
    problem = write_fixed(str(path), snap, b"smoothing tea\n")
    assert problem and "changed on disk" in problem
    assert path.read_bytes() == b"slimming tea, edited by someone else\n"
    snap = Snapshot.of(str(path), path.read_bytes())
    assert write_fixed(str(path), snap, b"smoothing tea\n") is None
    assert path.read_bytes() == b"smoothing tea\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temporary files left behind


def test_insertion_goes_after_front_matter_and_keeps_newlines(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"---\r\nmarket: us\r\n---\r\nHello!\r\n\r\nUse my code SAVE.\r\n")
    cli("fix", str(path), "-m", "us", "--rules", str(PACKS), "--select", "us", "--unsafe-fixes")
    assert path.read_bytes() == (b"---\r\nmarket: us\r\n---\r\n#ad \xe2\x80\x94 paid partnership with BRAND\r\n"
                                 b"Hello!\r\n\r\nUse my code SAVE.\r\n")


WORDS = ["Welcome", "tea", "tonight", "our", "serum", "HOST:", "主播：", "大家好", "soft", "comfy", "见", "😀"]
PLANTED = ["slimming", "Slimming", "SLIMMING", "减肥", "fat burning", "detox", "sl1mming"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS + PLANTED), min_size=1, max_size=8), min_size=1, max_size=6),
       st.sampled_from(["\n", "\r\n"]))
def test_property_lossless_and_idempotent(tmp_path_factory, lines, newline):
    from culture_lint.api import make_linter
    from culture_lint.commands.fix import _fix_document
    from culture_lint.readers import read_text

    linter = _LINTER.get("l") or _LINTER.setdefault("l", make_linter(["us"], rules_dirs=[PACKS], select=["us"]))
    text = newline.join(" ".join(words) for words in lines) + newline
    doc = read_text("p.txt", text)
    findings = linter.lint(doc)
    fixed_doc, left, _ = _fix_document(linter, doc, unsafe=False)
    fixed = fixed_doc.source
    # outside the replaced spans nothing changed: strip every planted word from both and compare
    def skeleton(t: str) -> str:
        for w in sorted(PLANTED + ["smoothing", "Smoothing", "SMOOTHING", "塑形", "moldeador"], key=len, reverse=True):
            t = t.replace(w, "§")
        return t
    assert skeleton(fixed) == skeleton(text) or fixed == text
    assert fixed.count(newline) == text.count(newline)
    assert not [f for f in left if any(s.edit and s.safe for s in f.suggestions)]
    again, _, _ = _fix_document(linter, read_text("p.txt", fixed), unsafe=False)
    assert again.source == fixed
    assert len(findings) >= len(left)


_LINTER: dict = {}


def test_interactive_fix_in_a_pseudo_terminal(tmp_path):
    import pty
    import select
    import time

    path = tmp_path / "a.txt"
    path.write_text("HOST: slimming tea\n", encoding="utf-8")
    pid, fd = pty.fork()
    if pid == 0:  # child: the real CLI on a real terminal
        os.execve(sys.executable, [sys.executable, "-m", "culture_lint", "fix", str(path), "-m", "us",
                                   "--rules", str(PACKS), "--select", "us", "--interactive"], ENV)
    out = b""
    deadline = time.time() + 60
    answered = False
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if not answered and b"Choose a fix" in out:
                os.write(fd, b"1\r")
                answered = True
        elif os.waitpid(pid, os.WNOHANG)[0]:
            break
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    assert answered, out.decode(errors="replace")
    assert b"smoothing" in out
    assert path.read_text(encoding="utf-8") == "HOST: smoothing tea\n"


def test_a_temporary_file_left_by_a_killed_fix_is_cleaned_up(tmp_path):
    import os
    import time

    from culture_lint.util.fsutil import atomic_write

    target = tmp_path / "script.txt"
    target.write_text("old\n")
    stale = tmp_path / ".script.txt.abc123.tmp"  # what a SIGKILL between write and rename leaves
    fresh = tmp_path / ".script.txt.def456.tmp"  # a concurrent writer's, seconds old: not ours to delete
    other = tmp_path / ".notes.txt.abc123.tmp"
    for p in (stale, fresh, other):
        p.write_text("partial")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    os.utime(other, (hour_ago, hour_ago))
    atomic_write(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".notes.txt.abc123.tmp", ".script.txt.def456.tmp", "script.txt"])
