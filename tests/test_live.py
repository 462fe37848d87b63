"""`culture-lint live`: ASR-like caption streams through every input, at 10x real time, give the alerts that
`check` finds on the assembled transcript, at the right caption times; the session log survives kill -9 and
--replay reproduces the alerts."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from culture_lint.api import make_linter
from culture_lint.live.assemble import Assembler
from culture_lint.live.events import Event, LineParser, from_object, BadEvent
from culture_lint.live.session import LiveSession, SessionLog, transcript_srt
from culture_lint.live.simulate import cues_of, fragments

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATE = "2026-03-01"
RAMADAN = str(EXAMPLES / "sa-ramadan-beauty-draft.srt")
CLI = [sys.executable, "-m", "culture_lint"]
ENV = dict(os.environ, PYTHONUNBUFFERED="1", CULTURE_LINT_LANG="en", LANG="C.UTF-8")
WAIT = 120  # seconds: an upper bound for a stuck run, never a measurement


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def final_keys(records) -> set:
    """(track, rule, market, timestamp, text) of the alerts a session stands by (retracted ones removed)."""
    keys: dict = {}
    for r in records:
        if r["type"] not in ("alert", "retract"):
            continue
        key = (r["track"], r["rule"], r["market"], r["timestamp"], r["text"])
        if r["type"] == "alert":
            keys[key] = r
        elif r["type"] == "retract":
            keys.pop(key, None)
    return set(keys)


def check_keys(log: Path, tmp: Path, markets: str = "sa") -> set:
    """Run the real `check` on the transcript the session assembled (read back from its log)."""
    sessions = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines() if x.strip()]
    sid = sessions[0]["session"]
    units = SessionLog.__new__(SessionLog)
    units.path, units.session_id = log, sid
    units._fh = open(os.devnull, "w")
    tracks = units.units()
    folder = tmp / "transcript"
    folder.mkdir(exist_ok=True)
    for track, us in tracks.items():
        (folder / f"{track}.srt").write_text(transcript_srt(us)[0], encoding="utf-8")
    out = subprocess.run(CLI + ["check", str(folder), "-m", markets, "--date", DATE, "-f", "json", "--no-cache",
                                "--no-config"], capture_output=True, text=True, env=ENV, timeout=WAIT)
    assert out.returncode in (0, 1), out.stderr
    data = json.loads(out.stdout)
    return {(Path(f["path"]).stem, x["rule"], x["market"], x["timestamp"], x["text"])
            for f in data["files"] for x in f["findings"]}


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def events_jsonl(path: str, track: str = "host") -> str:
    return "".join(json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in fragments(cues_of(path), track))


# -- pieces ------------------------------------------------------------------------------------------------

def test_assembly_joins_split_words_and_cjk_and_ends_at_pauses():
    asm = Assembler(pause=1.0)
    out = []
    for e in [Event("this lip-", 0.0, 0.5), Event("stick has a", 0.5, 1.0), Event("wine red shade", 1.0, 1.5),
              Event("斋月", 5.0, 5.4), Event("秒杀", 5.4, 5.8), Event("next one.", 9.0, 9.5)]:
        out += asm.add(e)
    out += asm.flush()
    assert [u.text for u in out] == ["this lipstick has a wine red shade", "斋月秒杀", "next one."]
    first = out[0]
    start = first.text.index("wine red")
    assert first.span(start, start + len("wine red")) == (1.0, 1.5)  # the caption that carried the words
    start = first.text.index("lipstick")
    assert first.span(start, start + len("lipstick")) == (0.0, 1.0)  # split over two captions


def test_partials_are_replaced_by_their_final():
    asm = Assembler()
    assert asm.add(Event("wine", 0.0, final=False)) == []
    assert asm.partials == {"host": "wine"}
    units = asm.add(Event("wine red.", 0.0, 1.0))
    assert [u.text for u in units] == ["wine red."] and asm.partials == {}


def test_line_parser_reads_json_plain_and_subtitle_cues():
    p = LineParser("host")
    got, errors = [], []
    for line in ['{"t": "00:00:01.5", "text": "hi", "track": "chat", "final": false}', "1",
                 "00:00:02,000 --> 00:00:03,000", "<i>wine</i> red", "", "plain caption", '{"t": true}', "{oops"]:
        ev, er = p.feed(line)
        got += ev
        errors += er
    assert [(e.track, e.t, e.text, e.final) for e in got] == [
        ("chat", 1.5, "hi", False), ("host", 2.0, "wine red", True), ("host", None, "plain caption", True)]
    assert len(errors) == 2
    with pytest.raises(BadEvent):
        from_object([1], "host")


@pytest.mark.parametrize("name,market", [("sa-ramadan-beauty-draft.srt", "sa"), ("sa-eid-fragrance-live.srt", "sa"),
                                         ("gb-fashion-live.vtt", "gb"), ("us-supplement-draft.txt", "us")])
def test_session_alerts_equal_check_on_the_transcript(tmp_path, name, market):
    path = EXAMPLES / name
    if path.suffix == ".txt":  # a script without times: one line every four seconds
        lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith(("---", "#"))]
        cues = [(4.0 * i, 4.0 * i + 3.5, x) for i, x in enumerate(lines)]
    else:
        cues = cues_of(str(path))
    linter = make_linter([market], metadata={"date": DATE})
    log = tmp_path / "s.jsonl"
    session = LiveSession(linter, log=SessionLog(log, "t1"), metadata={"date": DATE})
    live = []
    for e in fragments(cues):
        live += session.receive(e)
    end, reports = session.finish()
    checked = check_keys(log, tmp_path, market)
    assert final_keys(live + end) == checked
    # the claims the linter can see in a sentence were caught while it aired, not only at the end
    kinds = {r.id: r.kind for r in linter.rules}
    for key in checked:
        if kinds.get(key[1]) in ("forbid",):
            assert key in final_keys([a for a in live + end if a.get("phase") == "live"]), key


def test_alert_times_are_the_captions_that_carried_the_words(tmp_path):
    linter = make_linter(["sa"], metadata={"date": DATE})
    session = LiveSession(linter, log=SessionLog(tmp_path / "s.jsonl", "t"))
    events = [Event("this lipstick has a gorgeous", 6.5, 7.4), Event("wi-", 7.4, 8.3), Event("ne red shade", 8.3, 9.2)]
    alerts = [a for e in events for a in session.receive(e)] + session.flush()
    wine = [a for a in alerts if a["rule"] == "sa.religious.drink-imagery"]
    assert wine and (wine[0]["start"], wine[0]["end"]) == ("00:00:07.400", "00:00:09.200")
    assert wine[0]["timestamp"] == "00:00:06.500" and wine[0]["suggestion"]


def test_countdown_warns_before_the_prompt_gap_is_exceeded(tmp_path):
    linter = make_linter(["gb"])
    session = LiveSession(linter, log=SessionLog(tmp_path / "s.jsonl", "t"), lead=60)
    session.receive(Event("Tell us in the comments: which colour do you like?", 10.0, 14.0))
    gap = next(c for c in session.cadence if c.check == "prompt-gap")
    due = 10.0 + gap.seconds
    assert not [a for a in session.tick(due - 120) if a["type"] == "countdown" and a["rule"] == gap.rule_id]
    warned = [a for a in session.tick(due - 30) if a["type"] == "countdown" and a["rule"] == gap.rule_id]
    assert warned and warned[0]["seconds_left"] == 30 and warned[0]["t"] < due
    assert not session.tick(due - 20)  # once per gap


# -- the command, through each input, at 10x real time -------------------------------------------------------

def _live(args, tmp_path, **kw):
    log = tmp_path / "session.jsonl"
    cmd = CLI + ["live", "-m", "sa", "--date", DATE, "-f", "jsonl", "--no-config", "--session-log", str(log),
                 "--report", str(tmp_path / "report"), *args]
    return cmd, log


def test_stdin_json_lines_at_10x(tmp_path):
    cmd, log = _live(["--input", "-", "--speed", "10"], tmp_path)
    stream = events_jsonl(RAMADAN) + "not json but a caption\n" + '{"t": "soon", "text": "x"}\n'
    out = subprocess.run(cmd, input=stream, capture_output=True, text=True, env=ENV, timeout=WAIT)
    assert out.returncode == 0, out.stderr
    records = jsonl(out.stdout)
    assert any(r["type"] == "error" for r in records)  # the malformed event was reported, the session went on
    assert final_keys(records) == check_keys(log, tmp_path)
    wine = [r for r in records if r["type"] == "alert" and r["text"] == "wine red"]
    assert wine and wine[0]["phase"] == "live" and wine[0]["start"] >= "00:00:06.500" and wine[0]["end"] <= "00:00:12.000"
    report = json.loads((tmp_path / "report" / "session.report.json").read_text(encoding="utf-8"))
    assert report["version"] == 1 and report["files"][0]["path"] == "host.srt"
    srt = (tmp_path / "report" / "session.host.srt").read_text(encoding="utf-8")
    assert "sa.religious.drink-imagery" in srt and "-->" in srt
    assert (tmp_path / "report" / "session.report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


WRITER = r'''
import os, sys, time
path, src, speed, log = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
blocks = open(src, encoding="utf-8").read().strip().split("\n\n")
def times(b):
    start = b.splitlines()[1].split(" --> ")[0].replace(",", ".")
    h, m, s = start.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)
def seen(*words):  # wait until the live session has logged one of these words (it read what was written)
    while not any(w in open(log, encoding="utf-8").read() for w in words):
        time.sleep(0.05)
t0 = time.monotonic()
for i, b in enumerate(blocks):
    wait = times(b) / speed - (time.monotonic() - t0)
    if wait > 0:
        time.sleep(wait)
    if i == 4:  # a caption tool that starts its file again
        while open(log, encoding="utf-8").read().count('"type":"event"') < 4:
            time.sleep(0.05)
        open(path, "w").close()
        seen("truncated")
    if i == 8:  # log rotation: the old file moves away, a new one takes its name
        while open(log, encoding="utf-8").read().count('"type":"event"') < 8:
            time.sleep(0.05)
        os.replace(path, path + ".1")
        open(path, "w").close()
        seen("rotated", "vanished")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(b + "\n\n")
        fh.flush()
print("done", flush=True)
'''


def _wait_for(predicate, what):
    deadline = time.monotonic() + WAIT
    while not predicate():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def _log_has_units(log: Path, n: int) -> bool:
    return log.exists() and log.read_text(encoding="utf-8").count('"type":"unit"') >= n


def test_growing_file_truncated_and_rotated(tmp_path):
    # the example split into ASR-like cues (no punctuation, words split), written as a growing .srt
    src = tmp_path / "asr.srt"
    evs = [e for e in fragments(cues_of(RAMADAN)) if e.final]
    src.write_text("\n\n".join(f"{i}\n{_srt(e.t)} --> {_srt(e.t_end)}\n{e.text}" for i, e in enumerate(evs, 1)) + "\n",
                   encoding="utf-8")
    captions = tmp_path / "captions.srt"
    cmd, log = _live(["--input", f"host={captions}", "--speed", "10", "--follow"], tmp_path)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    assert "reading" in proc.stderr.readline()
    writer = subprocess.run([sys.executable, "-c", WRITER, str(captions), str(src), "10", str(log)], capture_output=True,
                            text=True, timeout=WAIT)
    assert writer.stdout.strip() == "done", writer.stderr
    _wait_for(lambda: log.exists() and "手慢" in log.read_text(encoding="utf-8"), "the last caption")
    proc.send_signal(signal.SIGINT)  # Ctrl-C ends the show and writes the report
    out, err = proc.communicate(timeout=WAIT)
    assert proc.returncode == 0, err
    records = jsonl(out)
    messages = " ".join(r["message"] for r in records if r["type"] == "error")
    assert "truncated" in messages and ("rotated" in messages or "vanished" in messages)
    assert final_keys(records) == check_keys(log, tmp_path)
    assert any(r["rule"] == "sa.holiday.ramadan-flash-sale" and r["phase"] == "live" for r in records if r["type"] == "alert")


def _srt(t: float) -> str:
    from culture_lint.models import format_timestamp

    return format_timestamp(t).replace(".", ",")


def _start_server(args, tmp_path):
    cmd, log = _live(args, tmp_path)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    line = proc.stderr.readline()
    assert "listening on" in line, line + (proc.stderr.read() if proc.poll() is not None else "")
    return proc, log


def _paced(events, speed=10.0):
    t0 = time.monotonic()
    for e in events:
        wait = (e.t or 0) / speed - (time.monotonic() - t0)
        if wait > 0:
            time.sleep(wait)
        yield e


def test_websocket_with_a_real_client(tmp_path):
    pytest.importorskip("websockets")
    from websockets.sync.client import connect

    port = _free_port()
    proc, log = _start_server(["--input", f"ws://127.0.0.1:{port}", "--input", f"chat=http://127.0.0.1:{_free_port()}"], tmp_path)
    try:
        host = fragments(cues_of(RAMADAN), "host")
        zh = fragments([(c[0], c[1], c[2]) for c in cues_of(RAMADAN)][-1:], "subtitles-zh")
        with connect(f"ws://127.0.0.1:{port}") as ws:
            ws.send("{this is not json")
            ws.send(b"\xff\xfe")
            for e in _paced(sorted(host + zh, key=lambda e: e.t)):
                ws.send(json.dumps(e.to_dict(), ensure_ascii=False))
        # a second client that drops its connection without a closing handshake
        raw = socket.create_connection(("127.0.0.1", port))
        raw.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        raw.recv(1024)
        raw.close()
        _wait_for(lambda: _log_has_units(log, 4), "the sentences")
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=WAIT)
    assert proc.returncode == 0, err
    records = jsonl(out)
    assert sum(1 for r in records if r["type"] == "error") >= 2
    keys = final_keys(records)
    assert keys == check_keys(log, tmp_path)
    assert {k[0] for k in keys} == {"host", "subtitles-zh"}


def test_http_endpoint_and_garbage(tmp_path):
    port = _free_port()
    proc, log = _start_server(["--input", f"http://127.0.0.1:{port}"], tmp_path)
    try:
        url = f"http://127.0.0.1:{port}/events"
        body = events_jsonl(RAMADAN).encode("utf-8")
        res = urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST"), timeout=30)
        assert json.loads(res.read())["accepted"] == body.count(b"\n")
        with socket.create_connection(("127.0.0.1", port)) as s:  # garbage, then a hang-up
            s.sendall(b"\x00\x01 nonsense\r\n\r\n")
            s.recv(1024)
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(urllib.request.Request(url, data=b"\xff", method="POST"), timeout=30)
        _wait_for(lambda: _log_has_units(log, 3), "the sentences")
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=WAIT)
    assert proc.returncode == 0, err
    records = jsonl(out)
    assert final_keys(records) == check_keys(log, tmp_path)


def test_kill_9_then_replay_the_session_log(tmp_path):
    cmd, log = _live(["--input", "-", "--speed", "10"], tmp_path)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    events = fragments(cues_of(RAMADAN))
    first = [e for e in events if e.t < 40]
    for e in first:
        proc.stdin.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
    proc.stdin.flush()
    _wait_for(lambda: _log_has_units(log, 1) and '"type":"alert"' in log.read_text(encoding="utf-8"), "an alert")
    proc.kill()  # SIGKILL: no cleanup at all
    proc.communicate(timeout=WAIT)
    logged = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert sum(1 for r in logged if r["type"] == "event") == len(first)  # every event received was on disk
    before = {(r["rule"], r["timestamp"], r["text"]) for r in logged if r["type"] == "alert"}
    replay_log = tmp_path / "replay.jsonl"
    out = subprocess.run(CLI + ["live", "--replay", str(log), "-f", "jsonl", "--no-config", "--session-log",
                                str(replay_log), "--no-report"], capture_output=True, text=True, env=ENV, timeout=WAIT)
    assert out.returncode == 0, out.stderr
    records = jsonl(out.stdout)
    again = {(r["rule"], r["timestamp"], r["text"]) for r in records if r["type"] == "alert" and r["phase"] == "live"}
    assert before <= again
    assert final_keys(records) == check_keys(replay_log, tmp_path)


def test_replay_reproduces_the_same_alerts(tmp_path):
    cmd, log = _live(["--input", "-"], tmp_path)
    out = subprocess.run(cmd, input=events_jsonl(RAMADAN), capture_output=True, text=True, env=ENV, timeout=WAIT)
    assert out.returncode == 0, out.stderr
    first = [r for r in jsonl(out.stdout) if r["type"] in ("alert", "retract")]
    again = subprocess.run(CLI + ["live", "--replay", str(log), "-f", "jsonl", "--no-config", "--session-log",
                                  str(tmp_path / "r.jsonl"), "--no-report"], capture_output=True, text=True, env=ENV,
                           timeout=WAIT)
    assert [r for r in jsonl(again.stdout) if r["type"] in ("alert", "retract")] == first


def test_bad_usage_is_a_clear_exit_2(tmp_path):
    for args, words in ([["live", "-m", "sa"], "no input"], [["live", "-m", "zz", "--input", "-"], "zz"],
                        [["live", "-m", "sa", "--input", "ws://example.com:80"], "127.0.0.1"],
                        [["live", "--replay", str(tmp_path / "missing.jsonl")], "missing.jsonl"],
                        [["live", "-m", "sa", "--input", "-", "--start", "9pm"], "HH:MM"]):
        out = subprocess.run(CLI + args + ["--session-log", str(tmp_path / "x.jsonl")], capture_output=True, text=True,
                             env=ENV, timeout=WAIT, input="")
        assert out.returncode == 2, (args, out.stderr)
        assert words in out.stderr and "Traceback" not in out.stderr


def test_websocket_input_without_the_extra_says_how_to_install(tmp_path):
    fake = tmp_path / "fake"
    (fake / "websockets").mkdir(parents=True)
    (fake / "websockets" / "__init__.py").write_text("raise ImportError('no websockets here')\n")
    env = dict(ENV, PYTHONPATH=str(fake) + os.pathsep + ENV.get("PYTHONPATH", ""))
    out = subprocess.run(CLI + ["live", "-m", "sa", "--input", "ws://127.0.0.1:0", "--session-log",
                                str(tmp_path / "x.jsonl")], capture_output=True, text=True, env=env, timeout=WAIT)
    assert out.returncode == 2 and 'pip install "culture-lint[live]"' in out.stderr


# -- incremental lint, batches, one engine per process -------------------------------------------------------

def test_live_linters_are_derived_once_and_lint_only_what_a_sentence_decides():
    from culture_lint.live.engines import is_local

    linter = make_linter(["gb"])
    a, b = LiveSession(linter), LiveSession(linter)
    assert a.engines is b.engines  # every stream of the process shares them
    local = a.engines.local.rules
    assert local and all(is_local(r) for r in local)
    assert not {r.kind for r in local} & {"cadence", "limit"}
    assert {r.id for r in a.engines.opening.rules} == {"gb.ad-disclosure.ad-label-upfront"}
    assert {c.check for c in a.cadence} >= {"prompt-gap", "hook"}


def test_piled_up_sentences_are_one_batch_per_track_and_replay_lints_the_same_batches(tmp_path):
    """The replay lints each logged batch alone: equal alerts prove that linting the tracks' batches of a
    turn together (one engine call) gives each track the findings it would have alone."""
    from culture_lint.live.run import PARAMS
    from culture_lint.live.session import LOG_VERSION

    log = tmp_path / "s.jsonl"
    linter = make_linter(["sa"], metadata={"date": DATE})
    session = LiveSession(linter, log=SessionLog(log, "b1"), metadata={"date": DATE})
    session.log.write({"type": "session", "version": LOG_VERSION, "markets": ["sa"], "metadata": {"date": DATE},
                       **PARAMS})
    # captions as a caption tool sends them (punctuated cues), on two tracks; the session falls behind and
    # lints only every 7 events: what piled up is linted as one batch per track
    events = [Event(text, start, end, "host") for start, end, text in cues_of(RAMADAN)]
    events += [Event(text, start, end, "subtitles-en") for start, end, text in cues_of(str(EXAMPLES / "sa-eid-fragrance-live.srt"))]
    events.sort(key=lambda e: e.t)
    records = []
    for n, e in enumerate(events, 1):
        records += session.receive(e, defer=True)
        if n % 7 == 0:
            records += session.process()
    end, _reports = session.finish()
    records += end
    session.log.close()
    logged = jsonl(log.read_text(encoding="utf-8"))
    batches = [r for r in logged if r["type"] == "batch"]
    assert any(len(b["seqs"]) > 1 for b in batches)
    assert {b["track"] for b in batches} == {"host", "subtitles-en"}
    # both tracks' batches of one turn went through one engine call (logged together, after the same event)
    assert any(a["after"] == b["after"] and a["track"] != b["track"] for a, b in zip(batches, batches[1:]))
    assert sorted(s for b in batches for s in b["seqs"]) == sorted(r["seq"] for r in logged if r["type"] == "unit")
    assert final_keys(records) == check_keys(log, tmp_path)
    again = subprocess.run(CLI + ["live", "--replay", str(log), "-f", "jsonl", "--no-config", "--session-log",
                                  str(tmp_path / "r.jsonl"), "--no-report"], capture_output=True, text=True, env=ENV,
                           timeout=WAIT)
    assert again.returncode == 0, again.stderr
    first = [r for r in records if r["type"] in ("alert", "retract")]
    assert [r for r in jsonl(again.stdout) if r["type"] in ("alert", "retract")] == first
    replayed = [r for r in jsonl((tmp_path / "r.jsonl").read_text(encoding="utf-8")) if r["type"] == "batch"]
    assert [(b["track"], b["seqs"]) for b in replayed] == [(b["track"], b["seqs"]) for b in batches]


def test_opening_rule_alerts_live_when_the_opening_is_over(tmp_path):
    linter = make_linter(["gb"], metadata={"sponsored": True})
    session = LiveSession(linter, log=SessionLog(tmp_path / "s.jsonl", "o"), metadata={"sponsored": True})
    rule = "gb.ad-disclosure.ad-label-upfront"
    early = session.receive(Event("Hello everyone, welcome to the show.", 1.0, 4.0))
    assert not [a for a in early if a.get("rule") == rule]  # the opening is still running
    later = session.receive(Event("Let us look at the new jackets.", 45.0, 48.0))
    assert [a for a in later if a.get("rule") == rule and a["phase"] == "live"]


# -- the web desk follows the show -------------------------------------------------------------------------------

def test_live_serve_puts_the_show_on_the_web_desk(tmp_path):
    pytest.importorskip("starlette")
    import threading

    port = _free_port()
    cmd, log = _live(["--input", f"http://127.0.0.1:{port}", "--serve", "0"], tmp_path)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        lines = [proc.stderr.readline(), proc.stderr.readline()]
        desk = next(x for x in lines if "live desk" in x).split(" at ", 1)[1].strip()
        assert desk.startswith("http://127.0.0.1:") and any("listening on" in x for x in lines), lines
        got: list[str] = []
        stream = threading.Thread(target=lambda: got.append(urllib.request.urlopen(
            desk + "api/live/stream?limit=4", timeout=WAIT).read().decode("utf-8")))
        stream.start()
        _wait_for(lambda: json.loads(urllib.request.urlopen(desk + "api/live/state", timeout=WAIT).read())["follows_show"],
                  "the desk")
        time.sleep(0.5)  # the page's stream is open (it received its state)
        body = events_jsonl(RAMADAN).encode("utf-8")
        res = urllib.request.urlopen(urllib.request.Request(desk + "api/live/events", data=body, method="POST"), timeout=WAIT)
        assert json.loads(res.read())["accepted"] == body.count(b"\n")  # the desk's events join the show
        stream.join(WAIT)
        state = json.loads(urllib.request.urlopen(desk + "api/live/state", timeout=WAIT).read())
        with pytest.raises(urllib.error.HTTPError) as bad:  # the show's markets are set by the show
            urllib.request.urlopen(urllib.request.Request(desk + "api/live/session", data=b'{"markets": ["us"]}',
                                                          method="POST"), timeout=WAIT)
        assert bad.value.code == 409
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=WAIT)
    assert proc.returncode == 0, err
    assert got and got[0].startswith("event: state\n") and "event: alert\n" in got[0]
    assert state["markets"] == ["sa"] and state["events"] == body.count(b"\n") and state["alerts"]
    records = jsonl(out)
    assert {a["rule"] for a in state["alerts"]} <= {r["rule"] for r in records if r["type"] == "alert"}
    assert final_keys(records) == check_keys(log, tmp_path)


def test_serve_on_a_taken_port_is_a_clear_exit_2_before_the_show(tmp_path):
    pytest.importorskip("starlette")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run(CLI + ["live", "-m", "sa", "--input", "-", "--serve", str(port), "--no-config",
                                    "--session-log", str(tmp_path / "x.jsonl")], capture_output=True, text=True,
                             env=ENV, timeout=WAIT, input="")
    assert out.returncode == 2 and f"--serve {port}" in out.stderr and "Traceback" not in out.stderr
    assert "Show over" not in out.stderr  # refused before the show started
