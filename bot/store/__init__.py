"""Persistent store: models, database lifecycle and queries."""
