"""Rule selection codes shared by --select/--ignore, config and inline suppression."""

from __future__ import annotations

from ..models import CATEGORIES


def code_matches(code: str, rule_id: str, category: str) -> bool:
    """A code names a rule id, an id prefix at a dot boundary, a category, or ``all``."""
    code = code.strip().lower()
    if not code:
        return False
    if code in ("all", "*"):
        return True
    if code in CATEGORIES:
        return code == category
    return rule_id == code or rule_id.startswith(code.rstrip(".") + ".")


def any_matches(codes, rule_id: str, category: str) -> bool:
    return any(code_matches(c, rule_id, category) for c in codes)


def split_codes(value) -> list[str]:
    """Accept "a,b", ["a", "b,c"] or None."""
    if not value:
        return []
    if isinstance(value, str):
        value = [value]
    out: list[str] = []
    for item in value:
        out.extend(p.strip() for p in str(item).split(",") if p.strip())
    return out
