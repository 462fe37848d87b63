"""Platform packs (rules/platforms/<platform>/): applied on top of the market packs with --platform."""

from __future__ import annotations

import pytest

from culture_lint.engine import Linter, Options
from culture_lint.errors import MarketError
from culture_lint.packs.registry import Registry
from culture_lint.readers import read_text

CLEAN_US = "Welcome to the show! This cotton tee comes in five colours.\n"
OFF_PLATFORM = CLEAN_US + "Add me on WhatsApp to order, I give you a better price.\n"
SIMULCAST = CLEAN_US + "We're also live on Instagram right now, say hi over there!\n"


@pytest.fixture(scope="module")
def registry():
    return Registry()


def _lint(registry, text, platforms=(), markets=("us",), name="show.txt"):
    linter = Linter(list(markets), registry, Options(platforms=list(platforms)))
    return linter.lint(read_text(name, text))


def test_platform_packs_are_apart_from_markets(registry):
    assert "tiktok-shop" in registry.platform_ids
    assert "tiktok-shop" not in registry.pack_ids
    with pytest.raises(MarketError):
        registry.resolve_market("tiktok-shop")
    assert registry.resolve_platform("TikTok Shop") == "tiktok-shop"
    with pytest.raises(MarketError) as exc:
        registry.resolve_platform("tiktok-shopp")
    assert "tiktok-shop" in str(exc.value.hint)


@pytest.mark.parametrize("text, rule", [(OFF_PLATFORM, "tiktok-shop.redirect.off-platform"),
                                        (SIMULCAST, "tiktok-shop.live.simulcast")])
def test_flagged_with_platform_and_not_without(registry, text, rule):
    assert _lint(registry, text) == []
    found = [f for f in _lint(registry, text, ["tiktok-shop"]) if f.rule == rule]
    assert len(found) == 1
    f = found[0]
    assert f.platform == "tiktok-shop" and f.market == "us" and f.where == "us · tiktok-shop"
    assert f.to_dict()["platform"] == "tiktok-shop"


# Each pack's signature rule: a script clean for the market is flagged with the platform and not without it.
SIGNATURES = [
    ("tiktok-shop", "us", "Other brands are junk, ours is the real deal.", "tiktok-shop.comparison.disparaging"),
    ("shopee", "sg", "Add me on WhatsApp to order, I give you a better price.", "shopee.redirect.off-platform"),
    ("lazada", "ph", "GCash ko na lang, para mas mabilis.", "lazada.redirect.direct-payment"),
    ("amazon-live", "us", "[Play the 10-minute pre-recorded demo]", "amazon-live.live.prerecorded-clip"),
    ("youtube", "us", "This stream is sponsored by GlowLab, thanks for the support.", "youtube.paid-promotion.declare"),
    ("instagram", "us", "I stack these SARMs before every workout.", "instagram.branded-content.prohibited"),
    ("facebook", "gb", "I stack these SARMs before every workout.", "facebook.branded-content.prohibited"),
]


@pytest.mark.parametrize("platform, market, line, rule", SIGNATURES)
def test_each_pack_flags_its_signature_only_with_its_platform(registry, platform, market, line, rule):
    text = CLEAN_US + line + "\n"
    assert _lint(registry, text, markets=(market,)) == []
    found = _lint(registry, text, [platform], (market,))
    assert [f.rule for f in found] == [rule]
    assert found[0].platform == platform and found[0].where == f"{market} · {platform}" and found[0].line == 2
    others = [p for p in registry.platform_ids if p != platform and p in {s[0] for s in SIGNATURES}]
    assert not [f for f in _lint(registry, text, others, (market,)) if f.rule == rule]


def test_contract_platforms_all_have_packs(registry):
    assert {s[0] for s in SIGNATURES} <= set(registry.platform_ids)


def test_every_platform_rule_says_why_in_en_and_zh_with_a_dated_source(registry):
    import re

    for pid in registry.platform_ids:
        pack = registry.pack(pid)
        assert pack.kind == "platform" and pack.markets
        for rule in pack.rules:
            assert rule.id.startswith(pid + ".")
            assert rule.message.get("en") and rule.message.get("zh"), rule.id
            assert rule.why.get("en") and rule.why.get("zh"), rule.id
            assert re.search(r"read 20\d\d-\d\d-\d\d", rule.source) and "https://" in rule.source.replace(
                "http://", "https://"), rule.id
            assert rule.suggestions or rule.kind == "cadence", rule.id


def test_shopee_low_interaction_needs_timed_scripts(registry):
    silent = ("1\n00:00:05,000 --> 00:00:10,000\nWelcome to the shop.\n\n"
              "2\n00:12:00,000 --> 00:12:05,000\nThis is the blue dress.\n")
    rules = {"shopee.live.opening-interaction", "shopee.live.interaction-gap"}
    assert rules <= {f.rule for f in _lint(registry, silent, ["shopee"], ("sg",), "show.srt")}
    chatty = silent.replace("Welcome to the shop.", "Welcome! Which colour first, blue or red?").replace(
        "This is the blue dress.", "Comment your size, who wants the blue dress?")
    chatty = chatty.replace("00:12:00,000 --> 00:12:05,000", "00:04:00,000 --> 00:04:05,000")
    assert not {f.rule for f in _lint(registry, chatty, ["shopee"], ("sg",), "show.srt")} & rules
    assert not [f for f in _lint(registry, silent, markets=("sg",), name="show.srt") if f.rule.startswith("shopee.")]


def test_amazon_english_rule_is_a_market_variant(registry):
    text = CLEAN_US + "这款搅拌机功率很大。\n"
    assert [f.rule for f in _lint(registry, text, ["amazon-live"], ("us",))] == ["amazon-live.language.english-site"]
    assert not [f for f in _lint(registry, text, ["amazon-live"], ("de",)) if f.rule.startswith("amazon-live.")]
    assert "amazon-live.language.english-site" not in {r.id for r in registry.platform_rules("amazon-live", "jp")}


def test_market_findings_have_no_platform_key(registry):
    findings = _lint(registry, "This tea cures diabetes.\n", ["tiktok-shop"])
    market = [f for f in findings if not f.rule.startswith("tiktok-shop.")]
    assert market and all(f.platform is None and "platform" not in f.to_dict() for f in market)
    # the law and the platform are both reported on the same words, never merged
    platform = [f for f in findings if f.rule == "tiktok-shop.claim.medical"]
    assert len(platform) == 1 and (platform[0].start, platform[0].end) == (market[0].start, market[0].end)


def test_front_matter_platform(registry):
    text = "---\nplatform: tiktok-shop\n---\n" + OFF_PLATFORM
    found = _lint(registry, text)
    assert [f.rule for f in found] == ["tiktok-shop.redirect.off-platform"]
    assert found[0].line == 5


def test_unknown_front_matter_platform_is_a_warning(registry):
    text = "---\nplatform: [tiktok-shop, myspace]\n---\n" + OFF_PLATFORM
    found = _lint(registry, text)
    assert {f.rule for f in found} == {"tiktok-shop.redirect.off-platform", "core.input.unknown-platform"}
    note = next(f for f in found if f.rule == "core.input.unknown-platform")
    assert note.line == 2 and note.severity == "warning" and "myspace" in note.message


def test_platform_rules_may_be_limited_to_markets(tmp_path, registry):
    import shutil

    base = tmp_path / "platforms" / "demo"
    base.mkdir(parents=True)
    (base / "pack.yaml").write_text("pack: demo\nkind: platform\nlanguages: [en]\nmarkets: [gb, de]\n")
    (base / "r.yaml").write_text("""rules:
  - id: demo.only-eu
    category: interaction
    severity: warning
    kind: forbid
    message: {en: "x", zh: "x"}
    why: {en: "x", zh: "x"}
    source: "https://example.com/policy"
    when: {markets: [eu]}
    patterns: {en: ["pineapple"]}
    tests: {flag: ["pineapple"], pass: ["apple"]}
""")
    reg = Registry([tmp_path])
    assert reg.platform_ids == sorted(set(registry.platform_ids) | {"demo"})
    assert [r.id for r in reg.platform_rules("demo", "de")] == ["demo.only-eu"]  # de extends eu
    assert reg.platform_rules("demo", "us") == []
    assert _lint(reg, "pineapple\n", ["demo"], ["de"])[0].rule == "demo.only-eu"
    assert _lint(reg, "pineapple\n", ["demo"], ["us"]) == []
    shutil.rmtree(tmp_path / "platforms")


# -- command line ---------------------------------------------------------------------------------------

def _cli(*args):
    from conftest import cli

    return cli(*args)


@pytest.fixture
def show(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "show.txt"
    path.write_text(OFF_PLATFORM + "We're also live on Instagram right now, say hi over there!\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("fmt, needle", [
    ("text", "[us · tiktok-shop]"), ("concise", "[us · tiktok-shop]"), ("github", "[us · tiktok-shop]"),
    ("junit", "[us · tiktok-shop]"), ("gitlab", "[us · tiktok-shop]"), ("html", "us · tiktok-shop"),
    ("sarif", '"platform": "tiktok-shop"'), ("json", '"platform": "tiktok-shop"')])
def test_every_format_names_the_platform(show, fmt, needle):
    code, out, err = _cli("check", show, "-m", "us", "--platform", "tiktok-shop", "--no-cache", "-f", fmt)
    assert code == 1, err
    assert out.count(needle) >= 2
    code, out, _err = _cli("check", show, "-m", "us", "--no-cache", "-f", fmt)
    assert code == 0 and "tiktok-shop" not in out


def test_json_with_platform_is_valid_v1(show):
    import json

    import jsonschema
    from conftest import OUTPUT_SCHEMA

    code, out, _err = _cli("check", show, "-m", "us", "--platform", "tiktok-shop", "--no-cache", "-f", "json")
    report = json.loads(out)
    jsonschema.validate(report, json.loads(OUTPUT_SCHEMA.read_text(encoding="utf-8")))
    assert {f["platform"] for f in report["files"][0]["findings"]} == {"tiktok-shop"}


def test_platforms_from_config_and_unknown_platform_exits_2(show, tmp_path):
    (tmp_path / ".culture-lint.yaml").write_text("markets: [us]\nplatforms: [tiktok-shop]\n", encoding="utf-8")
    code, out, _err = _cli("check", show, "--no-cache", "-f", "concise")
    assert code == 1 and "tiktok-shop.redirect.off-platform" in out
    code, out, err = _cli("check", show, "-m", "us", "--platform", "tiktokshop", "--no-cache")
    assert code == 2 and "unknown platform 'tiktokshop'" in err and "tiktok-shop" in err


def test_score_counts_platform_findings_under_compliance(show):
    import json

    code, out, _err = _cli("score", show, "-m", "us", "--platform", "tiktok-shop", "-f", "json")
    with_platform = json.loads(out)["files"][0]["scores"]["us"]
    code, out, _err = _cli("score", show, "-m", "us", "-f", "json")
    without = json.loads(out)["files"][0]["scores"]["us"]
    assert with_platform["subscores"]["compliance"] < without["subscores"]["compliance"]
    assert with_platform["subscores"]["interaction"] == without["subscores"]["interaction"]
    assert with_platform["band"] == "fail" and without["band"] == "good"


def test_platforms_command_and_rules_list():
    import json

    code, out, _err = _cli("platforms", "-f", "json")
    rows = {r["platform"]: r for r in json.loads(out)}
    assert code == 0 and "tiktok-shop" in rows
    for row in rows.values():
        assert row["markets"] and row["rules"] and all(r["source"] for r in row["rules"])
    code, out, _err = _cli("rules", "list", "--platform", "tiktok-shop", "-f", "json")
    assert {r["id"] for r in json.loads(out)} == {r["id"] for r in rows["tiktok-shop"]["rules"]}
    code, out, _err = _cli("rules", "list", "-m", "us", "--platform", "tiktok-shop", "-f", "json")
    ids = {r["id"] for r in json.loads(out)}
    assert "tiktok-shop.redirect.off-platform" in ids and "us.giveaway.purchase-required" in ids


def test_every_platform_pack_passes_its_fixtures(registry):
    from culture_lint.testing import run_cases

    results = run_cases(registry, registry.platform_ids)
    assert results and all(r.ok for r in results), [r.describe() for r in results if not r.ok]
    for pid in registry.platform_ids:
        for rule in registry.pack(pid).rules:
            assert rule.source and "http" in rule.source and rule.tests.get("flag") and rule.tests.get("pass")
