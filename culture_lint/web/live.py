"""The live desk: caption events in (``POST /api/live/events``), alerts, countdowns and the running score out
(server-sent events at ``GET /api/live/stream``).

Events are those of ``culture-lint live`` — ``{"t", "track", "text", "final", "lang"}``: one object, a list,
JSON lines or plain lines — read by the same parser (:func:`culture_lint.live.events.parse_body`) and linted by
the same :class:`~culture_lint.live.session.LiveSession`:

- ``culture-lint serve``: ``POST /api/live/session {"markets": [...]}`` starts a session on the page's server;
- ``culture-lint live --serve PORT``: the desk follows the running show (:func:`serve_desk`); what the page posts
  joins the show's inputs, and every alert the show raises reaches every page.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

from ..i18n import _, normalize_lang, set_lang
from .service import Request, Service, WebError

MAX_KEEP = 500  # alerts kept for a page that joins late
PUBLISHED = ("alert", "retract", "countdown", "score", "error")


class LiveHub:
    """The desk's side of a live session: keeps the latest alerts and score, publishes them to every page."""

    def __init__(self, service: Service):
        self.service = service
        self.markets: list[str] = []
        self.lang = "en"
        self.alerts: list[dict] = []
        self.scores: dict = {}
        self.session = None
        self.show = None  # the LiveLoop of `culture-lint live --serve`, when the desk follows a show
        self._subscribers: list[tuple[asyncio.AbstractEventLoop, asyncio.Queue]] = []
        self._lock = threading.Lock()

    @property
    def events(self) -> int:
        return self.session.events if self.session is not None else 0

    # -- sessions ------------------------------------------------------------------------------------------
    def attach(self, session, show) -> None:
        """Follow a running show (``culture-lint live --serve``)."""
        self.session, self.show, self.markets = session, show, list(session.markets)
        session.listeners.append(self._on_record)

    def configure(self, body: Any) -> dict:
        from ..live.session import LiveSession

        if self.show is not None:
            raise WebError(409, _("this desk follows a running culture-lint live session; its markets are set there"))
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
        with self.service.lock:
            set_lang(lang)
            linter = self.service.linter(resolved, Request(filename="live.srt", data=b"", markets=resolved, lang=lang))
            session = LiveSession(linter, metadata=dict(linter.options.metadata or {}))
            session.listeners.append(self._on_record)
        with self._lock:
            self.markets, self.lang, self.session = resolved, lang, session
            self.alerts, self.scores = [], {}
        self._publish("reset", self.state())
        return self.state()

    # -- input ---------------------------------------------------------------------------------------------
    def post(self, raw: bytes) -> dict:
        """Caption events from a page or a tool: into the show (``live --serve``) or this desk's session."""
        from ..live.events import BadEvent, parse_body

        if self.session is None:
            raise WebError(409, _("no live session: start one with POST /api/live/session {\"markets\": [...]}"))
        try:
            events, errors = parse_body(raw, "host")
        except BadEvent as exc:
            raise WebError(400, str(exc)) from None
        if errors:
            raise WebError(400, errors[0])
        if self.show is not None:
            from ..live.inputs import Source

            src = Source("desk", "host", "http")
            for event in events:
                self.show.put(("event", event, src))
            return {"accepted": len(events), "alerts": [], "scores": self.scores}
        raised: list[dict] = []
        with self.service.lock:
            set_lang(self.lang)
            for event in events:
                if event.t is None:
                    event.t = self.session.clock
                raised.extend(self.session.receive(event))
            self.session.update_score()
        return {"accepted": len(events), "alerts": [a for a in raised if a.get("type") == "alert"],
                "scores": self.scores}

    def _on_record(self, record: dict) -> None:
        kind = record.get("type")
        if kind not in PUBLISHED:
            return
        if kind == "score":
            self.scores = record.get("scores") or {}
        elif kind in ("alert", "retract", "countdown"):
            with self._lock:
                self.alerts.append(record)
                del self.alerts[:-MAX_KEEP]
        self._publish(kind, record)

    def state(self) -> dict:
        with self._lock:
            alerts = [a for a in self.alerts if a.get("type") == "alert"]
        return {"markets": self.markets, "lang": self.lang, "events": self.events, "alerts": alerts,
                "scores": self.scores, "follows_show": self.show is not None}

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
        """Server-sent events: ``state`` first, then ``alert``, ``retract``, ``countdown``, ``score``, ``error``
        and ``reset`` as they happen. ``?limit=N`` closes the stream after N events (scripts and tests)."""
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


class Desk:
    """The web desk of ``culture-lint live --serve``: the web app on its own thread, following the show."""

    def __init__(self, session, show, port: int, rules_dirs=None, lang: str = "en"):
        import uvicorn

        from .app import create_app
        from .server import bind, url_of

        self.sock = bind("127.0.0.1", port)
        self.url = url_of(self.sock, "127.0.0.1")
        service = Service(rules_dirs, {"markets": list(session.markets), "lang": lang})
        self.hub = LiveHub(service)
        self.hub.lang = lang
        self.hub.attach(session, show)
        app = create_app(service, live=self.hub, defaults={"markets": list(session.markets), "lang": lang})
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=1, server_header=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       name="live-desk", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)
        try:
            self.sock.close()
        except OSError:
            pass


def serve_desk(session, show, port: int, rules_dirs=None, lang: str = "en") -> Desk:
    """Start the desk for a running show; raises CultureLintError when the port cannot be had."""
    return Desk(session, show, port, rules_dirs, lang)
