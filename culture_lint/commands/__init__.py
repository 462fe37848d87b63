"""The commands behind the command line: each takes Settings (culture_lint.config) and returns an exit code."""
