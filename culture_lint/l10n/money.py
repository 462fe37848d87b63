"""Prices in a script: "$19.99", "19,99 €", "Rp1.299.000", "199元", "₹1,29,999" — currency and format."""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

# written forms → ISO 4217 (None: depends on the market, see resolve())
TOKENS: dict[str, str | None] = {
    "us$": "USD", "usd": "USD", "$": None, "dollar": None, "dollars": None, "美元": "USD", "美金": "USD",
    "c$": "CAD", "ca$": "CAD", "cad": "CAD", "a$": "AUD", "au$": "AUD", "aud": "AUD", "s$": "SGD", "sgd": "SGD",
    "nz$": "NZD", "hk$": "HKD", "mx$": "MXN", "mxn": "MXN", "r$": "BRL", "brl": "BRL", "reais": "BRL",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "欧元": "EUR", "£": "GBP", "gbp": "GBP", "英镑": "GBP",
    "¥": None, "￥": None, "jpy": "JPY", "円": "JPY", "yen": "JPY", "日元": "JPY",
    "cny": "CNY", "rmb": "CNY", "cn¥": "CNY", "rmb¥": "CNY", "元": "CNY", "块钱": "CNY", "块": "CNY", "人民币": "CNY", "yuan": "CNY",  # not 块: 3块蛋糕
    "₹": "INR", "rs": "INR", "rs.": "INR", "inr": "INR", "rupees": "INR", "卢比": "INR",
    "฿": "THB", "thb": "THB", "บาท": "THB", "baht": "THB", "泰铢": "THB",
    "₱": "PHP", "php": "PHP", "pesos": None, "peso": None, "₩": "KRW", "krw": "KRW", "원": "KRW",
    "韩元": "KRW", "₫": "VND", "đ": "VND", "vnd": "VND", "đồng": "VND", "越南盾": "VND",
    "rp": "IDR", "rp.": "IDR", "idr": "IDR", "rupiah": "IDR", "印尼盾": "IDR",
    "rm": "MYR", "myr": "MYR", "ringgit": "MYR", "令吉": "MYR", "马币": "MYR",
    "sar": "SAR", "ر.س": "SAR", "ر.س.": "SAR", "ريال": "SAR", "riyal": "SAR", "riyals": "SAR", "里亚尔": "SAR",
    "aed": "AED", "د.إ": "AED", "dirham": "AED", "dirhams": "AED", "迪拉姆": "AED",
}
WORDS = {k for k in TOKENS if k.isascii() and k.isalpha() and len(k) > 3}  # spelled-out names: never format-checked
SIMILAR_VALUE = {"USD", "EUR", "GBP", "CAD", "AUD", "SGD", "NZD", "CHF"}  # same number reads as a sane price
NUMBER = (r"\d{1,3}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?"  # lakh grouping: 1,29,999
          r"|\d{1,3}(?:[.,\u00a0\u202f ' ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?")


def _alt(tokens) -> str:
    out = []
    for t in sorted(tokens, key=len, reverse=True):
        body = re.escape(t)
        if t[:1].isascii() and t[:1].isalpha():
            body = rf"(?<![\w]){body}"
        if t[-1:].isascii() and t[-1:].isalpha():
            body = rf"{body}(?![^\W\d_])"
        if t == "元":
            body += "(?![素旦宵老])"  # 元素 element, 元旦 New Year's Day, 元宵, 元老
        if t == "块":
            body += r"(?![\u3400-\u9fff])"  # "199块!" is yuan; 3块蛋糕 is three pieces of cake
        if t in ("$", "¥", "￥", "€", "£"):
            body = rf"(?<![A-Za-z0-9_$]){body}"  # msgReader$1208, a$b: an identifier, not a price
        out.append(body)
    return "|".join(out)


_PRE = [t for t in TOKENS if t not in ("元", "块钱", "块", "円", "원", "บาท", "đ", "đồng")]
_POST = list(TOKENS)
PRICE_RE = re.compile(
    rf"(?P<pre>{_alt(_PRE)})\s?(?P<n1>{NUMBER})(?![\d.,]\d)"
    rf"|(?<![\d.,A-Za-z])(?P<n2>{NUMBER})\s?(?P<post>{_alt(_POST)})",
    re.IGNORECASE)


@dataclass
class Price:
    """A price found in a text: span, currency token as written, the number, and whether the token comes first."""

    start: int
    end: int
    token: str
    number: str
    prefix: bool

    @property
    def word(self) -> bool:
        return self.token.lower() in WORDS


@lru_cache(maxsize=4096)  # the same segment is read once per market: detect it once
def find_prices(text: str) -> tuple[Price, ...]:
    out = []
    for m in PRICE_RE.finditer(text):
        if m.group("pre"):
            out.append(Price(m.start(), m.end(), m.group("pre"), m.group("n1"), True))
        else:
            out.append(Price(m.start(), m.end(), m.group("post"), m.group("n2"), False))
    return tuple(out)


def stated_currency(text: str, metadata: dict, currency: str, locale) -> bool:
    """Whether a script says which dollar its "$" prices are in: the ISO code (AUD), a prefixed sign (A$, CA$,
    S$), the currency's name in the market's language or English (Australian dollars), or front-matter
    ``currency:``."""
    from babel.numbers import get_currency_name

    if str(metadata.get("currency") or "").strip().upper() == currency:
        return True
    low = text.lower()
    if re.search(rf"(?<![a-z]){currency.lower()}(?![a-z])", low):
        return True
    if any(code == currency and tok in low for tok, code in TOKENS.items() if not tok.isalpha()):
        return True
    names = {get_currency_name(currency, locale=loc).lower() for loc in (locale, "en")}
    plural = r"(?:e?s)?\s+"  # "Australian dollars", "pesos mexicanos", "dollars canadiens"
    return any(re.search(plural.join(re.escape(w) for w in name.split()) + r"(?:e?s)?", low) for name in names)


def resolve(token: str, market_currency: str | None, market: str) -> str:
    """The currency a written token stands for, for an audience in ``market``."""
    key = token.lower()
    code = TOKENS.get(key)
    if code:
        return code
    if key in ("$", "dollar", "dollars"):
        if market_currency in ("USD", "CAD", "AUD", "MXN", "SGD", "NZD", "HKD"):
            return market_currency
        return "USD"
    if key in ("¥", "￥"):
        return "JPY" if market_currency == "JPY" else "CNY"
    if key in ("peso", "pesos"):
        return market_currency if market_currency in ("MXN", "PHP") else "MXN"
    return key.upper()


def parse_number(text: str, decimal: str) -> tuple[float, int, str | None, str | None] | None:
    """(value, decimals, decimal separator used, group separator used), reading as an audience would.

    A separator followed by 1–2 digits at the end is a decimal separator; one followed by groups of
    three digits is a grouping separator.
    """
    raw = text.strip()
    seps = [(i, ch) for i, ch in enumerate(raw) if not ch.isdigit()]
    if not seps:
        return float(raw), 0, None, None
    last_i, last = seps[-1]
    tail = len(raw) - last_i - 1
    dec_sep = None
    if last in ".," and tail in (1, 2):
        dec_sep = last
        int_part, frac = raw[:last_i], raw[last_i + 1:]
    elif last in ".," and tail == 3 and len(seps) == 1 and last == decimal and raw[:last_i] != "0":
        # "1.299" in a locale whose decimal is "." – a price with three decimals is unlikely
        dec_sep = None
        int_part, frac = raw, ""
    else:
        int_part, frac = raw, ""
    groups = {ch for _i, ch in seps if (dec_sep is None or _i != last_i)}
    group = next(iter(groups)) if len(groups) == 1 else (None if not groups else "mixed")
    digits = re.sub(r"\D", "", int_part)
    if not digits:
        return None
    value = float(digits + ("." + frac if frac else ""))
    return value, len(frac), dec_sep, group


def render(value: float, decimals: int, currency: str, locale) -> str:
    """The price as the market writes it (babel), keeping the number of decimals given."""
    from babel.numbers import format_currency, get_currency_precision

    from . import clean_space

    digits = min(decimals, get_currency_precision(currency)) if decimals else 0
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    number = "#,##0" + ("." + "0" * digits if digits else "")
    pattern = re.sub(r"#[#,0]*(?:\.0+)?", number, pattern, count=1)
    if "#,##,##0" in locale.currency_formats["standard"].pattern:  # lakh grouping (en_IN)
        pattern = pattern.replace("#,##0", "#,##,##0")
    return clean_space(format_currency(value, currency, format=pattern, locale=locale, currency_digits=False))


def symbol_first(locale) -> bool:
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    return pattern.replace("\u200f", "").strip().startswith("¤")
