"""No network at run time (issue #9): with every socket creation failing (and logged), the CLI still does its
whole job — check (results cache on, --jobs 2), fix, score, rules list/show/test, markets, calendar."""

from __future__ import annotations

import json
import textwrap

import pytest

from relhelpers import CORE_PACKS, REL_PACKS, bump, record, run

pytestmark = pytest.mark.usefixtures("isolated_cwd")

SITECUSTOMIZE = '''
"""Installed by tests/reliability/test_rel_network.py: no process may open a socket."""
import os
import socket
import traceback

_LOG = os.environ["CL_NET_LOG"]
_Socket = socket.socket


def _refuse(what):
    frames = [f for f in traceback.extract_stack()[:-2]]
    origin = frames[-1] if frames else None
    where = f"{origin.filename.replace(os.sep, '/')}:{origin.name}" if origin else "?"
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(f"{what}|{where}|pid {os.getpid()}\\n")
    raise OSError(f"network disabled by the reliability suite ({what})")


class _NoSocket(_Socket):  # a subclass, so modules that subclass socket.socket (ssl) still import
    def __init__(self, *args, **kwargs):
        _refuse("socket.socket")


def _no(name):
    def refuse(*args, **kwargs):
        _refuse(name)
    return refuse


socket.socket = _NoSocket
socket.create_connection = _no("socket.create_connection")
socket.getaddrinfo = _no("socket.getaddrinfo")
socket.gethostbyname = _no("socket.gethostbyname")
socket.socketpair = _no("socket.socketpair")
'''


def test_cli_works_without_network(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "net.log"
    env = {"PYTHONPATH": str(site), "CL_NET_LOG": str(log), "CULTURE_LINT_CACHE_DIR": str(tmp_path / "cache")}
    # the guard works: a plain Python in this environment cannot open a socket
    import subprocess
    import sys

    probe = subprocess.run([sys.executable, "-c", "import socket, ssl\ntry:\n    socket.socket()\nexcept OSError as e:"
                            "\n    print('blocked:', e)"], capture_output=True, text=True,
                           env={**__import__("os").environ, **env})
    assert "blocked: network disabled" in probe.stdout, probe.stderr
    log.unlink()

    work = tmp_path / "work"
    work.mkdir()
    show = work / "show.txt"
    show.write_text("A miracle cure! Hurry up.\nOnly 3 left.\n")
    other = work / "other.md"
    other.write_text("# Title\n\nHurry up, friends.\n")
    rules = ["--rules", CORE_PACKS, "--rules", REL_PACKS]
    runs = {
        "check": ["check", work, "-m", "us,rl", *rules, "--format", "json"],
        "check (cached)": ["check", work, "-m", "us,rl", *rules, "--format", "json"],
        "check --jobs 2": ["check", work, "-m", "us,rl", *rules, "--format", "sarif", "--jobs", "2", "--no-cache"],
        "score": ["score", work, "-m", "us,rl", *rules, "--format", "json"],
        "fix": ["fix", show, "-m", "rl", *rules],
        "fix --diff": ["fix", other, "-m", "rl", *rules, "--diff"],
        "rules list": ["rules", "list", "-m", "rl", *rules],
        "rules show": ["rules", "show", "rl.health-claim.miracle", *rules],
        "rules test": ["rules", "test", REL_PACKS],
        "markets": ["markets", *rules],
        "calendar": ["calendar", "-m", "us", "--from", "2024-12-01", "--days", "40"],
    }
    results = {}
    for name, args in runs.items():
        res = run(*args, cwd=work, extra_env=env, timeout=120)
        results[name] = res
        assert res.code in (0, 1), (name, res.code, res.err)
        assert res.no_traceback(), (name, res.err)
    attempts = log.read_text().splitlines() if log.exists() else []
    # Importing spaCy imports requests, whose urllib3 probes IPv6 support at import time by creating (not
    # connecting) a socket; that probe is refused like everything else and harmless. Nothing else may try.
    probes = [a for a in attempts if a.startswith("socket.socket|") and a.split("|")[1].endswith(
        "urllib3/util/connection.py:_has_ipv6")]
    assert len(probes) == len(attempts), "\n".join(a for a in attempts if a not in probes)
    check = json.loads(results["check"].out)
    assert {f["rule"] for file in check["files"] for f in file["findings"]} >= {"rl.health-claim.miracle",
                                                                              "rl.urgency.hurry"}
    assert json.loads(results["check (cached)"].out) == check
    assert json.loads(results["score"].out)["files"][0]["scores"]
    assert show.read_text() == "A gentle formula! Take your time.\nOnly 3 left.\n"
    assert "rl.health-claim.miracle" in results["rules list"].out
    bump("no network", "CLI commands run with sockets blocked", len(runs))
    record("no network", "commands", {"commands": sorted(runs), "connections attempted": 0,
                                      "import-time socket probes refused (urllib3 IPv6 check)": len(probes)})
