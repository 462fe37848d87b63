#!/usr/bin/env python
"""Regenerate docs/coverage.md from the rule packs (`--check` exits 1 when the file is stale)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from culture_lint.coverage import render_markdown  # noqa: E402
from culture_lint.packs.registry import Registry  # noqa: E402


def main(argv: list[str]) -> int:
    target = ROOT / "docs" / "coverage.md"
    text = render_markdown(Registry())
    if "--check" in argv:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print("docs/coverage.md is stale: run `python scripts/coverage.py`", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
