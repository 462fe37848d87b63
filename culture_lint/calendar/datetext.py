"""Dates as scripts write them: "Nov 30", "30 November 2027", "11月30日", "30.11.", "03/04/2027"."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}


@dataclass
class DateText:
    """A date as written in a script: its span, style (ISO, CJK, named month, numeric), and day, month and year."""

    start: int  # in the scanned text
    end: int
    style: str  # iso | cjk | month-day | day-month | numeric
    month: int | None = None  # month/day for named-month, CJK and ISO styles
    day: int | None = None
    year: int | None = None
    a: int | None = None  # numeric style: the two leading numbers and separator
    b: int | None = None
    sep: str = ""
    month_word: str = ""  # the month as written (named styles)
    padded: bool = False

    def readings(self) -> list[tuple[int, int]]:
        """(month, day) readings: one for unambiguous styles, up to two for numeric ones."""
        if self.style != "numeric":
            return [(self.month, self.day)] if self.month else []
        out = []
        for month, day in ((self.a, self.b), (self.b, self.a)):
            if 1 <= month <= 12 and 1 <= day <= 31 and (month, day) not in out:
                out.append((month, day))
        if self.sep == "." and (self.b, self.a) in out and len(out) == 2:
            return [(self.b, self.a)]  # dotted dates are day-first (30.11.)
        return out


@lru_cache(maxsize=64)
def month_names(locale: str | None) -> dict[str, int]:
    """Lower-cased month names (wide and abbreviated) in English plus the locale's language."""
    names = dict(EN_MONTHS)
    if locale:
        try:
            from babel import Locale

            loc = Locale.parse(locale.replace("-", "_"))
            for context in ("format", "stand-alone"):
                for width in ("wide", "abbreviated"):
                    for num, name in loc.months[context][width].items():
                        key = name.lower().rstrip(".")
                        if len(key) >= 3 and not key.isdigit() and not re.search(r"\d", key):
                            names.setdefault(key, num)
        except Exception:  # noqa: BLE001 - unknown locale data: English names still work
            pass
    return names


@lru_cache(maxsize=64)
def date_regex(locale: str | None) -> re.Pattern:
    months = "|".join(re.escape(n) for n in sorted(month_names(locale), key=len, reverse=True))
    return re.compile(
        r"(?P<iso>(?<!\d)(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?!\d))"
        r"|(?P<cjk>(?:(?P<cy>\d{4})\s*年\s*)?(?P<cm>\d{1,2})\s*月\s*(?P<cd>\d{1,2})\s*[日号號]?)"
        rf"|(?P<md>(?<!\w)(?P<mn>{months})\.?\s+(?P<mdd>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<my>\d{{4}}))?)"
        rf"|(?P<dm>(?<![\w.])(?P<dd>\d{{1,2}})(?:st|nd|rd|th|\.|º)?\s+(?:of\s+|de\s+)?(?P<dn>{months})(?!\w)\.?"
        r"(?:,?\s+(?:de\s+)?(?P<dy>\d{4}))?)"
        r"|(?P<num>(?<![\d.,/:-])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})"
        r"(?:(?P=sep)(?P<ny>\d{4}|\d{2}))?(?P=sep)?(?![\d]|[.,/:-]\d)"
        r"(?!\s?(?:%|(?:kg|g|mg|lbs?|oz|ml|l|cm|mm|m|km|ft|in|x|pcs|k)(?![^\W\d_])|[€$£¥元円块折斤克])))",
        # "3.5 kg", "2.5%", "1.5x" are no dates
        re.IGNORECASE)


def parse_at(match: re.Match, locale: str | None) -> DateText | None:
    g = match.groupdict()
    names = month_names(locale)
    try:
        if g["iso"]:
            return DateText(match.start(), match.end(), "iso", int(g["im"]), int(g["id"]), int(g["iy"]))
        if g["cjk"]:
            return DateText(match.start(), match.end(), "cjk", int(g["cm"]), int(g["cd"]),
                            int(g["cy"]) if g["cy"] else None)
        if g["md"]:
            return DateText(match.start(), match.end(), "month-day", names[g["mn"].lower().rstrip(".")],
                            int(g["mdd"]), int(g["my"]) if g["my"] else None, month_word=g["mn"])
        if g["dm"]:
            return DateText(match.start(), match.end(), "day-month", names[g["dn"].lower().rstrip(".")],
                            int(g["dd"]), int(g["dy"]) if g["dy"] else None, month_word=g["dn"])
        if g["num"]:
            year = None
            if g["ny"]:
                year = int(g["ny"]) + (2000 if len(g["ny"]) == 2 else 0)
            return DateText(match.start(), match.end(), "numeric", year=year, a=int(g["a"]), b=int(g["b"]),
                            sep=g["sep"], padded=g["a"].startswith("0") or g["b"].startswith("0"))
    except (KeyError, ValueError):
        return None
    return None


def valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def render_like(d: DateText, new: dt.date, order: str = "DMY") -> str:
    """``new`` written in the same style as ``d`` (for replacements)."""
    with_year = d.year is not None
    if d.style == "iso":
        return new.isoformat()
    if d.style == "cjk":
        return (f"{new.year}年" if with_year else "") + f"{new.month}月{new.day}日"
    if d.style in ("month-day", "day-month"):
        word = d.month_word
        names = [k for k, v in EN_MONTHS.items() if v == new.month]
        if word.lower().rstrip(".") in EN_MONTHS:
            long = len(word.rstrip(".")) > 4 or word.lower() == "may"
            name = max(names, key=len) if long else min(names, key=len)
            name = name.capitalize() if word[:1].isupper() else name
            if word.isupper():
                name = name.upper()
        else:
            name = word  # another language: keep the writer's month word when the month is the same
            if EN_MONTHS.get(word.lower().rstrip(".")) != new.month:
                name = max(names, key=len).capitalize()
        if d.style == "month-day":
            return f"{name} {new.day}" + (f", {new.year}" if with_year else "")
        return f"{new.day} {name}" + (f" {new.year}" if with_year else "")
    pad = (lambda n: f"{n:02d}") if d.padded else str
    first, second = (new.day, new.month) if (order.index("D") < order.index("M") or d.sep == ".") \
        else (new.month, new.day)
    out = f"{pad(first)}{d.sep}{pad(second)}"
    if with_year:
        out += f"{d.sep}{new.year}"
    return out


def long_date(day: dt.date, locale: str) -> str:
    from babel.dates import format_date

    try:
        return format_date(day, format="long", locale=locale)
    except Exception:  # noqa: BLE001
        return day.isoformat()


def date_range(start: dt.date, end: dt.date, locale: str) -> str:
    if start == end:
        return long_date(start, locale)
    from babel.dates import format_interval

    try:
        return format_interval(start, end, skeleton="yMMMd", locale=locale)
    except Exception:  # noqa: BLE001
        return f"{start.isoformat()} – {end.isoformat()}"
