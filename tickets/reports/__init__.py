"""Monthly report: the unit's section of the institutional report, generated from data."""
