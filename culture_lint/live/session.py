"""The live session: events in, alerts out, every event and alert in the session log, the post-show report.

Linting reuses the engine: each completed sentence is linted inside a window of the show (its opening and the
latest sentences of the same track), so the engine's rules see their context; alerts are the findings that fall
in the new sentence. At the end the whole transcript of each track is linted exactly as ``check`` lints an .srt,
findings the window could not see become ``end`` alerts, and live alerts the whole show does not confirm are
retracted; so the alerts of a session equal what ``check`` finds on its transcript.
"""

from __future__ import annotations

import collections
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..engine import Linter
from ..i18n import _
from ..models import FileReport, Finding, format_timestamp
from .assemble import Assembler, Unit
from .events import Event, from_object

CADENCE_CHECKS = ("prompt-gap", "hook", "closing")
MAX_OPENING = 48  # sentences of the opening kept in the window while the opening runs
SCORE_EVERY = 1.0  # seconds of wall time between running-score updates (the score looks at the window)


def _srt_time(seconds: float) -> str:
    return format_timestamp(seconds).replace(".", ",")


def transcript_srt(units: Iterable[Unit]) -> tuple[str, dict[int, Unit]]:
    """The assembled transcript as SubRip text, and which unit each cue's text line holds (1-based line)."""
    parts: list[str] = []
    lines: dict[int, Unit] = {}
    line = 1
    for n, unit in enumerate(units, 1):
        parts.append(f"{n}\n{_srt_time(unit.start)} --> {_srt_time(unit.end)}\n{unit.text}\n")
        lines[line + 2] = unit
        line += 4
    return "\n".join(parts), lines


def finding_key(f: Finding, track: str) -> tuple:
    return (track, f.rule, f.market, f.timestamp, f.text)


class SessionLog:
    """Append-only JSON lines, flushed after every record (a kill loses at most the record being written)."""

    def __init__(self, path: Path, session_id: str):
        self.path = Path(path)
        self.session_id = session_id
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "a", encoding="utf-8")
        self._last_flush = time.monotonic()

    def write(self, record: dict) -> None:
        record = dict(record, session=self.session_id)
        self._fh.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._fh.flush()

    def units(self) -> dict[str, list[Unit]]:
        """This session's assembled sentences per track, read back from the log (memory stays flat)."""
        from .assemble import Piece

        out: dict[str, list[Unit]] = collections.defaultdict(list)
        self._fh.flush()
        with open(self.path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if rec.get("type") != "unit" or rec.get("session") != self.session_id:
                    continue
                pieces = [Piece(*p) for p in rec["pieces"]]
                out[rec["track"]].append(Unit(rec["track"], rec["text"], pieces, rec.get("lang"), rec["seq"]))
        return out

    def close(self) -> None:
        try:
            self._fh.close()
        except OSError:
            pass


@dataclass
class _Cadence:
    rule_index: int
    rule_id: str
    check: str
    seconds: float  # max gap, or the window of the hook / closing
    severity: str
    last: dict[str, float] = field(default_factory=dict)  # track -> show time of the last prompt
    warned: dict[str, float] = field(default_factory=dict)  # track -> the `last` already warned about


class LiveSession:
    def __init__(self, linter: Linter, *, metadata: dict | None = None, log: SessionLog | None = None,
                 window: int = 4, opening: float = 180.0, pause: float = 1.0, max_words: int = 40,
                 lead: float = 60.0, duration: float | None = None, scores: bool = True):
        self.linter = linter
        self.markets = list(linter.markets)
        self.metadata = dict(metadata or {})
        self.log = log
        self.window = window
        self.opening = opening
        self.lead = lead
        self.duration = duration
        self.assembler = Assembler(pause=pause, max_words=max_words)
        self.kinds = {r.id: r.kind for r in linter.rules}
        self.recent: dict[str, collections.deque] = {}
        self.opening_units: dict[str, list[Unit]] = collections.defaultdict(list)
        self.alerted: dict[tuple, dict] = {}
        self.last_alerts: collections.deque = collections.deque(maxlen=50)
        self.counts: collections.Counter = collections.Counter()
        self.severities: collections.Counter = collections.Counter()
        self.events = 0
        self.errors = 0
        self.clock = 0.0  # show time of the latest event
        self.scores: dict[str, dict] = {}
        self.want_scores = scores
        self._score_at = 0.0
        self._seq_event = 0
        self.listeners: list[Callable[[dict], None]] = []
        self.cadence = self._cadence_rules()
        self.finished = False

    # -- setup ---------------------------------------------------------------------------------------------
    def warm(self) -> None:
        """Lint a short text once, so the first caption of the show does not pay for loading the pipeline."""
        from ..readers import read_text

        text = ("welcome everyone, willkommen, bienvenue, bienvenidos, 欢迎大家来到直播间, ようこそ, 환영합니다, "
                "مرحبا بكم, selamat datang, chào mừng, ยินดีต้อนรับ, bem-vindos")
        self.linter.lint(read_text("warm.srt", f"1\n00:00:00,000 --> 00:00:01,000\n{text}\n"))

    def _cadence_rules(self) -> list[_Cadence]:
        from ..engine import _applies
        from ..models import Document

        doc = Document(path="live.srt", source="", segments=[], format="srt", metadata=dict(self.metadata), timed=True)
        out = []
        for i, rule in enumerate(self.linter.rules):
            check = rule.params.get("check") if rule.kind == "cadence" else None
            if check not in CADENCE_CHECKS:
                continue
            if not any(i in self.linter.market_rules[m] and _applies(rule, doc, m, self.linter.registry)
                       for m in self.markets):
                continue
            key = "max_gap_seconds" if check == "prompt-gap" else "within_seconds"
            default = 300 if check == "prompt-gap" else (180 if check == "hook" else 120)
            out.append(_Cadence(i, rule.id, check, float(rule.params.get(key, default)), self.linter.severity[i]))
        return out

    # -- input ---------------------------------------------------------------------------------------------
    def receive(self, event: Event, recv: float | None = None) -> list[dict]:
        """One caption event (its ``t`` already set); returns the alerts it caused."""
        self.events += 1
        self._seq_event += 1
        if self.log:
            self.log.write({"type": "event", "seq": self._seq_event, "recv": recv if recv is not None else time.time(),
                            **event.to_dict()})
        if event.t is not None:
            self.clock = max(self.clock, event.t)
        alerts = []
        for unit in self.assembler.add(event):
            alerts.extend(self._unit(unit))
        alerts.extend(self._countdowns(self.clock))
        return alerts

    def receive_object(self, obj: Any, track: str, now: float) -> list[dict]:
        event = from_object(obj, track)
        if event.t is None:
            event.t = now
        return self.receive(event)

    def error(self, message: str, source: str = "") -> dict:
        """A malformed event, a dropped connection, a vanished file: logged and reported, never fatal."""
        self.errors += 1
        record = {"type": "error", "source": source, "message": message, "t": self.clock}
        if self.log:
            self.log.write(record)
        self._emit(record)
        return record

    def flush(self, track: str | None = None) -> list[dict]:
        """End the pending sentence of a track (a pause on the live clock) or of every track."""
        units = self.assembler.flush(track)
        if units and self.log:
            self.log.write({"type": "flush", "track": track, "after": self._seq_event})
        alerts = []
        for unit in units:
            alerts.extend(self._unit(unit))
        return alerts

    def idle_tracks(self, now: float) -> list[str]:
        """Tracks whose pending sentence has waited a pause on the live clock."""
        out = []
        for track in list(self.assembler.buffers):
            last = self.assembler.idle(track)
            waited = self.assembler.pause * (3 if self.assembler.buffers[track].text.endswith("-") else 1)
            if last is not None and now - last >= waited:
                out.append(track)
        return out

    def tick(self, now: float) -> list[dict]:
        """The live clock moved without an event: flush idle sentences, warn before a prompt is due."""
        alerts = []
        for track in self.idle_tracks(now):
            alerts.extend(self.flush(track))
        found = self._countdowns(now)
        if found and self.log:
            self.log.write({"type": "tick", "t": now, "after": self._seq_event})
        return alerts + found

    # -- linting -------------------------------------------------------------------------------------------
    def _unit(self, unit: Unit) -> list[dict]:
        from ..readers import read_text

        if self.log:
            self.log.write({"type": "unit", "track": unit.track, "seq": unit.seq, "text": unit.text, "lang": unit.lang,
                            "pieces": [[p.start, p.end, p.t, p.t_end] for p in unit.pieces]})
        recent = self.recent.setdefault(unit.track, collections.deque(maxlen=self.window))
        recent.append(unit)
        if unit.start < self.opening and len(self.opening_units[unit.track]) < MAX_OPENING:
            self.opening_units[unit.track].append(unit)
        # while the opening runs, the window is the show so far (rules about "the start" see it all)
        opening = [u for u in self.opening_units[unit.track] if u not in recent] if unit.start < self.opening else []
        text, lines = transcript_srt(opening + list(recent))
        doc = read_text(f"{unit.track}.srt", text)
        findings = self.linter.lint(doc)
        alerts = []
        for f in findings:
            if lines.get(f.line) is not unit or self.kinds.get(f.rule) == "cadence" or f.rule.startswith("core."):
                continue
            key = finding_key(f, unit.track)
            if key in self.alerted:
                continue
            alert = self._alert(f, unit, "live")
            self.alerted[key] = alert
            alerts.append(alert)
        self._prompts(unit, doc)
        if self.want_scores and (time.monotonic() - self._score_at >= SCORE_EVERY or not self.scores):
            self._score(doc, findings)
        for a in alerts:
            self._record(a)
        return alerts

    def _alert(self, f: Finding, unit: Unit, phase: str) -> dict:
        start, end = unit.span(f.column - 1, f.end_column - 1 if f.end_line == f.line else len(unit.text))
        return {
            "type": "alert", "phase": phase, "track": unit.track,
            "start": format_timestamp(start), "end": format_timestamp(end), "t": round(start, 3), "t_end": round(end, 3),
            "rule": f.rule, "category": f.category, "severity": f.severity, "market": f.market,
            "message": f.message, "text": f.text,
            "suggestion": f.suggestions[0].replacement if f.suggestions else None,
            "caption": unit.text, "timestamp": f.timestamp, "source": f.source,
        }

    def _record(self, alert: dict) -> None:
        if alert.get("type") == "alert":
            self.counts[alert["category"]] += 1
            self.severities[alert["severity"]] += 1
        elif alert.get("type") == "retract":
            self.counts[alert["category"]] -= 1
            self.severities[alert["severity"]] -= 1
        self.last_alerts.append(alert)
        if self.log:
            self.log.write(alert)
        self._emit(alert)

    def _emit(self, record: dict) -> None:
        for listener in list(self.listeners):
            listener(record)

    def _score(self, doc, findings) -> None:
        from ..runner import add_scores

        report = FileReport(doc.path, findings, document=doc)
        try:
            add_scores([report], self.linter.registry, self.markets)
        except Exception:  # a score is a nicety: it never stops the show
            return
        self.scores = report.scores
        self._score_at = time.monotonic()

    # -- interaction cadence, live ---------------------------------------------------------------------------
    def _cadence_track(self, track: str) -> bool:
        return not track.lower().startswith("chat")

    def _prompts(self, unit: Unit, doc) -> None:
        if not self.cadence or not self._cadence_track(unit.track):
            return
        from ..match.context import prepare
        from ..readers import read_text

        single = read_text("unit.srt", transcript_srt([unit])[0])
        single.metadata.update(self.linter.options.metadata or {})
        prep = prepare(single, self.linter.patterns)
        self.linter.composer.apply(prep)
        for c in self.cadence:
            if prep.matches.get((c.rule_index, "p")):
                c.last[unit.track] = max(c.last.get(unit.track, 0.0), unit.start)

    def next_prompt(self, now: float | None = None) -> tuple[str, float] | None:
        """(rule, seconds until the next audience prompt is due) on the track closest to its limit."""
        now = self.clock if now is None else now
        best = None
        for c in self.cadence:
            if c.check != "prompt-gap":
                continue
            for track in self._tracks():
                left = c.last.get(track, 0.0) + c.seconds - now
                if best is None or left < best[1]:
                    best = (c.rule_id, left)
        return best

    def _tracks(self) -> list[str]:
        tracks = set(self.recent) | set(self.assembler.buffers)
        return sorted(t for t in tracks if self._cadence_track(t)) or ["host"]

    def _countdowns(self, now: float) -> list[dict]:
        out = []
        for c in self.cadence:
            for track in self._tracks():
                last = c.last.get(track)
                if c.check == "prompt-gap":
                    base = last or 0.0
                    due = base + c.seconds
                elif c.check == "hook":
                    if last is not None and last < c.seconds:
                        continue
                    base, due = -1.0, c.seconds
                else:  # closing: only when the show's length is known
                    if self.duration is None or (last is not None and last >= self.duration - c.seconds):
                        continue
                    base, due = -2.0, self.duration
                lead = min(self.lead, c.seconds / 5) if c.check == "prompt-gap" else min(self.lead, c.seconds / 3)
                if now < due - lead or c.warned.get(track) == base or now > due + c.seconds:
                    continue
                c.warned[track] = base
                left = max(0, int(round(due - now)))
                if c.check == "prompt-gap":
                    message = _("Audience prompt due in {seconds} s (limit: one every {minutes} minutes): ask a question, run a poll or invite comments.").format(
                        seconds=left, minutes=round(c.seconds / 60, 1))
                elif c.check == "hook":
                    message = _("No hook yet: {seconds} s left of the first {minutes} minutes to open with a question, a reveal or a giveaway.").format(
                        seconds=left, minutes=round(c.seconds / 60, 1))
                else:
                    message = _("The show ends in {seconds} s: give the closing call (follow, next show, where to buy).").format(seconds=left)
                alert = {"type": "countdown", "track": track, "rule": c.rule_id, "category": "interaction",
                         "severity": c.severity, "t": round(now, 3), "start": format_timestamp(now),
                         "due": round(due, 3), "seconds_left": left, "message": message}
                out.append(alert)
                self.last_alerts.append(alert)
                if self.log:
                    self.log.write(alert)
                self._emit(alert)
        return out

    # -- the end -------------------------------------------------------------------------------------------
    def finish(self, units: dict[str, list[Unit]] | None = None) -> tuple[list[dict], list[FileReport]]:
        """Flush every sentence, lint each track's whole transcript as ``check`` would, report the difference."""
        from ..runner import add_scores, lint_data

        alerts = self.flush()
        if units is None:
            units = self.log.units() if self.log else {}
        reports: list[FileReport] = []
        confirmed: set[tuple] = set()
        for track in sorted(units):
            text, lines = transcript_srt(units[track])
            report = lint_data(self.linter, f"{track}.srt", text.encode("utf-8"))
            reports.append(report)
            for f in report.findings:
                key = finding_key(f, track)
                confirmed.add(key)
                if key in self.alerted:
                    continue
                unit = lines.get(f.line)
                if unit is None:
                    continue
                alert = self._alert(f, unit, "end")
                self.alerted[key] = alert
                alerts.append(alert)
                self._record(alert)
        for key, alert in list(self.alerted.items()):
            if key not in confirmed:
                retract = dict(alert, type="retract", phase="end")
                del self.alerted[key]
                alerts.append(retract)
                self._record(retract)
        if reports:
            add_scores(reports, self.linter.registry, self.markets)
            self.scores = {m: s for r in reports[:1] for m, s in r.scores.items()}
        if self.log:
            self.log.write({"type": "end", "events": self.events, "errors": self.errors,
                            "alerts": len(self.alerted)})
        self.finished = True
        return alerts, reports

    def final_alerts(self) -> list[dict]:
        return sorted(self.alerted.values(), key=lambda a: (a["track"], a["t"], a["rule"], a["market"]))


def default_log_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    return Path(base) / "culture-lint" / "live" / f"session-{stamp}-{os.getpid()}.jsonl"
