"""``culture-lint live``: settings, the event loop, outputs, the post-show report, ``--replay``."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
import uuid
from pathlib import Path

from ..errors import CultureLintError
from ..i18n import _
from .events import BadEvent, from_object
from .inputs import parse_source
from .session import LOG_VERSION, LiveSession, SessionLog, default_log_path

PARAMS = dict(window=1, opening=180.0, pause=1.0, max_words=40, lead=60.0)
SHOW_KEYS = ("market", "date", "start", "timezone", "lang", "platform", "sponsored", "ai_host", "product_category")


def _show_file(path: Path) -> dict:
    """Show context from a front-matter file (a ``---`` block) or a plain YAML file."""
    from ..yamlio import load_yaml

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CultureLintError(_("{path}: cannot read ({reason})").format(path=path, reason=getattr(exc, "strerror", None) or exc)) from None
    if text.startswith("---"):
        end = text.find("\n---", 3)
        text = text[3:end] if end != -1 else text[3:]
    data = load_yaml(text, str(path)) if text.strip() else {}
    if isinstance(data, dict) and isinstance(data.get("show"), dict):
        data = data["show"]
    if not isinstance(data, dict):
        raise CultureLintError(_("{path}: the show context must be a mapping (market, date, start, timezone, platform)").format(path=path))
    return {k: v for k, v in data.items() if k in SHOW_KEYS and v is not None}


def build(p: dict, header: dict | None = None):
    """(linter, settings) from flags, config, the show file and (replay) the session log's header."""
    from ..commands.check import make_options, settings
    from ..packs.registry import Registry
    from ..engine import Linter

    p = dict(p, fmt="text")
    s = settings(p)
    show = _show_file(Path(p["show"])) if p.get("show") else {}
    metadata = dict((header or {}).get("metadata") or {})
    metadata.update({k: v for k, v in show.items() if k != "market"})
    metadata.update(s["metadata"])
    for key in ("start", "timezone"):
        if p.get(key):
            metadata[key] = p[key]
    if p.get("start"):
        import re

        if not re.match(r"^\d{1,2}:\d{2}$", p["start"]):
            raise CultureLintError(_("--start must be HH:MM, got '{value}'").format(value=p["start"]))
    if p.get("timezone"):
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(p["timezone"])
        except Exception:
            raise CultureLintError(_("unknown time zone '{value}' (use an IANA name such as Asia/Riyadh)").format(value=p["timezone"])) from None
    from ..select import split_codes

    platforms = [x for v in (p.get("platform") or []) for x in v.split(",") if x.strip()]
    if not platforms and metadata.get("platform") and not s.get("platforms"):
        platforms = split_codes(metadata["platform"])  # the show file's platform: its packs compiled once
        s["platforms"] = platforms
    if platforms:
        metadata["platform"] = platforms[0] if len(platforms) == 1 else platforms
    markets = s["markets"] or split_codes(show.get("market")) or list((header or {}).get("markets") or [])
    if not markets:
        raise CultureLintError(_("no market given: use -m MARKET, 'markets:' in the config or 'market:' in the show file"))
    registry = Registry(s["rules_dirs"])
    for m in markets:
        registry.resolve_market(m)
    s["metadata"] = metadata
    options = make_options(s)
    return Linter(markets, registry, options), s


class Output:
    """Alerts to the terminal (dashboard or lines), JSON lines, and a local URL."""

    def __init__(self, session: LiveSession, fmt: str, output: Path | None, post: str | None, quiet: bool,
                 dashboard: bool):
        self.session = session
        self.fmt = fmt
        self.quiet = quiet
        self.fh = open(output, "a", encoding="utf-8") if output else None
        self.stream = self.fh or sys.stdout
        self.poster = _Poster(post, session) if post else None
        self.live = None
        if dashboard and fmt == "text" and not output and sys.stdout.isatty():
            from rich.live import Live
            from .dashboard import render

            self._render = lambda: render(session)
            self.live = Live(self._render(), refresh_per_second=4, transient=False)
            self.live.start()
        session.listeners.append(self.emit)

    def emit(self, record: dict) -> None:
        kind = record.get("type")
        if kind == "score":
            return  # the dashboard and the web desk show the score; the alert stream does not carry it
        if self.poster and kind in ("alert", "countdown", "retract"):
            self.poster.put(record)
        if self.fmt == "jsonl":
            self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.stream.flush()
            return
        if self.live is not None:
            return
        if kind == "error":
            sys.stderr.write(f"culture-lint live: {record['message']}\n")
            return
        if self.quiet and kind != "alert":
            return
        self.stream.write(line_of(record) + "\n")
        self.stream.flush()

    def refresh(self) -> None:
        if self.live is not None:
            self.live.update(self._render())

    def close(self) -> None:
        if self.live is not None:
            self.live.update(self._render())
            self.live.stop()
        if self.poster:
            self.poster.close()
        if self.fh:
            self.fh.close()


def line_of(record: dict) -> str:
    kind = record.get("type")
    sev = {"error": _("error"), "warning": _("warning"), "info": _("info")}.get(record.get("severity"), "")
    if kind == "countdown":
        return f"{record['start']} {record['track']} ⏱ {record['message']} ({record['rule']})"
    if kind == "retract":
        return f"{record['start']} {record['track']} " + _("withdrawn: {rule} “{text}” (the whole show does not confirm it)").format(
            rule=record["rule"], text=record.get("text") or "")
    line = f"{record['start']}–{record['end']} {record['track']} {sev} {record['rule']} [{record['market']}] {record['message']}"
    if record.get("suggestion"):
        line += f"\n    → {record['suggestion']}"
    return line


class _Poster:
    """POSTs each alert as JSON to a local URL from a background thread; a failing URL is reported, once."""

    def __init__(self, url: str, session: LiveSession):
        import queue

        self.url = url
        self.session = session
        self.queue: queue.Queue = queue.Queue(maxsize=10000)
        self.failed = False
        self.thread = threading.Thread(target=self._run, name="live-post", daemon=True)
        self.thread.start()

    def put(self, record: dict) -> None:
        try:
            self.queue.put_nowait(record)
        except Exception:
            pass

    def _run(self) -> None:
        import urllib.request

        while True:
            record = self.queue.get()
            if record is None:
                return
            req = urllib.request.Request(self.url, data=json.dumps(record, ensure_ascii=False).encode("utf-8"),
                                         headers={"content-type": "application/json"}, method="POST")
            try:
                urllib.request.urlopen(req, timeout=2).read()
                self.failed = False
            except Exception as exc:
                if not self.failed:
                    sys.stderr.write("culture-lint live: " + _("cannot post alerts to {url}: {reason}").format(
                        url=self.url, reason=exc) + "\n")
                self.failed = True

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join(timeout=5)


def write_report(session: LiveSession, reports, base: Path) -> list[Path]:
    """The post-show report: JSON (contract v1), HTML, and an .srt per track whose cues carry the findings."""
    from ..fsutil import atomic_write
    from ..report import Run
    from ..report import html_report, json_report

    rules = {r.id: r for r in session.linter.rules}
    run = Run(reports, session.markets, rules, show_scores=True)
    written = []
    base.parent.mkdir(parents=True, exist_ok=True)
    for suffix, text in ((".report.json", json_report.render(run)), (".report.html", html_report.render(run))):
        path = base.with_name(base.name + suffix)
        atomic_write(path, text.encode("utf-8"))
        written.append(path)
    for report in reports:
        track = report.path.rsplit(".", 1)[0]
        path = base.with_name(f"{base.name}.{track}.srt")
        atomic_write(path, findings_srt(report).encode("utf-8"))
        written.append(path)
    return written


def findings_srt(report) -> str:
    """The track's transcript as SubRip, each cue followed by the findings in it (``[severity] rule: message``)."""
    doc = report.document
    by_line: dict[int, list] = {}
    for f in report.findings:
        by_line.setdefault(f.line, []).append(f)
    out = []
    for n, seg in enumerate(doc.segments, 1):
        line = doc.position(seg.offsets[0])[0]
        from ..models import format_timestamp

        times = f"{format_timestamp(seg.start).replace('.', ',')} --> {format_timestamp(seg.end).replace('.', ',')}"
        notes = [f"[{f.severity}] {f.rule}: {f.message}" for f in by_line.get(line, [])]
        out.append("\n".join([str(n), times, seg.text.strip(), *notes]) + "\n")
    return "\n".join(out)


def _summary(session: LiveSession, written: list[Path], log: SessionLog | None) -> None:
    alerts = session.final_alerts()
    counts = {k: sum(1 for a in alerts if a["severity"] == k) for k in ("error", "warning", "info")}
    sys.stderr.write(_("Show over: {events} event(s), {errors} error(s), {warnings} warning(s), {infos} info(s).").format(
        events=session.events, errors=counts["error"], warnings=counts["warning"], infos=counts["info"]) + "\n")
    for m, s in session.scores.items():
        sys.stderr.write(_("Culture-fit score [{market}]: {score} ({band})").format(market=m, score=s.get("score"), band=s.get("band")) + "\n")
    if log:
        sys.stderr.write(_("Session log: {path}").format(path=log.path) + "\n")
    for path in written:
        sys.stderr.write(_("Report: {path}").format(path=path) + "\n")


def _check_usage(p: dict, sources) -> None:
    if not p.get("replay") and not p.get("input") and p.get("serve") is None:
        raise CultureLintError(_("no input: give --input SRC (-, a caption file, ws://127.0.0.1:PORT or http://127.0.0.1:PORT) or --replay SESSION.jsonl"))
    if (p.get("fmt") or "text") not in ("text", "jsonl"):
        raise CultureLintError(_("--format must be text or jsonl for live, got '{fmt}'").format(fmt=p.get("fmt")))
    if sum(1 for s in sources if s.kind == "stdin") > 1:
        raise CultureLintError(_("standard input can be read by one --input only"))
    if any(s.kind == "ws" for s in sources):
        from . import INSTALL_HINT, missing_dependency

        missing = missing_dependency()
        if missing:
            raise CultureLintError(_("the WebSocket input needs {package}; install it with: {command}").format(
                package=missing, command=INSTALL_HINT))
    if p.get("serve") is not None:
        from ..web import missing_modules

        missing = missing_modules()
        if missing:
            raise CultureLintError(_("--serve needs the 'web' extra ({modules} not installed): pip install 'culture-lint[web]'").format(
                modules=", ".join(missing)))
        _port_free(int(p["serve"]))
    if p.get("speed") is not None and p["speed"] <= 0:
        raise CultureLintError(_("--speed must be more than 0"))


def _port_free(port: int) -> None:
    """Exit 2 before the show starts when the --serve port is taken."""
    from ..web.server import bind

    if port == 0:
        return
    try:
        bind("127.0.0.1", port).close()
    except CultureLintError:
        raise CultureLintError(_("--serve {port}: the port is already in use on 127.0.0.1; choose another, or --serve 0 for any free port").format(
            port=port)) from None


def _open_log(p: dict, replay) -> SessionLog:
    log_path = Path(p["session_log"]) if p.get("session_log") else default_log_path()
    if replay and log_path.resolve() == Path(replay).resolve():
        raise CultureLintError(_("--session-log must not be the log being replayed"))
    try:
        return SessionLog(log_path, uuid.uuid4().hex[:12])
    except OSError as exc:
        raise CultureLintError(_("{path}: cannot write the session log ({reason})").format(path=log_path, reason=exc.strerror or exc)) from None


def run(p: dict) -> int:
    replay = p.get("replay")
    records, header = _read_log(Path(replay)) if replay else ([], None)
    sources = [parse_source(v, i) for i, v in enumerate(p.get("input") or [])]
    _check_usage(p, sources)
    fmt = p.get("fmt") or "text"
    linter, s = build(p, header)
    params = dict(PARAMS)
    if header:
        params.update({k: header[k] for k in params if k in header})
    for key in ("pause", "window"):
        if p.get(key) is not None:
            params[key] = p[key]
    log = _open_log(p, replay)
    duration = p.get("duration")
    session = LiveSession(linter, metadata=s["metadata"], log=log, duration=duration, **params)
    log.write({"type": "session", "version": LOG_VERSION, "markets": session.markets, "metadata": s["metadata"],
               "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "inputs": [x.label for x in sources],
               "replay": str(replay) if replay else None, "duration": duration, **params})
    session.warm()  # before the clock starts: the first caption must not pay for loading the pipeline
    out = Output(session, fmt, p.get("output"), p.get("post"), bool(p.get("quiet")), not p.get("no_dashboard"))
    try:
        if replay:
            _replay(session, records, (header or {}).get("version", 1))
        else:
            asyncio.run(_show(session, sources, p, out))
    except KeyboardInterrupt:
        pass
    finally:
        _finish(session, log, out, p, fmt)
    return 0


async def _show(session: LiveSession, sources, p: dict, out: "Output") -> None:
    from .loop import LiveLoop

    speed = p.get("speed") or 1.0
    show = LiveLoop(session, sources, speed=speed, pace=p.get("speed") is not None, duration=p.get("duration"),
                    follow=bool(p.get("follow", True)), refresh=out.refresh)
    desk = None
    if p.get("serve") is not None:
        from ..web.live import serve_desk

        desk = serve_desk(session, show, int(p["serve"]), build_rules_dirs(p), p.get("lang") or "en")
        sys.stderr.write("culture-lint live: " + _("the live desk is at {url}").format(url=desk.url) + "\n")
        sys.stderr.flush()
    try:
        await show.run(keep_open=desk is not None)
    finally:
        if desk is not None:
            desk.close()


def build_rules_dirs(p: dict) -> list[Path]:
    return [Path(r) for r in p.get("rules") or []]


def _finish(session: LiveSession, log: SessionLog, out: "Output", p: dict, fmt: str) -> None:
    _alerts, reports = session.finish()
    written = []
    if not p.get("no_report"):
        base = Path(p["report"]) / log.path.stem if p.get("report") else log.path.with_suffix("")
        try:
            written = write_report(session, reports, base)
        except OSError as exc:
            sys.stderr.write("culture-lint live: " + _("cannot write the report: {reason}").format(reason=exc.strerror or exc) + "\n")
    out.close()
    log.close()
    if not p.get("quiet") or fmt == "text":
        _summary(session, written, log)


def _read_log(path: Path) -> tuple[list[dict], dict | None]:
    try:
        fh = open(path, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise CultureLintError(_("{path}: cannot read ({reason})").format(path=path, reason=exc.strerror or exc)) from None
    records, header = [], None
    with fh:
        for n, line in enumerate(fh, 1):
            try:
                rec = json.loads(line)
            except ValueError:
                sys.stderr.write("culture-lint live: " + _("{path}:{line}: not a JSON line (a record cut by a crash?); skipped").format(path=path, line=n) + "\n")
                continue
            if not isinstance(rec, dict):
                continue
            if rec.get("type") == "session" and header is None:
                header = rec
            records.append(rec)
    if header is None:
        raise CultureLintError(_("{path}: not a culture-lint live session log (no session record)").format(path=path))
    return records, header


def _replay(session: LiveSession, records: list[dict], version: int) -> None:
    """Feed the logged events again; sentences are linted in the logged batches (version 2 logs), or one
    after another (older logs)."""
    batched = version >= 2
    sid = next((r.get("session") for r in records if r.get("type") == "session"), None)
    for rec in records:
        if rec.get("session") != sid:
            continue  # an appended log: the first session only
        kind = rec.get("type")
        if kind == "event":
            try:
                event = from_object({k: rec.get(k) for k in ("t", "t_end", "track", "text", "final", "lang")}, "host")
            except BadEvent as exc:
                session.error(str(exc), "replay")
                continue
            session.receive(event, defer=batched)
        elif kind == "flush":
            session.flush(rec.get("track"), defer=batched)
        elif kind == "batch" and batched and isinstance(rec.get("seqs"), list):
            session.process_batch(str(rec.get("track")), [s for s in rec["seqs"] if isinstance(s, int)])
        elif kind == "tick" and isinstance(rec.get("t"), (int, float)):
            session.countdown(float(rec["t"]))
    session.process()
