"""`culture_lint.records` moved to :mod:`culture_lint.batch.records`; this name stays an alias of it (documented in docs/scale.md)."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("culture_lint.batch.records")
