"""Persistence: SQLAlchemy tables and the event log."""
