#!/usr/bin/env python
"""How long after typing stops do findings appear in `culture-lint serve`'s page? (docs/web.md, "Latency")

Starts the real server, opens the page in headless chromium (Selenium + Debian's chromium-driver), pastes a
draft of about 3,000 words built from examples/, then types: each round adds a word with a burst of key
events and measures, inside the page, from the last keystroke to the moment the highlights and cards for
exactly that text are drawn (the debounce wait included): ``ms`` is the first drawing (a quick check: the
whole-document rules' findings moved from the last exact check), ``exact_with_score`` the moment the exact
findings and the score are in (they follow in a second request).

    python bench/web_latency.py [--words 3000] [--rounds 30] [--markets us,sa]
    python bench/web_latency.py --table result.json [more.json]   # docs/performance.md rows of saved runs
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TYPE = """
const [word, done] = [arguments[0], arguments[arguments.length - 1]];
const ta = document.getElementById('draft');
const st = window.cultureLint;
let i = 0;
function key() {                      // one input event per character, 30 ms apart (a fast typist)
  ta.value += word[i++];
  ta.dispatchEvent(new Event('input', {bubbles: true}));
  if (i < word.length) { setTimeout(key, 30); return; }
  const stopped = performance.now(), text = ta.value;
  let first = null;
  (function poll() {
    if (first === null && st.lintedText === text) first = st.lintedAt - stopped;
    if (first !== null && st.scoredText === text) {
      done({ms: first, exact_ms: st.exactAt - stopped, findings: st.findings.length});
    } else requestAnimationFrame(poll);
  })();
}
key();
"""


def draft(words: int) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8").split("---", 2)[-1] for p in sorted((ROOT / "examples").glob("*.md"))]
    out, count = [], 0
    while count < words:
        for text in texts:
            out.append(text.strip())
            count += len(text.split())
    return "\n\n".join(out) + "\n"


def table(results: list[dict]) -> str:
    """docs/performance.md rows for saved results (``--table a.json b.json``): numbers copied, not typed."""
    out = ["| draft | markets | findings | first drawing: median / p95 | exact findings and score: median / p95 "
           "| load average (start → end) |", "|---|---|---|---|---|---|"]
    for r in results:
        ex = r.get("exact_with_score", {})
        load = r.get("load_average", ["?", "?"])
        out.append(f"| {r['words']:,} words | {r['markets'].replace(',', ', ')} | {r['findings']} | "
                   f"{r['median_ms']} / {r['p95_ms']} ms | {ex.get('median_ms', '–')} / {ex.get('p95_ms', '–')} ms | "
                   f"{load[0]} → {load[1]} |")
    return "\n".join(out)


def main() -> int:
    if len(sys.argv) >= 3 and sys.argv[1] == "--table":
        print(table([json.loads(Path(p).read_text()) for p in sys.argv[2:]]))
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--markets", default="us,sa")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    proc = subprocess.Popen([sys.executable, "-m", "culture_lint", "serve", "--port", "0", "--no-config"],
                            stdout=subprocess.PIPE, cwd=ROOT)
    url = re.search(r"http://\S+/", proc.stdout.readline().decode()).group(0)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_script_timeout(60)
    try:
        driver.get(url)
        WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.body.dataset.ready === '1'"))
        text = draft(args.words)
        driver.execute_script("""document.getElementById('markets').value = arguments[1];
            const ta = document.getElementById('draft'); ta.value = arguments[0];
            ta.dispatchEvent(new Event('input', {bubbles: true}));""", text, args.markets)
        WebDriverWait(driver, 120).until(lambda d: d.execute_script(
            "return window.cultureLint.lintedText === document.getElementById('draft').value"))
        for _ in range(3):  # warm-up: the first runs compile patterns and fill caches
            driver.execute_async_script(TYPE, " warm")
        results = [driver.execute_async_script(TYPE, " word") for _ in range(args.rounds)]
    finally:
        driver.quit()
        proc.terminate()
        proc.wait(timeout=30)
    ms = sorted(r["ms"] for r in results)
    exact = sorted(r["exact_ms"] for r in results)
    summary = {
        "words": len(text.split()), "markets": args.markets, "rounds": len(ms), "findings": results[-1]["findings"],
        "median_ms": round(statistics.median(ms), 1), "p95_ms": round(ms[max(0, int(len(ms) * 0.95) - 1)], 1),
        "max_ms": round(ms[-1], 1), "debounce_ms": 60,
        "exact_with_score": {"median_ms": round(statistics.median(exact), 1),
                             "p95_ms": round(exact[max(0, int(len(exact) * 0.95) - 1)], 1)},
        "load_average": [round(load, 2), round(os.getloadavg()[0], 2)],
    }
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
