"""Read → lint → (score) over files: which files (:mod:`.files`, :mod:`.gitdiff`), how each is read
(:mod:`.inputs`), and the linting of many of them (:mod:`.lint`)."""

from .inputs import MAX_FILE_BYTES, input_findings, read_bounded, read_input, size_limit, too_large_message
from .lint import add_scores, lint_data, lint_file, lint_many, lint_paths_reports

__all__ = ["MAX_FILE_BYTES", "add_scores", "input_findings", "lint_data", "lint_file", "lint_many",
           "lint_paths_reports", "read_bounded", "read_input", "size_limit", "too_large_message"]
