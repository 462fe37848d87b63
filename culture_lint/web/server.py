"""Run the web app on uvicorn: bind (a taken port is a clear message, not a traceback), print the URL, serve."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

from ..errors import CultureLintError
from ..i18n import _

DEFAULT_PORT = 8765
WILDCARD = ("0.0.0.0", "::", "")


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: any free port)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise CultureLintError(_("cannot listen on {host}: {reason}").format(host=host, reason=exc.strerror)) from None
    family, _type, _proto, _canon, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    if sys.platform != "win32":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart right after a stop (TIME_WAIT)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        import errno

        if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
            raise CultureLintError(_("port {port} on {host} is already in use (another culture-lint serve?); "
                                     "choose another with --port, or --port 0 for any free port").format(
                port=port, host=host)) from None
        raise CultureLintError(_("cannot listen on {host}:{port}: {reason}").format(
            host=host, port=port, reason=exc.strerror or exc)) from None
    return sock


def url_of(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    shown = "127.0.0.1" if host in WILDCARD else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def serve(host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, open_browser: bool = False,
          rules_dirs: list[Path] | None = None, defaults: dict | None = None, allow_hosts: list[str] | None = None,
          max_body: int | None = None, echo=print) -> int:
    import uvicorn

    from .app import create_app
    from .service import MAX_BODY_BYTES, Service

    sock = bind(host, port)
    url = url_of(sock, host)
    service = Service(rules_dirs, defaults)
    allowed = list(allow_hosts or [])
    if host not in WILDCARD:
        allowed.append(host)
    page_defaults = {k: v for k, v in (defaults or {}).items() if k in ("markets", "lang")}
    app = create_app(service, allowed_hosts=allowed, max_body=max_body or MAX_BODY_BYTES, defaults=page_defaults)
    echo(_("culture-lint is serving the editor at {url} (Ctrl+C to stop)").format(url=url))
    if host in WILDCARD and not allow_hosts:
        echo(_("listening on every interface: only requests for 127.0.0.1/localhost are answered unless you name "
               "this machine with --allow-host"))
    sys.stdout.flush()
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=2, server_header=False)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0
