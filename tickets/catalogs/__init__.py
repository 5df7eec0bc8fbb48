"""Catalogs: states, districts, organisations, processes and elections, systems, categories."""
