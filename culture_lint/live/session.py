"""The live session: events in, alerts out, every event and alert in the session log, the post-show report.

Sentences are linted as they end, incrementally: the sentences a track completed since the last lint are linted
together as one batch (one document; the batch boundaries go to the session log, so ``--replay`` lints the same
batches), with the ``local`` linter of :mod:`.engines` and, for ``require`` rules with a ``window`` scope, the
few sentences before them. Rules about the opening are linted once per track, on the cached opening, when it is
over; audience prompts update the live cadence state. Rules that need the whole show are linted at the end: the
whole transcript of each track is linted exactly as ``check`` lints an .srt, findings the live lint could not
see become ``end`` alerts, and live alerts the whole show does not confirm are retracted; so the alerts of a
session equal what ``check`` finds on its transcript.
"""

from __future__ import annotations

import collections
import json
import os
import time
from pathlib import Path
from typing import Any, Callable

from ..engine import Linter
from ..models import FileReport, Finding, format_timestamp
from .assemble import Assembler, Piece, Unit, transcript_srt
from .cadence import cadence_rules, countdowns, prompt_times
from .engines import engines_for
from .events import Event, from_object

__all__ = ["LiveSession", "SessionLog", "transcript_srt", "finding_key", "default_log_path"]

MAX_OPENING = 48  # sentences of a track's opening kept for the opening rules
SCORE_UNITS = 12
PROMPT_DELAY = 5.0  # show seconds a linted sentence waits before it is looked at for audience prompts
MAX_PROMPT_UNITS = 16
SEPARATOR = "…"
MAX_ALERT_KEYS = 2000  # alert keys kept in memory during a logged show  # the text of the blank cues between tracks linted together  # sentences of the latest track the running score looks at
LOG_VERSION = 2
WARM_TEXTS = ("Welcome to our Christmas sale live! Huge discounts tonight, only 99.99 SAR, 50% off until March 5 at 8pm.",
              "This cream cures acne in 3 days, guaranteed, 100% natural, 2 kg for $20.",
              "Tell us in the comments which colour you like, follow us and see you next time!",
              "欢迎大家来到直播间，斋月秒杀，手慢无，原价199元。", "مرحبا بكم، خصم كبير اليوم فقط.",
              "willkommen, bienvenue, bienvenidos, ようこそ, 환영합니다, selamat datang, chào mừng, ยินดีต้อนรับ.")  # 2: unit records at assembly, batch records at lint time


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

    def alerts(self) -> dict[tuple, dict]:
        """This session's standing alerts by key, read back from the log (alerts minus retractions)."""
        out: dict[tuple, dict] = {}
        for rec in self._records(("alert", "retract")):
            key = (rec.get("track"), rec.get("rule"), rec.get("market"), rec.get("timestamp"), rec.get("text"))
            if rec["type"] == "alert":
                out[key] = rec
            else:
                out.pop(key, None)
        return out

    def _records(self, kinds: tuple[str, ...]):
        self._fh.flush()
        with open(self.path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if isinstance(rec, dict) and rec.get("type") in kinds and rec.get("session") == self.session_id:
                    rec.pop("session", None)
                    yield rec

    def close(self) -> None:
        try:
            self._fh.close()
        except OSError:
            pass


class LiveSession:
    """One show: caption events of any number of tracks in, alerts out (see the module docstring)."""

    def __init__(self, linter: Linter, *, metadata: dict | None = None, log: SessionLog | None = None,
                 window: int = 1, opening: float = 180.0, pause: float = 1.0, max_words: int = 40,
                 lead: float = 60.0, duration: float | None = None, scores: bool = True):
        self.linter = linter
        self.engines = engines_for(linter)
        self.markets = list(linter.markets)
        self.metadata = dict(metadata or {})
        self.log = log
        self.window = window
        self.opening = opening  # kept for old logs; the opening rules' own seconds decide
        self.lead = lead
        self.duration = duration
        self.assembler = Assembler(pause=pause, max_words=max_words)
        self.context_size = max(self.engines.context, window - 1)
        self.context: dict[str, collections.deque] = {}
        self.recent: collections.deque = collections.deque(maxlen=SCORE_UNITS)
        self.pending: dict[str, list[Unit]] = {}
        self.prompt_units: dict[str, list[Unit]] = {}  # linted sentences not yet looked at for audience prompts
        self.opening_units: dict[str, list[Unit]] = collections.defaultdict(list)
        self.opening_done: set[str] = set()
        self.tracks: set[str] = set()
        # keys of the alerts raised, against raising one twice; with a session log only the latest are kept in
        # memory (the end of the show reads them all back from the log): memory stays flat however long the show
        self.alerted: dict[tuple, dict] = collections.OrderedDict()
        self.last_alerts: collections.deque = collections.deque(maxlen=50)
        self.counts: collections.Counter = collections.Counter()
        self.severities: collections.Counter = collections.Counter()
        self.events = 0
        self.errors = 0
        self.batches = 0
        self.clock = 0.0  # show time of the latest event
        self.scores: dict[str, dict] = {}
        self.want_scores = scores
        self._score_at = 0.0
        self._seq_event = 0
        self.listeners: list[Callable[[dict], None]] = []
        self.cadence = cadence_rules(self.engines.prompts, {**(linter.options.metadata or {}), **self.metadata})
        self.finished = False

    # -- setup ---------------------------------------------------------------------------------------------
    def warm(self) -> None:
        """Load what the first captions would otherwise pay for (spaCy's vocabularies of the markets'
        languages, the calendar, the number and price readers) by linting a few sentences before the show."""
        from ..match.compiler import vocab_for

        languages = {"en", "zh", "xx"}
        for market in self.markets:
            languages.update(getattr(self.linter.registry.pack(market), "languages", None) or [])
        for lang in sorted(languages):
            try:
                vocab_for(lang.split("-")[0].lower())
            except Exception:  # a language spaCy does not know: matched without its vocabulary
                pass
        units = [Unit("warm", text, [Piece(0, len(text), i * 5.0, i * 5.0 + 4.0)], None, i)
                 for i, text in enumerate(WARM_TEXTS)]
        for linter in (self.engines.local, self.engines.opening, self.linter):
            if linter is not None:
                linter.lint(_doc(units))
        if self.cadence:
            prompt_times(self.engines.prompts, self.cadence, units)

    # -- input ---------------------------------------------------------------------------------------------
    def receive(self, event: Event, recv: float | None = None, defer: bool = False) -> list[dict]:
        """One caption event (its ``t`` already set). The sentences it ends are linted now, or with ``defer``
        at the next :meth:`process` (a batch per track); returns the alerts raised now."""
        self.events += 1
        self._seq_event += 1
        if self.log:
            self.log.write({"type": "event", "seq": self._seq_event, "recv": recv if recv is not None else time.time(),
                            **event.to_dict()})
        if event.t is not None:
            self.clock = max(self.clock, event.t)
        self.tracks.add(event.track)
        for unit in self.assembler.add(event):
            self._assembled(unit)
        return [] if defer else self.process()

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

    def flush(self, track: str | None = None, defer: bool = False) -> list[dict]:
        """End the pending sentence of a track (a pause on the live clock) or of every track."""
        units = self.assembler.flush(track)
        if units and self.log:
            self.log.write({"type": "flush", "track": track, "after": self._seq_event})
        for unit in units:
            self._assembled(unit)
        return [] if defer else self.process()

    def idle_tracks(self, now: float) -> list[str]:
        """Tracks whose pending sentence has waited a pause on the live clock."""
        out = []
        for track in list(self.assembler.buffers):
            last = self.assembler.idle(track)
            waited = self.assembler.pause * (3 if self.assembler.buffers[track].text.endswith("-") else 1)
            if last is not None and now - last >= waited:
                out.append(track)
        return out

    def tick(self, now: float, defer: bool = False) -> list[dict]:
        """The live clock moved without an event: end idle sentences, warn before a prompt is due."""
        for track in self.idle_tracks(now):
            self.flush(track, defer=True)
        if defer:
            return []
        alerts = self.process()
        found = self.countdown(now)
        if found and self.log:
            self.log.write({"type": "tick", "t": now, "after": self._seq_event})
        return alerts + found

    def _assembled(self, unit: Unit) -> None:
        if self.log:
            self.log.write({"type": "unit", "track": unit.track, "seq": unit.seq, "text": unit.text, "lang": unit.lang,
                            "pieces": [[p.start, p.end, p.t, p.t_end] for p in unit.pieces]})
        self.pending.setdefault(unit.track, []).append(unit)

    # -- linting -------------------------------------------------------------------------------------------
    def process(self) -> list[dict]:
        """Lint the sentences ended since the last call (a batch per track, one engine call for all the
        tracks); then the countdowns."""
        batches = [(track, self.pending.pop(track)) for track in list(self.pending)]
        alerts = self._batches(batches) if batches else []
        return alerts + self.countdown(self.clock)

    def process_batch(self, track: str, seqs: list[int]) -> list[dict]:
        """Lint the logged batch ``seqs`` of ``track`` (``--replay``): the same batches as the live run."""
        waiting = self.pending.get(track, [])
        wanted = set(seqs)
        units = [u for u in waiting if u.seq in wanted]
        self.pending[track] = [u for u in waiting if u.seq not in wanted]
        if not self.pending[track]:
            del self.pending[track]
        return self._batches([(track, units)]) if units else []

    def _batches(self, batches: list[tuple[str, list[Unit]]]) -> list[dict]:
        """The batches of several tracks in one engine call: each track's context and new sentences, the
        tracks kept apart by blank cues (more than the widest ``window`` scope), so a track's findings are
        those it would have alone; alerts are raised track by track, in the order of the batches."""
        units: list[Unit] = []
        new_ids: set[int] = set()
        for track, new in batches:
            self.batches += 1
            if self.log:
                self.log.write({"type": "batch", "track": track, "seqs": [u.seq for u in new], "after": self._seq_event})
            if units:
                last = units[-1]
                units.extend(Unit("", SEPARATOR, [Piece(0, 1, last.end, last.end)]) for _ in range(self.context_size + 1))
            units.extend(list(self._context(track)) if self.context_size else [])
            units.extend(new)
            new_ids.update(id(u) for u in new)
        found = self._lint(self.engines.local, units, new_ids, "live", record=False)
        alerts: list[dict] = []
        for track, new in batches:
            for alert in (a for a in found if a["track"] == track):
                self._record(alert)
                alerts.append(alert)
            alerts += self._opening(track, new)
            if self.cadence and self._cadence_track(track):
                self.prompt_units.setdefault(track, []).extend(new)
            self._context(track).extend(new)
            self.recent.extend(new)
        return alerts

    def _context(self, track: str) -> collections.deque:
        return self.context.setdefault(track, collections.deque(maxlen=self.context_size or 1))

    def _lint(self, linter: Linter | None, units: list[Unit], report: set[int] | None, phase: str,
              record: bool = True) -> list[dict]:
        """Lint ``units`` as one transcript; alerts for the findings in the units whose id is in ``report``
        (None: all) that have not been raised yet (``record``: logged and sent now)."""
        if linter is None or not units:
            return []
        text, lines = transcript_srt(units)
        findings = linter.lint(_doc_of(text))
        alerts = []
        for f in findings:
            unit = unit_at(lines, f.line)
            if unit is None or (report is not None and id(unit) not in report) or f.rule.startswith("core."):
                continue
            key = finding_key(f, unit.track)
            if key in self.alerted:
                continue
            alert = self._alert(f, unit, phase)
            self._remember(key, alert)
            alerts.append(alert)
            if record:
                self._record(alert)
        return alerts

    def _opening(self, track: str, units: list[Unit]) -> list[dict]:
        """The opening rules, once per track, on the cached opening as soon as a sentence starts after it."""
        eng = self.engines
        if eng.opening is None or track in self.opening_done:
            return []
        kept = self.opening_units[track]
        for u in units:
            if u.start < eng.opening_seconds and len(kept) < MAX_OPENING:
                kept.append(u)
        if all(u.start < eng.opening_seconds for u in units):
            return []
        self.opening_done.add(track)
        later = [u for u in units if u.start >= eng.opening_seconds]
        alerts = self._lint(eng.opening, kept + later, None, "live")
        del self.opening_units[track]
        return alerts

    def _remember(self, key: tuple, alert: dict) -> None:
        self.alerted[key] = alert
        if self.log is not None and len(self.alerted) > MAX_ALERT_KEYS:
            self.alerted.popitem(last=False)

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

    def update_score(self, every: float = 0.0) -> bool:
        """The running culture-fit score of the latest sentences (at most once per ``every`` wall seconds);
        kept off the path from a caption to its alert: the event loop calls it when it is idle."""
        from ..runner import add_scores

        if not self.want_scores or not self.recent or time.monotonic() - self._score_at < every:
            return False
        units = list(self.recent)
        doc = _doc_of(transcript_srt(units)[0])
        findings = self.linter.lint(doc)
        report = FileReport(doc.path, findings, document=doc)
        self._score_at = time.monotonic()
        try:
            add_scores([report], self.linter.registry, self.markets)
        except Exception:  # a score is a nicety: it never stops the show
            return False
        self.scores = report.scores
        self._emit({"type": "score", "scores": self.scores, "events": self.events})
        return True

    # -- interaction cadence, live ---------------------------------------------------------------------------
    @staticmethod
    def _cadence_track(track: str) -> bool:
        return not track.lower().startswith("chat")

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
        return sorted(t for t in self.tracks if self._cadence_track(t)) or ["host"]

    def find_prompts(self, now: float | None = None) -> None:
        """Look for audience prompts in the sentences linted since the last look, once they are
        ``PROMPT_DELAY`` seconds old (``now`` None: all of them): a few seconds' delay costs nothing to a
        countdown that warns a minute ahead, and one look covers several sentences."""
        for track in list(self.prompt_units):
            units = self.prompt_units[track]
            if now is not None and units[0].start > now - PROMPT_DELAY and len(units) < MAX_PROMPT_UNITS:
                continue
            del self.prompt_units[track]
            for index, t in prompt_times(self.engines.prompts, self.cadence, units).items():
                for c in self.cadence:
                    if c.rule_index == index:
                        c.last[track] = max(c.last.get(track, 0.0), t)

    def countdown(self, now: float) -> list[dict]:
        """Countdown records due at show time ``now`` (logged and sent to the listeners)."""
        if self.prompt_units:
            self.find_prompts(now)
        out = countdowns(self.cadence, self._tracks(), now, self.lead, self.duration) if self.cadence else []
        for alert in out:
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
        if self.log:
            self.alerted = self.log.alerts()
        reports: list[FileReport] = []
        confirmed: set[tuple] = set()
        for track in sorted(units):
            text, lines = transcript_srt(units[track])
            report = lint_data(self.linter, f"{track}.srt", text.encode("utf-8"))
            reports.append(report)
            for f in report.findings:
                key = finding_key(f, track)
                confirmed.add(key)
                unit = unit_at(lines, f.line)
                if key in self.alerted or unit is None:
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


def unit_at(lines: dict[int, Unit], line: int) -> Unit | None:
    """The sentence of a transcript line: a cue's number and times lines belong to its text (a finding on the
    show's metadata points at line 1, the first cue)."""
    return lines.get(4 * ((max(line, 1) - 1) // 4) + 3)


def _doc_of(text: str):
    from ..readers import read_text

    return read_text("live.srt", text)


def _doc(units: list[Unit]):
    return _doc_of(transcript_srt(units)[0])

def default_log_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    return Path(base) / "culture-lint" / "live" / f"session-{stamp}-{os.getpid()}.jsonl"
