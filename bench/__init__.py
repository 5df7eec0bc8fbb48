"""Benchmarks: a million-ticket data generator, a bare baseline app and a load script."""
