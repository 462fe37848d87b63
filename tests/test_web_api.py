"""`culture-lint serve`'s HTTP API through the ASGI test client: the same JSON as the CLI, hostile requests refused.

The real server process and the page in headless chromium are in tests/test_web_server.py.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from conftest import OUTPUT_SCHEMA, ROOT, cli  # noqa: E402

pytestmark = pytest.mark.usefixtures("isolated_cwd")

INPUTS = ROOT / "tests" / "fixtures" / "inputs"
FIX_PACKS = ROOT / "tests" / "packs" / "inputs"  # a pack with safe fixes (slimming → smoothing)
DRAFT = ("HOST: Welcome 😀😀 to the show!\n"
         "主播：这款茶能治疗糖尿病 🎉，限时抢购！\n"
         "HOST: 🎉 This tea cures diabetes and burns belly fat.\n")


@pytest.fixture(scope="module")
def client():
    from culture_lint.web.app import create_app
    from culture_lint.web.service import Service

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's notice about httpx versions
        from starlette.testclient import TestClient

        yield TestClient(create_app(Service(), allowed_hosts=["testserver"], max_body=1_000_000))


@pytest.fixture(scope="module")
def fix_client():
    from culture_lint.web.app import create_app
    from culture_lint.web.service import Service

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        yield TestClient(create_app(Service([FIX_PACKS]), allowed_hosts=["testserver"]))


def validate(report: dict) -> None:
    import jsonschema

    jsonschema.validate(report, json.loads(OUTPUT_SCHEMA.read_text(encoding="utf-8")))


def cli_json(command: str, name: str, data: bytes, *args: str) -> dict:
    code, out, err = cli(command, "-", "--stdin-filename", name, "--format", "json", "--no-config", *args,
                         input=data)
    assert code in (0, 1), err
    return json.loads(out)


# -- the same JSON as the CLI ------------------------------------------------------------------------------

@pytest.mark.parametrize("name,markets", [("draft.txt", ["us"]), ("draft.md", ["us", "sa"])])
def test_check_equals_cli_for_pasted_text(client, name, markets):
    res = client.post("/api/check", json={"text": DRAFT, "filename": name, "markets": markets})
    assert res.status_code == 200
    data = res.json()
    validate(data)
    assert data == cli_json("check", name, DRAFT.encode("utf-8"), "-m", ",".join(markets), "--no-cache")
    assert data["files"][0]["findings"], "the draft has findings"


@pytest.mark.parametrize("fixture", ["script.srt", "script.docx", "catalog.csv", "script.gb18030.txt",
                                     "script.utf16le.txt"])
def test_check_of_file_bytes_equals_cli(client, fixture):
    raw = (INPUTS / fixture).read_bytes()
    res = client.post("/api/check", json={"data": base64.b64encode(raw).decode(), "filename": fixture,
                                          "markets": ["us", "gb"]})
    assert res.status_code == 200, res.text
    validate(res.json())
    assert res.json() == cli_json("check", fixture, raw, "-m", "us,gb", "--no-cache")


def test_a_draft_being_typed_equals_cli_after_every_edit(client):
    """The page sends the whole draft after each pause; the server re-lints only the changed paragraphs
    (culture_lint/incremental.py) and the JSON still equals `culture-lint check` on that text."""
    text = DRAFT + "HOST: Only today, buy now!\n"
    for edit in ("", "主播：这款面霜三天治好痘痘 😀\n", "HOST: 😀 Sponsored by Acme. Lose 10 kg in a week!\n"):
        text = text.replace("Only today", "Only 😀 today") + edit
        res = client.post("/api/check", json={"text": text, "filename": "typing.txt", "markets": ["us", "sa"]})
        assert res.status_code == 200, res.text
        assert res.json() == cli_json("check", "typing.txt", text.encode("utf-8"), "-m", "us,sa", "--no-cache")


def test_quick_check_then_exact_check(client):
    """``quick``: whole-document findings are moved from the last exact check of the file (details.exact says
    so); the exact check that follows equals the CLI."""
    from culture_lint.engine import Linter
    from culture_lint.incremental import is_segment_rule

    base = {"filename": "quick.txt", "markets": ["us"], "details": True}
    first = client.post("/api/check", json=base | {"text": DRAFT}).json()
    assert first["details"]["exact"] is True
    text = "HOST: 😀 Lose 10 kg in a week!\n" + DRAFT
    quick = client.post("/api/check", json=base | {"text": text, "quick": True}).json()
    assert quick["details"]["exact"] is False
    cli = cli_json("check", "quick.txt", text.encode("utf-8"), "-m", "us", "--no-cache")
    local = {r.id for r in Linter(["us"]).rules if is_segment_rule(r)}
    pick = lambda data: [f for f in data["files"][0]["findings"] if f["rule"] in local]  # noqa: E731
    assert pick(quick) == pick(cli) and pick(cli)
    exact = client.post("/api/check", json=base | {"text": text}).json()
    assert exact["details"]["exact"] is True
    exact.pop("details")
    assert exact == cli


def test_chinese_interface_equals_cli_lang_zh(client):
    res = client.post("/api/check", json={"text": DRAFT, "markets": ["us"], "lang": "zh"})
    data = res.json()
    assert data == cli_json("check", "draft.txt", DRAFT.encode("utf-8"), "-m", "us", "--lang", "zh", "--no-cache")
    assert any("\u4e00" <= ch <= "\u9fff" for f in data["files"][0]["findings"] for ch in f["message"])
    english = client.post("/api/check", json={"text": DRAFT, "markets": ["us"]}).json()  # no language leaks
    assert english == cli_json("check", "draft.txt", DRAFT.encode("utf-8"), "-m", "us", "--no-cache")


def test_score_equals_cli_score(client):
    data = client.post("/api/score", json={"text": DRAFT, "markets": ["us", "sa"]}).json()
    validate(data)
    assert data == cli_json("score", "draft.txt", DRAFT.encode("utf-8"), "-m", "us,sa")
    assert set(data["files"][0]["scores"]["us"]["subscores"]) == {
        "compliance", "taboo", "language", "calendar", "embedding", "interaction"}


def test_markets_from_front_matter_and_details(client):
    text = "---\nmarket: sa\ndate: 2027-03-01\n---\nHOST: This tea cures diabetes.\n"
    data = client.post("/api/check", json={"text": text, "details": True, "scores": True}).json()
    assert data["markets"] == ["sa"]
    details = data.pop("details")
    validate(data)
    assert details["metadata"]["market"] == "sa" and details["metadata"]["date"] == "2027-03-01"
    assert details["source"] == text and details["format"] == "text"
    assert all(f["rule"] in details["rules"] and details["rules"][f["rule"]]["why"]
               for f in data["files"][0]["findings"] if f["category"] != "input")


def test_timed_script_details_carry_segments_and_gap_limits(client):
    raw = (ROOT / "examples" / "sa-ramadan-beauty-draft.srt").read_bytes()
    data = client.post("/api/check", json={"data": base64.b64encode(raw).decode(), "filename": "show.srt",
                                           "markets": ["sa"], "details": True}).json()
    details = data["details"]
    assert details["timed"] and details["segments"] and details["segments"][0]["start"] is not None
    assert any(g["check"] == "prompt-gap" and g["seconds"] for g in details["gaps"])


def test_metadata_fields_reach_the_linter(client):
    """date/platform/sponsored in the body act as --date/--meta do on the CLI."""
    body = {"text": "HOST: Use my code SAVE20 for 20% off!\n", "markets": ["us"], "sponsored": True,
            "date": "2027-11-26", "platform": "tiktok-shop"}
    data = client.post("/api/check", json=body).json()
    expected = cli_json("check", "draft.txt", body["text"].encode(), "-m", "us", "--no-cache", "--date", "2027-11-26",
                        "--meta", "sponsored=true", "--meta", "platform=tiktok-shop")
    assert data == expected


# -- fixes: the bytes `culture-lint fix` writes ----------------------------------------------------------

@pytest.mark.parametrize("fixture", ["script.utf8.txt", "script.utf8-bom.txt", "script.utf16le.txt",
                                     "script.gb18030.txt", "script.crlf.txt", "script.md", "script.srt"])
def test_fix_bytes_equal_cli_fix(fix_client, tmp_path, fixture):
    raw = (INPUTS / fixture).read_bytes()
    data = fix_client.post("/api/fix", json={"data": base64.b64encode(raw).decode(), "filename": fixture,
                                             "markets": ["us"], "details": True}).json()
    target = tmp_path / fixture
    shutil.copy(INPUTS / fixture, target)
    code, _out, err = cli("fix", str(target), "-m", "us", "--rules", FIX_PACKS, "--no-config")
    assert code in (0, 1), err
    fixed = base64.b64decode(data["fix"]["data"])
    assert fixed == target.read_bytes()
    assert data["fix"]["applied"] >= 1 and fixed != raw
    report = dict(data)
    report.pop("fix"), report.pop("details")
    validate(report)


def test_fix_of_edited_text_keeps_the_files_encoding(fix_client):
    text = "HOST: 这款瘦身茶 slimming tea\n"
    data = fix_client.post("/api/fix", json={"text": text, "encoding": "gb18030", "markets": ["us"]}).json()
    fixed = base64.b64decode(data["fix"]["data"])
    assert fixed.decode("gb18030") == data["fix"]["text"]
    assert "smoothing" in data["fix"]["text"] and "slimming" not in data["fix"]["text"]


def test_fix_that_cannot_be_encoded_changes_nothing(fix_client):
    raw = "HOST: slimming tea\n".encode("latin-1")
    # a safe fix that only the file's encoding cannot hold is refused, not written in another encoding
    data = fix_client.post("/api/fix", json={"data": base64.b64encode(raw).decode(), "markets": ["us"],
                                             "encoding": "ascii"}).json()
    assert base64.b64decode(data["fix"]["data"]) == raw.replace(b"slimming", b"smoothing")


def test_reports_download_in_every_format(client):
    for fmt, marker in [("html", "<html"), ("sarif", '"version": "2.1.0"'), ("json", '"version": 1')]:
        res = client.post("/api/report", json={"text": DRAFT, "markets": ["us"], "format": fmt,
                                               "filename": "show.txt"})
        assert res.status_code == 200 and marker in res.text
        assert f'filename="show.culture-lint.{fmt}"' in res.headers["content-disposition"]
    sarif = client.post("/api/report", json={"text": DRAFT, "markets": ["us"], "format": "sarif"}).text
    expected = cli("check", "-", "--stdin-filename", "draft.txt", "-m", "us", "--format", "sarif", "--no-config",
                   "--no-cache", input=DRAFT.encode())[1]
    assert json.loads(sarif) == json.loads(expected)


# -- rules, calendar, page strings, OpenAPI --------------------------------------------------------------

def test_rules_browser_filters(client):
    data = client.get("/api/rules", params={"market": "sa", "category": "religious", "lang": "zh"}).json()
    assert data["total"] > 0 and all(r["category"] == "religious" for r in data["rules"])
    rule = data["rules"][0]
    assert {"id", "why", "source", "examples", "fixtures", "suggestions"} <= set(rule)
    found = client.get("/api/rules", params={"q": "diabetes", "market": "us"}).json()
    assert any(r["id"] == "us.health-claim.disease-claim" for r in found["rules"])
    code, out, _err = cli("rules", "list", "-m", "sa", "--category", "religious", "--format", "json")
    assert [r["id"] for r in json.loads(out)] == [r["id"] for r in data["rules"]]


def test_calendar_equals_cli(client):
    data = client.get("/api/calendar", params={"market": "sa,id", "from": "2027-02-01", "days": "45"}).json()
    code, out, _err = cli("calendar", "-m", "sa,id", "--from", "2027-02-01", "--days", "45", "--format", "json",
                          "--no-config")
    assert data == json.loads(out)
    assert any("Ramadan" in p["name"] for p in data["periods"])


def test_page_strings_are_translated(client):
    en = client.get("/api/ui", params={"lang": "en"}).json()["strings"]
    zh = client.get("/api/ui", params={"lang": "zh"}).json()["strings"]
    assert en.keys() == zh.keys()
    assert en["fix_all"] == "Fix all safe" and zh["fix_all"] != en["fix_all"]
    untranslated = [k for k in en if en[k] == zh[k] and k not in ("dl_sarif", "dl_json")]
    assert not untranslated


def test_openapi_documents_every_api_route(client):
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    from culture_lint.web.app import create_app

    app = create_app().app
    routes = {r.path for r in app.routes if getattr(r, "path", "").startswith("/api/")}
    documented = set(spec["paths"]) | {"/api/openapi.json", "/api/health"}
    assert routes <= documented


def test_page_and_assets_are_local(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp
    import re

    for asset in ("/", "/static/app.js", "/static/app.css"):
        body = client.get(asset).text
        # no remote scripts, styles or fonts: the page works offline
        assert not re.search(r'(src|href)=["\']https?://|@import|url\(\s*["\']?https?://|fonts\.googleapis', body)


# -- hostile requests: a clear 4xx, no traceback, the server keeps serving ---------------------------------

HOSTILE = [
    ("huge body", dict(content=b'{"text": "' + b"a" * 1_200_000 + b'"}'), 413),
    ("bad encoding", dict(content=b'{"text": "\xff\xfe\xfd"}'), 400),
    ("not json", dict(content=b"{text: nope"), 400),
    ("deep json", dict(content=b"[" * 100_000 + b"]" * 100_000), 400),
    ("not an object", dict(json=["text"]), 400),
    ("no text", dict(json={"markets": ["us"]}), 400),
    ("text not a string", dict(json={"text": 12, "markets": ["us"]}), 400),
    ("lone surrogate", dict(content=b'{"text": "\\ud800", "markets": ["us"]}'), 400),
    ("bad base64", dict(json={"data": "@@@", "markets": ["us"]}), 400),
    ("unknown market", dict(json={"text": "x", "markets": ["zz-top"]}), 400),
    ("no market", dict(json={"text": "x"}), 400),
    ("markets not a list", dict(json={"text": "x", "markets": {"us": 1}}), 400),
    ("bad lang", dict(json={"text": "x", "markets": ["us"], "lang": "xx"}), 400),
    ("bad date", dict(json={"text": "x", "markets": ["us"], "date": "tomorrow"}), 400),
    ("bad encoding name", dict(json={"data": "eA==", "markets": ["us"], "encoding": "nope"}), 400),
    ("bad format", dict(json={"text": "x", "markets": ["us"], "format": "pdf"}), 400),
] + [(f"path-like filename {name!r}", dict(json={"text": "x", "markets": ["us"], "filename": name}), 400)
     for name in ["../../etc/passwd", "/etc/passwd", "C:\\Windows\\win.ini", "a/b.txt", "..", "c:draft.txt",
                  "draft\x00.txt", "x" * 300 + ".txt"]]


@pytest.mark.parametrize("label,kwargs,status", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_requests_get_a_clear_4xx(client, label, kwargs, status):
    headers = {"content-type": "application/json"}
    res = client.post("/api/check", headers=headers, **kwargs)
    assert res.status_code == status, res.text[:300]
    error = res.json()["error"]
    assert error["status"] == status and error["message"] and "Traceback" not in res.text
    assert client.get("/api/health").json() == {"ok": True}


@pytest.mark.parametrize("headers", [
    {"origin": "http://evil.example"}, {"origin": "null"}, {"origin": "http://testserver.evil.example"},
    {"sec-fetch-site": "cross-site"},
], ids=["foreign origin", "null origin", "lookalike origin", "cross-site fetch"])
def test_cross_origin_requests_are_refused(client, headers):
    res = client.post("/api/check", json={"text": "x", "markets": ["us"]}, headers=headers)
    assert res.status_code == 403 and "cross-origin" in res.json()["error"]["message"]
    same = client.post("/api/check", json={"text": "x", "markets": ["us"]}, headers={"origin": "http://testserver"})
    assert same.status_code == 200


def test_dns_rebinding_host_is_refused(client):
    for host in ("evil.example", "evil.example:8765", "127.0.0.1.evil.example"):
        res = client.get("/api/rules", headers={"host": host})
        assert res.status_code == 403 and "Host" in res.json()["error"]["message"]
        assert client.get("/", headers={"host": host}).status_code == 403
    assert client.get("/api/health", headers={"host": "localhost:8765"}).status_code == 200
    assert client.get("/api/health", headers={"host": "[::1]:8765"}).status_code == 200


def test_unknown_routes_and_methods_are_json(client):
    res = client.get("/api/nope")
    assert res.status_code == 404 and res.json()["error"]["message"]
    res = client.get("/api/check")
    assert res.status_code == 405 and res.json()["error"]["message"]
    assert client.get("/static/../service.py").status_code == 404


def test_error_messages_follow_the_interface_language(client):
    res = client.post("/api/check", json={"text": "x", "filename": "../x.txt", "markets": ["us"], "lang": "zh"})
    assert res.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in res.json()["error"]["message"])


# -- the live desk ---------------------------------------------------------------------------------------

def test_live_desk_lints_caption_events_and_streams_them(client):
    assert client.post("/api/live/events", content=b'{"text": "x"}').status_code == 409
    state = client.post("/api/live/session", json={"markets": ["us"]}).json()
    assert state["markets"] == ["us"] and state["alerts"] == []
    lines = (b'{"t": 1.5, "track": "host", "text": "This tea cures diabetes.", "final": true}\n'
             b'{"t": 2.0, "track": "host", "text": "This tea cu", "final": false}\n'
             b"Welcome back everyone!\n")
    posted = client.post("/api/live/events", content=lines).json()
    assert posted["accepted"] == 3
    assert [a["rule"] for a in posted["alerts"]] == ["us.health-claim.disease-claim"]
    assert posted["alerts"][0]["t"] == 1.5 and posted["scores"]["us"]["band"] == "fail"
    with client.stream("GET", "/api/live/stream?limit=1") as stream:
        text = b"".join(stream.iter_bytes()).decode("utf-8")
    assert text.startswith("event: state\n")
    replay = json.loads(text.split("data: ", 1)[1])
    assert replay["events"] == 3 and replay["alerts"][0]["caption"] == "This tea cures diabetes."
    assert client.post("/api/live/events", content=b"\xff").status_code == 400
    assert client.post("/api/live/events", content=b"[1, 2]").status_code == 400


# -- the command -----------------------------------------------------------------------------------------

def test_serve_without_the_extra_says_how_to_install_it(monkeypatch):
    import culture_lint.web.cli as web_cli

    monkeypatch.setattr(web_cli, "missing_modules", lambda: ["starlette", "uvicorn"])
    code, out, err = cli("serve", "--no-config")
    assert code == 2 and "pip install 'culture-lint[web]'" in err and "Traceback" not in err


def test_serve_rejects_bad_options(monkeypatch):
    code, _out, err = cli("serve", "--no-config", "-m", "atlantis")
    assert code == 2 and "atlantis" in err
    code, _out, err = cli("serve", "--no-config", "--max-body", "lots")
    assert code == 2 and "--max-body" in err


def test_a_taken_port_is_a_clear_message():
    from culture_lint.errors import CultureLintError
    from culture_lint.web.server import bind

    sock = bind("127.0.0.1", 0)
    try:
        with pytest.raises(CultureLintError, match="already in use"):
            bind("127.0.0.1", sock.getsockname()[1])
    finally:
        sock.close()


def test_serve_platform_reaches_the_page_defaults(monkeypatch):
    """`serve --platform` reads every draft as if its front matter named the platform; a wrong name exits 2."""
    import culture_lint.web.server as server
    from culture_lint.web.cli import run

    seen = {}
    monkeypatch.setattr(server, "serve", lambda host, port, **kw: seen.update(kw) or 0)
    assert run({"market": "us", "platform": "tiktok-shop", "no_config": True}) == 0
    assert seen["defaults"]["metadata"]["platform"] == "tiktok-shop"
    out = subprocess.run([sys.executable, "-m", "culture_lint", "serve", "--port", "0", "--platform", "nosuch",
                          "-m", "us", "--no-config"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "nosuch" in out.stderr and "Traceback" not in out.stderr
