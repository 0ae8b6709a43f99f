"""In-memory fakes of the unit of work and the repositories, for handler tests that need no database."""
