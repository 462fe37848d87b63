"""`culture_lint.yamlio` moved to :mod:`culture_lint.util.yamlio`; this name stays an alias of it (imported by many modules)."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("culture_lint.util.yamlio")
