"""Calendar conditions of a rule's `when:` — periods, outside_periods, near_days, local_time — and the show's
date and time as the audience of a market sees them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

SCOPE_KEYS = ("periods", "outside_periods", "near_days", "local_time")
HHMM_RE = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")


def check_when(value: dict, report: Callable[[str, Any], None], where_of: Callable[[Any, Any], Any],
               own_ids: set[str] | None = None) -> None:
    """Validate the calendar keys of a `when:` mapping."""
    from .festivals import bundled, period_ok, unknown_period

    known = set(bundled().festivals) | set(own_ids or ())
    for key in ("periods", "outside_periods"):
        if key not in value:
            continue
        ids = value[key]
        if isinstance(ids, str):
            ids = [ids]
        if not isinstance(ids, list) or not ids:
            report(f"'when.{key}' must be a list of period ids (ramadan, public_holiday, kind:mourning, …)",
                   where_of(value, key))
            continue
        for i, pid in enumerate(ids):
            if not period_ok(pid, known):
                report(unknown_period(str(pid), known), where_of(ids, i) if isinstance(value[key], list)
                       else where_of(value, key))
    if "near_days" in value:
        nd = value["near_days"]
        if not isinstance(nd, int) or isinstance(nd, bool) or not 0 <= nd <= 60:
            report("'when.near_days' must be a whole number from 0 to 60", where_of(value, "near_days"))
        if "periods" not in value and "outside_periods" not in value:
            report("'when.near_days' needs 'periods' or 'outside_periods'", where_of(value, "near_days"))
    if "local_time" in value:
        lt = value["local_time"]
        if not isinstance(lt, dict) or set(lt) != {"from", "to"} or not all(
                parse_hhmm(lt[k]) is not None for k in ("from", "to")):
            report("'when.local_time' must be {from: \"HH:MM\", to: \"HH:MM\"} (the audience's local time)",
                   where_of(value, "local_time"))


def parse_hhmm(value: Any) -> dt.time | None:
    """"20:00", "8:30", "20.00", 1200 (YAML 1.1 reads 20:00 as sexagesimal minutes) → time."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return dt.time(value // 60, value % 60)
    if isinstance(value, str):
        m = HHMM_RE.match(value.strip())
        if m:
            return dt.time(int(m.group(1)), int(m.group(2)))
    return None


def show_date(doc) -> dt.date | None:
    value = doc.metadata.get("date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def show_zone(doc, ctx):
    """The time zone the show's `start` is given in: metadata `timezone`, else the market's first zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    for name in (doc.metadata.get("timezone"), *(ctx.timezones[:1] if ctx else [])):
        if isinstance(name, str) and name.strip():
            try:
                return ZoneInfo(name.strip())
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return None


def audience_times(doc, ctx) -> list[dt.datetime]:
    """The show start in each of the market's time zones (empty when the date or start is unknown)."""
    day = show_date(doc)
    start = parse_hhmm(doc.metadata.get("start"))
    if day is None or start is None:
        return []
    zone = show_zone(doc, ctx)
    if zone is None:
        return []
    moment = dt.datetime.combine(day, start, tzinfo=zone)
    zones = ctx.zones() or [zone]
    return [moment.astimezone(z) for z in zones]


def audience_dates(doc, ctx) -> list[dt.date]:
    times = audience_times(doc, ctx)
    if times:
        return sorted({t.date() for t in times})
    day = show_date(doc)
    return [day] if day else []


def applies(when: dict, doc, ctx) -> bool:
    """Whether the calendar conditions of ``when`` hold for the show in market ``ctx``.

    Without a show date, calendar-scoped rules stay silent.
    """
    near = int(when.get("near_days", 0) or 0)
    if "periods" in when or "outside_periods" in when:
        days = audience_dates(doc, ctx)
        if not days:
            return False
        if "periods" in when:
            ids = when["periods"] if isinstance(when["periods"], list) else [when["periods"]]
            if not any(ctx.in_periods(d, ids, near) for d in days):
                return False
        if "outside_periods" in when:
            ids = when["outside_periods"] if isinstance(when["outside_periods"], list) else [when["outside_periods"]]
            if any(ctx.in_periods(d, ids, near) for d in days):
                return False
    if "local_time" in when:
        times = audience_times(doc, ctx)
        if times:  # unknown start time: the rule may apply
            lo, hi = parse_hhmm(when["local_time"]["from"]), parse_hhmm(when["local_time"]["to"])
            if not any(_within(t.time().replace(tzinfo=None), lo, hi) for t in times):
                return False
    return True


def _within(t: dt.time, lo: dt.time, hi: dt.time) -> bool:
    if lo <= hi:
        return lo <= t < hi
    return t >= lo or t < hi  # a window across midnight
