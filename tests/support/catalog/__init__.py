"""Shared test builders of the catalog service: literal catalogue rows and files, for every tier."""
