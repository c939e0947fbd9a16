"""The gateway's read model storage: tables, repository, unit of work, migrations."""
