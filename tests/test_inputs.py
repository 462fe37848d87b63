"""Every input format and encoding: exact line:column in the original file, damage, evasion."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from culture_lint.api import make_linter
from culture_lint.readers import read_bytes, read_text

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "inputs"
PACKS = ROOT / "tests" / "packs" / "inputs"
SLIM, CURE, RUSH = "us.weight-loss-claim.slimming", "us.health-claim.cure", "us.urgency.flash-sale"


@pytest.fixture(scope="module")
def linter():
    return make_linter(["us"], rules_dirs=[PACKS], select=["us", "core"])


def found(linter, name: str) -> list[tuple[str, int, int, int, int, str]]:
    path = FIX / name
    doc = read_bytes(str(path), path.read_bytes())
    return [(f.rule, f.line, f.column, f.end_line, f.end_column, f.text) for f in linter.lint(doc)]


THREE_LINE = [  # the same script in every encoding: line 2 English, line 3 Chinese
    (SLIM, 2, 12, 2, 20, "slimming"), (CURE, 2, 25, 2, 39, "cures diabetes"),
    (SLIM, 3, 8, 3, 10, None), (RUSH, 3, 11, 3, 15, None),
]


@pytest.mark.parametrize("name", ["script.utf8.txt", "script.utf8-bom.txt", "script.utf16le.txt",
                                  "script.utf16be.txt", "script.gb18030.txt", "script.big5.txt",
                                  "script.crlf.txt"])
def test_encodings_report_exact_positions(linter, name):
    got = found(linter, name)
    assert [(r, l, c, el, ec) for r, l, c, el, ec, _ in got] == [x[:5] for x in THREE_LINE]
    assert got[0][5] == "slimming" and got[1][5] == "cures diabetes"


def test_shift_jis(linter):
    got = found(linter, "script.shift_jis.txt")
    assert got == [(SLIM, 2, 12, 2, 20, "slimming"), (CURE, 2, 25, 2, 39, "cures diabetes")]
    doc = read_bytes("x.txt", (FIX / "script.shift_jis.txt").read_bytes())
    assert "このお茶" in doc.source


def test_encoding_override(linter):
    data = (FIX / "script.gb18030.txt").read_bytes()
    doc = read_bytes("x.txt", data, encoding="gb18030")
    assert "这款茶能减肥" in doc.source
    doc = read_bytes("x.txt", data, encoding="utf-8")
    assert [f.rule for f in doc.diagnostics] == ["core.input.undecodable"]


EXPECTED = {
    "script.md": [(SLIM, 6, 8, 6, 16, "slimming"), (CURE, 6, 24, 6, 38, "cures diabetes"),
                  (RUSH, 12, 3, 12, 7, "限时抢购")],
    "script.srt": [(SLIM, 7, 9, 7, 17, "slimming"), (CURE, 8, 1, 8, 15, "cures diabetes")],
    "script.vtt": [(SLIM, 9, 14, 9, 22, "slimming"), (CURE, 9, 27, 9, 41, "cures diabetes")],
    "script.yaml": [(SLIM, 11, 12, 11, 20, "slimming"), (CURE, 12, 7, 12, 21, "cures diabetes"),
                    (SLIM, 13, 25, 13, 27, "减肥")],
    "script.json": [(SLIM, 5, 48, 5, 56, "slimming"), (CURE, 5, 61, 5, 75, "cures diabetes")],
    "catalog.csv": [(SLIM, 2, 8, 2, 16, "Slimming"), (CURE, 2, 46, 2, 60, "cures diabetes"),
                    (RUSH, 3, 4, 3, 8, "限时抢购"), (SLIM, 5, 1, 5, 9, "slimming"),
                    (SLIM, 5, 15, 5, 26, "fat burning")],  # "no:" — the colon ends the negation's clause
    "catalog.tsv": [(SLIM, 2, 4, 2, 9, "Detox"), (CURE, 2, 14, 2, 28, "cures diabetes")],
    "product.html": [(SLIM, 4, 5, 4, 13, "Slimming"), (CURE, 6, 11, 6, 30, "cures</em> diabetes"),
                     (SLIM, 7, 21, 7, 32, "fat burning")],
    "script.docx": [(SLIM, 2, 6, 2, 14, "slimming"), (CURE, 2, 19, 2, 33, "cures diabetes"),
                    (RUSH, 3, 1, 3, 5, "限时抢购")],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_formats_report_exact_positions(linter, name):
    assert found(linter, name) == EXPECTED[name]


def test_positions_are_the_text_on_disk(linter):
    """Independent oracle: the reported line:column really holds the reported words in the file."""
    for name in ["script.md", "script.srt", "script.vtt", "script.yaml", "script.json", "catalog.csv",
                 "script.crlf.txt", "script.utf16le.txt", "chat-paste.txt"]:
        path = FIX / name
        doc = read_bytes(str(path), path.read_bytes())
        lines = doc.source.split("\n")
        for f in linter.lint(doc):
            if f.line == f.end_line and f.category != "input":
                assert lines[f.line - 1][f.column - 1:f.end_column - 1] == f.text, (name, f)


def test_srt_findings_carry_cue_times(linter):
    doc = read_bytes("s.srt", (FIX / "script.srt").read_bytes())
    assert {f.timestamp for f in linter.lint(doc)} == {"00:01:05.000"}
    doc = read_bytes("s.vtt", (FIX / "script.vtt").read_bytes())
    assert {f.timestamp for f in linter.lint(doc)} == {"00:02:10.250"}
    doc = read_bytes("s.yaml", (FIX / "script.yaml").read_bytes())
    assert {f.timestamp for f in linter.lint(doc)} == {"00:01:10.000"}
    assert doc.metadata["sponsored"] is True


def test_chat_paste_emoji_zero_width_nbsp(linter):
    got = found(linter, "chat-paste.txt")
    assert [(r, l, c, ec) for r, l, c, _, ec, _ in got] == [(SLIM, 1, 15, 24), (CURE, 1, 31, 45), (SLIM, 2, 4, 7)]


def test_garbled_text_is_reported_and_the_rest_still_linted(linter):
    got = found(linter, "garbled.txt")
    garbled = [(l, c) for r, l, c, *_ in got if r == "core.input.garbled"]
    assert (2, 8) in garbled and (3, 4) in garbled and (3, 20) in garbled
    assert (SLIM, 3, 7) in [(r, l, c) for r, l, c, *_ in got]
    assert (CURE, 3, 23) in [(r, l, c) for r, l, c, *_ in got]


def test_undecodable_and_binary_from_the_cli():
    res = subprocess.run([sys.executable, "-m", "culture_lint", "check", str(FIX / "undecodable.txt"),
                          str(FIX / "binary.bin"), str(FIX / "script.utf8.txt"), "-m", "us", "--rules", str(PACKS),
                          "--select", "us,core", "--format", "json"], capture_output=True, text=True,
                         env={**os.environ, "NO_COLOR": "1"})
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr
    data = json.loads(res.stdout)
    by_path = {Path(f["path"]).name: f["findings"] for f in data["files"]}
    assert [(f["rule"], f["line"], f["column"], f["severity"]) for f in by_path["undecodable.txt"]] == [
        ("core.input.undecodable", 2, 16, "error")]
    assert by_path["binary.bin"] == []
    assert len(by_path["script.utf8.txt"]) == 4  # the other files are still linted


SIMPLIFIED = """HOST: 欢迎来到直播间！今天的互动率很高。
主播：这款茶能减肥，还能治愈糖尿病！限时抢购，秒杀价！
助播：报告一下库存，当地仓发货，瘦身燃脂不反弹。
"""
TRADITIONAL_PINYIN = """HOST: 歡迎來到直播間！今天的互動(dòng)率很高。
主播：這款茶能減(jiǎn)肥，還能治愈糖尿病！限時搶購(gòu)，秒殺價！
助播：報(bào)告一下庫存，當地倉發貨，瘦身燃脂不反彈。
"""


def test_traditional_pinyin_copy_gives_the_same_findings(linter):
    a = linter.lint(read_text("a.txt", SIMPLIFIED))
    b = linter.lint(read_text("b.txt", TRADITIONAL_PINYIN))
    summary = lambda fs: sorted((f.rule, f.line) for f in fs)  # noqa: E731
    assert summary(a) == summary(b)
    assert len(a) >= 6
    # positions still point at the traditional characters on disk
    lines = TRADITIONAL_PINYIN.split("\n")
    for f in b:
        assert lines[f.line - 1][f.column - 1:f.end_column - 1] == f.text


DISGUISED = [
    # English: spacing, separators, leetspeak, symbols, stretching, look-alikes, near-misses
    "s l i m m i n g", "S L I M M I N G", "s-l-i-m-m-i-n-g", "s.l.i.m.m.i.n.g", "s_l_i_m_m_i_n_g",
    "sl1mming", "5limming", "sl!mming", "$limming", "sl|mming", "slimm1ng", "SL1MM1NG",
    "slimmming", "sliiimming", "slimminggg", "ѕlimming", "slіmming", "slimmіng", "sliming", "slimmin",
    "d3tox", "det0x", "D E T O X", "f a t burning",
    # Chinese: separators, spaces, traditional, full-width punctuation between
    "减-肥", "减 肥", "減肥", "减·肥", "减*肥", "瘦.身", "燃-脂", "顯瘦",
    # Spanish
    "adelgaz4nte", "a d e l g a z a n t e", "adelgazantee",
]
INNOCENT = [
    "slimline", "Slimline phone case", "Islamic", "Islam", "swimming", "skimming", "slime", "slippers",
    "sliding", "slimy", "trimming", "slamming", "slumming", "dimming", "slippery", "limping",
    "detour", "detonate", "dextrose", "decor", "deluxe", "fatigue", "fathom", "burnished",
    "adelante", "delgado", "galante", "algazara", "减价", "肥料", "瘦肉", "燃气", "10kg bag", "4K video",
    "iPhone 15", "B2B", "24h delivery", "1080p", "s m l xl sizes",
]


def _slim_hits(linter, text):
    return [f for f in linter.lint(read_text("e.txt", text)) if f.rule == SLIM]


@pytest.mark.parametrize("text", DISGUISED)
def test_disguised_wording_is_caught(linter, text):
    hits = _slim_hits(linter, f"HOST: Try our {text} tea tonight.")
    assert hits, text
    if text not in ("減肥", "顯瘦", "减 肥"):  # simple traditional/space variants are plain matches
        assert any(f.disguised and "disguised" in f.message for f in hits), text


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_lookalikes_are_not_hits(linter, text):
    assert not _slim_hits(linter, f"HOST: Here is our {text} for you.")


def test_fixture_sets_are_big_enough():
    assert len(DISGUISED) >= 30 and len(INNOCENT) >= 30
