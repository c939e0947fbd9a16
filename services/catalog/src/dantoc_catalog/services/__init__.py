"""Use cases of the catalog: seeding, reading, importing and exporting the catalogue, new indicator versions."""
