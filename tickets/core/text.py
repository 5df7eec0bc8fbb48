"""Text folding shared by search and imports: case- and accent-insensitive comparison."""

from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    """Lower case without diacritics: 'Cómputo' and 'computo' fold to the same string."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
