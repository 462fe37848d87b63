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


def test_market_findings_have_no_platform_key(registry):
    findings = _lint(registry, "This tea cures diabetes.\n", ["tiktok-shop"])
    assert findings and all(f.platform is None and "platform" not in f.to_dict() for f in findings)


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
