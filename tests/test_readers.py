"""Readers: every input format becomes segments whose findings point at exact places in the file on disk."""

from __future__ import annotations

import json

import pytest

from conftest import PACKS, check_json, cli, run_cli, spans, write
from culture_lint.readers import read_bytes, read_text

pytestmark = pytest.mark.usefixtures("isolated_cwd")

SLIM = "global.weight-loss-claim.slimming"
LOSE = "global.weight-loss-claim.lose-weight"
CURE = "global.health-claim.cure"


# --- plain text -------------------------------------------------------------------------------

TXT_SCRIPT = """\
---
market: us
title: slimming special
sponsored: true
product_category: tea
---
HOST: This slimming tea
works wonders.
主播：这款减肥茶真好喝
"""


def test_txt_front_matter_becomes_metadata_with_lines():
    doc = read_text("show.txt", TXT_SCRIPT)
    assert doc.metadata == {"market": "us", "title": "slimming special", "sponsored": True,
                            "product_category": "tea"}
    assert doc.metadata_lines["market"] == 2
    assert doc.metadata_lines["sponsored"] == 4
    assert doc.metadata_lines["product_category"] == 5
    # the front matter is not script text
    assert all("---" not in seg.text and "special" not in seg.text for seg in doc.segments)


def test_txt_front_matter_is_not_linted_and_speaker_labels_are_skipped(lint):
    found = [f for f in lint(TXT_SCRIPT) if f.rule == SLIM]
    # "slimming" in the title (line 3) is metadata, not speech
    assert spans(found) == [(SLIM, 7, 12, 7, 20), (SLIM, 9, 6, 9, 8)]
    assert [f.text for f in found] == ["slimming", "减肥"]


def test_txt_speaker_labels_start_turns():
    doc = read_text("s.txt", "HOST: Hello there\nstill the host\nGUEST: Hi!\n主播：大家好\n")
    # the label names the speaker; it stays in the linted text (a "label" may really be copy)
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("HOST", "HOST: Hello there\nstill the host"), ("GUEST", "GUEST: Hi!"), ("主播", "主播：大家好")]


@pytest.mark.parametrize("text, column", [
    ("Slimming tea: only 5 dollars", 1),
    ("Paid partnership: it burns belly fat", 22),
    ("Dr. Lee: slimming", 10),
    ("GUEST 2: slimming", 10),
])
def test_txt_sentences_with_a_colon_are_not_speaker_labels(lint, text, column):
    # a label is a short name (HOST, Guest 2, Dr. Lee); a sentence before a colon is still linted
    assert [f.column for f in lint(text) if f.rule.startswith("global.weight-loss-claim")] == [column]


def test_txt_speaker_turn_ends_a_paragraph(lint):
    # "burns … belly fat" would match across a line break, but not across a change of speaker
    assert spans(lint("HOST: It burns\nbelly fat.\n"), LOSE) == [(LOSE, 1, 10, 2, 10)]
    assert spans(lint("HOST: It burns\nGUEST: belly fat.\n"), LOSE) == []


def test_txt_stage_directions_are_their_own_segments(lint):
    doc = read_text("s.txt", "HOST: It burns\n[hold up the tin]\nbelly fat.\n")
    assert [(s.kind, s.text) for s in doc.segments] == [
        ("speech", "HOST: It burns"), ("stage", "[hold up the tin]"), ("speech", "belly fat.")]
    assert spans(lint("HOST: It burns\n[hold up the tin]\nbelly fat.\n"), LOSE) == []


def test_txt_paragraphs_span_line_breaks_but_not_blank_lines(lint):
    assert spans(lint("It burns\nbelly fat."), LOSE) == [(LOSE, 1, 4, 2, 10)]
    assert spans(lint("It burns\n\nbelly fat."), LOSE) == []


# --- markdown ---------------------------------------------------------------------------------

MD = """\
---
market: us
---
## Slimming secrets

Our **slimming** tea and a [tea that cures acne](https://example.com/acne).

```
slimming inside a code fence
```

- it burns belly fat
1. The *best ever* cup
<!-- slimming in a comment -->
Plain `code` then *slimming*
"""


def test_markdown_positions_ignore_markup(lint):
    found = lint(MD, "page.md")
    assert spans(found) == [
        (SLIM, 4, 4, 4, 12),                            # heading text after "## "
        (SLIM, 6, 7, 6, 15),                            # inside **…**
        (CURE, 6, 38, 6, 48),                           # inside [link text](url)
        (LOSE, 12, 6, 12, 21),                          # list item
        ("global.absolute-claim.best-ever", 13, 9, 13, 18),
        (SLIM, 15, 20, 15, 28),                         # after inline code, inside *…*
    ]
    assert [f.text for f in found] == ["Slimming", "slimming", "cures acne", "burns belly fat",
                                       "best ever", "slimming"]


def test_markdown_skips_code_blocks_and_comments():
    doc = read_text("page.md", MD)
    text = "\n".join(s.text for s in doc.segments)
    assert "code fence" not in text
    assert "in a comment" not in text
    assert doc.metadata == {"market": "us"}
    assert [s.kind for s in doc.segments][0] == "heading"


def test_markdown_emphasis_inside_a_phrase_does_not_break_it(lint):
    found = lint("It *burns* belly **fat** fast.\n", "x.md")
    assert spans(found) == [(LOSE, 1, 5, 1, 23)]
    assert found[0].text == "burns* belly **fat"  # the span as it is on disk


# --- subtitles --------------------------------------------------------------------------------

SRT = """\
1
00:00:01,000 --> 00:00:04,000
Welcome to the show, lose 10 pounds is cue text

2
00:01:05,250 --> 00:01:09,000
<i>This slimming tea</i>
burns belly fat.

3
01:02:03,004 --> 01:02:05,000
Best ever!
"""


def test_srt_cue_times_become_timestamps(lint):
    found = lint(SRT, "show.srt")
    got = [(f.rule, f.line, f.column, f.end_line, f.end_column, f.timestamp) for f in found]
    assert got == [
        (LOSE, 3, 22, 3, 36, "00:00:01.000"),
        (SLIM, 7, 9, 7, 17, "00:01:05.250"),
        (LOSE, 8, 1, 8, 16, "00:01:05.250"),
        ("global.absolute-claim.best-ever", 12, 1, 12, 10, "01:02:03.004"),
    ]


def test_srt_numbers_and_timing_lines_are_not_text():
    doc = read_text("show.srt", SRT)
    assert doc.timed
    assert [(s.start, s.text) for s in doc.segments] == [
        (1.0, "Welcome to the show, lose 10 pounds is cue text"),
        (65.25, "This slimming tea\nburns belly fat."),
        (3723.004, "Best ever!"),
    ]


VTT = """\
WEBVTT

NOTE
a slimming note that is not spoken
still the note

00:00:02.000 --> 00:00:08.000 align:start
<v Host>Hello, slimming tea!

00:10.500 --> 00:12.000
<c.loud>best ever</c>
"""


def test_vtt_skips_notes_and_reads_voices(lint):
    found = lint(VTT, "show.vtt")
    got = [(f.rule, f.line, f.column, f.end_line, f.end_column, f.timestamp) for f in found]
    assert got == [
        (SLIM, 8, 16, 8, 24, "00:00:02.000"),
        ("global.absolute-claim.best-ever", 11, 9, 11, 18, "00:00:10.500"),
    ]
    doc = read_text("show.vtt", VTT)
    assert doc.segments[0].speaker == "Host"
    assert "note" not in " ".join(s.text for s in doc.segments)


def test_untimed_formats_have_no_timestamp(lint):
    assert [f.timestamp for f in lint("slimming")] == [None]


# --- exact positions --------------------------------------------------------------------------

def test_columns_count_code_points_after_cjk_and_emoji(lint):
    found = lint("Hello 😀 slimming 减肥\nnext 🎉 line: SLIMS 👍🏽 slim\n")
    assert spans(found) == [(SLIM, 1, 9, 1, 17), (SLIM, 1, 18, 1, 20), (SLIM, 2, 14, 2, 19),
                            (SLIM, 2, 23, 2, 27)]


def test_crlf_line_endings_do_not_shift_columns(tmp_path):
    path = write(tmp_path / "crlf.txt", "Hello 😀 slimming\nIt burns\nbelly fat. 减肥\n", newline="\r\n")
    _, report = check_json(path, "-m", "us")
    findings = report["files"][0]["findings"]
    assert spans(findings) == [(SLIM, 1, 9, 1, 17), (LOSE, 2, 4, 3, 10), (SLIM, 3, 12, 3, 14)]
    assert findings[1]["text"] == "burns\r\nbelly fat"


def test_crlf_subtitles(lint):
    srt = "1\r\n00:00:03,500 --> 00:00:04,000\r\n减肥 and slimming\r\n"
    assert [(f.line, f.column, f.end_column, f.timestamp) for f in lint(srt, "a.srt")] == [
        (3, 1, 3, "00:00:03.500"), (3, 8, 16, "00:00:03.500")]


def test_utf8_bom_is_not_a_column(tmp_path):
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbfslimming\n")
    _, report = check_json(path, "-m", "us")
    assert spans(report["files"][0]["findings"]) == [(SLIM, 1, 1, 1, 9)]


def test_utf16_with_bom_is_decoded(tmp_path):
    path = write(tmp_path / "wide.txt", "\ufeffThe slimming tea\n".encode("utf-16-le"))
    _, report = check_json(path, "-m", "us")
    assert spans(report["files"][0]["findings"]) == [(SLIM, 1, 5, 1, 13)]


# --- stdin, unknown extensions, binary and undecodable files ----------------------------------

STDIN_MD = "```\nslimming in code\n```\n\nThis **slimming** tea\n"


def test_stdin_with_filename_picks_the_reader():
    code, out, err = cli("check", "-", "--stdin-filename", "notes/x.md", "-m", "us", "--rules", PACKS,
                         "--format", "json", input=STDIN_MD)
    assert code == 1, err
    report = json.loads(out)
    assert [f["path"] for f in report["files"]] == ["notes/x.md"]
    # read as markdown: the fenced line is skipped and the emphasis stripped
    assert spans(report["files"][0]["findings"]) == [(SLIM, 5, 8, 5, 16)]


def test_stdin_without_filename_is_text_in_a_real_process():
    code, out, err = run_cli("check", "-", "-m", "us", "--rules", PACKS, "--format", "json", input=STDIN_MD)
    assert code == 1, err
    report = json.loads(out)
    assert report["files"][0]["path"] == "<stdin>"
    # read as plain text, the fenced line is linted too
    assert spans(report["files"][0]["findings"]) == [(SLIM, 2, 1, 2, 9), (SLIM, 5, 8, 5, 16)]


def test_unknown_extension_is_read_as_text(tmp_path):
    path = write(tmp_path / "script.rst", "---\nmarket: us\n---\nHOST: slimming\n")
    doc = read_bytes(str(path), path.read_bytes())
    assert doc.format == "text" and doc.metadata["market"] == "us"
    _, report = check_json(path, "-m", "us")
    assert spans(report["files"][0]["findings"]) == [(SLIM, 4, 7, 4, 15)]


def test_binary_file_is_skipped_with_a_message(tmp_path):
    path = write(tmp_path / "logo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR slimming")
    code, out, err = cli("check", path, "-m", "us", "--rules", PACKS)
    assert code == 0, err
    assert "binary file skipped" in out
    assert "logo.txt" in out
    code, report = check_json(path, "-m", "us")
    assert code == 0 and report["files"][0]["findings"] == []


def test_undecodable_file_is_an_error_finding_and_others_are_still_linted(tmp_path):
    bad = write(tmp_path / "a_bad.txt", "ok line\ncafé slimming\n")
    good = write(tmp_path / "b_good.txt", "slimming\n")
    code, out, err = cli("check", bad, good, "-m", "us", "--rules", PACKS, "--encoding", "ascii",
                         "--format", "json")
    assert code == 1, err
    report = json.loads(out)
    assert [f["path"] for f in report["files"]] == [str(bad), str(good)]
    bad_findings = report["files"][0]["findings"]
    assert [(f["rule"], f["severity"], f["category"], f["line"], f["column"]) for f in bad_findings] == [
        ("core.input.undecodable", "error", "input", 2, 4)]
    assert "ascii" in bad_findings[0]["message"]
    assert spans(report["files"][1]["findings"]) == [(SLIM, 1, 1, 1, 9)]


def test_undecodable_file_does_not_stop_the_run_in_text_output(tmp_path):
    bad = write(tmp_path / "bad.txt", b"\xff\xfe\xfd not text \xc3")
    code, out, err = cli("check", bad, "-m", "us", "--rules", PACKS, "--encoding", "ascii")
    assert code == 1
    assert "core.input.undecodable" in out
    assert "Traceback" not in out + err


def test_files_in_directories_are_collected_by_extension(tmp_path):
    write(tmp_path / "d" / "a.txt", "slimming")
    write(tmp_path / "d" / "b.md", "slimming")
    write(tmp_path / "d" / "sub" / "c.srt", "1\n00:00:01,000 --> 00:00:02,000\nslimming\n")
    write(tmp_path / "d" / "sub" / "d.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nslimming\n")
    write(tmp_path / "d" / "skip.py", "slimming = 1")
    write(tmp_path / "d" / "drafts" / "e.txt", "slimming")
    _, report = check_json(tmp_path / "d", "-m", "us", "--exclude", "drafts")
    names = [f["path"].replace(str(tmp_path / "d"), "").lstrip("/") for f in report["files"]]
    assert names == ["a.txt", "b.md", "sub/c.srt", "sub/d.vtt"]
    assert all(len(f["findings"]) == 1 for f in report["files"])
