"""Renderers of query answers: JSON, CSV, XLSX, SDMX-CSV 2.0 and SDMX-JSON 2.0 (data and structure)."""
