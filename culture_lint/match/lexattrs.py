"""Lexical flags (LIKE_NUM, IS_PUNCT, IS_ALPHA, …) of a stemming group without importing spaCy.

A token pattern's flags were read from a spaCy ``Vocab``: importing spaCy took a second of every run. The
flags come from plain Python functions (the language's ``lex_attr_getters``, plus the number words
``compiler.vocab_for`` adds), so the first run lifts those very functions out of spaCy: their bytecode
(``marshal``), their defaults and the globals they read (word lists, regexes, standard modules, other such
functions), kept in the pack cache keyed by the versions of Python, spaCy and culture-lint
(``cache.cached_pickle``). Later runs rebuild the functions from that and never import spaCy to match.

A getter that cannot be lifted (a closure, a global of another kind) is left out, and its flag is read from
spaCy as before. ``tests/test_speed_paths.py`` checks every lifted flag against spaCy's lexemes.
"""

from __future__ import annotations

import builtins
import re
import sys
import types
from typing import Any, Callable

from .tokens import LazyRegex

_PLAIN = (str, bytes, int, float, bool, type(None), re.Pattern)


class _NotLiftable(Exception):
    """A function whose behaviour depends on something that cannot be stored."""


def _plain(value: Any, depth: int = 0) -> bool:
    if isinstance(value, _PLAIN):
        return True
    if depth > 3:
        return False
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(_plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(_plain(k, depth + 1) and _plain(v, depth + 1) for k, v in value.items())
    return False


def _names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def _value_spec(value: Any, depth: int) -> tuple:
    if isinstance(value, types.FunctionType):
        return ("function", lift(value, depth + 1))
    if isinstance(value, types.ModuleType):
        if value.__name__.split(".")[0] not in sys.stdlib_module_names:
            raise _NotLiftable(value.__name__)
        return ("module", value.__name__)
    if isinstance(value, types.BuiltinFunctionType) and getattr(value, "__self__", None) is builtins:
        return ("builtin", value.__name__)
    if isinstance(value, LazyRegex):
        return ("lazyregex", (value.pattern, value.flags))
    if _plain(value):
        return ("value", value)
    raise _NotLiftable(type(value).__name__)


def lift(fn: Callable, depth: int = 0) -> tuple:
    """A storable description of a plain function: (name, marshalled code, defaults, globals it reads)."""
    import marshal

    if not isinstance(fn, types.FunctionType) or fn.__closure__ or fn.__kwdefaults__ or depth > 4:
        raise _NotLiftable(repr(fn))
    defaults = tuple(_value_spec(v, depth) for v in fn.__defaults__ or ())
    env = {}
    for name in sorted(_names(fn.__code__)):
        if name in fn.__globals__:
            env[name] = _value_spec(fn.__globals__[name], depth)
    return fn.__name__, marshal.dumps(fn.__code__), defaults, env


def _value(spec: tuple) -> Any:
    kind, value = spec
    if kind == "function":
        return rebuild(value)
    if kind == "module":
        import importlib

        return importlib.import_module(value)
    if kind == "builtin":
        return getattr(builtins, value)
    if kind == "lazyregex":
        return LazyRegex(*value)
    return value


def rebuild(spec: tuple) -> Callable:
    """The function ``lift`` described."""
    import marshal

    name, code, defaults, env = spec
    namespace: dict[str, Any] = {"__builtins__": builtins}
    for key, value in env.items():
        namespace[key] = _value(value)
    return types.FunctionType(marshal.loads(code), namespace, name, tuple(_value(d) for d in defaults) or None)


def lifted_flags(group: str, flags: dict[str, str]) -> dict[str, tuple]:
    """``{lexeme attribute: lift(getter)}`` for the flags (``FLAGS``: spaCy name → attribute) of a group's vocab
    (imports spaCy: done once, then cached)."""
    from spacy.attrs import IDS

    from .compiler import vocab_for

    getters = vocab_for(group).lex_attr_getters
    out = {}
    for key, attr in flags.items():
        fn = getters.get(IDS.get(key))
        if fn is None:
            continue
        try:
            out[attr] = lift(fn)
        except _NotLiftable:
            continue
    return out


def flag_getters(group: str, flags: dict[str, str]) -> dict[str, Callable[[str], Any]]:
    """The group's flag getters, from the pack cache (lifted from spaCy on the first run)."""
    from ..cache import cached_pickle

    # the key holds spaCy's version through the code fingerprint
    specs = cached_pickle("lexattrs", f"{group}|{sorted(flags.items())}", lambda: lifted_flags(group, flags))
    out = {}
    for attr, spec in (specs or {}).items():
        try:
            out[attr] = rebuild(spec)
        except Exception:  # a stale or foreign entry: that flag is read from spaCy
            continue
    return out
