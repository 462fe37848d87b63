"""iCalendar (RFC 5545) output: all-day VEVENTs, CRLF line endings, lines folded at 75 octets."""

from __future__ import annotations

import datetime as dt
import os

PRODID = "-//culture-lint//calendar//EN"


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def stamp() -> str:
    """DTSTAMP: now in UTC, or SOURCE_DATE_EPOCH for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        now = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    else:
        now = dt.datetime.now(dt.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ")


def calendar(events: list[dict], name: str) -> str:
    """``events``: dicts with uid, start, end (inclusive dates), summary, description, categories."""
    now = stamp()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}"]
    for ev in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{ev['uid']}",
            f"DTSTAMP:{now}",
            f"DTSTART;VALUE=DATE:{ev['start']:%Y%m%d}",
            f"DTEND;VALUE=DATE:{ev['end'] + dt.timedelta(days=1):%Y%m%d}",  # exclusive
            f"SUMMARY:{escape(ev['summary'])}",
            f"DESCRIPTION:{escape(ev['description'])}",
        ]
        if ev.get("categories"):
            lines.append("CATEGORIES:" + ",".join(escape(c) for c in ev["categories"]))
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
