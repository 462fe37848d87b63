"""A real editor: headless Neovim (Debian's `neovim`) attaches its built-in LSP client to `culture-lint lsp`,
opens a script, and the test reads the diagnostics Neovim received."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
NVIM = shutil.which("nvim")
pytestmark = pytest.mark.skipif(NVIM is None, reason="Neovim is not installed (.ci/run installs Debian's neovim)")
SCRIPT = Path(__file__).resolve().parent / "editors" / "nvim_diagnostics.lua"


def test_neovim_receives_the_diagnostics_the_cli_reports(tmp_path):
    text = "---\nmarket: us\n---\nHOST: 😀 这款茶 cures diabetes, 真的!\n"
    doc = tmp_path / "show.txt"
    doc.write_text(text, encoding="utf-8")
    out = tmp_path / "diagnostics.json"
    env = {**os.environ, "CL_FILE": str(doc), "CL_OUT": str(out), "CL_PYTHON": sys.executable,
           "CL_ROOT": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state")}
    res = subprocess.run([NVIM, "--headless", "--clean", "-u", "NONE", "-c", f"luafile {SCRIPT}"],
                         capture_output=True, env=env, cwd=tmp_path, timeout=180, stdin=subprocess.DEVNULL)
    assert out.exists(), res.stderr.decode(errors="replace")
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got["attached"] and not got["timed_out"]
    cli = subprocess.run([sys.executable, "-m", "culture_lint", "check", str(doc), "--no-cache", "-f", "json"],
                         capture_output=True, text=True, cwd=tmp_path)
    findings = json.loads(cli.stdout)["files"][0]["findings"]
    assert findings
    lines = text.split("\n")

    def byte_col(line: int, col: int) -> int:  # Neovim keeps byte columns (it converted from UTF-16 itself)
        return len(lines[line - 1][:col - 1].encode("utf-8"))

    expected = sorted((f["line"] - 1, byte_col(f["line"], f["column"]), f["end_line"] - 1,
                       byte_col(f["end_line"], f["end_column"]), f["rule"], f"[{f['market']}] {f['message']}")
                      for f in findings)
    received = sorted((d["lnum"], d["col"], d["end_lnum"], d["end_col"], d["code"], d["message"])
                      for d in got["diagnostics"])
    assert received == expected
    assert {d["source"] for d in got["diagnostics"]} == {"culture-lint"}
