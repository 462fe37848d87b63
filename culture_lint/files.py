"""`culture_lint.files` moved to :mod:`culture_lint.runner.files`; this name stays an alias of it (library users)."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("culture_lint.runner.files")
