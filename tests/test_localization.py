"""The `localization` rule kind: show times, prices, dates, units and sizes for the market's audience.

Test packs: tests/packs/calendar (its global pack enables every check)."""

from __future__ import annotations

import json

import pytest

from conftest import OUTPUT_SCHEMA, TESTS, cli, run_cli, write

PACKS = TESTS / "packs" / "calendar"


@pytest.fixture(scope="module")
def linters():
    from culture_lint import make_linter

    cache = {}

    def get(market):
        if market not in cache:
            cache[market] = make_linter([market], rules_dirs=[PACKS])
        return cache[market]

    return get


@pytest.fixture
def check(linters):
    """check(text, market, rule_suffix, **metadata) → findings of global.localization.<rule_suffix>."""
    from culture_lint import lint_text

    def run(text, market, which, **meta):
        linter = linters(market)
        linter.options.metadata = dict(meta)
        try:
            found = lint_text(text, filename="t.txt", linter=linter)
        finally:
            linter.options.metadata = {}
        return [f for f in found if f.rule == f"global.localization.{which}"]

    return run


def fix_of(finding):
    return finding.suggestions[0].replacement if finding.suggestions else None


# ------------------------------------------------------------------------------------------ show times


def test_bare_show_time_gets_the_audience_zones(check):
    found = check("Join us live at 8pm tonight!", "us", "show-time", date="2027-02-10")
    assert len(found) == 1
    f = found[0]
    assert f.text == "8pm" and (f.line, f.column, f.end_column) == (1, 17, 20)
    assert fix_of(f) == "8:00 PM EST / 5:00 PM PST"  # babel, en_US; 8 pm read as New York time
    assert "no time zone" in f.message


def test_summer_time_is_used_in_summer(check):
    f = check("Join us live at 8pm tonight!", "us", "show-time", date="2027-07-10")[0]
    assert fix_of(f) == "8:00 PM EDT / 5:00 PM PDT"


def test_seller_zone_is_converted_for_the_audience(check):
    f = check("北京时间今晚8点准时开播", "de", "show-time", date="2027-02-10")[0]
    assert f.text == "北京时间今晚8点"
    assert fix_of(f) == "13:00 MEZ"
    assert "seller" in f.message
    f = check("We start at 20:00 Beijing time.", "sa", "show-time", date="2027-02-10")[0]
    assert f.text == "20:00 Beijing time" and fix_of(f) == "3:00 PM KSA"
    f = check("Starts 8:30 p.m. (Beijing time)!", "us", "show-time", date="2027-02-10")[0]
    assert f.text == "8:30 p.m. (Beijing time)" and fix_of(f) == "7:30 AM EST / 4:30 AM PST"


def test_show_zone_from_metadata(check):
    """No zone in the text, but the show block says it runs on Shanghai time."""
    f = check("Live at 8pm!", "us", "show-time", date="2027-02-10", timezone="Asia/Shanghai")[0]
    assert fix_of(f) == "7:00 AM EST / 4:00 AM PST"
    assert "show runs on Beijing time" in f.message
    # Makassar (WITA) shares Beijing's offset: 8 pm there is a time Indonesian viewers have
    f = check("Live at 8pm!", "id", "show-time", date="2027-02-10", timezone="Asia/Shanghai")[0]
    assert fix_of(f) == "19.00 WIB / 20.00 WITA" and "no time zone" in f.message


def test_next_day_is_marked(check):
    f = check("Live at 9am Beijing time", "us", "show-time", date="2027-02-10")[0]
    assert fix_of(f) == "8:00 PM EST (Feb 9) / 5:00 PM PST (Feb 9)"


@pytest.mark.parametrize("text, market", [
    ("Live at 8 PM ET / 5 PM PT.", "us"),
    ("Wir starten um 20:00 Uhr (MEZ).", "de"),
    ("Live at 8pm your local time.", "us"),
    ("Live pukul 20.00 WIB", "id"),
    ("Ao vivo às 20h (horário de Brasília)", "br"),
    ("配信は20時（日本時間）から", "jp"),
    ("Price 19.99 and 3点原因", "us"),
    ("at 8pm CST", "us"),  # US Central in North America
])
def test_show_times_that_are_fine(check, text, market):
    assert check(text, market, "show-time", date="2027-02-10") == []


@pytest.mark.parametrize("text, expected", [
    ("ไลฟ์สดคืนนี้ 20.00 น. เวลาปักกิ่ง", ("20.00 น. เวลาปักกิ่ง", "19:00")),  # the clock suffix, then the zone
    ("ไลฟ์สดคืนนี้ 2 ทุ่ม เวลาปักกิ่ง", ("2 ทุ่ม เวลาปักกิ่ง", "19:00")),  # 2 ทุ่ม: the second hour of the night, 8 pm
    ("ไลฟ์ บ่าย 3 โมง เวลาปักกิ่ง", ("บ่าย 3 โมง เวลาปักกิ่ง", "14:00")),
])
def test_thai_clock_in_beijing_time(check, text, expected):
    f = check(text, "th", "show-time", date="2027-02-10")[0]
    assert f.text == expected[0] and fix_of(f).startswith(expected[1]) and "seller" in f.message


@pytest.mark.parametrize("text, market, expected", [
    ("Live jam 8 malam waktu Beijing", "id", ("8 malam waktu Beijing", "19.00 WIB")),
    ("Live tối nay lúc 8 giờ giờ Bắc Kinh", "us", ("8 giờ giờ Bắc Kinh", "7:00 AM EST")),
    ("今晚9点（北京时间）直播", "de", ("今晚9点（北京时间）", "14:00 MEZ")),
])
def test_southeast_asian_clock_words(check, text, market, expected):
    f = check(text, market, "show-time", date="2027-02-10")[0]
    assert f.text == expected[0] and fix_of(f).startswith(expected[1])


@pytest.mark.parametrize("text, market", [
    ("Live at 9pm Manila time", "ph"), ("今晚9点（新加坡时间）直播", "sg"), ("Live pukul 9 malam ni (MYT)!", "my"),
    ("Giao hàng trong 3 giờ", "vn"),  # a duration, not a show time
])
def test_southeast_asian_zones_that_are_fine(text, market):
    from culture_lint import lint_text, make_linter

    linter = make_linter([market], select=["localization"], metadata={"date": "2027-02-10"})
    assert [f.rule for f in lint_text(text, filename="t.txt", linter=linter) if f.rule.endswith("show-time")] == []


@pytest.mark.parametrize("text", ["ไลฟ์สดคืนนี้ 2 ทุ่ม", "ไลฟ์สดคืนนี้ 20.00 น.", "เริ่ม 5 โมงเย็น"])
def test_thai_clock_alone_is_the_viewers_time(check, text):
    assert check(text, "th", "show-time", date="2027-02-10") == []


def test_cst_means_china_outside_north_america(check):
    assert fix_of(check("at 8pm CST", "de", "show-time", date="2027-02-10")[0]) == "13:00 MEZ"


# ------------------------------------------------------------------------------------------ prices


def test_foreign_currency_for_de(check):
    f = check("Only $19.99 today!", "de", "currency")[0]
    assert f.text == "$19.99" and fix_of(f) == "19,99 €"
    assert not f.suggestions[0].safe
    assert "USD" in f.message and "EUR" in f.message


def test_chinese_price_for_us_has_no_fake_conversion(check):
    f = check("只要199元", "us", "currency")[0]
    assert f.text == "199元" and f.suggestions[0].edit is None
    assert "$1,299.99" in f.message


@pytest.mark.parametrize("text, market, expected", [
    ("Nur 19.99 € heute", "de", "19,99 €"),
    ("Nur €19,99 heute", "de", "19,99 €"),
    ("Just ₹129,999 for the set", "in", "₹1,29,999"),
    ("Harga Rp1,299,000 saja", "id", "Rp1.299.000"),
    ("Only $19,99!", "us", "$19.99"),
])
def test_price_format(check, text, market, expected):
    f = check(text, market, "currency")[0]
    assert fix_of(f) == expected and f.suggestions[0].safe


@pytest.mark.parametrize("text, market", [
    ("Nur 19,99 € heute", "de"),
    ("Nur 1.299,99 € heute", "de"),
    ("Only $1,299.99 today", "us"),
    ("Just ₹1,29,999 for the set", "in"),
    ("Harga Rp1.299.000 saja", "id"),
    ("たった1,299円", "jp"),
    ("Por R$ 1.299,99", "br"),
    ("Only 19.99 dollars", "us"),
])
def test_prices_that_are_fine(check, text, market):
    assert check(text, market, "currency") == []


def test_accept_lists_extra_currencies(tmp_path, linters):
    pack = tmp_path / "p"
    write(pack / "ae" / "pack.yaml", "pack: ae\nkind: market\nname: {en: UAE, zh: 阿联酋}\nlanguages: [en]\n"
          "locale: en_AE\ncurrency: AED\ntimezones: [Asia/Dubai]\n")
    write(pack / "ae" / "l.yaml", """rules:
  - id: ae.localization.currency
    category: localization
    severity: warning
    kind: localization
    check: currency
    accept: [USD]
    message: {en: "{problem}", zh: "{problem}"}
    why: {en: "x", zh: "x"}
    tests:
      flag: ["Only €19.99"]
      pass: ["Only $19.99", "Only AED 19.99"]
""")
    code, out, err = cli("rules", "test", pack)
    assert code == 0, out + err


def test_safe_price_fix_is_applied(tmp_path):
    script = write(tmp_path / "show.txt", "Nur 19.99 € heute!\n")
    code, out, err = cli("fix", script, "-m", "de", "--rules", PACKS, "--no-config", "--select", "global.localization")
    assert script.read_text(encoding="utf-8") == "Nur 19,99 € heute!\n", out + err


# ------------------------------------------------------------------------------------------ dates


def test_ambiguous_date(check):
    f = check("The sale ends 03/04/2027.", "de", "date-format")[0]
    assert f.text == "03/04/2027" and fix_of(f) == "3. April 2027"
    assert "4. März 2027" in f.message
    us = check("The sale ends 03/04/2027.", "us", "date-format")[0]
    assert fix_of(us) == "March 4, 2027"


def test_date_in_the_wrong_order(check):
    f = check("Delivery by 25/12/2027.", "us", "date-format")[0]
    assert fix_of(f) == "December 25, 2027" and "day first" in f.message
    f = check("Delivery by 12/25/2027.", "in", "date-format")[0]
    assert fix_of(f) == "25 December 2027" and "month first" in f.message


@pytest.mark.parametrize("text, market", [
    ("Delivery by 25/12/2027.", "de"),
    ("Delivery by 25.12.2027.", "de"),
    ("Ends 2027-04-03", "us"),
    ("Ends 04/04/2027", "us"),
    ("Ratio 3/4 cup", "us"),
    ("Ends 3 April 2027", "de"),
])
def test_dates_that_are_fine(check, text, market):
    assert check(text, market, "date-format") == []


# ------------------------------------------------------------------------------------------ units


@pytest.mark.parametrize("text, market, expected", [
    ("This bag holds 5 lbs of rice.", "de", "5 lbs (2,3 kg)"),
    ("A 12\" pan", "de", '12" (30,5 cm)'),
    ("She is 5'4\" tall", "br", "5'4\" (163 cm)"),
    ("Bake at 350°F", "de", "350°F (177 °C)"),
    ("It weighs 2.3 kg.", "us", "2.3 kg (5.1 lb)"),
    ("A 50ml bottle", "us", "50ml (1.7 fl oz)"),
    ("一袋3斤", "jp", "1.5 kg"),
    ("3斤装", "us", "3.3 lb"),
])
def test_units_converted(check, text, market, expected):
    found = check(text, market, "units")
    assert [fix_of(f) for f in found] == [expected]


@pytest.mark.parametrize("text, market", [
    ("This bag holds 5 lbs (2.3 kg) of rice.", "de"),
    ("It weighs 2.3 kg / 5 lb.", "us"),
    ("It weighs 2,3 kg.", "de"),
    ("New 5G phone, in stock", "de"),
    ("尺码M，两件包邮", "jp"),
])
def test_units_that_are_fine(check, text, market):
    assert check(text, market, "units") == []


# ------------------------------------------------------------------------------------------ sizes


def test_sizes_in_one_system(check):
    f = check("I'm wearing size M.", "us", "sizes")[0]
    assert f.text == "size M" and "cm and inches" in f.message and f.suggestions[0].edit is None
    assert check("这双鞋38码", "de", "sizes")[0].text == "38码"


@pytest.mark.parametrize("text, market", [
    ("I'm wearing size M (chest 96 cm / 38 in).", "us"),
    ("EU 38 is US 7.", "us"),
    ("Size M — see the size chart below.", "de"),
    ("Nothing about sizes here.", "de"),
])
def test_sizes_that_are_fine(check, text, market):
    assert check(text, market, "sizes") == []


# ------------------------------------------------------------------------------------------ end to end


def test_json_report_validates_and_points_into_the_file(tmp_path):
    import jsonschema

    script = write(tmp_path / "show.md", "---\ndate: 2027-02-10\n---\n"
                   "Welcome! Live at 8pm, only $19.99.\nThis bag holds 5 lbs, ends 03/04/2027, size M.\n")
    code, out, err = run_cli("check", script, "-m", "de,us", "--rules", PACKS, "--no-config", "--format", "json")
    assert code in (0, 1), err
    report = json.loads(out)
    jsonschema.validate(report, json.loads(OUTPUT_SCHEMA.read_text(encoding="utf-8")))
    source = script.read_text(encoding="utf-8").splitlines()
    found = report["files"][0]["findings"]
    loc = {(f["rule"].rsplit(".", 1)[1], f["market"]): f for f in found if f["category"] == "localization"}
    assert {"show-time", "currency", "units", "date-format", "sizes"} <= {k for k, _m in loc}
    for f in loc.values():  # every span is exactly the reported text
        line = source[f["line"] - 1]
        assert line[f["column"] - 1:f["end_column"] - 1] == f["text"]
    assert loc[("currency", "de")]["suggestions"][0]["replacement"] == "19,99 €"
    assert ("currency", "us") not in loc


def test_messages_follow_the_interface_language(tmp_path):
    code, out, err = cli("check", "-", "-m", "de", "--rules", PACKS, "--no-config", "--lang", "zh",
                         "--select", "global.localization.currency", input="Only $19.99!\n")
    assert "“$19.99”的价格是USD" in out, out


def test_localization_rule_without_market_data_is_silent(tmp_path):
    """A market pack without currency, time zones or locale: the checks have nothing to compare with."""
    pack = tmp_path / "p"
    write(pack / "xx" / "pack.yaml", "pack: xx\nkind: market\nname: {en: X, zh: X}\nlanguages: [en]\n")
    code, out, err = cli("check", "-", "-m", "xx", "--rules", PACKS, "--rules", pack, "--no-config",
                         "--select", "global.localization.currency,global.localization.show-time",
                         "--format", "json", input="Live at 8pm, only $19.99!\n")
    assert json.loads(out)["files"][0]["findings"] == [], out + err
