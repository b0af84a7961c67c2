"""Everything that touches the outside world: platforms, storage, HTTP, the CLI."""
