"""`culture_lint.ci` moved to :mod:`culture_lint.integrations.github_action`; kept for ``python -m culture_lint.ci``
(the GitHub Action, action.yml) and for programs that import it."""

import importlib
import sys

_action = importlib.import_module("culture_lint.integrations.github_action")

if __name__ == "__main__":
    sys.exit(_action.main())
sys.modules[__name__] = _action
