"""Hypothesis strategies that make hostile input for each reader: arbitrary Unicode and bytes, and
format-shaped text (timing lines, tags, quotes, YAML flow, zip members) stitched from fragments."""

from __future__ import annotations

import io
import zipfile

from hypothesis import strategies as st

# Words that trigger rules (so findings, spans and fixes get exercised) and characters that break things.
TRIGGERS = ["A miracle cure", "hurry up", "Hurry Up", "only 3 left", "Only 2 left", "click the blue link",
            "use code SAVE 10", "FDA approved", "burns belly fat", "神奇疗效", "affiliate link", "#ad",
            "cures everything", "buy now or never"]
NASTY = ["\x00", "\r", "\r\n", "\n", "\t", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffd", "\u200b", "\u200d",
         "\u0301", "\U0001F600", "\U0001F1FA\U0001F1F8", "\ud800", "é", "ß", "İ", "ﬁ", "Å", "锟斤拷", "Ã©",
         "\x1b[31m", "\x7f", "\x0c", "\x0b", "???", "??", "\u202e", "\uffff", "\U000E0001", "a" * 300, " " * 50]
DIRECTIVES = ["culture-lint: disable-next-line rl\n", "# culture-lint: disable rl.urgency\n",
              "<!-- culture-lint: enable rl -->", "[culture-lint: disable-file urgency]", "culture-lint: disable\n",
              "culture-lint: disable-next-line nope.rule\n"]
FRONT = ["---\nmarket: us\n---\n", "---\nmarket: [us, rl]\ndate: 2024-13-45\n---\n", "---\n!!python/object:os.system\n---\n",
         "---\na: &a [1]\nb: *a\n---\n", "---\n\x01\n---\n", "---\n[unclosed\n---\n", "---\n"]

FRAGMENTS = {
    "txt": ["Host: ", "[laughs]", "(stage)", "【演示】", "主播：", ": "] + FRONT,
    "md": ["# ", "## ", "* ", "- ", "> ", "```\n", "`", "**", "_", "[link](http://x)", "![alt](x)", "<!-- ",
           " -->", "<b>", "</b>", "| a | b |\n|---|---|\n", "    code\n", "\\", "&amp;", "&#x1F600;"] + FRONT,
    "srt": ["1\n", "00:00:01,000 --> 00:00:02,000\n", "99:99:99,999 --> 00:00:00,000\n", "00:00:01.5 --> x\n",
            "<i>", "</i>", "{\\an8}", "<font color=red>", "-->", "\n\n", "0\n", "-1\n"],
    "vtt": ["WEBVTT\n\n", "WEBVTT - title\n", "00:01.000 --> 00:02.000\n", "00:00:01.000 --> 00:00:02.000 align:start\n",
            "NOTE comment\n", "STYLE\n::cue {}\n", "<v Host>", "<v.loud Bob>", "</v>", "<c.x>", "<00:00:01.500>",
            "cue-id\n", "REGION\n", "-->"],
    "yaml": ["show:\n", "  market: us\n", "  market: [us, rl]\n", "segments:\n", "  - ", "at: ", "'00:01'", "1e999",
             "say: ", "action: ", "speaker: ", "[", "]", "{", "}", ": ", "- ", "&a ", "*a", "!!python/object:os.system ",
             "!!binary ", "!!int ", "? ", "|\n    ", ">-\n    ", "'", '"', "\\", "%YAML 1.1\n", "--- ", "...\n", "#"],
    "json": ['{"show": {"market": "us"}, "segments": [', '{"say": "', '"}', ', ', ']}', '"at": ', "1e999", "-0",
             '"\\u0000"', '"\\ud800"', "null", "[", "]", "{", "}", ":", ",", '"', "\\"],
    "csv": ["id,title,description\n", "sku,name,body html,price\n", '"', '""', ",", "\n", "\r\n", "<p>", "</p>",
            "<br>", "&amp;", "=cmd|' /C calc'!A0", "\t"],
    "tsv": ["id\ttitle\tdescription\n", "\t", '"', "\n", "<p>", "</p>"],
    "html": ["<html>", "<head>", "<title>", "</title>", "<script>", "</script>", "<style>", "<body>", "<p>", "</p>",
             "<br/>", "<img alt='", "' title=\"", "\">", "&amp;", "&nbsp;", "&#0;", "&#x110000;", "&bogus;",
             "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "</", "<", ">", "<script/>", "<template>",
             "<div\n class='x'\n>", "<li>", "<table><tr><td>", "<?php ?>", "<svg onload=alert(1)>"],
}


def _shaped_text(name: str) -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(TRIGGERS), st.sampled_from(NASTY), st.sampled_from(DIRECTIVES),
                       st.sampled_from(FRAGMENTS.get(name, FRAGMENTS["txt"])), st.text(max_size=8))
    return st.lists(pieces, max_size=40).map("".join)


def _encode(text: str, how: str) -> bytes:
    if how == "utf-8":
        return text.encode("utf-8", "surrogatepass")
    if how == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    try:
        return text.encode(how, "replace")
    except UnicodeError:
        return text.encode("utf-8", "surrogatepass")


ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "gb18030", "big5",
             "shift_jis", "cp1252", "latin-1", "koi8-r"]


def text_bytes(name: str) -> st.SearchStrategy[bytes]:
    text = st.one_of(_shaped_text(name), st.text(max_size=200))
    return st.one_of(
        st.builds(_encode, text, st.sampled_from(ENCODINGS)),
        st.binary(max_size=300),
        # valid text with a few bytes flipped
        st.builds(_flip, st.builds(_encode, _shaped_text(name), st.just("utf-8")), st.lists(
            st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=4)),
    )


def _flip(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    if not data:
        return data
    buf = bytearray(data)
    for pos, value in flips:
        buf[pos % len(buf)] = value
    return bytes(buf)


def _docx_from_body(paragraphs: list[str], raw: str | None) -> bytes:
    import fuzz_targets as targets  # fuzz/fuzz_targets.py (fuzz/ is on sys.path)
    from xml.sax.saxutils import escape

    if raw is not None:
        body = raw
    else:
        body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    return targets.docx_with_body(body)


def _zipish(members: list[tuple[str, bytes]], compress: bool) -> bytes:
    import warnings

    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate member names are part of the hostile input
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as z:
            for name, data in members:
                z.writestr(name, data)
    return out.getvalue()


def docx_bytes() -> st.SearchStrategy[bytes]:
    import fuzz_targets as targets

    xml_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                       max_size=60)
    members = st.lists(st.tuples(
        st.sampled_from(["[Content_Types].xml", "word/document.xml", "_rels/.rels", "word/_rels/document.xml.rels",
                         "word/styles.xml", "docProps/core.xml", "../evil", "/abs", "word/media/x.png"]),
        st.one_of(st.binary(max_size=200), _shaped_text("html").map(lambda s: s.encode("utf-8", "surrogatepass")))),
        max_size=6)
    return st.one_of(
        st.binary(max_size=400),  # random bytes
        st.builds(_zipish, members, st.booleans()),  # zip-ish: a zip, wrong members
        st.builds(_docx_from_body, st.lists(st.one_of(st.sampled_from(TRIGGERS), xml_text), max_size=8),
                  st.one_of(st.none(), _shaped_text("html"))),  # a real .docx with hostile body XML
        st.builds(_flip, st.just(b"").map(lambda _b: targets.docx_template()),
                  st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), min_size=1, max_size=6)),
        st.builds(lambda b, n: targets.docx_template()[:n] + b, st.binary(max_size=20), st.integers(0, 20_000)),
    )


def for_target(name: str) -> st.SearchStrategy[bytes]:
    if name == "docx":
        return docx_bytes()
    if name == "fix":
        return st.builds(lambda b, data: bytes([b]) + data, st.integers(0, 255), text_bytes("txt"))
    return text_bytes(name)
