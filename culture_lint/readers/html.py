"""HTML product descriptions: visible text only (no script/style), positions into the source."""

from __future__ import annotations

from html.parser import HTMLParser

from ..models import Document, Segment

BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
              "section", "article", "header", "footer", "br", "blockquote", "dd", "dt", "title", "figcaption"}
HIDDEN_TAGS = {"script", "style", "template", "noscript", "head"}
_LT = "\ue000"  # stands for "<" that cannot start markup (after the last ">")


class _Collector(HTMLParser):
    def __init__(self, text: str, line_starts: list[int]):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = line_starts
        self.hidden = 0
        self.blocks: list[list[tuple[str, list[int]]]] = [[]]
        self.cut = len(text)  # from here on, "<" was fed as _LT (see html_segments)

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_TAGS:
            self.hidden += 1
        if tag in BLOCK_TAGS:
            self.blocks.append([])
        for name, value in attrs:  # alt text and titles are visible to people too
            if name in ("alt", "title") and value and not self.hidden:
                raw = self.get_starttag_text() or ""
                at = raw.find(value)
                if at != -1:
                    start = self._offset() + at
                    self.blocks.append([(value, list(range(start, start + len(value) + 1)))])
                    self.blocks.append([])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in HIDDEN_TAGS:
            self.hidden -= 1

    def handle_endtag(self, tag):
        if tag in HIDDEN_TAGS and self.hidden:
            self.hidden -= 1
        if tag in BLOCK_TAGS:
            self.blocks.append([])

    def parse_marked_section(self, i, report=1):
        # `<![` that is no CDATA/IE section: the stdlib raises AssertionError; -1 makes close() read it as text
        pos = self.getpos()
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            self.lineno, self.offset = pos  # the stdlib moved the position before raising
            return -1

    def handle_data(self, data):
        if self.hidden or not data:
            return
        start = self._offset()
        if start + len(data) > self.cut and _LT in data:
            k = max(0, self.cut - start)
            data = data[:k] + data[k:].replace(_LT, "<")
        self.blocks[-1].append((data, list(range(start, start + len(data) + 1))))

    def handle_entityref(self, name):
        self._entity(f"&{name};")

    def handle_charref(self, name):
        self._entity(f"&#{name};")

    def _entity(self, raw: str):
        import html

        if self.hidden:
            return
        start = self._offset()
        value = html.unescape(raw)
        self.blocks[-1].append((value, [start] * len(value) + [start + len(raw)]))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def html_segments(text: str, base_offsets: list[int] | None = None, **kw) -> list[Segment]:
    """Segments of visible text; ``base_offsets`` maps ``text`` into a larger file (CSV cells)."""
    parser = _Collector(text, _line_starts(text))
    # Every markup construct ends with ">", so after the last ">" a "<" can only be text. Python's HTMLParser
    # (before 3.13.5) rescans to the end for every unterminated "<a " or "<!--": quadratic, a 120 KB file of
    # them took minutes. Feeding those "<" as a placeholder (turned back in handle_data) keeps it linear.
    parser.cut = text.rfind(">") + 1
    tail = text[parser.cut:]
    fed = text if "<" not in tail or _LT in tail else text[:parser.cut] + tail.replace("<", _LT)
    try:
        parser.feed(fed)
        parser.close()
    except Exception:  # hostile markup the stdlib parser gives up on: the rest is linted as plain text
        start = min(parser._offset(), len(text)) if parser.getpos()[0] <= len(parser.line_starts) else len(text)
        parser.hidden = 0
        parser.blocks.append([(text[start:], list(range(start, len(text) + 1)))])
    segments = []
    for block in parser.blocks:
        if not block:
            continue
        chars = "".join(piece for piece, _ in block)
        if not chars.strip():
            continue
        offsets: list[int] = []
        for piece, offs in block:
            offsets.extend(offs[:-1])
        offsets.append(block[-1][1][-1])
        if base_offsets is not None:
            offsets = [base_offsets[min(o, len(base_offsets) - 1)] for o in offsets]
        segments.append(Segment(text=chars, offsets=offsets, **kw))
    return segments


def read(doc: Document) -> Document:
    for seg in html_segments(doc.source):
        seg.index = len(doc.segments)
        doc.segments.append(seg)
    return doc
