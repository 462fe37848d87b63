"""Coverage of the rule packs: markets × categories × languages, as a Markdown table (docs/coverage.md)."""

from __future__ import annotations

from ..models import CATEGORIES
from .registry import Registry

# Categories every country pack must cover, directly or through its parents (issue: market coverage).
REQUIRED = ("ad-disclosure", "health-claim", "weight-loss-claim", "absolute-claim", "pricing", "urgency",
            "personal-data", "giveaway", "restricted-product", "minors", "ip-rights", "green-claim")
SHORT = {
    "health-claim": "health", "weight-loss-claim": "weight", "absolute-claim": "absolute",
    "ad-disclosure": "disclosure", "personal-data": "data", "pricing": "pricing", "urgency": "urgency",
    "giveaway": "giveaway", "green-claim": "green", "restricted-product": "restricted", "minors": "minors",
    "ip-rights": "ip", "religious": "religious", "cultural-symbol": "symbol", "politics-sensitive": "politics",
    "holiday": "holiday", "localization": "l10n", "interaction": "interaction",
}


def market_table(registry: Registry) -> list[dict]:
    rows = []
    for pid in registry.pack_ids:
        pack = registry.pack(pid)
        rules = registry.market_rules(pid)
        by_cat = {c: sum(1 for r in rules if r.category == c) for c in CATEGORIES if c != "input"}
        langs: dict[str, int] = {}
        for r in rules:
            for lang in r.languages:
                langs[lang] = langs.get(lang, 0) + 1
        rows.append({"market": pid, "kind": pack.kind, "own": len(pack.rules), "total": len(rules),
                     "categories": by_cat, "languages": langs, "pack_languages": pack.languages,
                     "missing": [c for c in REQUIRED if not by_cat.get(c)] if pack.kind == "market" else [],
                     "missing_languages": [l for l in pack.languages if not langs.get(l)]})
    return rows


def render_markdown(registry: Registry) -> str:
    rows = market_table(registry)
    cats = [c for c in CATEGORIES if c != "input"]
    total_rules = sum(r["own"] for r in rows)
    out = ["# Rule-pack coverage", "",
           "Generated from `rules/` by `python scripts/coverage.py` (the test suite regenerates it and fails when",
           "it is stale). Counts are the rules that apply to each market, its parent packs included.", "",
           f"{len(rows)} packs, {total_rules} rules.", "",
           "## Rules per market and category", "",
           "| market | kind | own | total | " + " | ".join(SHORT[c] for c in cats) + " |",
           "|---|---|---:|---:|" + "---:|" * len(cats)]
    for r in rows:
        out.append(f"| {r['market']} | {r['kind']} | {r['own']} | {r['total']} | "
                   + " | ".join(str(r["categories"][c] or "·") for c in cats) + " |")
    out += ["", "## Languages with patterns (rules per language)", "",
            "| market | audience languages | rules with patterns per language |", "|---|---|---|"]
    for r in rows:
        langs = ", ".join(f"{k} {v}" for k, v in sorted(r["languages"].items(), key=lambda kv: (-kv[1], kv[0])))
        out.append(f"| {r['market']} | {', '.join(r['pack_languages'])} | {langs} |")
    gaps = [r for r in rows if r["missing"] or r["missing_languages"]]
    out += ["", "## Gaps", ""]
    if not gaps:
        out.append("None: every country pack covers every required category and each of its languages.")
    for r in gaps:
        parts = []
        if r["missing"]:
            parts.append("categories: " + ", ".join(r["missing"]))
        if r["missing_languages"]:
            parts.append("languages: " + ", ".join(r["missing_languages"]))
        out.append(f"- **{r['market']}**: " + "; ".join(parts))
    out.append("")
    return "\n".join(out)
