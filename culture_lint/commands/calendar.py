"""`culture-lint calendar`: sensitive periods and shopping festivals ahead, with script guidance."""

from __future__ import annotations

import datetime as dt
import json
import sys

from ..config import Settings
from ..errors import CultureLintError
from ..i18n import _, pick

FORMATS = ("text", "json", "ics")
MAX_DAYS = 3660


def kind_label(kind: str) -> str:
    return {
        "shopping": _("shopping festival"), "religious": _("religious period"),
        "cultural": _("cultural festival"), "civic": _("national day"), "remembrance": _("remembrance day"),
        "silence": _("mourning/silence day"), "mourning": _("mourning/silence day"),
        "sale_period": _("legal sale period"), "public_holiday": _("public holiday"),
    }.get(kind, kind)


def _label(label: str | None) -> str:
    if not label:
        return ""
    return label if "." in label else label.replace("_", " ").title()


def notes_for(p, public: dict[str, list] | None = None) -> list[str]:
    """Notes for a period; ``public`` maps each market of a merged row to its public-holiday days."""
    notes = []
    if p.basis == "umm_al_qura":
        notes.append(_("Hijri date from the Umm al-Qura calendar: the actual start follows the moon sighting "
                       "and may differ by a day — confirm with the official announcement."))
    elif p.basis == "mabims":
        notes.append(_("Hijri date from the MABIMS calendar: the actual start follows the official sighting "
                       "(sidang isbat) and may differ by a day."))
    elif p.festival is not None and p.basis == "lunisolar" and "hindu" in str(p.festival.rule):
        notes.append(_("Lunar (tithi) date: regional calendars may place it a day earlier or later."))
    if p.main is not None:
        notes.append(_("Main day: {date}.").format(date=p.main.isoformat()))
    if p.festival is not None:
        public = public if public is not None else {"": p.public_holidays}
        shown = {m: sorted({d for d, _n in days}) for m, days in public.items() if days}
        distinct = {tuple(v) for v in shown.values()}
        for market, days in sorted(shown.items()):
            dates = ", ".join(d.isoformat() for d in days)
            if len(distinct) > 1 or len(public) > len(shown):
                notes.append(_("Public holiday ({market}): {dates}.").format(market=market, dates=dates))
            else:
                notes.append(_("Public holiday: {dates}.").format(dates=dates))
                break
    if p.announced:
        notes.append(_("Dates announced for this year (from the rule pack)."))
    return notes


def collect(registry, markets: list[str], start: dt.date, end: dt.date):
    """(periods, announced) rows for the markets, merged where several markets share a period."""
    from ..calendar.market import market_context

    rows: dict[tuple, dict] = {}
    announced: dict[str, dict] = {}
    for market in markets:
        ctx = market_context(registry, market)
        for p in ctx.periods(start, end):
            key = (p.id, p.label, p.start, p.end, p.names.get("en") if p.festival is None else "")
            row = rows.setdefault(key, {"period": p, "markets": [], "public": {}})
            if market not in row["markets"]:
                row["markets"].append(market)
            row["public"][market] = list(p.public_holidays)
        for fest in ctx.festivals:
            if fest.computable or ctx.dates.get(fest.id):
                continue
            row = announced.setdefault(fest.id, {"festival": fest, "markets": []})
            if market not in row["markets"]:
                row["markets"].append(market)
    ordered = sorted(rows.values(), key=lambda r: (r["period"].start, r["period"].end, r["period"].id,
                                                   r["period"].label or "", r["period"].names.get("en", "")))
    return ordered, sorted(announced.values(), key=lambda r: r["festival"].id)


def _name(p) -> str:
    name = pick(p.names)
    label = _label(p.label)
    return f"{name} — {label}" if label else name


def _local_name(p, languages: list[str]) -> str:
    """A name in the audience's language (the market pack's `languages`), when the data has one."""
    shown = pick(p.names)
    for lang in languages:
        value = p.names.get(lang) or p.names.get(lang.split("-")[0])
        if value and lang not in ("en", "zh") and value != shown:
            return value
    local = p.names.get("local")  # public holidays: the name in the country's own language
    return local if local and local != shown else ""


def period_dict(row) -> dict:
    p = row["period"]
    fest = p.festival
    return {
        "id": p.id, "label": p.label, "name": _name(p), "names": dict(p.names), "kind": p.kind,
        "kind_label": kind_label(p.kind), "start": p.start.isoformat(), "end": p.end.isoformat(), "days": p.days,
        "main_day": p.main.isoformat() if p.main else None, "markets": list(row["markets"]),
        "guidance": pick(fest.guidance) if fest and fest.guidance else None,
        "avoid": list(fest.avoid) if fest else [], "notes": notes_for(p, row["public"]), "estimated": p.estimated,
        "calendar": p.basis,
        "public_holidays": [{"market": m, "date": d.isoformat(), "name": n}
                            for m, days in sorted(row["public"].items()) for d, n in days],
        "source": fest.source if fest else None,
    }


def render_json(markets, start, end, rows, announced) -> str:
    from .. import __version__

    data = {
        "version": 1, "tool": {"name": "culture-lint", "version": __version__}, "markets": markets,
        "from": start.isoformat(), "to": end.isoformat(), "periods": [period_dict(r) for r in rows],
        "announced": [{"id": r["festival"].id, "name": pick(r["festival"].names), "kind": r["festival"].kind,
                       "kind_label": kind_label(r["festival"].kind),
                       "typical": r["festival"].rule["announced"].get("typical"), "markets": r["markets"],
                       "guidance": pick(r["festival"].guidance) if r["festival"].guidance else None}
                      for r in announced],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_text(registry, markets, start, end, rows, announced) -> str:
    names = ", ".join(f"{m} ({pick(registry.pack(m).name)})" for m in markets)
    out = [_("Calendar for {markets}, {start} to {end}").format(markets=names, start=start.isoformat(),
                                                                  end=end.isoformat()), ""]
    if not rows:
        out.append(_("No periods in this window."))
    for row in rows:
        p = row["period"]
        when = p.start.isoformat() if p.days == 1 else f"{p.start.isoformat()} – {p.end.isoformat()}"
        local = _local_name(p, registry.pack(row["markets"][0]).languages)
        title = _name(p) + (f" · {local}" if local else "")
        out.append(f"{when:<25} {title}  [{kind_label(p.kind)}]  {','.join(row['markets'])}")
        fest = p.festival
        if fest and fest.guidance:
            out.append("    " + pick(fest.guidance))
        if fest and fest.avoid:
            out.append("    " + _("Avoid: {items}").format(items="; ".join(fest.avoid)))
        for note in notes_for(p, row["public"]):
            out.append("    " + _("Note: {note}").format(note=note))
    if announced:
        out += ["", _("Announced each year (no computable date; add the dates to the pack's calendar):")]
        for row in announced:
            fest = row["festival"]
            typical = fest.rule["announced"].get("typical", "")
            out.append(f"  {pick(fest.names)}  [{kind_label(fest.kind)}]  {','.join(row['markets'])}: {typical}")
    return "\n".join(out) + "\n"


def render_ics(registry, markets, rows) -> str:
    import re

    from ..calendar import ics

    events = []
    for row in rows:
        p = row["period"]
        slug = p.id if p.festival is not None else "holiday-" + re.sub(r"[^a-z0-9]+", "-", p.names["en"].lower())
        if p.label:
            slug += "-" + re.sub(r"[^a-z0-9]+", "-", p.label.lower())
        uid = f"{slug.strip('-')}-{p.start:%Y%m%d}-{'-'.join(row['markets'])}@culture-lint"
        parts = [kind_label(p.kind) + " (" + ", ".join(row["markets"]) + ")"]
        if p.festival and p.festival.guidance:
            parts.append(pick(p.festival.guidance))
        if p.festival and p.festival.avoid:
            parts.append(_("Avoid: {items}").format(items="; ".join(p.festival.avoid)))
        parts += notes_for(p, row["public"])
        events.append({"uid": uid, "start": p.start, "end": p.end,
                       "summary": f"{_name(p)} [{', '.join(row['markets'])}]",
                       "description": "\n".join(parts), "categories": [kind_label(p.kind)]})
    return ics.calendar(events, "culture-lint: " + ", ".join(markets))


def run(s: Settings) -> int:
    """`calendar`: the periods ahead for the markets, as text, JSON or iCalendar."""
    from ..packs.registry import Registry
    from .check import write_report

    start = dt.date.today()
    if s.flag("start"):
        try:
            start = dt.date.fromisoformat(s.flag("start"))
        except ValueError:
            raise CultureLintError(_("--from must be YYYY-MM-DD, got '{value}'").format(value=s.flag("start"))) from None
    days = int(s.flag("days", 90))
    if not 1 <= days <= MAX_DAYS:
        raise CultureLintError(_("--days must be from 1 to {max}").format(max=MAX_DAYS))
    end = start + dt.timedelta(days=days - 1)
    registry = Registry(s.rules_dirs)
    if not s.markets:
        raise CultureLintError(_("name at least one market with -m (for example -m sa,id)"))
    markets: list[str] = []
    for m in s.markets:
        pid = registry.resolve_market(m)
        if pid not in markets:
            markets.append(pid)
    rows, announced = collect(registry, markets, start, end)
    if s.format == "json":
        out = render_json(markets, start, end, rows, announced)
    elif s.format == "ics":
        out = render_ics(registry, markets, rows)
    else:
        out = render_text(registry, markets, start, end, rows, announced)
    if s.format == "ics" and not s.output:
        sys.stdout.buffer.write(out.encode("utf-8"))
        sys.stdout.flush()
    else:
        write_report(s.output, out)
    return 0
