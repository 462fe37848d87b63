"""Live inputs. Each puts ``(kind, payload, source)`` items on the session's queue: ``line`` (a text line of a
track), ``obj`` (a decoded JSON value), ``error`` (reported, never fatal) and ``eof``."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..i18n import _
from .events import split_body

MAX_BODY = 1024 * 1024
MAX_LINE = 64 * 1024
POLL = 0.1


@dataclass
class Source:
    """One ``--input``: its track, kind (stdin, file, ws, http) and where it reads or listens."""

    spec: str
    track: str
    kind: str  # stdin, file, ws, http
    host: str = "127.0.0.1"
    port: int = 0
    path: str = ""

    @property
    def label(self) -> str:
        return f"{self.track}={self.spec}"


def parse_source(value: str, index: int) -> Source:
    from ..errors import CultureLintError
    import re

    track = "host" if index == 0 else f"track{index + 1}"
    m = re.match(r"^([A-Za-z][\w.-]{0,63})=(.+)$", value)
    if m and not value.startswith(("ws://", "http://", "wss://", "https://")):
        track, value = m.group(1), m.group(2)
    if value == "-":
        return Source(value, track, "stdin")
    if value.startswith(("ws://", "http://", "wss://", "https://")):
        url = urlsplit(value)
        if url.scheme not in ("ws", "http"):
            raise CultureLintError(_("{src}: use ws:// or http:// on this machine (TLS is for a proxy in front)").format(src=value))
        host = url.hostname or ""
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise CultureLintError(_("{src}: live endpoints listen on this machine only (127.0.0.1)").format(src=value))
        try:
            port = url.port or 0
        except ValueError:
            raise CultureLintError(_("{src}: the port must be a number from 0 to 65535").format(src=value)) from None
        return Source(value, track, url.scheme, "127.0.0.1" if host == "localhost" else host, port, url.path or "/")
    return Source(value, track, "file", path=value)


class Feed:
    """Where inputs put what they read (thread-safe)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue):
        self.loop, self.queue = loop, queue

    def put(self, item) -> None:
        self.loop.call_soon_threadsafe(self.queue.put_nowait, item)


def read_stdin(src: Source, feed: Feed) -> threading.Thread:
    def run():
        stream = sys.stdin.buffer
        try:
            for raw in iter(stream.readline, b""):
                feed.put(("line", raw[:MAX_LINE].decode("utf-8", "replace"), src))
        except (OSError, ValueError) as exc:
            feed.put(("error", _("standard input failed: {reason}").format(reason=exc), src))
        feed.put(("eof", None, src))

    thread = threading.Thread(target=run, name="live-stdin", daemon=True)
    thread.start()
    return thread


async def follow_file(src: Source, feed: Feed, follow: bool) -> None:
    """Read a caption file; with ``follow``, keep reading what is appended, like ``tail -F``: a truncated file
    is read again from its start, a rotated one (a new file under the name) from the new file's start, and a
    vanished one is waited for."""
    path = src.path
    fh = None
    ino = None
    pos = 0
    pending = b""
    missing_reported = False
    first = True
    while True:
        if fh is None:
            try:
                fh = open(path, "rb")
                st = os.fstat(fh.fileno())
                ino, pos, pending = (st.st_dev, st.st_ino), 0, b""
                if missing_reported:
                    feed.put(("error", _("{path}: the file is back; reading it from the start").format(path=path), src))
                    feed.put(("reset", None, src))
                missing_reported = False
            except OSError as exc:
                if first and not follow:
                    feed.put(("error", _("{path}: cannot read ({reason})").format(path=path, reason=exc.strerror or exc), src))
                    feed.put(("eof", None, src))
                    return
                if not missing_reported:
                    feed.put(("error", _("{path}: the file is missing; waiting for it").format(path=path), src))
                    missing_reported = True
                first = False
                await asyncio.sleep(POLL)
                continue
        first = False
        try:
            chunk = fh.read(MAX_BODY)
        except OSError as exc:
            feed.put(("error", _("{path}: cannot read ({reason})").format(path=path, reason=exc.strerror or exc), src))
            chunk = b""
        if chunk:
            pos += len(chunk)
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for raw in lines:
                feed.put(("line", raw[:MAX_LINE].decode("utf-8", "replace"), src))
            if len(pending) > MAX_LINE:
                feed.put(("line", pending[:MAX_LINE].decode("utf-8", "replace"), src))
                pending = b""
            continue
        if not follow:
            if pending:
                feed.put(("line", pending.decode("utf-8", "replace"), src))
            fh.close()
            feed.put(("eof", None, src))
            return
        # nothing new: truncated, rotated or vanished?
        try:
            st = os.stat(path)
            now_ino = (st.st_dev, st.st_ino)
        except OSError:
            st, now_ino = None, None
        if now_ino is None:
            fh.close()
            fh = None
            feed.put(("error", _("{path}: the file vanished; waiting for it to come back").format(path=path), src))
            missing_reported = True
            continue
        if now_ino != ino:
            fh.close()
            fh = None
            feed.put(("error", _("{path}: the file was rotated; reading the new file").format(path=path), src))
            feed.put(("reset", None, src))
            continue
        if st.st_size < pos:
            fh.seek(0)
            pos, pending = 0, b""
            feed.put(("error", _("{path}: the file was truncated; reading it from the start").format(path=path), src))
            feed.put(("reset", None, src))
            continue
        await asyncio.sleep(POLL)


async def serve_ws(src: Source, feed: Feed, ready: asyncio.Future | None = None):
    from websockets.asyncio.server import serve
    from websockets.exceptions import ConnectionClosed, ConnectionClosedError

    async def handler(conn):
        try:
            async for message in conn:
                if isinstance(message, bytes):
                    try:
                        message = message.decode("utf-8")
                    except UnicodeDecodeError:
                        feed.put(("error", _("a WebSocket message is not UTF-8 text"), src))
                        continue
                items, errors = split_body(message)
                for e in errors:
                    feed.put(("error", e, src))
                for item in items:
                    feed.put(("obj", item, src))
        except ConnectionClosedError:
            feed.put(("error", _("a WebSocket client dropped its connection"), src))
        except ConnectionClosed:
            pass

    server = await serve(handler, src.host, src.port, max_size=MAX_BODY, ping_interval=20)
    port = server.sockets[0].getsockname()[1]
    return server, port


async def serve_http(src: Source, feed: Feed):
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        try:
            while True:
                status, body = await _one_request(reader, src, feed)
                if status is None:
                    break
                payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
                writer.write(f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
                             f"Access-Control-Allow-Origin: *\r\n\r\n".encode("ascii") + payload)
                await writer.drain()
                if status.startswith(("400", "413")):
                    break
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.TimeoutError, asyncio.LimitOverrunError, ValueError):
            pass
        finally:
            try:
                writer.close()
            except Exception:
                pass

    server = await asyncio.start_server(handle, src.host, src.port, limit=MAX_LINE)
    port = server.sockets[0].getsockname()[1]
    return server, port


async def _one_request(reader, src, feed):
    line = await asyncio.wait_for(reader.readline(), 30)
    if not line:
        return None, None
    parts = line.decode("latin-1").split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        return "400 Bad Request", {"error": _("not an HTTP request")}
    method = parts[0]
    length = 0
    for _i in range(100):
        header = await asyncio.wait_for(reader.readline(), 30)
        if header in (b"\r\n", b"\n", b""):
            break
        name, _sep, value = header.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            try:
                length = int(value.strip())
            except ValueError:
                return "400 Bad Request", {"error": _("bad Content-Length")}
    if method == "OPTIONS":
        return "204 No Content", {}
    if method == "GET":
        return "200 OK", {"status": "ok", "track": src.track}
    if method != "POST":
        return "405 Method Not Allowed", {"error": _("POST caption events here")}
    if length < 0 or length > MAX_BODY:
        return "413 Payload Too Large", {"error": _("the body is larger than {limit} bytes").format(limit=MAX_BODY)}
    body = await asyncio.wait_for(reader.readexactly(length), 30)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        feed.put(("error", _("an HTTP body is not UTF-8 (byte {offset})").format(offset=exc.start), src))
        return "400 Bad Request", {"error": _("the request body is not UTF-8 (byte {offset}); send JSON in UTF-8").format(offset=exc.start)}
    items, errors = split_body(text)
    for e in errors:
        feed.put(("error", e, src))
    for item in items:
        feed.put(("obj", item, src))
    return "202 Accepted", {"accepted": len(items), "errors": errors}
