"""``calendar``: festival mentions checked against the market's calendar (docs/calendar.md).

- ``check: festival-date`` — a festival named with a date it does not fall on that year
  ("Black Friday, Nov 30" in 2027, when it is 26 November).
- ``check: missed-festival`` — a major festival falls in the show window (the show date and the
  ``window_days`` after it) and the script never mentions it.

Results depend on the market, so the engine calls ``check_market`` once per market of the run.
"""

from __future__ import annotations

import datetime as dt
import re

from ..i18n import _
from .base import Hit, Kind

# a weekday may stand between a festival and its date: "Día de las Madres, domingo 9 de mayo", "Muttertag, Sonntag 9. Mai"
WEEKDAYS = (r"(?:sunday|monday|tuesday|wednesday|thursday|friday|saturday|sun|mon|tue|wed|thu|fri|sat|"
            r"domingo|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|segunda|terça|quarta|quinta|"
            r"sexta|sonntag|montag|dienstag|mittwoch|donnerstag|freitag|samstag|dimanche|lundi|mardi|mercredi|"
            r"jeudi|vendredi|samedi|domenica|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|zondag|maandag|"
            r"dinsdag|woensdag|donderdag|vrijdag|zaterdag|minggu|senin|selasa|rabu|kamis|jumat|sabtu|"
            r"星期[一二三四五六日天]|周[一二三四五六日天]|[日月火水木金土]曜日?)\.?")
CONNECT_AFTER = (r"^[\s,:：、(（\-–—\]】》」』)）\"”]*"  # closing brackets: "[Black Friday] Nov 30", "【黑五】11/30"
                 r"(?:(?:is|on|falls on|this year|am|le|el|em|no|dia|día|tanggal|pada|是|在|于|於)\s*)?"
                 r"[\s,:：(（]*(?:" + WEEKDAYS + r"[\s,]*(?:the\s+)?)?")
# "… 9 de mayo es el Día de las Madres", "May 9 is Mother's Day", "am 9. Mai ist Muttertag"
CONNECT_BEFORE = (r"[\s,:：、(（)）\-–—]*(?:(?:is|on|am|le|el|es(?:\s+el)?|será(?:\s+el)?|ist(?:\s+der)?|est"
                  r"(?:\s+la)?|é(?:\s+o)?|è(?:\s+la)?|adalah|是)\s*)?[\s,:：]*$")
LOOK = 40
BRACKETS = {"[": "]", "【": "】", "《": "》", "「": "」", "『": "』", "\"": "\"", "“": "”", "(": ")", "（": "）"}


def ui_locale() -> str:
    from ..i18n import current_lang

    return "zh_CN" if current_lang() == "zh" else "en_US"


def context_for(registry, market: str):
    from ..calendar.market import market_context, standalone_context

    return market_context(registry, market) if registry is not None else standalone_context(market)


def to_hit(span) -> Hit:
    """The engine's Hit for a calendar Span (calendar/ returns its own records and never imports kinds/)."""
    return Hit(span.start, span.end, span.segment, span.lang, span.values)


def suggestions(doc, start: int, end: int, items: list[tuple[str, bool, bool]]):
    """Suggestions for a finding at [start, end): (text, safe, replaces the span) each."""
    from ..fix import fixable
    from ..models import Suggestion

    out = []
    for text, safe, replaces in items:
        edit = (start, end, text) if replaces and fixable(doc, start, end, text) else None
        where = None
        if edit is not None:
            line, col = doc.position(start)
            end_line, end_col = doc.position(end)
            where = (line, col, end_line, end_col)
        out.append(Suggestion(text, safe, edit, where))
    return out


def reference_date(doc, ctx) -> dt.date | None:
    from ..calendar.scope import audience_dates

    days = audience_dates(doc, ctx)
    return days[0] if days else None


class Calendar(Kind):
    """Festival mentions checked against the market's calendar: ``check`` is festival-date or missed-festival."""

    name = "calendar"
    keys = frozenset({"check", "festivals", "window_days"})  # docs/calendar.md
    checks = ("festival-date", "missed-festival")
    per_market = True
    summary = "festival dates checked against the market's calendar; major festivals in the show window"

    def parse(self, rule, data, col) -> None:
        from ..calendar.kindspec import parse_params
        from ..yamlio import loc_of

        rule.params = parse_params(self.name, data, col.error, loc_of)

    def placeholders(self, rule) -> dict[str, str]:
        if rule.params.get("check") == "festival-date":
            return {"text": _("the festival and date as written"), "festival": _("the festival's name"),
                    "given": _("the date as written"), "year": _("the year of the festival"),
                    "expected": _("the festival's real date"), "note": _("a note on lunar dates (may be empty)")}
        return {"festival": _("the festival's name"), "dates": _("the festival's dates"),
                "days": _("days from the show to the festival"), "guidance": _("advice for the festival")}

    def check(self, rule, key, prep, disclaimers) -> list[Hit]:
        return self.check_market(rule, key, prep, disclaimers, None, rule.pack)

    def check_market(self, rule, key, prep, disclaimers, registry, market) -> list[Hit]:
        ctx = context_for(registry, market)
        check = rule.params.get("check")
        if check == "festival-date":
            return festival_dates(rule, prep.doc, ctx)
        if check == "missed-festival":
            return missed_festivals(rule, prep.doc, ctx)
        return []


def _festivals(rule, ctx, computable: bool = True):
    wanted = rule.params.get("festivals")
    fests = [f for f in ctx.festivals if wanted is None or f.id in wanted]
    if wanted:  # named festivals the market's calendar does not list are still known facts
        from ..calendar.festivals import bundled

        have = {f.id for f in fests}
        fests += [f for fid, f in bundled().festivals.items() if fid in wanted and fid not in have]
    return [f for f in fests if not computable or f.computable or f.id in ctx.dates]


def mention_index(fests) -> tuple[re.Pattern | None, dict[str, list]]:
    from ..calendar.textscan import word_regex

    by_word: dict[str, list] = {}
    for fest in fests:
        for word in fest.triggers():
            key = " ".join(word.lower().split())
            if fest not in by_word.setdefault(key, []):
                by_word[key].append(fest)
    return word_regex(list(by_word)), by_word


def _periods_of(ctx, fest, a: dt.date, b: dt.date):
    from ..calendar.dates import occurrences

    found = [(o.start, o.end, o.estimated) for o in occurrences(fest, a, b, ctx.hijri)]
    found += [(s, e, False) for s, e in ctx.dates.get(fest.id, []) if s <= b and e >= a]
    return sorted(found)


def festival_dates(rule, doc, ctx) -> list[Hit]:
    from ..calendar.datetext import date_range, date_regex, parse_at, render_like, valid
    from ..calendar.textscan import hit, scan
    from ..i18n import pick

    fests = _festivals(rule, ctx)
    regex, by_word = mention_index(fests)
    if regex is None:
        return []
    ref = reference_date(doc, ctx) or dt.date.today()
    dates = date_regex(ctx.locale)
    hits: list[Hit] = []
    for si, m in scan(doc, regex):
        text = doc.segments[si].text
        candidates = by_word.get(" ".join(m.group(0).lower().split()), [])
        found = _date_near(text, m, dates, ctx.locale, parse_at)
        if found is None or not candidates:
            continue
        date_text, d_start, d_end = found
        fest = candidates[0]
        if date_text.year is not None:
            years = [date_text.year]
            window = (dt.date(date_text.year, 1, 1), dt.date(date_text.year, 12, 31))
        else:
            years = [ref.year - 1, ref.year, ref.year + 1]
            window = (ref - dt.timedelta(days=183), ref + dt.timedelta(days=183))
        periods = _periods_of(ctx, fest, *window)
        if not periods:
            continue
        ok = False
        for month, day in date_text.readings():
            for year in years:
                day_ = valid(year, month, day)
                if day_ and any(s - dt.timedelta(days=est) <= day_ <= e + dt.timedelta(days=est)
                                for s, e, est in periods):
                    ok = True
        if ok or not date_text.readings():
            continue
        anchor = valid(date_text.year, *date_text.readings()[0]) if date_text.year else ref
        start, end, estimated = min(periods, key=lambda p: abs((p[0] - (anchor or ref)).days))
        a, b = min(m.start(), d_start), max(m.end(), d_end)
        close = re.match(r"[ \t]*[)）\]】]", text[b:])
        if close and d_start >= m.end() and re.search(r"[(（\[【]", text[m.end():d_start]):
            b += close.end()  # "Black Friday (Nov 30)": the finding and its fix keep both brackets
        pair = BRACKETS.get(text[a - 1:a]) if a > 0 else None
        if pair and d_start >= m.end() and pair in text[m.end():d_start]:
            a -= 1  # "[Black Friday] Nov 30", "【黑五】11/30": the name's brackets go with it
        new_date = render_like(date_text, start, ctx.date_order)
        if d_start >= m.end():  # the weekday of the wrong date would be wrong too: it goes
            lead = text[a:m.end()] + re.sub(WEEKDAYS + r"[\s,]*(?:the\s+)?", "", text[m.end():d_start], flags=re.I)
        else:
            lead = text[a:d_start]
        replacement = lead + new_date + text[d_end:b]
        h = to_hit(hit(doc, si, a, b, festival=pick(fest.names), given=text[d_start:d_end], year=start.year,
                expected=date_range(start, end, ui_locale()),
                note=" " + _("(a lunar date: local sighting may move it by a day)") if estimated else ""))
        h.values["suggestions"] = suggestions(doc, h.start, h.end, [(replacement, False, True)])
        hits.append(h)
    return hits


def _date_near(text: str, m: re.Match, dates: re.Pattern, locale, parse_at):
    """The date written right after (or right before) a festival mention."""
    after = text[m.end(): m.end() + LOOK]
    lead = re.match(CONNECT_AFTER, after)
    offset = m.end() + (lead.end() if lead else 0)
    dm = dates.match(text, offset, min(len(text), m.end() + LOOK))
    if dm:
        parsed = parse_at(dm, locale)
        if parsed:
            return parsed, dm.start(), dm.end()
    before_start = max(0, m.start() - LOOK)
    before = text[before_start: m.start()]
    tail = re.search(CONNECT_BEFORE, before)
    end = before_start + (tail.start() if tail else len(before))
    for dm in dates.finditer(text, before_start, end):
        if dm.end() == end:
            parsed = parse_at(dm, locale)
            if parsed:
                return parsed, dm.start(), dm.end()
    return None


def missed_festivals(rule, doc, ctx) -> list[Hit]:
    from ..calendar.datetext import date_range
    from ..calendar.textscan import first_text_hit, line_hit
    from ..i18n import pick

    ref = reference_date(doc, ctx)
    if ref is None:
        return []
    window = int(rule.params.get("window_days", 7))
    wanted = rule.params.get("festivals")
    fests = [f for f in _festivals(rule, ctx) if f.major or wanted]
    due = []
    for fest in fests:
        periods = _periods_of(ctx, fest, ref, ref + dt.timedelta(days=window))
        if periods:
            due.append((periods[0], fest))
    if not due:
        return []
    regex, by_word = mention_index([f for _p, f in due])
    mentioned: set[str] = set()
    if regex is not None:
        for seg in doc.segments:
            for m in regex.finditer(seg.text):
                mentioned.update(f.id for f in by_word.get(" ".join(m.group(0).lower().split()), []))
    hits = []
    for (start, end, _est), fest in sorted(due, key=lambda x: (x[0][0], x[1].id)):
        if fest.id in mentioned:
            continue
        days = (start - ref).days
        when = date_range(start, end, ui_locale())
        values = dict(festival=pick(fest.names), dates=when, days=max(days, 0),
                      guidance=pick(fest.guidance) if fest.guidance else "")
        line = doc.metadata_lines.get("date")
        h = to_hit(line_hit(doc, line, **values) if line else first_text_hit(doc, **values))
        advice = _("{festival} ({dates}): {guidance}").format(**values).rstrip(": ")
        h.values["suggestions"] = suggestions(doc, h.start, h.end, [(advice, False, False)])
        hits.append(h)
    return hits
