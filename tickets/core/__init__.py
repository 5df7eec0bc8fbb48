"""Shared, feature-agnostic code: database helpers, errors, time, forms, security."""
