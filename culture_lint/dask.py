"""`culture_lint.dask` moved to :mod:`culture_lint.batch.dask`; this name stays an alias of it (documented in README.md and docs/scale.md)."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("culture_lint.batch.dask")
