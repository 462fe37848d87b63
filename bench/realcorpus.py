"""Real-prose corpora for the benchmark, from text installed on this machine; nothing is repeated.

- English: the Python documentation topics (``pydoc_data.topics``), Debian's licence texts
  (``/usr/share/common-licenses``) and the docstrings of the standard library (read with ``ast``, nothing
  imported), with one livestream line carrying claims after every 20 lines of prose. Duplicate lines are
  dropped, so per-word caches cannot make it look faster than it is.
- Chinese: Debian's Simplified Chinese manual pages (package ``manpages-zh``, ``/usr/share/man/zh_CN``),
  troff markup stripped, duplicate lines dropped.
- Transcript: one long line without any punctuation, as speech recognition writes a live show: the words of
  the English corpus re-ordered by a seeded second-order Markov chain (no stretch repeats), lower-cased,
  with a claim spoken now and then.
- Flagged line: one line of the same flagged wording over and over (the worst case for findings).

    python bench/realcorpus.py OUT_DIR     # writes english.txt, chinese.txt, transcript-5mb.txt, …
"""

from __future__ import annotations

import argparse
import ast
import gzip
import random
import re
import sys
import sysconfig
from pathlib import Path

CLAIMS = [
    "Host: this tea is clinically proven to cure diabetes and you will lose 10 kg in a week, guaranteed!",
    "Host: only 3 left, order now, the lowest price ever, 100% safe with no side effects.",
    "Host: this cream heals eczema overnight and is the best in the world, doctors recommend it.",
    "Host: our slimming tea burns fat fast, buy now before midnight, this offer ends today.",
    "Host: it boosts your immune system and prevents cancer, FDA approved, risk free.",
]
TRANSCRIPT_CLAIMS = [
    "this tea cures diabetes", "you will lose ten kilos in a week", "it is clinically proven",
    "only three left order now", "the best serum in the world", "it prevents cancer", "no side effects at all",
]
LICENCES = Path("/usr/share/common-licenses")
ZH_MAN = Path("/usr/share/man/zh_CN")


def _dedupe(lines) -> list[str]:
    seen: set[str] = set()
    out = []
    for line in lines:
        line = line.rstrip()
        key = line.strip()
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(line)
    return out


def english_sources() -> list[str]:
    """Lines of real English prose, each once."""
    lines: list[str] = []
    try:
        from pydoc_data.topics import topics

        for name in sorted(topics):
            lines.extend(topics[name].splitlines())
    except ImportError:  # pragma: no cover - part of CPython
        pass
    if LICENCES.is_dir():
        seen_files = set()
        for path in sorted(LICENCES.iterdir()):
            real = path.resolve()
            if real in seen_files or not real.is_file():
                continue
            seen_files.add(real)
            lines.extend(real.read_text(encoding="utf-8", errors="replace").splitlines())
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for path in sorted(stdlib.rglob("*.py")):
        rel = path.relative_to(stdlib).parts
        if rel[0] in ("site-packages", "test", "idlelib", "lib2to3") or "tests" in rel:
            continue
        try:
            tree = ast.parse(path.read_bytes())
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node)
                if doc:
                    lines.extend(doc.splitlines())
    return _dedupe(lines)


def english(words: int | None = None) -> str:
    """The English corpus (``words``: stop after about that many words)."""
    from bench.corpus import count_words

    out: list[str] = []
    total = 0
    for i, line in enumerate(english_sources()):
        if i % 20 == 19:
            out.append(CLAIMS[(i // 20) % len(CLAIMS)])
        out.append(line)
        total += count_words(line)
        if words and total >= words:
            break
    return "\n".join(out) + "\n"


_TROFF_ESC = re.compile(r"\\f[BIRP1-4]|\\f\(..|\\\(..|\\[-e&|^%]|\\s[+-]?\d|\\\*.|\\[ ]")


def chinese_sources() -> list[str]:
    """Lines of Debian's Simplified Chinese manual pages holding Chinese text, markup stripped, each once."""
    lines: list[str] = []
    if not ZH_MAN.is_dir():
        return lines
    for path in sorted(ZH_MAN.rglob("*")):
        if not path.is_file():
            continue
        try:
            raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        except OSError:
            continue
        text = raw.decode("utf-8", errors="replace")
        for line in text.splitlines():
            if line.startswith((".", "'")):
                line = line.split(" ", 1)[1] if " " in line and line[:3] in (".SH", ".SS", ".TP", ".IP", ".B ", ".I ") else ""
            line = _TROFF_ESC.sub("", line).strip()
            if re.search(r"[\u4e00-\u9fff]", line):
                lines.append(line)
    return _dedupe(lines)


def chinese() -> str:
    out: list[str] = []
    for i, line in enumerate(chinese_sources()):
        if i % 20 == 19:
            out.append("主播：这款茶可以治愈糖尿病，一周瘦十斤，无任何副作用，最后三单！")
        out.append(line)
    return "\n".join(out) + "\n"


def transcript(size: int, seed: int = 3) -> str:
    """About ``size`` bytes of unpunctuated lower-case speech on one line (a seeded Markov chain)."""
    words = re.findall(r"[a-z]+(?:'[a-z]+)?", english().lower())
    chain: dict[tuple[str, str], list[str]] = {}
    for a, b, c in zip(words, words[1:], words[2:]):
        chain.setdefault((a, b), []).append(c)
    rng = random.Random(seed)
    out: list[str] = []
    length = 0
    state = (words[0], words[1])
    while length < size:
        if rng.random() < 0.004:
            piece = rng.choice(TRANSCRIPT_CLAIMS)
            out.append(piece)
            length += len(piece) + 1
        nxt = chain.get(state)
        word = rng.choice(nxt) if nxt else rng.choice(words)
        out.append(word)
        length += len(word) + 1
        state = (state[1], word)
    return " ".join(out) + "\n"


def flagged_line(size: int) -> str:
    """One line of flagged wording, ``size`` bytes: the worst case for findings per byte."""
    unit = "slimming tea "
    return unit * (size // len(unit)) + "\n"


def write_all(out: Path, transcript_mb: float = 5, flagged_mb: float = 5) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, make in (("english.txt", english), ("chinese.txt", chinese)):
        path = out / name
        if not path.exists():
            path.write_text(make(), encoding="utf-8")
        files[name] = path
    for mult in (1, 2):
        for name, make, mb in (("transcript", transcript, transcript_mb), ("flagged", flagged_line, flagged_mb)):
            size = int(mb * mult * 1_000_000)
            path = out / f"{name}-{mb * mult:g}mb.txt"
            if not path.exists():
                path.write_text(make(size), encoding="utf-8")
            files[path.stem] = path
    return files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--mb", type=float, default=5, help="size of the transcript and of the flagged line")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    for name, path in write_all(args.out, args.mb, args.mb).items():
        print(name, path, path.stat().st_size)


if __name__ == "__main__":
    main()
