"""Compile rule patterns into spaCy PhraseMatcher/Matcher objects, one set per stemming group."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Hashable, Iterable

from ..errors import PackError
from ..normalize import normalize
from .tokens import BOUNDARY, SPACY_LANGS, Tokens, get_stemmer, stem_group, tokenize

_PLACEHOLDER = re.compile(r"\{(num|any|\d+,\d+)\}")
_GAP = {"ORTH": {"NOT_IN": [BOUNDARY]}}


@dataclass(frozen=True)
class Match:
    key: Hashable
    lang: str
    start: int  # token indices, end exclusive
    end: int
    disguised: bool = False


@lru_cache(maxsize=None)
def vocab_for(group: str):
    """Vocab of spaCy's blank pipeline for the language (lexical attributes such as LIKE_NUM)."""
    lang = group if group in SPACY_LANGS else "xx"
    try:
        return _blank_vocab(lang)
    except Exception:  # an unexpected language module layout: build the whole blank pipeline
        import spacy

        return spacy.blank(lang).vocab


def _blank_vocab(lang: str):
    """The vocab ``spacy.blank(lang)`` has, without building the pipeline's tokenizer.

    Matching needs only the vocab's lexical attributes (LIKE_NUM, IS_STOP, NORM, …), but importing a
    spaCy language builds its tokenizer exceptions: 2.4 s for French, 2 s for Indonesian. So the
    exceptions module is stubbed while the language's defaults are read, and the language's modules are
    dropped again afterwards, so a later real import of the language gets its real tokenizer.
    """
    import importlib
    import sys
    import types

    from spacy.util import get_lang_class, registry
    from spacy.vocab import create_vocab

    package = f"spacy.lang.{lang}"
    if package in sys.modules or lang in registry.languages:  # imported for real already: nothing to save
        return create_vocab(lang, get_lang_class(lang).Defaults)
    stub = types.ModuleType(f"{package}.tokenizer_exceptions")
    stub.__getattr__ = lambda name: {}  # TOKENIZER_EXCEPTIONS, TOKEN_MATCH, …: unused without a tokenizer
    before = set(sys.modules)
    sys.modules[stub.__name__] = stub
    try:
        module = importlib.import_module(package)  # not get_lang_class: that would register the class
        return create_vocab(lang, getattr(module, module.__all__[0]).Defaults)
    finally:
        for name in set(sys.modules) - before:
            if name == package or name.startswith(package + "."):
                del sys.modules[name]
        sys.modules.pop(stub.__name__, None)


def _phrase_tokens(text: str, lang: str, exact: bool) -> list[dict[str, Any]] | None:
    """Token dicts for a phrase with placeholders; None when the phrase has no words."""
    stemmer = get_stemmer(stem_group(lang))
    specs: list[dict[str, Any]] = []
    pos = 0
    for piece in _PLACEHOLDER.finditer(text):
        specs.extend(_literal(text[pos:piece.start()], stemmer, exact))
        name = piece.group(1)
        if name == "num":
            specs.append({"LIKE_NUM": True})
        elif name == "any":
            specs.append(dict(_GAP))
        else:
            low, high = name.split(",")
            specs.append({**_GAP, "OP": f"{{{int(low)},{int(high)}}}"})
        pos = piece.end()
    specs.extend(_literal(text[pos:], stemmer, exact))
    if not any("LEMMA" in s or "LOWER" in s for s in specs):
        return None
    return specs


def _literal(text: str, stemmer, exact: bool) -> list[dict[str, Any]]:
    toks = tokenize(normalize(text).text)
    if exact:
        return [{"LOWER": low} for low in toks.lowers]
    return [{"LEMMA": stem} for stem in stemmer.stems(toks)]


def _stem_values(spec: Any, stemmer) -> Any:
    """Stem LEMMA values of a user token pattern so authors can write dictionary forms."""
    if isinstance(spec, list):
        return [_stem_values(s, stemmer) for s in spec]
    if not isinstance(spec, dict):
        return spec
    out = {}
    for key, value in spec.items():
        if key == "LEMMA":
            if isinstance(value, str):
                value = stemmer.stem(value.lower())
            elif isinstance(value, dict):
                value = {op: ([stemmer.stem(str(v).lower()) for v in vals] if isinstance(vals, list) else vals)
                         for op, vals in value.items()}
        elif key in ("LOWER", "NORM") and isinstance(value, str):
            value = value.lower()
        out[key] = value
    return out


def token_specs(pattern) -> list[dict[str, Any]] | None:
    """The spaCy token pattern for a Pattern, or None if it is a plain phrase (PhraseMatcher)."""
    if pattern.kind == "tokens":
        return _stem_values(pattern.tokens, get_stemmer(stem_group(pattern.lang)))
    specs = _phrase_tokens(pattern.text, pattern.lang, pattern.kind == "exact")
    if specs is None:
        raise ValueError("the pattern has no words to match")
    if pattern.kind == "phrase" and all(set(s) == {"LEMMA"} for s in specs):
        return None
    return specs


class PatternSet:
    """Many (key, pattern) entries compiled once; ``run`` returns every match on a token stream."""

    def __init__(self, entries: Iterable[tuple[Hashable, Any]]):
        from spacy.matcher import Matcher, PhraseMatcher
        from spacy.tokens import Doc

        self._doc_cls = Doc
        self.entries: list[tuple[Hashable, Any]] = list(entries)
        self.groups: dict[str, tuple[Any, Any, Any]] = {}
        fuzzy: set[str] = set()
        words: set[str] = set()
        for idx, (_key, pattern) in enumerate(self.entries):
            group = stem_group(pattern.lang)
            if group not in self.groups:
                vocab = vocab_for(group)
                self.groups[group] = (vocab, PhraseMatcher(vocab, attr="LEMMA"), Matcher(vocab))
            vocab, phrase, matcher = self.groups[group]
            specs = token_specs(pattern)
            if pattern.kind == "phrase" and isinstance(_key, tuple) and _key[-1] == "p":
                word = pattern.text.strip().lower()
                if word.isalpha() and word.isascii():
                    fuzzy.add(word)
                words.update(w for w in word.split() if w.isalpha())
            if specs is None:
                stems = [s["LEMMA"] for s in _phrase_tokens(pattern.text, pattern.lang, False)]
                doc = Doc(vocab, words=stems, lemmas=stems)
                phrase.add(str(idx), [doc])
            else:
                matcher.add(str(idx), [specs])
        from .evasion import Evasion

        self.evasion = Evasion(fuzzy, words)

    def run(self, tokens: Tokens) -> list[Match]:
        if not len(tokens) or not self.entries:
            return []
        found: dict[tuple[int, int], int] = {}
        for group, (vocab, phrase, matcher) in self.groups.items():
            stems = get_stemmer(group).stems(tokens)
            doc = self._doc_cls(vocab, words=tokens.words, lemmas=stems)
            strings = vocab.strings
            for m in (phrase(doc) if len(phrase) else (), matcher(doc) if len(matcher) else ()):
                for match_id, start, end in m:
                    idx = int(strings[match_id])
                    prev = found.get((idx, start))
                    if prev is None or end < prev:
                        found[(idx, start)] = end
        matches = []
        for (idx, start), end in found.items():
            key, pattern = self.entries[idx]
            matches.append(Match(key, pattern.lang, start, end))
        matches.sort(key=lambda m: (m.start, m.end, str(m.key)))
        return matches


def check_patterns(pack) -> list[PackError]:
    """Compile every pattern of a pack once to report the ones spaCy rejects, with their location."""
    from spacy.matcher import Matcher

    errors: list[PackError] = []
    pats = list(pack.disclaimers) + [p for ps in pack.signals.values() for p in ps]
    for rule in pack.rules:
        pats += rule.patterns + rule.exceptions + rule.trigger_patterns + rule.required_patterns
    for pattern in pats:
        try:
            specs = token_specs(pattern)
            if specs is not None:
                Matcher(vocab_for(stem_group(pattern.lang))).add("check", [specs])
        except Exception as exc:  # spaCy raises several error types for bad patterns
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            errors.append(PackError(f"pattern {pattern.text!r} cannot compile: {msg[:300]}",
                                    pattern.path, pattern.line, pattern.column))
    return errors
