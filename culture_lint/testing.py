"""Moved to ``culture_lint.packs.fixtures_runner`` (the `rules test` runner); this name stays for old imports."""

from .packs.fixtures_runner import CaseResult, pack_ids_in, run_cases

__all__ = ["CaseResult", "pack_ids_in", "run_cases"]
