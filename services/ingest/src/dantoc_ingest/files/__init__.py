"""File formats of ingest: the XLSX template (written and read back), CSV in the same columns, and SDMX-CSV.

Pure: bytes in, drafts (or problems with their row and cell) out; bytes out for templates.
"""
