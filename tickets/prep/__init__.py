"""PREP follow-up: the OPL's drills (simulacros) and election-night operation."""
