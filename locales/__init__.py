"""gettext catalogs of culture-lint's interface, installed as ``culture_lint._locales``.

This file makes the folder a regular package: ``importlib.resources.files()`` on a namespace
package returns a ``MultiplexedPath`` whose ``str()`` is not a filesystem path, and the catalogs
would silently not load from an installed copy. See docs/translating.md.
"""
