"""Storage: tables, bulk repository functions, unit of work, migrations, and the from-scratch SQL recomputation."""
