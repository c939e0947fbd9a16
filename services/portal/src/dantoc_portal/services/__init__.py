"""Use cases: sign-in and sessions, accounts, tokens; and the pages' work over the other services."""
