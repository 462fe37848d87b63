"""Moved to ``culture_lint.packs.coverage``; this name stays for scripts/coverage.py and old imports."""

from .packs.coverage import REQUIRED, SHORT, market_table, render_markdown

__all__ = ["REQUIRED", "SHORT", "market_table", "render_markdown"]
