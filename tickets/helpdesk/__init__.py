"""Helpdesk: tickets, their workflow, comments, attachments and audit trail."""
