"""Configuration: ``.culture-lint.yaml`` (searched upward) or ``[tool.culture-lint]`` in pyproject.toml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError, CultureLintError
from .i18n import _, choose_lang, set_lang
from .models import SEVERITIES
from .util.suggest import did_you_mean
from .yamlio import LocDict, key_loc, load_yaml, loc_of

CONFIG_NAMES = (".culture-lint.yaml", ".culture-lint.yml")
KEYS = {
    "markets": list, "select": list, "ignore": list, "severity": dict, "rules": list,
    "include": list, "exclude": list, "fail_on": str, "fail_under": (int, float),
    "min_severity": str, "lang": str, "format": str, "encoding": str, "metadata": dict, "interaction": dict,
    "max_file_size": (int, str), "columns": list, "platforms": list,
}
DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024  # files above this get a core.input.too-large finding
_SIZE_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000**2, "mb": 1000**2, "mib": 1024**2,
               "g": 1000**3, "gb": 1000**3, "gib": 1024**3}


def parse_size(value: Any) -> int:
    """A size in bytes from ``52428800``, ``"50MB"``, ``"50 MiB"`` or ``"1.5GB"``; ValueError when it is not one."""
    import re

    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        size = value
    else:
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(value))
        if not m or m.group(2).lower() not in _SIZE_UNITS:
            raise ValueError(value)
        size = int(float(m.group(1)) * _SIZE_UNITS[m.group(2).lower()])
    if size < 1:
        raise ValueError(value)
    return size


@dataclass
class Config:
    """A config file's validated settings (empty when there is none), and where it was found."""

    path: str | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def rules_dirs(self) -> list[Path]:
        base = Path(self.path).parent if self.path else Path.cwd()
        return [(base / d).resolve() for d in self.values.get("rules", [])]


def find_config(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.culture-lint]" in _read(pyproject):
            return pyproject
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(_("cannot read config: {reason}").format(reason=exc), str(path)) from None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    if not path.is_file():
        raise ConfigError(_("config file does not exist"), str(path))
    text = _read(path)
    if path.name == "pyproject.toml":
        try:
            import tomllib
        except ImportError:  # Python 3.10
            import tomli as tomllib  # type: ignore[no-redef]
        try:
            data = tomllib.loads(text).get("tool", {}).get("culture-lint", {})
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(_("invalid TOML: {reason}").format(reason=exc), str(path)) from None
        line = next((i + 1 for i, l in enumerate(text.splitlines()) if l.strip() == "[tool.culture-lint]"), 1)
        return Config(str(path), _validate(data, str(path), (line, 1)))
    data = load_yaml(text, str(path), ConfigError)
    if data is None:
        data = LocDict()
    return Config(str(path), _validate(data, str(path), getattr(data, "loc", (1, 1))))


def _validate(data: Any, path: str, loc: tuple[int, int]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ConfigError(_("the config must be a mapping of settings"), path, *loc)
    out: dict[str, Any] = {}
    for key, value in data.items():
        key_n = key.replace("-", "_")
        where = key_loc(data, key) if isinstance(data, LocDict) else loc
        if key_n not in KEYS:
            raise ConfigError(_("unknown setting '{key}'").format(key=key), path, *where,
                              hint=did_you_mean(key_n, sorted(KEYS), cutoff=60))
        want = KEYS[key_n]
        if want is list and isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, want) or isinstance(value, bool) and want is not bool:
            message = {list: _("'{key}' must be a list"), dict: _("'{key}' must be a mapping"),
                       str: _("'{key}' must be a string")}.get(want, _("'{key}' must be a number"))
            vloc = loc_of(data, key) if isinstance(data, LocDict) else loc
            raise ConfigError(message.format(key=key), path, *vloc)
        names = (str, int) if key_n == "columns" else str  # columns may be 1-based indexes
        if want is list and not all(isinstance(v, names) and not isinstance(v, bool) for v in value):
            bad = next(i for i, v in enumerate(value) if not isinstance(v, names) or isinstance(v, bool))
            vloc = loc_of(value, bad) if isinstance(data, LocDict) else loc
            raise ConfigError(_("'{key}' must be a list of names (item {item} is not text)").format(
                key=key, item=bad + 1), path, *vloc)
        if key_n == "severity":
            for code, sev in value.items():
                if sev not in SEVERITIES:
                    raise ConfigError(_("severity for '{code}' must be error, warning or info").format(code=code), path,
                                      *(loc_of(value, code) if isinstance(value, LocDict) else loc))
        if key_n in ("fail_on",) and value not in ("error", "warning", "info", "never"):
            raise ConfigError(_("'fail_on' must be error, warning, info or never"), path,
                              *(loc_of(data, key) if isinstance(data, LocDict) else loc))
        if key_n == "min_severity" and value not in SEVERITIES:
            raise ConfigError(_("'min_severity' must be error, warning or info"), path,
                              *(loc_of(data, key) if isinstance(data, LocDict) else loc))
        if key_n == "max_file_size":
            try:
                value = parse_size(value)
            except ValueError:
                raise ConfigError(_("'max_file_size' must be a size in bytes, or with a unit (50MB, 10MiB)"), path,
                                  *(loc_of(data, key) if isinstance(data, LocDict) else loc)) from None
        out[key_n] = value
    return out


FAIL_ON = ("error", "warning", "info", "never")
ENCODING_HINTS = ("utf-8", "utf-16", "gb18030", "gbk", "big5", "shift_jis", "euc-kr", "latin-1")


def split_list(value: Any) -> list[str]:
    """Accept "a,b", ["a", "b,c"] or None (repeatable, comma-separated options and config lists)."""
    if not value:
        return []
    if isinstance(value, str):
        value = [value]
    out: list[str] = []
    for item in value:
        out.extend(p.strip() for p in str(item).split(",") if p.strip())
    return out


def parse_meta(items: Any) -> dict[str, Any]:
    """``--meta KEY=VALUE`` items as a mapping (values read as YAML scalars: true, 3, 2025-11-11)."""
    out: dict[str, Any] = {}
    for item in items or []:
        if "=" not in item:
            raise CultureLintError(_("--meta takes KEY=VALUE, got '{item}'").format(item=item))
        key, value = item.split("=", 1)
        try:
            out[key.strip()] = load_yaml(value, "--meta") if value.strip() else ""
        except CultureLintError:
            out[key.strip()] = value
    return out


def merge_metadata(config: dict | None, front_matter: dict | None, flags: dict | None) -> dict[str, Any]:
    """Document metadata in order of precedence: the config's ``metadata:``, front matter, then flags."""
    out = dict(config or {})
    out.update(front_matter or {})
    out.update(flags or {})
    return out


@dataclass
class Settings:
    """One run's settings: the config file, command-line flags and (per document) front matter, merged once.

    Flags win over the config; front matter sits between them (:meth:`document_metadata`). Commands take a
    ``Settings``; their own flags (``--diff``, ``--workers`` …) stay in :attr:`flags`, read with :meth:`flag`.
    Item access (``s["markets"]``) is kept for callers written against the old settings dict.
    """

    config: Config = field(default_factory=Config)
    markets: list[str] = field(default_factory=list)
    format: str = "text"
    fail_on: str = "error"
    fail_under: float | None = None
    min_severity: str = "info"
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    rules_dirs: list[Path] = field(default_factory=list)
    include: list[str] | None = None
    exclude: list[str] | None = None
    encoding: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)  # config metadata + --meta/--date (flags win)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    columns: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    interaction: dict[str, Any] = field(default_factory=dict)
    lang: str = "en"
    paths: list[str] = field(default_factory=list)
    output: Path | None = None
    flags: dict[str, Any] = field(default_factory=dict)

    def flag(self, name: str, default: Any = None) -> Any:
        """A command's own flag (None and missing read as ``default``)."""
        value = self.flags.get(name)
        return default if value is None else value

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(self, key, value)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)

    def document_metadata(self, front_matter: dict | None) -> dict[str, Any]:
        """A document's metadata: config, then its front matter, then flags (what the linter sees)."""
        flag_meta = parse_meta(self.flags.get("meta"))
        if self.flags.get("date"):
            flag_meta["date"] = self.flags["date"]
        return merge_metadata(self.config.get("metadata"), front_matter, flag_meta)

    def options(self):
        """The engine's :class:`~culture_lint.engine.Options` for these settings."""
        from .engine import Options

        return Options(select=list(self.select), ignore=list(self.ignore), severity=dict(self.severity),
                       min_severity=self.min_severity, metadata=dict(self.metadata),
                       interaction=dict(self.interaction), max_file_size=self.max_file_size,
                       columns=list(self.columns), platforms=list(self.platforms))

    @classmethod
    def resolve(cls, flags: dict[str, Any] | None = None, formats: tuple[str, ...] | None = None) -> "Settings":
        """Load the config (``--config``, ``--no-config`` or the one found upward), merge the flags over it
        and validate everything that could make the run impossible (exit 2 before any file is read)."""
        p = dict(flags or {})
        config = _config_for(p)
        lang = set_lang(choose_lang(p.get("lang"), config.get("lang")))
        s = cls(config=config, lang=lang, flags=p, paths=list(p.get("paths") or []), output=p.get("output"))
        s.markets = split_list(p.get("market")) or split_list(config.get("markets"))
        s.format = _one_of(_pick(p.get("fmt"), config, "format", "text"), formats, "format")
        s.fail_on = _one_of(_pick(p.get("fail_on"), config, "fail_on", "error"), FAIL_ON, "fail_on")
        s.min_severity = _one_of(_pick(p.get("min_severity"), config, "min_severity", "info"), SEVERITIES,
                                 "min_severity")
        s.fail_under = _pick(p.get("fail_under"), config, "fail_under")
        for key in ("select", "ignore", "columns"):
            setattr(s, key, split_list(p.get(key)) or split_list(config.get(key)))
        s.platforms = split_list(p.get("platform")) or split_list(config.get("platforms"))
        s.severity = dict(config.get("severity", {}) or {})
        s.interaction = dict(config.get("interaction", {}) or {})
        s.rules_dirs = config.rules_dirs() + [Path(r) for r in p.get("rules") or []]
        s.include = list(p.get("include") or []) or config.get("include")
        s.exclude = list(p.get("exclude") or []) or config.get("exclude")
        s.encoding = _encoding(p.get("encoding") or config.get("encoding"))
        s.metadata = s.document_metadata(None)
        if p.get("date"):
            _date(p["date"])
        s.max_file_size = _size(p.get("max_file_size"), config.get("max_file_size", DEFAULT_MAX_FILE_SIZE))
        return s


def _config_for(p: dict[str, Any]) -> Config:
    if p.get("no_config"):
        return Config()
    return load_config(Path(p["config"]) if p.get("config") else find_config())


def _pick(value: Any, config: Config, key: str, default: Any = None) -> Any:
    return value if value not in (None, [], "") else config.get(key, default)


def _one_of(value: str, choices: tuple[str, ...] | None, what: str) -> str:
    if choices is None or value in choices:
        return value
    if what == "format":
        raise CultureLintError(_("unknown format '{fmt}'").format(fmt=value), hint=did_you_mean(value, choices))
    if what == "fail_on":
        message = _("--fail-on must be one of {choices}")
    else:
        message = _("--min-severity must be one of {choices}")
    raise CultureLintError(message.format(choices=", ".join(choices)), hint=did_you_mean(value, choices))


def _encoding(encoding: str | None) -> str | None:
    if encoding:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise CultureLintError(_("unknown encoding '{encoding}'").format(encoding=encoding),
                                   hint=did_you_mean(encoding, ENCODING_HINTS)) from None
    return encoding or None


def _date(value: str) -> None:
    import datetime as dt

    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise CultureLintError(_("--date must be YYYY-MM-DD, got '{value}'").format(value=value)) from None


def _size(flag: Any, default: int) -> int:
    if not flag:
        return default
    try:
        return parse_size(flag)
    except ValueError:
        raise CultureLintError(_("--max-file-size must be a size in bytes, or with a unit (50MB, 10MiB), "
                                 "got '{value}'").format(value=flag)) from None


STARTER = """\
# culture-lint configuration. CLI flags win over these settings.
# Docs: https://github.com/culture-lint/culture-lint#configuration

# Markets to lint for (ISO codes, aliases such as uk, or regions such as eu, gcc).
markets: [{markets}]

# Rules to run or skip: rule ids, id prefixes (us.health-claim) or categories (urgency).
# select: [health-claim, ad-disclosure]
# ignore: [core.suppression.unused]

# Change a rule's severity (error | warning | info).
# severity:
#   global.urgency.pressure-repeat: info

# Extra rule pack folders (relative to this file).
# rules: [house-rules/]

# Which files to lint when a directory is given.
include: ["*.txt", "*.md", "*.srt", "*.vtt"]
exclude: ["drafts/**"]

# Exit code gate for CI: error | warning | info | never. fail_under gates on the culture-fit score.
fail_on: error
# fail_under: 75

# Catalog text columns (.csv/.tsv) by header name or 1-based index; default: chosen from the header.
# columns: [Title, "Body (HTML)"]

# Interface language for messages: en | zh
# lang: zh
"""
