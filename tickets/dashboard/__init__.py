"""The supervisor's live dashboard: open work by dimension, today's volume, SLA risk, workload."""
