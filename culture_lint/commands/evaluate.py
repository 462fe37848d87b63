"""`culture-lint rules eval`: recall and clean-pass on the real-world corpus, per split, category, language, market."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from ..i18n import _, choose_lang, set_lang
from ..packs.corpus import SPLITS, evaluate, load_corpus, tallies

DEFAULT_CORPUS = Path("tests") / "corpus" / "real"
DIMENSIONS = ("category", "language", "market")


def _dim_label(dim: str) -> str:
    return {"category": _("category"), "language": _("language"), "market": _("market")}[dim]


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


def _ratio(num: int, den: int) -> str:
    return f"{num}/{den}" if den else "–"


def run(corpus: Path | None, split: str, misses: bool, fmt: str, output: Path | None, rules_dirs, lang) -> int:
    set_lang(choose_lang(lang))
    from ..errors import CultureLintError
    from ..packs.registry import Registry

    if split not in SPLITS + ("both",):
        raise CultureLintError(_("--split must be dev, held-out or both"))
    if fmt not in ("text", "markdown", "json"):
        raise CultureLintError(_("--format must be text, markdown or json"))
    folder = corpus or DEFAULT_CORPUS
    cases = load_corpus(folder)
    if split != "both":
        cases = [c for c in cases if c.split == split]
    if not cases:
        raise CultureLintError(_("no corpus cases in {path}").format(path=folder))
    outcomes = evaluate(cases, Registry([Path(d) for d in rules_dirs]))
    table = tallies(outcomes)
    splits = [s for s in SPLITS if s in table]
    if fmt == "json":
        text = json.dumps(_as_json(table, outcomes if misses else [], splits), ensure_ascii=False, indent=2)
    elif fmt == "markdown":
        text = _markdown(table, splits, folder, len(cases))
    else:
        text = _text(table, splits, outcomes if misses else [])
    if output:
        from ..fsutil import atomic_write

        atomic_write(output, (text + "\n").encode("utf-8"))
        typer.echo(_("Wrote {path}").format(path=output), err=True)
    else:
        typer.echo(text)
    return 0


def _rows(table, splits, dim: str) -> list[tuple[str, list[str]]]:
    groups = sorted({g for s in splits for g in table[s][dim].groups()})
    rows = []
    for g in groups:
        cells = []
        for s in splits:
            t = table[s][dim]
            if g == "(compliant)" or (t.compliant[g] and not t.expected[g] and dim == "category"):
                cells.append(f"{_pct(t.clean_pass(g))} ({_ratio(t.clean[g], t.compliant[g])} {_('clean')})")
            else:
                cell = f"{_pct(t.recall(g))} ({_ratio(t.caught[g], t.expected[g])})"
                if dim != "category" and t.compliant[g]:
                    cell += f"; {_('clean')} {_ratio(t.clean[g], t.compliant[g])}"
                cells.append(cell)
        rows.append((g, cells))
    return rows


def _text(table, splits, outcomes) -> str:
    lines = []
    head = "  ".join(f"{s:<28}" for s in splits)
    for s in splits:
        t = table[s]["all"]
        lines.append(_("{split}: recall {recall} ({caught}/{expected} expected categories), clean-pass {clean} "
                       "({ok}/{compliant} compliant texts with no error)").format(
            split=s, recall=_pct(t.recall("all")), caught=t.caught["all"], expected=t.expected["all"],
            clean=_pct(t.clean_pass("all")), ok=t.clean["all"], compliant=t.compliant["all"]))
    for dim in DIMENSIONS:
        lines.append("")
        lines.append(f"{_dim_label(dim):<22}{head}")
        for g, cells in _rows(table, splits, dim):
            lines.append(f"{g:<22}" + "  ".join(f"{c:<28}" for c in cells))
    if outcomes:
        lines.append("")
        lines.append(_("Misses and false alarms:"))
        for o in outcomes:
            if o.missed:
                lines.append(f"  [{o.case.split}] {_('missed')} {','.join(o.missed)} ({','.join(o.case.markets)}, "
                             f"{o.case.lang}): {o.case.text[:160]}  — {o.case.source}")
            if o.case.compliant and o.errors:
                lines.append(f"  [{o.case.split}] {_('false alarm')} ({','.join(o.case.markets)}, {o.case.lang}): "
                             f"{o.case.text[:120]}  ← {'; '.join(o.errors)[:160]}")
    return "\n".join(lines)


def _markdown(table, splits, folder: Path, count: int) -> str:
    out = [
        "# Accuracy on real wording",
        "",
        _("Generated on {date} by `culture-lint rules eval --split both --format markdown -o docs/accuracy.md` "
          "from {count} real texts in `{folder}` (sources and rules of the corpus: its README). Do not edit by "
          "hand.").format(date=dt.date.today().isoformat(), count=count, folder=folder.as_posix()),
        "",
        _("*Recall*: expected categories caught (a `warning` or `error` finding of that category for one of the "
          "text's markets) / expected. *Clean-pass*: compliant texts with no `error` / compliant texts. Rules are "
          "tuned on `dev` only; `held-out` is the honest number."),
        "",
        "| " + " | ".join([_("split"), _("recall"), _("clean-pass"), _("texts")]) + " |",
        "|---|---|---|---|",
    ]
    for s in splits:
        t = table[s]["all"]
        out.append(f"| {s} | {_pct(t.recall('all'))} ({_ratio(t.caught['all'], t.expected['all'])}) | "
                   f"{_pct(t.clean_pass('all'))} ({_ratio(t.clean['all'], t.compliant['all'])}) | "
                   f"{t.texts['all']} |")
    for dim in DIMENSIONS:
        out += ["", "## " + _("By {dimension}").format(dimension=_dim_label(dim)), "",
                "| " + " | ".join([_dim_label(dim)] + list(splits)) + " |",
                "|---" * (len(splits) + 1) + "|"]
        for g, cells in _rows(table, splits, dim):
            out.append("| " + " | ".join([g] + cells) + " |")
    return "\n".join(out)


def _as_json(table, outcomes, splits) -> dict:
    data: dict = {"date": dt.date.today().isoformat(), "splits": {}}
    for s in splits:
        entry = {}
        for dim in ("all",) + DIMENSIONS:
            t = table[s][dim]
            entry[dim] = {g: {"expected": t.expected[g], "caught": t.caught[g], "recall": t.recall(g),
                              "compliant": t.compliant[g], "clean": t.clean[g], "clean_pass": t.clean_pass(g)}
                          for g in t.groups()}
        data["splits"][s] = entry
    data["cases"] = [{"split": o.case.split, "source": o.case.source, "text": o.case.text, "url": o.case.url,
                      "markets": o.case.markets, "lang": o.case.lang, "expect": o.case.expect,
                      "found": o.found, "missed": o.missed, "errors": o.errors} for o in outcomes]
    return data
