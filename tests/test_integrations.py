"""CI integrations: report formats for CI dashboards, --changed-since, the results and pack caches,
the GitHub Action's script logic and the pre-commit hook (run with the real pre-commit tool).

All of them lint with the test pack ``tests/packs/ci`` (market ``ci``, and a ``global`` that replaces the
bundled one), so they do not change when the bundled packs do.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, clean_env, cli, write

PACKS_CI = Path(__file__).resolve().parent / "packs" / "ci"
BAD = "Hi all!\nThis is a miracle cure.\nLast chance, 包治百病!\n"
GOOD = "Welcome back, Sam. Today we look at the spring collection.\n"


def ci_check(*args: str, **kw):
    return cli("check", "--rules", PACKS_CI, "-m", "ci", "--no-config", *args, **kw)


@pytest.fixture(autouse=True)
def _private_caches(tmp_path_factory, monkeypatch):
    """Compiled packs and results go to a folder of this test, never to the user's cache."""
    monkeypatch.setenv("CULTURE_LINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("CULTURE_LINT_NO_CACHE", raising=False)


def git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org", GIT_AUTHOR_DATE="2000-01-01T00:00:00Z",
               GIT_COMMITTER_DATE="2000-01-01T00:00:00Z")
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)
    proc = subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                          cwd=cwd, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


# -- report formats --------------------------------------------------------------------------------------

def test_concise_is_one_line_per_finding(tmp_path):
    write(tmp_path / "bad.txt", BAD)
    write(tmp_path / "good.txt", GOOD)
    code, out, _ = ci_check(tmp_path / "bad.txt", tmp_path / "good.txt", "-f", "concise")
    assert code == 1
    bad = str(tmp_path / "bad.txt")
    assert out.splitlines() == [
        f"{bad}:1:1: info ci.interaction.say-hello [ci] “Hi all”: greet viewers by name where you can.",
        f"{bad}:2:11: error ci.health-claim.miracle-cure [ci] “miracle cure” promises a cure.",
        f"{bad}:3:1: warning ci.urgency.last-chance [ci] “Last chance” pressures viewers.",
        f"{bad}:3:14: error ci.health-claim.miracle-cure [ci] “包治百病” promises a cure.",
    ]
    code, out, _ = ci_check(tmp_path / "good.txt", "-f", "concise")
    assert (code, out) == (0, "")


def test_junit_has_a_testsuite_per_file(tmp_path):
    write(tmp_path / "bad.txt", BAD)
    write(tmp_path / "good.txt", GOOD)
    write(tmp_path / "blob.txt", b"\x00\x01\x02binary\x00" * 20)
    code, out, _ = ci_check(tmp_path / "bad.txt", tmp_path / "good.txt", tmp_path / "blob.txt", "-f", "junit")
    assert code == 1
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("6", "4", "1")
    suites = {Path(s.get("name")).name: s for s in root.findall("testsuite")}
    assert set(suites) == {"bad.txt", "good.txt", "blob.txt"}
    bad = suites["bad.txt"]
    assert (bad.get("tests"), bad.get("failures")) == ("4", "4")
    failures = [c.find("failure") for c in bad.findall("testcase")]
    assert [f.get("type") for f in failures] == ["info", "error", "warning", "error"]
    assert "ci.health-claim.miracle-cure [ci] 2:11" in [c.get("name") for c in bad.findall("testcase")]
    assert "suggestion: a daily routine" in failures[1].text
    good = suites["good.txt"].findall("testcase")
    assert len(good) == 1 and good[0].find("failure") is None
    assert suites["blob.txt"].find("testcase/skipped") is not None


def test_gitlab_code_quality(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "scripts" / "bad.txt", BAD)
    code, out, _ = ci_check("scripts", "-f", "gitlab")
    assert code == 1
    issues = json.loads(out)
    assert [(i["check_name"], i["severity"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("ci.interaction.say-hello", "info", 1),
        ("ci.health-claim.miracle-cure", "critical", 2),
        ("ci.urgency.last-chance", "major", 3),
        ("ci.health-claim.miracle-cure", "critical", 3),
    ]
    for issue in issues:
        assert issue["location"]["path"] == "scripts/bad.txt"
        assert issue["description"] and issue["type"] == "issue"
        assert len(issue["fingerprint"]) == 32
    assert len({i["fingerprint"] for i in issues}) == 4
    # moving the text down keeps the fingerprints (merge-request widgets track issues by them)
    write(tmp_path / "scripts" / "bad.txt", "\n\n" + BAD)
    moved = json.loads(ci_check("scripts", "-f", "gitlab")[1])
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in issues]
    assert moved[0]["location"]["lines"]["begin"] == 3


def test_new_formats_are_listed(tmp_path):
    code, _, err = ci_check(tmp_path, "-f", "junitt")
    assert code == 2 and "junit" in err


# -- --changed-since --------------------------------------------------------------------------------------

@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository with a commit on main, then a branch with committed, staged, unstaged and new files."""
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q")
    write(r / "old-bad.txt", BAD)           # bad, but unchanged on the branch
    write(r / "scripts" / "edit.md", GOOD)
    write(r / "scripts" / "gone.txt", BAD)
    write(r / "scripts" / "stage.txt", GOOD)
    write(r / ".gitignore", "ignored/\n")
    git(r, "add", "-A")
    git(r, "commit", "-qm", "main")
    git(r, "checkout", "-qb", "feature")
    write(r / "scripts" / "committed.srt", "1\n00:00:01,000 --> 00:00:03,000\nA miracle cure!\n")
    git(r, "add", "-A")
    git(r, "commit", "-qm", "feature work")
    write(r / "scripts" / "edit.md", GOOD + "\nLast chance!\n")    # unstaged change
    write(r / "scripts" / "stage.txt", "This is a miracle cure.\n")  # staged change
    git(r, "add", "scripts/stage.txt")
    write(r / "scripts" / "new.txt", BAD)                          # untracked
    write(r / "scripts" / "notes.py", "print('miracle cure')\n")    # changed, but not a script type
    write(r / "ignored" / "x.txt", BAD)                            # ignored by git
    (r / "scripts" / "gone.txt").unlink()                          # deleted
    monkeypatch.chdir(r)
    return r


def linted(out: str) -> set[str]:
    return {f["path"] for f in json.loads(out)["files"]}


def test_changed_since_lints_only_changed_files(repo):
    code, out, err = ci_check(".", "--changed-since", "main", "-f", "json")
    assert code == 1, err
    assert linted(out) == {"./scripts/committed.srt", "./scripts/edit.md", "./scripts/stage.txt",
                           "./scripts/new.txt"}
    # explicit files count only when they changed; folder arguments narrow the set
    code, out, _ = ci_check("old-bad.txt", "scripts/new.txt", "--changed-since", "main", "-f", "json")
    assert linted(out) == {"scripts/new.txt"}
    code, out, _ = ci_check("scripts", "--changed-since", "main", "--exclude", "new.txt", "-f", "json")
    assert linted(out) == {"scripts/committed.srt", "scripts/edit.md", "scripts/stage.txt"}


def test_changed_since_is_the_merge_base(repo):
    # main moves on after the branch point: its new files are not the branch's changes
    git(repo, "stash", "-u", "-q")
    git(repo, "checkout", "-q", "main")
    write(repo / "main-only.txt", BAD)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "main moves on")
    git(repo, "checkout", "-q", "feature")
    code, out, _ = ci_check(".", "--changed-since", "main", "-f", "json")
    assert linted(out) == {"./scripts/committed.srt"}
    code, out, _ = ci_check(".", "--changed-since", "HEAD", "-f", "json")
    assert (code, linted(out)) == (0, set())


def test_changed_since_errors(repo, tmp_path, monkeypatch):
    code, _, err = ci_check(".", "--changed-since", "no-such-branch")
    assert code == 2 and "unknown git ref 'no-such-branch'" in err
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(outside)
    code, _, err = ci_check(".", "--changed-since", "main")
    assert code == 2 and "git repository" in err


# -- caches -----------------------------------------------------------------------------------------------

def test_results_cache_skips_unchanged_files(tmp_path, monkeypatch):
    from culture_lint.engine import Linter

    monkeypatch.delenv("CULTURE_LINT_CACHE_DIR")
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.txt", BAD)
    write(tmp_path / "b.srt", "1\n00:00:01,000 --> 00:00:03,000\nLast chance, 包治百病!\n")
    write(tmp_path / "c.md", GOOD)
    linted_docs: list[str] = []
    real_lint = Linter.lint

    def counting(self, doc):
        linted_docs.append(Path(doc.path).name)
        return real_lint(self, doc)

    monkeypatch.setattr(Linter, "lint", counting)
    runs = {}
    for fmt in ("text", "json", "sarif", "junit", "html"):
        runs[fmt] = ci_check(".", "-f", fmt, "--no-cache")
    runs["scores"] = ci_check(".", "-f", "json", "--no-cache", "--fail-under", "99")
    assert not (tmp_path / ".culture-lint-cache").exists()
    linted_docs.clear()
    first = ci_check(".", "-f", "json")
    assert sorted(linted_docs) == ["a.txt", "b.srt", "c.md"]
    assert (tmp_path / ".culture-lint-cache" / "CACHEDIR.TAG").is_file()
    assert (tmp_path / ".culture-lint-cache" / ".gitignore").read_text().strip().endswith("*")
    linted_docs.clear()
    for fmt, fresh in runs.items():  # every format reads the same from the cache, scores too
        if fmt == "scores":
            assert ci_check(".", "-f", "json", "--fail-under", "99") == fresh
        else:
            assert ci_check(".", "-f", fmt) == fresh, fmt
    assert first == runs["json"]
    assert linted_docs == []
    write(tmp_path / "c.md", GOOD + "\nA miracle cure.\n")  # a changed file is linted again
    ci_check(".", "-f", "json")
    assert linted_docs == ["c.md"]
    linted_docs.clear()
    ci_check(".", "-f", "json", "--select", "health-claim")  # other options: another cache
    ci_check(".", "-f", "json", "--meta", "platform=tiktok")
    assert sorted(linted_docs) == ["a.txt", "a.txt", "b.srt", "b.srt", "c.md", "c.md"]


def test_jobs_give_the_same_reports(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for i in range(6):
        write(tmp_path / f"s{i}.txt", BAD if i % 2 else GOOD)
    write(tmp_path / "t.srt", "1\n00:00:01,000 --> 00:00:03,000\nLast chance, 包治百病!\n")
    for fmt in ("text", "json", "html"):
        one = ci_check(".", "-f", fmt, "--no-cache")
        assert ci_check(".", "-f", fmt, "--no-cache", "--jobs", "2") == one, fmt
        assert ci_check(".", "-f", fmt, "--jobs", "2") == one, fmt  # filling the cache from workers
        assert ci_check(".", "-f", fmt) == one, fmt


def test_results_cache_follows_pack_changes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    packs = tmp_path / "packs"
    shutil.copytree(PACKS_CI, packs)
    write(tmp_path / "a.txt", "Totally new wording here.\n")
    args = ("check", "a.txt", "--rules", packs, "-m", "ci", "--no-config", "-f", "concise")
    assert cli(*args) == (0, "", "")
    rules = packs / "ci" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace('["hi all"]', '["hi all", "totally new"]'),
                     encoding="utf-8")
    code, out, _ = cli(*args)
    assert code == 0 and "a.txt:1:1: info ci.interaction.say-hello [ci]" in out


def test_compiled_packs_are_cached_and_rebuilt(tmp_path, monkeypatch):
    from culture_lint.packs import loader
    from culture_lint.packs.registry import Registry

    cache = tmp_path / "cache"
    monkeypatch.setenv("CULTURE_LINT_CACHE_DIR", str(cache))
    packs = tmp_path / "packs"
    shutil.copytree(PACKS_CI, packs)
    calls = []
    real = loader.load_pack
    monkeypatch.setattr(loader, "load_pack", lambda folder, *a: calls.append(folder.name) or real(folder, *a))
    assert len(Registry([packs]).pack("ci").rules) == 3
    assert calls == ["ci"] and len(list((cache / "packs").glob("ci-*.pickle"))) == 1
    assert len(Registry([packs]).pack("ci").rules) == 3
    assert calls == ["ci"]  # the second registry read the compiled pack
    rules = packs / "ci" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("id: ci.interaction.say-hello",
                                                               "id: ci.interaction.say-hello-again"),
                     encoding="utf-8")
    assert "ci.interaction.say-hello-again" in [r.id for r in Registry([packs]).pack("ci").rules]
    assert calls == ["ci", "ci"]
    # a broken pack is reported every time, never cached
    rules.write_text("rules: [{id: ci.bad}]\n", encoding="utf-8")
    for _ in range(2):
        code, _, err = cli("check", tmp_path, "--rules", packs, "-m", "ci", "--no-config")
        assert code == 2 and "rules.yaml" in err


def test_fast_vocab_equals_spacy_blank():
    """The matcher's vocab is built without spaCy's tokenizer exceptions: same lexical attributes."""
    probe = r"""
import json, sys
from culture_lint.match.compiler import _blank_vocab
words = "the The dix deux vingt-trois 3,5 $ € , . ! http://x.com a@b.co satu dua tiga seratus ( ) ' le".split()
out = {}
for lang in sys.argv[2:]:
    if sys.argv[1] == "fast":
        v = _blank_vocab(lang)
    else:
        import spacy
        v = spacy.blank(lang).vocab
    out[lang] = [[w, v[w].like_num, v[w].is_stop, v[w].norm_, v[w].is_punct, v[w].shape_, v[w].like_url,
                  v[w].like_email, v[w].is_currency, v[w].lang_] for w in words]
    out[lang].append(sorted(int(k) for k in v.lex_attr_getters))
    out[lang].append(v.writing_system)
if sys.argv[1] == "fast":  # a later real import still gets the real tokenizer
    import spacy
    out["tokens"] = [t.text for t in spacy.blank("fr")("aujourd'hui")]
else:
    import spacy
    out["tokens"] = [t.text for t in spacy.blank("fr")("aujourd'hui")]
print(json.dumps(out))
"""
    langs = ["en", "fr", "ar", "xx"]
    procs = [subprocess.Popen([sys.executable, "-c", probe, mode, *langs], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for mode in ("fast", "real")]
    res = [(p.communicate(timeout=300), p.returncode) for p in procs]
    assert all(code == 0 for _, code in res), [err[-2000:] for (_, err), _ in res]
    assert json.loads(res[0][0][0]) == json.loads(res[1][0][0])


# -- the GitHub Action -----------------------------------------------------------------------------------

def test_action_yml_runs_the_ci_module():
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "python -m culture_lint.ci" in runs and "$GITHUB_ACTION_PATH" in runs
    upload = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    assert upload and "always()" in upload[0]["if"]
    assert steps.index(upload[0]) < len(steps) - 1 and "exit" in steps[-1]["run"]
    lint = next(s for s in steps if s.get("id") == "lint")
    assert "${{" not in lint["run"]  # inputs reach the script through the environment, not the shell
    for name in ("markets", "paths", "base-ref", "fail-on", "args", "sarif-file"):
        assert name in action["inputs"]
        assert f"INPUT_{name.upper().replace('-', '_')}" in lint["env"]


def run_action(repo: Path, tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess, dict, str]:
    out_file, summary = tmp_path / "gh-output", tmp_path / "gh-summary"
    out_file.write_text("")
    inputs = {"INPUT_MARKETS": "ci", "INPUT_ARGS": f"--rules {PACKS_CI} --no-config", **env}
    full = clean_env(GITHUB_ACTIONS="true", GITHUB_OUTPUT=str(out_file), GITHUB_STEP_SUMMARY=str(summary), **inputs)
    proc = subprocess.run([sys.executable, "-m", "culture_lint.ci", "--no-fail"], cwd=repo, env=full,
                          capture_output=True, text=True, timeout=300)
    outputs = dict(line.split("=", 1) for line in out_file.read_text().splitlines() if "=" in line)
    return proc, outputs, summary.read_text() if summary.exists() else ""


def test_action_lints_the_pull_request_changes(repo, tmp_path):
    proc, outputs, summary = run_action(repo, tmp_path, GITHUB_EVENT_NAME="pull_request", GITHUB_BASE_REF="main")
    assert proc.returncode == 0, proc.stderr
    assert outputs["exit-code"] == "1"
    assert (outputs["errors"], outputs["warnings"]) == ("4", "2")
    sarif = json.loads((repo / outputs["sarif-file"]).read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"scripts/committed.srt", "scripts/edit.md", "scripts/stage.txt", "scripts/new.txt"}
    assert "old-bad.txt" not in proc.stdout  # unchanged in the pull request
    assert ("::error file=scripts/new.txt,line=2,col=11,endLine=2,endColumn=23,"
            "title=ci.health-claim.miracle-cure [ci]::“miracle cure” promises a cure.") in proc.stdout.splitlines()
    assert "::notice file=scripts/new.txt,line=1,col=1" in proc.stdout
    assert "files changed since `main`" in summary and "| `scripts/new.txt:2:11` | error |" in summary


def test_action_on_a_clean_pull_request_and_on_errors(repo, tmp_path):
    git(repo, "stash", "-u", "-q")
    git(repo, "reset", "-q", "--hard", "main")
    write(repo / "scripts" / "fine.txt", GOOD)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "clean")
    proc, outputs, summary = run_action(repo, tmp_path, GITHUB_EVENT_NAME="pull_request", GITHUB_BASE_REF="main")
    assert proc.returncode == 0 and outputs["exit-code"] == "0", proc.stderr
    sarif = json.loads((repo / "culture-lint.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []
    assert "0 error(s)" in summary
    # every file when asked (old-bad.txt has errors); warnings gate with fail-on warning
    proc, outputs, _ = run_action(repo, tmp_path, INPUT_BASE_REF="none", INPUT_FAIL_ON="warning")
    assert outputs["exit-code"] == "1" and "old-bad.txt" in proc.stdout
    # a run that cannot be done still leaves a SARIF file for the upload step, and says why
    proc, outputs, summary = run_action(repo, tmp_path, INPUT_BASE_REF="none", INPUT_MARKETS="nowhere")
    assert outputs["exit-code"] == "2" and "unknown market 'nowhere'" in proc.stderr
    assert json.loads((repo / "culture-lint.sarif").read_text())["runs"][0]["results"] == []
    # without --no-fail the module exits with culture-lint's code
    full = clean_env(INPUT_MARKETS="ci", INPUT_BASE_REF="none", INPUT_ARGS=f"--rules {PACKS_CI} --no-config")
    proc = subprocess.run([sys.executable, "-m", "culture_lint.ci"], cwd=repo, env=full, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 1


def test_action_on_push_uses_the_commit_before(repo, tmp_path):
    before = git(repo, "rev-parse", "main").strip()
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"before": before}))
    proc, outputs, _ = run_action(repo, tmp_path, GITHUB_EVENT_NAME="push", GITHUB_EVENT_PATH=str(event))
    assert "files changed since" in proc.stdout and "old-bad.txt" not in proc.stdout
    assert outputs["exit-code"] == "1"


# -- pre-commit ------------------------------------------------------------------------------------------

def snapshot(dest: Path) -> tuple[Path, str]:
    """This working tree (tracked and untracked, not ignored) as a one-commit repository for pre-commit.

    pre-commit installs hooks from a git revision; the snapshot makes uncommitted work testable too.
    Fixed author and dates: the same tree gives the same revision.
    """
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode("utf-8", "surrogateescape").split("\0")
    dest.mkdir(parents=True)
    git(dest, "init", "-q")
    for name in files:
        src = ROOT / name
        if name and src.is_file() and not name.startswith(("tests/", "bench/", "docs/", "examples/")):
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    git(dest, "add", "-A")
    git(dest, "commit", "-qm", "snapshot")
    return dest, git(dest, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pytest.importorskip("pre_commit")
    return snapshot(tmp_path_factory.mktemp("hook") / "culture-lint")


def project(tmp_path: Path) -> Path:
    """A git project whose config picks the test market and pack, as a team would set it up."""
    proj = tmp_path / "shows"
    proj.mkdir()
    git(proj, "init", "-q")
    write(proj / ".culture-lint.yaml", f"markets: [ci]\nrules: [{json.dumps(str(PACKS_CI))}]\n")
    write(proj / "bad.txt", BAD)
    write(proj / "good.md", GOOD)
    write(proj / "tool.py", "# miracle cure\n")  # not a script: the hook does not look at it
    git(proj, "add", "-A")
    return proj


def pre_commit(proj: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = clean_env(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", SKIP="")
    env.pop("CULTURE_LINT_CACHE_DIR", None)
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=proj, env=env, capture_output=True,
                          text=True, timeout=900)


@pytest.mark.integration
def test_pre_commit_try_repo_blocks_a_bad_script(hook_repo, tmp_path):
    """`pre-commit try-repo` installs the hook from the repository, as a user trying it would."""
    repo, _rev = hook_repo
    proj = project(tmp_path)
    proc = pre_commit(proj, tmp_path / "home", "try-repo", str(repo), "culture-lint", "--files", "bad.txt",
                      "tool.py")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "culture-lint" in out and "Failed" in out and "exit code: 1" in out
    assert "bad.txt:2:11: error ci.health-claim.miracle-cure [ci]" in out
    assert "tool.py" not in out.split("Using config:")[-1].split("=" * 79)[-1]


@pytest.mark.integration
def test_pre_commit_hook_in_a_project(hook_repo, tmp_path):
    """The hook from a project's .pre-commit-config.yaml: good scripts pass, bad ones block the commit."""
    repo, rev = hook_repo
    proj = project(tmp_path)
    write(proj / ".pre-commit-config.yaml",
          f"repos:\n  - repo: {json.dumps(str(repo))}\n    rev: {rev}\n    hooks:\n      - id: culture-lint\n")
    home = tmp_path / "home"
    proc = pre_commit(proj, home, "run", "--files", "good.md", "tool.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout
    proc = pre_commit(proj, home, "run", "--files", "bad.txt", "good.md")
    assert proc.returncode == 1 and "bad.txt:3:14: error ci.health-claim.miracle-cure [ci]" in proc.stdout
    # installed as the git hook, it stops the commit
    assert pre_commit(proj, home, "install").returncode == 0
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    env.pop("CULTURE_LINT_CACHE_DIR", None)
    commit = subprocess.run(["git", "commit", "-qm", "show"], cwd=proj, env=env, capture_output=True, text=True,
                            timeout=600)
    assert commit.returncode != 0 and "miracle cure" in commit.stdout + commit.stderr
    subprocess.run(["git", "rm", "-q", "--cached", "bad.txt"], cwd=proj, check=True)
    commit = subprocess.run(["git", "commit", "-qm", "show"], cwd=proj, env=env, capture_output=True, text=True,
                            timeout=600)
    assert commit.returncode == 0, commit.stdout + commit.stderr
