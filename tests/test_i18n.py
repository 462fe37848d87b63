"""Interface translations: the zh_CN catalog is complete and current, and the CLI picks the language
from --lang, then the environment, falling back to English without an error."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from culture_lint import i18n

ROOT = Path(__file__).resolve().parent.parent

# Chinese and English texts of the root help (the app's own help text)
ZH_ROOT = "按目标市场检查直播脚本和商品文案。"
EN_ROOT = "Lint livestream scripts and product copy for the markets they go to."
ZH_CHECK = "针对一个或多个市场检查文件。"
EN_CHECK = "Lint files for one or more markets."
LANG_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def _load_script():
    """scripts/i18n.py, the same module `make i18n-check` runs."""
    name = "culture_lint_i18n_script"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script():
    return _load_script()


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in LANG_VARS}
    base.update({"COLUMNS": "200", "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"})
    base.update(env or {})
    return subprocess.run([sys.executable, "-m", "culture_lint", *args], capture_output=True,
                          text=True, encoding="utf-8", env=base, cwd=ROOT, timeout=60)


# --------------------------------------------------------------------------------------------
# the catalog


def test_catalog_complete_and_current(script):
    problems = script.check(script.Paths(ROOT))
    assert not problems, ("interface translations are incomplete or stale; run `make i18n`, "
                          "translate the new msgids in locales/zh_CN/LC_MESSAGES/culture_lint.po, "
                          "then `make i18n` again:\n" + "\n".join(problems))


def test_no_untranslatable_calls(script):
    """_(f"...{x}") or _(variable) can never reach the catalog."""
    assert script.nonliteral_calls(script.Paths(ROOT)) == []


def test_extraction_finds_calls_inside_fstrings(script, tmp_path):
    (tmp_path / "babel.cfg").write_text("[python: pkg/**.py]\n", encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(textwrap.dedent('''\
        from i18n import _, ngettext
        msg = f"tool: {_('error')}: {detail}"
        # TRANSLATORS: shown after a run
        done = _("Wrote {path}").format(path=p)
        many = ngettext("{n} file", "{n} files", n)
        skipped = _(name)
    '''), encoding="utf-8")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "b.py").write_text('_("not ours")\n', encoding="utf-8")
    template = script.extract(script.Paths(tmp_path))
    ids = {m.id for m in template if m.id}
    assert ids == {"error", "Wrote {path}", ("{n} file", "{n} files")}
    assert template["Wrote {path}"].auto_comments == ["shown after a run"]
    assert script.nonliteral_calls(script.Paths(tmp_path)) == ["pkg/a.py:6: _() called with a non-literal string"]


def test_update_keeps_translations_and_flags_changes(script, tmp_path, capsys):
    paths = script.Paths(tmp_path)
    (tmp_path / "babel.cfg").write_text("[python: pkg/**.py]\n", encoding="utf-8")
    code = tmp_path / "pkg" / "a.py"
    code.parent.mkdir()
    code.write_text('_("Show the version and exit.")\n_("Print only failures.")\n', encoding="utf-8")
    script.main(["--root", str(tmp_path), "all"])
    po = paths.po("zh_CN")
    catalog = script.read_catalog(po, "zh_CN")
    catalog["Show the version and exit."].string = "显示版本号并退出。"
    catalog["Print only failures."].string = "只输出失败项。"
    po.write_bytes(script._po_bytes(catalog))
    script.main(["--root", str(tmp_path), "compile"])
    assert script.check(paths) == []

    # another engineer edits the code: one string reworded, one removed, one added
    code.write_text('_("Show the version and exit now.")\n_("Parallel jobs.")\n', encoding="utf-8")
    problems = script.check(paths)
    assert any("stale" in p for p in problems)
    script.main(["--root", str(tmp_path), "all"])
    catalog = script.read_catalog(po, "zh_CN")
    reworded = catalog["Show the version and exit now."]
    assert reworded.fuzzy and reworded.string == "显示版本号并退出。"
    assert not catalog["Parallel jobs."].string
    assert "Print only failures." in catalog.obsolete
    assert b'#| msgid "Show the version and exit."' in po.read_bytes()  # the translator sees the old text
    problems = script.check(paths)
    assert any("fuzzy" in p for p in problems) and any("without a zh_CN translation" in p for p in problems)

    # the translator confirms the fuzzy entry and fills in the new one
    catalog["Show the version and exit now."].flags.discard("fuzzy")
    catalog["Parallel jobs."].string = "并行任务数。"
    po.write_bytes(script._po_bytes(catalog))
    script.main(["--root", str(tmp_path), "all"])
    assert b"#|" not in po.read_bytes() and b"# |" not in po.read_bytes()
    assert script.check(paths) == []

    # the removed string comes back: its translation does too
    code.write_text('_("Print only failures.")\n', encoding="utf-8")
    script.main(["--root", str(tmp_path), "all"])
    catalog = script.read_catalog(po, "zh_CN")
    assert catalog["Print only failures."].string == "只输出失败项。"
    assert not catalog["Print only failures."].fuzzy
    assert script.check(paths) == []
    capsys.readouterr()


def test_check_catches_placeholder_and_mo_drift(script, tmp_path):
    paths = script.Paths(tmp_path)
    (tmp_path / "babel.cfg").write_text("[python: pkg/**.py]\n", encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text('_("Wrote {path}")\n', encoding="utf-8")
    script.main(["--root", str(tmp_path), "all"])
    po = paths.po("zh_CN")
    catalog = script.read_catalog(po, "zh_CN")
    catalog["Wrote {path}"].string = "已写入 {文件}"
    po.write_bytes(script._po_bytes(catalog))
    problems = script.check(paths)
    assert any("placeholders differ" in p for p in problems)
    assert any(".mo is out of date" in p for p in problems)


def test_translations_load():
    try:
        assert i18n.set_lang("zh_CN.UTF-8") == "zh"
        assert i18n._("error") == "错误"
        assert i18n._("Wrote {path}").format(path="x.yaml") == "已写入 x.yaml"
        assert i18n.set_lang("en") == "en"
        assert i18n._("error") == "error"
    finally:
        i18n.set_lang("en")


def test_installed_catalog_is_a_regular_package():
    """`pip install .` ships the .mo as culture_lint._locales; files() must give a real path."""
    from importlib.resources import files

    mo = Path(str(files("culture_lint._locales"))) / "zh_CN" / "LC_MESSAGES" / "culture_lint.mo"
    assert mo.is_file()


def test_compiled_catalog_is_not_gitignored():
    """The .mo is committed: an install from a clean checkout must be bilingual."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    mo = "locales/zh_CN/LC_MESSAGES/culture_lint.mo"
    result = subprocess.run(["git", "check-ignore", "-q", mo], cwd=ROOT, capture_output=True)
    assert result.returncode == 1, f"{mo} is ignored by .gitignore"


# --------------------------------------------------------------------------------------------
# choosing the language


@pytest.mark.parametrize("flag, config, env, expected", [
    ("zh", None, {"LANG": "en_US.UTF-8"}, "zh"),            # --lang wins over everything
    ("en", "zh", {"LANG": "zh_CN.UTF-8"}, "en"),
    (None, "zh", {"LANG": "en_US.UTF-8"}, "zh"),            # then the config's lang:
    (None, None, {"LANG": "zh_CN.UTF-8"}, "zh"),            # then the environment
    (None, None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    (None, None, {"LANGUAGE": "fr:zh_CN", "LANG": "en_US.UTF-8"}, "zh"),
    (None, None, {"LANG": "fr_FR.UTF-8"}, "en"),            # unsupported: English, no error
    (None, None, {}, "en"),
    ("xx", None, {"LANG": "zh_CN.UTF-8"}, "en"),
])
def test_choose_lang(monkeypatch, flag, config, env, expected):
    for var in LANG_VARS:
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert i18n.choose_lang(flag, config) == expected


def test_help_lang_flag_zh():
    result = run_cli("check", "--help", "--lang", "zh", env={"LANG": "en_US.UTF-8"})
    assert result.returncode == 0, result.stderr
    assert ZH_CHECK in result.stdout
    assert "界面语言：en 或 zh。" in result.stdout
    assert EN_CHECK not in result.stdout


def test_help_lang_flag_en():
    result = run_cli("check", "--help", "--lang", "en", env={"LANG": "zh_CN.UTF-8"})
    assert result.returncode == 0, result.stderr
    assert EN_CHECK in result.stdout
    assert ZH_CHECK not in result.stdout


def test_help_lang_flag_equals_form():
    result = run_cli("check", "--lang=zh", "--help")
    assert result.returncode == 0, result.stderr
    assert ZH_CHECK in result.stdout


def test_root_help_lang_flag():
    result = run_cli("--lang", "zh", "--help")
    assert result.returncode == 0, result.stderr
    assert ZH_ROOT in result.stdout


def test_root_help_from_lang_env_zh():
    result = run_cli("--help", env={"LANG": "zh_CN.UTF-8"})
    assert result.returncode == 0, result.stderr
    assert ZH_ROOT in result.stdout
    assert "浏览、校验和测试规则包。" in result.stdout


def test_root_help_unsupported_env_falls_back_to_english():
    result = run_cli("--help", env={"LANG": "fr_FR.UTF-8"})
    assert result.returncode == 0, result.stderr
    assert EN_ROOT in result.stdout
    assert ZH_ROOT not in result.stdout
    assert result.stderr == ""


def test_unknown_lang_flag_falls_back_to_english():
    result = run_cli("check", "--help", "--lang", "xx", env={"LANG": "zh_CN.UTF-8"})
    assert result.returncode == 0, result.stderr
    assert EN_CHECK in result.stdout
    assert result.stderr == ""


def test_main_in_process(capsys, monkeypatch):
    """culture_lint.cli.main builds the help after choosing the language."""
    from culture_lint import cli

    for var in LANG_VARS:
        monkeypatch.delenv(var, raising=False)
    try:
        with pytest.raises(SystemExit) as exc:
            cli.main(["check", "--help", "--lang", "zh"])
        assert exc.value.code == 0
        assert ZH_CHECK in capsys.readouterr().out
    finally:
        i18n.set_lang("en")
