"""Service levels: targets per priority, the clock that measures them, breaches, notices."""
