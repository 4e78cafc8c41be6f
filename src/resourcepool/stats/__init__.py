"""Statistics and impact: figures computed from bookings, availability and the ledger."""
