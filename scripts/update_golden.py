#!/usr/bin/env python
"""Regenerate tests/golden/ (every report format on every bundled example) after an intended change.

    python scripts/update_golden.py      # then review `git diff tests/golden`
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    env = dict(os.environ, CULTURE_LINT_UPDATE_GOLDEN="1")
    sys.exit(subprocess.call([sys.executable, "-m", "pytest", "tests/test_golden.py", "-q", "-p", "no:randomly",
                              *sys.argv[1:]], cwd=ROOT, env=env))
