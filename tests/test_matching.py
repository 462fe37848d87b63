"""Pattern matching: stems, case, CJK, normalization, placeholders, token patterns, negation, exceptions."""

from __future__ import annotations

import pytest

from conftest import spans

pytestmark = pytest.mark.usefixtures("isolated_cwd")

SLIM = "global.weight-loss-claim.slimming"
LOSE = "global.weight-loss-claim.lose-weight"
CURE = "global.health-claim.cure"
FDA = "us.health-claim.fda-approved"


def hits(findings, rule):
    return [(f.line, f.column, f.end_column, f.text) for f in findings if f.rule == rule]


# --- stems and case ---------------------------------------------------------------------------

@pytest.mark.parametrize("word", ["slim", "Slimming", "SLIMS", "slimmed", "Slims"])
def test_inflections_and_case_match_one_pattern(lint, word):
    found = lint(f"Our tea will {word} you.")
    assert hits(found, SLIM) == [(1, 14, 14 + len(word), word)]


@pytest.mark.parametrize("word", ["slimline", "Islamic", "slimy", "unslimmable", "slimmingworld"])
def test_words_that_only_contain_the_stem_do_not_match(lint, word):
    assert hits(lint(f"Our {word} case."), SLIM) == []


def test_match_across_a_line_break_inside_a_paragraph(lint):
    found = lint("HOST: This tea burns\n  belly\nfat every night.")
    assert spans(found, LOSE) == [(LOSE, 1, 16, 3, 4)]
    assert hits(found, LOSE)[0][3] == "burns\n  belly\nfat"


# --- CJK and normalization --------------------------------------------------------------------

def test_chinese_matches_inside_longer_words(lint):
    found = lint("我们的减肥茶，超级减肥。")
    assert hits(found, SLIM) == [(1, 4, 6, "减肥"), (1, 10, 12, "减肥")]


def test_traditional_chinese_matches_a_simplified_pattern(lint):
    found = lint("這款減肥茶真的能治癒痘痘")
    # positions and text are those of the traditional characters on disk
    assert hits(found, SLIM) == [(1, 3, 5, "減肥")]
    assert hits(found, CURE) == [(1, 9, 11, "治癒")]


def test_full_width_letters_are_folded(lint):
    found = lint("ＳＬＩＭＭＩＮＧ tea and Ｓｌｉｍ")
    assert hits(found, SLIM) == [(1, 1, 9, "ＳＬＩＭＭＩＮＧ"), (1, 18, 22, "Ｓｌｉｍ")]


def test_zero_width_characters_do_not_hide_words_and_positions_stay_on_disk(lint):
    found = lint("Try sli\u200bmm\u00ading tea")
    assert hits(found, SLIM) == [(1, 5, 15, "sli\u200bmm\u00ading")]


def test_mixed_language_line(lint):
    found = lint("主播：this slimming tea 是减肥茶 cures acne！")
    assert hits(found, SLIM) == [(1, 9, 17, "slimming"), (1, 23, 25, "减肥")]
    assert hits(found, CURE) == [(1, 27, 37, "cures acne")]


# --- placeholders, exact phrases and token patterns -------------------------------------------

@pytest.mark.parametrize("text, span", [
    ("You will lose 10 pounds.", "lose 10 pounds"),
    ("You will lose ten pounds.", "lose ten pounds"),
    ("You will lose 3.5 pounds.", "lose 3.5 pounds"),
    ("It burns fat.", "burns fat"),
    ("It burns belly fat.", "burns belly fat"),
    ("It burns stubborn belly fat.", "burns stubborn belly fat"),
    ("Your belly melts away.", "Your belly melts"),
    ("The best fat burner.", "fat burner"),
    ("Try our detoxing juice.", "detoxing juice"),
    ("Drink detox tea.", "detox tea"),
    ("一周瘦10斤", "瘦10斤"),
])
def test_placeholders_exact_and_token_patterns_match(lint, text, span):
    assert [h[3] for h in hits(lint(text), LOSE)] == [span]


@pytest.mark.parametrize("text", [
    "You will lose your keys.",
    "You will lose pounds.",
    "It burns the very last bit of stubborn fat.",
    "Belly melts.",
    "Fat burners are gone.",
    "Try our detox smoothie.",
    "一周瘦了斤",
])
def test_placeholders_exact_and_token_patterns_do_not_overmatch(lint, text):
    assert hits(lint(text), LOSE) == []


def test_placeholder_gaps_do_not_cross_segments(lint):
    assert hits(lint("It burns\n\nfat."), LOSE) == []
    assert hits(lint("Hello belly\n\nmelts."), LOSE) == []


@pytest.mark.parametrize("text, span", [
    ("It is FDA approved.", "FDA approved"),
    ("An FDA-certified formula.", "FDA-certified"),
    ("fda approves it", "fda approves"),
])
def test_token_pattern_with_optional_token_and_lemma_in(lint, text, span):
    assert [h[3] for h in hits(lint(text), FDA)] == [span]


# --- negation ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "This serum does not cure acne.",
    "It doesn't cure acne.",
    "It never heals eczema.",
    "No, it cannot really cure acne.",
    "这款精华不能治愈痘痘",
    "这款精华没有治愈功效",
])
def test_negation_before_the_claim_cancels_it(lint, text):
    assert hits(lint(text), CURE) == []


@pytest.mark.parametrize("text, span", [
    ("Not greasy, cures acne.", (1, 13, 23, "cures acne")),        # a comma closes the clause
    ("It is not cheap but it cures acne.", (1, 24, 34, "cures acne")),  # so does "but"
    ("Not oily. It cures acne.", (1, 14, 24, "cures acne")),      # and a sentence end
    ("Not that I would ever say this serum cures acne.", (1, 38, 48, "cures acne")),  # > 5 words away
    ("不油腻，能治愈痘痘", (1, 6, 8, "治愈")),                       # full-width comma
])
def test_negation_does_not_reach_past_its_clause(lint, text, span):
    assert hits(lint(text), CURE) == [span]


def test_negation_off_for_a_rule(lint):
    # global.interaction.greeting sets negation: false
    assert [f.rule for f in lint("No hey guys today.") if f.rule == "global.interaction.greeting"] == [
        "global.interaction.greeting"]


# --- exceptions and disclaimers ---------------------------------------------------------------

def test_exception_in_the_same_sentence_cancels(lint):
    assert hits(lint("It cures acne, ask your doctor first."), CURE) == []
    assert hits(lint("请咨询医生，本品可治愈痘痘。"), CURE) == []


def test_exception_in_another_sentence_does_not_cancel(lint):
    assert hits(lint("It cures acne. Ask your doctor first."), CURE) == [(1, 4, 14, "cures acne")]
    assert hits(lint("It cures acne.\n\nAsk your doctor first."), CURE) == [(1, 4, 14, "cures acne")]


def test_exceptions_belong_to_their_rule(lint):
    # "ask your doctor" is an exception of the cure rule only
    found = lint("Slimming tea, ask your doctor.")
    assert hits(found, SLIM) == [(1, 1, 9, "Slimming")]


def test_pack_disclaimers_cancel_in_the_same_sentence(lint):
    assert hits(lint("Slimming tea, results may vary."), SLIM) == []
    assert hits(lint("减肥茶，效果因人而异。"), SLIM) == []
    assert hits(lint("Slimming tea. Results may vary."), SLIM) == [(1, 1, 9, "Slimming")]


def test_disclaimers_of_parent_packs_apply_to_children(lint, zz_us_linter):
    text = "FDA approved formula, not evaluated by the FDA."
    assert hits(lint(text), FDA) == []
    assert [f.rule for f in lint(text, linter=zz_us_linter)] == []
    # without the disclaimer both markets report it
    found = lint("FDA approved formula.", linter=zz_us_linter)
    assert sorted((f.rule, f.market) for f in found) == [(FDA, "us"), (FDA, "zz")]


def test_disclaimers_do_not_reach_rules_of_unrelated_packs(lint, zz_us_linter):
    # a `us` disclaimer covers us rules and rules of packs extending us, not the global rules
    assert hits(lint("Slimming tea, not evaluated by the FDA."), SLIM) == [(1, 1, 9, "Slimming")]
    # a `global` disclaimer covers every pack that extends global
    assert hits(lint("FDA approved, results may vary."), FDA) == []
    # zz extends us: the us disclaimer covers the zz rule, but still not the global one
    found = lint("Totally free slimming tea, not evaluated by the FDA.", linter=zz_us_linter)
    assert sorted((f.rule, f.market) for f in found) == [(SLIM, "us"), (SLIM, "zz")]
    found = lint("Totally free slimming tea.", linter=zz_us_linter)
    assert sorted((f.rule, f.market) for f in found) == [
        (SLIM, "us"), (SLIM, "zz"), ("zz.pricing.totally-free", "zz")]
