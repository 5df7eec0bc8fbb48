"""Scheduled jobs: APScheduler wiring only; the work itself lives in each feature's services."""
