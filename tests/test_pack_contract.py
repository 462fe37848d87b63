"""The rule-pack contract: message placeholders checked per kind, previews without raw braces, and fixtures
that assert position (``at``), message and fixed text."""

from __future__ import annotations

from pathlib import Path

import pytest

from culture_lint.errors import PackErrors
from culture_lint.kinds import KINDS
from culture_lint.packs.fixtures_runner import pack_ids_in, run_cases
from culture_lint.packs.loader import load_pack
from culture_lint.packs.messages import message_problems, preview_message
from culture_lint.packs.registry import Registry

TESTS = Path(__file__).resolve().parent
PACKS = TESTS / "packs" / "core"

RULE = """\
rules:
  - id: qq.urgency.hurry
    category: urgency
    severity: warning
    kind: {kind}
{extra}    message: {{en: "{message}", zh: "{message}"}}
    why: {{en: "Pressure selling.", zh: "施压销售。"}}
    suggestions:
      - {{en: "today", safe: true}}
    tests:
      flag:
{flag}
      pass:
        - "See you later."
"""


def make_pack(root: Path, message: str = "“{text}” rushes viewers.", kind: str = "forbid",
              extra: str = "    patterns: {en: [hurry up now]}\n",
              flag: str = '        - "Hurry up now, friends!"') -> Path:
    folder = root / "qq"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text("pack: qq\nkind: market\nlanguages: [en]\n", encoding="utf-8")
    (folder / "rules.yaml").write_text(RULE.format(kind=kind, extra=extra, message=message, flag=flag),
                                       encoding="utf-8")
    return folder


def errors_of(folder: Path) -> list[str]:
    with pytest.raises(PackErrors) as info:
        load_pack(folder)
    return [str(e) for e in info.value.errors]


# --- placeholders -----------------------------------------------------------------------------------------

def test_a_placeholder_typo_is_an_error_with_did_you_mean_and_place(tmp_path):
    folder = make_pack(tmp_path, kind="cadence", message="No hook in the first {minuts} minutes",
                       extra="    check: hook\n    patterns: {en: [welcome]}\n")
    errors = errors_of(folder)
    assert any("rules.yaml:8:19:" in e and "'{minuts}'" in e and "did you mean '{minutes}'" in e for e in errors), errors


def test_placeholders_depend_on_the_kind(tmp_path):
    # {count} is a limit rule's, not a forbid rule's
    errors = errors_of(make_pack(tmp_path, message="{text} said {count} times"))
    assert any("'{count}'" in e for e in errors), errors
    assert "count" in KINDS["limit"].placeholders(None)  # type: ignore[arg-type]


def test_braces_in_messages():
    allowed = KINDS["forbid"].placeholders(None)  # type: ignore[arg-type]
    assert message_problems("{{literal}} braces and {text}", allowed) == []
    assert message_problems("an {unclosed brace", allowed)
    assert message_problems("positional {}", allowed)
    assert message_problems("{text!r:>10}", allowed) == []


def test_every_kind_declares_keys_and_placeholders():
    assert sorted(KINDS) == sorted(["forbid", "require", "limit", "cadence", "calendar", "localization"])
    for name, kind in KINDS.items():
        assert kind.name == name and kind.summary and kind.__doc__
        assert kind.keys, name


def test_rules_show_preview_never_shows_a_raw_placeholder():
    reg = Registry()
    rules = [r for pid in reg.pack_ids for r in reg.pack(pid).rules]
    kinds = set()
    for rule in rules:
        if rule.kind in kinds:
            continue
        kinds.add(rule.kind)
        preview = preview_message(rule)
        assert "{" not in preview and "}" not in preview, (rule.id, preview)
    assert {"forbid", "localization", "calendar", "cadence"} <= kinds
    problem_rule = next(r for r in rules if r.kind == "localization")
    assert preview_message(problem_rule, "en").startswith("‹")


# --- fixtures asserting position, message and fixed text ---------------------------------------------------

def _run(folder: Path):
    reg = Registry([folder.parent], bundled=False)
    reg.load_all()
    return [r for r in run_cases(reg, pack_ids_in([folder.parent])) if r.expect == "flag"]


def test_fixture_assertions_that_hold_pass(tmp_path):
    flag = ('        - text: "Please hurry up now, friends!"\n'
            '          at: "1:8"\n'
            '          message: "rushes viewers"\n'
            '          fixed: "Please today, friends!"\n'
            '        - {text: "x\\nhurry up now", at: [2, 1], count: 1}')
    results = _run(make_pack(tmp_path, flag=flag))
    assert [r.ok for r in results] == [True, True], [r.describe() for r in results]


@pytest.mark.parametrize("assertion, expected", [
    ('at: "1:9"', "expected a finding at 1:9, found at 1:8"),
    ('message: "hurries"', "no message contains 'hurries'"),
    ('fixed: "Please hurry, friends!"', "expected the fixed text 'Please hurry, friends!'"),
    ("count: 2", "expected 2 finding(s)"),
])
def test_fixture_assertions_that_fail_say_why(tmp_path, assertion, expected):
    flag = f'        - text: "Please hurry up now, friends!"\n          {assertion}'
    (result,) = _run(make_pack(tmp_path, flag=flag))
    assert not result.ok
    assert expected in result.describe()


def test_at_must_be_quoted_and_only_on_flag_cases(tmp_path):
    errors = errors_of(make_pack(tmp_path, flag='        - {text: "Hurry up now", at: 1:5}'))
    assert any("'at' must be \"line:column\" in quotes" in e for e in errors), errors
    folder = make_pack(tmp_path / "b")
    text = (folder / "rules.yaml").read_text(encoding="utf-8").replace(
        '- "See you later."', '- {text: "See you later.", message: "x"}')
    (folder / "rules.yaml").write_text(text, encoding="utf-8")
    assert any("'message' is for flag cases" in e for e in errors_of(folder))


def test_bundled_fixtures_use_the_assertions():
    reg = Registry()
    cases = [c for pid in reg.pack_ids for r in reg.pack(pid).rules for c in r.tests.get("flag", [])]
    for key in ("at", "message", "fixed"):
        assert any(key in c for c in cases), key


# --- docs generated from the kinds ------------------------------------------------------------------------

def test_rule_pack_docs_list_every_kind_as_generated():
    from culture_lint.kinds.doc import update

    page = TESTS.parent / "docs" / "rule-packs.md"
    text = page.read_text(encoding="utf-8")
    assert update(text) == text, "docs/rule-packs.md is stale: run python scripts/rule_pack_docs.py"
    for name in KINDS:
        assert f"| `{name}` |" in text
