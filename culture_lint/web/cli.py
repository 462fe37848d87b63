"""`culture-lint serve`: settings from config + flags, then the server (or how to install the extra)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import CultureLintError
from ..i18n import _, choose_lang, set_lang
from . import missing_modules


def run(p: dict) -> int:
    from ..config import Config, find_config, load_config
    from ..select import split_codes

    config = Config() if p.get("no_config") else load_config(p["config"] if p.get("config") else find_config())
    set_lang(choose_lang(p.get("lang"), config.get("lang")))
    missing = missing_modules()
    if missing:
        typer.echo(_("culture-lint serve needs the 'web' extra ({modules} not installed): "
                     "pip install 'culture-lint[web]'").format(modules=", ".join(missing)), err=True)
        return 2
    max_body = None
    if p.get("max_body"):
        from ..config import parse_size

        try:
            max_body = parse_size(p["max_body"])
        except ValueError:
            raise CultureLintError(_("--max-body must be a size in bytes, or with a unit (8MB, 10MiB), got '{value}'"
                                     ).format(value=p["max_body"])) from None
    from ..packs.registry import Registry

    rules_dirs = config.rules_dirs() + [Path(r) for r in p.get("rules") or []]
    markets = split_codes(p.get("market")) or split_codes(config.get("markets"))
    registry = Registry(rules_dirs)
    for m in markets:
        registry.resolve_market(m)  # unknown market: exit 2 before listening
    defaults = {"markets": markets, "select": split_codes(config.get("select")),
                "ignore": split_codes(config.get("ignore")), "severity": dict(config.get("severity", {}) or {}),
                "metadata": dict(config.get("metadata", {}) or {}), "lang": choose_lang(p.get("lang"),
                                                                                     config.get("lang"))}
    platforms = split_codes(p.get("platform")) or split_codes(config.get("platforms"))
    for name in platforms:
        registry.resolve_platform(name)  # unknown platform: exit 2 before listening
    if platforms:  # the page's drafts are read as if their front matter said `platform:`
        defaults["metadata"].setdefault("platform", ",".join(platforms))
    from .server import serve

    return serve(p.get("host") or "127.0.0.1", int(p.get("port") if p.get("port") is not None else 8765),
                 open_browser=bool(p.get("open_browser")), rules_dirs=rules_dirs, defaults=defaults,
                 allow_hosts=list(p.get("allow_host") or []), max_body=max_body,
                 echo=lambda line: typer.echo(line))
