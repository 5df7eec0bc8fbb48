"""Demo data: a realistic November 2021 so a new user sees a working desk at once."""
