"""Issue 18: every market's bundled localization rules (rules/<market>/localization.yaml).

Show times in Beijing time, prices in yuan or a foreign currency, dates and units the market does not use;
the currency suggestion is babel's format for the market's locale; DST is that of the show date."""

from __future__ import annotations

import pytest
import yaml

from conftest import ROOT

MARKETS = "ae au br ca de es fr gb id in it jp kr mx my nl ph sa sg th us vn".split()
ZERO_DECIMALS = {"JPY", "KRW", "IDR", "VND"}
SIMILAR = {"USD", "EUR", "GBP", "CAD", "AUD", "SGD"}  # culture_lint.l10n.money.SIMILAR_VALUE (a subset)


def pack(market):
    return yaml.safe_load((ROOT / "rules" / market / "pack.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def linters():
    from culture_lint import make_linter

    cache = {}

    def get(market):
        if market not in cache:
            cache[market] = make_linter([market])
        return cache[market]

    return get


@pytest.fixture
def l10n(linters):
    """l10n(text, market, check, date=...) → the market's own <market>.localization.<check> findings."""
    from culture_lint import lint_text

    def run(text, market, check, **meta):
        linter = linters(market)
        linter.options.metadata = {"date": "2027-03-15", **meta}
        try:
            found = lint_text(text, filename="t.txt", linter=linter)
        finally:
            linter.options.metadata = {}
        return [f for f in found if f.rule == f"{market}.localization.{check}"]

    return run


def fix_of(finding):
    return finding.suggestions[0].replacement if finding.suggestions else None


@pytest.mark.parametrize("market", MARKETS)
def test_every_market_has_its_localization_rules(market):
    from culture_lint.packs.registry import Registry

    ids = {r.id for r in Registry().market_rules(market)}
    for check in ("show-time", "currency", "date-format", "units"):
        assert f"{market}.localization.{check}" in ids


@pytest.mark.parametrize("market", MARKETS)
def test_beijing_time_is_flagged_everywhere(l10n, market):
    found = l10n("Join us live tomorrow at 8pm Beijing time!", market, "show-time")
    assert len(found) == 1 and found[0].text == "8pm Beijing time"
    assert fix_of(found[0])  # the audience's own clock


@pytest.mark.parametrize("market", MARKETS)
def test_yuan_and_foreign_prices_are_flagged_and_the_own_format_passes(l10n, market):
    from babel.numbers import format_currency

    p = pack(market)
    cur, locale = p["currency"], p["locale"]
    assert l10n("Only 199元 tonight!", market, "currency")
    foreign = "€19.99" if cur == "USD" else "US$19.99"
    found = l10n(f"Only {foreign} tonight!", market, "currency")
    assert len(found) == 1
    value = 1990 if cur in ZERO_DECIMALS else 19.99
    native = format_currency(value, cur, locale=locale)
    assert not l10n(f"Only {native} tonight!", market, "currency")
    # the suggestion is babel's own format for the market's locale
    if cur in SIMILAR:
        assert fix_of(found[0]) == format_currency(19.99, cur, locale=locale).replace("\xa0", " ")
    else:
        example = format_currency(1299000 if cur in ZERO_DECIMALS else 1299.99, cur, locale=locale)
        norm = lambda s: "".join(s.replace("\u200f", "").split())  # noqa: E731
        assert norm(example) in norm(found[0].message)


@pytest.mark.parametrize("market", MARKETS)
def test_dates_and_units_the_market_does_not_use(l10n, market):
    assert l10n("Sale ends 03/04/2027.", market, "date-format")  # ambiguous everywhere
    mdy = market in ("us", "ph")
    assert l10n("Sale ends 25/12/2027." if mdy else "Sale ends 12/25/2027.", market, "date-format")
    assert not l10n("Sale ends 12/25/2027." if mdy else "Sale ends 25/12/2027.", market, "date-format")
    if market == "us":
        assert l10n("It weighs 2 kg.", market, "units")
        assert not l10n("It weighs 5 lbs.", market, "units")
    else:
        assert l10n("It weighs 5 lbs.", market, "units")
        assert not l10n("It weighs 2 kg.", market, "units")
        assert not l10n("It weighs 5 lbs (2.3 kg).", market, "units")


@pytest.mark.parametrize("day, us, gb", [
    ("2027-03-15", "8:00 AM EDT", "12:00 GMT"),  # the US is on summer time, the UK not yet
    ("2027-04-15", "8:00 AM EDT", "13:00 BST"),
])
def test_show_time_dst_follows_the_show_date(l10n, day, us, gb):
    text = "Live at 20:00 tonight!"
    found = l10n(text, "us", "show-time", date=day, timezone="Asia/Shanghai")
    assert fix_of(found[0]).startswith(us)
    found = l10n(text, "gb", "show-time", date=day, timezone="Asia/Shanghai")
    assert fix_of(found[0]) == gb


def test_the_issue_examples(l10n):
    assert l10n("Join us live tomorrow at 8pm Beijing time", "us", "show-time")
    found = l10n("Das Kleid kostet heute nur $19.99!", "de", "currency")
    assert len(found) == 1 and fix_of(found[0]) == "19,99 €"


@pytest.mark.parametrize("text, market, expected", [
    ("오늘 밤 8시 라이브!", "kr", "오후 8:00 KST"),                 # 밤 (night) makes it 8 pm
    ("Live vanavond om 20:00 uur Chinese tijd!", "nl", "13:00 CET"),
    ("بث مباشر الساعة 8 مساءً بتوقيت بكين", "sa", "3:00 م توقيت المملكة العربية السعودية"),  # all Arabic (babel)
    ("In diretta alle 20:00 ora di Pechino!", "it", "13:00 CET"),
])
def test_show_time_wordings_in_more_languages(l10n, text, market, expected):
    found = l10n(text, market, "show-time")
    assert found and fix_of(found[0]) == expected


@pytest.mark.parametrize("text, market", [
    ("오늘 밤 8시(한국 시간) 라이브!", "kr"),
    ("Live vanavond om 20:00 uur (Nederlandse tijd)!", "nl"),
    ("بث مباشر الساعة 8 مساءً بتوقيت مكة", "sa"),
    ("¡En vivo hoy a las 20:00 (hora de la Ciudad de México)!", "mx"),
])
def test_local_zone_wordings_pass(l10n, text, market):
    assert not l10n(text, market, "show-time")


@pytest.mark.parametrize("market", MARKETS)
def test_every_market_has_its_own_calendar_rules(market):
    from culture_lint.packs.registry import Registry

    own = {r.id for r in Registry().market_rules(market) if r.id.startswith(f"{market}.holiday.")}
    assert {f"{market}.holiday.festival-date", f"{market}.holiday.missed-festival"} <= own or \
        market == "mx" and f"{market}.holiday.missed-festival" in own  # mx: Mother's Day festival-date rule
    assert len(own) >= 3


def test_arabic_suggestion_is_read_back_as_the_audience_time(l10n):
    found = l10n("بث مباشر الساعة 8 مساءً بتوقيت بكين", "sa", "show-time")
    assert found and not l10n(f"بث مباشر الساعة {fix_of(found[0])}", "sa", "show-time")


@pytest.mark.parametrize("text", ["今晚只要199块！", "Only CN¥199 tonight!", "Only RMB¥199 tonight!"])
def test_kuai_and_cn_yen_are_yuan(l10n, text):
    found = l10n(text, "us", "currency")
    assert len(found) == 1 and "CNY" in found[0].message


@pytest.mark.parametrize("text", ["3块蛋糕送给你", "see http://www.xmlrpc.com/discuss/msgReader$1208"])
def test_not_prices(l10n, text):
    assert not l10n(text, "de", "currency")


@pytest.mark.parametrize("text, found", [
    ('An augmented assignment like "x += 1" can be rewritten', 0),
    ('>>> variance([D("27.5"), D("30.25")])', 0),
    ('charset="iso-8859-1" and "HTTP/1.1"', 0),
    ('A 55" TV and a 6" x 4" photo card.', 3),
    ('the "big" 15.6" laptop', 1),
])
def test_inch_marks_only_as_measurements(l10n, text, found):
    assert len(l10n(text, "de", "units")) == found


@pytest.mark.parametrize("text", ["See a[8:29] and b[17:38].", 'Offsets like "-5:00" or "+08:00" are valid.'])
def test_slices_and_offsets_are_not_show_times(l10n, text):
    assert not l10n(text, "gb", "show-time")


@pytest.mark.parametrize("market", ["au", "ca", "mx", "sg"])
def test_bare_dollar_is_ambiguous_where_the_local_dollar_is_written_dollar(l10n, market):
    from babel.numbers import format_currency

    p = pack(market)
    cur, locale = p["currency"], p["locale"]
    found = l10n("Only $19.99 tonight!", market, "currency-sign")
    assert len(found) == 1
    assert fix_of(found[0]) == format_currency(19.99, cur, locale=locale).replace("\xa0", " ") + " " + cur
    assert not l10n(f"Only {fix_of(found[0])} tonight!", market, "currency-sign")
    assert not l10n("Only $19.99 tonight!", market, "currency-sign", currency=cur)


@pytest.mark.parametrize("market", ["us", "br", "de"])
def test_no_dollar_ambiguity_elsewhere(market):
    from culture_lint.packs.registry import Registry

    assert f"{market}.localization.currency-sign" not in {r.id for r in Registry().market_rules(market)}
