"""Small helpers every stage may use: atomic writes, positioned YAML, bundled data paths, "did you mean"."""
