"""The language server survives garbage and a client that goes away; `culture-lint lsp` without the extra says
how to install it. Raw JSON-RPC over the server's pipes, no LSP library on the client side."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

pytest.importorskip("pygls")

SERVER = [sys.executable, "-m", "culture_lint", "lsp"]
TIMEOUT = 60  # a hung server fails the test; not a latency check


def frame(payload) -> bytes:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def read_message(stream) -> dict | None:
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
        elif line in (b"\r\n", b"\n") and length is not None:
            return json.loads(stream.read(length))


def reply_to(proc, wanted_id) -> dict:
    result: dict = {}

    def reader():
        while True:
            msg = read_message(proc.stdout)
            if msg is None:
                return
            if msg.get("id") == wanted_id and "method" not in msg:
                result.update(msg)
                return

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    t.join(TIMEOUT)
    assert result, f"no reply to request {wanted_id}"
    return result


def start():
    return subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_garbage_does_not_kill_the_server():
    proc = start()
    try:
        proc.stdin.write(b"this is not a header\r\n\r\n")
        proc.stdin.write(frame(b"{not json at all"))
        proc.stdin.write(frame([1, 2, 3]))
        proc.stdin.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                "params": {"capabilities": {}, "initializationOptions": {"cultureLint": [1, 2]}}}))
        proc.stdin.flush()
        init = reply_to(proc, 1)
        caps = init["result"]["capabilities"]
        assert caps["hoverProvider"] and caps["codeActionProvider"]
        proc.stdin.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        # a request with nonsense parameters does not take the server down
        proc.stdin.write(frame({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
                                "params": {"textDocument": 5, "position": "x"}}))
        proc.stdin.write(frame({"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover",
                                "params": {"textDocument": {"uri": "file:///nowhere.txt"},
                                           "position": {"line": 0, "character": 0}}}))
        proc.stdin.flush()
        # request 2 cannot even be read as a hover request (pygls logs it and drops it); the next one is answered
        assert reply_to(proc, 3).get("result") is None
        proc.stdin.write(frame({"jsonrpc": "2.0", "id": 4, "method": "shutdown"}))
        proc.stdin.write(frame({"jsonrpc": "2.0", "method": "exit"}))
        proc.stdin.flush()
        proc.wait(TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert b"Traceback" not in proc.stderr.read()


def test_a_client_that_closes_mid_request_ends_the_server_cleanly(tmp_path):
    doc = tmp_path / "show.txt"
    doc.write_text("---\nmarket: us\n---\nHOST: this tea cures diabetes.\n", encoding="utf-8")
    proc = start()
    try:
        proc.stdin.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}))
        proc.stdin.flush()
        reply_to(proc, 1)
        proc.stdin.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        proc.stdin.write(frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": doc.as_uri(), "languageId": "plaintext", "version": 1, "text": doc.read_text()}}}))
        request = frame({"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": {
            "textDocument": {"uri": doc.as_uri()}, "range": {"start": {"line": 3, "character": 0},
                                                             "end": {"line": 3, "character": 5}},
            "context": {"diagnostics": []}}})
        proc.stdin.write(request[:len(request) // 2])  # half a request, then the client is gone
        proc.stdin.flush()
        proc.stdin.close()
        proc.stdout.close()
        code = proc.wait(TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
    stderr = proc.stderr.read()
    assert code == 0, stderr
    assert b"Traceback" not in stderr


def test_without_the_extra_the_command_says_how_to_install_it(monkeypatch):
    from typer.testing import CliRunner

    import culture_lint.lsp as lsp
    from culture_lint.cli import build_app

    monkeypatch.setattr(lsp, "missing_dependency", lambda: "pygls")
    res = CliRunner().invoke(build_app(), ["lsp"])
    assert res.exit_code == 2
    assert 'pip install "culture-lint[lsp]"' in res.stderr
    assert "Traceback" not in res.stderr
