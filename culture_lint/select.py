"""Moved to ``culture_lint.packs.select``; this name stays for the modules and scripts that import it."""

from .packs.select import any_matches, code_matches, split_codes

__all__ = ["any_matches", "code_matches", "split_codes"]
