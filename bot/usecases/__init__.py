"""Use cases: small async functions taking a command, the context and the ports."""
