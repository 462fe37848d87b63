"""The HTML report rendered in a real headless Chromium: it loads, highlights sit on the findings."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

SCRIPT = """1
00:00:01,000 --> 00:00:05,000
Welcome! This tea cures diabetes.

2
00:05:30,000 --> 00:05:36,000
What do you think? Tell me in the comments.

3
00:09:00,000 --> 00:09:05,000
It is SLIMMING and slims you down.
"""


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "culture_lint", *args], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    script = folder / "show.srt"
    script.write_text(SCRIPT, encoding="utf-8")
    out = folder / "report.html"
    res = _cli("check", str(script), "-m", "us", "--rules", str(ROOT / "tests" / "packs" / "html"),
               "--select", "us", "--format", "html", "-o", str(out))
    assert res.returncode == 1, res.stderr
    js = _cli("check", str(script), "-m", "us", "--rules", str(ROOT / "tests" / "packs" / "html"), "--select", "us", "--format", "json")
    return out, json.loads(js.stdout)


def test_report_is_self_contained(report):
    path, _ = report
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    # no network: no external scripts, styles, images or fonts
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', html)
    assert "@import" not in html and "url(" not in html


def test_score_cards_and_highlights_match_the_findings(report):
    path, data = report
    html = path.read_text(encoding="utf-8")
    findings = data["files"][0]["findings"]
    assert findings
    marks = re.findall(r'<mark class="f (\w+)"[^>]*data-line="(\d+)"[^>]*>([^<]*)</mark>', html)
    assert {(int(line), text) for _, line, text in marks} == {(f["line"], f["text"]) for f in findings}
    assert 'data-market="us"' in html and 'data-sub="compliance"' in html
    assert "fail" in html  # an error puts the file in the fail band


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_renders_in_headless_chromium(report, tmp_path):
    path, data = report
    profile = tmp_path / "profile"
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", path.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = dom.stdout
    # the browser parsed the page and kept every highlight in place on the right lines
    lines = re.findall(r'<span class="ln" data-line="(\d+)">(.*?)</span>(?=<span class="ln"|</pre>)', rendered, re.S)
    by_line = {int(n): body for n, body in lines}
    for f in data["files"][0]["findings"]:
        assert f["text"] in re.sub(r"<[^>]+>", "", by_line[f["line"]])
        assert f'data-line="{f["line"]}"' in rendered
    assert 'role="tooltip"' in rendered
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "html-report.png"
    res = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}",
                          "--window-size=1200,1000", path.as_uri()], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
