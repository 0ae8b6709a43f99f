"""The operators' desk: a server-rendered console over the four services' public APIs (no database)."""
