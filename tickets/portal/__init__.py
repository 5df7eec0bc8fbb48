"""Portal: requesters follow their tickets, and anyone with a folio and its code checks one."""
