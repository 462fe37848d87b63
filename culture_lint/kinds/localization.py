"""``localization``: what a market's audience needs to read a script the way it was meant (docs/calendar.md).

``check`` is one of

- ``show-time``   — a show time with no time zone, or in the seller's zone (北京时间, Beijing time), for an
  audience elsewhere → the audience's local time(s), computed with zoneinfo and formatted with babel;
- ``currency``    — a price in another currency than the market's, or written the wrong way ("19.99 €" for
  de → "19,99 €"; lakh grouping for in);
- ``currency-sign`` — a bare "$" in a market whose own dollar is written "$" too (au, ca, mx, sg) when the
  script never says which dollar: "$19.99" → "$19.99 AUD";
- ``date-format`` — an ambiguous numeric date (03/04/2027) or one in the order the audience does not use;
- ``units``       — imperial units for a metric market and the reverse, and Chinese market units (斤, 寸),
  with the converted value;
- ``sizes``       — clothing or shoe sizes given in one system only, with no measurements or size chart.

Every hit carries ``{problem}`` (a full sentence in the interface language) and ``{suggestion}``, so a
rule's message can be just ``"{problem}"``. Results depend on the market: the engine calls
``check_market`` once per market of the run.
"""

from __future__ import annotations

import datetime as dt
import re

from ..i18n import _, pick
from .base import Hit, Kind

NEAR = 30  # characters around a value searched for its conversion


class Localization(Kind):
    """What the market's audience needs to read the script as meant: show-time, currency, date-format, …"""

    name = "localization"
    keys = frozenset({"check", "accept"})
    checks = ("show-time", "currency", "currency-sign", "date-format", "units", "sizes")
    per_market = True
    summary = "show times, prices, dates, units and sizes written the way the market's audience reads them"

    def parse(self, rule, data, col) -> None:
        from ..calendar.kindspec import parse_params
        from ..yamlio import loc_of

        rule.params = parse_params(self.name, data, col.error, loc_of)

    def placeholders(self, rule) -> dict[str, str]:
        return {"text": _("the words as written"), "problem": _("what is wrong, as a sentence"),
                "suggestion": _("the suggested wording")}

    def check(self, rule, key, prep, disclaimers) -> list[Hit]:
        return self.check_market(rule, key, prep, disclaimers, None, rule.pack)

    def check_market(self, rule, key, prep, disclaimers, registry, market) -> list[Hit]:
        from .calendar import context_for

        ctx = context_for(registry, market)
        check = {"show-time": show_times, "currency": prices, "currency-sign": currency_signs, "date-format": dates,
                 "units": units, "sizes": sizes}.get(rule.params.get("check"))
        return check(rule, prep.doc, ctx) if check else []


def _market(ctx) -> str:
    return pick(ctx.name) or ctx.code


def _hit(doc, si: int, a: int, b: int, problem: str, suggestion: str, replaces: bool, safe: bool = False,
         **values) -> Hit:
    from ..calendar.textscan import hit
    from .calendar import suggestions, to_hit

    h = to_hit(hit(doc, si, a, b, problem=problem, suggestion=suggestion, **values))
    h.values["suggestions"] = suggestions(doc, h.start, h.end, [(suggestion, safe, replaces)]) if suggestion else []
    return h


# ------------------------------------------------------------------------------------------ show times


def show_times(rule, doc, ctx) -> list[Hit]:
    from ..calendar.scope import show_date
    from ..l10n.showtime import SELLER_ZONES, find_times, local_times, to_zone, zone_label

    zones = ctx.zones()
    if not zones:
        return []
    day = show_date(doc) or dt.date.today()
    locale = ctx.babel_locale
    meta_zone = to_zone(str(doc.metadata["timezone"]).strip()) if doc.metadata.get("timezone") else None
    hits = []
    for si, seg in enumerate(doc.segments):
        for t in find_times(seg.text):
            if t.zone == "local":
                continue
            spec = t.zone
            if spec == "CST":
                spec = "America/Chicago" if ctx.code in ("us", "ca", "mx") else "Asia/Shanghai"
            source = to_zone(spec) if spec else meta_zone or zones[0]
            if source is None:
                continue
            moment = dt.datetime.combine(day, dt.time(t.hour, t.minute), tzinfo=source)
            audience = {moment.astimezone(z).utcoffset() for z in zones}
            country = {moment.astimezone(z).utcoffset() for z in ctx.country_zones()} | audience
            local = local_times(moment, zones, locale)
            text = seg.text[t.start:t.end]
            label = t.zone_text or zone_label(moment, source, locale)
            if spec:
                seller = getattr(source, "key", "") in SELLER_ZONES and spec not in ctx.timezones
                if moment.utcoffset() in country and not seller:  # any zone of the audience's country is fine
                    continue
                problem = (_("“{text}” is the seller's time ({zone}); viewers in {market} need their own: {local}")
                           if seller else
                           _("“{text}” is given in {zone}, not in the audience's time zone; viewers in {market} "
                             "need {local}")).format(text=text, zone=label, market=_market(ctx), local=local)
            elif meta_zone is not None and moment.utcoffset() not in audience:
                problem = _("“{text}” has no time zone, and the show runs on {zone} time; viewers in {market} "
                            "need {local}").format(text=text, zone=label, market=_market(ctx), local=local)
            else:
                problem = _("“{text}” has no time zone; say which one viewers in {market} should read it in: "
                            "{local}").format(text=text, market=_market(ctx), local=local)
            hits.append(_hit(doc, si, t.start, t.end, problem, local, True, local=local, zone=label))
    return hits


# ------------------------------------------------------------------------------------------ prices


def prices(rule, doc, ctx) -> list[Hit]:
    from babel.numbers import get_currency_symbol, get_decimal_symbol, get_group_symbol

    from ..l10n import clean_space
    from ..l10n.money import SIMILAR_VALUE, find_prices, parse_number, render, resolve, symbol_first

    cur = ctx.currency
    if not cur:
        return []
    locale = ctx.babel_locale
    accept = set(rule.params.get("accept") or ())
    decimal = get_decimal_symbol(locale)
    group = clean_space(get_group_symbol(locale)) or " "
    local_symbol = clean_space(get_currency_symbol(cur, locale))
    example = render(1299.99 if _precision(cur) else 1299000, 2 if _precision(cur) else 0, cur, locale)
    hits = []
    for si, seg in enumerate(doc.segments):
        for p in find_prices(seg.text):
            code = resolve(p.token, cur, ctx.code)
            parsed = parse_number(p.number, decimal)
            if parsed is None:
                continue
            value, decimals, dec_sep, grp = parsed
            text = seg.text[p.start:p.end]
            if code != cur and code not in accept:
                if code in SIMILAR_VALUE and cur in SIMILAR_VALUE:
                    suggestion, replaces = render(value, decimals, cur, locale), True
                else:
                    suggestion, replaces = _("the price in {currency}, written like {example}").format(
                        currency=cur, example=example), False
                problem = _("“{text}” is priced in {given}; viewers in {market} pay in {currency} "
                            "(written like {example})").format(text=text, given=code, market=_market(ctx),
                                                               currency=cur, example=example)
                hits.append(_hit(doc, si, p.start, p.end, problem, suggestion, replaces, currency=cur, given=code))
                continue
            if p.word or code != cur:
                continue
            expected = render(value, decimals, cur, locale)
            wrong = dec_sep is not None and dec_sep != decimal
            if grp == "mixed" or (grp and not grp.isspace() and grp != group and not (group.isspace())):
                wrong = True
            if grp and not wrong:  # grouping positions (lakh): compare the digits as babel groups them
                digits_expected = re.sub(r"[^\d" + re.escape(group) + "]", "", expected.split(decimal)[0]) \
                    if decimal in expected else re.sub(r"[^\d" + re.escape(group) + "]", "", expected)
                given_int = p.number.split(dec_sep)[0] if dec_sep else p.number
                if not group.isspace() and given_int.replace(grp, group) != digits_expected:
                    wrong = True
            token = p.token
            native_suffix = token in ("円", "원", "đ", "บาท", "元")
            if not wrong and not native_suffix and (token == local_symbol or token in ("$", "€", "£", "₹", "R$")) \
                    and p.prefix != symbol_first(locale):
                wrong = True
            if not wrong or clean_space(text) == expected:
                continue
            problem = _("“{text}”: viewers in {market} write this price as {expected}").format(
                text=text, market=_market(ctx), expected=expected)
            hits.append(_hit(doc, si, p.start, p.end, problem, expected, True, safe=True, expected=expected))
    return hits


def currency_signs(rule, doc, ctx) -> list[Hit]:
    """A bare "$" where the market's own dollar shares the sign with the US dollar (au, ca, mx, sg: babel's
    symbol for the currency in the market's locale is "$"), and the script never says which dollar it means."""
    from babel.numbers import get_currency_symbol, get_decimal_symbol

    from ..l10n import clean_space
    from ..l10n.money import find_prices, parse_number, render, stated_currency

    cur, locale = ctx.currency, ctx.babel_locale
    if not cur or cur == "USD" or clean_space(get_currency_symbol(cur, locale)) != "$":
        return []
    if stated_currency(doc.source, doc.metadata, cur, locale):
        return []
    hits = []
    for si, seg in enumerate(doc.segments):
        for p in find_prices(seg.text):
            parsed = parse_number(p.number, get_decimal_symbol(locale)) if p.token == "$" else None
            if parsed is None:
                continue
            suggestion = f"{render(parsed[0], parsed[1], cur, locale)} {cur}"
            problem = _("“{text}”: viewers in {market} also see US-dollar prices written with “$”; say the price is "
                        "in {currency}: {suggestion}").format(text=seg.text[p.start:p.end], market=_market(ctx),
                                                              currency=cur, suggestion=suggestion)
            hits.append(_hit(doc, si, p.start, p.end, problem, suggestion, True, currency=cur))
    return hits


def _precision(currency: str) -> int:
    from babel.numbers import get_currency_precision

    return get_currency_precision(currency)


# ------------------------------------------------------------------------------------------ dates

NUMERIC_DATE = (r"(?<![\d./-])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
                r"(?![\d]|[./-]\d)")


def dates(rule, doc, ctx) -> list[Hit]:
    from ..calendar.datetext import long_date, valid

    order = ctx.date_order
    locale = str(ctx.babel_locale)
    hits = []
    for si, seg in enumerate(doc.segments):
        for m in re.finditer(NUMERIC_DATE, seg.text):
            a, b, sep = int(m.group("a")), int(m.group("b")), m.group("sep")
            year = int(m.group("y")) + (2000 if len(m.group("y")) == 2 else 0)
            month_first = valid(year, a, b)  # MM/DD
            day_first = valid(year, b, a)  # DD/MM
            if sep == ".":  # dotted dates are day-first everywhere but are unusual in month-first markets
                if order != "MDY" or day_first is None or len(m.group("y")) == 2:
                    continue  # "2.6.33", "3.7.15": version numbers far more often than dates
                month_first = None if a > 12 else month_first
            text = m.group(0)
            if month_first and day_first and a != b:
                meant = month_first if order == "MDY" else day_first
                other = day_first if meant is month_first else month_first
                problem = _("“{text}” is ambiguous: {meant} for viewers in {market}, {other} for others; "
                            "write the month as a word").format(text=text, meant=long_date(meant, locale),
                                                              other=long_date(other, locale), market=_market(ctx))
            elif month_first and not day_first and order != "MDY":
                meant = month_first
                problem = _("“{text}” puts the month first; viewers in {market} read dates day-first").format(
                    text=text, market=_market(ctx))
            elif day_first and not month_first and order == "MDY":
                meant = day_first
                problem = _("“{text}” puts the day first; viewers in {market} read dates month-first").format(
                    text=text, market=_market(ctx))
            else:
                continue
            suggestion = long_date(meant, locale)
            hits.append(_hit(doc, si, m.start(), m.end(), problem, suggestion, True, expected=suggestion))
    return hits


# ------------------------------------------------------------------------------------------ units


def units(rule, doc, ctx) -> list[Hit]:
    from ..l10n.units import convert, find_quantities

    target = "imperial" if ctx.units in ("imperial", "us", "us_customary") else "metric"
    locale = ctx.babel_locale
    hits = []
    for si, seg in enumerate(doc.segments):
        text = seg.text
        found = find_quantities(text)
        for q in found:
            original = text[q.start:q.end]
            if q.system == target:
                continue
            if q.system != "chinese" and any(
                    o is not q and o.system == target and o.quantity == q.quantity
                    and (0 <= o.start - q.end <= NEAR or 0 <= q.start - o.end <= NEAR) for o in found):
                continue  # "5 lb (2.3 kg)": the conversion is already there
            converted = convert(q, target, locale)
            if converted is None:
                continue
            if q.system == "chinese":
                problem = _("“{text}” is a Chinese market unit viewers in {market} do not use: {converted}").format(
                    text=original, market=_market(ctx), converted=converted)
                suggestion = converted
            else:
                system = _("metric") if target == "metric" else _("US customary")
                problem = _("“{text}”: viewers in {market} use {system} units — add {converted}").format(
                    text=original, market=_market(ctx), system=system, converted=converted)
                suggestion = f"{original} ({converted})"
            hits.append(_hit(doc, si, q.start, q.end, problem, suggestion, True, converted=converted))
    return hits


# ------------------------------------------------------------------------------------------ sizes


def sizes(rule, doc, ctx) -> list[Hit]:
    from ..l10n.sizes import find_sizes, has_chart
    from ..l10n.units import find_quantities

    mentions = []
    for si, seg in enumerate(doc.segments):
        mentions.extend((si, a, b, system) for a, b, system in find_sizes(seg.text))
    if not mentions:
        return []
    systems = {m[3] for m in mentions if m[3] not in ("letter", "unspecified")}
    if len(systems) >= 2:
        return []
    for seg in doc.segments:
        if has_chart(seg.text) or any(q.quantity == "length" for q in find_quantities(seg.text)):
            return []
    si, a, b, system = mentions[0]
    target = "imperial" if ctx.units in ("imperial", "us", "us_customary") else "metric"
    measures = _("body measurements in cm and inches") if target == "imperial" else _("body measurements in cm")
    problem = _("“{text}”: sizes are given in one system only; viewers in {market} need {measures} or a size "
                "chart").format(text=doc.segments[si].text[a:b], market=_market(ctx), measures=measures)
    suggestion = _("add {measures} (chest, waist, length) or show the size chart").format(measures=measures)
    return [_hit(doc, si, a, b, problem, suggestion, False, system=system)]
