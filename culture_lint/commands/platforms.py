"""`culture-lint platforms`: platform packs, the markets they sell in, their market variants and sources."""

from __future__ import annotations

import json

import typer

from ..config import Settings
from ..i18n import _, pick


def rows(reg) -> list[dict]:
    """One row per platform pack: markets, rules (with the markets a variant is limited to) and sources."""
    out = []
    for pid in reg.platform_ids:
        pack = reg.pack(pid)
        variants: dict[str, list[str]] = {}
        for rule in pack.rules:
            for m in rule.when.get("markets") or []:
                variants.setdefault(str(m).lower(), []).append(rule.id)
        sources = []
        for rule in pack.rules:
            if rule.source and rule.source not in sources:
                sources.append(rule.source)
        out.append({
            "platform": pid, "name": pick(pack.name), "markets": pack.markets, "languages": pack.languages,
            "rules": [{"id": r.id, "category": r.category, "severity": r.severity,
                       "markets": [str(m).lower() for m in r.when.get("markets") or []], "source": r.source}
                      for r in pack.rules],
            "variants": {m: sorted(ids) for m, ids in sorted(variants.items())},
            "sources": sources,
        })
    return out


def platforms(s: Settings) -> None:
    """`platforms`: the platform packs as a table (or JSON)."""
    from .packs import console, registry

    fmt = s.format
    reg = registry(s.rules_dirs)
    data = rows(reg)
    if fmt == "json":
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=_("Platforms"))
    for col in (_("platform"), _("name"), _("markets"), _("rules"), _("market variants")):
        table.add_column(col, overflow="fold")
    for r in data:
        variants = "; ".join(f"{m}: {len(ids)}" for m, ids in r["variants"].items())
        table.add_row(r["platform"], escape(r["name"]), ",".join(r["markets"]), str(len(r["rules"])), variants)
    con = console()
    con.print(table)
    for r in data:
        con.print(f"\n[bold]{escape(r['platform'])}[/bold] " + _("sources:"))
        for src in r["sources"]:
            con.print("  " + escape(src))
