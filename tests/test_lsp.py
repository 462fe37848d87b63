"""`culture-lint lsp` end to end: a real LSP client (pytest-lsp) talks to the server over stdio.

Diagnostics are compared with what `culture-lint check` reports for the same file on disk (ranges converted to
UTF-16 code units here, independently of the server); code actions are applied and compared with
`culture-lint fix`; config and pack problems must show up as diagnostics on the file at fault.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PACKS = ROOT / "tests" / "packs" / "inputs"
SERVER = [sys.executable, "-m", "culture_lint", "lsp"]
TIMEOUT = 60  # generous: a stuck server fails the test instead of hanging the suite, it is not a latency check

pytestmark = pytest.mark.asyncio(loop_scope="module")


def plain(value):
    """pygls hands custom notifications over as named tuples: back to dicts and lists."""
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    lsp_client.scores = {}

    @lsp_client.feature("cultureLint/score")
    def on_score(params):
        data = plain(params)
        lsp_client.scores[data["uri"]] = data

    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        initialization_options={"cultureLint": {"debounceMs": 30, "fullDelayMs": 60}}))
    yield
    await lsp_client.shutdown_session()


def cli_report(path: Path, *args: str) -> list[dict]:
    """`culture-lint check` in its own process, as a user runs it."""
    res = subprocess.run([sys.executable, "-m", "culture_lint", "check", str(path), "--no-cache", "-f", "json", *args],
                         capture_output=True, text=True, cwd=path.parent, env={**os.environ, "NO_COLOR": "1"})
    assert res.returncode in (0, 1), res.stderr
    return json.loads(res.stdout)["files"][0]["findings"]


def utf16(line_text: str, col: int) -> int:
    """A 1-based code-point column → a 0-based UTF-16 character offset (what LSP wants)."""
    return len(line_text[:col - 1].encode("utf-16-le")) // 2


def expected_diagnostics(text: str, findings: list[dict]) -> list[tuple]:
    lines = text.split("\n")
    out = []
    for f in findings:
        start = (f["line"] - 1, utf16(lines[f["line"] - 1], f["column"]))
        end = (f["end_line"] - 1, utf16(lines[f["end_line"] - 1], f["end_column"]))
        out.append((start, end, f["rule"], f"[{f['market']}] {f['message']}"))
    return sorted(out)


def got_diagnostics(diags) -> list[tuple]:
    return sorted(((d.range.start.line, d.range.start.character), (d.range.end.line, d.range.end.character),
                   d.code, d.message) for d in diags)


def workspace(tmp_path: Path, **config) -> Path:
    folder = tmp_path / "ws"
    folder.mkdir()
    cfg = {"markets": ["us"], "rules": [str(PACKS)], "select": ["us"], **config}
    (folder / ".culture-lint.yaml").write_text(json.dumps(cfg), encoding="utf-8")
    return folder


async def until(predicate, what: str):
    async def wait():
        while not predicate():
            await asyncio.sleep(0.01)
    try:
        await asyncio.wait_for(wait(), TIMEOUT)
    except asyncio.TimeoutError:
        pytest.fail(f"no {what} within {TIMEOUT}s")


async def open_doc(client: LanguageClient, path: Path, version: int = 1, language: str = "plaintext") -> str:
    uri = path.as_uri()
    client.scores.pop(uri, None)
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id=language, version=version, text=path.read_text(encoding="utf-8"))))
    await until(lambda: client.scores.get(uri, {}).get("version") == version, f"diagnostics for {path.name}")
    return uri


def close_doc(client: LanguageClient, uri: str) -> None:
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))


# Every format the CLI reads, with CJK and emoji on the lines that carry findings.
DOCS = {
    "script.txt": "---\nmarket: us\n---\nHOST: 😀😀 这款 SLIMMING tea, 真的 slimming 🍵!\n主播：🎉 super slimming 裤子\n",
    "script.md": "# 🎬 Show\n\n- 👍 our slimming leggings 瘦身\n- 第二款 SLIMMING 🍵 tea\n",
    "script.srt": "1\n00:00:01,000 --> 00:00:04,000\n😀 slimming 裤子 🎉\n\n2\n00:00:05,000 --> 00:00:07,000\n第二 slimming\n",
    "script.vtt": "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n🎉 这 slimming 裤\n",
    "script.yaml": "show:\n  market: us\nsegments:\n  - say: \"😀 超 slimming 裤子\"\n",
    "script.json": '{"segments": [\n  {"say": "😀 超 slimming 裤子"}\n]}\n',
    "catalog.csv": "sku,title\n1,😀 slimming 裤子 🎉\n2,plain tee\n",
    "catalog.tsv": "sku\ttitle\n1\t😀 slimming 裤子\n",
    "page.html": "<html><body>\n<p>😀 这款 slimming 裤子 🎉</p>\n</body></html>\n",
}


@pytest.mark.parametrize("name", sorted(DOCS))
async def test_diagnostics_match_the_cli(client: LanguageClient, tmp_path, name):
    folder = workspace(tmp_path)
    path = folder / name
    path.write_text(DOCS[name], encoding="utf-8")
    uri = await open_doc(client, path)
    findings = cli_report(path)
    assert findings, "the fixture should have findings"
    assert got_diagnostics(client.diagnostics[uri]) == expected_diagnostics(DOCS[name], findings)
    d = client.diagnostics[uri][0]
    assert d.source == "culture-lint"
    assert d.code_description is not None and d.code_description.href.startswith("file://")
    assert client.scores[uri]["scores"]["us"]["band"] in ("good", "review", "fail")
    close_doc(client, uri)


async def test_edits_are_linted_incrementally_and_end_where_the_cli_does(client: LanguageClient, tmp_path):
    folder = workspace(tmp_path)
    path = folder / "show.txt"
    lines = [f"HOST: line {i} talks about the fabric and the fit." for i in range(200)]
    lines[50] = "HOST: these SLIMMING leggings are 😀 great."
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    uri = await open_doc(client, path)
    assert len(client.diagnostics[uri]) == 1
    # one-line edit: a new finding below a CJK/emoji line, and the old one shifted by an inserted line
    version = 2
    lines.insert(10, "主播：🎉 new slimming line")
    text = "\n".join(lines) + "\n"
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(10, 0), types.Position(10, 0)),
            text="主播：🎉 new slimming line\n")]))
    await until(lambda: client.scores.get(uri, {}).get("version") == version, "diagnostics after the edit")
    path.write_text(text, encoding="utf-8")
    assert got_diagnostics(client.diagnostics[uri]) == expected_diagnostics(text, cli_report(path))
    close_doc(client, uri)


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.split("\n")

    def offset(pos: types.Position) -> int:
        before = sum(len(l) + 1 for l in lines[:pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units, i = 0, 0
        while units < pos.character and i < len(line):
            units += 2 if ord(line[i]) > 0xFFFF else 1
            i += 1
        return before + i

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        a, b = offset(e.range.start), offset(e.range.end)
        text = text[:a] + e.new_text + text[b:]
    return text


async def code_actions(client: LanguageClient, uri: str, line: int) -> list[types.CodeAction]:
    result = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(types.Position(line, 0), types.Position(line, 200)),
        context=types.CodeActionContext(diagnostics=[]))), TIMEOUT)
    return list(result or [])


async def test_fix_actions_write_what_culture_lint_fix_writes(client: LanguageClient, tmp_path):
    folder = workspace(tmp_path)
    text = "HOST: 😀 This SLIMMING tea.\n主播：🎉 slimming 裤子, slimming again\n"
    path = folder / "show.txt"
    path.write_text(text, encoding="utf-8")
    uri = await open_doc(client, path)
    actions = await code_actions(client, uri, 0)
    quick = [a for a in actions if a.title.startswith("Fix:")]
    assert quick and quick[0].is_preferred
    single = apply_edits(text, quick[0].edit.changes[uri])
    assert single.splitlines()[0] == "HOST: 😀 This SMOOTHING tea."
    fix_all = [a for a in actions if a.kind == types.CodeActionKind.SourceFixAll]
    assert len(fix_all) == 1
    via_lsp = apply_edits(text, fix_all[0].edit.changes[uri])
    res = subprocess.run([sys.executable, "-m", "culture_lint", "fix", str(path)], capture_output=True, cwd=folder)
    assert b"Traceback" not in res.stderr
    assert via_lsp == path.read_text(encoding="utf-8")
    assert via_lsp != text
    close_doc(client, uri)


@pytest.mark.parametrize("name", ["script.txt", "script.md", "script.srt", "script.vtt", "script.yaml",
                                  "catalog.csv", "page.html"])
@pytest.mark.parametrize("scope", ["line", "file"])
async def test_suppression_actions_silence_the_finding_and_nothing_else(client: LanguageClient, tmp_path, name,
                                                                         scope):
    folder = workspace(tmp_path)
    path = folder / name
    path.write_text(DOCS[name], encoding="utf-8")
    before = cli_report(path)
    target = before[-1]
    uri = await open_doc(client, path)
    actions = await code_actions(client, uri, target["line"] - 1)
    label = f"Disable {target['rule']} for this {scope}"
    chosen = [a for a in actions if a.title == label]
    assert chosen, [a.title for a in actions]
    path.write_text(apply_edits(DOCS[name], chosen[0].edit.changes[uri]), encoding="utf-8")
    after = cli_report(path)
    gone = [(f["rule"], f["market"]) for f in before if f["line"] == target["line"] or scope == "file"
            if f["rule"] == target["rule"]]
    assert (target["rule"], target["market"]) not in [(f["rule"], f["market"]) for f in after
                                                        if scope == "file" or f["line"] == target["line"] + 1]
    assert not [f for f in after if f["rule"].startswith("core.")], after
    assert len(after) == len(before) - len(gone)
    close_doc(client, uri)


async def test_hover_explains_in_english_and_in_chinese(client: LanguageClient, tmp_path):
    folder = workspace(tmp_path)
    path = folder / "show.txt"
    path.write_text("HOST: This SLIMMING tea.\n", encoding="utf-8")
    uri = await open_doc(client, path)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 14)))
    text = hover.contents.value
    assert "us.weight-loss-claim" in text or "us." in text
    assert "Why" in text and "Suggestion" in text and "smoothing" in text
    nothing = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 1)))
    assert nothing is None
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"cultureLint": {"lang": "zh"}}))
    await until(lambda: client.diagnostics.get(uri) and "瘦" in client.diagnostics[uri][0].message
                or any("\u4e00" <= ch <= "\u9fff" for ch in client.diagnostics[uri][0].message), "Chinese messages")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 14)))
    assert "原因" in hover.contents.value or "建议" in hover.contents.value
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"cultureLint": {"lang": "en"}}))
    close_doc(client, uri)


async def test_config_changes_are_picked_up_without_a_restart(client: LanguageClient, tmp_path):
    folder = workspace(tmp_path)
    path = folder / "show.txt"
    path.write_text("HOST: This SLIMMING tea.\n", encoding="utf-8")
    uri = await open_doc(client, path)
    assert len(client.diagnostics[uri]) == 1
    cfg = folder / ".culture-lint.yaml"
    cfg.write_text(json.dumps({"markets": ["us"], "rules": [str(PACKS)], "select": ["us"],
                               "ignore": [client.diagnostics[uri][0].code]}), encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
        uri=cfg.as_uri(), type=types.FileChangeType.Changed)]))
    await until(lambda: list(client.diagnostics.get(uri, [None])) == [], "diagnostics after the config change")
    close_doc(client, uri)


async def test_a_broken_config_or_pack_is_a_diagnostic_on_that_file(client: LanguageClient, tmp_path):
    folder = workspace(tmp_path)
    cfg = folder / ".culture-lint.yaml"
    cfg.write_text("markets: [us]\nselekt: [us]\n", encoding="utf-8")
    path = folder / "show.txt"
    path.write_text("HOST: This SLIMMING tea.\n", encoding="utf-8")
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=path.as_uri(), language_id="plaintext", version=1, text=path.read_text())))
    await until(lambda: client.diagnostics.get(cfg.as_uri()), "a diagnostic on the config file")
    (diag,) = client.diagnostics[cfg.as_uri()]
    assert diag.range.start.line == 1 and "selekt" in diag.message and "select" in diag.message
    # a broken rule pack: the problem is shown on the pack file, the server keeps running
    pack = folder / "house" / "us"
    pack.mkdir(parents=True)
    (pack / "pack.yaml").write_text("id: us\nrules:\n  - id: us.x\n    kind: nonsense\n", encoding="utf-8")
    cfg.write_text(json.dumps({"markets": ["us"], "rules": [str(folder / "house")]}), encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
        uri=cfg.as_uri(), type=types.FileChangeType.Changed)]))
    pack_uri = (pack / "pack.yaml").as_uri()
    await until(lambda: client.diagnostics.get(pack_uri), "a diagnostic on the pack file")
    assert list(client.diagnostics[cfg.as_uri()]) == []
    # fixed: the problems are cleared and the document is linted again
    cfg.write_text(json.dumps({"markets": ["us"], "rules": [str(PACKS)], "select": ["us"]}), encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
        uri=cfg.as_uri(), type=types.FileChangeType.Changed)]))
    await until(lambda: list(client.diagnostics.get(pack_uri, [None])) == [] and len(client.diagnostics.get(path.as_uri(), [])) == 1,
                "the document linted again")
    close_doc(client, path.as_uri())
