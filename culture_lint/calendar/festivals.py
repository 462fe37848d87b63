"""Festival entries: the bundled data file plus the `calendar:` settings of packs, validated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from .dates import lunisolar_supported, named_supported
from .model import (DATE_RANGE_RE, ENTRY_KEYS, FESTIVAL_KINDS, HIJRI_METHODS, ID_RE, MMDD_RE, NAMED_CALENDARS,
                    PACK_CALENDAR_KEYS, RULE_TYPES, WEEKDAYS, Festival)

__all__ = ["Festival", "bundled", "check_rule", "parse_entry"]  # Festival lives in model.py; re-exported

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "festivals.yaml"

Report = Callable[[str, Any], None]  # (message, where) -> None


def _text_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def check_rule(rule: Any, report: Report, where: Any) -> None:
    """Validate a `rule:` (date rule) mapping."""
    if not isinstance(rule, dict) or len(rule) != 1 or next(iter(rule)) not in RULE_TYPES:
        report(f"'rule' must be one of {', '.join(RULE_TYPES)} (a mapping with exactly one of them)", where)
        return
    kind, spec = next(iter(rule.items()))
    if kind == "fixed":
        if isinstance(spec, str):
            ok = bool(MMDD_RE.match(spec))
        else:
            ok = isinstance(spec, dict) and set(spec) == {"start", "end"} and all(
                isinstance(spec[k], str) and MMDD_RE.match(spec[k]) for k in ("start", "end"))
        if not ok:
            report("'fixed' must be \"MM-DD\" or {start: \"MM-DD\", end: \"MM-DD\"}", where)
    elif kind == "monthly":
        ok = isinstance(spec, dict) and (spec == {"day_equals_month": True} or (
            set(spec) == {"days"} and isinstance(spec["days"], list) and spec["days"]
            and all(d == "last" or (isinstance(d, int) and 1 <= d <= 31) for d in spec["days"])))
        if not ok:
            report("'monthly' must be {day_equals_month: true} or {days: [15, last]}", where)
    elif kind == "nth_weekday":
        if not isinstance(spec, dict) or not {"month", "weekday", "n"} <= set(spec) or set(spec) - {
                "month", "weekday", "n", "offset_days", "if_day_after", "then_n"}:
            report("'nth_weekday' needs month, weekday and n (optional offset_days, if_day_after, then_n)", where)
            return
        if not (isinstance(spec["month"], int) and 1 <= spec["month"] <= 12):
            report("'nth_weekday.month' must be 1 to 12", where)
        if spec["weekday"] not in WEEKDAYS:
            report(f"'nth_weekday.weekday' must be one of {', '.join(WEEKDAYS)}", where)
        for key in ("n", "then_n"):
            if key in spec and (not isinstance(spec[key], int) or spec[key] == 0 or not -5 <= spec[key] <= 5):
                report(f"'nth_weekday.{key}' must be 1 to 5, or -1 (last) to -5", where)
        if ("if_day_after" in spec) != ("then_n" in spec):
            report("'if_day_after' and 'then_n' go together", where)
    elif kind == "hijri":
        ok = isinstance(spec, dict) and {"month", "day"} <= set(spec) and not set(spec) - {"month", "day", "days"} \
            and isinstance(spec["month"], int) and 1 <= spec["month"] <= 12 \
            and isinstance(spec["day"], int) and 1 <= spec["day"] <= 30 \
            and (spec.get("days", 1) == "month" or (isinstance(spec.get("days", 1), int) and spec.get("days", 1) >= 1))
        if not ok:
            report("'hijri' must be {month: 1-12, day: 1-30, days: N or month}", where)
    elif kind == "lunisolar":
        problem = lunisolar_supported(spec)
        if problem:
            report(problem, where)
    elif kind == "named":
        if not isinstance(spec, dict) or set(spec) - {"calendar", "holiday", "offset_days"} \
                or spec.get("calendar") not in NAMED_CALENDARS or not isinstance(spec.get("holiday"), str):
            report(f"'named' must be {{calendar: {'|'.join(NAMED_CALENDARS)}, holiday: NAME}}", where)
        else:
            problem = named_supported(spec["calendar"], spec["holiday"])
            if problem:
                report(problem, where)
    elif kind == "easter_offset":
        if not isinstance(spec, dict) or set(spec) - {"days", "span"} or not isinstance(spec.get("days"), int):
            report("'easter_offset' must be {days: N}", where)
    elif kind == "announced":
        if not isinstance(spec, dict) or not isinstance(spec.get("typical", ""), str):
            report("'announced' must be {typical: \"when it usually happens\"}", where)


def parse_entry(data: Any, report: Report, where: Any, default_markets: list[str] | None = None) -> Festival | None:
    """One festival entry (bundled data or a pack's `calendar.festivals`)."""
    if not isinstance(data, dict):
        report("a festival entry must be a mapping", where)
        return None
    unknown = sorted(set(data) - ENTRY_KEYS)
    if unknown:
        report(f"unknown key '{unknown[0]}' in a festival entry", where)
    fid = data.get("id")
    if not isinstance(fid, str) or not ID_RE.match(fid):
        report(f"festival id {fid!r} must be lowercase snake_case", where)
        return None
    names = data.get("names")
    if not _text_map(names) or "en" not in names:
        report(f"festival '{fid}' needs 'names' with an 'en' name", where)
        names = {"en": fid}
    kind = data.get("kind")
    if kind not in FESTIVAL_KINDS:
        report(f"festival '{fid}': 'kind' must be one of {', '.join(FESTIVAL_KINDS)}", where)
    markets = data.get("markets", default_markets)
    if not isinstance(markets, list) or not markets or not all(isinstance(m, str) for m in markets):
        report(f"festival '{fid}' needs 'markets': a list of market or region ids (or [all])", where)
        markets = list(default_markets or [])
    rule = data.get("rule")
    check_rule(rule, lambda msg, w: report(f"festival '{fid}': {msg}", w), where)
    days = data.get("days")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 366):
        report(f"festival '{fid}': 'days' must be a whole number from 1 to 366", where)
        days = None
    also = data.get("also") or {}
    if not isinstance(also, dict) or not all(isinstance(v, str) and MMDD_RE.match(v) for v in also.values()):
        report(f"festival '{fid}': 'also' must map labels to \"MM-DD\" dates", where)
        also = {}
    match = data.get("match") or []
    if not isinstance(match, list) or not all(isinstance(m, str) and m.strip() for m in match):
        report(f"festival '{fid}': 'match' must be a list of wordings", where)
        match = []
    guidance = data.get("guidance") or {}
    if isinstance(guidance, str):
        guidance = {"en": guidance}
    if not _text_map(guidance):
        report(f"festival '{fid}': 'guidance' must be {{en: …, zh: …}}", where)
        guidance = {}
    avoid = data.get("avoid") or []
    if not isinstance(avoid, list) or not all(isinstance(a, str) for a in avoid):
        report(f"festival '{fid}': 'avoid' must be a list of texts", where)
        avoid = []
    for flag in ("major", "legal"):
        if not isinstance(data.get(flag, False), bool):
            report(f"festival '{fid}': '{flag}' must be true or false", where)
    if not isinstance(rule, dict) or len(rule) != 1:
        return None
    return Festival(
        id=fid, names=dict(names), markets=[str(m).lower() for m in markets], kind=str(kind), rule=dict(rule),
        days=days, match=list(match), also=dict(also), guidance=dict(guidance), avoid=list(avoid),
        major=bool(data.get("major", False)), legal=bool(data.get("legal", False)),
        source=data.get("source") if isinstance(data.get("source"), str) else None)


@dataclass
class Data:
    """The bundled festivals by id, and the Hijri method each market uses."""

    festivals: dict[str, Festival]
    hijri_calendars: dict[str, str]


@lru_cache(maxsize=None)
def bundled() -> Data:
    """The bundled festival data (raises ValueError if the file is broken: a bug, caught by the tests)."""
    import yaml

    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    problems: list[str] = []
    festivals: dict[str, Festival] = {}
    for i, item in enumerate(raw.get("festivals") or []):
        entry = parse_entry(item, lambda msg, where: problems.append(f"entry {where}: {msg}"), i)
        if entry is not None:
            if entry.id in festivals:
                problems.append(f"duplicate festival id '{entry.id}'")
            festivals[entry.id] = entry
    if problems:
        raise ValueError(f"{DATA_FILE}: " + "; ".join(problems))
    return Data(festivals, {str(k): str(v) for k, v in (raw.get("hijri_calendars") or {}).items()})


def parse_date_ranges(values: Any) -> list[tuple[str, str]] | None:
    """["2027-07-13..2027-07-14", "2027-10-05"] → [(start, end)] (ISO strings), None if malformed."""
    import datetime as dt

    if not isinstance(values, list):
        return None
    out = []
    for v in values:
        m = DATE_RANGE_RE.match(str(v).strip())
        if not m:
            return None
        start, end = m.group(1), m.group(2) or m.group(1)
        try:
            if dt.date.fromisoformat(end) < dt.date.fromisoformat(start):
                return None
        except ValueError:
            return None
        out.append((start, end))
    return out


def check_pack_calendar(value: Any, pack_id: str, report: Report, where_of: Callable[[Any, Any], Any]) -> None:
    """Validate the `calendar:` key of a pack.yaml. ``where_of(container, key)`` gives a location."""
    if not isinstance(value, dict):
        report("'calendar' must be a mapping (hijri, public_holidays, exclude, festivals, dates)", where_of(None, None))
        return
    for key in value:
        if key not in PACK_CALENDAR_KEYS:
            from rapidfuzz import process

            guess = process.extractOne(str(key), sorted(PACK_CALENDAR_KEYS), score_cutoff=70)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
            report(f"unknown key '{key}' in 'calendar'{hint}", where_of(value, key))
    if "hijri" in value and value["hijri"] not in HIJRI_METHODS:
        report(f"'calendar.hijri' must be one of {', '.join(HIJRI_METHODS)}", where_of(value, "hijri"))
    ph = value.get("public_holidays", True)
    if not (isinstance(ph, bool) or (isinstance(ph, str) and re.match(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]+)?$", ph))):
        report("'calendar.public_holidays' must be true, false or a country code (\"GB\", \"ES-CT\")",
               where_of(value, "public_holidays"))
    known = set(bundled().festivals)
    own: list[str] = []
    festivals = value.get("festivals", [])
    if not isinstance(festivals, list):
        report("'calendar.festivals' must be a list of festival entries", where_of(value, "festivals"))
        festivals = []
    for i, item in enumerate(festivals):
        entry = parse_entry(item, report, where_of(festivals, i), default_markets=[pack_id])
        if entry is not None:
            own.append(entry.id)
    exclude = value.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
        report("'calendar.exclude' must be a list of festival ids", where_of(value, "exclude"))
        exclude = []
    for i, fid in enumerate(exclude):
        if fid not in known and fid not in own:
            report(unknown_period(fid, known | set(own)), where_of(exclude, i))
    dates = value.get("dates", {})
    if not isinstance(dates, dict):
        report("'calendar.dates' must map festival ids to lists of \"YYYY-MM-DD\" or \"YYYY-MM-DD..YYYY-MM-DD\"",
               where_of(value, "dates"))
        dates = {}
    for fid, ranges in dates.items():
        if fid not in known and fid not in own:
            report(unknown_period(str(fid), known | set(own)), where_of(dates, fid))
        elif parse_date_ranges(ranges) is None:
            report(f"'calendar.dates.{fid}' must be a list of \"YYYY-MM-DD\" or \"YYYY-MM-DD..YYYY-MM-DD\"",
                   where_of(dates, fid))


SPECIAL_PERIODS = ("public_holiday",)


def unknown_period(pid: str, known: set[str]) -> str:
    from rapidfuzz import process

    guess = process.extractOne(pid, sorted(known) + list(SPECIAL_PERIODS), score_cutoff=60)
    hint = f"; did you mean '{guess[0]}'?" if guess else ""
    return f"unknown period '{pid}'{hint}"


def period_ok(pid: Any, known: set[str]) -> bool:
    """A name `when.periods` accepts: a festival id, `public_holiday` or `kind:<festival kind>`."""
    if not isinstance(pid, str):
        return False
    if pid in known or pid in SPECIAL_PERIODS:
        return True
    return pid.startswith("kind:") and pid[5:] in FESTIVAL_KINDS
