#!/usr/bin/env python
"""Interface translations for culture-lint: the Babel extract / update / compile / check workflow.

    python scripts/i18n.py extract   # culture_lint/**.py  -> locales/culture_lint.pot
    python scripts/i18n.py update    # .pot -> locales/<locale>/LC_MESSAGES/culture_lint.po (keeps translations)
    python scripts/i18n.py compile   # .po  -> .mo next to it (the .mo is committed)
    python scripts/i18n.py check     # exit 1 if a msgid lacks a translation, is fuzzy, or anything is stale
    python scripts/i18n.py all       # extract + update + compile (what `make i18n` runs)

Everything goes through Babel's Python API, so it runs from the project's virtualenv with no
gettext tools installed. See docs/translating.md.
"""

from __future__ import annotations

import argparse
import ast
import io
import os
import re
import string
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Collection, Iterable, Iterator, Mapping

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, unescape, write_po
from babel.util import pathmatch

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "culture_lint"
LOCALES = ("zh_CN",)  # catalogs we ship; English is the source language (msgids)
KEYWORDS: dict[str, Any] = dict(DEFAULT_KEYWORDS)  # _, gettext, ngettext, pgettext, N_, ...
COMMENT_TAGS = ("TRANSLATORS:",)  # `# TRANSLATORS: ...` right above a call reaches the .po
PROJECT = "culture-lint"
COPYRIGHT = "culture-lint developers"
WIDTH = 76

# header lines that change on every run; ignored when deciding whether a file really changed
_VOLATILE = re.compile(rb'^(?:"POT-Creation-Date: |"PO-Revision-Date: |"Generated-By: |# Copyright \(C\) )',
                       re.M)


# --------------------------------------------------------------------------------------------
# paths


class Paths:
    """Where the mapping, template and catalogs live under a repository root."""

    def __init__(self, root: Path | str = ROOT) -> None:
        self.root = Path(root)

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def mapping(self) -> Path:
        return self.root / "babel.cfg"

    @property
    def pot(self) -> Path:
        return self.locales / f"{DOMAIN}.pot"

    def po(self, locale: str) -> Path:
        return self.locales / locale / "LC_MESSAGES" / f"{DOMAIN}.po"

    def mo(self, locale: str) -> Path:
        return self.locales / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


# --------------------------------------------------------------------------------------------
# extraction


def _literal(node: ast.AST) -> str | None:
    """The text of a string literal (implicit concatenation included), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and all(
            isinstance(v, ast.Constant) and isinstance(v.value, str) for v in node.values):
        return "".join(v.value for v in node.values)  # an f-string without fields
    return None


def _keyword_calls(tree: ast.AST, keywords: Collection[str]) -> Iterator[tuple[ast.Call, str]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name is not None and name in keywords:
            yield node, name


def _translator_comments(lines: list[str], lineno: int, tags: Collection[str]) -> list[str]:
    """`# TAG: ...` comment block directly above line ``lineno`` (1-based), from the tag on."""
    block: list[str] = []
    i = lineno - 2
    while i >= 0 and lines[i].lstrip().startswith("#"):
        block.insert(0, lines[i].strip()[1:].strip())
        i -= 1
    for j, text in enumerate(block):
        if any(text.startswith(tag) for tag in tags):
            return block[j:]
    return []


def extract_python_ast(fileobj, keywords: Collection[str], comment_tags: Collection[str],
                       options: Mapping[str, Any]) -> Iterator[tuple[int, str, Any, list[str]]]:
    """A Babel extraction method for Python built on ``ast`` rather than the tokenizer.

    Same contract as ``babel.messages.extract.extract_python`` (yields ``(lineno, funcname,
    messages, comments)``; Babel applies the keyword specs), but it also finds calls nested inside
    f-strings such as ``f"{_('error')}: {msg}"``, which the tokenizer-based extractor only sees on
    Python >= 3.12. The template is therefore the same whatever Python runs the script.
    """
    raw = fileobj.read()
    text = raw.decode(options.get("encoding") or "utf-8-sig")
    tree = ast.parse(text)
    lines = text.splitlines()
    found = []
    for call, name in _keyword_calls(tree, keywords):
        args = [_literal(arg) for arg in call.args]
        if not args:
            continue
        messages = tuple(args) if len(args) > 1 else args[0]
        lineno = call.args[0].lineno
        found.append((lineno, call.col_offset, name, messages,
                      _translator_comments(lines, call.lineno, comment_tags)))
    for lineno, _col, name, messages, comments in sorted(found, key=lambda f: (f[0], f[1])):
        yield lineno, name, messages, comments


def _load_mapping(paths: Paths) -> tuple[list[tuple[str, Any]], dict[str, dict[str, Any]]]:
    with open(paths.mapping, encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(paths.mapping))
    # "python" is served by the AST extractor above (identical results on every Python version)
    method_map = [(pattern, extract_python_ast if method == "python" else method)
                  for pattern, method in method_map]
    return method_map, options_map


def _directory_filter(paths: Paths, method_map: list[tuple[str, Any]]) -> Callable[[str], bool]:
    """Walk only the folders the mapping can match (never .venv, node_modules, ...)."""
    tops: set[str] | None = set()
    for pattern, method in method_map:
        if method == "ignore":
            continue
        first = pattern.split("/", 1)[0]
        if "/" not in pattern or any(ch in first for ch in "*?["):
            tops = None  # a pattern at the top level: walk everything
            break
        tops.add(first)

    def keep(dirpath: str) -> bool:
        name = os.path.basename(dirpath)
        if name.startswith(".") or name == "__pycache__":
            return False
        rel = os.path.relpath(dirpath, paths.root).replace(os.sep, "/")
        if rel == ".":
            return True
        if tops is not None and rel.split("/", 1)[0] not in tops:
            return False
        return not any(method == "ignore" and pathmatch(pattern, rel) for pattern, method in method_map)

    return keep


def _version(paths: Paths) -> str:
    try:
        text = (paths.root / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return ""
    m = re.search(r'(?m)^version\s*=\s*"([^"]+)"', text)
    return m.group(1) if m else ""


def extract(paths: Paths = Paths()) -> Catalog:
    """The template (msgids with source locations) as extracted from the code right now."""
    method_map, options_map = _load_mapping(paths)
    catalog = Catalog(project=PROJECT, version=_version(paths), copyright_holder=COPYRIGHT,
                      charset="utf-8", fuzzy=False)
    results = extract_from_dir(paths.root, method_map, options_map, keywords=KEYWORDS,
                               comment_tags=COMMENT_TAGS, strip_comment_tags=True,
                               directory_filter=_directory_filter(paths, method_map))
    for filename, lineno, message, comments, context in results:
        location = Path(filename).as_posix()
        catalog.add(message, None, [(location, lineno)], auto_comments=comments, context=context)
    return catalog


def nonliteral_calls(paths: Paths = Paths()) -> list[str]:
    """``_(variable)`` / ``_(f"...{x}")``: strings that can never be extracted, hence never translated."""
    method_map, _options = _load_mapping(paths)
    keep = _directory_filter(paths, method_map)
    out = []
    for dirpath, dirnames, filenames in os.walk(paths.root):
        dirnames[:] = sorted(d for d in dirnames if keep(os.path.join(dirpath, d)))
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, paths.root).replace(os.sep, "/")
            if not any(method is extract_python_ast and pathmatch(pattern, rel) for pattern, method in method_map):
                continue
            tree = ast.parse(Path(full).read_text(encoding="utf-8-sig"))
            for call, fname in _keyword_calls(tree, ("_", "gettext", "ngettext")):
                if isinstance(call.func, ast.Name) and call.args and _literal(call.args[0]) is None:
                    out.append(f"{rel}:{call.lineno}: {fname}() called with a non-literal string")
    return out


# --------------------------------------------------------------------------------------------
# reading / writing catalogs


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with open(path, "rb") as fh:
        catalog = read_po(fh, locale=locale, domain=DOMAIN)
    for message in [*catalog, *catalog.obsolete.values()]:
        _restore_previous(message)
    return catalog


_PREVIOUS = re.compile(r'^(msgctxt|msgid_plural|msgid)\s+(".*")$')
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


def _restore_previous(message: Message) -> None:
    """Babel writes ``#| msgid "old"`` but reads it back as a translator comment ``| msgid "old"``
    (python-babel/babel#206), which would then be written as ``# | msgid`` and pile up. Turn those
    comments back into ``previous_id`` on fuzzy entries, and drop them on the others."""
    previous = [c for c in message.user_comments if c.startswith("|")]
    if not previous:
        return
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    fields: dict[str, list[str]] = {}
    current = None
    for comment in previous:
        body = comment[1:].strip()
        m = _PREVIOUS.match(body)
        if m:
            current = m.group(1)
            fields[current] = [m.group(2)]
        elif body.startswith('"') and current:
            fields[current].append(body)
    ids = ["".join(unescape(q) for part in fields[k] for q in _QUOTED.findall(part))
           for k in ("msgid", "msgid_plural") if k in fields]
    message.previous_id = ids if message.fuzzy else []


def _po_bytes(catalog: Catalog, *, obsolete: bool = True, previous: bool = True) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=WIDTH, include_lineno=False, ignore_obsolete=not obsolete,
             include_previous=previous)
    return buf.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def _write_if_changed(path: Path, data: bytes, *, volatile: bool = True) -> bool:
    """Write unless only dates changed: keeps `git diff` quiet when no message changed."""
    try:
        old = path.read_bytes()
    except OSError:
        old = None
    if old is not None:
        if old == data or (volatile and _VOLATILE.sub(b"", old) == _VOLATILE.sub(b"", data)):
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def _key(message: Message) -> tuple[Any, Any]:
    return message.id, message.context


def _ids(catalog: Catalog) -> set[tuple[Any, Any]]:
    return {_key(m) for m in catalog if m.id}


def _strings(message: Message) -> list[str]:
    s = message.string
    return list(s) if isinstance(s, (tuple, list)) else [s or ""]


def _is_translated(message: Message) -> bool:
    return all(_strings(message))


# --------------------------------------------------------------------------------------------
# commands


def do_extract(paths: Paths = Paths()) -> Catalog:
    template = extract(paths)
    changed = _write_if_changed(paths.pot, _po_bytes(template, obsolete=False, previous=False))
    print(f"{paths.rel(paths.pot)}: {len(_ids(template))} msgids" + ("" if changed else " (unchanged)"))
    return template


def merge(catalog: Catalog, template: Catalog, *, fuzzy_matching: bool = True) -> Catalog:
    """Bring ``catalog`` in line with ``template``, keeping every translation that still applies.

    New msgids come in untranslated (or fuzzy, with the closest old translation, when
    ``fuzzy_matching``); msgids gone from the code move to the obsolete section (``#~``) and come
    back with their translation if the string is restored later.
    """
    for key, message in list(catalog.obsolete.items()):  # let old translations match again
        if catalog.get(message.id, message.context) is None:
            catalog[message.id] = message
    catalog.obsolete.clear()
    catalog.update(template, no_fuzzy_matching=not fuzzy_matching, update_header_comment=False,
                   keep_user_comments=True, update_creation_date=True)
    for message in catalog:
        if message.id and not message.fuzzy:
            message.previous_id = []  # `#| msgid` lines only make sense on fuzzy entries
    return catalog


def new_catalog(locale: str, paths: Paths = Paths()) -> Catalog:
    now = datetime.now(timezone.utc)
    return Catalog(locale=locale, domain=DOMAIN, project=PROJECT, version=_version(paths),
                   copyright_holder=COPYRIGHT, charset="utf-8", fuzzy=False,
                   creation_date=now, revision_date=now,
                   last_translator=COPYRIGHT, language_team=f"{locale} <{PROJECT}>")


def do_update(paths: Paths = Paths(), locales: Iterable[str] = LOCALES, *, fuzzy_matching: bool = True,
              keep_obsolete: bool = True) -> None:
    if not paths.pot.is_file():
        raise SystemExit(f"{paths.rel(paths.pot)} is missing: run `extract` first")
    template = read_catalog(paths.pot)
    for locale in locales:
        po = paths.po(locale)
        catalog = read_catalog(po, locale) if po.is_file() else new_catalog(locale, paths)
        before = {_key(m): m.string for m in catalog if m.id}
        merge(catalog, template, fuzzy_matching=fuzzy_matching)
        changed = _write_if_changed(po, _po_bytes(catalog, obsolete=keep_obsolete))
        new = sum(1 for m in catalog if m.id and _key(m) not in before)
        print(f"{paths.rel(po)}: {_summary(catalog)}; {new} new, {len(catalog.obsolete)} obsolete"
              + ("" if changed else " (unchanged)"))


def _summary(catalog: Catalog) -> str:
    msgs = [m for m in catalog if m.id]
    fuzzy = sum(1 for m in msgs if m.fuzzy)
    done = sum(1 for m in msgs if _is_translated(m) and not m.fuzzy)
    return f"{done}/{len(msgs)} translated, {fuzzy} fuzzy, {len(msgs) - done - fuzzy} untranslated"


def do_compile(paths: Paths = Paths(), locales: Iterable[str] = LOCALES) -> None:
    for locale in locales:
        po = paths.po(locale)
        if not po.is_file():
            raise SystemExit(f"{paths.rel(po)} is missing: run `update` first")
        catalog = read_catalog(po, locale)
        for problem in _format_problems(catalog, paths.rel(po)):
            print(f"warning: {problem}", file=sys.stderr)
        mo = paths.mo(locale)
        changed = _write_if_changed(mo, _mo_bytes(catalog), volatile=False)
        print(f"{paths.rel(mo)}: {_summary(catalog)}" + ("" if changed else " (unchanged)"))


# --------------------------------------------------------------------------------------------
# check


def _fields(text: str) -> set[str] | None:
    """``{name}`` / ``{count:>3}`` replacement fields of a str.format string (None if malformed)."""
    try:
        return {f"{{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}"
                for _lit, name, spec, conv in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def _format_problems(catalog: Catalog, where: str) -> list[str]:
    """Placeholders in translations must match the msgid's exactly; %-formats via Babel's checkers."""
    problems = []
    for message in catalog:
        if not message.id or message.fuzzy or not _is_translated(message):
            continue
        ids = list(message.id) if isinstance(message.id, (tuple, list)) else [message.id]
        wanted = [_fields(i) for i in ids]
        if all(w is not None for w in wanted) and any(wanted) or "python-brace-format" in message.flags:
            union = set().union(*(w for w in wanted if w))
            for text in _strings(message):
                got = _fields(text)
                ok = got is not None and (got == union if len(ids) == 1 else got <= union)
                if not ok:
                    problems.append(f"{where}: placeholders differ for msgid {ids[0]!r}: "
                                    f"{sorted(union)} vs {sorted(got) if got is not None else 'malformed'}")
        for text in _strings(message):
            if ids[0].endswith("\n") != text.endswith("\n") or ids[0].startswith("\n") != text.startswith("\n"):
                problems.append(f"{where}: leading/trailing newline differs for msgid {ids[0]!r}")
    for message, errors in catalog.check():
        for error in errors:
            problems.append(f"{where}: {error} (msgid {message.id!r})")
    return problems


def _mo_table(catalog: Catalog) -> dict[tuple[Any, Any], tuple[str, ...]]:
    return {(m.id, m.context): tuple(_strings(m)) for m in catalog
            if m.id and not m.fuzzy and _is_translated(m)}


def _listing(keys: Iterable[tuple[Any, Any]], limit: int = 20) -> str:
    items = sorted(keys, key=repr)
    shown = [repr(k[0] if k[1] is None else k) for k in items[:limit]]
    more = f"\n      ... and {len(items) - limit} more" if len(items) > limit else ""
    return "".join(f"\n      {s}" for s in shown) + more


def check(paths: Paths = Paths(), locales: Iterable[str] = LOCALES) -> list[str]:
    """Every problem that would leave the interface partly untranslated; an empty list means OK.

    - the template (.pot) and every catalog (.po) have exactly the msgids the code has now;
    - every msgid has a non-fuzzy translation whose placeholders match;
    - every compiled .mo holds exactly the .po's translations (what `pip install .` ships).
    """
    problems: list[str] = []
    template = extract(paths)
    code_ids = _ids(template)
    hint = "run `make i18n`"

    if not paths.pot.is_file():
        problems.append(f"{paths.rel(paths.pot)} is missing: {hint}")
    else:
        pot_ids = _ids(read_catalog(paths.pot))
        if pot_ids != code_ids:
            problems.append(f"{paths.rel(paths.pot)} is stale ({len(code_ids - pot_ids)} msgids missing, "
                            f"{len(pot_ids - code_ids)} no longer in the code): {hint}")

    for locale in locales:
        po, mo = paths.po(locale), paths.mo(locale)
        where = paths.rel(po)
        if not po.is_file():
            problems.append(f"{where} is missing: {hint}")
            continue
        catalog = read_catalog(po, locale)
        po_ids = _ids(catalog)
        if code_ids - po_ids:
            problems.append(f"{where} is stale, msgids in the code but not in the catalog ({hint}):"
                            + _listing(code_ids - po_ids))
        if po_ids - code_ids:
            problems.append(f"{where} is stale, msgids no longer in the code ({hint}):"
                            + _listing(po_ids - code_ids))
        live = [m for m in catalog if m.id and _key(m) in code_ids]
        fuzzy = [_key(m) for m in live if m.fuzzy]
        if fuzzy:
            problems.append(f"{where}: fuzzy translations (check them, then remove the `fuzzy` flag):"
                            + _listing(fuzzy))
        missing = [_key(m) for m in live if not _is_translated(m)]
        if missing:
            problems.append(f"{where}: msgids without a {locale} translation:" + _listing(missing))
        problems.extend(_format_problems(catalog, where))

        if not mo.is_file():
            problems.append(f"{paths.rel(mo)} is missing: {hint}")
        else:
            with open(mo, "rb") as fh:
                compiled = read_mo(fh)
            if _mo_table(compiled) != _mo_table(catalog):
                problems.append(f"{paths.rel(mo)} is out of date with {where}: {hint}")
    return problems


def do_check(paths: Paths = Paths(), locales: Iterable[str] = LOCALES) -> int:
    problems = check(paths, locales)
    for warning in nonliteral_calls(paths):
        print(f"warning: {warning}", file=sys.stderr)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return 1
    for locale in locales:
        print(f"{paths.rel(paths.po(locale))}: {_summary(read_catalog(paths.po(locale), locale))}")
    return 0


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/i18n.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this checkout)")
    parser.add_argument("-l", "--locale", action="append", help=f"only this locale (default: {', '.join(LOCALES)})")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", help="code -> locales/culture_lint.pot")
    for name, text in (("update", ".pot -> .po, keeping translations"),
                       ("all", "extract + update + compile")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--no-fuzzy-matching", action="store_true",
                       help="new msgids never borrow a similar old translation (marked fuzzy)")
        p.add_argument("--drop-obsolete", action="store_true",
                       help="drop translations whose msgid left the code instead of keeping them as #~")
    sub.add_parser("compile", help=".po -> .mo")
    sub.add_parser("check", help="exit 1 if any translation is missing, fuzzy or stale")
    args = parser.parse_args(argv)

    paths = Paths(args.root.resolve())
    locales = tuple(args.locale or LOCALES)
    if args.command in ("extract", "all"):
        do_extract(paths)
    if args.command in ("update", "all"):
        do_update(paths, locales, fuzzy_matching=not args.no_fuzzy_matching,
                  keep_obsolete=not args.drop_obsolete)
    if args.command in ("compile", "all"):
        do_compile(paths, locales)
    if args.command == "check":
        return do_check(paths, locales)
    return 0


if __name__ == "__main__":
    sys.exit(main())
