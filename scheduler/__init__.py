"""Time as an input: the APScheduler sweep over due work stored in our own tables."""
