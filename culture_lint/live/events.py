"""Caption events: what every live input turns its bytes into.

An event is ``{"t", "track", "text", "final", "lang"}`` (JSON), a plain line (a final caption at the live
clock), or the lines of an .srt/.vtt cue (its start and end times). ``t`` is seconds from the show start or a
``HH:MM:SS.mmm`` time; ``t_end`` (optional) ends the caption.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..i18n import _

_TIME = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[,.](\d{1,3}))?"
TIMING_RE = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
CLOCK_RE = re.compile(rf"^\s*{_TIME}\s*$")
_TAGS = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}|<\d[\d:.,]*>")
MAX_TEXT = 2000  # characters of one caption event; longer text is cut (a stuck captioner must not stall the show)
MAX_TRACK = 64


class BadEvent(ValueError):
    """A malformed event: reported, the session goes on."""


@dataclass
class Event:
    """One caption event of a track: text, show time(s), final or partial, language."""

    text: str
    t: float | None = None
    t_end: float | None = None
    track: str = "host"
    final: bool = True
    lang: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"t": self.t, "track": self.track, "text": self.text, "final": self.final}
        if self.t_end is not None:
            data["t_end"] = self.t_end
        if self.lang:
            data["lang"] = self.lang
        return data


def _secs(h, m, s, ms) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int((ms or "0").ljust(3, "0")) / 1000


def parse_time(value: Any) -> float | None:
    """Seconds from the show start: a number, or ``HH:MM:SS[.mmm]`` / ``MM:SS``; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadEvent(_("'t' must be seconds or HH:MM:SS.mmm, got {value}").format(value=json.dumps(value)))
    if isinstance(value, (int, float)):
        if value != value or value < 0 or value > 10 * 86400:
            raise BadEvent(_("'t' must be seconds or HH:MM:SS.mmm, got {value}").format(value=value))
        return float(value)
    if isinstance(value, str):
        m = CLOCK_RE.match(value.replace(",", "."))
        if m:
            return _secs(*m.groups())
        try:
            return parse_time(float(value))
        except ValueError:
            pass
    raise BadEvent(_("'t' must be seconds or HH:MM:SS.mmm, got {value}").format(value=json.dumps(value, ensure_ascii=False)))


def from_object(obj: Any, default_track: str) -> Event:
    """An event from a decoded JSON value (an object, or a bare string: a final caption)."""
    if isinstance(obj, str):
        obj = {"text": obj}
    if not isinstance(obj, dict):
        raise BadEvent(_("each live event must be an object {\"t\", \"track\", \"text\", \"final\", \"lang\"}"))
    text = obj.get("text")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise BadEvent(_("'text' must be a string"))
    track = obj.get("track") or default_track
    if not isinstance(track, str) or len(track) > MAX_TRACK:
        raise BadEvent(_("'track' must be a short name such as host, subtitles-en or chat"))
    final = obj.get("final", True)
    if not isinstance(final, bool):
        raise BadEvent(_("'final' must be true or false"))
    lang = obj.get("lang")
    if lang is not None and not isinstance(lang, str):
        raise BadEvent(_("'lang' must be a language code such as en or zh"))
    t = parse_time(obj.get("t"))
    t_end = parse_time(obj.get("t_end"))
    return Event(text=_clean(text), t=t, t_end=t_end, track=track.strip() or default_track, final=final, lang=lang)


def _clean(text: str) -> str:
    text = _TAGS.sub("", text)
    text = " ".join(text.split())
    return text[:MAX_TEXT]


class LineParser:
    """Turns lines (stdin, a growing file, an HTTP body) into events.

    A JSON line is one event; a ``-->`` timing line starts an .srt/.vtt cue whose text lines (until a blank line)
    become one final event with the cue's times; any other line is a final caption at the live clock.
    Errors are returned, not raised: ``feed`` gives ``(events, errors)``.
    """

    def __init__(self, track: str = "host"):
        self.track = track
        self._cue: tuple[float, float] | None = None
        self._cue_lines: list[str] = []
        self._skip_block = False

    def feed(self, line: str) -> tuple[list[Event], list[str]]:
        line = line.rstrip("\r\n").lstrip("\ufeff")
        stripped = line.strip()
        events: list[Event] = []
        errors: list[str] = []
        if self._cue is not None:
            if stripped and not TIMING_RE.match(stripped):
                self._cue_lines.append(stripped)
                return events, errors
            events.extend(self.flush())
            if not stripped:
                return events, errors
        if self._skip_block:
            if stripped:
                return events, errors
            self._skip_block = False
            return events, errors
        if not stripped:
            return events, errors
        m = TIMING_RE.match(stripped)
        if m:
            g = m.groups()
            self._cue = (_secs(*g[:4]), _secs(*g[4:]))
            self._cue_lines = []
            return events, errors
        if stripped.startswith(("{", "[")):
            try:
                data = json.loads(stripped)
                for item in (data if isinstance(data, list) else [data]):
                    events.append(from_object(item, self.track))
            except ValueError as exc:  # BadEvent is a ValueError too
                errors.append(str(exc) if isinstance(exc, BadEvent) else _("not a JSON object: {reason}").format(reason=exc))
            return events, errors
        if stripped.isdigit() or stripped == "WEBVTT" or stripped.startswith("WEBVTT "):
            return events, errors  # a cue number or the WebVTT header
        if stripped.startswith(("NOTE", "STYLE", "REGION")) and stripped.split()[0] in ("NOTE", "STYLE", "REGION"):
            self._skip_block = True
            return events, errors
        events.append(Event(text=_clean(stripped), track=self.track))
        return events, errors

    def flush(self) -> list[Event]:
        """The cue being read, if any (at a blank line, the next timing line or the end of input)."""
        if self._cue is None:
            return []
        start, end = self._cue
        text = _clean(" ".join(self._cue_lines))
        self._cue, self._cue_lines = None, []
        return [Event(text=text, t=start, t_end=end, track=self.track)] if text else []


def split_body(text: str) -> tuple[list, list[str]]:
    """A posted body: one JSON value (an object or a list of them) or JSON lines / plain lines."""
    text = text.strip()
    if not text:
        return [], []
    try:
        data = json.loads(text)
        return (data if isinstance(data, list) else [data]), []
    except ValueError:
        pass
    items, errors = [], []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(("{", "[", '"')):
            try:
                items.append(json.loads(line))
            except ValueError as exc:
                errors.append(_("not a JSON object: {reason}").format(reason=exc))
            continue
        items.append(line)
    return items, errors


def parse_body(raw: bytes, track: str = "host") -> tuple[list[Event], list[str]]:
    """The events of a posted body (the live HTTP and WebSocket inputs, the web desk): UTF-8 JSON, a list, JSON
    lines or plain lines. Raises :class:`BadEvent` for a body that is not UTF-8; returns the bad items' errors."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadEvent(_("the request body is not UTF-8 (byte {offset}); send JSON in UTF-8").format(offset=exc.start)) from None
    items, errors = split_body(text)
    events = []
    for item in items:
        try:
            events.append(from_object(item, track))
        except BadEvent as exc:
            errors.append(str(exc))
    return events, errors
