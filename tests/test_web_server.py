"""`culture-lint serve` as a real process: its API over TCP, garbage and disconnects, and the page in headless
chromium (Debian's `chromium` and `chromium-driver`, driven by Selenium; `.ci/run` installs them with
`fonts-noto-cjk`). Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from conftest import OUTPUT_SCHEMA, ROOT, clean_env, cli  # noqa: E402

INPUTS = ROOT / "tests" / "fixtures" / "inputs"
FIX_PACKS = ROOT / "tests" / "packs" / "inputs"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
DRAFT = ("HOST: Welcome 😀😀 to the show!\n"
         "主播：这款茶能减肥 🎉，限时抢购！\n"
         "HOST: 🎉 This slimming tea cures diabetes.\n")


class Server:
    def __init__(self, proc: subprocess.Popen, url: str):
        self.proc, self.url = proc, url
        self.port = int(url.rsplit(":", 1)[1].strip("/"))

    def request(self, method: str, path: str, body: dict | bytes | None = None, headers: dict | None = None):
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        req = urllib.request.Request(self.url.rstrip("/") + path, data=data, method=method,
                                     headers={"content-type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=60) as res:
                return res.status, res.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()


def start_server(*args: str) -> Server:
    proc = subprocess.Popen([sys.executable, "-m", "culture_lint", "serve", "--port", "0", "--no-config", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env(), cwd=ROOT)
    line = proc.stdout.readline().decode("utf-8")
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not match:
        proc.kill()
        raise AssertionError(f"no URL printed: {line!r} {proc.stderr.read().decode()[-2000:]}")
    return Server(proc, match.group(0))


@pytest.fixture(scope="module")
def server():
    srv = start_server("--rules", str(FIX_PACKS))
    yield srv
    srv.proc.terminate()
    try:
        srv.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        srv.proc.kill()
    err = srv.proc.stderr.read().decode("utf-8")
    assert "Traceback" not in err, err[-3000:]


def cli_json(command: str, name: str, data: bytes, *args: str) -> dict:
    code, out, err = cli(command, "-", "--stdin-filename", name, "--format", "json", "--no-config", "--rules",
                         FIX_PACKS, *args, input=data)
    assert code in (0, 1), err
    return json.loads(out)


# -- the real process --------------------------------------------------------------------------------------

def test_real_server_check_equals_cli(server, tmp_path, monkeypatch):
    import jsonschema

    monkeypatch.chdir(tmp_path)
    status, body = server.request("POST", "/api/check", {"text": DRAFT, "markets": ["us"], "filename": "d.txt"})
    assert status == 200
    data = json.loads(body)
    jsonschema.validate(data, json.loads(OUTPUT_SCHEMA.read_text(encoding="utf-8")))
    assert data == cli_json("check", "d.txt", DRAFT.encode(), "-m", "us", "--no-cache")


def _raw(server: Server, payload: bytes, read: bool = True) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(payload)
        if not read:
            return b""
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (ConnectionResetError, socket.timeout):
            pass
        return b"".join(chunks)


def test_real_server_survives_garbage_and_disconnects(server):
    host = f"127.0.0.1:{server.port}".encode()
    assert _raw(server, b"\x00\xff\xfe garbage \r\n\r\n").startswith(b"HTTP/1.1 400")
    # a body announced far over the limit is refused before it is read
    answer = _raw(server, b"POST /api/check HTTP/1.1\r\nHost: " + host + b"\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 1000000000\r\nConnection: close\r\n\r\n{")
    assert answer.startswith(b"HTTP/1.1 413") and b"Traceback" not in answer
    # the client goes away in the middle of a body, and in the middle of a request line
    _raw(server, b"POST /api/check HTTP/1.1\r\nHost: " + host + b"\r\nContent-Length: 500\r\n\r\n{\"text\": ", read=False)
    _raw(server, b"GET /api/he", read=False)
    # a request for another host name (DNS rebinding) and from another page
    answer = _raw(server, b"GET /api/rules HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 403")
    status, body = server.request("POST", "/api/check", {"text": "x", "markets": ["us"]},
                                  headers={"origin": "http://evil.example"})
    assert status == 403 and b"cross-origin" in body
    status, body = server.request("GET", "/api/health")
    assert status == 200 and json.loads(body) == {"ok": True}


def test_a_second_server_on_the_same_port_says_so(server):
    proc = subprocess.run([sys.executable, "-m", "culture_lint", "serve", "--port", str(server.port), "--no-config"],
                          capture_output=True, env=clean_env(), timeout=120)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2 and "already in use" in err and "--port" in err and "Traceback" not in err


# -- the page in headless chromium -------------------------------------------------------------------------

needs_browser = pytest.mark.skipif(CHROMIUM is None or CHROMEDRIVER is None,
                                   reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)")


@pytest.fixture(scope="module")
def browser(server, tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service as DriverService

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--lang=en-US", "--force-device-scale-factor=1"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=DriverService(executable_path=CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    driver.get(server.url + "?lang=en")
    wait_for(driver, "return document.body.dataset.ready === '1'")
    yield driver
    driver.quit()


def wait_for(driver, script: str, *args, timeout: float = 60):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: d.execute_script(script, *args))


def paste(driver, text: str, markets: str = "us", filename: str = "draft.txt") -> list[dict]:
    """Put text in the editor as a paste does (an input event), then wait for its findings."""
    driver.execute_script("""
        window.cultureLint.original = null; window.cultureLint.encoding = null;
        window.cultureLint.filename = arguments[2];
        const m = document.getElementById('markets'); m.value = arguments[1];
        const ta = document.getElementById('draft'); ta.value = arguments[0];
        ta.dispatchEvent(new Event('input', {bubbles: true}));""", text, markets, filename)
    wait_for(driver, "return window.cultureLint.lintedText === arguments[0]", text)
    return driver.execute_script("return window.cultureLint.findings")


def shot(driver, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


MARKS = """
const out = [];
const findings = window.cultureLint.findings;
findings.forEach((f, i) => {
  const marks = [...document.querySelectorAll('#backdrop mark')].filter(m => m.dataset.finding.split(' ').includes(String(i)));
  const rects = marks.map(m => m.getBoundingClientRect());
  out.push({text: marks.map(m => m.textContent).join(''), top: rects.length ? rects[0].top : null,
            left: rects.length ? rects[0].left : null});
});
return out;
"""


@needs_browser
def test_paste_highlights_and_cards_in_place(browser):
    findings = paste(browser, DRAFT)
    rules = {(f["rule"], f["text"]) for f in findings}
    assert {("us.weight-loss-claim.slimming", "减肥"), ("us.urgency.flash-sale", "限时抢购"),
            ("us.weight-loss-claim.slimming", "slimming"), ("us.health-claim.cure", "cures diabetes")} <= rules
    marks = browser.execute_script(MARKS)
    for f, mark in zip(findings, marks):
        assert mark["text"] == f["text"], (f, mark)  # emoji before it on the line: code points → UTF-16 right
    # marks on line 3 sit below those on line 2, and the editor's own selection lands on the same words
    by_line = {}
    for f, mark in zip(findings, marks):
        by_line.setdefault(f["line"], []).append(mark["top"])
    assert max(by_line[2]) < min(by_line[3])
    cards = browser.find_elements("css selector", "#cards .card")
    assert len(cards) == len(findings)
    for i, f in enumerate(findings):
        card = cards[i]
        assert f["message"] in card.text and f["rule"] in card.text
        card.click()
        selected = browser.execute_script(
            "const t = document.getElementById('draft'); return t.value.slice(t.selectionStart, t.selectionEnd)")
        assert selected == f["text"]
    assert "21 CFR 101.93(g)" in cards[[f["rule"] for f in findings].index("us.health-claim.cure")].text
    wait_for(browser, "return window.cultureLint.scoredText === window.cultureLint.lintedText")  # follows the findings
    score = browser.find_element("id", "score-value").text
    assert score.isdigit() and browser.find_element("id", "score-band").text == "fail"
    assert len(browser.find_elements("css selector", "#chart text[data-subscore]")) == 6
    shot(browser, "web-editor-en.png")


@needs_browser
def test_typing_relints_after_the_pause(browser):
    from selenium.webdriver.common.keys import Keys

    paste(browser, "HOST: Hello\n")
    area = browser.find_element("id", "draft")
    area.send_keys(Keys.END, " slimming tea")
    wait_for(browser, "return window.cultureLint.findings.some(f => f.text === 'slimming')")
    assert browser.execute_script("return document.getElementById('draft').value") == "HOST: Hello slimming tea\n" \
        or "slimming tea" in browser.execute_script("return document.getElementById('draft').value")


@needs_browser
def test_apply_a_fix_and_suppress_a_finding(browser):
    paste(browser, DRAFT)
    cards = browser.find_elements("css selector", "#cards .card")
    rules = [c.get_attribute("data-rule") for c in cards]
    slim = [c for c in cards if c.get_attribute("data-rule") == "us.weight-loss-claim.slimming"][-1]
    slim.find_element("css selector", "button.apply").click()
    wait_for(browser, "return window.cultureLint.lintedText.includes('smoothing tea')")
    text = browser.execute_script("return document.getElementById('draft').value")
    assert text == DRAFT.replace("slimming tea", "smoothing tea")
    assert "us.urgency.flash-sale" in rules
    flash = [c for c in browser.find_elements("css selector", "#cards .card")
             if c.get_attribute("data-rule") == "us.urgency.flash-sale"][0]
    flash.find_element("css selector", "button.suppress").click()
    wait_for(browser, "return window.cultureLint.lintedText.includes('disable-next-line us.urgency.flash-sale')")
    findings = browser.execute_script("return window.cultureLint.findings")
    assert "us.urgency.flash-sale" not in {f["rule"] for f in findings}
    assert browser.execute_script("return document.getElementById('draft').value").splitlines()[1] == \
        "# culture-lint: disable-next-line us.urgency.flash-sale"


@needs_browser
@pytest.mark.parametrize("fixture", ["script.gb18030.txt", "script.srt"])
def test_open_fix_all_and_download_equals_cli_fix(browser, tmp_path, fixture):
    for old in browser.downloads.iterdir():
        old.unlink()
    browser.execute_script("document.getElementById('markets').value = 'us'")
    browser.find_element("id", "file").send_keys(str(INPUTS / fixture))
    wait_for(browser, "return window.cultureLint.filename === arguments[0] && window.cultureLint.lintedSeq === "
                      "window.cultureLint.seq && window.cultureLint.lintedText === window.cultureLint.originalText",
             fixture)
    browser.find_element("id", "dl-fixed").click()
    target = browser.downloads / fixture
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 60).until(lambda d: target.exists() and not list(browser.downloads.glob("*.crdownload")))
    copy = tmp_path / fixture
    shutil.copy(INPUTS / fixture, copy)
    code, _out, err = cli("fix", str(copy), "-m", "us", "--rules", FIX_PACKS, "--no-config")
    assert code in (0, 1), err
    assert target.read_bytes() == copy.read_bytes() != (INPUTS / fixture).read_bytes()
    # "fix all safe" puts the same text in the editor
    browser.find_element("id", "fix-all").click()
    wait_for(browser, "return window.cultureLint.lintedText.includes('smoothing')")
    assert "slimming" not in browser.execute_script("return document.getElementById('draft').value")


@needs_browser
def test_chinese_interface_and_cjk_font(browser):
    from selenium.webdriver.support.ui import Select

    paste(browser, DRAFT)
    Select(browser.find_element("id", "ui-lang")).select_by_value("zh")
    wait_for(browser, "return document.documentElement.lang === 'zh-CN' && window.cultureLint.lang === 'zh'")
    wait_for(browser, "return window.cultureLint.findings.length && window.cultureLint.findings.every("
                      "f => /[\\u4e00-\\u9fff]/.test(f.message))")
    button = browser.find_element("id", "fix-all").text
    assert re.search(r"[\u4e00-\u9fff]", button), button
    cards = browser.find_elements("css selector", "#cards .card .msg")
    assert all(re.search(r"[\u4e00-\u9fff]", c.text) for c in cards)
    # which font does chromium really draw the Chinese words with? (empty boxes = no CJK font)
    browser.execute_cdp_cmd("DOM.enable", {})
    browser.execute_cdp_cmd("CSS.enable", {})
    root = browser.execute_cdp_cmd("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = browser.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": "#cards .card .msg"})["nodeId"]
    fonts = browser.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cjk = [f for f in fonts if re.search(r"CJK|Han|Hei|Ming|Song|Kai|Fallback|PingFang|YaHei", f["familyName"])]
    if not cjk and not shutil.which("fc-list"):
        pytest.skip("no fontconfig to check fonts with")
    assert cjk and sum(f["glyphCount"] for f in cjk) > 0, fonts
    shot(browser, "web-editor-zh.png")
    Select(browser.find_element("id", "ui-lang")).select_by_value("en")
    wait_for(browser, "return window.cultureLint.lang === 'en'")


@needs_browser
def test_show_view_and_rules_browser(browser):
    raw = (ROOT / "examples" / "sa-ramadan-beauty-draft.srt").read_text(encoding="utf-8")
    browser.execute_script("document.getElementById('date').value = '2027-02-10'")
    paste(browser, raw, markets="sa", filename="show.srt")
    browser.find_element("css selector", "nav button[data-tab=show]").click()
    wait_for(browser, "return document.querySelectorAll('#timeline circle').length > 0")
    wait_for(browser, "return document.querySelectorAll('#calendar .period').length > 0")
    assert browser.find_elements("css selector", "#timeline rect[data-gap]")
    assert "Ramadan" in browser.find_element("id", "calendar").text
    shot(browser, "web-show.png")
    browser.find_element("css selector", "nav button[data-tab=rules]").click()
    box = browser.find_element("id", "rq")
    box.send_keys("diabetes")
    wait_for(browser, "return [...document.querySelectorAll('#rules .rule')].length > 0 && "
                      "[...document.querySelectorAll('#rules .rule')].every(r => r.textContent.toLowerCase().includes('diabetes'))")
    browser.find_element("css selector", "nav button[data-tab=editor]").click()
