"""Inline suppression (contract syntax) in .txt, .md, .srt and .vtt; unused suppressions are reported."""

from __future__ import annotations

import json

import pytest

from conftest import PACKS, cli, write

pytestmark = pytest.mark.usefixtures("isolated_cwd")

SLIM = "global.weight-loss-claim.slimming"
LOSE = "global.weight-loss-claim.lose-weight"
BEST = "global.absolute-claim.best-ever"
UNUSED = "core.suppression.unused"


def found(lint, text, filename="t.txt", linter=None):
    return [(f.rule, f.line) for f in lint(text, filename, linter)]


# --- disable-next-line ------------------------------------------------------------------------

@pytest.mark.parametrize("code", [SLIM, "global.weight-loss-claim", "global", "weight-loss-claim", "all"])
def test_txt_disable_next_line_by_id_prefix_category(lint, code):
    text = f"# culture-lint: disable-next-line {code}\nslimming one\nslimming two\n"
    assert found(lint, text) == [(SLIM, 3)]


def test_a_directive_never_spans_a_line_break(lint):
    """'culture-lint:' at the end of a line and 'disable-file x' on the next are not a directive (found by the
    fuzzer: its unknown-code finding pointed past the end of line 1)."""
    text = "culture-lint:\ndisable-file gru\nslimming\n"
    assert found(lint, text) == [(SLIM, 3)]


def test_disable_next_line_without_codes_means_everything(lint):
    text = "# culture-lint: disable-next-line\nslimming and best ever\nslimming\n"
    assert found(lint, text) == [(SLIM, 3)]


def test_disable_next_line_skips_blank_lines(lint):
    # "slimming" is not an id, id prefix or category: it suppresses nothing, and the typo is reported
    assert found(lint, "# culture-lint: disable-next-line slimming\n\nHOST: slimming\n") == [
        ("core.suppression.unknown-code", 1), (SLIM, 3)]
    assert found(lint, "# culture-lint: disable-next-line weight-loss-claim\n\nHOST: slimming\n") == []


def test_disable_next_line_only_names_what_it_names(lint):
    text = "# culture-lint: disable-next-line absolute-claim\nslimming, best ever\n"
    assert found(lint, text) == [(SLIM, 2)]


def test_several_codes_separated_by_commas(lint):
    text = "# culture-lint: disable-next-line weight-loss-claim, absolute-claim\nslimming, best ever\n"
    assert found(lint, text) == []


def test_an_id_prefix_must_end_at_a_dot(lint):
    text = "# culture-lint: disable-next-line global.weight-loss\nslimming\n"
    assert found(lint, text) == [("core.suppression.unknown-code", 1), (SLIM, 2)]


def test_suppression_applies_to_every_market(lint, zz_us_linter):
    text = "# culture-lint: disable-next-line global.weight-loss-claim.slimming\nslimming, totally free\n"
    assert [(f.rule, f.market) for f in lint(text, linter=zz_us_linter)] == [("zz.pricing.totally-free", "zz")]


# --- disable … enable, disable-file -----------------------------------------------------------

RANGE = """\
slimming before
# culture-lint: disable global.weight-loss-claim
slimming inside
it burns belly fat
best ever
# culture-lint: enable global.weight-loss-claim
slimming after
"""


def test_disable_enable_range(lint):
    assert found(lint, RANGE) == [(SLIM, 1), (BEST, 5), (SLIM, 7)]


def test_disable_without_enable_runs_to_the_end(lint):
    text = "slimming\n# culture-lint: disable weight-loss-claim\nslimming\n\nslimming\n"
    assert found(lint, text) == [(SLIM, 1)]


def test_enable_all_closes_every_open_range(lint):
    text = ("# culture-lint: disable weight-loss-claim\n# culture-lint: disable absolute-claim\n"
            "slimming best ever\n# culture-lint: enable\nslimming best ever\n")
    assert found(lint, text) == [(SLIM, 5), (BEST, 5)]


def test_disable_file_covers_lines_before_it_too(lint):
    text = "slimming first\nbest ever\n\n# culture-lint: disable-file weight-loss-claim\nslimming last\n"
    assert found(lint, text) == [(BEST, 2)]


# --- other formats ----------------------------------------------------------------------------

def test_markdown_comment_directives(lint):
    md = """\
# Slimming guide

<!-- culture-lint: disable-next-line weight-loss-claim -->
Our slimming tea.

Our slimming tea again.

<!-- culture-lint: disable absolute-claim -->
The best ever tea.
<!-- culture-lint: enable absolute-claim -->

The best ever cup.
"""
    assert found(lint, md, "page.md") == [(SLIM, 1), (SLIM, 6), (BEST, 12)]


def test_markdown_disable_file(lint):
    md = "Our slimming tea.\n\n<!-- culture-lint: disable-file global.weight-loss-claim.slimming -->\n"
    assert found(lint, md, "page.md") == []


SRT = """\
1
00:00:01,000 --> 00:00:03,000
[culture-lint: disable-next-line global.weight-loss-claim]
Our slimming tea
burns belly fat.

2
00:00:04,000 --> 00:00:06,000
Our slimming tea.
"""


def test_srt_bracketed_stage_line(lint):
    findings = lint(SRT, "show.srt")
    assert [(f.rule, f.line, f.timestamp) for f in findings] == [
        (LOSE, 5, "00:00:01.000"), (SLIM, 9, "00:00:04.000")]


def test_srt_directive_line_is_not_cue_text():
    from culture_lint.readers import read_text

    doc = read_text("show.srt", SRT)
    assert doc.segments[0].text == "Our slimming tea\nburns belly fat."


def test_vtt_disable_file_in_a_note(lint):
    vtt = "WEBVTT\n\nNOTE culture-lint: disable-file weight-loss-claim\n\n00:01.000 --> 00:02.000\nslimming\n"
    assert found(lint, vtt, "show.vtt") == []


# --- unused suppressions ----------------------------------------------------------------------

def test_unused_suppression_is_reported_as_info(lint):
    findings = lint("HOST: hello\n# culture-lint: disable-next-line weight-loss-claim\nHOST: hi\n")
    assert [(f.rule, f.severity, f.category, f.line, f.column) for f in findings] == [
        (UNUSED, "info", "input", 2, 3)]
    assert "weight-loss-claim" in findings[0].message


def test_only_the_unused_code_is_reported(lint):
    findings = lint("# culture-lint: disable-next-line weight-loss-claim,urgency\nslimming\n")
    assert [(f.rule, f.line) for f in findings] == [(UNUSED, 1)]
    assert "'urgency'" in findings[0].message


def test_suppressions_naming_inactive_rules_are_not_reported(lint):
    # zz.pricing rules do not run for the us market: nothing to report
    assert found(lint, "# culture-lint: disable-next-line zz.pricing\nhello\n") == []


def test_unused_suppression_in_cli_output_and_ignorable(tmp_path):
    path = write(tmp_path / "a.md", "<!-- culture-lint: disable-next-line urgency -->\nHello\n")
    code, out, err = cli("check", path, "-m", "us", "--rules", PACKS, "-f", "json")
    assert code == 0, err  # info does not fail the run
    findings = json.loads(out)["files"][0]["findings"]
    assert [(f["rule"], f["severity"], f["line"], f["column"]) for f in findings] == [(UNUSED, "info", 1, 6)]
    code, out, err = cli("check", path, "-m", "us", "--rules", PACKS, "-f", "json",
                         "--ignore", UNUSED)
    assert json.loads(out)["files"][0]["findings"] == []


def test_text_beside_a_directive_is_still_linted(lint):
    assert found(lint, "slimming tea # culture-lint: disable-next-line weight-loss-claim\nslimming\n") == [(SLIM, 1)]
