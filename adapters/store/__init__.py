"""Storage: SQLModel tables, repositories and the unit of work behind the core's ports."""
