"""Password hashes (argon2id) and the portal's signing key: short-lived tokens and their JWKS."""
