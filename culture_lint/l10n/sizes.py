"""Clothing and shoe sizes: "size M", "EU 38", "US 8", "M码", "38码" — and whether a second system or body
measurements go with them."""

from __future__ import annotations

import re

LETTER = r"(?:XXS|XS|S|M|L|XL|XXL|XXXL|[2-5]XL)"
SIZE_WORDS = r"(?:sizes?|taille|größe|groesse|talla|tamanho|taglia|maat|ukuran|saiz|サイズ|사이즈|尺码|尺碼|码数|號碼)"
SIZE_RE = re.compile(
    rf"(?P<sys>(?<![\w])(?P<system>US|UK|EU|EUR|CN|JP|IT|FR|BR|KR)\s?(?:size\s?)?(?P<n1>\d{{1,2}}(?:[.,]5)?)(?!\d))"
    rf"|(?P<word>(?<![\w]){SIZE_WORDS}(?:\s*[:：]\s*|\s+|(?<=[^\x00-\x7f]))(?P<v>{LETTER}|\d{{1,2}}(?:[.,]5)?)(?![\w]))"
    rf"|(?P<cn>(?<![A-Za-z])(?P<v2>{LETTER}|\d{{2,3}})\s?(?:码|碼|号码|號))",
    re.IGNORECASE)
CHART_RE = re.compile(
    r"size\s?(?:chart|guide|table)|尺码表|尺碼表|尺码对照|größentabelle|guide des tailles|tabla de tallas|"
    r"guia de tamanhos|tabela de medidas|tabel ukuran|carta saiz|サイズ表|사이즈표|measure yourself|measurements?",
    re.IGNORECASE)


def find_sizes(text: str) -> list[tuple[int, int, str]]:
    """(start, end, system) of size mentions; system is US, EU, … or "letter", "cn", "unspecified"."""
    out = []
    for m in SIZE_RE.finditer(text):
        if m.group("sys"):
            system = m.group("system").upper().replace("EUR", "EU")
        elif m.group("word"):
            system = "letter" if not m.group("v")[0].isdigit() else "unspecified"
            if m.group(0)[:1] in "尺码碼號" and m.group("v")[0].isdigit():
                system = "cn"
        else:
            system = "letter" if not m.group("v2")[0].isdigit() else "cn"
        out.append((m.start(), m.end(), system))
    return out


def has_chart(text: str) -> bool:
    return bool(CHART_RE.search(text))
