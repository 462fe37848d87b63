"""``culture-lint live``: lint a show while it airs, from caption events (stdin, a growing caption file, a local
WebSocket or HTTP endpoint), with a session log that ``--replay`` reproduces and a post-show report.

The WebSocket input needs the ``live`` extra (the ``websockets`` package); everything else is core.
"""

from __future__ import annotations

INSTALL_HINT = 'pip install "culture-lint[live]"'


def missing_dependency() -> str | None:
    """The package the WebSocket input needs and cannot import, or None."""
    try:
        import websockets  # noqa: F401
        from websockets.asyncio.server import serve  # noqa: F401
    except ImportError:
        return "websockets"
    return None
