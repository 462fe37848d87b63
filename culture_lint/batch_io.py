"""`culture_lint.batch_io` moved to :mod:`culture_lint.batch.partitions`; this name stays an alias of it (bench/batch_bench.py)."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("culture_lint.batch.partitions")
