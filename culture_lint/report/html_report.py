"""One self-contained HTML report: score cards, the script with findings highlighted, a prompt timeline."""

from __future__ import annotations

import html
import json
import math

from .. import __version__
from ..i18n import _, current_lang

CSS = """
:root{--err:#c62828;--warn:#b26a00;--info:#1565c0;--good:#2e7d32;--review:#b26a00;--fail:#c62828;
--bg:#fafafa;--fg:#1f2328;--muted:#57606a;--card:#fff;--line:#d0d7de}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","PingFang SC",
"Microsoft YaHei",sans-serif;background:var(--bg);color:var(--fg)}
header{padding:16px 24px;background:#24292f;color:#fff}header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;color:#d0d7de;font-size:13px}
main{padding:16px 24px;max-width:1200px;margin:auto}
section.file{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:0 0 24px;padding:16px}
section.file h2{margin:0 0 12px;font-size:17px;word-break:break-all}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 12px;min-width:250px}
.card .total{font-size:28px;font-weight:700}.band-good{color:var(--good)}.band-review{color:var(--review)}
.band-fail{color:var(--fail)}.card .market{font-weight:600;text-transform:uppercase}
.bar{display:grid;grid-template-columns:90px 1fr 36px;gap:6px;align-items:center;font-size:12px}
.bar .track{background:#eaeef2;border-radius:4px;height:8px;overflow:hidden}
.bar .fill{height:8px;border-radius:4px;background:var(--good)}
.counts{font-size:13px;color:var(--muted);margin:4px 0 10px}
pre.script{margin:0;border:1px solid var(--line);border-radius:6px;background:#fff;overflow:auto;
font:13px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,"Noto Sans Mono CJK SC",monospace}
.ln{display:block;padding:0 8px;white-space:pre-wrap;word-break:break-word}
.ln::before{content:attr(data-line);display:inline-block;width:3.5em;color:#8c959f;user-select:none}
mark.f{background:#fff2cc;border-bottom:2px solid var(--warn);cursor:pointer;padding:0 1px}
mark.f.error{background:#ffe0e0;border-bottom-color:var(--err)}mark.f.info{background:#e3f0ff;border-bottom-color:var(--info)}
mark.f:focus,mark.f.active{outline:2px solid #0969da}
#tip{position:fixed;max-width:420px;background:#24292f;color:#fff;border-radius:6px;padding:8px 10px;font-size:13px;
display:none;z-index:10;box-shadow:0 4px 12px rgba(0,0,0,.3)}#tip b{display:block}#tip .s{color:#9be9a8}
table.findings{border-collapse:collapse;width:100%;margin-top:12px;font-size:13px}
table.findings td,table.findings th{border-top:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
.sev-error{color:var(--err);font-weight:600}.sev-warning{color:var(--warn);font-weight:600}.sev-info{color:var(--info)}
.timeline{position:relative;height:46px;margin:12px 0;border-bottom:2px solid var(--line)}
.timeline .tick{position:absolute;bottom:0;width:2px;height:18px;background:var(--info)}
.timeline .tick.finding{background:var(--warn);height:28px}.timeline .label{position:absolute;top:0;font-size:11px;color:var(--muted)}
footer{color:var(--muted);font-size:12px;text-align:center;padding:12px}
"""

JS = """
(function(){var tip=document.getElementById('tip');
function show(el){var d=JSON.parse(el.getAttribute('data-finding'));var h='';
d.forEach(function(f){h+='<b>'+f.rule+' ['+f.market+'] '+f.severity+'</b>'+esc(f.message);
f.suggestions.forEach(function(s){h+='<div class="s">→ '+esc(s)+'</div>'});});tip.innerHTML=h;
var r=el.getBoundingClientRect();tip.style.display='block';tip.style.left=Math.min(r.left,window.innerWidth-440)+'px';
tip.style.top=(r.bottom+6)+'px';}
function esc(t){var d=document.createElement('div');d.textContent=t;return d.innerHTML}
document.querySelectorAll('mark.f').forEach(function(el){
el.addEventListener('mouseenter',function(){show(el)});el.addEventListener('focus',function(){show(el)});
el.addEventListener('click',function(){document.querySelectorAll('mark.active').forEach(function(m){m.classList.remove('active')});
el.classList.add('active');show(el)});
el.addEventListener('mouseleave',function(){if(!el.classList.contains('active'))tip.style.display='none'});});
})();
"""

SUB_ORDER = ("compliance", "taboo", "language", "calendar", "embedding", "interaction")


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _card(market: str, score: dict) -> str:
    names = {"compliance": _("compliance"), "taboo": _("taboo"), "language": _("language"),
             "calendar": _("calendar"), "embedding": _("embedding"), "interaction": _("interaction")}
    bands = {"good": _("good"), "review": _("review"), "fail": _("fail")}
    bars = []
    for key in SUB_ORDER:
        value = score.get("subscores", {}).get(key)
        if value is None:
            continue
        color = "var(--good)" if value >= 75 else "var(--review)" if value >= 60 else "var(--fail)"
        bars.append(f'<div class="bar" data-sub="{key}"><span>{_e(names[key])}</span><span class="track">'
                    f'<span class="fill" style="display:block;width:{value:.0f}%;background:{color}"></span></span>'
                    f'<span>{value:.0f}</span></div>')
    return (f'<div class="card" data-market="{_e(market)}"><div class="market">{_e(market)}</div>'
            f'<div class="total band-{score["band"]}">{score["score"]:.1f} <small>{_e(bands[score["band"]])}</small></div>'
            f'{_radar(score)}{"".join(bars)}</div>')


def _radar(score: dict) -> str:
    """A small hexagon chart of the six sub-scores (inline SVG, no external assets)."""
    subs = score.get("subscores", {})
    if len(subs) < 3:
        return ""
    cx = cy = 60
    r = 48
    keys = [k for k in SUB_ORDER if k in subs]
    pts, grid = [], []
    for i, k in enumerate(keys):
        a = -math.pi / 2 + 2 * math.pi * i / len(keys)
        v = subs[k] / 100
        pts.append(f"{cx + r * v * math.cos(a):.1f},{cy + r * v * math.sin(a):.1f}")
        grid.append(f"{cx + r * math.cos(a):.1f},{cy + r * math.sin(a):.1f}")
    return (f'<svg class="radar" width="120" height="120" viewBox="0 0 120 120" role="img" '
            f'aria-label="{_e(_("sub-scores"))}"><polygon points="{" ".join(grid)}" fill="none" stroke="#d0d7de"/>'
            f'<polygon points="{" ".join(pts)}" fill="rgba(46,125,50,.25)" stroke="#2e7d32"/></svg>')


def _highlighted(doc, findings) -> str:
    """The file's lines with finding spans wrapped in <mark> (overlaps merged per character range)."""
    source = doc.source
    spans: dict[tuple[int, int], list] = {}
    for f in findings:
        if f.end > f.start and f.category != "input":
            spans.setdefault((f.start, f.end), []).append(f)
    ordered = sorted(spans.items())
    merged: list[tuple[int, int, list]] = []
    for (start, end), fs in ordered:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2] + fs)
        else:
            merged.append((start, end, fs))
    out: list[str] = []
    pos = 0
    for start, end, fs in merged:
        out.append(_e(source[pos:start]))
        worst = "error" if any(f.severity == "error" for f in fs) else (
            "warning" if any(f.severity == "warning" for f in fs) else "info")
        data = json.dumps([{"rule": f.rule, "market": f.where, "severity": f.severity, "message": f.message,
                            "suggestions": [s.replacement for s in f.suggestions]} for f in fs], ensure_ascii=False)
        line = fs[0].line
        out.append(f'<mark class="f {worst}" tabindex="0" data-line="{line}" data-rules="{_e(" ".join(sorted({f.rule for f in fs})))}" '
                   f"data-finding='{_e(data)}'>{_e(source[start:end])}</mark>")
        pos = end
    out.append(_e(source[pos:]))
    body = "".join(out)
    lines = body.split("\n")
    return "".join(f'<span class="ln" data-line="{i}">{ln.rstrip(chr(13)) or " "}</span>'
                   for i, ln in enumerate(lines, 1))


def _timeline(doc, findings) -> str:
    if not doc.timed or not doc.segments:
        return ""
    end = max((s.end or s.start or 0.0) for s in doc.segments) or 1.0
    ticks = []
    for seg in doc.segments:
        if "?" in seg.text or "？" in seg.text:
            left = 100 * (seg.start or 0.0) / end
            ticks.append(f'<span class="tick prompt" style="left:{left:.2f}%" title="{_e(seg.text.strip()[:80])}"></span>')
    for f in findings:
        if f.category == "interaction" and f.timestamp:
            h, m, s = f.timestamp.split(":")
            t = int(h) * 3600 + int(m) * 60 + float(s)
            ticks.append(f'<span class="tick finding" style="left:{100 * t / end:.2f}%" title="{_e(f.message)}"></span>')
    return (f'<h3>{_e(_("Interaction timeline"))}</h3><div class="timeline" data-duration="{end:.0f}">'
            f'<span class="label" style="left:0">0:00</span>'
            f'<span class="label" style="right:0">{int(end // 60)}:{int(end % 60):02d}</span>{"".join(ticks)}</div>')


def render(run) -> str:
    sev = {"error": _("error"), "warning": _("warning"), "info": _("info")}
    sections = []
    for report in run.reports:
        doc = report.document
        cards = "".join(_card(m, s) for m, s in report.scores.items())
        counts = {k: sum(1 for f in report.findings if f.severity == k) for k in ("error", "warning", "info")}
        rows = "".join(
            f'<tr><td>{f.line}:{f.column}</td><td class="sev-{f.severity}">{_e(sev[f.severity])}</td>'
            f'<td>{_e(f.rule)}</td><td>{_e(f.where)}</td><td>{_e(f.message)}'
            + "".join(f"<br>→ {_e(s.replacement)}" for s in f.suggestions) + "</td></tr>"
            for f in report.findings)
        script = f'<pre class="script">{_highlighted(doc, report.findings)}</pre>' if doc is not None and doc.source else ""
        sections.append(
            f'<section class="file" data-path="{_e(report.path)}"><h2>{_e(report.path)}</h2>'
            f'<div class="cards">{cards}</div>'
            f'<div class="counts">{_e(_("{errors} error(s), {warnings} warning(s), {infos} info(s)").format(errors=counts["error"], warnings=counts["warning"], infos=counts["info"]))}</div>'
            f'{_timeline(doc, report.findings) if doc is not None else ""}{script}'
            f'<table class="findings"><thead><tr><th>{_e(_("where"))}</th><th>{_e(_("severity"))}</th>'
            f'<th>{_e(_("rule"))}</th><th>{_e(_("market"))}</th><th>{_e(_("message"))}</th></tr></thead>'
            f'<tbody>{rows}</tbody></table></section>')
    summary = run.summary()
    title = _("culture-lint report")
    lang = "zh-CN" if current_lang() == "zh" else "en"
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{_e(title)}</title>'
            f'<style>{CSS}</style></head><body><header><h1>{_e(title)}</h1><p>'
            f'{_e(_("Markets: {markets}").format(markets=", ".join(run.markets)))} · '
            f'{_platforms_line(run)}'
            f'{_e(_("{files} file(s), {errors} error(s), {warnings} warning(s), {infos} info(s)").format(**summary))}'
            f'</p></header><main>{"".join(sections)}</main><div id="tip" role="tooltip"></div>'
            f'<footer>culture-lint {__version__}</footer><script>{JS}</script></body></html>\n')


def _platforms_line(run) -> str:
    """``Platforms: tiktok-shop · `` when platform rules found something (their findings name it too)."""
    names = sorted({f.platform for r in run.reports for f in r.findings if getattr(f, "platform", None)})
    return _e(_("Platforms: {platforms}").format(platforms=", ".join(names))) + " · " if names else ""
