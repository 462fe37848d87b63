"""Calendars: `culture-lint calendar` (text, json, ics), the 2027 dates checked against the libraries,
calendar-scoped rules (`when: {periods, outside_periods, near_days, local_time}`), the `calendar` rule
kind and the validation of all of it.

Test packs: tests/packs/calendar (global + us, de, sa, id, th, br, jp, in)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TESTS, cli, run_cli, spans, write

PACKS = TESTS / "packs" / "calendar"
SEVEN = "sa,id,th,us,br,jp,in"


# ------------------------------------------------------------------------------------------ helpers


@pytest.fixture(scope="module")
def year_2027():
    """`culture-lint calendar` for the seven markets over 2027, as JSON, through the real CLI."""
    code, out, err = run_cli("calendar", "-m", SEVEN, "--from", "2027-01-01", "--days", "365", "--format", "json",
                             "--rules", PACKS, "--no-config")
    assert code == 0, err
    return json.loads(out)


def periods(data, pid, market):
    return [p for p in data["periods"] if p["id"] == pid and market in p["markets"]]


def one(data, pid, market):
    found = periods(data, pid, market)
    assert len(found) == 1, (pid, market, found)
    return found[0]


@pytest.fixture(scope="module")
def linters():
    from culture_lint import make_linter

    cache = {}

    def get(market):
        if market not in cache:
            cache[market] = make_linter([market], rules_dirs=[PACKS])
        return cache[market]

    return get


def lint(linters, text, market, filename="t.txt", **meta):
    from culture_lint import lint_text

    linter = linters(market)
    linter.options.metadata = {}
    doc_text = text
    if meta:
        front = "".join(f"{k}: {v!r}\n" if isinstance(v, str) else f"{k}: {v}\n" for k, v in meta.items())
        doc_text = f"---\n{front}---\n{text}"
    return lint_text(doc_text, filename=filename if not meta else "t.md", linter=linter)


def rules(findings):
    return sorted({f.rule for f in findings})


# ------------------------------------------------------------------------------------------ 2027 dates


def test_ramadan_and_eid_2027_follow_umm_al_qura(year_2027):
    from hijridate import Hijri

    ramadan = one(year_2027, "ramadan", "sa")
    first = Hijri(1448, 9, 1).to_gregorian()
    shawwal = Hijri(1448, 10, 1).to_gregorian()
    assert ramadan["start"] == str(first) == "2027-02-08"
    assert dt.date.fromisoformat(ramadan["end"]) == dt.date(shawwal.year, shawwal.month, shawwal.day) - dt.timedelta(1)
    eid = one(year_2027, "eid_al_fitr", "sa")
    assert eid["start"] == str(shawwal) == "2027-03-09"
    assert eid["calendar"] == "umm_al_qura"
    assert any("may differ by a day" in n for n in eid["notes"])
    # the Saudi public holiday (holidays library) agrees and is attached to the period
    assert any(h["date"] == "2027-03-09" and h["market"] == "sa" for h in eid["public_holidays"])


def test_indonesia_uses_mabims_and_says_so(year_2027):
    import holidays

    eid = one(year_2027, "eid_al_fitr", "id")
    assert eid["calendar"] == "mabims"
    official = sorted(d for d, name in holidays.country_holidays("ID", years=2027, language="en_US").items()
                      if name.startswith("Eid al-Fitr"))
    assert eid["start"] == str(official[0]) == "2027-03-10"
    ramadan = one(year_2027, "ramadan", "id")
    assert ramadan["end"] == "2027-03-09"  # the day before Lebaran
    assert any("sighting" in n for n in ramadan["notes"])


def test_songkran_golden_week_black_friday_carnival_diwali_2027(year_2027):
    import holidays
    from dateutil.easter import easter

    songkran = one(year_2027, "songkran", "th")
    assert (songkran["start"], songkran["end"]) == ("2027-04-13", "2027-04-15")
    th = holidays.country_holidays("TH", years=2027, language="en_US")
    assert {str(d) for d, n in th.items() if "Songkran" in n} == {"2027-04-13", "2027-04-14", "2027-04-15"}

    golden = one(year_2027, "golden_week", "jp")
    assert (golden["start"], golden["end"]) == ("2027-04-29", "2027-05-05")
    jp = holidays.country_holidays("JP", years=2027, language="en_US")
    assert str(min(d for d, n in jp.items() if "Showa" in n)) == golden["start"]

    bf = one(year_2027, "black_friday", "us")
    thanksgiving = next(d for d, n in holidays.country_holidays("US", years=2027).items() if "Thanksgiving" in n)
    assert bf["start"] == str(thanksgiving + dt.timedelta(days=1)) == "2027-11-26"
    assert "br" in bf["markets"]

    carnival = one(year_2027, "carnaval", "br")
    tuesday = easter(2027) - dt.timedelta(days=47)
    assert carnival["end"] == str(tuesday) == "2027-02-09"
    assert carnival["start"] <= "2027-02-08" <= carnival["end"]

    diwali = one(year_2027, "diwali", "in")
    india = holidays.country_holidays("IN", years=2027, language="en_US")
    assert diwali["main_day"] == str(next(d for d, n in india.items() if n == "Diwali")) == "2027-10-29"
    assert diwali["start"] == "2027-10-27" and diwali["end"] == "2027-10-31"  # Dhanteras to Bhai Dooj


def test_other_lunisolar_days_2027(year_2027):
    import holidays

    nyepi = one(year_2027, "nyepi", "id")
    silence = next(d for d, n in holidays.country_holidays("ID", years=2027, language="en_US").items()
                   if "Silence" in n)
    assert nyepi["start"] == str(silence) == "2027-03-08"
    assert nyepi["kind"] == "silence" and nyepi["kind_label"] == "mourning/silence day"
    assert one(year_2027, "lunar_new_year", "id")["start"] == "2027-02-06"
    holy = periods(year_2027, "buddhist_holy_days", "th")
    assert {p["label"]: p["start"] for p in holy}["makha_bucha"] == "2027-02-21"


def test_public_holidays_and_kinds_listed(year_2027):
    kinds = {p["kind_label"] for p in year_2027["periods"]}
    assert {"public holiday", "religious period", "shopping festival", "mourning/silence day"} <= kinds
    assert any(p["name"] == "Thanksgiving Day" and p["kind"] == "public_holiday" for p in year_2027["periods"])
    assert {a["id"] for a in year_2027["announced"]} >= {"prime_day", "national_mourning"}
    # a pack's own festival (th) and announced dates (id: national mourning) are listed
    assert one(year_2027, "th_mother_day_sale", "th")["start"] == "2027-08-12"
    assert one(year_2027, "national_mourning", "id")["start"] == "2027-01-10"


def test_calendar_text_output():
    code, out, err = cli("calendar", "-m", "sa", "--from", "2027-02-01", "--days", "60", "--rules", PACKS, "--no-config")
    assert code == 0, err
    assert "2027-02-08 – 2027-03-08" in out and "Ramadan" in out and "[religious period]" in out
    assert "may differ by a day" in out
    assert "schedule shows after iftar" in out  # guidance


def test_calendar_text_in_chinese():
    code, out, err = cli("calendar", "-m", "br", "--from", "2027-02-01", "--days", "20", "--rules", PACKS,
                         "--no-config", "--lang", "zh")
    assert code == 0, err
    assert "巴西狂欢节" in out and "观众都去看游行" in out


def test_calendar_ics_is_valid_rfc5545(tmp_path):
    import icalendar

    target = tmp_path / "cal.ics"
    code, out, err = run_cli("calendar", "-m", "sa,br", "--from", "2027-01-01", "--days", "365", "--format", "ics",
                             "--rules", PACKS, "--no-config", "-o", target)
    assert code == 0, err
    raw = target.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF everywhere
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded at 75 octets
    assert any(line.startswith(b" ") for line in raw.split(b"\r\n"))  # long descriptions did fold
    cal = icalendar.Calendar.from_ical(raw)
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    events = list(cal.walk("VEVENT"))
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    ramadan = next(e for e in events if str(e["SUMMARY"]).startswith("Ramadan"))
    assert ramadan["DTSTART"].params["VALUE"] == "DATE"
    assert ramadan.decoded("DTSTART") == dt.date(2027, 2, 8)
    assert ramadan.decoded("DTEND") == dt.date(2027, 3, 9)  # exclusive: the day after 8 March
    assert "DTSTAMP" in ramadan and "iftar" in str(ramadan["DESCRIPTION"])
    carnival = next(e for e in events if "Carnival" in str(e["SUMMARY"]))
    assert carnival.decoded("DTEND") - carnival.decoded("DTSTART") == dt.timedelta(days=4)


def test_ics_folding_never_splits_a_character():
    from culture_lint.calendar.ics import fold

    line = "DESCRIPTION:" + "斋月期间白天不要试吃" * 20
    folded = fold(line).encode("utf-8")
    parts = folded.split(b"\r\n")
    assert all(len(p) <= 75 for p in parts)
    assert b"".join(p[1:] if i else p for i, p in enumerate(parts)).decode("utf-8") == line


@pytest.mark.parametrize("args, message", [
    (["-m", "sa", "--from", "2027-13-01"], "--from must be YYYY-MM-DD"),
    (["-m", "saa"], "did you mean"),
    (["-m", "sa", "--format", "pdf"], "unknown format"),
    (["-m", "sa", "--days", "0"], "--days must be"),
    ([], "at least one market"),
])
def test_calendar_usage_errors_exit_2(args, message):
    code, out, err = cli("calendar", *args, "--rules", PACKS, "--no-config")
    assert code == 2
    assert message in err and "Traceback" not in err


# ------------------------------------------------------------------------------------------ calendar-scoped rules


def test_ramadan_rules_fire_only_in_ramadan(linters):
    text = "Let me taste it for you! Flash sale starts now!"
    inside = lint(linters, text, "sa", date="2027-02-15", start="14:00", timezone="Asia/Riyadh")
    assert {"sa.religious.ramadan-daytime-tasting", "sa.religious.ramadan-flash-sale"} <= set(rules(inside))
    outside = lint(linters, text, "sa", date="2027-04-15", start="14:00", timezone="Asia/Riyadh")
    assert not {r for r in rules(outside) if "ramadan" in r}
    undated = lint(linters, text, "sa")
    assert not {r for r in rules(undated) if "ramadan" in r}


def test_local_time_after_iftar_is_fine(linters):
    text = "Let me taste it for you!"
    evening = lint(linters, text, "sa", date="2027-02-15", start="21:30", timezone="Asia/Riyadh")
    assert "sa.religious.ramadan-daytime-tasting" not in rules(evening)
    # 19:00 Beijing time is 14:00 in Riyadh: daytime for the audience
    beijing = lint(linters, text, "sa", date="2027-02-15", start="19:00", timezone="Asia/Shanghai")
    assert "sa.religious.ramadan-daytime-tasting" in rules(beijing)


def test_outside_periods_and_near_days(linters):
    text = "Eid Mubarak, everyone!"
    assert "sa.holiday.eid-greeting-wrong-day" in rules(lint(linters, text, "sa", date="2027-06-20"))
    assert "sa.holiday.eid-greeting-wrong-day" not in rules(lint(linters, text, "sa", date="2027-03-10"))
    # three days before Eid al-Fitr (9 March) is near enough
    assert "sa.holiday.eid-greeting-wrong-day" not in rules(lint(linters, text, "sa", date="2027-03-06"))
    assert "sa.holiday.eid-greeting-wrong-day" in rules(lint(linters, text, "sa", date="2027-03-04"))


def test_silence_and_mourning_days(linters):
    assert "id.holiday.nyepi-bali-show" in rules(lint(linters, "Free delivery to Bali today!", "id", date="2027-03-08"))
    assert "id.holiday.nyepi-bali-show" not in rules(lint(linters, "Free delivery to Bali today!", "id",
                                                          date="2027-03-09"))
    # national mourning: the dates come from the id pack's `calendar.dates`
    assert "id.holiday.mourning-festive" in rules(lint(linters, "Let's party!", "id", date="2027-01-12"))
    assert "id.holiday.mourning-festive" not in rules(lint(linters, "Let's party!", "id", date="2027-01-13"))


def test_cli_date_flag_scopes_rules():
    code, out, err = cli("check", "-", "-m", "sa", "--rules", PACKS, "--no-config", "--date", "2027-03-01",
                         "--format", "json", input="Flash sale starts now!\n")
    assert code in (0, 1), err
    assert "sa.religious.ramadan-flash-sale" in {f["rule"] for f in json.loads(out)["files"][0]["findings"]}
    code, out, err = cli("check", "-", "-m", "sa", "--rules", PACKS, "--no-config", "--date", "2027-05-01",
                         "--format", "json", input="Flash sale starts now!\n")
    assert "sa.religious.ramadan-flash-sale" not in {f["rule"] for f in json.loads(out)["files"][0]["findings"]}


def test_structured_show_block_date(linters):
    from culture_lint import lint_text

    script = "show:\n  date: 2027-03-01\n  market: sa\nsegments:\n  - text: Flash sale starts now!\n"
    found = lint_text(script, filename="show.yaml", linter=linters("sa"))
    assert "sa.religious.ramadan-flash-sale" in rules(found)


def test_period_rule_is_evaluated_per_market(tmp_path):
    """A global rule scoped to Ramadan fires for sa but not for us on the same day."""
    pack = tmp_path / "packs"
    write(pack / "global" / "pack.yaml", "pack: global\nkind: global\nname: {en: G, zh: G}\nlanguages: [en]\n")
    write(pack / "global" / "r.yaml", """rules:
  - id: global.religious.ramadan-food
    category: religious
    severity: warning
    kind: forbid
    when: {periods: [ramadan]}
    message: {en: "x", zh: "x"}
    why: {en: "x", zh: "x"}
    patterns: {en: [tasting]}
    tests: {flag: [{text: "tasting", market: sa, date: "2027-02-20"}], pass: [{text: "tasting", market: us, date: "2027-02-20"}]}
""")
    for m in ("us", "sa"):
        write(pack / m / "pack.yaml", f"pack: {m}\nkind: market\nname: {{en: {m}, zh: {m}}}\nlanguages: [en]\n")
    code, out, err = cli("check", "-", "-m", "us,sa", "--rules", pack, "--no-config", "--date", "2027-02-20",
                         "--format", "json", input="Live tasting tonight\n")
    found = json.loads(out)["files"][0]["findings"]
    assert [(f["rule"], f["market"]) for f in found] == [("global.religious.ramadan-food", "sa")]
    code, out, err = cli("rules", "test", pack)
    assert code == 0, out + err


# ------------------------------------------------------------------------------------------ the calendar kind


def test_festival_named_with_wrong_date(linters):
    found = lint(linters, "Black Friday, Nov 30: everything 20% off!", "us", date="2027-11-01")
    hits = [f for f in found if f.rule == "global.holiday.festival-date"]
    assert len(hits) == 1
    f = hits[0]
    assert f.text == "Black Friday, Nov 30"
    assert "November 26, 2027" in f.message
    assert f.suggestions[0].replacement == "Black Friday, Nov 26"
    assert f.suggestions[0].edit is not None and not f.suggestions[0].safe


def test_festival_dates_other_forms(linters):
    def check(text, market="us", date="2027-11-01"):
        return [f for f in lint(linters, text, market, date=date) if f.rule == "global.holiday.festival-date"]

    zh = check("黑五11月30日开抢")
    assert zh and zh[0].text == "黑五11月30日" and zh[0].suggestions[0].replacement == "黑五11月26日"
    assert check("Black Friday (November 26, 2027) is here") == []
    assert check("Black Friday 2026 was on Nov 27")  == []  # 27 Nov 2026 was right
    year = check("Black Friday, November 30, 2027")
    assert year and year[0].suggestions[0].replacement == "Black Friday, November 26, 2027"
    assert check("Cyber Monday: 29/11") == []
    assert check("Thanksgiving sale, Nov 30") == []  # not a festival of the data
    # a Hijri festival: a day either side of the computed date is tolerated (moon sighting)
    assert [f for f in lint(linters, "Eid al-Fitr, March 10!", "sa", date="2027-03-01")
            if f.rule == "global.holiday.festival-date"] == []
    wrong = [f for f in lint(linters, "Eid al-Fitr, March 20!", "sa", date="2027-03-01")
             if f.rule == "global.holiday.festival-date"]
    assert wrong and "lunar date" in wrong[0].message


def test_missed_major_festival_is_info_with_suggestion(linters):
    found = [f for f in lint(linters, "Welcome back to the channel!", "us", date="2027-11-22")
             if f.rule == "global.holiday.missed-festival"]
    assert {f.severity for f in found} == {"info"}
    assert any("Black Friday" in f.message for f in found)
    bf = next(f for f in found if "Black Friday" in f.message)
    assert bf.line == 2 and bf.text == "date: '2027-11-22'"  # points at the front-matter date
    assert bf.suggestions and bf.suggestions[0].edit is None
    mentioned = lint(linters, "Black Friday deals and Cyber Monday bundles!", "us", date="2027-11-22")
    assert not [f for f in mentioned if f.rule == "global.holiday.missed-festival"]
    assert not [f for f in lint(linters, "Welcome!", "us") if f.rule == "global.holiday.missed-festival"]


def test_calendar_findings_in_srt_have_exact_spans():
    srt = ("1\n00:00:01,000 --> 00:00:04,000\nHello!\n\n"
           "2\n00:00:05,000 --> 00:00:09,000\nBlack Friday, Nov 30 is the day.\n")
    code, out, err = cli("check", "-", "--stdin-filename", "show.srt", "-m", "us", "--rules", PACKS,
                         "--no-config", "--date", "2027-11-01", "--format", "json", input=srt)
    found = json.loads(out)["files"][0]["findings"]
    assert spans([f for f in found if f["rule"] == "global.holiday.festival-date"]) == [
        ("global.holiday.festival-date", 7, 1, 7, 21)]
    assert found[0]["timestamp"] == "00:00:05.000" if found[0]["rule"] == "global.holiday.festival-date" else True


# ------------------------------------------------------------------------------------------ validation


def _pack(tmp_path, rule_yaml, pack_extra=""):
    pack = tmp_path / "p"
    write(pack / "zz" / "pack.yaml", "pack: zz\nkind: market\nname: {en: Z, zh: Z}\nlanguages: [en]\n" + pack_extra)
    write(pack / "zz" / "r.yaml", "rules:\n" + rule_yaml)
    return pack


RULE = """  - id: zz.holiday.x
    category: holiday
    severity: info
    kind: {kind}
    message: {{en: "x", zh: "x"}}
    why: {{en: "x", zh: "x"}}
{extra}
    tests: {{flag: ["x"], pass: ["y"]}}
"""


@pytest.mark.parametrize("kind, extra, message, line", [
    ("forbid", "    patterns: {en: [x]}\n    when: {periods: [ramadhan]}", "unknown period 'ramadhan'; did you mean 'ramadan'?", 9),
    ("forbid", "    patterns: {en: [x]}\n    when: {periods: [ramadan], near_days: 100}", "'when.near_days' must be", 9),
    ("forbid", "    patterns: {en: [x]}\n    when: {periods: [ramadan], local_time: {from: '25:00', to: '18:00'}}",
     "'when.local_time' must be", 9),
    ("forbid", "    patterns: {en: [x]}\n    when: {near_days: 2}", "needs 'periods'", 9),
    ("calendar", "    check: festival-dates", "'check' must be one of festival-date, missed-festival", 8),
    ("calendar", "    check: missed-festival\n    festivals: [black_fryday]", "unknown period 'black_fryday'", 9),
    ("localization", "    check: currency\n    accept: [usd]", "'accept' is for the currency check", 9),
    ("localization", "    check: units\n    window_days: 3", "unknown key 'window_days'", 9),
])
def test_invalid_calendar_rules_exit_2_with_location(tmp_path, kind, extra, message, line):
    pack = _pack(tmp_path, RULE.format(kind=kind, extra=extra))
    code, out, err = cli("rules", "validate", pack)
    assert code == 2, out + err
    assert message in err
    assert f"r.yaml:{line}:" in err


@pytest.mark.parametrize("calendar, message", [
    ("calendar: {hijri: lunar}", "'calendar.hijri' must be one of umm_al_qura, mabims"),
    ("calendar: {exclude: [ramadhan]}", "did you mean 'ramadan'?"),
    ("calendar: {dates: {prime_day: ['2027-07-40']}}", "'calendar.dates.prime_day' must be"),
    ("calendar: {festivals: [{id: x, names: {en: X}, kind: party, rule: {fixed: '13-01'}}]}", "'kind' must be one of"),
    ("calendar: {festivals: [{id: x, names: {en: X}, kind: shopping, rule: {fixed: '13-01'}}]}", "'fixed' must be"),
    ("calendar: {festivals: [{id: x, names: {en: X}, kind: shopping, rule: {lunisolar: {calendar: thai, month: 4, phase: full_moon}}}]}",
     "cannot be computed"),
    ("calendar: {holidays: true}", "unknown key 'holidays' in 'calendar'; did you mean 'public_holidays'?"),
])
def test_invalid_pack_calendar(tmp_path, calendar, message):
    pack = _pack(tmp_path, RULE.format(kind="forbid", extra="    patterns: {en: [x]}"), calendar + "\n")
    code, out, err = cli("rules", "validate", pack)
    assert code == 2, out + err
    assert message in err and "pack.yaml:" in err


def test_pack_defined_period_usable_in_when(tmp_path):
    extra = ("calendar:\n  festivals:\n    - {id: zz_fest, names: {en: Zed Fest}, kind: cultural, rule: {fixed: '07-07'}}\n")
    rule = RULE.format(kind="forbid", extra="    patterns: {en: [x]}\n    when: {periods: [zz_fest]}")
    rule = rule.replace('tests: {flag: ["x"], pass: ["y"]}',
                        'tests: {flag: [{text: "x", date: "2027-07-07"}], pass: [{text: "x", date: "2027-07-08"}]}')
    pack = _pack(tmp_path, rule, extra)
    code, out, err = cli("rules", "test", pack)
    assert code == 0, out + err


def test_test_pack_fixtures_pass():
    code, out, err = run_cli("rules", "test", PACKS)
    assert code == 0, out + err
    assert " 0 failed" in out


# ------------------------------------------------------------------------------------------ data and performance


def test_bundled_festival_data_is_valid_and_computable():
    from culture_lint.calendar.dates import occurrences
    from culture_lint.calendar.festivals import bundled

    data = bundled()
    assert len(data.festivals) >= 50
    for fest in data.festivals.values():
        assert fest.guidance.get("en") and fest.guidance.get("zh"), fest.id
        if fest.computable:
            found = occurrences(fest, dt.date(2027, 1, 1), dt.date(2027, 12, 31))
            assert found, fest.id


def test_reference_ids_are_all_in_the_data():
    """Every festival of the research notes has an entry (same id) in the bundled data."""
    import re

    reference = Path(__file__).resolve().parents[2] / "shared" / "reference" / "festivals.yaml"
    if not reference.is_file():
        pytest.skip("shared/reference not next to the checkout")
    from culture_lint.calendar.festivals import bundled

    ids = set(re.findall(r"^  - id: (\w+)", reference.read_text(encoding="utf-8"), re.M))
    assert ids and ids <= set(bundled().festivals)


def test_heavy_libraries_load_lazily():
    code = ("import sys, culture_lint.cli, culture_lint.engine, culture_lint.kinds;"
            "heavy = [m for m in ('holidays', 'hijridate', 'lunardate', 'babel.dates', 'babel.numbers') if m in sys.modules];"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_named_rules_public_holidays_and_kinds_as_periods(tmp_path):
    """`named:` reaches any holiday of the library's calendars; `public_holiday` and `kind:<kind>` are periods."""
    pack = tmp_path / "p"
    write(pack / "in" / "pack.yaml", """pack: in
kind: market
name: {en: India, zh: 印度}
languages: [en]
locale: en_IN
currency: INR
timezones: [Asia/Kolkata]
calendar:
  festivals:
    - {id: ganesh, names: {en: Ganesh Chaturthi}, kind: religious, rule: {named: {calendar: hindu, holiday: ganesh_chaturthi}}}
""")
    write(pack / "in" / "r.yaml", """rules:
  - id: in.holiday.festive
    category: holiday
    severity: info
    kind: forbid
    when: {periods: [ganesh, public_holiday, kind:silence]}
    message: {en: "x", zh: "x"}
    why: {en: "x", zh: "x"}
    patterns: {en: [mega sale]}
    tests:
      flag:
        - {text: "mega sale", date: "2027-09-04"}
        - {text: "mega sale", date: "2027-01-26"}
      pass:
        - {text: "mega sale", date: "2027-09-14"}
""")
    from holidays.calendars.hindu import _HinduLunisolar

    assert _HinduLunisolar().ganesh_chaturthi_date(2027)[0] == dt.date(2027, 9, 4)
    code, out, err = cli("rules", "test", pack)
    assert code == 0, out + err
    code, out, err = cli("calendar", "-m", "in", "--rules", pack, "--no-config", "--from", "2027-09-01",
                         "--days", "10", "--format", "json")
    assert [p["start"] for p in json.loads(out)["periods"] if p["id"] == "ganesh"] == ["2027-09-04"]


def test_library_api_without_registry():
    """`_applies` with no registry falls back to the bundled data for the rule's pack."""
    from culture_lint.engine import _applies
    from culture_lint.models import Document
    from culture_lint.packs.model import Rule

    rule = Rule(id="sa.x", pack="sa", category="religious", severity="info", kind="forbid", message={}, why={},
                when={"periods": ["ramadan"]})
    doc = Document(path="t", source="", segments=[], metadata={"date": "2027-02-20"})
    assert _applies(rule, doc)
    doc.metadata["date"] = dt.date(2027, 4, 20)
    assert not _applies(rule, doc)


def test_unquoted_front_matter_time(linters):
    """YAML 1.1 reads `start: 19:00` as the number 1140: it still means 19:00."""
    from culture_lint import lint_text

    text = "---\ndate: 2027-02-15\nstart: 19:00\ntimezone: Asia/Shanghai\n---\nLet me taste it for you!\n"
    found = lint_text(text, filename="s.md", linter=linters("sa"))
    assert "sa.religious.ramadan-daytime-tasting" in rules(found)
    late = text.replace("19:00", "23:30")  # 18:30 in Riyadh: after sunset
    assert "sa.religious.ramadan-daytime-tasting" not in rules(lint_text(late, filename="s.md", linter=linters("sa")))


# ------------------------------------------------------------------------------------------ 22 markets


ALL_MARKETS = "ae,au,br,ca,de,es,fr,gb,id,in,it,jp,kr,mx,my,nl,ph,sa,sg,th,us,vn"


@pytest.fixture(scope="module")
def all_2027():
    code, out, err = run_cli("calendar", "-m", ALL_MARKETS, "--from", "2027-01-01", "--days", "365", "--format",
                             "json", "--no-config")
    assert code == 0, err
    return json.loads(out)


def _independent_2027():
    """(market, occasion id, first day in 2027) from sources that do not share our date rules: the public
    holidays of the `holidays` package looked up by name, hijridate, dateutil's Easter, and published dates."""
    import holidays
    from dateutil.easter import easter
    from hijridate import Hijri

    def named(country, fragment, exact=False):
        return min(d for d, n in holidays.country_holidays(country, years=2027, language="en_US").items()
                   if (n == fragment if exact else fragment in n))

    shawwal = Hijri(1448, 10, 1).to_gregorian()
    ramadan = Hijri(1448, 9, 1).to_gregorian()
    thanksgiving = named("US", "Thanksgiving")
    return [
        ("ae", "eid_al_fitr", dt.date(shawwal.year, shawwal.month, shawwal.day)),
        ("au", "anzac_day", named("AU", "ANZAC")),
        ("br", "carnaval", easter(2027) - dt.timedelta(days=50)),  # Saturday before Ash Wednesday
        ("ca", "christmas", named("CA", "Christmas")),
        ("de", "de_karfreitag", named("DE", "Good Friday")),
        ("es", "black_friday", thanksgiving + dt.timedelta(days=1)),
        ("fr", "soldes_hiver", dt.date(2027, 1, 6)),  # economie.gouv.fr: soldes d'hiver 2027 from Wed 6 January
        ("gb", "boxing_day", named("GB", "Boxing")),
        ("id", "nyepi", named("ID", "Silence")),
        ("in", "holi", named("IN", "Holi", exact=True)),
        ("it", "ferragosto", named("IT", "Assumption")),
        ("jp", "golden_week", named("JP", "Showa")),
        ("kr", "seollal", named("KR", "preceding Korean New Year")),
        ("kr", "chuseok", named("KR", "preceding Chuseok")),
        ("mx", "dia_de_las_madres_mx", dt.date(2027, 5, 10)),  # always 10 May in Mexico
        ("my", "eid_al_fitr", named("MY", "Eid al-Fitr")),
        ("nl", "koningsdag", named("NL", "King's Day")),
        ("ph", "ph_holy_week", named("PH", "Maundy Thursday")),
        ("sa", "ramadan", dt.date(ramadan.year, ramadan.month, ramadan.day)),
        ("sg", "lunar_new_year", named("SG", "Chinese New Year")),
        ("th", "songkran", named("TH", "Songkran")),
        ("us", "us_memorial_day", named("US", "Memorial Day")),
        ("vn", "lunar_new_year", named("VN", "Lunar New Year", exact=True)),
    ]


def test_every_market_lists_its_occasions_with_independently_checked_dates(all_2027):
    listed = {}
    for p in all_2027["periods"]:
        for m in p["markets"]:
            listed.setdefault((m, p["id"]), []).append((p["start"], p["end"], p["main_day"]))
    for market, pid, day in _independent_2027():
        found = listed.get((market, pid), [])
        # the independent date opens the period, or is its main day (Holi after Holika Dahan)
        assert any(str(day) in (start, main) for start, _end, main in found), (market, pid, day, found)
    markets = {m for m, _pid in listed}
    assert markets == set(ALL_MARKETS.split(","))
    for market in markets:  # public holidays aside, every market has occasions of its own
        assert sum(1 for (m, pid) in listed if m == market and pid != "public_holiday") >= 3, market


@pytest.mark.parametrize("text, span, fix", [
    ("Black Friday (Nov 30): 50% off!", "Black Friday (Nov 30)", "Black Friday (Nov 26)"),
    ("[Black Friday] Nov 30 sale", "[Black Friday] Nov 30", "[Black Friday] Nov 26"),
    ("【Black Friday】11/30 sale", "【Black Friday】11/30", "【Black Friday】11/26"),
    ("黑五（11月30日）大促", "黑五（11月30日）", "黑五（11月26日）"),
    ("《黑色星期五》11月30日", "《黑色星期五》11月30日", "《黑色星期五》11月26日"),
])
def test_festival_date_in_brackets_keeps_them(text, span, fix):
    from culture_lint import lint_text, make_linter

    linter = make_linter(["us"], metadata={"date": "2027-11-01"})
    found = [f for f in lint_text(text, filename="t.txt", linter=linter) if f.rule == "us.holiday.festival-date"]
    assert [f.text for f in found] == [span]
    assert found[0].suggestions[0].replacement == fix


@pytest.mark.parametrize("date, year", [("2027-11-01", 2027), ("2028-10-20", 2028)])
def test_yearless_festival_date_is_read_in_the_show_year(date, year):
    from culture_lint import lint_text, make_linter

    linter = make_linter(["us"], metadata={"date": date})
    found = [f for f in lint_text("Black Friday, Nov 30: 50% off!", filename="t.txt", linter=linter)
             if f.rule == "us.holiday.festival-date"]
    assert len(found) == 1 and f"Black Friday {year}" in found[0].message
