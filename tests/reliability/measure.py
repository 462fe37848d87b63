"""Run one command as this process's only child and write its wall time and peak RSS as JSON.

Usage: ``python measure.py REPORT.json -- COMMAND ARGS...`` (stdin/stdout/stderr pass through; the exit code
is the command's). ``ru_maxrss`` of RUSAGE_CHILDREN covers only children this process waited for, so the
figure belongs to COMMAND alone.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main() -> int:
    report = sys.argv[1]
    assert sys.argv[2] == "--"
    cmd = sys.argv[3:]
    start = time.monotonic()
    proc = subprocess.run(cmd)
    seconds = time.monotonic() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(report, "w", encoding="utf-8") as fh:
        json.dump({"returncode": proc.returncode, "seconds": round(seconds, 3),
                   "peak_rss_kb": usage.ru_maxrss, "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3)}, fh)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
