"""Safe YAML loading that remembers where every key and item came from (for file:line:col errors)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import CultureLintError
from ..i18n import _

MAX_DEPTH = 40
MAX_ALIASES = 100
MAX_ALIAS_EXPANSION = 100_000  # nodes aliases may add beyond those written out


class LocDict(dict):
    """A mapping that knows the (line, column) of itself and of each key."""

    loc: tuple[int, int] = (1, 1)
    key_locs: dict[str, tuple[int, int]]
    value_locs: dict[str, tuple[int, int]]


class LocList(list):
    """A sequence that knows the (line, column) of itself and of each item."""

    loc: tuple[int, int] = (1, 1)
    item_locs: list[tuple[int, int]]


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Loader(yaml.SafeLoader):
    """SafeLoader (no object construction) that keeps positions and refuses alias bombs."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, _("too many YAML aliases (more than {limit})").format(limit=MAX_ALIASES),
                    event.start_mark)
        depth = getattr(self, "_depth", 0) + 1
        if depth > MAX_DEPTH:
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, _("YAML nested too deeply (more than {limit} levels)").format(limit=MAX_DEPTH),
                event.start_mark)
        self._depth = depth
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth - 1

    def construct_object(self, node, deep=False):  # type: ignore[override]
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError, AttributeError, LookupError) as exc:  # !!timestamp 2024-02-30
            # TRANSLATORS: {type} is a YAML type name (timestamp, int, float, …); {reason} comes from Python
            raise yaml.constructor.ConstructorError(
                None, None, _("invalid {type} value: {reason}").format(type=node.tag.rsplit(':', 1)[-1], reason=exc),
                node.start_mark) from None

    def compose_document(self):  # type: ignore[override]
        node = super().compose_document()
        _check_expansion(node)
        return node


def _check_expansion(root: yaml.Node | None) -> None:
    """Refuse alias graphs that expand too much (billion laughs), nest too deep through aliases, or loop."""
    if root is None:
        return
    done: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded size, expanded depth)
    active: set[int] = set()
    distinct = [0]

    def visit(node: yaml.Node, depth: int) -> tuple[int, int]:
        key = id(node)
        if key in active:
            raise yaml.composer.ComposerError(None, None, _("recursive YAML alias"), node.start_mark)
        if key not in done:
            active.add(key)
            size, deepest = 1, 0
            children = node.value if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)) else ()
            for child in children:
                for sub in (child if isinstance(child, tuple) else (child,)):
                    s, d = visit(sub, depth + 1)
                    size += s
                    deepest = max(deepest, d + 1)
            active.discard(key)
            distinct[0] += 1
            done[key] = (size, deepest)
        size, deepest = done[key]
        if depth + deepest > MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, _("YAML nested too deeply (through aliases)"),
                                              node.start_mark)
        if size > distinct[0] + MAX_ALIAS_EXPANSION:
            raise yaml.composer.ComposerError(
                None, None, _("YAML aliases expand too much (more than {limit} extra nodes)").format(
                    limit=MAX_ALIAS_EXPANSION), node.start_mark)
        return size, deepest

    visit(root, 0)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> LocDict:
    loader.flatten_mapping(node)
    result = LocDict()
    result.loc = _mark(node)
    result.key_locs = {}
    result.value_locs = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, _("mapping keys must be plain values"), key_node.start_mark)
        key = str(key) if not isinstance(key, str) else key
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, _("duplicate key {key}").format(key=repr(key)), key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_locs[key] = _mark(key_node)
        result.value_locs[key] = _mark(value_node)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode, deep: bool = False) -> LocList:
    result = LocList(loader.construct_object(child, deep=True) for child in node.value)
    result.loc = _mark(node)
    result.item_locs = [_mark(child) for child in node.value]
    return result


# YAML 1.2 booleans: only true/false. YAML 1.1 also reads yes/no/on/off as booleans, which turns the word
# "no" in a pattern list (`LOWER: {IN: [no, nada]}`) or "on" in "ends on" into True/False behind the author's back.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(text: str, path: str, error_cls: type[CultureLintError] = CultureLintError) -> Any:
    """Parse YAML text safely; problems raise ``error_cls`` with file:line:col."""
    loader = None
    try:
        loader = _Loader(text)  # the reader refuses control characters here already
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or _("invalid YAML")
        if exc.context and exc.problem:
            # TRANSLATORS: both parts come from the YAML parser (mostly in English)
            problem = _("{problem} ({context})").format(problem=exc.problem, context=exc.context)
        line, col = _text_position(text, mark.index) if mark else (None, None)  # by index: YAML also breaks at NEL, U+2028
        raise error_cls(_("invalid YAML: {problem}").format(problem=problem), path, line, col) from None
    except yaml.reader.ReaderError as exc:
        line, col = _text_position(text, exc.position)
        what = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        raise error_cls(_("invalid YAML: unacceptable character {char} ({reason})").format(
            char=what, reason=exc.reason), path, line, col) from None
    except yaml.YAMLError as exc:
        raise error_cls(_("invalid YAML: {problem}").format(problem=exc), path, 1, 1) from None
    except RecursionError:
        raise error_cls(_("invalid YAML: nested too deeply"), path, 1, 1) from None
    finally:
        if loader is not None:
            loader.dispose()


def _text_position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of a character index."""
    before = text[:max(0, index)]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def loc_of(container: Any, key: Any = None) -> tuple[int, int]:
    """Best-known position of ``container[key]`` (or of the container)."""
    if key is not None:
        if isinstance(container, LocDict) and key in container.value_locs:
            return container.value_locs[key]
        if isinstance(container, LocList) and isinstance(key, int) and key < len(container.item_locs):
            return container.item_locs[key]
    return getattr(container, "loc", (1, 1))


def key_loc(container: Any, key: str) -> tuple[int, int]:
    if isinstance(container, LocDict) and key in container.key_locs:
        return container.key_locs[key]
    return getattr(container, "loc", (1, 1))

#: The YAML loader with line/column locations and the project's strict scalars (for readers that walk nodes).
LocLoader = _Loader
