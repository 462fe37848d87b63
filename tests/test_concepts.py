"""Concept lexicons and composed patterns (packs/concepts.py, match/compose.py), and the corpus evaluation."""

from __future__ import annotations

import json
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from culture_lint.engine import Linter
from culture_lint.packs.concepts import compositions_of, parse_composition, resolve
from culture_lint.packs.registry import Registry
from culture_lint.readers import read_text

ROOT = Path(__file__).resolve().parent.parent
LANGS = ["en", "zh", "es", "pt", "fr", "de", "it", "nl", "ar", "id", "ms", "th", "vi", "tl", "ja", "ko", "hi"]


def _pack(tmp_path: Path, rules: list[dict], concepts: dict[str, dict] | None = None) -> Path:
    root = tmp_path / "rules"
    (root / "zz").mkdir(parents=True)
    (root / "zz" / "pack.yaml").write_text(yaml.safe_dump({
        "pack": "zz", "kind": "market", "name": {"en": "Test", "zh": "测试"}, "languages": ["en", "zh"],
        "extends": []}), encoding="utf-8")
    (root / "zz" / "rules.yaml").write_text(yaml.safe_dump({"rules": rules}, allow_unicode=True), encoding="utf-8")
    if concepts:
        (root / "concepts").mkdir()
        for name, terms in concepts.items():
            (root / "concepts" / f"{name}.yaml").write_text(yaml.safe_dump(
                {"concept": name, "terms": terms}, allow_unicode=True), encoding="utf-8")
    return root


def _rule(patterns, rid="zz.health-claim.t", **extra) -> dict:
    return {"id": rid, "category": "health-claim", "severity": "error", "kind": "forbid",
            "message": {"en": "“{text}”", "zh": "“{text}”"}, "why": {"en": "w", "zh": "w"}, "source": "s",
            "patterns": patterns, "tests": {"flag": ["x"], "pass": ["y"]}, **extra}


def _texts(root: Path, text: str, market: str = "zz") -> list[str]:
    linter = Linter([market], Registry([root], bundled=False))
    return [f.text for f in linter.lint(read_text("t.txt", text)) if f.rule.startswith(market + ".")]


CONCEPTS = {"eff": {"en": ["cure", "lower"], "zh": ["治疗", "降"]},
            "cond": {"en": ["diabetes", "blood sugar"], "zh": ["糖尿病", "血糖"]},
            "holy": {"en": ["Allah"]}, "floor": {"en": ["doormat", "shoes"]}}


def test_sequence_gap_negation_and_sentence(tmp_path):
    root = _pack(tmp_path, [_rule({"concepts": ["eff {0,2} cond", "cond {0,1} eff"]})], CONCEPTS)
    assert _texts(root, "It cures your old type diabetes.") == []  # three words between: outside {0,2}
    assert _texts(root, "It cures your diabetes.") == ["cures your diabetes"]
    assert _texts(root, "It lowers blood sugar fast.") == ["lowers blood sugar"]
    assert _texts(root, "It does not cure diabetes.") == []  # negation before the claim
    assert _texts(root, "It will cure no diabetes.") == []  # negation inside the gap
    assert _texts(root, "We cure. Diabetes is common.") == []  # never across a sentence
    assert _texts(root, "这款茶能降血糖") == ["降血糖"]
    assert _texts(root, "血糖降下") == ["血糖降"]  # the reverse order (Japanese-style)


def test_co_occurrence_window(tmp_path):
    root = _pack(tmp_path, [_rule({"concepts": [{"all": ["holy", "floor"], "within": "sentence"}]},
                                  category="religious")], CONCEPTS)
    assert _texts(root, "New doormat printed with Allah in gold.") == ["Allah"]
    assert _texts(root, "Allah is great. New doormat in stock.") == []
    root2 = _pack(tmp_path / "b", [_rule({"concepts": [{"all": ["holy", "floor"], "within": "document"}]},
                                         category="religious")], CONCEPTS)
    assert _texts(root2, "Allah is great. New doormat in stock.") == ["Allah"]


def test_bad_compositions_are_reported_with_their_place(tmp_path):
    for bad, words in (("eff {0,2}", "between two concepts"), ("eff {0,99} cond", "≤ 12"),
                       ({"all": ["eff"]}, "two or more"), ({"all": ["eff", "cond"], "within": "page"}, "within"),
                       ("eff + cond", "concept name")):
        assert isinstance(parse_composition(bad), str) and words in parse_composition(bad)
    root = _pack(tmp_path, [_rule({"concepts": ["eff {0,2} condd"]})], CONCEPTS)
    out = subprocess.run([sys.executable, "-m", "culture_lint", "rules", "validate", str(root)],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert "rules.yaml" in out.stderr and "unknown concept 'condd'; did you mean 'cond'?" in out.stderr
    assert "Traceback" not in out.stderr


def test_rules_show_explains_a_composed_rule(tmp_path):
    root = _pack(tmp_path, [_rule({"concepts": ["eff {0,2} cond"]})], CONCEPTS)
    out = subprocess.run([sys.executable, "-m", "culture_lint", "rules", "show", "zz.health-claim.t",
                          "--rules", str(root)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "eff then within 0–2 words cond" in out.stdout
    assert "cond: 4 terms in en, zh" in out.stdout


# -- a term added to a concept reaches every market and language that uses the concept ---------------------

def _word(i: int, lang: str) -> str:
    """A made-up word per concept and language that no stemmer shortens and no language uses."""
    letters = string.ascii_lowercase
    tag = letters[i // 26] + letters[i % 26]
    if lang in ("zh", "ja"):
        return "鿐鿑"[: 1] + chr(0x9FD2 + i) + "鿐"
    if lang == "ko":
        return "힣" + chr(0xD7A0 - 1 - i) + "힢"
    if lang == "th":
        return "ฃฅ" + chr(0x0E01 + (i % 20)) + "ฃฅ"
    if lang == "ar":
        return "ظغظ" + "ضصثقفغعهخحجد"[i % 12] + "ظغ"
    if lang == "hi":
        return "ञङ" + "कखगघचछजझटठडढ"[i % 12] + "ञङ"
    return f"zqx{tag}vzk"


def test_a_concept_term_reaches_every_market_and_language(tmp_path):
    registry = Registry()
    used: dict[str, list] = {}
    for pid in registry.pack_ids:
        for rule in registry.pack(pid).rules:
            for role, shape in compositions_of(rule):
                for comp in resolve(shape, registry.concepts()):  # a claim shape stands for its compositions
                    if role in ("p", "t"):
                        used.setdefault(pid, []).append((rule, role, comp))
    assert len(used) >= 20, "most packs compose shared concepts"
    names = sorted({n for items in used.values() for _r, _role, c in items for n in c.items})
    extra = tmp_path / "extra"
    (extra / "concepts").mkdir(parents=True)
    for i, name in enumerate(names):
        (extra / "concepts" / f"{name}.yaml").write_text(yaml.safe_dump(
            {"concept": name, "terms": {lang: [_word(i, lang)] for lang in LANGS}}, allow_unicode=True),
            encoding="utf-8")
    index = {n: i for i, n in enumerate(names)}
    reg = Registry([extra])
    markets = [pid for pid in reg.pack_ids if reg.pack(pid).kind == "market"]
    checked = 0
    for market in markets:
        lineage = set(reg.lineage(market))
        linter = Linter([market], reg)
        for pid, items in used.items():
            if pid not in lineage:
                continue
            for rule, role, comp in items:
                if rule.when or rule.id not in {r.id for r in linter.rules}:
                    continue
                for lang in comp.langs or LANGS:
                    sep = "" if lang in ("zh", "ja", "ko", "th") else " "
                    text = sep.join(_word(index[n], lang) for n in comp.items) + ("。" if not sep else ".")
                    found = [f for f in linter.lint(read_text("t.txt", text)) if f.category == rule.category]
                    assert found, f"{rule.id} ({comp.text}) in {market} misses the new {lang} terms: {text}"
                    checked += 1
    assert checked > 500


# -- the corpus evaluation ----------------------------------------------------------------------------------

def test_rules_eval_counts_recall_and_clean_pass(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.yaml").write_text(yaml.safe_dump({"source": {"id": "a"}, "split": "dev", "cases": [
        {"text": "This tea cures diabetes.", "url": "u", "markets": ["us"], "lang": "en", "expect": ["health-claim"]},
        {"text": "A cosy blanket for winter.", "url": "u", "markets": ["us"], "lang": "en",
         "expect": ["health-claim", "pricing"]},
        {"text": "Vitamin C contributes to the normal function of the immune system.", "url": "u",
         "markets": ["gb"], "lang": "en", "expect": []}]}), encoding="utf-8")
    (corpus / "b.yaml").write_text(yaml.safe_dump({"source": {"id": "b"}, "split": "held-out", "cases": [
        {"text": "Lose 10 kg in 10 days!", "url": "u", "markets": ["gb"], "lang": "en",
         "expect": ["weight-loss-claim"]}]}), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "culture_lint", "rules", "eval", str(corpus), "--format", "json",
                          "--misses"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    dev = data["splits"]["dev"]
    assert dev["all"]["all"]["expected"] == 3 and dev["all"]["all"]["caught"] == 1
    assert dev["all"]["all"]["compliant"] == 1 and dev["all"]["all"]["clean"] == 1
    assert dev["category"]["pricing"]["caught"] == 0 and dev["category"]["health-claim"]["expected"] == 2
    assert data["splits"]["held-out"]["all"]["all"]["caught"] == 1
    md = subprocess.run([sys.executable, "-m", "culture_lint", "rules", "eval", str(corpus), "--format", "markdown"],
                        capture_output=True, text=True)
    assert "| dev | 33 % (1/3) | 100 % (1/1) | 3 |" in md.stdout
    (corpus / "c.yaml").write_text("split: dev\ncases: [{text: x}]\n", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "culture_lint", "rules", "eval", str(corpus)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "case 1" in bad.stderr and "Traceback" not in bad.stderr


def test_real_corpus_is_well_formed_and_split_by_source():
    from culture_lint.packs.corpus import load_corpus

    cases = load_corpus(ROOT / "tests" / "corpus" / "real")
    assert len(cases) >= 600
    held = [c for c in cases if c.split == "held-out"]
    assert len(held) >= 0.3 * len(cases)
    assert sum(c.compliant for c in cases) >= 150
    assert all(c.url.startswith("http") for c in cases)
    by_source: dict[str, set[str]] = {}
    for c in cases:
        by_source.setdefault(c.source, set()).add(c.split)
    assert all(len(s) == 1 for s in by_source.values())


def test_every_concept_is_documented():
    text = (ROOT / "docs" / "rule-packs.md").read_text(encoding="utf-8")
    names = sorted(p.stem for p in (ROOT / "rules" / "concepts").glob("*.yaml"))
    assert names and all(f"`{n}`" in text for n in names), [n for n in names if f"`{n}`" not in text]
