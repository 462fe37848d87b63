"""Catalog-scale runs: rows as records (:mod:`.records`), partitions on disk (:mod:`.partitions`) and the
Dask cluster that lints them (:mod:`.dask`). Only ``culture-lint batch`` and ``culture_lint.dask`` load it."""
