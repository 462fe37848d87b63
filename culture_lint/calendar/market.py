"""A market's locale settings and calendar: festival periods from the data plus public holidays."""

from __future__ import annotations

import datetime as dt
import re
import weakref
from dataclasses import dataclass, field
from typing import Any

from .dates import Occurrence, occurrences
from .festivals import Festival, bundled, parse_date_ranges, parse_entry

IMPERIAL_MARKETS = {"us", "lr", "mm"}
_HOLIDAY_NOISE = re.compile(r"\((?:estimated|observed|in lieu)\)|\bholiday\b|\bday off\b|\bobserved\b|'s\b",
                            re.IGNORECASE)


@dataclass
class Period:
    """One dated period of a market: a festival occurrence or a public holiday."""

    id: str
    kind: str  # a festival kind, or public_holiday
    start: dt.date
    end: dt.date  # inclusive
    names: dict[str, str]
    festival: Festival | None = None
    label: str | None = None
    main: dt.date | None = None
    estimated: bool = False
    basis: str | None = None
    public_holidays: list[tuple[dt.date, str]] = field(default_factory=list)
    announced: bool = False

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def covers(self, day: dt.date, near_days: int = 0) -> bool:
        pad = dt.timedelta(days=near_days)
        return self.start - pad <= day <= self.end + pad


@dataclass
class MarketContext:
    """What the calendar and localization checks know of one market: locale, currency, time zones, date
    order, units and festivals."""

    code: str
    name: dict[str, str]
    lineage: list[str]
    locale: str = "en_US"
    currency: str | None = None
    timezones: list[str] = field(default_factory=list)
    units: str = "metric"
    date_format: str | None = None
    hijri: str = "umm_al_qura"
    public_holidays: str | None = None  # country code for the holidays library
    festivals: list[Festival] = field(default_factory=list)
    dates: dict[str, list[tuple[dt.date, dt.date]]] = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False)

    # ---------------------------------------------------------------- dates

    def festival(self, fid: str) -> Festival | None:
        return next((f for f in self.festivals if f.id == fid), None)

    def periods(self, a: dt.date, b: dt.date, public: bool = True) -> list[Period]:
        """Every period overlapping [a, b], sorted by start date."""
        key = (a, b, public)
        if key not in self._cache:
            self._cache[key] = self._periods(a, b, public)
        return self._cache[key]

    def _periods(self, a: dt.date, b: dt.date, public: bool) -> list[Period]:
        out: list[Period] = []
        for fest in self.festivals:
            for occ in occurrences(fest, a, b, self.hijri):
                out.append(_period(fest, occ))
            for start, end in self.dates.get(fest.id, []):
                if start <= b and end >= a:
                    out.append(_period(fest, Occurrence(start, end, basis="announced"), announced=True))
        if public and self.public_holidays:
            _merge_public(out, self._public(a, b))
        out.sort(key=lambda p: (p.start, p.end, p.id, p.label or ""))
        return out

    def _public(self, a: dt.date, b: dt.date) -> list[Period]:
        """Public holidays of the market in [a, b], consecutive days of one holiday joined."""
        import holidays

        code = self.public_holidays or ""
        country, _sep, subdiv = code.partition("-")
        years = list(range(a.year, b.year + 1))
        try:
            cal = holidays.country_holidays(country, subdiv=subdiv or None, years=years, language="en_US")
        except (NotImplementedError, KeyError, ValueError):
            try:
                cal = holidays.country_holidays(country, subdiv=subdiv or None, years=years)
            except (NotImplementedError, KeyError, ValueError):
                return []
        try:
            language = getattr(cal, "default_language", None)
            local = holidays.country_holidays(country, subdiv=subdiv or None, years=years, language=language) \
                if language and language != "en_US" else cal
        except (NotImplementedError, KeyError, ValueError):
            local = cal
        days = sorted((d, name) for d, name in cal.items() if a <= d <= b)
        out: list[Period] = []
        for day, names in days:
            for i, name in enumerate(names.split("; ")):
                clean = _clean_holiday(name)
                local_names = str(local.get(day) or "").split("; ")
                local_name = local_names[i] if i < len(local_names) else ""
                prev = next((p for p in reversed(out) if _clean_holiday(p.names["en"]) == clean), None)
                if prev is not None and (day - prev.end).days == 1:
                    prev.end = day
                    prev.public_holidays.append((day, name))
                    if "(" in prev.names["en"] and "(" not in name:  # "X (observed)" → "X"
                        prev.names["en"] = name
                    continue
                names_map = {"en": name}
                if local_name and local_name != name:
                    names_map["local"] = local_name
                out.append(Period(id="public_holiday", kind="public_holiday", start=day, end=day,
                                  names=names_map, estimated="estimated" in name.lower(),
                                  public_holidays=[(day, name)]))
        return out

    def in_periods(self, day: dt.date, ids: list[str], near_days: int = 0) -> list[Period]:
        """The periods named by ``ids`` (festival ids, public_holiday, kind:<kind>) that cover ``day``."""
        found = []
        # one window per year (cached): the year before through the year after covers long periods and near_days
        for p in self.periods(dt.date(day.year - 1, 1, 1), dt.date(day.year + 1, 12, 31)):
            if not p.covers(day, near_days):
                continue
            for pid in ids:
                if pid == p.id or (pid == "public_holiday" and (p.kind == "public_holiday" or p.public_holidays)) \
                        or (pid.startswith("kind:") and p.kind == pid[5:]):
                    found.append(p)
                    break
        return found

    # ---------------------------------------------------------------- locale

    @property
    def babel_locale(self):
        from babel import Locale, UnknownLocaleError

        try:
            return Locale.parse(self.locale.replace("-", "_"))
        except (UnknownLocaleError, ValueError, TypeError):
            return Locale.parse("en_US")

    @property
    def date_order(self) -> str:
        """'DMY', 'MDY' or 'YMD': the pack's date_format, else the locale's short date pattern."""
        fmt = (self.date_format or "").upper()
        if not fmt:
            fmt = self.babel_locale.date_formats["short"].pattern.upper()
        order = ""
        for ch in fmt:
            if ch in "DMY" and ch not in order:
                order += ch
        return order if len(order) == 3 else "DMY"

    def zones(self):
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        out = []
        for name in self.timezones:
            try:
                out.append(ZoneInfo(name))
            except (ZoneInfoNotFoundError, ValueError):
                continue
        return out


    def country_zones(self):
        """Every IANA zone of the market's country (zone.tab from tzdata or the system), for recognising a
        time given in any of the audience's zones (US Central for us, WITA for id)."""
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        names = _zone_table().get(self.code.upper(), [])
        out = []
        for name in names:
            try:
                out.append(ZoneInfo(name))
            except (ZoneInfoNotFoundError, ValueError):
                continue
        return out


def _zone_table() -> dict[str, list[str]]:
    if "table" not in _ZONE_TABLE:
        text = ""
        try:
            from importlib.resources import files

            text = (files("tzdata") / "zoneinfo" / "zone.tab").read_text(encoding="utf-8")
        except (ImportError, ModuleNotFoundError, FileNotFoundError, OSError):
            try:
                text = open("/usr/share/zoneinfo/zone.tab", encoding="utf-8").read()
            except OSError:
                text = ""
        table: dict[str, list[str]] = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                parts = line.split("\t")
                if len(parts) >= 3:
                    table.setdefault(parts[0], []).append(parts[2])
        _ZONE_TABLE["table"] = table
    return _ZONE_TABLE["table"]


_ZONE_TABLE: dict[str, dict[str, list[str]]] = {}


def _period(fest: Festival, occ: Occurrence, announced: bool = False) -> Period:
    return Period(id=fest.id, kind=fest.kind, start=occ.start, end=occ.end, names=dict(fest.names),
                  festival=fest, label=occ.label, main=occ.main, estimated=occ.estimated, basis=occ.basis,
                  announced=announced)


def _clean_holiday(name: str) -> str:
    text = _HOLIDAY_NOISE.sub(" ", name.lower())
    text = text.replace("second day of", "").replace("the day preceding", "").replace("first day of", "")
    return " ".join(re.sub(r"[^\w\s-]", " ", text).split())


def _merge_public(periods: list[Period], public: list[Period]) -> None:
    """Attach a public holiday to the festival it belongs to (same days, similar name), else list it."""
    from rapidfuzz import fuzz

    for ph in public:
        clean = _clean_holiday(ph.names["en"])
        best, best_score = None, 0.0
        for p in periods:
            if p.festival is None or not (p.start - dt.timedelta(days=2) <= ph.start <= p.end + dt.timedelta(days=2)):
                continue
            candidates = [_clean_holiday(t) for t in p.festival.triggers()
                          + ([p.label.replace("_", " ")] if p.label else [])]
            score = max((fuzz.token_set_ratio(clean, c) for c in candidates if c), default=0)
            score += 1 if p.start <= ph.start <= p.end else 0  # prefer the period on that very day
            if score > best_score:
                best, best_score = p, score
        if best is not None and best_score >= 85:
            best.public_holidays.extend(ph.public_holidays)
        else:
            periods.append(ph)


_CONTEXTS: "weakref.WeakKeyDictionary[Any, dict[str, MarketContext]]" = weakref.WeakKeyDictionary()


def market_context(registry, market: str) -> MarketContext:
    """The context of ``market`` (a pack id) from ``registry``, cached per registry."""
    per = _CONTEXTS.setdefault(registry, {})
    if market not in per:
        per[market] = build_context(registry, market)
    return per[market]


def build_context(registry, market: str) -> MarketContext:
    lineage = registry.lineage(market)
    packs = [registry.pack(pid) for pid in lineage]
    own = packs[0]

    def first(attr: str, default: Any = None) -> Any:
        for pack in packs:
            value = getattr(pack, attr, None)
            if value:
                return value
        return default

    def first_extra(key: str, default: Any = None) -> Any:
        for pack in packs:
            if key in pack.extra and pack.extra[key] not in (None, ""):
                return pack.extra[key]
        return default

    data = bundled()
    settings = [p.extra.get("calendar") or {} for p in packs]  # nearest first
    hijri = next((s["hijri"] for s in settings if "hijri" in s), None) \
        or next((data.hijri_calendars[pid] for pid in lineage if pid in data.hijri_calendars), "umm_al_qura")
    public: str | None = None
    setting = next((s["public_holidays"] for s in settings if "public_holidays" in s), True)
    if isinstance(setting, str):
        public = setting.upper()
    elif setting and own.kind == "market":
        public = _holidays_country(market)
    excluded = {fid for s in settings for fid in s.get("exclude") or []}
    members = set(lineage) | {"all"}
    chosen: dict[str, Festival] = {}
    for fest in data.festivals.values():
        if members & set(fest.markets):
            chosen[fest.id] = fest
    for pack, s in reversed(list(zip(packs, settings))):  # farthest first: nearer packs replace
        for item in s.get("festivals") or []:
            entry = parse_entry(item, lambda *_a: None, None, default_markets=[pack.id])
            if entry is not None:
                chosen[entry.id] = entry
    dates: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for s in settings:
        for fid, ranges in (s.get("dates") or {}).items():
            for start, end in parse_date_ranges(ranges) or []:
                dates.setdefault(str(fid), []).append((dt.date.fromisoformat(start), dt.date.fromisoformat(end)))
    units = first_extra("units", "imperial" if market in IMPERIAL_MARKETS else "metric")
    if isinstance(units, dict):
        units = units.get("system", "metric")
    return MarketContext(
        code=market, name=dict(own.name), lineage=lineage, locale=first("locale", "en_US"),
        currency=first("currency"), timezones=list(first("timezones", []) or []),
        units=str(units).lower(), date_format=first_extra("date_format"), hijri=hijri, public_holidays=public,
        festivals=[f for fid, f in sorted(chosen.items()) if fid not in excluded], dates=dates)


def _holidays_country(market: str) -> str | None:
    try:
        from holidays import list_supported_countries
    except ImportError:  # pragma: no cover
        return None
    code = market.upper()
    return code if code in list_supported_countries() else None


def standalone_context(market: str) -> MarketContext:
    """A context built from the bundled data alone (no packs): for library use and tests."""
    data = bundled()
    return MarketContext(
        code=market, name={"en": market}, lineage=[market],
        hijri=data.hijri_calendars.get(market, "umm_al_qura"), public_holidays=_holidays_country(market),
        festivals=[f for f in data.festivals.values() if {market, "all"} & set(f.markets)])
