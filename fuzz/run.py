"""Run culture-lint's fuzz targets for longer than the test suite does.

    python fuzz/run.py                      # every target, 60 s each
    python fuzz/run.py srt docx --seconds 600
    python fuzz/run.py --engine hypothesis  # force Hypothesis even when atheris is installed
    python fuzz/run.py --list

With atheris installed (``pip install atheris``; wheels exist for Linux and macOS on CPython 3.8–3.11+), each
target runs under libFuzzer with coverage guidance in its own process and keeps a corpus in
``fuzz/corpus/TARGET/`` (seeded from ``fuzz_targets.seeds``); a failing input is written to
``fuzz/crashes/TARGET/`` (replay it with ``python fuzz/run.py TARGET --replay fuzz/crashes/TARGET/crash-…``). Without
atheris, Hypothesis drives the same targets with the structured strategies of
``tests/reliability/relstrategies.py`` until the time is up. The exit code is non-zero when a target failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "reliability"))


def have_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def run_atheris(name: str, seconds: int, extra: list[str]) -> int:
    """One target under libFuzzer, in this process (called in a child per target)."""
    import atheris

    with atheris.instrument_imports(include=["culture_lint"]):
        import culture_lint.readers  # noqa: F401
        import culture_lint.runner  # noqa: F401
    import fuzz_targets as targets

    corpus = HERE / "corpus" / name
    corpus.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(targets.seeds(name)):
        path = corpus / f"seed-{i}"
        if not path.exists():
            path.write_bytes(seed)
    target = targets.TARGETS[name]
    targets.linter()  # build the linter before fuzzing starts

    def one_input(data: bytes) -> None:
        target(data)

    crashes = HERE / "crashes" / name
    crashes.mkdir(parents=True, exist_ok=True)
    args = [sys.argv[0], f"-max_total_time={seconds}", f"-artifact_prefix={crashes}/", "-rss_limit_mb=4096",
            "-timeout=30", *extra, str(corpus)]
    atheris.Setup(args, one_input)
    atheris.Fuzz()
    return 0


def run_hypothesis(name: str, seconds: int) -> int:
    from hypothesis import HealthCheck, given, settings

    import relstrategies as strategies
    import fuzz_targets as targets

    target = targets.TARGETS[name]
    deadline = time.monotonic() + seconds
    count = 0
    targets.linter()
    for seed in targets.seeds(name):
        target(seed)
    while time.monotonic() < deadline:
        @settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(strategies.for_target(name))
        def test(data: bytes) -> None:
            target(data)

        test()
        count += 200
    print(f"{name}: {count} inputs, no failure", flush=True)
    return 0


def main() -> int:
    import fuzz_targets as targets

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="targets (default: all)")
    parser.add_argument("--seconds", type=int, default=60, help="time per target")
    parser.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    parser.add_argument("--list", action="store_true", help="list the targets")
    parser.add_argument("--replay", type=Path, help="run one saved input through the (single) target and show the error")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args, extra = parser.parse_known_args()
    if args.list:
        for name, fn in targets.TARGETS.items():
            print(f"{name:6} {fn.__doc__.strip().splitlines()[0]}")
        return 0
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if have_atheris() else "hypothesis"
    if args.replay:
        if len(args.names) != 1 or args.names[0] not in targets.TARGETS:
            parser.error("--replay needs exactly one target name")
        targets.TARGETS[args.names[0]](args.replay.read_bytes())
        print("no failure")
        return 0
    if args.child:
        if engine == "atheris":
            return run_atheris(args.child, args.seconds, extra)
        return run_hypothesis(args.child, args.seconds)
    names = args.names or list(targets.TARGETS)
    unknown = [n for n in names if n not in targets.TARGETS]
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)} (see --list)")
    failed = []
    for name in names:
        print(f"== {name} ({engine}, {args.seconds} s)", flush=True)
        code = subprocess.call([sys.executable, __file__, "--child", name, "--seconds", str(args.seconds),
                                "--engine", engine, *extra], env={**os.environ, "PYTHONUTF8": "1"})
        if code != 0:
            failed.append(name)
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    print("all targets passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
