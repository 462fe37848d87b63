"""Find text damaged before it reached us: replacement characters, lost CJK characters, mojibake."""

from __future__ import annotations

import re

from ..i18n import _
from ..models import Document, Finding

MAX_REPORTS = 20
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_GARBLED = re.compile(
    r"\ufffd+"                                               # replacement characters
    rf"|(?<=[{_CJK})）])\?+(?=[{_CJK}(（a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]|$)"  # '?' standing in for lost CJK chars
    rf"|(?<=[{_CJK}])\?{{2,}}|\?{{2,}}(?=[{_CJK}])"
    r"|(?:[ÃÂ][\u0080-\u00bf\u00a0-\u00ff]|â€[\u0080-\u00ff™œ\u009d\"'˜”“–—¦¢]?|Ã©|Ã¨|Ã¼|Ã¶|Ã¤)+"  # UTF-8 read as Latin-1
    r"|(?:[\u00e4-\u00e9][\u00b8-\u00bf\u0080-\u00af][\u0080-\u00bf]){2,}"  # CJK UTF-8 read as Latin-1
    r"|(?:[锟斤拷]{3,})"                                       # the classic GBK double-decode
)


# every garbled spot starts with one of these characters
_START = re.compile("[\ufffd?\u00c2\u00c3\u00e2\u00e4-\u00e9锟斤拷]")


def _garbled_spots(source: str):
    """``_GARBLED.finditer(source)``, trying the pattern only where a spot can start (much faster)."""
    pos = 0
    search, match = _START.search, _GARBLED.match
    while True:
        start = search(source, pos)
        if start is None:
            return
        m = match(source, start.start())
        if m is None:
            pos = start.start() + 1
            continue
        yield m
        pos = m.end()


def find_damage(doc: Document) -> None:
    """Add ``core.input.garbled`` warnings (at most MAX_REPORTS, then one summary) to the document."""
    source = doc.source
    if source.isascii() and "?" not in source:
        return
    count = 0
    for m in _garbled_spots(source):
        count += 1
        if count > MAX_REPORTS:
            continue
        line, col = doc.position(m.start())
        end_line, end_col = doc.position(m.end())
        doc.diagnostics.append(Finding(
            rule="core.input.garbled", category="input", severity="warning", market="",
            message=_("text looks garbled here (lost or mis-decoded characters): check the source file's encoding"),
            line=line, column=col, end_line=end_line, end_column=end_col, text=m.group()))
    if count > MAX_REPORTS:
        doc.diagnostics.append(Finding(
            rule="core.input.garbled", category="input", severity="warning", market="",
            message=_("{count} more garbled spots not shown").format(count=count - MAX_REPORTS),
            line=1, column=1, end_line=1, end_column=min(2, len(doc.line_text(1)) + 1)))
