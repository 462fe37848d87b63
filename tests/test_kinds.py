"""Rule kinds: forbid, require (every scope, metadata triggers) and limit (document, segments, minutes)."""

from __future__ import annotations

import pytest

from conftest import spans

pytestmark = pytest.mark.usefixtures("isolated_cwd")

AFF = "us.ad-disclosure.affiliate-document"
CODE = "us.ad-disclosure.code-segment"
BIO = "us.ad-disclosure.bio-window"
GIFT = "us.ad-disclosure.gifted-opening"
DEAL = "us.ad-disclosure.brand-deal-opening"
SPONSORED = "global.ad-disclosure.sponsored-show"
LAST = "global.urgency.last-chance"
STOCK = "us.urgency.stock-count"
HURRY = "us.urgency.hurry"


def only(findings, rule):
    return [f for f in findings if f.rule == rule]


def srt(*cues: tuple[str, str]) -> str:
    """An .srt file from (start "HH:MM:SS", text) cues, each two seconds long."""
    out = []
    for i, (start, text) in enumerate(cues, 1):
        h, m, s = map(int, start.split(":"))
        end = h * 3600 + m * 60 + s + 2
        out.append(f"{i}\n{start},000 --> {end // 3600:02d}:{end % 3600 // 60:02d}:{end % 60:02d},000\n{text}\n")
    return "\n".join(out)


# --- forbid -----------------------------------------------------------------------------------

def test_forbid_message_text_and_suggestion_language(lint):
    found = lint("Slimming tea!\n减肥茶！")
    slim = only(found, "global.weight-loss-claim.slimming")
    assert [f.message for f in slim] == ["“Slimming” is a weight-loss claim.", "“减肥” is a weight-loss claim."]
    # the suggestion is offered in the language of the pattern that matched
    assert [[(s.replacement, s.safe) for s in f.suggestions] for f in slim] == [
        [("part of a balanced routine", False)], [("日常均衡搭配", False)]]
    assert {f.severity for f in slim} == {"error"} and {f.category for f in slim} == {"weight-loss-claim"}
    assert slim[0].source.startswith("Test source: FTC")


def test_forbid_one_finding_per_match(lint):
    found = only(lint("slimming, slimming\n\nslimming"), "global.weight-loss-claim.slimming")
    assert [(f.line, f.column) for f in found] == [(1, 1), (1, 11), (3, 1)]


# --- require: document, segment, window, first_segments ---------------------------------------

def test_require_document_scope(lint):
    found = only(lint("Hello.\n\nBuy via my affiliate link today."), AFF)
    assert spans(found) == [(AFF, 3, 12, 3, 26)]
    assert found[0].text == "affiliate link"
    assert found[0].message == "“affiliate link”: affiliate links need “#ad” somewhere in the script."
    assert only(lint("Buy via my affiliate link today.\n\nMuch later: #ad"), AFF) == []
    assert only(lint("#ad\n\nBuy via my affiliate link today."), AFF) == []


def test_require_document_scope_reports_the_first_trigger_once(lint):
    found = only(lint("affiliate link\n\nhello\n\naffiliate link"), AFF)
    assert spans(found) == [(AFF, 1, 1, 1, 15)]


def test_require_segment_scope(lint):
    assert only(lint("Paid partnership with Acme: use my code SAVE."), CODE) == []
    found = only(lint("Paid partnership with Acme.\n\nHOST: Use my code SAVE."), CODE)
    assert spans(found) == [(CODE, 3, 7, 3, 18)]
    # each unsatisfied trigger is reported
    found = only(lint("Use my code A.\n\nPaid partnership: use my code B.\n\nuse my code C"), CODE)
    assert [(f.line, f.column) for f in found] == [(1, 1), (5, 1)]


@pytest.mark.parametrize("gap, expected", [(0, 0), (1, 1), (3, 1)])
def test_require_window_scope(lint, gap, expected):
    text = "\n\n".join(["Sponsored by Acme."] + ["Hello."] * gap + ["Link in bio!"])
    found = only(lint(text), BIO)
    assert len(found) == expected
    if expected:
        assert (found[0].line, found[0].column, found[0].text) == (3 + 2 * gap, 1, "Link in bio")


def test_require_window_looks_both_ways(lint):
    assert only(lint("Link in bio!\n\nSponsored by Acme."), BIO) == []


def test_require_first_segments_scope(lint):
    assert only(lint("Hello #gifted\n\nWelcome\n\nThis was gifted by Acme."), GIFT) == []
    assert only(lint("Hello\n\nWelcome #gifted\n\nThis was gifted by Acme."), GIFT) == []
    found = only(lint("Hello\n\nWelcome\n\n#gifted: this was gifted by Acme."), GIFT)
    assert spans(found) == [(GIFT, 5, 19, 5, 28)]


# --- require: first_seconds on timed files ----------------------------------------------------

def test_first_seconds_uses_cue_times_disclosure_at_10s_is_in_time(lint):
    text = srt(("00:00:01", "Hello!"), ("00:00:10", "Paid promotion, everyone."), ("00:01:00", "This brand deal rocks."))
    assert only(lint(text, "show.srt"), DEAL) == []


def test_first_seconds_uses_cue_times_disclosure_at_45s_is_late(lint):
    text = srt(("00:00:01", "Hello!"), ("00:00:45", "Paid promotion, everyone."), ("00:01:00", "This brand deal rocks."))
    found = only(lint(text, "show.srt"), DEAL)
    # the finding points at the trigger, with the trigger cue's time
    assert [(f.line, f.column, f.end_column, f.timestamp) for f in found] == [(11, 6, 16, "00:01:00.000")]


def test_first_seconds_counts_time_not_cues(lint):
    # five early cues are all within 30 s, so the fifth cue still counts as the opening
    cues = [(f"00:00:0{i}", "Hi.") for i in range(1, 5)] + [("00:00:29", "Paid promotion!"),
                                                            ("00:00:40", "A brand deal.")]
    assert only(lint(srt(*cues), "show.srt"), DEAL) == []


def test_first_seconds_falls_back_to_three_segments_without_times(lint):
    assert only(lint("Hi.\n\nHello.\n\nPaid promotion.\n\nA brand deal."), DEAL) == []
    found = only(lint("Hi.\n\nHello.\n\nWelcome.\n\nPaid promotion: a brand deal."), DEAL)
    assert spans(found) == [(DEAL, 7, 19, 7, 29)]


# --- require: metadata triggers ---------------------------------------------------------------

def test_metadata_trigger_points_at_the_front_matter_line(lint):
    text = "---\nmarket: us\nsponsored: true\n---\nWelcome to the show!\n"
    found = only(lint(text), SPONSORED)
    assert spans(found) == [(SPONSORED, 3, 1, 3, 16)]
    assert found[0].text == "sponsored: true"
    assert found[0].timestamp is None


def test_metadata_trigger_satisfied_or_not_triggered(lint):
    assert only(lint("---\nsponsored: true\n---\nWelcome! This is an ad for Acme.\n"), SPONSORED) == []
    assert only(lint("---\nsponsored: false\n---\nWelcome!\n"), SPONSORED) == []
    assert only(lint("---\nsponsored: yes\n---\nWelcome!\n"), SPONSORED) != []
    assert only(lint("Welcome!\n"), SPONSORED) == []


def test_metadata_trigger_from_options_points_at_line_1():
    from culture_lint import lint_text, make_linter

    from conftest import PACKS

    linter = make_linter(["us"], rules_dirs=[PACKS], metadata={"sponsored": True})
    found = only(lint_text("Welcome to the show!\nBye.\n", linter=linter), SPONSORED)
    assert spans(found) == [(SPONSORED, 1, 1, 1, 21)]


def test_metadata_trigger_in_markdown_front_matter(lint):
    md = "---\ntitle: Live\nsponsored: true\n---\n# Welcome\n\nHello!\n"
    assert spans(only(lint(md, "show.md"), SPONSORED)) == [(SPONSORED, 3, 1, 3, 16)]


# --- limit ------------------------------------------------------------------------------------

def test_limit_per_document_reports_the_first_excess(lint):
    assert only(lint("Last chance!\n\nLast chance!"), LAST) == []
    found = only(lint("Last chance!\n\nHello.\n\nLast chance!\n\n手慢无！\n\nlast chance"), LAST)
    assert spans(found) == [(LAST, 7, 1, 7, 4)]
    assert found[0].text == "手慢无"
    assert found[0].message == "“手慢无”: 4 urgency calls in this script (at most 2)."


def test_limit_counts_negated_mentions_because_negation_defaults_off(lint):
    # negation is on by default only for forbid rules (docs/rule-packs.md)
    found = only(lint("Last chance! Last chance! This is not the last chance."), LAST)
    assert [(f.line, f.column) for f in found] == [(1, 43)]


@pytest.mark.parametrize("gap, expected", [(0, [(3, 1)]), (1, []), (2, [])])
def test_limit_per_segments(lint, gap, expected):
    text = "\n\n".join(["Only 3 left!"] + ["Hello."] * gap + ["Only 2 left!"])
    assert [(f.line, f.column) for f in only(lint(text), STOCK)] == expected


def test_limit_per_segments_counts_within_one_segment(lint):
    found = only(lint("Only 3 left! Only 2 left!"), STOCK)
    assert [(f.line, f.column, f.end_column) for f in found] == [(1, 14, 25)]


def test_limit_per_minutes_uses_cue_times(lint):
    within = srt(("00:00:01", "Hurry!"), ("00:00:30", "Hurry up!"))
    found = only(lint(within, "show.srt"), HURRY)
    assert [(f.line, f.column, f.timestamp) for f in found] == [(7, 1, "00:00:30.000")]
    assert found[0].message == "“Hurry”: 2 “hurry” calls within a minute (at most 1)."
    apart = srt(("00:00:01", "Hurry!"), ("00:01:30", "Hurry up!"))
    assert only(lint(apart, "show.srt"), HURRY) == []


def test_limit_per_minutes_reports_once_per_window(lint):
    text = srt(("00:00:01", "Hurry!"), ("00:00:20", "Hurry!"), ("00:00:40", "Hurry!"),
               ("00:05:00", "Hurry!"), ("00:05:10", "Hurry!"))
    found = only(lint(text, "show.srt"), HURRY)
    assert [f.timestamp for f in found] == ["00:00:20.000", "00:05:10.000"]


def test_limit_per_minutes_without_times_counts_the_whole_document(lint):
    found = only(lint("Hurry!\n\nHello.\n\nHurry!"), HURRY)
    assert [(f.line, f.column) for f in found] == [(5, 1)]


# --- markets ----------------------------------------------------------------------------------

def test_every_market_gets_its_own_finding(lint, zz_us_linter):
    found = lint("Slimming, and it's totally free!", linter=zz_us_linter)
    assert [(f.rule, f.market, f.column) for f in found] == [
        ("global.weight-loss-claim.slimming", "us", 1),
        ("global.weight-loss-claim.slimming", "zz", 1),
        ("zz.pricing.totally-free", "zz", 20),
    ]
    free = found[2]
    assert [(s.replacement, s.safe) for s in free.suggestions] == [("free with any order", True)]


def test_alias_resolves_to_the_pack(lint):
    from culture_lint import make_linter

    from conftest import PACKS

    linter = make_linter(["zed"], rules_dirs=[PACKS])
    assert linter.markets == ["zz"]
    assert {f.market for f in lint("slimming, totally free", linter=linter)} == {"zz"}
