"""The VS Code extension (editors/vscode/) compiles and packages as a .vsix with @vscode/vsce.

Installing it into VS Code cannot be tested here; the package's contents are checked instead."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

EXT = Path(__file__).resolve().parent.parent / "editors" / "vscode"
NPM = shutil.which("npm")


@pytest.mark.skipif(NPM is None, reason="npm is not installed")
def test_the_extension_packages_as_a_vsix(tmp_path):
    if not (EXT / "node_modules" / "@vscode" / "vsce").is_dir():
        res = subprocess.run([NPM, "ci", "--no-audit", "--no-fund"], cwd=EXT, capture_output=True, text=True,
                             timeout=600)
        assert res.returncode == 0, res.stderr[-2000:]
    vsix = tmp_path / "culture-lint.vsix"
    res = subprocess.run([str(EXT / "node_modules" / ".bin" / "vsce"), "package", "--out", str(vsix)], cwd=EXT,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    with zipfile.ZipFile(vsix) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("extension/package.json"))
    assert "extension/out/extension.js" in names
    assert any(n.startswith("extension/node_modules/vscode-languageclient/") for n in names)
    assert manifest["main"] == "./out/extension.js"
    props = manifest["contributes"]["configuration"]["properties"]
    assert {"cultureLint.markets", "cultureLint.lang", "cultureLint.select", "cultureLint.ignore",
            "cultureLint.debounceMs"} <= set(props)
