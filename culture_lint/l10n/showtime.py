"""Show times in a script ("live at 8pm", "北京时间今晚8点", "20:00 Uhr") and the zone they are given in."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from dataclasses import dataclass

# zone wordings → IANA zone, a fixed "UTC±H[:MM]" offset, or "local" (the audience's own time)
ZONE_WORDS: dict[str, str] = {
    # the seller's side (China and neighbours)
    "beijing time": "Asia/Shanghai", "china time": "Asia/Shanghai", "china standard time": "Asia/Shanghai",
    "北京时间": "Asia/Shanghai", "北京時間": "Asia/Shanghai", "中国时间": "Asia/Shanghai", "国内时间": "Asia/Shanghai",
    "beijing": "Asia/Shanghai", "waktu beijing": "Asia/Shanghai", "waktu china": "Asia/Shanghai",
    "waktu cina": "Asia/Shanghai", "jam beijing": "Asia/Shanghai", "masa beijing": "Asia/Shanghai",
    "horário de pequim": "Asia/Shanghai", "hora de pequim": "Asia/Shanghai", "hora de pekín": "Asia/Shanghai",
    "hora de beijing": "Asia/Shanghai", "heure de pékin": "Asia/Shanghai", "pekinger zeit": "Asia/Shanghai",
    "peking-zeit": "Asia/Shanghai", "giờ bắc kinh": "Asia/Shanghai", "เวลาปักกิ่ง": "Asia/Shanghai",
    "بتوقيت بكين": "Asia/Shanghai", "توقيت بكين": "Asia/Shanghai", "北京時間で": "Asia/Shanghai",
    "cst": "CST",  # China Standard Time, or US Central in North America: resolved per market
    "hong kong time": "Asia/Hong_Kong", "hkt": "Asia/Hong_Kong", "香港时间": "Asia/Hong_Kong",
    "taipei time": "Asia/Taipei", "台北时间": "Asia/Taipei",
    # Americas
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York", "eastern": "America/New_York",
    "eastern time": "America/New_York", "ct": "America/Chicago", "cdt": "America/Chicago", "central time":
    "America/Chicago", "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles", "pacific time": "America/Los_Angeles", "美东时间": "America/New_York",
    "美西时间": "America/Los_Angeles", "brt": "America/Sao_Paulo", "horário de brasília": "America/Sao_Paulo",
    "horario de brasilia": "America/Sao_Paulo", "hora de brasília": "America/Sao_Paulo",
    "hora del centro": "America/Mexico_City", "hora cdmx": "America/Mexico_City",
    "hora de la ciudad de méxico": "America/Mexico_City", "hora de méxico": "America/Mexico_City",
    "tiempo del centro": "America/Mexico_City",
    # Europe
    "uk time": "Europe/London", "bst": "Europe/London", "gmt": "UTC+0", "utc": "UTC+0", "london time": "Europe/London",
    "cet": "Europe/Berlin", "cest": "Europe/Berlin", "mez": "Europe/Berlin", "mesz": "Europe/Berlin",
    "heure de paris": "Europe/Paris", "hora peninsular": "Europe/Madrid", "ora italiana": "Europe/Rome",
    "nederlandse tijd": "Europe/Amsterdam", "amsterdamse tijd": "Europe/Amsterdam", "hora de madrid": "Europe/Madrid",
    "hora española": "Europe/Madrid", "deutscher zeit": "Europe/Berlin", "deutsche zeit": "Europe/Berlin",
    "heure française": "Europe/Paris", "ora di roma": "Europe/Rome",
    "ora di pechino": "Asia/Shanghai", "pekingtijd": "Asia/Shanghai", "chinese tijd": "Asia/Shanghai",
    "hora china": "Asia/Shanghai", "中国時間": "Asia/Shanghai", "베이징 시간": "Asia/Shanghai",
    "중국 시간": "Asia/Shanghai",
    # Middle East
    "ksa": "Asia/Riyadh", "ksa time": "Asia/Riyadh", "saudi time": "Asia/Riyadh", "riyadh time": "Asia/Riyadh",
    "mecca time": "Asia/Riyadh", "بتوقيت مكة": "Asia/Riyadh", "توقيت مكة": "Asia/Riyadh",
    "بتوقيت السعودية": "Asia/Riyadh", "uae time": "Asia/Dubai", "dubai time": "Asia/Dubai", "gst": "Asia/Dubai",
    "بتوقيت الإمارات": "Asia/Dubai",
    # babel's Arabic zone names (get_timezone_location), as the suggestions write them
    "توقيت المملكة العربية السعودية": "Asia/Riyadh", "توقيت الإمارات العربية المتحدة": "Asia/Dubai",
    "توقيت الكويت": "Asia/Kuwait", "توقيت قطر": "Asia/Qatar", "توقيت البحرين": "Asia/Bahrain",
    "توقيت عُمان": "Asia/Muscat",
    # Asia-Pacific
    "wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura", "myt": "Asia/Kuala_Lumpur",
    "malaysia time": "Asia/Kuala_Lumpur", "sgt": "Asia/Singapore", "singapore time": "Asia/Singapore",
    "pht": "Asia/Manila", "philippine time": "Asia/Manila", "ict": "Asia/Bangkok", "thai time": "Asia/Bangkok",
    "bangkok time": "Asia/Bangkok", "เวลาไทย": "Asia/Bangkok", "น.": "local", "giờ việt nam": "Asia/Ho_Chi_Minh",
    "vietnam time": "Asia/Ho_Chi_Minh", "manila time": "Asia/Manila", "philippines time": "Asia/Manila",
    "oras sa pilipinas": "Asia/Manila", "新加坡时间": "Asia/Singapore", "新加坡時間": "Asia/Singapore",
    "马来西亚时间": "Asia/Kuala_Lumpur", "馬來西亞時間": "Asia/Kuala_Lumpur", "大马时间": "Asia/Kuala_Lumpur",
    "泰国时间": "Asia/Bangkok", "泰國時間": "Asia/Bangkok", "越南时间": "Asia/Ho_Chi_Minh", "越南時間": "Asia/Ho_Chi_Minh",
    "印尼时间": "Asia/Jakarta", "雅加达时间": "Asia/Jakarta", "菲律宾时间": "Asia/Manila", "菲律賓時間": "Asia/Manila",
    "waktu malaysia": "Asia/Kuala_Lumpur", "waktu singapura": "Asia/Singapore", "kuala lumpur time": "Asia/Kuala_Lumpur",
    "jakarta time": "Asia/Jakarta", "jst": "Asia/Tokyo", "japan time": "Asia/Tokyo", "日本時間": "Asia/Tokyo",
    "日本时间": "Asia/Tokyo", "kst": "Asia/Seoul", "korea time": "Asia/Seoul", "한국시간": "Asia/Seoul",
    "한국 시간": "Asia/Seoul", "ist": "Asia/Kolkata", "india time": "Asia/Kolkata", "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney", "aet": "Australia/Sydney", "sydney time": "Australia/Sydney",
    "awst": "Australia/Perth",
    # the viewer's own time
    "local time": "local", "your time": "local", "your local time": "local", "当地时间": "local",
    "hora local": "local", "heure locale": "local", "ortszeit": "local", "waktu setempat": "local",
    "giờ địa phương": "local", "現地時間": "local", "현지 시간": "local", "التوقيت المحلي": "local",
}
OFFSET_RE = r"(?:utc|gmt)\s?[+−-]\s?\d{1,2}(?::?\d{2})?"
ZONE_LABELS = {"Asia/Kolkata": "IST", "Asia/Bangkok": "ICT", "Asia/Seoul": "KST", "Asia/Riyadh": "KSA",
               "Asia/Dubai": "UAE", "Asia/Manila": "PHT", "Asia/Ho_Chi_Minh": "ICT", "Asia/Shanghai": "Beijing time",
               "Asia/Hong_Kong": "Hong Kong time", "Asia/Taipei": "Taipei time"}
SELLER_ZONES = {"Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei"}
PM_WORDS = ("今晚", "今天晚上", "明晚", "明天晚上", "晚上", "下午", "傍晚", "夜里", "午後", "오후", "밤", "저녁")
AM_WORDS = ("上午", "早上", "今早", "明早", "凌晨", "午前", "오전")
CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

_TIME = re.compile(
    r"(?P<ampm>(?<![\w:.])(?P<h1>1[0-2]|0?[1-9])(?::(?P<m1>[0-5]\d))?\s?(?P<ap>a\.?m\.?|p\.?m\.?)(?![\w]))"
    # Arabic "8 مساءً" / "3:00 م" (pm), "10 صباحاً" / "10:00 ص" (am), before the 24-hour clock
    r"|(?P<ar>(?<![\w:.])(?P<h9>1[0-2]|0?[1-9])(?::(?P<m9>[0-5]\d))?\s*(?P<arp>مساءً|مساءا|مساء|صباحاً|صباحًا|صباحا|صباح|م|ص)(?!\w))"
    r"|(?P<h24>(?<![\w:.\[+\-−/])(?P<h2>[01]?\d|2[0-3])(?:[:h](?P<m2>[0-5]\d)|\.(?P<m3>[0-5]\d)(?=\s*(?:WIB|WITA|WIT|uur|น)))"
    r"(?![\d:\]])(?:\s?(?:uhr|uur|hrs|horas|h(?!\w)))?)"
    r"|(?P<dot>(?:(?<=jam )|(?<=pukul )|(?<=pkl )|(?<=pkl\. )|(?<=om )|(?<=ore ))(?P<h6>[01]?\d|2[0-3])\.(?P<m6>[0-5]\d)(?!\d))"
    r"|(?P<hh>(?<![\w:.])(?P<h4>[01]?\d|2[0-3])\s?(?:h|uhr|heures?)(?!\w))"
    r"|(?P<cjk>(?P<pre>今晚|今天晚上|明晚|明天晚上|晚上|下午|傍晚|上午|早上|今早|明早|凌晨|中午|午後|午前|오후|오전|오늘\s?밤|저녁|밤)?\s*"
    r"(?P<h3>\d{1,2}|[一二两三四五六七八九十]{1,3})\s*(?:[点點时時시])(?:\s*(?P<m4>\d{1,2})\s*分|(?P<half>半)|(?P<m5>\d{2}))?)"
    # Malay/Indonesian "jam 8 malam" (8 pm), "pukul 7.30 pagi"; Vietnamese "8 giờ tối", "lúc 20 giờ 30"
    r"|(?P<mywords>(?:(?<=jam )|(?<=pukul )|(?<=pkl ))(?P<h7>[01]?\d|2[0-3])(?:[.:](?P<m7>[0-5]\d))?\s+"
    r"(?P<part>malam|petang|sore|siang|pagi|tengah hari))"
    r"|(?P<vi>(?<![\w:.])(?P<h8>[01]?\d|2[0-3])\s*giờ(?:\s*(?P<m8>[0-5]?\d)(?:\s*phút)?)?"
    r"(?:\s+(?P<vpart>tối|chiều|sáng|đêm|trưa))?(?!\w))"
    # the Thai six-hour clock: "2 ทุ่ม" (8 pm), "5 โมงเย็น" (5 pm), "บ่าย 3 โมง" (3 pm), "9 โมงเช้า" (9 am)
    r"|(?P<thai>(?P<tpre>บ่าย\s*)?(?P<h5>\d{1,2})\s*(?P<tunit>ทุ่ม|โมงเย็น|โมงเช้า|โมง)(?:\s*ครึ่ง)?)",
    re.IGNORECASE)
# "น." after a Thai time is the clock suffix ("20.00 น."): a zone named after it still counts
THAI_CLOCK_SUFFIX = "น."


@dataclass
class TimeMention:
    """A clock time found in a text, with the zone named next to it (if any)."""

    start: int
    end: int  # including the zone words when they follow the time
    hour: int
    minute: int
    zone: str | None  # IANA name, "UTC+8", "local", or None when no zone is named
    zone_text: str = ""


def _zone_regex() -> re.Pattern:
    words = sorted(ZONE_WORDS, key=len, reverse=True)
    alts = []
    for w in words:
        body = re.escape(w).replace(r"\ ", r"\s?")
        alts.append(body if not w[:1].isascii() or not w[:1].isalpha() else rf"(?<![\w]){body}(?![\w])")
    return re.compile(rf"(?P<zone>{OFFSET_RE}|{'|'.join(alts)})", re.IGNORECASE)


_ZONES = _zone_regex()


def _cn_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CN_DIGITS for ch in text):
        return None
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN_DIGITS[text[1]]
    if len(text) == 2 and text[1] == "十":
        return CN_DIGITS[text[0]] * 10
    if len(text) == 3 and text[1] == "十":
        return CN_DIGITS[text[0]] * 10 + CN_DIGITS[text[2]]
    return CN_DIGITS[text] if len(text) == 1 else None


def _zone_spec(word: str) -> str:
    key = " ".join(word.lower().split())
    if key in ZONE_WORDS:
        return ZONE_WORDS[key]
    for k, v in ZONE_WORDS.items():
        if key.replace(" ", "") == k.replace(" ", ""):
            return v
    m = re.match(r"(?:utc|gmt)\s?([+−-])\s?(\d{1,2})(?::?(\d{2}))?", key)
    if m:
        sign = "-" if m.group(1) in "−-" else "+"
        return f"UTC{sign}{int(m.group(2))}" + (f":{m.group(3)}" if m.group(3) and m.group(3) != "00" else "")
    return "local"


def _clock(g: dict, m: re.Match, text: str) -> tuple[int | None, int | None] | None:
    """(hour, minute) of one match of _TIME, read by the group that matched; None when it is not a time."""
    hour = minute = None
    if g["ampm"]:
        hour, minute = int(g["h1"]) % 12, int(g["m1"] or 0)
        if g["ap"].lower().startswith("p"):
            hour += 12
    elif g["h24"]:
        hour, minute = int(g["h2"]), int(g["m2"] or g["m3"] or 0)
    elif g["dot"]:
        hour, minute = int(g["h6"]), int(g["m6"])
    elif g["hh"]:
        hour, minute = int(g["h4"]), 0
    elif g["mywords"]:
        hour, minute = int(g["h7"]), int(g["m7"] or 0)
        if g["part"] in ("malam", "petang", "sore") and hour < 12:
            hour += 12
        elif g["part"] in ("siang", "tengah hari") and hour < 6:
            hour += 12
    elif g["vi"]:
        hour, minute = int(g["h8"]), int(g["m8"] or 0)
        before = text[max(0, m.start() - 14):m.start()].lower()
        part = g["vpart"] or next((w for w in ("tối", "chiều", "đêm") if w in before), None)
        if part in ("tối", "chiều", "đêm") and 1 <= hour < 12:
            hour += 12
        elif g["vpart"] == "trưa" and hour < 6:
            hour += 12
        elif not part and hour < 13 and not _ZONES.match(text, m.end() + 1 if text[m.end():m.end() + 1] == " " else m.end()):
            return None  # "3 giờ" alone is a duration as often as a time
    elif g["ar"]:
        hour, minute = int(g["h9"]) % 12, int(g["m9"] or 0)
        if g["arp"].startswith("م"):  # مساءً / م: pm
            hour += 12
    elif g["thai"]:
        hour, minute, unit = int(g["h5"]), 30 if "ครึ่ง" in m.group() else 0, g["tunit"]
        if unit == "ทุ่ม" and 1 <= hour <= 6:
            hour = (18 + hour) % 24
        elif unit == "โมงเย็น" and 1 <= hour <= 6:
            hour += 12
        elif unit == "โมง" and g["tpre"] and 1 <= hour <= 5:
            hour += 12
        elif not (unit == "โมงเช้า" and 5 <= hour <= 11):
            return None  # a bare "โมง" is ambiguous without บ่าย/เช้า
    elif g["cjk"]:
        hour = _cn_number(g["h3"])
        if hour is None or hour > 24:
            return None
        minute = 30 if g["half"] else int(g["m4"] or g["m5"] or 0)
        pre = g["pre"] or ""
        before = text[max(0, m.start() - 12): m.start()]
        if not pre and hour < 13 and not _ZONES.search(before):
            return None  # "3点" alone may be "three points": only times with a cue
        if any(w in pre for w in PM_WORDS) and hour < 12:
            hour += 12
        if hour == 24:
            hour = 0
    return hour, minute


@lru_cache(maxsize=4096)  # the same segment is read once per market: detect it once
def find_times(text: str) -> tuple[TimeMention, ...]:
    out = []
    for m in _TIME.finditer(text):
        g = m.groupdict()
        clock = _clock(g, m, text)
        if clock is None:
            continue
        hour, minute = clock
        if hour is None or minute is None or minute > 59:
            continue
        start, end = m.start(), m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        zone, zone_text = None, ""
        after = re.match(r"[ \t]*(?:(?:ni|ini|nanti|tonight|tối nay|nay)[ \t]*)?[,(（]?[ \t]*(?:in\s+)?",
                         text[end:end + 16], re.IGNORECASE)
        zm = _ZONES.match(text, end + (after.end() if after else 0))
        if zm and zm.group(0) == THAI_CLOCK_SUFFIX:
            gap = re.match(r"[ \t]{0,4}", text[zm.end():])
            named = _ZONES.match(text, zm.end() + gap.end())
            if named and named.group(0) != THAI_CLOCK_SUFFIX:
                zm = named
        if zm and zm.start() - end <= 16:
            zone, zone_text = _zone_spec(zm.group(0)), zm.group(0)
            between = text[end:zm.start()]
            end = zm.end()
            close = re.match(r"\s*[)）]", text[end:])
            if close and ("(" in between or "（" in between):
                end += close.end()
        else:
            window = text[max(0, start - 16): start]
            last = None
            for zm in _ZONES.finditer(window):
                last = zm
            if last is not None and not window[last.end():].strip(" ,:：的"):
                zone, zone_text = _zone_spec(last.group(0)), last.group(0)
                start = max(0, start - 16) + last.start()
        if zone is None and g["thai"]:
            zone = "local"  # the Thai clock is the viewers' own, like "20.00 น."
        out.append(TimeMention(start, end, hour, minute, zone, zone_text))
    return tuple(out)


def to_zone(spec: str):
    """IANA name or "UTC±H[:MM]" → tzinfo (None if unknown)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    m = re.match(r"^UTC([+-])(\d{1,2})(?::(\d{2}))?$", spec)
    if m:
        delta = dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return dt.timezone(delta if m.group(1) == "+" else -delta)
    try:
        return ZoneInfo(spec)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_label(moment: dt.datetime, zone, locale) -> str:
    """A short zone label: babel's (EST, MEZ, WIB, JST), babel's zone location in Arabic, else a known one
    (IST, KST), else UTC±H."""
    from babel.dates import get_timezone_name

    name = getattr(zone, "key", None)
    if name in SELLER_ZONES:  # babel says "CST", which US viewers read as Central time
        return ZONE_LABELS[name]
    try:
        label = get_timezone_name(moment, width="short", locale=locale)
    except Exception:  # noqa: BLE001
        label = ""
    if label and label.isalpha() and label.isascii():
        return label
    if getattr(locale, "language", "") == "ar" and name:  # "3:00 م توقيت الكويت", not a Latin "KSA" in Arabic
        from babel.dates import get_timezone_location

        return get_timezone_location(zone, locale=locale)
    if name in ZONE_LABELS:
        return ZONE_LABELS[name]
    offset = moment.utcoffset() or dt.timedelta(0)
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "−"
    hours, minutes = divmod(abs(total), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def local_times(moment: dt.datetime, zones, locale, limit: int = 3) -> str:
    """"8:00 PM EST / 5:00 PM PST": the moment in each market zone (distinct offsets), babel-formatted."""
    from babel.dates import format_skeleton, format_time

    from . import clean_space

    parts, seen = [], set()
    for zone in zones:
        local = moment.astimezone(zone)
        offset = local.utcoffset()
        if offset in seen:
            continue
        seen.add(offset)
        text = clean_space(format_time(local, format="short", locale=locale)) + " " + zone_label(local, zone, locale)
        if local.date() != moment.date():
            text += " (" + clean_space(format_skeleton("MMMd", local.date(), locale=locale)) + ")"
        parts.append(text)
        if len(parts) >= limit:
            break
    return " / ".join(parts)
