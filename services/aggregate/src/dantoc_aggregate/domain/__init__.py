"""Pure rollup rules: no I/O. Everything here is tested table-driven on tiny literal hierarchies."""
