"""HTTP edge: one router module per resource, dependencies in deps.py, problem documents in problems.py."""
