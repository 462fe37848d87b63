"""The live desk: caption events in (``POST /api/live/events``), alerts and the running score out (server-sent
events at ``GET /api/live/stream``).

Events are the JSON objects of ``culture-lint live --input -`` — ``{"t", "track", "text", "final", "lang"}`` —
one object, a list, or JSON lines (a plain line is a final caption). A live captioner, ``culture-lint live`` or
a script can post them; every page open on the desk sees each alert once it is linted.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

from ..i18n import _, normalize_lang, set_lang
from .service import Request, Service, WebError

MAX_KEEP = 500  # alerts kept for a page that joins late
MAX_TRANSCRIPT_CHARS = 200_000  # the running score looks at the last this many characters


class LiveHub:
    def __init__(self, service: Service):
        self.service = service
        self.markets: list[str] = []
        self.lang = "en"
        self.lines: list[str] = []
        self.alerts: list[dict] = []
        self.scores: dict = {}
        self.events = 0
        self._subscribers: list[tuple[asyncio.AbstractEventLoop, asyncio.Queue]] = []
        self._lock = threading.Lock()

    # -- input ---------------------------------------------------------------------------------------------
    def configure(self, body: Any) -> dict:
        if not isinstance(body, dict):
            raise WebError(400, _("the request body must be a JSON object"))
        markets = body.get("markets") or []
        if isinstance(markets, str):
            markets = [markets]
        if not isinstance(markets, list) or not markets or not all(isinstance(m, str) for m in markets):
            raise WebError(400, _("no market given: choose one (or put 'market:' in the front matter)"), "markets")
        resolved = self.service.markets(markets)
        lang = normalize_lang(body.get("lang") or "en")
        if lang is None:
            raise WebError(400, _("'lang' must be en or zh"), "lang")
        with self._lock:
            self.markets, self.lang = resolved, lang
            self.lines, self.alerts, self.scores, self.events = [], [], {}, 0
        self._publish("reset", self.state())
        return self.state()

    def post(self, raw: bytes) -> dict:
        """Lint the final captions of a batch of events; returns what was published."""
        if not self.markets:
            raise WebError(409, _("no live session: start one with POST /api/live/session {\"markets\": [...]}"))
        events = _parse_events(raw)
        published = []
        for event in events:
            self.events += 1
            if not event.get("final", True):
                continue
            text = str(event.get("text") or "").strip()
            if not text:
                continue
            published.extend(self._lint_line(event, text))
        return {"accepted": len(events), "alerts": published, "scores": self.scores}

    def _lint_line(self, event: dict, text: str) -> list[dict]:
        from ..report import Run
        from ..report.json_report import as_dict

        req = Request(filename="live.txt", data=text.encode("utf-8"), markets=self.markets, lang=self.lang)
        with self.service.lock:
            set_lang(self.lang)
            linter = self.service.linter(self.markets, req)
            from ..runner import add_scores, lint_data

            report = lint_data(linter, "live.txt", req.data)
            found = as_dict(Run([report], list(linter.markets)))["files"][0]["findings"]
            self.lines.append(text)
            transcript = "\n\n".join(self.lines)[-MAX_TRANSCRIPT_CHARS:]
            whole = lint_data(linter, "live.txt", transcript.encode("utf-8"))
            add_scores([whole], self.service.registry, linter.markets)
            self.scores = whole.scores
        alerts = []
        for f in found:
            alert = dict(f, t=event.get("t"), track=event.get("track"), caption=text)
            alerts.append(alert)
            with self._lock:
                self.alerts.append(alert)
                del self.alerts[:-MAX_KEEP]
            self._publish("alert", alert)
        self._publish("score", {"scores": self.scores, "events": self.events})
        return alerts

    def state(self) -> dict:
        return {"markets": self.markets, "lang": self.lang, "events": self.events, "alerts": list(self.alerts),
                "scores": self.scores}

    # -- output --------------------------------------------------------------------------------------------
    def _publish(self, kind: str, data: dict) -> None:
        message = (kind, data)
        for loop, queue in list(self._subscribers):
            try:
                loop.call_soon_threadsafe(queue.put_nowait, message)
            except RuntimeError:  # that page's loop is gone
                self._drop(queue)

    def _drop(self, queue) -> None:
        self._subscribers = [(lp, q) for lp, q in self._subscribers if q is not queue]

    async def stream(self, request):
        """Server-sent events: ``state`` first, then ``alert``, ``score`` and ``reset`` as they happen.

        ``?limit=N`` closes the stream after N events (scripts and tests)."""
        from starlette.responses import StreamingResponse

        try:
            limit = int(request.query_params.get("limit") or 0)
        except ValueError:
            limit = 0
        queue: asyncio.Queue = asyncio.Queue(maxsize=1000)
        loop = asyncio.get_running_loop()
        self._subscribers.append((loop, queue))

        async def events():
            sent = 0
            try:
                yield _sse("state", self.state())
                sent += 1
                while not limit or sent < limit:
                    try:
                        kind, data = await asyncio.wait_for(queue.get(), timeout=15)
                    except asyncio.TimeoutError:
                        yield ": keep-alive\n\n"
                        if await request.is_disconnected():
                            break
                        continue
                    yield _sse(kind, data)
                    sent += 1
            finally:
                self._drop(queue)

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"cache-control": "no-store", "x-accel-buffering": "no"})


def _sse(kind: str, data: dict) -> str:
    return f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _parse_events(raw: bytes) -> list[dict]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WebError(400, _("the request body is not UTF-8 (byte {offset}); send JSON in UTF-8").format(
            offset=exc.start)) from None
    text = text.strip()
    if not text:
        return []
    try:
        data = json.loads(text)
        items = data if isinstance(data, list) else [data]
    except ValueError:
        items = []
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                items.append(json.loads(line))
            except ValueError:
                items.append({"text": line, "final": True})
    out = []
    for item in items:
        if isinstance(item, str):
            item = {"text": item, "final": True}
        if not isinstance(item, dict):
            raise WebError(400, _("each live event must be an object {\"t\", \"track\", \"text\", \"final\", \"lang\"}"))
        out.append(item)
    return out
