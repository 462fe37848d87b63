"""`culture_lint.gitdiff` moved to :mod:`culture_lint.runner.gitdiff`; this name stays an alias of it (library users)."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("culture_lint.runner.gitdiff")
