"""Backups of the SQLite database: the nightly job, `flask backup`, and a checked restore."""
