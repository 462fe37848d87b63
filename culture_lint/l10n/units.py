"""Measurements in a script ("5 lbs", "12 inches", "2.3 kg", "3斤") and their conversions."""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

# written unit → (quantity, system, factor to the base unit: kg, cm, ml, or None for temperatures)
UNITS: dict[str, tuple[str, str, float | None]] = {
    # imperial / US customary
    "lb": ("mass", "imperial", 0.45359237), "lbs": ("mass", "imperial", 0.45359237),
    "pound": ("mass", "imperial", 0.45359237), "pounds": ("mass", "imperial", 0.45359237),
    "oz": ("mass", "imperial", 0.028349523125), "ounce": ("mass", "imperial", 0.028349523125),
    "ounces": ("mass", "imperial", 0.028349523125),
    "fl oz": ("volume", "imperial", 29.5735295625), "fl. oz": ("volume", "imperial", 29.5735295625),
    "fl. oz.": ("volume", "imperial", 29.5735295625),
    "inch": ("length", "imperial", 2.54), "inches": ("length", "imperial", 2.54), "in.": ("length", "imperial", 2.54),
    '"': ("length", "imperial", 2.54), "″": ("length", "imperial", 2.54), "英寸": ("length", "imperial", 2.54),
    "ft": ("length", "imperial", 30.48), "foot": ("length", "imperial", 30.48), "feet": ("length", "imperial", 30.48),
    "yd": ("length", "imperial", 91.44), "yards": ("length", "imperial", 91.44),
    "mile": ("distance", "imperial", 1.609344), "miles": ("distance", "imperial", 1.609344),
    "gallon": ("volume", "imperial", 3785.411784), "gallons": ("volume", "imperial", 3785.411784),
    "gal": ("volume", "imperial", 3785.411784),
    "°f": ("temperature", "imperial", None), "℉": ("temperature", "imperial", None),
    "degrees fahrenheit": ("temperature", "imperial", None),
    # metric
    "kg": ("mass", "metric", 1.0), "kgs": ("mass", "metric", 1.0), "kilo": ("mass", "metric", 1.0),
    "kilos": ("mass", "metric", 1.0), "kilogram": ("mass", "metric", 1.0), "kilograms": ("mass", "metric", 1.0),
    "公斤": ("mass", "metric", 1.0), "千克": ("mass", "metric", 1.0),
    "g": ("mass", "metric", 0.001), "gram": ("mass", "metric", 0.001), "grams": ("mass", "metric", 0.001),
    "克": ("mass", "metric", 0.001),
    "cm": ("length", "metric", 1.0), "centimeters": ("length", "metric", 1.0), "centimetres": ("length", "metric", 1.0),
    "厘米": ("length", "metric", 1.0), "公分": ("length", "metric", 1.0), "mm": ("length", "metric", 0.1),
    "毫米": ("length", "metric", 0.1), "meter": ("length", "metric", 100.0), "meters": ("length", "metric", 100.0),
    "metre": ("length", "metric", 100.0), "metres": ("length", "metric", 100.0), "米": ("length", "metric", 100.0),
    "km": ("distance", "metric", 1.0), "公里": ("distance", "metric", 1.0),
    "ml": ("volume", "metric", 1.0), "毫升": ("volume", "metric", 1.0), "l": ("volume", "metric", 1000.0),
    "liter": ("volume", "metric", 1000.0), "liters": ("volume", "metric", 1000.0),
    "litre": ("volume", "metric", 1000.0), "litres": ("volume", "metric", 1000.0), "升": ("volume", "metric", 1000.0),
    "°c": ("temperature", "metric", None), "℃": ("temperature", "metric", None),
    # traditional Chinese market units (市制)
    "斤": ("mass", "chinese", 0.5), "两": ("mass", "chinese", 0.05), "寸": ("length", "chinese", 10 / 3),
    "尺": ("length", "chinese", 100 / 3),
}
CASE_SENSITIVE = {"g", "l", "L"}  # "5G" is a network, not grams
NUM = r"\d+(?:[.,]\d+)?"


def _unit_alt() -> str:
    out = []
    for unit in sorted(set(UNITS) | {"L"}, key=len, reverse=True):
        body = re.escape(unit).replace(r"\ ", r"\s?")
        if unit in CASE_SENSITIVE:
            body = f"(?-i:{body})"
        if unit[-1].isascii() and unit[-1].isalpha():
            body += r"(?![^\W\d_])"
        if unit == "尺":
            body += "(?!码|碼|寸)"
        out.append(body)
    return "|".join(out)


QTY_RE = re.compile(
    rf"(?P<feet>(?<![\dA-Za-z.,])(?P<ft>\d{{1,2}})\s?(?:'|′|ft)\s?(?P<inch>\d{{1,2}}(?:\.\d)?)\s?(?:\"|″|in(?:ch(?:es)?)?\.?)(?![^\W\d_]))"
    rf"|(?<![\dA-Za-z.,])(?P<num>{NUM})\s?(?P<unit>{_unit_alt()})",
    re.IGNORECASE)


@dataclass
class Quantity:
    """A measurement found in a text: span, value, unit (a key of UNITS), quantity and unit system."""

    start: int
    end: int
    value: float
    unit: str  # key of UNITS (lower-cased), or "ft+in"
    quantity: str
    system: str

    def base(self) -> float | None:
        factor = UNITS.get(self.unit, ("", "", 1.0))[2]
        return None if factor is None else self.value * factor


def _number(text: str) -> float:
    """"2,5" and "2.5" are decimals; "1,000" and "1.500" group thousands."""
    if re.fullmatch(r"\d{1,3}[.,]\d{3}", text):
        return float(re.sub(r"\D", "", text))
    return float(text.replace(",", "."))


_INCH_BEFORE = re.compile(r"(?:^|[\s(\[x×~≈])$")
_OPEN_QUOTE = re.compile(r'(?<![\d])"')
_INCH_AFTER = re.compile(r"(?:$|[\s,.;:!?)\]/x×-])")


def _inch_mark(text: str, start: int, end: int) -> bool:
    """A straight ``"`` after a number is an inch mark only as a measurement (``a 55" TV``, ``6" x 4"``), not
    the closing quote of a quoted value (``"x += 1"``, ``D("30.25")``, ``"iso-8859-1"``): the number stands
    alone after a space or bracket, and the quotes before it on the line (inch marks aside) are balanced."""
    if not _INCH_BEFORE.search(text[max(0, start - 1):start]) or not _INCH_AFTER.match(text, end):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    opening = _OPEN_QUOTE.findall(text, line_start, start)  # a quote after a digit is another inch mark
    return len(opening) % 2 == 0


@lru_cache(maxsize=4096)  # the same segment is read once per market: detect it once
def find_quantities(text: str) -> tuple[Quantity, ...]:
    out = []
    for m in QTY_RE.finditer(text):
        if m.group("feet"):
            inches = int(m.group("ft")) * 12 + float(m.group("inch"))
            out.append(Quantity(m.start(), m.end(), inches, "inch", "length", "imperial"))
            continue
        unit = " ".join(m.group("unit").lower().split())
        unit = {"fl.oz": "fl. oz", "floz": "fl oz"}.get(unit.replace(" ", ""), unit)
        if unit not in UNITS:
            continue
        if unit == "两" and not m.group("num").isdigit():
            continue
        if unit == '"' and not _inch_mark(text, m.start(), m.end()):
            continue
        quantity, system, _factor = UNITS[unit]
        out.append(Quantity(m.start(), m.end(), _number(m.group("num")), unit, quantity, system))
    return tuple(out)


def convert(q: Quantity, target: str, locale) -> str | None:
    """``q`` in the target system ("metric" or "imperial"), babel-formatted for ``locale``."""
    from babel.units import format_unit

    from . import clean_space

    def fmt(value: float, unit: str) -> str:
        pattern = "#,##0" if value >= 100 else "#,##0.#"
        return clean_space(format_unit(value, unit, length="short", locale=locale, format=pattern))

    if q.quantity == "temperature":
        if q.system == "imperial" and target == "metric":
            return fmt((q.value - 32) * 5 / 9, "temperature-celsius")
        if q.system == "metric" and target == "imperial":
            return fmt(q.value * 9 / 5 + 32, "temperature-fahrenheit")
        return None
    base = q.base()
    if base is None:
        return None
    if target == "metric":
        if q.quantity == "mass":
            return fmt(base, "mass-kilogram") if base >= 1 else fmt(base * 1000, "mass-gram")
        if q.quantity == "length":
            return fmt(base / 100, "length-meter") if base >= 200 else fmt(base, "length-centimeter")
        if q.quantity == "distance":
            return fmt(base, "length-kilometer")
        if q.quantity == "volume":
            return fmt(base / 1000, "volume-liter") if base >= 1000 else fmt(base, "volume-milliliter")
    else:
        if q.quantity == "mass":
            pounds = base / 0.45359237
            return fmt(pounds, "mass-pound") if pounds >= 1 else fmt(base / 0.028349523125, "mass-ounce")
        if q.quantity == "length":
            inches = base / 2.54
            return fmt(base / 30.48, "length-foot") if inches >= 36 else fmt(inches, "length-inch")
        if q.quantity == "distance":
            return fmt(base / 1.609344, "length-mile")
        if q.quantity == "volume":
            return fmt(base / 3785.411784, "volume-gallon") if base >= 3785 else \
                fmt(base / 29.5735295625, "volume-fluid-ounce")
    return None
