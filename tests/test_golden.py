"""Golden outputs: every report format on every bundled example, compared with ``tests/golden/``.

Each example is linted for its manifest market with a fixed show date, through the real CLI in-process; the
output is normalised (the tool's version, absolute paths) so only a real change of behaviour shows. After an
intended change, regenerate and review the diff:

    python scripts/update_golden.py          # or: CULTURE_LINT_UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
MANIFEST = yaml.safe_load((EXAMPLES / "manifest.yaml").read_text(encoding="utf-8"))["examples"]
FORMATS = {"text": "txt", "json": "json", "sarif": "sarif.json", "github": "github.txt", "junit": "junit.xml",
           "gitlab": "gitlab.json", "html": "html", "concise": "concise.txt"}
SHOW_DATE = "2027-03-10"  # show-time conversions and calendar checks depend on the date: fix it
UPDATE = os.environ.get("CULTURE_LINT_UPDATE_GOLDEN", "").strip() not in ("", "0")


def normalise(text: str) -> str:
    """The output without what changes from run to run or machine to machine."""
    from culture_lint import __version__

    text = text.replace(str(ROOT) + os.sep, "").replace(ROOT.as_uri() + "/", "")
    text = re.sub(r'("(?:semanticV|v)ersion": ")' + re.escape(__version__) + '"', r'\1<version>"', text)
    text = text.replace(f"culture-lint {__version__}", "culture-lint <version>")
    return text.rstrip("\n") + "\n"


def render(name: str, fmt: str) -> str:
    from conftest import cli

    code, out, err = cli("check", f"examples/{name}", "-m", MANIFEST[name]["market"], "--date", SHOW_DATE,
                         "--format", fmt, "--no-config")
    assert code in (0, 1), err
    return normalise(out)


CASES = [(name, fmt) for name in sorted(MANIFEST) for fmt in FORMATS]


@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # relative paths in the reports, as a user in the repository sees them


@pytest.mark.parametrize("name, fmt", CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_golden_output(name, fmt):
    path = GOLDEN / f"{Path(name).stem}.{FORMATS[fmt]}"
    got = render(name, fmt)
    if UPDATE:
        path.write_text(got, encoding="utf-8")
        return
    assert path.is_file(), f"no golden file {path.name}: run python scripts/update_golden.py"
    want = path.read_text(encoding="utf-8")
    assert got == want, f"{path.name} differs: review, then run python scripts/update_golden.py"


def test_normalisation_hides_version_and_root():
    from culture_lint import __version__

    raw = f'{{"version": "{__version__}"}} {ROOT}{os.sep}examples/x.md culture-lint {__version__}'
    assert normalise(raw) == '{"version": "<version>"} examples/x.md culture-lint <version>\n'


def test_every_golden_file_has_a_case():
    expected = {f"{Path(n).stem}.{ext}" for n, f in CASES for ext in [FORMATS[f]]}
    assert {p.name for p in GOLDEN.iterdir()} <= expected | {"README.md"}
