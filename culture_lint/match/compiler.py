"""Compile rule patterns into spaCy PhraseMatcher/Matcher objects, one set per stemming group."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, Hashable, Iterable

from ..errors import PackError
from ..normalize import normalize
from ..packs.model import Role
from .tokens import BOUNDARY, SPACY_LANGS, LazyRegex, Tokens, get_stemmer, stem_group, tokenize

_PLACEHOLDER = re.compile(r"\{(num|any|\d+,\d+)\}")
# a gap ({any}, {0,3}) never runs past a segment boundary; PatternSet.bounded keeps it inside its sentence
_GAP = {"ORTH": {"NOT_IN": [BOUNDARY]}}
# Rule packs are untrusted input: every pattern must match in time linear in the text.
MAX_REPEAT = 50  # highest count in an OP "{n,m}" or a "{n,m}" placeholder (each count is a copy of the token)
UNBOUNDED_REPEAT = 16  # OP "*", "+" and "{n,}" match at most this many tokens more (unbounded ones are quadratic)
MAX_REGEX_LENGTH = 200
_OP_RANGE = re.compile(r"^\{(\d*)(,?)(\d*)\}$")


def bounded_op(op: Any) -> Any:
    """An OP with a bounded count: ``*`` → ``{0,16}``, ``+`` → ``{1,16}``, ``{n,}`` → ``{n,n+16}``.

    Raises ValueError for counts above MAX_REPEAT (a huge count builds a huge pattern).
    """
    if op == "*":
        return f"{{0,{UNBOUNDED_REPEAT}}}"
    if op == "+":
        return f"{{1,{UNBOUNDED_REPEAT}}}"
    m = _OP_RANGE.match(op) if isinstance(op, str) else None
    if m is None:
        return op
    low, comma, high = m.groups()
    for count in (low, high):
        if count and int(count) > MAX_REPEAT:
            raise ValueError(f"operator {op!r} repeats more than {MAX_REPEAT} tokens")
    if comma and not high:
        return f"{{{int(low or 0)},{int(low or 0) + UNBOUNDED_REPEAT}}}"
    return op


def regex_problem(expr: Any) -> str | None:
    """Why a REGEX predicate could backtrack catastrophically (or None when it is safe).

    Allowed: at most MAX_REGEX_LENGTH characters; repeats only of single characters (``[0-9]{1,4}``), with
    bounded counts (no ``*``, ``+``, ``{n,}``); no backreferences.
    """
    if not isinstance(expr, str):
        return None  # spaCy's own validation reports the type
    if len(expr) > MAX_REGEX_LENGTH:
        return f"is longer than {MAX_REGEX_LENGTH} characters"
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_parse  # type: ignore[no-redef]
    try:
        tree = sre_parse.parse(expr)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"is not a valid regular expression ({exc})"
    single = {"LITERAL", "NOT_LITERAL", "IN", "ANY", "CATEGORY"}
    budget = [1]

    def walk(items, in_repeat: bool) -> str | None:
        for op, av in items:
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                low, high, sub = av
                if high == sre_parse.MAXREPEAT:
                    return "has an unbounded repeat (*, +, {n,}): use a bounded one such as {1,20}"
                if high > MAX_REPEAT:
                    return f"repeats more than {MAX_REPEAT} times"
                if in_repeat or any(str(o) not in single for o, _a in sub):
                    return "repeats a group (nested or grouped repeats can backtrack exponentially)"
                budget[0] *= high - low + 1
                if budget[0] > 10_000:
                    return "has too many repeats in a row (backtracking grows with their product)"
            elif name in ("GROUPREF", "GROUPREF_EXISTS"):
                return "uses a backreference"
            elif name == "SUBPATTERN":
                problem = walk(av[-1], in_repeat)
                if problem:
                    return problem
            elif name == "BRANCH":
                for sub in av[1]:
                    problem = walk(sub, in_repeat)
                    if problem:
                        return problem
            elif name in ("ASSERT", "ASSERT_NOT"):
                problem = walk(av[1], in_repeat)
                if problem:
                    return problem
            elif name == "ATOMIC_GROUP":
                problem = walk(av, in_repeat)
                if problem:
                    return problem
        return None

    return walk(tree, False)


def _check_predicates(value: Any) -> None:
    """Refuse REGEX predicates that could backtrack catastrophically (anywhere in a token spec value)."""
    if isinstance(value, dict):
        for key, sub in value.items():
            if str(key).upper() == "REGEX":
                problem = regex_problem(sub)
                if problem:
                    raise ValueError(f"REGEX {sub!r} {problem}")
            else:
                _check_predicates(sub)
    elif isinstance(value, list):
        for sub in value:
            _check_predicates(sub)


@dataclass(frozen=True)
class Match:
    """A pattern matched tokens ``[start, end)``; ``key`` is the pattern's owner, e.g. ``(rule index, Role)``."""

    key: Hashable
    lang: str
    start: int  # token indices, end exclusive
    end: int
    disguised: bool = False
    pattern: int = -1  # index of the pattern in its PatternSet (-1: not known, e.g. a disguised match)


# Number words spaCy's blank Italian and German do not know ("perdi venti chili", "zwanzig Kilo weniger")
_NUMBER_WORDS = {
    "it": (
        r"^(?:uno|una|due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|tredici|quattordici|quindici|"
        r"sedici|diciassette|diciotto|diciannove|cento|mille|mezzo|(?:venti|trenta|quaranta|cinquanta|sessanta|"
        r"settanta|ottanta|novanta)(?:uno|due|tré|tre|quattro|cinque|sei|sette|otto|nove)?|vent|trent)$"),
    "de": (
        r"^(?:eins|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|dreizehn|vierzehn|fünfzehn|sechzehn|"
        r"siebzehn|achtzehn|neunzehn|hundert|tausend|halb|anderthalb|eineinhalb|"
        r"(?:(?:ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun)und)?(?:zwanzig|dreißig|vierzig|fünfzig|sechzig|"
        r"siebzig|achtzig|neunzig))$"),
}


# and in every language a clock time or a number with separators is a number ("ends at 23:59", "1.299,00")
_DIGITS_RX = r"^\d+(?:[.,:]\d+)+$"
_DIGITS = LazyRegex(_DIGITS_RX)
_NUMBER_WORDS = {lang: LazyRegex(f"(?:{rx})|(?:{_DIGITS_RX})") for lang, rx in _NUMBER_WORDS.items()}


@lru_cache(maxsize=None)
def vocab_for(group: str):
    """Vocab of spaCy's blank pipeline for the language (lexical attributes such as LIKE_NUM)."""
    lang = group if group in SPACY_LANGS else "xx"
    try:
        vocab = _blank_vocab(lang)
    except Exception:  # an unexpected language module layout: build the whole blank pipeline
        import spacy

        vocab = spacy.blank(lang).vocab
    extra = _NUMBER_WORDS.get(lang, _DIGITS)
    if extra is not None:
        from spacy.attrs import LIKE_NUM

        getters = vocab.lex_attr_getters
        base = getters.get(LIKE_NUM)

        def like_num(text: str, _base=base, _extra=extra) -> bool:
            return bool(_base and _base(text)) or bool(_extra.match(text.lower()))

        getters[LIKE_NUM] = like_num
        vocab.lex_attr_getters = getters
    return vocab


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
            specs.append({**_GAP, "OP": bounded_op(f"{{{int(low)},{int(high)}}}")})
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
        elif str(key).upper() == "OP":
            value = bounded_op(value)
        _check_predicates(value)
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


def prepared_form(pattern) -> tuple[str, list]:
    """("phrase", stems) or ("tokens", spaCy token specs) for a pattern, computed once per Pattern object
    (and kept in the compiled-pack cache, so a warm start does not tokenize and stem every pattern)."""
    form = pattern.__dict__.get("_prepared")
    if form is None:
        specs = token_specs(pattern)
        if specs is None:
            form = ("phrase", [s["LEMMA"] for s in _phrase_tokens(pattern.text, pattern.lang, False)])
        else:
            form = ("tokens", specs)
        pattern.__dict__["_prepared"] = form
    return form


def _literal_words(form: str, value, pattern) -> frozenset[str]:
    """Words a pattern spells out, as written and as stems (a text's tokens are compared lower-cased);
    computed once per Pattern object and kept with it in the compiled-pack cache."""
    store = getattr(pattern, "__dict__", None)
    cached = store.get("_literal_words") if store is not None else None
    if cached is None:
        cached = frozenset(_literal_words_of(form, value, pattern))
        if store is not None:
            store["_literal_words"] = cached
    return cached


def _literal_words_of(form: str, value, pattern) -> set[str]:
    text = (getattr(pattern, "text", "") or "") if getattr(pattern, "kind", "") in ("phrase", "exact") else ""
    out: set[str] = set(tokenize(normalize(text).text).lowers) if text else set()  # marks stay in words (नहीं)
    if form == "phrase":
        out.update(str(v).lower() for v in value)
        return out
    specs = list(value) + list(getattr(pattern, "tokens", None) or [])  # stemmed, and as the author wrote them
    for spec in specs:
        if not isinstance(spec, dict):
            continue
        for attr, want in spec.items():
            if str(attr).upper() not in ("LOWER", "ORTH", "TEXT", "LEMMA", "NORM"):
                continue
            if isinstance(want, str):
                out.add(want.lower())
            elif isinstance(want, dict):
                for op, items in want.items():
                    if str(op).upper() == "IN" and isinstance(items, list):
                        out.update(str(i).lower() for i in items)
    return out


def precompile(pack) -> None:
    """Fill ``prepared_form`` for every pattern of a pack (before it goes into the pack cache)."""
    pats = list(pack.disclaimers) + [p for ps in pack.signals.values() for p in ps]
    for rule in pack.rules:
        pats += rule.patterns + rule.exceptions + rule.trigger_patterns + rule.required_patterns
    for pattern in pats:
        if pattern.kind == "concepts":  # compositions of concept lexicons: matched by match/compose.py
            continue
        try:
            form, value = prepared_form(pattern)
            _literal_words(form, value, pattern)
        except Exception:  # reported when a PatternSet is built, as before
            pattern.__dict__.pop("_prepared", None)
            pattern.__dict__.pop("_literal_words", None)


def _max_tokens(specs: list) -> int:
    """The most tokens a token pattern can match (its operators are bounded: ``bounded_op``)."""
    total = 0
    for spec in specs:
        op = spec.get("OP") if isinstance(spec, dict) else None
        if op in (None, "!", "?", "1"):
            total += 1
            continue
        op = bounded_op(op)
        m = _OP_RANGE.match(op) if isinstance(op, str) else None
        if m is None:
            total += UNBOUNDED_REPEAT + MAX_REPEAT
            continue
        low, comma, high = m.groups()
        total += int(high) if high else int(low or 0) + (UNBOUNDED_REPEAT if comma else 0)
    return max(total, 1)


class PatternSet:
    """Many (key, pattern) entries compiled once; ``run`` returns every match on a token stream.

    Matching uses ``fastmatch`` (patterns indexed by their first token, no spaCy Doc per text); the few
    token patterns it does not support go to spaCy's Matcher. ``engine="spacy"`` matches everything with
    spaCy's PhraseMatcher and Matcher, as before: the tests and the benchmark compare the two.
    """

    def __init__(self, entries: Iterable[tuple[Hashable, Any]], engine: str = "fast"):
        from .fastmatch import GroupMatcher, Lexicon, compile_specs

        self.engine = engine
        self.entries: list[tuple[Hashable, Any]] = list(entries)
        self.groups: dict[str, GroupMatcher] = {}
        self.spacy: dict[str, tuple[Any, Any, Any]] = {}  # group -> (vocab, PhraseMatcher, Matcher)
        fuzzy: set[str] = set()
        words: set[str] = set()
        # per key, the words its patterns spell out: a negation word in a match that is not one of them
        # came through a gap ("heilen {0,2} Diabetes" over "heilen keinen Diabetes")
        self.literals: list[frozenset[str]] = []  # by pattern index, as Match.pattern
        # phrases with gaps ("ramadan {0,4} taste"): a match must stay inside one sentence (sentences are known
        # once the text is prepared; "No. 1" and "approx." do not end one). Token patterns choose for themselves.
        self.bounded: set[int] = set()
        self.max_length = 1  # the most tokens any pattern's match can span (evasion windows are this wide)
        for idx, (_key, pattern) in enumerate(self.entries):
            group = stem_group(pattern.lang)
            if group not in self.groups:
                self.groups[group] = GroupMatcher(Lexicon(partial(vocab_for, group)))
            form, value = prepared_form(pattern)
            specs = value if form == "tokens" else None
            self.max_length = max(self.max_length, len(value) if specs is None else _max_tokens(specs))
            self.literals.append(frozenset(_literal_words(form, value, pattern)))
            if pattern.kind in ("phrase", "exact") and _PLACEHOLDER.search(getattr(pattern, "text", "") or ""):
                self.bounded.add(idx)
            if pattern.kind == "phrase" and isinstance(_key, tuple) and _key[-1] == Role.PATTERN:
                word = pattern.text.strip().lower()
                if word.isalpha() and word.isascii():
                    fuzzy.add(word)
                words.update(w for w in word.split() if w.isalpha())
            if specs is None:
                stems = value
                if engine == "spacy":
                    self._spacy_add(group, idx, None, stems)
                else:
                    self.groups[group].add_phrase(idx, stems)
            else:
                compiled = compile_specs(specs) if engine != "spacy" else None
                if compiled is not None:
                    self.groups[group].add_tokens(idx, compiled)
                else:
                    self._spacy_add(group, idx, specs, None)
        from .evasion import Evasion

        self.evasion = Evasion(fuzzy, words)

    def warm(self) -> None:
        """Load what matching loads lazily (spaCy and the vocabs), e.g. before forking workers."""
        for gm in self.groups.values():
            gm.lexicon.vocab()

    def _spacy_add(self, group: str, idx: int, specs, stems) -> None:
        from spacy.matcher import Matcher, PhraseMatcher
        from spacy.tokens import Doc

        if group not in self.spacy:
            vocab = vocab_for(group)
            self.spacy[group] = (vocab, PhraseMatcher(vocab, attr="LEMMA"), Matcher(vocab))
        vocab, phrase, matcher = self.spacy[group]
        if specs is None:
            phrase.add(str(idx), [Doc(vocab, words=stems, lemmas=stems)])
        else:
            import copy

            matcher.add(str(idx), [copy.deepcopy(specs)])  # the specs are shared (prepared_form): never hand them out

    def run(self, tokens: Tokens) -> list[Match]:
        if not len(tokens) or not self.entries:
            return []
        from .fastmatch import DocView

        found: dict[tuple[int, int], int] = {}
        distinct: dict = {id(tokens.lowers): (tokens.lowers, set(tokens.lowers))}
        for group, gm in self.groups.items():
            if group in self.spacy or self.engine == "spacy":
                stems = get_stemmer(group).stems(tokens)
            else:  # stems looked up where an anchor occurs: no per-token list for a group
                stems = get_stemmer(group).lazy_stems(tokens, distinct[id(tokens.lowers)][1])
            if len(gm):
                gm.run(DocView(tokens.words, tokens.lowers, stems, gm.lexicon, distinct), found)
            if group in self.spacy:
                from spacy.tokens import Doc

                vocab, phrase, matcher = self.spacy[group]
                doc = Doc(vocab, words=tokens.words, lemmas=stems)
                strings = vocab.strings
                for m in (phrase(doc) if len(phrase) else (), matcher(doc) if len(matcher) else ()):
                    for match_id, start, end in m:
                        idx = int(strings[match_id])
                        prev = found.get((idx, start))
                        if prev is None or end < prev:
                            found[(idx, start)] = end
        matches = []
        for (idx, start), end in sorted(found.items()):
            key, pattern = self.entries[idx]
            matches.append(Match(key, pattern.lang, start, end, pattern=idx))
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
        if pattern.kind == "concepts":
            continue
        try:
            specs = token_specs(pattern)
            if specs is not None:
                Matcher(vocab_for(stem_group(pattern.lang))).add("check", [specs])
        except Exception as exc:  # spaCy raises several error types for bad patterns
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            errors.append(PackError(f"pattern {pattern.text!r} cannot compile: {msg[:300]}",
                                    pattern.path, pattern.line, pattern.column))
    return errors
