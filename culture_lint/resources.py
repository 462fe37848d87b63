"""`culture_lint.resources` moved to :mod:`culture_lint.util.resources`; this name stays an alias of it (imported by the translation layer)."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("culture_lint.util.resources")
