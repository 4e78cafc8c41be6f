"""Email: the outbox, message templates and the sender."""
