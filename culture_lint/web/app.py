"""The ASGI app (Starlette): the page, its bundled assets, and the JSON API documented at /api/openapi.json.

Safety for a server on a writer's machine: bodies are capped (413), only bare file names are accepted (the
browser sends bytes, never paths), the Host header must name this machine and an Origin header must be this
page (DNS rebinding and cross-site requests get 403), the page loads nothing from the network (strict CSP),
and any failure is a JSON error with a message — never a traceback — while the server keeps serving.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request as HTTPRequest
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..i18n import normalize_lang, set_lang
from .service import MAX_BODY_BYTES, Service, WebError, decode_json

STATIC = Path(__file__).with_name("static")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
       "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later with :func:`tr` in the request's language."""
    return message


@lru_cache(maxsize=None)
def _catalog(lang: str):
    import gettext

    from ..i18n import DOMAIN, locale_dir

    if lang != "zh":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(locale_dir()), languages=["zh_CN"], fallback=True)


def tr(lang: str, message: str) -> str:
    """Translate without touching the process-wide interface language (requests in other threads use it)."""
    return _catalog(lang).gettext(message)


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status_code=status,
                    media_type="application/json; charset=utf-8")


def _error(exc: WebError) -> Response:
    return _json(exc.to_dict(), exc.status)


def _host_of(value: str) -> str:
    """``[::1]:8765`` → ``::1``; ``localhost:8765`` → ``localhost``."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware: Host and Origin checks, a body-size cap, security headers on every response."""

    def __init__(self, app, allowed_hosts: list[str], max_body: int):
        self.app = app
        self.allowed = {h.lower().strip("[]") for h in allowed_hosts}
        self.any_host = "*" in self.allowed
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        lang = _scope_lang(scope, headers)
        problem = self._refuse(scope, headers, lang)
        if problem is not None:
            status, message = problem
            return await _json(WebError(status, message).to_dict(), status)(scope, receive, send)
        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _TooLarge()
            return message

        async def secure_send(message):
            if message["type"] == "http.response.start":
                extra = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                         (b"x-frame-options", b"DENY"), (b"content-security-policy", CSP.encode()),
                         (b"cross-origin-resource-policy", b"same-origin")]
                message = dict(message, headers=list(message.get("headers", [])) + extra)
            await send(message)

        try:
            await self.app(scope, limited_receive, secure_send)
        except _TooLarge:
            await _json(WebError(413, _too_large(self.max_body, lang)).to_dict(), 413)(scope, receive, send)

    def _refuse(self, scope, headers: dict, lang: str) -> tuple[int, str] | None:
        host = headers.get("host", "")
        if not self.any_host and _host_of(host) not in self.allowed:
            return 403, tr(lang, N_("this server answers only to requests for {hosts} (Host header '{host}' refused: "
                                    "DNS rebinding protection; see --allow-host)")).format(
                hosts=", ".join(sorted(self.allowed)), host=host[:100])
        origin = headers.get("origin")
        if origin is not None:
            parts = urlsplit(origin) if origin != "null" else None
            if (parts is None or parts.scheme not in ("http", "https") or parts.netloc.lower() != host.lower()):
                return 403, tr(lang, N_("cross-origin request refused (Origin '{origin}'): use the page this server "
                                        "serves")).format(origin=origin[:100])
        if headers.get("sec-fetch-site") == "cross-site":
            return 403, tr(lang, N_("cross-origin request refused (Origin '{origin}'): use the page this server "
                                    "serves")).format(origin=headers.get("origin") or "cross-site")
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return 400, tr(lang, N_("bad Content-Length header"))
            if int(length) > self.max_body:
                return 413, _too_large(self.max_body, lang)
        return None


class _TooLarge(Exception):
    pass


def _too_large(limit: int, lang: str) -> str:
    return tr(lang, N_("request body too large (limit {limit} bytes; see --max-body)")).format(limit=limit)


def _scope_lang(scope, headers: dict) -> str:
    from urllib.parse import parse_qs

    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    lang = normalize_lang((query.get("lang") or [""])[-1])
    if lang:
        return lang
    return "zh" if headers.get("accept-language", "").lower().startswith("zh") else "en"


def _endpoint(fn: Callable) -> Callable:
    """Every failure becomes a JSON error in the request's language; the server keeps serving."""

    @wraps(fn)
    async def wrapper(request: HTTPRequest) -> Response:
        lang = _lang(request)
        try:
            return await fn(request)
        except WebError as exc:
            return _error(exc)
        except Exception as exc:  # noqa: BLE001 - a bug must not take the server down or leak a traceback
            print(f"culture-lint serve: {tr(lang, 'internal error')}: {type(exc).__name__}: {exc}", file=sys.stderr)
            return _json(WebError(500, tr(lang, "internal error") + f": {type(exc).__name__}").to_dict(), 500)

    return wrapper


def create_app(service: Service | None = None, *, allowed_hosts: list[str] | None = None,
               max_body: int = MAX_BODY_BYTES, defaults: dict | None = None, live=None) -> Any:
    """The app; ``allowed_hosts`` adds names the Host header may carry (loopback names always pass)."""
    service = service or Service()
    from .live import LiveHub

    hub = live or LiveHub(service)
    page_defaults = dict(defaults or {})

    async def check(request):
        return _json(await run_in_threadpool(service.call, "check", await request.body(), _lang(request)))

    async def score(request):
        return _json(await run_in_threadpool(service.call, "score", await request.body(), _lang(request)))

    async def fix(request):
        return _json(await run_in_threadpool(service.call, "fix", await request.body(), _lang(request)))

    async def report(request):
        body, media, name = await run_in_threadpool(service.call, "report", await request.body(), _lang(request))
        return Response(body.encode("utf-8"), media_type=media + "; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}"'})

    async def rules(request):
        return _json(await run_in_threadpool(service.rules, _query(request)))

    async def calendar(request):
        return _json(await run_in_threadpool(service.calendar, _query(request)))

    async def markets(request):
        return _json(await run_in_threadpool(service.market_list))

    async def ui(request):
        from .strings import ui_strings

        lang = normalize_lang(request.query_params.get("lang")) or "en"
        with service.lock:
            set_lang(lang)
            strings = ui_strings()
        return _json({"lang": lang, "strings": strings, "defaults": page_defaults})

    async def openapi(request):
        from .openapi import spec

        return _json(spec())

    async def live_events(request):
        body = await request.body()
        return _json(await run_in_threadpool(hub.post, body))

    async def live_session(request):
        return _json(await run_in_threadpool(hub.configure, decode_json(await request.body())))

    async def live_stream(request):
        return await hub.stream(request)

    async def live_state(request):
        return _json(hub.state())

    async def index(request):
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    async def health(request):
        return _json({"ok": True})

    async def not_found(request: HTTPRequest, exc: HTTPException) -> Response:
        lang = _lang(request)
        message = tr(lang, N_("not found: {path}")).format(path=request.url.path[:200]) if exc.status_code == 404 \
            else tr(lang, N_("method not allowed")) if exc.status_code == 405 else str(exc.detail)
        return _json(WebError(exc.status_code, message).to_dict(), exc.status_code)

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/api/check", _endpoint(check), methods=["POST"]),
        Route("/api/score", _endpoint(score), methods=["POST"]),
        Route("/api/fix", _endpoint(fix), methods=["POST"]),
        Route("/api/report", _endpoint(report), methods=["POST"]),
        Route("/api/rules", _endpoint(rules), methods=["GET"]),
        Route("/api/calendar", _endpoint(calendar), methods=["GET"]),
        Route("/api/markets", _endpoint(markets), methods=["GET"]),
        Route("/api/ui", _endpoint(ui), methods=["GET"]),
        Route("/api/openapi.json", _endpoint(openapi), methods=["GET"]),
        Route("/api/health", _endpoint(health), methods=["GET"]),
        Route("/api/live/events", _endpoint(live_events), methods=["POST"]),
        Route("/api/live/session", _endpoint(live_session), methods=["POST"]),
        Route("/api/live/state", _endpoint(live_state), methods=["GET"]),
        Route("/api/live/stream", live_stream, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found})
    app.state.service = service
    app.state.live = hub
    hosts = list(LOOPBACK) + list(allowed_hosts or [])
    return Guard(app, hosts, max_body)


def _lang(request: HTTPRequest) -> str:
    """The interface language of a request before its body is read: ?lang=, else Accept-Language."""
    lang = normalize_lang(request.query_params.get("lang"))
    if lang:
        return lang
    accept = request.headers.get("accept-language", "")
    return "zh" if accept.lower().startswith("zh") else "en"


def _query(request: HTTPRequest) -> dict:
    q = request.query_params
    out: dict[str, Any] = {}
    for key in set(q.keys()):
        values = q.getlist(key)
        out[key] = values if key in ("market", "markets", "category", "language") else values[-1]
    return out
