#!/usr/bin/env python
"""Regenerate the rule-kind table of docs/rule-packs.md from culture_lint/kinds (tests fail when it is stale)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from culture_lint.kinds.doc import update  # noqa: E402

if __name__ == "__main__":
    page = ROOT / "docs" / "rule-packs.md"
    text = page.read_text(encoding="utf-8")
    new = update(text)
    if new != text:
        page.write_text(new, encoding="utf-8")
        print(f"{page.relative_to(ROOT)} updated")
    else:
        print(f"{page.relative_to(ROOT)} is current")
