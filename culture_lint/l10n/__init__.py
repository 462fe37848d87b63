"""Localization checks: show times, prices, dates, units and sizes as a market's audience expects them.

Used by the ``localization`` rule kind (culture_lint/kinds/localization.py); babel and zoneinfo are
imported inside the functions that need them.
"""


def clean_space(text: str) -> str:
    """Babel's no-break spaces and direction marks → plain spaces (friendlier in a script file)."""
    return text.replace("\u202f", " ").replace("\xa0", " ").replace("\u200f", "").replace("\u200e", "").strip()
