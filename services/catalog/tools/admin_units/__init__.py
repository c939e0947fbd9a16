"""Build the administrative-unit reference data of ``dantoc_catalog`` from ``vietnamadminunits`` 1.0.4.

The entry point is ``services/catalog/tools/build_admin_units.py``; its docstring documents what the source
package contains and every normalisation applied. Modules, in the order the build runs:

* ``source``: download (or take) the pinned wheel, check its hash, find ``data/`` and the licence (I/O);
* ``build``: read ``dataset.db`` and ``converter_2025.json`` and hand the rows to the pure steps (I/O);
* ``names`` and ``units``: split official names into name and type, check codes, collect the unit rows (pure);
* ``conversion``: old -> new province and commune pairs from the converter tables (pure);
* ``validate``: cross-checks and the printed report (pure);
* ``output``: the deterministic CSV and licence files (I/O);
* ``cli``: the command line; ``model`` holds the shared types, dates and the error class.

Only the standard library is used.
"""
