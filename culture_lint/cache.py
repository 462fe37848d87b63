"""On-disk caches, so a run does no work it has done before.

* Compiled rule packs (always on): a pack folder is parsed and validated once, then loaded from a pickle in
  the user cache folder (``~/.cache/culture-lint/packs``), keyed by the folder's path and content, the
  culture-lint code and the versions of Python, spaCy and the stemmer. Change a pack file and it is rebuilt.
* Lint results (``check``; ``--no-cache`` turns it off): ruff-style, in ``.culture-lint-cache/`` next to the
  config file in use (else the current folder). An entry is keyed by the file's path and bytes plus a run
  key: markets, options, the content of every pack in play, the interface language, today's date and the
  code versions. An unchanged file is not read, parsed or linted again; its document is parsed only if a
  report needs the source (text, html).

``CULTURE_LINT_CACHE_DIR`` moves both caches (packs in ``DIR/packs``, results in ``DIR/results``);
``CULTURE_LINT_NO_CACHE=1`` turns both off. Every cache error is ignored: the run then just does the work.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import time
from dataclasses import asdict, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__

FORMAT = "1"  # bump when the layout or the entry format changes
ENV_DIR = "CULTURE_LINT_CACHE_DIR"
ENV_OFF = "CULTURE_LINT_NO_CACHE"
RESULTS_DIR_NAME = ".culture-lint-cache"
STALE_SECONDS = 14 * 24 * 3600  # run folders unused this long are removed


def disabled() -> bool:
    return os.environ.get(ENV_OFF, "").strip().lower() not in ("", "0", "false", "no")


def user_cache_dir() -> Path:
    """Where compiled packs go: $CULTURE_LINT_CACHE_DIR, else the platform's user cache folder."""
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "culture-lint" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "culture-lint"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "culture-lint"


def results_dir(config_path: str | os.PathLike | None = None) -> Path:
    """Where lint results go: $CULTURE_LINT_CACHE_DIR/results, else .culture-lint-cache/ in the project."""
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR]) / "results"
    base = Path(config_path).resolve().parent if config_path else Path.cwd()
    return base / RESULTS_DIR_NAME


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """culture-lint's own code (version and every module's size and mtime) and the libraries that shape results."""
    h = hashlib.sha256(f"{FORMAT}|{__version__}|{sys.version_info[:3]}".encode())
    here = Path(__file__).resolve().parent
    for path in sorted([*here.rglob("*.py"), *here.glob("data/*.yaml")]):  # data: the festival calendar
        try:
            st = path.stat()
        except OSError:
            continue
        h.update(f"|{path.relative_to(here).as_posix()}:{st.st_size}:{st.st_mtime_ns}".encode())
    from importlib import metadata

    for dist in ("spacy", "snowballstemmer", "PyStemmer", "opencc-python-reimplemented", "charset-normalizer",
                 "babel", "holidays", "hijridate", "lunardate", "tzdata"):  # calendars, formats, zones
        try:
            h.update(f"|{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"|{dist}=none".encode())
    return h.hexdigest()


def pack_files(folder: Path) -> list[Path]:
    """The files ``load_pack`` reads."""
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


def pack_digest(folder: Path) -> str:
    """The pack folder's path and the names and bytes of its files."""
    h = hashlib.sha256(str(Path(folder).resolve()).encode("utf-8", "surrogateescape"))
    import stat

    from .packs.loader import MAX_PACK_FILE_BYTES

    for path in pack_files(Path(folder)):
        h.update(b"\0" + path.name.encode("utf-8", "surrogateescape") + b"\0")
        st = path.stat()
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_PACK_FILE_BYTES:
            # a FIFO, a link to /dev/zero or a huge file (the pack loader refuses them): never read it
            h.update(f"<{st.st_mode}:{st.st_size}:{st.st_mtime_ns}>".encode())
            continue
        with open(path, "rb") as fh:
            h.update(fh.read(MAX_PACK_FILE_BYTES + 1))
    return h.hexdigest()


def _write(path: Path, data: bytes) -> None:
    """Atomic write without fsync (a cache may lose an entry, never hold half of one)."""
    from .fsutil import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data, durable=False)


def _mark_cache_folder(root: Path) -> None:
    """A .gitignore and a CACHEDIR.TAG, as ruff and pytest do, so the folder is never committed or backed up."""
    try:
        if not (root / ".gitignore").exists():
            _write(root / ".gitignore", b"# Automatically created by culture-lint.\n*\n")
        if not (root / "CACHEDIR.TAG").exists():
            _write(root / "CACHEDIR.TAG", b"Signature: 8a477f597d28d172789f06886806bc55\n"
                                         b"# This file is a cache directory tag created by culture-lint.\n")
    except OSError:
        pass


# -- compiled rule packs ---------------------------------------------------------------------------------

def load_pack_cached(folder: Path):
    """``load_pack(folder)`` through the pack cache; errors are never cached (they are raised again)."""
    from .packs.loader import load_pack

    if disabled():
        return load_pack(folder)
    try:
        from .i18n import current_lang

        # the interface language too: a pack's warnings are kept in the language they were made in
        key = hashlib.sha256(f"{code_fingerprint()}|{pack_digest(folder)}|{current_lang()}".encode()).hexdigest()
        path = user_cache_dir() / "packs" / f"{Path(folder).name}-{key[:40]}.pickle"
        with open(path, "rb") as fh:
            result = pickle.load(fh)
            if time.time() - os.fstat(fh.fileno()).st_mtime > 24 * 3600:
                os.utime(path)  # still in use: keep it through _prune
            return result
    except FileNotFoundError:
        pass
    except Exception:  # unreadable, truncated or from an incompatible build: rebuild it
        path = None
    result = load_pack(folder)
    if path is not None:
        try:
            from .match.compiler import precompile

            precompile(result[0])
            _write(path, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            _prune(path.parent, keep=path.name)
        except Exception:
            pass
    return result


def cached_pickle(name: str, key: str, build):
    """``build()`` through a pickle in the pack cache folder, keyed by ``key`` and the code fingerprint (which
    holds the versions of Python, spaCy and culture-lint); ``None`` is never stored."""
    if disabled():
        return build()
    path = None
    try:
        digest = hashlib.sha256(f"{code_fingerprint()}|{name}|{key}".encode()).hexdigest()
        path = user_cache_dir() / "packs" / f"{name}-{digest[:40]}.pickle"
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        pass
    except Exception:  # unreadable, truncated or from an incompatible build: rebuild it
        path = None
    value = build()
    if path is not None and value is not None:
        try:
            _write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:
            pass
    return value


def load_concepts_cached(folders: list[Path]):
    """``load_concepts(folders)`` through the pack cache (terms precompiled); errors are never cached."""
    from .packs.concepts import load_concepts

    if disabled() or not folders:
        return load_concepts(folders)
    path = None
    try:
        from .i18n import current_lang

        digests = "|".join(pack_digest(f) for f in folders)
        key = hashlib.sha256(f"{code_fingerprint()}|{digests}|{current_lang()}".encode()).hexdigest()
        path = user_cache_dir() / "packs" / f"concepts-{key[:40]}.pickle"
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        pass
    except Exception:  # unreadable, truncated or from an incompatible build: rebuild it
        path = None
    result = load_concepts(folders)
    if path is not None and not result[1]:
        try:
            from .match.compiler import prepared_form

            for concept in result[0].values():
                for term in concept.terms + concept.unless:
                    try:
                        prepared_form(term)
                    except Exception:  # reported when the PatternSet is built
                        term.__dict__.pop("_prepared", None)
            _write(path, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            _prune(path.parent, keep=path.name)
        except Exception:
            pass
    return result


def _prune(folder: Path, keep: str) -> None:
    """Drop compiled packs of the same folder name that nobody has loaded for two weeks."""
    prefix = keep.split("-")[0] + "-"
    now = time.time()
    for other in folder.glob(f"{prefix}*.pickle"):
        try:
            if other.name != keep and now - other.stat().st_mtime > STALE_SECONDS:
                other.unlink()
        except OSError:
            pass


# -- lint results ----------------------------------------------------------------------------------------

def _options_key(options) -> Any:
    data = {f.name: getattr(options, f.name) for f in fields(options) if f.name not in ("cache_dir", "lazy_documents")}
    return json.loads(json.dumps(data, sort_keys=True, default=str))


def run_key(linter) -> str:
    """Everything besides the file that decides its findings."""
    import datetime as dt

    from .i18n import current_lang

    registry = linter.registry
    packs = {}
    for market in linter.markets:
        for pid in registry.lineage(market):
            if pid not in packs:
                packs[pid] = pack_digest(registry._folders[pid])
    for pid in getattr(registry, "platform_ids", []):  # --platform or a file's `platform:` may bring any in
        packs.setdefault(pid, pack_digest(registry.folder(pid)))
    from .packs.concepts import concept_dirs

    data = {
        "concepts": [pack_digest(f) for f in concept_dirs(registry.dirs)],
        "code": code_fingerprint(),
        "markets": list(linter.markets),
        "options": _options_key(linter.options),
        "packs": packs,
        "lang": current_lang(),
        "today": dt.date.today().isoformat(),  # rules may look at the calendar when no show date is given
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


class LazyDocument:
    """Stands in for a cached file's Document: parses the file only if a reporter looks at it."""

    def __init__(self, name: str, data: bytes, encoding: str | None, metadata: dict,
                 signals: dict | None = None, columns: list[str] | None = None):
        self._args = (name, data, encoding, metadata, signals, columns)
        self._doc = None

    def _load(self):
        if self._doc is None:
            from .readers import read_bytes

            name, data, encoding, metadata, signals, columns = self._args
            doc = read_bytes(name, data, encoding, columns)
            if metadata:  # what linting added to the document: the CLI's metadata and the score signals
                doc.metadata.update(metadata)
            if signals:
                doc.signals.update(signals)
            self._doc = doc
        return self._doc

    def __getattr__(self, attr: str):
        if attr.startswith("__") or attr in ("_args", "_doc"):
            raise AttributeError(attr)
        return getattr(self._load(), attr)

    def __getstate__(self):
        return {"_args": self._args, "_doc": None}

    def __setstate__(self, state):
        self.__dict__.update(state)


class ResultsCache:
    """One folder per run key under the results folder, one JSON file per linted file."""

    def __init__(self, root: Path, key: str, metadata: dict, columns: list[str] | None = None):
        self.root = Path(root)
        self.folder = self.root / key[:32]
        self.key = key
        self.metadata = metadata
        self.columns = columns or None
        self._touched = False

    def _entry_path(self, name: str, data: bytes, encoding: str | None) -> Path:
        h = hashlib.sha256(self.key.encode())
        h.update(b"\0" + name.encode("utf-8", "surrogateescape") + b"\0" + (encoding or "").encode() + b"\0")
        h.update(data)
        digest = h.hexdigest()
        return self.folder / digest[:2] / f"{digest[2:40]}.json"

    def get(self, name: str, data: bytes, encoding: str | None):
        from .models import FileReport

        try:
            with open(self._entry_path(name, data, encoding), "rb") as fh:
                entry = json.loads(fh.read())
            findings = [finding_from_dict(d) for d in entry["findings"]]
        except FileNotFoundError:
            return None
        except Exception:  # damaged entry: lint again
            return None
        self._touch()
        return FileReport(name, findings, document=LazyDocument(name, data, encoding, self.metadata,
                                                                 entry.get("signals"), columns=self.columns))

    def put(self, name: str, data: bytes, encoding: str | None, report) -> None:
        try:
            self._touch()
            signals = getattr(report.document, "signals", None) or {}
            entry = {"path": name, "findings": [finding_to_dict(f) for f in report.findings], "signals": signals}
            _write(self._entry_path(name, data, encoding),
                   json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        except Exception:
            pass

    def _touch(self) -> None:
        """Mark the run folder as used; on first use, drop run folders nobody has used for two weeks."""
        if self._touched:
            return
        self._touched = True
        try:
            new = not self.folder.exists()
            self.folder.mkdir(parents=True, exist_ok=True)
            os.utime(self.folder)
            if new:
                _mark_cache_folder(self.root)
                now = time.time()
                for other in self.root.iterdir():
                    if other.is_dir() and other != self.folder and now - other.stat().st_mtime > STALE_SECONDS:
                        import shutil

                        shutil.rmtree(other, ignore_errors=True)
        except OSError:
            pass


def results_cache(linter):
    """The linter's results cache, or None when ``options.cache_dir`` is unset (the library default)."""
    cache = linter.__dict__.get("_results_cache", False)
    if cache is False:
        cache = None
        folder = getattr(linter.options, "cache_dir", None)
        if folder and not disabled():
            try:
                cache = ResultsCache(Path(folder), run_key(linter), dict(linter.options.metadata or {}),
                                     list(getattr(linter.options, "columns", None) or []))
            except Exception:
                cache = None
        linter._results_cache = cache
    return cache


def finding_to_dict(f) -> dict:
    data = asdict(f)
    data["suggestions"] = [asdict(s) for s in f.suggestions]
    return data


def finding_from_dict(data: dict):
    from .models import Finding, Suggestion

    data = dict(data)
    suggestions = []
    for s in data.pop("suggestions", []):
        s = dict(s)
        if s.get("edit") is not None:
            s["edit"] = tuple(s["edit"])
        if s.get("edit_range") is not None:
            s["edit_range"] = tuple(s["edit_range"])
        suggestions.append(Suggestion(**s))
    return Finding(**data, suggestions=suggestions)
