"""Bearer tokens: RS256 JWTs verified with the public key file or a JWKS URL (https)."""
