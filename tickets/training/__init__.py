"""Training log: sessions given to the staff of Juntas and OPL, and how many people attended."""
