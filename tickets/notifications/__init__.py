"""Notifications: e-mail written to an outbox in the same transaction as the change, sent after."""
