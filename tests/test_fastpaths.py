"""The fast paths of the hot loop give exactly what the straightforward code gives.

Each speed-up (docs/performance.md) keeps a reference to compare with: spaCy's matchers for
``fastmatch``, the one-alternation tokenizer regex, the character-by-character normalizer and the full
evasion view. These tests run both on real scripts, the bench corpus and randomized text.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from conftest import PACKS, ROOT

sys.path.insert(0, str(ROOT))
from bench.corpus import generate  # noqa: E402

PACKS_CI = Path(__file__).resolve().parent / "packs" / "ci"


@pytest.fixture(scope="module")
def corpus_texts(tmp_path_factory) -> list[str]:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, 12_000, seed=3)
    texts = [p.read_text(encoding="utf-8") for p in sorted(out.iterdir())]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "examples").glob("*.*"))]
    return texts


def _all_patterns(registry):
    entries = []
    for pid in registry.pack_ids:
        pack = registry.pack(pid)
        entries += [(("d", pid), p) for p in pack.disclaimers]
        for i, rule in enumerate(pack.rules):
            for role, attr in (("p", "patterns"), ("x", "exceptions"), ("t", "trigger_patterns"),
                               ("r", "required_patterns")):
                entries += [((rule.id, role), p) for p in getattr(rule, attr)]
    return entries


def _dense_streams(entries, n: int, seed: int) -> list[str]:
    """Random texts made of the patterns' own words, numbers and punctuation: matches everywhere."""
    from culture_lint.match.tokens import tokenize

    vocab = set()
    for _key, p in entries:
        vocab.update(w for w in tokenize(re.sub(r"\{[^}]*\}", " ", p.text)).words if len(w) < 30)
    vocab = sorted(vocab) + ["3", "10", "twenty", ",", ".", "!", "?", "的", "了", "-", "(", ")"]
    rng = random.Random(seed)
    return [" ".join(rng.choice(vocab) for _ in range(rng.randint(5, 400))) for _ in range(n)]


@pytest.mark.parametrize("dirs", [[], [PACKS], [PACKS_CI]], ids=["bundled", "tests-packs", "ci-pack"])
def test_fastmatch_equals_spacy_matchers(dirs, corpus_texts):
    from culture_lint.match.compiler import PatternSet
    from culture_lint.match.tokens import tokenize
    from culture_lint.normalize import normalize
    from culture_lint.packs.registry import Registry

    entries = _all_patterns(Registry(dirs))
    assert entries
    fast, slow = PatternSet(entries), PatternSet(entries, engine="spacy")
    assert not fast.spacy or sum(len(m) for _, _, m in fast.spacy.values()) < len(entries) / 20
    texts = corpus_texts + _dense_streams(entries, 60, seed=len(entries))
    checked = matched = 0
    for text in texts:
        tokens = tokenize(normalize(text).text)
        a, b = fast.run(tokens), slow.run(tokens)
        assert a == b, text[:200]
        checked += 1
        matched += len(a)
    assert matched > 100


def test_fastmatch_operators_equal_spacy():
    """Optional steps, ranges, IN/NOT_IN sets, flags and anchors late in the pattern, on dense text."""
    from culture_lint.match.compiler import PatternSet
    from culture_lint.match.tokens import tokenize
    from culture_lint.packs.model import Pattern

    token_patterns = [
        [{"LEMMA": "cure"}, {"IS_PUNCT": False, "OP": "{0,3}"}, {"LOWER": {"IN": ["acne", "eczema"]}}],
        [{"ORTH": {"NOT_IN": [","]}, "OP": "{1,2}"}, {"LEMMA": "pay"}, {"LOWER": "me"}],
        [{"LIKE_NUM": True}, {"LOWER": "pounds", "OP": "?"}, {"LEMMA": "week"}],
        [{"LOWER": "a", "OP": "?"}, {"LOWER": "a", "OP": "?"}, {"LOWER": "a"}],
        [{"IS_PUNCT": True}, {"LOWER": "a"}],
        [{"LOWER": "a"}, {"OP": "{2}"}, {"TEXT": "b"}],
        [{"lower": "a"}, {"LOWER": {"NOT_IN": ["b"]}, "OP": "{,2}"}, {"IS_DIGIT": True}],
        [{"LOWER": "a"}, {"LOWER": "b", "OP": "+"}],  # not supported: spaCy's Matcher does it
        [{"LOWER": "a"}, {"LOWER": "b", "OP": "!"}, {"LOWER": "c"}],
        [{"NORM": "a"}, {"IS_ALPHA": True, "OP": "{0,2}"}, {"LOWER": "c"}],
        [{"LOWER": {"REGEX": "^cur", "NOT_IN": ["cures"]}}, {"LOWER": {"IN": ["acne", "a"]}}],  # REGEX, fast too
        [{"LEMMA": "pay"}, {"TEXT": {"REGEX": "^[0-9]{1,3}$"}, "OP": "?"}, {"LOWER": "me"}],
    ]
    entries = [((i, "p"), Pattern(lang="en", text=str(t), kind="tokens", tokens=t))
               for i, t in enumerate(token_patterns)]
    entries += [((100, "p"), Pattern(lang="en", text="a a", kind="phrase")),
                ((101, "p"), Pattern(lang="en", text="cures", kind="phrase"))]
    fast, slow = PatternSet(entries), PatternSet(entries, engine="spacy")
    assert len(fast.spacy["en"][2]) >= 1  # unsupported patterns ("!") stay with spaCy
    rng = random.Random(9)
    vocab = "a b c cure cures curing acne eczema , . ! pay paid me 3 ten pounds week weeks the".split()
    for _ in range(400):
        tokens = tokenize(" ".join(rng.choice(vocab) for _ in range(rng.randint(1, 40))))
        assert fast.run(tokens) == slow.run(tokens)


def test_tokenizer_equals_single_regex(corpus_texts):
    from culture_lint.match import tokens as tk

    rng = random.Random(3)
    alphabet = list("ab@.-+_:/wHTtps 你好１2\ue000'’ \u0301İ한글ไทย") + ["http://", "www.", "a@b.co", "x@y"]
    texts = corpus_texts + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for text in texts:
        words, starts, ends, split = [], [], [], []
        for m in tk._TOKEN_RE.finditer(text):  # one match per CJK run there; expand it as tokenize does
            if m.lastgroup == "split":
                for k, ch in enumerate(m.group()):
                    words.append(ch), starts.append(m.start() + k), ends.append(m.start() + k + 1)
                    split.append(True)
            else:
                words.append(m.group()), starts.append(m.start()), ends.append(m.end()), split.append(False)
        assert tk.tokenize(text) == tk.Tokens(words, [w.lower() for w in words], starts, ends, split)


def test_normalize_fast_path_equals_char_by_char(corpus_texts):
    from culture_lint import normalize as nz

    def slow(text):
        skip = nz._pinyin_spans(text)
        out, index = [], []
        for i, ch in enumerate(text):
            if i in skip:
                continue
            for piece in (ch if ch.isascii() else nz._fold_char(ch)):
                out.append(piece)
                index.append(i)
        return "".join(out), index + [len(text)]

    rng = random.Random(7)
    alphabet = list("ab 你好體驗“”‘’…①ＡＢ１\u200b\u00ad\ufeff互動(dòng)（bào）ﬁ™é\u0301")
    texts = corpus_texts + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    for text in texts:
        got = nz.normalize(text)
        want_text, want_index = slow(text)
        assert got.text == want_text
        assert [got.to_input(k) for k in range(len(want_text) + 1)] == want_index


def test_evasion_quick_check_never_hides_a_disguise(corpus_texts):
    from culture_lint import make_linter
    from culture_lint.match.tokens import tokenize
    from culture_lint.normalize import normalize

    evasion = make_linter(["us"], rules_dirs=[PACKS]).patterns.evasion
    rng = random.Random(5)
    alphabet = list("abcdefghijklmnopqrstuvwxyz 01345789@$!|€+-._*·•/\\~'\"`^=减肥瘦身аеорсѕ") + \
        ["  ", "slim", "slimming", "guaranteed", "miracle", "cure", "fat", "burn", "detox"]
    texts = [normalize(t).text for t in corpus_texts]
    texts += ["".join(rng.choice(alphabet) if rng.random() < 0.25 else ch for ch in rng.choice(texts)[:60])
              for _ in range(4000)]
    texts += ["s l i m m i n g", "sl1mming tea", "减-肥", "ѕlimming", "slimmmming", "guaranted results"]
    disguised = 0
    for text in texts:
        full = evasion.__class__.view.__get__(evasion)
        quick = evasion.could_change(text)
        evasion.could_change = lambda _text: True  # the full view, whatever the quick check says
        try:
            view = full(tokenize(text), text)
        finally:
            del evasion.could_change
        if view is not None:
            disguised += 1
            assert quick, text
    assert disguised > 100
