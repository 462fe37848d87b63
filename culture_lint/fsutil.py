"""`culture_lint.fsutil` moved to :mod:`culture_lint.util.fsutil`; this name stays an alias of it (imported by many modules)."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("culture_lint.util.fsutil")
