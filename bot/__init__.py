"""Revans core: the platform-neutral domain, grammar and use cases.

Nothing in this package imports a platform SDK, an ORM, a scheduler or a web
framework; adapters implement the ports in `bot.ports` and translate at the edge.
"""
