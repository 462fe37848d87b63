"""The terminal dashboard (rich): latest alerts with their suggestion, the running culture-fit score and its
sub-scores, the countdown to the next audience prompt, counts per category."""

from __future__ import annotations

from ..i18n import _
from ..models import format_timestamp

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render(session):
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    head = Text()
    head.append(_("LIVE") + " ", style="bold white on red")
    head.append(f" {format_timestamp(session.clock)}  ·  " + _("markets: {markets}").format(markets=", ".join(session.markets)))
    head.append("  ·  " + _("{events} event(s), {errors} input error(s)").format(events=session.events, errors=session.errors))
    nxt = session.next_prompt()
    if nxt is not None:
        rule, left = nxt
        style = "bold red" if left <= 0 else ("yellow" if left <= session.lead else "green")
        head.append("\n" + _("next audience prompt due in {seconds} s").format(seconds=max(0, int(left))), style=style)
    partial = "  ".join(f"{t}: {x}" for t, x in session.assembler.partials.items())
    if partial:
        head.append("\n… " + partial[-120:], style="dim")

    scores = Table.grid(padding=(0, 2))
    for market, s in sorted(session.scores.items()):
        subs = " ".join(f"{k} {v}" for k, v in (s.get("subscores") or {}).items())
        scores.add_row(Text(f"[{market}]", style="bold"), Text(f"{s.get('score')} {s.get('band')}",
                       style={"good": "green", "review": "yellow", "fail": "red"}.get(s.get("band"), "")), Text(subs, style="dim"))

    alerts = Table(expand=True, show_edge=False, box=None)
    alerts.add_column(_("time"), no_wrap=True)
    alerts.add_column(_("track"), no_wrap=True)
    alerts.add_column(_("severity"), no_wrap=True)
    alerts.add_column(_("alert"))
    for a in list(session.last_alerts)[-10:][::-1]:
        sev = a.get("severity") or "info"
        body = Text(a.get("message") or "")
        if a.get("type") == "retract":
            body = Text(_("withdrawn: {rule}").format(rule=a.get("rule")), style="dim strike")
        elif a.get("rule"):
            body.append(f"  {a['rule']}", style="dim")
        if a.get("suggestion"):
            body.append("\n→ " + a["suggestion"], style="green")
        alerts.add_row(a.get("start") or "", a.get("track") or "", Text(sev, style=STYLE.get(sev, "")), body)

    counts = Text("  ".join(f"{c}: {n}" for c, n in sorted(session.counts.items()) if n) or _("no alerts yet"), style="dim")
    return Panel(Group(head, scores, alerts, counts), title="culture-lint live", border_style="red")
