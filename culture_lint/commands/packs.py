"""`markets` and `rules list/show/validate/test`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ..config import Settings
from ..errors import CultureLintError, PackError, PackErrors
from ..i18n import _, pick
from ..packs.messages import preview_message
from ..util.suggest import did_you_mean


def registry(rules_dirs):
    """The packs: bundled plus ``rules_dirs``."""
    from ..packs.registry import Registry

    return Registry([Path(d) for d in rules_dirs])


def console():
    """A wide rich console for tables (at least 120 columns, so ids are not cut)."""
    from rich.console import Console

    import shutil

    return Console(highlight=False, soft_wrap=True, width=max(120, shutil.get_terminal_size((120, 24)).columns))


def markets(s: Settings) -> None:
    """`markets`: every market pack with its languages, currency, time zones and parents."""
    fmt = s.format
    reg = registry(s.rules_dirs)
    rows = []
    for pid in reg.pack_ids:
        pack = reg.pack(pid)
        rows.append({
            "market": pid, "kind": pack.kind, "name": pick(pack.name), "languages": pack.languages,
            "currency": pack.currency, "timezones": pack.timezones, "aliases": pack.aliases,
            "extends": reg.lineage(pid)[1:], "rules": len(reg.market_rules(pid)),
        })
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table(title=_("Markets"))
    for col in (_("market"), _("name"), _("kind"), _("languages"), _("currency"), _("time zones"),
                _("parent packs"), _("aliases"), _("rules")):
        table.add_column(col)
    for r in rows:
        zones = r["timezones"][0] + (f" +{len(r['timezones']) - 1}" if len(r["timezones"]) > 1 else "") \
            if r["timezones"] else ""
        table.add_row(r["market"], r["name"], r["kind"], ",".join(r["languages"]), r["currency"] or "",
                      zones, "→".join(r["extends"]), ",".join(r["aliases"]), str(r["rules"]))
    console().print(table)


def _rule_row(rule) -> dict:
    return {
        "id": rule.id, "pack": rule.pack, "category": rule.category, "severity": rule.severity,
        "kind": rule.kind, "languages": rule.languages, "confidence": rule.confidence,
        "legal": rule.legal, "message": pick(rule.message), "source": rule.source,
    }


def rules_list(s: Settings) -> None:
    """`rules list`: rules filtered by market, category and platform."""
    from ..config import split_list

    markets_, categories, fmt = s.markets, split_list(s.flag("category")), s.format
    reg = registry(s.rules_dirs)
    platform_ids = [reg.resolve_platform(p) for p in s.platforms]
    if markets_:
        rules = {}
        for m in markets_:
            market = reg.resolve_market(m)
            for rule in reg.market_rules(market) + [r for p in platform_ids for r in reg.platform_rules(p, market)]:
                rules.setdefault(rule.id, rule)
        chosen = list(rules.values())
    elif platform_ids:  # only the platforms' rules, every market variant
        chosen = [r for p in platform_ids for r in reg.pack(p).rules]
    else:
        chosen = [r for pid in reg.pack_ids for r in reg.pack(pid).rules]
    if categories:
        chosen = [r for r in chosen if r.category in categories]
    chosen.sort(key=lambda r: r.id)
    if fmt == "json":
        typer.echo(json.dumps([_rule_row(r) for r in chosen], ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table(title=_("{count} rules").format(count=len(chosen)))
    for col in (_("rule"), _("category"), _("severity"), _("kind"), _("languages"), _("message")):
        table.add_column(col, overflow="fold")
    for r in chosen:
        table.add_row(r.id, r.category, r.severity, r.kind, ",".join(r.languages),
                      preview_message(r))
    console().print(table)


def rules_show(s: Settings) -> None:
    """`rules show ID`: a rule with why, examples, what to use instead and its source."""
    rule_id = s.flag("rule_id")
    reg = registry(s.rules_dirs)
    for pid in reg.pack_ids + reg.platform_ids:
        for rule in reg.pack(pid).rules:
            if rule.id == rule_id:
                _print_rule(reg, rule)
                return
    all_ids = [r.id for pid in reg.pack_ids + reg.platform_ids for r in reg.pack(pid).rules]
    raise CultureLintError(_("unknown rule '{rule}'").format(rule=rule_id),
                           hint=did_you_mean(rule_id, all_ids, cutoff=60))


def _print_rule(reg, rule) -> None:
    from rich.markup import escape

    con = console()
    markets = [pid for pid in reg.pack_ids if rule.pack in reg.lineage(pid)]
    con.print(f"[bold]{escape(rule.id)}[/bold]  ({rule.category}, {rule.severity}, {rule.kind}, "
              f"{_('confidence')}: {rule.confidence})")
    con.print(escape(preview_message(rule)))
    con.print(f"\n[bold]{_('Why')}[/bold]\n" + escape(pick(rule.why)))
    _print_compositions(con, reg, rule)
    flags = rule.tests.get("flag", [])
    if flags:
        con.print(f"\n[bold]{_('Example')}[/bold]")
        for case in flags[:3]:
            con.print("  ✗ " + escape(case["text"].strip()))
    passes = rule.tests.get("pass", [])
    if rule.suggestions or passes:
        con.print(f"\n[bold]{_('Use instead')}[/bold]")
        for s in rule.suggestions:
            text = pick({k: v for k, v in s.items() if k != "safe"})
            con.print("  → " + escape(text) + (f"  ({_('safe fix')})" if s.get("safe") else ""))
        for case in passes[:2]:
            con.print("  ✓ " + escape(case["text"].strip()))
    if rule.source:
        con.print(f"\n[bold]{_('Source')}[/bold]\n" + escape(rule.source))
    con.print(f"\n[bold]{_('Markets')}[/bold]\n" + ", ".join(markets))


def _print_compositions(con, reg, rule) -> None:
    """Which concepts a composed rule combines, in which window, and how many terms each brings."""
    from rich.markup import escape

    from ..packs.concepts import compositions_of, expand

    comps = compositions_of(rule)
    if not comps:
        return
    try:
        concepts = reg.concepts()
    except PackErrors:
        concepts = {}
    roles = {"p": _("flags"), "x": _("excuses"), "t": _("triggers"), "r": _("satisfies")}
    con.print(f"\n[bold]{_('Concepts')}[/bold]")
    names: list[str] = []
    for role, comp in comps:
        con.print(f"  {roles[role]}: " + escape(comp.describe()))
        names.extend(n for n in comp.items if n not in names)
    for name in names:
        members = expand(name, concepts)
        terms = [t for m in members for t in concepts[m].terms] if name in concepts else []
        langs = sorted({t.lang for t in terms})
        sample = ", ".join(t.text for t in terms if t.lang == "en")[:80] or ", ".join(t.text for t in terms)[:80]
        desc = pick(concepts[name].description) if name in concepts and concepts[name].description else ""
        con.print("  " + escape(_("{name}: {count} terms in {langs}").format(
            name=name, count=len(terms), langs=", ".join(langs))) + (f" — {escape(desc)}" if desc else ""))
        if sample:
            con.print("    " + escape(_("e.g. {terms} …").format(terms=sample)))


def _validate_registry(paths):
    from ..packs.registry import Registry

    for p in paths:
        if not Path(p).is_dir():
            raise CultureLintError(_("rule pack folder does not exist: {path}").format(path=p))
    return Registry([Path(p) for p in paths])


def rules_validate(s: Settings) -> int:
    """`rules validate PATH…`: every problem in the packs with file:line:col; 2 when there is one."""
    reg = _validate_registry(s.paths)
    try:
        packs = reg.load_all()
    except PackErrors as exc:
        for err in exc.errors:
            typer.echo(str(err), err=True)
        typer.echo(_("{count} problem(s) found.").format(count=len(exc.errors)), err=True)
        return 2
    except PackError as exc:
        typer.echo(str(exc), err=True)
        return 2
    for warn in reg.warnings:
        typer.echo(f"{warn} [{_('warning')}]", err=True)
    total = sum(len(p.rules) for p in packs)
    typer.echo(_("{packs} pack(s), {rules} rule(s): valid.").format(packs=len(packs), rules=total))
    return 0


def rules_test(s: Settings) -> int:
    """`rules test PATH…`: run the packs' fixtures; 1 when one fails."""
    from ..testing import pack_ids_in, run_cases

    paths, select, quiet = s.paths, s.select, s.flag("quiet", False)
    reg = _validate_registry(paths)
    try:
        reg.load_all()
    except PackErrors as exc:
        for err in exc.errors:
            typer.echo(str(err), err=True)
        return 2
    results = run_cases(reg, pack_ids_in([Path(p) for p in paths]), select)
    failed = [r for r in results if not r.ok]
    for r in failed:
        typer.echo(_("FAIL") + " " + r.describe())
    rules = len({r.rule.id for r in results})
    typer.echo(_("{passed} passed, {failed} failed").format(passed=len(results) - len(failed), failed=len(failed))
               + " " + _("({rules} rules)").format(rules=rules))
    sys.stdout.flush()
    return 1 if failed else 0
