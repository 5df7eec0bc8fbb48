"""Accounts: users, roles, login and logout."""
