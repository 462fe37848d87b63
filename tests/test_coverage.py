"""docs/coverage.md is generated from the packs and must be current."""

from __future__ import annotations

from pathlib import Path

from culture_lint.coverage import render_markdown
from culture_lint.packs.registry import Registry

ROOT = Path(__file__).resolve().parent.parent


def test_coverage_doc_is_current():
    expected = render_markdown(Registry())
    current = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert current == expected, "docs/coverage.md is stale: run `python scripts/coverage.py`"
