"""Date rules → concrete date ranges, with well-kept libraries doing the calendar arithmetic.

- Hijri (Islamic) months: ``hijridate`` (Umm al-Qura, the Saudi civil calendar) or the MABIMS tables
  of the ``holidays`` library (Indonesia, Malaysia, Singapore, Brunei).
- Chinese, Korean and Vietnamese lunisolar dates, Thai Buddhist days, Nyepi, Diwali and Holi: the
  calendars that ship inside ``holidays``; other Chinese lunar dates: ``lunardate``.
- Easter: ``dateutil.easter`` (Western).

All imports are local to the functions that need them.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from .model import WEEKDAYS, Festival

ONE = dt.timedelta(days=1)
HINDU_MONTHS = ("chaitra", "vaishakha", "jyeshtha", "ashadha", "shravana", "bhadrapada", "ashvin", "kartika",
                "margashirsha", "pausha", "magha", "phalguna")
# (calendar, month, day-or-phase) → (holidays calendar, method, days added to its date)
LUNISOLAR_TABLE: dict[tuple, tuple[str, str, int]] = {
    ("chinese", 1, 1): ("chinese", "lunar_new_year", 0),
    ("korean", 1, 1): ("korean", "lunar_new_year", 0),
    ("vietnamese", 1, 1): ("vietnamese", "lunar_new_year", 0),
    ("chinese", 8, 15): ("chinese", "mid_autumn", 0),
    ("korean", 8, 15): ("korean", "mid_autumn", 0),
    ("korean", 8, 14): ("korean", "mid_autumn", -1),
    ("vietnamese", 8, 15): ("vietnamese", "mid_autumn", 0),
    ("chinese", 5, 5): ("chinese", "dragon_boat", 0),
    ("chinese", 9, 9): ("chinese", "double_ninth", 0),
    ("thai", 3, "full_moon"): ("thai", "makha_bucha", 0),
    ("thai", 6, "full_moon"): ("thai", "visakha_bucha", 0),
    ("thai", 8, "full_moon"): ("thai", "asarnha_bucha", 0),
    ("thai", 11, "full_moon"): ("thai", "ok_phansa", 0),
    ("thai", 12, "full_moon"): ("thai", "loy_krathong", 0),
    ("balinese_saka", 10, 1): ("balinese_saka", "nyepi", 0),
    # amanta month + tithi: Diwali (Lakshmi Puja) is the new moon ending Ashvin; Holika Dahan the
    # Phalguna full moon, the day before Holi (Rangwali) as the holidays library dates it
    ("hindu_amanta", "ashvin", "amavasya"): ("hindu", "diwali_india", 0),
    ("hindu_amanta", "phalguna", "purnima"): ("hindu", "holi", -1),
}
# hijri (month, day) → method of the holidays library's MABIMS calendar
MABIMS_METHODS = {(9, 1): "ramadan_beginning", (10, 1): "eid_al_fitr", (12, 10): "eid_al_adha",
                  (1, 1): "hijri_new_year", (3, 12): "mawlid", (7, 27): "isra_and_miraj"}


@dataclass(frozen=True)
class Occurrence:
    """One concrete occurrence of a festival: first and last day, main day and whether the date is estimated."""

    start: dt.date
    end: dt.date  # inclusive
    label: str | None = None  # which day of a multi-day entry (days_list, also)
    estimated: bool = False  # computed from a lunar calendar: local sighting or decree may move it
    basis: str | None = None  # umm_al_qura | mabims | lunisolar | announced
    main: dt.date | None = None  # the library's named day when the period is built around it (Diwali)


# ------------------------------------------------------------------ library calendars


@lru_cache(maxsize=None)
def _calendar(name: str):
    if name in ("chinese", "korean", "vietnamese"):
        from holidays.calendars.chinese import (CHINESE_CALENDAR, KOREAN_CALENDAR, VIETNAMESE_CALENDAR,
                                                _ChineseLunisolar)

        return _ChineseLunisolar({"chinese": CHINESE_CALENDAR, "korean": KOREAN_CALENDAR,
                                  "vietnamese": VIETNAMESE_CALENDAR}[name])
    if name == "thai":
        from holidays.calendars.thai import _ThaiLunisolar

        return _ThaiLunisolar()
    if name == "hindu":
        from holidays.calendars.hindu import _HinduLunisolar

        return _HinduLunisolar()
    if name == "balinese_saka":
        from holidays.calendars.balinese_saka import _BalineseSakaLunar

        return _BalineseSakaLunar()
    if name == "mabims":
        from holidays.calendars.islamic import _IslamicMabimsLunar

        return _IslamicMabimsLunar()
    raise KeyError(name)


def _first_date(value: Any) -> dt.date | None:
    """The holidays calendars return a date, (date, estimated), or an iterable of those."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, tuple) and value and (value[0] is None or isinstance(value[0], dt.date)):
        return value[0]
    for item in value:
        got = _first_date(item)
        if got is not None:
            return got
    return None


def named_date(calendar: str, holiday: str, year: int) -> dt.date | None:
    method = getattr(_calendar(calendar), f"{holiday}_date", None)
    if method is None:
        return None
    try:
        return _first_date(method(year))
    except (KeyError, ValueError, OverflowError, TypeError):
        return None


def named_supported(calendar: str, holiday: str) -> str | None:
    try:
        cal = _calendar(calendar)
    except ImportError:  # pragma: no cover - dependency missing
        return "the 'holidays' library is not installed"
    if not callable(getattr(cal, f"{holiday}_date", None)):
        names = sorted(n[:-5] for n in dir(cal) if n.endswith("_date") and not n.startswith("_"))
        return f"the {calendar} calendar has no '{holiday}' (known: {', '.join(names)})"
    return None


def lunisolar_supported(spec: Any) -> str | None:
    """None when the `lunisolar:` rule can be computed, else what is wrong."""
    if not isinstance(spec, dict) or spec.get("calendar") not in (
            "chinese", "korean", "vietnamese", "thai", "balinese_saka", "hindu_amanta"):
        return "'lunisolar' needs calendar: chinese, korean, vietnamese, thai, balinese_saka or hindu_amanta"
    allowed = {"calendar", "month", "day", "phase", "tithi", "offset_days", "days", "days_list"}
    if set(spec) - allowed:
        return f"unknown key '{sorted(set(spec) - allowed)[0]}' in 'lunisolar'"
    items = spec.get("days_list")
    if items is not None:
        if not isinstance(items, list) or not items:
            return "'days_list' must be a list of {name, month, day|phase, offset_days?}"
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                return "each 'days_list' item needs a 'name'"
            problem = lunisolar_supported({"calendar": spec["calendar"], **{k: v for k, v in item.items()
                                                                            if k != "name"}})
            if problem:
                return problem
        return None
    if _lunisolar_key(spec) in LUNISOLAR_TABLE:
        return None
    if spec["calendar"] in ("chinese", "korean", "vietnamese") and isinstance(spec.get("month"), int) \
            and isinstance(spec.get("day"), int) and 1 <= spec["month"] <= 12 and 1 <= spec["day"] <= 30:
        return None  # any Chinese lunar month/day, via lunardate
    return (f"this {spec['calendar']} date cannot be computed; supported: chinese/korean/vietnamese month+day, "
            "thai month 3/6/8/11/12 full_moon, balinese_saka 10/1, hindu_amanta ashvin amavasya and "
            "phalguna purnima — or use {named: {calendar, holiday}}")


def _lunisolar_key(spec: dict) -> tuple:
    third = spec.get("day", spec.get("phase", spec.get("tithi")))
    return (spec.get("calendar"), spec.get("month"), third)


def _lunisolar_date(spec: dict, year: int) -> tuple[dt.date | None, dt.date | None]:
    """(anchor day of the rule, the library's named day) in ``year``."""
    found = LUNISOLAR_TABLE.get(_lunisolar_key(spec))
    if found:
        calendar, holiday, shift = found
        day = named_date(calendar, holiday, year)
        return (day + dt.timedelta(days=shift), day) if day else (None, None)
    # any other Chinese lunar month/day (Korean and Vietnamese dates rarely differ from it)
    try:
        from lunardate import LunarDate

        lunar = LunarDate(year, int(spec["month"]), int(spec["day"]))
        convert = getattr(lunar, "to_solar_date", None) or lunar.toSolarDate
        return convert(), None
    except (ValueError, KeyError, IndexError):
        return None, None


# ------------------------------------------------------------------ Hijri


def _hijri_umm_al_qura(month: int, day: int, days: Any, a: dt.date, b: dt.date) -> list[Occurrence]:
    from hijridate import Gregorian, Hijri

    out = []
    try:
        first = Gregorian.fromdate(a - dt.timedelta(days=400)).to_hijri().year
        last = Gregorian.fromdate(b).to_hijri().year + 1
    except (ValueError, OverflowError):
        return out
    for hyear in range(first, last + 1):
        try:
            h = Hijri(hyear, month, day)
            start = h.to_gregorian()
            length = h.month_length() - day + 1 if days == "month" else int(days or 1)
        except (ValueError, OverflowError):
            continue
        start = dt.date(start.year, start.month, start.day)
        out.append(Occurrence(start, start + dt.timedelta(days=length - 1), estimated=True, basis="umm_al_qura"))
    return out


def _hijri_mabims(month: int, day: int, days: Any, a: dt.date, b: dt.date) -> list[Occurrence] | None:
    method = MABIMS_METHODS.get((month, day))
    if method is None or (days == "month" and (month % 12 + 1, 1) not in MABIMS_METHODS):
        return None
    cal = _calendar("mabims")
    out = []
    for year in range(a.year - 1, b.year + 2):
        for start, _estimated in getattr(cal, f"{method}_dates")(year):
            if start.year != year:
                continue
            if days == "month":
                nxt = [d for y in (year, year + 1)
                       for d, _e in getattr(cal, f"{MABIMS_METHODS[(month % 12 + 1, 1)]}_dates")(y)
                       if dt.timedelta(days=28) <= d - start <= dt.timedelta(days=31)]
                if not nxt:
                    continue
                end = nxt[0] - ONE
            else:
                end = start + dt.timedelta(days=int(days or 1) - 1)
            out.append(Occurrence(start, end, estimated=True, basis="mabims"))
    return out or None


# ------------------------------------------------------------------ the other rules


def nth_weekday(year: int, month: int, weekday: str, n: int) -> dt.date:
    wd = WEEKDAYS.index(weekday)
    if n > 0:
        first = dt.date(year, month, 1)
        day = first + dt.timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
    else:
        last = dt.date(year, month, _cal.monthrange(year, month)[1])
        day = last - dt.timedelta(days=(last.weekday() - wd) % 7 + 7 * (-n - 1))
    if day.month != month:
        raise ValueError("no such weekday in that month")
    return day


def _mmdd(year: int, text: str) -> dt.date | None:
    month, day = int(text[:2]), int(text[3:])
    try:
        return dt.date(year, month, day)
    except ValueError:  # 02-29 in a common year
        return None


def _year_starts(fest: Festival, year: int) -> Iterable[tuple]:
    """(start, end or None, label, main day or None) of the entry in one Gregorian year (end None: use `days`)."""
    kind, spec = next(iter(fest.rule.items()))
    if kind == "fixed":
        if isinstance(spec, str):
            start = _mmdd(year, spec)
            if start:
                yield start, None, None, None
        else:
            start = _mmdd(year, spec["start"])
            end = _mmdd(year if spec["end"] >= spec["start"] else year + 1, spec["end"])
            if start and end:
                yield start, end, None, None
    elif kind == "monthly":
        if spec.get("day_equals_month"):
            for m in range(1, 13):
                yield dt.date(year, m, m), None, f"{m}.{m}", None
        else:
            for m in range(1, 13):
                for d in spec["days"]:
                    last = _cal.monthrange(year, m)[1]
                    day = last if d == "last" else min(int(d), last)
                    yield dt.date(year, m, day), None, None, None
    elif kind == "nth_weekday":
        day = nth_weekday(year, spec["month"], spec["weekday"], spec["n"])
        if "if_day_after" in spec and day.day > spec["if_day_after"]:
            day = nth_weekday(year, spec["month"], spec["weekday"], spec["then_n"])
        yield day + dt.timedelta(days=spec.get("offset_days", 0)), None, None, None
    elif kind == "easter_offset":
        from dateutil.easter import easter

        yield easter(year) + dt.timedelta(days=spec["days"]), None, None, None
    elif kind == "lunisolar":
        for item in spec.get("days_list") or [spec]:
            full = {**spec, **item}
            day, main = _lunisolar_date(full, year)
            if day:
                shifted = day + dt.timedelta(days=full.get("offset_days", 0))
                yield shifted, None, item.get("name"), main if main != shifted else None
    elif kind == "named":
        day = named_date(spec["calendar"], spec["holiday"], year)
        if day:
            shifted = day + dt.timedelta(days=spec.get("offset_days", 0))
            yield shifted, None, None, day if day != shifted else None
    for label, mmdd in fest.also.items():
        day = _mmdd(year, mmdd)
        if day:
            yield day, day, label, None


def occurrences(fest: Festival, a: dt.date, b: dt.date, hijri: str = "umm_al_qura") -> list[Occurrence]:
    """Every occurrence of ``fest`` that overlaps [a, b] (inclusive)."""
    kind, spec = next(iter(fest.rule.items()))
    if kind == "announced":
        return []
    if kind == "hijri":
        days = spec.get("days", fest.days or 1)
        found = None
        if hijri == "mabims":
            found = _hijri_mabims(spec["month"], spec["day"], days, a, b)
        if found is None:
            found = _hijri_umm_al_qura(spec["month"], spec["day"], days, a, b)
        return sorted({o for o in found if o.start <= b and o.end >= a}, key=lambda o: o.start)
    span = spec.get("span") if kind == "easter_offset" else None
    length = fest.days or span or 1
    lunar = kind in ("lunisolar", "named")
    out: set[Occurrence] = set()
    for year in range(a.year - 1, b.year + 1):
        try:
            starts = list(_year_starts(fest, year))
        except (ValueError, OverflowError):
            continue
        for start, end, label, main in starts:
            if end is None:
                end = start + dt.timedelta(days=length - 1) if label is None or kind == "monthly" else start
            if start <= b and end >= a:
                out.add(Occurrence(start, end, label, estimated=lunar, basis="lunisolar" if lunar else None,
                                   main=main))
    return sorted(out, key=lambda o: (o.start, o.label or ""))
