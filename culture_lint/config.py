"""Configuration: ``.culture-lint.yaml`` (searched upward) or ``[tool.culture-lint]`` in pyproject.toml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .i18n import _
from .models import SEVERITIES
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
            from rapidfuzz import process

            guess = process.extractOne(key_n, sorted(KEYS), score_cutoff=60)
            raise ConfigError(_("unknown setting '{key}'").format(key=key), path, *where,
                              hint=_("did you mean '{choice}'?").format(choice=guess[0]) if guess else None)
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
