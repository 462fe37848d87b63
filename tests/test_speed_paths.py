"""Issue 16's fast paths give what the straightforward code gives, and the look-ups are bounded.

- PyStemmer (C) and snowballstemmer's pure-Python stemmers give the same stems (the fallback stays tested);
- the evasion view built only in windows around suspects finds what the view of the whole text finds;
- the list and clause look-ups of negation equal the old walks, and a negation check reads a bounded number of
  tokens however long the clause is (counted, not timed).
"""

from __future__ import annotations

import random
import sys
from functools import lru_cache, partial

import pytest

from conftest import PACKS, ROOT

sys.path.insert(0, str(ROOT))
from bench.corpus import generate  # noqa: E402


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> list[str]:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, 6_000, seed=7)
    found = [p.read_text(encoding="utf-8") for p in sorted(out.iterdir())]
    found += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "examples").glob("*.*"))]
    rng = random.Random(11)
    disguises = ["s l i m m i n g", "sl1mming tea", "减-肥", "ѕlimming", "slimmmming tea", "c-u-r-e-s",
                 "guaranted results", "m i r a c l e", "detoxxx", "f@t burn", "瘦.身"]
    mixed = []
    for text in found[:40]:
        lines = text.splitlines()
        for _ in range(6):
            lines.insert(rng.randrange(len(lines) + 1), " ".join(rng.sample(disguises, 3)))
        mixed.append("\n".join(lines))
    return found + mixed


def test_pure_python_stemmer_equals_pystemmer(texts):
    pytest.importorskip("Stemmer")
    from culture_lint.match.tokens import SNOWBALL, Stemmer, tokenize

    words = sorted({w for t in texts for w in tokenize(t).lowers})
    words += ["running", "happily", "généralement", "heilt", "curación", "guarigione", "genezing", "menyembuhkan",
              "вылечить", "iyileştirir", "läkning", "helbredelse", "vindecare", "θεραπεία", "curació", "علاج", "इलाज"]
    for group in SNOWBALL:
        fast, pure = Stemmer(group, pure=False), Stemmer(group, pure=True)
        assert fast._stem_words is not pure._stem_words
        assert [fast.stem(w) for w in words] == [pure.stem(w) for w in words], group
        toks = tokenize(" ".join(words))
        assert fast.stems(toks) == pure.stems(toks), group
        lazy = fast.lazy_stems(toks, set(toks.lowers))
        assert list(lazy) == pure.stems(toks), group


def test_pure_python_stemmer_by_environment(monkeypatch):
    from culture_lint.match import tokens

    monkeypatch.setenv("CULTURE_LINT_PURE_STEMMER", "1")
    stemmer = tokens.Stemmer("en")
    assert type(stemmer._stem_words.__self__).__module__.startswith("snowballstemmer")
    assert stemmer.stems(tokens.tokenize("Running happily")) == ["run", "happili"]


def _full_view_matches(patterns, prepared, text):
    """The disguised matches as the code before windows found them: one view of the whole text."""
    from culture_lint.match.compiler import Match

    matches = {k: list(v) for k, v in prepared.matches.items()}
    view = patterns.evasion.view_range(prepared.tokens, text, 0, len(prepared.tokens)) \
        if patterns.evasion.could_change(text) else None
    if view is None:
        return matches
    for m in patterns.run(view.tokens):
        if not (isinstance(m.key, tuple) and m.key[-1] == "p"):
            continue
        start, end = view.origin[m.start][0], view.origin[m.end - 1][1]
        found = matches.setdefault(m.key, [])
        overlapping = [o for o in found if o.start < end and start < o.end]
        if any(o.start <= start and end <= o.end for o in overlapping):
            continue
        for o in overlapping:
            found.remove(o)
        found.append(Match(m.key, m.lang, start, end, disguised=True))
    return matches


def test_evasion_windows_equal_the_whole_view(texts):
    from culture_lint import make_linter
    from culture_lint.match import context
    from culture_lint.readers import read_text

    linter = make_linter(["us", "gb"], rules_dirs=[PACKS])
    patterns = linter.patterns
    disguised = 0
    for i, text in enumerate(texts):
        doc = read_text(f"t{i}.txt", text)
        if not doc.segments:
            continue
        captured = {}
        original = context._add_disguised

        def spy(prepared, pats, joined):
            captured["plain"] = {k: list(v) for k, v in prepared.matches.items()}
            captured["text"] = joined
            original(prepared, pats, joined)

        context._add_disguised = spy
        try:
            prepared = context.prepare(doc, patterns)
        finally:
            context._add_disguised = original
        plain = context.Prepared(prepared.doc, prepared.tokens, prepared.token_segment, prepared.token_source,
                                 prepared.sentence, prepared.clause, captured["plain"])
        want = _full_view_matches(patterns, plain, captured["text"])
        got = {k: v for k, v in prepared.matches.items()}
        assert {k: sorted(v, key=repr) for k, v in got.items() if v} == \
            {k: sorted(v, key=repr) for k, v in want.items() if v}, text[:200]
        disguised += any(m.disguised for v in got.values() for m in v)
    assert disguised >= 10


class _Counting(list):
    """A list that counts reads by index."""

    reads = 0

    def __getitem__(self, i):
        _Counting.reads += 1
        return list.__getitem__(self, i)


@lru_cache(maxsize=None)
def _linter(markets: tuple[str, ...]):
    from culture_lint import make_linter

    return make_linter(list(markets))


def _prepared(text: str, markets=("gb",)):
    from culture_lint.match import context
    from culture_lint.readers import read_text

    return context.prepare(read_text("t.txt", text), _linter(tuple(markets)).patterns)


def test_negation_lookups_equal_the_walks():
    from culture_lint.match import negation

    rng = random.Random(3)
    vocab = ["slimming", "tea", "or", "and", ",", "no", "not", "cures", "the", "、", "或", "和", ".", "a", "b", "c"]
    for _ in range(30):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(3, 80)))
        prep = _prepared(text)
        toks, clause = prep.tokens, prep.clause
        for end in range(len(toks.words)):
            cid, words, j = clause[end], 0, end
            while j >= 0 and clause[j] == cid:
                words += toks.lowers[j][:1].isalnum()
                j -= 1
            want = 0 < words <= 3 or any(toks.lowers[k] in negation.COMMON for k in range(j + 1, end + 1))
            assert negation._short_clause(prep, end) == want
        for ms in prep.matches.values():
            for m in ms:
                cid, j, want = clause[m.start], m.start - 1, False
                while j >= 0 and clause[j] == cid:
                    if toks.lowers[j] in negation.LIST_JOINERS:
                        want = True
                        break
                    j -= 1
                j = m.end
                while not want and j < len(toks.words) and clause[j] == cid and j - m.end < 6:
                    want = toks.lowers[j] in negation.LIST_JOINERS
                    j += 1
                assert negation._in_a_list(prep, m) == want


@pytest.mark.parametrize("unit", ["slimming tea ", "slimming tea or ", "- - - slimming tea ", "减肥茶 "])
def test_negation_reads_a_bounded_number_of_tokens(unit):
    """One clause of thousands of claims (a transcript, a catalog line): each check reads a bounded window."""
    reads = []
    for repeats in (200, 800):
        prep = _prepared(unit * repeats)
        counting = _Counting(prep.tokens.lowers)
        prep.tokens.lowers = counting
        prep.tokens.words = _Counting(prep.tokens.words)
        prep.is_negated(next(iter(prep.matches.values()))[0])  # builds the per-document indexes once
        claims = [m for ms in prep.matches.values() for m in ms]
        assert len(claims) >= repeats // 2
        _Counting.reads = 0
        for m in claims:
            prep.is_negated(m)
        reads.append(_Counting.reads / len(claims))
    assert reads[1] <= reads[0] * 1.2 + 5  # per claim, not growing with the clause
    assert reads[1] < 600


def test_word_regex_candidate_scan_equals_the_regex():
    """The festival-name scan finds candidates with str.find; it must give exactly the regex's matches."""
    import random

    from culture_lint.calendar.textscan import word_regex

    words = ["Black Friday", "Christmas", "Eid al-Fitr", "Ramadan", "双十一", "Tết", "New Year", "Día de Muertos"]
    scan = word_regex(words)
    pieces = ["Black Friday", "black \n friday", "xBlack Friday", "CHRISTMAS!", "a双十一b", "tết", "NewYear",
              "new year", "Ramadans", "día de muertos", " ", "\n", "İ", "Eid al-Fitr."]
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(10))
        assert [m.span() for m in scan.finditer(text)] == [m.span() for m in scan.regex.finditer(text)], text


def _random_json(rng: random.Random, depth: int = 0):
    pick = rng.randrange(9 if depth < 4 else 6)
    if pick == 0:
        return rng.choice([None, True, False])
    if pick == 1:
        return rng.randrange(-10**12, 10**12)
    if pick == 2:
        return rng.choice([0.1, -2.5e-300, 1e21, float("inf"), float("-inf"), float("nan"), 3.0])
    if pick in (3, 4, 5):
        alphabet = 'ab "\\\n\t\x00\x1f/é中😀\u2028{}[],:'
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(6)))
    if pick == 6:
        return [_random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    if pick == 7:
        return tuple(_random_json(rng, depth + 1) for _ in range(rng.randrange(3)))
    keys = [rng.choice(["a", "é", "k\"", "", 1, 2.5, None, True, False]) for _ in range(rng.randrange(4))]
    return {k: _random_json(rng, depth + 1) for k in keys}


def test_fast_json_writer_equals_json_dumps(texts):
    """The JSON and SARIF reports are written by report/jsonfast.py: the same bytes as json.dumps(indent=2)."""
    import json

    from culture_lint.engine import Linter
    from culture_lint.models import FileReport
    from culture_lint.packs.registry import Registry
    from culture_lint.readers import read_text
    from culture_lint.report import Run, json_report, sarif_report
    from culture_lint.report.jsonfast import dumps

    rng = random.Random(5)
    for _ in range(3000):
        value = _random_json(rng)
        assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)
    with pytest.raises(TypeError):
        dumps({"a": {1, 2}})
    linter = Linter(["us", "de", "sa"], Registry())
    reports = []
    for k, text in enumerate(texts[:60] + texts[-10:]):
        doc = read_text(f"f{k}.txt", text)
        reports.append(FileReport(f"f{k}.txt", linter.lint(doc)))
    assert sum(len(r.findings) for r in reports) > 50
    run = Run(reports, linter.markets, {r.id: r for r in linter.rules})
    assert json_report.render(run) == json.dumps(json_report.as_dict(run), ensure_ascii=False, indent=2) + "\n"
    assert sarif_report.render(run) == json.dumps(sarif_report.as_dict(run), ensure_ascii=False, indent=2) + "\n"


def test_lifted_lexeme_flags_equal_spacy(texts, tmp_path, monkeypatch):
    """Flags are read from spaCy's own getter functions lifted into the pack cache (match/lexattrs.py), so a
    run need not import spaCy: for every stemming group and flag they give what spaCy's lexemes give."""
    from culture_lint.match.compiler import vocab_for
    from culture_lint.match.fastmatch import FLAGS, Lexicon
    from culture_lint.match.lexattrs import flag_getters
    from culture_lint.match.tokens import SNOWBALL, tokenize

    monkeypatch.setenv("CULTURE_LINT_CACHE_DIR", str(tmp_path))
    from bench.realcorpus import english

    words = sorted({w for t in [*texts, english(6_000)] for w in tokenize(t).words})
    words += ["10", "+5", "-3.5", "1/2", "3/4/5", "1st", "22nd", "ten", "Twenty", "vingt", "zwanzig", "dua", "sepuluh",
              "ventitré", "dieciocho", "1.299,00", "12:30", "½", "²", "٣", "५", "一", "cien", "mil", "quinze", "(", "«",
              "»", "’", "$", "€", "—", "...", "A", "aB", "ÉTÉ", "ß", "ǅ", "\u00a0", "e-mail", "x²", "٠١٢", "Ⅻ"]
    assert len(words) > 1500
    for group in [*SNOWBALL, "xx"]:
        first = flag_getters(group, FLAGS)  # lifted from spaCy and stored
        again = flag_getters(group, FLAGS)  # rebuilt from the cache
        assert {"like_num", "is_punct", "is_alpha"} <= set(again), group
        vocab = vocab_for(group)
        for attr, getter in again.items():
            want = [bool(getattr(vocab[w], attr)) for w in words]
            assert [bool(getter(w)) for w in words] == want, (group, attr)
            assert [bool(first[attr](w)) for w in words] == want, (group, attr)
        lexicon = Lexicon(partial(vocab_for, group))
        assert [lexicon.attr(w, "like_num") for w in words] == [bool(vocab[w].like_num) for w in words]
