"""The live event loop: inputs fill a queue; each turn drains everything that is waiting, assembles the captions
into sentences and lints what ended as one batch per track (so a process that fell behind catches up with one
lint per track instead of one per sentence); every ``TICK`` the live clock ends idle sentences and runs the
countdowns; when nothing is waiting, the running score is updated."""

from __future__ import annotations

import asyncio
import signal
import sys
import time

from ..errors import CultureLintError
from ..i18n import _
from .events import BadEvent, LineParser, from_object
from .inputs import Feed, Source, follow_file, read_stdin, serve_http, serve_ws
from .session import LiveSession

TICK = 0.2  # wall seconds between clock ticks (idle sentences, countdowns, the dashboard)
SCORE_EVERY = 2.0  # wall seconds between running-score updates
MAX_DRAIN = 2000  # queue items taken in one turn before the sentences are linted


class LiveLoop:
    """One show's inputs, pacing (``--speed``) and clock, around a :class:`LiveSession`."""

    def __init__(self, session: LiveSession, sources: list[Source], *, speed: float = 1.0, pace: bool = False,
                 duration: float | None = None, follow: bool = True, refresh=None):
        self.session = session
        self.sources = sources
        self.speed, self.pace, self.duration, self.follow = speed, pace, duration, follow
        self.refresh = refresh or (lambda: None)
        self.queue: asyncio.Queue | None = None
        self.feed: Feed | None = None
        self.parsers = {s.label: LineParser(s.track) for s in sources}
        self.open_sources: set[str] = set()
        self.tasks: list = []
        self.servers: list = []
        self.pending: list = []  # paced events waiting for their show time
        self.stop = asyncio.Event()
        self.t0 = time.monotonic()
        self.last_event = time.monotonic()
        self.last_tick = 0.0

    # -- clocks --------------------------------------------------------------------------------------------
    def show_now(self) -> float:
        return (time.monotonic() - self.t0) * self.speed

    def live_clock(self) -> float:
        """Show time now: the latest event's time, run on by the wall clock since it arrived (at --speed)."""
        if not self.session.events:
            return self.show_now()
        return self.session.clock + (time.monotonic() - self.last_event) * self.speed

    # -- setup ---------------------------------------------------------------------------------------------
    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.queue = asyncio.Queue()
        self.feed = Feed(loop, self.queue)
        self.t0 = time.monotonic()
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.add_signal_handler(sig, self.stop.set)
            except (NotImplementedError, RuntimeError, ValueError):
                pass
        for src in self.sources:
            await self._open(src)

    async def _open(self, src: Source) -> None:
        if src.kind == "stdin":
            read_stdin(src, self.feed)
            self.open_sources.add(src.label)
            return
        if src.kind == "file":
            self.tasks.append(asyncio.create_task(follow_file(src, self.feed, self.follow)))
            self.open_sources.add(src.label)
            _say(_("reading {path} (track {track})").format(path=src.path, track=src.track))
            return
        try:
            server, port = await (serve_ws(src, self.feed) if src.kind == "ws" else serve_http(src, self.feed))
        except OSError as exc:
            raise CultureLintError(_("{src}: cannot listen ({reason})").format(src=src.spec, reason=exc.strerror or exc)) from None
        self.servers.append(server)
        _say(_("listening on {url} (track {track})").format(url=f"{src.kind}://{src.host}:{port}", track=src.track))

    def put(self, item) -> None:
        """Hand an item to the loop from any thread (the web desk posts events this way)."""
        self.feed.put(item)

    # -- the loop ------------------------------------------------------------------------------------------
    async def run(self, keep_open: bool = False) -> None:
        await self.start()
        try:
            while not self.stop.is_set():
                if self.duration is not None and self.show_now() >= self.duration:
                    break
                if not keep_open and not self.open_sources and not self.servers and not self.pending \
                        and self.queue.empty():
                    break
                await self._turn()
            self._drain_rest()
        finally:
            await self.close()

    async def _turn(self) -> None:
        self._release_paced()
        try:
            item = await asyncio.wait_for(self.queue.get(), self._timeout())
        except asyncio.TimeoutError:
            item = None
        items = [item] if item is not None else []
        while items and len(items) < MAX_DRAIN and not self.queue.empty():
            items.append(self.queue.get_nowait())
        for it in items:
            self._item(it)
        self._release_paced()
        self.session.process()
        if time.monotonic() - self.last_tick >= TICK:
            self.last_tick = time.monotonic()
            self.session.tick(self.live_clock())
            self.refresh()
        if self.queue.empty() and not items:
            self.session.update_score(SCORE_EVERY)

    def _timeout(self) -> float:
        wait = TICK
        if self.pending:
            wait = min(wait, max(0.0, ((self.pending[0][0].t or 0.0) - self.show_now()) / self.speed))
        return wait

    def _item(self, item) -> None:
        kind, payload, src = item
        if kind == "eof":
            for event in self.parsers[src.label].flush():
                self._event(event, src)
            self.open_sources.discard(src.label)
        elif kind == "error":
            self.session.error(payload, src.label)
        elif kind == "reset":
            self.parsers[src.label] = LineParser(src.track)
        elif kind == "event":  # already parsed (the web desk)
            self._event(payload, src)
        elif kind in ("line", "obj"):
            for event in self._parse(kind, payload, src):
                self._event(event, src)

    def _parse(self, kind: str, payload, src: Source) -> list:
        if kind == "line":
            events, errors = self.parsers[src.label].feed(payload)
        else:
            try:
                events, errors = [from_object(payload, src.track)], []
            except BadEvent as exc:
                events, errors = [], [str(exc)]
        for e in errors:
            self.session.error(e, src.label)
        return events

    def _event(self, event, src: Source) -> None:
        if self.pending or (self.pace and event.t is not None and event.t > self.show_now()):
            self.pending.append((event, src))
            return
        self._handle(event)

    def _handle(self, event) -> None:
        if event.t is None:
            event.t = round(self.show_now(), 3)
        self.session.receive(event, defer=True)
        self.last_event = time.monotonic()

    def _release_paced(self) -> None:
        now = self.show_now()
        while self.pending and (self.pending[0][0].t is None or self.pending[0][0].t <= now):
            self._handle(self.pending.pop(0)[0])

    def _drain_rest(self) -> None:
        """What was received before the end is still processed and logged: nothing lost."""
        while self.pending:
            self._handle(self.pending.pop(0)[0])
        while self.queue is not None and not self.queue.empty():
            kind, payload, src = self.queue.get_nowait()
            if kind == "event":
                self._handle(payload)
            elif kind in ("line", "obj"):
                for event in self._parse(kind, payload, src):
                    self._handle(event)
        self.session.process()

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        for server in self.servers:
            server.close()
        for server in self.servers:
            try:
                await asyncio.wait_for(server.wait_closed(), 2)
            except Exception:
                pass


def _say(message: str) -> None:
    sys.stderr.write("culture-lint live: " + message + "\n")
    sys.stderr.flush()
