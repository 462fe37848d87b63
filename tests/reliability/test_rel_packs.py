"""Rule packs and configuration are untrusted input (issue #9): safe YAML only (no object construction), alias
and nesting bombs refused, ``extends`` cycles found, token patterns that could take exponential or quadratic
time refused or bounded, pack files that are devices, FIFOs or links out of the pack refused — always exit 2
with file:line:col and never a traceback — and nothing in a pack or a config runs code.
"""

from __future__ import annotations

import json
import os
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from relhelpers import CORE_PACKS, REL_PACKS, bump, record, run, scale

pytestmark = pytest.mark.usefixtures("isolated_cwd")

PACK_YAML = "pack: {pid}\nkind: market\nlanguages: [en]\n"
RULE = """\
rules:
  - id: {pid}.urgency.x
    category: urgency
    severity: warning
    kind: forbid
    message: {{en: "x", zh: "x"}}
    why: {{en: "x", zh: "x"}}
    patterns:
      en: [{pattern}]
    tests:
      flag: ["{flag}"]
      pass: ["nothing here"]
"""


def make_pack(root: Path, pid: str = "zq", pattern: str = "hurry up", flag: str = "hurry up",
              pack_yaml: str | None = None, rules: str | None = None) -> Path:
    folder = root / pid
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(pack_yaml if pack_yaml is not None else PACK_YAML.format(pid=pid))
    (folder / "rules.yaml").write_text(rules if rules is not None else RULE.format(pid=pid, pattern=pattern,
                                                                                    flag=flag))
    return folder


def check_with(packs: Path, *args, market: str = "zq", text: str = "Hurry up now!\n", timeout: float = 60):
    doc = packs.parent / "doc.txt"
    doc.write_text(text)
    return run("check", doc, "-m", market, "--rules", CORE_PACKS, "--rules", packs, "--no-config", "--no-cache",
               *args, timeout=timeout, extra_env={"CULTURE_LINT_NO_CACHE": "1"})


def assert_exit2(res, *where: str) -> None:
    assert res.code == 2, (res.code, res.out, res.err)
    assert res.no_traceback(), res.err
    for w in where:
        assert w in res.err, (w, res.err)


BOMB = "\n".join(["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]) + "\n"  # 9^9 = 387 million leaves
DEEP = "x: " + "[" * 60 + "]" * 60 + "\n"


# -- YAML: no object construction, bombs refused --------------------------------------------------------

@pytest.mark.parametrize("where", ["pack.yaml", "rules.yaml", "config"])
def test_python_tags_never_construct_objects(tmp_path, where):
    canary = tmp_path / "PWNED"
    payload = f"!!python/object/apply:os.system ['touch {canary}']"
    packs = tmp_path / "packs"
    if where == "pack.yaml":
        make_pack(packs, pack_yaml=f"pack: zq\nkind: market\nlanguages: [en]\nname: {payload}\n")
        res = check_with(packs)
        assert_exit2(res, f"{packs / 'zq' / 'pack.yaml'}:4:7", "python/object/apply")
    elif where == "rules.yaml":
        make_pack(packs, rules=f"rules:\n  - {payload}\n")
        res = check_with(packs)
        assert_exit2(res, f"{packs / 'zq' / 'rules.yaml'}:2:5")
    else:
        make_pack(packs)
        config = tmp_path / ".culture-lint.yaml"
        config.write_text(f"markets: [zq]\nmetadata: {{x: {payload}}}\n")
        doc = tmp_path / "doc.txt"
        doc.write_text("hi\n")
        res = run("check", doc, "--config", config, "--rules", CORE_PACKS, "--rules", packs, "--no-cache")
        assert_exit2(res, f"{config}:2:15")
    assert not canary.exists()
    bump("untrusted input", f"!!python tag in {where}", 1)


def test_python_tags_in_documents_and_meta_are_inert(tmp_path):
    canary = tmp_path / "PWNED"
    payload = f"!!python/object/apply:os.system ['touch {canary}']"
    show = tmp_path / "show.md"
    show.write_text(f"---\nmarket: {payload}\n---\nA miracle cure.\n")
    script = tmp_path / "show.yaml"
    script.write_text(f"show:\n  market: {payload}\nsegments:\n  - say: A miracle cure\n    at: {payload}\n")
    res = run("check", show, script, "-m", "rl", "--rules", CORE_PACKS, "--rules", REL_PACKS, "--no-config",
              "--no-cache", "--meta", f"brand={payload}", "--format", "json")
    assert res.code == 1 and res.no_traceback(), res.err
    rules = {f["rule"] for file in json.loads(res.out)["files"] for f in file["findings"]}
    assert "core.input.front-matter" in rules and "rl.health-claim.miracle" in rules
    assert not canary.exists()


@pytest.mark.parametrize("kind", ["bomb", "deep", "aliases", "recursive"])
@pytest.mark.parametrize("where", ["rules.yaml", "config", "front matter", "script"])
def test_yaml_bombs_are_refused_quickly(tmp_path, kind, where):
    body = {"bomb": BOMB, "deep": DEEP, "aliases": "a: &a x\nb: [" + ", ".join(["*a"] * 150) + "]\n",
            "recursive": "a: &a [1, *a]\n"}[kind]
    packs = tmp_path / "packs"
    start = time.monotonic()
    if where == "rules.yaml":
        make_pack(packs, rules="rules: []\n" + body)
        res = check_with(packs, timeout=30)
        assert_exit2(res, str(packs / "zq" / "rules.yaml") + ":")
    elif where == "config":
        make_pack(packs)
        config = tmp_path / "cfg.yaml"
        config.write_text("markets: [zq]\nmetadata:\n" + textwrap.indent(body, "  "))
        doc = tmp_path / "doc.txt"
        doc.write_text("hi\n")
        res = run("check", doc, "--config", config, "--rules", CORE_PACKS, "--rules", packs, "--no-cache",
                  timeout=30)
        assert_exit2(res, str(config) + ":")
    else:
        doc = tmp_path / ("show.md" if where == "front matter" else "show.yaml")
        if where == "front matter":
            doc.write_text("---\n" + body + "---\nA miracle cure.\n")
        else:
            doc.write_text(body + "segments:\n  - say: A miracle cure\n")
        res = run("check", doc, "-m", "rl", "--rules", CORE_PACKS, "--rules", REL_PACKS, "--no-config", "--no-cache",
                  "--format", "json", timeout=30)
        assert res.code in (0, 1) and res.no_traceback(), res.err  # a warning; the run goes on
        found = {f["rule"] for f in json.loads(res.out)["files"][0]["findings"]}
        assert found & {"core.input.front-matter", "core.input.structure"}, found
    seconds = time.monotonic() - start
    assert seconds < 20
    assert res.peak_rss_mb < 1024
    bump("untrusted input", "YAML bombs (alias, depth, recursion)", 1)
    if kind == "bomb":
        record("untrusted input", f"billion laughs in {where}", {
            "outcome": "refused (exit 2, file:line:col)" if where in ("rules.yaml", "config") else
            "reported as a finding; the rest of the file linted", "seconds": round(res.seconds, 2),
            "peak_rss_mb": round(res.peak_rss_mb)})


def test_control_characters_and_bad_encoding_in_pack(tmp_path):
    packs = tmp_path / "packs"
    make_pack(packs, rules="rules:\n  - id: zq.urgency.x\n    why: \"a\x01b\"\n")
    assert_exit2(check_with(packs), f"{packs / 'zq' / 'rules.yaml'}:3:12", "unacceptable character #x0001")
    (packs / "zq" / "rules.yaml").write_bytes(b"rules: [\xff\xfe]\n")
    assert_exit2(check_with(packs), "rules.yaml", "not UTF-8")
    (packs / "zq" / "rules.yaml").write_text("rules: []\n" + "# padding\n" * 250_000)  # 2.5 MB
    assert_exit2(check_with(packs), "rules.yaml", "too large")


# -- extends ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("graph", [{"zq": ["zq"]}, {"zq": ["zr"], "zr": ["zq"]},
                                   {"zq": ["zr"], "zr": ["zs"], "zs": ["zq"]}])
def test_extends_cycles_are_reported(tmp_path, graph):
    packs = tmp_path / "packs"
    for pid, parents in graph.items():
        make_pack(packs, pid, pack_yaml=PACK_YAML.format(pid=pid) + f"extends: [{', '.join(parents)}]\n")
    res = check_with(packs)
    assert_exit2(res, "'extends' cycle", "pack.yaml:1:1")
    bump("untrusted input", "extends cycles", 1)


def test_extends_names_are_pack_names_not_paths(tmp_path):
    packs = tmp_path / "packs"
    make_pack(packs, pack_yaml=PACK_YAML.format(pid="zq") + "extends: [../../../etc, /etc/passwd]\n")
    res = check_with(packs)
    assert_exit2(res, "extends unknown pack '../../../etc'")


# -- token patterns: no catastrophic regexes, no unbounded repeats ---------------------------------------

@pytest.mark.parametrize("pattern, message", [
    ('{tokens: [{TEXT: {REGEX: "(a+)+$"}}]}', "unbounded repeat"),
    ('{tokens: [{LOWER: {REGEX: "^(a|aa){1,40}$"}}]}', "repeats a group"),
    ('{tokens: [{TEXT: {REGEX: "(\\\\w)\\\\1"}}]}', "backreference"),
    ('{tokens: [{TEXT: {REGEX: "[a-z]{0,60}"}}]}', "more than 50"),
    ('{tokens: [{TEXT: {REGEX: "' + "a" * 250 + '"}}]}', "longer than 200"),
    ('{tokens: [{_: {foo: {REGEX: ".*.*.*x"}}}]}', "unbounded repeat"),
    ('{tokens: [{LOWER: buy}, {OP: "{0,99999999}"}, {LOWER: now}]}', "repeats more than 50"),
    ('"buy {0,99999999} now"', "repeats more than 50"),
])
def test_dangerous_patterns_are_refused_at_validation(tmp_path, pattern, message):
    packs = tmp_path / "packs"
    make_pack(packs, pattern=pattern)
    res = check_with(packs, timeout=30)
    assert_exit2(res, f"{packs / 'zq' / 'rules.yaml'}:9:12", message)
    assert res.seconds < 20
    bump("untrusted input", "dangerous token patterns", 1)


def test_safe_regex_and_bounded_repeats_run_in_linear_time(tmp_path):
    """A REGEX the validator accepts and an OP "+" (bounded to 16) stay fast on hostile text: one 1 MB token,
    and 200,000 words that all match the repeated token."""
    from culture_lint import lint_text, make_linter

    linter = make_linter(["rl"], rules_dirs=[CORE_PACKS, REL_PACKS], select=["rl"])
    start = time.monotonic()
    found = lint_text("use code " + "A" * 1_000_000 + "\n", filename="a.txt", linter=linter)
    found += lint_text("click " + "word " * 200_000 + "link\n", filename="b.txt", linter=linter)
    found += lint_text("click the blue link\n", filename="c.txt", linter=linter)
    seconds = time.monotonic() - start
    assert [f.rule for f in found] == ["rl.interaction.gap"]  # only the short click … link: "+" is at most 16
    assert seconds < 60
    record("untrusted input", "bounded token patterns on hostile text", {
        "input": "a 1 MB token against a REGEX; 200,000 words against OP \"+\"", "seconds": round(seconds, 2)})


# -- pack files: devices, FIFOs, links out of the pack -----------------------------------------------------

@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "outside", "huge-link"])
def test_pack_files_that_are_not_plain_files_in_the_pack(tmp_path, kind):
    packs = tmp_path / "packs"
    folder = make_pack(packs)
    target = folder / "extra.yaml"
    if kind == "dev-zero":
        target.symlink_to("/dev/zero")
        message = "not a regular file"
    elif kind == "fifo":
        os.mkfifo(target)
        message = "not a regular file"
    elif kind == "outside":
        secret = tmp_path / "secret.yaml"
        secret.write_text("SECRET_TOKEN_4242: hunter2\n")
        target.symlink_to(secret)
        message = "outside its pack folder"
    else:
        huge = tmp_path / "huge.yaml"
        with open(huge, "wb") as fh:
            fh.truncate(3 << 30)  # sparse 3 GB
        target.symlink_to(huge)
        message = "outside its pack folder"
    res = check_with(packs, timeout=30)
    assert_exit2(res, str(target), message)
    assert "SECRET_TOKEN_4242" not in res.err + res.out and "hunter2" not in res.err + res.out
    assert res.seconds < 20 and res.peak_rss_mb < 1024
    bump("untrusted input", "pack files that are devices, FIFOs or links out", 1)


def test_directory_walk_handles_loops_and_stays_inside(tmp_path):
    root = tmp_path / "scripts"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "show.txt").write_text("A miracle cure.\n")
    (root / "a" / "b" / "loop").symlink_to("../..")  # loop
    (root / "a" / "self").symlink_to(".")  # loop
    (root / "alias").symlink_to("a")  # the same folder twice
    (root / "a" / "escape").symlink_to("/")  # a link out of the folder: not followed
    outside = tmp_path / "outside.txt"
    outside.write_text("A miracle cure outside.\n")
    (root / "a" / "out.txt").symlink_to(outside)
    res = run("check", root, "-m", "rl", "--rules", CORE_PACKS, "--rules", REL_PACKS, "--no-config", "--no-cache",
              "--format", "json", timeout=60)
    assert res.code == 1, res.err
    paths = [f["path"] for f in json.loads(res.out)["files"]]
    assert len(paths) == 1 and paths[0].endswith("show.txt"), paths
    assert res.seconds < 30
    # an explicitly named file is always linted, links included
    res = run("check", root / "a" / "out.txt", "-m", "rl", "--rules", CORE_PACKS, "--rules", REL_PACKS,
              "--no-config", "--no-cache", "--format", "json")
    assert res.code == 1 and "rl.health-claim.miracle" in res.out


# -- fuzzed packs and configs: only exit 0/1/2, never a traceback ----------------------------------------

PACK_FRAGMENTS = ["rules:\n", "  - id: zq.urgency.x\n", "    category: urgency\n", "    category: nope\n",
                  "    severity: warning\n", "    kind: forbid\n", "    kind: limit\n", "    kind: require\n",
                  "    message: {en: x, zh: y}\n", "    why: x\n", "    patterns:\n", "      en: [hurry up]\n",
                  "      en: [{tokens: [{LOWER: x, OP: '+'}]}]\n", "      en: [{tokens: [{TEXT: {REGEX: '(a*)*'}}]}]\n",
                  "      zz-Q: [x]\n", "    tests: {flag: [hurry up], pass: [x]}\n", "    max: -1\n", "    per: {minutes: 0}\n",
                  "    scope: {window: 1e999}\n", "    trigger: {patterns: {en: [x]}}\n", "    required: {patterns: x}\n",
                  "    when: {metadata: {market: [zq]}, near_days: 1e9}\n", "    fix: {insert: {en: x}, at: nowhere}\n",
                  "    suggestions: [{en: x, safe: maybe}]\n", "&a ", "*a", "? ", ": ", "- ", "[", "]", "{", "}",
                  "!!binary x\n", "!!set {a, b}\n", "!!omap [a: 1]\n", "!!timestamp 2024-99-99\n", "\t", "\x85",
                  "'", '"', "\\", "%TAG ! tag:x\n", "--- ", "...\n"]


@settings(max_examples=scale(40), deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(st.sampled_from(PACK_FRAGMENTS), st.text(max_size=6)), max_size=25).map("".join),
       st.sampled_from(["rules", "pack"]))
def test_fuzzed_rule_packs_fail_cleanly(tmp_path_factory, text, which):
    from culture_lint.errors import PackError
    from culture_lint.packs.loader import load_pack

    folder = make_pack(tmp_path_factory.mktemp("fz"))
    if which == "rules":
        (folder / "rules.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    else:
        (folder / "pack.yaml").write_text(PACK_YAML.format(pid="zq") + text, encoding="utf-8",
                                          errors="surrogatepass")
    try:
        load_pack(folder)
    except PackError as exc:
        for problem in getattr(exc, "errors", None) or [exc]:
            assert problem.path and str(problem)  # every problem says where
    bump("untrusted input", "fuzzed rule packs", 1)


CONFIG_FRAGMENTS = ["markets: [rl]\n", "markets: rl\n", "markets: [1, {a: b}, null]\n", "select: [rl]\n",
                    "select: {a: b}\n", "ignore: 5\n", "severity: {rl: error}\n", "severity: {rl: [x]}\n",
                    "severity: [x]\n", "rules: [../nowhere]\n", "rules: [1]\n", "include: ['*.txt']\n",
                    "include: [[x]]\n", "exclude: [null]\n", "fail_on: maybe\n", "fail_under: 1e999\n",
                    "fail_under: .nan\n", "min_severity: 3\n", "lang: xx\n", "format: bogus\n", "encoding: rot13\n",
                    "encoding: [x]\n", "metadata: {date: 2024-02-30}\n", "metadata: {sponsored: maybe}\n",
                    "metadata: [x]\n", "interaction: {a: b}\n", "max_file_size: 0\n", "max_file_size: 1KB\n",
                    "max-file-size: [1]\n", "unknown_key: 1\n", "{", "[", "&a ", "*a", "? ", "- ", "\t", "'", '"']


@settings(max_examples=scale(40), deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(CONFIG_FRAGMENTS), max_size=8).map("".join))
def test_fuzzed_configs_fail_cleanly(tmp_path_factory, text):
    """Any config gives exit 0, 1 or 2 in-process; an escaping exception (a traceback) fails the test."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from conftest import cli

    folder = tmp_path_factory.mktemp("cfg")
    config = folder / "c.yaml"
    config.write_text(text)
    doc = folder / "doc.txt"
    doc.write_text("A miracle cure, hurry up.\n")
    code, out, err = cli("check", doc, "--config", config, "--rules", CORE_PACKS, "--rules", REL_PACKS,
                         "--no-cache", "-m", "rl")
    assert code in (0, 1, 2), (code, err)
    if code == 2:
        assert err.strip() and "Traceback" not in err
    bump("untrusted input", "fuzzed configs", 1)
